"""No text from an incident file or from mkdocs.yml reaches a reader as live markup.

A site whose incident title and whose configured texts (site name,
description, copyright, component names, groups and descriptions, channel
names and uses) all carry script payloads is built with the real MkDocs build
and opened in Debian's Chromium: no dialog opens, and every text reads exactly
as it was written. Configured links with a scheme that would run something are
refused with the line of ``mkdocs.yml`` that holds them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
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
MAINTENANCE_ID = "2026-11-30-hostile-window"
MAINTENANCE = f"Upgrade {PAYLOAD}"
LATER = "2026-11-21 12:00 UTC"  # after every update of the hostile site
JSON = ("--format", "json")
PAGES = [
    "",
    f"incidents/{INCIDENT_ID}/",
    f"incidents/{MAINTENANCE_ID}/",
    "components/api/",
    "history/",
    "history/2026-11/",
    "reliability/",
    "policy/",
    "contact/",
    "subscribe/",
    "about/",
]


#: Elements the payload would have made live: an event handler, or its script
#: (a JSON-LD data block holds the title as data; see test_shared_link_data_...).
LIVE_PAYLOADS = """() => [...document.querySelectorAll('*')].filter(e =>
    [...e.attributes].some(a => a.name.startsWith('on'))
    || (e.tagName === 'SCRIPT' && e.type !== 'application/ld+json'
        && e.textContent.includes('alert('))).map(e => e.outerHTML)"""
#: Every script element of the page: what it loads, its type, its text.
SCRIPTS = "() => [...document.scripts].map(s => [s.getAttribute('src'), s.type, s.textContent])"


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
        f"Summary {PAYLOAD} [link](javascript:alert(4)) ![i](data:image/png;base64,AA)\n\n"
        f"## Postmortem · 2026-11-21 11:50 UTC\n\n### What happened\n\n{PAYLOAD}\n\n"
        f"## Resolved · 2026-11-21 11:40 UTC\n\nFixed {PAYLOAD}\n\n"
        f"## Identified · 2026-11-21 11:10 UTC\n\nThe log says `{PAYLOAD}` and {PAYLOAD}\n\n"
        "## Investigating · 2026-11-21 11:00 UTC\n\nWe are looking into it.\n",
        encoding="utf-8",
    )
    (root / "incidents" / f"{MAINTENANCE_ID}.md").write_text(
        f"---\ntitle: {_yaml(MAINTENANCE)}\nkind: maintenance\ncomponents: [api]\n"
        f"scope: {_yaml('All ' + PAYLOAD)}\nstart: 2026-11-30 06:00 UTC\n"
        "end: 2026-11-30 08:00 UTC\n---\n\n"
        f"## Scheduled · 2026-11-21 10:00 UTC\n\nWe will upgrade {PAYLOAD}\n",
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
    page.get_by_role("searchbox").click()
    page.keyboard.type("errors")
    result = page.locator(".sp-results li").first
    result.wait_for()
    assert result.inner_text().startswith(TITLE)
    assert "<img src=x" in page.inner_text(".sp-results")
    assert page.evaluate(LIVE_PAYLOADS) == []
    assert page.dialogs == []


@pytest.mark.browser
@pytest.mark.parametrize("path", [f"incidents/{INCIDENT_ID}/", f"incidents/{MAINTENANCE_ID}/"])
def test_shared_link_data_holds_the_title_as_text_and_never_breaks_out(
    hostile: Served, browser_page: Any, path: str
) -> None:
    """OpenGraph meta and JSON-LD carry a title with ``</script>`` in it as data."""
    page = browser_page
    page.goto(hostile.url(path))
    title = TITLE if INCIDENT_ID in path else MAINTENANCE
    scripts = page.evaluate(SCRIPTS)
    assert [(src, kind) for src, kind, _ in scripts] == [
        ("../../assets/status.js", ""),
        (None, "application/ld+json"),
    ]  # the payload's <script> stayed inside the data: no element broke out
    data = json.loads(scripts[1][2])
    assert data["headline"] == title and data["@type"] == "Article"
    assert data["url"].endswith(f"/{path}")
    assert "</" not in scripts[1][2]
    assert page.get_attribute('meta[property="og:title"]', "content") == title
    assert page.get_attribute('meta[name="twitter:title"]', "content") == title
    said = page.get_attribute('meta[property="og:description"]', "content")
    assert said == data["description"]
    assert said.startswith(("Postmortem", "Resolved: Fixed ", "Scheduled: We will upgrade"))
    assert "<img" not in said and "<script" not in said  # raw HTML sanitised away
    assert "\"'>" in said  # and the text around it kept, as text


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
        ["announce", INCIDENT_ID, "--format", "json", "--config", str(config), "--now", LATER],
    )
    assert result.exit_code == 0, result.output
    item = next(i for i in json.loads(result.output) if i["id"].startswith(INCIDENT_ID))
    assert item["email"]["subject"] == f"[Status] {TITLE}: Postmortem"
    assert item["post"].startswith(f"{TITLE}: Postmortem")
    assert item["webhook"]["title"] == TITLE
    assert TITLE not in item["email"]["html"]  # escaped there, as HTML must be
    assert str(escape(TITLE)) in item["email"]["html"]


class _LiveMarkup(HTMLParser):
    """What in an HTML fragment a browser would run or load: scripts, handlers, URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "form"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            scheme = (value or "").strip().lower()
            if name.startswith("on") or scheme.startswith(("javascript:", "data:")):
                self.found.append(f"<{tag} {name}={value!r}>")


