"""The insight report's arithmetic: the periods, counts and time per tag, requester,
organisation and channel against the period before, lateness in working time, the weekly
sparklines and the costliest issues of the month."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from techqueue.core.insight import (
    TOP,
    InsightRecords,
    insight_of,
    periods,
    sparkline,
    trend,
)
from techqueue.core.timeparse import WorkingHours
from techqueue.records import ItemRecord, SpanRecord
from techqueue.scoring import Weights

#: Wednesday 25 March 2026, 12:00 UTC.
NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)
HOURS = WorkingHours()
MIDNIGHT = time(0, 0)


def record(item_id: int, received: datetime, **fields: Any) -> ItemRecord:
    values: dict[str, Any] = {
        "id": item_id,
        "title": f"job {item_id}",
        "requester": None,
        "requester_id": None,
        "channel": "desk",
        "severity": "normal",
        "impact": 1,
        "estimate_minutes": None,
        "status": "open",
        "vip": False,
        "own_vip": False,
        "pinned": False,
        "bump": 0.0,
        "tags": (),
        "ref": None,
        "received_at": received,
        "created_at": received,
        "started_at": None,
        "done_at": None,
        "due_at": None,
        "deferred_until": None,
        "promise_due_at": None,
        "drop_reason": None,
    }
    values.update(fields)
    return ItemRecord(**values)


def span(span_id: int, item_id: int, start: datetime, minutes: float) -> SpanRecord:
    return SpanRecord(span_id, item_id, start, start + timedelta(minutes=minutes), None)


def records(items: list[ItemRecord], spans: list[SpanRecord], weeks: int = 2) -> InsightRecords:
    period = periods(NOW, MIDNIGHT, weeks)
    return InsightRecords(
        period,
        [item for item in items if period.previous_start <= item.received_at < period.end],
        spans,
        {item.id: item for item in items},
    )


def test_the_periods_are_whole_weeks_ending_today_and_this_month() -> None:
    period = periods(NOW, MIDNIGHT, 2)
    assert period.end == datetime(2026, 3, 26, tzinfo=UTC)
    assert period.start == datetime(2026, 3, 12, tzinfo=UTC)
    assert period.previous_start == datetime(2026, 2, 26, tzinfo=UTC)
    assert period.month_start == datetime(2026, 3, 1, tzinfo=UTC)
    assert period.week_starts == [period.start, period.start + timedelta(weeks=1)]


def test_trend_arrows_and_sparklines() -> None:
    assert trend(10, 5) == "↑"
    assert trend(5, 10) == "↓"
    assert trend(10, 10) == "→"
    assert trend(10, 11) == "→"  # within a tenth: level
    assert trend(1, 0) == "↑"
    assert sparkline([0, 4, 8]) == "▁▅█"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([]) == ""


MON = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)  # the period's second week
LAST = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # the period before


def test_counts_time_trend_and_organisations() -> None:
    items = [
        record(1, MON, tags=("printer",), requester="Alice", requester_email="alice@corp.example"),
        record(2, MON, tags=("printer", "cost:high"), requester="Bob", channel="phone"),
        record(3, MON, tags=("vpn",), requester="Bob", requester_email="bob@corp.example"),
        record(4, LAST, tags=("vpn",), requester="Bob"),
        record(5, LAST, tags=("vpn",), requester="Bob"),
    ]
    spans = [span(1, 1, MON, 30), span(2, 3, MON + timedelta(hours=1), 90), span(3, 4, LAST, 20)]
    insight = insight_of(records(items, spans), NOW, Weights(), HOURS, MIDNIGHT)
    assert insight.received == 3
    assert insight.previous_received == 2
    assert insight.received_trend == "↑"
    assert insight.minutes == 120
    assert insight.previous_minutes == 20
    tags = next(d for d in insight.dimensions if d.key == "tags")
    assert [(row.name, row.count, row.trend) for row in tags.by_count] == [
        ("printer", 2, "↑"),
        ("vpn", 1, "↓"),
    ]  # the cost: tag is not a tag
    assert [(row.name, row.minutes) for row in tags.by_time] == [("vpn", 90), ("printer", 30)]
    assert tags.by_count[0].weekly_counts == (0, 2)
    orgs = next(d for d in insight.dimensions if d.key == "organisations")
    assert [(row.name, row.count) for row in orgs.by_count] == [("corp.example", 2), ("(none)", 1)]
    channels = next(d for d in insight.dimensions if d.key == "channels")
    assert {row.name: row.count for row in channels.by_count} == {"desk": 2, "phone": 1}
    assert [(c.id, c.minutes) for c in insight.costliest] == [(3, 90), (1, 30), (4, 20)]
    assert [week.received for week in insight.weeks] == [0, 3]
    assert [week.minutes for week in insight.weeks] == [0, 120]


def test_lateness_is_the_first_response_in_working_time() -> None:
    friday_5pm = datetime(2026, 3, 20, 16, 0, tzinfo=UTC)
    items = [
        # received Friday 16:00, started Monday 10:00: 2 working hours, within a 4 h target
        record(1, friday_5pm, started_at=friday_5pm + timedelta(days=3, hours=-6)),
        # high (1 h target), started after 3 working hours: 2 h late
        record(2, MON, severity="high", started_at=MON + timedelta(hours=3)),
        # never looked at: late by what it has waited past its target, until now
        record(3, MON, severity="high"),
        # closed without a timer 30 min after arriving: its clock stopped then, in time
        record(
            4,
            MON,
            status="done",
            done_at=MON + timedelta(minutes=30),
            waited_minutes=30.0,
            clock_at=MON + timedelta(minutes=30),
        ),
        # waiting on the customer since 20 min after arriving: the clock stopped, in time
        record(
            5,
            MON,
            severity="high",
            status="waiting",
            waited_minutes=20.0,
            clock_at=MON + timedelta(minutes=20),
        ),
    ]
    late = insight_of(records(items, []), NOW, Weights(), HOURS, MIDNIGHT).lateness
    assert late.of == 5
    assert late.late == 2
    assert late.worst_minutes > 120  # #3: Monday 10:00 to Wednesday 12:00 of working time
    assert late.total_minutes == 120 + late.worst_minutes


_moments = st.integers(0, 28 * 24 * 60).map(lambda m: NOW - timedelta(minutes=m))


@given(
    st.lists(
        st.tuples(
            _moments,
            st.lists(st.sampled_from(["printer", "vpn", "mail", "cost:low"]), max_size=2),
            st.sampled_from([None, "Alice", "Bob"]),
            st.sampled_from(["desk", "phone", "email"]),
            st.sampled_from(["critical", "high", "normal", "low"]),
            st.none() | st.integers(0, 600),
            st.none() | st.integers(1, 240),
        ),
        max_size=25,
    )
)
def test_properties_of_any_month(rows: list[tuple[Any, ...]]) -> None:
    items, spans = [], []
    for number, (received, tags, who, channel, severity, start, worked) in enumerate(rows, 1):
        started = None if start is None else received + timedelta(minutes=start)
        if started is not None and started > NOW:
            started = None
        items.append(
            record(
                number,
                received,
                tags=tuple(dict.fromkeys(tags)),
                requester=who,
                channel=channel,
                severity=severity,
                started_at=started,
            )
        )
        if started is not None and worked is not None:
            spans.append(span(number, number, started, worked))
    given_records = records(items, spans)
    insight = insight_of(given_records, NOW, Weights(), HOURS, MIDNIGHT)
    period = given_records.period
    assert insight.received + insight.previous_received == len(given_records.received)
    assert sum(week.received for week in insight.weeks) == insight.received
    assert 0 <= insight.lateness.late <= insight.lateness.of == insight.received
    assert sum(week.late for week in insight.weeks) == insight.lateness.late
    assert abs(sum(week.minutes for week in insight.weeks) - insight.minutes) < 0.5
    for dimension in insight.dimensions:
        assert len(dimension.by_count) <= TOP
        assert len(dimension.by_time) <= TOP
        counts = [row.count for row in dimension.by_count]
        assert counts == sorted(counts, reverse=True)
        times = [row.minutes for row in dimension.by_time]
        assert times == sorted(times, reverse=True)
        for row in (*dimension.by_count, *dimension.by_time):
            assert sum(row.weekly_counts) == row.count
            assert len(row.weekly_counts) == period.weeks
            assert row.trend in "↑↓→"
        if dimension.key in ("requesters", "channels") and len(dimension.by_count) < TOP:
            assert sum(counts) == insight.received  # each item counted once
    minutes = [costly.minutes for costly in insight.costliest]
    assert minutes == sorted(minutes, reverse=True)
    assert len(minutes) <= TOP
