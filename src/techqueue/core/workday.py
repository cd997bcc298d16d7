"""The working day: pure, ``now`` an argument.

A technician's "today" is not midnight to midnight for everyone (night work may belong to the
day before), and a work span left running overnight is not sixteen hours of work. Both are
decided here, from records the store returns, so the command line, the app and the tests
agree and no clock is read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from techqueue.core.timeparse import WorkingHours, at_clock
from techqueue.domain import WORKED_LATE_NOTE

__all__ = [
    "day_of",
    "day_span",
    "span_cutoff",
    "span_end",
    "span_minutes",
    "today_span",
    "week_span",
    "worked_minutes",
]


class _Span(Protocol):
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...


def day_of(moment: datetime, boundary: time, zone: tzinfo | None) -> date:
    """The working day ``moment`` belongs to: before the boundary it is still the day before."""
    local = moment.astimezone(zone)
    shifted = local - timedelta(hours=boundary.hour, minutes=boundary.minute)
    return shifted.date()


def day_span(day: date, boundary: time, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """``[start, end)`` of a working day: from its boundary to the next day's."""
    start = datetime.combine(day, boundary, tzinfo=zone)
    if zone is None:
        start = start.astimezone()
    end = datetime.combine(day + timedelta(days=1), boundary, tzinfo=start.tzinfo)
    return start, end


def today_span(now: datetime, boundary: time) -> tuple[datetime, datetime]:
    """``[start, end)`` of the working day ``now`` is in, in ``now``'s zone."""
    return day_span(day_of(now, boundary, now.tzinfo), boundary, now.tzinfo)


def week_span(day: date, boundary: time, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """Monday to Monday around ``day``, each at the day boundary."""
    monday = day - timedelta(days=day.weekday())
    start, _ = day_span(monday, boundary, zone)
    end, _ = day_span(monday + timedelta(days=7), boundary, zone)
    return start, end


def span_cutoff(
    started_at: datetime, hours: WorkingHours, boundary: time, zone: tzinfo | None
) -> datetime:
    """The latest a span started at ``started_at`` may run before it counts as forgotten.

    Work started during the day stops counting at the end of working hours; work started after
    hours (an evening emergency) runs at most until the day boundary.
    """
    local = started_at.astimezone(zone)
    end_of_hours = at_clock(local.date(), hours.end, local)
    if local < end_of_hours:
        return end_of_hours
    _, day_end = day_span(day_of(local, boundary, zone), boundary, local.tzinfo)
    return day_end


def span_end(
    span: _Span, now: datetime, hours: WorkingHours, boundary: time, zone: tzinfo | None
) -> tuple[datetime, bool]:
    """Where the span's time stops counting, and whether it was cut at the working day's end
    (a span the technician said they worked on past it runs on)."""
    if span.ended_at is not None:
        return span.ended_at, False
    cutoff = span_cutoff(span.started_at, hours, boundary, zone)
    if now > cutoff and getattr(span, "note", None) != WORKED_LATE_NOTE:
        return cutoff, True
    return max(now, span.started_at), False


def span_minutes(
    span: _Span,
    now: datetime,
    hours: WorkingHours,
    boundary: time,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[float, bool]:
    """Minutes of the span (inside ``[start, end)`` when given), a forgotten running span
    cut at the end of its working day; and whether it was cut so."""
    finish, cut = span_end(span, now, hours, boundary, now.tzinfo)
    began = span.started_at if start is None else max(span.started_at, start)
    if end is not None:
        finish = min(finish, end)
    return max((finish - began).total_seconds() / 60, 0.0), cut


class _Worked(_Span, Protocol):
    @property
    def item_id(self) -> int: ...


def worked_minutes(
    spans: Iterable[_Worked], now: datetime, hours: WorkingHours, boundary: time
) -> dict[int, float]:
    """Minutes of recorded work per item. A span still running counts until ``now`` — or,
    when it was forgotten overnight, until its working day ended, as the review counts it."""
    totals: dict[int, float] = {}
    for span in spans:
        minutes, _ = span_minutes(span, now, hours, boundary)
        totals[span.item_id] = totals.get(span.item_id, 0.0) + minutes
    return totals
