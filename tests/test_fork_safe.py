"""A fork may change the repository's own site and keep the suite green.

The tests build their own copy of the example (``tests/fixtures/example/``);
none reads the root ``mkdocs.yml``, ``incidents/`` or ``site_src/``. Proved
twice: by reading the tests, and by running a representative part of the
suite in a copy of the repository whose ``mkdocs.yml`` has other components
and whose ``incidents/`` is empty.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

ROOT_SITE = re.compile(r"""REPO\s*/\s*["'](mkdocs\.yml|incidents|site_src)["']""")
SUBSET = [
    "tests/test_golden.py",
    "tests/test_report.py",
    "tests/test_policy.py",
    "tests/test_templates.py",
    "tests/test_postmortem.py",
    "tests/test_frontmatter_compat.py",
    "tests/test_cli.py",
]
_TOOLS = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", ".site-*", "__pycache__", ".*_cache", ".hypothesis"
)


def ignored(folder: str, names: list[str]) -> set[str]:
    """The tools' folders anywhere, and the built ``site/`` at the top."""
    top = {"site"} if Path(folder) == REPO else set()
    return set(_TOOLS(folder, names)) | (top & set(names))


def test_no_test_reads_the_repositorys_own_site() -> None:
    for path in sorted((REPO / "tests").glob("*.py")):
        found = ROOT_SITE.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name} reads the root {found.group(1)}; use EXAMPLE"


def test_the_suite_passes_in_a_fork_with_its_own_site(tmp_path: Path) -> None:
    fork = tmp_path / "fork"
    shutil.copytree(REPO, fork, ignore=ignored, symlinks=True)
    config = fork / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("Acme Cloud Status", "Our Status").replace("id: db\n", "id: database\n")
    text = text.replace("id: api\n", "id: public-api\n")
    config.write_text(text, encoding="utf-8")
    shutil.rmtree(fork / "incidents")
    (fork / "incidents").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *SUBSET],
        cwd=fork,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
