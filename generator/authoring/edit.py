"""Writing incident files: new files and new updates, atomically.

Edits are textual so that everything already in a file stays byte for byte:
a new update is inserted above the newest one, and a frontmatter field is
replaced or added on its own line. The result is checked by the loader before
it replaces the file, so a command never writes an invalid incident.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from ..core.config import read_mkdocs_yml
from ..core.errors import (
    ArgumentError,
    Severity,
    ValidationError,
    display_path,
)
from ..core.loader import parse_text
from ..core.model import (
    CLOSED_STATUSES,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    ComponentStatus,
    Impact,
    Incident,
    Kind,
    UpdateStatus,
)
from ..core.placeholders import UNFILLED
from ..core.sections import fenced, split_frontmatter, unclosed_fence
from ..core.settings import SiteConfig
from ..core.status import effective_status
from ..core.times import TimeFormatError, format_time, parse_time, stamp
from . import postmortem
from .ids import EditError, check_id, find_incident

_LEVEL2 = re.compile(r"^##(?!#)")


def slugify(title: str, max_length: int = 50) -> str:
    """``Elevated API errors!`` → ``elevated-api-errors``; ``incident`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "incident"


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class NewIncident:
    title: str
    kind: Kind = Kind.INCIDENT
    #: None for a maintenance: its impact follows from ``kind``.
    impact: Impact | None = Impact.MINOR
    components: tuple[str, ...] = ()
    scope: str = ""
    workaround: str = ""
    next_update: datetime | None = None
    started: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    #: Every component's status while it lasts, when not the one its impact implies.
    component_status: ComponentStatus | None = None


def new_incident_text(
    spec: NewIncident, status: UpdateStatus | None, message: str, at: datetime
) -> str:
    """The text of a new incident file with its first update (if any)."""
    lines = ["---", f"title: {yaml_string(spec.title)}"]
    if spec.kind is Kind.MAINTENANCE:
        lines.insert(1, "kind: maintenance")
    elif spec.impact:
        lines.append(f"impact: {spec.impact.value}")
    if spec.component_status is None:
        lines.append(f"components: [{', '.join(spec.components)}]")
    else:
        lines.append("components:")
        lines += [f"  {c}: {spec.component_status.value}" for c in spec.components]
    for name in ("scope", "workaround"):
        value = getattr(spec, name)
        if value:
            lines.append(f"{name}: {yaml_string(value)}")
    for name in ("started", "start", "end", "next_update"):
        moment = getattr(spec, name)
        if moment is not None:
            lines.append(f"{name}: {format_time(moment)}")
    lines.append("---")
    if status is not None:
        lines += ["", update_section(status, message, at).rstrip("\n")]
    return "\n".join(lines) + "\n"


def update_section(status: UpdateStatus, message: str, at: datetime, newline: str = "\n") -> str:
    """``## Identified · 2026-11-20 14:40 UTC`` and the message, ending in a blank line."""
    check_message(message)
    body = newline.join(message.strip().splitlines())
    return f"## {status.heading} · {format_time(at)}{newline}{newline}{body}{newline}"


#: A level-2 heading as CommonMark reads it: up to three spaces before ``##``.
_LEVEL2_AS_RENDERED = re.compile(r"^ {0,3}##(?!#)")


def check_message(message: str) -> None:
    """Refuse a message that would become more than one update.

    A ``## …`` line in it would start an update of its own (a fake
    "Resolved" at 3 a.m.), and a code block it never closes would swallow
    every update below it.
    """
    lines = message.splitlines()
    for offset, (line, is_code) in enumerate(fenced(lines)):
        if not is_code and _LEVEL2_AS_RENDERED.match(line):  # what a reader sees as one
            raise EditError(
                f"the message's line {offset + 1} ('{line.strip()}') would start an update of "
                "its own; use '###' for a heading inside an update"
            )
    if unclosed_fence(lines):
        raise EditError("the message opens a code block (``` or ~~~) that it never closes")


def add_update(text: str, section: str) -> str:
    """Insert ``section`` above the first update heading (newest first), else at the end."""
    newline = "\r\n" if "\r\n" in text else "\n"
    parts = split_frontmatter(text)
    if parts is None:
        raise EditError("the file has no frontmatter block; fix it before adding an update")
    lines = text.splitlines(keepends=True)
    body_start = parts[3] - 1
    insert_at = _first_heading(lines, body_start)
    section = section.replace("\n", newline).replace("\r\r\n", "\r\n")
    if insert_at is None:
        prefix = "".join(lines)
        if prefix and not prefix.endswith(("\n", "\r")):
            prefix += newline
        if prefix.strip() and not prefix.endswith(newline * 2):
            prefix += newline
        return prefix + section
    return "".join(lines[:insert_at]) + section + newline + "".join(lines[insert_at:])


def _first_heading(lines: list[str], start: int) -> int | None:
    for index, (line, is_code) in enumerate(fenced(lines[start:]), start):
        if not is_code and _LEVEL2.match(line):
            return index
    return None


