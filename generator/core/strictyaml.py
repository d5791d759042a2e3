"""A strict YAML reader for frontmatter.

PyYAML reads YAML 1.1: ``NO`` is False, ``12:30`` is 750, ``0777`` is 511,
duplicate keys silently keep the last value. Here only ``true``/``false`` are
booleans, only plain decimal numbers are numbers, dates stay strings (the
loader parses them with the site's time zone), and duplicate keys are errors.
Each top-level key's line is recorded for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import StatusPageError

_BOOL = re.compile(r"^(?:true|false)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
_NULL = re.compile(r"^(?:~|null|)$")


# libyaml's parser when PyYAML was built with it (about 10x faster on 5,000 files).
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment,unused-ignore]


class _StrictLoader(_Base):  # type: ignore[valid-type,misc]
    pass


_StrictLoader.yaml_implicit_resolvers = {}
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tf"))
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))
_StrictLoader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", ""])


def _bool(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    return str(loader.construct_scalar(node)) == "true"  # type: ignore[arg-type,unused-ignore]


_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
_StrictLoader.add_constructor(  # an explicit !!timestamp stays text too
    "tag:yaml.org,2002:timestamp",
    yaml.SafeLoader.construct_yaml_str,  # type: ignore[type-var,unused-ignore]
)


@dataclass
class Document:
    """The parsed mapping, each top-level key's line, and duplicate-key problems."""

    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)


class YamlError(StatusPageError, ValueError):
    """Frontmatter that is not a YAML mapping; ``line`` is where (1-based, in the file).

    Also a ``ValueError``, as parsers' errors are.
    """

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


