"""The commands that read the incidents: lint, build, serve, announce, ping-hub, report."""

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


@click.command("list", cls=Command)
@click.option("--all", "everything", is_flag=True, help="Every incident, resolved ones too.")
@format_option(
    OutputFormat.TEXT,
    OutputFormat.JSON,
    help="json: for scripts (keys in docs/on-call.md).",
)
@common_options
def list_command(everything: bool, output: OutputFormat, config_file: Path, now: datetime) -> None:
    """Show open incidents and upcoming or ongoing maintenance, with their ids.

    Each row has the id to give other commands, the status, the last update
    and the next one customers expect; LATE marks a promise that has passed.

    \b
    Example:
      statuspage list
      statuspage list --all --format json | jq -r '.incidents[].id'
      statuspage list --now "2026-11-22 10:00"
    """
    from ..authoring.edit import Workspace
    from ..authoring.listing import as_json, as_text, later_notes, listing

    found = listing(Workspace.open(config_file), now, everything=everything)
    click.echo(as_json(found) if output is OutputFormat.JSON else as_text(found), nl=False)
    for path in found.broken:
        click.echo(f"warning: {path} has errors and is not listed (statuspage lint)", err=True)
    for note in later_notes(found):
        click.echo(note, err=True)


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
    "now_text",
    metavar="TIME",
    help="Preview as if it were TIME (in the site's zone unless it names one), "
    "and keep the clock there (default: the real clock).",
)
def serve(dev_addr: str, config_file: Path, now_text: str | None) -> None:
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
    now = optional_now(now_text, config_file)
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
      statuspage announce --since "$BEFORE" --send   # after a deploy (ids or paths)
    """
    from .. import announce as core
    from ..authoring.edit import Workspace
    from ..authoring.ids import incident_id_of

    ws = Workspace.open(config_file)
    ids = [incident_id_of(ws.incidents, given) for given in incident_ids]
    items = core.select(ws.config, ws.root, now, ids, since)
    if not items:
        click.echo("Nothing to announce.", err=True)
    elif send:
        _announce_send(core.deliver(items, ws.config, ws.root, os.environ, now))
    else:
        text = core.dry_run(items, ws.config, ws.root, as_json=output is OutputFormat.JSON)
        click.echo(text, nl=False)


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


@click.command("ping-hub", cls=Command)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The built site whose feeds are compared (default: site/ beside mkdocs.yml).",
)
@click.option("--dry-run", is_flag=True, help="Print the feeds that changed; notify nothing.")
@common_options
def ping_hub(site_dir: Path | None, dry_run: bool, config_file: Path, now: datetime) -> None:
    """Tell the WebSub hub (websub_hub) about every feed that changed since it was last told.

    Run it after each deployment: subscribers then get the update within
    seconds. A state file (websub_state_file) remembers what the hub heard,
    so running it twice notifies nothing the second time.

    \b
    Example:
      statuspage build && statuspage ping-hub --dry-run
      statuspage ping-hub --site-dir site/   # after the deploy
    """
    from ..announce.websub import ping_hub as run
    from ..authoring.edit import Workspace

    ws = Workspace.open(config_file)
    outcome = run(ws.config, ws.root, site_dir or ws.root / "site", dry_run=dry_run)
    verb = "would notify" if dry_run else "notified"
    for topic in outcome.pinged:
        click.echo(f"{verb} {outcome.hub}: {topic}")
    click.echo(f"{len(outcome.pinged)} feed(s) {verb}, {outcome.unchanged} unchanged.", err=True)
    if outcome.failure:
        raise click.ClickException(outcome.failure)


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
