"""The overload notice: who the queue will get to after three times their response target,
at the current pace, with what to tell each and the figures the header shows. Read once, for
the command line and the app alike (``overload``, the app's header and its overload list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from techqueue.core.expectations import cannot_before
from techqueue.core.guard import Overload
from techqueue.core.text import plural
from techqueue.core.worktime import working_duration
from techqueue.desk import Desk
from techqueue.records import ItemRecord

__all__ = ["OverloadLine", "OverloadView", "headline", "read_overload"]


@dataclass(frozen=True, slots=True)
class OverloadLine:
    """Someone who will wait too long, and the sentence that lets them choose."""

    item: ItemRecord
    breach_at: datetime
    expected_start: datetime
    late_minutes: float
    already: bool
    will_breach: bool
    tell: str


@dataclass(frozen=True)
class OverloadView:
    now: datetime
    overload: Overload
    lines: list[OverloadLine]

    @property
    def headline(self) -> str | None:
        return headline(self.overload)


def headline(overload: Overload) -> str | None:
    """The header's line: "overloaded: 6 h more work than today's hours; 4 people will wait
    past 3× their target" (``None`` when nobody will)."""
    late = overload.will_wait_too_long
    if not late and not overload.overloaded:
        return None
    said = []
    if overload.overloaded and overload.beyond_today > 0:
        said.append(f"{working_duration(overload.beyond_today)} more work than today's hours")
    if late:
        people = plural(overload.people, "person", "people")
        said.append(f"{people} will wait past 3× their target")
    prefix = "overloaded: " if overload.overloaded else ""
    return prefix + "; ".join(said) if said else None


def read_overload(desk: Desk, now: datetime) -> OverloadView:
    """Who will wait past their 3× deadline at the queue's pace, the soonest deadline first."""
    from techqueue.views.ranking import read_queue

    overload = read_queue(desk, now, explain=False).forecast.overload
    lines = [
        OverloadLine(
            item=breach.item,
            breach_at=breach.breach_at,
            expected_start=breach.expected_start,
            late_minutes=breach.late_minutes,
            already=breach.already,
            will_breach=breach.will_breach,
            tell=cannot_before(breach.expected_start, now),
        )
        for breach in overload.breaches
    ]
    return OverloadView(now, overload, lines)
