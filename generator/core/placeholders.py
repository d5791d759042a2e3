"""Unfilled ``{placeholders}`` in incident text, found as ``lint`` and the build see them.

A placeholder is ``{name}`` (a letter, then letters, digits or ``_``) in prose.
Inside code spans and fenced code blocks braces are text, and ``\\{name}``
is a literal brace too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .model import UpdateStatus
from .sections import fenced, split_frontmatter, split_heading, update_headings

#: How every unfilled-placeholder problem starts.
UNFILLED = "unfilled placeholder"
PLACEHOLDER = re.compile(r"(?<!\\)\{([A-Za-z][A-Za-z0-9_]*)\}")
_TICKS = re.compile(r"`+")


@dataclass(frozen=True)
class Placeholder:
    """One unfilled ``{name}``, on ``line`` (1-based, within the scanned text)."""

    name: str
    line: int


def prose_chunks(text: str) -> Iterator[tuple[str, bool]]:
    """``text`` as consecutive ``(chunk, is_code)`` pieces that join back to it."""
    for line, is_code in fenced(text.splitlines(keepends=True)):
        if is_code:
            yield line, True
        else:
            yield from _split_code_spans(line)


def _split_code_spans(line: str) -> Iterator[tuple[str, bool]]:
    """A line split at code spans: a run of n backticks up to the next run of n."""
    position = 0
    runs = list(_TICKS.finditer(line))
    index = 0
    while index < len(runs):
        opening = runs[index]
        closing = next(
            (r for r in runs[index + 1 :] if len(r.group()) == len(opening.group())), None
        )
        if closing is None:
            index += 1
            continue
        yield line[position : opening.start()], False
        yield line[opening.start() : closing.end()], True
        position = closing.end()
        index = runs.index(closing) + 1
    yield line[position:], False


def find_placeholders(text: str) -> list[Placeholder]:
    """Every unfilled placeholder in prose, in order."""
    found = []
    line = 1
    for chunk, is_code in prose_chunks(text):
        if not is_code:
            for match in PLACEHOLDER.finditer(chunk):
                found.append(Placeholder(match[1], line + chunk.count("\n", 0, match.start())))
        line += chunk.count("\n")
    return found


def placeholder_problems(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line, field, message)`` for every unfilled placeholder of an incident's text."""
    if "{" not in text:
        return
    sections = section_names(text)
    for found in find_placeholders(text):
        yield (
            found.line,
            sections.get(found.line, "text"),
            f"{UNFILLED} {{{found.name}}}: write what it stands for "
            f"(or '\\{{{found.name}}}' for literal braces)",
        )


def section_names(text: str) -> dict[int, str]:
    """Line number to the field or section it belongs to, for the problem's field.

    The frontmatter and the update headings are found as the loader finds
    them, so a problem is named after the part the loader sees it in.
    """
    lines = text.splitlines()
    names: dict[int, str] = {}
    body_start = 0
    parts = split_frontmatter(text)
    if parts is not None:
        body_start = parts[3] - 1
        current = "title"
        for number in range(2, body_start):  # between the two '---' lines
            line = lines[number - 1]
            if line[:1].isalpha() and ":" in line:
                current = line.split(":", 1)[0].strip()
            names[number] = current
        names[1] = names[body_start] = "summary"
    current = "summary"
    headings = dict(update_headings(lines[body_start:]))
    for offset in range(len(lines) - body_start):
        if offset in headings:
            current = _section_of(headings[offset])
        names[body_start + offset + 1] = current
    return names


def _section_of(heading: str) -> str:
    """``postmortem`` for the postmortem's heading, else ``update``."""
    parts = split_heading(heading)
    is_postmortem = parts is not None and UpdateStatus.parse(parts[0]) is UpdateStatus.POSTMORTEM
    return "postmortem" if is_postmortem else "update"
