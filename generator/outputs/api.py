"""The Atlassian Statuspage v2 public API, as static JSON files under ``api/v2/``.

Field names, nesting and vocabularies follow Statuspage's public documentation
(``/api/v2/summary.json`` and friends), so widgets, chat bots and exporters
that read a Statuspage page read this one. Values come from the incident
files; what Statuspage would know but a git repository does not is fixed and
documented in docs/api-and-feeds.md (``showcase``, ``only_show_if_degraded``, ...).

- Ids are stable strings: an incident's id is its file id, a component's its
  configured id, a group's ``group-<slug>``, an update's ``<incident id>-<key>``
  (see :mod:`generator.events`), the page's a hash of ``site_url``.
- Times are ISO 8601 with milliseconds in the site's time zone, ``Z`` for UTC,
  as Statuspage writes them: ``2026-11-20T14:15:00.000Z``.
- The overall indicator is one of ``none``, ``minor``, ``major``, ``critical``:
  Statuspage's documentation names only these four, and strict clients reject
  anything else, so maintenance in progress is ``none`` with the description
  "Service Under Maintenance". Maintenances carry ``impact: maintenance``.
- Every incident update carries ``deliver_notifications: true`` (each update
  is published to the feeds and offered to ``announce``) and ``custom_tweet``
  and ``tweet_id`` as null (nothing is posted to Twitter on anyone's behalf).
- A component embedded in an incident is the same object as in
  ``components.json`` (its ``group_id`` and ``position`` included).
- ``incidents.json`` and ``incidents/unresolved.json`` hold incidents only;
  maintenances are in ``scheduled-maintenances*.json`` and ``summary.json``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from ..core.events import Event, every_incident_events, text_body
from ..core.model import ComponentStatus, Impact, Incident, UpdateStatus
from ..core.settings import Component, SiteConfig
from ..core.status import IncidentView, SiteStatus
from ..core.times import EPOCH
from ..core.urls import absolute, incident_path

PREFIX = "api/v2/"
RECENT = 50
INDICATOR = {
    Impact.NONE: "none",
    Impact.MAINTENANCE: "none",
    Impact.MINOR: "minor",
    Impact.MAJOR: "major",
    Impact.CRITICAL: "critical",
}
_UNDERWAY = (UpdateStatus.IN_PROGRESS, UpdateStatus.VERIFYING)
_SLUG = re.compile(r"[^a-z0-9]+")

JSON = dict[str, object]
ComponentStates = dict[Component, ComponentStatus]


@dataclass(frozen=True)
class _Site:
    """What every object needs: settings, clock and the per-build lookups."""

    config: SiteConfig
    status: SiteStatus
    page_id: str
    events: dict[str, tuple[Event, ...]]  # incident id -> its events, oldest first
    components: dict[str, JSON]  # component id -> API object (groups excluded)
    listing: list[JSON]  # components.json, groups included

    @cached_property
    def listed(self) -> dict[str, JSON]:
        """Each component as ``components.json`` lists it, so embedded copies agree."""
        return {str(c["id"]): c for c in self.listing if not c["group"]}

    @property
    def tz(self) -> ZoneInfo:
        return self.config.timezone

    def time(self, moment: datetime | None) -> str | None:
        return None if moment is None else timestamp(moment, self.tz)


def timestamp(moment: datetime, tz: ZoneInfo) -> str:
    """``2026-11-20T14:15:00.000Z``; an offset instead of ``Z`` outside UTC."""
    text = moment.astimezone(tz).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def page_id(config: SiteConfig) -> str:
    """A stable 12-character id, like Statuspage's, from the site's URL."""
    return hashlib.sha256(config.url.encode("utf-8")).hexdigest()[:12]


def group_ids(config: SiteConfig) -> dict[str, str]:
    """``group-<slug>`` per group name; a hash where slugs would collide."""
    taken = {c.id for c in config.components}
    result: dict[str, str] = {}
    for name in config.groups:
        candidate = "group-" + (_SLUG.sub("-", name.lower()).strip("-") or "x")
        if candidate in taken:
            candidate = "group-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
        taken.add(candidate)
        result[name] = candidate
    return result


def api_files(config: SiteConfig, status: SiteStatus) -> dict[str, bytes]:
    """Every ``api/v2/*.json`` file, keyed by its site-relative path."""
    site = _site(config, status)
    page = page_object(site)
    incidents = _sorted(v for v in status.views if not v.incident.is_maintenance)
    maintenance = _sorted(v for v in status.views if v.incident.is_maintenance)
    unresolved = [v for v in incidents if v.active]
    upcoming = sorted((v for v in maintenance if v.upcoming), key=_by_start)
    active = sorted((v for v in maintenance if v.status in _UNDERWAY), key=_by_start)
    state = {"indicator": INDICATOR[status.indicator], "description": status.description}
    bodies: dict[str, JSON] = {
        "summary.json": {
            "page": page,
            "components": site.listing,
            "incidents": [incident_object(v, site) for v in unresolved],
            "scheduled_maintenances": [incident_object(v, site) for v in active + upcoming],
            "status": state,
        },
        "status.json": {"page": page, "status": state},
        "components.json": {"page": page, "components": site.listing},
        "incidents.json": _listing(page, "incidents", incidents[:RECENT], site),
        "incidents/unresolved.json": _listing(page, "incidents", unresolved, site),
        "scheduled-maintenances.json": _listing(
            page, "scheduled_maintenances", maintenance[:RECENT], site
        ),
        "scheduled-maintenances/upcoming.json": _listing(
            page, "scheduled_maintenances", upcoming, site
        ),
        "scheduled-maintenances/active.json": _listing(
            page, "scheduled_maintenances", active, site
        ),
    }
    return {PREFIX + path: dump(body) for path, body in bodies.items()}


def dump(body: object) -> bytes:
    """JSON as the site publishes it: UTF-8, indented, keys in a fixed order."""
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _sorted(views: Iterable[IncidentView]) -> list[IncidentView]:
    """Newest first (by when it began), the file id breaking ties."""
    return sorted(views, key=lambda v: (v.incident.began_at, v.incident.id), reverse=True)


def _by_start(view: IncidentView) -> tuple[datetime, str]:
    return (view.incident.began_at, view.incident.id)


def _listing(page: JSON, key: str, views: list[IncidentView], site: _Site) -> JSON:
    return {"page": page, key: [incident_object(v, site) for v in views]}


def _site(config: SiteConfig, status: SiteStatus) -> _Site:
    every = every_incident_events(status.views, config, status.now)
    events = {v.incident.id: found for v, found in zip(status.views, every, strict=True)}
    created = min((v.incident.created_at for v in status.views), default=EPOCH)
    changed = _component_changes(status, events)
    pid = page_id(config)
    base = _Site(config, status, pid, events, {}, [])
    components = {c.id: component_object(c, base, created, changed) for c in config.components}
    listing = _with_groups(config, components, pid)
    return _Site(config, status, pid, events, components, listing)


def page_object(site: _Site) -> JSON:
    """Statuspage's ``page``: updated at the newest public event, not the build."""
    now = site.status.now
    latest = max((e.at for ev in site.events.values() for e in ev if e.at <= now), default=EPOCH)
    return {
        "id": site.page_id,
        "name": site.config.name,
        "url": site.config.url,
        "time_zone": site.tz.key,
        "updated_at": site.time(latest),
    }


def target_state(incident: Incident, status: UpdateStatus) -> ComponentStates:
    """The components' statuses an event of ``status`` leaves behind."""
    if incident.is_maintenance:
        underway = status in _UNDERWAY
    else:
        underway = status not in (UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM)
    return dict(incident.components) if underway else {}


def transitions(
    incident: Incident, events: Iterable[Event]
) -> list[tuple[Event, ComponentStates, ComponentStates]]:
    """``(event, before, after)`` for each update (not the postmortem)."""
    result = []
    before: ComponentStates = {}
    for event in events:
        if event.status is UpdateStatus.POSTMORTEM:
            continue
        after = target_state(incident, event.status)
        result.append((event, before, after))
        before = after
    return result


def _component_changes(
    status: SiteStatus, events: dict[str, tuple[Event, ...]]
) -> dict[str, datetime]:
    """When each component last changed status, from the events up to ``now``."""
    changed: dict[str, datetime] = {}
    for view in status.views:
        for event, before, after in transitions(view.incident, events[view.incident.id]):
            if event.at > status.now or before == after:
                continue
            for component in set(before) | set(after):
                if component.id not in changed or event.at > changed[component.id]:
                    changed[component.id] = event.at
    return changed


def component_object(
    component: Component, site: _Site, created: datetime, changed: dict[str, datetime]
) -> JSON:
    """One Statuspage component with its status at ``now``."""
    state = site.status.components.get(component.id)
    return {
        "id": component.id,
        "name": component.name,
        "status": (state.status if state else ComponentStatus.OPERATIONAL).value,
        "created_at": site.time(created),
        "updated_at": site.time(max(created, changed.get(component.id, created))),
        "position": component.position,
        "description": component.description or None,
        "showcase": True,
        "start_date": None,
        "group_id": None,
        "page_id": site.page_id,
        "group": False,
        "only_show_if_degraded": False,
    }


def _with_groups(config: SiteConfig, objects: dict[str, JSON], pid: str) -> list[JSON]:
    """Components in configured order, each group (``group: true``) before its members.

    Top-level entries are numbered from 1; members are numbered within their group.
    """
    ids = group_ids(config)
    members: dict[str, list[Component]] = defaultdict(list)
    for component in config.components:
        if component.group is not None:
            members[component.group].append(component)
    listing: list[JSON] = []
    top = 0
    for component in config.components:
        name = component.group
        if name is not None and members[name][0] is not component:
            continue  # listed after its group
        top += 1
        if name is None:
            listing.append(dict(objects[component.id], position=top))
            continue
        group = _group_object(name, ids[name], members[name], objects, pid)
        listing.append(dict(group, position=top))
        listing.extend(
            dict(objects[m.id], group_id=ids[name], position=n)
            for n, m in enumerate(members[name], start=1)
        )
    return listing


def _group_object(
    name: str, gid: str, members: list[Component], objects: dict[str, JSON], pid: str
) -> JSON:
    """A Statuspage group: the worst status and the latest change of its members."""
    statuses = [ComponentStatus(str(objects[m.id]["status"])) for m in members]
    times = [str(objects[m.id]["updated_at"]) for m in members]
    return {
        "id": gid,
        "name": name,
        "status": max(statuses, key=lambda s: s.rank).value,
        "created_at": objects[members[0].id]["created_at"],
        "updated_at": max(times, key=lambda t: datetime.fromisoformat(t)),
        "position": 0,
        "description": None,
        "showcase": False,
        "start_date": None,
        "group_id": None,
        "page_id": pid,
        "group": True,
        "only_show_if_degraded": False,
        "components": [m.id for m in members],
    }


def incident_status(view: IncidentView) -> str:
    """Statuspage's status: an ``Update`` keeps the status before it; a resolved
    incident with a published postmortem is ``postmortem``."""
    incident = view.incident
    if incident.is_maintenance:
        return view.status.value
    said = [u.status for u in incident.updates if u.status is not UpdateStatus.UPDATE]
    current = said[-1] if said else UpdateStatus.INVESTIGATING
    if current is UpdateStatus.RESOLVED and incident.postmortem is not None:
        return UpdateStatus.POSTMORTEM.value
    return current.value


def incident_object(view: IncidentView, site: _Site) -> JSON:
    """One incident or scheduled maintenance, its updates newest first."""
    incident = view.incident
    events = site.events[incident.id]
    now = site.status.now
    updated = max((e.at for e in events if e.at <= now), default=incident.created_at)
    body: JSON = {
        "id": incident.id,
        "name": incident.title,
        "status": incident_status(view),
        "created_at": site.time(incident.created_at),
        "updated_at": site.time(updated),
        "monitoring_at": site.time(incident.at_status(UpdateStatus.MONITORING)),
        "resolved_at": site.time(view.ended_at),
        "impact": incident.impact.value,
        "shortlink": absolute(site.config, incident_path(incident.id)),
        "started_at": site.time(incident.began_at),
        "page_id": site.page_id,
        "incident_updates": update_objects(incident, events, site),
        "components": [site.listed[c.id] for c in incident.components],
    }
    if incident.is_maintenance:
        body["scheduled_for"] = site.time(incident.start)
        body["scheduled_until"] = site.time(incident.end)
    return body


def update_objects(incident: Incident, events: tuple[Event, ...], site: _Site) -> list[JSON]:
    """``incident_updates``: newest first; ``affected_components`` where statuses change."""
    result: list[JSON] = []
    carried = UpdateStatus.INVESTIGATING
    for event, before, after in transitions(incident, events):
        if event.status is not UpdateStatus.UPDATE:
            carried = event.status
        moment = site.time(event.at)
        result.append(
            {
                "id": f"{incident.id}-{event.key}",
                "status": carried.value,
                "body": text_body(event.body),
                "incident_id": incident.id,
                "created_at": moment,
                "updated_at": moment,
                "display_at": moment,
                "affected_components": _affected(before, after, site.config),
                "deliver_notifications": True,
                "custom_tweet": None,
                "tweet_id": None,
            }
        )
    return result[::-1]


def _affected(
    before: ComponentStates, after: ComponentStates, config: SiteConfig
) -> list[JSON] | None:
    """``[{code, name, old_status, new_status}]`` for each change; None if nothing changed."""
    changes: list[JSON] = []
    for component in config.components:
        old = before.get(component, ComponentStatus.OPERATIONAL)
        new = after.get(component, ComponentStatus.OPERATIONAL)
        if old is not new:
            changes.append(
                {
                    "code": component.id,
                    "name": component.name,
                    "old_status": old.value,
                    "new_status": new.value,
                }
            )
    return changes or None
