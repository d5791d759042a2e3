"""The layering rules of docs/architecture.md, read from the code itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "generator"
#: Which part of the package may import each framework.
EDGES = {"mkdocs": "plugin", "click": "cli"}


def imported(path: Path) -> set[str]:
    """Top-level names of the modules ``path`` imports (at any depth of the code)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(("framework", "edge"), EDGES.items())
def test_only_its_edge_imports_a_framework(framework: str, edge: str) -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in modules
        if framework in imported(path) and path.relative_to(PACKAGE).parts[0] != edge
    ]
    assert offenders == []
    assert any(framework in imported(path) for path in (PACKAGE / edge).rglob("*.py"))