def load_mapping(text: str, first_line: int = 1) -> Document:
    """Parse ``text`` as a YAML mapping; lines are counted from ``first_line``."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document({})
        if not isinstance(node, yaml.MappingNode):
            raise YamlError(first_line + node.start_mark.line, "frontmatter must be a mapping")
        if "&" in text:  # only anchors let aliases multiply values: measure them first
            _check_shape(node, first_line)
        doc = Document({})
        _check_duplicates(node, first_line, doc.duplicates)
        for key_node, _ in node.value:
            doc.lines.setdefault(str(key_node.value), first_line + key_node.start_mark.line)
        try:
            data = _plain(node, first_line)
        except _NotPlain:
            data = _constructed(loader, node, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        hint = _quote_hint(text, mark.line if mark else -1, str(exc.problem or ""))
        raise YamlError(line, f"invalid YAML: {exc.problem or exc.context}{hint}") from None
    except RecursionError:  # nesting deep enough to exhaust the parser's stack
        raise YamlError(first_line, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
    doc.data = {str(k): v for k, v in data.items()}
    return doc


_KEY_AND_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):\s+(?P<value>.+?)\s*$")


def _quote_hint(text: str, index: int, problem: str) -> str:
    """For a ``: `` inside a value: say to put the value in quotes, and how."""
    if "mapping values are not allowed" not in problem:
        return ""
    lines = text.splitlines()
    found = _KEY_AND_VALUE.match(lines[index]) if 0 <= index < len(lines) else None
    if found is None:
        return "; a value that contains ': ' must be put in quotes"
    value = found["value"].replace("\\", "\\\\").replace('"', '\\"')
    return f"; a value that contains ': ' must be put in quotes: {found['key']}: \"{value}\""


#: Bounds on what frontmatter may be, whatever its YAML says: a few fields of
#: text, lists and small maps. Aliases that expand into millions of values (a
#: "billion laughs"), thousand-level nesting or numbers of thousands of digits
#: would exhaust memory or the stack in every later step.
MAX_DEPTH = 20
MAX_VALUES = 10_000
MAX_NUMBER_DIGITS = 100


def _check_shape(root: yaml.Node, first_line: int) -> None:
    """Raise :class:`YamlError` for frontmatter past the bounds above."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int, path: frozenset[int]) -> int:
        line = first_line + node.start_mark.line
        if depth > MAX_DEPTH:
            raise YamlError(line, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in path:  # an alias of its own ancestor: counted once
            return 1
        if id(node) in sizes:  # an alias of a node seen elsewhere: counted again
            return sizes[id(node)]
        if isinstance(node, yaml.ScalarNode):
            if node.value.lstrip("+-").isdigit():
                _check_number(node, first_line)
            total = 1
        else:
            children = (
                [item for pair in node.value for item in pair]
                if isinstance(node, yaml.MappingNode)
                else list(node.value)
            )
            inner = path | {id(node)}
            total = 1 + sum(size(child, depth + 1, inner) for child in children)
        if total > MAX_VALUES:
            raise YamlError(line, f"expands to more than {MAX_VALUES:,} values; write it out")
        sizes[id(node)] = total
        return total

    size(root, 0, frozenset())


class _NotPlain(Exception):
    """The document uses a tag, alias or merge key that only PyYAML's constructor knows."""


#: Tag to (the text it must have, how to make the value). An explicit tag can
#: put any text under ``!!int`` (``!!int 0x1F``): such text is left to PyYAML.
_PLAIN_SCALARS: dict[str, tuple[re.Pattern[str] | None, Any]] = {
    "tag:yaml.org,2002:str": (None, str),
    "tag:yaml.org,2002:bool": (_BOOL, lambda value: value == "true"),
    "tag:yaml.org,2002:int": (_INT, int),
    "tag:yaml.org,2002:float": (_FLOAT, float),
    "tag:yaml.org,2002:null": (None, lambda value: None),
    "tag:yaml.org,2002:timestamp": (None, str),
}


def _plain(node: yaml.Node, first_line: int) -> Any:
    """The value of a document of plain text, numbers, lists and maps, without
    PyYAML's general constructor (a third of the time of reading 5,000 files).
    Anything else (another tag, an alias) raises :class:`_NotPlain`; values past
    the bounds raise :class:`YamlError`."""
    visited: set[int] = set()

    def value(node: yaml.Node, depth: int) -> Any:
        if id(node) in visited:  # an alias: the same node twice, maybe recursively
            raise _NotPlain
        visited.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlError(
                first_line + node.start_mark.line, f"nested more than {MAX_DEPTH} levels deep"
            )
        if isinstance(node, yaml.ScalarNode):
            pattern, make = _PLAIN_SCALARS.get(node.tag, (None, None))
            if make is None or (pattern is not None and not pattern.match(node.value)):
                raise _NotPlain
            if make is int:
                _check_number(node, first_line)
            return make(node.value)
        if isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
            return [value(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
            if not all(isinstance(key, yaml.ScalarNode) for key, _ in node.value):
                raise _NotPlain  # PyYAML explains why a list cannot be a key
            return {value(key, depth + 1): value(item, depth + 1) for key, item in node.value}
        raise _NotPlain

    return value(node, 0)


def _constructed(loader: yaml.SafeLoader, node: yaml.Node, first_line: int) -> Any:
    """PyYAML's constructor, for tags and aliases, inside the same bounds."""
    _check_shape(node, first_line)
    try:
        return loader.construct_document(node)
    except ValueError as exc:  # an explicit !!int of 5,000 digits, say
        raise YamlError(first_line, f"a value YAML cannot read: {exc}") from None


def _check_number(node: yaml.ScalarNode, first_line: int) -> None:
    digits = len(node.value.lstrip("+-"))
    if digits > MAX_NUMBER_DIGITS:
        line = first_line + node.start_mark.line
        raise YamlError(line, f"a number of {digits} digits; quote it if it is text")


def _check_duplicates(
    node: yaml.Node, first_line: int, out: list[tuple[str, int]], done: set[int] | None = None
) -> None:
    done = set() if done is None else done
    if id(node) in done:  # an alias of a node already checked (or of its own parent)
        return
    done.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                out.append((key, first_line + key_node.start_mark.line))
            seen.add(key)
            _check_duplicates(value_node, first_line, out, done)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, first_line, out, done)
