"""The ``statuspage`` command line: the only module that imports click.

Each command builds the library objects, calls one function and turns known
errors into a clean ``Error:`` line and a non-zero exit.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from .core.errors import Severity, StatusPageError, ValidationError

F = TypeVar("F", bound=Callable[..., Any])
STATUS_NAMES = ["investigating", "identified", "monitoring", "update", "resolved"]
MAINTENANCE_STATUS_NAMES = ["scheduled", "in-progress", "verifying", "completed"]


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    from .core.times import TimeFormatError, parse_time

    try:
        return parse_time(value, ZoneInfo("UTC"))
    except TimeFormatError as exc:
        raise click.BadParameter(str(exc)) from None


def common_options(func: F) -> F:
    """``--config`` and ``--now``, shared by every command."""

    @click.option(
        "--config",
        "config_file",
        default="mkdocs.yml",
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The site's mkdocs.yml.",
    )
    @click.option(
        "--now",
        callback=_parse_now,
        metavar="TIME",
        expose_value=True,
        help="Act as if it were TIME (YYYY-MM-DD HH:MM UTC), for reproducible runs.",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(_count(exc.problems)) from None
        except StatusPageError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def message_options(func: F) -> F:
    """``-m``/``--message`` and ``-F``/``--message-file``; else ``$EDITOR``."""
    func = click.option(
        "-F",
        "--message-file",
        type=click.File("r", encoding="utf-8"),
        help="Read the message from a file ('-' for standard input).",
    )(func)
    return click.option("-m", "--message", help="The update's text (Markdown).")(func)


def template_options(func: F) -> F:
    """``--template NAME`` and repeatable ``--set KEY=VALUE`` (message templates)."""
    func = click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="KEY=VALUE",
        help="Fill the template's {KEY}; repeat for several.",
    )(func)
    return click.option(
        "--template",
        "-t",
        "template_name",
        metavar="NAME",
        help="Start the message from templates/NAME.md; -m adds a paragraph after it.",
    )(func)


def _message(message: str | None, message_file: Any, template: str = "") -> str:
    if message is not None and message_file is not None:
        raise click.UsageError("give either --message or --message-file, not both")
    text = message if message is not None else (message_file.read() if message_file else None)
    if text is None and (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
        text = click.edit(
            template + "\n# Write the update above. Lines starting with '# ' are removed.\n",
            require_save=True,
        )
        if text is not None:
            text = "\n".join(x for x in text.splitlines() if not x.startswith("# "))
    if not text or not text.strip():
        raise click.UsageError("no message: pass -m TEXT, -F FILE, or set $EDITOR")
    return text.strip()


def _workspace(config_file: Path) -> Any:
    from .authoring.edit import Workspace
    from .core.config import read_mkdocs_yml

    return Workspace(config_file.resolve().parent, read_mkdocs_yml(config_file))


def _next(now: datetime, value: str | None) -> datetime | None:
    if value is None:
        return None
    from .core.times import TimeFormatError, parse_duration

    try:
        return now + parse_duration(value)
    except TimeFormatError as exc:
        raise click.BadParameter(str(exc), param_hint="--next") from None


def _count(problems: list[Any]) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gitstatus-generator")
def main() -> None:
    """A status page that lives in git.

    Incidents are Markdown files in incidents/; these commands write them,
    check them and build the status site.
    """


@main.command()
@click.argument("title")
@click.option(
    "--impact",
    type=click.Choice(["none", "minor", "major", "critical"]),
    default="minor",
    show_default=True,
)
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    help="A component id from mkdocs.yml; repeat for several.",
)
@click.option(
    "--status", type=click.Choice(STATUS_NAMES[:4]), default="investigating", show_default=True
)
@click.option("--scope", default="", help="Who is affected, specifically.")
@click.option("--workaround", default="", help="What customers can do meanwhile.")
@click.option(
    "--next", "next_in", metavar="DURATION", help="Promise the next update in DURATION (30m, 1h)."
)
@click.option("--started", metavar="TIME", help="When the impact began, if before now.")
@click.option("--id", "incident_id", help="The file name without .md (default: date-slug).")
@template_options
@message_options
@common_options
def new(
    title: str,
    impact: str,
    components: tuple[str, ...],
    status: str,
    scope: str,
    workaround: str,
    next_in: str | None,
    started: str | None,
    incident_id: str | None,
    template_name: str | None,
    assignments: tuple[str, ...],
    message: str | None,
    message_file: Any,
    config_file: Path,
    now: datetime,
) -> None:
    """Open a new incident with its first update, stamped now; print its path.

    \b
    Example:
      statuspage new "Elevated API errors" --impact major -c api \\
        --scope "EU customers calling the REST API" --next 30m \\
        -m "We are investigating elevated error rates on the API."
      statuspage new "Slow sign-in" -c auth --template investigating
    """
    from .authoring.edit import NewIncident, create
    from .authoring.messages import context
    from .core.model import UpdateStatus
    from .core.times import parse_time

    ws = _workspace(config_file)
    defaults = context(
        ws.config,
        title=title,
        components=components,
        scope=scope,
        workaround=workaround,
        next_update=_next(now, next_in),
    )
    text = _compose(ws, template_name, assignments, message, message_file, defaults)
    spec = NewIncident(
        title=title,
        impact=impact,
        components=components,
        scope=scope,
        workaround=workaround,
        next_update=_next(now, next_in),
        started=parse_time(started, ws.config.timezone) if started else None,
    )
    path = create(ws, spec, UpdateStatus(status), text, now, incident_id)
    click.echo(_shown(path))


@main.command()
@click.argument("incident_id", metavar="ID")
@click.option(
    "--status",
    type=click.Choice(STATUS_NAMES + MAINTENANCE_STATUS_NAMES, case_sensitive=False),
    required=True,
    help="Incidents: investigating … resolved; maintenance: scheduled … completed.",
)
@click.option(
    "--next", "next_in", metavar="DURATION", help="Promise the next update in DURATION (30m, 1h)."
)
@template_options
@message_options
@common_options
def update(
    incident_id: str,
    status: str,
    next_in: str | None,
    template_name: str | None,
    assignments: tuple[str, ...],
    message: str | None,
    message_file: Any,
    config_file: Path,
    now: datetime,
) -> None:
    """Add an update to an incident; everything else in the file stays as it is.

    \b
    Example:
      statuspage update 2026-11-20-elevated-api-errors --status identified \\
        --next 30m -m "A faulty load balancer change; we are rolling it back."
      statuspage update 2026-12-05-network-upgrade --status in-progress -m "Started."
    """
    from .authoring.edit import append
    from .core.model import UpdateStatus

    ws = _workspace(config_file)
    promise = _next(now, next_in)
    defaults = _incident_defaults(ws, incident_id, template_name, promise)
    text = _compose(ws, template_name, assignments, message, message_file, defaults)
    parsed = UpdateStatus.parse(status)
    assert parsed is not None  # click.Choice only lets known names through
    path = append(ws, incident_id, parsed, text, now, promise)
    click.echo(_shown(path))


@main.command()
@click.argument("incident_id", metavar="ID")
@template_options
@message_options
@common_options
def resolve(
    incident_id: str,
    template_name: str | None,
    assignments: tuple[str, ...],
    message: str | None,
    message_file: Any,
    config_file: Path,
    now: datetime,
) -> None:
    """Mark an incident resolved with a closing update.

    \b
    Example:
      statuspage resolve 2026-11-20-elevated-api-errors \\
        -m "Error rates have been normal for an hour. We are sorry for the disruption."
      statuspage resolve 2026-11-20-elevated-api-errors --template resolved \\
        --set cause="a faulty load balancer change"
    """
    from .authoring.edit import append
    from .core.model import UpdateStatus

    ws = _workspace(config_file)
    defaults = _incident_defaults(ws, incident_id, template_name)
    text = _compose(ws, template_name, assignments, message, message_file, defaults)
    click.echo(_shown(append(ws, incident_id, UpdateStatus.RESOLVED, text, now)))


@main.command()
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github prints workflow annotations for pull requests.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@common_options
def lint(output: str, strict: bool, config_file: Path, now: datetime) -> None:
    """Check every incident file; exit 1 on errors (or warnings with --strict).

    \b
    Example:
      statuspage lint
      statuspage lint --format github   # in a pull-request workflow
    """
    from dataclasses import replace

    from .authoring.lint import lint as run_lint
    from .core.config import read_mkdocs_yml

    config = read_mkdocs_yml(config_file)
    root = config_file.resolve().parent
    problems = run_lint(config, root, now)
    if output == "github":
        # GitHub places an annotation by its path from the repository root (the
        # working directory), also when mkdocs.yml lives in a subfolder.
        where = _shown(root)

        def from_checkout(path: str) -> str:
            if ".." in path.split("/") or Path(path).is_absolute():
                return _shown(root / path)  # incidents kept outside the site's folder
            return path if where == "." else f"{where}/{path}"

        lines = [replace(p, path=from_checkout(p.path)).github() for p in problems]
    else:
        lines = [str(p) for p in problems]
    if lines:
        click.echo("\n".join(lines))  # one write: thousands of warnings in a CI log
    failing = [p for p in problems if strict or p.severity is Severity.ERROR]
    summary = _count(problems)
    if failing:
        raise click.ClickException(summary)
    click.echo(f"OK: {summary}", err=True)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on MkDocs warnings (broken links).")
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to build (default: site_dir of mkdocs.yml, usually site/).",
)
@common_options
def build(strict: bool, site_dir: Path | None, config_file: Path, now: datetime) -> None:
    """Build the status site atomically: a failed build keeps the previous site.

    \b
    Example:
      statuspage build --strict
    """
    from .plugin import build_site

    _quiet_mkdocs(failure_raised=True)
    target = build_site(config_file, site_dir=site_dir, strict=strict, now=now)
    click.echo(f"Built {_shown(target)}/", err=True)


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
def serve(dev_addr: str, config_file: Path) -> None:
    """Preview the site; rebuilds on every change to incidents/ or the site.

    A file with errors shows them here and keeps the server running.

    \b
    Example:
      statuspage serve --dev-addr 127.0.0.1:8000
    """
    from .plugin import serve_site

    _quiet_mkdocs(failure_raised=False)
    serve_site(config_file, dev_addr)


def _compose(
    ws: Any,
    template_name: str | None,
    assignments: tuple[str, ...],
    message: str | None,
    message_file: Any,
    defaults: dict[str, str],
) -> str:
    """The update's text: a message, or a template filled from defaults and ``--set``.

    With a template, ``-m``/``-F`` add a paragraph after it, and placeholders
    still unfilled open ``$EDITOR`` when no message is given; a text that
    still has any is refused, so a half-written template never goes out.
    """
    if template_name is None:
        if assignments:
            raise click.UsageError("--set fills a template's placeholders: add --template NAME")
        return _message(message, message_file)
    from .authoring.messages import fill_template, load_template, parse_assignments, require_filled
    from .core.placeholders import find_placeholders

    template = load_template(ws.root / ws.config.templates_dir, template_name)
    text = fill_template(template, defaults, parse_assignments(assignments))
    if message is not None or message_file is not None:
        text += "\n\n" + _message(message, message_file)
    elif find_placeholders(text) and (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
        text = _message(None, None, text)
    return require_filled(template_name, text)


def _incident_defaults(
    ws: Any, incident_id: str, template_name: str | None, promise: datetime | None = None
) -> dict[str, str]:
    """Template defaults from the incident file (only read when a template is used)."""
    if template_name is None:
        return {}
    from .authoring.edit import read_incident
    from .authoring.messages import incident_context

    return incident_context(ws.config, read_incident(ws, incident_id), promise)


def _window_end(start: datetime, value: str, tz: Any) -> datetime:
    """``--end`` as a time, or as a duration after ``--start`` (``2h``)."""
    from .core.times import TimeFormatError, parse_duration, parse_time

    try:
        return parse_time(value, tz)
    except TimeFormatError as exc:
        try:
            return start + parse_duration(value)
        except TimeFormatError:
            raise click.BadParameter(
                f"{exc}; or a duration such as 2h", param_hint="--end"
            ) from None


@main.command()
@click.argument("title")
@click.option("--start", required=True, metavar="TIME", help="When the window opens.")
@click.option(
    "--end", required=True, metavar="TIME", help="When it closes, or its length (2h, 90m)."
)
@click.option(
    "--component",
    "-c",
    "components",
    multiple=True,
    required=True,
    help="A component id from mkdocs.yml; repeat for several.",
)
@click.option(
    "--impact",
    type=click.Choice(["maintenance", "none", "minor", "major", "critical"]),
    default="maintenance",
    show_default=True,
    help="The components' status during the window: under maintenance, operational, "
    "degraded, partial or major outage.",
)
@click.option("--scope", default="", help="Who is affected, specifically.")
@click.option("--workaround", default="", help="What customers can do meanwhile.")
@click.option("--id", "incident_id", help="The file name without .md (default: start-slug).")
@template_options
@message_options
@common_options
def maintenance(
    title: str,
    start: str,
    end: str,
    components: tuple[str, ...],
    impact: str,
    scope: str,
    workaround: str,
    incident_id: str | None,
    template_name: str | None,
    assignments: tuple[str, ...],
    message: str | None,
    message_file: Any,
    config_file: Path,
    now: datetime,
) -> None:
    """Announce a maintenance window with a first 'Scheduled' update; print its path.

    The page shows it as upcoming, then in progress during the window (the
    components under maintenance), then completed, by the clock of each build.

    \b
    Example:
      statuspage maintenance "Database upgrade" -c db \\
        --start "2026-12-05 06:00 UTC" --end 2h \\
        -m "Each database is read-only for up to two minutes."
      statuspage maintenance "Database upgrade" -c db --start "2026-12-05 06:00" \\
        --end "2026-12-05 08:00" --template maintenance-scheduled --set effect="..."
    """
    from .authoring.edit import NewIncident, create
    from .authoring.messages import context
    from .core.model import STATUS_FOR_IMPACT, Impact, Kind, UpdateStatus
    from .core.times import TimeFormatError, parse_time

    ws = _workspace(config_file)
    tz = ws.config.timezone
    try:
        opens = parse_time(start, tz)
    except TimeFormatError as exc:
        raise click.BadParameter(str(exc), param_hint="--start") from None
    closes = _window_end(opens, end, tz)
    spec = NewIncident(
        title=title,
        kind=Kind.MAINTENANCE,
        impact=None,
        components=components,
        scope=scope,
        workaround=workaround,
        start=opens,
        end=closes,
        component_status=None if impact == "maintenance" else STATUS_FOR_IMPACT[Impact(impact)],
    )
    defaults = context(
        ws.config,
        title=title,
        components=components,
        scope=scope,
        workaround=workaround,
        start=opens,
        end=closes,
    )
    text = _compose(ws, template_name, assignments, message, message_file, defaults)
    click.echo(_shown(create(ws, spec, UpdateStatus.SCHEDULED, text, now, incident_id)))


@main.command()
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
      statuspage postmortem 2026-11-20-elevated-api-errors
      statuspage postmortem 2026-11-20-elevated-api-errors \\
        --set why="A load balancer health check timed out under peak load."
    """
    from .authoring.edit import add_postmortem
    from .authoring.messages import parse_assignments
    from .core.placeholders import find_placeholders

    ws = _workspace(config_file)
    path = add_postmortem(ws, incident_id, now, parse_assignments(assignments))
    click.echo(_shown(path))
    text = path.read_text(encoding="utf-8")
    todo = list(dict.fromkeys(p.name for p in find_placeholders(text)))
    if todo:
        click.echo(
            f"Now write {', '.join('{' + n + '}' for n in todo)} in {_shown(path)}; "
            "statuspage lint refuses the file until they are filled.",
            err=True,
        )


