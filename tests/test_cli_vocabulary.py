"""Command-line choices come from the model's enums; ``--help`` stays light."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import copy_site
from generator.authoring.edit import NewIncident, new_incident_text
from generator.cli import main
from generator.core.model import (
    INCIDENT_IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Impact,
    UpdateStatus,
)

NOW = ("--now", "2026-11-20 14:20 UTC")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def choices(command: str, option: str) -> list[str]:
    param = next(p for p in main.commands[command].params if p.name == option)
    assert isinstance(param.type, click.Choice)
    return [str(c) for c in param.type.choices]


def test_choices_are_the_enums() -> None:
    assert choices("new", "impact") == [i.value for i in INCIDENT_IMPACTS]
    assert choices("maintenance", "impact") == ["maintenance", *choices("new", "impact")]
    assert choices("new", "status") == [s.cli_name for s in INCIDENT_STATUSES[:-1]]
    assert choices("update", "status") == [
        s.cli_name for s in (*INCIDENT_STATUSES, *MAINTENANCE_STATUSES)
    ]
    assert choices("lint", "output") == ["text", "github"]
    assert choices("report", "output") == ["text", "json", "markdown"]


def test_choices_are_case_insensitive(site: Path) -> None:
    result = CliRunner().invoke(main, ["new", "X", "--impact", "MAJOR", "-m", "Hi.", *NOW])
    assert result.exit_code == 0, result.output
    assert "impact: major\n" in (site / result.stdout.strip()).read_text(encoding="utf-8")
    lint = CliRunner().invoke(main, ["lint", "--format", "GitHub", *NOW])
    assert (lint.exit_code, lint.stderr) == (0, "OK: 0 error(s), 0 warning(s)\n")


def test_an_unknown_choice_lists_the_enum(site: Path) -> None:
    result = CliRunner().invoke(main, ["new", "X", "--impact", "huge", "-m", "Hi.", *NOW])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--impact': 'huge' is not one of "
        "'none', 'minor', 'major', 'critical'."
    )


def test_new_incident_is_typed() -> None:
    spec = NewIncident("T", impact=Impact.CRITICAL, components=("api",))
    at = datetime(2026, 11, 20, 14, 20, tzinfo=UTC)
    assert "impact: critical\n" in new_incident_text(spec, UpdateStatus.INVESTIGATING, "Hi.", at)


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        "try:\n"
        "    main(['new', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('mkdocs', 'yaml', 'pydantic', 'generator.core.loader') "
        "if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