def live_markup(fragment: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(fragment)
    return parser.found


def test_feed_entries_carry_every_field_as_text_never_as_live_markup(hostile: Served) -> None:
    from xml.etree.ElementTree import fromstring

    site = hostile.root
    rss = fromstring((site / "feed.rss").read_bytes())
    atom = fromstring((site / "feed.atom").read_bytes())
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    fragments = [e.text or "" for e in rss.iter("description")]
    fragments += [e.text or "" for e in atom.iter("{http://www.w3.org/2005/Atom}content")]
    fragments += [item.get("content_html", "") for item in feed["items"]]
    assert len(fragments) > 6
    for fragment in fragments:
        assert live_markup(fragment) == [], fragment
    shown = " ".join(html.unescape(re.sub(r"<[^>]+>", "", f)) for f in fragments)
    assert f"EU {PAYLOAD}" in shown and PAYLOAD in shown  # scope and the update, as text
    titles = [e.text for e in rss.iter("title")]
    assert f"Scheduled: {MAINTENANCE}" in titles


def test_the_calendar_and_the_api_say_the_window_as_written(hostile: Served) -> None:
    from icalendar import Calendar

    site = hostile.root
    calendar = Calendar.from_ical((site / f"incidents/{MAINTENANCE_ID}/event.ics").read_bytes())
    (event,) = [c for c in calendar.walk() if c.name == "VEVENT"]
    assert str(event["SUMMARY"]) == MAINTENANCE
    assert f"Who is affected: All {PAYLOAD}" in str(event["DESCRIPTION"])
    api = json.loads((site / "api/v2/scheduled-maintenances.json").read_text(encoding="utf-8"))
    (window,) = [m for m in api["scheduled_maintenances"] if m["id"].endswith(MAINTENANCE_ID)]
    assert window["name"] == MAINTENANCE
    # An update is Markdown: its raw HTML is markup, sanitised away, never passed on.
    bodies = [u["body"] for u in window["incident_updates"]]
    assert any(b.startswith("We will upgrade") for b in bodies)
    assert not any("<img" in b or "<script" in b for b in bodies)
    incidents = json.loads((site / "api/v2/incidents.json").read_text(encoding="utf-8"))
    (hostile,) = [i for i in incidents["incidents"] if i["id"].endswith(INCIDENT_ID)]
    # What the author wrote as code is text, and reads as written.
    assert any(f"The log says {PAYLOAD}" in u["body"] for u in hostile["incident_updates"])


def test_the_email_html_holds_no_live_markup(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    config = hostile_site(tmp_path)
    result = CliRunner().invoke(
        main,
        ["announce", INCIDENT_ID, MAINTENANCE_ID, "--config", str(config), "--now", LATER, *JSON],
    )
    assert result.exit_code == 0, result.output
    for item in json.loads(result.output):
        assert live_markup(item["email"]["html"]) == [], item["id"]
        assert PAYLOAD in item["email"]["text"] or MAINTENANCE in item["email"]["text"]


def test_template_values_given_with_set_never_become_live_markup(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    config = copy_site(tmp_path)
    command = ["new", "API errors", "-c", "api", "--impact", "major", "--next", "30m"]
    values = ["--template", "investigating", "--set", f"symptom=requests fail {PAYLOAD}"]
    where = ["--config", str(config), "--now", "2026-11-21 11:00 UTC"]
    result = CliRunner().invoke(main, [*command, *values, *where])
    assert result.exit_code == 0, result.output
    site = build_site(config, site_dir=tmp_path / "site", now=NOW)
    page = next((site / "incidents").glob("*/index.html")).read_text(encoding="utf-8")
    content = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert live_markup(content) == []
    assert "requests fail" in content
