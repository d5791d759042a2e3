"""Keep a built site up to date as incident files change, for the preview.

After a full build, :meth:`LiveSite.update` re-reads only the incident files
that changed (:class:`~generator.core.loader.FileCache`), recomputes the
status, and re-renders only the pages that can show a changed incident: its
own page, its month, its components' pages and yearly archives, the
reliability pages of its year, and the pages in the navigation; and those
the clock moves on (open incidents, the daily bars, this month and year).
Feeds, API, badges, calendars and the search indexes are made again from
each incident's parts, of which only the changed incidents' are made anew
(:mod:`generator.core.memo`); only files whose bytes changed are written.
The result is the clean build's, file by file (``tests/test_incremental.py``),
apart from the sitemap, which the theme writes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.loader import FileCache, load_incidents
from ..core.memo import KeptJson
from ..core.model import Incident
from ..core.settings import SiteConfig
from ..core.status import SiteStatus, compute_status
from ..outputs import build_outputs
from .folders import digest
from .layout import SEARCH_INDEX, Layout
from .pages import SiteRenderer
from .spec import PageSpec

#: The theme's search index, which the build extends with the incidents.
THEME_INDEX = "search/search_index.json"


@dataclass
class LiveSite:
    """The generated part of a built site in ``site_dir``, and how to refresh it."""

    config: SiteConfig
    root: Path
    site_dir: Path
    layout: Layout
    directory_urls: bool
    cache: FileCache = field(default_factory=FileCache)
    skipped: frozenset[str] = frozenset()  # pages the site's docs_dir has: they win
    theme_index: dict[str, Any] | None = None  # the theme's search index as built
    theme_docs: list[Any] = field(default_factory=list)  # the theme's own entries in it
    theme_json: KeptJson = field(default_factory=KeptJson)  # each incident's entries
    incidents: dict[str, Incident] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)
    outputs: set[str] = field(default_factory=set)  # feeds, API, agents' pages...
    written: dict[str, bytes] = field(default_factory=dict)  # digests
    sent: dict[str, bytes] = field(default_factory=dict)  # the bytes last written, by path
    day: date | None = None  # the site's date at the last update: the daily bars

    def after_build(
        self,
        renderer: SiteRenderer,
        pages: list[tuple[PageSpec, bytes]],
        outputs: dict[str, bytes],
        skipped: frozenset[str],
        theme: bool,
    ) -> None:
        """What the full build made (its pages with their digests, its files, the
        incidents it read), so that the first update renders only what changed since."""
        built = [(spec, made) for spec, made in pages if spec.src_uri not in skipped]
        self.skipped = skipped
        self.day = renderer.status.now.astimezone(self.config.timezone).date()
        self.incidents = {view.incident.id: view.incident for view in renderer.status.views}
        self.pages = {spec.dest for spec, _ in built}
        self.written = {spec.dest: made for spec, made in built}
        self.written.update((path, digest(data)) for path, data in outputs.items())
        self.outputs = set(outputs) - {SEARCH_INDEX}  # remade on every update
        if theme:
            index = json.loads((self.site_dir / THEME_INDEX).read_text(encoding="utf-8"))
            specs = [spec for spec, _ in built]
            ours = len(list(renderer.search_entries(specs)))
            self.theme_index = index
            self.theme_docs = index["docs"][: len(index["docs"]) - ours]

    def update(self, now: datetime, *, full: bool = False) -> int:
        """Bring the site up to date; the number of files written or removed.

        Raises :class:`~generator.core.errors.ValidationError` when the files
        have errors, leaving the site as it was.
        """
        loaded = load_incidents(self.config, self.root, now, self.cache)
        loaded.raise_for_errors()
        incidents = {incident.id: incident for incident in loaded.incidents}
        changed = _changed(self.incidents, incidents)
        status = compute_status(self.config, loaded.incidents, now)
        renderer = SiteRenderer(self.config, status, self.directory_urls, self.layout)
        specs = [s for s in renderer.pages() if s.src_uri not in self.skipped]
        paths = {spec.dest for spec in specs}
        every = full or not self.incidents
        today = now.astimezone(self.config.timezone).date()
        new_day = today != self.day
        wanted = (
            paths
            if every
            else _dependents(self.config, status, changed, self.pages, paths, new_day)
        )
        files = {s.dest: s.render().encode() for s in specs if s.dest in wanted}
        outputs = build_outputs(self.config, renderer.status)
        files.update(outputs)
        files[SEARCH_INDEX] = renderer.search_index()
        index = self._theme_index(renderer, specs)
        if index is not None:
            files[THEME_INDEX] = index
        gone = (self.pages - paths) | (self.outputs - set(outputs))
        count = self._write(files) + self._remove(gone)
        self.incidents, self.pages, self.outputs = incidents, paths, set(outputs)
        self.day = today
        return count

    def _theme_index(self, renderer: SiteRenderer, specs: Iterable[PageSpec]) -> bytes | None:
        """The theme's index: its own entries as built, then the incidents' anew.

        Written as the build writes it (``json.dumps``, compact), but piece by
        piece: an unchanged incident's entries are the very list kept for it,
        and their JSON is kept with them.
        """
        if self.theme_index is None:
            return None
        groups = self.theme_json.texts(renderer.search_groups(specs))
        pieces = [text[1:-1] for text in groups if text != "[]"]  # each group's entries
        head = _compact({key: v for key, v in self.theme_index.items() if key != "docs"})
        docs = ",".join([*(_compact(doc) for doc in self.theme_docs), *pieces])
        between = "," if head != "{}" else ""
        return f'{head[:-1]}{between}"docs":[{docs}]}}'.encode()

    def _write(self, files: dict[str, bytes]) -> int:
        """Write the files whose bytes changed (known by digest, to keep memory low)."""
        count = 0
        for relative, data in files.items():
            if self.sent.get(relative) is data:  # the very bytes written last time (kept parts)
                continue
            made = digest(data)
            target = self.site_dir / relative
            if relative not in self.written and target.is_file():
                self.written[relative] = digest(target.read_bytes())
            if self.written.get(relative) != made:
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = target.with_name(f".{target.name}.new")
                temporary.write_bytes(data)
                os.replace(temporary, target)  # a request never reads half a page
                self.written[relative] = made
                count += 1
            self.sent[relative] = data
        return count

    def _remove(self, gone: Iterable[str]) -> int:
        count = 0
        for relative in gone:
            page = self.site_dir / relative
            page.unlink(missing_ok=True)
            self.written.pop(relative, None)
            self.sent.pop(relative, None)
            _prune(page.parent, self.site_dir)
            count += 1
        return count


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _changed(old: dict[str, Incident], new: dict[str, Incident]) -> list[Incident]:
    """Incidents added, removed or edited (a file read again is a new object)."""
    edited = [new[i] for i in new if old.get(i) is not new[i]]
    gone = [old[i] for i in old if i not in new]
    return edited + gone + [old[i] for i in old if i in new and old[i] is not new[i]]


def _dependents(
    config: SiteConfig,
    status: SiteStatus,
    changed: list[Incident],
    before: set[str],
    after: set[str],
    new_day: bool,
) -> set[str]:
    """The pages that can show one of the ``changed`` incidents, and those the
    clock changes: open incidents and maintenance (late promises, windows
    opening), and on a new day the components' daily bars."""
    tz = config.timezone
    wanted = {"index.html", *(f"{p}/index.html" for p in LISTED)}
    if new_day:
        wanted |= {f"components/{c.id}/index.html" for c in config.components}
    clocked = [
        v.incident for v in status.views if v.active or v.upcoming or v.incident.is_maintenance
    ]
    for incident in [*changed, *clocked]:
        began = incident.began_at.astimezone(tz)
        wanted.add(f"incidents/{incident.id}/index.html")
        wanted.add(f"history/{began:%Y-%m}/index.html")
        wanted.add(f"reliability/{began.year}/index.html")
        for component in incident.components:
            wanted.add(f"components/{component.id}/index.html")
            wanted.add(f"components/{component.id}/{began.year}/index.html")
    # Pagers link to the neighbouring month or year: when one appears or goes,
    # every page of that kind is made again.
    for family in {_family(p) for p in before ^ after} - {None}:
        wanted |= {p for p in after if _family(p) == family}
    return wanted


#: The pages in the navigation (and the home page): they sum up every incident.
LISTED = ("history", "reliability", "policy", "contact", "subscribe", "embed")
_ARCHIVE = re.compile(
    r"(history)/\d{4}-\d\d/index\.html|(reliability|components/[^/]+)/\d{4}/index\.html"
)


def _family(path: str) -> str | None:
    """``history``, ``reliability`` or ``components/<id>`` for an archive page."""
    found = _ARCHIVE.fullmatch(path)
    return (found[1] or found[2]) if found else None


def _prune(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents up to ``top`` while they are empty."""
    while folder != top and folder.is_relative_to(top):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
