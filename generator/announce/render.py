"""An announcement rendered for each channel: e-mail, social post, webhook payloads.

Everything here is pure: an :class:`~generator.announce.select.Announcement`
in, text or plain data out. Incident and configuration text is plain text
wherever it meets markup (the e-mail's HTML goes through an autoescaping Jinja
environment; Slack's ``mrkdwn`` is escaped by hand); only update bodies,
scope and workaround are Markdown, rendered and sanitised by
:mod:`generator.core.html`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from functools import cache, wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..core.events import text_body
from ..core.facts import MESSAGE_FACTS, POSTMORTEM_FACTS, incident_facts
from ..core.html import render_markdown
from ..core.i18n import _, html_lang, ngettext, speaking
from ..core.model import Impact, UpdateStatus, WebhookFormat
from ..core.times import display_time
from .select import Announcement

#: The most a social post may weigh, counted as X (Twitter) counts.
POST_LIMIT = 280
#: What X counts for any link, whatever its length.
POST_URL_WEIGHT = 23
ELLIPSIS = "…"
DISCORD_CONTENT_LIMIT = 2000
JSON_SCHEMA_ID = "statuspage-announcement/1"
#: Code points X counts once; every other code point counts twice (twitter-text v3).
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_COLOURS = {
    Impact.NONE: 0x607D8B,
    Impact.MAINTENANCE: 0x1565C0,
    Impact.MINOR: 0xF9A825,
    Impact.MAJOR: 0xEF6C00,
    Impact.CRITICAL: 0xC62828,
}
_CLOSED_COLOUR = 0x2E7D32
#: Headings of a postmortem's parts, at any level; a post reads on without them.
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}\s.*$", re.MULTILINE)

_Rendered = TypeVar("_Rendered")


def in_site_language(
    render: Callable[..., _Rendered],
) -> Callable[..., _Rendered]:
    """Render an announcement in its site's language (``theme.language``)."""

    @wraps(render)
    def rendered(a: Announcement, *args: Any, **kwargs: Any) -> _Rendered:
        with speaking(a.config.language):
            return render(a, *args, **kwargs)

    return rendered


# --- what every channel shows first ---------------------------------------------------


@dataclass(frozen=True)
class KeyPoint:
    """One labelled fact: ``Status: Identified (…)``; its value is plain text."""

    label: str
    text: str

    @property
    def html(self) -> str:
        """The value for the autoescaping e-mail template, which escapes it."""
        return self.text


@in_site_language
def key_points(a: Announcement) -> list[KeyPoint]:
    """What a reader needs first: status, then the incident's facts as they stood
    at this update (:mod:`generator.core.facts`), then the next update."""
    tz = a.config.timezone
    at = _("{status} ({time})").format(status=a.status_label, time=display_time(a.event.at, tz))
    points = [KeyPoint(_("Status"), at)]
    postmortem = a.event.status is UpdateStatus.POSTMORTEM
    kinds = POSTMORTEM_FACTS if postmortem else MESSAGE_FACTS
    for fact in incident_facts(a.view, tz, closed=a.closes or postmortem):
        if fact.kind in kinds:
            points.append(KeyPoint(fact.label, fact.text))
    if a.next_update is not None:
        due = _("by {time}").format(time=display_time(a.next_update, tz))
        points.append(KeyPoint(_("Next update"), due))
    return points


def _headline(a: Announcement) -> str:
    return _("{title}: {status}").format(title=a.title, status=a.status_label)


# --- e-mail ---------------------------------------------------------------------------


@in_site_language
def email_subject(a: Announcement) -> str:
    """``[Status] Elevated error rates on the API: Identified``."""
    return _("[Status] {headline}").format(headline=_headline(a))


@in_site_language
def email_text(a: Announcement) -> str:
    """The plain-text body: key points, the message, the link."""
    said = _("{label}: {text}")
    lines = [said.format(label=p.label, text=p.text) for p in key_points(a)]
    signature = f"-- \n{a.config.name} · {a.config.url}"
    timeline = _("Full timeline: {url}").format(url=a.url)
    parts = ["\n".join(lines), a.message, timeline, signature]
    return "\n\n".join(p for p in parts if p) + "\n"


@in_site_language
def email_html(a: Announcement) -> str:
    """The HTML body: the same parts, every text escaped by the template."""
    return (
        _templates()
        .get_template("email.html")
        .render(
            lang=html_lang(a.config.language),
            subject=email_subject(a),
            headline=_headline(a),
            points=[(p.label, p.html) for p in key_points(a)],
            body=Markup(render_markdown(a.event.body)),
            url=a.url,
            home=a.config.url,
            site=a.config.name,
        )
    )


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.announce", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # The callables read the language spoken at render time (``in_site_language``).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=ngettext, newstyle=True
    )
    return env


@in_site_language
def email_message(a: Announcement, sender: str, sent_at: datetime) -> EmailMessage:
    """A multipart/alternative message addressed to the sender.

    Subscribers are envelope recipients only (blind copies), so none sees
    another's address. The Message-ID derives from the update id, so a mail
    client recognises a repeat.
    """
    message = EmailMessage()
    message["Subject"] = email_subject(a)
    message["From"] = sender
    message["To"] = sender
    message["Date"] = format_datetime(sent_at.astimezone(UTC))
    host = urlsplit(a.config.url).hostname or "localhost"
    message["Message-ID"] = f"<{a.incident.id}.{a.event.key}@{host}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(email_text(a))
    message.add_alternative(email_html(a), subtype="html")
    return message


