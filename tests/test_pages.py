"""Page views: what the generated pages are handed, computed outside the templates."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from outputs_support import ACTIVE, COMPLETED, POSTMORTEM, make_config, make_status, options

from generator.core.config import site_config
from generator.core.facts import FactKind, incident_facts, pills
from generator.core.model import Impact
from generator.core.times import format_day
from generator.site.days import _day_slices, _minutes, recent_days
from generator.site.layout import DEFAULT_TABS, Tab, edit_url, page_path, tabs_from_nav
from generator.site.pages import SiteRenderer
from generator.site.share import script_json


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("name", ['Acme "Cloud" & Co', "<b>Acme</b>", "it's <script>"])
def test_the_embed_snippet_keeps_any_site_name_as_text(name: str) -> None:
    loaded = options()
    config = site_config(loaded["options"], site_name=name, site_url=loaded["site_url"])
    renderer = SiteRenderer(config, make_status(config))
    page = next(spec for spec in renderer.pages() if spec.src_uri == "subscribe/index.md")
    shown = page.render().split("<pre><code>", 1)[1].split("</code></pre>", 1)[0]
    snippet = html.unescape(shown)  # what a reader copies
    parser = _Tags()
    parser.feed(snippet)
    assert [tag for tag, _ in parser.found] == ["a", "img"]
    assert parser.found[1][1]["alt"] == name


def test_facts_say_workaround_and_component_statuses_only_while_open() -> None:
    config = make_config()
    status = make_status(config)
    open_view, closed_view = status.view(ACTIVE), status.view(POSTMORTEM)
    assert open_view is not None and closed_view is not None
    kinds = [fact.kind for fact in incident_facts(open_view, config.timezone)]
    assert FactKind.WORKAROUND in kinds and FactKind.ENDED not in kinds
    components = next(
        f for f in incident_facts(open_view, config.timezone) if f.kind is FactKind.COMPONENTS
    )
    assert all(cstatus is not None for _, cstatus in components.components)
    closed = incident_facts(closed_view, config.timezone)
    assert FactKind.WORKAROUND not in [fact.kind for fact in closed]
    ended = next(fact for fact in closed if fact.kind is FactKind.ENDED)
    assert ended.label == "Resolved" and ended.note.startswith("lasted ")


def test_maintenance_facts_lead_with_the_window_and_end_completed() -> None:
    config = make_config()
    view = make_status(config).view(COMPLETED)
    assert view is not None
    facts = incident_facts(view, config.timezone)
    assert facts[0].kind is FactKind.WINDOW and facts[0].label == "Maintenance window"
    assert facts[-1].label == "Completed" and facts[-1].note == ""
    assert pills(view) == [(view.status, view.status.label)]


def test_an_incident_without_impact_says_no_impact_once() -> None:
    config = make_config()
    view = make_status(config).view(ACTIVE)
    assert view is not None
    calm = replace(view, incident=replace(view.incident, impact=Impact.NONE))
    assert pills(calm)[0] == (Impact.NONE, "No impact")


def test_day_headings_do_not_follow_the_machines_locale() -> None:
    assert format_day(date(2026, 11, 3)) == "Tuesday 03 November 2026"
    assert format_day(date(2026, 11, 3), "ja") != format_day(date(2026, 11, 3))


# the layout, the days of the home page, shared links


def test_tabs_come_from_the_sites_nav_with_sections_and_links() -> None:
    nav = [
        {"Status": "index.md"},
        "about.md",
        {"Guides": [{"Start": "guides/start.md"}, "guides/more.md"]},
        {"Blog": "https://blog.example.com/"},
        {"Empty": []},
    ]
    assert tabs_from_nav(nav, directory_urls=True) == (
        Tab("Status", ""),
        Tab("About", "about/"),
        Tab("Guides", "guides/start/"),
        Tab("Blog", "https://blog.example.com/"),
    )
    assert [t.target for t in tabs_from_nav(nav, directory_urls=False)][:3] == [
        "",
        "about.html",
        "guides/start.html",
    ]
    assert tabs_from_nav(None, directory_urls=True) == DEFAULT_TABS
    assert page_path("history/index.md", True) == "history/"


def test_edit_links_name_the_file_under_the_project(tmp_path: Path) -> None:
    file = tmp_path / "incidents" / "2026" / "a b.md"
    assert edit_url("https://github.com/o/r", "edit/main/", tmp_path, file) == (
        "https://github.com/o/r/edit/main/incidents/2026/a%20b.md"
    )
    assert edit_url("", "edit/main/", tmp_path, file) == ""
    assert edit_url("https://github.com/o/r", "edit/main", tmp_path / "x", file) == ""


def test_minutes_of_impact_count_overlaps_once_and_split_at_local_midnight() -> None:
    tz = ZoneInfo("Asia/Tokyo")
    begin = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
    slices = list(_day_slices(begin, begin + timedelta(hours=2), tz))
    assert [(day.isoformat(), round((b - a).total_seconds() / 60)) for day, a, b in slices] == [
        ("2026-11-20", 30),
        ("2026-11-21", 90),
    ]
    hour = timedelta(hours=1)
    assert _minutes([(begin, begin + hour), (begin + hour / 2, begin + 2 * hour)]) == 120
    assert _minutes([(begin, begin + hour), (begin + 3 * hour, begin + 4 * hour)]) == 120


def test_quiet_days_in_a_row_are_one_entry() -> None:
    config = make_config()
    view = make_status(config).view(ACTIVE)
    assert view is not None
    days = [date(2026, 11, 21 - n) for n in range(7)]
    entries = recent_days([(d, (view,) if d.day in (20, 17) else ()) for d in days])
    assert [(e.day.day, e.last.day if e.last else None, len(e.views)) for e in entries] == [
        (21, 21, 0),
        (20, None, 1),
        (18, 19, 0),
        (17, None, 1),
        (15, 16, 0),
    ]


@pytest.mark.parametrize("title", ["</script><script>alert(1)</script>", "a\u2028b & <!--"])
def test_json_ld_cannot_close_its_script_element(title: str) -> None:
    text = str(script_json({"headline": title}))
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text) == {"headline": title}


def test_every_page_renders_alone_as_a_complete_document() -> None:
    """The renderer seam: documents by site path, from the core's data only."""
    config = make_config()
    renderer = SiteRenderer(config, make_status(config))
    documents = dict(renderer.documents())
    assert {"index.html", "history/index.html", "embed/index.html"} <= set(documents)
    assert all(path.endswith("index.html") for path in documents)
    for path, document in documents.items():
        text = document.decode("utf-8")
        assert text.startswith("<!doctype html>") and text.rstrip().endswith("</html>"), path
        depth = path.count("/")
        assert f'href="{"../" * depth}assets/status.css"' in text, path
    one = next(spec for spec in renderer.pages() if spec.incident is not None)
    assert one.render() == documents[one.dest].decode("utf-8")  # callable per page, the same
