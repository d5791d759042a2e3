"""Make a build's generated pages and files, sharing the work among the cores.

:func:`make_files` renders every page and writes every one outside the
navigation, with every output file, into a folder of the build's own (the
plugin moves its content into ``site_dir`` once MkDocs has emptied it). The
pages are rendered in batches; each batch is one job of
:func:`~generator.core.parallel.each_shared`, run by this process or a forked
copy of it, which writes its pages and its incidents' Markdown files and
sends back their digests and its incidents' parts
(:meth:`~generator.site.pages.SiteRenderer.incident_parts`: Markdown, search
rows and entries). One more job makes the feeds, the calendar, the API and
the badges. The parts are kept (:mod:`generator.core.memo`) for the search
indexes and the agents' files made last, and for the preview's next save.
No MkDocs types here: another renderer would call the same function.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, cast

from ..core.i18n import speaking
from ..core.memo import Part, keep
from ..core.parallel import MIN_JOBS, each_shared
from ..core.status import IncidentView
from ..core.urls import incident_path
from ..outputs import build_outputs, status_outputs
from .folders import digest, write_file
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
    for spec in specs:
        if spec.depth <= 1:
            html = spec.render()
            made.pages.append((spec, digest(html.encode())))
            if spec.in_nav:
                made.nav_html[spec.src_uri] = html
            else:
                write_file(side, spec.dest, html)
    rest = [spec for spec in specs if spec.depth > 1]
    batches = [rest[start : start + BATCH] for start in range(0, len(rest), BATCH)]
    job = partial(_batch, views=views, parts=parts, language=config.language, side=side)
    # The feeds, the API... need none of the pages' parts: one more job, beside them.
    jobs: list[Callable[[], object]] = [partial(status_outputs, config, status)]
    jobs += [partial(job, batch) for batch in batches]
    done = dict(each_shared(jobs, at_least=MIN_JOBS // BATCH))
    ahead = cast(dict[str, bytes], done.pop(0))
    results = [cast(list[tuple[bytes, list[Any]]], done.pop(n + 1)) for n in range(len(batches))]
    written = _keep_parts(renderer, views, parts, batches, results, made)
    made.outputs = build_outputs(config, status, ahead=ahead)  # the parts are kept by now
    made.outputs[SEARCH_INDEX] = renderer.search_index()
    for relative, data in made.outputs.items():
        if relative not in written:
            write_file(side, relative, data)
    return made


def _keep_parts(
    renderer: SiteRenderer,
    views: dict[str, IncidentView],
    parts: list[Part[Any]],
    batches: list[list[PageSpec]],
    results: list[list[tuple[bytes, list[Any]]]],
    made: Made,
) -> set[str]:
    """Note each page's digest in ``made`` and keep its incident's parts, in the
    site's language as they were made; return the parts written as files."""
    config, status = renderer.config, renderer.status
    written: set[str] = set()
    with speaking(config.language):
        for batch, found in zip(batches, results, strict=True):
            for spec, (digested, values) in zip(batch, found, strict=True):
                made.pages.append((spec, digested))
                for part, value in zip(parts, values, strict=False):  # incidents' pages only
                    assert spec.incident is not None
                    keep(part, views[spec.incident.id], config, status.now, value)
                    if part.file:
                        written.add(incident_path(spec.incident.id) + part.file)
    return written


def _batch(
    specs: list[PageSpec],
    *,
    views: dict[str, IncidentView],
    parts: list[Part[Any]],
    language: str,
    side: Path,
) -> list[tuple[bytes, list[Any]]]:
    """Write each page, and its incident's parts that are files; return each
    page's digest and its incident's parts.

    The job writes what it makes, in whichever process runs it: one process
    creating files one after another is quicker here than threads taking
    turns (and sending documents back would cost a copy of each).
    """
    results = []
    with speaking(language):
        for spec in specs:
            data = spec.render().encode("utf-8")
            write_file(side, spec.dest, data)
            view = views[spec.incident.id] if spec.incident else None
            values = [part.make(view) for part in parts] if view else []
            for part, value in zip(parts, values, strict=False):
                if part.file and view is not None:
                    write_file(side, incident_path(view.incident.id) + part.file, value)
            results.append((digest(data), values))
    return results
