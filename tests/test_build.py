"""The real MkDocs build of a small site, read back as HTML."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import FIXTURES, copy_site
from generator.plugin import BuildError, build_site

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ACTIVE = "2026-11-21-api-down"


def make_site(root: Path, *, site_url: str | None = None, timezone: str | None = None) -> Path:
    """The example site's configuration and theme, with the fixture incidents."""
    config_file = copy_site(root, FIXTURES / "site" / "incidents")
    text = config_file.read_text(encoding="utf-8")
    if site_url:
        text = re.sub(r"(?m)^site_url: .*$", f"site_url: {site_url}", text)
    if timezone:
        text = re.sub(r"(?m)^(\s+timezone: ).*$", rf"\g<1>{timezone}", text)
    config_file.write_text(text, encoding="utf-8")
    return config_file


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_site(tmp_path_factory.mktemp("site"))
    return build_site(config, strict=True, now=NOW)


@pytest.fixture(scope="module")
def built_subpath(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = make_site(
        tmp_path_factory.mktemp("sub"),
        site_url="https://example.org/status/",
        timezone="Europe/Berlin",
    )
    return build_site(config, strict=True, now=NOW)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_home_shows_status_active_incident_and_components(built: Path) -> None:
    home = page(built, "")
    text = text_of(home)
    assert "Partial System Outage" in text
    assert "API &lt;b&gt;errors&lt;/b&gt; &amp; timeouts" in home  # markup in a title shows as text
    assert "Who is affected: EU customers calling the API" in text
    assert "What you can do meanwhile: Retry with back-off." in text
    assert "Next update by 2026-11-21 13:00 UTC" in text
    assert re.search(r"REST API\s*</a>\s*<span class=\"sp-pill [^\"]+\">Partial outage", home)
    assert re.search(r"Databases?|Managed databases", text)
    assert "Database upgrade" in text  # upcoming maintenance


def test_incident_page_timeline_newest_first_and_sanitised(built: Path) -> None:
    html = page(built, f"incidents/{ACTIVE}")
    anchors = re.findall(r'<article class="sp-update[^"]*" id="(update-[0-9TZ]+)"', html)
    assert anchors == ["update-20261121T113000Z", "update-20261121T110000Z"]
    assert '<time datetime="2026-11-21T11:30:00+00:00" data-rel>2026-11-21 11:30 UTC</time>' in html
    body = html.split('<main id="main"', 1)[1]
    assert "<script>alert" not in body
    assert "onerror" not in body and "javascript:" not in body
    assert "tracker.example.net" not in body


def test_times_in_site_zone_and_subpath_links(built_subpath: Path) -> None:
    html = page(built_subpath, f"incidents/{ACTIVE}")
    assert '<time datetime="2026-11-21T11:30:00+00:00" data-rel>2026-11-21 12:30 CET</time>' in html
    assert '<link rel="canonical" href="https://example.org/status/incidents/' in html
    home = page(built_subpath, "")
    assert f'href="incidents/{ACTIVE}/"' in home


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.resources: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.anchors.append(values["href"] or "")
        elif tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.resources.append(values["src"] or "")
        elif tag == "link" and values.get("rel") != "canonical" and values.get("href"):
            self.resources.append(values["href"] or "")


def test_every_link_stays_on_the_site_under_its_subpath(built_subpath: Path) -> None:
    base = "https://example.org/status/"
    allowed_link_hosts = {"example.org", "github.com", "example.com"}
    pages = sorted(built_subpath.rglob("*.html"))
    assert len(pages) > 8
    for html_file in pages:
        url = urljoin(base, html_file.relative_to(built_subpath).as_posix())
        parser = _Links()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for resource in parser.resources:
            absolute = urljoin(url, resource)
            assert absolute.startswith(base), f"{html_file}: loads {resource}"
            target = built_subpath / urlsplit(absolute).path.removeprefix("/status/")
            assert target.exists(), f"{html_file}: {resource} is missing"
        for anchor in parser.anchors:
            absolute = urljoin(url, anchor)
            parts = urlsplit(absolute)
            if parts.scheme in ("mailto", "tel"):
                continue
            assert parts.hostname in allowed_link_hosts, f"{html_file}: links to {anchor}"
            if absolute.startswith(base):
                path = parts.path.removeprefix("/status/")
                target = built_subpath / path
                assert target.exists() or (target / "index.html").exists(), absolute


def test_no_third_party_fonts(built: Path) -> None:
    for html_file in built.rglob("*.html"):
        assert "fonts.googleapis.com" not in html_file.read_text(encoding="utf-8")


def test_history_and_month_pages(built: Path) -> None:
    history = text_of(page(built, "history"))
    assert history.index("November 2026") < history.index("October 2026")
    month = page(built, "history/2026-08")
    assert "東京リージョンの遅延" in month
    assert (built / "components" / "db" / "index.html").exists()
    assert "Slow database queries" in page(built, "components/db")
    assert "Slow database queries" not in page(built, "components/api")


def tabs_of(html: str) -> str:
    return html.split('class="sp-tabs"', 1)[1].split("</nav>", 1)[0]


def test_generated_pages_are_not_in_the_nav(built: Path) -> None:
    for nav in (tabs_of(page(built, "")), page(built, "about").split('class="md-nav', 1)[1]):
        nav = nav.split("</nav>", 1)[0]
        assert "history/" in nav and "subscribe/" in nav
        assert ACTIVE not in nav and "components/db" not in nav


def test_edit_link_points_at_the_incident_file(built: Path) -> None:
    html = page(built, f"incidents/{ACTIVE}")
    assert f'href="https://github.com/acme/status/edit/main/incidents/{ACTIVE}.md"' in html


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    site = build_site(config, now=NOW)
    (site / "marker.txt").write_text("previous build")
    bad = tmp_path / "s" / "incidents" / "2026-11-21-bad.md"
    bad.write_text(
        "---\ntitle: Bad\nimpact: mayor\n---\n\n## Investigating · 2026-11-21 10:00 UTC\n\nHi.\n"
    )
    with pytest.raises(BuildError) as raised:
        build_site(config, now=NOW)
    assert "incidents/2026-11-21-bad.md:3: impact: 'mayor'" in str(raised.value)
    assert (site / "marker.txt").read_text() == "previous build"
    assert (site / "index.html").exists()
    assert sorted(p.name for p in site.parent.iterdir() if p.name.startswith(".")) == []


def test_strict_build_failure_keeps_the_previous_site(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    site = build_site(config, now=NOW)
    (tmp_path / "s" / "site_src" / "docs" / "broken.md").write_text("[x](missing.md)\n")
    with pytest.raises(BuildError):
        build_site(config, strict=True, now=NOW)
    assert (site / "index.html").exists()
    assert not (site / "broken").exists()


def test_cli_build_exit_code(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    (tmp_path / "s" / "incidents" / "2026-11-21-bad.md").write_text("no frontmatter\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--now", "2026-11-21 12:00 UTC"],
        cwd=config.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "incidents/2026-11-21-bad.md:1: frontmatter: missing" in result.stderr
    assert not (config.parent / "site").exists()


def test_plain_mkdocs_build_uses_the_plugin(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=config.parent,
        capture_output=True,
        text=True,
        check=False,
        env={
            "STATUSPAGE_NOW": "2026-11-21 12:00 UTC",
            "NO_MKDOCS_2_WARNING": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode == 0, result.stderr
    assert (config.parent / "site" / "incidents" / ACTIVE / "index.html").exists()


def test_subscribe_page_lists_every_channel_and_component_feed(built_subpath: Path) -> None:
    html = page(built_subpath, "subscribe")
    text = text_of(html)
    assert "https://example.org/status/feed.rss" in text
    assert "https://example.org/status/maintenance.ics" in text
    for component in ("api", "dashboard", "db", "email"):
        assert f'href="../components/{component}/feed.rss"' in html
        assert f'href="../components/{component}/feed.atom"' in html
    # the embed snippet is shown as code, never as live markup
    assert "&lt;img src=&#34;https://example.org/status/badge.svg&#34;" in html
    assert 'href="subscribe/"' in tabs_of(page(built_subpath, ""))


def test_maintenance_page_offers_its_calendar_event(built: Path) -> None:
    html = page(built, "incidents/2026-11-30-upgrade")
    assert 'href="../../incidents/2026-11-30-upgrade/event.ics"' in html
    assert (built / "incidents" / "2026-11-30-upgrade" / "event.ics").exists()
    assert "event.ics" not in page(built, f"incidents/{ACTIVE}")


def test_component_page_shows_its_badge_with_the_status_in_words(built: Path) -> None:
    html = page(built, "components/api")
    badge = '<img src="../../components/api/badge.svg" alt="Status badge: REST API Partial outage">'
    assert badge in html


def test_updates_in_the_same_second_get_distinct_anchors(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    (tmp_path / "s" / "incidents" / "2026-11-19-twice.md").write_text(
        "---\ntitle: Twice\nimpact: minor\ncomponents: [api]\n---\n\n"
        "## Resolved · 2026-11-19 10:00 UTC\n\nFixed.\n\n"
        "## Investigating · 2026-11-19 10:00 UTC\n\nLooking.\n",
        encoding="utf-8",
    )
    html = page(build_site(config, strict=True, now=NOW), "incidents/2026-11-19-twice")
    ids = re.findall(r'<article class="sp-update[^"]*" id="([^"]+)"', html)
    assert len(ids) == 2 and len(set(ids)) == 2
    assert set(ids) == {"update-20261119T100000Z", "update-20261119T100000Z-2"}


def test_a_half_filled_template_never_reaches_the_page(tmp_path: Path) -> None:
    config = make_site(tmp_path / "s")
    site = build_site(config, now=NOW)
    (tmp_path / "s" / "incidents" / "2026-11-21-half.md").write_text(
        "---\ntitle: Half\nimpact: minor\ncomponents: [api]\n---\n\n"
        "## Investigating · 2026-11-21 10:00 UTC\n\nUse {workaround} meanwhile.\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError, match=r"2026-11-21-half.md:9: update: unfilled placeholder"):
        build_site(config, now=NOW)
    assert not (site / "incidents" / "2026-11-21-half").exists()


def search_index(site: Path) -> list[dict[str, str]]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs: list[dict[str, str]] = index["docs"]
    return docs


def test_search_finds_each_incident_and_update_by_its_anchor(built: Path) -> None:
    entries = {e["location"]: e for e in search_index(built)}
    page_url = f"incidents/{ACTIVE}/"
    head = entries[page_url]
    assert head["title"] == "API &lt;b&gt;errors&lt;/b&gt; &amp; timeouts"  # text, as the theme's
    assert "<p>Major impact · Identified</p>" in head["text"]
    assert "<p>Who is affected: EU customers calling the API</p>" in head["text"]
    assert "REST API (partial outage)" in head["text"]
    updates = sorted(k for k in entries if k.startswith(page_url + "#"))
    assert updates == [f"{page_url}#update-20261121T110000Z", f"{page_url}#update-20261121T113000Z"]
    html = page(built, f"incidents/{ACTIVE}")
    for location in updates:
        assert f'id="{location.split("#")[1]}"' in html  # the link lands on the update
    first = entries[f"{page_url}#update-20261121T110000Z"]
    assert first["title"] == "Investigating · 2026-11-21 11:00 UTC"
    assert first["text"] == "<p>We are sorry: the API is failing for some customers.</p>"
    assert "東京" in json.dumps([e["title"] for e in entries.values()], ensure_ascii=False)


def test_search_index_holds_no_markup_from_incident_files(built: Path) -> None:
    kept = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}  # what the theme keeps
    for entry in search_index(built):
        for field in ("title", "text"):
            tags = set(re.findall(r"</?([a-zA-Z0-9]+)", entry[field]))
            assert tags <= kept, (entry["location"], tags)
            assert "javascript:" not in entry[field] and "onerror" not in entry[field]


def test_search_leaves_out_what_every_incident_page_repeats(built: Path) -> None:
    """The contact block is on each incident page but indexed once, on its own page."""
    entries = search_index(built)
    holding = [e["location"] for e in entries if "Live chat" in e["text"] + e["title"]]
    assert holding and not [loc for loc in holding if loc.startswith("incidents/")]
    assert "How to reach us" in page(built, f"incidents/{ACTIVE}")  # still on the page


def test_pages_listing_incidents_are_indexed_by_what_they_are(built: Path) -> None:
    entries = {e["location"]: e for e in search_index(built)}
    assert entries["history/2026-11/"]["title"] == "Incidents in November 2026"
    # upcoming maintenance is not history yet
    assert entries["history/2026-11/"]["text"] == "<p>1 incident in November 2026</p>"
    api = entries["components/api/"]
    assert api["title"] == "REST API" and "Status, uptime and incidents of REST API." in api["text"]
    # one entry per listing page: the incidents it lists are found on their own pages
    assert not [loc for loc in entries if loc.startswith(("components/api/#", "history/2026-11/#"))]


GENERATED = ["", "history", "history/2026-11", "reliability", "policy", "contact", "subscribe"]


def test_generated_pages_are_complete_documents_without_the_theme(built: Path) -> None:
    """The status pages are the generator's own documents: no theme markup, stylesheet
    or script; the site's own Markdown pages are still the theme's."""
    pages = [page(built, path) for path in GENERATED]
    pages += [p.read_text(encoding="utf-8") for p in built.glob("*/*/index.html")]
    assert len(pages) > 15
    for html in pages:
        assert html.startswith('<!doctype html>\n<html lang="en"')
        assert html.rstrip().endswith("</html>") and html.count("<body>") == 1
        assert "md-" not in html and "assets/javascripts/" not in html
        assert "assets/stylesheets/" not in html
        assert re.search(r'<link rel="stylesheet" href="(\.\./)*assets/status\.css">', html)
        assert "Made with" not in html
    about = page(built, "about")
    assert 'class="md-content"' in about and "assets/docs.css" in about
    assert "squidfunk" not in about  # no theme advertisement there either
    assert 'href="../history/"' in about  # the theme's pages lead back to the status pages


def test_tabs_mark_where_the_reader_is(built: Path) -> None:
    def current(html: str) -> list[str]:
        return re.findall(r'<a href="[^"]*" aria-current="[^"]+">([^<]+)</a>', tabs_of(html))

    assert current(page(built, "")) == ["Status"]
    assert current(page(built, "history/2026-11")) == ["History"]
    assert current(page(built, f"incidents/{ACTIVE}")) == ["History"]
    assert current(page(built, "components/api")) == ["Status"]
    trail = page(built, f"incidents/{ACTIVE}").split('class="sp-trail"', 1)[1]
    trail = trail.split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', trail) == [
        ("../../", "Status"),
        ("../../history/", "History"),
        ("../../history/2026-11/", "November 2026"),
    ]
    assert '<span aria-current="page">API &lt;b&gt;errors&lt;/b&gt; &amp; timeouts</span>' in trail


def test_offline_search_holds_the_incidents_too(tmp_path: Path) -> None:
    """Material's offline plugin copies the index into search_index.js after us."""
    config = make_site(tmp_path / "src")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - search\n", "  - search\n  - offline\n", 1), "utf-8")
    site = build_site(config, strict=True, now=NOW)
    script = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    # offline sites use .../index.html links
    assert f"incidents/{ACTIVE}/index.html#update-20261121T113000Z" in script
    assert "history/2026-11/index.html" in script


def test_a_page_of_the_same_name_in_docs_dir_is_indexed_once(tmp_path: Path) -> None:
    config = make_site(tmp_path / "src")
    own = tmp_path / "src" / "site_src" / "docs" / "components" / "api" / "index.md"
    own.parent.mkdir(parents=True)
    own.write_text("# Our API\n\nWritten by hand.\n", encoding="utf-8")
    site = build_site(config, now=NOW)
    entries = [e for e in search_index(site) if e["location"] == "components/api/"]
    assert [e["title"] for e in entries] == ["Our API"]


def test_the_sitemap_lists_every_page_with_incident_pages_dated_by_their_last_change(
    built: Path,
) -> None:
    """Pages outside the navigation are written as files, not theme pages; the
    sitemap still lists each, escaped, an incident page with its last change."""
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    pages = sorted(p.parent.relative_to(built).as_posix() for p in built.rglob("index.html"))
    for folder in pages:
        url = "https://status.example.com/" + ("" if folder == "." else folder + "/")
        assert url in entries, f"{url} is not in the sitemap"
    assert len(entries) == len(pages)
    assert entries["https://status.example.com/incidents/2026-10-02-db-slow/"].startswith("2026-10")
