"""The plugin's files: generated pages and files as MkDocs sees them, and the sitemap.

The pages in the navigation are :class:`GeneratedPage` objects, which MkDocs
writes through a template that prints their document as it is; every other
generated page and file is already written (:mod:`generator.site.making`) and
is a :class:`WrittenFile`, which MkDocs knows of (links to it are checked)
but does not copy. The theme's sitemap gets those pages added
(:func:`with_documents`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date

from ..core.settings import SiteConfig
from ..site.pages import SiteRenderer
from ..site.spec import PageSpec


def taken(files: Files, spec: PageSpec) -> bool:
    """Whether the site's ``docs_dir`` has a page or file where ``spec`` goes."""
    return any(files.get_file_from_path(path) is not None for path in (spec.src_uri, spec.dest))


def with_documents(
    sitemap: str, renderer: SiteRenderer, specs: Iterable[PageSpec], config: MkDocsConfig
) -> str:
    """The theme's sitemap with the generated pages that are files, not pages.

    Each incident page is dated by its latest change, the others by the build,
    as MkDocs dates its own pages.
    """
    built = get_build_date()
    entries = []
    for spec in specs:
        if spec.in_nav:
            continue  # a page: the theme listed it
        url = renderer.page_url(spec.path)
        url = urljoin(config.site_url, url) if config.site_url else "/" + url
        day = spec.incident.updated_at.date().isoformat() if spec.incident else built
        entries.append(
            f"    <url>\n         <loc>{escape(url)}</loc>\n"
            f"         <lastmod>{day}</lastmod>\n    </url>"
        )
    head, end, tail = sitemap.rpartition("</urlset>")
    if not end:
        return sitemap
    return head.rstrip() + "\n" + "\n".join(entries) + "\n" + end + tail


def written(config: MkDocsConfig, relative: str) -> File:
    """A generated file MkDocs knows of (links to it are checked); already written."""
    if not relative.endswith(".md"):
        return WrittenFile.generated(config, relative, content=b"")
    source = "_statuspage_outputs/" + relative  # index.md names the incident page already
    file = WrittenFile.generated(config, source, content=b"")
    file.dest_uri = relative
    return file


class WrittenFile(File):
    """A generated file the plugin has written itself, by the process that
    made it (see :mod:`generator.site.making`): MkDocs would write thousands
    of them again, one by one. Never a page, even an incident's ``index.md``."""

    def is_documentation_page(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass


class GeneratedPage(Page):
    """A page the generator renders itself, as a complete document.

    MkDocs would run its Markdown pipeline over each page's (empty) source;
    for a thousand incident pages that costs more than rendering them. The
    nav and the sitemap see an ordinary page; its template
    (:data:`DOCUMENT_TEMPLATE`) prints the document as it is.
    """

    def __init__(self, spec: PageSpec, html: str, file: File, config: MkDocsConfig) -> None:
        super().__init__(None, file, config)
        self.spec = spec
        self.html = html

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.html
        self.toc = get_toc([])


#: Settings the theme prints into pages as they are (its Jinja environment does
#: not autoescape): they are text, so they are handed over as escaped markup.
def drop_incident_sources(files: Files, root: Path, site: SiteConfig | None) -> None:
    """Leave the incident files out of MkDocs' own pages.

    ``docs_dir: incidents`` lets plain ``mkdocs build`` run without a folder
    of the site's own pages (MkDocs checks that ``docs_dir`` exists before any
    plugin loads); the incidents are pages of ours, never MkDocs' sources.
    """
    incidents = (root / (site.incidents_dir if site else "incidents")).resolve()
    for file in list(files):
        source = Path(file.abs_src_path or "").resolve()
        if not file.generated_by and source.is_relative_to(incidents):
            files.remove(file)
