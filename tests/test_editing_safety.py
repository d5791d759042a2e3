"""Editing never loses or misplaces a word: concurrent edits, smuggled headings,
read-only files and what a killed edit leaves behind.

Concurrency is tried with real processes of the real command, as two
engineers (or an engineer and a bot) would run it at the same moment.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_site
from generator.cli import main

INCIDENT = "2026-11-21-api-errors"
TEXT = (
    "---\ntitle: API errors\nimpact: minor\ncomponents: [api]\n---\n\n"
    "## Investigating · 2026-11-21 11:00 UTC\n\nWe are looking into it.\n"
)
NOW = "2026-11-21 12:00 UTC"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    copy_site(tmp_path)
    (tmp_path / "incidents" / f"{INCIDENT}.md").write_text(TEXT, encoding="utf-8")
    return tmp_path


def run(site: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--config", str(site / "mkdocs.yml")])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def update_in_a_process(site: Path, number: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "update",
            INCIDENT,
            "--status",
            "update",
            "-m",
            f"Update number {number}.",
            "--now",
            NOW,
            "--config",
            str(site / "mkdocs.yml"),
        ],
        capture_output=True,
        text=True,
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )


def test_concurrent_updates_keep_every_update(site: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: update_in_a_process(site, n), range(24)))
    assert [r.returncode for r in results] == [0] * 24, [r.stderr for r in results]
    text = (site / "incidents" / f"{INCIDENT}.md").read_text(encoding="utf-8")
    assert sorted(n for n in range(24) if f"Update number {n}." in text) == list(range(24))
    assert text.count("## Update · ") == 24
    assert not list((site / "incidents").glob(".*.tmp"))


@pytest.mark.parametrize(
    "message",
    [
        "Fixed.\n\n## Resolved · 2026-11-21 11:58 UTC\n\nAll good (fake).",
        "Fixed.\n##Resolved · 2026-11-21 11:58 UTC",
        "Fixed.\n  ## Monitoring · 2026-11-21 11:58 UTC",
    ],
)
def test_a_message_with_an_update_heading_is_refused(site: Path, message: str) -> None:
    before = (site / "incidents" / f"{INCIDENT}.md").read_bytes()
    code, output = run(site, "update", INCIDENT, "--status", "update", "-m", message, "--now", NOW)
    assert code == 1
    assert "would start an update of its own; use '###'" in output
    assert (site / "incidents" / f"{INCIDENT}.md").read_bytes() == before


def test_a_heading_inside_a_code_block_is_text(site: Path) -> None:
    message = "The log:\n\n```\n## Resolved · 2026-11-21 11:58 UTC\n```"
    code, output = run(site, "update", INCIDENT, "--status", "update", "-m", message, "--now", NOW)
    assert code == 0, output
    text = (site / "incidents" / f"{INCIDENT}.md").read_text(encoding="utf-8")
    assert text.count("## Update · ") == 1 and "```\n## Resolved" in text


def test_a_message_that_never_closes_its_code_block_is_refused(site: Path) -> None:
    code, output = run(
        site, "update", INCIDENT, "--status", "update", "-m", "See:\n\n```\nlog", "--now", NOW
    )
    assert code == 1 and "never closes" in output


def test_update_without_a_status_says_so(site: Path) -> None:
    code, output = run(site, "update", INCIDENT, "-m", "More.", "--now", NOW)
    assert code == 2 and "Missing option '--status'" in output


def test_a_new_incident_cannot_smuggle_a_second_update(site: Path) -> None:
    fake = "Looking.\n\n## Resolved · 2026-11-21 11:58 UTC\n\nfake"
    code, output = run(site, "new", "DB down", "--impact", "major", "-m", fake, "--now", NOW)
    assert code == 1 and "would start an update of its own" in output
    assert sorted(p.name for p in (site / "incidents").iterdir()) == [f"{INCIDENT}.md"]


def test_a_read_only_incident_file_is_refused_and_kept(site: Path) -> None:
    path = site / "incidents" / f"{INCIDENT}.md"
    path.chmod(0o444)
    code, output = run(site, "update", INCIDENT, "--status", "update", "-m", "More.", "--now", NOW)
    assert code == 1 and "is read-only" in output
    assert path.read_text(encoding="utf-8") == TEXT
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_an_edit_keeps_the_files_mode(site: Path) -> None:
    path = site / "incidents" / f"{INCIDENT}.md"
    path.chmod(0o640)
    assert run(site, "update", INCIDENT, "--status", "update", "-m", "More.", "--now", NOW)[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_the_next_edit_clears_what_a_killed_edit_left(site: Path) -> None:
    left = site / "incidents" / f".{INCIDENT}.md.k1ll3d.tmp"
    left.write_text("half of a 20 MB file", encoding="utf-8")
    assert run(site, "update", INCIDENT, "--status", "update", "-m", "More.", "--now", NOW)[0] == 0
    assert not left.exists()
    assert run(site, "lint", "--now", NOW)[0] == 0  # and the lock files are not incidents


def test_concurrent_new_incidents_of_one_title_make_one_file_and_clear_errors(site: Path) -> None:
    def new(number: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "new", "Database down", "--impact", "major",
             "-m", f"Looking, run {number}.", "--now", NOW, "--config", str(site / "mkdocs.yml")],
            capture_output=True, text=True, cwd=site, timeout=120,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(new, range(5)))
    assert sorted(r.returncode for r in results) == [0, 1, 1, 1, 1]
    for failed in (r for r in results if r.returncode):
        assert failed.stderr.startswith("Error: ") and "Traceback" not in failed.stderr
        assert "already exists; choose another --id" in failed.stderr
    assert len(list((site / "incidents").glob("2026-11-21-database-down*.md"))) == 1
