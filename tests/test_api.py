"""The Statuspage v2 API files against JSON Schemas written from Statuspage's documentation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from outputs_support import (
    ACTIVE,
    COMPLETED,
    IN_PROGRESS,
    INCIDENTS,
    JAPANESE,
    MAINTENANCE,
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
)

from generator.core.model import Incident, Update, UpdateStatus
from generator.outputs.api import api_files, group_ids, page_id

ENDPOINTS = {
    "summary.json": "summary.json",
    "status.json": "status.json",
    "components.json": "components.json",
    "incidents.json": "incidents.json",
    "incidents/unresolved.json": "incidents-unresolved.json",
    "scheduled-maintenances.json": "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json": "scheduled-maintenances-upcoming.json",
    "scheduled-maintenances/active.json": "scheduled-maintenances-active.json",
}


def api(outputs: dict[str, bytes], path: str) -> Any:
    return json.loads(outputs["api/v2/" + path])


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return build()


@pytest.mark.parametrize(("path", "schema"), ENDPOINTS.items())
def test_every_endpoint_matches_its_documented_schema(
    outputs: dict[str, bytes], path: str, schema: str
):
    assert errors(f"api/{schema}", api(outputs, path)) == []


SM = "scheduled_maintenances"


@pytest.mark.parametrize(
    ("path", "breakage"),
    [
        ("status.json", lambda b: b["status"].update(indicator="maintenance")),
        ("status.json", lambda b: b["page"].update(updated_at="2026-11-21 12:00")),
        ("components.json", lambda b: b["components"][0].update(status="down")),
        ("components.json", lambda b: b["components"][1].pop("page_id")),
        ("incidents.json", lambda b: b["incidents"][0].update(impact="maintenance")),
        ("incidents.json", lambda b: b["incidents"][0]["incident_updates"][0].update(status="x")),
        ("incidents.json", lambda b: b["incidents"][0].update(extra=1)),
        ("incidents.json", lambda b: b["incidents"][0]["incident_updates"][0].pop("tweet_id")),
        (
            "incidents.json",
            lambda b: b["incidents"][0]["incident_updates"][0].update(deliver_notifications=None),
        ),
        ("incidents.json", lambda b: b["incidents"][0]["components"][0].pop("group_id")),
        ("incidents/unresolved.json", lambda b: b["incidents"][0].update(status="resolved")),
        ("scheduled-maintenances.json", lambda b: b[SM][0].pop("scheduled_for")),
        ("scheduled-maintenances/upcoming.json", lambda b: b[SM][0].update(status="completed")),
    ],
)
def test_schemas_reject_what_statuspage_clients_would(
    outputs: dict[str, bytes], path: str, breakage: Any
):
    body = api(outputs, path)
    breakage(body)
    assert errors(f"api/{ENDPOINTS[path]}", body)


def test_summary_holds_status_components_open_incidents_and_maintenance(outputs: dict[str, bytes]):
    summary = api(outputs, "summary.json")
    assert list(summary) == ["page", "components", "incidents", "scheduled_maintenances", "status"]
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert ids(summary["incidents"]) == [ACTIVE]
    assert ids(summary["scheduled_maintenances"]) == [IN_PROGRESS, UPCOMING, UNANNOUNCED]
    assert summary["components"] == api(outputs, "components.json")["components"]
    assert api(outputs, "status.json") == {"page": summary["page"], "status": summary["status"]}


def test_page_is_stable_and_updated_at_the_newest_public_event(outputs: dict[str, bytes]):
    page = api(outputs, "status.json")["page"]
    assert page == {
        "id": page_id(make_config()),
        "name": "Example Cloud Status",
        "url": "https://status.example.com/",
        "time_zone": "UTC",
        "updated_at": "2026-11-21T11:30:00.000Z",
    }
    assert len(page["id"]) == 12
    assert build()["api/v2/status.json"] == outputs["api/v2/status.json"]


def test_maintenance_alone_is_indicator_none_described_as_maintenance():
    config = make_config()
    windows = [i for i in load(config) if i.is_maintenance]
    body = json.loads(api_files(config, make_status(config, windows))["api/v2/status.json"])
    assert body["status"] == {"indicator": "none", "description": "Service Under Maintenance"}
    nothing = json.loads(api_files(config, make_status(config, []))["api/v2/status.json"])
    assert nothing["status"] == {"indicator": "none", "description": "All Systems Operational"}
    assert nothing["page"]["updated_at"] == "1970-01-01T00:00:00.000Z"


def test_components_with_groups(outputs: dict[str, bytes]):
    listing = api(outputs, "components.json")["components"]
    groups = group_ids(make_config())
    assert groups == {"Platform": "group-platform", "Data": "group-data"}
    assert [(c["id"], c["group"], c["group_id"], c["position"]) for c in listing] == [
        ("group-platform", True, None, 1),
        ("api", False, "group-platform", 1),
        ("dashboard", False, "group-platform", 2),
        ("auth", False, "group-platform", 3),
        ("group-data", True, None, 2),
        ("db", False, "group-data", 1),
        ("pipeline", False, "group-data", 2),
        ("email", False, None, 3),
        ("webhooks", False, None, 4),
    ]
    by_id = {c["id"]: c for c in listing}
    assert by_id["group-platform"]["components"] == ["api", "dashboard", "auth"]
    assert by_id["group-platform"]["status"] == "partial_outage"
    assert by_id["group-data"]["status"] == "operational"
    assert by_id["webhooks"]["status"] == "under_maintenance"
    assert by_id["api"]["status"] == "partial_outage"
    assert by_id["api"]["updated_at"] == "2026-11-21T11:00:00.000Z"  # maintenance began
    assert by_id["auth"]["updated_at"] == "2026-11-10T09:30:00.000Z"  # resolved
    assert by_id["api"]["description"] == "The public REST API"
    assert by_id["dashboard"]["description"] is None


def test_incidents_newest_first_only_incidents(outputs: dict[str, bytes]):
    body = api(outputs, "incidents.json")
    assert ids(body["incidents"]) == [ACTIVE, JAPANESE, STATUS_MAP, POSTMORTEM]
    assert ids(api(outputs, "incidents/unresolved.json")["incidents"]) == [ACTIVE]


def test_incident_fields_come_from_the_file(outputs: dict[str, bytes]):
    found = {i["id"]: i for i in api(outputs, "incidents.json")["incidents"]}
    active = found[ACTIVE]
    assert {k: active[k] for k in ("name", "status", "impact", "created_at", "updated_at")} == {
        "name": "Elevated error rates on the API",
        "status": "identified",  # an "Update" keeps the status before it
        "impact": "major",
        "created_at": "2026-11-21T10:15:00.000Z",
        "updated_at": "2026-11-21T11:30:00.000Z",
    }
    assert active["resolved_at"] is None and active["monitoring_at"] is None
    assert active["shortlink"] == f"https://status.example.com/incidents/{ACTIVE}/"
    assert [u["status"] for u in active["incident_updates"]] == [
        "identified",
        "identified",
        "investigating",
    ]
    assert [c["id"] for c in active["components"]] == ["api", "dashboard"]
    closed = found[POSTMORTEM]
    assert closed["status"] == "postmortem"
    assert closed["monitoring_at"] == "2026-11-10T08:50:00.000Z"
    assert closed["resolved_at"] == "2026-11-10T09:30:00.000Z"
    assert closed["updated_at"] == "2026-11-12T15:00:00.000Z"
    assert [u["status"] for u in closed["incident_updates"]] == [
        "resolved",
        "monitoring",
        "investigating",
    ]
    assert found[JAPANESE]["name"] == "データパイプラインの遅延"
    assert found[JAPANESE]["started_at"] == "2026-11-17T16:00:00.000Z"


def test_affected_components_record_old_and_new_status(outputs: dict[str, bytes]):
    found = {i["id"]: i for i in api(outputs, "incidents.json")["incidents"]}
    resolved, investigating = found[STATUS_MAP]["incident_updates"]
    assert investigating["affected_components"] == [
        {
            "code": "api",
            "name": "REST API",
            "old_status": "operational",
            "new_status": "partial_outage",
        },
        {
            "code": "db",
            "name": "Managed databases",
            "old_status": "operational",
            "new_status": "degraded_performance",
        },
    ]
    assert resolved["affected_components"] == [
        {
            "code": "api",
            "name": "REST API",
            "old_status": "partial_outage",
            "new_status": "operational",
        },
        {
            "code": "db",
            "name": "Managed databases",
            "old_status": "degraded_performance",
            "new_status": "operational",
        },
    ]
    middle = found[ACTIVE]["incident_updates"][1]
    assert middle["affected_components"] is None
    assert middle["id"] == f"{ACTIVE}-update-20261121T104000Z"
    assert middle["incident_id"] == ACTIVE
    assert middle["created_at"] == middle["display_at"] == "2026-11-21T10:40:00.000Z"  # fmt: skip


def test_update_bodies_are_plain_text_without_raw_html(outputs: dict[str, bytes]):
    found = {i["id"]: i for i in api(outputs, "incidents.json")["incidents"]}
    first = found[ACTIVE]["incident_updates"][-1]["body"]
    assert first.startswith("We are investigating elevated error rates on the API.")
    assert "<" not in first and "alert" not in first and "javascript" not in first
    for path in ENDPOINTS:
        text = outputs["api/v2/" + path].decode("utf-8")
        assert "<script" not in text and "onerror" not in text


def test_maintenance_lists(outputs: dict[str, bytes]):
    every = api(outputs, "scheduled-maintenances.json")["scheduled_maintenances"]
    assert ids(every) == [UNANNOUNCED, UPCOMING, IN_PROGRESS, COMPLETED]
    assert [m["status"] for m in every] == ["scheduled", "scheduled", "in_progress", "completed"]
    upcoming = api(outputs, "scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
    assert ids(upcoming) == [UPCOMING, UNANNOUNCED]
    active = api(outputs, "scheduled-maintenances/active.json")["scheduled_maintenances"]
    assert ids(active) == [IN_PROGRESS]
    window = active[0]
    assert window["impact"] == "maintenance"
    assert (window["scheduled_for"], window["scheduled_until"]) == (
        "2026-11-21T11:00:00.000Z",
        "2026-11-21T13:00:00.000Z",
    )
    started, scheduled = window["incident_updates"]
    assert (
        started["status"] == "in_progress" and started["created_at"] == "2026-11-21T11:00:00.000Z"
    )
    assert [c["new_status"] for c in started["affected_components"]] == ["under_maintenance"] * 2
    assert scheduled["status"] == "scheduled" and scheduled["affected_components"] is None
    done = every[-1]
    assert done["resolved_at"] == "2026-11-05T23:00:00.000Z"
    assert [u["status"] for u in done["incident_updates"]] == [
        "completed",
        "in_progress",
        "scheduled",
    ]
    unannounced = every[0]["incident_updates"]
    assert [u["status"] for u in unannounced] == ["scheduled"]
    assert "The API's DNS moves to a second provider." in unannounced[0]["body"]


def test_times_carry_the_site_zone_offset():
    outputs = build(timezone="Asia/Tokyo")
    page = api(outputs, "status.json")["page"]
    assert page["time_zone"] == "Asia/Tokyo"
    assert page["updated_at"] == "2026-11-21T20:30:00.000+09:00"
    for path, schema in ENDPOINTS.items():
        assert errors(f"api/{schema}", api(outputs, path)) == [], path


def test_subpath_urls():
    outputs = build(url=SUBPATH_URL)
    summary = api(outputs, "summary.json")
    assert summary["page"]["url"] == SUBPATH_URL
    for item in summary["incidents"] + summary["scheduled_maintenances"]:
        assert item["shortlink"] == f"{SUBPATH_URL}incidents/{item['id']}/"
    assert summary["page"]["id"] != page_id(make_config())


def test_ids_are_stable_across_new_updates_and_titles():
    config = make_config()
    incidents = load(config)
    newer = Update(UpdateStatus.MONITORING, NOW - timedelta(minutes=5), "Fixed.", 40)
    changed = [
        replace(i, title="Renamed", updates=(*i.updates, newer)) if i.id == ACTIVE else i
        for i in incidents
    ]
    before = json.loads(api_files(config, make_status(config, incidents))["api/v2/incidents.json"])
    after = json.loads(api_files(config, make_status(config, changed))["api/v2/incidents.json"])
    old = {u["id"] for i in before["incidents"] for u in i["incident_updates"]}
    new = {u["id"] for i in after["incidents"] for u in i["incident_updates"]}
    assert old < new and len(new - old) == 1
    assert ids(after["incidents"]) == ids(before["incidents"])
    assert after["incidents"][0]["status"] == "monitoring"
    assert after["incidents"][0]["monitoring_at"] == "2026-11-21T11:55:00.000Z"


def _synthetic(count: int) -> list[Incident]:
    """``count`` resolved incidents an hour apart, from one fixture file."""
    template = incident(load(make_config()), STATUS_MAP)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    result = []
    for n in range(count):
        shift = base + timedelta(hours=n) - template.began_at
        updates = tuple(replace(u, at=u.at + shift) for u in template.updates)
        result.append(
            replace(template, id=f"2026-01-{n:03d}-synthetic", updates=updates, started=None)
        )
    return result


def test_incidents_json_holds_the_50_most_recent():
    config = make_config()
    incidents = _synthetic(60)
    body = json.loads(api_files(config, make_status(config, incidents))["api/v2/incidents.json"])
    assert len(body["incidents"]) == 50
    assert ids(body["incidents"]) == [f"2026-01-{n:03d}-synthetic" for n in range(59, 9, -1)]
    assert errors("api/incidents.json", body) == []


def test_every_fixture_incident_is_somewhere_in_the_api(outputs: dict[str, bytes]):
    seen = set(ids(api(outputs, "incidents.json")["incidents"]))
    seen |= set(ids(api(outputs, "scheduled-maintenances.json")["scheduled_maintenances"]))
    assert seen == set(INCIDENTS) | set(MAINTENANCE)


def _embedded(body: dict[str, Any]) -> list[dict[str, Any]]:
    items = body.get("incidents", []) + body.get(SM, [])
    return [c for item in items for c in item["components"]]


WITH_INCIDENTS = [p for p in ENDPOINTS if p not in ("status.json", "components.json")]


@pytest.mark.parametrize("path", WITH_INCIDENTS)
def test_embedded_components_are_their_top_level_twins(outputs: dict[str, bytes], path: str):
    listed = {c["id"]: c for c in api(outputs, "components.json")["components"]}
    embedded = _embedded(api(outputs, path))
    assert embedded or path.endswith("upcoming.json")
    for component in embedded:
        assert component == listed[component["id"]]
    if path == "incidents.json":
        assert {c["id"]: c["group_id"] for c in embedded}["api"] == "group-platform"


def test_every_update_says_how_it_was_delivered(outputs: dict[str, bytes]):
    updates = [
        u
        for path in ("incidents.json", "scheduled-maintenances.json")
        for item in api(outputs, path)[path.removesuffix(".json").replace("-", "_")]
        for u in item["incident_updates"]
    ]
    assert len(updates) > 10
    for update in updates:
        assert update["deliver_notifications"] is True
        assert update["custom_tweet"] is None and update["tweet_id"] is None
        assert list(update)[-3:] == ["deliver_notifications", "custom_tweet", "tweet_id"]
