"""The generator's settings: the ``statuspage`` plugin block of ``mkdocs.yml``.

Validated with pydantic into a :class:`SiteConfig`. The CLI reads
``mkdocs.yml`` itself (without MkDocs, so ``lint`` stays fast); the MkDocs plugin
passes its own config dictionary to :func:`site_config`.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticError

from .errors import Problem, ValidationError
from .model import (
    AnnounceSettings,
    Channel,
    Component,
    Impact,
    Policy,
    SiteConfig,
    SmtpTarget,
    WebhookFormat,
    WebhookTarget,
)
from .times import TimeFormatError, parse_duration

PLUGIN_NAME = "statuspage"
#: The state-file name of the SMTP target; webhooks use their own names.
EMAIL_TARGET = "email"
_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int):
        return timedelta(minutes=value)
    try:
        return parse_duration(str(value))
    except TimeFormatError as exc:
        raise ValueError(str(exc)) from None


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComponentOptions(_Strict):
    id: str
    name: str
    description: str = ""
    group: str | None = None

    @field_validator("id")
    @classmethod
    def _id_is_url_safe(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("must be lower-case letters, digits, '-' or '_' (used in URLs)")
        return value


class PolicyOptions(_Strict):
    update_every: Duration = timedelta(minutes=60)
    update_every_monitoring: Duration = timedelta(hours=4)
    resolution_summary_within: Duration = timedelta(hours=24)
    postmortem_within: Duration = timedelta(days=5)
    postmortem_for: list[Impact] = Field(default_factory=lambda: [Impact.MAJOR, Impact.CRITICAL])


#: Schemes a configured link may have: anything else (``javascript:``,
#: ``data:``) would run or load something in a reader's browser.
LINK_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))


def link_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (tabs and newlines dropped,
    control characters and spaces trimmed); None for a relative URL."""
    match = _SCHEME.match(_TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE))
    return match.group(1).lower() if match else None


def _safe_link(url: str, schemes: tuple[str, ...] = LINK_SCHEMES) -> str:
    if link_scheme(url) not in schemes:
        allowed = ", ".join(f"{s}:" for s in schemes)
        raise ValueError(f"{url!r} is not a link customers can follow; start it with {allowed}")
    return url


class ChannelOptions(_Strict):
    name: str
    url: Annotated[str, AfterValidator(_safe_link)]
    use_for: str = ""


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _env_name(value: str) -> str:
    if value and not _ENV_NAME.match(value):
        raise ValueError(
            f"'{value}' is not an environment variable name; name the variable that "
            "holds the secret, never the secret itself"
        )
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]


