"""Incident Markdown to safe HTML.

Incident text is GitHub Flavored Markdown rendered by cmark-gfm, GitHub's own
renderer (through ``cmarkgfm``), so the page shows what the pull request's
preview showed: tables, strikethrough and bare links as links. Raw HTML in
incident files passes straight through the Markdown renderer, so every
fragment that reaches a reader (pages, feeds, e-mail) goes through ``nh3``.
:func:`safe_markdown`, which must see the text's structure, reads it with
markdown-it-py's CommonMark parser.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .links import as_browser_reads, link_scheme

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
#: Texts whose rendering is kept, per cache: what a page or a save asks for again
#: (a feed's entries, the home page's updates). Each incident's parts are kept
#: whole elsewhere (:mod:`generator.core.memo`); a build of thousands of
#: incidents reads most texts once or twice in a row, so more would only hold memory.
CACHED = 4096


@lru_cache(maxsize=CACHED)  # a preview sanitises the same feed entries on every save
def sanitize(fragment: str) -> str:
    """Keep structure and links; drop scripts, event handlers, ``javascript:``/``data:``."""
    clean: str = _sanitizer().clean(fragment)
    # An image whose remote source was dropped would show as an unlabelled blank.
    return _SOURCELESS_IMAGE.sub("", clean) if "<img" in clean else clean


def strip_tags(fragment: str) -> str:
    """HTML without a tag (its text, still escaped); ``<script>``'s and ``<style>``'s text gone."""
    text: str = _text_only().clean(fragment)
    return text


# Built once: a cleaner made for each call costs as much as the cleaning.
@lru_cache(maxsize=1)
def _sanitizer() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_local_images_only,
    )


@lru_cache(maxsize=1)
def _text_only() -> nh3.Cleaner:
    return nh3.Cleaner(tags=set())


#: nh3's output quotes every attribute value and escapes ``>`` inside it.
_SOURCELESS_IMAGE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    """A status page makes no third-party request: images must come from the site.

    The source is read as a browser reads it (WHATWG URL): tabs and newlines
    removed, control characters and spaces trimmed, ``\\`` taken as ``/``, so
    ``/\\host/x.png`` or `` //host`` cannot pass for a path on the site.
    """
    if tag == "img" and attribute == "src":
        url = as_browser_reads(value).replace("\\", "/")
        if ":" in url or url.startswith("//"):
            return None
    return value


_cache: dict[str, str] = {}


class _Markdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Every link becomes a link and nh3 alone decides which targets survive,
        so a ``javascript:`` link shows as its text, not as Markdown source."""
        return True


@lru_cache(maxsize=1)
def _converter() -> MarkdownIt:
    return _Markdown("commonmark").enable(["table", "strikethrough"])


#: GitHub's extensions, as its preview renders a pull request's Markdown; the
#: task list's checkboxes would not survive ``nh3``. Raw HTML and every link
#: pass (``UNSAFE``): ``nh3`` alone decides what a reader gets.
_EXTENSIONS = ["table", "strikethrough", "autolink"]


@lru_cache(maxsize=CACHED)  # the page renders an update, the agents' check reads it again
def _convert(text: str) -> str:
    html_text: str = cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=_EXTENSIONS
    )
    return html_text.strip()


def render_markdown(text: str) -> str:
    """Markdown of an incident (summary, update, scope) as sanitised HTML."""
    if not text.strip():
        return ""
    cached = _cache.get(text)
    if cached is None:
        cached = _remember(text, sanitize(_convert(text)))
    return cached


def _remember(text: str, rendered: str) -> str:
    if len(_cache) >= CACHED:
        _cache.clear()
    _cache[text] = rendered
    return rendered


def plain_text(text: str) -> str:
    """Markdown reduced to plain text, for titles and social posts."""
    stripped = strip_tags(render_markdown(text))
    return " ".join(html.unescape(stripped).split())


#: ``<`` where CommonMark would start raw HTML (a tag, comment, declaration) or
#: an autolink whose scheme is not one a reader may follow.
#: The backslashes before a character count: after an odd number it is already
#: escaped; after an even number (``\\<b>``: an escaped backslash) it is not, and
#: one more backslash must go right before it.
_RAW_HTML_START = re.compile(r"(\\*)<(?=[A-Za-z/!?])(?!(?:https?|mailto|tel):[^\s<>`]*>)")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?:.+?)(?<!`)\1(?!`)")
_ESCAPE_ALL = re.compile(r"(\\*)([<\[\]])")


def _escaped(found: re.Match[str]) -> str:
    slashes, rest = found.group(1), found.group(0)[len(found.group(1)) :]
    return found.group(0) if len(slashes) % 2 else f"{slashes}\\{rest}"


_LOOSE_AMPERSAND = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def safe_markdown(text: str, level: int = 3) -> str:
    """Incident Markdown as Markdown that carries no raw HTML.

    The text stays as written (links, lists, emphasis, code, tables); each
    ``<`` that would open raw HTML is escaped as ``\\<``, so a reader that
    renders the Markdown shows the tag as text. Code blocks and code spans,
    where CommonMark shows ``<`` as it is, are left alone. The result is
    parsed again: should raw HTML remain (escaping changed the blocks around
    a code block) or a link lead to ``javascript:`` and the like, every
    ``<``, ``[`` and ``]`` is escaped instead, and no link or tag is left.

    ``level`` is that of the heading the text sits under in a larger document;
    headings of that level or above in the text show as text.

    Memoised by text: a preview makes every incident's Markdown on each save.
    Text with nothing to escape is parsed once, not three times.
    """
    key = (text, level)
    cached = _safe_cache.get(key)
    if cached is None:
        cached = _safe_markdown(text, level)
        if len(_safe_cache) >= CACHED:
            _safe_cache.clear()
        _safe_cache[key] = cached
    return cached


