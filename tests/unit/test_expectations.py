"""Setting expectations (issue 6): working-time arithmetic, queue-aware ETAs, promises, what to
tell the customer and contact nudges — all against a fixed ``now``, never the clock.

Working time is checked against an independent oracle, :func:`working_minutes_between`, that
counts the working minutes between two moments day by day; it is how the properties compare
"positions in working time" without caring that 17:00 and the next 09:00 are the same position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from techqueue.core.estimates import Estimate
from techqueue.core.expectations import (
    DEFAULT_TELL,
    TELL_FIELDS,
    Expectations,
    Nudge,
    check_template,
    spoken_duration,
    spoken_time,
    tell,
    top_nudges,
)
from techqueue.core.forecast import PROMISE_STATES, Eta, promise_state, remaining_minutes, schedule
from techqueue.core.timeparse import WorkingHours, at_clock, next_working_moment
from techqueue.scoring import SEVERITIES, PerSeverity

#: 09:00-17:00, Monday to Friday (the defaults).
HOURS = WorkingHours()
#: A technician who works 08:30-16:30, Tuesday to Saturday.
TUE_SAT = WorkingHours(start=time(8, 30), end=time(16, 30), days=frozenset({1, 2, 3, 4, 5}))
TARGETS = Expectations().contact_target_minutes
#: One microsecond, in minutes: ``timedelta`` keeps no finer time.
MICROSECOND = 1 / 60_000_000
MILLISECOND = 1 / 60_000


def at(day: int, hour: int, minute: int = 0, second: int = 0, tz: tzinfo = UTC) -> datetime:
    """A moment in March 2026: 2 March is a Monday, 6 a Friday, 7-8 the weekend, 9 a Monday."""
    return datetime(2026, 3, day, hour, minute, second, tzinfo=tz)


assert date(2026, 3, 2).weekday() == 0, "every example below counts on 2 March being a Monday"


#: Monday 2 March 2026, 09:00 UTC.
NOW = at(2, 9)


def _instant(moment: datetime) -> float:
    return moment.timestamp()


def working_minutes_between(a: datetime, b: datetime, hours: WorkingHours) -> float:
    """The working minutes from ``a`` to ``b`` (``a <= b``, same zone): real minutes, so a
    day whose clocks change inside its working hours counts the time that really passed
    (two aware times of one zone subtract, and compare, as wall-clock readings: in the hour
    the clocks repeat, 01:15 on its second pass comes after 01:30 on its first; hence the
    instants)."""
    assert _instant(a) <= _instant(b)
    total = 0.0
    day = a.date()
    while day <= b.date():
        if hours.is_working_day(day):
            low = max(_instant(a), _instant(datetime.combine(day, hours.start, tzinfo=a.tzinfo)))
            high = min(_instant(b), _instant(datetime.combine(day, hours.end, tzinfo=a.tzinfo)))
            if high > low:
                total += high - low
        day += timedelta(days=1)
    return total / 60


def add_working_minutes(moment: datetime, minutes: float, hours: WorkingHours) -> datetime:
    """When ``minutes`` of work begun at ``moment`` end, counting working hours only: the
    second oracle, walking the working days one at a time as a person would (``schedule``
    works in timestamps)."""
    cursor = next_working_moment(moment, hours)
    left = max(minutes, 0.0)
    while True:
        end = at_clock(cursor.date(), hours.end, cursor)
        room = (end.astimezone(UTC) - cursor.astimezone(UTC)).total_seconds() / 60
        if left <= room:
            return (cursor.astimezone(UTC) + timedelta(minutes=left)).astimezone(cursor.tzinfo)
        left -= room
        cursor = next_working_moment(end, hours)


def inside_hours(moment: datetime, hours: WorkingHours) -> bool:
    return hours.is_working_day(moment.date()) and hours.start <= moment.time() < hours.end


# --- strategies ----------------------------------------------------------------------------


@st.composite
def working_hours(draw: st.DrawFn) -> WorkingHours:
    """Any valid working hours to the minute: from one minute a day to all but the last."""
    first = draw(st.integers(0, 23 * 60 + 58))
    last = draw(st.integers(first + 1, 23 * 60 + 59))
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return WorkingHours(time(*divmod(first, 60)), time(*divmod(last, 60)), days)


_zones: st.SearchStrategy[tzinfo] = st.one_of(
    st.just(UTC),
    st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes))),
    st.timezones(),
)
_moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31), timezones=_zones
)
#: A job's minutes: from a second to ten hours, often round figures.
_minutes = st.one_of(
    st.sampled_from([1.0, 5.0, 15.0, 30.0, 60.0, 480.0]),
    st.floats(1 / 60, 600.0),
)
_statuses = st.sampled_from(["open", "open", "paused", "active", "waiting"])


@st.composite
def queues(draw: st.DrawFn) -> list[tuple[int, float, str]]:
    """A queue in rank order with at most one active item (as the store keeps it)."""
    rows = draw(st.lists(st.tuples(_minutes, _statuses), max_size=8))
    queue: list[tuple[int, float, str]] = []
    seen_active = False
    for index, (minutes, status) in enumerate(rows):
        if status == "active":
            status = "open" if seen_active else status
            seen_active = True
        queue.append((index, minutes, status))
    return queue


# --- next_working_moment -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2, 9), at(2, 9)),  # the start of the day itself
        (at(2, 11, 17, 30), at(2, 11, 17, 30)),  # inside: unchanged
        (at(2, 7, 45), at(2, 9)),  # early: the day's start
        (at(2, 16, 59, 59), at(2, 16, 59, 59)),
        (at(2, 17), at(3, 9)),  # the day's end is already the next morning
        (at(2, 23, 30), at(3, 9)),
        (at(6, 18), at(9, 9)),  # Friday evening: Monday 09:00
        (at(7, 10), at(9, 9)),  # Saturday
        (at(8, 23, 59), at(9, 9)),  # Sunday night
    ],
)
def test_next_working_moment(moment: datetime, expected: datetime) -> None:
    assert next_working_moment(moment, HOURS) == expected


def test_next_working_moment_with_custom_days_and_hours() -> None:
    assert next_working_moment(at(7, 16), TUE_SAT) == at(7, 16)  # Saturday is a working day
    assert next_working_moment(at(7, 16, 30), TUE_SAT) == at(10, 8, 30)  # Sun, Mon off
    assert next_working_moment(at(9, 12), TUE_SAT) == at(10, 8, 30)


def test_next_working_moment_with_one_working_day_a_week() -> None:
    wednesdays = WorkingHours(days=frozenset({2}))
    assert next_working_moment(at(4, 17), wednesdays) == at(11, 9)


def test_next_working_moment_keeps_the_zone() -> None:
    plus_two = timezone(timedelta(hours=2))
    result = next_working_moment(at(2, 18, tz=plus_two), HOURS)
    assert result == at(3, 9, tz=plus_two)
    assert result.tzinfo is plus_two


@given(_moments, working_hours())
@settings(max_examples=200)
def test_next_working_moment_is_the_first_working_moment(
    moment: datetime, hours: WorkingHours
) -> None:
    result = next_working_moment(moment, hours)
    assert result >= moment
    assert inside_hours(result, hours)
    assert working_minutes_between(moment, result, hours) == 0
    assert next_working_moment(result, hours) == result


# --- add_working_minutes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "minutes", "expected"),
    [
        (at(2, 9), 30.0, at(2, 9, 30)),
        (at(2, 7), 30.0, at(2, 9, 30)),  # early: counted from the day's start
        (at(2, 16), 60.0, at(2, 17)),  # a job that ends with the day ends at 17:00
        (at(2, 16), 90.0, at(3, 9, 30)),  # the rest goes on the next morning
        (at(6, 16), 120.0, at(9, 10)),  # Friday 16:00 + 2 h: Monday 10:00
        (at(6, 18), 30.0, at(9, 9, 30)),  # Friday evening: Monday morning
        (at(2, 9), 1000.0, at(4, 9, 40)),  # 16 h 40: two full days and 40 minutes
        (at(2, 9), 5 * 480.0, at(6, 17)),  # a working week: Friday's end
        (at(2, 9), 5 * 480.0 + 1, at(9, 9, 1)),
        (at(2, 10), 0.0, at(2, 10)),
        (at(2, 10), -15.0, at(2, 10)),  # negative work is no work
        (at(2, 17), 0.0, at(3, 9)),  # no work from the day's end: the next morning
        (at(2, 9), 0.5, at(2, 9, 0, 30)),
    ],
)
def test_add_working_minutes(moment: datetime, minutes: float, expected: datetime) -> None:
    assert add_working_minutes(moment, minutes, HOURS) == expected


def test_add_working_minutes_skips_custom_days_off() -> None:
    # Saturday 15:30 + 2 h on Tuesday-Saturday, 08:30-16:30: one hour Saturday, one Tuesday.
    assert add_working_minutes(at(7, 15, 30), 120.0, TUE_SAT) == at(10, 9, 30)


@given(_moments, _minutes, working_hours())
@settings(max_examples=150)
def test_add_working_minutes_adds_exactly_that_much_working_time(
    moment: datetime, minutes: float, hours: WorkingHours
) -> None:
    result = add_working_minutes(moment, minutes, hours)
    assert result >= moment
    assert hours.is_working_day(result.date())
    assert hours.start <= result.time() <= hours.end
    worked = working_minutes_between(moment, result, hours)
    assert worked == pytest.approx(minutes, abs=MICROSECOND)


@given(_moments, _minutes, _minutes, working_hours())
@example(at(2, 9), 480.0, 0.0, HOURS)  # 17:00 by itself, 09:00 the next day with nothing added
@example(at(2, 16), 60.0, 30.0, HOURS)
@settings(max_examples=150)
def test_adding_working_minutes_in_two_steps_is_the_same_working_moment(
    moment: datetime, first: float, second: float, hours: WorkingHours
) -> None:
    whole = add_working_minutes(moment, first + second, hours)
    steps = add_working_minutes(add_working_minutes(moment, first, hours), second, hours)
    # Compare positions in working time: the day's end and the next morning are one position.
    low, high = min(whole, steps), max(whole, steps)
    assert working_minutes_between(low, high, hours) <= 2 * MICROSECOND
    assert next_working_moment(whole, hours) - next_working_moment(steps, hours) <= timedelta(
        microseconds=2
    )


# --- remaining_minutes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("estimate", "spent", "left"),
    [
        (30.0, 0.0, 30.0),
        (30.0, 10.0, 20.0),
        (30.0, 22.5, 7.5),
        (30.0, 30.0, 7.5),  # done on the estimate and still open: a quarter more
        (30.0, 45.0, 11.25),  # overrun: a quarter of the time spent, not zero or negative
        (30.0, 300.0, 75.0),  # far over: it is a bigger job than thought
        (0.0, 0.0, 0.0),
    ],
)
def test_remaining_minutes(estimate: float, spent: float, left: float) -> None:
    assert remaining_minutes(estimate, spent) == pytest.approx(left)


# --- schedule: examples --------------------------------------------------------------------


def test_an_empty_queue_has_no_etas() -> None:
    assert schedule([], NOW, HOURS) == {}


def test_items_follow_each_other_from_now() -> None:
    etas = schedule([("a", 30.0, "open"), ("b", 20.0, "paused")], at(2, 10), HOURS)
    assert etas == {"a": Eta(at(2, 10), at(2, 10, 30)), "b": Eta(at(2, 10, 30), at(2, 10, 50))}


def test_the_day_end_pushes_the_rest_to_the_next_morning() -> None:
    etas = schedule([("a", 480.0, "open"), ("b", 30.0, "open")], NOW, HOURS)
    assert etas["a"] == Eta(at(2, 9), at(2, 17))
    assert etas["b"] == Eta(at(3, 9), at(3, 9, 30))


def test_a_job_that_does_not_fit_finishes_the_next_morning() -> None:
    etas = schedule([("a", 60.0, "open"), ("b", 10.0, "open")], at(2, 16, 30), HOURS)
    assert etas["a"] == Eta(at(2, 16, 30), at(3, 9, 30))
    assert etas["b"] == Eta(at(3, 9, 30), at(3, 9, 40))


def test_friday_evening_starts_on_monday_morning() -> None:
    assert schedule([("a", 45.0, "open")], at(6, 18), HOURS) == {"a": Eta(at(9, 9), at(9, 9, 45))}


def test_before_hours_the_queue_starts_at_the_start_of_the_day() -> None:
    assert schedule([("a", 15.0, "open")], at(3, 6, 10), HOURS)["a"] == Eta(at(3, 9), at(3, 9, 15))


def test_a_job_longer_than_a_day_spans_several_days() -> None:
    etas = schedule([("big", 1000.0, "open"), ("next", 30.0, "open")], NOW, HOURS)
    assert etas["big"] == Eta(at(2, 9), at(4, 9, 40))
    assert etas["next"] == Eta(at(4, 9, 40), at(4, 10, 10))


def test_a_job_running_over_friday_continues_on_monday() -> None:
    etas = schedule([("a", 120.0, "open")], at(6, 16), HOURS)
    assert etas["a"] == Eta(at(6, 16), at(9, 10))


def test_custom_days_skip_their_own_weekend() -> None:
    # Tuesday-Saturday, 08:30-16:30: Saturday is worked, Sunday and Monday are not.
    etas = schedule([("a", 60.0, "open"), ("b", 60.0, "open")], at(7, 15, 30), TUE_SAT)
    assert etas["a"] == Eta(at(7, 15, 30), at(7, 16, 30))
    assert etas["b"] == Eta(at(10, 8, 30), at(10, 9, 30))


def test_the_active_item_runs_first_even_when_ranked_lower() -> None:
    queue = [("a", 30.0, "open"), ("b", 15.0, "paused"), ("current", 20.0, "active")]
    etas = schedule(queue, at(2, 10), HOURS)
    assert etas["current"] == Eta(at(2, 10), at(2, 10, 20))
    assert etas["a"] == Eta(at(2, 10, 20), at(2, 10, 50))
    assert etas["b"] == Eta(at(2, 10, 50), at(2, 11, 5))


def test_the_active_item_runs_from_now_even_after_hours() -> None:
    # Working late: the current job runs now; the queue waits for the next morning.
    etas = schedule([("a", 30.0, "open"), ("current", 40.0, "active")], at(2, 18), HOURS)
    assert etas["current"] == Eta(at(2, 18), at(2, 18, 40))
    assert etas["a"] == Eta(at(3, 9), at(3, 9, 30))


def test_an_active_item_running_past_the_day_end_pushes_the_queue_to_tomorrow() -> None:
    etas = schedule([("current", 20.0, "active"), ("a", 30.0, "open")], at(2, 16, 50), HOURS)
    assert etas["current"] == Eta(at(2, 16, 50), at(2, 17, 10))
    assert etas["a"] == Eta(at(3, 9), at(3, 9, 30))


def test_waiting_items_get_no_eta_and_take_no_time() -> None:
    queue = [("w", 60.0, "waiting"), ("a", 30.0, "open"), ("w2", 5.0, "waiting")]
    etas = schedule(queue, NOW, HOURS)
    assert set(etas) == {"a"}
    assert etas["a"] == Eta(at(2, 9), at(2, 9, 30))


def test_etas_are_in_the_zone_of_now_and_its_working_hours() -> None:
    plus_two = timezone(timedelta(hours=2))
    now = at(2, 16, 45, tz=plus_two)  # 14:45 UTC, but 16:45 where the technician is
    etas = schedule([("a", 30.0, "open")], now, HOURS)
    assert etas["a"] == Eta(now, at(3, 9, 15, tz=plus_two))
    assert etas["a"].finish.tzinfo is plus_two


def test_a_job_ending_with_the_day_and_the_next_starting_in_the_morning() -> None:
    etas = schedule([("a", 60.0, "open"), ("b", 1.0, "open")], at(2, 16), HOURS)
    assert etas["a"].finish == at(2, 17)
    assert etas["b"].start == at(3, 9)


def test_a_day_that_ended_before_the_clocks_went_back_is_over() -> None:
    """Sunday hours 00:00-01:30 in Halifax, where the clocks go back at 02:00: at 01:00 on
    the hour's second pass the day ended half an hour ago (at 01:30 on its first), so a
    30-minute job is next Sunday's first. It was counted as begun now and finished a week
    later, with an hour of next Sunday's time."""
    halifax = ZoneInfo("America/Halifax")
    sundays = WorkingHours(start=time(0, 0), end=time(1, 30), days=frozenset({6}))
    now = datetime(2000, 10, 29, 1, 0, tzinfo=halifax, fold=1)
    eta = schedule([("a", 30.0, "open")], now, sundays)["a"]
    assert eta == Eta(
        datetime(2000, 11, 5, 0, 0, tzinfo=halifax), datetime(2000, 11, 5, 0, 30, tzinfo=halifax)
    )
    assert next_working_moment(now, sundays) == datetime(2000, 11, 5, 0, 0, tzinfo=halifax)


