"""Which updates to announce, each as an :class:`Announcement`.

The newest of named incidents, the newest of each active one, or (``since``)
every update, postmortem and maintenance announcement that the incident files
have now but did not have at a git revision. An update is identified by
``<incident id>/<event key>`` (see :mod:`generator.core.events`): the key
derives from the update's time, so it survives new updates and renamed
titles, exactly like feed entry ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from ..core.events import Event, incident_events, text_body
from ..core.loader import load_incidents
from ..core.model import CLOSED_STATUSES, Incident, UpdateStatus
from ..core.settings import SiteConfig
from ..core.status import IncidentView, closed_at, compute_status, effective_status, next_update_due
from ..core.urls import absolute, incident_path
from .errors import AnnounceError
from .revisions import incidents_at


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
        """``<incident id>/<event key>``: what the delivery log records."""
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
        return self.incident.title

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
    views = compute_status(config, loaded.incidents, now).views
    found: list[tuple[IncidentView, Event]]
    if ids:
        found = [
            _newest(_find_view(views, incident_id), config, now)
            for incident_id in dict.fromkeys(ids)
        ]
    elif since is not None:
        found = _added_since(config, root, since, views, now)
    else:
        found = [_newest(view, config, now) for view in views if view.active]
    found.sort(key=lambda pair: (pair[1].at, pair[0].incident.id, pair[1].key))
    return [Announcement(config, view, event, now) for view, event in found]


def announceable(view: IncidentView, config: SiteConfig, now: datetime) -> list[Event]:
    """Events written in the file (updates, postmortem) and a new maintenance's notice.

    Window starts and ends that only the clock implies are left out: they are
    not a change anyone committed, and the feeds and calendar carry them.
    """
    events = incident_events(view, config.timezone, now)
    return [e for e in events if not e.derived or e.status is UpdateStatus.SCHEDULED]


def _added_since(
    config: SiteConfig, root: Path, ref: str, views: Sequence[IncidentView], now: datetime
) -> list[tuple[IncidentView, Event]]:
    """The announceable events of ``views`` that their files did not have at ``ref``."""
    before = incidents_at(config, root, ref, [v.incident for v in views])
    found = []
    for view in views:
        old = before.get(view.incident.id)
        old_keys = set() if old is None else {e.key for e in _events_of(old, config, now)}
        found += [(view, e) for e in announceable(view, config, now) if e.key not in old_keys]
    return found


def _events_of(incident: Incident, config: SiteConfig, now: datetime) -> list[Event]:
    view = IncidentView(incident, effective_status(incident, now), closed_at(incident, now))
    return announceable(view, config, now)


def _find_view(views: Sequence[IncidentView], incident_id: str) -> IncidentView:
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
