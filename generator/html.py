"""Incident Markdown to safe HTML.

Raw HTML in incident files passes straight through Python-Markdown, so every
fragment that reaches a reader (pages, feeds, e-mail) goes through ``nh3``.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "attr_list"]


def sanitize(fragment: str) -> str:
    """Keep structure and links; drop scripts, event handlers, ``javascript:``/``data:``."""
    clean = nh3.clean(
        fragment,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_local_images_only,
    )
    # An image whose remote source was dropped would show as an unlabelled blank.
    return _SOURCELESS_IMAGE.sub("", clean) if "<img" in clean else clean


#: nh3's output quotes every attribute value and escapes ``>`` inside it.
_SOURCELESS_IMAGE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """A status page makes no third-party request: images must come from the site."""
    if tag == "img" and attribute == "src" and (":" in value or value.startswith("//")):
        return None
    return value


_cache: dict[str, str] = {}
_CACHE_LIMIT = 100_000


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=_EXTENSIONS, output_format="html")


def _convert(text: str) -> str:
    converter = _converter()
    converter.reset()
    return converter.convert(text)


def render_markdown(text: str) -> str:
    """Markdown of an incident (summary, update, scope) as sanitised HTML."""
    if not text.strip():
        return ""
    cached = _cache.get(text)
    if cached is None:
        cached = _remember(text, sanitize(_convert(text)))
    return cached


def _remember(text: str, rendered: str) -> str:
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[text] = rendered
    return rendered


def render_inline(text: str) -> str:
    """A one-paragraph Markdown field (scope, workaround) without its ``<p>``."""
    rendered = render_markdown(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def plain_text(text: str) -> str:
    """Markdown reduced to plain text, for titles and social posts."""
    stripped = nh3.clean(render_markdown(text), tags=set())
    return " ".join(html.unescape(stripped).split())
