"""Durations and times as DESIGN.md's command line reads them, against a fixed clock."""

from __future__ import annotations

import calendar
import math
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techqueue.core.timeparse import (
    WEEKDAYS,
    TimeParseError,
    WorkingHours,
    format_duration,
    format_when,
    next_working_moment,
    parse_day,
    parse_duration,
    parse_when,
)
from techqueue.domain import EARLIEST_YEAR, LATEST_YEAR, MAX_DURATION_MINUTES

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


def test_eod_and_the_next_working_moment_look_past_weeks_of_holidays() -> None:
    """One working day a week, three of them holidays in a row: a week's search ended on a
    day off at midnight."""
    fridays = WorkingHours(
        time(9, 0),
        time(17, 0),
        frozenset({4}),
        holidays=frozenset({date(2026, 3, 13), date(2026, 3, 20), date(2026, 3, 27)}),
    )
    friday_evening = at(6, 18)
    opening = datetime(2026, 4, 3, 9, 0, tzinfo=UTC)
    assert next_working_moment(friday_evening, fridays) == opening
    assert parse_when("eod", friday_evening, fridays) == opening.replace(hour=17)


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


@pytest.mark.parametrize("text", ["", "   ", "later", "2026-13-01", "next week", "9zm"])
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


# --- times as people type them (docs/times.md) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3pm", at(2, 15)),
        ("3 pm", at(2, 15)),
        ("3PM", at(2, 15)),
        ("3p.m.", at(2, 15)),
        ("3:30pm", at(2, 15, 30)),
        ("9am", at(3, 9)),  # 09:00 is now: the next one is tomorrow's
        ("11:45am", at(2, 11, 45)),
        ("12pm", at(2, 12)),
        ("12am", at(3, 0)),
        ("noon", at(2, 12)),
        ("midday", at(2, 12)),
        ("midnight", at(3, 0)),
        ("at 3pm", at(2, 15)),
    ],
)
def test_clock_times_as_people_say_them_are_the_next_one(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, HOURS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3pm", at(1, 15)),
        ("8am", at(2, 8)),
        ("noon", at(1, 12)),
        ("midnight", at(2, 0)),
    ],
)
def test_clock_times_as_people_say_them_with_past_are_the_last_one(
    text: str, expected: datetime
) -> None:
    assert parse_when(text, NOW, HOURS, past=True) == expected


@pytest.mark.parametrize("text", ["13pm", "0am", "12:60pm", "99am"])
def test_impossible_am_pm_time_is_an_error(text: str) -> None:
    with pytest.raises(TimeParseError, match="clock time"):
        parse_when(text, NOW, HOURS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 2 hours", at(2, 11)),
        ("in 2h", at(2, 11)),
        ("in 30 min", at(2, 9, 30)),
        ("in 30 minutes", at(2, 9, 30)),
        ("in 1h30m", at(2, 10, 30)),
        ("in 1 hour 30 min", at(2, 10, 30)),
        ("in 1 hour and 30 minutes", at(2, 10, 30)),
        ("in an hour", at(2, 10)),
        ("in a minute", at(2, 9, 1)),
        ("in 90s", at(2, 9, 1) + timedelta(seconds=30)),
        ("in 1.5 hours", at(2, 10, 30)),
        ("in 3 days", at(5, 9)),
        ("in 2 weeks", at(16, 9)),
        ("In 2 Hours", at(2, 11)),
        ("20 min ago", at(2, 8, 40)),
        ("2 hours ago", at(2, 7)),
        ("an hour ago", at(2, 8)),
    ],
)
def test_spoken_offsets(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, HOURS) == expected
    assert parse_when(text, NOW, HOURS, past=True) == expected


@pytest.mark.parametrize("text", ["in", "in soon", "in 2", "in 2 months", "in and 2h", "ago"])
def test_unreadable_spoken_offset_is_an_error(text: str) -> None:
    with pytest.raises(TimeParseError, match=repr(text)):
        parse_when(text, NOW, HOURS)


