"""The public timeline of one incident or maintenance, for feeds, calendar and API.

Every update written in the file is an event; so is the postmortem. A
maintenance window also speaks for itself: when it has started or ended by the
clock (at ``now``) without an update saying so, an event is derived from the
window time, and a maintenance file with no update at all is announced by the
file itself. Each event has a ``key`` that is unique within its incident and
never changes when updates are added or the title is renamed: it derives from
the kind of event and its time only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

from .html import CACHED, render_markdown, strip_tags
from .i18n import SOURCE, _, spoken
from .memo import Part, each_incident
from .model import Incident, Update, UpdateStatus
from .settings import SiteConfig
from .status import IncidentView

_UTC = ZoneInfo("UTC")
_PARAGRAPH_END = re.compile(r"</(?:p|h[1-6]|pre|blockquote|div|details|table|ul|ol|dl)>")
_LINE_END = re.compile(r"</(?:li|tr|dt|dd|summary)>|<br\s*/?>")
_LIST_ITEM = re.compile(r"<li(?:\s[^>]*)?>")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Event:
    """One public word about an incident, as feeds and the API show it."""

    incident: Incident
    status: UpdateStatus  # POSTMORTEM for the postmortem
    at: datetime
    body: str  # Markdown
    key: str  # unique within the incident, stable
    anchor: str  # fragment on the incident page ("" when the page has none)
    derived: bool = False  # from the window times, not written in the file


def stamp(moment: datetime) -> str:
    """``20261120T141500Z``: a time as it appears in keys and anchors."""
    return moment.astimezone(_UTC).strftime("%Y%m%dT%H%M%SZ")


def incident_events(view: IncidentView, tz: ZoneInfo, now: datetime) -> tuple[Event, ...]:
    """Every event of ``view``'s incident up to what the clock says, oldest first."""
    incident = view.incident
    events = _written(incident)
    if incident.is_maintenance:
        events.extend(_window_events(view, tz, now))
    if incident.postmortem is not None:
        pm = incident.postmortem
        key = "postmortem-" + stamp(pm.at)
        events.append(Event(incident, UpdateStatus.POSTMORTEM, pm.at, pm.body, key, "postmortem"))
    order = {UpdateStatus.SCHEDULED: 0, UpdateStatus.IN_PROGRESS: 1}
    return tuple(sorted(events, key=lambda e: (e.at, order.get(e.status, 2), e.key)))


def every_incident_events(
    views: Sequence[IncidentView], config: SiteConfig, now: datetime
) -> list[tuple[Event, ...]]:
    """:func:`incident_events` of each view, kept per incident (feeds and the API
    both ask; the preview asks on every save)."""
    tz = config.timezone
    part = Part(f"events {tz.key}", partial(_events_now, tz=tz, now=now), heavy=False)
    return each_incident(part, views, config, now)


def _events_now(view: IncidentView, *, tz: ZoneInfo, now: datetime) -> tuple[Event, ...]:
    return incident_events(view, tz, now)


def _written(incident: Incident) -> list[Event]:
    """The updates in the file, keyed by their fragment on the incident page."""
    return [_from_update(incident, update, key) for update, key in incident.anchored_updates()]


def _from_update(incident: Incident, update: Update, key: str) -> Event:
    return Event(incident, update.status, update.at, update.body, key, key)


def _window_events(view: IncidentView, tz: ZoneInfo, now: datetime) -> list[Event]:
    """Announcement, start and completion a maintenance window implies."""
    incident = view.incident
    assert incident.start is not None and incident.end is not None
    said = {u.status for u in incident.updates}
    window = window_text(incident, tz)
    events = []
    if not incident.updates:
        scheduled = _("Maintenance is scheduled for {window}.").format(window=window)
        body = f"{incident.summary}\n\n{scheduled}".strip()
        events.append(_derived(incident, UpdateStatus.SCHEDULED, incident.created_at, body))
    done = [u.at for u in incident.updates if u.status is UpdateStatus.COMPLETED]
    cancelled = any(at < incident.start for at in done)
    if incident.start <= now and UpdateStatus.IN_PROGRESS not in said and not cancelled:
        body = _("The maintenance window has started ({window}).").format(window=window)
        events.append(_derived(incident, UpdateStatus.IN_PROGRESS, incident.start, body))
    if view.status is UpdateStatus.COMPLETED and UpdateStatus.COMPLETED not in said:
        ended = view.ended_at or incident.end
        body = _(
            "The maintenance window has ended ({window}); the maintenance is complete."
        ).format(window=window)
        events.append(_derived(incident, UpdateStatus.COMPLETED, ended, body))
    return events


def _derived(incident: Incident, status: UpdateStatus, at: datetime, body: str) -> Event:
    key = f"{status.value.replace('_', '-')}-{stamp(at)}"
    return Event(incident, status, at, body, key, "", derived=True)


def window_text(incident: Incident, tz: ZoneInfo) -> str:
    """``2026-12-05 06:00–08:00 UTC``, in the site's time zone."""
    assert incident.start is not None and incident.end is not None
    start, end = incident.start.astimezone(tz), incident.end.astimezone(tz)
    if spoken() != SOURCE:
        return _cldr_window(start, end)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} {end.tzname()}"
    return f"{start:%Y-%m-%d %H:%M} {start.tzname()} – {end:%Y-%m-%d %H:%M} {end.tzname()}"


def _cldr_window(start: datetime, end: datetime) -> str:
    """The window with CLDR's date and clock of the language spoken."""
    from babel.dates import format_skeleton

    locale = spoken()

    def day(moment: datetime) -> str:
        return format_skeleton("yMd", moment, locale=locale)

    def clock(moment: datetime) -> str:
        return format_skeleton("Hm", moment, locale=locale)

    if start.date() == end.date():
        return f"{day(start)} {clock(start)}–{clock(end)} {end.tzname()}"
    return f"{day(start)} {clock(start)} {start.tzname()} – {day(end)} {clock(end)} {end.tzname()}"


@lru_cache(maxsize=CACHED)  # pure; a page or a save asks again
def text_body(markdown: str) -> str:
    """Markdown as plain text that keeps its paragraphs and list items.

    For the API and the calendar, whose readers may show text as HTML: the
    sanitised rendering, stripped of every tag, so raw HTML never passes.
    """
    flat = " ".join(render_markdown(markdown).split())
    flat = _LIST_ITEM.sub("- ", _LINE_END.sub("\n", _PARAGRAPH_END.sub("\n\n", flat)))
    text = html.unescape(strip_tags(flat))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
