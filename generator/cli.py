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

from .errors import Severity, StatusPageError, ValidationError

F = TypeVar("F", bound=Callable[..., Any])
STATUS_NAMES = ["investigating", "identified", "monitoring", "update", "resolved"]


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    from .times import TimeFormatError, parse_time

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
    from .config import read_mkdocs_yml
    from .edit import Workspace

    return Workspace(config_file.resolve().parent, read_mkdocs_yml(config_file))


def _next(now: datetime, value: str | None) -> datetime | None:
    if value is None:
        return None
    from .times import TimeFormatError, parse_duration

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
    """
    from .edit import NewIncident, create
    from .model import UpdateStatus
    from .times import parse_time

    ws = _workspace(config_file)
    text = _message(message, message_file)
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
@click.option("--status", type=click.Choice(STATUS_NAMES), required=True)
@click.option(
    "--next", "next_in", metavar="DURATION", help="Promise the next update in DURATION (30m, 1h)."
)
@message_options
@common_options
def update(
    incident_id: str,
    status: str,
    next_in: str | None,
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
    """
    from .edit import append
    from .model import UpdateStatus

    ws = _workspace(config_file)
    text = _message(message, message_file)
    path = append(ws, incident_id, UpdateStatus(status), text, now, _next(now, next_in))
    click.echo(_shown(path))


@main.command()
@click.argument("incident_id", metavar="ID")
@message_options
@common_options
def resolve(
    incident_id: str, message: str | None, message_file: Any, config_file: Path, now: datetime
) -> None:
    """Mark an incident resolved with a closing update.

    \b
    Example:
      statuspage resolve 2026-11-20-elevated-api-errors \\
        -m "Error rates have been normal for an hour. We are sorry for the disruption."
    """
    from .edit import append
    from .model import UpdateStatus

    ws = _workspace(config_file)
    text = _message(message, message_file)
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
    from .config import read_mkdocs_yml
    from .lint import lint as run_lint

    config = read_mkdocs_yml(config_file)
    problems = run_lint(config, config_file.resolve().parent, now)
    for problem in problems:
        click.echo(problem.github() if output == "github" else str(problem))
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
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _shown(path: Path) -> str:
    from .errors import display_path

    return display_path(path)