def test_spoken_offset_is_at_most_thirty_days_like_a_plus_offset() -> None:
    assert parse_when("in 30 days", NOW, HOURS) == NOW + timedelta(days=30)
    with pytest.raises(TimeParseError, match="30 days"):
        parse_when("in 5 weeks", NOW, HOURS)
    with pytest.raises(TimeParseError, match="more than zero"):
        parse_when("in 0 min", NOW, HOURS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 3pm", at(3, 15)),
        ("tomorrow noon", at(3, 12)),
        ("tomorrow at 3 pm", at(3, 15)),
        ("3pm tomorrow", at(3, 15)),
        ("friday 3pm", at(6, 15)),
        ("fri noon", at(6, 12)),
        ("fri at 10:00", at(6, 10)),
        ("today 4:30pm", at(2, 16, 30)),
        ("yesterday 5pm", at(1, 17)),
        ("next fri 9am", at(13, 9)),
        ("mar 5 14:00", at(5, 14)),
        ("5 mar 14:00", at(5, 14)),
        ("mar 5 3pm", at(5, 15)),
        ("5 march at 3 pm", at(5, 15)),
        ("14:00 mar 5", at(5, 14)),
        ("2026-03-05 3pm", at(5, 15)),
    ],
)
def test_a_day_and_a_clock_time_in_either_order(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, HOURS) == expected


def test_midnight_with_a_day_is_refused_as_ambiguous() -> None:
    with pytest.raises(TimeParseError, match="ambiguous"):
        parse_when("fri midnight", NOW, HOURS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mar 5", at(5, 8, 30)),
        ("5 mar", at(5, 8, 30)),
        ("5 March", at(5, 8, 30)),
        ("March 5", at(5, 8, 30)),
        ("mar 5th", at(5, 8, 30)),
        ("5th of march", at(5, 8, 30)),
        ("5-mar", at(5, 8, 30)),
        ("mar 2", at(2, 8, 30)),  # today, though its working hours have begun
        ("sept 5", datetime(2026, 9, 5, 8, 30, tzinfo=UTC)),
        ("mar 1", datetime(2027, 3, 1, 8, 30, tzinfo=UTC)),  # passed this year: next year's
        ("5 mar 2027", datetime(2027, 3, 5, 8, 30, tzinfo=UTC)),
        ("march 5, 2027", datetime(2027, 3, 5, 8, 30, tzinfo=UTC)),
        ("feb 29", datetime(2028, 2, 29, 8, 30, tzinfo=UTC)),
    ],
)
def test_a_date_with_a_month_name_is_the_next_such_date(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, HOURS) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mar 2", at(2, 8, 30)),
        ("mar 5", datetime(2025, 3, 5, 8, 30, tzinfo=UTC)),
        ("feb 27 16:00", datetime(2026, 2, 27, 16, 0, tzinfo=UTC)),
        ("feb 29", datetime(2024, 2, 29, 8, 30, tzinfo=UTC)),
        ("5 mar 2027", datetime(2027, 3, 5, 8, 30, tzinfo=UTC)),
    ],
)
def test_a_date_with_a_month_name_with_past_is_the_last_such_date(
    text: str, expected: datetime
) -> None:
    assert parse_when(text, NOW, HOURS, past=True) == expected


@pytest.mark.parametrize(
    "text",
    [
        *("a", "1", "5", "mar", "may", "mar 32", "mar 0", "5 5 mar", "mar 5 at", "printer mar 5"),
        *("mar 5 27", "mar 5 12345", "feb 30", "3/5", "5.3.", "mar 5 and more"),
    ],
)
def test_what_is_no_real_date_is_refused(text: str) -> None:
    """``dateutil`` reads ``1`` as a date and ``mar 32`` as March 2032: none of it gets in."""
    with pytest.raises(TimeParseError) as caught:
        parse_when(text, NOW, HOURS)
    assert "\n" not in str(caught.value)


