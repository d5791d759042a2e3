"""Keep a built site up to date as incident files change, for the preview.

After a full build, :meth:`LiveSite.update` re-reads only the incident files
that changed (:class:`~generator.core.loader.FileCache`), recomputes the
status, and re-renders only the pages that can show a changed incident: its
own page, its month, its components' pages and yearly archives, the
reliability pages of its year, and the pages in the navigation; feeds, API,
badges, calendars and the search index are made again, and only files whose
bytes changed are written. The result is the clean build's, file by file
(``tests/test_incremental.py``), apart from the sitemap, which the theme writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.loader import FileCache, load_incidents
from ..core.model import Incident
from ..core.settings import SiteConfig
from ..core.status import compute_status
from ..outputs import build_outputs
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
    theme_entries: int | None = None  # the theme's own entries in its search index
    incidents: dict[str, Incident] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)
    outputs: set[str] = field(default_factory=set)  # feeds, API, agents' pages...
    written: dict[str, bytes] = field(default_factory=dict)  # digests

    def after_build(
        self,
        renderer: SiteRenderer,
        pages: list[tuple[PageSpec, str]],
        outputs: dict[str, bytes],
        skipped: frozenset[str],
        theme: bool,
    ) -> None:
        """What the full build made (its pages, their bytes, the incidents it
        read), so that the first update renders only what changed since."""
        built = [(spec, html) for spec, html in pages if spec.src_uri not in skipped]
        self.skipped = skipped
        self.incidents = {view.incident.id: view.incident for view in renderer.status.views}
        self.pages = {spec.dest for spec, _ in built}
        self.written = {spec.dest: _digest(html.encode()) for spec, html in built}
        self.written.update((path, _digest(data)) for path, data in outputs.items())
        self.outputs = set(outputs) - {SEARCH_INDEX}  # remade on every update
        if theme:
            index = json.loads((self.site_dir / THEME_INDEX).read_text(encoding="utf-8"))
            specs = [spec for spec, _ in built]
            self.theme_entries = len(index["docs"]) - len(list(renderer.search_entries(specs)))

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
        wanted = paths if every else _dependents(self.config, changed, self.pages, paths)
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
        return count

    def _theme_index(self, renderer: SiteRenderer, specs: Iterable[PageSpec]) -> bytes | None:
        """The theme's index: its own entries as built, then the incidents' anew."""
        if self.theme_entries is None:
            return None
        path = self.site_dir / THEME_INDEX
        index = json.loads(path.read_text(encoding="utf-8"))
        index["docs"] = index["docs"][: self.theme_entries] + list(renderer.search_entries(specs))
        return json.dumps(index, separators=(",", ":")).encode()

    def _write(self, files: dict[str, bytes]) -> int:
        """Write the files whose bytes changed (known by digest, to keep memory low)."""
        count = 0
        for relative, data in files.items():
            digest = hashlib.blake2b(data, digest_size=16).digest()
            target = self.site_dir / relative
            if relative not in self.written and target.is_file():
                self.written[relative] = hashlib.blake2b(
                    target.read_bytes(), digest_size=16
                ).digest()
            if self.written.get(relative) == digest:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.new")
            temporary.write_bytes(data)
            os.replace(temporary, target)  # a request never reads half a page
            self.written[relative] = digest
            count += 1
        return count

    def _remove(self, gone: Iterable[str]) -> int:
        count = 0
        for relative in gone:
            page = self.site_dir / relative
            page.unlink(missing_ok=True)
            self.written.pop(relative, None)
            _prune(page.parent, self.site_dir)
            count += 1
        return count


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _changed(old: dict[str, Incident], new: dict[str, Incident]) -> list[Incident]:
    """Incidents added, removed or edited (a file read again is a new object)."""
    edited = [new[i] for i in new if old.get(i) is not new[i]]
    gone = [old[i] for i in old if i not in new]
    return edited + gone + [old[i] for i in old if i in new and old[i] is not new[i]]


def _dependents(
    config: SiteConfig, changed: list[Incident], before: set[str], after: set[str]
) -> set[str]:
    """The pages that can show one of the ``changed`` incidents."""
    tz = config.timezone
    wanted = {"index.html", *(f"{p}/index.html" for p in LISTED)}
    for incident in changed:
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
LISTED = ("history", "reliability", "policy", "contact", "subscribe")
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
