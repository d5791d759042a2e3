"""The frontmatter of one incident file, read field by field into typed values.

Every field that is wrong is recorded in the file's :class:`FileContext` with
its line, so one run reports them all; only this module and the loader ever
see the raw mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import Problem, closest
from .model import (
    INCIDENT_IMPACTS,
    STATUS_FOR_IMPACT,
    ComponentStatus,
    Impact,
    Kind,
)
from .settings import Component, SiteConfig
from .sources import unpublishable
from .times import TimeFormatError, parse_time

_TEXT_FIELDS = ("title", "scope", "workaround")
TIME_FIELDS = ("next_update", "started", "start", "end")
KNOWN_FIELDS = ("kind", "impact", "components", *_TEXT_FIELDS, *TIME_FIELDS)


@dataclass
class FileContext:
    """What checking one file needs, and where its problems go."""

    path: str
    config: SiteConfig
    now: datetime | None
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def error(self, line: int, name: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, name, message))

    def field_error(self, name: str, message: str) -> None:
        self.error(self.lines.get(name, 1), name, message)


class Frontmatter:
    """Typed access to frontmatter fields, recording what is wrong."""

    def __init__(self, data: dict[str, Any], ctx: FileContext) -> None:
        self.data = data
        self.ctx = ctx

    def kind(self) -> Kind:
        raw = self.data.get("kind", "incident")
        try:
            return Kind(raw)
        except ValueError:
            kinds = [k.value for k in Kind]
            self.ctx.field_error(
                "kind", f"{_show(raw)} is not one of incident, maintenance{suggest(raw, kinds)}"
            )
            return Kind.INCIDENT

    def impact(self, kind: Kind) -> Impact:
        raw = self.data.get("impact")
        if kind is Kind.MAINTENANCE:
            if raw not in (None, "maintenance", "none"):
                self.ctx.field_error(
                    "impact", "a maintenance has impact 'maintenance'; remove the field"
                )
            return Impact.MAINTENANCE
        allowed = ", ".join(i.value for i in INCIDENT_IMPACTS)
        if raw is None:
            self.ctx.error(1, "impact", f"missing; add 'impact:' with one of {allowed}")
            return Impact.NONE
        values = [i.value for i in INCIDENT_IMPACTS]
        if raw not in values:
            hint = suggest(raw, values)
            self.ctx.field_error("impact", f"{_show(raw)} is not one of {allowed}{hint}")
            return Impact.NONE
        return Impact(raw)

    def text(self, name: str, required: bool = False) -> str:
        raw = self.data.get(name)
        if raw is None:
            if required:
                self.ctx.error(1, name, f"missing; add '{name}:' to the frontmatter")
            return ""
        if not isinstance(raw, str):
            self.ctx.field_error(name, f"must be text, not {_show(raw)}; put it in quotes")
            return ""
        if required and not raw.strip():
            self.ctx.field_error(name, "must not be empty")
        code = unpublishable(raw)  # written as a YAML escape (\u001b): not seen in the file
        if code:
            self.ctx.field_error(name, f"control character {code} cannot be published; remove it")
        return raw.strip()

    def time(self, name: str) -> datetime | None:
        raw = self.data.get(name)
        if raw is None:
            return None
        if not isinstance(raw, str):
            self.ctx.field_error(name, f"{_show(raw)} is not a time; write YYYY-MM-DD HH:MM UTC")
            return None
        try:
            return parse_time(raw, self.ctx.config.timezone)
        except TimeFormatError as exc:
            self.ctx.field_error(name, str(exc))
            return None

    def components(self, impact: Impact) -> dict[Component, ComponentStatus]:
        raw = self.data.get("components", [])
        if isinstance(raw, str):
            self.ctx.field_error(
                "components",
                f"{_show(raw)} is a single word, not a list; write components: [{raw}] "
                f"(or a map of component id to status)",
            )
            return {}
        pairs: list[tuple[object, ComponentStatus | None]]
        if isinstance(raw, list):
            pairs = [(item, STATUS_FOR_IMPACT[impact]) for item in raw]
        elif isinstance(raw, dict):
            pairs = [(key, self._component_status(key, value)) for key, value in raw.items()]
        else:
            self.ctx.field_error(
                "components", "must be a list of component ids, or a map of component id to status"
            )
            return {}
        result: dict[Component, ComponentStatus] = {}
        for key, status in pairs:
            component = self._known_component(key)
            if component is not None and status is not None:
                result[component] = status
        return result

    def _component_status(self, key: object, value: object) -> ComponentStatus | None:
        try:
            return ComponentStatus(str(value))
        except ValueError:
            values = [s.value for s in ComponentStatus]
            hint = suggest(str(value).replace(" ", "_"), values)
            self.ctx.field_error(
                "components", f"{key}: {_show(value)} is not one of {', '.join(values)}{hint}"
            )
            return None

    def _known_component(self, key: object) -> Component | None:
        component = self.ctx.config.component(key) if isinstance(key, str) else None
        if component is not None:
            return component
        known = [c.id for c in self.ctx.config.components]
        self.ctx.field_error(
            "components",
            f"{_show(key)} is not a component id{suggest(str(key), known)}; "
            f"known ids: {', '.join(known) or '(none configured)'}",
        )
        return None

    def unknown(self) -> None:
        for key in self.data:
            if key not in KNOWN_FIELDS:
                self.ctx.field_error(
                    key,
                    f"unknown field{suggest(key, KNOWN_FIELDS)}; "
                    f"known fields: {', '.join(KNOWN_FIELDS)}",
                )


def _show(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def suggest(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'major'?)`` for the closest choice, compared case-insensitively."""
    found = closest(str(word), choices)
    return f" (did you mean '{found}'?)" if found else ""
