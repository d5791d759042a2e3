"""The ``statuspage`` command line: the only package that imports click.

Each command builds the library objects, calls one function and prints the
result; errors become an ``Error:`` line (see :mod:`.options`). Heavy modules
are imported inside the commands, so ``--help`` is instant.
"""

from __future__ import annotations

import click

from .authoring import maintenance, new, postmortem, resolve, update
from .site import announce, build, lint_command, list_command, report, serve

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gitstatus-generator")
def main() -> None:
    """A status page that lives in git.

    Incidents are Markdown files in incidents/; these commands write them,
    check them and build the status site.
    """


for _command in (
    list_command,
    new,
    update,
    resolve,
    maintenance,
    postmortem,
    lint_command,
    build,
    serve,
    announce,
    report,
):
    main.add_command(_command)
