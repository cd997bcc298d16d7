"""The deadline guard and the overload notice: on a day that can hold everyone, nobody waits
past three response targets; on a day that cannot, the important work comes first and nobody
is breached silently (DESIGN.md, "Decisions of December 2026"; docs/scoring.md, "The
deadline guard and the overload notice").

**The 3× deadline.** Every item waiting to be worked on has a moment, in working time, when
its wait reaches :data:`BREACH_TARGETS` (3) times its response target: its ``breach_at``. The
wait is read on the item's own clock (:mod:`techqueue.core.worktime`: stopped while it waits on
the customer or is deferred, never counting nights) less the work it has already had
(``spent_minutes``), since nobody waits while their job is being worked on: a paused job's
deadline moves on by the work done on it. To be safe an item must *start* (or be taken up
again) by it.

**The plan.** The guard serves the queue in rank order, except that whenever the next item by
rank (or the job in hand) would make someone start past their deadline, laid out one after
another on the estimates with the tightest deadline first, the item with the tightest deadline
goes first ("must start by 14:20"), and the job in hand is put aside for it. It plans every
deadline :attr:`GuardRules.margin_minutes` early, so that it acts before the last minute; an
item whose deadline has passed goes first when that makes nobody else late; nothing goes
above a pinned item.

**Overload.** When the queue holds more work than the guard can keep up with, chasing every
deadline is the collapse deadline scheduling is known for: the CEO and the one-minute
questions wait for people who will wait too long anyway. The guard then steps aside — it moves
nothing and vetoes no switch, so the ranking serves the important work first — and the notice
(:func:`breaches`) names who will wait past their deadline, early. How an overload is
recognised, and what the guard does in one, are :class:`GuardRules`; docs/scoring.md shows
the variants the triage simulator compared and why these won.

One plan serves the ranking (``scoring.rank``), the interruption advice's veto
(:func:`veto`), the notice (:func:`breaches`) and the triage simulator, so they cannot
disagree. Pure: ``now``, the weights and the working hours are arguments; nothing here reads
the clock or the store.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from techqueue.core.forecast import remaining_minutes, schedule
from techqueue.core.timeparse import WorkingHours, at_clock, next_working_moment
from techqueue.core.worktime import WorkClock, running_since, work_clock
from techqueue.domain import SEVERITIES
from techqueue.scoring import Ranked, Scorable, Weights, effective_estimate, waited

if TYPE_CHECKING:
    from techqueue.core.appointments import Slot
    from techqueue.core.settings import Settings

__all__ = [
    "BREACH_TARGETS",
    "OVERLOAD_CHOICES",
    "SHIPPED",
    "Breach",
    "GuardRules",
    "Overload",
    "Plan",
    "Row",
    "breach_at",
    "breaches",
    "overloaded",
    "plan",
    "put_aside_for",
    "row_of",
    "rows_of",
    "rules_for",
    "spent_on",
    "veto",
]

#: How many response targets an item may wait before it is breached: the bound the ranking's
#: aging proves (docs/scoring.md, "Bounded starvation") and the guard keeps.
BREACH_TARGETS = 3.0
#: Minutes too small to matter: rounding in the sums of a plan.
_EPSILON = 1e-6
_ACTIONABLE = ("open", "active", "paused")


@dataclass(frozen=True, slots=True)
class GuardRules:
    """How the guard recognises an overload and what it does in one. :data:`SHIPPED` is what
    techqueue does; the triage simulator (``python -m benchmarks.triage --guard``) compares
    it with the other variants docs/scoring.md lists."""

    overload_when: Literal["never", "infeasible", "backlog"] = "backlog"
    """``backlog``: the queue holds more than :attr:`backlog_minutes` of work, each job
    counted for at most :attr:`longest_minutes`. ``infeasible``: not everyone whose
    deadline has not passed can start by it, laid out on the estimates (times
    :attr:`optimism`; only deadlines within :attr:`horizon_minutes` when set). ``never``:
    chase every deadline whatever the load."""
    backlog_minutes: float = 720.0
    """More work than this (a day and a half) is an overload."""
    longest_minutes: float = 120.0
    """No job counts for more than this in the backlog: a long estimate is the least sure,
    and one day-long job is not an overload."""
    optimism: float = 1.0
    """``infeasible``: every estimate is multiplied by this (below 1: an overload only when
    even shorter work than estimated would not fit)."""
    horizon_minutes: float | None = None
    """``infeasible``: only deadlines within this many working minutes count."""
    in_overload: Literal["stand aside", "protect the most", "protect in order"] = "stand aside"
    """``stand aside``: move nothing, veto nothing. ``protect the most``: keep the largest
    set of people who can still start in time (Moore and Hodgson) safe from ordinary work,
    but never pause nor pass over a VIP's work, a critical item or a quick win for them.
    ``protect in order``: the same, protecting whoever fits in deadline order."""
    margin_minutes: float = 10.0
    """Plan every deadline this many working minutes early, so the guard acts in time."""
    notice_minutes: float = 30.0
    """The notice also names whoever the plan starts less than this before their deadline:
    the plan is made of estimates, and that close is too close to promise."""


#: What techqueue does by default.
SHIPPED = GuardRules()
#: The choices of ``[scoring] in_overload``, and the rules each means.
OVERLOAD_CHOICES: Mapping[str, GuardRules] = {
    "stand aside": SHIPPED,
    "protect": dataclasses.replace(SHIPPED, in_overload="protect the most"),
}


def rules_for(weights: Weights) -> GuardRules:
    """The guard's rules as the technician set them (``[scoring] in_overload``)."""
    return OVERLOAD_CHOICES.get(weights.in_overload, SHIPPED)


