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
from ..core.i18n import N_, SOURCE, _, ngettext, spoken
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

#: Column headings (message ids, translated where a table is made).
PERIOD_COLUMNS = (
    N_("Month"),
    N_("Incidents"),
    N_("Minor"),
    N_("Major"),
    N_("Critical"),
    N_("First update (median / mean)"),
    N_("Cadence kept"),
    N_("Resolve (median / mean)"),
    N_("Postmortems on time"),
    N_("Customer impact"),
)
INCIDENT_COLUMNS = (
    N_("Began"),
    N_("Incident"),
    N_("Impact"),
    N_("First update"),
    N_("Cadence kept"),
    N_("Resolved in"),
    N_("Postmortem"),
    N_("Customer impact"),
)
COMPONENT_COLUMNS = (N_("Component"), N_("Incidents"), N_("Time affected"), N_("Customer impact"))
IMPACT_COLUMNS = (N_("Impact"), N_("Incidents"), N_("Resolve (median)"), N_("Customer impact"))
#: How each postmortem state reads in a table cell.
POSTMORTEM_CELL = {
    PostmortemState.NOT_REQUIRED: N_("not required"),
    PostmortemState.ON_TIME: N_("on time"),
    PostmortemState.LATE: N_("late"),
    PostmortemState.DUE: N_("due"),
}


def _columns(names: Sequence[str]) -> list[str]:
    return [_(name) for name in names]


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
            _("Scorecard per month"),
            _columns(PERIOD_COLUMNS),
            [_period_row(m) for m in card.months] + [_period_row(card.total)],
            title=_("Per month"),
        ),
        Table(
            _("Scorecard per incident"),
            _columns(INCIDENT_COLUMNS),
            [_incident_row(s, config) for s in card.incidents],
            [urls.incident_path(s.incident.id) for s in card.incidents],
            title=_("Per incident"),
            header=INCIDENT_COLUMNS.index("Incident"),
        ),
        Table(
            _("By component"),
            _columns(COMPONENT_COLUMNS),
            [_component_row(r) for r in card.components],
            [urls.component_path(r.component.id) for r in card.components],
            title=_("By component"),
        ),
        Table(
            _("By impact"),
            _columns(IMPACT_COLUMNS),
            [_impact_row(r) for r in card.impacts],
            title=_("By impact"),
        ),
    ]


def heading(card: Scorecard, config: SiteConfig) -> tuple[str, str]:
    """The scorecard's title and what it covers, as two lines of text."""
    months = card.months
    span = (
        _("{first} to {last}").format(first=months[0].label, last=months[-1].label)
        if months
        else _("nothing yet")
    )
    as_of = display_time(card.now, config.timezone)
    total = card.total
    counted = ngettext("{n} incident", "{n} incidents", total.incidents).format(n=total.incidents)
    windows = ngettext(
        "{n} maintenance window not scored.",
        "{n} maintenance windows not scored.",
        total.maintenance,
    ).format(n=total.maintenance)
    return (
        _("Reliability scorecard of {site}: {span} (as of {time})").format(
            site=card.site, span=span, time=as_of
        ),
        _(
            "{incidents}; {windows} Customer impact: hours × components × impact weight "
            "(minor 1, major 2, critical 3)."
        ).format(incidents=counted, windows=windows),
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
        show_duration(item.resolve) if item.resolve is not None else _("open"),
        _(POSTMORTEM_CELL[item.postmortem]),
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
    return f"{percent(share)} ({cadence.kept}/{cadence.gaps})"


def _postmortems(summary: Summary) -> str:
    """``2/3; 1 due``: on time of those decided, and how many are still due."""
    states = summary.postmortems
    decided = states[PostmortemState.ON_TIME] + states[PostmortemState.LATE]
    if not summary.postmortems_required:
        return "–"
    due = states[PostmortemState.DUE]
    parts = [f"{states[PostmortemState.ON_TIME]}/{decided}"] if decided else []
    parts += [ngettext("{n} due", "{n} due", due).format(n=due)] if due else []
    # NOTE: the separator of "2/3; 1 due" in a table cell.
    return _("; ").join(parts)


def percent(share: float, digits: int = 0) -> str:
    """``75 %``: a share as the language spoken writes a percentage."""
    if spoken() == SOURCE:
        return f"{share * 100:.{digits}f} %"
    from babel import Locale
    from babel.numbers import format_percent

    pattern = Locale.parse(spoken()).percent_formats[None].pattern
    if digits:  # the locale's own pattern (``#,##0 %``), with decimals
        pattern = pattern.replace("0", "0." + "0" * digits, 1)
    return format_percent(share, pattern, locale=spoken())


def _impact(value: float) -> str:
    """Customer impact to one decimal."""
    return f"{value:.1f}"
