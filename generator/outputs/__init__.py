"""Every machine-readable file of the site, as bytes keyed by site-relative path.

Pure functions of the configuration and the computed status: feeds, the
maintenance calendar, the Statuspage-compatible API, the badges, the pages
for agents (``llms.txt``, each incident's Markdown) and the hosts'
``_headers``. The MkDocs
plugin writes what :func:`build_outputs` returns and puts :func:`feed_links`
in every page's head.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.i18n import _, speaking
from ..core.settings import SiteConfig
from ..core.status import SiteStatus
from .agents import agent_files
from .api import api_files
from .badges import badge_files
from .feeds import SITE_FEEDS, feed_files
from .hosting import headers_file
from .ical import calendar_files


def build_outputs(
    config: SiteConfig, status: SiteStatus, *, ahead: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """Every machine-readable file, keyed by path (no leading slash).

    ``ahead``: :func:`status_outputs` of the same configuration and status,
    already made (a build makes them beside its pages, in another process).
    """
    with speaking(config.language):
        parts = (
            status_outputs(config, status) if ahead is None else ahead,
            agent_files(config, status),
            headers_file(),
        )
    return dict(sorted(_merged(parts).items()))


def status_outputs(config: SiteConfig, status: SiteStatus) -> dict[str, bytes]:
    """The feeds, the maintenance calendar, the API and the badges: made from
    the incidents' events, none of them from what their pages make."""
    with speaking(config.language):
        return _merged(
            (
                feed_files(config, status),
                calendar_files(config, status),
                api_files(config, status),
                badge_files(config, status),
            )
        )


def _merged(parts: Iterable[dict[str, bytes]]) -> dict[str, bytes]:
    """The files of every part; no two parts may claim one path."""
    outputs: dict[str, bytes] = {}
    for part in parts:
        clash = outputs.keys() & part.keys()
        assert not clash, f"two outputs claim {sorted(clash)}"
        outputs.update(part)
    return outputs


def feed_links(config: SiteConfig) -> list[tuple[str, str, str]]:
    """``(mime type, title, site-relative href)`` of the site feeds, for autodiscovery."""
    with speaking(config.language):
        title = _("{site} ({feed})")
    return [
        (mime, title.format(site=config.name, feed=kind), href) for mime, kind, href in SITE_FEEDS
    ]
