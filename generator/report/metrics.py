"""The scorecard's metrics: how often things broke and how well we communicated.

Incidents only: maintenance windows are counted per month but never scored,
since they are announced ahead and have no first response, cadence or
postmortem. Every metric is computed once per incident from its
:class:`~generator.core.status.IncidentView`, then summed per month, per component
and per impact, in one pass: linear in the number of incidents.

Definitions (also in docs/report.md):

- *first update*: from ``started`` (or the first update when not given) to
  the first public update (:attr:`IncidentView.first_response`).
- *cadence*: each gap between two consecutive updates while the incident was
  open counts as kept when the later update came by the deadline: the
  ``next_update`` promise when the earlier update made it, else the policy's
  ``update_every`` (``update_every_monitoring`` after a Monitoring update). An
  open incident whose next update is overdue at ``now`` counts one more,
  missed, gap.
- *resolve*: from when it began to the resolving update.
- *postmortem*: for impacts in ``postmortem_for``, ``on time`` when published
  within ``postmortem_within`` of the resolution, ``late`` when published
  after that or still missing past it, ``due`` while the deadline has not
  passed (or the incident is open), else ``not required``.
- *customer impact*: hours from begin to end (or ``now`` while open) ×
  components affected × the impact's weight (minor 1, major 2, critical 3).
"""

from __future__ import annotations

import enum
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from ..core.i18n import _
from ..core.model import CLOSED_STATUSES, Impact, Incident
from ..core.settings import Component, SiteConfig
from ..core.status import IncidentView, next_update_due, policy_due
from ..core.times import format_month

#: Weight of an incident's impact in customer impact (component-hours × weight).
IMPACT_WEIGHT = {Impact.NONE: 0, Impact.MINOR: 1, Impact.MAJOR: 2, Impact.CRITICAL: 3}
#: Impacts scored, least severe first (the order of tables, charts and JSON keys).
SCORED_IMPACTS = (Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)


class PostmortemState(enum.StrEnum):
    """Where an incident's postmortem stands against the policy's deadline."""

    NOT_REQUIRED = "not required"
    ON_TIME = "on time"
    LATE = "late"
    DUE = "due"


@dataclass(frozen=True)
class Cadence:
    """Gaps between updates while open, and how many met their deadline."""

    kept: int = 0
    gaps: int = 0

    @property
    def share(self) -> float | None:
        """The part of the gaps kept, from 0 to 1; ``None`` without gaps."""
        return self.kept / self.gaps if self.gaps else None

    def __add__(self, other: Cadence) -> Cadence:
        return Cadence(self.kept + other.kept, self.gaps + other.gaps)


@dataclass(frozen=True)
class IncidentScore:
    """The scorecard of one incident."""

    view: IncidentView
    month: str  # "2026-11", in the site's time zone
    first_update: timedelta
    cadence: Cadence
    resolve: timedelta | None  # None while open
    lasted: timedelta  # until it ended, or until ``now`` while open
    postmortem: PostmortemState
    postmortem_due: datetime | None
    customer_impact: float  # weighted component-hours

    @property
    def incident(self) -> Incident:
        return self.view.incident


@dataclass(frozen=True)
class Summary:
    """Totals of a group of incidents (a month, or the whole period)."""

    key: str
    label: str
    incidents: int
    maintenance: int
    by_impact: dict[Impact, int]
    first_update_median: timedelta | None
    first_update_mean: timedelta | None
    cadence: Cadence
    resolve_median: timedelta | None
    resolve_mean: timedelta | None
    postmortems: dict[PostmortemState, int]
    customer_impact: float

    @property
    def postmortems_required(self) -> int:
        """How many of the group's incidents needed a postmortem."""
        return sum(n for s, n in self.postmortems.items() if s is not PostmortemState.NOT_REQUIRED)


@dataclass(frozen=True)
class ComponentRow:
    """One component's share of the period's incidents."""

    component: Component
    incidents: int
    affected: timedelta  # summed over its incidents; overlaps count twice
    customer_impact: float


@dataclass(frozen=True)
class ImpactRow:
    """The period's incidents of one impact."""

    impact: Impact
    incidents: int
    resolve_median: timedelta | None
    customer_impact: float


@dataclass(frozen=True)
class Scorecard:
    """The whole scorecard: months and incidents oldest first."""

    site: str
    now: datetime
    since: date | None
    months: tuple[Summary, ...]
    total: Summary
    incidents: tuple[IncidentScore, ...]
    components: tuple[ComponentRow, ...]
    impacts: tuple[ImpactRow, ...]


def build_scorecard(
    config: SiteConfig,
    views: Iterable[IncidentView],
    now: datetime,
    since: date | None = None,
    until: date | None = None,
) -> Scorecard:
    """The scorecard of every incident that began on or after ``since`` and on
    or before ``until`` (site time; months up to today's when ``until`` is None)."""
    tz = config.timezone
    scores: list[IncidentScore] = []
    maintenance: Counter[str] = Counter()
    for view in views:
        began = view.incident.began_at.astimezone(tz)
        if not _within(began.date(), since, until) or view.upcoming:
            continue
        if view.incident.is_maintenance:
            maintenance[began.strftime("%Y-%m")] += 1
        else:
            scores.append(_score_incident(view, config, now))
    scores.sort(key=lambda s: (s.incident.began_at, s.incident.id))
    by_month: dict[str, list[IncidentScore]] = defaultdict(list)
    for item in scores:
        by_month[item.month].append(item)
    keys = _month_keys([*by_month, *maintenance], since, until or now.astimezone(tz).date())
    months = tuple(_summary(k, _short_month_label(k), by_month[k], maintenance[k]) for k in keys)
    total = _summary("total", _("Total"), scores, sum(maintenance.values()))
    return Scorecard(
        site=config.name,
        now=now,
        since=since,
        months=months,
        total=total,
        incidents=tuple(scores),
        components=_by_component(config, scores),
        impacts=_by_impact(scores),
    )


