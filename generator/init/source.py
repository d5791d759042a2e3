"""Where this copy of the package came from, as a requirement a runner can install.

The package is not on PyPI, so a new repository's workflows install it from
git, pinned to the commit that made them. pip and uv record a git install in
``direct_url.json`` (PEP 610) with its commit; an editable or local install
from a git checkout is pinned to that checkout's ``HEAD`` and its ``origin``
remote. Anything else cannot be reproduced on a runner: then ``--package``
must say what to install.
"""

from __future__ import annotations

import json
import re
import subprocess
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..core.errors import ArgumentError

DISTRIBUTION = "gitstatus-generator"
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_REQUIREMENT = re.compile(rf"^{DISTRIBUTION}\s*(@\s*\S+|==\s*[\w.+-]+)$")
_EXAMPLE = f"{DISTRIBUTION} @ git+https://github.com/ORG/REPO@COMMIT"


def package_requirement() -> str:
    """``gitstatus-generator @ git+URL@COMMIT`` for this copy, or an error."""
    try:
        text = distribution(DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        text = None
    return requirement_from(json.loads(text) if text else {})


def requirement_from(info: dict[str, Any]) -> str:
    """The requirement for an install recorded as ``info`` (PEP 610's ``direct_url.json``)."""
    vcs = info.get("vcs_info") or {}
    remote = str(info.get("url", ""))
    commit = str(vcs.get("commit_id", ""))
    if vcs.get("vcs") == "git" and _COMMIT.match(commit) and remote.startswith("https://"):
        return f"{DISTRIBUTION} @ git+{remote}@{commit}"  # a runner can fetch it
    url = urlparse(remote)
    if url.scheme == "file":
        found = _checkout(Path(unquote(url.path)))
        if found:
            return found
    raise ArgumentError(
        "cannot tell where a runner can fetch this gitstatus-generator (it was not "
        f"installed from an https:// git repository); pass --package '{_EXAMPLE}'",
        "--package",
    )


def _checkout(folder: Path) -> str | None:
    """The origin remote and clean ``HEAD`` of a git checkout, if it is one."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    remote, commit = git("remote", "get-url", "origin"), git("rev-parse", "HEAD")
    if not remote.startswith("https://") or not _COMMIT.match(commit):
        return None
    if git("status", "--porcelain", "--untracked-files=no"):
        return None  # local changes: HEAD is not what is installed
    return f"{DISTRIBUTION} @ git+{remote}@{commit}"


def check_requirement(text: str) -> str:
    """``--package``: one requirement line naming this distribution."""
    text = text.strip()
    if not _REQUIREMENT.match(text):
        raise ArgumentError(
            f"{text!r} is not a requirement for {DISTRIBUTION}, e.g. '{_EXAMPLE}'", "--package"
        )
    return text


def source_url(requirement: str) -> str:
    """The package's repository on the web, for the new README; else empty."""
    found = re.search(r"git\+(https://[^@\s]+?)(?:\.git)?@", requirement)
    return found.group(1) if found else ""
