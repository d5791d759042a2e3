"""Every check over a status repository, as one list of problems.

Errors come from the loader (the files are wrong) and from unfilled template
placeholders; warnings come from the communication policy and the clock (a
promise has passed, a postmortem is due). Warnings never block publishing an
update.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from ..core.errors import Problem, Severity, display_path
from ..core.i18n import LOCALES, locale_for
from ..core.loader import load_incidents
from ..core.model import Incident
from ..core.settings import SiteConfig
from . import policy

#: A policy check: incidents, config and now to problems (paths as the incidents have them).
Check = Callable[[list[Incident], SiteConfig, datetime], Iterable[Problem]]


def check_language(
    incidents: list[Incident], config: SiteConfig, now: datetime
) -> Iterable[Problem]:
    """A ``theme.language`` without a catalogue: the generator's words stay English."""
    if locale_for(config.language) is not None:
        return
    shipped = ", ".join(LOCALES)
    yield Problem(
        "mkdocs.yml",
        0,
        "theme.language",
        f"'{config.language}' has no catalogue of the generator's words ({shipped}); "
        "the status pages, feeds and calendar are in English (see docs/languages.md)",
        Severity.WARNING,
    )


CHECKS: list[Check] = [
    check_language,
    policy.check_next_update,
    policy.check_far_times,
    policy.check_postmortem_due,
    policy.check_postmortem_parts,
    policy.check_maintenance_completed,
]


def lint(config: SiteConfig, root: Path, now: datetime) -> list[Problem]:
    """All errors of all files, then the policy checks of the valid ones."""
    result = load_incidents(config, root, now)
    problems = list(result.problems)
    base = root.resolve()
    prefix = str(base).rstrip(os.sep) + os.sep
    for check in CHECKS:
        found = check(result.incidents, config, now)
        problems.extend(_relative(p, base, prefix) for p in found)
    return sorted(problems, key=lambda p: (p.path, p.line, p.severity != Severity.ERROR))


def _relative(problem: Problem, base: Path, prefix: str) -> Problem:
    """The problem with its path shown as the loader shows it (from the site's root)."""
    if problem.path.startswith(prefix):  # the loader's paths are resolved under the root
        shown = problem.path[len(prefix) :].replace(os.sep, "/")
    else:
        shown = display_path(Path(problem.path), base)
    return dataclasses.replace(problem, path=shown)


def github_annotations(problems: Iterable[Problem], root: Path) -> list[str]:
    """The problems as GitHub workflow annotations.

    GitHub places an annotation by its path from the repository root (the
    working directory), also when mkdocs.yml lives in a subfolder.
    """
    where = display_path(root)

    def from_checkout(path: str) -> str:
        if ".." in path.split("/") or Path(path).is_absolute():
            return display_path(root / path)  # incidents kept outside the site's folder
        return path if where == "." else f"{where}/{path}"

    return [dataclasses.replace(p, path=from_checkout(p.path)).github() for p in problems]