# --- one item as the guard sees it -----------------------------------------------------------


@dataclass(slots=True)
class Row:
    """One item in a plan, in working minutes from ``now``."""

    key: int
    """Its place in rank order (0 first)."""
    start_by: float
    """Minutes until its 3× deadline: when it must start (or be taken up again) at the latest;
    negative when that has passed."""
    work: float
    """Minutes of work left (for a paused job, with the minute of getting back into it)."""
    spared: bool = False
    """A VIP's, critical, or a quick win: what a protecting overload never pauses nor passes
    over."""
    pinned: bool = False
    """Pinned by hand: served when the ranking says, whatever the guard thinks."""


def spent_on(item: Scorable) -> float:
    """Minutes of work the item has had (its optional ``spent_minutes``; 0 without)."""
    spent = getattr(item, "spent_minutes", 0.0) or 0.0
    return max(float(spent), 0.0)


def row_of(
    key: int, item: Scorable, wait: float, weights: Weights, *, in_hand: bool = False
) -> Row:
    """The guard's view of ``item``, which has waited ``wait`` minutes on its clock (the
    clock the ranking used: :attr:`Ranked.waited`)."""
    spent = spent_on(item)
    estimate = effective_estimate(item, weights)
    target = weights.response_target_minutes[item.severity]
    work = remaining_minutes(estimate, spent)
    if spent > 0 and not in_hand:
        work += weights.switch_cost_minutes  # getting back into a paused job
    return Row(
        key,
        BREACH_TARGETS * target - max(wait - spent, 0.0),
        work,
        item.vip or item.severity == "critical" or estimate <= weights.quick_win_minutes,
        # a booked appointment, like a pin, is the technician's own order: kept as ranked
        item.pinned or getattr(item, "appointment_at", None) is not None,
    )


def rows_of(
    entries: Sequence[Ranked[Any]], weights: Weights, in_hand: int | None = None
) -> list[Row]:
    """:func:`row_of` of each entry, keyed by its place in ``entries`` (the one at
    ``in_hand`` the job in hand), with what depends on the severity looked up once: the
    overload notice makes a row of every item in the queue."""
    per_severity = {
        severity: (
            BREACH_TARGETS * weights.response_target_minutes[severity],
            weights.default_estimate_minutes[severity],
        )
        for severity in SEVERITIES
    }
    switch_cost, quick = weights.switch_cost_minutes, weights.quick_win_minutes
    rows: list[Row] = []
    add = rows.append
    for key, entry in enumerate(entries):
        item = entry.item
        severity = item.severity
        found = per_severity.get(severity)
        if found is None:
            add(row_of(key, item, entry.waited, weights, in_hand=key == in_hand))
            continue
        longest, default = found
        spent = getattr(item, "spent_minutes", 0.0)
        spent = max(float(spent), 0.0) if spent else 0.0
        estimate = default if item.estimate_minutes is None else effective_estimate(item, weights)
        if spent or not estimate > 0:
            work = remaining_minutes(estimate, spent)
            if spent > 0 and key != in_hand:
                work += switch_cost
        else:  # nothing spent: all of a positive estimate is left (as remaining_minutes says)
            work = estimate
        add(
            Row(
                key,
                longest - max(entry.waited - spent, 0.0),
                work,
                item.vip or severity == "critical" or estimate <= quick,
                item.pinned or getattr(item, "appointment_at", None) is not None,
            )
        )
    return rows