_safe_cache: dict[tuple[str, int], str] = {}


def _safe_markdown(text: str, level: int) -> str:
    lines = text.strip().splitlines()
    source = "\n".join(lines)
    if _plainly_safe(source):
        return source
    env: dict[str, Any] = {}
    tokens = _converter().parse(source, env)
    code: set[int] = set()
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
    kept = "\n".join(
        line if number in code else _escape_outside_code(line) for number, line in enumerate(lines)
    )
    parsed = (tokens, env) if kept == source else None  # nothing escaped: the same parse
    if _has_raw_html(kept, parsed):
        kept, parsed = "\n".join(_ESCAPE_ALL.sub(_escaped, line) for line in lines), None
    return _self_contained(kept, level, parsed[0] if parsed else None)


#: In cmark-gfm's HTML: what only a closer reading can make safe, or a link target.
_STRUCTURE = re.compile(r"<(h[1-6]|pre|table)[ >]")
_TARGET = re.compile(r' (?:href|src)="([^"]*)"')


def _plainly_safe(source: str) -> bool:
    """Whether ``source`` is safe as it is, seen from its rendering alone.

    Most updates are prose, links and lists. Without a ``<`` no raw HTML can
    open, without ``]:`` no link definition; the rendering then tells whether
    a heading, code block or table is there and where the links lead. Any
    of those, or a link that would run, takes the closer reading (markdown-it's).
    """
    if "<" in source or "]:" in source:
        return False
    rendered = _convert(source)
    if _STRUCTURE.search(rendered):
        return False
    return not any(_risky(html.unescape(target)) for target in _TARGET.findall(rendered))


def _self_contained(markdown: str, level: int, tokens: list[Token] | None = None) -> str:
    """``markdown`` as one part of a larger document that cannot reshape the rest.

    Headings of ``level`` or above (the document's own: the title, ``## Timeline``,
    ``###`` for each update) show as text, and a code block left open is closed,
    so that it does not swallow the updates after it. ``tokens``: the parse of
    ``markdown``, if already made.
    """
    own = {f"h{n}" for n in range(1, level + 1)}
    lines = markdown.splitlines()
    if tokens is None:
        tokens = _converter().parse(markdown)
    for token in tokens:
        if token.type == "heading_open" and token.tag in own and token.map:
            setext = token.markup in ("=", "-")  # the underline, else the ``#``
            number = token.map[1] - 1 if setext else token.map[0]
            line = lines[number]
            start = line.index(token.markup[0])  # after a quote's ``>`` or a list's ``-``
            lines[number] = f"{line[:start]}\\{line[start:]}"
    last = tokens[-1] if tokens else None
    if last is not None and last.type == "fence" and last.map and not _closes(lines, last):
        lines.append(last.markup)
    return "\n".join(lines)


def _closes(lines: list[str], fence: Token) -> bool:
    """Whether the fence's own last line closes it (else the text ended inside it)."""
    assert fence.map is not None
    end = fence.map[1] - 1
    closing = lines[end].strip() if end > fence.map[0] else ""
    return closing.startswith(fence.markup) and set(closing) == {fence.markup[0]}


def _escape_outside_code(line: str) -> str:
    parts, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(_RAW_HTML_START.sub(_escaped, line[last : span.start()]))
        parts.append(span.group(0))
        last = span.end()
    parts.append(_RAW_HTML_START.sub(_escaped, line[last:]))
    return "".join(parts)


def _risky(href: object) -> bool:
    scheme = link_scheme(str(href))
    return scheme is not None and scheme not in _URL_SCHEMES


def _has_raw_html(markdown: str, parsed: tuple[list[Token], dict[str, Any]] | None = None) -> bool:
    """Whether a CommonMark reader would find raw HTML or a link that would run.

    A link definition counts even when nothing here uses it: the incident's
    Markdown puts every update in one document, where a ``[text][name]`` in a
    later update would use it. ``parsed``: the tokens and environment of
    ``markdown``, if already made.
    """
    if parsed is None:
        env: dict[str, Any] = {}
        parsed = (_converter().parse(markdown, env), env)
    tokens, env = parsed
    if any(_risky(found.get("href", "")) for found in env.get("references", {}).values()):
        return True
    pending = list(tokens)
    while pending:
        token = pending.pop()
        if token.type in ("html_block", "html_inline"):
            return True
        if token.type in ("link_open", "image") and _risky(
            token.attrs.get("href", token.attrs.get("src", ""))
        ):
            return True
        pending.extend(token.children or ())
    return False


#: What Markdown would read as markup in plain text (titles, scope, names).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_text(text: str) -> str:
    """Plain text as Markdown that shows it as written, on one line."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = _LOOSE_AMPERSAND.sub(r"\\&", escaped)
    return re.sub(r"^([#+-]|\d+[.)])", r"\\\1", escaped)