@main.command()
@click.argument("incident_ids", metavar="[ID]...", nargs=-1)
@click.option(
    "--since",
    metavar="GIT_REF",
    help="Announce every update added since this git revision (e.g. the commit before a push).",
)
@click.option("--send", is_flag=True, help="Send to the configured targets (default: print only).")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print what would be sent (without --send).",
)
@common_options
def announce(
    incident_ids: tuple[str, ...],
    since: str | None,
    send: bool,
    output: str,
    config_file: Path,
    now: datetime,
) -> None:
    """Render updates as an e-mail and a social post; with --send, deliver them.

    Without IDs or --since: the newest update of each active incident. Each
    update reaches each target (e-mail, webhooks) once: a state file records
    what was delivered, and a failed target is retried on the next run.

    \b
    Example:
      statuspage announce                      # print what is current
      statuspage announce 2026-11-20-api-errors --format json
      statuspage announce --since "$BEFORE" --send   # after a deploy
    """
    import json

    from . import announce as core
    from .core.config import read_mkdocs_yml

    config = read_mkdocs_yml(config_file)
    root = config_file.resolve().parent
    items = core.select(config, root, now, incident_ids, since)
    if not items:
        click.echo("Nothing to announce.", err=True)
    elif send:
        _announce_send(core.deliver(items, config, root, os.environ, now))
    else:
        state = core.DeliveryLog.load(core.state_path(config, root))
        targets = core.target_names(config)
        if output == "json":
            shown = [core.preview(a, state, targets) for a in items]
            click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        else:
            click.echo("\n".join(core.preview_text(a, state, targets) for a in items), nl=False)


