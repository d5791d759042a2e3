"""The communication policy: what the site promises, and the checks that hold us to it.

The policy (update cadence, postmortem deadline, channels) is configured once
in ``mkdocs.yml``. :func:`describe` turns it into plain words for the
generated policy page; the ``check_*`` functions are ``lint`` checks. The
clock-based ones only ever warn: a late update must never block publishing
the update that fixes it. Unfilled template placeholders are errors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..core.errors import Problem, Severity
from ..core.i18n import SOURCE, spoken
from ..core.model import Incident, UpdateStatus
from ..core.settings import SiteConfig
from ..core.status import IncidentView, closed_at, effective_status, next_update
from ..core.times import explained_time, format_duration
from .postmortem import missing_parts

#: How long after its window a maintenance may go without a Completed update.
MAINTENANCE_GRACE = timedelta(hours=1)


def human_duration(delta: timedelta) -> str:
    """``60 minutes``, ``24 hours``, ``5 days``, ``2 days and 12 hours``: for sentences.

    Days only from two days up, and under two hours in minutes, as people say it.
    """
    minutes = round(delta.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60) if minutes >= 2 * 24 * 60 else (0, minutes)
    hours, mins = divmod(rest, 60) if days or rest >= 120 else (0, rest)
    amounts = [(n, unit) for n, unit in ((days, "day"), (hours, "hour"), (mins, "minute")) if n]
    if spoken() != SOURCE:
        return _cldr_words(amounts or [(0, "minute")])
    parts = [f"{amount} {unit}{'' if amount == 1 else 's'}" for amount, unit in amounts]
    return " and ".join(parts) if parts else "0 minutes"


def _cldr_words(amounts: list[tuple[int, str]]) -> str:
    """Each amount in CLDR's long unit (``60 分``, ``24 Stunden``), joined as a list."""
    from babel.lists import format_list
    from babel.units import format_unit

    said = [
        format_unit(n, f"duration-{unit}", length="long", locale=spoken()) for n, unit in amounts
    ]
    return format_list(said, locale=spoken())


def join_words(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: in the language spoken."""
    if spoken() != SOURCE:
        from babel.lists import format_list

        return format_list(words, locale=spoken()) if words else ""
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class PolicyText:
    """The configured policy in words, for the policy page."""

    update_every: str
    update_every_monitoring: str
    resolution_summary_within: str
    postmortem_within: str
    postmortem_for: str  # "major and critical"


def describe(config: SiteConfig) -> PolicyText:
    """The policy of ``config`` in plain words."""
    policy = config.policy
    return PolicyText(
        update_every=human_duration(policy.update_every),
        update_every_monitoring=human_duration(policy.update_every_monitoring),
        resolution_summary_within=human_duration(policy.resolution_summary_within),
        postmortem_within=human_duration(policy.postmortem_within),
        postmortem_for=join_words([i.phrase for i in policy.postmortem_for]),
    )


def _view(incident: Incident, now: datetime) -> IncidentView:
    return IncidentView(incident, effective_status(incident, now), closed_at(incident, now))


def _warning(incident: Incident, line: int, name: str, message: str) -> Problem:
    return Problem(incident.path.as_posix(), line, name, message, Severity.WARNING)


#: Past these, a time is more likely a typo than a plan.
FAR_PROMISE = timedelta(days=2)
LONG_WINDOW = timedelta(days=7)


def check_far_times(
    incidents: list[Incident], config: SiteConfig, now: datetime
) -> Iterator[Problem]:
    """A next update promised days ahead, or a maintenance window lasting over a week."""
    for incident in incidents:
        latest = incident.latest_update
        promise = incident.next_update
        if promise is not None and latest is not None and promise - latest.at > FAR_PROMISE:
            yield _warning(
                incident,
                incident.lines.get("next_update", 1),
                "next_update",
                f"promises the next update {format_duration(promise - latest.at)} after the "
                "last one; customers expect one about hourly: is the date right?",
            )
        start, end = incident.start, incident.end
        if incident.is_maintenance and start and end and end - start > LONG_WINDOW:
            yield _warning(
                incident,
                incident.lines.get("end", 1),
                "end",
                f"the window lasts {format_duration(end - start)}: are start and end right?",
            )


def check_next_update(
    incidents: list[Incident], config: SiteConfig, now: datetime
) -> Iterator[Problem]:
    """An open incident whose promised next update, or the policy's cadence, has passed."""
    for incident in incidents:
        due = next_update(_view(incident, now), config, now)
        if due is None or due.late_by is None:
            continue
        late = format_duration(due.late_by)
        command = f"statuspage update {incident.id} --status … --next 30m"
        if due.promised:
            yield _warning(
                incident,
                incident.lines.get("next_update", 1),
                "next_update",
                f"the next update was promised by {explained_time(due.due, config.timezone)} "
                f"and is {late} late; post one now, even without news ({command})",
            )
        else:
            yield _cadence_warning(incident, config, now, late, command)


def _cadence_warning(
    incident: Incident, config: SiteConfig, now: datetime, late: str, command: str
) -> Problem:
    latest = incident.latest_update
    assert latest is not None
    monitoring = latest.status is UpdateStatus.MONITORING
    policy = config.policy
    every = policy.update_every_monitoring if monitoring else policy.update_every
    return _warning(
        incident,
        latest.line,
        "update",
        f"no update for {format_duration(now - latest.at)} while {latest.status.label}; "
        f"the policy promises one every {human_duration(every)}, so it is {late} late "
        f"({command})",
    )


def check_postmortem_due(
    incidents: list[Incident], config: SiteConfig, now: datetime
) -> Iterator[Problem]:
    """A resolved incident of an impact in ``postmortem_for`` without its postmortem in time."""
    policy = config.policy
    for incident in incidents:
        resolved = incident.resolved_at
        if incident.impact not in policy.postmortem_for or resolved is None:
            continue
        due = resolved + policy.postmortem_within
        if incident.postmortem is not None or now <= due:
            continue
        latest = incident.latest_update
        assert latest is not None
        yield _warning(
            incident,
            latest.line,
            "postmortem",
            f"a {incident.impact.label.lower()} incident needs a postmortem within "
            f"{human_duration(policy.postmortem_within)} of being resolved: it was due by "
            f"{explained_time(due, config.timezone)} and is {format_duration(now - due)} late "
            f"(statuspage postmortem {incident.id})",
        )


def check_maintenance_completed(
    incidents: list[Incident], config: SiteConfig, now: datetime
) -> Iterator[Problem]:
    """A maintenance window that ended over an hour ago without a Completed update."""
    for incident in incidents:
        end = incident.end
        if not incident.is_maintenance or end is None or now <= end + MAINTENANCE_GRACE:
            continue
        if any(u.status is UpdateStatus.COMPLETED for u in incident.updates):
            continue
        yield _warning(
            incident,
            incident.lines.get("end", 1),
            "end",
            f"the window ended {format_duration(now - end)} ago "
            f"({explained_time(end, config.timezone)}) and no Completed update tells customers "
            f"how it went (statuspage update {incident.id} --status completed -m …)",
        )


def check_postmortem_parts(
    incidents: list[Incident], config: SiteConfig, now: datetime
) -> Iterator[Problem]:
    """A postmortem without one of the required ``###`` parts."""
    for incident in incidents:
        postmortem = incident.postmortem
        if postmortem is None:
            continue
        missing = missing_parts(postmortem.body)
        if missing:
            headings = ", ".join(f"'### {part}'" for part in missing)
            yield _warning(
                incident,
                postmortem.line,
                "postmortem",
                f"missing {join_words(missing)}; add {headings}",
            )
