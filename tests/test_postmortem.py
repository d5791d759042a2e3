"""The postmortem: its required parts, the draft, the command, the page and the feeds."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from test_build import page, text_of

from conftest import EXAMPLE, copy_site
from generator.authoring.messages import TemplateError
from generator.authoring.postmortem import REQUIRED_PARTS, draft, missing_parts
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_file
from generator.plugin import build_site

NOW = "2026-11-22 10:00 UTC"
ID = "2026-11-20-api-errors"
OPEN_ID = "2026-11-22-dashboard-slow"
RESOLVED = """\
---
title: API errors
impact: major
components: [api, webhooks]
scope: EU customers
started: 2026-11-20 14:05 UTC
---

Summary line.

## Resolved · 2026-11-20 16:05 UTC

Error rates are normal. We are sorry for the disruption.

## Identified · 2026-11-20 14:40 UTC

A faulty load balancer change. We are rolling it back.

## Investigating · 2026-11-20 14:15 UTC

We are sorry: API calls are failing. We are investigating.
"""
OPEN = """\
---
title: Slow dashboard
impact: minor
components: [dashboard]
---

## Investigating · 2026-11-22 09:30 UTC

We are sorry: the dashboard is slow.
"""
ALL_PARTS = {
    "apology": "We are sorry for two hours of failed API calls.",
    "why": "Health checks timed out under peak load.",
    "what_we_did": "We rolled the change back.",
    "what_we_are_changing": "Load balancer changes now go to one zone first.",
}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_site(tmp_path, templates=True)
    (tmp_path / "incidents" / f"{ID}.md").write_text(RESOLVED, encoding="utf-8")
    (tmp_path / "incidents" / f"{OPEN_ID}.md").write_text(OPEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def sets(values: dict[str, str]) -> list[str]:
    return [arg for key, value in values.items() for arg in ("--set", f"{key}={value}")]


# required parts


def test_missing_parts_in_order() -> None:
    body = "### Apology\n\nSorry.\n\n### What we did\n\nRolled back.\n"
    assert missing_parts(body) == ["What happened", "Why it happened", "What we are changing"]
    assert missing_parts("") == list(REQUIRED_PARTS)


def test_parts_match_by_start_in_any_case_and_may_carry_a_translation() -> None:
    body = "\n".join(
        f"### {heading}\n\ntext\n"
        for heading in (
            "Apology · お詫び",
            "WHAT HAPPENED",
            "Why it happened ###",
            "What we did",
            "What we are changing · 再発防止策",
        )
    )
    assert missing_parts(body) == []


def test_deeper_headings_and_prose_do_not_count() -> None:
    body = "#### Apology\n\nApology: sorry.\n\n## What happened\n"
    assert missing_parts(body)[:2] == ["Apology", "What happened"]


# the draft


def test_draft_fills_the_timeline_from_the_updates(tmp_path: Path) -> None:
    path = tmp_path / f"{ID}.md"
    path.write_text(RESOLVED, encoding="utf-8")
    config = read_mkdocs_yml(EXAMPLE / "mkdocs.yml")
    incident, problems = load_file(path, config)
    assert incident is not None and not problems
    text = draft(
        incident, config, "{title} ({component}) lasted {duration}.\n\n{timeline}\n\n{why}"
    )
    assert text == (
        "API errors (REST API and Webhooks) lasted 2 h.\n\n"
        "- 2026-11-20 14:05 UTC: the impact began.\n"
        "- 2026-11-20 14:15 UTC · Investigating: We are sorry: API calls are failing.\n"
        "- 2026-11-20 14:40 UTC · Identified: A faulty load balancer change.\n"
        "- 2026-11-20 16:05 UTC · Resolved: Error rates are normal.\n\n"
        "{why}"
    )
    assert draft(incident, config, "{why}", {"why": "A bad change."}) == "A bad change."
    with pytest.raises(TemplateError, match=r"has no \{cuase\}; its placeholders: why"):
        draft(incident, config, "{why}", {"cuase": "typo"})


# the command


def test_postmortem_appends_a_draft_keeping_every_byte(site: Path) -> None:
    path = site / "incidents" / f"{ID}.md"
    before = path.read_bytes()
    code, out, err = run("postmortem", ID, "--now", NOW)
    assert (code, out) == (0, f"incidents/{ID}.md\n")
    assert err == (
        "Now write {apology}, {why}, {what_we_did}, {what_we_are_changing} in "
        f"incidents/{ID}.md; statuspage lint refuses the file until they are filled.\n"
    )
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before) :].decode("utf-8")
    assert added == (
        "\n## Postmortem · 2026-11-22 10:00 UTC\n\n"
        "### Apology\n\n{apology}\n\n"
        "### What happened\n\n"
        "- 2026-11-20 14:05 UTC: the impact began.\n"
        "- 2026-11-20 14:15 UTC · Investigating: We are sorry: API calls are failing.\n"
        "- 2026-11-20 14:40 UTC · Identified: A faulty load balancer change.\n"
        "- 2026-11-20 16:05 UTC · Resolved: Error rates are normal.\n\n"
        "### Why it happened\n\n{why}\n\n"
        "### What we did\n\n{what_we_did}\n\n"
        "### What we are changing\n\n{what_we_are_changing}\n"
    )


def test_the_draft_is_refused_by_lint_until_written(site: Path) -> None:
    run("postmortem", ID, "--now", NOW)
    code, out, _ = run("lint", "--now", NOW)
    assert code == 1
    assert [line.split(": ")[1:3] for line in out.splitlines()] == [
        ["postmortem", "unfilled placeholder {apology}"],
        ["postmortem", "unfilled placeholder {why}"],
        ["postmortem", "unfilled placeholder {what_we_did}"],
        ["postmortem", "unfilled placeholder {what_we_are_changing}"],
    ]


def test_set_fills_the_parts_and_lint_is_clean(site: Path) -> None:
    code, _, err = run("postmortem", ID, *sets(ALL_PARTS), "--now", NOW)
    assert (code, err) == (0, "")
    text = (site / "incidents" / f"{ID}.md").read_text(encoding="utf-8")
    assert "### Why it happened\n\nHealth checks timed out under peak load.\n" in text
    assert run("lint", "--now", NOW) == (0, "", "OK: 0 error(s), 0 warning(s)\n")


def test_keeps_crlf_line_ends(site: Path) -> None:
    path = site / "incidents" / f"{ID}.md"
    path.write_bytes(RESOLVED.replace("\n", "\r\n").encode())
    before = path.read_bytes()
    assert run("postmortem", ID, "--now", NOW)[0] == 0
    after = path.read_bytes()
    assert after.startswith(before)
    assert after.count(b"\n") == after.count(b"\r\n")
    assert b"\r\n## Postmortem \xc2\xb7 2026-11-22 10:00 UTC\r\n\r\n### Apology" in after


def test_a_file_without_a_final_newline_gets_one_blank_line(site: Path) -> None:
    path = site / "incidents" / f"{ID}.md"
    path.write_text(RESOLVED.rstrip("\n"), encoding="utf-8")
    assert run("postmortem", ID, "--now", NOW)[0] == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(RESOLVED.rstrip("\n"))
    assert "investigating.\n\n## Postmortem · 2026-11-22 10:00 UTC\n\n### Apology" in text


def test_refused_while_the_incident_is_open(site: Path) -> None:
    path = site / "incidents" / f"{OPEN_ID}.md"
    code, _, err = run("postmortem", OPEN_ID, "--now", NOW)
    assert code == 1
    assert err == (
        f"Error: {OPEN_ID} is still investigating: a postmortem follows the all-clear; "
        f"close it first (statuspage resolve {OPEN_ID} -m …)\n"
    )
    assert path.read_text(encoding="utf-8") == OPEN


def test_refused_when_one_exists(site: Path) -> None:
    run("postmortem", ID, *sets(ALL_PARTS), "--now", NOW)
    path = site / "incidents" / f"{ID}.md"
    before = path.read_bytes()
    code, _, err = run("postmortem", ID, "--now", "2026-11-22 11:00 UTC")
    assert code == 1
    assert err == f"Error: {ID} already has a postmortem (line 23); edit it there\n"
    assert path.read_bytes() == before


def test_unknown_set_key_writes_nothing(site: Path) -> None:
    path = site / "incidents" / f"{ID}.md"
    code, _, err = run("postmortem", ID, "--set", "cause=x", "--now", NOW)
    assert code == 1
    assert err.startswith("Error: the postmortem template has no {cause}; its placeholders: ")
    assert path.read_text(encoding="utf-8") == RESOLVED


def test_the_sites_own_template_is_used(site: Path) -> None:
    (site / "templates" / "postmortem.md").write_text(
        "### Apology · お詫び\n\nごめんなさい。\n\n### What happened\n\n{timeline}\n\n"
        "### Why it happened\n\n{why}\n\n### What we did\n\nx\n\n### What we are changing\n\ny\n",
        encoding="utf-8",
    )
    assert run("postmortem", ID, "--set", "why=z", "--now", NOW)[0] == 0
    text = (site / "incidents" / f"{ID}.md").read_text(encoding="utf-8")
    assert "### Apology · お詫び\n\nごめんなさい。" in text
    assert run("lint", "--now", NOW)[1] == ""


def test_without_a_site_template_the_built_in_one_is_used(site: Path) -> None:
    shutil.rmtree(site / "templates")
    assert run("postmortem", ID, "--now", NOW)[0] == 0
    text = (site / "incidents" / f"{ID}.md").read_text(encoding="utf-8")
    assert all(f"### {part}\n" in text for part in REQUIRED_PARTS)


# the page, the feeds and the API


@pytest.fixture
def published(site: Path) -> Path:
    assert run("postmortem", ID, *sets(ALL_PARTS), "--now", NOW)[0] == 0
    return build_site(site / "mkdocs.yml", strict=True, now=datetime(2026, 11, 22, 12, tzinfo=UTC))


def test_the_incident_page_shows_the_postmortem_first(published: Path) -> None:
    html = page(published, f"incidents/{ID}")
    postmortem = html.index('<section class="sp-postmortem" id="postmortem">')
    assert postmortem < html.index('<h2 id="updates">Updates</h2>')
    assert postmortem < html.index("A faulty load balancer change.")
    text = text_of(html[postmortem:])
    assert text.startswith("Postmortem 2026-11-22 10:00 UTC Apology We are sorry for two hours")


def test_feeds_and_api_announce_the_postmortem(published: Path) -> None:
    config = read_mkdocs_yml(published.parent / "mkdocs.yml")
    feed = feedparser.parse((published / "feed.atom").read_bytes())
    newest = feed.entries[0]
    assert newest.title == "Postmortem: API errors"
    assert newest.link == f"{config.url}incidents/{ID}/#postmortem"
    assert "Health checks timed out under peak load." in newest.content[0].value
    rss = feedparser.parse((published / "feed.rss").read_bytes())
    assert rss.entries[0].title == "Postmortem: API errors"
    api = json.loads((published / "api/v2/incidents.json").read_text(encoding="utf-8"))
    (incident,) = [i for i in api["incidents"] if i["id"] == ID]
    assert incident["status"] == "postmortem"


def test_no_postmortem_no_section(site: Path) -> None:
    built = build_site(site / "mkdocs.yml", strict=True, now=datetime(2026, 11, 22, 12, tzinfo=UTC))
    assert "sp-postmortem" not in page(built, f"incidents/{ID}")
