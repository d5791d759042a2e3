"""What a link to an incident page shows when it is pasted into chat or a post.

OpenGraph and Twitter-card meta tags (title, plain-text description with the
current status and the latest update, URL, type) and schema.org JSON-LD. All
of it is text from incident files, so it is escaped for attributes, and the
JSON is serialised so that nothing in it can close the ``<script>`` element.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

from ..core.events import text_body
from ..core.settings import SiteConfig
from ..core.status import IncidentView

#: How much text a description carries (chat previews cut at about 200).
DESCRIPTION_CHARS = 300
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def description(view: IncidentView) -> str:
    """``Identified: <the latest update as plain text>``, cut at a word."""
    latest = view.incident.latest_update
    text = view.status.label
    if latest is not None:
        text += ": " + " ".join(text_body(latest.body).split())
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"
    return text


def script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for character, escaped in _JSON_ESCAPES.items():
        text = text.replace(character, escaped)
    return Markup(text)


def incident_head(config: SiteConfig, view: IncidentView, url: str) -> Markup:
    """The meta tags and JSON-LD of an incident page at absolute ``url``."""
    incident = view.incident
    said = description(view)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", incident.title),
        ("property", "og:description", said),
        ("property", "og:url", url),
        ("property", "og:site_name", config.name),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", incident.title),
        ("name", "twitter:description", said),
    ]
    meta = Markup(  # the kinds and names are ours; each value is escaped
        "\n".join(f'<meta {kind}="{name}" content="{escape(value)}">' for kind, name, value in tags)
    )
    linked = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": incident.title,
        "description": said,
        "url": url,
        "datePublished": incident.created_at.isoformat(),
        "dateModified": incident.updated_at.isoformat(),
        "publisher": {"@type": "Organization", "name": config.name, "url": config.url},
    }
    if incident.is_maintenance and incident.start and incident.end:
        linked["about"] = {
            "@type": "Event",
            "name": incident.title,
            "startDate": incident.start.isoformat(),
            "endDate": incident.end.isoformat(),
        }
    script = Markup('<script type="application/ld+json">{}</script>').format(script_json(linked))
    return meta + Markup("\n") + script
