"""What the commands share: the error conversion and the option bundles.

Library errors (:class:`StatusPageError`) become a clean ``Error:`` line in
one place, :class:`Command`; closed vocabularies come from their enums
(:func:`enum_option`); the options of the commands that write an update are
one bundle (:func:`draft_options`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar, cast

import click

from ..core.errors import ArgumentError, StatusPageError, ValidationError, display_path, tally
from ..core.model import Impact, OutputFormat, UpdateStatus

if TYPE_CHECKING:
    from ..authoring.commands import Editor

F = TypeVar("F", bound=Callable[..., Any])
Word = TypeVar("Word", bound=Impact | UpdateStatus | OutputFormat)


class Command(click.Command):
    """A command whose library errors end as one ``Error:`` line.

    Exit 1 for what is wrong in the files or the site, 2 for wrong arguments.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StatusPageError as exc:
            _fail(exc, ctx)
        except OSError as exc:  # the disk or permissions: name the file, skip the traceback
            where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from None


def _fail(exc: StatusPageError, ctx: click.Context) -> NoReturn:
    if isinstance(exc, ArgumentError):
        if exc.option:
            raise click.BadParameter(str(exc), ctx, param_hint=exc.option) from None
        raise click.UsageError(str(exc), ctx) from None
    if isinstance(exc, ValidationError):
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(tally(exc.problems)) from None
    raise click.ClickException(str(exc)) from None


class _Choice(click.Choice):  # type: ignore[type-arg]
    """Choices compared case-insensitively, with a did-you-mean for a typo."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        from ..core.errors import closest

        found = closest(str(value), [str(c) for c in self.choices])
        message = super().get_invalid_choice_message(value, ctx)
        return f"{message.rstrip('.')}; did you mean '{found}'?" if found else message


def enum_option(
    *decls: str,
    choices: Iterable[Word],
    spell: Callable[[Word], str] = str,
    default: Word | None = None,
    **kwargs: Any,
) -> Callable[[F], F]:
    """An option whose choices are enum members, case-insensitive; its value is the member."""
    members = {spell(m): m for m in choices}

    def to_member(ctx: click.Context, param: click.Parameter, value: str | None) -> Word | None:
        if value is None and param.required:  # a callback runs even for a missing option
            raise click.MissingParameter(ctx=ctx, param=param)
        return None if value is None else members[value]

    return click.option(
        *decls,
        type=_Choice(list(members), case_sensitive=False),
        callback=to_member,
        default=None if default is None else spell(default),
        show_default=default is not None,
        **kwargs,
    )


def _now(text: str | None, config_file: Path) -> datetime:
    """``--now`` (read in the site's zone unless it names one), else the clock.

    A time given has no fraction of a second; the clock's has one, which is how
    :func:`~generator.core.times.stamp` knows to write it to the minute.
    """
    if not text:
        return datetime.now(UTC)
    from ..authoring.edit import Workspace

    return Workspace.open(config_file).read_time(text, "--now").replace(microsecond=0)


def format_option(*choices: OutputFormat, help: str) -> Callable[[F], F]:
    """``--format``, passed on as ``output``; the first choice is the default."""
    return enum_option("--format", "output", choices=choices, default=choices[0], help=help)


def common_options(func: F) -> F:
    """``--config`` and ``--now``, shared by every command; passed on as ``now``."""

    @functools.wraps(func)
    def wrapper(*args: Any, now_text: str | None, config_file: Path, **kwargs: Any) -> Any:
        return func(*args, config_file=config_file, now=_now(now_text, config_file), **kwargs)

    return cast(F, _clock_options(wrapper))


def _clock_options(func: F) -> F:
    func = click.option(
        "--now",
        "now_text",
        metavar="TIME",
        help="Act as if it were TIME, for reproducible runs (YYYY-MM-DD HH:MM; "
        "without a zone, in the site's time zone).",
    )(func)
    return click.option(
        "--config",
        "config_file",
        default="mkdocs.yml",
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The site's mkdocs.yml.",
    )(func)


def draft_options(*, promise: bool = False) -> Callable[[F], F]:
    """The options of the commands that write an update, passed on as one ``draft``.

    ``-m``/``-F`` (else ``$EDITOR``), ``--template`` and ``--set``, ``--config``
    and ``--now``; with ``promise``, ``--next`` too.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(
            *args: Any,
            message: str | None,
            message_file: Any,
            template_name: str | None,
            assignments: tuple[str, ...],
            config_file: Path,
            now_text: str | None,
            next_in: str | None = None,
            **kwargs: Any,
        ) -> Any:
            from ..authoring.commands import Draft, Message

            given = message_file.read() if message_file is not None else None
            text = Message(message, given, template_name, assignments, _editor())
            now = _now(now_text, config_file)
            return func(*args, draft=Draft(config_file, now, text, next_in), **kwargs)

        command = _message_options(_clock_options(wrapper))
        if promise:  # listed first in --help: it is about the incident, not the message
            command = _promise_option(command)
        return cast(F, command)

    return decorate


def _promise_option(func: F) -> F:
    return click.option(
        "--next",
        "next_in",
        metavar="WHEN",
        help="Promise the next update in a duration (30 minutes: 30 or 30m; 1h) or at a "
        "time (07:00, 2026-12-01 07:00). Without it the policy's cadence applies "
        "from this update.",
    )(func)


def _message_options(func: F) -> F:
    for option in (
        click.option(
            "-F",
            "--message-file",
            type=click.File("r", encoding="utf-8"),
            help="Read the message from a file ('-' for standard input).",
        ),
        click.option("-m", "--message", help="The update's text (Markdown)."),
        click.option(
            "--set",
            "assignments",
            multiple=True,
            metavar="KEY=VALUE",
            help="Fill the template's {KEY}; repeat for several.",
        ),
        click.option(
            "--template",
            "-t",
            "template_name",
            metavar="NAME",
            help="Start the message from templates/NAME.md; -m adds a paragraph after it.",
        ),
    ):
        func = option(func)
    return func


def incident_fields(*, components_required: bool) -> Callable[[F], F]:
    """``-c/--component``, ``--scope`` and ``--workaround``, passed on as one ``affected``."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(
            *args: Any, components: tuple[str, ...], scope: str, workaround: str, **kwargs: Any
        ) -> Any:
            from ..authoring.commands import Affected

            return func(*args, affected=Affected(components, scope, workaround), **kwargs)

        command: Any = wrapper
        for option in (
            click.option("--workaround", default="", help="What customers can do meanwhile."),
            click.option("--scope", default="", help="Who is affected, specifically."),
            click.option(
                "--component",
                "-c",
                "components",
                multiple=True,
                required=components_required,
                help="A component id from mkdocs.yml; repeat for several.",
            ),
        ):
            command = option(command)
        return cast(F, command)

    return decorate


def _editor() -> Editor | None:
    """``$VISUAL`` or ``$EDITOR``, if the user has one, to write a message in."""
    if not (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
        return None

    def edit(draft: str) -> str | None:
        return click.edit(draft, require_save=True)

    return edit


def shown(path: Path) -> str:
    """A path as the user would write it (relative to the working directory)."""
    return display_path(path)
