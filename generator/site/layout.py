"""The frame around every generated page: header, navigation, footer, head.

A status page is a complete HTML document rendered by the package's own
autoescaping templates (``templates/layout.html``), with its own stylesheet
and a small first-party script; no theme's markup, stylesheet or script is
involved. What the frame needs from the site (its navigation tabs, its logo,
extra stylesheets) is plain data in :class:`Layout`, so rendering stays a pure
function of the core's data.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from ..core.i18n import N_

#: Where the package's stylesheet and scripts are served, as site paths.
STYLESHEET = "assets/status.css"
SCRIPT = "assets/status.js"
SEARCH_SCRIPT = "assets/search.js"
SEARCH_INDEX = "search/incidents.json"
EMBED_SCRIPT = "embed.js"
FAVICON = "assets/favicon.svg"
#: The package's own assets: site path -> file name in ``generator/site/assets``.
ASSETS = {
    STYLESHEET: "status.css",
    SCRIPT: "status.js",
    SEARCH_SCRIPT: "search.js",
    EMBED_SCRIPT: "embed.js",
    FAVICON: "favicon.svg",
}
ASSETS_DIR = Path(__file__).parent / "assets"


@dataclass(frozen=True)
class Tab:
    """A navigation tab: its label and a site path (``history/``) or a full URL."""

    title: str
    target: str
    #: The title is the generator's own (a message id), shown in the site's language.
    translated: bool = False

    @property
    def external(self) -> bool:
        return bool(urlsplit(self.target).scheme)


#: The tabs when the site's configuration names none: the listed generated pages.
DEFAULT_TABS = (
    Tab(N_("Status"), "", True),
    Tab(N_("History"), "history/", True),
    Tab(N_("Reliability"), "reliability/", True),
    Tab(N_("How we communicate"), "policy/", True),
    Tab(N_("Subscribe"), "subscribe/", True),
    Tab(N_("Contact"), "contact/", True),
)
_DEFAULT_TAB = {tab.target: tab for tab in DEFAULT_TABS}


@dataclass(frozen=True)
class Layout:
    """What the frame shows that comes from the site rather than the incidents."""

    tabs: tuple[Tab, ...] = DEFAULT_TABS
    logo: str = ""  # a site path, e.g. "assets/logo.svg"
    favicon: str = FAVICON  # a site path
    extra_css: tuple[str, ...] = ()  # site paths of the site's own stylesheets
    copyright: str = ""
    description: str = ""
    #: The project's folder: incident files are named relative to it in edit links.
    root: Path = field(default_factory=Path.cwd)


@dataclass(frozen=True)
class Chrome:
    """What the frame shows around one page."""

    title: str  # the page's own title; "" on the home page
    tab: str | None  # site path of the active tab
    trail: tuple[tuple[str, str], ...] = ()  # breadcrumb: (label, site path), then the page
    head: Markup = field(default_factory=Markup)  # for <head>: shared-link meta, JSON-LD
    scripts: tuple[str, ...] = ()  # site paths of scripts only this page loads
    edit_url: str = ""


def tabs_from_nav(nav: Sequence[Any] | None, directory_urls: bool) -> tuple[Tab, ...]:
    """The top level of ``mkdocs.yml``'s ``nav:`` as tabs (sections lead to their
    first page); :data:`DEFAULT_TABS` when there is none."""
    if not nav:
        return DEFAULT_TABS
    tabs = []
    for item in nav:
        title, target = _nav_entry(item)
        path = _first_target(target)
        if path is None:
            continue
        site_path = page_path(path, directory_urls)
        own = _DEFAULT_TAB.get(page_path(path, True))
        if not title and own is not None:  # a generated page: its own title
            tabs.append(replace(own, target=site_path))
            continue
        tabs.append(Tab(str(title or _title_from_path(path)), site_path))
    return tuple(tabs) or DEFAULT_TABS


def _nav_entry(item: Any) -> tuple[str, Any]:
    if isinstance(item, Mapping) and len(item) == 1:
        title, target = next(iter(item.items()))
        return str(title), target
    return "", item


def _first_target(target: Any) -> str | None:
    """A nav entry's first page or link; None when it has none."""
    if isinstance(target, str):
        return target
    if isinstance(target, Iterable) and not isinstance(target, Mapping):
        for child in target:
            found = _first_target(_nav_entry(child)[1])
            if found is not None:
                return found
    return None


def _title_from_path(path: str) -> str:
    stem = posixpath.splitext(posixpath.basename(path.rstrip("/")))[0]
    if stem in ("index", "README", ""):
        stem = posixpath.basename(posixpath.dirname(path.rstrip("/"))) or "Home"
    return stem.replace("-", " ").replace("_", " ").capitalize()


def page_path(source: str, directory_urls: bool) -> str:
    """A Markdown source's site path, as MkDocs names it (``about.md`` -> ``about/``);
    a full URL or a path that is not Markdown stays as it is."""
    if urlsplit(source).scheme or not source.endswith(".md"):
        return source.lstrip("/") if not urlsplit(source).scheme else source
    stem = source[: -len(".md")].lstrip("/")
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    if directory_urls:
        return f"{stem}/"
    return f"{stem}.html"


@lru_cache(maxsize=256)  # the project and the incidents' folders: a few, asked thousands of times
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def edit_url(repo_url: str, edit_uri: str, root: Path, file: Path) -> str:
    """Where an editor changes ``file`` on the forge; "" unless both are configured."""
    if not (repo_url and edit_uri):
        return ""
    try:
        # The file's own name as the forge has it; its folder resolved once.
        relative = (_resolved(file.parent) / file.name).relative_to(_resolved(root)).as_posix()
    except ValueError:
        return ""
    if urlsplit(edit_uri).scheme:
        base = edit_uri.rstrip("/")
    else:
        base = repo_url.rstrip("/") + "/" + edit_uri.strip("/")
    return f"{base}/{quote(relative)}"


def asset_bytes(path: str) -> bytes:
    """The package's asset served at site path ``path``."""
    return (ASSETS_DIR / ASSETS[path]).read_bytes()
