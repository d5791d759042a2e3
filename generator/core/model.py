"""Typed objects the whole generator works on.

Only the loader sees raw dictionaries; every other module receives these
objects. The configuration classes are pydantic models: their fields are the
one definition of every ``mkdocs.yml`` setting. Vocabulary follows Atlassian
Statuspage so that the JSON API maps one to one. Every datetime here is
timezone-aware.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
    TimeZone,
    UrlSafeId,
    choice,
    unique,
)


class Impact(enum.StrEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"
    MAINTENANCE = "maintenance"

    @property
    def rank(self) -> int:
        return _IMPACT_RANK[self]

    @property
    def label(self) -> str:
        return _IMPACT_LABEL[self]


_IMPACT_RANK = {
    Impact.NONE: 0,
    Impact.MAINTENANCE: 1,
    Impact.MINOR: 2,
    Impact.MAJOR: 3,
    Impact.CRITICAL: 4,
}
_IMPACT_LABEL = {
    Impact.NONE: "No impact",
    Impact.MAINTENANCE: "Maintenance",
    Impact.MINOR: "Minor",
    Impact.MAJOR: "Major",
    Impact.CRITICAL: "Critical",
}

#: Impacts an incident file may declare (maintenance is set by ``kind``).
INCIDENT_IMPACTS = (Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)


class Kind(enum.StrEnum):
    INCIDENT = "incident"
    MAINTENANCE = "maintenance"


class UpdateStatus(enum.StrEnum):
    """Status of one update; Statuspage's incident and maintenance statuses."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    UPDATE = "update"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def parse(cls, text: str) -> UpdateStatus | None:
        """Read a heading's status word, e.g. ``In progress``; None if unknown."""
        key = "_".join(text.strip().lower().replace("-", " ").split())
        try:
            return cls(key)
        except ValueError:
            return None


INCIDENT_STATUSES = (
    UpdateStatus.INVESTIGATING,
    UpdateStatus.IDENTIFIED,
    UpdateStatus.MONITORING,
    UpdateStatus.UPDATE,
    UpdateStatus.RESOLVED,
)
MAINTENANCE_STATUSES = (
    UpdateStatus.SCHEDULED,
    UpdateStatus.IN_PROGRESS,
    UpdateStatus.VERIFYING,
    UpdateStatus.COMPLETED,
)
#: Statuses after which an incident or maintenance is over.
CLOSED_STATUSES = (UpdateStatus.RESOLVED, UpdateStatus.COMPLETED)


class ComponentStatus(enum.StrEnum):
    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def rank(self) -> int:
        return list(ComponentStatus).index(self)

    @property
    def label(self) -> str:
        return _COMPONENT_LABEL[self]


_COMPONENT_LABEL = {
    ComponentStatus.OPERATIONAL: "Operational",
    ComponentStatus.UNDER_MAINTENANCE: "Under maintenance",
    ComponentStatus.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentStatus.PARTIAL_OUTAGE: "Partial outage",
    ComponentStatus.MAJOR_OUTAGE: "Major outage",
}

#: What a component's status is when an incident lists it without saying.
STATUS_FOR_IMPACT = {
    Impact.NONE: ComponentStatus.OPERATIONAL,
    Impact.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentStatus.MAJOR_OUTAGE,
    Impact.MAINTENANCE: ComponentStatus.UNDER_MAINTENANCE,
}


class _Schema(BaseModel):
    """Configuration: frozen, and every key it does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Component(_Schema):
    """A part of the product customers see a status for.

    Hashable: an incident maps each of its components to a status.
    """

    id: UrlSafeId
    name: str
    description: str = ""
    group: str | None = None
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

    name: str
    url: SafeLink
    use_for: str = ""


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


class WebhookFormat(enum.StrEnum):
    SLACK = "slack"
    DISCORD = "discord"
    JSON = "json"


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
    description: str = ""
    templates_dir: Path = Path("templates")
    announce: AnnounceSettings = Field(default_factory=AnnounceSettings)


class SiteConfig(StatusPageOptions):
    """The generator's settings: the plugin's options and the site keys MkDocs owns."""

    name: str
    url: BaseUrl
    repo_url: str = ""
    edit_uri: str = ""

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


@dataclass(frozen=True)
class Update:
    """One ``## Status · time`` section of an incident file."""

    status: UpdateStatus
    at: datetime
    body: str
    line: int

    @property
    def anchor(self) -> str:
        return "update-" + self.at.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Incident:
    """One incident or maintenance file, parsed and validated."""

    id: str
    path: Path
    kind: Kind
    title: str
    impact: Impact
    #: The affected components, each with its status during the incident.
    components: dict[Component, ComponentStatus]
    updates: tuple[Update, ...]  # oldest first; postmortem excluded
    summary: str = ""
    scope: str = ""
    workaround: str = ""
    next_update: datetime | None = None
    started: datetime | None = None
    start: datetime | None = None  # maintenance window
    end: datetime | None = None
    postmortem: Update | None = None
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def is_maintenance(self) -> bool:
        return self.kind is Kind.MAINTENANCE

    def anchored_updates(self) -> list[tuple[Update, str]]:
        """Each update with its fragment on the incident page, oldest first.

        Fragments are unique on the page: a second update in the same second
        gets ``-2``. Feeds link to the same fragments.
        """
        seen: dict[str, int] = {}
        result = []
        for update in self.updates:
            count = seen.get(update.anchor, 0) + 1
            seen[update.anchor] = count
            result.append((update, update.anchor if count == 1 else f"{update.anchor}-{count}"))
        return result

    @property
    def first_update(self) -> Update | None:
        return self.updates[0] if self.updates else None

    @property
    def latest_update(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    @property
    def began_at(self) -> datetime:
        """When the incident began: ``started``, the window's start, or the first post."""
        for candidate in (self.started, self.start):
            if candidate is not None:
                return candidate
        assert self.updates, "an incident without updates is rejected by the loader"
        return self.updates[0].at

    @property
    def created_at(self) -> datetime:
        """When the first public word went out (Statuspage's ``created_at``)."""
        if self.updates:
            return self.updates[0].at
        return self.began_at

    @property
    def updated_at(self) -> datetime:
        times = [u.at for u in self.updates]
        if self.postmortem is not None:
            times.append(self.postmortem.at)
        return max(times) if times else self.created_at

    @property
    def resolved_at(self) -> datetime | None:
        """Time of the last closing update, if the latest update closes it."""
        latest = self.latest_update
        if latest is not None and latest.status in CLOSED_STATUSES:
            return latest.at
        return None

    def at_status(self, status: UpdateStatus) -> datetime | None:
        """Time of the first update with ``status``."""
        return next((u.at for u in self.updates if u.status is status), None)

    def all_updates(self) -> tuple[Update, ...]:
        """Updates and the postmortem, oldest first."""
        if self.postmortem is None:
            return self.updates
        return tuple(sorted((*self.updates, self.postmortem), key=lambda u: (u.at, u.line)))
