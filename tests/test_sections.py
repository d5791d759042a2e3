"""The placeholder check names the part of a file as the loader reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.core.loader import parse_text
from generator.core.placeholders import section_names
from generator.core.settings import SiteConfig

FRONT = "---\ntitle: T\nimpact: minor\ncomponents: [api]\n---\n"


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        # The loader takes '##Identified' (no space) for an update heading.
        (FRONT + "\n##Identified · 2026-11-20 14:40 UTC\n\nBecause {cause}.\n", 9, "update"),
        # A frontmatter block may end with '...'.
        (
            FRONT[:-4] + "...\n\n## Identified · 2026-11-20 14:40 UTC\n\nBecause {cause}.\n",
            9,
            "update",
        ),
        # A heading inside fenced code is text of the summary.
        (
            FRONT + "\n```\n## Postmortem · 2026-11-20 14:40 UTC\n```\n\nSee {link}.\n\n"
            "## Identified · 2026-11-20 14:40 UTC\n\nFound it.\n",
            10,
            "summary",
        ),
        (
            FRONT + "\n## Investigating · 2026-11-20 14:20 UTC\n\nLooking.\n\n"
            "## Postmortem · 2026-11-21 10:00 UTC\n\nWhy: {why}\n",
            13,
            "postmortem",
        ),
        ("---\ntitle: '{title}'\nimpact: minor\n---\n", 2, "title"),
    ],
)
def test_section_of_a_line_is_the_loaders(text: str, line: int, field: str) -> None:
    assert section_names(text)[line] == field


def test_the_loader_reports_the_placeholder_in_that_section(config: SiteConfig) -> None:
    text = FRONT + "\n##Identified · 2026-11-20 14:40 UTC\n\nBecause {cause}.\n"
    _, problems = parse_text(Path("incidents/2026-11-20-x.md"), text, config)
    assert [(p.line, p.field) for p in problems] == [(9, "update")]
