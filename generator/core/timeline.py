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
class Timeline:
    months: tuple[Month, ...]  # newest first
    by_component: dict[str, tuple[IncidentView, ...]]
    recent_days: tuple[tuple[date, tuple[IncidentView, ...]], ...]  # newest first


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
        recent_days=tuple(
            (day, tuple(days.get(day, ())))
            for day in (today - timedelta(days=n) for n in range(RECENT_DAYS))
        ),
    )


def _long_month_label(key: str) -> str:
    return format_month(date.fromisoformat(key + "-01"))