# --- overload --------------------------------------------------------------------------------


def _by_finish(row: Row) -> tuple[float, int]:
    """Jackson's rule for deadlines on the start: by the latest finish, ``start_by + work``.
    Laid out in this order, everyone starts in time whenever any order would do."""
    return (row.start_by + row.work, row.key)


def _by_start(row: Row) -> tuple[float, int]:
    """The tightest start-by first: when not everyone can make it, the one about to go late
    goes first, even a long job that would make shorter ones late."""
    return (row.start_by, row.key)


def _chase(rows: Sequence[Row]) -> list[Row]:
    """Everyone, in the order the guard keeps them safe: the tightest start-by first. (By
    latest finish, Jackson's rule, fits everyone whenever any order does, but it changes its
    mind as a job in hand pays no minute of getting back into it and a paused one does: two
    long jobs put each other aside every few minutes.)"""
    return sorted(rows, key=_by_start)


def _protect(rows: Iterable[Row], start: float, *, most: bool, scale: float = 1.0) -> list[Row]:
    """The items that can all start in time from ``start``, in deadline order (Jackson's).

    With ``most`` the largest such set (Moore and Hodgson: in deadline order, and whenever
    the last one would start late, drop the longest so far — the lowest-ranked of equals);
    without, every item that fits after those kept before it. ``scale`` multiplies the work.
    """
    kept: list[tuple[float, int, Row]] = []
    at = start
    for row in sorted(rows, key=_by_finish):
        if row.start_by < start - _EPSILON:
            continue  # its deadline has passed: it cannot be saved
        work = row.work * scale
        if most:
            heapq.heappush(kept, (-work, -row.key, row))
            if at > row.start_by + _EPSILON:
                longest, _, _ = heapq.heappop(kept)
                at += longest  # (negative)
            at += work
        elif at <= row.start_by + _EPSILON:
            kept.append((-work, -row.key, row))
            at += work
    return sorted((row for _, _, row in kept), key=_by_finish)


def overloaded(rows: Iterable[Row], rules: GuardRules = SHIPPED) -> bool:
    """Does the queue hold more work than the guard can keep up with, as ``rules`` judge?
    (``rows`` as :func:`plan` takes them; a long queue is judged on its first few.)"""
    if rules.overload_when == "never":
        return False
    if rules.overload_when == "backlog":
        backlog = 0.0
        for row in rows:
            backlog += min(row.work, rules.longest_minutes)
            if backlog > rules.backlog_minutes:
                return True
        return False
    margin = rules.margin_minutes
    savable = [
        Row(row.key, row.start_by - margin, row.work, row.spared, row.pinned)
        for row in rows
        if row.start_by - margin >= -_EPSILON
        and (rules.horizon_minutes is None or row.start_by - margin <= rules.horizon_minutes)
    ]
    kept = _protect(savable, 0.0, most=True, scale=rules.optimism)
    return len(kept) < len(savable)


# --- the plan ----------------------------------------------------------------------------


