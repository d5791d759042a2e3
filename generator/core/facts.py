"""The facts of an incident, said once for every output.

Customers look for the same few things first, wherever they read about an
incident: who is affected, what they can do meanwhile, the maintenance
window, the affected components, when it began and ended. The page, the
search index, the feeds, the calendar and the announcements each render
these :class:`Fact` objects in their own format, so the labels and the rules
(a workaround is advice only while the incident is open; components carry
their status only while it lasts) are written here and nowhere else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from .events import window_text
from .i18n import N_, _, spoken
from .model import ComponentStatus, Impact, Incident, UpdateStatus
from .settings import Component
from .status import IncidentView
from .times import display_time, format_duration


class FactKind(enum.StrEnum):
    WINDOW = "window"
    SCOPE = "scope"
    WORKAROUND = "workaround"
    COMPONENTS = "components"
    BEGAN = "began"
    FIRST_RESPONSE = "first_response"
    ENDED = "ended"


#: The label of each fact, the same in every output.
#: Message ids: :func:`label` says them in the language spoken.
LABELS = {
    FactKind.WINDOW: N_("Maintenance window"),
    FactKind.SCOPE: N_("Who is affected"),
    FactKind.WORKAROUND: N_("What you can do meanwhile"),
    FactKind.COMPONENTS: N_("Affected components"),
    FactKind.BEGAN: N_("Began"),
    FactKind.FIRST_RESPONSE: N_("First public update"),
}
ENDED_LABEL = {False: N_("Resolved"), True: N_("Completed")}  # by ``is_maintenance``


def label(kind: FactKind) -> str:
    """The label of a fact of ``kind``, in the language spoken."""
    return _(LABELS[kind])


#: What the top of a page or message says before the details.
UP_FRONT = (FactKind.WINDOW, FactKind.SCOPE, FactKind.WORKAROUND)
#: What an update's message (a feed entry, an e-mail, a calendar entry) repeats
#: about the incident; a postmortem is about what happened, not what to do.
MESSAGE_FACTS = (FactKind.WINDOW, FactKind.COMPONENTS, FactKind.SCOPE, FactKind.WORKAROUND)
POSTMORTEM_FACTS = (FactKind.WINDOW, FactKind.COMPONENTS)


@dataclass(frozen=True)
class Fact:
    """One labelled fact; ``text`` is the whole of it as plain text.

    Formats that can do more use the parts: ``times`` for times (shown in the
    site's zone), ``note`` for what follows them, ``components`` with the
    status each has while the incident lasts (empty statuses once it is over).
    """

    kind: FactKind
    label: str
    text: str
    times: tuple[datetime, ...] = ()
    note: str = ""
    components: tuple[tuple[Component, ComponentStatus | None], ...] = ()

    @property
    def up_front(self) -> bool:
        return self.kind in UP_FRONT


def incident_facts(
    view: IncidentView, tz: ZoneInfo, *, closed: bool | None = None
) -> tuple[Fact, ...]:
    """The facts of ``view`` in the order every output shows them.

    ``closed`` says whether the incident is over at the point being told
    (an update in a feed or an e-mail); by default, whether it is over now.
    Kept for the last views asked for: its page, its Markdown and its search
    entries ask one after another.
    """
    key = (id(view), tz, closed, spoken())
    kept = _facts.get(key)
    if kept is not None and kept[0] is view:
        return kept[1]
    if len(_facts) >= _KEPT_FACTS:
        _facts.clear()
    facts = _incident_facts(view, tz, closed)
    _facts[key] = (view, facts)
    return facts


_KEPT_FACTS = 256
_facts: dict[tuple[int, ZoneInfo, bool | None, str], tuple[IncidentView, tuple[Fact, ...]]] = {}


def _incident_facts(view: IncidentView, tz: ZoneInfo, closed: bool | None) -> tuple[Fact, ...]:
    incident = view.incident
    over = view.ended_at is not None if closed is None else closed
    facts = [
        _window(incident, tz),
        _components(incident, over),
        _text(FactKind.SCOPE, incident.scope),
        None if over else _text(FactKind.WORKAROUND, incident.workaround),
    ]
    if not incident.is_maintenance:
        facts += [_time(FactKind.BEGAN, label(FactKind.BEGAN), incident.began_at, tz)]
        facts += [_first_response(view)]
    facts.append(_ended(view, tz))
    return tuple(fact for fact in facts if fact is not None)


def _window(incident: Incident, tz: ZoneInfo) -> Fact | None:
    if not incident.is_maintenance or incident.start is None or incident.end is None:
        return None
    text = window_text(incident, tz)
    return Fact(FactKind.WINDOW, label(FactKind.WINDOW), text, times=(incident.start, incident.end))


def _text(kind: FactKind, text: str) -> Fact | None:
    """Scope and workaround are plain text, as written, in every output."""
    if not text.strip():
        return None
    return Fact(kind, label(kind), " ".join(text.split()))


def _components(incident: Incident, over: bool) -> Fact | None:
    if not incident.components:
        return None
    pairs = tuple((c, None if over else s) for c, s in incident.components.items())
    # NOTE: the separator of a list of names ("、" in Japanese and Chinese).
    text = _(", ").join(
        c.name
        if s is None
        else _("{component} ({status})").format(component=c.name, status=s.phrase)
        for c, s in pairs
    )
    return Fact(FactKind.COMPONENTS, label(FactKind.COMPONENTS), text, components=pairs)


def _time(kind: FactKind, label: str, at: datetime, tz: ZoneInfo, note: str = "") -> Fact:
    shown = display_time(at, tz)
    text = _("{time} ({note})").format(time=shown, note=note) if note else shown
    return Fact(kind, label, text, times=(at,), note=note)


def _first_response(view: IncidentView) -> Fact | None:
    """Only when the impact began before the first post (``started``)."""
    if view.first_response is None or view.incident.started is None:
        return None
    text = _("{duration} after it began").format(duration=format_duration(view.first_response))
    return Fact(FactKind.FIRST_RESPONSE, label(FactKind.FIRST_RESPONSE), text)


def _ended(view: IncidentView, tz: ZoneInfo) -> Fact | None:
    if view.ended_at is None:
        return None
    maintenance = view.incident.is_maintenance
    lasted = (
        ""
        if maintenance or view.duration is None
        else _("lasted {duration}").format(duration=format_duration(view.duration))
    )
    return _time(FactKind.ENDED, _(ENDED_LABEL[maintenance]), view.ended_at, tz, lasted)


def pills(view: IncidentView) -> list[tuple[Impact | UpdateStatus, str]]:
    """What an incident is at a glance: its impact (not for maintenance) and status."""
    status = (view.status, view.status.label)
    if view.incident.is_maintenance:
        return [status]
    impact = view.incident.impact
    return [(impact, impact.pill), status]
