"""Times and durations: what editors write, read back exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.core.times import (
    TimeFormatError,
    format_duration,
    format_time,
    parse_duration,
    parse_time,
)

BERLIN = ZoneInfo("Europe/Berlin")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, ZoneInfo("Asia/Tokyo"), BERLIN]),
    )
)
def test_format_time_reads_back_as_the_same_instant(moment: datetime) -> None:
    # Instants, not ==: PEP 495 makes a wall time in a DST gap unequal to any other zone's.
    # Fractions of a second are never written: the text reads back to the second.
    text = format_time(moment)
    assert "." not in text
    assert parse_time(text, BERLIN).timestamp() == moment.replace(microsecond=0).timestamp()


def test_zone_less_times_use_the_site_zone_across_daylight_saving() -> None:
    assert parse_time("2026-07-01 12:00", BERLIN).utcoffset() == timedelta(hours=2)
    assert parse_time("2026-12-01 12:00", BERLIN).utcoffset() == timedelta(hours=1)
    with pytest.raises(TimeFormatError, match="daylight-saving gap"):
        parse_time("2026-03-29 02:30", BERLIN)


@pytest.mark.parametrize(
    "text",
    [
        "12:30",
        "2026-11-20",
        "tomorrow",
        "2026-11-20 25:00 UTC",
        "2026-11-20 10:00 +9",
        "2026-11-20 10:00 Nowhere/City",
    ],
)
def test_bad_times_are_errors(text: str) -> None:
    with pytest.raises(TimeFormatError):
        parse_time(text, BERLIN)


def test_durations() -> None:
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("2h30m") == timedelta(hours=2, minutes=30)
    assert parse_duration("1d") == timedelta(days=1)
    assert parse_duration("30") == parse_duration(" 30 ") == timedelta(minutes=30)
    for bad in ("soon", "0m", "0", "-5m", "30x", "1.5"):
        with pytest.raises(TimeFormatError):
            parse_duration(bad)
    assert format_duration(timedelta(minutes=125)) == "2 h 5 min"
    assert format_duration(timedelta(days=3, hours=4)) == "3 d 4 h"
    assert format_duration(timedelta(minutes=45)) == "45 min"
