"""`statuspage maintenance` and a maintenance window's life, through the CLI and a real build."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from test_build import page, text_of

from conftest import copy_site
from generator.cli import main
from generator.core.times import parse_time
from generator.plugin import build_site

ANNOUNCED = "2026-12-01 10:00 UTC"
ID = "2026-12-05-database-upgrade"
FILE = f"incidents/{ID}.md"
WINDOW = ("--start", "2026-12-05 06:00 UTC", "--end", "2026-12-05 08:00 UTC")
INCIDENT = """\
---
title: API errors
impact: minor
components: [api]
---

## Investigating · 2026-12-01 09:00 UTC

We are sorry: some API calls fail.
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_site(tmp_path, templates=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def announce(*extra: str) -> tuple[int, str, str]:
    return run(
        "maintenance",
        "Database upgrade",
        *WINDOW,
        "-c",
        "db",
        "-m",
        "Each database is read-only for up to two minutes.",
        *extra,
        "--now",
        ANNOUNCED,
    )


# the command


def test_maintenance_writes_the_file(site: Path) -> None:
    assert announce() == (0, f"{FILE}\n", "")
    assert (site / FILE).read_text(encoding="utf-8") == (
        "---\n"
        "kind: maintenance\n"
        'title: "Database upgrade"\n'
        "components: [db]\n"
        "start: 2026-12-05 06:00 UTC\n"
        "end: 2026-12-05 08:00 UTC\n"
        "---\n\n"
        "## Scheduled · 2026-12-01 10:00 UTC\n\n"
        "Each database is read-only for up to two minutes.\n"
    )
    assert run("lint", "--now", ANNOUNCED) == (0, "", "OK: 0 error(s), 0 warning(s)\n")


def test_end_as_a_duration_and_times_in_the_site_zone(site: Path) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("timezone: UTC", "timezone: Europe/Berlin")
    config.write_text(text, encoding="utf-8")
    code, out, _ = run(
        "maintenance",
        "Switches",
        "--start",
        "2026-12-05 07:00",
        "--end",
        "90m",
        "-c",
        "api",
        "--scope",
        "US-East",
        "--id",
        "2026-12-05-switches",
        "-m",
        "Connections may reset.",
        "--now",
        ANNOUNCED,
    )
    assert (code, out) == (0, "incidents/2026-12-05-switches.md\n")
    written = (site / out.strip()).read_text(encoding="utf-8")
    assert 'scope: "US-East"\nstart: 2026-12-05 06:00 UTC\nend: 2026-12-05 07:30 UTC\n' in written


def test_impact_sets_the_components_status_during_the_window(site: Path) -> None:
    assert announce("-c", "api", "--impact", "major")[0] == 0
    text = (site / FILE).read_text(encoding="utf-8")
    assert "components:\n  db: partial_outage\n  api: partial_outage\n" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--end", "whenever"), "Invalid value for --end: 'whenever' is not a time"),
        (("--start", "soon"), "Invalid value for --start: 'soon' is not a time"),
        (("-c", "nope"), "Error: Invalid value for --component: 'nope' is not a component id"),
    ],
)
def test_bad_input_writes_nothing(site: Path, args: tuple[str, ...], says: str) -> None:
    options = dict(zip(WINDOW[::2], WINDOW[1::2], strict=True))
    components = ["db"]
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag == "-c":
            components = [value]
        else:
            options[flag] = value
    flags = [x for pair in options.items() for x in pair]
    cs = [x for c in components for x in ("-c", c)]
    code, _, err = run("maintenance", "Upgrade", *flags, *cs, "-m", "Hi.", "--now", ANNOUNCED)
    assert code != 0
    assert says in err
    assert list((site / "incidents").iterdir()) == []