def test_a_date_outside_the_allowed_years_is_refused() -> None:
    with pytest.raises(TimeParseError, match=f"{EARLIEST_YEAR} to {LATEST_YEAR}"):
        parse_when("mar 5 9999", NOW, HOURS)


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (at(4, 10), "next mon", at(9, 8, 30)),  # Wednesday: the coming Monday starts next week
        (at(4, 10), "next fri", at(13, 8, 30)),  # Wednesday: not this week's Friday
        (at(4, 10), "fri", at(6, 8, 30)),
        (at(2, 10), "next mon", at(9, 8, 30)),  # Monday: a week today
        (at(8, 10), "next mon", at(9, 8, 30)),  # Sunday: tomorrow is next week's Monday
        (at(8, 10), "next sun", at(15, 8, 30)),
        (at(6, 10), "next friday 3pm", at(13, 15)),
    ],
)
def test_next_weekday_is_that_day_of_next_week(
    today: datetime, text: str, expected: datetime
) -> None:
    assert parse_when(text, today, HOURS) == expected


def test_weekday_name_with_past_is_the_last_one_never_today() -> None:
    assert parse_when("fri", NOW, HOURS, past=True) == at(2, 8, 30) - timedelta(days=3)
    assert parse_when("mon", NOW, HOURS, past=True) == at(2, 8, 30) - timedelta(days=7)
    assert parse_when("sun 16:00", NOW, HOURS, past=True) == at(1, 16)


def test_new_forms_carry_nows_zone() -> None:
    eastern = timezone(timedelta(hours=-5))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=eastern)
    for text in ("3pm", "in 2 hours", "next mon", "mar 5", "5 mar 14:00", "tomorrow 3pm"):
        assert parse_when(text, now, HOURS).tzinfo == eastern
    assert parse_when("mar 5 2pm", now, HOURS) == datetime(2026, 3, 5, 14, 0, tzinfo=eastern)


def test_time_error_lists_the_new_forms() -> None:
    with pytest.raises(TimeParseError, match=r"'later'.*3pm.*in 2 hours.*next mon.*mar 5"):
        parse_when("later", NOW, HOURS)


def test_a_day_followed_by_something_else_says_what_is_not_a_clock_time() -> None:
    with pytest.raises(TimeParseError, match=r"'jammed' is not a clock time like .*3pm"):
        parse_when("fri jammed", NOW, HOURS)


# --- a day, for a report about one -----------------------------------------------------------

#: Wednesday 4 March 2026.
WEDNESDAY = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 3, 4)),
        ("yesterday", date(2026, 3, 3)),
        ("tomorrow", date(2026, 3, 5)),
        ("mon", date(2026, 3, 2)),  # this week's Monday
        ("Monday", date(2026, 3, 2)),
        ("wed", date(2026, 2, 25)),  # a weekday name is never today: last week's
        ("sun", date(2026, 3, 1)),
        ("mar 4", date(2026, 3, 4)),  # a date without a year: the last one, today included
        ("mar 5", date(2025, 3, 5)),
        ("5 feb", date(2026, 2, 5)),
        ("5 mar 2027", date(2027, 3, 5)),
        ("2026-03-02", date(2026, 3, 2)),
        ("2026-3-2", date(2026, 3, 2)),
        (" 2026-03-02 ", date(2026, 3, 2)),
    ],
)
def test_parse_day(text: str, expected: date) -> None:
    assert parse_day(text, WEDNESDAY) == expected


def test_parse_day_takes_a_moment_at_its_date() -> None:
    assert parse_day("yesterday", datetime(2026, 3, 4, 23, 59, tzinfo=UTC)) == date(2026, 3, 3)


def test_parse_day_without_past_looks_ahead() -> None:
    assert parse_day("mon", WEDNESDAY, past=False) == date(2026, 3, 9)
    assert parse_day("mar 3", WEDNESDAY, past=False) == date(2027, 3, 3)


@pytest.mark.parametrize(
    "text", ["", "  ", "someday", "14:00", "mar", "2026-13-01", "9999-12-31", "last tuesday"]
)
def test_parse_day_refuses_what_is_not_a_day(text: str) -> None:
    with pytest.raises(TimeParseError):
        parse_day(text, WEDNESDAY)


