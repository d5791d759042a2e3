"""What the writing commands do (new, update, resolve, maintenance, postmortem), without a CLI.

A command hands over a :class:`Draft` (its message, the clock and a promised
next update, as given) and typed values; these functions read what needs the
site's configuration, compose the message and write the file. Every error is a
:class:`~generator.core.errors.StatusPageError`; an
:class:`~generator.core.errors.ArgumentError` means the values given are wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core.errors import ArgumentError
from ..core.model import STATUS_FOR_IMPACT, Impact, Kind, UpdateStatus
from ..core.placeholders import find_placeholders
from ..core.times import TimeFormatError, parse_duration
from .edit import NewIncident, Workspace, add_postmortem, append, create, read_incident
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

    def promise(self) -> datetime | None:
        """When the next update is due, if one is promised."""
        if self.next_in is None:
            return None
        try:
            return self.now + parse_duration(self.next_in)
        except TimeFormatError as exc:
            raise ArgumentError(str(exc), "--next") from None
        except OverflowError:
            raise ArgumentError(f"'{self.next_in}' is too far ahead", "--next") from None


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
    return NewIncident(
        title=title,
        impact=impact,
        components=affected.components,
        scope=affected.scope,
        workaround=affected.workaround,
        next_update=draft.promise(),
        started=None if started is None else ws.read_time(started, "--started"),
    )


def maintenance_spec(
    ws: Workspace, title: str, affected: Affected, window: tuple[str, str], impact: Impact
) -> NewIncident:
    """A maintenance window as given to ``--start`` and ``--end`` (a time or a length)."""
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


def post_update(draft: Draft, incident_id: str, status: UpdateStatus) -> Path:
    """Add an update to an incident (and the promise of the next); its path."""
    ws = draft.workspace()
    promise = draft.promise()

    def defaults() -> dict[str, str]:
        return incident_context(ws.config, read_incident(ws, incident_id), promise)

    text = draft.message.compose(ws, defaults)
    return append(ws, incident_id, status, text, draft.now, promise)


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
