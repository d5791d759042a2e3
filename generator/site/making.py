"""Make a build's generated pages and files, sharing the work among the cores.

:func:`make_files` renders every page and writes every one outside the
navigation, with every output file, into a folder of the build's own (the
plugin moves its content into ``site_dir`` once MkDocs has emptied it). The
pages are rendered in batches; each batch is one job of
:func:`~generator.core.parallel.each_shared`, run by this process or a forked
copy of it, which sends back its documents, their digests and its incidents'
parts (:meth:`~generator.site.pages.SiteRenderer.incident_parts`: Markdown,
search rows and entries). Threads write each batch's pages as it comes, and
the parts are kept (:mod:`generator.core.memo`) for the feeds, the API and
the search indexes made next.
No MkDocs types here: another renderer would call the same function.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..core.i18n import speaking
from ..core.memo import Part, keep
from ..core.parallel import MIN_JOBS, each_shared
from ..core.status import IncidentView
from ..outputs import build_outputs
from .folders import Writer, digest
from .layout import SEARCH_INDEX
from .pages import SiteRenderer
from .spec import PageSpec

#: Pages per job: enough that a job is worth sending, few enough to share evenly.
BATCH = 32


@dataclass
class Made:
    """What a build made: every page with its document's digest, the documents
    of the pages in the navigation (MkDocs writes those), and the output files."""

    pages: list[tuple[PageSpec, bytes]] = field(default_factory=list)
    nav_html: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, bytes] = field(default_factory=dict)


def make_files(renderer: SiteRenderer, side: Path, theme_search: bool) -> Made:
    """Render every page and output into ``side``, but the navigation's pages.

    The incidents and the status, loaded by now, live until the build ends:
    the garbage collector is told to leave them alone (``gc.freeze``), which
    spares it walking them again and again, and spares forked copies from
    copying the memory it would touch.
    """
    gc.freeze()
    try:
        return _make_files(renderer, side, theme_search)
    finally:
        gc.unfreeze()


def _make_files(renderer: SiteRenderer, side: Path, theme_search: bool) -> Made:
    config, status = renderer.config, renderer.status
    specs = list(renderer.pages())
    views = {view.incident.id: view for view in status.views}
    parts = renderer.incident_parts(theme_search)
    made = Made()
    # The navigation's pages first, in this process: their text is their search entry.
    with Writer(side) as writer:
        for spec in specs:
            if spec.depth <= 1:
                html = spec.render()
                made.pages.append((spec, digest(html.encode())))
                if spec.in_nav:
                    made.nav_html[spec.src_uri] = html
                else:
                    writer.write([(spec.dest, html)])
    rest = [spec for spec in specs if spec.depth > 1]
    batches = [rest[start : start + BATCH] for start in range(0, len(rest), BATCH)]
    jobs = [partial(_batch, batch, views, parts, config.language) for batch in batches]
    done: dict[int, list[tuple[bytes, list[Any]]]] = {}
    with Writer(side) as writer:  # each batch is written as it comes, then let go
        for number, results in each_shared(jobs, at_least=MIN_JOBS // BATCH):
            pages = zip(batches[number], results, strict=True)
            writer.write((spec.dest, data) for spec, (data, _, _) in pages)
            done[number] = [(digested, values) for _, digested, values in results]
    with speaking(config.language):  # kept as made: in the site's language
        for number, batch in enumerate(batches):
            for spec, (digested, values) in zip(batch, done.pop(number), strict=True):
                made.pages.append((spec, digested))
                for part, value in zip(parts, values, strict=False):  # incidents' pages only
                    assert spec.incident is not None
                    keep(part, views[spec.incident.id], config, status.now, value)
    with Writer(side) as writer:
        made.outputs = build_outputs(config, status)  # the parts come from where they are kept
        made.outputs[SEARCH_INDEX] = renderer.search_index()
        writer.write(made.outputs.items())
    return made


def _batch(
    specs: list[PageSpec],
    views: dict[str, IncidentView],
    parts: list[Part[Any]],
    language: str,
) -> list[tuple[bytes, bytes, list[Any]]]:
    """Each page's document, its digest, and its incident's parts."""
    results = []
    with speaking(language):
        for spec in specs:
            data = spec.render().encode("utf-8")
            view = views[spec.incident.id] if spec.incident else None
            values = [part.make(view) for part in parts] if view else []
            results.append((data, digest(data), values))
    return results
