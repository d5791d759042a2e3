"""The file format stays readable by other frontmatter tools.

Every example and fixture incident that our strict loader reads loads with
python-frontmatter (what many editors, linters and static-site tools use) to
the same title, impact and components. Our loader stays the one that builds
the site: python-frontmatter loses line numbers and reads YAML 1.1
(``NO`` is false), which is why the files never need what it would misread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import frontmatter
import pytest

from conftest import EXAMPLE, FIXTURES, REPO
from generator.core.config import site_config
from generator.core.loader import load_file

FOLDERS = [
    EXAMPLE / "incidents",
    FIXTURES / "site" / "incidents",
    FIXTURES / "outputs" / "incidents",
    FIXTURES / "policy" / "incidents",
    FIXTURES / "report" / "incidents",
    FIXTURES / "loader" / "valid",
]
FILES = sorted(path for folder in FOLDERS for path in folder.rglob("*.md"))
#: Fixtures that exist to show where other readers go wrong, and how.
DIVERGENT = {
    "2026-11-20-norway": "YAML 1.1 reads an unquoted NO as false",
    "2026-11-20-bom": "a byte-order mark hides the frontmatter",
}
#: Fixtures our loader refuses on purpose (lint's own test cases).
REFUSED = {"2026-11-12-placeholders"}


def _component_ids(meta: dict[str, Any]) -> list[str]:
    raw = meta.get("components") or []
    return [str(key) for key in (raw if isinstance(raw, list | dict) else [raw])]


def test_there_are_incidents_to_compare() -> None:
    assert len([p for p in FILES if p.stem not in DIVERGENT.keys() | REFUSED]) >= 40


@pytest.mark.parametrize(
    "path",
    [p for p in FILES if p.stem not in DIVERGENT.keys() | REFUSED],
    ids=lambda p: p.relative_to(REPO).as_posix(),
)
def test_python_frontmatter_reads_what_our_loader_reads(path: Path) -> None:
    meta = frontmatter.load(path).metadata
    components = [{"id": cid, "name": cid} for cid in _component_ids(meta)]
    config = site_config({"components": components}, site_name="S", site_url="https://s.example/")
    incident, problems = load_file(path, config)
    assert incident is not None, problems
    assert meta["title"] == incident.title
    if not incident.is_maintenance:
        assert meta["impact"] == incident.impact.value
    assert _component_ids(meta) == [c.id for c in incident.components]


def test_the_known_divergences_are_what_they_say() -> None:
    norway = frontmatter.load(FIXTURES / "loader" / "valid" / "2026-11-20-norway.md")
    assert norway.metadata["title"] is False
    bom = frontmatter.load(FIXTURES / "loader" / "valid" / "2026-11-20-bom.md")
    assert "title" not in bom.metadata
