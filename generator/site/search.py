"""Search index entries for incident pages, made from the incidents themselves.

Material's search indexes a page by parsing its finished HTML, which for an
incident page costs more than building the page. The generator already knows
every incident's text, so the plugin keeps incident pages out of that parser
and adds these entries to the theme's index instead: one per incident (its
facts, scope and workaround), one per update and one for the postmortem,
each linking to its anchor. Parts that every incident page repeats (how to
reach us) stay out of the index, so a search for "e-mail" finds the contact
page, not every incident.

An entry's ``title`` and ``text`` are HTML, as the theme's own entries are:
text escaped, and only the tags the theme keeps in its index.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache, partial

import nh3

from ..core.events import text_body
from ..core.facts import incident_facts, pills
from ..core.html import CACHED, render_markdown
from ..core.i18n import _ as gettext
from ..core.memo import KeptJson, Part, each_incident
from ..core.model import Update, UpdateStatus
from ..core.settings import SiteConfig
from ..core.status import IncidentView
from ..core.times import display_time
from ..core.urls import incident_path

#: The tags Material's search keeps in an entry's text (``search/plugin.py``).
KEPT_TAGS = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})

SearchEntry = dict[str, str]


def incident_entries(
    config: SiteConfig,
    views: Iterable[IncidentView],
    now: datetime,
    link: Callable[[str], str],
) -> list[list[SearchEntry]]:
    """The entries of each incident's page; ``link`` makes a site path into a page URL."""
    return each_incident(entries_part(config, link), list(views), config, now)


def entries_part(config: SiteConfig, link: Callable[[str], str]) -> Part[list[SearchEntry]]:
    """An incident's entries in the theme's index (the URL ``link`` gives the home
    page tells one way of linking from another: kept apart)."""

    def entries(view: IncidentView) -> list[SearchEntry]:
        return list(_entries(config, view, link(incident_path(view.incident.id))))

    return Part(f"search entries {link('')}", entries)


def _entries(config: SiteConfig, view: IncidentView, location: str) -> Iterator[SearchEntry]:
    incident = view.incident
    yield page_entry(location, incident.title, _facts(config, view))
    if incident.postmortem is not None:
        yield _update_entry(
            config, incident.postmortem, f"{location}#postmortem", UpdateStatus.POSTMORTEM.label
        )
    for update, anchor in incident.anchored_updates():
        yield _update_entry(config, update, f"{location}#{anchor}", update.status.label)


def _update_entry(config: SiteConfig, update: Update, location: str, label: str) -> SearchEntry:
    return {
        "location": location,
        "title": _escape(f"{label} · {display_time(update.at, config.timezone)}"),
        "text": searchable(update.body),
    }


def _facts(config: SiteConfig, view: IncidentView) -> str:
    """What the top of the incident page says, as short paragraphs."""
    incident = view.incident
    labels = [label for _, label in pills(view)]
    facts = [_escape(" · ".join(labels))]
    for fact in incident_facts(view, config.timezone):
        facts.append(_escape(gettext("{label}: {text}").format(label=fact.label, text=fact.text)))
    text = "".join(f"<p>{fact}</p>" for fact in facts)
    return text + searchable(incident.summary)


def searchable(markdown: str) -> str:
    """Incident Markdown as index text: sanitised HTML reduced to the kept tags."""
    return _kept(render_markdown(markdown)) if markdown.strip() else ""


@lru_cache(maxsize=CACHED)  # pure; a page or a save asks again
def _kept(fragment: str) -> str:
    text: str = _keeper().clean(fragment)
    return " ".join(text.split()) if "<pre" not in text else text.strip()


@lru_cache(maxsize=1)  # built once: building costs as much as cleaning
def _keeper() -> nh3.Cleaner:
    return nh3.Cleaner(tags=set(KEPT_TAGS), attributes={}, link_rel=None)


def page_entry(location: str, title: str, text: str) -> SearchEntry:
    """An entry for a whole page; ``text`` is index text already (see :func:`paragraphs`)."""
    return {"location": location, "title": _escape(title), "text": text}


def paragraphs(*texts: str) -> str:
    """Plain texts as index text: one escaped paragraph each, empty ones left out."""
    return "".join(f"<p>{_escape(text)}</p>" for text in texts if text)


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def incident_index(config: SiteConfig, views: Iterable[IncidentView], now: datetime) -> bytes:
    """The History page's own search index: one row per incident, plain text.

    ``[site path, title, when it began and its status, text]``; the text holds
    scope, summary, every update and the postmortem, without markup, so the
    page's script can search it and show results as text.
    """
    shown = [view for view in views if not view.upcoming]
    rows = each_incident(history_row_part(config), shown, config, now)
    # As json.dumps writes the whole, row by row: a kept row keeps its text too.
    joined = ",".join(_ROWS.texts(rows))
    return f'{{"incidents":[{joined}]}}'.encode()


_ROWS = KeptJson(ensure_ascii=False)


def history_row_part(config: SiteConfig) -> Part[list[str]]:
    """An incident's row in the History page's index (:func:`incident_index`)."""
    return Part("history row", partial(_index_row, config))


def _index_row(config: SiteConfig, view: IncidentView) -> list[str]:
    incident = view.incident
    parts = [incident.scope, incident.workaround, text_body(incident.summary)]
    parts += [text_body(update.body) for update in reversed(incident.updates)]
    if incident.postmortem is not None:
        parts.append(text_body(incident.postmortem.body))
    when = display_time(incident.began_at, config.timezone)
    return [
        incident_path(incident.id),
        incident.title,
        f"{when} · {view.status.label}",
        " ".join(" ".join(parts).split()),
    ]


def fragment_text(fragment: str) -> str:
    """A rendered page fragment as index text (the theme's kept tags only)."""
    return _kept(fragment)
