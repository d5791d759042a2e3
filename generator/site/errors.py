"""The page a preview serves while the site cannot be built.

``statuspage serve`` and ``mkdocs serve`` answer every page with it until the
files are fixed: each error on a line (``path:line: field: message``), as
text, so that whoever is writing an update sees what to fix in the browser
they are watching, not only in the terminal. The servers add their live
reload, so the site comes back by itself when the files are fixed.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

#: Where the page is written in a preview's site folder, and served from.
ERROR_PAGE = "statuspage-errors.html"


def error_page(site_name: str, problems: str) -> str:
    """A complete HTML document listing ``problems`` (one a line), escaped."""
    env = Environment(
        loader=PackageLoader("generator.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    lines = [line for line in problems.splitlines() if line.strip()]
    return env.get_template("errors.html").render(site_name=site_name, problems=lines)
