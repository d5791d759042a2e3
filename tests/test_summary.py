"""``statuspage summary --since REF``: what a pull request will show customers,
checked against a real git repository holding a copy of the example site."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, copy_site
from generator.authoring.summary import md
from generator.cli import main

ID = "2026-12-01-api-errors"
DECLARED = """\
---
title: Elevated error rates on the API
impact: major
components: [api, webhooks]
scope: Customers in the EU region
next_update: 2026-12-01 09:30 UTC
---

## Investigating · 2026-12-01 09:00 UTC

We are investigating failing API requests.
"""
IDENTIFIED = """\
## Identified · 2026-12-01 09:25 UTC

A faulty load balancer change; we are rolling it back.

"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example site with an open incident, committed on the base branch."""
    copy_site(tmp_path, EXAMPLE / "incidents")
    (tmp_path / "incidents" / f"{ID}.md").write_text(DECLARED, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def summary(*args: str, now: str = "2026-12-01 09:26 UTC") -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["summary", *args, "--now", now])
    return result.exit_code, result.stdout, result.stderr


def add_update(repo: Path) -> None:
    path = repo / "incidents" / f"{ID}.md"
    text = path.read_text(encoding="utf-8").replace(
        "next_update: 2026-12-01 09:30 UTC", "next_update: 2026-12-01 10:10 UTC"
    )
    head, _, rest = text.partition("## Investigating")
    path.write_text(head + IDENTIFIED + "## Investigating" + rest, encoding="utf-8")
    git(repo, "commit", "-qam", "Identified")


def test_a_pull_request_adding_an_update(repo: Path) -> None:
    add_update(repo)
    code, out, err = summary("--since", "HEAD^1")
    assert code == 0, err
    assert out == (
        "## What the status page will show after this pull request\n"
        "\n"
        "**Overall: Partial System Outage** (as of 2026-12-01 09:26 UTC)\n"
        "\n"
        "### Elevated error rates on the API\n"
        "\n"
        f"`incidents/{ID}.md` · changed\n"
        "\n"
        "| | |\n"
        "|---|---|\n"
        "| Status after merge | Identified (latest update 2026-12-01 09:25 UTC) |\n"
        "| Impact | Major |\n"
        "| Components | REST API: partial outage; Webhooks: partial outage |\n"
        "| Next update | by 2026-12-01 10:10 UTC (promised) |\n"
        f"| Page (after merge) | https://status.example.com/incidents/{ID}/ |\n"
    )


def test_a_late_promise_is_a_warning_in_the_summary(repo: Path) -> None:
    (repo / "incidents" / f"{ID}.md").write_text(DECLARED + "\nMore detail.\n", encoding="utf-8")
    code, out, _ = summary("--since", "HEAD", now="2026-12-01 09:50 UTC")
    assert code == 0
    assert "| Next update | by 2026-12-01 09:30 UTC (promised) — **overdue** |" in out
    assert "- ⚠️ warning: line 6: next\\_update: the next update was promised by" in out


def test_added_removed_renamed_and_broken_files(repo: Path) -> None:
    incidents = repo / "incidents"
    git(repo, "mv", f"incidents/{ID}.md", "incidents/2026-12-01-api-errors-eu.md")
    (incidents / "2026" / "2026-06-15-db-failover.md").unlink()
    (incidents / "2026-12-01-broken.md").write_text(
        DECLARED.replace("impact: major", "impact: mayor"), encoding="utf-8"
    )  # untracked: a file just added in the working tree counts too
    code, out, _ = summary("--since", "HEAD")
    assert code == 0
    assert "`incidents/2026-12-01-api-errors-eu.md` · renamed" in out
    assert "### Removed\n\n`incidents/2026/2026-06-15-db-failover.md` · removed" in out
    assert (
        "### Not published: the file has errors\n\n`incidents/2026-12-01-broken.md` · added" in out
    )
    assert "- ❌ error: line 3: impact: 'mayor' is not one of" in out


def test_no_change_says_so(repo: Path) -> None:
    code, out, _ = summary("--since", "HEAD")
    assert code == 0
    assert "No incident file changes in this pull request." in out


def test_text_from_files_cannot_become_markup(repo: Path) -> None:
    hostile = "![x](https://tracker.example/p.png) <img src=x> | **bold** [link](javascript:x)"
    path = repo / "incidents" / f"{ID}.md"
    path.write_text(
        DECLARED.replace("Elevated error rates on the API", f"'{hostile}'"), encoding="utf-8"
    )
    _, out, _ = summary("--since", "HEAD")
    heading = next(line for line in out.splitlines() if line.startswith("### "))
    assert heading == f"### {md(hostile)}"
    # every character Markdown would act on is escaped
    assert re.search(r"(?<!\\)[*_`<>\[\]()|!]", heading.removeprefix("### ")) is None


def test_md_escapes_every_markdown_character() -> None:
    assert (
        md("a*b_c`d|e<f>[g](h)#!~&\\") == "a\\*b\\_c\\`d\\|e\\<f\\>\\[g\\]\\(h\\)\\#\\!\\~\\&\\\\"
    )
    assert md("two\nlines\r\n  here") == "two lines here"


def test_a_bad_revision_is_an_error_line(repo: Path) -> None:
    code, _, err = summary("--since", "no-such-branch")
    assert code == 2
    assert "Error: Invalid value for --since: git rev-parse failed" in err