class _Chain:
    """The people the plan keeps safe, not yet served, in deadline order (the tightest
    last), each with the latest it may start so that it and everyone after it still start
    in time when served one after another.

    Serving someone out of order only loosens the others, so they are not worked out again
    until a check fails on the old figures: a plan with room to spare costs one comparison a
    step, whatever the length of the queue.
    """

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(reversed(rows))
        self.members = {row.key for row in rows}
        self.latest: list[float] = []
        self._work_out()

    def _work_out(self) -> None:
        self.rows = [row for row in self.rows if row.key in self.members]
        self.latest = []
        latest = math.inf
        for row in self.rows:
            latest = min(row.start_by, latest - row.work)
            self.latest.append(latest)
        self._stale = False

    def _trim(self) -> None:
        """Drop the people served from the tight end."""
        while self.rows and self.rows[-1].key not in self.members:
            self.rows.pop()
            self.latest.pop()

    @property
    def head(self) -> Row | None:
        """The person with the tightest deadline."""
        self._trim()
        return self.rows[-1] if self.rows else None

    def fits(self, row: Row, at: float) -> bool:
        """Can ``row`` be served from ``at`` and everyone kept safe still start in time?"""
        head = self.head
        if head is None or row is head:
            return True
        if at + row.work <= self.latest[-1] + _EPSILON:
            return True  # even on the old figures, and counting its own work twice
        if self._stale:
            self._work_out()
        if row.key not in self.members:
            return at + row.work <= self.latest[-1] + _EPSILON
        index = next(i for i, member in enumerate(self.rows) if member is row)
        latest = math.inf if index == 0 else self.latest[index - 1]
        for member in self.rows[index + 1 :]:
            latest = min(member.start_by, latest - member.work)
        return at + row.work <= latest + _EPSILON

    def take(self, row: Row) -> None:
        """``row`` is served: nobody needs to keep room for it any more."""
        if row.key in self.members:
            self.members.discard(row.key)
            self._stale = self._stale or self.rows[-1] is not row
            self._trim()

    def broken(self, at: float) -> bool:
        """Can the people kept safe no longer all start in time from ``at``?"""
        if self.head is None:
            return False
        if self._stale:
            self._work_out()
        return at > self.latest[-1] + _EPSILON

    def remaining(self) -> list[Row]:
        return [row for row in reversed(self.rows) if row.key in self.members]


@dataclass(frozen=True, slots=True)
class Plan:
    """The order the guard serves the queue in, and when each item is expected to start."""

    order: tuple[int, ...]
    """Row keys in the order to serve them (the job in hand first when it goes on)."""
    starts: Mapping[int, float]
    """Each planned row's expected start, in working minutes from now."""
    pulled: frozenset[int]
    """Rows the guard put ahead of the ranking to start by their deadline."""
    put_aside: bool
    """The job in hand is to be put aside for the first row."""
    overloaded: bool
    """The queue holds more work than the guard can keep up with (see :class:`GuardRules`)."""


#: Whether :func:`plan` serves a run in rank order without checking each row (a test turns
#: it off to compare the two ways: they plan the same).
_RANK_ORDER_RUNS = True


