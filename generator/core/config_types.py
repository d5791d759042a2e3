"""The value types the configuration schema (:mod:`generator.core.model`) is built from.

Each validator raises ``ValueError`` with the whole message a user reads, in
our own words and with a did-you-mean where the value is one of a closed set;
:mod:`generator.core.config` places it at its line in ``mkdocs.yml``.
"""

from __future__ import annotations

import difflib
import enum
import functools
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BeforeValidator, PlainValidator

from .errors import closest
from .links import LINK_SCHEMES, as_browser_reads, link_scheme
from .sources import unpublishable
from .times import TimeFormatError, parse_duration

_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EnumT = TypeVar("EnumT", bound=enum.Enum)
#: How alike a suggestion must be; below 0.75 difflib offers 'description' for 'position'.
_CLOSE = 0.75


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest candidate (case-insensitive), or ``""``."""
    found = closest(word, candidates, _CLOSE)
    return f"; did you mean '{found}'?" if found else ""


def not_one_of(value: object, allowed: Iterable[str]) -> str:
    """The message for a value outside a closed set, with a suggestion."""
    allowed = list(allowed)
    return f"{value!r} is not one of {', '.join(allowed)}{did_you_mean(str(value), allowed)}"


def choice(enum_type: type[EnumT]) -> Callable[[object], EnumT]:
    """A validator that accepts exactly the values of ``enum_type``."""

    def check(value: object) -> EnumT:
        if isinstance(value, enum_type):
            return value
        try:
            return enum_type(value)
        except ValueError:
            raise ValueError(not_one_of(value, [str(m.value) for m in enum_type])) from None

    return check


#: A policy's durations: at least a minute, at most a year (in minutes).
MAX_DURATION_MINUTES = 366 * 24 * 60


def _duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 < value <= MAX_DURATION_MINUTES:  # a promise of -30 or 0 minutes is none
            raise ValueError(f"{value} minutes must be between 1 and {MAX_DURATION_MINUTES}")
        return timedelta(minutes=value)  # plain numbers in mkdocs.yml are minutes
    try:
        duration = parse_duration(str(value))
    except (TimeFormatError, OverflowError) as exc:
        raise ValueError(str(exc)) from None
    if duration > timedelta(minutes=MAX_DURATION_MINUTES):
        raise ValueError(f"'{value}' is longer than a year")
    return duration


@functools.cache
def _zones_by_folded_name() -> dict[str, str]:
    """Every IANA zone by its folded full name and by its city alone (``berlin``)."""
    zones: dict[str, str] = {}
    for name in sorted(available_timezones()):
        zones.setdefault(name.rsplit("/", 1)[-1].casefold(), name)
    zones.update({name.casefold(): name for name in available_timezones()})
    return zones


def _time_zone(value: object) -> ZoneInfo:
    if isinstance(value, ZoneInfo):
        return value
    text = str(value)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    zones = _zones_by_folded_name()
    typed = text.strip().replace(" ", "_").casefold()
    close = difflib.get_close_matches(typed, list(zones), n=1, cutoff=_CLOSE)
    hint = f"; did you mean '{zones[close[0]]}'?" if close else ", e.g. Europe/Paris"
    raise ValueError(f"{text!r} is not an IANA time zone{hint}")


def _publishable(value: str) -> str:
    code = unpublishable(value)
    if code:
        raise ValueError(f"control character {code} cannot be published; remove it")
    return value


def _url_safe_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(f"{value!r} must be lower-case letters, digits, '-' or '_' (used in URLs)")
    return value


def _safe_link(url: str) -> str:
    if link_scheme(url) not in LINK_SCHEMES:
        allowed = ", ".join(f"{s}:" for s in LINK_SCHEMES)
        raise ValueError(f"{url!r} is not a link customers can follow; start it with {allowed}")
    return url


def _web_url(url: str) -> str:
    try:
        parts = urlsplit(url)
        web = parts.scheme in ("https", "http") and bool(parts.hostname)
    except ValueError:  # an unclosed IPv6 bracket
        web = False
    if not web or as_browser_reads(url) != url:
        raise ValueError(f"{url!r} is not a web address; give the full https:// URL")
    if "@" in parts.netloc:  # every feed names the hub: it must carry no password
        raise ValueError("a user name or password in the address would be published; remove it")
    return url


def _env_name(value: str) -> str:
    if value and not _ENV_NAME.match(value):
        raise ValueError(
            f"'{value}' is not an environment variable name; name the variable that "
            "holds the secret, never the secret itself"
        )
    return value


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


#: A duration: ``90m``, ``4h``, ``5d``, or a number of minutes.
Duration = Annotated[timedelta, BeforeValidator(_duration)]
#: An IANA time zone name, read into a ZoneInfo.
TimeZone = Annotated[ZoneInfo, PlainValidator(_time_zone)]
#: Text shown to readers: no character that a page or feed cannot carry.
Text = Annotated[str, AfterValidator(_publishable)]
#: An id that appears in URLs.
UrlSafeId = Annotated[str, AfterValidator(_url_safe_id)]
#: A link shown to readers: only schemes in LINK_SCHEMES.
SafeLink = Annotated[str, AfterValidator(_safe_link)]
#: A server the generator itself talks to (a WebSub hub): http(s) with a host.
WebUrl = Annotated[str, AfterValidator(_web_url)]
#: The name of an environment variable that holds a secret (never the secret).
EnvName = Annotated[str, AfterValidator(_env_name)]
#: The site's URL, always ending with ``/`` so paths can be appended.
BaseUrl = Annotated[str, AfterValidator(_with_slash)]


def unique(
    key: str, label: str, reserved: tuple[str, ...] = ()
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A validator that refuses items whose ``key`` repeats or is ``reserved``."""

    def check(items: tuple[Any, ...]) -> tuple[Any, ...]:
        keys = [getattr(item, key) for item in items]
        clash = sorted({k for k in keys if keys.count(k) > 1})
        if clash:
            raise ValueError(f"{label} must be unique: {', '.join(clash)}")
        taken = sorted(set(keys) & set(reserved))
        if taken:
            raise ValueError(f"{label} may not be {', '.join(repr(k) for k in taken)} (reserved)")
        return items

    return check
