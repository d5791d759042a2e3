"""The on-call path: times, promises, zones, durations, resolving, finding ids, hints.

Each test drives the real CLI on a copy of the example site whose time zone
is Europe/Berlin, so that a time read in the wrong zone is an hour off.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from conftest import REPO, copy_site
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_file
from generator.core.times import parse_duration, parse_time, stamp

BERLIN = ZoneInfo("Europe/Berlin")
#: 06:20 in Berlin on 1 December is 05:20 UTC.
AT = "2026-12-01 06:20"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example site with no incidents, in Europe/Berlin, as the working directory."""
    config = copy_site(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("timezone: UTC", "timezone: Europe/Berlin"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def opened(site: Path, *extra: str, now: str = AT) -> Path:
    code, out, err = run(
        "new",
        "API down",
        "--impact",
        "major",
        "-c",
        "api",
        *extra,
        "-m",
        "We are investigating.",
        "--now",
        now,
    )
    assert code == 0, err
    return site / out.strip()


def incident_at(path: Path):  # type: ignore[no-untyped-def]
    incident, problems = load_file(path, read_mkdocs_yml(path.parent.parent / "mkdocs.yml"))
    assert problems == [] and incident is not None
    return incident


# 1. Times --------------------------------------------------------------------------------


def test_the_clock_is_written_to_the_minute_and_never_with_microseconds(site: Path) -> None:
    code, out, _ = run("new", "API down", "-c", "api", "-m", "Looking.")
    assert code == 0
    path = site / out.strip()
    run("update", path.stem, "--status", "identified", "-m", "Found it.")
    headings = re.findall(r"^## \w+ · (.*)$", path.read_text(encoding="utf-8"), re.M)
    assert len(headings) == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", headings[1])  # the first: minutes
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC", h) for h in headings)
    statuses = [u.status.value for u in incident_at(path).updates]
    assert statuses == ["investigating", "identified"]  # in order, even within one minute


def test_a_clock_reading_needs_seconds_only_to_keep_the_order() -> None:
    clock = datetime(2026, 12, 1, 5, 20, 42, 140086, tzinfo=UTC)
    assert stamp(clock) == datetime(2026, 12, 1, 5, 20, tzinfo=UTC)
    assert stamp(clock, clock - timedelta(minutes=3)) == datetime(2026, 12, 1, 5, 20, tzinfo=UTC)
    same_minute = datetime(2026, 12, 1, 5, 20, 5, tzinfo=UTC)
    assert stamp(clock, same_minute) == datetime(2026, 12, 1, 5, 20, 42, tzinfo=UTC)
    same_second = datetime(2026, 12, 1, 5, 20, 42, tzinfo=UTC)
    assert stamp(clock, same_second) == datetime(2026, 12, 1, 5, 20, 43, tzinfo=UTC)
    given = datetime(2026, 12, 1, 5, 20, 30, tzinfo=UTC)  # --now with seconds: as given
    assert stamp(given, same_second) == given


def test_a_now_given_with_seconds_is_written_with_them(site: Path) -> None:
    path = opened(site, now="2026-12-01 06:20:30")
    assert "## Investigating · 2026-12-01 05:20:30 UTC\n" in path.read_text(encoding="utf-8")


OLD = (
    "---\ntitle: Old\nimpact: major\ncomponents: [api]\n---\n\n"
    "## Resolved · 2026-12-01 06:40:11.918273 UTC\n\nFixed.\n\n"
    "## Investigating · 2026-12-01 06:32:02.140086 UTC\n\nLooking.\n"
)
#: A fraction of a second that is not zero (the API writes ``.000``, as Statuspage does).
FRACTION = re.compile(r"\d\d:\d\d:\d\d\.\d*[1-9]")


def test_microseconds_in_an_older_file_reach_no_page_or_feed(site: Path) -> None:
    (site / "incidents" / "2026-12-01-old.md").write_text(OLD, encoding="utf-8")
    code, _, err = run("build", "--now", "2026-12-01 08:00")
    assert code == 0, err
    built = [
        p
        for p in (site / "site").rglob("*")
        if p.suffix in (".html", ".rss", ".atom", ".json", ".ics", ".xml")
    ]
    assert any(p.name == "feed.atom" for p in built)
    assert [p for p in built if FRACTION.search(p.read_text(encoding="utf-8"))] == []
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "; times are in Europe/Berlin (CET); it is rebuilt" in home
    page = (site / "site" / "incidents" / "2026-12-01-old" / "index.html").read_text("utf-8")
    assert "2026-12-01 07:32 CET" in page
    code, out, _ = run("list", "--all", "--format", "json", "--now", "2026-12-01 08:00")
    assert code == 0 and '"at": "2026-12-01T06:40:11Z"' in out


def test_the_postmortem_timeline_shows_times_as_pages_do(site: Path) -> None:
    path = site / "incidents" / "2026-12-01-old.md"
    path.write_text(OLD, encoding="utf-8")
    code, _, err = run("postmortem", "incidents/2026-12-01-old.md", "--now", "2026-12-02 09:00")
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert "- 2026-12-01 07:32 CET · Investigating: Looking." in text
    assert "## Postmortem · 2026-12-02 08:00 UTC" in text
    assert not FRACTION.search(text.split("## Postmortem")[1])


# 2. Promises -----------------------------------------------------------------------------


def test_an_update_without_next_replaces_the_earlier_promise(site: Path) -> None:
    path = opened(site, "--next", "30", now="2026-12-01 06:00")
    assert "next_update: 2026-12-01 05:30 UTC\n" in path.read_text(encoding="utf-8")
    code, _, err = run(
        "update", path.stem, "--status", "identified", "-m", "Found it.", "--now", AT
    )
    assert code == 0
    assert "next_update" not in path.read_text(encoding="utf-8")
    assert err == (
        "Next update expected by 2026-12-01 07:20 CET (Europe/Berlin), by the policy's "
        "cadence from this update (--next promises another time).\n"
    )
    # 06:45: the old promise (06:30) has passed, but the policy's hour has not.
    code, out, _ = run("lint", "--now", "2026-12-01 06:45")
    assert code == 0 and out == ""
    code, out, _ = run("list", "--format", "json", "--now", "2026-12-01 06:45")
    promise = json.loads(out)["incidents"][0]["next_update"]
    assert promise == {
        "due": "2026-12-01T06:20:00Z",
        "promised": False,
        "late": False,
        "late_by_minutes": None,
    }


def test_a_late_promise_names_the_time_with_its_zone(site: Path) -> None:
    opened(site, "--next", "30m")
    code, out, _ = run("lint", "--now", "2026-12-01 07:05")
    assert code == 0
    assert "promised by 2026-12-01 06:50 CET (Europe/Berlin) and is 15 min late" in out


# 4. Time zones ---------------------------------------------------------------------------


def test_every_time_without_a_zone_is_read_in_the_sites_zone(site: Path) -> None:
    path = opened(site, "--next", "07:00", "--started", "2026-12-01 06:05")
    text = path.read_text(encoding="utf-8")
    assert "## Investigating · 2026-12-01 05:20 UTC\n" in text  # --now
    assert "next_update: 2026-12-01 06:00 UTC\n" in text  # --next as a clock time
    assert "started: 2026-12-01 05:05 UTC\n" in text
    code, out, _ = run(
        "maintenance",
        "Upgrade",
        "-c",
        "db",
        "--start",
        "2026-12-05 06:00",
        "--end",
        "90",
        "-m",
        "Read-only.",
        "--now",
        AT,
    )
    assert code == 0
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert "start: 2026-12-05 05:00 UTC\nend: 2026-12-05 06:30 UTC\n" in text


def test_mkdocs_build_reads_statuspage_now_in_the_sites_zone(site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
        env={
            "STATUSPAGE_NOW": "2026-12-01 08:00",
            "NO_MKDOCS_2_WARNING": "1",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode == 0, result.stderr
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2026-12-01T08:00:00+01:00">2026-12-01 08:00 CET</time>' in home


def test_the_abbreviation_pages_show_is_read_back() -> None:
    assert parse_time("2026-12-01 06:30 CET", BERLIN) == datetime(2026, 12, 1, 5, 30, tzinfo=UTC)
    # The hour that the end of summer time repeats: the abbreviation says which.
    first = parse_time("2026-10-25 02:30 CEST", BERLIN)
    second = parse_time("2026-10-25 02:30 CET", BERLIN)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    with pytest.raises(ValueError, match="CEST is not what Europe/Berlin is called"):
        parse_time("2026-12-01 06:30 CEST", BERLIN)


def test_a_promise_that_is_not_ahead_is_refused(site: Path) -> None:
    code, _, err = run(
        "new", "X", "-c", "api", "-m", "Hi.", "--now", AT, "--next", "2026-12-01 06:00"
    )
    assert code == 2
    assert err.splitlines()[-1] == (
        "Error: Invalid value for --next: 2026-12-01 06:00 CET (Europe/Berlin) is not after "
        "this update (2026-12-01 06:20 CET (Europe/Berlin))"
    )


# 5. Durations ----------------------------------------------------------------------------


def test_a_bare_number_is_minutes(site: Path) -> None:
    assert parse_duration("30") == timedelta(minutes=30)
    path = opened(site, "--next", "45")
    assert "next_update: 2026-12-01 06:05 UTC\n" in path.read_text(encoding="utf-8")
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("update_every: 60m", 'update_every: "45"'), encoding="utf-8")
    assert read_mkdocs_yml(config).policy.update_every == timedelta(minutes=45)


# 6. Resolving ----------------------------------------------------------------------------

WAYS = (
    "To add a note that keeps it resolved: statuspage update 2026-12-01-api-down "
    "--status resolved -m …; to reopen it: statuspage update 2026-12-01-api-down --reopen "
    "--status investigating -m …"
)


def test_resolving_twice_is_refused_and_says_what_to_do(site: Path) -> None:
    path = opened(site)
    assert run("resolve", path.stem, "-m", "Fixed.", "--now", "2026-12-01 07:00")[0] == 0
    before = path.read_bytes()
    code, _, err = run("resolve", path.stem, "-m", "Fixed.", "--now", "2026-12-01 07:10")
    assert code == 1
    assert err == (
        "Error: 2026-12-01-api-down is already resolved, since 2026-12-01 07:00 CET "
        f"(Europe/Berlin). {WAYS}\n"
    )
    code, _, err = run(
        "update", path.stem, "--status", "monitoring", "-m", "Hm.", "--now", "2026-12-01 07:10"
    )
    assert code == 1
    assert "an update with status 'monitoring' would reopen it" in err
    assert path.read_bytes() == before


def test_reopen_is_explicit(site: Path) -> None:
    path = opened(site)
    code, _, err = run(
        "update",
        path.stem,
        "--reopen",
        "--status",
        "identified",
        "-m",
        "x",
        "--now",
        "2026-12-01 06:30",
    )
    assert (code, err.splitlines()[-1]) == (
        2,
        "Error: Invalid value for --reopen: 2026-12-01-api-down is open; --reopen is only "
        "for a resolved one",
    )
    run("resolve", path.stem, "-m", "Fixed.", "--now", "2026-12-01 07:00")
    code, _, _ = run(
        "update",
        path.stem,
        "--status",
        "resolved",
        "-m",
        "Credits are issued.",
        "--now",
        "2026-12-01 08:00",
    )
    assert code == 0  # a further note that keeps it resolved
    code, _, err = run(
        "update",
        path.stem,
        "--reopen",
        "--status",
        "investigating",
        "-m",
        "Errors are back.",
        "--now",
        "2026-12-01 09:00",
    )
    assert code == 0, err
    assert incident_at(path).latest_update.status.value == "investigating"


# 7. Finding ids --------------------------------------------------------------------------


def test_list_shows_what_is_open_with_late_promises_marked(site: Path) -> None:
    late = opened(site, "--next", "15")
    run("new", "Slow sign-in", "-c", "auth", "-m", "Looking.", "--now", "2026-12-01 06:50")
    run(
        "maintenance",
        "Upgrade",
        "-c",
        "db",
        "--start",
        "2026-12-05 06:00",
        "--end",
        "2h",
        "-m",
        "Read-only.",
        "--now",
        AT,
    )
    gone = opened(site, "--id", "2026-12-01-gone", now="2026-12-01 06:00")
    run("resolve", gone.stem, "-m", "Fixed.", "--now", "2026-12-01 06:10")
    code, out, _ = run("list", "--now", "2026-12-01 07:00")
    assert code == 0
    assert out.splitlines() == [
        "At 2026-12-01 07:00 CET (Europe/Berlin):",
        "ID                       STATUS         LAST UPDATE           "
        "NEXT UPDATE                                       TITLE",
        "2026-12-01-slow-sign-in  Investigating  2026-12-01 06:50 CET  "
        "2026-12-01 07:50 CET (policy, in 50 min)          Slow sign-in",
        f"{late.stem}      Investigating  2026-12-01 06:20 CET  "
        "LATE 25 min (due 2026-12-01 06:35 CET, promised)  API down",
        "2026-12-05-upgrade       Scheduled      2026-12-01 06:20 CET  "
        "window opens 2026-12-05 06:00 CET                 Upgrade",
        "1 LATE: post an update now, even without news.",
    ]
    code, out, _ = run("list", "--all", "--format", "json", "--now", "2026-12-01 07:00")
    rows = json.loads(out)["incidents"]
    assert [r["id"] for r in rows] == [
        "2026-12-05-upgrade",
        "2026-12-01-slow-sign-in",
        "2026-12-01-api-down",
        "2026-12-01-gone",
    ]
    assert rows[2]["next_update"] == {
        "due": "2026-12-01T05:35:00Z",
        "promised": True,
        "late": True,
        "late_by_minutes": 25,
    }
    assert set(rows[0]) == {
        "id",
        "path",
        "kind",
        "title",
        "impact",
        "status",
        "components",
        "last_update",
        "next_update",
        "window",
    }


def test_list_names_broken_files_and_shows_the_rest(site: Path) -> None:
    opened(site)
    (site / "incidents" / "2026-12-01-broken.md").write_text("---\ntitle: [\n---\n")
    code, out, err = run("list", "--now", "2026-12-01 07:00")
    assert code == 0 and "2026-12-01-api-down" in out
    assert err == (
        "warning: incidents/2026-12-01-broken.md has errors and is not listed (statuspage lint)\n"
    )
    assert run("list", "--now", "2026-12-01 05:00")[1].endswith(
        "no open incidents and no upcoming maintenance.\n"
    )


def test_list_at_a_past_time_shows_what_was_open_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_site(tmp_path, REPO / "incidents")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("list", "--format", "json", "--now", "2026-11-22 10:30")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)["incidents"]}
    assert list(rows) == ["2026-11-22-dashboard-slow", "2026-12-05-network-maintenance"]
    assert rows["2026-11-22-dashboard-slow"]["status"] == "monitoring"
    assert rows["2026-11-22-dashboard-slow"]["next_update"]["due"] == "2026-11-22T11:45:00Z"
    assert err == (
        "note: incidents/2026/2026-11-22-dashboard-slow.md has updates dated after "
        "2026-11-22 10:30 UTC; listed as it stood then\n"
    )


def test_a_path_inside_incidents_is_an_id_too(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = opened(site)
    for given in (
        "incidents/2026-12-01-api-down.md",
        str(path),
        "./incidents/../incidents/2026-12-01-api-down.md",
    ):
        code, out, err = run(
            "update", given, "--status", "update", "-m", "Still on it.", "--now", "2026-12-01 06:40"
        )
        assert (code, out) == (0, "incidents/2026-12-01-api-down.md\n"), err
    monkeypatch.chdir(site / "incidents")
    code, _, err = run(
        "update",
        "2026-12-01-api-down.md",
        "--config",
        "../mkdocs.yml",
        "--status",
        "update",
        "-m",
        "Still.",
        "--now",
        "2026-12-01 06:45",
    )
    assert code == 0, err
    code, out, _ = run(
        "announce",
        "2026-12-01-api-down.md",
        "--config",
        "../mkdocs.yml",
        "--now",
        "2026-12-01 06:50",
    )
    assert code == 0 and "Still." in out


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("mkdocs.yml/", "'mkdocs.yml/' is not inside incidents/"),
        ("incidents/notes.md", "'incidents/notes.md' is not an incident file"),
        ("incidents/2026-12-01-none.md", "'incidents/2026-12-01-none.md' does not exist"),
        ("incidents/", "'incidents/' is a folder; give an incident file in incidents/"),
    ],
)
def test_a_path_that_is_no_incident_is_a_clear_error(site: Path, given: str, says: str) -> None:
    opened(site)
    (site / "incidents" / "notes.md").write_text("Notes.\n")
    code, _, err = run("resolve", given, "-m", "x", "--now", "2026-12-01 07:00")
    assert code == 2
    assert err.splitlines()[-1].startswith(f"Error: {says}")


