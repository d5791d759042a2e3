"""Message templates and their ``{placeholders}``: one voice, no blanks.

A template is a Markdown file with named placeholders such as ``{component}``
or ``{next_update}``. The package carries the built-in ones
(``generator/authoring/templates/``); a file in the site's ``templates/``
folder replaces the built-in template of the same name or adds another. Filling one leaves
every placeholder it has no value for in place, and :func:`find_placeholders`
finds them again, so a message with its key points left blank can be refused
by the command that would write it and by ``lint``.

A placeholder is ``{name}`` (a letter, then letters, digits or ``_``) in prose.
Inside code spans and fenced code blocks braces are text, and ``\\{name}``
is a literal brace too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..core.errors import StatusPageError, display_path
from ..core.model import Incident
from ..core.placeholders import PLACEHOLDER, find_placeholders, prose_chunks
from ..core.settings import Component, SiteConfig
from ..core.times import display_time


class TemplateError(StatusPageError):
    """An unknown template, or values that do not fit it."""


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace the placeholders that have a value; leave the others as they are."""

    def replace(match: re.Match[str]) -> str:
        return values.get(match[1], match[0])

    return "".join(
        chunk if is_code else PLACEHOLDER.sub(replace, chunk)
        for chunk, is_code in prose_chunks(text)
    )


@dataclass(frozen=True)
class Template:
    """A message template: its name (the file name without ``.md``) and text."""

    name: str
    text: str

    @property
    def names(self) -> list[str]:
        """Its placeholders, each once, in order of appearance."""
        return list(dict.fromkeys(p.name for p in find_placeholders(self.text)))


#: Templates in the same folder that are not update messages.
NOT_MESSAGES = ("postmortem",)


#: The templates the package carries, always available.
BUILT_IN: Traversable = resources.files("generator.authoring") / "templates"


def _sources(directory: Path) -> dict[str, Traversable]:
    """Every message template by name: the site's files in ``directory`` over the built-in ones."""
    found = {p.name.removesuffix(".md"): p for p in BUILT_IN.iterdir() if p.name.endswith(".md")}
    if directory.is_dir():
        found |= {p.stem: p for p in directory.glob("*.md") if p.is_file()}
    return {name: path for name, path in found.items() if name not in NOT_MESSAGES}


def available(directory: Path) -> list[str]:
    """The names of the message templates, built-in and in ``directory``, sorted."""
    return sorted(_sources(directory))


def load_template(directory: Path, name: str) -> Template:
    """The template ``name``, the site's own in ``directory`` first; the error lists the others."""
    sources = _sources(directory)
    if name not in sources:
        listed = ", ".join(sorted(sources))
        raise TemplateError(
            f"no template '{name}' in {display_path(directory)}/; available: {listed}"
        )
    return Template(name, sources[name].read_text(encoding="utf-8"))


def fill_template(template: Template, context: Mapping[str, str], chosen: Mapping[str, str]) -> str:
    """``template`` with ``chosen`` values (``--set``) over ``context`` defaults.

    Placeholders without a value stay. A chosen key the template does not
    have is an error: a typo would otherwise be silently dropped.
    """
    unknown = sorted(set(chosen) - set(template.names))
    if unknown:
        raise TemplateError(
            f"template '{template.name}' has no {', '.join('{' + k + '}' for k in unknown)}; "
            f"its placeholders: {', '.join(template.names) or '(none)'}"
        )
    values = {k: v for k, v in context.items() if v} | dict(chosen)
    return fill(template.text, values).strip()


def require_filled(name: str, text: str) -> str:
    """``text`` if it has no placeholder left; else an error listing them."""
    missing = list(dict.fromkeys(p.name for p in find_placeholders(text)))
    if missing:
        sets = " ".join(f"--set {k}=…" for k in missing)
        promise = " (or --next 30m for {next_update})" if "next_update" in missing else ""
        raise TemplateError(
            f"template '{name}' needs a value for {', '.join('{' + k + '}' for k in missing)}: "
            f"pass {sets}{promise}, or set $EDITOR and leave out -m to write them there"
        )
    return text


def parse_assignments(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("cause=a bad deploy", …)`` into a mapping; the error names a bad pair."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, equals, value = pair.partition("=")
        key = key.strip()
        if not equals or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key):
            raise TemplateError(f"'{pair}' is not KEY=VALUE, e.g. --set cause='a bad deploy'")
        values[key] = value.strip()
    return values


def component_names(components: Iterable[Component]) -> str:
    """``REST API, Webhooks and Sign-in``: components by their display names."""
    names = [component.name for component in components]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def context(
    config: SiteConfig,
    *,
    title: str = "",
    components: Iterable[str] = (),
    scope: str = "",
    workaround: str = "",
    next_update: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, str]:
    """Defaults for a template's placeholders; empty values fill nothing.

    ``components`` are ids as a command was given them; ``{component}`` is
    their display names (an unknown id is left to the loader to refuse), and
    times are written in the site's time zone, as the page shows them.
    """
    tz = config.timezone
    times = {"next_update": next_update, "start": start, "end": end}
    return {
        "title": title,
        "component": component_names(config.resolve_components(components)),
        "scope": scope,
        "workaround": workaround,
        **{name: display_time(at, tz) if at else "" for name, at in times.items()},
    }


def incident_context(
    config: SiteConfig, incident: Incident, next_update: datetime | None = None
) -> dict[str, str]:
    """:func:`context` from an incident file (for ``update`` and ``resolve``)."""
    return context(
        config,
        title=incident.title,
        components=(component.id for component in incident.components),
        scope=incident.scope,
        workaround=incident.workaround,
        next_update=next_update,
        start=incident.start,
        end=incident.end,
    )
