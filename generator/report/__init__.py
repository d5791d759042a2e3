"""The reliability scorecard: how often things broke and how well we communicated.

:func:`build_scorecard` computes the metrics (:mod:`.metrics`, where they are
defined); :mod:`.tables` lays them out once as the four tables that text,
Markdown and the reliability page all show; :mod:`.formats` prints them
(and JSON); :mod:`.figures` draws the page's charts (:mod:`.charts`).
"""

import json
from datetime import date, datetime
from pathlib import Path

from ..core.i18n import speaking
from ..core.loader import load_incidents
from ..core.model import OutputFormat
from ..core.settings import SiteConfig
from ..core.status import compute_status
from .figures import page_figures
from .formats import to_json, to_markdown, to_text
from .metrics import PostmortemState, Scorecard, build_scorecard
from .tables import heading, percent, scorecard_tables

__all__ = [
    "PostmortemState",
    "Scorecard",
    "build_scorecard",
    "formatted",
    "heading",
    "page_figures",
    "percent",
    "scorecard_of",
    "scorecard_tables",
    "to_json",
    "to_markdown",
    "to_text",
]


def scorecard_of(config: SiteConfig, root: Path, now: datetime, since: date | None) -> Scorecard:
    """The scorecard of the site in ``root`` at ``now``; incident errors raise.

    Its labels (months, totals) are in the site's language, as the report prints them.
    """
    loaded = load_incidents(config, root, now)
    loaded.raise_for_errors()
    views = compute_status(config, loaded.incidents, now).views
    with speaking(config.language):
        return build_scorecard(config, views, now, since)


def formatted(card: Scorecard, config: SiteConfig, output: OutputFormat) -> str:
    """The scorecard as ``report --format`` prints it, in the site's language
    (JSON keeps its keys and values as data)."""
    if output is OutputFormat.JSON:
        return json.dumps(to_json(card, config), indent=2, ensure_ascii=False) + "\n"
    with speaking(config.language):
        if output is OutputFormat.MARKDOWN:
            return to_markdown(card, config)
        return to_text(card, config)
