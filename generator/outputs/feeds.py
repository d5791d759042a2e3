"""Site and per-component feeds: RSS 2.0, Atom 1.0 (feedgen) and JSON Feed 1.1.

One entry per public event (each update, the postmortem, and what a
maintenance window implies; see :mod:`generator.events`), newest first. Entry
ids are ``tag:`` URIs made of the site's host and path, the incident id and the
event's key, so they survive new updates and renamed titles. A feed holds the
newest ``config.feed_size`` incidents' worth of entries, ranked by their newest
entry; its ``updated`` time is that of its newest entry, never the build time.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .. import __version__
from ..core.events import Event, every_incident_events
from ..core.facts import MESSAGE_FACTS, POSTMORTEM_FACTS, Fact, incident_facts
from ..core.html import render_markdown, sanitize
from ..core.i18n import _, spoken
from ..core.memo import Part, each_incident
from ..core.model import CLOSED_STATUSES, UpdateStatus
from ..core.settings import Component, SiteConfig
from ..core.status import IncidentView, SiteStatus
from ..core.times import EPOCH
from ..core.urls import absolute, component_path, incident_path

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
SITE_FEEDS = (
    ("application/rss+xml", "RSS", "feed.rss"),
    ("application/atom+xml", "Atom", "feed.atom"),
    ("application/feed+json", "JSON Feed", "feed.json"),
)
COMPONENT_FEEDS = SITE_FEEDS
_ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry; the HTML is rendered only for entries that are published."""

    config: SiteConfig
    view: IncidentView
    event: Event

    @property
    def id(self) -> str:
        return entry_id(self.config, self.event)

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def components(self) -> tuple[Component, ...]:
        return tuple(self.event.incident.components)

    @cached_property
    def title(self) -> str:
        event = self.event
        return _("{status}: {title}").format(status=event.status.label, title=event.incident.title)

    @cached_property
    def link(self) -> str:
        page = absolute(self.config, incident_path(self.event.incident.id))
        return f"{page}#{self.event.anchor}" if self.event.anchor else page

    @cached_property
    def html(self) -> str:
        return entry_html(self.config, self.view, self.event)

    @property
    def tags(self) -> list[tuple[str, str]]:
        """``(component id, component name)`` of every affected component."""
        return [(c.id, c.name) for c in self.components]


@dataclass(frozen=True)
class FeedMeta:
    title: str
    description: str
    home: str  # absolute URL of the page the feed is about
    base: str  # absolute URL of the folder holding feed.rss, feed.atom, feed.json
    language: str  # BCP 47, from theme.language
    hub: str | None  # the WebSub hub, if one is configured


def entry_id(config: SiteConfig, event: Event) -> str:
    """``tag:host,2026-11-20:/path/incidents/<id>/<key>``: permanent, never the title."""
    parts = urlsplit(config.url)
    day = event.at.astimezone(UTC).date().isoformat()
    path = quote(parts.path or "/")
    host = parts.hostname or "localhost"
    return f"tag:{host},{day}:{path}incidents/{event.incident.id}/{event.key}"


def entry_html(config: SiteConfig, view: IncidentView, event: Event) -> str:
    """Sanitised HTML: the update, then the facts as they stood at that update."""
    postmortem = event.status is UpdateStatus.POSTMORTEM
    closed = postmortem or event.status in CLOSED_STATUSES
    kinds = POSTMORTEM_FACTS if postmortem else MESSAGE_FACTS
    facts = incident_facts(view, config.timezone, closed=closed)
    parts = [render_markdown(event.body)]
    parts += [_paragraph(fact) for fact in facts if fact.kind in kinds]
    return sanitize("\n".join(p for p in parts if p))


def _paragraph(fact: Fact) -> str:
    said = _("{label}:").format(label=html.escape(fact.label))
    return f"<p><strong>{said}</strong> {html.escape(fact.text)}</p>"


def collect_entries(config: SiteConfig, status: SiteStatus) -> list[list[FeedEntry]]:
    """Every incident's entries (oldest first), in one pass over the incidents."""
    every = every_incident_events(status.views, config, status.now)
    events = {view.incident.id: found for view, found in zip(status.views, every, strict=True)}

    def entries(view: IncidentView) -> list[FeedEntry]:
        return [FeedEntry(config, view, event) for event in events[view.incident.id]]

    part = Part("feed entries", entries, heavy=False)  # kept: their HTML is made once
    return [found for found in each_incident(part, status.views, config, status.now) if found]


def newest(batches: Iterable[list[FeedEntry]], size: int) -> list[FeedEntry]:
    """The entries of the ``size`` incidents with the newest entries, newest first."""
    ranked = sorted(batches, key=lambda b: (b[-1].at, b[-1].event.incident.id), reverse=True)
    entries = [entry for batch in ranked[:size] for entry in batch]
    return sorted(entries, key=lambda e: (e.at, e.id), reverse=True)


def by_component(batches: Iterable[list[FeedEntry]]) -> dict[str, list[list[FeedEntry]]]:
    """The incidents' entries grouped by affected component, in one pass."""
    grouped: dict[str, list[list[FeedEntry]]] = defaultdict(list)
    for batch in batches:
        for component in batch[0].event.incident.components:
            grouped[component.id].append(batch)
    return grouped


