"""Golden files for the loader: add a case by adding a file.

``fixtures/loader/valid/NAME.md`` loads to ``NAME.expected.json``;
``fixtures/loader/invalid/NAME.md`` fails with exactly ``NAME.error.txt``.
Run with ``UPDATE_GOLDEN=1`` to write missing expected files (then read them).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, NOW, make_config
from generator.core.loader import load_file
from generator.core.model import Incident

LOADER = FIXTURES / "loader"
VALID = sorted((LOADER / "valid").glob("*.md"))
INVALID = sorted((LOADER / "invalid").glob("*.md"))
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def as_json(incident: Incident) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": incident.id,
        "kind": incident.kind.value,
        "title": incident.title,
        "impact": incident.impact.value,
        "components": {k.id: v.value for k, v in incident.components.items()},
        "summary": incident.summary,
        "scope": incident.scope,
        "workaround": incident.workaround,
        "next_update": when(incident.next_update),
        "started": when(incident.started),
        "start": when(incident.start),
        "end": when(incident.end),
        "updates": [
            {"status": u.status.value, "at": when(u.at), "line": u.line, "body": u.body}
            for u in incident.updates
        ],
        "postmortem": None
        if incident.postmortem is None
        else {
            "at": when(incident.postmortem.at),
            "line": incident.postmortem.line,
            "body": incident.postmortem.body,
        },
    }


def _timezone(path: Path) -> str:
    """A case asks for a site time zone with a comment: ``# site-timezone: Asia/Tokyo``."""
    match = re.search(r"# site-timezone: (\S+)", path.read_text(encoding="utf-8"))
    return match.group(1) if match else "UTC"


def _golden(path: Path, actual: str) -> str:
    if UPDATE and not path.exists():
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def test_there_are_cases() -> None:
    assert len(VALID) >= 8 and len(INVALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid(path: Path) -> None:
    config = make_config(_timezone(path))
    incident, problems = load_file(path, config, NOW, shown=path.name)
    assert problems == []
    assert incident is not None
    actual = json.dumps(as_json(incident), indent=2, ensure_ascii=False) + "\n"
    expected = _golden(path.with_suffix(".expected.json"), actual)
    assert json.loads(actual) == json.loads(expected)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid(path: Path) -> None:
    incident, problems = load_file(path, make_config(_timezone(path)), NOW, shown=path.name)
    assert incident is None
    actual = "".join(f"{p}\n" for p in problems)
    assert actual == _golden(path.with_suffix(".error.txt"), actual)
