"""A site of only ``mkdocs.yml`` and ``incidents/``: the package carries its theme.

The folder has no ``docs/``, no overrides, no stylesheet and no templates of
its own, as a site that installs the package and lists the plugin would. It
builds with the real MkDocs build into a complete, styled page that asks for
nothing outside the site, and ``new --template`` finds the built-in message
templates; a site's own files of the same names still win.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from browser_support import Served, chromium, serve
from click.testing import CliRunner
from test_serve import fetch, free_port, wait_for

from conftest import REPO
from generator.cli import main
from generator.plugin import build_site

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
INCIDENT_ID = "2026-11-21-api-down"
CONFIG = """\
site_name: Example Status
site_url: https://status.example.org/
theme: material
plugins:
  - statuspage:
      components:
        - {id: api, name: REST API}
        - {id: dashboard, name: Web dashboard}
"""
INCIDENT = """\
---
title: API errors
impact: major
components: [api]
---

## Investigating · 2026-11-21 11:30 UTC

We are investigating failing API calls.
"""
STYLESHEET = REPO / "generator" / "site" / "assets" / "status.css"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def make_standalone(root: Path, config: str = CONFIG) -> Path:
    """``mkdocs.yml`` and one incident in ``root``; its ``mkdocs.yml``."""
    (root / "incidents").mkdir(parents=True)
    (root / "incidents" / f"{INCIDENT_ID}.md").write_text(INCIDENT, encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


def tree(root: Path) -> set[str]:
    """Every path under ``root`` but the built site."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if "site" not in p.parts}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("standalone")
    config = make_standalone(root)
    before = tree(root)
    site = build_site(config, strict=True, now=NOW)
    assert tree(root) == before  # no docs/ or anything else written into the source tree
    return site


def head(site: Path, path: str = "") -> str:
    return (site / path / "index.html").read_text(encoding="utf-8").split("</head>", 1)[0]


def test_the_stylesheet_is_linked_and_served(built: Path) -> None:
    assert '<link rel="stylesheet" href="assets/status.css">' in head(built)
    incident = head(built, f"incidents/{INCIDENT_ID}")
    assert '<link rel="stylesheet" href="../../assets/status.css">' in incident
    served = (built / "assets" / "status.css").read_bytes()
    assert served == STYLESHEET.read_bytes()
    assert b"--major: #a33d00;" in served and b".sp-banner {" in served


def test_the_overrides_add_feeds_and_the_build_time(built: Path) -> None:
    for path in ("", f"incidents/{INCIDENT_ID}"):
        found = re.findall(r'<link rel="alternate" type="([^"]+)"', head(built, path))
        assert set(FEED_TYPES) <= set(found), path
    page = (built / "index.html").read_text(encoding="utf-8")
    footer = page.split('<footer class="sp-footer">', 1)[1]
    assert '<p>Page built <time datetime="2026-11-21T12:00:00+00:00" data-rel>' in footer
    assert 'data-md-component="source"' not in page


def test_the_pages_exist_and_load_no_fonts(built: Path) -> None:
    for path in ("", f"incidents/{INCIDENT_ID}", "history", "components/api", "subscribe"):
        assert (built / path / "index.html").is_file(), path
    assert "API errors" in (built / "incidents" / INCIDENT_ID / "index.html").read_text("utf-8")
    assert (built / "feed.rss").is_file() and (built / "api" / "v2" / "summary.json").is_file()
    for page in built.rglob("*.html"):
        assert "fonts.googleapis.com" not in page.read_text(encoding="utf-8"), page


def test_a_font_the_site_chose_is_kept(tmp_path: Path) -> None:
    config = CONFIG.replace(
        "theme: material\n", "theme:\n  name: material\n  font:\n    text: Inter\n"
    )
    config_file = make_standalone(tmp_path, config)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    site = build_site(config_file, now=NOW)
    assert "https://fonts.googleapis.com/css?family=Inter" in head(site, "about")
    assert "fonts.googleapis.com" not in head(site)  # status pages use the reader's fonts


def test_a_sites_own_main_html_and_stylesheet_win(tmp_path: Path) -> None:
    """A site's ``main.html`` that extends ``statuspage.html`` keeps the feeds on the
    site's own pages; its stylesheets come after the status pages' own too."""
    config = CONFIG.replace(
        "theme: material\n", "theme:\n  name: material\n  custom_dir: overrides\n"
    )
    config_file = make_standalone(tmp_path, config + "extra_css: [own.css]\n")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text(
        '{% extends "statuspage.html" %}\n'
        '{% block extrahead %}{{ super() }}<meta name="x-own" content="1">{% endblock %}\n',
        encoding="utf-8",
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "own.css").write_text(".sp-pill { color: red; }\n", encoding="utf-8")
    (tmp_path / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    site = build_site(config_file, strict=True, now=NOW)
    text = head(site, "about")
    assert '<meta name="x-own" content="1">' in text
    assert 'rel="alternate" type="application/rss+xml"' in text
    assert text.index('href="../assets/docs.css"') < text.index('href="../own.css"')
    text = head(site)
    assert 'name="x-own"' not in text  # the status pages are the generator's own
    ours = text.index('href="assets/status.css"')
    assert ours < text.index('href="own.css"')  # the site's own rules come later and win


def test_serve_needs_no_docs_folder_either(tmp_path: Path) -> None:
    make_standalone(tmp_path)
    before = tree(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ, STATUSPAGE_NOW="2026-11-21 12:00 UTC"),
    )
    try:
        home = f"http://127.0.0.1:{port}/"
        assert wait_for(lambda: "API errors" in fetch(home)), "server did not start"
        assert ".sp-banner" in fetch(home + "assets/status.css")
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert tree(tmp_path) == before


# message templates


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_standalone(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return tmp_path


def new_monitoring() -> str:
    """``statuspage new --template monitoring``: the text of the file it wrote."""
    result = CliRunner().invoke(
        main,
        [
            *("new", "Slow dashboard", "-c", "dashboard", "--status", "monitoring"),
            *("--template", "monitoring", "--next", "1h", "--now", "2026-11-21 12:00 UTC"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return Path(result.stdout.strip()).read_text(encoding="utf-8")


def test_new_finds_the_built_in_template(project: Path) -> None:
    text = new_monitoring()
    assert "## Monitoring · 2026-11-21 12:00 UTC\n\nA fix is in place and Web dashboard is " in text
    assert not (project / "templates").exists()


def test_a_sites_own_template_overrides_the_built_in_one(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "monitoring.md").write_text(
        "Our own words: {component} looks fine. Next update by {next_update}.\n",
        encoding="utf-8",
    )
    text = new_monitoring()
    assert "Our own words: Web dashboard looks fine. Next update by 2026-11-21 13:00 UTC." in text


# in a real browser


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[Served]:
    with serve(built) as site:
        yield site


@pytest.mark.browser
def test_in_chromium_the_page_is_styled_and_asks_for_nothing_outside(served: Served) -> None:
    requests: list[str] = []
    with chromium() as browser:
        page: Any = browser.new_page()
        page.on("request", lambda request: requests.append(request.url))
        for path in ("", f"incidents/{INCIDENT_ID}/"):
            page.goto(served.url(path), wait_until="networkidle")
        page.goto(served.url(), wait_until="networkidle")
        banner = page.eval_on_selector(".sp-banner", "e => getComputedStyle(e).backgroundColor")
    assert banner == "rgb(163, 61, 0)"  # --major in status.css
    assert served.origin + "/assets/status.css" in requests
    assert [url for url in requests if not url.startswith(served.origin + "/")] == []
    assert served.log.errors() == []
