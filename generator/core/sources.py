"""Which files are incidents, and reading them without trusting them.

An incident folder is edited through pull requests, so a file in it may be
anything: a link to a device or to a file elsewhere on the machine, a pipe,
megabytes of text, or a pasted terminal log full of escape codes. Only
regular files inside the repository are read, at most :data:`MAX_FILE_BYTES`,
and text no page or feed can carry is refused with its line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Protocol


class Recorder(Protocol):
    def error(self, line: int, name: str, message: str) -> None: ...


def incident_files(directory: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """Every ``*.md`` under ``directory`` (subfolders too), in a stable order,
    with its path relative to ``directory`` in ``/`` form; and the relative
    paths of files that look meant as incidents but are not read (``*.MD``)."""
    found: list[tuple[str, str]] = []
    near_misses: list[str] = []
    for folder, _, names in os.walk(directory):  # names holds no folders
        inside = os.path.relpath(folder, directory).replace(os.sep, "/")
        prefix = "" if inside == "." else inside + "/"
        found.extend((prefix + name, folder) for name in names if name.endswith(".md"))
        near_misses += [prefix + n for n in names if n.lower().endswith(".md") and n[-3:] != ".md"]
    found.sort(key=lambda item: item[0].split("/"))  # folder by folder, as paths compare
    files = [(Path(folder, relative.rsplit("/", 1)[-1]), relative) for relative, folder in found]
    return files, sorted(near_misses)


#: The largest incident file read; a postmortem with its timeline is some kilobytes.
MAX_FILE_BYTES = 1024 * 1024  # the default of the max_file_kib setting
#: Characters no page, feed or calendar can carry (XML forbids them): NUL, the
#: escape codes of a pasted terminal log, and the two non-characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_incident_file(
    path: Path, root: Path | None, ctx: Recorder, limit: int = MAX_FILE_BYTES
) -> str | None:
    """The file's text, or None with the problem recorded."""
    problem = _not_readable(path, root)
    if problem:
        ctx.error(0, "", problem)  # the file as a whole
        return None
    with open(path, "rb") as file:  # bytes and one decode: faster than text mode
        data = file.read(limit + 1)
    if len(data) > limit:
        ctx.error(0, "", f"is larger than {limit // 1024} KiB (max_file_kib); split or trim it")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        ctx.error(1, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        return None
    said: set[int] = set()  # lines with a forbidden character
    for found in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        if line not in said and len(said) < 5:  # one a line, a few at most
            said.add(line)
            code = f"U+{ord(found.group()):04X}"
            ctx.error(line, "text", f"control character {code} cannot be published; remove it")
    return None if said else text


def unpublishable(text: str) -> str:
    """The first character of ``text`` no page or feed can carry, as ``U+001B``; or ``""``."""
    found = _FORBIDDEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


def _not_readable(path: Path, root: Path | None) -> str:
    """Why ``path`` must not be read (empty when it may)."""
    try:
        info = os.lstat(path)  # one call for a plain file, the usual case
        linked = stat.S_ISLNK(info.st_mode)
        if linked:
            info = os.stat(path)
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, pipe or socket); incident files are plain files"
    if root is not None and linked and not path.resolve().is_relative_to(root):
        return (
            f"is a link to {path.resolve()}, outside the repository; "
            "copy the file into incidents/ instead"
        )
    return ""


#: HTML in incident text nests a few levels at most; the sanitiser's time grows
#: with the square of the depth (50,000 nested ``<div>`` took minutes).
MAX_HTML_DEPTH = 100
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)\b[^<>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def markup_too_deep(text: str) -> int:
    """The line where raw HTML in ``text`` first nests past :data:`MAX_HTML_DEPTH`, or 0."""
    if text.count("<") <= MAX_HTML_DEPTH:
        return 0
    depth = 0
    for tag in _TAG.finditer(text):
        closing, name, self_closing = tag.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > MAX_HTML_DEPTH:
                return text.count("\n", 0, tag.start()) + 1
    return 0
