"""Message templates: placeholders, the shipped templates, and --template/--set on commands."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, copy_site
from generator.authoring.messages import (
    Template,
    TemplateError,
    available,
    fill,
    fill_template,
    load_template,
    parse_assignments,
    require_filled,
)
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_file
from generator.core.placeholders import Placeholder, find_placeholders

NOW = "2026-11-20 14:20 UTC"
TEMPLATES = REPO / "generator" / "authoring" / "templates"  # the built-in ones
SHIPPED = [
    "identified",
    "investigating",
    "maintenance-scheduled",
    "monitoring",
    "resolved",
    "security-incident",
    "third-party-outage",
]
INCIDENT_ID = "2026-11-20-api-errors"
INCIDENT = """\
---
title: API errors
impact: major
components: [api, webhooks]
workaround: Retry with back-off.
---

## Investigating · 2026-11-20 14:00 UTC

We are sorry: API calls are failing.
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy_site(tmp_path, templates=True)
    (tmp_path / "incidents" / f"{INCIDENT_ID}.md").write_text(INCIDENT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def body_of(path: Path) -> str:
    """The text of the newest update in ``path``."""
    text = path.read_text(encoding="utf-8")
    return text.split(" UTC\n\n", 1)[1].split("\n\n## ", 1)[0].strip()


# placeholders


def test_placeholders_with_their_lines() -> None:
    text = (
        "Hi {name}.\n\n```\n{not_this}\n```\n"
        "And `{nor_this}` nor \\{escaped}\nbut {this_one}{x2}.\n"
    )
    assert find_placeholders(text) == [
        Placeholder("name", 1),
        Placeholder("this_one", 7),
        Placeholder("x2", 7),
    ]


@pytest.mark.parametrize("text", ['{"json": 1}', "{1st}", "{ spaced }", "{}", "~~~\n{x}\n~~~\n"])
def test_braces_that_are_not_placeholders(text: str) -> None:
    assert find_placeholders(text) == []


def test_fill_leaves_what_has_no_value_and_never_touches_code() -> None:
    text = "{a} and {b}; `{a}` stays.\n"
    assert fill(text, {"a": "A"}) == "A and {b}; `{a}` stays.\n"


def test_parse_assignments() -> None:
    assert parse_assignments(("cause=a bad deploy = 2", " x =y ")) == {
        "cause": "a bad deploy = 2",
        "x": "y",
    }
    with pytest.raises(TemplateError, match="'nope' is not KEY=VALUE"):
        parse_assignments(("nope",))
    with pytest.raises(TemplateError, match="'1x=2' is not KEY=VALUE"):
        parse_assignments(("1x=2",))


# the shipped templates


def test_the_shipped_templates() -> None:
    assert available(TEMPLATES) == SHIPPED  # postmortem.md is not an update message


def render(template: Template, context: dict[str, str], chosen: dict[str, str]) -> str:
    """Fill a template and refuse any placeholder left, as the commands do."""
    return require_filled(template.name, fill_template(template, context, chosen))


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_template_fills_into_a_valid_update(name: str, tmp_path: Path) -> None:
    template = load_template(TEMPLATES, name)
    assert template.names, "a template without placeholders is just a message"
    assert template.text.count("{") == len(find_placeholders(template.text))  # no stray braces
    text = render(template, {}, {key: f"<{key} value>" for key in template.names})
    assert find_placeholders(text) == []
    config = read_mkdocs_yml(REPO / "mkdocs.yml")
    path = tmp_path / "2026-11-20-t.md"
    kind = "kind: maintenance\nstart: 2026-11-21 10:00 UTC\nend: 2026-11-21 11:00 UTC\n"
    is_maintenance = name.startswith("maintenance")
    status = "Scheduled" if is_maintenance else name.capitalize()
    if status not in ("Investigating", "Identified", "Monitoring", "Resolved", "Scheduled"):
        status = "Investigating"
    front = kind if is_maintenance else "impact: minor\n"
    path.write_text(
        f"---\ntitle: T\n{front}components: [api]\n---\n\n## {status} · {NOW}\n\n{text}\n",
        encoding="utf-8",
    )
    incident, problems = load_file(path, config)
    assert problems == []
    assert incident is not None and incident.updates[0].body == text


def test_render_refuses_missing_values_and_unknown_keys() -> None:
    template = load_template(TEMPLATES, "identified")
    with pytest.raises(TemplateError) as raised:
        render(template, {"workaround": "Retry."}, {"cause": "a bad deploy"})
    assert str(raised.value) == (
        "template 'identified' needs a value for {fix}, {next_update}: pass --set fix=… "
        "--set next_update=… (or --next 30m for {next_update}), or set $EDITOR and leave out "
        "-m to write them there"
    )
    with pytest.raises(TemplateError, match=r"has no \{cuase\}; its placeholders: cause, fix"):
        render(template, {}, {"cuase": "typo"})


# the commands


def test_new_with_a_template(site: Path) -> None:
    code, out, err = run(
        "new",
        "Slow sign-in",
        "-c",
        "auth",
        "-c",
        "dashboard",
        "--next",
        "30m",
        "--template",
        "investigating",
        "--set",
        "symptom=signing in takes up to a minute",
        "--now",
        NOW,
    )
    assert (code, out) == (0, "incidents/2026-11-20-slow-sign-in.md\n")
    assert err == "Next update promised by 2026-11-20 14:50 UTC.\n"
    assert body_of(site / out.strip()) == (
        "We are sorry: signing in takes up to a minute. This affects Sign-in and SSO and Web "
        "dashboard. We are investigating now\n"
        "and will post the next update by 2026-11-20 14:50 UTC, even if there is no news."
    )


def test_a_missing_value_writes_nothing_and_lists_what_is_missing(site: Path) -> None:
    code, _, err = run("new", "Slow sign-in", "-c", "auth", "-t", "investigating", "--now", NOW)
    assert code == 1
    assert err == (
        "Error: template 'investigating' needs a value for {symptom}, {next_update}: pass "
        "--set symptom=… --set next_update=… (or --next 30m for {next_update}), or set $EDITOR "
        "and leave out -m to write them there\n"
    )
    assert [p.name for p in (site / "incidents").iterdir()] == [f"{INCIDENT_ID}.md"]


def test_a_message_adds_a_paragraph_but_does_not_excuse_blanks(site: Path) -> None:
    args = ["new", "Slow", "-c", "auth", "-t", "investigating", "--next", "1h", "--now", NOW]
    code, _, err = run(*args, "-m", "More soon.")
    assert code == 1
    assert "needs a value for {symptom}:" in err
    code, out, _ = run(*args, "--set", "symptom=sign-in is slow", "-m", "Status: *degraded*.")
    assert code == 0
    assert body_of(site / out.strip()).endswith("even if there is no news.\n\nStatus: *degraded*.")


def test_unknown_template_lists_the_available_ones(site: Path) -> None:
    code, _, err = run("new", "X", "--template", "outage", "-m", "x", "--now", NOW)
    assert code == 1
    assert err == f"Error: no template 'outage' in templates/; available: {', '.join(SHIPPED)}\n"


def test_set_without_a_template_is_a_usage_error(site: Path) -> None:
    code, _, err = run("new", "X", "--set", "a=b", "-m", "x", "--now", NOW)
    assert code == 2
    assert "--set fills a template's placeholders: add --template NAME" in err


def test_unknown_set_key(site: Path) -> None:
    code, _, err = run(
        "new", "X", "-t", "monitoring", "--set", "componet=API", "-m", "x", "--now", NOW
    )
    assert code == 1
    assert err.startswith("Error: template 'monitoring' has no {componet}; its placeholders: ")


def test_update_takes_defaults_from_the_incident(site: Path) -> None:
    code, _, err = run(
        "update",
        INCIDENT_ID,
        "--status",
        "identified",
        "--next",
        "45m",
        "-t",
        "identified",
        "--set",
        "cause=a faulty load balancer change",
        "--set",
        "fix=rolling it back",
        "--now",
        NOW,
    )
    assert (code, err) == (0, "Next update promised by 2026-11-20 15:05 UTC.\n")
    assert body_of(site / "incidents" / f"{INCIDENT_ID}.md") == (
        "We have found the cause: a faulty load balancer change. We are rolling it back.\n\n"
        "What you can do meanwhile: Retry with back-off.\n\n"
        "Next update by 2026-11-20 15:05 UTC."
    )


def test_set_overrides_a_default(site: Path) -> None:
    code, _, _ = run(
        "update",
        INCIDENT_ID,
        "--status",
        "monitoring",
        "-t",
        "monitoring",
        "--set",
        "component=the EU API",
        "--set",
        "next_update=16:00 UTC",
        "--now",
        NOW,
    )
    assert code == 0
    assert body_of(site / "incidents" / f"{INCIDENT_ID}.md").startswith(
        "A fix is in place and the EU API is working normally again."
    )


def test_resolve_with_a_template(site: Path) -> None:
    code, _, _ = run(
        "resolve",
        INCIDENT_ID,
        "-t",
        "resolved",
        "--set",
        "recovered_at=15:10 UTC",
        "--set",
        "cause=a faulty load balancer change",
        "--now",
        NOW,
    )
    assert code == 0
    path = site / "incidents" / f"{INCIDENT_ID}.md"
    assert "## Resolved · 2026-11-20 14:20 UTC\n\nThis incident is resolved: REST API and " in (
        path.read_text(encoding="utf-8")
    )
    assert run("lint", "--now", NOW)[0] == 0


def test_third_party_and_security_templates(site: Path) -> None:
    code, out, _ = run(
        "new",
        "E-mail delays",
        "-c",
        "email",
        "--next",
        "1h",
        "-t",
        "third-party-outage",
        "--set",
        "provider=MailCo",
        "--set",
        "dependency=sending e-mail",
        "--set",
        "provider_status_url=https://status.mailco.example/",
        "--now",
        NOW,
    )
    assert code == 0
    assert "E-mail notifications is affected by an outage at MailCo" in body_of(site / out.strip())
    code, out, err = run(
        "new", "Security issue", "-c", "auth", "--impact", "major", "-t", "security-incident",
        "--next", "1h", "--now", NOW,
    )  # fmt: skip
    assert code == 1
    assert "needs a value for {what_we_know}, {action}:" in err


def _editor(tmp_path: Path, replacement: str) -> str:
    """An $EDITOR that replaces every {placeholder} in the file with ``replacement``."""
    script = tmp_path / "fill-editor.py"
    script.write_text(
        "import re, sys\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        f"text = re.sub(r'\\{{\\w+\\}}', {replacement!r}, text)\n"
        "open(path, 'w', encoding='utf-8').write(text)\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{sys.executable} {script}"


def test_editor_opens_for_the_blanks(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "sign-in is slow"))
    code, out, _ = run("new", "Slow", "-c", "auth", "-t", "investigating", "--now", NOW)
    assert code == 0
    body = body_of(site / out.strip())
    assert body.startswith("We are sorry: sign-in is slow. This affects Sign-in and SSO.")
    assert "# Write the update above" not in body


def test_what_the_editor_leaves_blank_is_refused(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "{still_blank}"))
    code, _, err = run("new", "Slow", "-c", "auth", "-t", "investigating", "--now", NOW)
    assert code == 1
    assert "needs a value for {still_blank}:" in err
