"""Problems found in incident files and configuration, reported all at once."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file: ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        name = f"{self.field}: " if self.field else ""
        return f"{where}: {prefix}{name}{self.message}"

    def github(self) -> str:
        """The problem as a GitHub Actions workflow annotation."""
        message = f"{self.field}: {self.message}" if self.field else self.message
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        line = f",line={self.line}" if self.line else ""
        return f"::{self.severity.value} file={path}{line}::{message}"


class StatusPageError(Exception):
    """Base class of the generator's own errors.

    Each edge converts it once: the CLI into an ``Error:`` line and exit 1
    (exit 2 for an :class:`ArgumentError`), the plugin into a build error.
    """


class ArgumentError(StatusPageError):
    """A value given to a command is wrong or missing, or values clash.

    ``option`` names the command-line option it concerns (``--next``), if one.
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        self.option = option
        super().__init__(message)


class ValidationError(StatusPageError):
    """Incident files or configuration with errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def tally(problems: Iterable[Problem]) -> str:
    """``2 error(s), 5 warning(s)``: how a run that found ``problems`` ends."""
    severities = [p.severity for p in problems]
    errors = severities.count(Severity.ERROR)
    return f"{errors} error(s), {len(severities) - errors} warning(s)"


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as users wrote it: relative to ``root`` (or the cwd) when inside it."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word``, compared case-insensitively; None if none is close."""
    by_folded = {candidate.casefold(): candidate for candidate in candidates}
    found = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=cutoff)
    return by_folded[found[0]] if found else None
