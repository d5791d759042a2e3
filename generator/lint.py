"""Every check over a status repository, as one list of problems.

Errors come from the loader (the files are wrong); warnings come from the
communication policy and the clock (a promise has passed, a postmortem is
due). Warnings never block publishing an update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from .errors import Problem, Severity
from .loader import load_incidents
from .model import Incident, SiteConfig

#: A policy check: incidents, config and now to warnings.
Check = Callable[[list[Incident], SiteConfig, datetime], Iterable[Problem]]
CHECKS: list[Check] = []


def lint(config: SiteConfig, root: Path, now: datetime) -> list[Problem]:
    """All errors of all files, then the policy warnings of the valid ones."""
    result = load_incidents(config, root, now)
    problems = list(result.problems)
    for check in CHECKS:
        problems.extend(check(result.incidents, config, now))
    return sorted(problems, key=lambda p: (p.path, p.line, p.severity != Severity.ERROR))