# 8. Help and packaging -------------------------------------------------------------------


def test_help_examples_use_ids_of_the_example_site() -> None:
    known = {p.stem for p in (REPO / "incidents").rglob("*.md")}
    mentioned: set[str] = set()
    for name in main.list_commands(None):  # type: ignore[arg-type]
        result = CliRunner().invoke(main, [name, "--help"])
        mentioned |= set(re.findall(r"\b\d{4}-\d\d-\d\d-[a-z0-9-]*[a-z0-9]\b", result.output))
    assert mentioned and mentioned <= known, mentioned - known


def test_there_is_an_mit_license() -> None:
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The status page generator authors\n" in text


# 9. Hints --------------------------------------------------------------------------------


def lint_of(site: Path, front: str) -> str:
    (site / "incidents" / "2026-12-01-x.md").write_text(
        f"---\n{front}---\n\n## Investigating · 2026-12-01 06:00 UTC\n\nLooking.\n",
        encoding="utf-8",
    )
    code, out, _ = run("lint", "--now", "2026-12-01 08:00")
    assert code == 1
    return out


@pytest.mark.parametrize(
    ("front", "says"),
    [
        (
            "title: X\nimpact: Major\ncomponents: [api]\n",
            "incidents/2026-12-01-x.md:3: impact: 'Major' is not one of none, minor, major, "
            "critical (did you mean 'major'?)",
        ),
        (
            "title: X\nkind: Incident\nimpact: major\ncomponents: [api]\n",
            "incidents/2026-12-01-x.md:3: kind: 'Incident' is not one of incident, maintenance "
            "(did you mean 'incident'?)",
        ),
        (
            "title: X\nimpact: major\ncomponents:\n  api: Partial outage\n",
            "incidents/2026-12-01-x.md:4: components: api: 'Partial outage' is not one of "
            "operational, under_maintenance, degraded_performance, partial_outage, "
            "major_outage (did you mean 'partial_outage'?)",
        ),
        (
            "title: X\nimpact: major\ncomponents: [API]\n",
            "incidents/2026-12-01-x.md:4: components: 'API' is not a component id "
            "(did you mean 'api'?); known ids: api, dashboard, auth, db, pipeline, webhooks, email",
        ),
        (
            "title: X\nimpact: major\ncomponents: web\n",
            "incidents/2026-12-01-x.md:4: components: 'web' is a single word, not a list; "
            "write components: [web] (or a map of component id to status)",
        ),
        (
            "title: API down: errors\nimpact: major\ncomponents: [api]\n",
            "incidents/2026-12-01-x.md:2: frontmatter: invalid YAML: mapping values are not "
            "allowed in this context; a value that contains ': ' must be put in quotes: "
            'title: "API down: errors"',
        ),
    ],
)
def test_closed_vocabularies_and_yaml_get_hints(site: Path, front: str, says: str) -> None:
    assert lint_of(site, front).splitlines() == [says]


def test_options_get_hints_too(site: Path) -> None:
    code, _, err = run("new", "X", "--impact", "majr", "-m", "x", "--now", AT)
    assert (code, err.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '--impact': 'majr' is not one of 'none', 'minor', 'major', "
        "'critical'; did you mean 'major'?",
    )
    code, _, err = run("new", "X", "-c", "API", "-m", "x", "--now", AT)
    assert (code, err.splitlines()[-1]) == (
        2,
        "Error: Invalid value for --component: 'API' is not a component id; did you mean "
        "'api'?; known ids: api, dashboard, auth, db, pipeline, webhooks, email",
    )
    assert not list((site / "incidents").iterdir())
