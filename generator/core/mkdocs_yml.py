"""Reading ``mkdocs.yml`` as MkDocs reads it, without importing MkDocs.

Every command sees the values ``mkdocs build`` sees: ``!ENV`` tags are
resolved by the same package MkDocs uses (``yaml_env_tag``), and ``INHERIT:``
deep-merges a parent file, relative to the file that names it, the way
MkDocs does (mappings merge key by key; anything else, lists included, is
replaced by the child's value). :class:`ConfigLines` says in which file and
on which line each setting stands, so every error can name it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from .errors import Problem, ValidationError

PLUGIN_NAME = "statuspage"
INHERIT = "INHERIT"


class _MkDocsLoader(yaml.SafeLoader):
    """MkDocs' tags: ``!ENV`` as MkDocs runs it; others (``!relative``,
    ``!!python/name``) name things only MkDocs and Markdown use: read as None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_MkDocsLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_MkDocsLoader.add_multi_constructor("!", _ignore_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class _Layer:
    """One file of an ``INHERIT`` chain: its name as shown and its YAML nodes."""

    shown: str
    root: yaml.Node | None


class ConfigLines:
    """Where each setting stands: the YAML node trees of ``mkdocs.yml`` and the
    files it inherits from (child first), composed without running tags."""

    def __init__(self, layers: Sequence[_Layer]) -> None:
        self.layers = tuple(layers)

    @classmethod
    def unknown(cls, shown: str) -> ConfigLines:
        """Lines of a file that cannot be read: every setting is on line 0."""
        return cls([_Layer(shown, None)])

    def where(self, *path: str | int) -> tuple[str, int]:
        """The file and line of ``path`` (``statuspage`` names the plugin's block
        wherever ``plugins`` holds it): the first file, child first, that sets
        all of it, else the one that sets most of it; line 0 when unknown."""
        found = [(layer.shown, *_find(layer.root, path)) for layer in self.layers]
        complete = [(shown, line) for shown, depth, line in found if depth == len(path)]
        shown, _, line = max(found, key=lambda item: item[1])  # the first of the deepest
        return complete[0] if complete else (shown, line)


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _find(root: yaml.Node | None, path: tuple[str | int, ...]) -> tuple[int, int]:
    """How many parts of ``path`` ``root`` holds, and the line of the deepest."""
    if root is None:
        return -1, 0
    node: yaml.Node | None = root
    depth, line = 0, root.start_mark.line + 1
    if path and path[0] == PLUGIN_NAME:
        node = _plugin_block(root)
        if node is None:
            return -1, 0
        depth, line, path = 1, node.start_mark.line + 1, path[1:]
    for part in path:
        key_node, node = _child(node, part)
        if node is None:
            break
        depth, line = depth + 1, (key_node or node).start_mark.line + 1
    return depth, line


def _plugin_block(root: yaml.Node) -> yaml.Node | None:
    _, plugins = _child(root, "plugins")
    if isinstance(plugins, yaml.SequenceNode):
        for entry in plugins.value:
            if isinstance(entry, yaml.ScalarNode) and entry.value == PLUGIN_NAME:
                return entry
            _, block = _child(entry, PLUGIN_NAME)
            if block is not None:
                return block
        return None
    return _child(plugins, PLUGIN_NAME)[1]


def _child(node: yaml.Node | None, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The key node and value node of ``part`` inside ``node``, if there."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None, None


def read_mkdocs_yml_file(path: Path) -> tuple[dict[str, Any], ConfigLines]:
    """The settings of ``path`` with its ``INHERIT`` chain merged, and their lines."""
    layers: list[_Layer] = []
    merged: dict[str, Any] = {}
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        shown = path.name if current is path else Path(os.path.relpath(current, path.parent))
        data = _read(current, Path(shown).as_posix(), layers)
        seen.add(current.resolve())
        parent = data.pop(INHERIT, None)
        merged = _merge(merged, data)
        current = None if parent is None else _parent(current, parent, seen, layers[-1])
    return merged, ConfigLines(layers)


def _read(path: Path, shown: str, layers: list[_Layer]) -> dict[str, Any]:
    def fail(message: str) -> ValidationError:
        return ValidationError([Problem(shown, 0, "", message)])

    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_MkDocsLoader)
    except FileNotFoundError:
        raise fail(
            "not found; run this in the folder that holds mkdocs.yml, or pass --config"
        ) from None
    except UnicodeDecodeError as exc:
        raise fail(f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:  # a folder, no permission
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise fail(f"invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise fail("must be a YAML mapping")
    layers.append(_Layer(shown, _compose(text)))
    return data


def _parent(child: Path, parent: object, seen: set[Path], layer: _Layer) -> Path:
    target = child.parent / str(parent)
    line = _find(layer.root, (INHERIT,))[1]
    if not target.is_file():
        message = f"'{parent}' does not exist (looked for {target})"
    elif target.resolve() in seen:
        message = f"'{parent}' inherits from this file again"
    else:
        return target
    raise ValidationError([Problem(layer.shown, line, INHERIT, message)])


def _merge(child: dict[str, Any], parent: dict[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent``: mappings merge key by key, other values replace
    (mergedeep's default strategy, which MkDocs uses)."""
    merged = dict(parent)
    for key, value in child.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            value = _merge(value, below)
        merged[key] = value
    return merged


def config_lines(path: Path) -> ConfigLines:
    """The lines of ``path`` and its ``INHERIT`` chain; unknown when unreadable
    (MkDocs, which read the file, has reported why)."""
    try:
        return read_mkdocs_yml_file(path)[1]
    except ValidationError:
        return ConfigLines.unknown(path.name)
