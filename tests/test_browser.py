"""The built site in a real browser: privacy, no-script, accessibility, feeds, mobile.

Two sites are built once with the real MkDocs build: the fixture incidents
(an active major incident with hostile Markdown, a maintenance window) served
under ``/status/`` with ``site_url: https://example.org/status/``, and the real
example history at the root. Debian's Chromium visits them through a local
HTTP server; nothing here needs the internet.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag, urlsplit

import feedparser
import pytest
from browser_support import (
    Served,
    chromium,
    describe,
    run_axe,
    serve,
)
from test_build import make_site

from conftest import EXAMPLE, copy_site
from generator.plugin import build_site

pytestmark = pytest.mark.browser

FIXTURE_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
EXAMPLE_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ACTIVE = "incidents/2026-11-21-api-down/"
ACTIVE_TITLE = "API <b>errors</b> & timeouts"  # markup in a title shows as text
MAINTENANCE = "incidents/2026-11-30-upgrade/"
FIXTURE_PAGES = [
    "",
    ACTIVE,
    MAINTENANCE,
    "history/",
    "history/2026-11/",
    "components/api/",
    "policy/",
    "contact/",
    "about/",
    "subscribe/",
]
STATUS_LABELS = {
    "Operational",
    "Degraded performance",
    "Partial outage",
    "Major outage",
    "Under maintenance",
}
EXPECTED_COMPONENTS = {
    "REST API": "Partial outage",
    "Web dashboard": "Degraded performance",
    "Sign-in and SSO": "Operational",
    "Managed databases": "Operational",
    "Data pipeline": "Operational",
    "Webhooks": "Operational",
    "E-mail notifications": "Operational",
}
FEED_TYPES = {
    "application/rss+xml": "rss20",
    "application/atom+xml": "atom10",
    "application/feed+json": "json",
}


# --- sites, servers, browser (once per module) -------------------------------


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The fixture incidents, built for https://example.org/status/ and served at /status/."""
    work = tmp_path_factory.mktemp("browser-fixture")
    config = make_site(work / "src", site_url="https://example.org/status/")
    build_site(config, site_dir=work / "www" / "status", strict=True, now=FIXTURE_NOW)
    with serve(work / "www", prefix="/status/") as served:
        yield served


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The repository's own example history, built as it is configured."""
    work = tmp_path_factory.mktemp("browser-example")
    site = build_site(copy_site(work, EXAMPLE / "incidents"), strict=True, now=EXAMPLE_NOW)
    with serve(site) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def no_script(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# --- a crawl of the served site, recording what the browser asked for ----------


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external_links: set[str] = field(default_factory=set)
    resources: set[str] = field(default_factory=set)
    fetched: dict[str, int] = field(default_factory=dict)


LINKS_JS = """() => ({
  links: [...document.querySelectorAll('a[href]')].map(a => a.href),
  resources: [...document.querySelectorAll('link[href], script[src], img[src]')]
    .map(e => e.href || e.src),
})"""


def _failed(record: Crawl, request: Any) -> None:
    """A request that failed, but the favicon the next page's load cancelled:
    Chromium asks for it after the page is idle (the favicon itself is fetched
    and checked with every other resource)."""
    cancelled = request.failure == "net::ERR_ABORTED"
    if not (cancelled and request.url.endswith("/assets/favicon.svg")):
        record.failed.append(f"{request.url}: {request.failure}")


@pytest.fixture(scope="module")
def crawl(browser: Any, fixture_site: Served) -> Iterator[Crawl]:
    """Every page reachable from home under /status/, visited with JavaScript on.

    Pages are loaded in the browser (so their CSS, scripts, images, the search
    index and the feeds' autodiscovery all load); every other same-site link and
    resource is fetched, so a link that escapes the prefix shows up as a 404.
    """
    record = Crawl()
    context = browser.new_context()
    context.on("request", lambda request: record.requests.append(request.url))
    context.on("requestfailed", lambda request: _failed(record, request))
    context.on(
        "response",
        lambda response: (
            record.bad_responses.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console",
        lambda message: (
            record.console_errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: record.page_errors.append(f"{page.url}: {error}"))

    def on_dialog(dialog: Any) -> None:
        record.dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    base = fixture_site.base
    queue = [base + path for path in FIXTURE_PAGES]
    seen: set[str] = set(queue)
    others: set[str] = set()
    while queue:
        url = queue.pop(0)
        response = page.goto(url, wait_until="networkidle")
        assert response is not None
        record.visited.append(url)
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        found = page.evaluate(LINKS_JS)
        record.resources.update(found["resources"])
        for link in found["links"]:
            target = urldefrag(link).url
            if not target.startswith(("http://", "https://")):
                continue  # mailto:, tel:
            if not target.startswith(fixture_site.origin):
                record.external_links.add(target)
            elif target.startswith(base) and target.endswith("/") and target not in seen:
                seen.add(target)
                queue.append(target)
            elif target not in seen:
                others.add(target)
    for url in sorted(others | {r for r in record.resources if r not in seen}):
        if url.startswith(fixture_site.origin):
            record.fetched[url] = page.request.get(url).status
    context.close()
    yield record


def test_pages_request_nothing_outside_the_site(crawl: Crawl, fixture_site: Served) -> None:
    visited = {url.removeprefix(fixture_site.base) for url in crawl.visited}
    assert set(FIXTURE_PAGES) <= visited
    assert len(visited) >= 20  # components, months and incidents found by following links
    outside = sorted({url for url in crawl.requests if not url.startswith(fixture_site.origin)})
    assert outside == []
    asked = {urlsplit(url).path for url in crawl.requests}
    # The recording sees the theme's assets and the search index the script loads.
    assert "/status/assets/status.css" in asked
    assert "/status/search/search_index.json" in asked
    assert any(path.startswith("/status/assets/javascripts/bundle.") for path in asked)


def test_pages_load_without_errors_or_injected_script(crawl: Crawl) -> None:
    assert crawl.failed == []
    assert crawl.bad_responses == []
    assert crawl.console_errors == []
    assert crawl.page_errors == []
    assert crawl.dialogs == []  # the fixture's <script>alert(…) and onerror= never ran


def test_under_a_subpath_every_link_and_asset_resolves(crawl: Crawl, fixture_site: Served) -> None:
    broken = {url: status for url, status in crawl.fetched.items() if status != 200}
    assert broken == {}
    fetched = {urlsplit(url).path for url in crawl.fetched}
    assert {"/status/feed.rss", "/status/feed.atom", "/status/maintenance.ics"} <= fetched
    assert fixture_site.log.errors() == []
    served = fixture_site.log.paths()
    assert served and all(path.startswith("/status/") for path in served)
    # Internal links are relative (they work on any host and prefix); links that leave
    # the site go to the repository (edit links) and the contact channels; no theme credit.
    hosts = {urlsplit(url).netloc for url in crawl.external_links}
    assert hosts == {"github.com", "example.com"}


@pytest.fixture(scope="module")
def schemes(browser: Any) -> Iterator[dict[str, Any]]:
    """A page per colour-scheme preference, reused across the pages checked."""
    pages: dict[str, Any] = {}
    contexts = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        contexts.append(context)
        pages[scheme] = context.new_page()
    yield pages
    for context in contexts:
        context.close()


# --- without JavaScript --------------------------------------------------------


def component_statuses(page: Any) -> dict[str, str]:
    """Each component's status as the page says it; closed groups are opened as a
    reader would (without JavaScript too)."""
    closed = page.locator("details.sp-group:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    statuses: dict[str, str] = {}
    for item in page.locator(".sp-components > li").all():
        name = item.locator("a").first
        pill = item.locator(".sp-pill").first
        assert name.is_visible() and pill.is_visible()
        statuses[name.inner_text().strip()] = pill.inner_text().strip()
    return statuses


def test_without_javascript_the_status_is_readable_and_navigable(
    no_script: Any, fixture_site: Served
) -> None:
    page = no_script
    page.goto(fixture_site.url())
    banner = page.get_by_role("status")
    assert banner.is_visible()
    assert banner.inner_text().startswith("Partial System Outage")
    active = page.locator(".sp-active")
    assert active.is_visible()
    for text in (
        "Who is affected: EU customers calling the API",
        "What you can do meanwhile: Retry with back-off.",
        "Next update by 2026-11-21 13:00 UTC",
    ):
        assert active.get_by_text(text).is_visible()
    assert component_statuses(page) == EXPECTED_COMPONENTS

    page.get_by_role("link", name=ACTIVE_TITLE).first.click()
    assert page.url == fixture_site.url(ACTIVE)
    assert page.get_by_role("heading", level=1).inner_text() == ACTIVE_TITLE
    updates = page.locator("article.sp-update")
    assert updates.count() == 2
    assert updates.first.is_visible()
    assert updates.first.locator(".sp-pill").inner_text() == "Identified"

    page.get_by_role("link", name="History", exact=True).first.click()
    assert page.url == fixture_site.url("history/")
    assert page.get_by_role("heading", level=1).inner_text() == "Incident history"
    page.get_by_role("link", name=ACTIVE_TITLE).first.click()
    assert page.url == fixture_site.url(ACTIVE)
    page.go_back()
    assert page.url == fixture_site.url("history/")
    page.get_by_role("link", name="November 2026").first.click()
    assert page.url == fixture_site.url("history/2026-11/")
    assert page.get_by_role("link", name=ACTIVE_TITLE).first.is_visible()


def test_component_status_is_told_in_words_not_colour_alone(
    schemes: dict[str, Any], fixture_site: Served
) -> None:
    page = schemes["light"]
    page.goto(fixture_site.url())
    statuses = component_statuses(page)
    assert set(statuses.values()) <= STATUS_LABELS
    # Grey everything out: the words are still there, and distinct statuses still differ.
    page.add_style_tag(content="* { color: #000 !important; background: #fff !important; }")
    assert component_statuses(page) == statuses
    assert len(set(statuses.values())) == 3
    bars = page.locator(".sp-days")
    assert bars.count() == len(statuses)
    for bar in bars.all():
        assert re.fullmatch(r"Daily status for the last \d+ days", bar.get_attribute("aria-label"))
    # The component page says it in words as well.
    page.goto(fixture_site.url("components/api/"))
    assert page.locator(".sp-pill", has_text="Partial outage").first.is_visible()


# --- accessibility ---------------------------------------------------------------


AXE_PAGES = [
    ("fixture", MAINTENANCE),
    ("fixture", "history/"),
    ("fixture", "history/2026-11/"),
    ("fixture", "components/api/"),
    ("fixture", "policy/"),
    ("fixture", "contact/"),
    ("fixture", "subscribe/"),
    ("fixture", "about/"),
    ("example", ""),
    ("example", "incidents/2026-10-28-login-failures/"),  # with a postmortem
    ("example", "incidents/2026-09-17-pipeline-ja/"),
    ("example", "history/"),
    ("example", "components/auth/"),
    ("example", "policy/"),
    ("example", "contact/"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("which", "path"), AXE_PAGES)
def test_pages_have_no_wcag_a_or_aa_violations(
    schemes: dict[str, Any],
    fixture_site: Served,
    example_site: Served,
    which: str,
    path: str,
    scheme: str,
) -> None:
    site = fixture_site if which == "fixture" else example_site
    page = schemes[scheme]
    page.goto(site.url(path))
    violations = run_axe(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("path", ["", ACTIVE])
def test_pages_with_hostile_markdown_have_no_wcag_violations(
    schemes: dict[str, Any], fixture_site: Served, path: str
) -> None:
    """Home and the active incident carry hostile Markdown (a script, a remote image)."""
    page = schemes["light"]
    page.goto(fixture_site.url(path))
    violations = run_axe(page)
    assert violations == [], describe(violations)


# --- feeds ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", ACTIVE, "history/"])
def test_feed_autodiscovery_links_resolve_to_feeds(
    schemes: dict[str, Any], fixture_site: Served, path: str
) -> None:
    page = schemes["light"]
    page.goto(fixture_site.url(path))
    links = page.eval_on_selector_all(
        "head link[rel=alternate]",
        "links => links.map(l => ({type: l.type, title: l.title, href: l.href}))",
    )
    assert sorted(link["type"] for link in links) == sorted(FEED_TYPES)
    for link in links:
        assert link["title"].startswith("Acme Cloud Status")
        assert urlsplit(link["href"]).path.startswith("/status/feed.")
        response = page.request.get(link["href"])
        assert response.status == 200
        served_type = response.headers["content-type"].split(";")[0]
        body = response.body()
        if FEED_TYPES[link["type"]] == "json":
            assert served_type == "application/json"
            feed = json.loads(body)
            assert feed["version"] == "https://jsonfeed.org/version/1.1"
            assert feed["home_page_url"] == "https://example.org/status/"
            titles = [item["title"] for item in feed["items"]]
        else:
            assert served_type == link["type"]
            parsed = feedparser.parse(body)
            assert not parsed.bozo, parsed.get("bozo_exception")
            assert parsed.version == FEED_TYPES[link["type"]]
            assert parsed.feed.link.rstrip("/") == "https://example.org/status"
            titles = [entry.title for entry in parsed.entries]
        # One entry per update; the title is plain text, as on the page.
        assert f"Identified: {ACTIVE_TITLE}" in titles


# --- small screens ------------------------------------------------------------------


@pytest.mark.parametrize("site_name", ["fixture", "example"])
def test_a_375px_screen_has_no_horizontal_scroll(
    browser: Any, fixture_site: Served, example_site: Served, site_name: str
) -> None:
    site = fixture_site if site_name == "fixture" else example_site
    paths = (
        ["", ACTIVE, MAINTENANCE, "history/"]
        if site_name == "fixture"
        else ["", "incidents/2026-10-28-login-failures/", "incidents/2026-09-17-pipeline-ja/"]
    )
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        for path in paths:
            page.goto(site.url(path))
            width = page.evaluate(
                "() => ({scroll: document.documentElement.scrollWidth,"
                " client: document.documentElement.clientWidth})"
            )
            assert width["client"] == 375
            assert width["scroll"] <= width["client"], (path, width)
    finally:
        context.close()


# --- search ------------------------------------------------------------------------


def test_search_finds_an_update_and_lands_on_it(browser: Any, example_site: Served) -> None:
    """History's own search, over the compact index the generator writes for it."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    target = "incidents/2026-10-28-login-failures/"
    try:
        page.goto(example_site.url("history/"))
        with page.expect_response("**/search/incidents.json"):
            page.get_by_role("searchbox", name="Search past incidents").fill("certificate")
        hit = page.locator(f".sp-results a[href$='{target}']")
        hit.wait_for(state="attached")
        assert (hit.text_content() or "").startswith("Sign-in failures")
        assert page.locator(".sp-results li").count() == 1
        hit.click()
        assert page.url == example_site.url(target)
    finally:
        context.close()
