"""Derived state: what is happening now, computed once per build from the clock.

Everything here is a pure function of the incidents, the configuration and
``now``; a static site is only as fresh as its last build, so ``now`` is the
build time and the page says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import pairwise
from zoneinfo import ZoneInfo

from .i18n import N_, _
from .model import ComponentStatus, Impact, Incident, Update, UpdateStatus
from .settings import SiteConfig

#: Share of time that counts as down, per component status, for uptime.
#: Statuspage counts a major outage fully and a partial outage at 30 %.
DOWNTIME_WEIGHT = {
    ComponentStatus.MAJOR_OUTAGE: 1.0,
    ComponentStatus.PARTIAL_OUTAGE: 0.3,
}
UPTIME_DAYS = 90

#: Statuspage's words for the overall status: the API says them in English,
#: as clients expect; the page's banner says :attr:`SiteStatus.banner`.
INDICATOR_DESCRIPTION = {
    Impact.NONE: N_("All Systems Operational"),
    Impact.MAINTENANCE: N_("Service Under Maintenance"),
    Impact.MINOR: N_("Minor Service Outage"),
    Impact.MAJOR: N_("Partial System Outage"),
    Impact.CRITICAL: N_("Major System Outage"),
}


def effective_status(incident: Incident, now: datetime) -> UpdateStatus:
    """The status an incident or maintenance has at ``now``.

    An incident has the status of its latest update. A maintenance follows its
    window by the clock (scheduled, in progress, completed) unless an update
    says otherwise: started early, extended past its end, verifying, or
    completed early.
    """
    latest = incident.latest_update
    if not incident.is_maintenance:
        assert latest is not None
        return latest.status
    assert incident.start is not None and incident.end is not None
    said = latest.status if latest is not None else UpdateStatus.SCHEDULED
    if said is UpdateStatus.COMPLETED:
        return said
    if now < incident.start:
        started_early = said is UpdateStatus.IN_PROGRESS
        return UpdateStatus.IN_PROGRESS if started_early else UpdateStatus.SCHEDULED
    if now < incident.end:
        verifying = said is UpdateStatus.VERIFYING
        return UpdateStatus.VERIFYING if verifying else UpdateStatus.IN_PROGRESS
    extended = (
        latest is not None
        and latest.at >= incident.end
        and said
        in (
            UpdateStatus.IN_PROGRESS,
            UpdateStatus.VERIFYING,
        )
    )
    return said if extended else UpdateStatus.COMPLETED


def closed_at(incident: Incident, now: datetime) -> datetime | None:
    """When it ended: the resolving update, or a maintenance's end by the clock."""
    if incident.resolved_at is not None:
        return incident.resolved_at
    if incident.is_maintenance and effective_status(incident, now) is UpdateStatus.COMPLETED:
        return incident.end
    return None


@dataclass(frozen=True)
class IncidentView:
    """An incident with what the clock says about it."""

    incident: Incident
    status: UpdateStatus
    ended_at: datetime | None

    @cached_property  # asked for every incident by every page and file
    def active(self) -> bool:
        if self.incident.is_maintenance:
            return self.status in (UpdateStatus.IN_PROGRESS, UpdateStatus.VERIFYING)
        return self.status is not UpdateStatus.RESOLVED

    @cached_property
    def upcoming(self) -> bool:
        return self.incident.is_maintenance and self.status is UpdateStatus.SCHEDULED

    @property
    def duration(self) -> timedelta | None:
        if self.ended_at is None:
            return None
        return self.ended_at - self.incident.began_at

    @property
    def first_response(self) -> timedelta | None:
        """From when it began to the first public update (incidents only)."""
        first = self.incident.first_update
        if self.incident.is_maintenance or first is None:
            return None
        return max(timedelta(), first.at - self.incident.began_at)


@dataclass(frozen=True)
class ComponentState:
    status: ComponentStatus
    uptime: float  # 0..1 over the last UPTIME_DAYS days
    days: tuple[tuple[date, ComponentStatus], ...]  # oldest first


@dataclass(frozen=True)
class SiteStatus:
    """Everything the outputs need, computed once."""

    now: datetime
    indicator: Impact
    views: tuple[IncidentView, ...]  # newest first
    components: dict[str, ComponentState] = field(default_factory=dict)

    @property
    def description(self) -> str:
        """The overall status in Statuspage's English words (the API's ``description``)."""
        return INDICATOR_DESCRIPTION[self.indicator]

    @property
    def banner(self) -> str:
        """The overall status in the language spoken."""
        return _(INDICATOR_DESCRIPTION[self.indicator])

    @property
    def active_incidents(self) -> list[IncidentView]:
        return [v for v in self.views if v.active and not v.incident.is_maintenance]

    @property
    def active_maintenance(self) -> list[IncidentView]:
        return [v for v in self.views if v.active and v.incident.is_maintenance]

    @property
    def upcoming_maintenance(self) -> list[IncidentView]:
        found = [v for v in self.views if v.upcoming]
        return sorted(found, key=lambda v: (v.incident.began_at, v.incident.id))

    def view(self, incident_id: str) -> IncidentView | None:
        return next((v for v in self.views if v.incident.id == incident_id), None)


