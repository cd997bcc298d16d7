"""Working time: the clock that waiting and lateness count on, held against an oracle that
walks the days one at a time, and each item's own clock that stops while it waits on the
customer or is deferred."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import (
    WorkClock,
    clock_checkpoint,
    running_since,
    waited_minutes,
    work_clock,
    working_duration,
)

#: 09:00-17:00, Monday to Friday (the defaults).
HOURS = WorkingHours()
#: A technician who works 08:30-16:30, Tuesday to Saturday, with two days off in March.
ODD = WorkingHours(
    start=time(8, 30),
    end=time(16, 30),
    days=frozenset({1, 2, 3, 4, 5}),
    holidays=frozenset({date(2026, 3, 10), date(2026, 3, 19)}),
)
EAST = timezone(timedelta(hours=10))


def at(day: int, hour: int, minute: int = 0, tz: tzinfo = UTC) -> datetime:
    """A moment in March 2026 (2 March is a Monday, 6 a Friday, 9 the next Monday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=tz)


def oracle(a: datetime, b: datetime, hours: WorkingHours) -> float:
    """Working minutes from ``a`` to ``b``, day by day, as a person would count them."""
    if b <= a:
        return 0.0
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        if hours.is_working_day(day):
            low = max(a, datetime.combine(day, hours.start, tzinfo=a.tzinfo))
            high = min(b, datetime.combine(day, hours.end, tzinfo=a.tzinfo))
            if high > low:
                total += high - low
        day += timedelta(days=1)
    return total / timedelta(minutes=1)


moments = st.builds(
    lambda day, minute: datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=day, minutes=minute),
    st.integers(0, 40),
    st.integers(0, 24 * 60 - 1),
)


def test_the_weekend_example_of_the_issue() -> None:
    """Received Friday 16:30, an item has waited one working hour at Monday 09:30."""
    clock = WorkClock(HOURS, UTC)
    assert clock.between(at(6, 16, 30), at(9, 9, 30)) == 60


def test_nights_holidays_and_days_off_do_not_count() -> None:
    clock = WorkClock(ODD, UTC)
    assert clock.between(at(7, 16, 0), at(10, 9, 0)) == 30  # Sat 16:00 → Tue 09:00, Sun/Mon off
    assert clock.between(at(9, 9), at(11, 9)) == 30, "Tuesday 10 March is a holiday"
    assert clock.between(at(5, 20), at(6, 7)) == 0, "a night is not working time"


@given(moments, moments)
@example(at(6, 16, 30), at(9, 9, 30))
def test_working_time_between_two_moments_is_what_a_person_counts(a: datetime, b: datetime) -> None:
    for hours in (HOURS, ODD):
        clock = WorkClock(hours, UTC)
        assert abs(clock.between(a, b) - oracle(a, b, hours)) < 1e-6


@given(moments, moments, moments)
def test_working_time_adds_up(a: datetime, b: datetime, c: datetime) -> None:
    a, b, c = sorted((a, b, c))
    clock = WorkClock(ODD, UTC)
    assert abs(clock.between(a, b) + clock.between(b, c) - clock.between(a, c)) < 1e-6


@given(moments, st.floats(0, 20 * 480))
def test_after_is_the_inverse_of_between(start: datetime, minutes: float) -> None:
    for hours in (HOURS, ODD):
        clock = WorkClock(hours, UTC)
        end = clock.after(start, minutes)
        assert end >= start
        assert abs(clock.between(start, end) - minutes) < 1e-6
        if minutes > 1e-6:  # any real work ends inside a working day
            local = end.astimezone(UTC)
            assert clock.is_working_day(local.date())
            assert hours.start <= local.time() <= hours.end


@given(moments, st.floats(0, 20 * 480))
def test_before_goes_back_by_working_time(end: datetime, minutes: float) -> None:
    for hours in (HOURS, ODD):
        clock = WorkClock(hours, UTC)
        start = clock.before(end, minutes)
        assert start <= end
        assert abs(clock.between(start, end) - minutes) < 1e-6


def test_before_skips_nights_weekends_and_holidays() -> None:
    clock = WorkClock(ODD, UTC)
    # Wednesday 11 March 09:00 (the day began at 08:30), an hour of work back: Tuesday 10 is a
    # holiday, Sunday and Monday are days off, so it is Saturday 7 March, half an hour before
    # the end of that day (and the start of Wednesday is said as Saturday's end, as after does)
    assert clock.before(at(11, 9), 60) == at(7, 16, 0)
    assert clock.before(at(11, 9), 30) == at(7, 16, 30)
    assert clock.before(at(11, 9), 0) == at(11, 9)


def test_working_hours_are_read_in_the_clock_s_own_zone() -> None:
    """09:00-17:00 in Brisbane is 23:00-07:00 UTC the day before."""
    clock = WorkClock(HOURS, EAST)
    assert clock.between(at(2, 23, 0), at(3, 7, 0)) == 480
    assert clock.between(at(3, 9, 0, EAST), at(3, 17, 0, EAST)) == 480


def test_the_clock_for_some_hours_is_made_once() -> None:
    assert work_clock(HOURS, UTC) is work_clock(WorkingHours(), UTC)
    assert work_clock(HOURS, UTC) is not work_clock(HOURS, EAST)


# --- an item's own clock ------------------------------------------------------------------


