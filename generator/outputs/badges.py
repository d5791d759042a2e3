"""Status badges: ``badge.svg`` and ``badge.json``, for the site and for each component.

The SVG says the status in words (colour only repeats it), carries
``role="img"``, an ``aria-label`` and a ``<title>``, and uses colours with at
least 4.5:1 contrast against its white text. It is small enough to write by
hand; every text goes through :mod:`xml.sax.saxutils`. ``badge.json`` follows
the shields.io endpoint schema, for those who prefer shields' rendering; it
names the same hex colours as the SVG (one table, :data:`IMPACT_COLOUR`), so
both badges look alike, and asks shields to cache it no longer than
:data:`CACHE_SECONDS`, the least shields allows.
"""

from __future__ import annotations

import json
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from ..core.i18n import N_, _
from ..core.model import ComponentStatus, Impact
from ..core.settings import SiteConfig
from ..core.status import SiteStatus
from ..core.urls import component_path

LABEL = N_("status")
LABEL_COLOUR = "#555"
#: Background of the message; white text on each has a contrast of 4.5:1 or more.
IMPACT_COLOUR = {
    Impact.NONE: "#1a7f37",
    Impact.MAINTENANCE: "#0969da",
    Impact.MINOR: "#9a6700",
    Impact.MAJOR: "#bc4c00",
    Impact.CRITICAL: "#cf222e",
}
COMPONENT_COLOUR = {
    ComponentStatus.OPERATIONAL: IMPACT_COLOUR[Impact.NONE],
    ComponentStatus.UNDER_MAINTENANCE: IMPACT_COLOUR[Impact.MAINTENANCE],
    ComponentStatus.DEGRADED_PERFORMANCE: IMPACT_COLOUR[Impact.MINOR],
    ComponentStatus.PARTIAL_OUTAGE: IMPACT_COLOUR[Impact.MAJOR],
    ComponentStatus.MAJOR_OUTAGE: IMPACT_COLOUR[Impact.CRITICAL],
}
#: How long shields.io may cache a ``badge.json``: its minimum for endpoint badges.
CACHE_SECONDS = 300
_PADDING = 6
_HEIGHT = 20
_FONT = "Verdana,Geneva,DejaVu Sans,sans-serif"


def text_width(text: str) -> int:
    """Approximate width in pixels at 11px Verdana; wide (CJK) characters count double."""
    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return round(units * 7)


def svg(label: str, message: str, colour: str) -> bytes:
    """A two-part flat badge, ``label | message``, readable without colour."""
    left = text_width(label) + 2 * _PADDING
    right = text_width(message) + 2 * _PADDING
    spoken = quoteattr(f"{label}: {message}")
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{left + right}" height="{_HEIGHT}" role="img" aria-label={spoken}>',
        f"<title>{escape(f'{label}: {message}')}</title>",
        f'<rect width="{left}" height="{_HEIGHT}" fill="{LABEL_COLOUR}"/>',
        f'<rect x="{left}" width="{right}" height="{_HEIGHT}" fill={quoteattr(colour)}/>',
        f'<g fill="#fff" text-anchor="middle" font-family="{_FONT}" font-size="11">',
        f'<text x="{left / 2:g}" y="14">{escape(label)}</text>',
        f'<text x="{left + right / 2:g}" y="14">{escape(message)}</text>',
        "</g></svg>",
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")


def shields_json(label: str, message: str, colour: str) -> bytes:
    """The shields.io endpoint badge with the SVG badge's words and colours."""
    body = {
        "schemaVersion": 1,
        "label": label,
        "message": message,
        "color": colour,
        "labelColor": LABEL_COLOUR,
        "cacheSeconds": CACHE_SECONDS,
    }
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def badge_files(config: SiteConfig, status: SiteStatus) -> dict[str, bytes]:
    """The site badge and one per component, each as SVG and as shields.io JSON."""
    colour = IMPACT_COLOUR[status.indicator]
    files = {
        "badge.svg": svg(_(LABEL), status.banner, colour),
        "badge.json": shields_json(_(LABEL), status.banner, colour),
    }
    for component in config.components:
        state = status.components.get(component.id)
        current = state.status if state else ComponentStatus.OPERATIONAL
        words = (component.name, current.label, COMPONENT_COLOUR[current])
        folder = component_path(component.id)
        files[folder + "badge.svg"] = svg(*words)
        files[folder + "badge.json"] = shields_json(*words)
    return files
