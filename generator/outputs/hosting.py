"""``_headers``: response headers for hosts that read the file (Netlify, Cloudflare Pages).

Both read the same syntax: a path (``*`` matches the rest of a path
segment or segments), then indented ``Name: value`` lines. GitHub Pages
ignores the file: it sends ``Access-Control-Allow-Origin: *`` itself but
``Cache-Control: max-age=600`` on everything, which no file can change.

- The API, the feeds, the badges, ``llms.txt`` and the incidents' Markdown
  are public data meant for other sites' scripts: each may be read from any
  origin (Atlassian's status widget fetches ``api/v2/summary.json`` so).
- Each incident page names its Markdown in a ``Link`` header (``rel=alternate``,
  ``type=text/markdown``). Not in the page's ``<head>``: the theme's script
  fetches a ``sitemap.xml`` beside every ``<link rel="alternate">`` it finds,
  which beside an incident page does not exist.
- Each is cached briefly, so readers see an update within a minute (the API)
  or five (feeds and badges, as long as shields.io caches ``badge.json``).
"""

from __future__ import annotations

from .agents import INCIDENT_MARKDOWN, MARKDOWN_TYPE
from .badges import CACHE_SECONDS

API_SECONDS = 60
FEED_SECONDS = 300
CORS = ("Access-Control-Allow-Origin", "*")

#: Path pattern -> the cache lifetime of what it matches, in seconds.
RULES = (
    ("/api/v2/*", API_SECONDS),
    ("/feed.*", FEED_SECONDS),
    ("/components/*/feed.*", FEED_SECONDS),
    ("/maintenance.ics", FEED_SECONDS),
    ("/incidents/*/event.ics", FEED_SECONDS),
    ("/badge.*", CACHE_SECONDS),
    ("/components/*/badge.*", CACHE_SECONDS),
    ("/llms.txt", FEED_SECONDS),
    ("/incidents/*/index.md", FEED_SECONDS),
)

#: Incident pages, which name their Markdown.
INCIDENT_PAGES = "/incidents/*/"


def headers_file() -> dict[str, bytes]:
    """``_headers`` at the site's root (the folder the host publishes)."""
    lines = [
        "# Response headers for Netlify and Cloudflare Pages (GitHub Pages ignores this file).",
        "# Written by the status page generator; see docs/machine-readers.md.",
    ]
    for pattern, seconds in RULES:
        lines += [
            pattern,
            f"  {CORS[0]}: {CORS[1]}",
            f"  Cache-Control: public, max-age={seconds}, must-revalidate",
        ]
    lines += [
        INCIDENT_PAGES,
        f'  Link: <{INCIDENT_MARKDOWN}>; rel="alternate"; type="{MARKDOWN_TYPE}"',
    ]
    return {"_headers": ("\n".join(lines) + "\n").encode("utf-8")}
