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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import Severity, StatusPageError, ValidationError, display_path
from .loader import parse_text, split_frontmatter
from .model import Kind, SiteConfig, UpdateStatus
from .times import format_time

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LEVEL2 = re.compile(r"^##(?!#)")


class EditError(StatusPageError):
    pass


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
    impact: str | None = "minor"
    components: tuple[str, ...] = ()
    scope: str = ""
    workaround: str = ""
    next_update: datetime | None = None
    started: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None


def new_incident_text(
    spec: NewIncident, status: UpdateStatus | None, message: str, at: datetime
) -> str:
    """The text of a new incident file with its first update (if any)."""
    lines = ["---", f"title: {yaml_string(spec.title)}"]
    if spec.kind is Kind.MAINTENANCE:
        lines.insert(1, "kind: maintenance")
    elif spec.impact:
        lines.append(f"impact: {spec.impact}")
    lines.append(f"components: [{', '.join(spec.components)}]")
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
    body = newline.join(message.strip().splitlines())
    return f"## {status.label} · {format_time(at)}{newline}{newline}{body}{newline}"


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
    fence: str | None = None
    for index in range(start, len(lines)):
        match = _FENCE.match(lines[index])
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
        elif fence is None and _LEVEL2.match(lines[index]):
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
    path.parent.mkdir(parents=True, exist_ok=True)
    if exclusive and path.exists():
        raise EditError(f"{path} already exists; choose another --id")
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


def find_incident(directory: Path, incident_id: str) -> Path:
    """The file of ``incident_id`` (subfolders included)."""
    matches = sorted(directory.rglob(f"{incident_id}.md")) if directory.is_dir() else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise EditError(
            f"'{incident_id}' is the id of several files: "
            + ", ".join(m.as_posix() for m in matches)
        )
    known = sorted(p.stem for p in directory.rglob("*.md")) if directory.is_dir() else []
    hint = [k for k in known if incident_id in k][:5]
    more = f"; did you mean {', '.join(hint)}?" if hint else ""
    raise EditError(f"no incident '{incident_id}' in {display_path(directory)}/{more}")


@dataclass(frozen=True)
class Workspace:
    """A status repository: its root folder and configuration."""

    root: Path
    config: SiteConfig

    @property
    def incidents(self) -> Path:
        return self.root / self.config.incidents_dir

    def checked_write(self, path: Path, text: str, now: datetime, *, new: bool) -> None:
        """Write ``text`` to ``path`` only if it loads without errors."""
        shown = display_path(path, self.root)
        _, problems = parse_text(path, text, self.config, now, shown)
        errors = [p for p in problems if p.severity is Severity.ERROR]
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
    name = incident_id or f"{day}-{slugify(spec.title)}"
    path = ws.incidents / f"{name}.md"
    ws.checked_write(path, new_incident_text(spec, status, message, now), now, new=True)
    return path


def append(
    ws: Workspace,
    incident_id: str,
    status: UpdateStatus,
    message: str,
    now: datetime,
    next_update: datetime | None = None,
) -> Path:
    """Add an update to an incident (and a new promise, if given); its path."""
    path = find_incident(ws.incidents, incident_id)
    text = path.read_bytes().decode("utf-8")  # keeps CRLF line ends as they are
    newline = "\r\n" if "\r\n" in text else "\n"
    updated = add_update(text, update_section(status, message, now, newline))
    if next_update is not None:
        updated = set_field(updated, "next_update", format_time(next_update))
    ws.checked_write(path, updated, now, new=False)
    return path