# --- schedule: properties ------------------------------------------------------------------


@given(queues(), _moments, working_hours())
@settings(max_examples=150)
@example(  # Troll's clocks go back two hours at 03:00 local, inside these working hours
    [(0, 480.0, "open")],
    datetime(2020, 10, 23, 1, 0, tzinfo=ZoneInfo("Antarctica/Troll")),
    WorkingHours(start=time(0, 0), end=time(3, 0), days=frozenset(range(7))),
)
@example(  # a job in hand begun in the hour the clocks skip
    [(0, 1.0, "active")],
    datetime(2000, 3, 26, 1, 0, tzinfo=ZoneInfo("Europe/Belfast")),
    WorkingHours(start=time(0, 0), end=time(23, 59), days=frozenset(range(7))),
)
@example(  # and in the hour they repeat
    [(0, 1.0, "active")],
    datetime(2000, 10, 29, 4, 0, tzinfo=ZoneInfo("Asia/Famagusta")),
    WorkingHours(start=time(0, 0), end=time(23, 59), days=frozenset(range(7))),
)
@example(  # Halifax's clocks go back at 02:00, the end of these Sunday hours: the third
    # job begins at 01:30 on the hour's first pass and ends at 01:15 on its second
    [(0, 45.0, "open"), (1, 45.0, "open"), (2, 45.0, "open")],
    datetime(2000, 10, 28, 22, 0, tzinfo=ZoneInfo("America/Halifax")),
    WorkingHours(start=time(0, 0), end=time(2, 0), days=frozenset({6})),
)
def test_schedule_properties(
    queue: list[tuple[int, float, str]], now: datetime, hours: WorkingHours
) -> None:
    etas = schedule(queue, now, hours)
    # Everything but the items waiting on the customer gets an ETA, finishing after it starts.
    assert set(etas) == {item_id for item_id, _, status in queue if status != "waiting"}
    # Times are compared as instants: two aware times of one zone compare as wall-clock
    # readings, which a change of the clocks (a gap, a repeated hour) would turn around.
    for eta in etas.values():
        assert eta.finish.timestamp() >= eta.start.timestamp()
    # The item in hand runs from now, by the wall clock.
    actives = [(item_id, minutes) for item_id, minutes, status in queue if status == "active"]
    cursor = next_working_moment(now, hours)
    for item_id, minutes in actives:
        assert etas[item_id].start.timestamp() == now.timestamp()
        finish = now.timestamp() + minutes * 60
        assert abs(etas[item_id].finish.timestamp() - finish) < 0.001
        cursor = next_working_moment(max(cursor, etas[item_id].finish, key=_instant), hours)
    # The rest follow one another in rank order, each inside working hours on a working day,
    # each taking exactly its minutes of working time.
    rest = [
        (item_id, minutes) for item_id, minutes, status in queue if status in ("open", "paused")
    ]
    for item_id, minutes in rest:
        eta = etas[item_id]
        assert eta.start.timestamp() == cursor.timestamp()
        assert inside_hours(eta.start, hours)
        assert hours.is_working_day(eta.finish.date())
        assert hours.start <= eta.finish.time() <= hours.end
        worked = working_minutes_between(eta.start, eta.finish, hours)
        # ETAs are kept as float timestamps: a microsecond or so of drift over a long
        # queue is allowed, nothing a person could see.
        assert worked == pytest.approx(minutes, abs=MILLISECOND)
        expected = add_working_minutes(eta.start, minutes, hours)
        assert abs(eta.finish.timestamp() - expected.timestamp()) < 0.001
        # The next one starts at this one's finish, or the next morning if it ends the day.
        cursor = next_working_moment(eta.finish, hours)
    starts = [etas[item_id].start.timestamp() for item_id, _ in rest]
    assert starts == sorted(starts)


