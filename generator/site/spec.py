"""A generated page as the renderers see it: no MkDocs types, only where it goes,
its title and how to render it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.model import Incident


@dataclass(frozen=True)
class PageSpec:
    """A generated page: where it goes, its title, and how to render it."""

    src_uri: str  # e.g. "incidents/2026-11-20-api/index.md"
    title: str
    in_nav: bool
    render: Callable[[], str]  # the complete HTML document
    incident: Incident | None = None
    #: For pages that list incidents: what the search index holds in place of
    #: the page's HTML (the incidents are indexed on their own pages).
    search: str | None = None
    indexed: bool = True  # False: in no search index (the embed/ page)

    @property
    def depth(self) -> int:
        return self.src_uri.count("/")

    @property
    def path(self) -> str:
        """Site path of the page: ``""``, ``history/2026-11/``."""
        return self.src_uri.removesuffix("index.md")

    @property
    def dest(self) -> str:
        """Where the document is written in the site: ``history/2026-11/index.html``."""
        return self.path + "index.html"

    @property
    def own_index(self) -> bool:
        """Whether :meth:`SiteRenderer.search_entries` indexes the page."""
        return self.incident is not None or self.search is not None
