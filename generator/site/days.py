"""What the home page shows: the components by group, the 90-day bars, the last 7 days.

Computed from the site status in one pass per incident, so templates only lay
it out. Everything is in the site's time zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..core.events import Event, incident_events, text_body
from ..core.model import ComponentStatus, UpdateStatus
from ..core.settings import Component, SiteConfig
from ..core.status import IncidentView, SiteStatus

#: Incidents a day lists on the home page; the rest are a link to its month.
SHOWN_PER_DAY = 5
#: Open incidents shown as full cards on the home page; the rest are listed
#: with a link each, so the page's weight does not grow with an outage's size.
ACTIVE_CARDS = 10
#: How much of the latest update the last-7-days list quotes.
QUOTE_CHARS = 280


def component_groups(
    config: SiteConfig, status: SiteStatus
) -> list[tuple[str | None, list[Component], ComponentStatus | None]]:
    """Components by group, with the group's worst status (None: all operational)."""
    groups: dict[str | None, list[Component]] = {}
    for component in config.components:
        groups.setdefault(component.group, []).append(component)
    found = []
    for group, members in groups.items():
        worst = max((status.components[c.id].status for c in members), key=_rank)
        affected = worst is not ComponentStatus.OPERATIONAL
        found.append((group, members, worst if affected else None))
    return found


def _rank(status: ComponentStatus) -> int:
    return status.rank


@dataclass(frozen=True)
class Day:
    """One day of one component's bar."""

    day: date
    status: ComponentStatus
    minutes: int  # minutes affected by an incident or maintenance that day
    views: tuple[IncidentView, ...]  # the incidents that touched it, newest first


@dataclass(frozen=True)
class RecentDay:
    """A day of the last week with incidents, or a run of quiet days (``last`` set)."""

    day: date
    views: tuple[IncidentView, ...] = ()
    last: date | None = None  # a quiet run: from ``day`` (oldest) to ``last`` (newest)


def component_days(status: SiteStatus, tz: ZoneInfo) -> dict[str, tuple[Day, ...]]:
    """Each component's days (oldest first), with minutes of impact and incidents."""
    spans: dict[tuple[str, date], list[tuple[datetime, datetime]]] = defaultdict(list)
    touched: dict[tuple[str, date], list[IncidentView]] = defaultdict(list)
    first = min((d for state in status.components.values() for d, _ in state.days), default=None)
    if first is None:
        return {cid: () for cid in status.components}
    window_start = datetime.combine(first, time(), tz)
    for view in status.views:
        begin = max(view.incident.began_at, window_start)
        end = min(view.ended_at or status.now, status.now)
        if view.upcoming or end <= begin:
            continue
        for component in view.incident.components:
            for day, left, right in _day_slices(begin, end, tz):
                spans[component.id, day].append((left, right))
                touched[component.id, day].append(view)
    return {
        cid: tuple(
            Day(day, worst, _minutes(spans.get((cid, day), [])), tuple(touched.get((cid, day), ())))
            for day, worst in state.days
        )
        for cid, state in status.components.items()
    }


def _day_slices(
    begin: datetime, end: datetime, tz: ZoneInfo
) -> Iterable[tuple[date, datetime, datetime]]:
    """``(day, start, end)`` of the part of ``begin``–``end`` in each local day."""
    day = begin.astimezone(tz).date()
    while True:
        next_midnight = datetime.combine(day + timedelta(days=1), time(), tz)
        yield day, max(begin, datetime.combine(day, time(), tz)), min(end, next_midnight)
        if end <= next_midnight:
            return
        day += timedelta(days=1)


def _minutes(spans: list[tuple[datetime, datetime]]) -> int:
    """Minutes covered by ``spans``, overlaps counted once."""
    total, reach = timedelta(), None
    for left, right in sorted(spans):
        if reach is not None and left < reach:
            left = reach
        if right > left:
            total += right - left
            reach = right
    return round(total.total_seconds() / 60)


def recent_days(days: Iterable[tuple[date, tuple[IncidentView, ...]]]) -> list[RecentDay]:
    """The last days (newest first), consecutive days without incidents as one run."""
    found: list[RecentDay] = []
    for day, views in days:
        previous = found[-1] if found else None
        if views:
            found.append(RecentDay(day, views))
        elif previous is not None and not previous.views:
            found[-1] = RecentDay(day, last=previous.last)  # the run reaches further back
        else:
            found.append(RecentDay(day, last=day))
    return found


def timeline(view: IncidentView, tz: ZoneInfo, now: datetime) -> list[Event]:
    """What the incident's readers were told, newest first, as feeds and API say it
    (a maintenance window's start included); the postmortem is shown apart."""
    events = incident_events(view, tz, now)
    return [e for e in reversed(events) if e.status is not UpdateStatus.POSTMORTEM]


def quote(markdown: str) -> str:
    """The start of an update as plain text, cut at a word."""
    text = " ".join(text_body(markdown).split())
    if len(text) <= QUOTE_CHARS:
        return text
    return text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