# --- promises ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Promise:
    status: str = "open"
    promise_due_at: datetime | None = None
    started_at: datetime | None = None


DUE = at(2, 14)
EARLY = Eta(at(2, 13, 30), at(2, 13, 50))
LATE = Eta(at(2, 14, 10), at(2, 14, 30))


def test_no_promise_is_none() -> None:
    assert PROMISE_STATES == ("none", "ok", "at_risk", "broken")
    assert promise_state(Promise(), EARLY, at(2, 13)) == "none"


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_a_closed_item_has_no_promise_to_keep(status: str) -> None:
    assert promise_state(Promise(status, DUE), LATE, at(2, 15)) == "none"


def test_an_eta_before_the_promise_is_ok() -> None:
    assert promise_state(Promise("open", DUE), EARLY, at(2, 13)) == "ok"


def test_an_eta_exactly_on_the_promise_is_ok() -> None:
    assert promise_state(Promise("open", DUE), Eta(DUE, LATE.finish), at(2, 13)) == "ok"


def test_an_eta_after_the_promise_is_at_risk_before_it_breaks() -> None:
    assert promise_state(Promise("open", DUE), LATE, at(2, 13)) == "at_risk"
    assert promise_state(Promise("paused", DUE), LATE, at(2, 13)) == "at_risk"