def job(**fields: object) -> SimpleNamespace:
    values: dict[str, object] = {
        "status": "open",
        "received_at": at(2, 9),
        "deferred_until": None,
        "waited_minutes": 0.0,
        "clock_at": None,
    }
    return SimpleNamespace(**{**values, **fields})


def test_an_item_waits_from_its_arrival_until_its_clock_stops() -> None:
    clock = WorkClock(HOURS, UTC)
    fresh = job()
    assert running_since(fresh) == at(2, 9)
    assert waited_minutes(fresh, at(2, 11), clock) == 120
    assert waited_minutes(job(status="waiting", waited_minutes=45.0), at(5, 9), clock) == 45
    assert waited_minutes(job(status="done", waited_minutes=45.0), at(5, 9), clock) == 45


def test_a_deferral_stops_the_clock_until_it_ends() -> None:
    clock = WorkClock(HOURS, UTC)
    deferred = job(waited_minutes=60.0, clock_at=at(2, 10), deferred_until=at(3, 9))
    assert waited_minutes(deferred, at(2, 16), clock) == 60, "still deferred: stopped"
    assert waited_minutes(deferred, at(3, 10), clock) == 120, "back since 09:00"


def test_a_checkpoint_keeps_the_time_waited_and_restarts_the_count() -> None:
    clock = WorkClock(HOURS, UTC)
    item = job()
    fields = clock_checkpoint(item, at(2, 10), clock)
    assert fields == {"waited_minutes": 60.0, "clock_at": at(2, 10)}
    waiting = job(status="waiting", **fields)
    assert waited_minutes(waiting, at(4, 10), clock) == 60, "waiting on the customer"
    back = job(**clock_checkpoint(waiting, at(4, 10), clock))
    assert waited_minutes(back, at(4, 11), clock) == 120


def test_an_object_without_a_clock_waits_from_its_arrival() -> None:
    clock = WorkClock(HOURS, UTC)
    plain = SimpleNamespace(status="paused", received_at=at(6, 16, 30), deferred_until=None)
    assert waited_minutes(plain, at(9, 9, 30), clock) == 60


_ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",  # half an hour of summer time
    "Antarctica/Troll",  # two hours of it
    "Asia/Kathmandu",  # +05:45
    "Pacific/Apia",  # skipped a whole day in 2011
]

year_moments = st.builds(
    lambda day, second: datetime(2011, 1, 1, tzinfo=UTC) + timedelta(days=day, seconds=second),
    st.integers(0, 16 * 366),
    st.floats(0, 86_400, allow_nan=False).map(lambda second: round(second, 6)),
)


@given(year_moments, year_moments, st.sampled_from(_ZONES), st.sampled_from([HOURS, ODD]))
@example(  # Troll: clocks back two hours on the night of Saturday 24 October 2026
    datetime(2026, 10, 24, 23, 0, tzinfo=UTC),
    datetime(2026, 10, 26, 12, 0, tzinfo=UTC),
    "Antarctica/Troll",
    ODD,
)
def test_working_time_is_read_on_the_zone_s_wall_clock_across_its_changes(
    a: datetime, b: datetime, zone_name: str, hours: WorkingHours
) -> None:
    """In zones with summer time (of half an hour, of two hours), odd offsets and a skipped
    day, the working time between two moments is what the wall clock of the zone says, day by
    day; the clock reads each zone's offset once an hour and must agree with reading it for
    every moment."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    clock = WorkClock(hours, zone)
    local_a, local_b = a.astimezone(zone), b.astimezone(zone)
    worked = clock.between(a, b)
    assert worked == pytest.approx(oracle(local_a, local_b, hours), abs=1e-6)
    assert clock.between(a, clock.after(a, worked)) == pytest.approx(worked, abs=1e-6)


@given(
    year_moments,
    st.lists(
        st.one_of(
            st.floats(-60 * 480, 60 * 480, allow_nan=False),
            st.integers(-60 * 480, 60 * 480).map(float),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([None, "UTC", *_ZONES]),
    st.sampled_from([HOURS, ODD]),
    st.sampled_from([UTC, EAST, "zone"]),
)
@example(at(2, 9), [-0.0, 0.0, -480.0, 480.0, -2400.0, -1e-9], None, HOURS, UTC)
def test_moments_from_one_start_are_after_and_before_to_the_microsecond(
    start: datetime,
    offsets: list[float],
    zone_name: str | None,
    hours: WorkingHours,
    start_zone: tzinfo | str,
) -> None:
    """``moments_from`` (every 3× deadline of a listing from one ``now``) keeps what depends
    on the start and the day, and must give exactly the moment ``after`` (from 0 up) or
    ``before`` (below 0) gives, in any zone, whichever offsets come first."""
    from zoneinfo import ZoneInfo

    zone = None if zone_name is None else ZoneInfo(zone_name)
    start = start.astimezone(zone if start_zone == "zone" else start_zone)  # type: ignore[arg-type]
    clock, fresh = WorkClock(hours, zone), WorkClock(hours, zone)
    moment = clock.moments_from(start)
    for minutes in offsets:
        expected = fresh.after(start, minutes) if minutes >= 0 else fresh.before(start, -minutes)
        found = moment(minutes)
        assert found == expected
        assert found.utcoffset() == expected.utcoffset()
        assert found.isoformat() == expected.isoformat()


def test_working_time_just_under_an_hour_is_said_as_an_hour() -> None:
    assert working_duration(59.5) == "1 h"
    assert working_duration(59.4) == "59 min"
    assert working_duration(119.7) == "2 h"
