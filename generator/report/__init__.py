"""The reliability scorecard: how often things broke and how well we communicated.

Incidents only: maintenance windows are counted per month but never scored,
since they are announced ahead and have no first response, cadence or
postmortem. Every metric is computed once per incident from its
:class:`~generator.status.IncidentView`, then summed per month, per component
and per impact, in one pass: linear in the number of incidents.

Definitions (also in the README's ``report`` section):

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
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from ..core import urls
from ..core.model import CLOSED_STATUSES, Component, Impact, Incident, SiteConfig
from ..core.status import IncidentView, next_update_due, policy_due
from ..core.times import format_duration, format_time
from .charts import Bar, Layer, bar_chart, stacked_chart

#: Weight of an incident's impact in customer impact (component-hours × weight).
IMPACT_WEIGHT = {Impact.NONE: 0, Impact.MINOR: 1, Impact.MAJOR: 2, Impact.CRITICAL: 3}
#: Impacts scored, least severe first (the order of tables, charts and JSON keys).
SCORED_IMPACTS = (Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)


class PostmortemState(enum.StrEnum):
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
        return sum(n for s, n in self.postmortems.items() if s is not PostmortemState.NOT_REQUIRED)


@dataclass(frozen=True)
class ComponentRow:
    component: Component
    incidents: int
    affected: timedelta  # summed over its incidents; overlaps count twice
    customer_impact: float


@dataclass(frozen=True)
class ImpactRow:
    impact: Impact
    incidents: int
    resolve_median: timedelta | None
    customer_impact: float


@dataclass(frozen=True)
class Report:
    """The whole scorecard: months and incidents oldest first."""

    site: str
    now: datetime
    since: date | None
    months: tuple[Summary, ...]
    total: Summary
    incidents: tuple[IncidentScore, ...]
    components: tuple[ComponentRow, ...]
    impacts: tuple[ImpactRow, ...]


def build_report(
    config: SiteConfig,
    views: Iterable[IncidentView],
    now: datetime,
    since: date | None = None,
) -> Report:
    """The scorecard of every incident that began on or after ``since`` (site time)."""
    tz = config.timezone
    scores: list[IncidentScore] = []
    maintenance: Counter[str] = Counter()
    for view in views:
        began = view.incident.began_at.astimezone(tz)
        if (since is not None and began.date() < since) or view.upcoming:
            continue
        if view.incident.is_maintenance:
            maintenance[began.strftime("%Y-%m")] += 1
        else:
            scores.append(score_incident(view, config, now))
    scores.sort(key=lambda s: (s.incident.began_at, s.incident.id))
    by_month: dict[str, list[IncidentScore]] = defaultdict(list)
    for item in scores:
        by_month[item.month].append(item)
    keys = _month_keys([*by_month, *maintenance], since, now.astimezone(tz).date())
    months = tuple(_summary(k, _month_label(k), by_month[k], maintenance[k]) for k in keys)
    total = _summary("total", "Total", scores, sum(maintenance.values()))
    return Report(
        site=config.name,
        now=now,
        since=since,
        months=months,
        total=total,
        incidents=tuple(scores),
        components=_by_component(config, scores),
        impacts=_by_impact(scores),
    )


def score_incident(view: IncidentView, config: SiteConfig, now: datetime) -> IncidentScore:
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


def _month_keys(seen: Iterable[str], since: date | None, today: date) -> list[str]:
    """Every month from the first one (or ``since``) to today's, gaps included."""
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


def _month_label(key: str) -> str:
    return date.fromisoformat(key + "-01").strftime("%b %Y")


# Output: JSON, text and Markdown share the same rows.

PERIOD_COLUMNS = (
    "Month",
    "Incidents",
    "Minor",
    "Major",
    "Critical",
    "First update (median / mean)",
    "Cadence kept",
    "Resolve (median / mean)",
    "Postmortems on time",
    "Customer impact",
)
INCIDENT_COLUMNS = (
    "Began",
    "Incident",
    "Impact",
    "First update",
    "Cadence kept",
    "Resolved in",
    "Postmortem",
    "Customer impact",
)
COMPONENT_COLUMNS = ("Component", "Incidents", "Time affected", "Customer impact")
IMPACT_COLUMNS = ("Impact", "Incidents", "Resolve (median)", "Customer impact")


def show_duration(value: timedelta | None) -> str:
    return "–" if value is None else format_duration(value)


def _pair(median: timedelta | None, mean: timedelta | None) -> str:
    if median is None:
        return "–"
    return f"{show_duration(median)} / {show_duration(mean)}"


