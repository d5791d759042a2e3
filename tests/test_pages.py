"""Page views: what the generated pages are handed, computed outside the templates."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest
from outputs_support import ACTIVE, COMPLETED, POSTMORTEM, make_config, make_status, options

from generator.core.config import site_config
from generator.core.facts import FactKind, incident_facts, pills
from generator.core.model import Impact
from generator.core.times import format_day
from generator.site.pages import SiteRenderer


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
