"""Typed objects the whole generator works on.

Only the loader sees raw dictionaries; every other module receives these
objects. The configuration classes are pydantic models: their fields are the
one definition of every ``mkdocs.yml`` setting. Vocabulary follows Atlassian
Statuspage so that the JSON API maps one to one. Every datetime here is
timezone-aware.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .i18n import N_, NP_, _, pgettext

if TYPE_CHECKING:  # configuration, kept out of what the CLI's --help imports
    from .settings import Component


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
        """``Major``, in the language spoken."""
        return _(_IMPACT_LABEL[self])

    @property
    def phrase(self) -> str:
        """``major``: the impact inside a sentence or a list."""
        return pgettext("in a sentence", _IMPACT_PHRASE[self])

    @property
    def pill(self) -> str:
        """``Major impact`` (``No impact`` for none): the impact at a glance."""
        return _(_IMPACT_PILL[self])


_IMPACT_RANK = {
    Impact.NONE: 0,
    Impact.MAINTENANCE: 1,
    Impact.MINOR: 2,
    Impact.MAJOR: 3,
    Impact.CRITICAL: 4,
}
_IMPACT_LABEL = {
    Impact.NONE: N_("No impact"),
    Impact.MAINTENANCE: N_("Maintenance"),
    Impact.MINOR: N_("Minor"),
    Impact.MAJOR: N_("Major"),
    Impact.CRITICAL: N_("Critical"),
}
_IMPACT_PILL = {
    Impact.NONE: N_("No impact"),
    Impact.MAINTENANCE: N_("Maintenance impact"),
    Impact.MINOR: N_("Minor impact"),
    Impact.MAJOR: N_("Major impact"),
    Impact.CRITICAL: N_("Critical impact"),
}
_IMPACT_PHRASE = {
    Impact.NONE: NP_("in a sentence", "no impact"),
    Impact.MAINTENANCE: NP_("in a sentence", "maintenance"),
    Impact.MINOR: NP_("in a sentence", "minor"),
    Impact.MAJOR: NP_("in a sentence", "major"),
    Impact.CRITICAL: NP_("in a sentence", "critical"),
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
        """``In progress``, in the language spoken."""
        return _(_UPDATE_LABEL[self])

    @property
    def heading(self) -> str:
        """``In progress``: the word incident files write, always in English."""
        return _UPDATE_LABEL[self]

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


_UPDATE_LABEL = {
    UpdateStatus.INVESTIGATING: N_("Investigating"),
    UpdateStatus.IDENTIFIED: N_("Identified"),
    UpdateStatus.MONITORING: N_("Monitoring"),
    UpdateStatus.UPDATE: N_("Update"),
    UpdateStatus.RESOLVED: N_("Resolved"),
    UpdateStatus.POSTMORTEM: N_("Postmortem"),
    UpdateStatus.SCHEDULED: N_("Scheduled"),
    UpdateStatus.IN_PROGRESS: N_("In progress"),
    UpdateStatus.VERIFYING: N_("Verifying"),
    UpdateStatus.COMPLETED: N_("Completed"),
}

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
        """``Partial outage``, in the language spoken."""
        return _(_COMPONENT_LABEL[self])

    @property
    def phrase(self) -> str:
        """``partial outage``: the status inside a sentence or a list."""
        return pgettext("in a sentence", _COMPONENT_PHRASE[self])


_COMPONENT_LABEL = {
    ComponentStatus.OPERATIONAL: N_("Operational"),
    ComponentStatus.UNDER_MAINTENANCE: N_("Under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: N_("Partial outage"),
    ComponentStatus.MAJOR_OUTAGE: N_("Major outage"),
}
_COMPONENT_PHRASE = {
    ComponentStatus.OPERATIONAL: NP_("in a sentence", "operational"),
    ComponentStatus.UNDER_MAINTENANCE: NP_("in a sentence", "under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: NP_("in a sentence", "degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: NP_("in a sentence", "partial outage"),
    ComponentStatus.MAJOR_OUTAGE: NP_("in a sentence", "major outage"),
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


class WebhookFormat(enum.StrEnum):
    SLACK = "slack"
    DISCORD = "discord"
    JSON = "json"


@dataclass(frozen=True)
class Update:
    """One ``## Status · time`` section of an incident file."""

    status: UpdateStatus
    at: datetime
    body: str
    line: int

    @cached_property  # a frozen dataclass keeps it in its __dict__: pages ask often
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

    @cached_property
    def is_maintenance(self) -> bool:
        return self.kind is Kind.MAINTENANCE

    def anchored_updates(self) -> list[tuple[Update, str]]:
        """Each update with its fragment on the incident page, oldest first.

        Fragments are unique on the page: a second update in the same second
        gets ``-2``. Feeds link to the same fragments.
        """
        return list(self._anchored)

    @cached_property
    def _anchored(self) -> tuple[tuple[Update, str], ...]:
        seen: dict[str, int] = {}
        result = []
        for update in self.updates:
            count = seen.get(update.anchor, 0) + 1
            seen[update.anchor] = count
            result.append((update, update.anchor if count == 1 else f"{update.anchor}-{count}"))
        return tuple(result)

    @property
    def first_update(self) -> Update | None:
        return self.updates[0] if self.updates else None

    @property
    def latest_update(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    @cached_property  # sorted by, again and again
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