def _score_incident(view: IncidentView, config: SiteConfig, now: datetime) -> IncidentScore:
    """The metrics of one incident (not a maintenance) at ``now``."""
    incident = view.incident
    first = view.first_response
    assert first is not None, "an incident always has a first update"
    state, due = _postmortem(view, config, now)
    lasted = max(timedelta(), (view.ended_at or now) - incident.began_at)
    hours = lasted.total_seconds() / 3600
    return IncidentScore(
        view=view,
        month=incident.began_at.astimezone(config.timezone).strftime("%Y-%m"),
        first_update=first,
        cadence=_cadence(view, config, now),
        resolve=view.duration,
        lasted=lasted,
        postmortem=state,
        postmortem_due=due,
        customer_impact=hours * len(incident.components) * IMPACT_WEIGHT[incident.impact],
    )


def _cadence(view: IncidentView, config: SiteConfig, now: datetime) -> Cadence:
    incident = view.incident
    updates = incident.updates
    promise = incident.next_update
    # Only the latest promise is kept in the file: it belongs to the last update before it.
    promised_by = max((i for i, u in enumerate(updates) if promise and u.at < promise), default=-1)
    kept = gaps = 0
    for index, (earlier, later) in enumerate(pairwise(updates)):
        if earlier.status in CLOSED_STATUSES:
            continue
        gaps += 1
        deadline = promise if index == promised_by and promise else policy_due(earlier, config)
        kept += later.at <= deadline
    due = next_update_due(view, config)
    if due is not None and now > due:
        gaps += 1
    return Cadence(kept, gaps)


def _postmortem(
    view: IncidentView, config: SiteConfig, now: datetime
) -> tuple[PostmortemState, datetime | None]:
    policy = config.policy
    incident = view.incident
    if incident.impact not in policy.postmortem_for:
        return PostmortemState.NOT_REQUIRED, None
    if view.ended_at is None:
        return PostmortemState.DUE, None
    due = view.ended_at + policy.postmortem_within
    published = incident.postmortem.at if incident.postmortem is not None else None
    if published is not None:
        return (PostmortemState.ON_TIME if published <= due else PostmortemState.LATE), due
    return (PostmortemState.DUE if now <= due else PostmortemState.LATE), due


def _summary(key: str, label: str, scores: Sequence[IncidentScore], maintenance: int) -> Summary:
    firsts = [s.first_update for s in scores]
    resolves = [s.resolve for s in scores if s.resolve is not None]
    cadence = sum((s.cadence for s in scores), Cadence())
    impacts = Counter(s.incident.impact for s in scores)
    states = Counter(s.postmortem for s in scores)
    return Summary(
        key=key,
        label=label,
        incidents=len(scores),
        maintenance=maintenance,
        by_impact={i: impacts[i] for i in SCORED_IMPACTS},
        first_update_median=_median(firsts),
        first_update_mean=_mean(firsts),
        cadence=cadence,
        resolve_median=_median(resolves),
        resolve_mean=_mean(resolves),
        postmortems={s: states[s] for s in PostmortemState},
        customer_impact=sum(s.customer_impact for s in scores),
    )


def _by_component(config: SiteConfig, scores: Sequence[IncidentScore]) -> tuple[ComponentRow, ...]:
    counts: Counter[str] = Counter()
    affected: dict[str, timedelta] = defaultdict(timedelta)
    weighted: dict[str, float] = defaultdict(float)
    for item in scores:
        incident = item.incident
        share = item.customer_impact / len(incident.components) if incident.components else 0.0
        for component in incident.components:
            counts[component.id] += 1
            affected[component.id] += item.lasted
            weighted[component.id] += share
    return tuple(
        ComponentRow(c, counts[c.id], affected[c.id], weighted[c.id]) for c in config.components
    )


def _by_impact(scores: Sequence[IncidentScore]) -> tuple[ImpactRow, ...]:
    grouped: dict[Impact, list[IncidentScore]] = {i: [] for i in SCORED_IMPACTS}
    for item in scores:
        grouped[item.incident.impact].append(item)
    return tuple(
        ImpactRow(
            impact,
            len(items),
            _median([s.resolve for s in items if s.resolve is not None]),
            sum(s.customer_impact for s in items),
        )
        for impact, items in grouped.items()
    )


def _median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


def _mean(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.fmean(v.total_seconds() for v in values))


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or since <= day) and (until is None or day <= until)


def _month_keys(seen: Iterable[str], since: date | None, today: date) -> list[str]:
    """Every month from the first one (or ``since``) to ``today``'s, gaps included."""
    keys = sorted(set(seen))
    first = since.strftime("%Y-%m") if since is not None else (keys[0] if keys else None)
    if first is None:
        return []
    last = max(today.strftime("%Y-%m"), keys[-1] if keys else first)
    year, month = int(first[:4]), int(first[5:])
    result = []
    while f"{year:04d}-{month:02d}" <= last:
        result.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def _short_month_label(key: str) -> str:
    """``Nov 2026``: short enough for a table column and a chart axis."""
    return format_month(date.fromisoformat(key + "-01"), short=True)