def plan(
    rows: Sequence[Row],
    *,
    in_hand: int | None = None,
    switch_cost: float = 0.0,
    rules: GuardRules = SHIPPED,
    limit: int | None = None,
    guarding: bool = True,
) -> Plan:
    """The guarded order of ``rows``, given in rank order (``rows[k].key == k``); without
    ``guarding``, the rank order itself, laid out the same way.

    The job in hand (the row keyed ``in_hand``) goes on unless that would make someone start
    late; then it is put aside for the person with the tightest deadline (its work grows by
    ``switch_cost``) and taken up when its turn by rank comes again. Each next item is the
    next one by rank unless serving it would make someone start late; then the person with
    the tightest deadline goes first. While something is pinned the guard moves nothing: a
    pin is the technician's own order. In a protecting overload, VIPs' work, critical items
    and quick wins are served as the ranking says whatever that does to anyone, and the
    protection is then worked out again. When the work left falls below the overload line,
    the rest of the plan is the guard's again, as it will be when the technician gets there.
    With ``limit`` only the first places are planned.
    """
    first_look = overload = overloaded(rows, rules)
    margin = rules.margin_minutes
    # copies, with their deadlines planned early: a job put aside gains work below (made
    # directly rather than by ``dataclasses.replace``, which reads the fields' list each time)
    rows = [Row(row.key, row.start_by - margin, row.work, row.spared, row.pinned) for row in rows]
    protecting = overload and rules.in_overload != "stand aside"
    most = rules.in_overload == "protect the most"
    pinned = sum(1 for row in rows if row.pinned and row.key != in_hand)
    backlog = math.inf
    if overload and rules.overload_when == "backlog":
        backlog = sum(min(row.work, rules.longest_minutes) for row in rows)
    order: list[int] = []
    starts: dict[int, float] = {}
    pulled: set[int] = set()
    at = 0.0
    # the rest by rank, the next one last; a row served out of turn stays until it comes up
    waiting = [row for row in reversed(rows) if row.key != in_hand]
    overdue: list[Row] = []  # past their deadline already, the longest past last

    def up_next() -> Row | None:
        """The next one by rank not yet planned."""
        while waiting and waiting[-1].key in starts:
            waiting.pop()
        return waiting[-1] if waiting else None

    def left() -> list[Row]:
        return [row for row in waiting if row.key not in starts]

    def keeping(remaining: Sequence[Row]) -> _Chain:
        """Whom the plan keeps safe from here on (and who is overdue, to go first when that
        makes nobody else late)."""
        overdue.clear()
        if pinned or not guarding:
            return _Chain([])  # a pin is the technician's own order: nothing goes above it
        if not overload:  # chase every deadline that has not passed (margin or no margin)
            passed = at - margin - _EPSILON
            overdue.extend(sorted((r for r in remaining if r.start_by < passed), key=_by_start))
            overdue.reverse()
            return _Chain(_chase([r for r in remaining if r.start_by >= passed]))
        return _Chain(_protect(remaining, at, most=most) if protecting else [])

    chain = keeping(rows)

    def most_overdue(besides: Row | None = None) -> Row | None:
        """The one waiting longest past their deadline, if they can go now."""
        while overdue and overdue[-1].key in starts:
            overdue.pop()
        for row in reversed(overdue):
            if row is not besides and row.key not in starts:
                return row if chain.fits(row, at) else None
        return None

    def yields(row: Row) -> bool:
        """Is ``row`` served now even if someone kept safe then starts late?"""
        return row.pinned or (protecting and row.spared)

    def serve(row: Row, *, pull: bool = False) -> None:
        nonlocal at, chain, pinned, backlog, overload, protecting
        order.append(row.key)
        starts[row.key] = at
        if pull:
            pulled.add(row.key)
        chain.take(row)
        at += row.work
        backlog -= min(row.work, rules.longest_minutes)
        if row.pinned and row.key != in_hand:
            pinned -= 1
            if not pinned:  # the last pin served: the guard has its say again
                chain = keeping(left())
        if overload and backlog <= rules.backlog_minutes:
            # the work left is no overload any more: from here on the guard chases again,
            # and the plan says so, so that the notice foresees it
            overload = protecting = False
            chain = keeping(left())
        elif protecting and chain.broken(at):  # a yielding item went first
            chain = _Chain(_protect(chain.remaining(), at, most=most))

    def pull(first: Row | None = None) -> None:
        first = first or chain.head
        assert first is not None  # a chain that refuses a row has a head
        serve(first, pull=True)

    put_aside = False
    if in_hand is not None:
        current = rows[in_hand]
        late = most_overdue(besides=current)
        if yields(current) or (chain.fits(current, at) and late is None):
            serve(current)
        else:
            put_aside = True
            current.work += switch_cost
            waiting.append(current)  # back in the queue, in its place by rank
            waiting.sort(key=lambda row: -row.key)
            pull(late if chain.fits(current, at) else None)
    wanted = len(rows) if limit is None else max(limit, 0)
    longest, line = rules.longest_minutes, rules.backlog_minutes
    while len(order) < wanted and (row := up_next()) is not None:
        if _RANK_ORDER_RUNS and chain.head is None and not overdue:
            # Nobody kept safe and nobody overdue (an overload the guard stands aside in, or
            # a pin): the rank order, served here without the checks, up to the next row
            # that changes that (a pin, or the work left falling below the overload line).
            while not row.pinned and not (overload and backlog - min(row.work, longest) <= line):
                waiting.pop()
                order.append(row.key)
                starts[row.key] = at
                at += row.work
                backlog -= min(row.work, longest)
                if len(order) == wanted or (row := up_next()) is None:
                    break
            else:
                serve(row)
            continue
        if yields(row):
            serve(row)
        elif (late := most_overdue(besides=row)) is not None:
            pull(late)
        elif chain.fits(row, at):
            serve(row)
        else:
            pull()
    return Plan(tuple(order), starts, frozenset(pulled), put_aside, first_look)


