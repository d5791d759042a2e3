"""Announcing updates: an e-mail, a short social post and chat webhooks.

Which updates: the newest of named incidents, the newest of each active one,
or (``since``) every update, postmortem and maintenance announcement that the
incident files have now but did not have at a git revision. An update is
identified by ``<incident id>/<event key>`` (see :mod:`generator.events`): the
key derives from the update's time, so it survives new updates and renamed
titles, exactly like feed entry ids.

Rendering is pure. Delivery (:func:`deliver`) sends each update to each
configured target at most once: a JSON state file records, per target, what
was delivered, and is rewritten atomically after every successful delivery,
so a failed target is retried on the next run without repeating the others.
"""

from __future__ import annotations

import html
import json
import re
import smtplib
import ssl
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..authoring.edit import write_atomic
from ..core.config import EMAIL_TARGET
from ..core.errors import StatusPageError, display_path
from ..core.events import Event, incident_events, text_body, window_text
from ..core.html import plain_text, render_inline, render_markdown, sanitize
from ..core.loader import load_incidents, parse_text
from ..core.model import (
    CLOSED_STATUSES,
    Impact,
    Incident,
    SiteConfig,
    SmtpTarget,
    UpdateStatus,
    WebhookFormat,
    WebhookTarget,
)
from ..core.status import IncidentView, closed_at, compute_status, effective_status, next_update_due
from ..core.times import format_time
from ..core.urls import absolute, incident_path

#: The most a social post may weigh, counted as X (Twitter) counts.
POST_LIMIT = 280
#: What X counts for any link, whatever its length.
POST_URL_WEIGHT = 23
ELLIPSIS = "…"
DISCORD_CONTENT_LIMIT = 2000
JSON_SCHEMA_ID = "statuspage-announcement/1"
STATE_VERSION = 1
TIMEOUT = 30.0
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
#: Headings of a postmortem's parts; a post reads on without them.
_HEADING = re.compile(r"^ {0,3}#{1,6}\s.*$", re.MULTILINE)


class AnnounceError(StatusPageError):
    """A problem that stops ``announce`` as a whole (bad ref, unknown id, bad state)."""


class TargetError(StatusPageError):
    """A problem with one target only: the others are still served."""


# --- which updates --------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    """One update of one incident, ready to be rendered for every channel."""

    config: SiteConfig
    view: IncidentView
    event: Event
    now: datetime

    @property
    def incident(self) -> Incident:
        return self.view.incident

    @property
    def id(self) -> str:
        """``<incident id>/<event key>``: what the state file records."""
        return f"{self.incident.id}/{self.event.key}"

    @property
    def page_url(self) -> str:
        return absolute(self.config, incident_path(self.incident.id))

    @property
    def url(self) -> str:
        """The incident page, at this update's fragment when the page has one."""
        return f"{self.page_url}#{self.event.anchor}" if self.event.anchor else self.page_url

    @cached_property
    def title(self) -> str:
        return plain_text(self.incident.title) or self.incident.title

    @property
    def status_label(self) -> str:
        return self.event.status.label

    @property
    def closes(self) -> bool:
        return self.event.status in CLOSED_STATUSES

    @cached_property
    def next_update(self) -> datetime | None:
        """The promised next word, on the newest update of an open incident only."""
        latest = self.incident.latest_update
        if latest is None or (latest.at, latest.status) != (self.event.at, self.event.status):
            return None
        due = next_update_due(self.view, self.config)
        return due if due is not None and due > self.now else None

    @cached_property
    def message(self) -> str:
        """The update's text as plain paragraphs."""
        return text_body(self.event.body)