def test_without_an_eta_a_future_promise_is_ok() -> None:
    assert promise_state(Promise("open", DUE), None, at(2, 13)) == "ok"


def test_a_promise_breaks_once_its_time_has_passed_unstarted() -> None:
    assert promise_state(Promise("open", DUE), LATE, DUE) == "at_risk"  # not yet at the minute
    assert promise_state(Promise("open", DUE), LATE, DUE + timedelta(seconds=1)) == "broken"
    assert promise_state(Promise("open", DUE), EARLY, at(2, 15)) == "broken"
    assert promise_state(Promise("open", DUE), None, at(2, 15)) == "broken"


def test_walking_the_clock_ok_then_at_risk_then_broken() -> None:
    """A 60-minute job ranks ahead of the promised item and makes no progress."""

    def state(now: datetime) -> str:
        eta = schedule([("ahead", 60.0, "open"), ("promised", 15.0, "open")], now, HOURS)
        return promise_state(Promise("open", at(2, 14, 30)), eta["promised"], now)

    assert state(at(2, 13)) == "ok"  # starts 14:00
    assert state(at(2, 13, 30)) == "ok"  # starts 14:30, on the promise
    assert state(at(2, 13, 45)) == "at_risk"  # starts 14:45
    assert state(at(2, 14, 30)) == "at_risk"
    assert state(at(2, 14, 31)) == "broken"


