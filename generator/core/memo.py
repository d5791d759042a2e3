"""What each incident contributes to the site's files, made once and kept.

An incident's Markdown page, its row in the History search, its entries in
the theme's search index depend on nothing but the incident as the clock
sees it (its :class:`~generator.core.status.IncidentView`) and the site's
configuration; while an incident or a maintenance window is open, also on
the clock itself. :func:`each_incident` makes such a :class:`Part` for every incident:
those it has not made for the same view, configuration (the same object) and,
for open ones, the same clock, it makes anew, sharing them among the cores
(:func:`~generator.core.parallel.shared`), and keeps the result.

A cold build so makes each part in parallel; the preview, which loads the
unchanged incidents as the same objects again, remakes only the changed ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Generic, TypeVar, cast

from .i18n import in_language, spoken
from .parallel import shared
from .settings import SiteConfig
from .status import IncidentView

T = TypeVar("T")

#: Parts kept at most (then all are dropped): several sites in one process.
LIMIT = 1_000_000

_Stamp = tuple[IncidentView, SiteConfig, datetime | None, str]
_kept: dict[tuple[str, str], tuple[_Stamp, object]] = {}


@dataclass(frozen=True)
class Part(Generic[T]):
    """What one incident contributes to a file: ``make(view)``, kept as ``kind``
    (one ``make`` per kind and site)."""

    kind: str
    make: Callable[[IncidentView], T]
    #: False for parts quicker to make than to send back from another process.
    heavy: bool = True
    #: The file the part is, in its incident's folder (``index.md``): a build
    #: writes it where it makes it.
    file: str = ""


def each_incident(
    part: Part[T], views: Sequence[IncidentView], config: SiteConfig, now: datetime
) -> list[T]:
    """``part.make(view)`` for every view, in order; kept ones reused.

    ``now`` counts only for views still open or upcoming, whose parts may
    change with the clock.
    """
    language = spoken()
    stamps = [_stamp(view, config, now, language) for view in views]
    found: list[object] = []
    missing: list[int] = []
    for number, (view, stamp) in enumerate(zip(views, stamps, strict=True)):
        kept = _kept.get((part.kind, view.incident.id))
        if kept is not None and _same(kept[0], stamp):
            found.append(kept[1])
        else:
            found.append(None)
            missing.append(number)
    jobs = [in_language(language, partial(part.make, views[number])) for number in missing]
    values = shared(jobs) if part.heavy else [job() for job in jobs]
    for number, value in zip(missing, values, strict=True):
        _keep(part.kind, views[number].incident.id, stamps[number], value)
        found[number] = value
    return cast(list[T], found)


def keep(part: Part[T], view: IncidentView, config: SiteConfig, now: datetime, value: T) -> None:
    """Keep ``value`` as ``part`` of ``view``: made elsewhere (by a build's shared jobs)."""
    _keep(part.kind, view.incident.id, _stamp(view, config, now, spoken()), value)


def _keep(kind: str, incident_id: str, stamp: _Stamp, value: object) -> None:
    if len(_kept) >= LIMIT:
        _kept.clear()
    _kept[(kind, incident_id)] = (stamp, value)


def _stamp(view: IncidentView, config: SiteConfig, now: datetime, language: str) -> _Stamp:
    settled = not (view.active or view.upcoming or view.incident.is_maintenance)
    return (view, config, None if settled else now, language)


def _same(kept: _Stamp, stamp: _Stamp) -> bool:
    """The same configuration object, clock and language, and an equal view
    (an incident read again from an unchanged file is the same object: quick)."""
    return kept[1] is stamp[1] and kept[2:] == stamp[2:] and kept[0] == stamp[0]


class KeptJson:
    """The compact JSON of values, each kept with the very object it was made
    from: an index written again from kept parts serialises only new ones."""

    def __init__(self, ensure_ascii: bool = True) -> None:
        self.ensure_ascii = ensure_ascii
        self._texts: dict[int, tuple[object, str]] = {}  # the last call's, by object

    def texts(self, values: Sequence[object]) -> list[str]:
        """Each value as ``json.dumps`` writes it compact, in order."""
        kept: dict[int, tuple[object, str]] = {}
        for value in values:
            known = self._texts.get(id(value))
            if known is None or known[0] is not value:
                text = json.dumps(value, ensure_ascii=self.ensure_ascii, separators=(",", ":"))
                known = (value, text)
            kept[id(value)] = known
        self._texts = kept
        return [kept[id(value)][1] for value in values]
