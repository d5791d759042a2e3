"""The MkDocs plugin: with ``files`` and ``theme``, the only code that imports MkDocs.

It loads and checks the incidents once per build (``on_config``). Before
MkDocs empties ``site_dir`` (``on_pre_build``) it makes every page and file
(:func:`generator.site.making.make_files`: the incidents' pages shared among
the cores) and writes all but the navigation's pages into a folder of its own
beside ``site_dir``, moved in once MkDocs has emptied it (``on_env``). MkDocs
knows each of those files (``on_files``: links to them are checked) but does
not write them; the pages in the navigation are MkDocs pages
(:class:`~generator.plugin.files.GeneratedPage`) whose template prints their
document as it is, so the theme's markup, stylesheet and script never reach
a status page; the sitemap lists both (``on_post_template``). With
Material's search, the pages are indexed from the incidents themselves
(:mod:`generator.site.search`) rather than by parsing their HTML. The theme
still renders the site's own Markdown pages; the package's overrides
(``generator/site/theme/``) add feed autodiscovery and the build time there,
so a site needs only ``mkdocs.yml`` and ``incidents/``. Nothing is ever
written into the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.base import ConfigErrors, ConfigWarnings
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ..core.config import LOCAL_URL, site_config
from ..core.errors import StatusPageError
from ..core.i18n import set_html_lang, speaking, translations
from ..core.loader import FileCache, load_incidents
from ..core.mkdocs_yml import config_lines
from ..core.settings import SiteConfig
from ..core.status import SiteStatus, compute_status
from ..core.times import TimeFormatError, display_time, parse_time, zone_name
from ..outputs import feed_links
from ..site.errors import ERROR_PAGE, error_page
from ..site.folders import move_into, side_folder, swap_in, unsafe_target
from ..site.layout import Layout
from ..site.live import LiveSite
from ..site.making import make_files
from ..site.pages import SiteRenderer
from ..site.preview import PREVIEW, answer_with_errors
from ..site.spec import PageSpec
from .files import GeneratedPage, drop_incident_sources, taken, with_documents, written
from .theme import (
    add_assets,
    escape_theme_text,
    material_search,
    raw_config,
    site_layout,
    supply_theme,
)

log = get_plugin_logger(__name__)
UTC_ZONE = ZoneInfo("UTC")

#: Fixes the clock for a build (tests, reproducible builds): an ISO 8601 time.
NOW_VARIABLE = "STATUSPAGE_NOW"
FAILURE_PREFIX = "statuspage: the status page was not built:"
#: The template that prints a generated page's document as it is.
DOCUMENT_TEMPLATE = "statuspage-document.html"


class StatusPagePlugin(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    """The ``statuspage`` plugin; its options are declared once, in
    :class:`generator.core.model.StatusPageOptions`, and checked in ``on_config``."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.now: datetime | None = None  # set by the CLI's --now
        self.cache: FileCache | None = None  # set by the preview: incidents it has read
        self.options: dict[str, Any] = {}
        self._reset()

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """Keep the options as written (MkDocs has resolved ``!ENV`` and ``INHERIT``).

        They are checked in ``on_config``, with the site's own keys, so that one
        error lists every problem in the words ``statuspage lint`` uses; MkDocs
        would stop at the first, in its own.
        """
        self.options = dict(options)
        return [], []

    def _reset(self) -> None:
        if getattr(self, "side", None) is not None:  # a build that stopped half-way
            self._drop_side()
        self.site: SiteConfig | None = None
        self.status: SiteStatus | None = None
        self.specs: dict[str, PageSpec] = {}
        self.renderer: SiteRenderer | None = None
        self.layout = Layout()
        self.pages: list[tuple[PageSpec, bytes]] = []  # each with its document's digest
        self.nav_html: dict[str, str] = {}  # the navigation's pages, which MkDocs writes
        self.outputs: dict[str, bytes] = {}
        self.side: Path | None = None  # where the generated files wait for site_dir
        self.index_incidents = False  # Material's search: we index incident pages
        self.root = Path.cwd()
        self.failure = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        PREVIEW.active, PREVIEW.failure = command == "serve", ""

    def on_shutdown(self) -> None:
        PREVIEW.active, PREVIEW.failure = False, ""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        unsafe = unsafe_site_dir(Path(config.site_dir).resolve(), config)
        if unsafe:  # MkDocs empties site_dir after this event: stop it first
            self.failure = f"site_dir: {unsafe}"
            raise PluginError(f"{FAILURE_PREFIX}\n{self.failure}")
        source = Path(config.config_file_path or "mkdocs.yml")
        try:
            self.site = site_config(
                self.options,
                site_name=config.site_name,
                site_url=config.site_url or LOCAL_URL,
                repo_url=config.repo_url or "",
                edit_uri=config.edit_uri or "",
                language=str(config.theme.get("language") or "en"),
                source=source.name,
                lines=config_lines(source),
            )
            now = (self.now or clock(self.site.timezone)).replace(microsecond=0)
            result = load_incidents(self.site, self.root, now, self.cache)
            result.raise_for_errors()
            for warning in result.warnings:  # info: lint passes, so --strict must too
                log.info("%s", warning)
        except StatusPageError as exc:
            self.failure = str(exc)
            if not PREVIEW.active:
                raise PluginError(f"{FAILURE_PREFIX}\n{exc}") from None
            log.error("%s\n%s", FAILURE_PREFIX, exc)  # the preview shows it too
            PREVIEW.failure = self.failure
            return config
        PREVIEW.failure = ""
        self.status = compute_status(self.site, result.incidents, now)
        self.index_incidents = material_search(config)
        self.layout = site_layout(config, self.root)
        escape_theme_text(config)
        log.info("%d incidents, overall: %s", len(result.incidents), self.status.description)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Make every page and file before MkDocs empties ``site_dir``.

        After this event MkDocs cleans the output folder; whatever could still
        fail (a page, a feed) has failed by then, and the previous site stays.
        Also before MkDocs reads the theme's templates, which the theme supplies.
        """
        supply_theme(config)
        if self.failure:
            return  # serving with errors: on_post_build writes the error page
        assert self.site is not None and self.status is not None
        self.renderer = SiteRenderer(self.site, self.status, config.use_directory_urls, self.layout)
        self.side = side_folder(Path(config.site_dir))
        try:
            self._make(self.renderer, self.side)
        except BaseException:
            self._drop_side()
            raise

    def _make(self, renderer: SiteRenderer, side: Path) -> None:
        """Every page and file (:func:`~generator.site.making.make_files`); all
        but the navigation's pages are written to ``side``."""
        made = make_files(renderer, side, self.index_incidents)
        self.pages, self.nav_html, self.outputs = made.pages, made.nav_html, made.outputs

    def _drop_side(self) -> None:
        if self.side is not None:
            shutil.rmtree(self.side, ignore_errors=True)
            self.side = None

    def on_build_error(self, *, error: Exception) -> None:
        self._drop_side()

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """The pages in the navigation become MkDocs pages; every other page
        (incidents, months, components, archives) is a finished document,
        written as a file: MkDocs' page pass would only print it again."""
        if self.failure:
            return Files([])
        drop_incident_sources(files, self.root, self.site)
        for spec, _ in self.pages:
            if taken(files, spec):
                log.warning("%s exists in docs_dir; the generated page is not used", spec.src_uri)
                continue
            self.specs[spec.src_uri] = spec
            if spec.src_uri not in self.nav_html:
                files.append(written(config, spec.dest))
                continue
            file = File.generated(config, spec.src_uri, content="")
            files.append(file)
            GeneratedPage(spec, self.nav_html[spec.src_uri], file, config)  # the nav keeps it
        for relative in self.outputs:
            files.append(written(config, relative))
        add_assets(files, config)
        return files

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        """Move the generated files in, once MkDocs has emptied ``site_dir``."""
        if self.side is not None:
            move_into(self.side, Path(config.site_dir))
            self.side = None
        return self._theme_env(env)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta["title"] = escape(spec.title)  # the theme's nav prints it unescaped
        page.meta["template"] = DOCUMENT_TEMPLATE
        if self.index_incidents:
            page.meta["search"] = {"exclude": True}  # see on_post_build
        return ""

    # After Material's search has written its index (0), before its offline
    # plugin copies the index into search_index.js (-100).
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.failure:
            page = error_page(str(config.site_name), self.failure)
            (Path(config.site_dir) / ERROR_PAGE).write_text(page, encoding="utf-8")
            return
        if not self.index_incidents or self.renderer is None:
            return
        path = Path(config.site_dir) / "search" / "search_index.json"
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
            docs = index["docs"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PluginError(
                f"{path}: cannot add the incidents to the search index: {exc}"
            ) from None
        docs.extend(self.renderer.search_entries(self.specs.values()))
        path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")

    def _theme_env(self, env: Environment) -> Environment:
        now = self.status.now if self.status else datetime.now(UTC)
        zone = self.site.timezone if self.site else UTC_ZONE
        language = self.site.language if self.site else "en"
        with speaking(language):
            built_local = display_time(now, zone)
        env.globals["statuspage"] = {
            "built_at": now,
            "built_local": built_local,
            "zone": zone_name(zone, now),
            "feeds": feed_links(self.site) if self.site else [],
        }
        # The overrides' own words come from the generator's catalogue; Material's
        # templates translate theirs with ``lang.t``, not gettext.
        env.install_gettext_translations(translations(language))  # type: ignore[attr-defined]
        return env

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return set_html_lang(output, self.site.language) if self.site else output

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if self.site is None or self.renderer is None:
            return output_content
        if template_name == "sitemap.xml":
            return with_documents(output_content, self.renderer, self.specs.values(), config)
        if not template_name.endswith(".html"):
            return output_content
        return set_html_lang(output_content, self.site.language)  # 404.html

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        incidents = self.site.incidents_dir if self.site else self.options.get("incidents_dir")
        server.watch(str(self.root / str(incidents or "incidents")))
        answer_with_errors(server)
        return server


def clock(tz: ZoneInfo = UTC_ZONE) -> datetime:
    """The build's time: ``STATUSPAGE_NOW`` (in the site's zone unless it names one),
    else the clock, to the second."""
    fixed = os.environ.get(NOW_VARIABLE)
    if not fixed:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        return parse_time(fixed, tz)
    except TimeFormatError as exc:
        raise PluginError(f"{NOW_VARIABLE}: {exc}") from None


class BuildError(StatusPageError):
    """The site could not be built; the previous site is untouched."""


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = False,
    now: datetime | None = None,
) -> Path:
    """Build into a temporary folder beside the site and swap it in on success.

    MkDocs cleans the site folder before it writes, so a build that fails
    half-way (``--strict`` included) would leave a broken site; here the
    previous site stays until the new one is complete. A site without a
    ``docs/`` folder builds too (see :func:`_docs_dir`).
    """
    return _build(config_file, site_dir, strict, now, None)[0]


