"""The commands that read the incidents: lint, build, serve, announce, report."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from ..core.errors import tally
from ..core.model import OutputFormat
from .options import Command, common_options, format_option, optional_now, shown


@click.command("lint", cls=Command)
@format_option(
    OutputFormat.TEXT,
    OutputFormat.GITHUB,
    help="github prints workflow annotations for pull requests.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@common_options
def lint_command(output: OutputFormat, strict: bool, config_file: Path, now: datetime) -> None:
    """Check every incident file; exit 1 on errors (or warnings with --strict).

    \b
    Example:
      statuspage lint
      statuspage lint --format github   # in a pull-request workflow
    """
    from ..authoring.edit import Workspace
    from ..authoring.lint import github_annotations
    from ..authoring.lint import lint as run_lint
    from ..core.errors import Severity

    ws = Workspace.open(config_file)
    problems = run_lint(ws.config, ws.root, now)
    github = output is OutputFormat.GITHUB
    lines = github_annotations(problems, ws.root) if github else [str(p) for p in problems]
    if lines:
        click.echo("\n".join(lines))  # one write: thousands of warnings in a CI log
    if any(strict or p.severity is Severity.ERROR for p in problems):
        raise click.ClickException(tally(problems))
    click.echo(f"OK: {tally(problems)}", err=True)


@click.command(cls=Command)
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
    from ..plugin import build_site

    _quiet_mkdocs(failure_raised=True)
    target = build_site(config_file, site_dir=site_dir, strict=strict, now=now)
    click.echo(f"Built {shown(target)}/", err=True)


@click.command(cls=Command)
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--now",
    callback=optional_now,
    metavar="TIME",
    help="Preview as if it were TIME, and keep the clock there (default: the real clock).",
)
def serve(dev_addr: str, config_file: Path, now: datetime | None) -> None:
    """Preview the site; an edit to an incident re-renders only what shows it.

    A change to mkdocs.yml or the site's own pages rebuilds it all. While a
    file has errors, every page lists them (file:line: field: message) and
    the server keeps running; the site comes back by itself once they are
    fixed.

    \b
    Example:
      statuspage serve --dev-addr 127.0.0.1:8000
      statuspage serve --now "2026-12-05 02:00 UTC"   # see a maintenance window start
    """
    from ..authoring.edit import Workspace
    from ..plugin import build_live, clock
    from ..site.server import serve as preview

    Workspace.open(config_file)  # a configuration that cannot be read stops here
    _quiet_mkdocs(failure_raised=True)
    build = lambda folder: build_live(config_file, folder, now)  # noqa: E731
    preview(build, config_file, dev_addr, lambda: now or clock())


@click.command(cls=Command)
@click.argument("incident_ids", metavar="[ID]...", nargs=-1)
@click.option("--since", metavar="GIT_REF", help="Every update added since this git revision.")
@click.option("--send", is_flag=True, help="Send to the configured targets (default: print only).")
@format_option(OutputFormat.TEXT, OutputFormat.JSON, help="How to print what would be sent.")
@common_options
def announce(
    incident_ids: tuple[str, ...],
    since: str | None,
    send: bool,
    output: OutputFormat,
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
    from .. import announce as core
    from ..authoring.edit import Workspace

    ws = Workspace.open(config_file)
    items = core.select(ws.config, ws.root, now, incident_ids, since)
    if not items:
        click.echo("Nothing to announce.", err=True)
    elif send:
        _announce_send(core.deliver(items, ws.config, ws.root, os.environ, now))
    else:
        as_json = output is OutputFormat.JSON
        click.echo(core.dry_run(items, ws.config, ws.root, as_json=as_json), nl=False)


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


@click.command(cls=Command)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="Only incidents that began on or after DATE (YYYY-MM-DD, in the site's time zone).",
)
@format_option(
    OutputFormat.TEXT,
    OutputFormat.JSON,
    OutputFormat.MARKDOWN,
    help="text: aligned tables; json: for scripts; markdown: for an issue or a review.",
)
@common_options
def report(since: datetime | None, output: OutputFormat, config_file: Path, now: datetime) -> None:
    """Print the reliability scorecard: per month, per incident, by component and impact.

    \b
    Example:
      statuspage report
      statuspage report --since 2026-09-01 --format markdown
      statuspage report --format json > scorecard.json
    """
    from .. import report as core
    from ..authoring.edit import Workspace

    ws = Workspace.open(config_file)
    card = core.scorecard_of(ws.config, ws.root, now, since.date() if since else None)
    click.echo(core.formatted(card, ws.config, output), nl=False)


def _quiet_mkdocs(*, failure_raised: bool) -> None:
    import logging

    from ..plugin import FAILURE_PREFIX

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