def _generator(meta: FeedMeta, entries: list[FeedEntry], self_href: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(self_href)
    fg.title(meta.title)
    fg.description(meta.description)
    fg.author(name=meta.title)
    fg.generator("gitstatus-generator", version=__version__)
    fg.language(meta.language)  # RSS <language>, Atom xml:lang
    fg.link(href=self_href, rel="self")
    if meta.hub:
        fg.link(href=meta.hub, rel="hub")
    fg.link(href=meta.home, rel="alternate")  # RSS's channel link is the last link()
    fg.updated(entries[0].at if entries else EPOCH)
    for entry in entries:
        _add(fg, entry)
    return fg


def _add(fg: FeedGenerator, entry: FeedEntry) -> None:
    fe = fg.add_entry(order="append")
    fe.id(entry.id)  # also the RSS guid (isPermaLink="false"); set once
    fe.title(entry.title)
    fe.link(href=entry.link, rel="alternate")
    fe.content(entry.html, type="html")
    fe.published(entry.at)
    fe.updated(entry.at)
    for term, label in entry.tags:
        fe.category(term=term, label=label)


def rss(meta: FeedMeta, entries: list[FeedEntry]) -> bytes:
    """RSS 2.0 of ``entries`` (already sorted, newest first)."""
    fg = _generator(meta, entries, meta.base + "feed.rss")
    if meta.hub:
        fg.register_extension("websub", _RssHub, atom=False)
        fg.websub.url = meta.hub
    data: bytes = fg.rss_str(pretty=True)
    return data


class _RssHub(BaseExtension):  # type: ignore[misc]  # feedgen is untyped
    """The WebSub hub in RSS, right after the self link: feedgen writes only that one."""

    url = ""

    def extend_ns(self) -> dict[str, str]:
        return {"atom": _ATOM}

    def extend_rss(self, feed: Any) -> Any:
        self_link = feed[0].find(f"{{{_ATOM}}}link")
        self_link.addnext(etree.Element(f"{{{_ATOM}}}link", href=self.url, rel="hub"))
        return feed


def atom(meta: FeedMeta, entries: list[FeedEntry]) -> bytes:
    """Atom 1.0 of ``entries`` (already sorted, newest first)."""
    fg = _generator(meta, entries, meta.base + "feed.atom")
    data: bytes = fg.atom_str(pretty=True)
    return data


def json_feed(meta: FeedMeta, entries: list[FeedEntry]) -> bytes:
    """JSON Feed 1.1 of ``entries`` (already sorted, newest first)."""
    feed: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.home,
        "feed_url": meta.base + "feed.json",
        "description": meta.description,
        "authors": [{"name": meta.title, "url": meta.home}],
        "language": meta.language,
    }
    if meta.hub:
        feed["hubs"] = [{"type": "WebSub", "url": meta.hub}]
    feed["items"] = [_json_item(entry) for entry in entries]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(entry: FeedEntry) -> dict[str, object]:
    moment = entry.at.astimezone(UTC).isoformat()
    item: dict[str, object] = {
        "id": entry.id,
        "url": entry.link,
        "title": entry.title,
        "content_html": entry.html,
        "date_published": moment,
        "date_modified": moment,
    }
    if entry.tags:
        item["tags"] = [name for _, name in entry.tags]
    return item


def site_meta(config: SiteConfig) -> FeedMeta:
    description = config.description or _("Incidents and maintenance of {site}").format(
        site=config.name
    )
    return FeedMeta(
        config.name, description, config.url, config.url, config.language, config.websub_hub
    )


def component_meta(config: SiteConfig, component_id: str) -> FeedMeta:
    component = config.component(component_id)
    assert component is not None, component_id
    home = absolute(config, component_path(component_id))
    description = _("Incidents and maintenance affecting {component}").format(
        component=component.name
    )
    title = _("{site}: {component}").format(site=config.name, component=component.name)
    return FeedMeta(title, description, home, home, config.language, config.websub_hub)


def feed_files(config: SiteConfig, status: SiteStatus) -> dict[str, bytes]:
    """Every feed, keyed by its site-relative path."""
    batches = collect_entries(config, status)
    files = _feeds(config, "", site_meta(config), newest(batches, config.feed_size))
    grouped = by_component(batches)
    for component in config.components:
        entries = newest(grouped.get(component.id, []), config.feed_size)
        meta = component_meta(config, component.id)
        files.update(_feeds(config, component_path(component.id), meta, entries))
    return files


#: The feeds last made, by folder: a preview remakes only those whose entries changed.
_made: dict[str, tuple[object, dict[str, bytes]]] = {}


def _feeds(
    config: SiteConfig, folder: str, meta: FeedMeta, entries: list[FeedEntry]
) -> dict[str, bytes]:
    """RSS, Atom and JSON Feed of ``entries`` in ``folder``; the same bytes as
    last time when the site, the language and every entry are as they were."""
    key = (config, spoken(), meta, [(entry.view, entry.event) for entry in entries])
    kept = _made.get(folder)
    if kept is not None and _same(kept[0], key):
        return kept[1]
    files = {
        folder + "feed.rss": rss(meta, entries),
        folder + "feed.atom": atom(meta, entries),
        folder + "feed.json": json_feed(meta, entries),
    }
    _made[folder] = (key, files)
    return files


def _same(kept: object, key: tuple[object, ...]) -> bool:
    assert isinstance(kept, tuple)
    return kept[0] is key[0] and kept[1:] == key[1:]


def feed_paths(config: SiteConfig) -> list[str]:
    """Every feed's site path: the topics a WebSub hub is told about."""
    paths = [href for _, _, href in SITE_FEEDS]
    for component in config.components:
        paths += [component_path(component.id) + href for _, _, href in COMPONENT_FEEDS]
    return paths
