"""The generator's own words in the reader's language.

Every word the generator writes (statuses, labels, page texts, feed titles,
announcements) is a message id in a gettext catalogue; incident text stays
as written. The catalogues are ``generator/locale/<locale>/LC_MESSAGES/
statuspage.po``, compiled to the ``.mo`` files shipped beside them
(``scripts/catalogues.py``); English is the source language, so its
catalogue only lists the messages.

The language is chosen per build, not per process: outputs made for a site
run inside :func:`speaking` with its ``theme.language``, and :func:`_`,
:func:`ngettext` and :func:`pgettext` translate into the language spoken
there (English outside). A language without a catalogue falls back to
English; ``lint`` says so.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TypeVar

_T = TypeVar("_T")

#: The domain of the generator's message catalogues.
DOMAIN = "statuspage"
#: Where the catalogues live: ``<locale>/LC_MESSAGES/statuspage.{po,mo}``.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The source language.
SOURCE = "en"
#: The locales shipped, as Babel (CLDR) names them; each has a catalogue.
LOCALES = ("en", "ja", "zh_Hans", "de", "fr", "es")
#: Each locale as ``<html lang>`` says it (BCP 47).
_BCP47 = {"en": "en", "ja": "ja", "zh_Hans": "zh-Hans", "de": "de", "fr": "fr", "es": "es"}
#: Chinese written in Simplified characters, however ``theme.language`` spells it
#: (Material for MkDocs says ``zh`` for Simplified, ``zh-Hant``/``zh-TW`` otherwise).
_SIMPLIFIED = {"zh", "zh_hans", "zh_cn", "zh_sg", "zh_my", "zh_hans_cn", "zh_hans_sg"}

_HTML_LANG = re.compile(r'<html lang="[^"]*"')

_speaking: ContextVar[str] = ContextVar("statuspage_language", default=SOURCE)


def locale_for(language: str) -> str | None:
    """The shipped locale for a ``theme.language`` value, or None when none fits.

    ``ja``, ``ja-JP`` → ``ja``; ``zh``, ``zh-Hans``, ``zh_CN`` → ``zh_Hans``;
    ``de-AT`` → ``de``. Traditional Chinese (``zh-Hant``, ``zh-TW``) is not
    shipped, and is not silently shown in Simplified characters.
    """
    key = language.strip().replace("-", "_").lower()
    if key.startswith("zh"):
        return "zh_Hans" if key in _SIMPLIFIED else None
    base = key.split("_", 1)[0]
    return base if base in LOCALES else None


def resolve(language: str) -> str:
    """The locale the site is written in: :func:`locale_for`, or English."""
    return locale_for(language) or SOURCE


def html_lang(language: str) -> str:
    """``<html lang>`` for a site of ``language``: the language its words are in."""
    return _BCP47[resolve(language)]


def set_html_lang(document: str, language: str) -> str:
    """``document`` with its ``<html lang>`` as :func:`html_lang` says (``zh-Hans``
    where a theme says ``zh``); unchanged for a language without a catalogue."""
    if locale_for(language) is None:
        return document
    return _HTML_LANG.sub(f'<html lang="{html_lang(language)}"', document, count=1)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations for ``language`` (``theme.language``); English is the source."""
    locale = resolve(language)
    if locale == SOURCE:
        return gettext.NullTranslations()
    with (LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
        return gettext.GNUTranslations(fp)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Translate into ``language`` within the block (it nests, and is per thread)."""
    token = _speaking.set(resolve(language))
    try:
        yield
    finally:
        _speaking.reset(token)


def in_language(language: str, make: Callable[[], _T]) -> Callable[[], _T]:
    """``make`` as a callable that runs in ``language``, whoever calls it and when."""

    def made() -> _T:
        with speaking(language):
            return make()

    return made


def spoken() -> str:
    """The locale being spoken: ``en`` outside :func:`speaking`."""
    return _speaking.get()


def _(message: str) -> str:
    """``message`` in the language spoken."""
    return translations(_speaking.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n``, by the plural rules of the language spoken."""
    return translations(_speaking.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the language spoken, where English says it alike in two senses."""
    return translations(_speaking.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Mark ``message`` in ``context`` for the catalogue (:func:`pgettext` shows it)."""
    return message