def select(
    config: SiteConfig,
    root: Path,
    now: datetime,
    ids: Sequence[str] = (),
    since: str | None = None,
) -> list[Announcement]:
    """The updates to announce, oldest first.

    With ``ids``: the newest update of each; with ``since`` (a git revision):
    every update the incident files have now but did not have then; with
    neither: the newest update of each active incident and maintenance.
    """
    if ids and since:
        raise AnnounceError("give incident IDs or --since, not both")
    loaded = load_incidents(config, root, now)
    loaded.raise_for_errors()
    status = compute_status(config, loaded.incidents, now)
    found: list[tuple[IncidentView, Event]] = []
    if ids:
        wanted = dict.fromkeys(ids)
        found = [_newest(_view(status.views, incident_id), config, now) for incident_id in wanted]
    elif since is not None:
        before = keys_at(config, root, since, [v.incident for v in status.views], now)
        for view in status.views:
            old = before.get(view.incident.id, set())
            found += [(view, e) for e in announceable(view, config, now) if e.key not in old]
    else:
        found = [_newest(view, config, now) for view in status.views if view.active]
    found.sort(key=lambda pair: (pair[1].at, pair[0].incident.id, pair[1].key))
    return [Announcement(config, view, event, now) for view, event in found]


def announceable(view: IncidentView, config: SiteConfig, now: datetime) -> list[Event]:
    """Events written in the file (updates, postmortem) and a new maintenance's notice.

    Window starts and ends that only the clock implies are left out: they are
    not a change anyone committed, and the feeds and calendar carry them.
    """
    events = incident_events(view, config.timezone, now)
    return [e for e in events if not e.derived or e.status is UpdateStatus.SCHEDULED]


def _view(views: Sequence[IncidentView], incident_id: str) -> IncidentView:
    for view in views:
        if view.incident.id == incident_id:
            return view
    raise AnnounceError(
        f"no incident '{incident_id}': give the file name without .md, e.g. 2026-11-20-api-errors"
    )


def _newest(view: IncidentView, config: SiteConfig, now: datetime) -> tuple[IncidentView, Event]:
    events = announceable(view, config, now)
    if not events:
        raise AnnounceError(f"{view.incident.id}: has no update to announce")
    return view, events[-1]


# --- the incident files at a git revision ---------------------------------------------


def keys_at(
    config: SiteConfig, root: Path, ref: str, incidents: Sequence[Incident], now: datetime
) -> dict[str, set[str]]:
    """For each incident id, the keys of the announceable events its file had at ``ref``.

    Files whose content is unchanged are not parsed again; the changed ones are
    read in one ``git cat-file --batch`` rather than one ``git show`` each. A
    file that did not exist (or did not load) at ``ref`` has no keys.
    """
    _git(
        root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], f"'{ref}' is not a commit"
    )
    tree = _tree(root, ref, config.incidents_dir)
    present = [i for i in incidents if i.id in tree]
    blobs_now = _hash_files(root, [i.path for i in present])
    keys: dict[str, set[str]] = {}
    changed: list[tuple[str, str]] = []
    for incident, blob in zip(present, blobs_now, strict=True):
        path, old_blob = tree[incident.id]
        if blob == old_blob:
            keys[incident.id] = {e.key for e in _events_of(incident, config, now)}
        else:
            changed.append((path, old_blob))
    texts = _read_blobs(root, [blob for _, blob in changed])
    for (path, _), text in zip(changed, texts, strict=True):
        old, _problems = parse_text(root / path, text, config)
        if old is not None:
            keys[old.id] = {e.key for e in _events_of(old, config, now)}
    return keys


def _events_of(incident: Incident, config: SiteConfig, now: datetime) -> list[Event]:
    view = IncidentView(incident, effective_status(incident, now), closed_at(incident, now))
    return announceable(view, config, now)