@pytest.mark.parametrize("started", [at(2, 13, 55), DUE])
def test_a_promise_is_kept_when_work_began_in_time(started: datetime) -> None:
    for status in ("open", "paused"):
        item = Promise(status, DUE, started_at=started)
        assert promise_state(item, LATE, at(2, 16)) == "ok"


def test_work_begun_after_the_promise_does_not_keep_it() -> None:
    item = Promise("paused", DUE, started_at=at(2, 14, 5))
    assert promise_state(item, LATE, at(2, 16)) == "broken"


@pytest.mark.parametrize(
    ("status", "started_at"),
    [("active", at(2, 14, 5)), ("waiting", None)],  # begun late; never begun
)
def test_an_item_in_hand_or_waiting_on_the_customer_is_ok(
    status: str, started_at: datetime | None
) -> None:
    item = Promise(status, DUE, started_at=started_at)
    assert promise_state(item, LATE, at(2, 16)) == "ok"
    assert promise_state(Promise("open", DUE, started_at=started_at), LATE, at(2, 16)) == "broken"


_ORDER = {"ok": 0, "at_risk": 1, "broken": 2}


@given(
    st.integers(-600, 600),
    st.none() | st.integers(-600, 600),
    st.lists(st.integers(-900, 900), min_size=2, max_size=12),
    _zones,
)
@settings(max_examples=200)
def test_promise_state_never_goes_back_as_time_passes(
    due_offset: int, start_offset: int | None, now_offsets: list[int], zone: tzinfo
) -> None:
    base = datetime(2026, 3, 2, 12, tzinfo=zone)
    due = base + timedelta(minutes=due_offset)
    eta = None
    if start_offset is not None:
        start = base + timedelta(minutes=start_offset)
        eta = Eta(start, start + timedelta(minutes=30))
    item = Promise("open", due)
    states = [
        promise_state(item, eta, base + timedelta(minutes=offset)) for offset in sorted(now_offsets)
    ]
    ranks = [_ORDER[state] for state in states]
    assert ranks == sorted(ranks)
    for offset, state in zip(sorted(now_offsets), states, strict=True):
        assert (state == "broken") == (base + timedelta(minutes=offset) > due)


# --- spoken times and durations ------------------------------------------------------------

SPOKEN_NOW = at(2, 13)  # Monday 13:00


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (at(2, 12), "right away"),  # already past
        (at(2, 13), "right away"),
        (at(2, 13, 2), "right away"),
        (at(2, 13, 2, 1), "around 13:05"),
        (at(2, 14, 17), "around 14:20"),  # rounded up to five minutes
        (at(2, 14, 20), "around 14:20"),  # already on the five
        (at(2, 14, 20, 1), "around 14:25"),  # a second past still rounds up
        (at(2, 14, 16, 59), "around 14:20"),
        (at(2, 23, 58), "tomorrow around 00:00"),  # rounding crosses midnight
        (at(3, 9), "tomorrow around 09:00"),
        (at(5, 9, 3), "on Thursday around 09:05"),
        (at(8, 10), "on Sunday around 10:00"),  # six days on: still the weekday name
        (at(9, 9), "on Mon 09 Mar around 09:00"),  # a week on: the date
        (datetime(2026, 4, 20, 9, 0, tzinfo=UTC), "on Mon 20 Apr around 09:00"),
    ],
)
def test_spoken_time(moment: datetime, said: str) -> None:
    assert spoken_time(moment, SPOKEN_NOW) == said


