"""Recurring work's arithmetic: rules read and written back, and the next occurrence across
changes of the clocks and month ends (properties over any moment of several years)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techqueue.core.recurrence import Rule, next_occurrence, parse_rule, rule_text
from techqueue.core.timeparse import WorkingHours

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
HOURS = WorkingHours()  # Monday to Friday, 9:00 to 17:00
ANCHOR = date(2026, 3, 2)  # a Monday


def _next(rule: Rule, after: datetime, zone: ZoneInfo = BERLIN) -> datetime:
    return next_occurrence(rule, after, anchor=ANCHOR, hours=HOURS, zone=zone)


@pytest.mark.parametrize(
    ("text", "clock", "rule"),
    [
        ("mon", "9:00", Rule("weekday", 0, time(9))),
        ("Friday", None, Rule("weekday", 4)),
        ("day", "16:30", Rule("day", 0, time(16, 30))),
        ("1st", None, Rule("monthday", 1)),
        ("31st", "8:05", Rule("monthday", 31, time(8, 5))),
        ("2w", None, Rule("weeks", 2)),
    ],
)
def test_rules_read(text: str, clock: str | None, rule: Rule) -> None:
    assert parse_rule(text, clock) == rule


@pytest.mark.parametrize(
    ("text", "clock"),
    [("often", None), ("32nd", None), ("0w", None), ("53w", None), ("mon", "25:00")],
)
def test_a_bad_rule_is_refused_saying_the_forms(text: str, clock: str | None) -> None:
    with pytest.raises(ValueError, match=r"every:|time of day"):
        parse_rule(text, clock)


_rules = st.one_of(
    st.builds(
        Rule,
        st.just("day"),
        st.just(0),
        st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ),
    st.builds(
        Rule,
        st.just("weekday"),
        st.integers(0, 6),
        st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ),
    st.builds(
        Rule,
        st.just("monthday"),
        st.integers(1, 31),
        st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ),
    st.builds(
        Rule,
        st.just("weeks"),
        st.integers(1, 52),
        st.none() | st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    ),
)


@given(_rules)
def test_a_rule_written_back_reads_the_same(rule: Rule) -> None:
    said, _, clock = rule_text(rule).partition(" ")
    assert parse_rule(said, clock or None) == rule


def test_every_monday_at_nine_stays_nine_across_the_change_of_the_clocks() -> None:
    rule = Rule("weekday", 0, time(9))
    before = _next(rule, datetime(2026, 3, 23, 10, tzinfo=BERLIN))  # the clocks change Sun 29th
    assert before == datetime(2026, 3, 30, 9, tzinfo=BERLIN)
    assert before.utcoffset() == timedelta(hours=2)
    week_before = datetime(2026, 3, 23, 9, tzinfo=BERLIN)
    assert before.astimezone(UTC) - week_before.astimezone(UTC) == timedelta(days=7, hours=-1)


def test_a_time_the_clocks_skip_is_moved_on_by_the_gap() -> None:
    rule = Rule("weekday", 6, time(2, 30))  # Sunday 29 March 2026, 02:00 -> 03:00 in Berlin
    found = _next(rule, datetime(2026, 3, 28, 12, tzinfo=BERLIN))
    assert found == datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)


def test_the_31st_is_the_last_day_of_a_shorter_month() -> None:
    rule = Rule("monthday", 31, time(9))
    assert _next(rule, datetime(2026, 2, 1, tzinfo=BERLIN)).date() == date(2026, 2, 28)
    assert _next(rule, datetime(2028, 2, 1, tzinfo=BERLIN)).date() == date(2028, 2, 29)
    assert _next(rule, datetime(2026, 4, 30, 10, tzinfo=BERLIN)).date() == date(2026, 5, 31)


def test_every_day_is_every_working_day_and_the_time_defaults_to_the_days_start() -> None:
    found = _next(Rule("day"), datetime(2026, 3, 6, 10, tzinfo=BERLIN))  # a Friday
    assert found == datetime(2026, 3, 9, 9, tzinfo=BERLIN)


def test_every_two_weeks_counts_from_the_anchor() -> None:
    found = _next(Rule("weeks", 2, time(9)), datetime(2026, 3, 2, 10, tzinfo=BERLIN))
    assert found == datetime(2026, 3, 16, 9, tzinfo=BERLIN)


_afters = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31), timezones=st.just(UTC)
)


@given(rule=_rules, after=_afters, zone=st.sampled_from([BERLIN, NEW_YORK, UTC]))
def test_the_next_occurrence_is_the_first_after_on_a_day_the_rule_names(
    rule: Rule, after: datetime, zone: ZoneInfo
) -> None:
    found = next_occurrence(rule, after, anchor=ANCHOR, hours=HOURS, zone=zone)
    assert found > after
    local = found.astimezone(zone)
    day = local.date()
    clock = rule.clock or HOURS.start
    wall = datetime.combine(day, clock)
    assert local.replace(tzinfo=None) - wall in (timedelta(0), timedelta(hours=1)), "its time"
    if rule.kind == "weekday":
        assert day.weekday() == rule.value
    elif rule.kind == "monthday":
        assert day.day == min(rule.value, calendar.monthrange(day.year, day.month)[1])
    elif rule.kind == "weeks":
        assert (day - ANCHOR).days % (7 * rule.value) == 0
    else:
        assert HOURS.is_working_day(day)
    # nothing was skipped: from just before, the same occurrence comes next
    assert (
        next_occurrence(
            rule, found - timedelta(microseconds=1), anchor=ANCHOR, hours=HOURS, zone=zone
        )
        == found
    )
    # and one instance a time: the occurrence after it is later still
    assert next_occurrence(rule, found, anchor=ANCHOR, hours=HOURS, zone=zone) > found
