"""How the status pages look and behave in Chromium: shape, bars, times, schemes, weight.

The fixture site (an active major incident, a maintenance window) is built
with the real build and served under ``/status/``; a site of 400 synthetic
incidents, 30 of them open, shows that the home page's weight does not grow
with history. Debian's Chromium visits them over local HTTP.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser_support import Served, chromium, describe, run_axe, serve
from test_build import make_site

from generator.plugin import build_site
from generator.site.layout import ASSETS_DIR

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTIVE = "incidents/2026-11-21-api-down/"
ACTIVE_TITLE = "API <b>errors</b> & timeouts"
WIDTHS = (390, 1280)
PAGES = [
    "",
    ACTIVE,
    "incidents/2026-11-30-upgrade/",
    "components/api/",
    "history/",
    "history/2026-11/",
    "reliability/",
    "subscribe/",
    "embed/",
]
#: What a home page may weigh with everything it loads, and how many requests.
BUDGET_BYTES = 50 * 1024
BUDGET_REQUESTS = 8


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("look")
    config = make_site(work / "src", site_url="https://example.org/status/")
    build_site(config, site_dir=work / "www" / "status", strict=True, now=NOW)
    with serve(work / "www", prefix="/status/") as served:
        yield served


def many_incidents(folder: Path, count: int, open_count: int) -> None:
    """``count`` incidents over the last 90 days, the newest ``open_count`` still open."""
    components = ["api", "dashboard", "auth", "db", "pipeline", "webhooks", "email"]
    for n in range(count):
        began = NOW - timedelta(hours=5 + n * 5)
        status = "Identified" if n < open_count else "Resolved"
        later = began + timedelta(minutes=30 + n % 90)
        (folder / f"{began:%Y-%m-%d}-synthetic-{n}.md").write_text(
            f"---\ntitle: Synthetic incident number {n} with a longer title\n"
            f"impact: {('minor', 'major', 'critical')[n % 3]}\n"
            f"components: [{components[n % 7]}, {components[(n + 3) % 7]}]\n"
            f"scope: Customers of shard {n}\nworkaround: Retry request {n}.\n---\n\n"
            f"## {status} · {later:%Y-%m-%d %H:%M} UTC\n\n"
            f"Update {n}: {'we are rolling back. ' * 12}\n\n"
            f"## Investigating · {began:%Y-%m-%d %H:%M} UTC\n\n"
            f"We are sorry: requests to shard {n} fail. {'Details follow. ' * 10}\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("look-big")
    config = make_site(work / "src")
    many_incidents(work / "src" / "incidents", 400, 30)
    site = build_site(config, site_dir=work / "site", now=NOW)
    with serve(site) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def new_page(browser: Any, width: int = 1280, **options: Any) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


# --- page shape ------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scroll_and_no_docs_chrome(browser: Any, site: Served, width: int) -> None:
    page = new_page(browser, width, is_mobile=width < 500, has_touch=width < 500)
    try:
        for path in PAGES:
            page.goto(site.url(path))
            size = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert size[0] <= size[1] == width, (path, size)
            assert page.locator("input").count() == (1 if path == "history/" else 0), path
            assert (
                page.locator(
                    ".md-sidebar, .md-search, .md-source, [title='Edit this page']"
                ).count()
                == 0
            )
            if path != "embed/":
                button = page.get_by_role("link", name="Subscribe to updates")
                assert button.is_visible() and button.get_attribute("href").endswith("subscribe/")
                assert "Made with" not in page.inner_text("footer")
    finally:
        page.context.close()


def test_incident_and_component_pages_say_where_the_reader_is(browser: Any, site: Served) -> None:
    page = new_page(browser)
    try:
        page.goto(site.url(ACTIVE))
        trail = page.get_by_role("navigation", name="You are here")
        assert trail.inner_text().split("\n") == [
            "Status",
            "History",
            "November 2026",
            ACTIVE_TITLE,
        ]
        assert page.locator(".sp-tabs [aria-current]").inner_text() == "History"
        trail.get_by_role("link", name="November 2026").click()
        assert page.url == site.url("history/2026-11/")
        page.goto(site.url("components/api/"))
        page.get_by_role("navigation", name="You are here").get_by_role("link").click()
        assert page.url == site.url("")
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_bars_span_the_content_width(browser: Any, site: Served, width: int) -> None:
    page = new_page(browser, width)
    try:
        for path in ("", "components/api/"):
            page.goto(site.url(path))
            shares = page.evaluate("""() => {
              const main = document.querySelector('main');
              const style = getComputedStyle(main);
              const width = main.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
              return [...document.querySelectorAll('.sp-days')]
                .filter(bar => bar.offsetParent).map(bar => bar.offsetWidth / width);
            }""")
            assert shares and min(shares) >= 0.9, (path, shares)
            axis = page.locator(".sp-axis").first.inner_text().split("\n")
            assert axis[0] == "90 days ago" and axis[-1] == "Today"
            assert re.fullmatch(r"\d+\.\d\d % uptime", axis[1])
    finally:
        page.context.close()


def test_status_lists_have_no_markers(browser: Any, site: Served) -> None:
    page = new_page(browser)
    try:
        for path in ("", ACTIVE, "components/api/", "history/"):
            page.goto(site.url(path))
            markers = page.evaluate("""() => [...document.querySelectorAll(
              '.sp-components > li, .sp-list > li, .sp-recent > li, .sp-legend > li,'
              + ' .sp-timeline > li, .sp-tips > li, .sp-tabs li, .sp-trail li')]
              .map(li => getComputedStyle(li).listStyleType)""")
            assert markers and set(markers) == {"none"}, path
    finally:
        page.context.close()


def test_groups_open_when_a_member_is_affected(browser: Any, site: Served) -> None:
    page = new_page(browser)
    try:
        page.goto(site.url(""))
        groups = page.locator("details.sp-group")
        states = {
            groups.nth(i).locator("summary > span").first.inner_text(): (
                groups.nth(i).get_attribute("open") is not None,
                groups.nth(i).locator(".sp-state").inner_text(),
            )
            for i in range(groups.count())
        }
        assert states == {
            "Platform": (True, "Partial outage"),
            "Data": (False, "Operational"),
            "Integrations": (False, "Operational"),
        }
    finally:
        page.context.close()


# --- days by keyboard and by touch, without JavaScript ---------------------------


@pytest.mark.parametrize("javascript", [True, False])
def test_each_day_opens_by_keyboard_with_its_incidents(
    browser: Any, site: Served, javascript: bool
) -> None:
    page = new_page(browser, java_script_enabled=javascript)
    try:
        page.goto(site.url(""))
        page.get_by_role("link", name="REST API", exact=True).focus()
        page.keyboard.press("Tab")
        first = page.evaluate("() => document.activeElement.closest('.sp-d') !== null")
        assert first
        page.keyboard.press("Enter")
        panel = page.locator(".sp-d[open] > div")
        assert panel.count() == 1 and panel.is_visible()
        assert panel.inner_text().startswith("Monday 24 August 2026 · Operational")
        for _ in range(89):  # to today, day by day
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        today = page.locator(".sp-d[open] > div")
        assert today.count() == 1  # one day open at a time in a bar
        text = today.inner_text()
        assert text.startswith("Saturday 21 November 2026 · Partial outage")
        assert "Affected for 1 h" in text
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == ACTIVE_TITLE
        page.keyboard.press("Enter")
        page.wait_for_url(site.url(ACTIVE))
    finally:
        page.context.close()


def test_a_day_opens_by_touch_without_javascript(browser: Any, site: Served) -> None:
    page = new_page(browser, 390, java_script_enabled=False, is_mobile=True, has_touch=True)
    try:
        page.goto(site.url(""))
        day = page.locator(".sp-days").first.locator(".sp-d").last
        day.locator("summary").tap()
        panel = day.locator("div")
        assert panel.is_visible() and ACTIVE_TITLE in panel.inner_text()
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    finally:
        page.context.close()


# --- times -------------------------------------------------------------------------


def test_local_time_is_added_beside_the_sites_in_the_readers_zone(
    browser: Any, site: Served
) -> None:
    tokyo = new_page(browser, timezone_id="Asia/Tokyo", locale="en-GB")
    utc = new_page(browser, timezone_id="UTC")
    try:
        tokyo.goto(site.url(ACTIVE))
        latest = tokyo.locator("article.sp-update").first
        assert latest.locator("time").inner_text() == "2026-11-21 11:30 UTC"
        local = latest.locator(".sp-local").inner_text()
        assert "20:30" in local and "GMT+9" in local and "Nov 21" in local  # in the page's language
        utc.goto(site.url(ACTIVE))
        assert utc.locator("time").count() > 3
        assert utc.locator(".sp-local").count() == 0  # same zone: nothing to add
    finally:
        tokyo.context.close()
        utc.context.close()


def test_relative_times_follow_the_readers_clock(browser: Any, site: Served) -> None:
    page = new_page(browser, timezone_id="UTC")
    try:
        page.clock.install(time=NOW + timedelta(minutes=5))
        page.goto(site.url(""))
        built = page.locator(".sp-banner .sp-rel")
        assert built.inner_text() == " · 5 min. ago"
        next_update = page.locator(".sp-next .sp-rel").first
        assert next_update.inner_text() == " · in 55 min."
        page.clock.run_for("30:00")
        assert built.inner_text() == " · 35 min. ago"
        assert next_update.inner_text() == " · in 25 min."
        page.clock.run_for("02:00:00")
        assert built.inner_text() == " · 3 hr. ago"  # 2 h 35 min
        assert next_update.inner_text() == " · 2 hr. ago"  # 1 h 35 min
    finally:
        page.context.close()


def test_without_javascript_times_stand_alone_and_nothing_is_frozen(
    browser: Any, site: Served
) -> None:
    page = new_page(browser, java_script_enabled=False, timezone_id="Asia/Tokyo")
    try:
        page.goto(site.url(""))
        assert page.locator(".sp-rel, .sp-local").count() == 0
        text = page.inner_text("main")
        assert "Next update by 2026-11-21 13:00 UTC" in text
        assert not re.search(r"\d+ (min|h|d) ago", text)  # nothing computed at build
        assert page.locator(".sp-scheme").is_hidden()  # the toggle needs the script
    finally:
        page.context.close()


# --- colour schemes ------------------------------------------------------------------


CONTRAST_JS = """() => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const bg = getComputedStyle(document.body).backgroundColor;
  const out = {};
  for (const kind of ['componentstatus', 'impact', 'updatestatus']) {
    for (const value of STATUSES[kind]) {
      const pill = document.createElement('span');
      pill.className = `sp-pill sp-${kind}-${value}`;
      const banner = document.createElement('div');
      banner.className = `sp-banner sp-${kind}-${value}`;
      document.querySelector('main').append(pill, banner);
      out[`${kind}-${value}`] = [ratio(getComputedStyle(pill).color, bg),
        ratio(getComputedStyle(banner).color, getComputedStyle(banner).backgroundColor)];
    }
  }
  return [bg, out];
}"""
STATUSES = {
    "componentstatus": [
        "operational",
        "degraded_performance",
        "partial_outage",
        "major_outage",
        "under_maintenance",
    ],
    "impact": ["none", "minor", "major", "critical", "maintenance"],
    "updatestatus": [
        "investigating",
        "identified",
        "monitoring",
        "update",
        "resolved",
        "scheduled",
        "in_progress",
        "verifying",
        "completed",
        "postmortem",
    ],
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_status_colours_keep_4_5_to_1_in_both_schemes(
    browser: Any, site: Served, scheme: str
) -> None:
    page = new_page(browser, color_scheme=scheme)
    try:
        page.goto(site.url(""))
        script = CONTRAST_JS.replace("STATUSES", repr(STATUSES))
        background, ratios = page.evaluate(script)
        assert background == ("rgb(255, 255, 255)" if scheme == "light" else "rgb(21, 23, 28)")
        low = {name: r for name, r in ratios.items() if min(r) < 4.5}
        assert len(ratios) == 20 and low == {}
    finally:
        page.context.close()


def test_the_toggle_switches_the_scheme_and_remembers_it(browser: Any, site: Served) -> None:
    page = new_page(browser, color_scheme="light")
    try:
        page.goto(site.url(""))
        background = "() => getComputedStyle(document.body).backgroundColor"
        assert page.evaluate(background) == "rgb(255, 255, 255)"
        toggle = page.get_by_role("button", name="Dark mode")
        assert toggle.get_attribute("aria-pressed") == "false"
        toggle.click()
        assert page.evaluate(background) == "rgb(21, 23, 28)"
        assert toggle.get_attribute("aria-pressed") == "true"
        page.goto(site.url(ACTIVE))  # another page, the same choice
        assert page.evaluate(background) == "rgb(21, 23, 28)"
        page.get_by_role("button", name="Dark mode").click()
        page.reload()
        assert page.evaluate(background) == "rgb(255, 255, 255)"
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation(browser: Any, site: Served, scheme: str, width: int) -> None:
    page = new_page(browser, width, color_scheme=scheme)
    try:
        for path in ("", ACTIVE, "components/api/", "history/", "reliability/", "embed/"):
            page.goto(site.url(path))
            if path == "":
                page.locator(".sp-days").first.locator(".sp-d").last.locator("summary").click()
            violations = run_axe(page)
            assert violations == [], f"{path}: {describe(violations)}"
    finally:
        page.context.close()


# --- weight ----------------------------------------------------------------------------


def load(page: Any, url: str) -> list[tuple[str, int]]:
    """Every request the page makes, with the gzip size of what it got."""
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    return [
        (r.url, len(gzip.compress(b"" if r.status in range(300, 400) else r.body(), 6)))
        for r in responses
    ]


@pytest.mark.parametrize("which", ["fixture", "400 incidents"])
def test_the_home_page_keeps_its_weight_budget(
    browser: Any, site: Served, big_site: Served, which: str
) -> None:
    served = site if which == "fixture" else big_site
    page = new_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        loaded = load(page, served.url(""))
        total = sum(size for _, size in loaded)
        assert len(loaded) <= BUDGET_REQUESTS, loaded
        assert total <= BUDGET_BYTES, loaded
        assert all(url.startswith(served.origin + "/") for url, _ in loaded)
        names = {url.rsplit("/", 1)[-1] for url, _ in loaded}
        assert {"status.css", "status.js"} <= names
        assert not names & {"search.js", "incidents.json", "sitemap.xml"}
        assert not [url for url, _ in loaded if "/assets/javascripts/" in url]
        assert served.log.errors() == [] and dialogs == []
    finally:
        page.context.close()


def test_search_loads_only_on_history_and_only_when_used(browser: Any, site: Served) -> None:
    page = new_page(browser)
    try:
        loaded = [url for url, _ in load(page, site.url("history/"))]
        assert any(url.endswith("/assets/search.js") for url in loaded)
        assert not any(url.endswith("/search/incidents.json") for url in loaded)
        with page.expect_response("**/search/incidents.json"):
            page.get_by_role("searchbox", name="Search past incidents").fill("tokyo")
        page.locator(".sp-results li").first.wait_for()
        for path in ("", ACTIVE, "components/api/", "reliability/"):
            assert not [u for u, _ in load(page, site.url(path)) if "search" in u], path
    finally:
        page.context.close()


# --- embeds ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def team_site(tmp_path_factory: pytest.TempPathFactory, site: Served) -> Iterator[Served]:
    """Another site, on another origin, that embeds the status page's banner."""
    root = tmp_path_factory.mktemp("team")
    (root / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Team</title></head><body>'
        '<h1>Our product</h1><div id="status"></div>'
        f'<script src="{site.url("embed.js")}" data-target="#status" async></script>'
        "</body></html>",
        encoding="utf-8",
    )
    with serve(root) as served:
        yield served