def test_spoken_time_is_said_in_the_zone_of_now() -> None:
    plus_two = timezone(timedelta(hours=2))
    now = at(2, 13, tz=plus_two)  # 11:00 UTC
    assert spoken_time(at(2, 12, 17), now) == "around 14:20"
    assert spoken_time(at(2, 22, 30), now) == "tomorrow around 00:30"


_CLOCK = re.compile(r"around (\d\d):(\d\d)$")


@given(_moments, _moments)
@settings(max_examples=200)
def test_spoken_time_rounds_up_to_the_next_five_minutes(moment: datetime, now: datetime) -> None:
    said = spoken_time(moment, now)
    if moment <= now + timedelta(minutes=2):
        assert said == "right away"
        return
    match = _CLOCK.search(said)
    assert match is not None, said
    spoken = int(match.group(1)) * 60 + int(match.group(2))
    assert spoken % 5 == 0
    local = moment.astimezone(now.tzinfo)
    exact = local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
    assert 0 <= (spoken - exact) % (24 * 60) < 5


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (0.25, "under a minute"),
        (0.99, "under a minute"),
        (1.0, "1 min"),
        (1.4, "1 min"),
        (30.0, "30 min"),
        (59.0, "59 min"),
        (60.0, "an hour"),
        (61.0, "1 h 1 min"),
        (90.0, "1 h 30 min"),
        (120.0, "2 hours"),
        (150.0, "2 h 30 min"),
        (1440.0, "24 hours"),
    ],
)
def test_spoken_duration(minutes: float, said: str) -> None:
    assert spoken_duration(minutes) == said


@pytest.mark.parametrize("minutes", [59.5, 59.8])
def test_spoken_duration_just_under_an_hour_is_an_hour(minutes: float) -> None:
    assert spoken_duration(minutes) == "an hour"


# --- what to tell them ---------------------------------------------------------------------

TELL_NOW = at(2, 13)
TELL_ETA = Eta(at(2, 14, 17), at(2, 14, 47))


def test_the_default_sentence_is_the_one_in_the_issue() -> None:
    said = tell(
        requester="Alice",
        title="printer jam",
        estimate=Estimate(30.0, "history", 1),
        eta=TELL_ETA,
        now=TELL_NOW,
    )
    assert said == (
        "Last time this took about 30 min. I can be with you around 14:20 — "
        "does that work, or is later better?"
    )


@pytest.mark.parametrize(
    ("estimate", "experience"),
    [
        (Estimate(45.0, "history", 6), "The last 6 like this took about 45 min."),
        (Estimate(90.0, "history", 2), "The last 2 like this took about 1 h 30 min."),
        (Estimate(5.0, "given"), "This should take about 5 min."),
        (Estimate(20.0, "default"), "This should take about 20 min."),
        (Estimate(60.0, "given"), "This should take about an hour."),
        (Estimate(0.5, "history", 1), "Last time this took about under a minute."),
    ],
)
def test_the_experience_says_where_the_estimate_comes_from(
    estimate: Estimate, experience: str
) -> None:
    said = tell(requester=None, title="x", estimate=estimate, eta=TELL_ETA, now=TELL_NOW)
    assert said.startswith(experience + " I can be with you around 14:20")


def test_without_an_eta_they_hear_back_when_they_reply() -> None:
    said = tell(
        requester="Bob",
        title="vpn",
        estimate=Estimate(10.0, "given"),
        eta=None,
        now=TELL_NOW,
        template="{when}; done {finish}.",
    )
    assert said == "as soon as I hear back from you; done once I hear back from you."


def test_every_placeholder_is_filled() -> None:
    template = " | ".join("{" + name + "}" for name in TELL_FIELDS)
    said = tell(
        requester="Dana (CEO)",
        title="Laptop won't boot",
        estimate=Estimate(45.0, "history", 3),
        eta=Eta(at(3, 9), at(3, 9, 45)),
        now=TELL_NOW,
        template=template,
    )
    assert said == (
        "Dana (CEO) | Laptop won't boot | 45 min | tomorrow around 09:00 | "
        "tomorrow around 09:45 | The last 3 like this took about 45 min."
    )


def test_no_requester_is_there() -> None:
    for requester in (None, ""):
        said = tell(
            requester=requester,
            title="x",
            estimate=Estimate(5.0, "given"),
            eta=TELL_ETA,
            now=TELL_NOW,
            template="Hi {name}!",
        )
        assert said == "Hi there!"


def test_whitespace_is_collapsed_and_braces_in_values_are_left_alone() -> None:
    said = tell(
        requester="{when}",
        title="  two\n\nlines {0} ",
        estimate=Estimate(5.0, "given"),
        eta=Eta(at(2, 13, 1), at(2, 13, 6)),
        now=TELL_NOW,
        template="Hi {name},\n\n  about {title}:   {when}.",
    )
    assert said == "Hi {when}, about two lines {0} : right away."


_texts = st.text(max_size=40)
_estimates = st.builds(
    Estimate,
    st.floats(0.1, 43200.0),
    st.sampled_from(["given", "history", "default"]),
    st.integers(0, 50),
)


