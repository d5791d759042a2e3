"""The postmortem: a final report with required parts, drafted from the timeline.

The crisis-communication sources agree on what a final report covers: an
apology, what happened, why it happened, what was done, and what changes so it
does not happen again. A draft has the timeline filled in from the incident's
updates and ``{placeholders}`` for the parts only people can write; ``lint``
refuses the placeholders until they are written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from ..core.model import Incident
from ..core.placeholders import find_placeholders
from ..core.settings import SiteConfig
from ..core.times import display_time, format_duration
from .messages import TemplateError, component_names, fill

#: The ``###`` headings a postmortem needs, in order.
REQUIRED_PARTS = (
    "Apology",
    "What happened",
    "Why it happened",
    "What we did",
    "What we are changing",
)
TEMPLATE_NAME = "postmortem"
_PART_HEADING = re.compile(r"^###(?!#)\s*(?P<text>.+?)\s*#*\s*$", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s")


def missing_parts(body: str) -> list[str]:
    """The required parts without a ``###`` heading in ``body``.

    A heading counts when it begins with the part's name, in any case, so a
    translation may follow: ``### Apology · お詫び``.
    """
    headings = [m["text"].casefold() for m in _PART_HEADING.finditer(body)]
    return [
        part for part in REQUIRED_PARTS if not any(h.startswith(part.casefold()) for h in headings)
    ]


def template_text(templates_dir: Path) -> str:
    """The site's ``postmortem.md`` template, else the built-in one."""
    own = templates_dir / f"{TEMPLATE_NAME}.md"
    if own.is_file():
        return own.read_text(encoding="utf-8")
    shipped = resources.files("generator.authoring").joinpath("templates", f"{TEMPLATE_NAME}.md")
    return shipped.read_text("utf-8")


def timeline(incident: Incident, config: SiteConfig) -> str:
    """A Markdown list of what customers saw, from ``started`` to the last update."""
    tz = config.timezone
    lines = []
    if incident.started is not None:
        lines.append(f"- {display_time(incident.started, tz)}: the impact began.")
    for update in incident.updates:
        said = _first_sentence(update.body)
        lines.append(f"- {display_time(update.at, tz)} · {update.status.heading}: {said}")
    return "\n".join(lines)


def _first_sentence(markdown: str) -> str:
    from ..core.html import plain_text  # Markdown only for drafts: lint stays light

    text = plain_text(markdown)
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def draft_context(incident: Incident, config: SiteConfig) -> dict[str, str]:
    """What a draft can fill in by itself; everything else stays a placeholder."""
    ended = incident.resolved_at
    return {
        "title": incident.title,
        "scope": incident.scope,
        "timeline": timeline(incident, config),
        "duration": format_duration(ended - incident.began_at) if ended else "",
        "component": component_names(incident.components),
    }


def draft(
    incident: Incident,
    config: SiteConfig,
    template: str,
    values: Mapping[str, str] | None = None,
) -> str:
    """The body of a new postmortem: ``template`` with the known parts filled.

    ``values`` (``--set why=…``) win over what the timeline says; a key the
    template has no placeholder for is an error, since it would be lost.
    """
    chosen = dict(values or {})
    names = {p.name for p in find_placeholders(template)}
    unknown = sorted(set(chosen) - names)
    if unknown:
        raise TemplateError(
            f"the postmortem template has no {', '.join('{' + k + '}' for k in unknown)}; "
            f"its placeholders: {', '.join(sorted(names)) or '(none)'}"
        )
    known = {k: v for k, v in draft_context(incident, config).items() if v}
    return fill(template, known | chosen).strip()
