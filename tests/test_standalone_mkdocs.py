"""A repository of only ``mkdocs.yml`` and ``incidents/``, built by plain MkDocs
and by the composite ``action.yml`` run from that other repository.

MkDocs checks that ``docs_dir`` exists while it reads the configuration,
before it loads any plugin, so plain ``mkdocs build`` needs a folder there:
``docs_dir: incidents`` names the one such a repository has, and the plugin
keeps the incident files out of MkDocs' own pages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from test_standalone import CONFIG, INCIDENT_ID, make_standalone, tree

from conftest import REPO

ENV = dict(os.environ, STATUSPAGE_NOW="2026-11-21 12:00 UTC", NO_MKDOCS_2_WARNING="1")
WITH_DOCS_DIR = CONFIG.replace("theme: material\n", "docs_dir: incidents\ntheme: material\n")


def mkdocs_build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_plain_mkdocs_builds_with_the_incidents_as_docs_dir(tmp_path: Path) -> None:
    make_standalone(tmp_path, WITH_DOCS_DIR)
    before = tree(tmp_path)
    result = mkdocs_build(tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    page = (site / "incidents" / INCIDENT_ID / "index.html").read_text(encoding="utf-8")
    assert "We are investigating failing API calls." in page
    assert 'href="../../assets/status.css"' in page  # styled by the package
    # the incident file is no page of MkDocs' own, and nothing was written beside it
    assert not (site / INCIDENT_ID).exists()
    assert not list(site.rglob(f"{INCIDENT_ID}.md"))
    assert tree(tmp_path) == before


def test_without_any_docs_dir_plain_mkdocs_names_the_folder(tmp_path: Path) -> None:
    make_standalone(tmp_path)
    result = mkdocs_build(tmp_path)
    assert result.returncode != 0
    assert "docs_dir" in result.stderr and "isn't an existing directory" in result.stderr


def action_steps() -> list[dict[str, object]]:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return [step for step in action["runs"]["steps"] if "run" in step]


def run_step(step: dict[str, object], cwd: Path, inputs: dict[str, str], output: Path) -> str:
    """One ``run:`` step of the composite action, as the runner would run it."""

    def value(expression: object) -> str:
        match = re.fullmatch(r"\$\{\{ inputs\.([\w-]+) \}\}", str(expression))
        assert match or "${{" not in str(expression), expression  # only inputs reach env
        return inputs[match.group(1)] if match else str(expression)

    env = {k: value(v) for k, v in dict(step.get("env") or {}).items()}  # type: ignore[call-overload]
    result = subprocess.run(
        ["bash", "-e", "-c", str(step["run"])],
        cwd=cwd,
        env=dict(ENV, **env, GITHUB_OUTPUT=str(output)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_composite_action_lints_and_builds_another_repository(tmp_path: Path) -> None:
    other = tmp_path / "other-repo"
    make_standalone(other / "status")  # a repository whose status page lives in status/
    inputs = {"config": "status/mkdocs.yml", "strict": "true", "site-dir": "", "python-version": ""}
    output = tmp_path / "github_output"
    steps = [s for s in action_steps() if s.get("name") != "Install statuspage"]
    assert [s.get("name") for s in steps] == ["Lint incidents", "Build the site"]
    for step in steps:
        run_step(step, other, inputs, output)
    site = Path(output.read_text(encoding="utf-8").strip().removeprefix("site-dir="))
    assert site == (other / "status" / "site").resolve()
    assert (site / "incidents" / INCIDENT_ID / "index.html").is_file()
    assert (site / "api" / "v2" / "summary.json").is_file()
