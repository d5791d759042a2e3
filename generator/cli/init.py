"""``statuspage init``: a new status page repository."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..core.errors import ArgumentError
from ..core.model import OutputFormat
from .options import Command, common_options, format_option

if TYPE_CHECKING:
    from ..init.scaffold import ComponentSpec


def _asked(value: Any, option: str, prompt: str, default: str | None = None) -> Any:
    """``value``, else asked for in a terminal, else refused."""
    if value:
        return value
    if not sys.stdin.isatty():
        raise ArgumentError(f"missing {option} (standard input is not a terminal to ask)", option)
    return click.prompt(prompt, default=default).strip()


def _components(given: tuple[str, ...]) -> tuple[ComponentSpec, ...]:
    from ..init.scaffold import parse_component

    if not given and sys.stdin.isatty():
        answer = click.prompt(
            'Components, as id:Name separated by ";" (api:Public API; web:Website)'
        )
        given = tuple(part for part in answer.split(";") if part.strip())
    if not given:
        raise ArgumentError(
            "missing --component (standard input is not a terminal to ask)", "--component"
        )
    return tuple(parse_component(text) for text in given)


@click.command("init", cls=Command)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help='The site\'s name, e.g. "Example Status".')
@click.option("--url", help="Where the page will live, e.g. https://status.example.org/.")
@click.option("--timezone", help="IANA time zone of the page, e.g. Europe/Berlin.")
@click.option("components", "--component", "-c", multiple=True, help='id:"Name"; repeatable.')
@click.option("groups", "--group", multiple=True, help="Name:id,id groups components; repeatable.")
@click.option(
    "--package", help="The requirement the workflows install (default: this copy's commit)."
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init(directory: Path, force: bool, **given: Any) -> None:
    """Create a status page repository in DIRECTORY (default: here).

    Options left out are asked for in a terminal and refused otherwise.

    \b
    Example:
      statuspage init my-status --name "Example Status" \\
          --url https://status.example.org/ --timezone Europe/Berlin \\
          --component api:"Public API" --component web:Website --group Platform:api,web
    """
    from ..init import scaffold, source

    options = scaffold.InitOptions(
        name=_asked(given["name"], "--name", "Site name", "Example Status"),
        url=_asked(given["url"], "--url", "Site URL (ends in /)"),
        timezone=_asked(given["timezone"], "--timezone", "IANA time zone", "UTC"),
        components=scaffold.apply_groups(_components(given["components"]), given["groups"]),
        requirement=source.check_requirement(given["package"])
        if given["package"]
        else source.package_requirement(),
    )
    scaffold.check_options(options)
    files = scaffold.repository_files(options)
    written = scaffold.write_repository(directory, files, force=force, now=datetime.now(UTC))
    click.echo(f"Wrote {len(written)} files to {directory}/; installs {options.requirement}")
    click.echo(f"Next: cd {directory} && statuspage build, then git init and push to GitHub.")


@click.command("summary", cls=Command)
@click.option(
    "--since",
    required=True,
    metavar="GIT_REF",
    help="Compare the incident files with this revision (a pull request's base).",
)
@format_option(OutputFormat.MARKDOWN, help="Markdown, for $GITHUB_STEP_SUMMARY.")
@common_options
def summary(since: str, output: OutputFormat, config_file: Path, now: datetime) -> None:
    """Say what the page will show once these incident changes are merged.

    For each incident file changed since GIT_REF: its status, components,
    next promised update and lint's warnings; then the page's overall status.

    \b
    Example:
      statuspage summary --since origin/main
      statuspage summary --since HEAD^1 >> "$GITHUB_STEP_SUMMARY"   # in a pull-request check
    """
    from ..authoring.edit import Workspace
    from ..authoring.summary import markdown, summarise

    ws = Workspace.open(config_file)
    click.echo(markdown(summarise(ws.config, ws.root, since, now)), nl=False)
