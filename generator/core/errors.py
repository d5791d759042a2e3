"""Problems found in incident files and configuration, reported all at once."""

from __future__ import annotations

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
    """Base class of the generator's own errors."""


class ValidationError(StatusPageError):
    """Incident files or configuration with errors; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


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
