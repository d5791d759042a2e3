"""The parts of an incident file: frontmatter, fenced code and update headings.

Every reader of an incident file (the loader, the placeholder check, the
editors) takes the parts from here, so they agree on where the frontmatter
ends and which lines are ``## Status · time`` headings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^##(?!#)\s*(?P<text>.*?)\s*#*\s*$")
_HEADING_PARTS = re.compile(r"^(?P<status>[^·—–|]+?)\s*(?:[·—–|]|\s-\s)\s*(?P<time>\d.*)$")


def split_frontmatter(text: str) -> tuple[str, int, str, int] | None:
    """``(frontmatter, its first line, body, its first line)``, or None if missing."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r\n").rstrip() in ("---", "..."):
            front = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            return front, 2, body, index + 2
    return None


def fenced(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line with whether it is code: a fence line or inside a fenced block."""
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * 3
            elif marker.startswith(fence):
                fence = None
            yield line, True
        else:
            yield line, fence is not None


def unclosed_fence(lines: Sequence[str]) -> bool:
    """Whether a fenced code block is still open after the last line."""
    return bool(lines) and list(fenced([*lines, ""]))[-1][1]


def update_headings(lines: Sequence[str]) -> list[tuple[int, str]]:
    """``(index, heading text)`` of each level-2 heading of a body, outside fenced code."""
    # Only lines starting with ## can be headings: one pass in C, the regex on few lines.
    candidates = [offset for offset, line in enumerate(lines) if line.startswith("##")]
    if not candidates:
        return []
    code: set[int] = set()
    if any("```" in line or "~~~" in line for line in lines):
        code = {offset for offset, (_, is_code) in enumerate(fenced(lines)) if is_code}
    return [
        (offset, match["text"])
        for offset in candidates
        if offset not in code and (match := _HEADING.match(lines[offset]))
    ]


def split_heading(text: str) -> tuple[str, str] | None:
    """A heading's text as ``(status word, time)``, or None if it is not ``Status · time``."""
    match = _HEADING_PARTS.match(text)
    return (match["status"], match["time"]) if match else None
