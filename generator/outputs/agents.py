"""Pages that agents and scripts can read: ``incidents/<id>/index.md`` and ``/llms.txt``.

Each incident's Markdown says what its page says, from the same facts
(:func:`generator.core.facts.incident_facts`): the status and impact, the
facts, the timeline newest first, and the postmortem. Incident text keeps its
Markdown, with raw HTML escaped (:func:`generator.core.html.safe_markdown`);
plain text (titles, scope, names) is escaped so it reads as written.

``llms.txt`` follows the llmstxt.org shape: a title, a one-line summary in a
blockquote, then sections of links: the page, the open incidents and
maintenance, the API and the feeds.
"""

from __future__ import annotations

from functools import partial

from ..core.facts import incident_facts, pills
from ..core.html import markdown_text, safe_markdown
from ..core.memo import Part, each_incident
from ..core.model import Update
from ..core.settings import SiteConfig
from ..core.status import IncidentView, SiteStatus, next_update
from ..core.times import display_time
from ..core.urls import absolute, component_path, incident_path
from .feeds import SITE_FEEDS

INCIDENT_MARKDOWN = "index.md"
MARKDOWN_TYPE = "text/markdown"
API_FILES = (
    ("summary.json", "status, components, open incidents and maintenance"),
    ("status.json", "the overall indicator"),
    ("components.json", "every component and group"),
    ("incidents.json", "the 50 most recent incidents"),
    ("incidents/unresolved.json", "open incidents"),
    ("scheduled-maintenances.json", "the 50 most recent maintenance windows"),
    ("scheduled-maintenances/upcoming.json", "maintenance not yet started"),
    ("scheduled-maintenances/active.json", "maintenance under way"),
)


def agent_files(config: SiteConfig, status: SiteStatus) -> dict[str, bytes]:
    """``llms.txt`` and every incident's ``index.md``, keyed by site path."""
    files = {"llms.txt": _encode(llms_txt(config, status))}
    views = status.views
    made = each_incident(markdown_part(config, status), views, config, status.now)
    for view, data in zip(views, made, strict=True):
        files[incident_path(view.incident.id) + INCIDENT_MARKDOWN] = data
    return files


def markdown_part(config: SiteConfig, status: SiteStatus) -> Part[bytes]:
    """An incident's ``index.md``, as :func:`~generator.core.memo.each_incident` keeps it."""
    return Part(
        "markdown", partial(_markdown_file, config=config, status=status), file=INCIDENT_MARKDOWN
    )


def _markdown_file(view: IncidentView, *, config: SiteConfig, status: SiteStatus) -> bytes:
    return _encode(incident_markdown(view, config, status))


def _encode(text: str) -> bytes:
    return (text.rstrip() + "\n").encode("utf-8")


def incident_markdown(view: IncidentView, config: SiteConfig, status: SiteStatus) -> str:
    """One incident as Markdown: what its page says, in the same order."""
    incident = view.incident
    tz = config.timezone
    lines = [f"# {markdown_text(incident.title)}", ""]
    lines += [" · ".join(markdown_text(text) for _, text in pills(view)), ""]
    if incident.summary.strip():
        lines += [safe_markdown(incident.summary, level=2), ""]  # above ## Timeline
    facts = [f"- **{f.label}:** {markdown_text(f.text)}" for f in incident_facts(view, tz)]
    promised = next_update(view, config, status.now)
    if promised is not None:
        late = " (overdue)" if promised.overdue else ""
        facts.append(f"- **Next update:** {display_time(promised.due, tz)}{late}")
    if facts:
        lines += [*facts, ""]
    if incident.updates:
        lines += ["## Timeline", ""]
        for update in reversed(incident.updates):
            lines += _section(3, update, config)
    if incident.postmortem is not None:
        lines += _section(2, incident.postmortem, config)
    page = absolute(config, incident_path(incident.id))
    lines += ["---", "", f"Page: <{page}>"]
    return "\n".join(lines)


def _section(level: int, update: Update, config: SiteConfig) -> list[str]:
    when = display_time(update.at, config.timezone)
    heading = f"{'#' * level} {update.status.label} · {when}"
    body = safe_markdown(update.body, level)
    return [heading, "", body, ""] if body else [heading, ""]


def llms_txt(config: SiteConfig, status: SiteStatus) -> str:
    """The site for language models and scripts: where each thing is, in Markdown."""
    name = markdown_text(config.name)
    summary = markdown_text(config.description or f"Status of {config.name}")
    lines = [f"# {name}", "", f"> {summary}", ""]
    lines += [f"Current status: {markdown_text(status.description)}.", ""]
    lines += ["## Status page", ""]
    lines += [_link(config, "Status", "", "overall status, components, open incidents")]
    lines += [_link(config, "History", "history/", "every incident, newest first")]
    lines += [
        _link(config, markdown_text(c.name), component_path(c.id), "status and incidents")
        for c in config.components
    ]
    lines += ["", "## Open incidents and maintenance", ""]
    open_views = sorted(  # newest first, as the API lists them
        (v for v in status.views if v.active or v.upcoming),
        key=lambda v: (v.incident.began_at, v.incident.id),
        reverse=True,
    )
    lines += [_incident_link(config, v) for v in open_views] or ["- None."]
    lines += ["", "## API (Atlassian Statuspage v2)", ""]
    lines += [_link(config, path, "api/v2/" + path, text) for path, text in API_FILES]
    lines += ["", "## Feeds", ""]
    lines += [_link(config, kind, href, "every incident update") for _, kind, href in SITE_FEEDS]
    lines += [_link(config, "Maintenance calendar", "maintenance.ics", "iCalendar")]
    lines += ["- Per component: `components/<id>/feed.rss`, `feed.atom`, `feed.json`"]
    if config.websub_hub:
        lines += [f"- WebSub hub: <{config.websub_hub}>"]
    return "\n".join(lines)


def _link(config: SiteConfig, text: str, path: str, note: str) -> str:
    return f"- [{text}]({absolute(config, path)}): {note}"


def _incident_link(config: SiteConfig, view: IncidentView) -> str:
    incident = view.incident
    path = incident_path(incident.id)
    title = markdown_text(incident.title)
    said = markdown_text(", ".join(text for _, text in pills(view)))
    markdown = absolute(config, path + INCIDENT_MARKDOWN)
    return f"- [{title}]({absolute(config, path)}): {said}; Markdown: <{markdown}>"