@given(
    st.none() | _texts,
    _texts,
    _estimates,
    st.booleans(),
    _moments,
    st.integers(-600, 60 * 24 * 30),
    st.sampled_from([DEFAULT_TELL, "Hi {name}, re {title}: {when} until {finish}. {estimate}"]),
)
@settings(max_examples=150)
def test_tell_never_raises_and_says_the_eta(
    requester: str | None,
    title: str,
    estimate: Estimate,
    has_eta: bool,
    now: datetime,
    offset: int,
    template: str,
) -> None:
    start = now + timedelta(minutes=offset)
    eta = Eta(start, start + timedelta(minutes=estimate.minutes)) if has_eta else None
    said = tell(
        requester=requester, title=title, estimate=estimate, eta=eta, now=now, template=template
    )
    if eta is not None:
        assert spoken_time(eta.start, now) in said
    else:
        assert "as soon as I hear back from you" in said
    assert said == said.strip()
    assert "  " not in said


# --- check_template ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        DEFAULT_TELL,
        "Hi {name}, about {title}: {estimate}, {when} to {finish}. {experience}",
        "{when}",
        "Hello {{name}} literally, {name}",
        "{name:>10}",
        "no placeholders at all",
    ],
)
def test_check_template_accepts_good_templates(template: str) -> None:
    assert check_template(template) == template
    tell(
        requester="A",
        title="t",
        estimate=Estimate(5.0, "given"),
        eta=TELL_ETA,
        now=TELL_NOW,
        template=template,
    )


@pytest.mark.parametrize(
    "template", ["{eta}", "Hi {Name}", "{when} {minutes}", "{}", "{0}", "{name.upper}", "{name[0]}"]
)
def test_check_template_refuses_unknown_placeholders(template: str) -> None:
    with pytest.raises(ValueError, match=r"unknown placeholder .*use \{name\}, \{title\}"):
        check_template(template)


@pytest.mark.parametrize("template", ["{name", "name}", "{", "}", "{when}}"])
def test_check_template_refuses_bad_format_strings(template: str) -> None:
    with pytest.raises(ValueError, match="not a valid template"):
        check_template(template)


