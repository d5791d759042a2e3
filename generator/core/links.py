"""Links as a reader's browser reads them.

A check on a URL must see what the browser will: the WHATWG URL parser drops
tabs and newlines anywhere and trims control characters and spaces, so
``java\tscript:`` is ``javascript:`` and `` //host`` is another host.
"""

from __future__ import annotations

import re

#: Schemes a configured link may have: anything else (``javascript:``,
#: ``data:``) would run or load something in a reader's browser.
LINK_SCHEMES = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))


def as_browser_reads(url: str) -> str:
    """``url`` with tabs and newlines removed and both ends trimmed, as parsed."""
    return _TAB_OR_NEWLINE.sub("", url).strip(_C0_OR_SPACE)


def link_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it, lower-case; None for a relative URL."""
    match = _SCHEME.match(as_browser_reads(url))
    return match.group(1).lower() if match else None
