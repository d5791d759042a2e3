"""The example site, built with a fixed clock, is byte for byte what it was.

Every file the generator writes is compared with ``tests/fixtures/golden/``:
pages, feeds, API, calendars, badges and the search index. The theme's own
assets and the sitemap (its dates are the build date) are left out. A change
that is meant to change the output regenerates the files with
``STATUSPAGE_GOLDEN_UPDATE=1 python -m pytest tests/test_golden.py`` and
commits the diff, so every intended change to what readers get is reviewed.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import EXAMPLE, FIXTURES, copy_site
from generator.plugin import build_site

GOLDEN = FIXTURES / "golden"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
#: Written by the theme or MkDocs, not by the generator.
SKIPPED = ("assets/javascripts/", "assets/stylesheets/", "assets/images/", "sitemap.xml")
_GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def outputs(site: Path) -> dict[str, bytes]:
    """Every file the generator is answerable for, by its path in the site."""
    found = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and not relative.startswith(SKIPPED):
            found[relative] = _GENERATOR_META.sub(b'<meta name="generator">', path.read_bytes())
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    work = tmp_path_factory.mktemp("golden")
    config = copy_site(work / "src", EXAMPLE / "incidents")
    site = build_site(config, site_dir=work / "site", now=NOW)
    return outputs(site)


def test_the_example_site_builds_byte_identical_outputs(built: dict[str, bytes]) -> None:
    if os.environ.get("STATUSPAGE_GOLDEN_UPDATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for relative, data in built.items():
            (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / relative).write_bytes(data)
    expected = outputs(GOLDEN)
    assert sorted(built) == sorted(expected), "files added or missing"
    changed = [relative for relative, data in built.items() if data != expected[relative]]
    assert changed == [], f"outputs differ from tests/fixtures/golden/: {changed}"


def test_the_golden_outputs_cover_every_kind_of_output(built: dict[str, bytes]) -> None:
    for required in (
        "index.html",
        "incidents/2026-11-20-api-errors/index.html",
        "components/api/index.html",
        "history/index.html",
        "reliability/index.html",
        "feed.rss",
        "feed.atom",
        "feed.json",
        "components/api/feed.rss",
        "api/v2/summary.json",
        "api/v2/incidents.json",
        "maintenance.ics",
        "badge.svg",
        "badge.json",
        "search/search_index.json",
    ):
        assert required in built