def test_parse_day_error_names_the_text_and_the_forms() -> None:
    with pytest.raises(TimeParseError, match=r"'someday' is not a day; use today, yesterday"):
        parse_day("someday", WEDNESDAY)


# --- properties of the new forms ----------------------------------------------------------------

_MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
)


@given(_MOMENTS, st.integers(1, 12), st.integers(0, 59), st.booleans())
def test_am_pm_is_the_24_hour_clock_said_another_way(
    now: datetime, hour: int, minute: int, past: bool
) -> None:
    for suffix, offset in (("am", 0), ("pm", 12)):
        said = parse_when(f"{hour}:{minute:02d}{suffix}", now, HOURS, past=past)
        assert said == parse_when(f"{hour % 12 + offset}:{minute:02d}", now, HOURS, past=past)
        if past:
            assert now - timedelta(days=1) < said <= now
        else:
            assert now < said <= now + timedelta(days=1)
    am = parse_when(f"{hour}:{minute:02d}am", now, HOURS, past=past)
    pm = parse_when(f"{hour}:{minute:02d}pm", now, HOURS, past=past)
    assert abs(pm - am) == timedelta(hours=12)


@given(_MOMENTS, st.integers(1, 500), st.sampled_from(["m", "min", "minutes", "h", "hours"]))
def test_in_is_a_spoken_plus(now: datetime, amount: int, unit: str) -> None:
    short = unit[0]
    minutes = amount * (60 if short == "h" else 1)
    if minutes > MAX_DURATION_MINUTES:
        with pytest.raises(TimeParseError, match="30 days"):
            parse_when(f"in {amount} {unit}", now, HOURS)
        return
    assert parse_when(f"in {amount} {unit}", now, HOURS) == now + timedelta(minutes=minutes)
    assert parse_when(f"in {amount} {unit}", now, HOURS) == parse_when(f"+{amount}{short}", now)
    assert parse_when(f"{amount} {unit} ago", now, HOURS) == parse_when(f"-{amount}{short}", now)


@given(_MOMENTS, st.sampled_from(WEEKDAYS))
def test_next_weekday_falls_in_next_week_on_or_after_the_bare_name(
    now: datetime, name: str
) -> None:
    today = now.date()
    bare = parse_when(name, now, HOURS).date()
    following = parse_when(f"next {name}", now, HOURS).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    assert next_monday <= following < next_monday + timedelta(days=7)
    assert following.weekday() == bare.weekday() == WEEKDAYS.index(name)
    assert today < bare <= following
    assert following == bare or following == bare + timedelta(days=7)


@given(_MOMENTS, st.sampled_from(WEEKDAYS), st.booleans())
def test_a_weekday_name_is_within_a_week_and_never_today(
    now: datetime, name: str, past: bool
) -> None:
    day = parse_when(name, now, HOURS, past=past).date()
    assert day.weekday() == WEEKDAYS.index(name)
    distance = (day - now.date()).days
    assert (-7 <= distance <= -1) if past else (1 <= distance <= 7)
    assert parse_day(name, now, past=past) == day