def show_share(cadence: Cadence) -> str:
    share = cadence.share
    if share is None:
        return "–"
    return f"{share * 100:.0f} % ({cadence.kept}/{cadence.gaps})"


def show_postmortems(summary: Summary) -> str:
    states = summary.postmortems
    decided = states[PostmortemState.ON_TIME] + states[PostmortemState.LATE]
    if not summary.postmortems_required:
        return "–"
    due = states[PostmortemState.DUE]
    parts = [f"{states[PostmortemState.ON_TIME]}/{decided}"] if decided else []
    parts += [f"{due} due"] if due else []
    return "; ".join(parts)


def show_impact(value: float) -> str:
    return f"{value:.1f}"


def period_row(summary: Summary) -> list[str]:
    return [
        summary.label,
        str(summary.incidents),
        *(str(summary.by_impact[i]) for i in (Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)),
        _pair(summary.first_update_median, summary.first_update_mean),
        show_share(summary.cadence),
        _pair(summary.resolve_median, summary.resolve_mean),
        show_postmortems(summary),
        show_impact(summary.customer_impact),
    ]


def incident_row(item: IncidentScore, config: SiteConfig) -> list[str]:
    incident = item.incident
    return [
        format_time(incident.began_at, config.timezone),
        incident.title,
        incident.impact.label,
        show_duration(item.first_update),
        show_share(item.cadence),
        show_duration(item.resolve) if item.resolve is not None else "open",
        str(item.postmortem),
        show_impact(item.customer_impact),
    ]


def component_row(row: ComponentRow) -> list[str]:
    return [
        row.component.name,
        str(row.incidents),
        show_duration(row.affected),
        show_impact(row.customer_impact),
    ]


def impact_row(row: ImpactRow) -> list[str]:
    return [
        row.impact.label,
        str(row.incidents),
        show_duration(row.resolve_median),
        show_impact(row.customer_impact),
    ]


def _sections(
    report: Report, config: SiteConfig
) -> list[tuple[str, Sequence[str], list[list[str]]]]:
    return [
        (
            "Per month",
            PERIOD_COLUMNS,
            [period_row(m) for m in report.months] + [period_row(report.total)],
        ),
        ("Per incident", INCIDENT_COLUMNS, [incident_row(s, config) for s in report.incidents]),
        ("By component", COMPONENT_COLUMNS, [component_row(r) for r in report.components]),
        ("By impact", IMPACT_COLUMNS, [impact_row(r) for r in report.impacts]),
    ]


def heading(report: Report, config: SiteConfig) -> list[str]:
    """The scorecard's title and what it covers, as lines of text."""
    span = (
        f"{report.months[0].label} to {report.months[-1].label}" if report.months else "nothing yet"
    )
    maintenance = report.total.maintenance
    return [
        f"Reliability scorecard of {report.site}: {span} (as of "
        f"{format_time(report.now.replace(second=0, microsecond=0), config.timezone)})",
        f"{report.total.incidents} incident(s); {maintenance} maintenance window(s) not scored. "
        f"Customer impact: hours × components × impact weight "
        f"(minor 1, major 2, critical 3).",
    ]


def to_text(report: Report, config: SiteConfig) -> str:
    """Aligned tables for a terminal: per month, per incident, by component, by impact."""
    lines = heading(report, config)
    for title, columns, rows in _sections(report, config):
        lines += ["", title, *_aligned([list(columns), *rows])]
    return "\n".join(lines) + "\n"


