"""Groupings of incidents for the pages, each made in one pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from .i18n import _, ngettext, spoken
from .settings import SiteConfig
from .status import IncidentView, SiteStatus
from .times import format_month

RECENT_DAYS = 7
#: Incidents listed on a component's page; every one is on its yearly archive.
COMPONENT_RECENT = 20
#: Months the reliability page covers; earlier ones are on its yearly archives.
RELIABILITY_MONTHS = 12


@dataclass(frozen=True)
class Month:
    key: str  # "2026-11"
    label: str  # "November 2026"
    views: tuple[IncidentView, ...]  # newest first

    def summary(self) -> str:
        """``3 incidents and 1 maintenance window in March 2025``, in the language spoken."""
        from babel.lists import format_list

        windows = sum(view.incident.is_maintenance for view in self.views)
        incidents = len(self.views) - windows
        said = [
            ngettext("{n} incident", "{n} incidents", n).format(n=n) if kind else
            ngettext("{n} maintenance window", "{n} maintenance windows", n).format(n=n)
            for kind, n in ((True, incidents), (False, windows))
            if n
        ]  # fmt: skip
        counts = format_list(said, locale=spoken())
        return _("{counts} in {month}").format(counts=counts, month=self.label)


@dataclass(frozen=True)
class Year:
    year: int
    views: tuple[IncidentView, ...]  # newest first


@dataclass(frozen=True)
class Timeline:
    """What the pages list. Each page lists a bounded part of history (a
    month, a year, the recent past), so no page grows as history does."""

    months: tuple[Month, ...]  # newest first
    by_component: dict[str, tuple[IncidentView, ...]]
    recent_days: tuple[tuple[date, tuple[IncidentView, ...]], ...]  # newest first
    component_years: dict[str, tuple[Year, ...]]  # newest first

    @property
    def first_day(self) -> date | None:
        """The first day of the oldest month with an incident."""
        return date.fromisoformat(self.months[-1].key + "-01") if self.months else None

    @property
    def years(self) -> tuple[int, ...]:
        """Every year with an incident, newest first."""
        return tuple(sorted({int(month.key[:4]) for month in self.months}, reverse=True))

    def recent_for(self, component_id: str) -> tuple[IncidentView, ...]:
        """The component's newest incidents, as its page lists them."""
        return self.by_component[component_id][:COMPONENT_RECENT]


def build_timeline(config: SiteConfig, status: SiteStatus) -> Timeline:
    """Group the (newest-first) incidents by month, by component and by recent day."""
    tz = config.timezone
    months: dict[str, list[IncidentView]] = defaultdict(list)
    components: dict[str, list[IncidentView]] = {c.id: [] for c in config.components}
    days: dict[date, list[IncidentView]] = defaultdict(list)
    today = status.now.astimezone(tz).date()
    oldest_recent = today - timedelta(days=RECENT_DAYS - 1)
    for view in status.views:
        if view.upcoming:
            continue
        began = view.incident.began_at.astimezone(tz)
        months[began.strftime("%Y-%m")].append(view)
        for component in view.incident.components:
            components[component.id].append(view)
        if oldest_recent <= began.date() <= today:
            days[began.date()].append(view)
    return Timeline(
        months=tuple(
            Month(key, _long_month_label(key), tuple(views))
            for key, views in sorted(months.items(), reverse=True)
        ),
        by_component={cid: tuple(views) for cid, views in components.items()},
        component_years={cid: _by_year(views, config) for cid, views in components.items()},
        recent_days=tuple(
            (day, tuple(days.get(day, ())))
            for day in (today - timedelta(days=n) for n in range(RECENT_DAYS))
        ),
    )


def _long_month_label(key: str) -> str:
    return format_month(date.fromisoformat(key + "-01"))


def _by_year(views: list[IncidentView], config: SiteConfig) -> tuple[Year, ...]:
    years: dict[int, list[IncidentView]] = defaultdict(list)
    for view in views:
        years[view.incident.began_at.astimezone(config.timezone).year].append(view)
    return tuple(Year(year, tuple(views)) for year, views in sorted(years.items(), reverse=True))


def reliability_window(today: date, first: date | None) -> date:
    """The first day the reliability page covers: the start of the month
    :data:`RELIABILITY_MONTHS` - 1 months before ``today``'s, or of the
    ``first`` month with an incident if that is later."""
    months = today.year * 12 + today.month - 1 - (RELIABILITY_MONTHS - 1)
    start = date(months // 12, months % 12 + 1, 1)
    return max(start, first) if first is not None else start
