"""What the plugin hands the theme: escaped text settings, the package's
overrides and assets, and the layout of the status pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils.yaml import yaml_load

from ..site.layout import ASSETS, FAVICON, Layout, asset_bytes, tabs_from_nav

log = get_plugin_logger("generator.plugin")

#: What the package supplies to the theme: ``overrides/`` and ``docs.css``.
THEME_DIR = Path(__file__).parent.parent / "site" / "theme"
#: The stylesheet of the status pages, as a path in the site.
STYLESHEET = "assets/status.css"
#: The theme's pages (the site's own Markdown) get this one: contrast fixes.
DOCS_STYLESHEET = "assets/docs.css"
#: Material's favicon, its default for ``theme.favicon``: the status pages use their own.
MATERIAL_FAVICON = "assets/images/favicon.png"

THEME_TEXT_SETTINGS = ("site_name", "site_description", "site_author", "copyright", "repo_name")


def escape_theme_text(config: MkDocsConfig) -> None:
    for name in THEME_TEXT_SETTINGS:
        value = config.get(name)
        if isinstance(value, str) and value:
            config[name] = escape(value)


def supply_theme(config: MkDocsConfig) -> None:
    """Put the package's overrides and stylesheet into the theme's configuration.

    The overrides come after the site's own ``custom_dir``, so a site's
    template of the same name wins, and before Material's, which they extend.
    The stylesheet comes first in ``extra_css`` so that a site's own
    stylesheets can override its rules. Material loads Google Fonts unless
    ``theme.font`` is false: a status page makes no third-party request, so
    fonts stay off unless the site chose one.
    """
    overrides = str(THEME_DIR / "overrides")
    dirs = config.theme.dirs
    if overrides not in dirs:  # the same configuration may be built twice
        dirs.insert(1 if config.theme.custom_dir else 0, overrides)
    if DOCS_STYLESHEET not in config.extra_css:
        config.extra_css.insert(0, DOCS_STYLESHEET)
    if not _chose_font(config):
        config.theme["font"] = False
    config.extra.setdefault("generator", False)  # no theme advertisement by default


def _chose_font(config: MkDocsConfig) -> bool:
    """Whether the site's configuration file sets ``theme.font`` itself.

    The theme's defaults are merged in by the time plugins run, so only the
    file tells a chosen font from Material's default one.
    """
    if not config.config_file_path:
        return False
    theme = raw_config(Path(config.config_file_path)).get("theme")
    return isinstance(theme, dict) and "font" in theme


def raw_config(path: Path) -> dict[str, Any]:
    """The configuration file as written (``INHERIT`` merged); empty if unreadable.

    Errors are left to MkDocs' own loading, which reports them.
    """
    try:
        with path.open("rb") as source:
            return yaml_load(source)
    except (OSError, ConfigurationError):
        return {}


def add_assets(files: Files, config: MkDocsConfig) -> None:
    """The package's stylesheets and scripts, unless the site has its own of the same path."""
    shipped = {path: asset_bytes(path) for path in ASSETS}
    shipped[DOCS_STYLESHEET] = (THEME_DIR / "docs.css").read_bytes()
    for path, content in shipped.items():
        if files.get_file_from_path(path) is not None:
            log.info("%s exists in the site; the built-in one is not used", path)
            continue
        files.append(File.generated(config, path, content=content))


def site_layout(config: MkDocsConfig, root: Path) -> Layout:
    """What the status pages' frame takes from ``mkdocs.yml``: nav, logo, favicon, CSS.

    Read before the theme's texts are escaped: the layout's templates escape.
    Only paths inside the site are used; a logo on another host would be a
    third-party request.
    """
    theme = config.theme
    own_css = [css for css in config.extra_css if css not in (STYLESHEET, DOCS_STYLESHEET)]
    return Layout(
        tabs=tabs_from_nav(config.nav, config.use_directory_urls),
        logo=_site_path(theme.get("logo")),
        favicon=_site_path(theme.get("favicon")).replace(MATERIAL_FAVICON, "") or FAVICON,
        extra_css=tuple(p for p in map(_site_path, own_css) if p),
        copyright=str(config.copyright or ""),
        description=str(config.site_description or ""),
        root=root,
    )


def _site_path(value: object) -> str:
    """A path inside the site, or "" for anything else (a URL, nothing)."""
    if not isinstance(value, str) or not value or urlsplit(value).scheme or value.startswith("//"):
        return ""
    return value.lstrip("/")


def material_search(config: MkDocsConfig) -> bool:
    """Whether Material's search plugin is on (its index format is the one we extend)."""
    for plugin in config.plugins.values():
        if type(plugin).__module__.startswith("material.plugins.search"):
            return bool(plugin.config.get("enabled", True))
    return False