class SmtpOptions(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    host: str
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    sender: str = Field(alias="from")
    subscribers: str
    username_env: EnvName = ""
    password_env: EnvName = ""


class WebhookOptions(_Strict):
    name: str
    format: WebhookFormat = WebhookFormat.JSON
    url_env: EnvName

    @field_validator("url_env")
    @classmethod
    def _required(cls, value: str) -> str:
        if not value:
            raise ValueError("name the environment variable that holds the webhook URL")
        return value


class AnnounceOptions(_Strict):
    state_file: str = ".statuspage/announced.json"
    smtp: SmtpOptions | None = None
    webhooks: list[WebhookOptions] = Field(default_factory=list)

    @field_validator("webhooks")
    @classmethod
    def _unique_names(cls, value: list[WebhookOptions]) -> list[WebhookOptions]:
        names = [w.name for w in value]
        clash = sorted({n for n in names if names.count(n) > 1 or n == EMAIL_TARGET})
        if clash:
            raise ValueError(
                f"webhook names must be unique and not '{EMAIL_TARGET}': {', '.join(clash)}"
            )
        return value

    def settings(self) -> AnnounceSettings:
        smtp = self.smtp
        return AnnounceSettings(
            state_file=Path(self.state_file),
            smtp=None
            if smtp is None
            else SmtpTarget(
                host=smtp.host,
                sender=smtp.sender,
                subscribers=Path(smtp.subscribers),
                port=smtp.port,
                starttls=smtp.starttls,
                username_env=smtp.username_env,
                password_env=smtp.password_env,
            ),
            webhooks=tuple(WebhookTarget(w.name, w.format, w.url_env) for w in self.webhooks),
        )


class PluginOptions(_Strict):
    timezone: str = "UTC"
    incidents_dir: str = "incidents"
    components: list[ComponentOptions] = Field(default_factory=list)
    policy: PolicyOptions = Field(default_factory=PolicyOptions)
    channels: list[ChannelOptions] = Field(default_factory=list)
    feed_size: int = Field(default=50, ge=1, le=10000)
    description: str = ""
    templates_dir: str = "templates"
    announce: AnnounceOptions = Field(default_factory=AnnounceOptions)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone, e.g. Europe/Paris") from None
        return value

    @field_validator("components")
    @classmethod
    def _unique_ids(cls, value: list[ComponentOptions]) -> list[ComponentOptions]:
        ids = [c.id for c in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"component ids must be unique: {', '.join(duplicates)}")
        return value


def site_config(
    options: dict[str, Any],
    *,
    site_name: str,
    site_url: str,
    repo_url: str = "",
    edit_uri: str = "",
    source: str = "mkdocs.yml",
    lines: ConfigLines | None = None,
) -> SiteConfig:
    """Validate the plugin ``options`` into a :class:`SiteConfig`.

    ``lines`` says where each option stands in ``source``, for error messages.
    """
    lines = lines or ConfigLines(None)
    problems = [
        Problem(source, lines.line(key), key, _url_problem(value))
        for key, value in (("site_url", site_url), ("repo_url", repo_url))
        if value and link_scheme(value) not in ("https", "http")
    ]
    try:
        parsed = PluginOptions.model_validate(options or {})
    except PydanticError as exc:
        problems += [
            Problem(
                source,
                lines.line(PLUGIN_NAME, *err["loc"]),
                f"plugins.{PLUGIN_NAME}." + ".".join(map(str, err["loc"])),
                err["msg"].removeprefix("Value error, "),
            )
            for err in exc.errors()
        ]
    if problems:
        raise ValidationError(problems)
    groups = tuple(dict.fromkeys(c.group for c in parsed.components if c.group))
    return SiteConfig(
        name=site_name,
        url=site_url if site_url.endswith("/") else site_url + "/",
        timezone=ZoneInfo(parsed.timezone),
        components=tuple(
            Component(c.id, c.name, c.description, c.group, position)
            for position, c in enumerate(parsed.components, start=1)
        ),
        groups=groups,
        incidents_dir=Path(parsed.incidents_dir),
        policy=Policy(
            update_every=parsed.policy.update_every,
            update_every_monitoring=parsed.policy.update_every_monitoring,
            resolution_summary_within=parsed.policy.resolution_summary_within,
            postmortem_within=parsed.policy.postmortem_within,
            postmortem_for=tuple(parsed.policy.postmortem_for),
        ),
        channels=tuple(Channel(c.name, c.url, c.use_for) for c in parsed.channels),
        feed_size=parsed.feed_size,
        description=parsed.description,
        repo_url=repo_url,
        edit_uri=edit_uri,
        templates_dir=Path(parsed.templates_dir),
        announce=parsed.announce.settings(),
    )


def _url_problem(url: str) -> str:
    return f"{url!r} must start with https: or http:"


class ConfigLines:
    """Where each setting stands in ``mkdocs.yml``: the YAML node tree, composed
    without running tags (``!ENV``), so every error can name its line."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root

    @classmethod
    def of(cls, text: str) -> ConfigLines:
        try:
            return cls(yaml.compose(text, Loader=_TolerantLoader))
        except yaml.YAMLError:
            return cls(None)

    def line(self, *path: str | int) -> int:
        """The line of the deepest node along ``path`` (``statuspage`` names the
        plugin's block wherever ``plugins`` holds it); 0 when unknown."""
        node = self.root
        if node is None:
            return 0
        line = node.start_mark.line + 1
        if path and path[0] == PLUGIN_NAME:
            node = self._plugin_block()
            if node is None:
                return 0
            line, path = node.start_mark.line + 1, path[1:]
        for part in path:
            key_node, node = _child(node, part)
            if node is None:
                break
            line = (key_node or node).start_mark.line + 1
        return line

    def _plugin_block(self) -> yaml.Node | None:
        _, plugins = _child(self.root, "plugins")
        if isinstance(plugins, yaml.SequenceNode):
            for entry in plugins.value:
                if isinstance(entry, yaml.ScalarNode) and entry.value == PLUGIN_NAME:
                    return entry
                _, block = _child(entry, PLUGIN_NAME)
                if block is not None:
                    return block
            return None
        return _child(plugins, PLUGIN_NAME)[1]


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The key node and value node of ``part`` inside ``node``, if there."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None, None


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (``!ENV``, ``!!python/name``)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_TolerantLoader.add_multi_constructor("!", _ignore_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


def read_mkdocs_yml(path: Path) -> SiteConfig:
    """The :class:`SiteConfig` of the ``statuspage`` plugin in ``path``."""
    shown = path.name
    try:
        text = path.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=_TolerantLoader)
    except FileNotFoundError:
        raise ValidationError(
            [
                Problem(
                    shown,
                    0,
                    "",
                    "not found; run this in the folder that holds mkdocs.yml, or pass --config",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ValidationError([Problem(shown, 0, "", f"invalid YAML: {exc}")]) from None
    if not isinstance(raw, dict):
        raise ValidationError([Problem(shown, 0, "", "must be a YAML mapping")])
    options = _plugin_options(raw.get("plugins"))
    if options is None:
        raise ValidationError(
            [Problem(shown, 0, "plugins", f"no '{PLUGIN_NAME}' plugin configured")]
        )
    return site_config(
        options,
        site_name=str(raw.get("site_name") or "Status"),
        site_url=str(raw.get("site_url") or "http://localhost:8000/"),
        repo_url=str(raw.get("repo_url") or ""),
        edit_uri=str(raw.get("edit_uri") or ""),
        source=shown,
        lines=ConfigLines.of(text),
    )


def _plugin_options(plugins: object) -> dict[str, Any] | None:
    entries: list[Any] = []
    if isinstance(plugins, dict):
        entries = [{k: v} for k, v in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    for entry in entries:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return dict(entry[PLUGIN_NAME] or {})
    return None
