"""The scorecard as text: aligned tables for a terminal, Markdown, and JSON for scripts."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from ..core.i18n import _
from ..core.settings import SiteConfig
from .metrics import IMPACT_WEIGHT, Cadence, IncidentScore, Scorecard, Summary
from .tables import heading, scorecard_tables


def to_text(card: Scorecard, config: SiteConfig) -> str:
    """Aligned tables for a terminal: per month, per incident, by component, by impact."""
    lines = list(heading(card, config))
    for table in scorecard_tables(card, config):
        lines += ["", table.title, *_aligned([list(table.columns), *map(list, table.rows)])]
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
    return bool(cell) and ((cell[0].isdigit() and ":" not in cell) or cell in ("–", _("open")))


def to_markdown(card: Scorecard, config: SiteConfig) -> str:
    """The same tables in Markdown, e.g. for an issue or a monthly review."""
    title, covers = heading(card, config)
    lines = [f"# {title}", "", covers]
    for table in scorecard_tables(card, config):
        columns = table.columns
        lines += ["", f"## {table.title}", "", _md_row(columns), _md_row(["---"] * len(columns))]
        lines += [_md_row(row) for row in table.rows]
    return "\n".join(lines) + "\n"


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def _iso_or_none(value: datetime | None) -> str | None:
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
        "began_at": _iso_or_none(incident.began_at),
        "first_update_at": _iso_or_none(incident.created_at),
        "resolved_at": _iso_or_none(item.view.ended_at),
        "first_update_minutes": _minutes(item.first_update),
        "cadence": _cadence_json(item.cadence),
        "resolve_minutes": _minutes(item.resolve),
        "postmortem": item.postmortem.value,
        "postmortem_due": _iso_or_none(item.postmortem_due),
        "postmortem_at": _iso_or_none(incident.postmortem.at if incident.postmortem else None),
        "customer_impact": round(item.customer_impact, 2),
    }


def to_json(card: Scorecard, config: SiteConfig) -> dict[str, Any]:
    """The scorecard as plain data; its shape is documented in docs/report.md."""
    policy = config.policy
    return {
        "site": card.site,
        "generated_at": card.now.replace(microsecond=0).isoformat(),
        "since": None if card.since is None else card.since.isoformat(),
        "timezone": config.timezone.key,
        "policy": {
            "update_every_minutes": _minutes(policy.update_every),
            "update_every_monitoring_minutes": _minutes(policy.update_every_monitoring),
            "postmortem_within_minutes": _minutes(policy.postmortem_within),
            "postmortem_for": [i.value for i in policy.postmortem_for],
        },
        "impact_weights": {i.value: w for i, w in IMPACT_WEIGHT.items()},
        "total": _summary_json(card.total) | {"month": None},
        "months": [_summary_json(m) for m in card.months],
        "incidents": [_incident_json(s) for s in card.incidents],
        "by_component": [
            {
                "id": r.component.id,
                "name": r.component.name,
                "incidents": r.incidents,
                "affected_minutes": _minutes(r.affected),
                "customer_impact": round(r.customer_impact, 2),
            }
            for r in card.components
        ],
        "by_impact": [
            {
                "impact": r.impact.value,
                "incidents": r.incidents,
                "resolve_minutes_median": _minutes(r.resolve_median),
                "customer_impact": round(r.customer_impact, 2),
            }
            for r in card.impacts
        ],
    }