def _announce_send(report: Any) -> None:
    for line in report.sent:
        click.echo(line)
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in report.failures:
        click.echo(line, err=True)
    click.echo(
        f"Sent {len(report.sent)}, already sent {report.already}, "
        f"failed {len(report.failures)} target(s).",
        err=True,
    )
    if report.failures:
        raise click.ClickException(f"{len(report.failures)} target(s) failed; run again to retry")


@main.command()
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="Only incidents that began on or after DATE (YYYY-MM-DD, in the site's time zone).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text: aligned tables; json: for scripts; markdown: for an issue or a review.",
)
@common_options
def report(since: datetime | None, output: str, config_file: Path, now: datetime) -> None:
    """Print the reliability scorecard: per month, per incident, by component and impact.

    \b
    Example:
      statuspage report
      statuspage report --since 2026-09-01 --format markdown
      statuspage report --format json > scorecard.json
    """
    import json

    from . import report as core
    from .core.config import read_mkdocs_yml
    from .core.loader import load_incidents
    from .core.status import compute_status

    config = read_mkdocs_yml(config_file)
    loaded = load_incidents(config, config_file.resolve().parent, now)
    loaded.raise_for_errors()
    views = compute_status(config, loaded.incidents, now).views
    card = core.build_scorecard(config, views, now, since.date() if since else None)
    if output == "json":
        click.echo(json.dumps(core.to_json(card, config), indent=2, ensure_ascii=False))
    elif output == "markdown":
        click.echo(core.to_markdown(card, config), nl=False)
    else:
        click.echo(core.to_text(card, config), nl=False)


def _quiet_mkdocs(*, failure_raised: bool) -> None:
    import logging

    from .plugin import FAILURE_PREFIX

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        # build_site raises the plugin's failure with every problem; don't print it twice.
        if failure_raised:
            handler.addFilter(lambda record: not str(record.msg).startswith(FAILURE_PREFIX))
            # build_site builds into a staging folder; "Built site/" names the real one.
            handler.addFilter(
                lambda record: not str(record.msg).startswith("Building documentation to")
            )
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _shown(path: Path) -> str:
    from .core.errors import display_path

    return display_path(path)
