"""The CLI, through click's runner: exact errors, exit codes, bytes kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_site
from generator.cli import main
from generator.core.config import read_mkdocs_yml
from generator.core.loader import load_file

NOW = "2026-11-20 14:20 UTC"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example site with no incidents, as the working directory."""
    copy_site(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_new_writes_a_file_that_loads(site: Path) -> None:
    code, out, _ = run(
        "new",
        "Elevated API errors!",
        "--impact",
        "major",
        "-c",
        "api",
        "-c",
        "dashboard",
        "--scope",
        "EU: REST API",
        "--workaround",
        "Retry",
        "--next",
        "30m",
        "-m",
        "We are investigating.",
        "--now",
        NOW,
    )
    assert code == 0
    assert out == "incidents/2026-11-20-elevated-api-errors.md\n"
    text = (site / out.strip()).read_text(encoding="utf-8")
    assert "next_update: 2026-11-20 14:50 UTC\n" in text
    assert "## Investigating · 2026-11-20 14:20 UTC\n\nWe are investigating.\n" in text
    incident, problems = load_file(site / out.strip(), read_mkdocs_yml(site / "mkdocs.yml"))
    assert problems == [] and incident is not None
    assert incident.scope == "EU: REST API"
    assert [c.id for c in incident.components] == ["api", "dashboard"]


def test_new_refuses_to_overwrite(site: Path) -> None:
    args = ("new", "Same title", "-m", "First.", "--now", NOW)
    assert run(*args)[0] == 0
    code, _, err = run(*args)
    assert code == 1
    assert err == (
        "Error: incidents/2026-11-20-same-title.md already exists; choose another --id\n"
    ).replace("incidents/", str(site / "incidents") + "/")
    assert "First." in (site / "incidents/2026-11-20-same-title.md").read_text()


def test_new_with_unknown_component_writes_nothing(site: Path) -> None:
    code, _, err = run("new", "Oops", "-c", "apii", "-m", "Hi", "--now", NOW)
    assert code == 2
    assert err.splitlines()[-1] == (
        "Error: Invalid value for --component: 'apii' is not a component id; did you mean "
        "'api'?; known ids: api, dashboard, auth, db, pipeline, webhooks, email"
    )
    assert list((site / "incidents").iterdir()) == []


def test_message_is_required(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    code, _, err = run("new", "No message", "--now", NOW)
    assert code == 2
    assert err.splitlines()[-1] == "Error: no message: pass -m TEXT, -F FILE, or set $EDITOR"


def test_message_from_stdin(site: Path) -> None:
    code, out, _ = run("new", "From stdin", "-F", "-", "--now", NOW, input="Piped *text*.\n")
    assert code == 0
    assert "Piped *text*." in (site / out.strip()).read_text()


ODD = (
    "---\r\n"
    "title:   'Odd   formatting'   # a comment\r\n"
    "impact: minor\r\n"
    "components:\r\n"
    "  - api\r\n"
    "next_update: 2026-11-20 15:00 UTC\r\n"
    "---\r\n"
    "\r\n"
    "A summary with trailing spaces.   \r\n"
    "\r\n"
    "\r\n"
    "## Investigating  ·  2026-11-20 14:20 UTC\r\n"
    "\r\n"
    "Looking.\t\r\n"
    "<!-- an HTML comment -->\r\n"
)


def test_update_keeps_every_other_byte(site: Path) -> None:
    path = site / "incidents" / "2026-11-20-odd.md"
    path.write_bytes(ODD.encode())
    code, _, _ = run(
        "update",
        "2026-11-20-odd",
        "--status",
        "identified",
        "-m",
        "Found it.",
        "--now",
        "2026-11-20 14:40 UTC",
    )
    assert code == 0
    new = path.read_bytes().decode()
    section = "## Identified · 2026-11-20 14:40 UTC\r\n\r\nFound it.\r\n\r\n"
    expected = ODD.replace("## Investigating", section + "## Investigating", 1)
    # The update kept no promise of its own: the earlier one goes, nothing else.
    assert new == expected.replace("next_update: 2026-11-20 15:00 UTC\r\n", "")


def test_update_with_next_replaces_only_that_line(site: Path) -> None:
    path = site / "incidents" / "2026-11-20-odd.md"
    path.write_bytes(ODD.encode())
    run(
        "update",
        "2026-11-20-odd",
        "--status",
        "monitoring",
        "-m",
        "Watching.",
        "--next",
        "1h",
        "--now",
        "2026-11-20 15:10 UTC",
    )
    new = path.read_bytes().decode()
    assert "next_update: 2026-11-20 16:10 UTC\r\n" in new
    assert "2026-11-20 15:00 UTC" not in new
    before, after = ODD.split("next_update: 2026-11-20 15:00 UTC\r\n")
    assert new.startswith(before) and new.endswith(after.split("## Investigating")[1])


def test_resolve(site: Path) -> None:
    run("new", "Short", "-m", "Looking.", "--now", NOW)
    code, out, _ = run(
        "resolve", "2026-11-20-short", "-m", "Fixed.", "--now", "2026-11-20 15:00 UTC"
    )
    assert code == 0
    incident, _ = load_file(site / out.strip(), read_mkdocs_yml(site / "mkdocs.yml"))
    assert incident is not None and incident.resolved_at is not None
    assert [u.status.value for u in incident.updates] == ["investigating", "resolved"]


def test_update_unknown_id(site: Path) -> None:
    run("new", "Known one", "-m", "Hi.", "--now", NOW)
    code, _, err = run("update", "known", "--status", "identified", "-m", "x", "--now", NOW)
    assert code == 1
    assert err == (
        "Error: no incident 'known' in incidents/; did you mean 2026-11-20-known-one? "
        "(statuspage list shows them)\n"
    )


def test_update_that_would_break_the_file_is_refused(site: Path) -> None:
    run("new", "Timing", "-m", "Hi.", "--now", NOW)
    path = site / "incidents/2026-11-20-timing.md"
    before = path.read_bytes()
    code, _, err = run(
        "update",
        "2026-11-20-timing",
        "--status",
        "identified",
        "-m",
        "x",
        "--now",
        "2026-11-18 10:00 UTC",
    )
    assert code == 1
    assert "before the incident started" in err
    assert path.read_bytes() == before


def test_lint_text_and_github(site: Path) -> None:
    bad = site / "incidents" / "2026-11-20-bad.md"
    bad.write_text(
        "---\ntitle: Bad\nimpact: mayor\n---\n\n## Investigating · 2026-11-20 10:00 UTC\n\nHi.\n"
    )
    code, out, err = run("lint", "--now", NOW)
    assert code == 1
    assert out == (
        "incidents/2026-11-20-bad.md:3: impact: 'mayor' is not one of none, "
        "minor, major, critical (did you mean 'major'?)\n"
    )
    assert err == "Error: 1 error(s), 0 warning(s)\n"
    code, out, _ = run("lint", "--format", "github", "--now", NOW)
    assert code == 1
    assert out == (
        "::error file=incidents/2026-11-20-bad.md,line=3::impact: 'mayor' is not "
        "one of none, minor, major, critical (did you mean 'major'?)\n"
    )


def test_lint_annotations_name_files_from_the_repository_root(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With mkdocs.yml in a subfolder, GitHub still needs the path from the checkout."""
    (site / "incidents" / "2026-11-20-bad.md").write_text(
        "---\ntitle: Bad\nimpact: mayor\n---\n\n## Investigating · 2026-11-20 10:00 UTC\n\nHi.\n"
    )
    monkeypatch.chdir(site.parent)
    code, out, _ = run(
        "lint", "--config", f"{site.name}/mkdocs.yml", "--format", "github", "--now", NOW
    )
    assert code == 1
    assert out.startswith(f"::error file={site.name}/incidents/2026-11-20-bad.md,line=3::")


def test_lint_annotations_for_incidents_beside_the_site_folder(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``incidents_dir: ../incidents``: the annotation names the file from the checkout."""
    status = site / "status"
    status.mkdir()
    config = (site / "mkdocs.yml").read_text(encoding="utf-8")
    (status / "mkdocs.yml").write_text(
        config.replace("incidents_dir: incidents", "incidents_dir: ../incidents"), "utf-8"
    )
    (site / "incidents" / "2026-11-20-bad.md").write_text(
        "---\ntitle: Bad\nimpact: mayor\n---\n\n## Investigating · 2026-11-20 10:00 UTC\n\nHi.\n"
    )
    code, out, _ = run("lint", "--config", "status/mkdocs.yml", "--format", "github", "--now", NOW)
    assert code == 1
    assert out.startswith("::error file=incidents/2026-11-20-bad.md,line=3::")


def test_lint_reports_every_file_and_duplicate_ids(site: Path) -> None:
    good = "---\ntitle: T\nimpact: none\n---\n\n## Resolved · 2026-11-20 10:00 UTC\n\nOk.\n"
    (site / "incidents" / "2026").mkdir()
    (site / "incidents" / "2026-11-20-same.md").write_text(good)
    (site / "incidents" / "2026" / "2026-11-20-same.md").write_text(good)
    (site / "incidents" / "2026-11-20-other.md").write_text(good.replace("none", "nope"))
    code, out, _ = run("lint", "--now", NOW)
    assert code == 1
    assert out.splitlines() == [
        "incidents/2026-11-20-other.md:3: impact: 'nope' is not one of none, minor, major, "
        "critical (did you mean 'none'?)",
        "incidents/2026-11-20-same.md:1: id: '2026-11-20-same' is also the id of "
        "incidents/2026/2026-11-20-same.md; incident ids (file names) must be unique",
    ]


def test_lint_clean(site: Path) -> None:
    run("new", "Fine", "-m", "Hi.", "--now", NOW)
    code, out, err = run("lint", "--now", NOW)
    assert (code, out) == (0, "")
    assert err == "OK: 0 error(s), 0 warning(s)\n"


def test_every_command_has_an_example() -> None:
    for name, command in main.commands.items():
        assert "Example:" in (command.help or ""), name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Example:" in out


def test_python_dash_m(site: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "new" in result.stdout


titles = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=60
).filter(lambda t: t.strip() == t and t.strip())
texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="#`~"),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=titles,
    scope=texts,
    message=texts,
    impact=st.sampled_from(["none", "minor", "major", "critical"]),
    components=st.lists(st.sampled_from(["api", "db", "email"]), unique=True),
)
def test_what_new_writes_loads_back_equal(
    site: Path, title: str, scope: str, message: str, impact: str, components: list[str]
) -> None:
    for old in (site / "incidents").iterdir():
        old.unlink()
    args = ["new", "--impact", impact, "--scope", scope, "-m", message, "--now", NOW]
    for component in components:
        args += ["-c", component]
    args += ["--", title]  # a title may start with "-"
    code, out, err = run(*args)
    assert code == 0, err
    incident, problems = load_file(site / out.strip(), read_mkdocs_yml(site / "mkdocs.yml"))
    assert problems == [] and incident is not None
    assert incident.title == title.strip()
    assert incident.scope == scope.strip()
    assert incident.impact.value == impact
    assert [c.id for c in incident.components] == components
    assert incident.updates[0].body == "\n".join(message.strip().splitlines()).strip()