def test_embed_js_shows_the_banner_on_another_site_as_text(
    browser: Any, site: Served, team_site: Served
) -> None:
    page = new_page(browser)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(team_site.url(""), wait_until="networkidle")
        banner = page.locator("#status .statuspage-embed")
        banner.wait_for()
        lines = banner.inner_text().split("\n")
        assert lines[:2] == ["Partial System Outage", ACTIVE_TITLE]  # markup read as text
        assert banner.locator("b, script, img").count() == 0
        link = banner.get_by_role("link", name=ACTIVE_TITLE)
        assert link.get_attribute("href") == "https://example.org/status/" + ACTIVE
        assert {r.split("/")[2] for r in requests} == {
            team_site.origin.split("/")[2],
            site.origin.split("/")[2],
        }
        assert sorted(
            r.removeprefix(site.origin) for r in requests if r.startswith(site.origin)
        ) == [
            "/status/api/v2/incidents/unresolved.json",
            "/status/api/v2/status.json",
            "/status/embed.js",
        ]
    finally:
        page.context.close()


def test_the_embed_page_can_be_framed(browser: Any, site: Served, team_site: Served) -> None:
    page = new_page(browser)
    try:
        page.goto(team_site.url(""))
        page.set_content(f'<iframe src="{site.url("embed/")}" title="Status"></iframe>')
        frame = page.frame_locator("iframe")
        assert frame.get_by_role("status").inner_text().startswith("Partial System Outage")
        assert frame.get_by_role("link", name=ACTIVE_TITLE).is_visible()
        assert frame.locator("base").get_attribute("target") == "_top"
    finally:
        page.context.close()


def test_the_scripts_stay_small() -> None:
    for name, limit in (("status.js", 2048), ("embed.js", 3072)):
        data = (ASSETS_DIR / name).read_bytes()
        assert len(data) <= limit, (name, len(data))
        assert len(gzip.compress(data, 9)) < limit / 2
    for name in ("status.js", "embed.js", "search.js"):
        assert "innerHTML" not in (ASSETS_DIR / name).read_text(encoding="utf-8")
