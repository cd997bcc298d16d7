"""Durations and times as DESIGN.md's command line reads them, against a fixed clock."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techqueue.core.timeparse import (
    TimeParseError,
    WorkingHours,
    parse_duration,
    parse_when,
)
from techqueue.domain import MAX_DURATION_MINUTES

#: Monday 2 March 2026, 09:00 UTC.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: A technician who works 08:30-16:30, Monday to Friday.
HOURS = WorkingHours(start=time(8, 30), end=time(16, 30), days=frozenset(range(5)))


def at(day: int, hour: int, minute: int = 0, tz: tzinfo = UTC) -> datetime:
    """A moment in March 2026 (2 March is a Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90s", 1.5),
        ("30s", 0.5),
        ("5m", 5.0),
        ("1h", 60.0),
        ("1h30m", 90.0),
        ("2h5m30s", 125.5),
        ("1.5h", 90.0),
        ("45", 45.0),
        ("2.5", 2.5),
        (" 5M ", 5.0),
    ],
)
def test_duration_forms(text: str, minutes: float) -> None:
    assert parse_duration(text) == pytest.approx(minutes)


def test_bare_number_is_minutes() -> None:
    assert parse_duration("20") == 20.0


@pytest.mark.parametrize("text", ["", "soon", "0", "0m", "5x", "m", "1h-5m", "-5m", "h30", "1 h"])
def test_unreadable_or_empty_duration_is_an_error(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_duration(text)


def test_duration_error_names_the_text_and_the_forms() -> None:
    with pytest.raises(TimeParseError, match=r"'soon'.*90s, 5m, 1h, 1h30m"):
        parse_duration("soon")


def test_duration_above_thirty_days_is_an_error() -> None:
    assert parse_duration(f"{MAX_DURATION_MINUTES:g}") == MAX_DURATION_MINUTES
    with pytest.raises(TimeParseError, match="30 days"):
        parse_duration("721h")


# --- clock times ---------------------------------------------------------------------------


def test_clock_time_is_the_next_occurrence() -> None:
    assert parse_when("14:00", NOW, HOURS) == at(2, 14)


def test_clock_time_already_passed_today_is_tomorrow() -> None:
    assert parse_when("8:15", NOW, HOURS) == at(3, 8, 15)


def test_clock_time_equal_to_now_is_tomorrow() -> None:
    assert parse_when("09:00", NOW, HOURS) == at(3, 9)


def test_clock_time_with_past_is_the_last_occurrence() -> None:
    assert parse_when("8:15", NOW, HOURS, past=True) == at(2, 8, 15)
    assert parse_when("14:00", NOW, HOURS, past=True) == at(1, 14)


@pytest.mark.parametrize("text", ["24:00", "12:60", "99:99"])
def test_impossible_clock_time_is_an_error(text: str) -> None:
    with pytest.raises(TimeParseError, match="clock time"):
        parse_when(text, NOW, HOURS)


# --- offsets -------------------------------------------------------------------------------


def test_plus_minutes() -> None:
    assert parse_when("+30m", NOW, HOURS) == at(2, 9, 30)


def test_plus_hours() -> None:
    assert parse_when("+2h", NOW, HOURS) == at(2, 11)


def test_plus_compound_and_minus() -> None:
    assert parse_when("+1h30m", NOW, HOURS) == at(2, 10, 30)
    assert parse_when("-15m", NOW, HOURS) == at(2, 8, 45)


def test_bad_offset_is_an_error() -> None:
    with pytest.raises(TimeParseError):
        parse_when("+soon", NOW, HOURS)


# --- days ----------------------------------------------------------------------------------


def test_tomorrow_with_a_clock_time() -> None:
    assert parse_when("tomorrow 9:00", NOW, HOURS) == at(3, 9)


def test_tomorrow_alone_is_the_start_of_working_hours() -> None:
    assert parse_when("tomorrow", NOW, HOURS) == at(3, 8, 30)


def test_day_with_a_bad_clock_time_is_an_error() -> None:
    with pytest.raises(TimeParseError, match="clock time"):
        parse_when("tomorrow noonish", NOW, HOURS)


def test_eod_is_the_end_of_todays_working_hours() -> None:
    assert parse_when("eod", NOW, HOURS) == at(2, 16, 30)


def test_eod_after_hours_is_the_end_of_the_next_working_day() -> None:
    assert parse_when("eod", at(2, 17), HOURS) == at(3, 16, 30)
    assert parse_when("eod", at(2, 16, 30), HOURS) == at(3, 16, 30)


def test_eod_on_friday_evening_is_monday() -> None:
    assert parse_when("eod", at(6, 18), HOURS) == at(9, 16, 30)


def test_eod_on_a_weekend_is_the_next_working_day() -> None:
    saturday = at(7, 11)
    assert parse_when("eod", saturday, HOURS) == at(9, 16, 30)


def test_eod_follows_custom_working_days() -> None:
    tuesday_to_saturday = WorkingHours(time(10, 0), time(18, 0), frozenset({1, 2, 3, 4, 5}))
    assert parse_when("eod", at(7, 11), tuesday_to_saturday) == at(7, 18)
    assert parse_when("eod", at(2, 11), tuesday_to_saturday) == at(3, 18)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tue", at(3, 8, 30)),
        ("wed", at(4, 8, 30)),
        ("wednesday", at(4, 8, 30)),
        ("Friday", at(6, 8, 30)),
        ("sun", at(8, 8, 30)),
    ],
)
def test_weekday_name_is_the_start_of_working_hours_that_day(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, HOURS) == expected


