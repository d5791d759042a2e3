"""Typed objects the whole generator works on.

Only the loader sees raw dictionaries; every other module receives these
objects. Vocabulary follows Atlassian Statuspage so that the JSON API maps one
to one. Every datetime here is timezone-aware.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo


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

    @property
    def cli_name(self) -> str:
        """The status as commands spell it: ``in-progress``."""
        return self.value.replace("_", "-")

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


class OutputFormat(enum.StrEnum):
    """How a command prints what it found; each command offers some of these."""

    TEXT = "text"
    GITHUB = "github"
    JSON = "json"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Component:
    id: str
    name: str
    description: str = ""
    group: str | None = None
    position: int = 0


@dataclass(frozen=True)
class Channel:
    """A way customers can reach the team, and what it is for."""

    name: str
    url: str
    use_for: str = ""


@dataclass(frozen=True)
class Policy:
    """The communication policy the team promises and ``lint`` checks."""

    update_every: timedelta = timedelta(minutes=60)
    update_every_monitoring: timedelta = timedelta(hours=4)
    resolution_summary_within: timedelta = timedelta(hours=24)
    postmortem_within: timedelta = timedelta(days=5)
    postmortem_for: tuple[Impact, ...] = (Impact.MAJOR, Impact.CRITICAL)


@dataclass(frozen=True)
class SmtpTarget:
    """Where ``announce --send`` e-mails updates; secrets come from the environment."""

    host: str
    sender: str
    subscribers: Path
    port: int = 587
    starttls: bool = True
    username_env: str = ""
    password_env: str = ""


class WebhookFormat(enum.StrEnum):
    SLACK = "slack"
    DISCORD = "discord"
    JSON = "json"


@dataclass(frozen=True)
class WebhookTarget:
    """A chat or automation webhook; its URL is a secret read from ``url_env``."""

    name: str
    format: WebhookFormat
    url_env: str


@dataclass(frozen=True)
class AnnounceSettings:
    """Targets of ``announce --send`` and where it remembers what it sent."""

    state_file: Path = Path(".statuspage/announced.json")
    smtp: SmtpTarget | None = None
    webhooks: tuple[WebhookTarget, ...] = ()


@dataclass(frozen=True)
class SiteConfig:
    """The generator's settings, from the plugin block of ``mkdocs.yml``."""

    name: str
    url: str
    timezone: ZoneInfo
    components: tuple[Component, ...]
    groups: tuple[str, ...] = ()
    incidents_dir: Path = Path("incidents")
    policy: Policy = field(default_factory=Policy)
    channels: tuple[Channel, ...] = ()
    feed_size: int = 50
    description: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    templates_dir: Path = Path("templates")
    announce: AnnounceSettings = field(default_factory=AnnounceSettings)

    def component(self, component_id: str) -> Component | None:
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
