"""Reading and writing the times and durations of incident files."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import StatusPageError
from .i18n import SOURCE, spoken

_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[ T](?P<clock>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?|[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)+"
    r"|[A-Z]{2,5})?$"
)
_DURATION = re.compile(r"(\d+)\s*(d|h|m|s)", re.IGNORECASE)
_DURATION_WHOLE = re.compile(r"^\s*(?:\d+\s*[dhms]\s*)+$", re.IGNORECASE)
_MINUTES = re.compile(r"^\s*\d+\s*$")


class TimeFormatError(StatusPageError, ValueError):
    """A time or a duration that cannot be read.

    Also a ``ValueError``, so that pydantic validators and callers that expect
    one from a parser keep working.
    """


#: A fixed instant for "no time at all" (an empty feed's ``updated``): never the clock.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: Times a status page can hold: from the Unix epoch to well ahead. Outside it,
#: a typo (year 1, year 9999) would overflow time zone arithmetic or make
#: pages, calendars and reports span centuries.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def parse_time(text: str, default_zone: ZoneInfo) -> datetime:
    """Parse ``YYYY-MM-DD HH:MM[:SS] [zone]`` or ISO 8601 into an aware datetime.

    The zone may be ``UTC``, ``Z``, an offset or an IANA name; without one the
    time is read in ``default_zone``. A local time that does not exist (skipped
    by a daylight-saving change) is an error rather than a silent shift.

    The result is in UTC: arithmetic and comparisons on datetimes that share a
    ``ZoneInfo`` use the wall clock, so ``02:50 CEST + 30 minutes`` on the night
    clocks go back would be 90 minutes away, and the two ``02:30`` would compare
    equal. Whoever shows a time converts it to the site's zone.
    """
    text = text.strip()
    # Times are kept to the second: a fraction (from an older file) is shown nowhere.
    moment = _parse_aware(text, default_zone).replace(microsecond=0)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:
        raise TimeFormatError(f"'{text}' is outside the calendar in UTC") from None
    if not EARLIEST <= moment < LATEST:
        raise TimeFormatError(
            f"'{text}' is outside the years {EARLIEST.year}–{LATEST.year - 1} this page can show"
        )
    return moment


def _parse_aware(text: str, default_zone: ZoneInfo) -> datetime:
    match = _TIME.match(text)
    if not match:
        raise TimeFormatError(
            f"'{text}' is not a time; write it as YYYY-MM-DD HH:MM UTC "
            "(or with an offset such as +09:00, or an IANA zone such as Europe/Paris)"
        )
    try:
        naive = datetime.fromisoformat(f"{match['date']}T{match['clock']}")
    except ValueError as exc:
        raise TimeFormatError(f"'{text}' is not a valid date or time: {exc}") from None
    zone = match["zone"]
    if zone in ("Z", "UTC", "GMT"):
        return naive.replace(tzinfo=UTC)
    if zone and zone[0] in "+-":
        return _with_offset(naive, zone, text)
    if zone is not None and "/" not in zone:
        return _abbreviated(naive, zone, default_zone, text)
    tz = default_zone if zone is None else _zone(zone)
    return _localize(naive, tz, text)


def _abbreviated(naive: datetime, abbreviation: str, tz: ZoneInfo, text: str) -> datetime:
    """A time followed by the site zone's abbreviation (``CET``), as pages show it.

    Abbreviations are ambiguous between zones, so only the site's own is read;
    it also tells which of the two times an hour repeated by a daylight-saving
    change is meant (``02:30 CEST`` or ``02:30 CET``).
    """
    for fold in (0, 1):
        aware = naive.replace(tzinfo=tz, fold=fold)
        if aware.strftime("%Z") == abbreviation:
            return aware if fold else _localize(naive, tz, text)
    raise TimeFormatError(
        f"'{text}': {abbreviation} is not what {tz.key} is called at that time; "
        f"write the zone as an IANA name (e.g. {tz.key}) or an offset (+01:00)"
    )


def _with_offset(naive: datetime, zone: str, text: str) -> datetime:
    digits = zone[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    if len(digits) != 4 or int(digits[:2]) > 23 or int(digits[2:]) > 59:
        raise TimeFormatError(f"'{text}' has an offset that is not ±HH:MM (at most ±23:59)")
    try:
        return datetime.fromisoformat(f"{naive.isoformat()}{zone[0]}{digits[:2]}:{digits[2:]}")
    except ValueError as exc:
        raise TimeFormatError(f"'{text}' has an invalid offset: {exc}") from None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeFormatError(f"'{name}' is not a known time zone (IANA name)") from None


def _localize(naive: datetime, tz: ZoneInfo, text: str) -> datetime:
    aware = naive.replace(tzinfo=tz)
    round_trip = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != naive:
        raise TimeFormatError(f"'{text}' does not exist in {tz.key} (a daylight-saving gap)")
    return aware


def format_time(moment: datetime, tz: ZoneInfo | None = None) -> str:
    """``2026-11-20 14:20 UTC``, or in ``tz`` with its IANA name: how files hold a time.

    Seconds are kept only when they are not zero, so the text reads back equal
    to the second; fractions of a second are never written.
    """
    local = moment.astimezone(tz or UTC)
    clock = "%H:%M:%S" if local.second else "%H:%M"
    text = local.strftime(f"%Y-%m-%d {clock}")
    if tz is None or tz.key == "UTC":
        return f"{text} UTC"
    return f"{text} {tz.key}"


def display_time(moment: datetime, tz: ZoneInfo) -> str:
    """How readers see a time: ``2026-11-20 14:20 CET``, in the site's zone, to the minute.

    In another language, the date and clock as CLDR writes them there
    (``2026/11/20 14:20 CET``, ``20.11.2026 14:20 CET``); the zone's abbreviation
    stays, as the file format writes it.
    """
    return _display_time(moment, tz, spoken())


# A page, its search entries, its Markdown and the feeds show the same times
# (equal instants in other zones compare equal: the zone shown is ``tz``).
@lru_cache(maxsize=4096)
def _display_time(moment: datetime, tz: ZoneInfo, locale: str) -> str:
    local = moment.astimezone(tz)
    if locale == SOURCE:
        return local.strftime("%Y-%m-%d %H:%M %Z")
    return _cldr_time(local, str(tz), locale)


# Pages, feeds, search and calendar repeat the same times. Equal instants in other
# zones compare equal, so the zone is part of the key.
@lru_cache(maxsize=65536)
def _cldr_time(local: datetime, zone: str, locale: str) -> str:
    from babel.dates import format_skeleton

    day = format_skeleton("yMd", local, locale=locale)
    clock = format_skeleton("Hm", local, locale=locale)
    return f"{day} {clock} {local.tzname()}"


def zone_name(tz: ZoneInfo, at: datetime) -> str:
    """A zone named in a sentence: ``Europe/Berlin (CET)``, its abbreviation at ``at``;
    ``UTC`` alone."""
    abbreviation = at.astimezone(tz).strftime("%Z")
    if _is_utc(tz) or tz.key == abbreviation:
        return tz.key
    return f"{tz.key} ({abbreviation})"


def explained_time(moment: datetime, tz: ZoneInfo) -> str:
    """A time in a message to the team: ``2026-11-20 14:20 CET (Europe/Berlin)``.

    The abbreviation as pages show it, and the IANA name that commands accept;
    seconds only when the time has them.
    """
    local = moment.astimezone(tz)
    clock = "%H:%M:%S" if local.second else "%H:%M"
    text = local.strftime(f"%Y-%m-%d {clock} %Z")
    return text if _is_utc(tz) or tz.key == local.strftime("%Z") else f"{text} ({tz.key})"


def _is_utc(tz: ZoneInfo) -> bool:
    return tz.key in ("UTC", "Etc/UTC", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT")


def stamp(moment: datetime, after: datetime | None = None) -> datetime:
    """The time an update is written with.

    A time someone gave (``--now``) has no fraction of a second and is kept as
    it is. A clock reading has one: it is written to the minute, or to the
    second when the minute would not come after ``after`` (the latest update),
    so that two updates within one minute keep their order; within one second,
    a second after ``after``.
    """
    if not moment.microsecond:
        return moment
    moment = moment.replace(microsecond=0)
    minute = moment.replace(second=0)
    if after is None or minute > after:
        return minute
    return max(moment, after.replace(microsecond=0) + timedelta(seconds=1))


def parse_duration(text: str) -> timedelta:
    """``30m``, ``1h``, ``2h30m``, ``1d`` into a timedelta; a bare number is minutes."""
    if _MINUTES.match(text):
        text = f"{text.strip()}m"
    if not _DURATION_WHOLE.match(text):
        raise TimeFormatError(
            f"'{text}' is not a duration; write it as 30 (minutes), 30m, 1h, 2h30m or 1d"
        )
    units = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
    total = timedelta()
    for amount, unit in _DURATION.findall(text):
        total += timedelta(**{units[unit.lower()]: int(amount)})
    if total <= timedelta():
        raise TimeFormatError(f"'{text}' must be longer than zero")
    return total


def format_duration(delta: timedelta) -> str:
    """A short human duration: ``2 h 5 min``, ``3 d 4 h``, ``45 min``.

    In another language, each part in CLDR's short unit (``2 時間 5 分``,
    ``2 Std., 5 Min.``), so the plural and the unit read as that language does.
    """
    minutes = max(0, round(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h")] if days else [(hours, "h"), (mins, "min")]
    shown = [(n, unit) for n, unit in parts if n] or [(mins, "min")]
    if spoken() == SOURCE:
        return " ".join(f"{n} {unit}" for n, unit in shown)
    return _cldr_duration(shown, spoken())


_CLDR_UNITS = {"d": "duration-day", "h": "duration-hour", "min": "duration-minute"}


def _cldr_duration(parts: list[tuple[int, str]], locale: str) -> str:
    from babel.lists import format_list
    from babel.units import format_unit

    said = [format_unit(n, _CLDR_UNITS[unit], length="short", locale=locale) for n, unit in parts]
    for style in ("unit-short", "unit"):  # not every locale has every list style
        try:
            return format_list(said, style=style, locale=locale)
        except KeyError:
            continue
    return " ".join(said)


def format_day(day: date, locale: str | None = None) -> str:
    """``Monday 23 November 2026``: a day as headings say it, by CLDR's rules for
    ``locale`` (by default the language spoken; never the machine's locale,
    which ``strftime`` would use)."""
    from babel.dates import format_date  # only pages need it: lint stays light

    locale = locale or spoken()
    return format_date(day, "EEEE dd MMMM y" if locale == SOURCE else "full", locale=locale)


def format_month(month: date, *, short: bool = False) -> str:
    """``November 2026`` (``Nov 2026`` when ``short``) in the language spoken."""
    locale = spoken()
    if locale == SOURCE:
        return month.strftime("%b %Y" if short else "%B %Y")
    from babel.dates import format_skeleton

    return format_skeleton("yMMM" if short else "yMMMM", month, locale=locale)
