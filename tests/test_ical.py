"""The maintenance calendar read back with icalendar: UIDs, UTC times, SEQUENCE, DTSTAMP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from icalendar import Calendar
from outputs_support import (
    COMPLETED,
    IN_PROGRESS,
    INCIDENTS,
    MAINTENANCE,
    SUBPATH_URL,
    UNANNOUNCED,
    UPCOMING,
    build,
    incident,
    load,
    make_config,
    make_status,
    replaced,
)

from generator.core.model import Update, UpdateStatus
from generator.outputs.ical import calendar_files


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# Every window in the fixture: start, end, SEQUENCE, DTSTAMP, categories.
WINDOWS = {
    COMPLETED: (
        utc(2026, 11, 5, 22), utc(2026, 11, 5, 23), 1, utc(2026, 11, 5, 22),
        ["E-mail notifications"],
    ),
    IN_PROGRESS: (
        utc(2026, 11, 21, 11), utc(2026, 11, 21, 13), 0, utc(2026, 11, 14, 10),
        ["REST API", "Webhooks & events"],
    ),
    UPCOMING: (
        utc(2026, 12, 1, 2), utc(2026, 12, 1, 4), 0, utc(2026, 11, 20, 9),
        ["Managed databases"],
    ),
    UNANNOUNCED: (
        utc(2026, 12, 10, 3), utc(2026, 12, 10, 5), 0, utc(2026, 12, 10, 3),
        ["REST API"],
    ),
}  # fmt: skip


def events(data: bytes) -> list[Any]:
    calendar = Calendar.from_ical(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    return build()


def test_every_window_is_an_event_soonest_first(outputs: dict[str, bytes]):
    found = events(outputs["maintenance.ics"])
    assert [str(e["UID"]) for e in found] == [
        f"{iid}@status.example.com" for iid in sorted(WINDOWS, key=lambda i: WINDOWS[i][0])
    ]
    for event in found:
        iid = str(event["UID"]).split("@")[0]
        start, end, sequence, stamp, categories = WINDOWS[iid]
        assert (
            event.decoded("DTSTART") == start
            and event.decoded("DTSTART").utcoffset().total_seconds() == 0
        )
        assert event.decoded("DTEND") == end
        assert event.decoded("SEQUENCE") == sequence
        assert event.decoded("DTSTAMP") == stamp
        assert [str(c) for c in event["CATEGORIES"].cats] == categories
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["URL"]) == f"https://status.example.com/incidents/{iid}/"


def test_times_are_utc_in_the_file_whatever_the_site_zone():
    config = make_config(timezone="Asia/Tokyo")
    data = calendar_files(config, make_status(config))["maintenance.ics"]
    assert b"DTSTART:20261201T020000Z" in data and b"DTEND:20261201T040000Z" in data
    assert b"TZID" not in data
    event = next(e for e in events(data) if str(e["UID"]).startswith(UPCOMING))
    assert event.decoded("DTSTART") == WINDOWS[UPCOMING][0]
    assert "2026-12-01 11:00–13:00 JST" in str(event["DESCRIPTION"])


def test_description_is_plain_text_with_scope_components_and_link(outputs: dict[str, bytes]):
    event = next(
        e for e in events(outputs["maintenance.ics"]) if str(e["UID"]).startswith(UPCOMING)
    )
    text = str(event["DESCRIPTION"])
    assert text.startswith("Maintenance window: 2026-12-01 02:00–04:00 UTC\n")
    assert "Affected components: Managed databases" in text
    assert "Who is affected: Every managed database" in text
    assert 'What you can do meanwhile: Retry writes that fail with "read-only transaction".' in text
    assert "Scheduled: We will upgrade all managed databases to PostgreSQL 17." in text
    assert text.endswith(f"Details: https://status.example.com/incidents/{UPCOMING}/")
    assert "<" not in text
    assert str(event["SUMMARY"]) == "Managed database upgrade"


def test_one_event_file_per_maintenance_and_none_for_incidents(outputs: dict[str, bytes]):
    for iid in MAINTENANCE:
        found = events(outputs[f"incidents/{iid}/event.ics"])
        assert [str(e["UID"]) for e in found] == [f"{iid}@status.example.com"]
    for iid in INCIDENTS:
        assert f"incidents/{iid}/event.ics" not in outputs
    in_calendar = {str(e["UID"]): e.to_ical() for e in events(outputs["maintenance.ics"])}
    alone = events(outputs[f"incidents/{UPCOMING}/event.ics"])[0]
    assert alone.to_ical() == in_calendar[f"{UPCOMING}@status.example.com"]


def test_a_new_update_bumps_sequence_and_dtstamp():
    config = make_config()
    incidents = load(config)
    upcoming = incident(incidents, UPCOMING)
    moved = Update(UpdateStatus.SCHEDULED, utc(2026, 11, 21, 11, 30), "Moved by a day.", 20)
    changed = replaced(
        incidents,
        UPCOMING,
        start=utc(2026, 12, 2, 2),
        end=utc(2026, 12, 2, 4),
        updates=(*upcoming.updates, moved),
    )
    data = calendar_files(config, make_status(config, changed))[f"incidents/{UPCOMING}/event.ics"]
    event = events(data)[0]
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTAMP") == utc(2026, 11, 21, 11, 30)
    assert event.decoded("DTSTART") == utc(2026, 12, 2, 2)
    assert str(event["UID"]) == f"{UPCOMING}@status.example.com"


def test_the_clock_does_not_change_an_event():
    config = make_config()
    incidents = load(config)
    before = calendar_files(config, make_status(config, incidents, now=utc(2026, 11, 21, 10)))
    after = calendar_files(config, make_status(config, incidents, now=utc(2026, 11, 21, 14)))
    assert before == after


def test_subpath_and_host_in_uid_and_url():
    outputs = build(url=SUBPATH_URL)
    for event in events(outputs["maintenance.ics"]):
        assert str(event["UID"]).endswith("@example.org")
        assert str(event["URL"]).startswith(SUBPATH_URL + "incidents/")
        assert SUBPATH_URL + "incidents/" in str(event["DESCRIPTION"])


def test_calendar_is_deterministic_and_has_a_refresh_hint(outputs: dict[str, bytes]):
    assert build()["maintenance.ics"] == outputs["maintenance.ics"]
    calendar = Calendar.from_ical(outputs["maintenance.ics"])
    assert str(calendar["X-WR-CALNAME"]) == "Example Cloud Status: maintenance"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in outputs["maintenance.ics"]
    assert b"X-PUBLISHED-TTL:PT1H" in outputs["maintenance.ics"]


def test_empty_calendar_is_still_valid():
    config = make_config()
    data = calendar_files(config, make_status(config, incidents=[]))
    assert list(data) == ["maintenance.ics"]
    assert events(data["maintenance.ics"]) == []


def test_text_carries_the_site_language():
    from outputs_support import make_status

    config = make_config().model_copy(update={"language": "ja"})
    data = calendar_files(config, make_status(config))["maintenance.ics"]
    cal = Calendar.from_ical(data)
    assert cal["NAME"].params["LANGUAGE"] == "ja"
    events = list(cal.walk("VEVENT"))
    assert events
    for event in events:
        assert event["SUMMARY"].params["LANGUAGE"] == "ja"
        assert event["DESCRIPTION"].params["LANGUAGE"] == "ja"