def test_end_before_start_names_the_field(site: Path) -> None:
    code, _, err = run(
        "maintenance",
        "Upgrade",
        "--start",
        "2026-12-05 06:00 UTC",
        "--end",
        "2026-12-05 05:00 UTC",
        "-c",
        "db",
        "-m",
        "Hi.",
        "--now",
        ANNOUNCED,
    )
    assert code == 1
    assert err.splitlines()[0] == "incidents/2026-12-05-upgrade.md:6: end: must be after start"


def test_the_maintenance_template(site: Path) -> None:
    code, _, err = run(
        "maintenance",
        "Database upgrade",
        *WINDOW,
        "-c",
        "db",
        "--template",
        "maintenance-scheduled",
        "--now",
        ANNOUNCED,
    )
    assert code == 1
    assert err.startswith(
        "Error: template 'maintenance-scheduled' needs a value for {effect}, {workaround}: "
    )
    code, _, _ = run(
        "maintenance",
        "Database upgrade",
        *WINDOW,
        "-c",
        "db",
        "--workaround",
        "Retry failed writes.",
        "--template",
        "maintenance-scheduled",
        "--set",
        "effect=Each database is read-only for up to two minutes.",
        "--now",
        ANNOUNCED,
    )
    assert code == 0
    text = (site / FILE).read_text(encoding="utf-8")
    assert (
        "We will carry out maintenance on Managed databases from 2026-12-05 06:00 UTC to "
        "2026-12-05 08:00 UTC. Each database is read-only for up to two minutes.\n\n"
        "What you can do: Retry failed writes.\n"
    ) in text


# statuses of the right kind


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        ("in-progress", "In progress"),
        ("In-Progress", "In progress"),
        ("verifying", "Verifying"),
        ("completed", "Completed"),
        ("scheduled", "Scheduled"),
    ],
)
def test_update_accepts_maintenance_statuses(site: Path, status: str, heading: str) -> None:
    announce()
    code, _, _ = run("update", ID, "--status", status, "-m", "News.", "--now", "2026-12-05 06:01")
    assert code == 0
    assert f"\n## {heading} · 2026-12-05 06:01 UTC\n\nNews.\n" in (site / FILE).read_text()


@pytest.mark.parametrize("status", ["investigating", "identified", "monitoring", "update"])
def test_incident_statuses_are_refused_on_a_maintenance(site: Path, status: str) -> None:
    announce()
    before = (site / FILE).read_bytes()
    code, _, err = run("update", ID, "--status", status, "-m", "x", "--now", "2026-12-05 06:01")
    assert code == 1
    assert err == (
        f"Error: {ID} is a maintenance: its status is one of scheduled, in-progress, "
        f"verifying, completed; '{status}' is for incidents\n"
    )
    assert (site / FILE).read_bytes() == before


def test_resolve_on_a_maintenance_points_to_completed(site: Path) -> None:
    announce()
    code, _, err = run("resolve", ID, "-m", "Done.", "--now", "2026-12-05 08:00 UTC")
    assert code == 1
    assert err == (
        f"Error: {ID} is a maintenance: its status is one of scheduled, in-progress, verifying, "
        f"completed; 'resolved' is for incidents; to close it: statuspage update {ID} "
        "--status completed -m …\n"
    )


@pytest.mark.parametrize("status", ["scheduled", "in-progress", "verifying", "completed"])
def test_maintenance_statuses_are_refused_on_an_incident(site: Path, status: str) -> None:
    path = site / "incidents" / "2026-12-01-api.md"
    path.write_text(INCIDENT, encoding="utf-8")
    code, _, err = run(
        "update", "2026-12-01-api", "--status", status, "-m", "x", "--now", ANNOUNCED
    )
    assert code == 1
    assert err == (
        "Error: 2026-12-01-api is an incident: its status is one of investigating, identified, "
        f"monitoring, update, resolved; '{status}' is for maintenance\n"
    )
    assert path.read_text(encoding="utf-8") == INCIDENT


# the life of a window, by the clock of each build