def compute_status(config: SiteConfig, incidents: list[Incident], now: datetime) -> SiteStatus:
    """Current status of every component and of the site, at ``now``."""
    views = tuple(IncidentView(i, effective_status(i, now), closed_at(i, now)) for i in incidents)
    current = {c.id: ComponentStatus.OPERATIONAL for c in config.components}
    indicator = Impact.NONE
    for view in views:
        if not view.active:
            continue
        if view.incident.impact.rank > indicator.rank:
            indicator = view.incident.impact
        for component, status in view.incident.components.items():
            if status.rank > current[component.id].rank:
                current[component.id] = status
    history = _daily_history(config, views, now)
    states = {cid: ComponentState(current[cid], *history[cid]) for cid in current}
    return SiteStatus(now=now, indicator=indicator, views=views, components=states)


def _daily_history(
    config: SiteConfig, views: tuple[IncidentView, ...], now: datetime
) -> dict[str, tuple[float, tuple[tuple[date, ComponentStatus], ...]]]:
    """Uptime share and worst status per day, for the last ``UPTIME_DAYS`` days."""
    tz: ZoneInfo = config.timezone
    today = now.astimezone(tz).date()
    first_day = today - timedelta(days=UPTIME_DAYS - 1)
    window_start = datetime.combine(first_day, datetime.min.time(), tz)
    worst: dict[str, dict[date, ComponentStatus]] = defaultdict(dict)
    spans: dict[str, list[tuple[datetime, datetime, float]]] = defaultdict(list)
    for view in views:
        begin = max(view.incident.began_at, window_start)
        end = min(view.ended_at or now, now)
        if end <= begin:
            continue
        for component, status in view.incident.components.items():
            cid = component.id
            spans[cid].append((begin, end, DOWNTIME_WEIGHT.get(status, 0.0)))
            day = begin.astimezone(tz).date()
            while day <= end.astimezone(tz).date():
                seen = worst[cid].get(day, ComponentStatus.OPERATIONAL)
                if status.rank > seen.rank:
                    worst[cid][day] = status
                day += timedelta(days=1)
    span = max((now - window_start).total_seconds(), 1.0)
    result = {}
    for component in config.components:
        days = tuple(
            (d, worst[component.id].get(d, ComponentStatus.OPERATIONAL))
            for d in (first_day + timedelta(days=n) for n in range(UPTIME_DAYS))
        )
        uptime = max(0.0, 1.0 - _weighted_downtime(spans[component.id]) / span)
        result[component.id] = (uptime, days)
    return result


def _weighted_downtime(spans: list[tuple[datetime, datetime, float]]) -> float:
    """Seconds of downtime; where incidents overlap, only the heaviest counts."""
    events = sorted({moment for begin, end, _ in spans for moment in (begin, end)})
    total = 0.0
    for left, right in pairwise(events):
        weight = max((w for b, e, w in spans if b <= left and e >= right), default=0.0)
        total += (right - left).total_seconds() * weight
    return total


def next_update_due(view: IncidentView, config: SiteConfig) -> datetime | None:
    """When customers were promised the next word on an open incident.

    The ``next_update`` field when it is newer than the latest update;
    otherwise the latest update plus the policy's cadence (slower while
    monitoring). None when nothing is open.
    """
    incident = view.incident
    latest = incident.latest_update
    if not view.active or incident.is_maintenance or latest is None:
        return None
    if incident.next_update is not None and incident.next_update > latest.at:
        return incident.next_update
    return policy_due(latest, config)


def policy_due(update: Update, config: SiteConfig) -> datetime:
    """When the policy's cadence expects the update after ``update`` (slower while monitoring)."""
    policy = config.policy
    monitoring = update.status is UpdateStatus.MONITORING
    return update.at + (policy.update_every_monitoring if monitoring else policy.update_every)


@dataclass(frozen=True)
class NextUpdate:
    """The next update customers were told to expect, and whether it is late."""

    due: datetime
    promised: bool  # True: the ``next_update`` field; False: the policy's cadence
    late_by: timedelta | None  # None while it is not yet due

    @property
    def overdue(self) -> bool:
        return self.late_by is not None


def next_update(view: IncidentView, config: SiteConfig, now: datetime) -> NextUpdate | None:
    """:func:`next_update_due` with what the clock says about it at ``now``."""
    due = next_update_due(view, config)
    if due is None:
        return None
    incident = view.incident
    promised = incident.next_update is not None and due == incident.next_update
    return NextUpdate(due, promised, now - due if now > due else None)
