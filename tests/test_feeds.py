"""Feeds read back by independent consumers: feedparser (RSS, Atom) and a JSON Feed schema."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import feedparser
import pytest
from outputs_support import (
    ACTIVE,
    COMPLETED,
    IN_PROGRESS,
    JAPANESE,
    NOW,
    POSTMORTEM,
    STATUS_MAP,
    SUBPATH_URL,
    UNANNOUNCED,
    UPCOMING,
    build,
    errors,
    incident,
    load,
    make_config,
    make_status,
    replaced,
)

from generator.core.model import Update, UpdateStatus
from generator.outputs import build_outputs, feed_links
from generator.outputs.feeds import COMPONENT_FEEDS, feed_files

HOST = "https://status.example.com/"
# Every entry of the fixture at NOW, newest first: (incident id, entry key, title).
EXPECTED = [
    (UNANNOUNCED, "scheduled-20261210T030000Z", "Scheduled: DNS provider change"),
    (ACTIVE, "update-20261121T113000Z", "Update: Elevated error rates on the API"),
    (IN_PROGRESS, "in-progress-20261121T110000Z", "In progress: Network upgrade in US-East"),
    (ACTIVE, "update-20261121T104000Z", "Identified: Elevated error rates on the API"),
    (ACTIVE, "update-20261121T101500Z", "Investigating: Elevated error rates on the API"),
    (UPCOMING, "update-20261120T090000Z", "Scheduled: Managed database upgrade"),
    (JAPANESE, "update-20261117T180000Z", "Resolved: データパイプラインの遅延"),
    (JAPANESE, "update-20261117T160000Z", "Investigating: データパイプラインの遅延"),
    (STATUS_MAP, "update-20261115T100000Z", "Resolved: Slow database queries"),
    (STATUS_MAP, "update-20261115T090000Z", "Investigating: Slow database queries"),
    (IN_PROGRESS, "update-20261114T100000Z", "Scheduled: Network upgrade in US-East"),
    (POSTMORTEM, "postmortem-20261112T150000Z", "Postmortem: Sign-in failures for all customers"),
    (POSTMORTEM, "update-20261110T093000Z", "Resolved: Sign-in failures for all customers"),
    (POSTMORTEM, "update-20261110T085000Z", "Monitoring: Sign-in failures for all customers"),
    (POSTMORTEM, "update-20261110T080000Z", "Investigating: Sign-in failures for all customers"),
    (COMPLETED, "completed-20261105T230000Z", "Completed: E-mail provider migration"),
    (COMPLETED, "update-20261105T220000Z", "In progress: E-mail provider migration"),
    (COMPLETED, "update-20261101T100000Z", "Scheduled: E-mail provider migration"),
]


def parse(data: bytes) -> Any:
    feed = feedparser.parse(data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def key_of(entry_id: str) -> tuple[str, str]:
    """``(incident id, key)`` out of ``tag:host,date:/path/incidents/<id>/<key>``."""
    match = re.fullmatch(
        r"tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:/(?:.*/)?incidents/([^/]+)/([^/]+)", entry_id
    )
    assert match, entry_id
    return match[1], match[2]


def entry_time(entry: Any) -> datetime:
    return datetime(*entry.published_parsed[:6], tzinfo=UTC)


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return build()


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_site_feed_has_one_entry_per_update_newest_first(outputs: dict[str, bytes], name: str):
    feed = parse(outputs[name])
    got = [(*key_of(e.id), e.title) for e in feed.entries]
    assert got == EXPECTED
    times = [entry_time(e) for e in feed.entries]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_entry_links_dates_and_content(outputs: dict[str, bytes], name: str):
    entries = {key_of(e.id): e for e in parse(outputs[name]).entries}
    identified = entries[(ACTIVE, "update-20261121T104000Z")]
    assert identified.link == f"{HOST}incidents/{ACTIVE}/#update-20261121T104000Z"
    assert entry_time(identified) == datetime(2026, 11, 21, 10, 40, tzinfo=UTC)
    assert "A faulty load balancer change." in identified.summary
    assert "Who is affected:" in identified.summary
    assert [t.term for t in identified.tags] == (
        ["api", "dashboard"] if name == "feed.atom" else ["REST API", "Web dashboard"]
    )
    postmortem = entries[(POSTMORTEM, "postmortem-20261112T150000Z")]
    assert postmortem.link == f"{HOST}incidents/{POSTMORTEM}/#postmortem"
    assert "An expired certificate" in postmortem.summary
    started = entries[(IN_PROGRESS, "in-progress-20261121T110000Z")]
    assert started.link == f"{HOST}incidents/{IN_PROGRESS}/"
    assert entry_time(started) == datetime(2026, 11, 21, 11, 0, tzinfo=UTC)


def test_rss_guids_are_not_permalinks_and_ids_are_unique(outputs: dict[str, bytes]):
    guids = re.findall(rb'<guid isPermaLink="false">([^<]+)</guid>', outputs["feed.rss"])
    assert len(guids) == len(EXPECTED) == len(set(guids))
    assert outputs["feed.rss"].count(b"<guid") == len(EXPECTED)


@pytest.mark.parametrize("name", ["feed.rss", "feed.atom"])
def test_feed_updated_is_the_newest_entry_not_the_clock(outputs: dict[str, bytes], name: str):
    feed = parse(outputs[name]).feed
    assert datetime(*feed.updated_parsed[:6], tzinfo=UTC) == datetime(2026, 12, 10, 3, tzinfo=UTC)
    later = make_config()
    again = feed_files(later, make_status(later, now=NOW.replace(hour=12, minute=3)))
    assert again[name] == outputs[name]


def test_empty_feed_is_dated_at_a_fixed_epoch_not_the_build_time():
    config = make_config()
    data = feed_files(config, make_status(config, incidents=[]))
    assert b"<updated>1970-01-01T00:00:00+00:00</updated>" in data["feed.atom"]
    assert parse(data["feed.atom"]).entries == []


def test_ids_survive_a_new_update_and_a_renamed_title():
    config = make_config()
    incidents = load(config)
    before = {
        e.id for e in parse(feed_files(config, make_status(config, incidents))["feed.atom"]).entries
    }
    active = incident(incidents, ACTIVE)
    newer = Update(UpdateStatus.MONITORING, datetime(2026, 11, 21, 11, 50, tzinfo=UTC), "Fixed.", 9)
    changed = replaced(incidents, ACTIVE, title="Renamed", updates=(*active.updates, newer))
    feed = parse(feed_files(config, make_status(config, changed))["feed.atom"])
    after = {e.id: e.title for e in feed.entries}
    assert before < set(after)
    assert len(after) == len(before) + 1
    assert feed.entries[1].title == "Monitoring: Renamed"


def test_same_second_updates_get_distinct_stable_ids():
    config = make_config()
    incidents = load(config)
    active = incident(incidents, ACTIVE)
    twin = replace(active.updates[-1], body="A second word at the same second.", line=99)
    changed = replaced(incidents, ACTIVE, updates=(*active.updates, twin))
    feed = parse(feed_files(config, make_status(config, changed))["feed.atom"])
    keys = [key for iid, key in map(key_of, (e.id for e in feed.entries)) if iid == ACTIVE]
    assert "update-20261121T113000Z" in keys and "update-20261121T113000Z-2" in keys
    assert len(keys) == len(set(keys))


def test_no_script_or_handler_reaches_any_feed(outputs: dict[str, bytes]):
    for path, data in outputs.items():
        if "feed." not in path:
            continue
        text = data.decode("utf-8").lower()
        assert "<script" not in text and "&lt;script" not in text, path
        assert "alert(" not in text, path
        assert "onerror" not in text and "javascript:" not in text, path
    entry = next(
        e for e in parse(outputs["feed.atom"]).entries if key_of(e.id)[1].endswith("101500Z")
    )
    assert "We are investigating elevated error rates" in entry.summary
    assert "alert" not in entry.summary


def test_subpath_site_puts_every_link_under_the_subpath():
    outputs = build(url=SUBPATH_URL)
    for name in ["feed.rss", "feed.atom", "components/db/feed.rss", "components/db/feed.atom"]:
        feed = parse(outputs[name])
        links = [link.href for link in feed.feed.links]
        links += [link.href for e in feed.entries for link in e.links]
        assert links and all(href.startswith(SUBPATH_URL) for href in links), name
        selves = [link.href for link in feed.feed.links if link.rel == "self"]
        assert selves == [SUBPATH_URL + name]
        assert feed.feed.link == SUBPATH_URL + ("components/db/" if "db" in name else "")
        assert all(
            e.id.startswith("tag:example.org,") and ":/status/incidents/" in e.id
            for e in feed.entries
        )
    body = json.loads(outputs["feed.json"])
    assert body["feed_url"] == SUBPATH_URL + "feed.json"
    assert all(item["url"].startswith(SUBPATH_URL + "incidents/") for item in body["items"])


def test_component_feeds_hold_only_their_incidents(outputs: dict[str, bytes]):
    expected = {
        "api": {ACTIVE, STATUS_MAP, IN_PROGRESS, UNANNOUNCED},
        "dashboard": {ACTIVE},
        "auth": {POSTMORTEM},
        "db": {STATUS_MAP, UPCOMING},
        "pipeline": {JAPANESE},
        "email": {COMPLETED},
        "webhooks": {IN_PROGRESS},
    }
    for component, incidents in expected.items():
        for kind in ("rss", "atom"):
            feed = parse(outputs[f"components/{component}/feed.{kind}"])
            got = [key_of(e.id) for e in feed.entries]
            assert {iid for iid, _ in got} == incidents, component
            assert got == [(i, k) for i, k, _ in EXPECTED if i in incidents]
            name = make_config().component(component).name  # type: ignore[union-attr]
            assert feed.feed.title == f"Example Cloud Status: {name}"
        body = json.loads(outputs[f"components/{component}/feed.json"])
        assert errors("jsonfeed-1.1.json", body) == [], component
        atom = parse(outputs[f"components/{component}/feed.atom"]).entries
        assert [item["id"] for item in body["items"]] == [e.id for e in atom]
        assert body["feed_url"] == f"{HOST}components/{component}/feed.json"


@pytest.mark.parametrize(
    ("size", "incidents"),
    [(1, {UNANNOUNCED}), (2, {UNANNOUNCED, ACTIVE}), (3, {UNANNOUNCED, ACTIVE, IN_PROGRESS})],
)
def test_feeds_hold_the_newest_feed_size_incidents(size: int, incidents: set[str]):
    outputs = build(feed_size=size)
    for name in ("feed.rss", "feed.atom"):
        got = [key_of(e.id) for e in parse(outputs[name]).entries]
        assert got == [(i, k) for i, k, _ in EXPECTED if i in incidents]
    items = json.loads(outputs["feed.json"])["items"]
    assert {key_of(item["id"])[0] for item in items} == incidents
    api = [key_of(e.id)[0] for e in parse(outputs["components/api/feed.atom"]).entries]
    ranked = [UNANNOUNCED, ACTIVE, IN_PROGRESS, STATUS_MAP]  # the api component's, newest first
    assert set(api) == set(ranked[:size])


def test_json_feed_is_valid_1_1_and_matches_atom(outputs: dict[str, bytes]):
    body = json.loads(outputs["feed.json"])
    assert errors("jsonfeed-1.1.json", body) == []
    atom = parse(outputs["feed.atom"]).entries
    assert [item["id"] for item in body["items"]] == [e.id for e in atom]
    assert [item["title"] for item in body["items"]] == [title for *_, title in EXPECTED]
    first = body["items"][1]
    assert first["date_published"] == "2026-11-21T11:30:00+00:00"
    assert first["url"] == f"{HOST}incidents/{ACTIVE}/#update-20261121T113000Z"
    assert first["tags"] == ["REST API", "Web dashboard"]
    text = outputs["feed.json"].decode("utf-8")
    assert "<script" not in text and "データ" in text


def test_json_feed_schema_rejects_what_it_should(outputs: dict[str, bytes]):
    body = json.loads(outputs["feed.json"])
    assert errors("jsonfeed-1.1.json", {**body, "version": "https://jsonfeed.org/version/1"})
    item = {k: v for k, v in body["items"][0].items() if k != "content_html"}
    assert errors("jsonfeed-1.1.json", {**body, "items": [item]})
    assert errors("jsonfeed-1.1.json", {**body, "updated": "now"})


def test_same_input_gives_identical_bytes_whatever_the_incident_order():
    config = make_config()
    incidents = load(config)
    first = build_outputs(config, make_status(config, incidents))
    shuffled = incidents[:]
    random.Random(7).shuffle(shuffled)
    second = build_outputs(config, make_status(config, shuffled))
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_maintenance_entries_follow_the_window():
    config = make_config()
    incidents = load(config)
    before_start = feed_files(config, make_status(config, incidents, now=NOW.replace(hour=10)))
    keys = [key_of(e.id) for e in parse(before_start["feed.atom"]).entries]
    assert (IN_PROGRESS, "in-progress-20261121T110000Z") not in keys
    after_end = feed_files(config, make_status(config, incidents, now=NOW.replace(hour=14)))
    keys = [key_of(e.id) for e in parse(after_end["feed.atom"]).entries]
    assert (IN_PROGRESS, "in-progress-20261121T110000Z") in keys
    assert (IN_PROGRESS, "completed-20261121T130000Z") in keys
    assert (COMPLETED, "in-progress-20261105T220000Z") not in keys  # written, not derived twice


def test_feed_links_point_at_published_files(outputs: dict[str, bytes]):
    config = make_config()
    links = feed_links(config)
    assert [(mime, href) for mime, _, href in links] == [
        ("application/rss+xml", "feed.rss"),
        ("application/atom+xml", "feed.atom"),
        ("application/feed+json", "feed.json"),
    ]
    for component in config.components:
        hrefs = [f"components/{component.id}/{href}" for _, _, href in COMPONENT_FEEDS]
        assert hrefs == [
            f"components/{component.id}/feed.rss",
            f"components/{component.id}/feed.atom",
            f"components/{component.id}/feed.json",
        ]
        assert all(href in outputs for href in hrefs)
    assert all(href in outputs for _, _, href in links)
    assert all(not path.startswith("/") for path in outputs)


HUB = "https://hub.example.net/publish?tenant=acme"


def _hub_links(feed: Any) -> list[str]:
    return [link.href for link in feed.feed.links if link.rel == "hub"]


def _self_links(feed: Any) -> list[str]:
    return [link.href for link in feed.feed.links if link.rel == "self"]


@pytest.mark.parametrize("folder", ["", "components/api/"])
def test_feeds_declare_the_websub_hub_beside_their_own_url(folder: str):
    outputs = build(websub_hub=HUB)
    for kind in ("rss", "atom"):
        feed = parse(outputs[f"{folder}feed.{kind}"])
        assert _hub_links(feed) == [HUB], kind
        assert _self_links(feed) == [f"{HOST}{folder}feed.{kind}"], kind
        assert feed.feed.link == f"{HOST}{folder}"  # the page, not the hub
        assert len(feed.entries) > 0
    body = json.loads(outputs[f"{folder}feed.json"])
    assert errors("jsonfeed-1.1.json", body) == []
    assert body["hubs"] == [{"type": "WebSub", "url": HUB}]
    assert body["feed_url"] == f"{HOST}{folder}feed.json"
    assert b'rel="hub"' in outputs[f"{folder}feed.rss"]
    assert b"<atom:link" in outputs[f"{folder}feed.rss"]


def test_without_a_hub_no_feed_names_one(outputs: dict[str, bytes]):
    for path, data in outputs.items():
        if "feed." in path:
            assert b"hub" not in data, path


@pytest.mark.parametrize(
    "bad",
    [
        "hub.example.net",
        "ftp://hub.example.net/",
        "https://",
        " https://hub.example.net/",
        "javascript:alert(1)",
        "https://[::1/",
    ],
)
def test_a_hub_must_be_a_web_address(bad: str):
    with pytest.raises(Exception, match=r"websub_hub: .* is not a web address"):
        build(websub_hub=bad)


def test_a_hub_address_with_a_password_is_refused():
    with pytest.raises(Exception, match=r"user name or password .* would be published") as exc:
        build(websub_hub="https://user:secret@hub.example.net/")
    assert "secret" not in str(exc.value)


def test_feeds_say_the_site_language():
    config = make_config().model_copy(update={"language": "ja"})
    outputs = build_outputs(config, make_status(config))
    assert parse(outputs["feed.rss"]).feed.language == "ja"
    assert parse(outputs["components/api/feed.rss"]).feed.language == "ja"
    assert b'xml:lang="ja"' in outputs["feed.atom"].split(b">", 2)[1]
    assert json.loads(outputs["feed.json"])["language"] == "ja"
    assert json.loads(outputs["components/db/feed.json"])["language"] == "ja"
    english = build()
    assert parse(english["feed.rss"]).feed.language == "en"
    assert json.loads(english["feed.json"])["language"] == "en"