# --- what the ranking and the advice ask ----------------------------------------------------


def put_aside_for(ranked: Sequence[Ranked[Any]]) -> Ranked[Any] | None:
    """The item the job in hand must be put aside for, now: one the guard put first to start
    by its deadline, ranked above the job in hand (``None``: carry on)."""
    for entry in ranked:
        if entry.item.status == "active":
            return None
        if entry.must_start_by is not None:
            return entry if any(e.item.status == "active" for e in ranked) else None
    return None


def veto(
    current: Scorable,
    newcomer: Scorable,
    now: datetime,
    weights: Weights,
    *,
    spent_minutes: float,
    hours: WorkingHours | None,
    queue: Iterable[Scorable] = (),
    rules: GuardRules | None = None,
) -> float | None:
    """Would pausing ``current`` for ``newcomer`` make it wait past its 3× deadline? Then the
    working minutes it would have left to be taken up again (``None``: the switch may go).

    A critical newcomer always goes ahead. So does every newcomer in an overload, judged on
    the rest of the open work (``queue``) as the guard judges it, when the guard steps aside
    then; when it protects, a VIP's work and a quick win do. Without the working ``hours``
    the wait is counted on the wall clock, as the ranking counts it.
    """
    if not weights.deadline_guard or newcomer.severity == "critical":
        return None
    rules = rules or rules_for(weights)
    wait = waited(current, now, hours)
    target = weights.response_target_minutes[current.severity]
    left_for_it = BREACH_TARGETS * target - max(wait - spent_minutes, 0.0)
    gone = effective_estimate(newcomer, weights)
    if gone <= left_for_it - rules.margin_minutes + _EPSILON:
        return None
    spared = newcomer.vip or gone <= weights.quick_win_minutes
    if rules.in_overload == "stand aside" or spared:
        rows = [row_of(0, current, wait, weights, in_hand=True)]
        rows += [
            row_of(key, item, waited(item, now, hours), weights)
            for key, item in enumerate(queue, start=1)
            if item.status in _ACTIONABLE and item.id != current.id
        ]
        if overloaded(rows, rules):
            return None
    return left_for_it


# --- the overload notice -------------------------------------------------------------------


def breach_at(
    item: Scorable, now: datetime, weights: Weights, hours: WorkingHours
) -> datetime | None:
    """The item's 3× deadline: when its wait (on its own working clock, less the work it has
    had) reaches three response targets. ``None`` while its clock is stopped (waiting on the
    customer, finished) and for the job in hand (its wait does not grow while it is worked
    on). A deferred item's clock runs from its return."""
    if item.status == "active":
        return None
    since = running_since(item)
    if since is None:
        return None
    clock = work_clock(hours, now.tzinfo)
    target = weights.response_target_minutes[item.severity]
    left = BREACH_TARGETS * target - max(waited(item, now, hours) - spent_on(item), 0.0)
    return _moment(clock, max(since, now), left)


@dataclass(frozen=True, slots=True)
class Breach:
    """Someone the queue will get to after their 3× deadline, or too close to it."""

    item: Any
    breach_at: datetime
    """The 3× deadline (working time)."""
    expected_start: datetime
    """When the queue will likely get to the item, the guard's plan laid on the working
    hours."""
    late_minutes: float
    """Working minutes from the deadline to the expected start; zero or less (at most
    :attr:`GuardRules.notice_minutes` before it) when the start is merely too close."""
    already: bool
    """The deadline has passed: the item waits too long as it is."""

    @property
    def will_breach(self) -> bool:
        """The item is expected to start after its deadline (not merely close to it)."""
        return self.late_minutes > _EPSILON