# --- the social post ------------------------------------------------------------------


def post_weight(text: str, urls: Sequence[str] = ()) -> int:
    """``text``'s length as X counts it, each of ``urls`` at least 23.

    X counts CJK, emoji and most symbols twice; a link counts 23. A link is
    counted here as the larger of 23 and its real length, so a post within
    the limit is also within it for services that count every character.
    """
    total = 0
    for url in urls:
        if url in text:
            text = text.replace(url, "", 1)
            total += max(POST_URL_WEIGHT, len(url))
    return total + sum(_char_weight(ord(c)) for c in text)


def _char_weight(code: int) -> int:
    return 1 if any(low <= code <= high for low, high in _LIGHT_RANGES) else 2


@in_site_language
def social_post(a: Announcement) -> str:
    """``Title: Status`` and the message, then the link: at most 280 as X counts.

    The message (then, if need be, the title) is shortened at a word with an
    ellipsis; the link is never cut.
    """
    url = a.page_url
    head = _headline(a)
    room = POST_LIMIT - post_weight(url, [url]) - 4  # two blank lines
    message = " ".join(text_body(_MARKDOWN_HEADING.sub("", a.event.body)).split())
    if post_weight(head) + 12 > room:
        head, message = _shorten(head, room), ""
    else:
        message = _shorten(message, room - post_weight(head))
    return "\n\n".join(p for p in (head, message, url) if p)


def _shorten(text: str, room: int) -> str:
    if post_weight(text) <= room:
        return text
    budget = room - post_weight(ELLIPSIS)
    kept, used = [], 0
    for char in text:
        used += _char_weight(ord(char))
        if used > budget:
            break
        kept.append(char)
    cut = "".join(kept)
    if " " in cut[len(cut) // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS if cut.strip() else ""


# --- webhook payloads -----------------------------------------------------------------


def utc_timestamp(moment: datetime) -> str:
    """``2026-11-20T14:40:00Z``: the instant in UTC, as webhooks and the delivery log write it."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@in_site_language
def json_payload(a: Announcement) -> dict[str, Any]:
    """The generic webhook body; its schema is documented in docs/announcing.md."""
    incident = a.incident
    components = [
        {"id": component.id, "name": component.name, "status": status.value}
        for component, status in incident.components.items()
    ]
    return {
        "schema": JSON_SCHEMA_ID,
        "id": a.id,
        "incident_id": incident.id,
        "kind": incident.kind.value,
        "title": a.title,
        "status": a.event.status.value,
        "impact": incident.impact.value,
        "components": components,
        "scope": incident.scope,
        "workaround": incident.workaround,
        "next_update": utc_timestamp(a.next_update) if a.next_update else None,
        "message": a.message,
        "message_html": render_markdown(a.event.body),
        "url": a.url,
        "time": utc_timestamp(a.event.at),
        "site": {"name": a.config.name, "url": a.config.url},
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@in_site_language
def slack_payload(a: Announcement) -> dict[str, Any]:
    """Slack incoming webhook: a fallback ``text`` and Block Kit ``mrkdwn`` blocks."""
    said = _("{label}:")
    points = "\n".join(
        f"*{said.format(label=p.label)}* {_slack_escape(p.text)}" for p in key_points(a)
    )
    on_site = _("Full timeline on {site}").format(site=_slack_escape(a.config.name))
    link = f"<{a.url}|{on_site}>"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(_headline(a), 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(points, 3000)}},
    ]
    if a.message:
        message = _cut(_slack_escape(a.message), 3000)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": message}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    return {"text": f"{_slack_escape(_headline(a))} {a.url}", "blocks": blocks}


@in_site_language
def discord_payload(a: Announcement) -> dict[str, Any]:
    """Discord webhook: a short ``content`` line and one embed; no one is pinged."""
    fields = [{"name": p.label, "value": _cut(p.text, 1024)} for p in key_points(a)]
    title = _cut(_headline(a), 256)
    footer = _cut(a.config.name, 2048)
    used = len(title) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    embed = {
        "title": title,
        "url": a.url,
        "description": _cut(a.message, max(0, min(4096, 6000 - used))),
        "color": _CLOSED_COLOUR if a.closes else _COLOURS[a.incident.impact],
        "fields": fields,
        "timestamp": utc_timestamp(a.event.at),
        "footer": {"text": footer},
    }
    return {
        "content": _cut(
            _("{title}: {status}").format(title=f"**{a.title}**", status=a.status_label),
            DISCORD_CONTENT_LIMIT,
        ),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + ELLIPSIS


PAYLOADS: dict[WebhookFormat, Callable[[Announcement], dict[str, Any]]] = {
    WebhookFormat.SLACK: slack_payload,
    WebhookFormat.DISCORD: discord_payload,
    WebhookFormat.JSON: json_payload,
}