def _aligned(rows: list[list[str]]) -> list[str]:
    """Columns padded to their width on screen; numbers (all body cells) to the right."""
    columns = list(zip(*rows, strict=True))
    widths = [max(_width(cell) for cell in column) for column in columns]
    right = [all(_numeric(cell) for cell in column[1:]) for column in columns]
    lines = []
    for row in rows:
        cells = [
            _pad(cell, width, at_left=flush)
            for cell, width, flush in zip(row, widths, right, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _width(text: str) -> int:
    """Columns on a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, at_left: bool) -> str:
    padding = " " * (width - _width(text))
    return padding + text if at_left else text + padding


def _numeric(cell: str) -> bool:
    return bool(cell) and ((cell[0].isdigit() and ":" not in cell) or cell in ("–", "open"))


def to_markdown(report: Report, config: SiteConfig) -> str:
    """The same tables in Markdown, e.g. for an issue or a monthly review."""
    title, covers = heading(report, config)
    lines = [f"# {title}", "", covers]
    for name, columns, rows in _sections(report, config):
        lines += ["", f"## {name}", "", _md_row(columns), _md_row(["---"] * len(columns))]
        lines += [_md_row(row) for row in rows]
    return "\n".join(lines) + "\n"


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _cadence_json(cadence: Cadence) -> dict[str, Any]:
    share = cadence.share
    return {
        "kept": cadence.kept,
        "gaps": cadence.gaps,
        "share": None if share is None else round(share, 4),
    }


def _summary_json(summary: Summary) -> dict[str, Any]:
    return {
        "month": summary.key,
        "incidents": summary.incidents,
        "maintenance": summary.maintenance,
        "by_impact": {i.value: n for i, n in summary.by_impact.items()},
        "first_update_minutes": {
            "median": _minutes(summary.first_update_median),
            "mean": _minutes(summary.first_update_mean),
        },
        "cadence": _cadence_json(summary.cadence),
        "resolve_minutes": {
            "median": _minutes(summary.resolve_median),
            "mean": _minutes(summary.resolve_mean),
        },
        "postmortems": {s.value: n for s, n in summary.postmortems.items()},
        "customer_impact": round(summary.customer_impact, 2),
    }


def _incident_json(item: IncidentScore) -> dict[str, Any]:
    incident = item.incident
    return {
        "id": incident.id,
        "title": incident.title,
        "month": item.month,
        "impact": incident.impact.value,
        "components": [component.id for component in incident.components],
        "began_at": _iso(incident.began_at),
        "first_update_at": _iso(incident.created_at),
        "resolved_at": _iso(item.view.ended_at),
        "first_update_minutes": _minutes(item.first_update),
        "cadence": _cadence_json(item.cadence),
        "resolve_minutes": _minutes(item.resolve),
        "postmortem": item.postmortem.value,
        "postmortem_due": _iso(item.postmortem_due),
        "postmortem_at": _iso(incident.postmortem.at if incident.postmortem else None),
        "customer_impact": round(item.customer_impact, 2),
    }


def to_json(report: Report, config: SiteConfig) -> dict[str, Any]:
    """The scorecard as plain data; its shape is documented in the README."""
    policy = config.policy
    return {
        "site": report.site,
        "generated_at": report.now.replace(microsecond=0).isoformat(),
        "since": None if report.since is None else report.since.isoformat(),
        "timezone": config.timezone.key,
        "policy": {
            "update_every_minutes": _minutes(policy.update_every),
            "update_every_monitoring_minutes": _minutes(policy.update_every_monitoring),
            "postmortem_within_minutes": _minutes(policy.postmortem_within),
            "postmortem_for": [i.value for i in policy.postmortem_for],
        },
        "impact_weights": {i.value: w for i, w in IMPACT_WEIGHT.items()},
        "total": _summary_json(report.total) | {"month": None},
        "months": [_summary_json(m) for m in report.months],
        "incidents": [_incident_json(s) for s in report.incidents],
        "by_component": [
            {
                "id": r.component.id,
                "name": r.component.name,
                "incidents": r.incidents,
                "affected_minutes": _minutes(r.affected),
                "customer_impact": round(r.customer_impact, 2),
            }
            for r in report.components
        ],
        "by_impact": [
            {
                "impact": r.impact.value,
                "incidents": r.incidents,
                "resolve_minutes_median": _minutes(r.resolve_median),
                "customer_impact": round(r.customer_impact, 2),
            }
            for r in report.impacts
        ],
    }


# The reliability page: charts, each with a table of the same numbers.

#: Colour (the site's impact colours) and pattern of each impact in charts.
IMPACT_LOOK = {
    Impact.NONE: ("#1b6b2f", "solid"),
    Impact.MINOR: ("#7a5200", "dots"),
    Impact.MAJOR: ("#a33d00", "hatch"),
    Impact.CRITICAL: ("#b00020", "cross"),
}


@dataclass(frozen=True)
class Table:
    """A table of the page; the first cell of each row is its header."""

    caption: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    links: Sequence[str | None] = ()  # per row: where its header links to


@dataclass(frozen=True)
class Figure:
    """A chart and the table that holds its numbers."""

    key: str
    heading: str
    svg: str
    table: Table


def page_figures(report: Report) -> list[Figure]:
    """The charts of the reliability page, oldest month first."""
    months = report.months
    return [
        _incidents_figure(report),
        _first_update_figure(months),
        _cadence_figure(months),
        _resolve_figure(months),
    ]


def _incidents_figure(report: Report) -> Figure:
    months = report.months
    layers = [
        Layer(i.value, i.label, [m.by_impact[i] for m in months], *IMPACT_LOOK[i])
        for i in SCORED_IMPACTS
        if report.total.by_impact[i]
    ]
    svg = stacked_chart(
        "sp-chart-incidents",
        "Incidents per month, by impact",
        "Stacked bars, one per month; each part is labelled with its count and the total "
        "is written above the bar. The table below holds the same numbers.",
        [m.label for m in months],
        layers,
    )
    columns = ["Month", *(layer.name for layer in layers), "Total"]
    rows = [
        [m.label, *(str(m.by_impact[Impact(layer.key)]) for layer in layers), str(m.incidents)]
        for m in months
    ]
    return Figure(
        "incidents",
        "Incidents per month",
        svg,
        Table("Incidents per month, by impact", columns, rows),
    )


def _first_update_figure(months: Sequence[Summary]) -> Figure:
    bars = [_duration_bar(m.label, m.first_update_median) for m in months]
    svg = bar_chart(
        "sp-chart-first-update",
        "Time to first public update per month (median)",
        "One bar per month, its median written above it; months without incidents have no "
        "bar and show a dash. The table below holds the same numbers with the mean.",
        bars,
    )
    rows = [
        [m.label, str(m.incidents), bar.text, show_duration(m.first_update_mean)]
        for m, bar in zip(months, bars, strict=True)
    ]
    table = Table(
        "Time to first public update per month",
        ["Month", "Incidents", "Median", "Mean"],
        rows,
    )
    return Figure("first-update", "Time to first update", svg, table)


def _cadence_figure(months: Sequence[Summary]) -> Figure:
    bars = [
        Bar(
            m.label,
            None if m.cadence.share is None else m.cadence.share * 100,
            "–" if m.cadence.share is None else f"{m.cadence.share * 100:.0f} %",
        )
        for m in months
    ]
    svg = bar_chart(
        "sp-chart-cadence",
        "Updates on cadence per month",
        "One bar per month: the share of gaps between updates that kept the promised or "
        "policy cadence, from 0 to 100 %, written above the bar; a dash where there were no "
        "gaps. The table below holds the same numbers.",
        bars,
        top=100,
    )
    rows = [
        [m.label, str(m.cadence.kept), str(m.cadence.gaps), bar.text]
        for m, bar in zip(months, bars, strict=True)
    ]
    table = Table("Updates on cadence per month", ["Month", "Kept", "Gaps", "Share"], rows)
    return Figure("cadence", "Updates on cadence", svg, table)


def _resolve_figure(months: Sequence[Summary]) -> Figure:
    bars = [_duration_bar(m.label, m.resolve_median) for m in months]
    svg = bar_chart(
        "sp-chart-resolve",
        "Time to resolve per month (median)",
        "One bar per month, its median written above it; a dash where nothing was resolved. "
        "The table below holds the same numbers with the mean.",
        bars,
    )
    rows = [
        [m.label, bar.text, show_duration(m.resolve_mean)]
        for m, bar in zip(months, bars, strict=True)
    ]
    table = Table("Time to resolve per month", ["Month", "Median", "Mean"], rows)
    return Figure("resolve", "Time to resolve", svg, table)


def _duration_bar(label: str, value: timedelta | None) -> Bar:
    minutes = None if value is None else value.total_seconds() / 60
    return Bar(label, minutes, show_duration(value))


def page_tables(report: Report, config: SiteConfig, link: Callable[[str], str]) -> list[Table]:
    """The scorecard's tables: per month, per incident, by component, by impact."""
    incidents = [incident_row(s, config) for s in report.incidents]
    return [
        Table(
            "Scorecard per month",
            PERIOD_COLUMNS,
            [period_row(m) for m in report.months] + [period_row(report.total)],
        ),
        Table(
            "Scorecard per incident",
            [INCIDENT_COLUMNS[1], INCIDENT_COLUMNS[0], *INCIDENT_COLUMNS[2:]],
            [[row[1], row[0], *row[2:]] for row in incidents],
            [link(urls.incident_path(s.incident.id)) for s in report.incidents],
        ),
        Table(
            "By component",
            COMPONENT_COLUMNS,
            [component_row(r) for r in report.components],
            [link(urls.component_path(r.component.id)) for r in report.components],
        ),
        Table("By impact", IMPACT_COLUMNS, [impact_row(r) for r in report.impacts]),
    ]