def _git(root: Path, args: list[str], what: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise AnnounceError("git is not installed; --since needs it") from None
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip()
        raise AnnounceError(f"--since: {what}" + (f" ({detail})" if detail else ""))
    return done.stdout


def _tree(root: Path, ref: str, directory: Path) -> dict[str, tuple[str, str]]:
    """``{incident id: (path, blob)}`` of the Markdown files under ``directory`` at ``ref``."""
    out = _git(root, ["ls-tree", "-r", "-z", ref, "--", directory.as_posix()], "git ls-tree failed")
    tree = {}
    for record in out.decode().split("\0"):
        meta, _, path = record.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith(".md"):
            tree[Path(path).stem] = (path, parts[2])
    return tree


def _hash_files(root: Path, paths: Sequence[Path]) -> list[str]:
    if not paths:
        return []
    names = "".join(f"{p}\n" for p in paths).encode()
    out = _git(root, ["hash-object", "--stdin-paths"], "git hash-object failed", names)
    return out.decode().split()


def _read_blobs(root: Path, blobs: Sequence[str]) -> list[str]:
    if not blobs:
        return []
    out = _git(
        root,
        ["cat-file", "--batch"],
        "git cat-file failed",
        "".join(f"{b}\n" for b in blobs).encode(),
    )
    texts, position = [], 0
    for _ in blobs:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        start = header_end + 1
        texts.append(out[start : start + size].decode("utf-8", errors="replace"))
        position = start + size + 1
    return texts


# --- e-mail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyPoint:
    label: str
    value: str
    markdown: bool = False  # scope and workaround are one-paragraph Markdown


def key_points(a: Announcement) -> list[KeyPoint]:
    """What a reader needs first: status, components, scope, workaround, next update."""
    tz = a.config.timezone
    points = [KeyPoint("Status", f"{a.status_label} ({format_time(a.event.at, tz)})")]
    incident = a.incident
    if incident.is_maintenance:
        points.append(KeyPoint("Window", window_text(incident, tz)))
    components = _components_text(a)
    if components:
        points.append(KeyPoint("Affected components", components))
    if a.event.status is not UpdateStatus.POSTMORTEM:
        if incident.scope:
            points.append(KeyPoint("Who is affected", incident.scope, markdown=True))
        if incident.workaround and not a.closes:
            points.append(KeyPoint("Workaround", incident.workaround, markdown=True))
    if a.next_update is not None:
        points.append(KeyPoint("Next update", f"by {format_time(a.next_update, tz)}"))
    return points


def _components_text(a: Announcement) -> str:
    """``REST API (partial outage), Webhooks (degraded performance)``; names only once over."""
    over = a.closes or a.event.status is UpdateStatus.POSTMORTEM
    parts = []
    for component, status in a.incident.components.items():
        name = component.name
        parts.append(name if over else f"{name} ({status.label.lower()})")
    return ", ".join(parts)


def subject(a: Announcement) -> str:
    """``[Status] Elevated error rates on the API: Identified``."""
    return f"[Status] {a.title}: {a.status_label}"


def email_text(a: Announcement) -> str:
    """The plain-text body: key points, the message, the link."""
    lines = [f"{p.label}: {plain_text(p.value) if p.markdown else p.value}" for p in key_points(a)]
    parts = ["\n".join(lines), a.message, f"Full timeline: {a.url}", _signature(a)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _signature(a: Announcement) -> str:
    return f"-- \n{a.config.name} · {a.config.url}"


def email_html(a: Announcement) -> str:
    """The HTML body: the same parts, rendered and sanitised."""
    items = "".join(
        f"<li><strong>{html.escape(p.label)}:</strong> "
        f"{render_inline(p.value) if p.markdown else html.escape(p.value)}</li>\n"
        for p in key_points(a)
    )
    link = html.escape(a.url, quote=True)
    home = html.escape(a.config.url, quote=True)
    fragment = sanitize(
        f"<h3>{html.escape(a.title)}: {html.escape(a.status_label)}</h3>\n"
        f"<ul>\n{items}</ul>\n{render_markdown(a.event.body)}\n"
        f'<p><a href="{link}">Full timeline on the status page</a></p>\n'
        f'<p><small><a href="{home}">{html.escape(a.config.name)}</a></small></p>'
    )
    title = html.escape(subject(a))
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n{fragment}\n</body></html>\n"
    )


def email_message(a: Announcement, sender: str, sent_at: datetime) -> EmailMessage:
    """A multipart/alternative message addressed to the sender.

    Subscribers are envelope recipients only (blind copies), so none sees
    another's address. The Message-ID derives from the update id, so a mail
    client recognises a repeat.
    """
    message = EmailMessage()
    message["Subject"] = subject(a)
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


def social_post(a: Announcement) -> str:
    """``Title: Status`` and the message, then the link: at most 280 as X counts.

    The message (then, if need be, the title) is shortened at a word with an
    ellipsis; the link is never cut.
    """
    url = a.page_url
    head = f"{a.title}: {a.status_label}"
    room = POST_LIMIT - post_weight(url, [url]) - 4  # two blank lines
    message = " ".join(text_body(_HEADING.sub("", a.event.body)).split())
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


# --- webhooks -------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def json_payload(a: Announcement) -> dict[str, Any]:
    """The generic webhook body; its schema is documented in the README."""
    incident = a.incident
    components = []
    for component, status in incident.components.items():
        components.append({"id": component.id, "name": component.name, "status": status.value})
    return {
        "schema": JSON_SCHEMA_ID,
        "id": a.id,
        "incident_id": incident.id,
        "kind": incident.kind.value,
        "title": a.title,
        "status": a.event.status.value,
        "impact": incident.impact.value,
        "components": components,
        "scope": plain_text(incident.scope),
        "workaround": plain_text(incident.workaround),
        "next_update": _iso(a.next_update) if a.next_update else None,
        "message": a.message,
        "message_html": render_markdown(a.event.body),
        "url": a.url,
        "time": _iso(a.event.at),
        "site": {"name": a.config.name, "url": a.config.url},
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(a: Announcement) -> dict[str, Any]:
    """Slack incoming webhook: a fallback ``text`` and Block Kit ``mrkdwn`` blocks."""
    points = "\n".join(
        f"*{p.label}:* {_slack_escape(plain_text(p.value) if p.markdown else p.value)}"
        for p in key_points(a)
    )
    link = f"<{a.url}|Full timeline on {_slack_escape(a.config.name)}>"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(_headline(a), 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(points, 3000)}},
    ]
    if a.message:
        message = _cut(_slack_escape(a.message), 3000)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": message}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    return {"text": f"{_slack_escape(_headline(a))} {a.url}", "blocks": blocks}