@pytest.mark.parametrize("template", ["", "   ", "\n\t"])
def test_check_template_refuses_an_empty_template(template: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        check_template(template)


@pytest.mark.parametrize("template", ["{name!x}", "{when:%H:%M}", "{name:{bogus}}"])
def test_check_template_refuses_conversions_and_format_specs(template: str) -> None:
    """The sentence is formatted with plain strings: a conversion or a format spec would
    pass a naive check and fail (or mean nothing) when a customer is told."""
    with pytest.raises(ValueError, match="not a valid template"):
        check_template(template)


# --- contact nudges ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ticket:
    id: Any
    received_at: datetime
    requester: str | None = "Alice"
    severity: str = "normal"
    status: str = "open"
    title: str = "printer jam"
    deferred_until: datetime | None = None


def nudged(items: Sequence[Ticket], now: datetime, **contacts: datetime) -> list[Any]:
    last = {int(key.removeprefix("c")): moment for key, moment in contacts.items()}
    return [nudge.item_id for nudge in top_nudges(items, last, now, TARGETS)[0]]


def test_default_contact_targets() -> None:
    """In working time (8-hour days by default): half an hour, two hours, a working day,
    three working days."""
    expectations = Expectations()
    assert expectations.contact_target_minutes == PerSeverity(
        critical=30.0, high=120.0, normal=480.0, low=1440.0
    )
    assert expectations.tell_template == DEFAULT_TELL


def test_a_customer_past_the_target_gets_a_nudge() -> None:
    item = Ticket(7, at(2, 9), severity="high", requester="Alice B")
    [nudge] = top_nudges([item], {}, at(2, 12), TARGETS)[0]
    assert nudge == Nudge(7, "Alice B", "printer jam", at(2, 9), 60.0, 180.0)
    assert nudge.text(at(2, 12)) == "update Alice B on #7 (no word for 3 h)"


def test_the_target_itself_is_not_yet_overdue() -> None:
    item = Ticket(1, at(2, 9), severity="critical")
    assert nudged([item], at(2, 9, 30)) == []
    assert nudged([item], at(2, 9, 30, 1)) == [1]


@pytest.mark.parametrize("severity", SEVERITIES)
def test_each_severity_has_its_own_target(severity: str) -> None:
    item = Ticket(1, NOW, severity=severity)
    target = timedelta(minutes=TARGETS[severity])
    assert nudged([item], NOW + target - timedelta(minutes=1)) == []
    assert nudged([item], NOW + target + timedelta(minutes=1)) == [1]


def test_custom_targets_apply() -> None:
    targets = PerSeverity(critical=5.0, high=10.0, normal=15.0, low=20.0)
    item = Ticket(1, NOW)
    late = top_nudges([item], {}, NOW + timedelta(minutes=16), targets)[0]
    assert [n.item_id for n in late] == [1]
    assert top_nudges([item], {}, NOW + timedelta(minutes=14), targets)[0] == []


@pytest.mark.parametrize("status", ["active", "waiting", "done", "dropped"])
def test_items_in_hand_waiting_or_closed_need_no_nudge(status: str) -> None:
    assert nudged([Ticket(1, at(2, 9), status=status, severity="critical")], at(4, 9)) == []


def test_a_paused_item_is_nudged() -> None:
    assert nudged([Ticket(1, at(2, 9), status="paused", severity="critical")], at(4, 9)) == [1]


@pytest.mark.parametrize("requester", [None, ""])
def test_an_item_without_a_requester_needs_no_nudge(requester: str | None) -> None:
    assert nudged([Ticket(1, at(2, 9), requester=requester, severity="critical")], at(4, 9)) == []


def test_a_contact_resets_the_clock() -> None:
    item = Ticket(1, at(2, 9), severity="high")  # target 2 h
    assert nudged([item], at(2, 12)) == [1]
    assert nudged([item], at(2, 12), c1=at(2, 11)) == []
    assert nudged([item], at(2, 13, 1), c1=at(2, 11)) == [1]
    [nudge] = top_nudges([item], {1: at(2, 11)}, at(2, 13, 30), TARGETS)[0]
    assert nudge.since == at(2, 11)
    assert nudge.overdue_minutes == pytest.approx(30.0)
    assert nudge.text(at(2, 13, 30)) == "update Alice on #1 (no word for 2 h 30)"


def test_a_contact_before_the_item_arrived_does_not_count() -> None:
    item = Ticket(1, at(2, 9), severity="high")
    [nudge] = top_nudges([item], {1: at(1, 8)}, at(2, 12), TARGETS)[0]
    assert nudge.since == at(2, 9)


def test_the_most_overdue_relative_to_its_target_comes_first() -> None:
    now = at(5, 9)
    items = [
        Ticket(1, now - timedelta(minutes=60), severity="critical"),  # 2x its 30 min
        Ticket(2, now - timedelta(minutes=3 * 1440), severity="normal"),  # 3x its day
        Ticket(3, now - timedelta(minutes=150), severity="high"),  # 1.25x its 2 h
        Ticket(4, now - timedelta(minutes=10), severity="critical"),  # not yet
    ]
    assert nudged(items, now) == [2, 1, 3]


def test_equally_overdue_nudges_are_ordered_by_id() -> None:
    items = [Ticket(10, at(2, 9)), Ticket(2, at(2, 9)), Ticket(9, at(2, 9))]
    result = top_nudges(items, {}, at(4, 9), TARGETS)[0]
    assert [nudge.item_id for nudge in result] == [2, 9, 10], "as numbers, not as text"


def test_top_nudges_are_the_first_of_the_full_list_with_its_length() -> None:
    now = at(5, 9)
    items = [
        Ticket(number, now - timedelta(minutes=minutes), severity="normal")
        for number, minutes in ((1, 2000), (2, 5000), (3, 3000), (4, 10))
    ]
    every = top_nudges(items, {}, now, TARGETS)[0]
    assert [nudge.item_id for nudge in every] == [2, 3, 1]
    top, total = top_nudges(items, {}, now, TARGETS, limit=2)
    assert (top, total) == (every[:2], 3)
    assert top_nudges(items, {}, now, TARGETS) == (every, 3)


def test_a_nudge_text_never_says_a_negative_wait() -> None:
    nudge = Nudge(3, "Bob", "vpn", at(2, 10), 0.0, -5.0)
    assert nudge.text(at(2, 9)) == "update Bob on #3 (no word for 1s)"


@given(
    st.lists(
        st.tuples(
            st.integers(0, 10 * 1440),
            st.sampled_from(SEVERITIES),
            st.sampled_from(["open", "paused", "active", "waiting", "done"]),
            st.none() | st.integers(-100, 10 * 1440),
        ),
        max_size=10,
    )
)
@settings(max_examples=100)
def test_nudges_are_exactly_the_overdue_open_items_most_overdue_first(
    rows: list[tuple[int, str, str, int | None]],
) -> None:
    now = at(20, 12)
    items = [
        Ticket(index, now - timedelta(minutes=age), severity=severity, status=status)
        for index, (age, severity, status, _) in enumerate(rows)
    ]
    contacts = {
        index: now - timedelta(minutes=ago)
        for index, (_, _, _, ago) in enumerate(rows)
        if ago is not None
    }
    nudges = top_nudges(items, contacts, now, TARGETS)[0]
    expected = set()
    for item in items:
        since = max(contacts.get(item.id, item.received_at), item.received_at)
        if item.status in ("open", "paused") and now - since > timedelta(
            minutes=TARGETS[item.severity]
        ):
            expected.add(item.id)
    assert {nudge.item_id for nudge in nudges} == expected
    ratios = [
        (now - nudge.since) / timedelta(minutes=TARGETS[items[nudge.item_id].severity])
        for nudge in nudges
    ]
    assert ratios == sorted(ratios, reverse=True)
    assert all(nudge.overdue_minutes > 0 for nudge in nudges)


# --- what to say, by the item's state ------------------------------------------------------


def test_an_item_in_hand_is_said_to_be_under_way() -> None:
    said = tell(
        requester="Dana",
        title="x",
        estimate=Estimate(30.0, "given"),
        eta=Eta(TELL_NOW, TELL_NOW + timedelta(minutes=30)),
        now=TELL_NOW,
        state="in_hand",
    )
    assert said == "I'm working on it now; it should be done around 13:30."
    assert "can be with you" not in said


def test_an_item_started_and_put_aside_is_said_to_be_resumed() -> None:
    said = tell(
        requester="Dana",
        title="x",
        estimate=Estimate(30.0, "given"),
        eta=TELL_ETA,
        now=TELL_NOW,
        state="started",
    )
    assert said.startswith("I've started on it and will be back on it around 14:20;")


def test_an_item_waiting_on_the_customer_says_the_next_move_is_theirs() -> None:
    said = tell(
        requester="Dana",
        title="x",
        estimate=Estimate(10.0, "given"),
        eta=None,
        now=TELL_NOW,
        state="waiting",
    )
    assert said == "I'm waiting to hear back from you; once I do, it should take about 10 min."
