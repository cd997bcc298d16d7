"""Insight: "more insight into the most common customer support issues" (the seed 004). Over
the last few weeks: the top tags, requesters, organisations and channels by how many items
came in and by the time they took, each against the period before (up, down, level) and
week by week; how many were answered late and by how much; and the issues that cost the most
time this month.

Lateness is the response's: the working time from arrival to the start of work (or to its
closing, for an item closed without a timer; or to now, for one still waiting for a first
look), past the severity's response target — nights, weekends and holidays do not count.

Pure: the store's records, ``now`` and the settings are arguments; the result is typed, so
the text, the Markdown, the JSON and the app's screen are views of one object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from techqueue.core.business import without_cost
from techqueue.core.people import organisation
from techqueue.core.text import clean_text
from techqueue.core.timeparse import WorkingHours
from techqueue.core.workday import day_of, day_span, span_minutes
from techqueue.core.worktime import waited_minutes, work_clock
from techqueue.records import ItemRecord, SpanRecord
from techqueue.scoring import Weights

__all__ = [
    "DIMENSIONS",
    "MAX_WEEKS",
    "TOP",
    "Costly",
    "Dimension",
    "Insight",
    "InsightRecords",
    "Lateness",
    "Period",
    "Row",
    "Week",
    "insight_of",
    "periods",
    "sparkline",
    "trend",
]

#: How many rows each table keeps, and how many costly issues are named.
TOP = 5
#: The longest period a report looks at (two years of weeks).
MAX_WEEKS = 104
#: The dimensions, in the order the report shows them, with the name of "none".
DIMENSIONS = (
    ("tags", "tag", "(no tag)"),
    ("requesters", "requester", "(nobody)"),
    ("organisations", "organisation", "(none)"),
    ("channels", "channel", "(none)"),
)


@dataclass(frozen=True, slots=True)
class Period:
    """The weeks looked at, the same length before them, and this month."""

    start: datetime
    end: datetime
    previous_start: datetime
    weeks: int
    month_start: datetime

    @property
    def week_starts(self) -> list[datetime]:
        """The start of each week of the period, the oldest first."""
        return [self.start + timedelta(weeks=number) for number in range(self.weeks)]


def periods(now: datetime, boundary: time, weeks: int) -> Period:
    """The ``weeks`` whole weeks ending with today's working day, the as many before them,
    and the month today is in (by the day boundary, in ``now``'s zone)."""
    zone = now.tzinfo
    today = day_of(now, boundary, zone)
    _, end = day_span(today, boundary, zone)
    start, _ = day_span(today - timedelta(days=7 * weeks - 1), boundary, zone)
    previous_start, _ = day_span(today - timedelta(days=14 * weeks - 1), boundary, zone)
    month_start, _ = day_span(date(today.year, today.month, 1), boundary, zone)
    return Period(start, end, previous_start, weeks, month_start)


@dataclass(frozen=True)
class InsightRecords:
    """What the report reads from the store for its period, read in one go."""

    period: Period
    received: list[ItemRecord]
    """Items received from the previous period's start to the end."""
    spans: list[SpanRecord]
    """Work spans from the earlier of the previous period's and the month's start."""
    items: Mapping[int, ItemRecord]
    """The items of those spans, by id."""


def trend(now: float, before: float) -> str:
    """``↑`` more than the period before, ``↓`` fewer, ``→`` the same (within a tenth)."""
    if abs(now - before) <= 0.1 * max(now, before) or now == before:
        return "→"
    return "↑" if now > before else "↓"


@dataclass(frozen=True, slots=True)
class Row:
    """One tag, requester, organisation or channel: how many items and how much time, in the
    period and the one before, and week by week."""

    name: str
    count: int
    minutes: float
    previous_count: int
    previous_minutes: float
    weekly_counts: tuple[int, ...]
    weekly_minutes: tuple[float, ...]

    @property
    def trend(self) -> str:
        """How the count moved against the period before."""
        return trend(self.count, self.previous_count)

    @property
    def time_trend(self) -> str:
        """How the time moved against the period before."""
        return trend(self.minutes, self.previous_minutes)


@dataclass(frozen=True, slots=True)
class Dimension:
    """The top rows of one dimension, by count and by time."""

    key: str
    label: str
    by_count: tuple[Row, ...]
    by_time: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class Lateness:
    """Items answered late (first response past the target, in working time): how many of
    how many, and by how much."""

    late: int
    of: int
    total_minutes: float
    worst_minutes: float
    previous_late: int
    previous_of: int

    @property
    def mean_minutes(self) -> float:
        return self.total_minutes / self.late if self.late else 0.0

    @property
    def trend(self) -> str:
        return trend(self.late, self.previous_late)


@dataclass(frozen=True, slots=True)
class Week:
    """One week of the period: items received, time worked, items answered late."""

    start: datetime
    received: int
    minutes: float
    late: int


@dataclass(frozen=True, slots=True)
class Costly:
    """An issue that took a lot of time this month."""

    id: int
    title: str
    requester: str | None
    status: str
    minutes: float


@dataclass(frozen=True)
class Insight:
    """The report."""

    period: Period
    received: int
    previous_received: int
    minutes: float
    previous_minutes: float
    lateness: Lateness
    weeks: list[Week]
    dimensions: list[Dimension]
    costliest: list[Costly] = field(default_factory=list)

    @property
    def received_trend(self) -> str:
        return trend(self.received, self.previous_received)

    @property
    def time_trend(self) -> str:
        return trend(self.minutes, self.previous_minutes)


def _names(item: ItemRecord, key: str) -> tuple[str, ...]:
    """The names ``item`` is counted under in a dimension (an item counts under each tag)."""
    if key == "tags":
        return tuple(clean_text(tag) for tag in without_cost(item.tags)) or ("(no tag)",)
    if key == "requesters":
        return (clean_text(item.requester or "") or "(nobody)",)
    if key == "organisations":
        found = organisation(item.requester_email) or organisation(item.requester)
        return (found or "(none)",)
    return (item.channel,)


def _response_late(item: ItemRecord, now: datetime, weights: Weights, hours: WorkingHours) -> float:
    """Working minutes the first response came (or is) past the target; 0 when in time.

    The first response is the start of work. An item never started has waited on its own
    clock (:func:`~techqueue.core.worktime.waited_minutes`: stopped while it waits on the
    customer or is deferred, and at its closing), as its ``late_minutes`` counts it."""
    clock = work_clock(hours, now.tzinfo)
    if item.started_at is None:
        waited = waited_minutes(item, now, clock)
    else:
        waited = clock.between(item.received_at, item.started_at)
    return max(waited - weights.response_target_minutes[item.severity], 0.0)


def insight_of(
    records: InsightRecords,
    now: datetime,
    weights: Weights,
    hours: WorkingHours,
    boundary: time,
) -> Insight:
    """The report of the records' period at ``now``."""
    period = records.period
    starts = period.week_starts

    def week_of(moment: datetime) -> int:
        return min(int((moment - period.start) / timedelta(weeks=1)), period.weeks - 1)

    current = [item for item in records.received if item.received_at >= period.start]
    previous = [item for item in records.received if item.received_at < period.start]
    late_now = {item.id: _response_late(item, now, weights, hours) for item in current}
    late_before = [_response_late(item, now, weights, hours) for item in previous]

    # time worked, per item: in the period, in the one before, per week, this month
    worked: dict[int, float] = {}
    worked_before: dict[int, float] = {}
    worked_weekly: dict[int, list[float]] = {}
    worked_month: dict[int, float] = {}
    for span in records.spans:
        item_id = span.item_id
        minutes, _ = span_minutes(span, now, hours, boundary, period.start, period.end)
        if minutes:
            worked[item_id] = worked.get(item_id, 0.0) + minutes
            weekly = worked_weekly.setdefault(item_id, [0.0] * period.weeks)
            for number, week_start in enumerate(starts):
                part, _ = span_minutes(
                    span, now, hours, boundary, week_start, week_start + timedelta(weeks=1)
                )
                weekly[number] += part
        before, _ = span_minutes(span, now, hours, boundary, period.previous_start, period.start)
        if before:
            worked_before[item_id] = worked_before.get(item_id, 0.0) + before
        month, _ = span_minutes(span, now, hours, boundary, period.month_start, period.end)
        if month:
            worked_month[item_id] = worked_month.get(item_id, 0.0) + month

    weeks = [
        Week(
            start=week_start,
            received=sum(1 for item in current if week_of(item.received_at) == number),
            minutes=round(sum(minutes[number] for minutes in worked_weekly.values()), 1),
            late=sum(
                1
                for item in current
                if late_now[item.id] > 0 and week_of(item.received_at) == number
            ),
        )
        for number, week_start in enumerate(starts)
    ]
    late = [minutes for minutes in late_now.values() if minutes > 0]
    lateness = Lateness(
        late=len(late),
        of=len(current),
        total_minutes=round(sum(late), 1),
        worst_minutes=round(max(late, default=0.0), 1),
        previous_late=sum(1 for minutes in late_before if minutes > 0),
        previous_of=len(previous),
    )
    dimensions = [
        _dimension(
            key,
            label,
            current,
            previous,
            records.items,
            worked,
            worked_before,
            worked_weekly,
            week_of,
            period.weeks,
        )
        for key, label, _ in DIMENSIONS
    ]
    costliest = sorted(
        (
            Costly(
                item_id,
                records.items[item_id].title,
                records.items[item_id].requester,
                records.items[item_id].status,
                round(minutes, 1),
            )
            for item_id, minutes in worked_month.items()
            if item_id in records.items and minutes >= 0.05
        ),
        key=lambda costly: (-costly.minutes, costly.id),
    )[:TOP]
    return Insight(
        period=period,
        received=len(current),
        previous_received=len(previous),
        minutes=round(sum(worked.values()), 1),
        previous_minutes=round(sum(worked_before.values()), 1),
        lateness=lateness,
        weeks=weeks,
        dimensions=dimensions,
        costliest=costliest,
    )


def _dimension(
    key: str,
    label: str,
    current: Sequence[ItemRecord],
    previous: Sequence[ItemRecord],
    items: Mapping[int, ItemRecord],
    worked: Mapping[int, float],
    worked_before: Mapping[int, float],
    worked_weekly: Mapping[int, list[float]],
    week_of: Callable[[datetime], int],
    weeks: int,
) -> Dimension:
    counts: dict[str, int] = {}
    counts_before: dict[str, int] = {}
    weekly_counts: dict[str, list[int]] = {}
    minutes: dict[str, float] = {}
    minutes_before: dict[str, float] = {}
    weekly_minutes: dict[str, list[float]] = {}
    for item in current:
        for name in _names(item, key):
            counts[name] = counts.get(name, 0) + 1
            weekly_counts.setdefault(name, [0] * weeks)[week_of(item.received_at)] += 1
    for item in previous:
        for name in _names(item, key):
            counts_before[name] = counts_before.get(name, 0) + 1
    for source, target in ((worked, minutes), (worked_before, minutes_before)):
        for item_id, spent in source.items():
            worked_on = items.get(item_id)
            if worked_on is None:
                continue
            for name in _names(worked_on, key):
                target[name] = target.get(name, 0.0) + spent
    for item_id, spent_weekly in worked_weekly.items():
        worked_on = items.get(item_id)
        if worked_on is None:
            continue
        for name in _names(worked_on, key):
            totals = weekly_minutes.setdefault(name, [0.0] * weeks)
            for number, spent in enumerate(spent_weekly):
                totals[number] += spent

    def row(name: str) -> Row:
        return Row(
            name=name,
            count=counts.get(name, 0),
            minutes=round(minutes.get(name, 0.0), 1),
            previous_count=counts_before.get(name, 0),
            previous_minutes=round(minutes_before.get(name, 0.0), 1),
            weekly_counts=tuple(weekly_counts.get(name, [0] * weeks)),
            weekly_minutes=tuple(round(m, 1) for m in weekly_minutes.get(name, [0.0] * weeks)),
        )

    by_count = sorted(counts, key=lambda name: (-counts[name], name))[:TOP]
    by_time = sorted(
        (name for name, spent in minutes.items() if spent >= 0.05),
        key=lambda name: (-minutes[name], name),
    )[:TOP]
    return Dimension(
        key, label, tuple(row(name) for name in by_count), tuple(row(name) for name in by_time)
    )


def sparkline(values: Iterable[float]) -> str:
    """``▁▃█``: each value as a block, the largest full (all ``▁`` when all are zero)."""
    found = list(values)
    top = max(found, default=0.0)
    blocks = "▁▂▃▄▅▆▇█"
    if top <= 0:
        return blocks[0] * len(found)
    return "".join(blocks[min(int(value / top * (len(blocks) - 1) + 0.5), 7)] for value in found)