def _build(
    config_file: Path,
    site_dir: Path | None,
    strict: bool,
    now: datetime | None,
    cache: FileCache | None,
) -> tuple[Path, StatusPagePlugin, MkDocsConfig]:
    with _docs_dir(config_file) as docs_dir:
        config = _load_config(config_file, strict=strict, docs_dir=docs_dir)
        plugin = config.plugins.get("statuspage")
        if not isinstance(plugin, StatusPagePlugin):
            raise BuildError(f"{config_file.name}: plugins: no 'statuspage' plugin configured")
        plugin.now, plugin.cache = now, cache
        target = Path(site_dir or config.site_dir).resolve()
        problem = unsafe_site_dir(target, config)
        if problem:
            raise BuildError(f"{config_file.name}: site_dir: {problem}")
        staging = _build_beside(target, config, plugin)
    swap_in(staging, target)
    return target, plugin, config


def build_live(config_file: Path, site_dir: Path, now: datetime | None) -> LiveSite:
    """A full build into ``site_dir``, and what keeps it up to date as incidents change."""
    cache = FileCache()
    target, plugin, config = _build(config_file, site_dir, False, now, cache)
    assert plugin.site is not None and plugin.renderer is not None
    skipped = frozenset(spec.src_uri for spec, _ in plugin.pages) - plugin.specs.keys()
    live = LiveSite(
        plugin.site, plugin.root, target, plugin.layout, config.use_directory_urls, cache
    )
    live.after_build(plugin.renderer, plugin.pages, plugin.outputs, skipped, plugin.index_incidents)
    return live


