"""What the writing commands do (new, update, resolve, maintenance, postmortem), without a CLI.

A command hands over a :class:`Draft` (its message, the clock and a promised
next update, as given) and typed values; these functions read what needs the
site's configuration, compose the message and write the file. Every error is a
:class:`~generator.core.errors.StatusPageError`; an
:class:`~generator.core.errors.ArgumentError` means the values given are wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ..core.config_types import did_you_mean
from ..core.errors import ArgumentError
from ..core.model import CLOSED_STATUSES, STATUS_FOR_IMPACT, Impact, Incident, Kind, UpdateStatus
from ..core.placeholders import find_placeholders
from ..core.times import TimeFormatError, explained_time, parse_duration, stamp
from .edit import (
    NewIncident,
    Workspace,
    add_postmortem,
    append,
    create,
    read_incident,
)
from .ids import EditError
from .messages import (
    context,
    fill_template,
    incident_context,
    load_template,
    parse_assignments,
    require_filled,
)

#: Opens an editor on a draft; the edited text, or None if it was not saved.
Editor = Callable[[str], str | None]
#: Appended to what the editor shows; lines starting with ``# `` are dropped after.
EDITOR_HINT = "\n# Write the update above. Lines starting with '# ' are removed.\n"


@dataclass(frozen=True)
class Message:
    """An update's text as given: ``-m`` or ``-F``, a template and its ``--set`` values.

    ``editor`` is set when the user has one ($EDITOR): it writes a message
    that was not given, or the placeholders a template left open.
    """

    text: str | None = None
    file_text: str | None = None
    template: str | None = None
    assignments: tuple[str, ...] = ()
    editor: Editor | None = None

    def compose(self, ws: Workspace, defaults: Callable[[], dict[str, str]]) -> str:
        """The update's text: the message, or the template filled from defaults and ``--set``.

        With a template, a message adds a paragraph after it, and placeholders
        still unfilled open the editor when no message is given; a text that
        still has any is refused, so a half-written template never goes out.
        ``defaults`` is only called with a template (it may read the incident).
        """
        if self.template is None:
            if self.assignments:
                raise ArgumentError("--set fills a template's placeholders: add --template NAME")
            return self._written()
        template = load_template(ws.root / ws.config.templates_dir, self.template)
        text = fill_template(template, defaults(), parse_assignments(self.assignments))
        if self._given() is not None:
            text += "\n\n" + self._written()
        elif find_placeholders(text) and self.editor is not None:
            text = self._written(text)
        return require_filled(self.template, text)

    def _given(self) -> str | None:
        if self.text is not None and self.file_text is not None:
            raise ArgumentError("give either --message or --message-file, not both")
        return self.text if self.text is not None else self.file_text

    def _written(self, draft: str = "") -> str:
        """The message given, else written in the editor from ``draft``; never empty."""
        text = self._given()
        if text is None and self.editor is not None:
            edited = self.editor(draft + EDITOR_HINT)
            if edited is not None:
                text = "\n".join(x for x in edited.splitlines() if not x.startswith("# "))
        if not text or not text.strip():
            raise ArgumentError("no message: pass -m TEXT, -F FILE, or set $EDITOR")
        return text.strip()


@dataclass(frozen=True)
class Draft:
    """What every writing command is given: the site, the clock, the message, a promise."""

    config_file: Path
    now: datetime
    message: Message
    #: ``--next``: when the next update is promised, as a duration from now.
    next_in: str | None = None

    def workspace(self) -> Workspace:
        """The site of ``--config``."""
        return Workspace.open(self.config_file)

    def promise(self, ws: Workspace) -> datetime | None:
        """When the next update is due, if ``--next`` promises one."""
        if self.next_in is None:
            return None
        return read_promise(ws, self.next_in, stamp(self.now))


_CLOCK = re.compile(r"^\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*$")


def read_promise(ws: Workspace, text: str, at: datetime) -> datetime:
    """``--next``: a duration after ``at`` (a bare number is minutes), a time, or
    ``HH:MM``, the next such time in the site's zone; always after ``at``."""
    try:
        due = at + parse_duration(text)
    except OverflowError:
        raise ArgumentError(f"'{text}' is too far ahead", "--next") from None
    except TimeFormatError:
        due = _promised_time(ws, text, at)
    if due <= at:
        raise ArgumentError(
            f"{explained_time(due, ws.config.timezone)} is not after this update "
            f"({explained_time(at, ws.config.timezone)})",
            "--next",
        )
    return due


def _promised_time(ws: Workspace, text: str, at: datetime) -> datetime:
    clock = _CLOCK.match(text)
    if clock is None:
        try:
            return ws.read_time(text, "--next")
        except ArgumentError as exc:
            raise ArgumentError(
                f"'{text}' is not a duration (30 for minutes, 30m, 1h), nor a time "
                f"(07:00, 2026-12-01 07:00): {exc}",
                "--next",
            ) from None
    day = at.astimezone(ws.config.timezone).date()
    hour, minute = int(clock["hour"]), int(clock["minute"])
    due = ws.read_time(f"{day} {hour:02d}:{minute:02d}", "--next")
    return due if due > at else ws.read_time(f"{day + timedelta(days=1)} {clock[0]}", "--next")


@dataclass(frozen=True)
class Affected:
    """Who is affected and how: ``-c/--component``, ``--scope`` and ``--workaround``."""

    components: tuple[str, ...] = ()
    scope: str = ""
    workaround: str = ""


