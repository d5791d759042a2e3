"""Which file a command means: an incident id, or a path inside the incidents folder.

An id is the file name without ``.md``; a path (``incidents/2026-12-01-x.md``,
relative to the working directory or absolute, as tab completion gives it) is
accepted too, but only to a file inside the incidents folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..core.errors import ArgumentError, StatusPageError, closest, display_path
from ..core.loader import ID_PATTERN

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class EditError(StatusPageError):
    pass


def check_id(incident_id: str) -> str:
    """``incident_id`` if it can name a file in the incidents folder; else an error.

    An id is a file name, never a path or a pattern: ``../x`` or ``/etc/passwd``
    must not reach a file outside the folder, nor ``*`` several inside it.
    """
    if not _SAFE_ID.fullmatch(incident_id):
        raise ArgumentError(
            f"'{incident_id}' is not an incident id: the file name without .md, "
            "e.g. 2026-11-20-api-errors"
        )
    return incident_id


def is_path(text: str) -> bool:
    """Whether ``text`` is written as a path rather than an id."""
    return "/" in text or os.sep in text or text.endswith(".md")


def find_incident(directory: Path, given: str) -> Path:
    """The file that ``given`` (an id or a path) names, subfolders included."""
    if is_path(given):
        return _file_at(directory, given)
    check_id(given)
    matches = sorted(directory.rglob(f"{given}.md")) if directory.is_dir() else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise EditError(
            f"'{given}' is the id of several files: " + ", ".join(m.as_posix() for m in matches)
        )
    known = sorted(p.stem for p in directory.rglob("*.md")) if directory.is_dir() else []
    hint = [k for k in known if given in k][:5] or [k for k in [closest(given, known)] if k]
    more = f"; did you mean {', '.join(hint)}?" if hint else ""
    raise EditError(
        f"no incident '{given}' in {display_path(directory)}/{more} (statuspage list shows them)"
    )


def incident_id_of(directory: Path, given: str) -> str:
    """The id that ``given`` names: itself, or the id of the file at its path."""
    return find_incident(directory, given).stem if is_path(given) else check_id(given)


def _file_at(directory: Path, given: str) -> Path:
    folder = display_path(directory)
    path = Path(given).expanduser()
    resolved = path.resolve()
    if not resolved.is_relative_to(directory.resolve()):
        raise ArgumentError(
            f"'{given}' is not inside {folder}/: give an incident id "
            f"(the file name without .md) or the path of a file in {folder}/"
        )
    if not resolved.is_file():
        what = "is a folder" if resolved.is_dir() else "does not exist"
        raise ArgumentError(f"'{given}' {what}; give an incident file in {folder}/")
    if resolved.suffix != ".md" or not ID_PATTERN.match(resolved.stem):
        raise ArgumentError(
            f"'{given}' is not an incident file: incident files are named "
            "YYYY-MM-DD-slug.md, e.g. 2026-11-20-api-errors.md"
        )
    return resolved
