"""Derived state at a given time: statuses, maintenance by the clock, uptime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import make_config
from generator.core.loader import parse_text
from generator.core.model import ComponentStatus, Impact, Incident, UpdateStatus
from generator.core.status import (
    compute_status,
    effective_status,
    next_update_due,
)

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
H = timedelta(hours=1)


def incident(text: str, name: str = "2026-11-20-x") -> Incident:
    parsed, problems = parse_text(Path(f"{name}.md"), text, make_config())
    assert problems == [], problems
    assert parsed is not None
    return parsed


MAINTENANCE = """---
kind: maintenance
title: Upgrade
components: [db]
start: 2026-11-25 02:00 UTC
end: 2026-11-25 04:00 UTC
---
{updates}
"""


@pytest.mark.parametrize(
    ("updates", "at", "expected"),
    [
        ("", "2026-11-24 12:00", "scheduled"),
        ("", "2026-11-25 03:00", "in_progress"),
        ("", "2026-11-25 05:00", "completed"),
        (
            "## In progress · 2026-11-25 01:50 UTC\n\nStarted early.",
            "2026-11-25 01:55",
            "in_progress",
        ),
        ("## Verifying · 2026-11-25 03:30 UTC\n\nChecking.", "2026-11-25 03:45", "verifying"),
        ("## Completed · 2026-11-25 03:00 UTC\n\nDone early.", "2026-11-25 03:10", "completed"),
        (
            "## In progress · 2026-11-25 04:05 UTC\n\nExtended by an hour.",
            "2026-11-25 04:30",
            "in_progress",
        ),
        ("## In progress · 2026-11-25 02:00 UTC\n\nStarted.", "2026-11-25 04:30", "completed"),
    ],
)
def test_maintenance_follows_the_clock_unless_an_update_says_otherwise(
    updates: str, at: str, expected: str
) -> None:
    item = incident(MAINTENANCE.format(updates=updates), "2026-11-25-upgrade")
    now = datetime.fromisoformat(at + ":00+00:00")
    assert effective_status(item, now).value == expected


def test_components_take_the_worst_active_status_and_the_indicator_the_worst_impact() -> None:
    config = make_config()
    minor = incident(
        "---\ntitle: A\nimpact: minor\ncomponents: [api, db]\n---\n\n"
        "## Investigating · 2026-11-20 10:00 UTC\n\nx\n",
        "2026-11-20-a",
    )
    major = incident(
        "---\ntitle: B\nimpact: major\ncomponents:\n  api: major_outage\n---\n\n"
        "## Identified · 2026-11-20 10:30 UTC\n\nx\n",
        "2026-11-20-b",
    )
    resolved = incident(
        "---\ntitle: C\nimpact: critical\ncomponents: [email]\n---\n\n"
        "## Resolved · 2026-11-20 09:00 UTC\n\nx\n",
        "2026-11-20-c",
    )
    upkeep = incident(MAINTENANCE.format(updates=""), "2026-11-25-upgrade")
    status = compute_status(config, [minor, major, resolved, upkeep], T0 + 2 * H)
    assert status.indicator is Impact.MAJOR
    assert status.description == "Partial System Outage"
    states = {cid: s.status for cid, s in status.components.items()}
    assert states == {
        "api": ComponentStatus.MAJOR_OUTAGE,
        "db": ComponentStatus.DEGRADED_PERFORMANCE,
        "dashboard": ComponentStatus.OPERATIONAL,
        "email": ComponentStatus.OPERATIONAL,
    }
    assert [v.incident.id for v in status.upcoming_maintenance] == ["2026-11-25-upgrade"]
    during = compute_status(config, [upkeep], datetime(2026, 11, 25, 3, tzinfo=UTC))
    assert during.components["db"].status is ComponentStatus.UNDER_MAINTENANCE
    assert during.indicator is Impact.MAINTENANCE
    assert during.description == "Service Under Maintenance"


def test_uptime_counts_overlaps_once_and_weights_partial_outages() -> None:
    config = make_config()
    text = (
        "---\ntitle: {t}\nimpact: critical\ncomponents:\n  api: {s}\n---\n\n"
        "## Resolved · 2026-11-20 {end} UTC\n\nx\n\n## Investigating · 2026-11-20 {begin} UTC"
        "\n\nx\n"
    )
    full = incident(
        text.format(t="A", s="major_outage", begin="10:00", end="12:00"), "2026-11-20-a"
    )
    overlap = incident(
        text.format(t="B", s="major_outage", begin="11:00", end="12:00"), "2026-11-20-b"
    )
    partial = incident(
        text.format(t="C", s="partial_outage", begin="13:00", end="23:00"), "2026-11-20-c"
    )
    now = datetime(2026, 11, 21, tzinfo=UTC)
    status = compute_status(config, [full, overlap, partial], now)
    window = status.components["api"]
    span = 89 * 24 * 3600  # from the first of the 90 days (00:00) to now (today 00:00)
    assert window.uptime == pytest.approx(1 - (2 * 3600 + 0.3 * 10 * 3600) / span)
    days = dict(window.days)
    assert days[datetime(2026, 11, 20).date()] is ComponentStatus.MAJOR_OUTAGE
    assert days[datetime(2026, 11, 19).date()] is ComponentStatus.OPERATIONAL
    assert len(window.days) == 90


def test_next_update_promise_and_policy_cadence() -> None:
    config = make_config()
    promised = incident(
        "---\ntitle: A\nimpact: minor\nnext_update: 2026-11-20 10:30 UTC\n---\n\n"
        "## Investigating · 2026-11-20 10:00 UTC\n\nx\n"
    )
    view = compute_status(config, [promised], T0).views[0]
    assert next_update_due(view, config) == T0 + timedelta(minutes=30)
    stale = incident(
        "---\ntitle: A\nimpact: minor\nnext_update: 2026-11-20 09:30 UTC\n---\n\n"
        "## Monitoring · 2026-11-20 10:00 UTC\n\nx\n"
    )
    view = compute_status(config, [stale], T0).views[0]
    assert next_update_due(view, config) == T0 + config.policy.update_every_monitoring
    done = incident(
        "---\ntitle: A\nimpact: minor\n---\n\n## Resolved · 2026-11-20 10:00 UTC\n\nx\n"
    )
    assert next_update_due(compute_status(config, [done], T0).views[0], config) is None


def test_duration_and_first_response() -> None:
    item = incident(
        "---\ntitle: A\nimpact: minor\nstarted: 2026-11-20 09:50 UTC\n---\n\n"
        "## Resolved · 2026-11-20 11:00 UTC\n\nx\n\n"
        "## Investigating · 2026-11-20 10:00 UTC\n\nx\n"
    )
    view = compute_status(make_config(), [item], T0 + 2 * H).views[0]
    assert view.status is UpdateStatus.RESOLVED and not view.active
    assert view.duration == timedelta(minutes=70)
    assert view.first_response == timedelta(minutes=10)