def incident_spec(
    ws: Workspace,
    draft: Draft,
    title: str,
    impact: Impact,
    affected: Affected,
    started: str | None = None,
) -> NewIncident:
    """A new incident as ``new`` describes it; ``started`` as given to ``--started``."""
    check_components(ws, affected.components)
    return NewIncident(
        title=title,
        impact=impact,
        components=affected.components,
        scope=affected.scope,
        workaround=affected.workaround,
        next_update=draft.promise(ws),
        started=None if started is None else ws.read_time(started, "--started"),
    )


def maintenance_spec(
    ws: Workspace, title: str, affected: Affected, window: tuple[str, str], impact: Impact
) -> NewIncident:
    """A maintenance window as given to ``--start`` and ``--end`` (a time or a length)."""
    check_components(ws, affected.components)
    opens = ws.read_time(window[0], "--start")
    return NewIncident(
        title=title,
        kind=Kind.MAINTENANCE,
        impact=None,
        components=affected.components,
        scope=affected.scope,
        workaround=affected.workaround,
        start=opens,
        end=_window_end(ws, opens, window[1]),
        component_status=None if impact is Impact.MAINTENANCE else STATUS_FOR_IMPACT[impact],
    )


def check_components(ws: Workspace, ids: tuple[str, ...]) -> None:
    """Refuse a ``-c`` that names no component of the site, with a did-you-mean."""
    known = [c.id for c in ws.config.components]
    for given in ids:
        if ws.config.component(given) is None:
            raise ArgumentError(
                f"'{given}' is not a component id{did_you_mean(given, known)}; "
                f"known ids: {', '.join(known) or '(none configured)'}",
                "--component",
            )


def open_incident(
    ws: Workspace,
    spec: NewIncident,
    status: UpdateStatus,
    draft: Draft,
    incident_id: str | None = None,
) -> Path:
    """Write a new incident or maintenance with its first update; its path."""
    defaults = context(
        ws.config,
        title=spec.title,
        components=spec.components,
        scope=spec.scope,
        workaround=spec.workaround,
        next_update=spec.next_update,
        start=spec.start,
        end=spec.end,
    )
    text = draft.message.compose(ws, lambda: defaults)
    return create(ws, spec, status, text, draft.now, incident_id)


def post_update(
    draft: Draft,
    incident_id: str,
    status: UpdateStatus,
    *,
    reopen: bool = False,
    resolving: bool = False,
) -> Path:
    """Add an update to an incident; its path.

    The update replaces any earlier promise: ``--next`` makes a new one, and
    without it the policy's cadence applies from this update. An update that
    would reopen a closed incident needs ``reopen``; ``resolving`` (the
    ``resolve`` command) is refused on an incident already resolved.
    """
    ws = draft.workspace()
    promise = draft.promise(ws)

    def defaults() -> dict[str, str]:
        return incident_context(ws.config, read_incident(ws, incident_id), promise)

    def check(incident: Incident) -> None:
        check_reopen(ws, incident, status, reopen=reopen, resolving=resolving)

    text = draft.message.compose(ws, defaults)
    return append(ws, incident_id, status, text, draft.now, promise, check=check)


def check_reopen(
    ws: Workspace, incident: Incident, status: UpdateStatus, *, reopen: bool, resolving: bool
) -> None:
    """Refuse an update that would silently reopen a closed incident, a second
    ``resolve``, and ``--reopen`` where there is nothing to reopen."""
    latest = incident.latest_update
    closed = latest is not None and latest.status in CLOSED_STATUSES
    word = "completed" if incident.is_maintenance else "resolved"
    opener = "in-progress" if incident.is_maintenance else "investigating"
    if reopen and not closed:
        raise ArgumentError(f"{incident.id} is open; --reopen is only for a {word} one", "--reopen")
    if reopen and status in CLOSED_STATUSES:
        raise ArgumentError(f"--reopen needs an open status, e.g. --status {opener}", "--status")
    if latest is None or not closed or reopen:
        return
    if not resolving and status in CLOSED_STATUSES:
        return  # a further note that keeps it closed: said explicitly with --status
    since = explained_time(latest.at, ws.config.timezone)
    ways = (
        f"To add a note that keeps it {word}: statuspage update {incident.id} "
        f"--status {word} -m …; to reopen it: statuspage update {incident.id} --reopen "
        f"--status {opener} -m …"
    )
    if resolving:
        raise EditError(f"{incident.id} is already {word}, since {since}. {ways}")
    raise EditError(
        f"{incident.id} was {word} at {since}: an update with status '{status.cli_name}' "
        f"would reopen it. {ways}"
    )


def _window_end(ws: Workspace, start: datetime, value: str) -> datetime:
    """``--end`` as a time, or as a duration after ``start`` (``2h``)."""
    try:
        return ws.read_time(value, "--end")
    except ArgumentError as exc:
        try:
            return start + parse_duration(value)
        except (TimeFormatError, OverflowError):
            raise ArgumentError(f"{exc}; or a duration such as 2h", "--end") from None


def draft_postmortem(
    ws: Workspace, incident_id: str, now: datetime, assignments: tuple[str, ...]
) -> tuple[Path, list[str]]:
    """Append a postmortem draft; its path and the placeholders left for people to write."""
    path = add_postmortem(ws, incident_id, now, parse_assignments(assignments))
    text = path.read_text(encoding="utf-8")
    return path, list(dict.fromkeys(p.name for p in find_placeholders(text)))
