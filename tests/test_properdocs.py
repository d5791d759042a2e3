"""ProperDocs, the maintained fork of MkDocs 1.6, builds the same site.

The example is built twice, by ``mkdocs build`` and by ``properdocs build``,
each as a user runs it, and the two outputs are compared file by file: every
page, feed, API file, theme asset and the search index. Only the
``generator`` meta tag (which names the renderer) and the sitemap's dates
(the build's day) may differ; the theme renders only the site's own pages
and 404.html, where the tag is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE, copy_site

NOW = "2026-11-23T09:00:00+00:00"
GENERATOR_META = re.compile(rb'<meta name="generator" content="([^"]*)">')
SITEMAP_DATES = re.compile(rb"<lastmod>[^<]*</lastmod>")


def build(command: list[str], site: Path, out: Path) -> dict[str, bytes]:
    env = dict(os.environ, STATUSPAGE_NOW=NOW, NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [*command, "build", "-q", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=site,
        env=env,
        check=True,
        capture_output=True,
    )
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def comparable(relative: str, data: bytes) -> bytes:
    if relative.endswith(".html"):
        return GENERATOR_META.sub(b'<meta name="generator">', data)
    if relative == "sitemap.xml":
        return SITEMAP_DATES.sub(b"<lastmod/>", data)
    return data


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], ...]:
    properdocs = Path(sys.executable).with_name("properdocs")
    if not properdocs.exists():
        pytest.fail("properdocs is not installed: pip install -e '.[test]'")
    work = tmp_path_factory.mktemp("renderers")
    site = copy_site(work / "src", EXAMPLE / "incidents").parent
    mkdocs = build([sys.executable, "-m", "mkdocs"], site, work / "mkdocs")
    proper = build([str(properdocs)], site, work / "properdocs")
    return mkdocs, proper


def renderer(page: bytes) -> bytes:
    found = GENERATOR_META.search(page)
    assert found is not None
    return found[1]


def test_both_renderers_ran(outputs: tuple[dict[str, bytes], ...]) -> None:
    mkdocs, proper = outputs
    assert renderer(mkdocs["404.html"]).startswith(b"mkdocs-1.6")
    assert renderer(proper["404.html"]).startswith(b"mkdocs-ProperDocs 1.6")


def test_properdocs_builds_the_same_files(outputs: tuple[dict[str, bytes], ...]) -> None:
    mkdocs, proper = outputs
    files = set(mkdocs) - {"sitemap.xml.gz"}  # gzip stores the time it was written
    assert files == set(proper) - {"sitemap.xml.gz"}
    assert "incidents/2026-11-20-api-errors/index.html" in files
    differ = [f for f in sorted(files) if comparable(f, mkdocs[f]) != comparable(f, proper[f])]
    assert differ == []