def test_weekday_name_of_today_is_next_week() -> None:
    assert parse_when("mon", NOW, HOURS) == at(9, 8, 30)
    assert parse_when("monday", at(2, 7), HOURS) == at(9, 8, 30)


def test_weekday_name_with_a_clock_time() -> None:
    assert parse_when("fri 10:00", NOW, HOURS) == at(6, 10)


# --- ISO 8601 ------------------------------------------------------------------------------


def test_iso_without_a_zone_is_in_nows_zone() -> None:
    assert parse_when("2026-03-05T14:30", NOW, HOURS) == at(5, 14, 30)
    assert parse_when("2026-03-05 14:30", NOW, HOURS) == at(5, 14, 30)


def test_iso_with_a_zone_keeps_the_instant_and_takes_nows_zone() -> None:
    result = parse_when("2026-03-05T14:30+02:00", NOW, HOURS)
    assert result == at(5, 12, 30)
    assert result.utcoffset() == timedelta(0)
    assert parse_when("2026-03-05T14:30Z", NOW, HOURS) == at(5, 14, 30)


def test_iso_date_alone_is_the_start_of_working_hours() -> None:
    assert parse_when("2026-03-05", NOW, HOURS) == at(5, 8, 30)


def test_result_carries_nows_zone() -> None:
    eastern = timezone(timedelta(hours=-5))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=eastern)
    assert parse_when("14:00", now, HOURS) == datetime(2026, 3, 2, 14, 0, tzinfo=eastern)
    assert parse_when("2026-03-05T14:30", now, HOURS).tzinfo == eastern


def test_naive_now_is_local_time() -> None:
    result = parse_when("+30m", datetime(2026, 3, 2, 9, 0), HOURS)
    assert result.tzinfo is not None
    assert result.replace(tzinfo=None) == datetime(2026, 3, 2, 9, 30)


@pytest.mark.parametrize("text", ["", "   ", "later", "2026-13-01", "next week", "9am"])
def test_unreadable_time_is_an_error(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_when(text, NOW, HOURS)


def test_time_error_names_the_text_and_the_forms() -> None:
    with pytest.raises(TimeParseError, match=r"'later'.*14:00.*eod"):
        parse_when("later", NOW, HOURS)


# --- properties ----------------------------------------------------------------------------


@given(st.text())
@example("")
@example("1e400")
@example("9" * 400)
@example("nan")
@example("inf")
@example("٣m")
def test_any_text_is_a_positive_duration_or_a_time_parse_error(text: str) -> None:
    try:
        minutes = parse_duration(text)
    except TimeParseError:
        return
    assert isinstance(minutes, float)
    assert math.isfinite(minutes)
    assert 0 < minutes <= MAX_DURATION_MINUTES


_WHENISH = st.lists(
    st.sampled_from(
        [
            *"0123456789:+-.TZ ",
            *("h", "m", "s", "eod", "tomorrow", "fri", "2026-03-05", "+05:00", "²", "٣"),
            *("0001-01-01T00:00", "9999-12-31T23:59"),
        ]
    ),
    max_size=8,
).map("".join)


@given(st.one_of(st.text(), _WHENISH), st.booleans())
@example("0001-01-01T00:00+01:00", False)
@example("9999-12-31T23:59-01:00", False)
@example("+720h", True)
@example("²:00", False)
def test_any_text_is_a_time_or_a_time_parse_error(text: str, past: bool) -> None:
    try:
        result = parse_when(text, NOW, HOURS, past=past)
    except TimeParseError:
        return
    assert isinstance(result, datetime)
    assert result.tzinfo is not None


@given(
    st.integers(0, 720),
    st.integers(0, 600),
    st.integers(0, 3600),
    st.booleans(),
)
def test_durations_round_trip(hours: int, minutes: int, seconds: int, upper: bool) -> None:
    total = hours * 60 + minutes + seconds / 60
    parts = [(hours, "h"), (minutes, "m"), (seconds, "s")]
    text = "".join(f"{value}{unit}" for value, unit in parts if value)
    if upper:
        text = text.upper()
    if total == 0:
        with pytest.raises(TimeParseError):
            parse_duration(text or "0")
    elif total > MAX_DURATION_MINUTES:
        with pytest.raises(TimeParseError, match="30 days"):
            parse_duration(text)
    else:
        assert parse_duration(text) == pytest.approx(total)


@given(st.integers(0, 23), st.integers(0, 59), st.booleans())
def test_clock_time_is_within_a_day_of_now_on_the_right_side(
    hour: int, minute: int, past: bool
) -> None:
    result = parse_when(f"{hour}:{minute:02d}", NOW, HOURS, past=past)
    assert (result.hour, result.minute) == (hour, minute)
    if past:
        assert NOW - timedelta(days=1) < result <= NOW
    else:
        assert NOW < result <= NOW + timedelta(days=1)
