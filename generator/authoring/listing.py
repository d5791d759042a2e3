"""What is open now: the rows of ``statuspage list``, and the note after an update.

Each row says what a person on call needs to act: the id to type, the status,
the last update and the next one customers expect (promised with ``--next``,
or the policy's cadence), and whether that time has passed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ..core.errors import Problem, display_path
from ..core.loader import FUTURE_TOLERANCE, load_file, load_incidents
from ..core.model import Incident
from ..core.settings import SiteConfig
from ..core.status import (
    IncidentView,
    NextUpdate,
    closed_at,
    compute_status,
    effective_status,
    next_update,
)
from ..core.times import display_time, explained_time, format_duration
from .edit import Workspace

#: The version of ``list --format json``; it changes only when a key changes meaning.
JSON_VERSION = 1


@dataclass(frozen=True)
class Row:
    """One incident or maintenance as ``list`` shows it."""

    view: IncidentView
    next: NextUpdate | None
    path: str


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    #: Files with errors, left out of the rows: ``lint`` says what is wrong.
    broken: list[str]
    now: datetime
    config: SiteConfig
    #: Files with updates dated after ``now``, each with whether it is listed (as
    #: it stood at ``now``) or left out (not posted yet).
    later: list[tuple[str, bool]] = field(default_factory=list)


def listing(ws: Workspace, now: datetime, *, everything: bool = False) -> Listing:
    """Open incidents, then maintenance in progress, then upcoming maintenance
    (soonest first); with ``everything``, every incident, newest first.

    Each is shown as it stood at ``now``: updates dated later are left out (and
    their files named), so ``--now`` shows what was open at that time.
    """
    loaded = load_incidents(ws.config, ws.root)
    then = [(i, as_of(i, now)) for i in loaded.incidents]
    later = sorted(
        (display_path(i.path, ws.root), old is not None) for i, old in then if old is not i
    )
    incidents = [old for _, old in then if old is not None]
    views = compute_status(ws.config, incidents, now).views
    if not everything:
        views = (
            tuple(v for v in views if v.active and not v.incident.is_maintenance)
            + tuple(v for v in views if v.active and v.incident.is_maintenance)
            + tuple(sorted((v for v in views if v.upcoming), key=_soonest))
        )
    rows = [
        Row(v, next_update(v, ws.config, now), display_path(v.incident.path, ws.root))
        for v in views
    ]
    return Listing(rows, _broken(loaded.errors), now, ws.config, later)


def later_notes(found: Listing) -> list[str]:
    """What ``list`` says on standard error about files with updates after its time."""
    when = explained_time(found.now.replace(microsecond=0), found.config.timezone)
    return [
        f"note: {path} has updates dated after {when}; "
        + ("listed as it stood then" if listed else "not listed: nothing was posted by then")
        for path, listed in found.later
    ]


def as_of(incident: Incident, now: datetime) -> Incident | None:
    """``incident`` as it stood at ``now``: without the updates dated after it
    (beyond the loader's tolerance for clock skew); None if not yet posted."""
    limit = now + FUTURE_TOLERANCE
    updates = tuple(u for u in incident.updates if u.at <= limit)
    postmortem = incident.postmortem
    if postmortem is not None and postmortem.at > limit:
        postmortem = None
    if updates == incident.updates and postmortem is incident.postmortem:
        return incident
    if not updates:
        return None  # a maintenance not yet announced, an incident not yet posted
    return replace(incident, updates=updates, postmortem=postmortem)


def _soonest(view: IncidentView) -> tuple[datetime, str]:
    return view.incident.began_at, view.incident.id


def _broken(errors: list[Problem]) -> list[str]:
    return sorted({p.path for p in errors})


def as_text(found: Listing) -> str:
    """An aligned table, the title last so that long titles keep the columns straight."""
    tz = found.config.timezone
    head = f"At {explained_time(found.now.replace(second=0, microsecond=0), tz)}"
    if not found.rows:
        return f"{head}: no open incidents and no upcoming maintenance.\n"
    table = [("ID", "STATUS", "LAST UPDATE", "NEXT UPDATE", "TITLE")]
    table += [_cells(row, found) for row in found.rows]
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    lines = [head + ":"]
    for cells in table:
        lines.append(
            "  ".join([*(c.ljust(w) for c, w in zip(cells, widths, strict=False)), cells[4]])
        )
    late = sum(1 for row in found.rows if row.next is not None and row.next.overdue)
    if late:
        lines.append(f"{late} LATE: post an update now, even without news.")
    return "\n".join(lines) + "\n"


def _cells(row: Row, found: Listing) -> tuple[str, str, str, str, str]:
    tz = found.config.timezone
    incident = row.view.incident
    latest = incident.latest_update
    last = "-" if latest is None else display_time(latest.at, tz)
    return (incident.id, row.view.status.label, last, _next_cell(row, found), incident.title)


def _next_cell(row: Row, found: Listing) -> str:
    tz = found.config.timezone
    incident = row.view.incident
    if incident.is_maintenance and incident.start and incident.end:
        if row.view.upcoming:
            return f"window opens {display_time(incident.start, tz)}"
        if row.view.active:
            return f"window ends {display_time(incident.end, tz)}"
    if row.next is None:
        return "-"
    why = "promised" if row.next.promised else "policy"
    due = display_time(row.next.due, tz)
    if row.next.late_by is not None:
        return f"LATE {format_duration(row.next.late_by)} (due {due}, {why})"
    return f"{due} ({why}, in {format_duration(row.next.due - found.now)})"


def as_json(found: Listing) -> str:
    """The rows for scripts; docs/on-call.md lists the keys."""
    document = {
        "version": JSON_VERSION,
        "now": _iso(found.now),
        "timezone": found.config.timezone.key,
        "incidents": [_json_row(row) for row in found.rows],
        "broken_files": found.broken,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_row(row: Row) -> dict[str, object]:
    incident = row.view.incident
    latest = incident.latest_update
    window = None
    if incident.start is not None and incident.end is not None:
        window = {"start": _iso(incident.start), "end": _iso(incident.end)}
    promise = None
    if row.next is not None:
        late = row.next.late_by
        promise = {
            "due": _iso(row.next.due),
            "promised": row.next.promised,
            "late": late is not None,
            "late_by_minutes": None if late is None else int(late.total_seconds() // 60),
        }
    return {
        "id": incident.id,
        "path": row.path,
        "kind": incident.kind.value,
        "title": incident.title,
        "impact": incident.impact.value,
        "status": row.view.status.value,
        "components": [c.id for c in incident.components],
        "last_update": None
        if latest is None
        else {"status": latest.status.value, "at": _iso(latest.at)},
        "next_update": promise,
        "window": window,
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def promise_note(ws: Workspace, path: Path, now: datetime) -> str | None:
    """After an update: when customers now expect the next one, and where that comes from."""
    incident, _ = load_file(path, ws.config, None, None, ws.root)
    if incident is None or incident.is_maintenance:
        return None
    view = IncidentView(incident, effective_status(incident, now), closed_at(incident, now))
    due = next_update(view, ws.config, now)
    if due is None:
        return None
    when = explained_time(due.due, ws.config.timezone)
    if due.promised:
        return f"Next update promised by {when}."
    return (
        f"Next update expected by {when}, by the policy's cadence from this update "
        "(--next promises another time)."
    )
