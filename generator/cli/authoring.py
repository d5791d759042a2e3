"""The commands that write incident files: new, update, resolve, maintenance, postmortem."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.model import (
    INCIDENT_IMPACTS,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    Impact,
    UpdateStatus,
)
from .options import Command, common_options, draft_options, enum_option, incident_fields, shown

if TYPE_CHECKING:
    from ..authoring.commands import Affected, Draft


@click.command(cls=Command)
@click.argument("title")
@enum_option("--impact", choices=INCIDENT_IMPACTS, default=Impact.MINOR)
@incident_fields(components_required=False)
@enum_option(
    "--status",
    choices=INCIDENT_STATUSES[:-1],  # an incident opens; resolve closes it
    spell=lambda s: s.cli_name,
    default=UpdateStatus.INVESTIGATING,
)
@click.option("--started", metavar="TIME", help="When the impact began, if before now.")
@click.option("--id", "incident_id", help="The file name without .md (default: date-slug).")
@draft_options(promise=True)
def new(
    title: str,
    impact: Impact,
    affected: Affected,
    status: UpdateStatus,
    started: str | None,
    incident_id: str | None,
    draft: Draft,
) -> None:
    """Open a new incident with its first update, stamped now; print its path.

    \b
    Example:
      statuspage new "Elevated API errors" --impact major -c api \\
        --scope "EU customers calling the REST API" --next 30m \\
        -m "We are investigating elevated error rates on the API."
      statuspage new "Slow sign-in" -c auth --template investigating
    """
    from ..authoring.commands import incident_spec, open_incident

    ws = draft.workspace()
    spec = incident_spec(ws, draft, title, impact, affected, started)
    path = open_incident(ws, spec, status, draft, incident_id)
    click.echo(shown(path))
    _promise_note(draft, path)


@click.command(cls=Command)
@click.argument("incident_id", metavar="ID")
@enum_option(
    "--status",
    choices=INCIDENT_STATUSES + MAINTENANCE_STATUSES,
    spell=lambda s: s.cli_name,
    required=True,
    help="Incidents: investigating … resolved; maintenance: scheduled … completed.",
)
@click.option(
    "--reopen",
    is_flag=True,
    help="Reopen a resolved incident (or completed maintenance) with this update.",
)
@draft_options(promise=True)
def update(incident_id: str, status: UpdateStatus, reopen: bool, draft: Draft) -> None:
    """Add an update to an incident; everything else in the file stays as it is.

    ID is the file name without .md, or the file's path (incidents/….md).
    The update replaces the earlier promise of the next one: --next makes a
    new promise, and without it the policy's cadence applies from now.

    \b
    Example:
      statuspage update 2026-11-22-dashboard-slow --status identified \\
        --next 30 -m "A cache node failed; we are rebuilding it."
      statuspage update incidents/2026/2026-12-05-network-maintenance.md \\
        --status in-progress -m "The upgrade has started."
      statuspage update 2026-11-20-api-errors --reopen --status investigating \\
        -m "Errors are back for some EU customers; we are investigating."
    """
    from ..authoring.commands import post_update

    path = post_update(draft, incident_id, status, reopen=reopen)
    click.echo(shown(path))
    _promise_note(draft, path)


@click.command(cls=Command)
@click.argument("incident_id", metavar="ID")
@draft_options()
def resolve(incident_id: str, draft: Draft) -> None:
    """Mark an incident resolved with a closing update.

    Refused when it is already resolved: a further note is
    'update ID --status resolved', and 'update ID --reopen' reopens it.

    \b
    Example:
      statuspage resolve 2026-11-22-dashboard-slow \\
        -m "Pages have loaded normally for an hour. We are sorry for the slow pages."
      statuspage resolve 2026-11-22-dashboard-slow --template resolved \\
        --set cause="a failed cache node"
    """
    from ..authoring.commands import post_update

    path = post_update(draft, incident_id, UpdateStatus.RESOLVED, resolving=True)
    click.echo(shown(path))


@click.command(cls=Command)
@click.argument("title")
@click.option("--start", required=True, metavar="TIME", help="When the window opens.")
@click.option("--end", required=True, metavar="TIME", help="When it closes, or its length (2h).")
@incident_fields(components_required=True)
@enum_option(
    "--impact",
    choices=(Impact.MAINTENANCE, *INCIDENT_IMPACTS),
    default=Impact.MAINTENANCE,
    help="The components' status during the window: under maintenance, operational, "
    "degraded, partial or major outage.",
)
@click.option("--id", "incident_id", help="The file name without .md (default: start-slug).")
@draft_options()
def maintenance(
    title: str,
    start: str,
    end: str,
    affected: Affected,
    impact: Impact,
    incident_id: str | None,
    draft: Draft,
) -> None:
    """Announce a maintenance window with a first 'Scheduled' update; print its path.

    The page shows it as upcoming, then in progress during the window (the
    components under maintenance), then completed, by the clock of each build.

    \b
    Example:
      statuspage maintenance "Database upgrade" -c db --start "2026-12-05 06:00" \\
        --end 2h -m "Each database is read-only for up to two minutes."
      statuspage maintenance "Database upgrade" -c db --start "2026-12-05 06:00" \\
        --end "2026-12-05 08:00" --template maintenance-scheduled --set effect="..."
    """
    from ..authoring.commands import maintenance_spec, open_incident

    ws = draft.workspace()
    spec = maintenance_spec(ws, title, affected, (start, end), impact)
    click.echo(shown(open_incident(ws, spec, UpdateStatus.SCHEDULED, draft, incident_id)))


@click.command(cls=Command)
@click.argument("incident_id", metavar="ID")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Fill a part of templates/postmortem.md ({why}, …); repeat for several.",
)
@common_options
def postmortem(
    incident_id: str, assignments: tuple[str, ...], config_file: Path, now: datetime
) -> None:
    """Append a postmortem draft to a resolved incident; print its path.

    The draft follows templates/postmortem.md (apology, what happened, why it
    happened, what we did, what we are changing) with the timeline filled in
    from the updates. Write the parts still in {braces}: lint refuses them,
    so an unfinished postmortem is never published.

    \b
    Example:
      statuspage postmortem 2026-11-22-dashboard-slow
      statuspage postmortem incidents/2026/2026-11-22-dashboard-slow.md \\
        --set why="A load balancer health check timed out under peak load."
    """
    from ..authoring.commands import draft_postmortem
    from ..authoring.edit import Workspace

    ws = Workspace.open(config_file)
    path, todo = draft_postmortem(ws, incident_id, now, assignments)
    click.echo(shown(path))
    if todo:
        click.echo(
            f"Now write {', '.join('{' + n + '}' for n in todo)} in {shown(path)}; "
            "statuspage lint refuses the file until they are filled.",
            err=True,
        )


def _promise_note(draft: Draft, path: Path) -> None:
    """Say on stderr when customers will expect the next update, and why."""
    from ..authoring.listing import promise_note

    note = promise_note(draft.workspace(), path, draft.now)
    if note:
        click.echo(note, err=True)