@dataclass(frozen=True)
class Overload:
    """Who will wait past their 3× deadline, and the figures the header shows.

    Kept as working minutes from ``now`` and made into moments only when asked: a big queue in
    an overload names thousands, and the header needs only the counts."""

    now: datetime
    hours: WorkingHours
    named: tuple[tuple[Any, float, float], ...] = ()
    """``(item, start-by, expected start)`` of everyone the notice names, in working minutes
    from ``now``, in the plan's order (:attr:`breaches` puts them in the notice's)."""
    start_bys: Mapping[Any, float] = field(default_factory=dict)
    """Every planned item's start-by (working minutes from ``now``) by id (not the job in
    hand's: it is being served)."""
    overloaded: bool = False
    """The queue holds more work than the guard keeps up with: it has stepped aside."""
    work_minutes: float = 0.0
    """Estimated minutes of work left in the queue (the rest of the job in hand included)."""
    left_today: float = 0.0
    """Working minutes left today."""

    @property
    def beyond_today(self) -> float:
        """Minutes of work more than today's working hours hold."""
        return max(self.work_minutes - self.left_today, 0.0)

    @property
    def will_wait_too_long(self) -> int:
        """How many items the queue will get to after their deadline."""
        return sum(1 for _, by, start in self.named if start - by > _EPSILON)

    @property
    def people(self) -> int:
        """People those items affect (an item counts everyone it stops)."""
        return sum(
            max(int(getattr(item, "impact", 1) or 1), 1)
            for item, by, start in self.named
            if start - by > _EPSILON
        )

    @functools.cached_property
    def breaches(self) -> tuple[Breach, ...]:
        """Everyone the notice names, the soonest deadline first, with their moments."""
        clock = work_clock(self.hours, self.now.tzinfo)
        # The soonest deadline first, and of those, the soonest start. (Sorted here, not when
        # planned: an overloaded queue names nearly everyone, and a listing, which asks only
        # who will wait too long, need not sort ten thousand of them.)
        named = sorted(self.named, key=lambda entry: (entry[1], entry[2], str(entry[0].id)))
        return tuple(
            Breach(
                item,
                _moment(clock, self.now, by),
                next_working_moment(_moment(clock, self.now, start), self.hours),
                start - by,
                by < 0,
            )
            for item, by, start in named
        )

    @functools.cached_property
    def deadlines(self) -> Mapping[Any, datetime]:
        """Every planned item's 3× deadline by id (not the job in hand's)."""
        moment = self._moment_of
        return {key: moment(by) for key, by in self.start_bys.items()}

    def deadline(self, item_id: Any) -> datetime | None:
        """The item's 3× deadline, if the plan holds it."""
        by = self.start_bys.get(item_id)
        if by is None:
            return None
        return self._moment_of(by)

    @functools.cached_property
    def _clock(self) -> WorkClock:
        # Found once: a listing asks for every item's deadline, and finding the clock hashes
        # the working hours each time.
        return work_clock(self.hours, self.now.tzinfo)

    @functools.cached_property
    def _moment_of(self) -> Callable[[float], datetime]:
        """:func:`_moment` from ``now``, with what depends on ``now`` alone worked out once:
        a listing asks for every item's deadline."""
        return self._clock.moments_from(self.now)

    def breach(self, item_id: Any) -> Breach | None:
        """The notice's line about the item, if it names it."""
        return next((b for b in self.breaches if b.item.id == item_id), None)

    def will_breach(self, item_id: Any) -> bool:
        """Will the queue get to the item after its 3× deadline?"""
        return item_id in self.late_ids

    @functools.cached_property
    def late_ids(self) -> frozenset[Any]:
        """The items the queue will get to after their 3× deadlines (:meth:`will_breach`)."""
        return frozenset(item.id for item, by, start in self.named if start - by > _EPSILON)


