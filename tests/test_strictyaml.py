"""The frontmatter reader: its fast path builds what PyYAML's constructor would."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from generator.core.strictyaml import YamlError, _StrictLoader, load_mapping

DOCUMENTS = [
    "title: T\nimpact: major\ncomponents: [api, db]\n",
    "a: 12\nb: -3\nc: 1.5\nd: true\ne: ~\nf: NO\ng: 12:30\nh: 0777\ni: [1, x, {j: on}]\n",
    "components:\n  api: major_outage\n  db: degraded_performance\n",
    # explicit tags may put any text under a type: PyYAML's rules apply
    "a: !!int 0x1F\nb: !!int 12:30\nc: !!float .inf\nd: !!int 0777\ne: !!float 1\n",
    "a: !!bool yes\nb: !!null x\nc: !!str 12\nd: !!timestamp 2026-11-20\ne: !!int '7'\n",
    "a: &x {b: 1}\nc: *x\n",  # an alias
    "<<: {a: 1}\nb: 2\n",  # no merge keys: '<<' is text
    "a: !!binary aGk=\n",
]


def typed(value: Any) -> Any:
    """A value with the type of every part, so 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_values_are_those_of_pyyaml_with_the_strict_resolvers(text: str) -> None:
    expected = {str(k): v for k, v in yaml.load(text, Loader=_StrictLoader).items()}
    assert typed(load_mapping(text).data) == typed(expected)


def test_a_list_as_a_key_is_a_yaml_error_with_its_line() -> None:
    with pytest.raises(YamlError, match="unhashable key") as raised:
        load_mapping("title: T\n? [a]\n: 1\n", first_line=2)
    assert raised.value.line == 3


def test_duplicate_keys_are_found_at_every_depth_and_with_aliases() -> None:
    doc = load_mapping("a: 1\nb: {c: 1, c: 2}\na: 3\nd: &x [1]\ne: *x\n", first_line=2)
    assert doc.duplicates == [("c", 3), ("a", 4)]
    assert doc.data["a"] == 3 and doc.data["e"] == [1]
    assert doc.lines == {"a": 2, "b": 3, "d": 5, "e": 6}
