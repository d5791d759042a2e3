"""The reliability page's figures: a chart per measure, each with a table of its numbers.

The table under each chart holds the same numbers, so the figure reads
without the picture (and without colour: every impact has a pattern too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from ..core.i18n import _
from ..core.model import Impact
from .charts import Bar, Layer, bar_chart, stacked_chart
from .metrics import SCORED_IMPACTS, Scorecard, Summary
from .tables import Table, percent, show_duration

#: Colour (the site's impact colours) and pattern of each impact in charts.
IMPACT_LOOK = {
    Impact.NONE: ("#1b6b2f", "solid"),
    Impact.MINOR: ("#7a5200", "dots"),
    Impact.MAJOR: ("#a33d00", "hatch"),
    Impact.CRITICAL: ("#b00020", "cross"),
}


@dataclass(frozen=True)
class Figure:
    """A chart and the table that holds its numbers."""

    key: str
    heading: str
    svg: str
    table: Table


def page_figures(card: Scorecard) -> list[Figure]:
    """The charts of the reliability page, oldest month first."""
    months = card.months
    return [
        _incidents_figure(card),
        _first_update_figure(months),
        _cadence_figure(months),
        _resolve_figure(months),
    ]


def _incidents_figure(card: Scorecard) -> Figure:
    months = card.months
    layers = [
        Layer(i.value, i.label, [m.by_impact[i] for m in months], *IMPACT_LOOK[i])
        for i in SCORED_IMPACTS
        if card.total.by_impact[i]
    ]
    svg = stacked_chart(
        "sp-chart-incidents",
        _("Incidents per month, by impact"),
        _(
            "Stacked bars, one per month; each part is labelled with its count and the total "
            "is written above the bar. The table below holds the same numbers."
        ),
        [m.label for m in months],
        layers,
    )
    columns = [_("Month"), *(layer.name for layer in layers), _("Total")]
    rows = [
        [m.label, *(str(m.by_impact[Impact(layer.key)]) for layer in layers), str(m.incidents)]
        for m in months
    ]
    return Figure(
        "incidents",
        _("Incidents per month"),
        svg,
        Table(_("Incidents per month, by impact"), columns, rows),
    )


def _first_update_figure(months: Sequence[Summary]) -> Figure:
    bars = [_duration_bar(m.label, m.first_update_median) for m in months]
    svg = bar_chart(
        "sp-chart-first-update",
        _("Time to first public update per month (median)"),
        _(
            "One bar per month, its median written above it; months without incidents have no "
            "bar and show a dash. The table below holds the same numbers with the mean."
        ),
        bars,
    )
    rows = [
        [m.label, str(m.incidents), bar.text, show_duration(m.first_update_mean)]
        for m, bar in zip(months, bars, strict=True)
    ]
    table = Table(
        _("Time to first public update per month"),
        [_("Month"), _("Incidents"), _("Median"), _("Mean")],
        rows,
    )
    return Figure("first-update", _("Time to first update"), svg, table)


def _cadence_figure(months: Sequence[Summary]) -> Figure:
    bars = [
        Bar(
            m.label,
            None if m.cadence.share is None else m.cadence.share * 100,
            "–" if m.cadence.share is None else percent(m.cadence.share),
        )
        for m in months
    ]
    svg = bar_chart(
        "sp-chart-cadence",
        _("Updates on cadence per month"),
        _(
            "One bar per month: the share of gaps between updates that kept the promised or "
            "policy cadence, from 0 to 100 %, written above the bar; a dash where there were no "
            "gaps. The table below holds the same numbers."
        ),
        bars,
        top=100,
    )
    rows = [
        [m.label, str(m.cadence.kept), str(m.cadence.gaps), bar.text]
        for m, bar in zip(months, bars, strict=True)
    ]
    table = Table(
        _("Updates on cadence per month"), [_("Month"), _("Kept"), _("Gaps"), _("Share")], rows
    )
    return Figure("cadence", _("Updates on cadence"), svg, table)


def _resolve_figure(months: Sequence[Summary]) -> Figure:
    bars = [_duration_bar(m.label, m.resolve_median) for m in months]
    svg = bar_chart(
        "sp-chart-resolve",
        _("Time to resolve per month (median)"),
        _(
            "One bar per month, its median written above it; a dash where nothing was resolved. "
            "The table below holds the same numbers with the mean."
        ),
        bars,
    )
    rows = [
        [m.label, bar.text, show_duration(m.resolve_mean)]
        for m, bar in zip(months, bars, strict=True)
    ]
    table = Table(_("Time to resolve per month"), [_("Month"), _("Median"), _("Mean")], rows)
    return Figure("resolve", _("Time to resolve"), svg, table)


def _duration_bar(label: str, value: timedelta | None) -> Bar:
    minutes = None if value is None else value.total_seconds() / 60
    return Bar(label, minutes, show_duration(value))