def discord_payload(a: Announcement) -> dict[str, Any]:
    """Discord webhook: a short ``content`` line and one embed; no one is pinged."""
    fields = [
        {"name": p.label, "value": _cut(plain_text(p.value) if p.markdown else p.value, 1024)}
        for p in key_points(a)
    ]
    title = _cut(_headline(a), 256)
    footer = _cut(a.config.name, 2048)
    used = len(title) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    embed = {
        "title": title,
        "url": a.url,
        "description": _cut(a.message, max(0, min(4096, 6000 - used))),
        "color": _CLOSED_COLOUR if a.closes else _COLOURS[a.incident.impact],
        "fields": fields,
        "timestamp": _iso(a.event.at),
        "footer": {"text": footer},
    }
    return {
        "content": _cut(f"**{a.title}**: {a.status_label}", DISCORD_CONTENT_LIMIT),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }


def _headline(a: Announcement) -> str:
    return f"{a.title}: {a.status_label}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + ELLIPSIS


PAYLOADS = {
    WebhookFormat.SLACK: slack_payload,
    WebhookFormat.DISCORD: discord_payload,
    WebhookFormat.JSON: json_payload,
}


# --- what was delivered ---------------------------------------------------------------


class StateError(AnnounceError):
    pass


@dataclass
class State:
    """Per target, the ids delivered and when: ``{"delivered": {target: {id: time}}}``."""

    path: Path
    delivered: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            raise StateError(f"{display_path(path)}: cannot read the state file: {exc}") from None
        delivered = data.get("delivered") if isinstance(data, dict) else None
        if not isinstance(delivered, dict) or not all(
            isinstance(v, dict) for v in delivered.values()
        ):
            raise StateError(
                f"{display_path(path)}: delivered: expected {{target: {{update id: time}}}}"
            )
        return cls(path, {str(k): dict(v) for k, v in delivered.items()})

    def sent(self, target: str, announcement_id: str) -> bool:
        return announcement_id in self.delivered.get(target, {})

    def record(self, target: str, announcement_id: str, at: datetime) -> None:
        """Remember one delivery and write the whole file atomically at once."""
        self.delivered.setdefault(target, {})[announcement_id] = _iso(at)
        document = {"version": STATE_VERSION, "delivered": self.delivered}
        try:
            write_atomic(self.path, json.dumps(document, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            raise StateError(
                f"{display_path(self.path)}: cannot write the state file: {exc}"
            ) from None


# --- delivery -------------------------------------------------------------------------


@dataclass
class Report:
    """What :func:`deliver` did: lines to show and the failures to report."""

    sent: list[str] = field(default_factory=list)
    already: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def target_names(config: SiteConfig) -> list[str]:
    names = [EMAIL_TARGET] if config.announce.smtp is not None else []
    return names + [w.name for w in config.announce.webhooks]


def state_path(config: SiteConfig, root: Path) -> Path:
    return root / config.announce.state_file


def deliver(
    announcements: Sequence[Announcement],
    config: SiteConfig,
    root: Path,
    env: Mapping[str, str],
    now: datetime,
) -> Report:
    """Send each announcement to each configured target that has not had it yet.

    Targets are independent: one that fails (missing secret, server error) is
    reported and retried next run; the state records every success at once.
    Within a target, updates go out oldest first and the first failure stops
    that target, so a chat never shows an update before the one it follows.
    """
    if not target_names(config):
        raise AnnounceError(
            "no targets: add announce: smtp or announce: webhooks to the statuspage plugin "
            "in mkdocs.yml"
        )
    state = State.load(state_path(config, root))
    report = Report()
    smtp = config.announce.smtp
    if smtp is not None:
        _serve(EmailSender(smtp, root, env, now), announcements, state, now, report)
    for webhook in config.announce.webhooks:
        _serve(WebhookSender(webhook, env), announcements, state, now, report)
    return report


def _serve(
    sender: EmailSender | WebhookSender,
    announcements: Sequence[Announcement],
    state: State,
    now: datetime,
    report: Report,
) -> None:
    name = sender.name
    pending = [a for a in announcements if not state.sent(name, a.id)]
    report.already += len(announcements) - len(pending)
    if not pending:
        return
    current = pending[0]
    try:
        with sender.session(report) as send:
            for current in pending:
                detail = send(current)
                state.record(name, current.id, now)
                report.sent.append(f"{name}: sent {current.id}{detail}")
    except (TargetError, OSError, smtplib.SMTPException) as exc:
        left = len(pending) - pending.index(current)
        report.failures.append(
            f"{name}: {current.id}: {_reason(exc)}; {left} update(s) not sent, "
            "retried on the next run"
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot connect: {exc.reason}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _secret(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "")
    if not value:
        raise TargetError(f"environment variable {name} ({what}) is not set")
    return value


class EmailSender:
    """One SMTP connection per run; one message per update, subscribers in blind copy."""

    name = EMAIL_TARGET

    def __init__(
        self, target: SmtpTarget, root: Path, env: Mapping[str, str], now: datetime
    ) -> None:
        self.target, self.root, self.env, self.now = target, root, env, now

    @contextmanager
    def session(self, report: Report) -> Iterator[Any]:
        target = self.target
        recipients = read_subscribers(self.root / target.subscribers)
        credentials = self._credentials()
        envelope_from = parseaddr(target.sender)[1] or target.sender
        with _connect(target) as smtp:
            if credentials is not None:
                smtp.login(*credentials)

            def send(a: Announcement) -> str:
                message = email_message(a, target.sender, self.now)
                refused = smtp.send_message(message, envelope_from, recipients)
                for address, (code, reason) in sorted(refused.items()):
                    report.warnings.append(
                        f"{self.name}: {a.id}: {address} refused: {code} {_text(reason)}"
                    )
                return f" to {len(recipients) - len(refused)} subscriber(s)"

            yield send

    def _credentials(self) -> tuple[str, str] | None:
        target = self.target
        if not target.username_env and not target.password_env:
            return None
        user = (
            _secret(self.env, target.username_env, "SMTP user name") if target.username_env else ""
        )
        password = _secret(self.env, target.password_env, "SMTP password")
        return user, password


@contextmanager
def _connect(target: SmtpTarget) -> Iterator[smtplib.SMTP]:
    """Port 465 speaks TLS from the start; elsewhere STARTTLS when configured."""
    if target.port == 465:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=TIMEOUT)
    with smtp:
        if target.starttls and target.port != 465:
            smtp.starttls(context=ssl.create_default_context())
        yield smtp


def read_subscribers(path: Path) -> list[str]:
    """Addresses, one a line (``Name <address>`` too); blank lines and ``#`` comments skipped."""
    shown = display_path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TargetError(f"{shown}: cannot read the subscribers file: {exc.strerror}") from None
    addresses = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        address = parseaddr(text)[1]
        named = text.endswith(f"<{address}>")  # Ana Lima <ana@example.org>
        if "@" not in address or " " in address or (text != address and not named):
            raise TargetError(f"{shown}:{number}: '{text}' is not an e-mail address")
        addresses.append(address)
    if not addresses:
        raise TargetError(f"{shown}: no subscribers")
    return list(dict.fromkeys(addresses))


class WebhookSender:
    """POSTs the target's JSON format to the URL held in an environment variable."""

    def __init__(self, target: WebhookTarget, env: Mapping[str, str]) -> None:
        self.target, self.env = target, env
        self.name = target.name

    @contextmanager
    def session(self, report: Report) -> Iterator[Any]:
        url = _secret(self.env, self.target.url_env, "webhook URL")
        if urlsplit(url).scheme not in ("http", "https"):
            raise TargetError(f"{self.target.url_env} must hold an http(s) URL")
        build = PAYLOADS[self.target.format]

        def send(a: Announcement) -> str:
            post_json(url, build(a))
            return ""

        yield send


def post_json(url: str, payload: Mapping[str, Any]) -> None:
    """POST ``payload`` as JSON; an HTTP error status raises ``HTTPError``."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"statuspage-announce/{__version__}",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        response.read()


# --- dry run --------------------------------------------------------------------------


def preview(a: Announcement, state: State | None, targets: Sequence[str]) -> dict[str, Any]:
    """Everything ``announce`` would send for ``a``, and to which targets."""
    return {
        "id": a.id,
        "targets": {
            t: "sent" if state is not None and state.sent(t, a.id) else "pending" for t in targets
        },
        "email": {"subject": subject(a), "text": email_text(a), "html": email_html(a)},
        "post": social_post(a),
        "webhook": json_payload(a),
    }


def preview_text(a: Announcement, state: State | None, targets: Sequence[str]) -> str:
    """The e-mail and the post as a person reads them."""
    lines = [f"=== {a.id} ==="]
    if targets:
        marks = [
            f"{t} ({'already sent' if state is not None and state.sent(t, a.id) else 'pending'})"
            for t in targets
        ]
        lines.append("Targets: " + ", ".join(marks))
    post = social_post(a)
    lines += [
        f"Subject: {subject(a)}",
        "",
        email_text(a).rstrip("\n"),
        "",
        f"--- Post ({post_weight(post, [a.page_url])}/{POST_LIMIT}) ---",
        post,
        "",
    ]
    return "\n".join(lines)
