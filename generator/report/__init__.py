"""The reliability scorecard: how often things broke and how well we communicated.

:func:`build_scorecard` computes the metrics (:mod:`.metrics`, where they are
defined); :mod:`.tables` lays them out once as the four tables that text,
Markdown and the reliability page all show; :mod:`.formats` prints them
(and JSON); :mod:`.figures` draws the page's charts (:mod:`.charts`).
"""

from .figures import page_figures
from .formats import to_json, to_markdown, to_text
from .metrics import PostmortemState, Scorecard, build_scorecard
from .tables import heading, scorecard_tables

__all__ = [
    "PostmortemState",
    "Scorecard",
    "build_scorecard",
    "heading",
    "page_figures",
    "scorecard_tables",
    "to_json",
    "to_markdown",
    "to_text",
]
