"""The generator's settings: the ``statuspage`` block of ``mkdocs.yml``, defined once.

These frozen pydantic models are both the schema (``core.config`` turns their
errors into ``mkdocs.yml:LINE: field: message``) and the objects the rest of
the generator reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr

from .config_types import (
    BaseUrl,
    Duration,
    EnvName,
    SafeLink,
    Text,
    TimeZone,
    UrlSafeId,
    WebUrl,
    choice,
    unique,
)
from .model import Impact, WebhookFormat


class _Schema(BaseModel):
    """Configuration: frozen, and every key it does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Schema):
    """A part of the product customers see a status for.

    Hashable: an incident maps each of its components to a status.
    """

    id: UrlSafeId
    name: Text
    description: Text = ""
    group: Text | None = None
    _position: int = PrivateAttr(default=0)

    @property
    def position(self) -> int:
        """Where the component stands in ``mkdocs.yml``, from 1."""
        return self._position


def _numbered(components: tuple[Component, ...]) -> tuple[Component, ...]:
    numbered = []
    for position, component in enumerate(components, start=1):
        copy = component.model_copy()
        copy._position = position  # private: a user cannot set it in mkdocs.yml
        numbered.append(copy)
    return tuple(numbered)


class Channel(_Schema):
    """A way customers can reach the team, and what it is for."""

    name: Text
    url: SafeLink
    use_for: Text = ""


ImpactChoice = Annotated[Impact, BeforeValidator(choice(Impact))]


class Policy(_Schema):
    """The communication policy the team promises and ``lint`` checks."""

    update_every: Duration = timedelta(minutes=60)
    update_every_monitoring: Duration = timedelta(hours=4)
    resolution_summary_within: Duration = timedelta(hours=24)
    postmortem_within: Duration = timedelta(days=5)
    postmortem_for: tuple[ImpactChoice, ...] = (Impact.MAJOR, Impact.CRITICAL)


class SmtpTarget(_Schema):
    """Where ``announce --send`` e-mails updates; secrets come from the environment."""

    host: str
    sender: str = Field(alias="from")
    subscribers: Path
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    username_env: EnvName = ""
    password_env: EnvName = ""


def _required(value: str) -> str:
    if not value:
        raise ValueError("name the environment variable that holds the webhook URL")
    return value


class WebhookTarget(_Schema):
    """A chat or automation webhook; its URL is a secret read from ``url_env``."""

    name: str
    format: Annotated[WebhookFormat, BeforeValidator(choice(WebhookFormat))] = WebhookFormat.JSON
    url_env: Annotated[EnvName, AfterValidator(_required)]


#: The state-file name of the SMTP target; webhooks use their own names.
EMAIL_TARGET = "email"


class AnnounceSettings(_Schema):
    """Targets of ``announce --send`` and where it remembers what it sent."""

    state_file: Path = Path(".statuspage/announced.json")
    smtp: SmtpTarget | None = None
    webhooks: Annotated[
        tuple[WebhookTarget, ...],
        AfterValidator(unique("name", "webhook names", reserved=(EMAIL_TARGET,))),
    ] = ()


class StatusPageOptions(_Schema):
    """The ``statuspage`` plugin block of ``mkdocs.yml``: every option, declared once."""

    timezone: TimeZone = ZoneInfo("UTC")
    incidents_dir: Path = Path("incidents")
    components: Annotated[
        tuple[Component, ...],
        AfterValidator(unique("id", "component ids")),
        AfterValidator(_numbered),
    ] = ()
    policy: Policy = Field(default_factory=Policy)
    channels: tuple[Channel, ...] = ()
    feed_size: int = Field(default=50, ge=1, le=10000)
    #: The largest incident file read; a long postmortem is some tens of KiB.
    max_file_kib: int = Field(default=1024, ge=16, le=65536)
    description: Text = ""
    templates_dir: Path = Path("templates")
    announce: AnnounceSettings = Field(default_factory=AnnounceSettings)
    #: The WebSub hub every feed declares and ``ping-hub`` notifies (W3C WebSub).
    websub_hub: WebUrl | None = None
    #: What ``ping-hub`` remembers of the feeds the hub was last told about.
    websub_state_file: Path = Path(".statuspage/websub.json")


class SiteConfig(StatusPageOptions):
    """The generator's settings: the plugin's options and the site keys MkDocs owns."""

    name: Text
    url: BaseUrl
    repo_url: str = ""
    edit_uri: str = ""
    #: The page's language (``theme.language``): a BCP 47 tag such as ``en`` or ``zh-Hans``.
    language: str = "en"

    @cached_property
    def groups(self) -> tuple[str, ...]:
        """The component groups, in the order they first appear."""
        return tuple(dict.fromkeys(c.group for c in self.components if c.group))

    def component(self, component_id: str) -> Component | None:
        """The component with ``component_id``, if configured."""
        return self._by_id.get(component_id)

    def resolve_components(self, ids: Iterable[str]) -> list[Component]:
        """The known components among ``ids``, in their order."""
        return [self._by_id[i] for i in ids if i in self._by_id]

    @cached_property
    def _by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}
