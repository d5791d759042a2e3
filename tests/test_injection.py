"""No text from an incident file or from mkdocs.yml reaches a reader as live markup.

A site whose incident title and whose configured texts (site name,
description, copyright, component names, groups and descriptions, channel
names and uses) all carry script payloads is built with the real MkDocs build
and opened in Debian's Chromium: no dialog opens, and every text reads exactly
as it was written. Configured links with a scheme that would run something are
refused with the line of ``mkdocs.yml`` that holds them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from browser_support import Served, chromium, serve
from markupsafe import escape

from conftest import NOW, copy_site
from generator.plugin import BuildError, build_site

#: Breaks out of an element, an attribute (either quote) and ``<title>``.
PAYLOAD = "<img src=x onerror=alert(1)>\"'><svg onload=alert(2)></title><script>alert(3)</script>"
TITLE = f"API errors {PAYLOAD}"
SITE_NAME = f"Acme {PAYLOAD}"
COMPONENT = f"REST API {PAYLOAD}"
INCIDENT_ID = "2026-11-21-hostile"
PAGES = [
    "",
    f"incidents/{INCIDENT_ID}/",
    "components/api/",
    "history/",
    "history/2026-11/",
    "reliability/",
    "policy/",
    "contact/",
    "subscribe/",
    "about/",
]


#: Elements the payload would have made live: an event handler, or its script.
LIVE_PAYLOADS = """() => [...document.querySelectorAll('*')].filter(e =>
    [...e.attributes].some(a => a.name.startsWith('on'))
    || (e.tagName === 'SCRIPT' && e.textContent.includes('alert('))).map(e => e.outerHTML)"""


def _yaml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a double-quoted YAML scalar


def hostile_site(root: Path) -> Path:
    config_file = copy_site(root)
    text = config_file.read_text(encoding="utf-8")
    for pattern, value in [
        (r"^site_name: .*$", f"site_name: {_yaml(SITE_NAME)}"),
        (r"^site_description: .*$", f"site_description: {_yaml('About ' + PAYLOAD)}"),
        (r"^copyright: .*$", f"copyright: {_yaml('Acme ' + PAYLOAD)}"),
        (r"^(\s+)name: REST API$", rf"\g<1>name: {_yaml(COMPONENT)}"),
        (r"^(\s+)group: Platform$", rf"\g<1>group: {_yaml('Platform ' + PAYLOAD)}"),
        (r"^(\s+)description: The public REST API.*$", rf"\g<1>description: {_yaml(PAYLOAD)}"),
        (r"^(\s+- )name: Live chat$", rf"\g<1>name: {_yaml('Chat ' + PAYLOAD)}"),
        (r"^(\s+)use_for: Technical.*$", rf"\g<1>use_for: {_yaml('Help ' + PAYLOAD)}"),
    ]:
        text, count = re.subn(pattern, lambda m, v=value: m.expand(v), text, count=1, flags=re.M)
        assert count == 1, pattern
    config_file.write_text(text, encoding="utf-8")
    (root / "incidents" / f"{INCIDENT_ID}.md").write_text(
        f"---\ntitle: {_yaml(TITLE)}\nimpact: major\ncomponents: [api]\n"
        f"scope: {_yaml('EU ' + PAYLOAD)}\nworkaround: {_yaml('Retry ' + PAYLOAD)}\n---\n\n"
        "## Investigating · 2026-11-21 11:00 UTC\n\nWe are looking into it.\n",
        encoding="utf-8",
    )
    return config_file


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("hostile")
    site = build_site(hostile_site(work / "src"), site_dir=work / "site", strict=True, now=NOW)
    with serve(site) as served:
        yield served


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Any]:
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(10_000)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        yield page


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_no_configured_or_incident_text_runs_as_script(
    hostile: Served, browser_page: Any, path: str
) -> None:
    page = browser_page
    page.dialogs.clear()
    page.goto(hostile.url(path))
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    assert page.dialogs == []
    assert page.evaluate(LIVE_PAYLOADS) == []
    body = page.inner_text("body")
    assert SITE_NAME in body  # the header: the name reads as it was written
    assert f"Acme {PAYLOAD}" in page.inner_text("footer")


@pytest.mark.browser
def test_incident_title_reads_as_written_in_the_tab_header_and_heading(
    hostile: Served, browser_page: Any
) -> None:
    page = browser_page
    page.goto(hostile.url(f"incidents/{INCIDENT_ID}/"))
    assert page.title() == f"{TITLE} - {SITE_NAME}"
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert TITLE in page.inner_text("header")
    assert page.get_attribute('meta[name="description"]', "content") == f"About {PAYLOAD}"
    page.goto(hostile.url("components/api/"))
    assert page.title() == f"{COMPONENT} - {SITE_NAME}"


@pytest.mark.browser
def test_search_results_show_hostile_titles_as_text(hostile: Served, browser_page: Any) -> None:
    page = browser_page
    page.dialogs.clear()
    page.goto(hostile.url("history/"))
    page.locator("input.md-search__input").click()
    page.keyboard.type("errors")
    result = page.locator(".md-search-result__item").first
    result.wait_for()
    assert "API errors" in result.inner_text()
    assert "<img src=x" in page.inner_text(".md-search-result")
    assert page.dialogs == []


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,x"],
)
def test_a_channel_link_that_would_run_something_is_refused_with_its_line(
    tmp_path: Path, url: str
) -> None:
    config_file = copy_site(tmp_path)
    text = config_file.read_text(encoding="utf-8")
    text = text.replace("url: https://example.com/support/chat", f"url: {_yaml(url)}")
    config_file.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"          url: {_yaml(url)}") + 1
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "kept.html").write_text("previous", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(config_file, now=NOW)
    assert f"mkdocs.yml:{line}: plugins.statuspage.channels.0.url: " in str(caught.value)
    assert "start it with https:, http:, mailto:, tel:" in str(caught.value)
    assert (tmp_path / "site" / "kept.html").read_text(encoding="utf-8") == "previous"


@pytest.mark.parametrize("key", ["repo_url", "site_url"])
def test_a_site_or_repository_link_must_be_http(tmp_path: Path, key: str) -> None:
    config_file = copy_site(tmp_path)
    text = re.sub(
        rf"(?m)^{key}: .*$", f"{key}: javascript://x/%0Aalert(1)", config_file.read_text("utf-8")
    )
    config_file.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(key))
    with pytest.raises(BuildError) as caught:
        build_site(config_file, now=NOW)
    assert f"mkdocs.yml:{line}: {key}: " in str(caught.value)


def test_the_title_reads_as_written_in_every_machine_output(hostile: Served) -> None:
    import feedparser

    site = hostile.root
    for name in ("feed.rss", "feed.atom"):
        titles = [e.title for e in feedparser.parse((site / name).read_bytes()).entries]
        assert f"Investigating: {TITLE}" in titles, name
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert f"Investigating: {TITLE}" in [item["title"] for item in feed["items"]]
    api = json.loads((site / "api/v2/incidents.json").read_text(encoding="utf-8"))
    assert TITLE in [incident["name"] for incident in api["incidents"]]
    components = json.loads((site / "api/v2/components.json").read_text(encoding="utf-8"))
    assert COMPONENT in [c["name"] for c in components["components"]]
    badge = ElementTree.parse(site / "components/api/badge.svg").getroot()
    texts = [e.text for e in badge.iter() if e.tag.endswith("}text")]
    assert COMPONENT in texts  # an SVG text node, never markup
    assert not [e for e in badge.iter() if e.tag.endswith(("}script", "}img"))]


def test_the_title_reads_as_written_in_announcements(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    config = hostile_site(tmp_path)
    result = CliRunner().invoke(
        main,
        ["announce", "--format", "json", "--config", str(config), "--now", "2026-11-21 11:05 UTC"],
    )
    assert result.exit_code == 0, result.output
    item = next(i for i in json.loads(result.output) if i["id"].startswith(INCIDENT_ID))
    assert item["email"]["subject"] == f"[Status] {TITLE}: Investigating"
    assert item["post"].startswith(f"{TITLE}: Investigating")
    assert item["webhook"]["title"] == TITLE
    assert TITLE not in item["email"]["html"]  # escaped there, as HTML must be
    assert str(escape(TITLE)) in item["email"]["html"]