def breaches(
    ranked: Sequence[Ranked[Any]],
    now: datetime,
    settings: Settings,
    *,
    rules: GuardRules | None = None,
    slots: Sequence[Slot] = (),
) -> Overload:
    """Who will wait past their 3× deadline if the technician follows the queue: ``ranked``
    is the whole queue as :func:`techqueue.scoring.rank` ordered it (with the working hours,
    items carrying ``spent_minutes`` when they have had work); the guard's plan of it is laid
    on the working hours from ``now``, the job in hand first unless the guard puts it aside
    (with the guard turned off, ``weights.deadline_guard``, the queue's own order). New
    arrivals are not foreseen: ask again when something lands.

    ``slots`` are the booked appointments: the plan's order is laid on the same timeline the
    ETAs use (:func:`techqueue.core.forecast.schedule`), so nobody is expected to start while
    the technician is in a slot, and slot time is not counted as hours left today."""
    weights, hours = settings.weights, settings.hours
    rules = rules or rules_for(weights)
    clock = work_clock(hours, now.tzinfo)
    actionable = [entry for entry in ranked if entry.item.status in _ACTIONABLE]
    in_hand = next((k for k, e in enumerate(actionable) if e.item.status == "active"), None)
    rows = rows_of(actionable, weights, in_hand)
    laid = plan(
        rows,
        in_hand=in_hand,
        switch_cost=weights.switch_cost_minutes,
        rules=rules,
        guarding=weights.deadline_guard,
    )
    starts: Mapping[int, float] = laid.starts
    left_today = _left_today(now, hours, clock)
    if slots:
        starts = _around(laid, rows, actionable, in_hand, now, hours, slots)
        queued = {entry.item.id for entry in actionable}
        left_today = max(left_today - _booked_today(now, hours, clock, slots, queued), 0.0)
    named: list[tuple[Any, float, float]] = []
    start_bys: dict[Any, float] = {}
    for key in laid.order:
        if key == in_hand and not laid.put_aside:
            continue
        row, item = rows[key], actionable[key].item
        start_bys[item.id] = row.start_by
        if starts[key] - row.start_by > _EPSILON - rules.notice_minutes:
            named.append((item, row.start_by, starts[key]))
    return Overload(
        now,
        hours,
        tuple(named),
        start_bys,
        laid.overloaded,
        sum(row.work for row in rows),
        left_today,
    )


def _around(
    laid: Plan,
    rows: Sequence[Row],
    actionable: Sequence[Ranked[Any]],
    in_hand: int | None,
    now: datetime,
    hours: WorkingHours,
    slots: Sequence[Slot],
) -> dict[int, float]:
    """Each planned row's expected start, in working minutes from ``now``, with the plan's
    order laid around the booked slots by the ETAs' own schedule (one timeline for both)."""
    clock = work_clock(hours, now.tzinfo)
    going_on = in_hand is not None and not laid.put_aside
    work = [
        (key, rows[key].work, "active" if going_on and key == in_hand else "open")
        for key in laid.order
    ]
    # the schedule knows a booked item by its id: its row is planned in its slot
    by_id = {actionable[key].item.id: key for key in laid.order}
    keyed = [
        dataclasses.replace(s, item_id=by_id.get(s.item_id, ("slot", s.item_id))) for s in slots
    ]
    etas = schedule(work, now, hours, keyed)
    return {key: clock.between(now, max(etas[key].start, now)) for key in laid.order}


def _booked_today(
    now: datetime,
    hours: WorkingHours,
    clock: WorkClock,
    slots: Sequence[Slot],
    queued: set[Any],
) -> float:
    """Working minutes of today's hours left that booked slots take, for items not already
    counted as work in the queue; slots that overlap take their time once."""
    if not hours.is_working_day(now.date()):
        return 0.0
    end = at_clock(now.date(), hours.end, now)
    spans = sorted(
        (max(slot.start, now), min(slot.end, end)) for slot in slots if slot.item_id not in queued
    )
    taken = 0.0
    reached = now
    for start, finish in spans:
        start = max(start, reached)
        if finish > start:
            taken += clock.between(start, finish)
            reached = finish
    return taken


def _moment(clock: WorkClock, now: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` working minutes from ``now`` (before it when negative)."""
    return clock.after(now, minutes) if minutes >= 0 else clock.before(now, -minutes)


def _left_today(now: datetime, hours: WorkingHours, clock: WorkClock) -> float:
    """Working minutes between ``now`` and the end of today's hours (none on a day off)."""
    if not hours.is_working_day(now.date()):
        return 0.0
    return clock.between(now, at_clock(now.date(), hours.end, now))
