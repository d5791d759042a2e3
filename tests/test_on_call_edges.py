"""Edges of the on-call path: the nights clocks change, paths given as ids, odd times.

Like ``test_on_call.py``, each test drives the real CLI on a copy of the
example site in Europe/Berlin, where clocks go back from 03:00 CEST to
02:00 CET on 2026-10-25 (so 02:00–03:00 happens twice) and forward from
02:00 CET to 03:00 CEST on 2026-03-29.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from conftest import copy_site
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_file
from generator.core.times import parse_time

BERLIN = ZoneInfo("Europe/Berlin")


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


def opened(site: Path, now: str, *extra: str) -> Path:
    code, out, err = run(
        "new", "API down", "-c", "api", "--scope", "all", *extra, "-m", "Looking.", "--now", now
    )
    assert code == 0, err
    return site / out.strip()


def incident_at(path: Path):  # type: ignore[no-untyped-def]
    incident, problems = load_file(path, read_mkdocs_yml(path.parent.parent / "mkdocs.yml"))
    assert problems == [] and incident is not None
    return incident


# 1. The nights clocks change --------------------------------------------------------------


def test_a_duration_from_the_repeated_hour_is_that_long(site: Path) -> None:
    """02:50 CEST is 00:50 UTC; 30 minutes later is 01:20 UTC (02:20 CET), not 02:20 UTC."""
    path = opened(site, "2026-10-25 02:50 CEST", "--next", "30m")
    promised = incident_at(path).next_update
    assert promised == datetime(2026, 10, 25, 1, 20, tzinfo=UTC)


def test_now_in_the_second_repeated_hour_is_not_in_its_own_future(site: Path) -> None:
    path = opened(site, "2026-10-25 02:30 CET")
    assert incident_at(path).updates[0].at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    code, _, err = run("update", path.stem, "--status", "identified", "-m", "Found.",
                       "--now", "2026-10-25 02:40 CET")  # fmt: skip
    assert code == 0, err


def test_the_two_readings_of_a_repeated_hour_are_an_hour_apart() -> None:
    first = parse_time("2026-10-25 02:30 CEST", BERLIN)
    second = parse_time("2026-10-25 02:30 CET", BERLIN)
    assert second - first == timedelta(hours=1)
    assert first < second


def test_a_window_across_the_change_lasts_its_real_length() -> None:
    start = parse_time("2026-10-25 01:00", BERLIN)
    end = parse_time("2026-10-25 04:00", BERLIN)
    assert end - start == timedelta(hours=4)


# 2. Ids given as paths --------------------------------------------------------------------


def test_the_file_name_as_ls_shows_it_names_the_incident(site: Path) -> None:
    path = opened(site, "2026-12-01 06:20")
    code, out, err = run("update", path.name, "--status", "identified", "-m", "Found.",
                         "--now", "2026-12-01 06:30")  # fmt: skip
    assert code == 0, err
    assert out.strip().endswith(path.name)
    assert "## Identified" in path.read_text(encoding="utf-8")


def test_a_link_leading_out_of_the_folder_is_not_edited(site: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    opened(site, "2026-12-01 06:20").rename(outside)
    before = outside.read_bytes()
    (site / "incidents" / "2026-12-01-linked.md").symlink_to(outside)
    code, _, err = run("update", "2026-12-01-linked", "--status", "identified", "-m", "Found.",
                       "--now", "2026-12-01 06:30")  # fmt: skip
    assert code == 1
    assert "is a link to" in err and "outside incidents/" in err and "Traceback" not in err
    assert outside.read_bytes() == before
    assert (site / "incidents" / "2026-12-01-linked.md").is_symlink()


# 3. Text that would break a line ------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\n", "\\r\\n", "\\u2028", "\\u0085", "\\t"])
def test_a_title_with_a_line_break_is_one_line_in_list(site: Path, escape: str) -> None:
    fake = "2026-12-01-fake  Resolved  2026-12-01 06:00 CET  -  All good"
    (site / "incidents" / "2026-12-01-api-down.md").write_text(
        f'---\ntitle: "API down{escape}{fake}"\nimpact: minor\ncomponents: [api]\n---\n\n'
        "## Investigating · 2026-12-01 05:00 UTC\n\nLooking.\n",
        encoding="utf-8",
    )
    code, out, err = run("list", "--now", "2026-12-01 06:20")
    assert code == 0, err
    rows = [line for line in out.splitlines() if "2026-12-01-" in line]
    assert len(rows) == 1 and rows[0].startswith("2026-12-01-api-down ")
    assert rows[0].endswith(f"API down {fake}")


# 4. --next as a time of day ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "due"),
    [
        ("7:00", datetime(2026, 12, 2, 6, 0, tzinfo=UTC)),  # 07:00 has passed: tomorrow
        ("07:00", datetime(2026, 12, 2, 6, 0, tzinfo=UTC)),
        ("9:05", datetime(2026, 12, 1, 8, 5, tzinfo=UTC)),  # still ahead: today
        ("10:30:30", datetime(2026, 12, 1, 9, 30, 30, tzinfo=UTC)),
    ],
)
def test_next_at_a_time_of_day(site: Path, given: str, due: datetime) -> None:
    path = opened(site, "2026-12-01 08:20", "--next", given)
    assert incident_at(path).next_update == due


def test_next_at_a_time_skipped_today_means_tomorrow_once_it_has_passed(site: Path) -> None:
    """02:30 did not exist on 2026-03-29 in Berlin; at 10:00 that day it means the 30th."""
    path = opened(site, "2026-03-29 10:00", "--next", "02:30")
    assert incident_at(path).next_update == datetime(2026, 3, 30, 0, 30, tzinfo=UTC)
    code, _, err = run("new", "Early", "-c", "api", "-m", "x", "--now", "2026-03-29 01:00",
                       "--next", "02:30")  # fmt: skip
    assert code == 2 and "daylight-saving gap" in err