def build_at(site: Path, when: str) -> tuple[Path, dict[str, Any]]:
    built = build_site(site / "mkdocs.yml", strict=True, now=parse_time(when, ZoneInfo("UTC")))
    api = {
        name: json.loads((built / "api/v2" / f"{name}.json").read_text(encoding="utf-8"))
        for name in (
            "summary",
            "scheduled-maintenances/upcoming",
            "scheduled-maintenances/active",
            "scheduled-maintenances",
        )
    }
    return built, api


def db_status(api: dict[str, Any]) -> str:
    (db,) = [c for c in api["summary"]["components"] if c["name"] == "Managed databases"]
    return str(db["status"])


def test_lifecycle_before_during_after(site: Path) -> None:
    announce()
    built, api = build_at(site, "2026-12-04 12:00 UTC")
    home = page(built, "")
    upcoming = home.split('<h2 id="upcoming">Scheduled maintenance</h2>', 1)[1]
    assert "Database upgrade" in text_of(upcoming.split("</ul>")[0])
    assert "2026-12-05 06:00 UTC – 2026-12-05 08:00 UTC · Managed databases" in text_of(upcoming)
    assert [m["id"] for m in api["scheduled-maintenances/upcoming"]["scheduled_maintenances"]] == [
        ID
    ]
    assert api["scheduled-maintenances/active"]["scheduled_maintenances"] == []
    assert db_status(api) == "operational"

    built, api = build_at(site, "2026-12-05 07:00 UTC")
    home = page(built, "")
    assert '<section class="sp-maintenance">' in home
    assert re.search(
        r"Managed databases\s*</a>\s*<span class=\"sp-pill [^\"]+\">Under maintenance", home
    )
    assert 'id="upcoming"' not in home
    assert db_status(api) == "under_maintenance"
    (active,) = api["scheduled-maintenances/active"]["scheduled_maintenances"]
    assert (active["id"], active["status"]) == (ID, "in_progress")

    built, api = build_at(site, "2026-12-05 08:30 UTC")
    home = page(built, "")
    assert '<section class="sp-maintenance">' not in home
    assert db_status(api) == "operational"
    (done,) = api["scheduled-maintenances"]["scheduled_maintenances"]
    assert done["status"] == "completed"
    assert "Completed 2026-12-05 08:00 UTC" in text_of(page(built, f"incidents/{ID}"))


def test_completed_early_and_extended_through_the_cli(site: Path) -> None:
    announce()
    run("update", ID, "--status", "completed", "-m", "Done early.", "--now", "2026-12-05 07:00 UTC")
    _, api = build_at(site, "2026-12-05 07:30 UTC")
    assert db_status(api) == "operational"
    assert api["scheduled-maintenances/active"]["scheduled_maintenances"] == []

    (site / FILE).unlink()
    announce()
    late = "2026-12-05 08:05 UTC"
    run("update", ID, "--status", "in-progress", "-m", "Extended by 30 minutes.", "--now", late)
    _, api = build_at(site, "2026-12-05 08:20 UTC")
    assert db_status(api) == "under_maintenance"
    run("update", ID, "--status", "completed", "-m", "Done.", "--now", "2026-12-05 08:30 UTC")
    _, api = build_at(site, "2026-12-05 08:40 UTC")
    assert db_status(api) == "operational"
    assert run("lint", "--now", "2026-12-05 10:00 UTC")[1] == ""


def test_lint_asks_for_completed_after_the_window(site: Path) -> None:
    announce()
    out = run("lint", "--now", "2026-12-05 09:30 UTC")[1]
    assert out.startswith(f"{FILE}:6: warning: end: the window ended 1 h 30 min ago")


def test_postmortem_waits_for_the_window_to_close(site: Path) -> None:
    announce()
    code, _, err = run("postmortem", ID, "--now", "2026-12-05 07:00 UTC")
    assert code == 1
    assert err == (
        f"Error: {ID} is still in progress: a postmortem follows the all-clear; close it first "
        f"(statuspage update {ID} --status completed -m …)\n"
    )
