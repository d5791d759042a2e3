"""The scorecard's four tables, built once for every format that shows them.

Text, Markdown and the reliability page show the same rows of the same
cells: per month, per incident, by component and by impact. The JSON output
carries the raw numbers instead (minutes, shares), so it reads
:mod:`.metrics` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from ..core import urls
from ..core.model import Impact
from ..core.settings import SiteConfig
from ..core.times import display_time, format_duration
from .metrics import (
    Cadence,
    ComponentRow,
    ImpactRow,
    IncidentScore,
    PostmortemState,
    Scorecard,
    Summary,
)

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


@dataclass(frozen=True)
class Table:
    """A table of cells; the cell in column ``header`` names its row."""

    caption: str  # on the page, where the scorecard's title is far away
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    links: Sequence[str | None] = ()  # per row: where its name links to
    title: str = ""  # its heading in text and Markdown, under the scorecard's title
    header: int = 0

    @property
    def named_rows(self) -> list[tuple[str, str | None, Sequence[str]]]:
        """Each row as ``(its name, where the name links to, the other cells)``."""
        links = [*self.links, *[None] * (len(self.rows) - len(self.links))]
        h = self.header
        pairs = zip(self.rows, links, strict=True)
        return [(row[h], link, [*row[:h], *row[h + 1 :]]) for row, link in pairs]

    def for_page(self, link: Callable[[str], str]) -> Table:
        """The page's form: the naming column first (it becomes ``<th>``), links made relative.

        ``link`` turns a site path into a URL relative to the page.
        """

        def naming_first(cells: Sequence[str]) -> list[str]:
            h = self.header
            return [cells[h], *cells[:h], *cells[h + 1 :]]

        return replace(
            self,
            columns=naming_first(self.columns),
            rows=[naming_first(row) for row in self.rows],
            links=[None if path is None else link(path) for path in self.links],
            header=0,
        )


def scorecard_tables(card: Scorecard, config: SiteConfig) -> list[Table]:
    """Per month (and the total), per incident, by component, by impact.

    Links are site paths (``incidents/<id>/``), for :meth:`Table.for_page`.
    """
    return [
        Table(
            "Scorecard per month",
            PERIOD_COLUMNS,
            [_period_row(m) for m in card.months] + [_period_row(card.total)],
            title="Per month",
        ),
        Table(
            "Scorecard per incident",
            INCIDENT_COLUMNS,
            [_incident_row(s, config) for s in card.incidents],
            [urls.incident_path(s.incident.id) for s in card.incidents],
            title="Per incident",
            header=INCIDENT_COLUMNS.index("Incident"),
        ),
        Table(
            "By component",
            COMPONENT_COLUMNS,
            [_component_row(r) for r in card.components],
            [urls.component_path(r.component.id) for r in card.components],
            title="By component",
        ),
        Table(
            "By impact", IMPACT_COLUMNS, [_impact_row(r) for r in card.impacts], title="By impact"
        ),
    ]


def heading(card: Scorecard, config: SiteConfig) -> tuple[str, str]:
    """The scorecard's title and what it covers, as two lines of text."""
    months = card.months
    span = f"{months[0].label} to {months[-1].label}" if months else "nothing yet"
    as_of = display_time(card.now, config.timezone)
    return (
        f"Reliability scorecard of {card.site}: {span} (as of {as_of})",
        f"{card.total.incidents} incident(s); {card.total.maintenance} maintenance window(s) "
        f"not scored. Customer impact: hours × components × impact weight "
        f"(minor 1, major 2, critical 3).",
    )


def _period_row(summary: Summary) -> list[str]:
    """A month's (or the total's) cells, in :data:`PERIOD_COLUMNS` order."""
    return [
        summary.label,
        str(summary.incidents),
        *(str(summary.by_impact[i]) for i in (Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)),
        _pair(summary.first_update_median, summary.first_update_mean),
        _share(summary.cadence),
        _pair(summary.resolve_median, summary.resolve_mean),
        _postmortems(summary),
        _impact(summary.customer_impact),
    ]


def _incident_row(item: IncidentScore, config: SiteConfig) -> list[str]:
    """An incident's cells, in :data:`INCIDENT_COLUMNS` order."""
    incident = item.incident
    return [
        display_time(incident.began_at, config.timezone),
        incident.title,
        incident.impact.label,
        show_duration(item.first_update),
        _share(item.cadence),
        show_duration(item.resolve) if item.resolve is not None else "open",
        str(item.postmortem),
        _impact(item.customer_impact),
    ]


def _component_row(row: ComponentRow) -> list[str]:
    """A component's cells, in :data:`COMPONENT_COLUMNS` order."""
    return [
        row.component.name,
        str(row.incidents),
        show_duration(row.affected),
        _impact(row.customer_impact),
    ]


def _impact_row(row: ImpactRow) -> list[str]:
    """An impact's cells, in :data:`IMPACT_COLUMNS` order."""
    return [
        row.impact.label,
        str(row.incidents),
        show_duration(row.resolve_median),
        _impact(row.customer_impact),
    ]


def show_duration(value: timedelta | None) -> str:
    """``1 h 5 min``, or a dash for nothing to measure."""
    return "–" if value is None else format_duration(value)


def _pair(median: timedelta | None, mean: timedelta | None) -> str:
    if median is None:
        return "–"
    return f"{show_duration(median)} / {show_duration(mean)}"


def _share(cadence: Cadence) -> str:
    """``75 % (3/4)``, or a dash without gaps."""
    share = cadence.share
    if share is None:
        return "–"
    return f"{share * 100:.0f} % ({cadence.kept}/{cadence.gaps})"


def _postmortems(summary: Summary) -> str:
    """``2/3; 1 due``: on time of those decided, and how many are still due."""
    states = summary.postmortems
    decided = states[PostmortemState.ON_TIME] + states[PostmortemState.LATE]
    if not summary.postmortems_required:
        return "–"
    due = states[PostmortemState.DUE]
    parts = [f"{states[PostmortemState.ON_TIME]}/{decided}"] if decided else []
    parts += [f"{due} due"] if due else []
    return "; ".join(parts)


def _impact(value: float) -> str:
    """Customer impact to one decimal."""
    return f"{value:.1f}"