@given(
    _MOMENTS,
    st.integers(1, 12),
    st.integers(1, 31),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_a_date_without_a_year_is_the_nearest_such_date_on_the_right_side(
    now: datetime, month: int, day: int, past: bool, full_name: bool, day_first: bool
) -> None:
    name = calendar.month_name[month] if full_name else calendar.month_abbr[month]
    text = f"{day} {name}" if day_first else f"{name} {day}"
    if day > max(calendar.monthrange(year, month)[1] for year in (2024, 2025)):
        with pytest.raises(TimeParseError):
            parse_when(text, now, HOURS, past=past)
        return
    result = parse_when(text, now, HOURS, past=past)
    found = result.date()
    assert (found.month, found.day) == (month, day)
    assert result.time() == HOURS.start
    today = now.date()
    if past:
        assert found <= today
        assert (today - found).days < (366 if (month, day) != (2, 29) else 366 * 8)
    else:
        assert found >= today
        assert (found - today).days < (366 if (month, day) != (2, 29) else 366 * 8)
    assert parse_day(text, now, past=past) == found


_SPOKEN = st.lists(
    st.sampled_from(
        [
            *("in", "ago", "at", "next", "an", "a", "and", "of", "noon", "midnight", "pm", "am"),
            *("mar", "may", "march", "feb", "fri", "tomorrow", "hours", "min", "h", "m"),
            *("1", "5", "12", "29", "31", "32", "2027", "9999", "3pm", "13pm", "14:00", "5th"),
            *(",", "-", "/", ".", ":", "²", "٣"),
        ]
    ),
    max_size=6,
).map(" ".join)


@given(_SPOKEN, _MOMENTS, st.booleans())
@example("feb 29", datetime(2100, 3, 1, tzinfo=UTC), False)
@example("5 mar 9999", datetime(2026, 3, 2, tzinfo=UTC), False)
def test_any_phrase_of_time_words_is_a_time_in_the_allowed_years_or_an_error(
    text: str, now: datetime, past: bool
) -> None:
    try:
        result = parse_when(text, now, HOURS, past=past)
    except TimeParseError as error:
        message = str(error)
    else:
        assert result.tzinfo == now.tzinfo
        assert EARLIEST_YEAR <= result.year <= LATEST_YEAR
        return
    assert message
    assert "\n" not in message


# --- saying a time back ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (at(2, 15), "today 15:00"),
        (at(3, 9), "Tue 03 Mar 09:00"),
        (at(1, 23, 59), "Sun 01 Mar 23:59"),
        (datetime(2027, 3, 1, 9, 0, tzinfo=UTC), "Mon 01 Mar 2027 09:00"),
        (datetime(2026, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=-2))), "Tue 03 Mar 01:30"),
    ],
)
def test_format_when_says_the_day_unless_it_is_today(moment: datetime, said: str) -> None:
    assert format_when(moment, NOW) == said


@given(_SPOKEN, _MOMENTS)
def test_what_is_read_is_said_back_with_its_day_and_minute(text: str, now: datetime) -> None:
    try:
        moment = parse_when(text, now, HOURS)
    except TimeParseError:
        return
    said = format_when(moment, now)
    assert said.endswith(f" {moment:%H:%M}")
    assert said.startswith("today ") == (moment.date() == now.date())
    if moment.date() != now.date():
        assert f"{moment:%a %d %b}" in said
        assert (str(moment.year) in said) == (moment.year != now.year)


@pytest.mark.parametrize("text", ["a b " * 30_000, "9" * 100_000, "tomorrow " * 9])
def test_a_pasted_page_is_not_a_time_and_is_quoted_by_its_start(text: str) -> None:
    with pytest.raises(TimeParseError) as when:
        parse_when(text, NOW)
    with pytest.raises(TimeParseError) as day:
        parse_day(text, NOW.date())
    assert len(str(when.value)) < 200
    assert len(str(day.value)) < 200


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (0, "1s"),
        (0.5, "30s"),
        (59.4 / 60, "59s"),
        (59.7 / 60, "1 min"),
        (1, "1 min"),
        (59.4, "59 min"),
        (59.5, "1 h"),
        (60, "1 h"),
        (65, "1 h 05"),
        (119.6, "2 h"),
        (47 * 60 + 59.6, "2 d"),
        (3 * 24 * 60, "3 d"),
    ],
)
def test_a_duration_is_said_in_the_unit_it_rounds_to(minutes: float, said: str) -> None:
    assert format_duration(minutes) == said


@given(st.floats(min_value=0, max_value=MAX_DURATION_MINUTES, allow_nan=False))
def test_no_duration_is_said_as_sixty_of_a_unit(minutes: float) -> None:
    said = format_duration(minutes)
    assert said not in ("60s", "60 min")
    assert not said.endswith(" 60")
