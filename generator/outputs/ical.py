"""Maintenance windows as iCalendar (RFC 5545), with the ``icalendar`` package.

``maintenance.ics`` holds every window; ``incidents/<id>/event.ics`` holds one,
for an "add to calendar" link. Everything derives from the incident files, so
the same files give the same bytes:

- ``UID`` is ``<incident id>@<site host>``: the file id is permanent.
- ``DTSTART``/``DTEND`` are the window in UTC.
- ``DTSTAMP`` and ``LAST-MODIFIED`` are the newest update (the window start for
  a file without updates), never the build time; ``CREATED`` is the first.
- ``SEQUENCE`` is the number of updates after the first announcement: every
  later update (started, moved, extended, completed) is a revision calendars
  should pick up. Moving a window without adding an update does not bump it,
  so post an update when you move one.
- ``STATUS`` is ``CONFIRMED`` whether scheduled, in progress, verifying or
  completed: a published window is a commitment. (The file format has no
  cancelled or tentative maintenance yet; they would map to ``CANCELLED`` and
  ``TENTATIVE``.)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent

from ..core.events import text_body
from ..core.facts import MESSAGE_FACTS, incident_facts
from ..core.i18n import _
from ..core.model import Incident
from ..core.settings import SiteConfig
from ..core.status import IncidentView, SiteStatus
from ..core.urls import absolute, incident_path

PRODID = "-//gitstatus-generator//status page maintenance//EN"
REFRESH = timedelta(hours=1)  # also X-PUBLISHED-TTL:PT1H, for older clients


def uid(config: SiteConfig, incident: Incident) -> str:
    """``2026-12-05-network-maintenance@status.example.com``."""
    return f"{incident.id}@{urlsplit(config.url).hostname or 'localhost'}"


def sequence(incident: Incident) -> int:
    """Revisions since the first announcement: the updates after the first."""
    return max(len(incident.updates) - 1, 0)


def calendar(config: SiteConfig, events: Iterable[VEvent]) -> bytes:
    """A VCALENDAR holding ``events``, in the order given."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = _("{site}: maintenance").format(site=config.name)
    cal.add("name", name, parameters={"LANGUAGE": config.language})
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def vevent(config: SiteConfig, view: IncidentView) -> VEvent:
    """One maintenance window as a VEVENT."""
    incident = view.incident
    assert incident.start is not None and incident.end is not None
    names = [c.name for c in incident.components]
    event = VEvent()
    event.add("uid", uid(config, incident))
    event.add("dtstamp", incident.updated_at.astimezone(UTC))
    event.add("created", incident.created_at.astimezone(UTC))
    event.add("last-modified", incident.updated_at.astimezone(UTC))
    event.add("dtstart", incident.start.astimezone(UTC))
    event.add("dtend", incident.end.astimezone(UTC))
    event.add("sequence", sequence(incident))
    event.add("status", "CONFIRMED")
    language = {"LANGUAGE": config.language}  # RFC 5545 3.2.10: on text properties
    event.add("summary", incident.title, parameters=language)
    event.add("description", description(config, view), parameters=language)
    event.add("url", absolute(config, incident_path(incident.id)))
    event.add("transp", "OPAQUE")
    if names:
        event.add("categories", names)
    return event


def description(config: SiteConfig, view: IncidentView) -> str:
    """Plain text: window, components, scope, workaround, latest update, link.

    Nothing here depends on the clock, only on the file, so the event changes
    only with a new update (and its ``SEQUENCE``).
    """
    incident = view.incident
    facts = incident_facts(view, config.timezone, closed=False)
    said = _("{label}: {text}")
    lines = [said.format(label=f.label, text=f.text) for f in facts if f.kind in MESSAGE_FACTS]
    parts = ["\n".join(lines)]
    latest = incident.latest_update
    if latest is not None:
        parts.append(said.format(label=latest.status.label, text=text_body(latest.body)))
    details = absolute(config, incident_path(incident.id))
    parts.append(_("Details: {url}").format(url=details))
    return "\n\n".join(parts)


def calendar_files(config: SiteConfig, status: SiteStatus) -> dict[str, bytes]:
    """``maintenance.ics`` (soonest first) and one ``incidents/<id>/event.ics`` per window."""
    windows = sorted(
        (v for v in status.views if v.incident.is_maintenance),
        key=lambda v: (v.incident.start or v.incident.began_at, v.incident.id),
    )
    events = [(view.incident.id, vevent(config, view)) for view in windows]
    files = {"maintenance.ics": calendar(config, (event for _, event in events))}
    for incident_id, event in events:
        files[incident_path(incident_id) + "event.ics"] = calendar(config, [event])
    return files