def set_field(text: str, name: str, value: str | None) -> str:
    """Set (or with None, remove) a top-level frontmatter field, keeping other bytes."""
    newline = "\r\n" if "\r\n" in text else "\n"
    parts = split_frontmatter(text)
    if parts is None:
        raise EditError("the file has no frontmatter block")
    lines = text.splitlines(keepends=True)
    close = parts[3] - 2  # index of the closing '---' line
    key = re.compile(rf"^{re.escape(name)}\s*:")
    found = next((i for i in range(1, close) if key.match(lines[i])), None)
    new_line = [] if value is None else [f"{name}: {value}{newline}"]
    if found is None:
        return "".join(lines[:close] + new_line + lines[close:])
    end = found + 1
    while end < close and lines[end][:1] in (" ", "\t"):
        end += 1  # the old value's continuation lines
    return "".join(lines[:found] + new_line + lines[end:])


def write_atomic(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write via a temporary file in the same folder and a rename.

    With ``exclusive``, refuse to replace an existing file.
    """
    taken = f"{path} already exists; choose another --id"
    if exclusive and path.exists():
        raise EditError(taken)
    if path.exists() and not path.stat().st_mode & 0o222:
        raise EditError(f"{display_path(path)} is read-only; make it writable to change it")
    try:
        _write_and_rename(path, text, exclusive)
    except OSError as exc:  # a read-only folder, a full disk: name the file, not the temp file
        if exclusive and isinstance(exc, FileExistsError) and path.is_file():
            raise EditError(taken) from None  # it appeared meanwhile
        raise EditError(f"cannot write {display_path(path)}: {exc.strerror or exc}") from None


def _write_and_rename(path: Path, text: str, exclusive: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            os.link(temp, path)  # fails if the file appeared meanwhile
            os.unlink(temp)
        else:
            os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


@dataclass(frozen=True)
class Workspace:
    """A status repository: its root folder and configuration."""

    root: Path
    config: SiteConfig

    @classmethod
    def open(cls, config_file: Path) -> Workspace:
        """The repository of ``config_file`` (its ``mkdocs.yml``), read and checked."""
        return cls(config_file.resolve().parent, read_mkdocs_yml(config_file))

    @property
    def incidents(self) -> Path:
        return self.root / self.config.incidents_dir

    def read_time(self, text: str, option: str) -> datetime:
        """``text`` given to ``option`` as a time, in the site's zone unless it names one."""
        try:
            return parse_time(text, self.config.timezone)
        except TimeFormatError as exc:
            raise ArgumentError(str(exc), option) from None

    def checked_write(
        self, path: Path, text: str, now: datetime, *, new: bool, draft: bool = False
    ) -> None:
        """Write ``text`` to ``path`` only if it loads without errors.

        A ``draft`` (a postmortem to fill in) may keep placeholders: the build
        and ``lint`` refuse the file until they are filled.
        """
        shown = display_path(path, self.root)
        _, problems = parse_text(path, text, self.config, now, shown)
        errors = [
            p
            for p in problems
            if p.severity is Severity.ERROR and not (draft and p.message.startswith(UNFILLED))
        ]
        if errors:
            raise ValidationError(errors)
        write_atomic(path, text, exclusive=new)


def create(
    ws: Workspace,
    spec: NewIncident,
    status: UpdateStatus | None,
    message: str,
    now: datetime,
    incident_id: str | None = None,
) -> Path:
    """Write a new incident file named after today's date and the title; its path."""
    day = now.astimezone(ws.config.timezone).date().isoformat()
    if spec.start is not None:
        day = spec.start.astimezone(ws.config.timezone).date().isoformat()
    name = f"{day}-{slugify(spec.title)}" if incident_id is None else check_id(incident_id)
    path = ws.incidents / f"{name}.md"
    with editing(ws, path):
        text = new_incident_text(spec, status, message, stamp(now))
        ws.checked_write(path, text, now, new=True)
    return path


def append(
    ws: Workspace,
    incident_id: str,
    status: UpdateStatus,
    message: str,
    now: datetime,
    next_update: datetime | None = None,
    *,
    check: Callable[[Incident], None] | None = None,
) -> Path:
    """Add an update to an incident; its path.

    ``next_update`` replaces the promise in the file; without one, the field
    goes, so that the policy's cadence applies from this update. ``check``
    may refuse the update, given the incident as it is.
    """

    def change(path: Path, text: str) -> str:
        incident, _ = parse_text(path, text, ws.config)
        latest = incident.latest_update if incident is not None else None
        if incident is not None:
            check_status_fits(incident, status)
            if check is not None:
                check(incident)
        newline = "\r\n" if "\r\n" in text else "\n"
        at = stamp(now, latest.at if latest is not None else None)
        updated = add_update(text, update_section(status, message, at, newline))
        promise = None if next_update is None else format_time(next_update)
        return set_field(updated, "next_update", promise)

    return _rewrite(ws, incident_id, now, change)


def _rewrite(
    ws: Workspace,
    incident_id: str,
    now: datetime,
    change: Callable[[Path, str], str],
    *,
    draft: bool = False,
) -> Path:
    """Read, change and write back an incident file, with no other edit in between."""
    path = find_incident(ws.incidents, incident_id)
    with editing(ws, path):
        text = path.read_bytes().decode("utf-8")  # keeps CRLF line ends as they are
        ws.checked_write(path, change(path, text), now, new=False, draft=draft)
    return path


#: How long an edit waits for another edit of the same file to end.
LOCK_TIMEOUT = 30.0


@contextmanager
def editing(ws: Workspace, path: Path) -> Iterator[None]:
    """Serialise edits of ``path`` across processes, and clear the temporary files
    that an edit of it killed half-way left behind.

    The lock files live in ``.statuspage/locks/``, out of the incidents folder.
    """
    locks = ws.root / ".statuspage" / "locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
        lock = FileLock(locks / f"{path.name}.lock", timeout=LOCK_TIMEOUT)
        lock.acquire()
    except Timeout:
        shown = display_path(path, ws.root)
        raise EditError(
            f"another edit of {shown} did not end within {LOCK_TIMEOUT:.0f} s"
        ) from None
    except OSError as exc:
        raise EditError(f"cannot lock {display_path(locks)}: {exc.strerror or exc}") from None
    try:
        for stale in path.parent.glob(f".{path.name}.*.tmp"):  # ours, from a killed edit
            stale.unlink(missing_ok=True)
        yield
    finally:
        lock.release()


def check_status_fits(incident: Incident, status: UpdateStatus) -> None:
    """Refuse an incident status on a maintenance, and a maintenance status on an incident."""
    allowed: tuple[UpdateStatus, ...]
    if incident.is_maintenance:
        allowed, what, other = MAINTENANCE_STATUSES, "a maintenance", "incidents"
    else:
        allowed, what, other = INCIDENT_STATUSES, "an incident", "maintenance"
    if status in allowed:
        return
    names = ", ".join(s.cli_name for s in allowed)
    hint = (
        f"; to close it: statuspage update {incident.id} --status completed -m …"
        if incident.is_maintenance and status is UpdateStatus.RESOLVED
        else ""
    )
    raise EditError(
        f"{incident.id} is {what}: its status is one of {names}; "
        f"'{status.cli_name}' is for {other}{hint}"
    )


def postmortem_section(body: str, at: datetime, newline: str = "\n") -> str:
    """``## Postmortem · <time>`` and ``body``, ending in a newline."""
    return update_section(UpdateStatus.POSTMORTEM, body, at, newline)


def add_postmortem(
    ws: Workspace, incident_id: str, now: datetime, values: Mapping[str, str] | None = None
) -> Path:
    """Append a postmortem drafted from the template to a closed incident; its path.

    The draft has the timeline filled in from the updates, ``values`` (``--set``)
    fill other placeholders, and the rest stay for people to write (``lint``
    refuses them until then). Refused while the incident is open (the
    postmortem follows the all-clear) and when it already has one. Every byte
    already in the file stays.
    """
    return _rewrite(
        ws,
        incident_id,
        now,
        lambda path, text: _with_postmortem(ws, path, text, now, values or {}),
        draft=True,
    )


def _with_postmortem(
    ws: Workspace, path: Path, text: str, now: datetime, values: Mapping[str, str]
) -> str:
    incident_id = path.stem
    incident = load_checked(ws, path, text, now)
    if incident.postmortem is not None:
        raise EditError(
            f"{incident_id} already has a postmortem (line {incident.postmortem.line}); "
            "edit it there"
        )
    status = effective_status(incident, now)
    if status not in CLOSED_STATUSES:
        close = (
            f"statuspage update {incident_id} --status completed -m …"
            if incident.is_maintenance
            else f"statuspage resolve {incident_id} -m …"
        )
        raise EditError(
            f"{incident_id} is still {status.label.lower()}: a postmortem follows the "
            f"all-clear; close it first ({close})"
        )
    template = postmortem.template_text(ws.root / ws.config.templates_dir)
    body = postmortem.draft(incident, ws.config, template, values)
    newline = "\r\n" if "\r\n" in text else "\n"
    prefix = text if text.endswith(("\n", "\r")) or not text else text + newline
    if not prefix.endswith(newline * 2):
        prefix += newline
    return prefix + postmortem_section(body, stamp(now), newline)


def load_checked(ws: Workspace, path: Path, text: str, now: datetime | None) -> Incident:
    """The incident in ``text``, or the loader's errors."""
    incident, problems = parse_text(path, text, ws.config, now, display_path(path, ws.root))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if incident is None or errors:
        raise ValidationError(errors)
    return incident


def read_incident(ws: Workspace, incident_id: str, now: datetime | None = None) -> Incident:
    """The incident ``incident_id``, loaded and checked."""
    path = find_incident(ws.incidents, incident_id)
    return load_checked(ws, path, path.read_text(encoding="utf-8"), now)