def _build_beside(target: Path, config: MkDocsConfig, plugin: StatusPagePlugin) -> Path:
    """Build into a new folder beside ``target``; removed again if the build fails."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        build(config)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        kept = f"The build failed; {target.name}/ was left as it was."
        raise BuildError(f"{plugin.failure or exc}\n{kept}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def unsafe_site_dir(target: Path, config: MkDocsConfig) -> str:
    """Why building into ``target`` would destroy what the build did not make
    (:func:`generator.site.folders.unsafe_target`)."""
    options = config.plugins.get("statuspage")
    incidents = "incidents"
    if isinstance(options, StatusPagePlugin):
        incidents = str(options.options.get("incidents_dir") or incidents)
    config_file = Path(config.config_file_path or "mkdocs.yml")
    return unsafe_target(target, config_file, incidents, Path(config.docs_dir))


def _load_config(config_file: Path, *, strict: bool, docs_dir: str | None) -> MkDocsConfig:
    """MkDocs' configuration, its errors as :class:`BuildError` naming the file.

    ``docs_dir`` replaces the configuration's unless it is None.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        return load_config(str(config_file), strict=strict, docs_dir=docs_dir)
    except MkDocsException as exc:
        raise BuildError(f"{config_file}: {exc}") from None


@contextmanager
def _docs_dir(config_file: Path) -> Iterator[str | None]:
    """For a site without a ``docs/`` folder, an empty temporary one; else None.

    MkDocs checks that ``docs_dir`` exists while it reads the configuration,
    before any plugin runs; but every page of a status page can be generated,
    so a site may have no folder of its own pages. Then MkDocs is given an
    empty folder outside the source tree. A ``docs_dir`` that the
    configuration names is left to MkDocs to check: a typo there is an error.
    """
    if "docs_dir" in raw_config(config_file) or (config_file.parent / "docs").is_dir():
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="statuspage-docs-") as empty:
        yield empty
