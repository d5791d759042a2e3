"""Every command over bad arguments: an ``Error:`` line and exit 1 or 2, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_site
from generator.cli import main

NOW = ("--now", "2026-11-20 14:20 UTC")
OPEN = "2026-11-20-api-errors"
INCIDENT = """\
---
title: API errors
impact: minor
components: [api]
---

## Investigating · 2026-11-20 14:00 UTC

We are looking into it.
"""
WINDOW = ("--start", "2026-12-05 06:00 UTC", "--end", "2h", "-c", "db")

#: Bad values, each in the place a command takes them.
BAD_TIMES = (
    "yesterday",
    "2026-13-01 10:00 UTC",
    "2026-03-29 02:30 Europe/Paris",
    "9999-12-31 23:59 -14:00",
)
BAD_DURATIONS = ("99999999d", "999999999999999999999d", "soon", "0m", "-1h")
BAD_IDS = ("/etc/passwd", "../../etc/passwd", "nope", "*", "2026-*", ".", "a/b", "")
BAD_SETS = (("--set", "nokey"), ("--set", "=x"), ("-t", "nope", "--set", "a=b"))


def corpus() -> list[tuple[str, ...]]:
    """Argument lists that must each fail cleanly."""
    cases: list[tuple[str, ...]] = []
    for time in BAD_TIMES:
        cases += [
            ("new", "X", "--started", time, "-m", "Hi."),
            ("new", "X", "--started", "", "-m", "Hi."),
            ("new", "X", "--now", time, "-m", "Hi."),
            ("maintenance", "X", "--start", time, "--end", "2h", "-c", "db", "-m", "Hi."),
            ("maintenance", "X", "--start", "2026-12-05 06:00 UTC", "--end", time, "-c", "db"),
            ("lint", "--now", time),
        ]
    for duration in BAD_DURATIONS:
        cases += [
            ("new", "X", "--next", duration, "-m", "Hi."),
            ("update", OPEN, "--status", "identified", "--next", duration, "-m", "Hi."),
            ("maintenance", "X", "--start", "2026-12-05 06:00 UTC", "--end", duration, "-c", "db"),
        ]
    for bad_id in BAD_IDS:
        cases += [
            ("update", bad_id, "--status", "identified", "-m", "Hi."),
            ("resolve", bad_id, "-m", "Hi."),
            ("postmortem", bad_id),
            ("announce", bad_id),
            ("new", "X", "--id", bad_id, "-m", "Hi."),
            ("maintenance", "X", *WINDOW, "--id", bad_id, "-m", "Hi."),
        ]
    for assignment in BAD_SETS:
        cases += [
            ("new", "X", *assignment, "-m", "Hi."),
            ("update", OPEN, "--status", "identified", *assignment, "-m", "Hi."),
            ("resolve", OPEN, *assignment, "-m", "Hi."),
            ("maintenance", "X", *WINDOW, *assignment, "-m", "Hi."),
            ("postmortem", OPEN, *assignment),
        ]
    cases += [
        ("new", "X", "--impact", "huge", "-m", "Hi."),
        ("new", "X", "--status", "resolved", "-m", "Hi."),
        ("new", "X", "-m", "Hi.", "-F", "/nonexistent/message.md"),
        ("new", "X", "-m", "   "),
        ("new", "", "-m", "Hi."),
        ("new", "X", "-c", "nope", "-m", "Hi."),
        ("update", OPEN, "--status", "completed", "-m", "Hi."),
        ("update", OPEN, "--status", "done", "-m", "Hi."),
        ("maintenance", "X", "--start", "2026-12-05 06:00 UTC", "--end", "2026-12-05 05:00 UTC"),
        ("maintenance", "X", *WINDOW, "--impact", "maintenance-ish", "-m", "Hi."),
        ("postmortem", OPEN),  # still open
        ("lint", "--format", "xml"),
        ("report", "--since", "last week"),
        ("report", "--format", "pdf"),
        ("announce", "--format", "xml"),
        ("build", "--site-dir", "mkdocs.yml"),
    ]
    return cases


COMMANDS = ("new", "update", "resolve", "maintenance", "postmortem", "lint", "build")
COMMANDS += ("announce", "report")


def config_cases() -> list[tuple[str, ...]]:
    """Each command with a missing, a binary, a folder and a broken configuration."""
    cases = []
    for config in ("missing.yml", "binary.yml", "folder", "broken.yml", "noplugin.yml"):
        for name in COMMANDS:
            args = {
                "new": ("X", "-m", "Hi."),
                "update": (OPEN, "--status", "identified", "-m", "Hi."),
                "resolve": (OPEN, "-m", "Hi."),
                "maintenance": ("X", *WINDOW, "-m", "Hi."),
                "postmortem": (OPEN,),
            }.get(name, ())
            cases.append((name, *args, "--config", config))
    return [*cases, ("serve", "--config", "missing.yml")]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_site(tmp_path, templates=True)
    (tmp_path / "incidents" / f"{OPEN}.md").write_text(INCIDENT, encoding="utf-8")
    (tmp_path / "binary.yml").write_bytes(b"site_name: \xff\xfe\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "broken.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    (tmp_path / "noplugin.yml").write_text("site_name: Status\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return tmp_path


def fails_cleanly(args: tuple[str, ...]) -> str:
    """Run ``args``; assert a clean failure; its ``Error:`` line."""
    full = list(args) if "--now" in args or args[0] in ("serve", "build") else [*args, *NOW]
    result = CliRunner().invoke(main, full, catch_exceptions=False)
    output = result.stdout + result.stderr
    assert result.exit_code in (1, 2), (args, result.exit_code, output)
    assert "Traceback" not in output, (args, output)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, (args, output)  # MkDocs' own errors may go on below it
    return errors[0]


@pytest.mark.parametrize("args", corpus(), ids=" ".join)
def test_bad_arguments_fail_cleanly(site: Path, args: tuple[str, ...]) -> None:
    before = sorted(p.name for p in (site / "incidents").iterdir())
    fails_cleanly(args)
    assert sorted(p.name for p in (site / "incidents").iterdir()) == before


@pytest.mark.parametrize("args", config_cases(), ids=" ".join)
def test_bad_configuration_fails_cleanly(site: Path, args: tuple[str, ...]) -> None:
    fails_cleanly(args)


def error_of(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, *NOW], catch_exceptions=False)
    return result.exit_code, result.stderr.splitlines()[-1]


def test_a_time_that_is_not_one_names_the_option(site: Path) -> None:
    assert error_of("new", "X", "--started", "yesterday", "-m", "Hi.") == (
        2,
        "Error: Invalid value for --started: 'yesterday' is not a time; write it as "
        "YYYY-MM-DD HH:MM UTC (or with an offset such as +09:00, or an IANA zone such as "
        "Europe/Paris)",
    )


def test_a_promise_past_the_calendar(site: Path) -> None:
    assert error_of("new", "X", "--next", "99999999d", "-m", "Hi.") == (
        2,
        "Error: Invalid value for --next: '99999999d' is too far ahead",
    )
    end = ("--end", "999999999999999999d")
    assert error_of("maintenance", "X", "--start", "2026-12-05 06:00 UTC", *end, "-c", "db") == (
        2,
        "Error: Invalid value for --end: '999999999999999999d' is not a time; write it as "
        "YYYY-MM-DD HH:MM UTC (or with an offset such as +09:00, or an IANA zone such as "
        "Europe/Paris); or a duration such as 2h",
    )


@pytest.mark.parametrize("bad_id", ["/etc/passwd", "../../etc/2026-11-20-x", "2026-*"])
def test_an_id_is_a_file_name_never_a_path(site: Path, bad_id: str) -> None:
    says = (
        f"Error: '{bad_id}' is not an incident id: the file name without .md, "
        "e.g. 2026-11-20-api-errors"
    )
    assert error_of("new", "X", "--id", bad_id, "-m", "Hi.") == (2, says)
    assert not (site.parent / "etc").exists()


@pytest.mark.parametrize("bad_id", ["/etc/passwd", "../../etc/2026-11-20-x"])
def test_a_path_outside_the_incidents_folder_is_refused(site: Path, bad_id: str) -> None:
    says = (
        f"Error: '{bad_id}' is not inside incidents/: give an incident id "
        "(the file name without .md) or the path of a file in incidents/"
    )
    assert error_of("update", bad_id, "--status", "identified", "-m", "Hi.") == (2, says)
    assert not (site.parent / "etc").exists()


def test_set_without_a_template(site: Path) -> None:
    assert error_of("resolve", OPEN, "--set", "cause=x", "-m", "Hi.") == (
        2,
        "Error: --set fills a template's placeholders: add --template NAME",
    )


def test_a_configuration_that_is_not_text(site: Path) -> None:
    result = CliRunner().invoke(main, ["lint", "--config", "binary.yml"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "binary.yml: is not UTF-8 text (invalid start byte at byte 11)",
        "Error: 1 error(s), 0 warning(s)",
    ]


def test_a_read_only_incidents_folder(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = site / "incidents"
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anyway: refuse as the file system would
        import tempfile

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, "Permission denied", str(folder / ".x.tmp"))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        assert error_of("new", "X", "-m", "Hi.") == (
            1,
            "Error: cannot write incidents/2026-11-20-x.md: Permission denied",
        )
        assert error_of("resolve", OPEN, "-m", "Hi.") == (
            1,
            f"Error: cannot write incidents/{OPEN}.md: Permission denied",
        )
    finally:
        folder.chmod(0o755)
    assert (folder / f"{OPEN}.md").read_text(encoding="utf-8") == INCIDENT
