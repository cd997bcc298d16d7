"""What to do next: rank a pile of work items and say why each sits where it does.

The model (``docs/scoring.md`` explains it at length) is weighted shortest job first with
aging, inside a few tiers that a technician recognises:

1. items you can work on come before items waiting on the customer;
2. pinned items come first, then VIP items ("you go see them first") — but an outage, a
   critical item stopping at least ``outage_people`` people, comes before a VIP's
   non-critical work — then quick wins (an estimate of a minute or less: "if it can be
   answered in under a minute, handle it");
3. inside a tier, ``value / estimate`` decides, where the value grows with severity, impact,
   waiting time measured against the item's response target (faster than linearly once past
   it, so nothing starves), an approaching due time or promise, and manual bumps.
4. the deadline guard (:mod:`techqueue.core.guard`) then moves ahead whoever would otherwise
   start past three response targets, while the day can hold everyone.

The score is kept in "points": ten times the natural log of the product of the factors, plus a
fixed offset per tier. Points add up, so every factor's share is shown as a :class:`Reason` and
the reasons sum to the score. This module reads nothing but its arguments, never the clock.
"""

from __future__ import annotations

import bisect
import gc
import heapq
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeVar

from techqueue.core.timeparse import WorkingHours, format_duration
from techqueue.core.weights import PerSeverity, Weights
from techqueue.core.worktime import WorkClock, waited_minutes, work_clock, working_duration
from techqueue.domain import OPEN_STATUSES, SEVERITIES

if TYPE_CHECKING:
    from techqueue.core.guard import GuardRules

__all__ = [
    "RANKED_STATUSES",
    "SEVERITIES",
    "PerSeverity",
    "Ranked",
    "Reason",
    "Scorable",
    "Weights",
    "aging_reason",
    "effective_estimate",
    "explain_ranked",
    "guard_reason",
    "late_minutes",
    "rank",
    "requester_name",
    "say_guard",
    "waited",
]

#: Statuses that take part in the ranking; ``waiting`` ranks below the others.
RANKED_STATUSES = frozenset(OPEN_STATUSES)

POINTS_PER_E = 10.0
"""Points for a factor of e (so doubling a factor is worth about 6.9 points)."""

_WAITING_OFFSET = -8000.0
#: Above every other tier (pinned, outage, VIP and quick win together make 7500).
_APPOINTMENT_OFFSET = 8000.0
_PINNED_OFFSET = 4000.0
_CRITICAL_OFFSET = 2000.0
_VIP_OFFSET = 1000.0
_QUICK_OFFSET = 500.0
_ESTIMATE_REFERENCE_MINUTES = 60.0
_EPSILON_MINUTES = 1 / 60


class Scorable(Protocol):
    """The fields the ranking reads; an ORM row, a dataclass or a ``SimpleNamespace`` will do."""

    @property
    def id(self) -> Any: ...
    @property
    def vip(self) -> bool: ...
    @property
    def severity(self) -> str: ...
    @property
    def impact(self) -> int: ...
    @property
    def estimate_minutes(self) -> float | None: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def pinned(self) -> bool: ...
    @property
    def deferred_until(self) -> datetime | None: ...
    @property
    def promise_due_at(self) -> datetime | None: ...
    @property
    def status(self) -> str: ...
    @property
    def bump(self) -> float: ...


S = TypeVar("S", bound=Scorable)


class Reason(NamedTuple):
    """One part of a score: which factor, how many points, and a sentence for a human."""

    factor: str
    points: float
    detail: str


@dataclass(slots=True)
class Ranked(Generic[S]):
    """An item with its place in the queue, its score and (when asked for) the reasons."""

    id: Any
    item: S
    rank: int
    score: float
    tier: str
    reasons: tuple[Reason, ...] = ()
    #: The minutes the item had waited when it was ranked, on the clock ranking used.
    waited: float = 0.0
    #: Set when the deadline guard put the item here, ahead of its score: the moment it must
    #: start by, or wait past three response targets (see :mod:`techqueue.core.guard`).
    must_start_by: datetime | None = None


def rank(
    items: Iterable[S],
    now: datetime,
    weights: Weights | None = None,
    *,
    explain: bool = True,
    limit: int | None = None,
    hours: WorkingHours | None = None,
    guard: bool | GuardRules = True,
) -> list[Ranked[S]]:
    """Rank ``items`` at ``now``: the first is what to do next.

    Done and dropped items, and items deferred past ``now``, are left out. Ties are broken by
    the longer wait, then by id, so the order is deterministic whatever order the pile came in.
    With ``explain`` false no reasons are built, which is what a re-rank on every keystroke
    wants; with ``limit`` only the first ``limit`` places are returned (``next`` needs one).

    With ``hours`` waiting is counted in working time — only within those hours, and not
    while an item waits on the customer or is deferred (its clock: ``waited_minutes`` and
    ``clock_at`` when it has them) — as techqueue itself ranks; without, on the wall clock
    from ``received_at``.

    The deadline guard (``weights.deadline_guard``; ``guard=False`` turns it off for one call)
    then moves an item ahead of its score when serving the queue in score order would make it
    start past three response targets; such an entry carries ``must_start_by``. It counts the
    work already done on an item from its optional ``spent_minutes``.
    """
    collecting = gc.isenabled()
    if collecting:
        # A ranking makes an object or two per item, all of which live on: the cyclic
        # collector would walk them (and everything else alive) again and again as they are
        # made, a third of the time of a large pile. Nothing made here is cyclic garbage.
        gc.disable()
    try:
        return _rank(items, now, weights, explain, limit, hours, guard)
    finally:
        if collecting:
            gc.enable()


def _rank(
    items: Iterable[S],
    now: datetime,
    weights: Weights | None,
    explain: bool,
    limit: int | None,
    hours: WorkingHours | None,
    guard: bool | GuardRules,
) -> list[Ranked[S]]:
    weights = weights or Weights()
    clock = None if hours is None else work_clock(hours, now.tzinfo)
    guarding = guard is not False and weights.deadline_guard
    rules = None if guard is True or guard is False else guard
    if not explain:
        return _rank_fast(items, now, weights, clock, guarding, rules, limit)
    if limit is None:
        # The whole queue explained (``list --json``): ordered as without reasons, each entry
        # then explained from the tier its scoring put it in (the reference,
        # ``_rank_reference(explain=True)``, sorts tuples factor by factor; the tests hold the
        # two to the bit, reasons and all).
        tiers: dict[int, int] = {}
        ranked = _rank_fast(items, now, weights, clock, guarding, rules, limit, tiers)
        said: dict[tuple[str, float, bool], Reason] = {}
        aged: dict[tuple[str, float, bool], Reason] = {}
        working = clock is not None
        for entry in ranked:
            entry.reasons = _explain(
                entry.item, now, weights, entry.waited, tiers[id(entry)], working, said, aged
            )
            if entry.must_start_by is not None:
                say_guard(entry, now, weights)
        return ranked
    # Only the first places are wanted (``next`` wants one): ordered as without reasons, and
    # only those explained, each scored again factor by factor for its tier.
    ranked = _rank_fast(items, now, weights, clock, guarding, rules, limit)
    _explain_ranked(ranked, now, weights, clock)
    return ranked


def explain_ranked(
    entries: Iterable[Ranked[S]],
    now: datetime,
    weights: Weights | None = None,
    *,
    hours: WorkingHours | None = None,
) -> None:
    """Give entries ranked without reasons (by ``rank(..., explain=False)`` at ``now``, with
    these weights and hours) the reasons ``rank(...)`` would have given them: the first
    places of a long queue are explained without explaining the rest."""
    weights = weights or Weights()
    _explain_ranked(entries, now, weights, None if hours is None else work_clock(hours, now.tzinfo))


def _explain_ranked(
    entries: Iterable[Ranked[S]], now: datetime, weights: Weights, clock: WorkClock | None
) -> None:
    said: dict[tuple[str, float, bool], Reason] = {}
    for entry in entries:
        [(tier, _, _, _, _)] = _score_all((entry.item,), now, weights, clock)
        entry.reasons = _explain(
            entry.item, now, weights, entry.waited, -tier, clock is not None, said
        )
        say_guard(entry, now, weights)


def _rank_reference(
    items: Iterable[S],
    now: datetime,
    weights: Weights,
    clock: WorkClock | None,
    guarding: bool,
    rules: GuardRules | None,
    limit: int | None,
    *,
    explain: bool,
) -> list[Ranked[S]]:
    """The ranking factor by factor: every item scored into a sort key tuple, the tuples
    sorted. The reasons are built on it; without them :func:`_rank_fast` gives the same."""
    scored = _score_all(items, now, weights, clock)
    deadlines: dict[int, datetime] = {}
    if guarding:
        scored.sort(key=_sort_key)
        deadlines = _guard(scored, now, weights, clock, rules, limit)
        if limit is not None:
            del scored[max(limit, 0) :]
    elif limit is not None and limit < len(scored):
        scored = heapq.nsmallest(max(limit, 0), scored, key=_sort_key)
    else:
        scored.sort(key=_sort_key)
    offsets, names = _OFFSETS, _NAMES
    if not explain:
        ranked = [
            Ranked(item.id, item, position, offsets[-tier] - points, names[-tier], (), -wait)
            for position, (tier, points, wait, _, item) in enumerate(scored, start=1)
        ]
    else:
        # The sentences that repeat across a queue (each severity's, each estimate's), made
        # once per ranking: asking a cache keyed by the weights would hash them every time.
        said: dict[tuple[str, float, bool], Reason] = {}
        # The aging sentence, by severity, wait and whether the item can be late: items that
        # arrived in the same minute have waited alike (a queue of 10,000 has ~2,000 waits).
        aged: dict[tuple[str, float, bool], Reason] = {}
        ranked = [
            Ranked(
                item.id,
                item,
                position,
                offsets[-tier] - points,
                names[-tier],
                _explain(item, now, weights, -wait, -tier, clock is not None, said, aged),
                -wait,
            )
            for position, (tier, points, wait, _, item) in enumerate(scored, start=1)
        ]
    if deadlines:
        for entry in ranked:
            entry.must_start_by = deadlines.get(id(entry.item))
            if explain:
                say_guard(entry, now, weights)
    return ranked


def _rank_fast(
    items: Iterable[S],
    now: datetime,
    weights: Weights,
    clock: WorkClock | None,
    guarding: bool,
    rules: GuardRules | None,
    limit: int | None,
    tiers: dict[int, int] | None = None,
) -> list[Ranked[S]]:
    """:func:`_rank_reference` without reasons, made for a large pile: each entry is made as
    its item is scored (in the pile's order, which is the order its items lie in memory),
    each tier's entries are sorted by their points alone (a float per entry, which compares
    several times faster than a tuple), ties within a tier being rare and sorted as the
    reference sorts them, and the entries are numbered once their order is known. Given
    ``tiers``, each entry's tier is put in it by the entry's ``id()``."""
    buckets, keys, active = _score_entries(items, now, weights, clock)
    ranked: list[Ranked[S]] = []
    actionable = 0
    for tier in range(63, -1, -1):
        entries = buckets[tier]
        if entries:
            if tiers is not None:
                tiers.update(dict.fromkeys(map(id, entries), tier))
            _sort_tier(entries, keys[tier])
            ranked += entries
            if tier & _ACTIONABLE:
                actionable = len(ranked)
    if guarding and actionable > 1:
        for position, entry in enumerate(ranked, start=1):
            entry.rank = position
        # the job in hand: the first active item in score order
        in_hand = min(entry.rank for entry in active) - 1 if active else None
        planned = _guard_plan(
            ranked[:actionable],
            in_hand,
            view=_entry_view,
            now=now,
            weights=weights,
            clock=clock,
            rules=rules,
            limit=limit,
        )
        if planned is not None:
            order, deadlines = planned
            ranked[:actionable] = order
            for entry, start_by in deadlines:
                entry.must_start_by = start_by
        elif limit is None or limit >= len(ranked):
            return ranked
    if limit is not None:
        del ranked[max(limit, 0) :]
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
    return ranked


def _sort_tier(entries: list[Ranked[Any]], keys: list[float]) -> None:
    """Sort one tier's entries as :data:`_sort_key` sorts them: by ``keys`` (their points,
    negated), then the longer wait, then the id.

    Within a tier the score is the points plus one offset, so the higher score comes first
    whenever the scores differ; and floats alone compare several times faster than tuples.
    When two entries have the same score (rare, but for identical items) the whole key
    decides."""
    scores = list(map(_score_of, entries))
    if len(set(scores)) == len(scores):
        entries.sort(key=_score_of, reverse=True)
        return
    decorated = sorted(
        zip(
            keys,
            [-entry.waited for entry in entries],
            [entry.id for entry in entries],
            range(len(entries)),
            strict=False,
        )
    )
    entries[:] = [entries[key[3]] for key in decorated]


_score_of = operator.attrgetter("score")


def _guard(
    scored: list[tuple[int, float, float, Any, S]],
    now: datetime,
    weights: Weights,
    clock: WorkClock | None,
    rules: GuardRules | None,
    limit: int | None,
) -> dict[int, datetime]:
    """Reorder ``scored`` (sorted) as the deadline guard plans it; returns the moment each
    item it moved ahead must start by, keyed by ``id()`` of the item."""
    # Sorted by tier first, and "can be worked on" is the tier's highest bit: the items that
    # can be worked on are the first ones, found by halving rather than by a walk of all.
    actionable = scored[: bisect.bisect_right(scored, -_ACTIONABLE, key=operator.itemgetter(0))]
    in_hand = next((k for k, e in enumerate(actionable) if e[4].status == "active"), None)
    planned = _guard_plan(
        actionable,
        in_hand,
        view=_tuple_view,
        now=now,
        weights=weights,
        clock=clock,
        rules=rules,
        limit=limit,
    )
    if planned is None:
        return {}
    order, pulled = planned
    scored[: len(actionable)] = order
    return {id(entry[4]): start_by for entry, start_by in pulled}


E = TypeVar("E")


def _entry_view(entry: Ranked[Any]) -> tuple[Any, float]:
    return entry.item, entry.waited


def _tuple_view(entry: tuple[int, float, float, Any, Any]) -> tuple[Any, float]:
    return entry[4], -entry[2]


def _guard_plan(
    actionable: Sequence[E],
    in_hand: int | None,
    *,
    view: Callable[[E], tuple[Any, float]],
    now: datetime,
    weights: Weights,
    clock: WorkClock | None,
    rules: GuardRules | None,
    limit: int | None,
) -> tuple[list[E], list[tuple[E, datetime]]] | None:
    """The deadline guard's order of ``actionable`` (the entries that can be worked on, in
    score order; ``view`` gives each one's item and wait; ``in_hand`` is the place of the job
    in hand), and the entries it pulled ahead with the moment each must start by; ``None``
    when it moves nobody."""
    from techqueue.core import guard

    if len(actionable) < 2:
        return None
    chosen = rules or guard.rules_for(weights)

    def rows() -> Iterator[guard.Row]:
        row_of = guard.row_of
        for key, entry in enumerate(actionable):
            item, wait = view(entry)
            yield row_of(key, item, wait, weights, in_hand=key == in_hand)

    if chosen.in_overload == "stand aside" and guard.overloaded(rows(), chosen):
        return None  # a long queue is over the line after its first few jobs: nothing to move
    planned = list(rows())
    laid = guard.plan(
        planned,
        in_hand=in_hand,
        switch_cost=weights.switch_cost_minutes,
        rules=chosen,
        limit=None if limit is None else limit + 1,
    )
    if not laid.pulled and not laid.put_aside:
        return None
    order = list(laid.order)
    if in_hand is not None and not laid.put_aside:
        # The job in hand goes on: it keeps its place by rank, but before anything the guard
        # pulled ahead, which is to follow it.
        order.remove(in_hand)
        first_pulled = next((i for i, key in enumerate(order) if key in laid.pulled), len(order))
        order.insert(min(in_hand, first_pulled), in_hand)
    placed = set(order)
    return (
        [actionable[key] for key in order]
        + [entry for key, entry in enumerate(actionable) if key not in placed],
        [
            (actionable[key], _after(now, planned[key].start_by, clock))
            for key in sorted(laid.pulled)
        ],
    )


def _after(now: datetime, minutes: float, clock: WorkClock | None) -> datetime:
    """``minutes`` after ``now``, working ones on ``clock`` (wall-clock ones without)."""
    if clock is None:
        return now + timedelta(minutes=minutes)
    return clock.after(now, minutes)


def guard_reason(entry: Ranked[Any], now: datetime, weights: Weights) -> Reason | None:
    """Why the deadline guard put ``entry`` where it is (``None``: it did not), with no
    points, since its score did not change: what an item explained on its own, apart from the
    queue that placed it, adds to its reasons."""
    due = entry.must_start_by
    if due is None:
        return None
    local = due.astimezone(now.tzinfo)
    day = "" if local.date() == now.date() else f"{local:%a} "
    target = weights.response_target_minutes[entry.item.severity]
    return Reason(
        "guard",
        0.0,
        f"must start by {day}{local:%H:%M}, or it waits past 3× its "
        f"{format_duration(target)} target",
    )


def say_guard(
    entry: Ranked[Any], now: datetime, weights: Weights, placed: Ranked[Any] | None = None
) -> None:
    """Add to ``entry``'s reasons why the deadline guard put it where it is (or put
    ``placed``, the same item as its queue placed it, explained apart from it), if it did."""
    reason = guard_reason(entry if placed is None else placed, now, weights)
    if reason is not None:
        entry.reasons = (*entry.reasons, reason)


#: Tier, points, wait, id: the item itself is never compared (ids may be of any sortable type).
_sort_key = operator.itemgetter(0, 1, 2, 3)


def _minutes(later: datetime, earlier: datetime) -> float:
    """Minutes from ``earlier`` to ``later``; a naive time is local time."""
    return (later.timestamp() - earlier.timestamp()) / 60.0


def effective_estimate(item: Scorable, weights: Weights) -> float:
    """The minutes of work the ranking counts: the item's estimate (never below a second),
    or its severity's default when it has none."""
    estimate = item.estimate_minutes
    if estimate is None:
        return weights.default_estimate_minutes[item.severity]
    return max(float(estimate), _EPSILON_MINUTES)


# A tier is a small number whose bits say: can be worked on (16), pinned (8), critical work
# seen first — a VIP's, or an outage stopping many people (4) —, VIP (2) and quick win (1).
# Items are sorted by tier first, so no amount of points crosses one: a VIP's critical work,
# then outages, then the rest of the VIPs' work, then quick wins, then everything else. A booked
# appointment whose time has come goes above them all: the customer was given that time.
_ACTIONABLE, _APPOINTMENT, _PINNED, _CRITICAL, _VIP, _QUICK = 32, 16, 8, 4, 2, 1


def _tier_offset(tier: int) -> float:
    """The points a tier adds to the score, so the score orders items as their rank does."""
    offset = _WAITING_OFFSET if not tier & _ACTIONABLE else 0.0
    offset += _APPOINTMENT_OFFSET if tier & _APPOINTMENT else 0.0
    offset += _PINNED_OFFSET if tier & _PINNED else 0.0
    offset += _CRITICAL_OFFSET if tier & _CRITICAL else 0.0
    offset += _VIP_OFFSET if tier & _VIP else 0.0
    return offset + (_QUICK_OFFSET if tier & _QUICK else 0.0)


def _tier_name(tier: int) -> str:
    if not tier & _ACTIONABLE:
        return "waiting"
    if tier & _APPOINTMENT:
        return "appointment"
    if tier & _PINNED:
        return "pinned"
    if tier & _VIP:
        return "vip"
    if tier & _CRITICAL:
        return "outage"
    return "quick" if tier & _QUICK else "queue"


_OFFSETS = [_tier_offset(tier) for tier in range(64)]
_NAMES = [_tier_name(tier) for tier in range(64)]


def _score_all(
    items: Iterable[S], now: datetime, weights: Weights, clock: WorkClock | None
) -> list[tuple[int, float, float, Any, S]]:
    """Sort entries ``(-tier, -points, -wait, id, item)`` for the items that rank at ``now``,
    in no particular order: what the reference ranking sorts and the guard plans, scored by
    the one scoring loop (:func:`_score_entries`)."""
    buckets, keys, _ = _score_entries(items, now, weights, clock)
    return [
        (-tier, key, -entry.waited, entry.id, entry.item)
        for tier in range(64)
        for entry, key in zip(buckets[tier], keys[tier], strict=True)
    ]


def _score_entries(
    items: Iterable[S], now: datetime, weights: Weights, clock: WorkClock | None
) -> tuple[list[list[Ranked[S]]], list[list[float]], list[Ranked[S]]]:
    """The score of every item that ranks at ``now``, made into entries: for each tier (0 to
    63) the entries, not yet numbered, and each one's sort key (its points, negated); and the
    entries of the active items.

    This is the hot loop of every re-rank, so everything per-call is looked up once and the
    aging and deadline curves are written out inline; the explanation path computes each
    factor with the :class:`Weights` methods instead, and tests check that the two agree (the
    reasons add up to the score)."""
    now_ts = now.timestamp()
    per_severity = {
        severity: (
            weights.severity_value[severity],
            1.0 / weights.response_target_minutes[severity],
            weights.default_estimate_minutes[severity],
        )
        for severity in SEVERITIES
    }
    exponent = weights.estimate_exponent
    unit_exponent = exponent == 1.0
    linear, quadratic = weights.aging_linear, weights.aging_quadratic
    horizon = weights.deadline_horizon_minutes
    due_weight, promise_weight = weights.due_weight, weights.promise_weight
    quick = weights.quick_win_minutes
    vip_tier = weights.vip_tier
    outage_people = weights.outage_people
    impact_weight, vip_weight = weights.impact_weight, weights.vip_weight
    bump_points = POINTS_PER_E * math.log(weights.bump_factor)
    cost_factors: dict[str | None, float] = {"high": weights.cost_high, "low": weights.cost_low}
    mine_points = weights.mine * bump_points
    log, log2 = math.log, math.log2
    ranked_statuses = RANKED_STATUSES
    reference, epsilon = _ESTIMATE_REFERENCE_MINUTES, _EPSILON_MINUTES
    offsets, names = _OFFSETS, _NAMES
    make = Ranked
    no_reasons = ()
    if clock is not None:
        position, now_position = clock.position, clock.position(now)
    buckets: list[list[Ranked[S]]] = [[] for _ in range(64)]
    keys: list[list[float]] = [[] for _ in range(64)]
    active: list[Ranked[S]] = []
    add_entry = [bucket.append for bucket in buckets]
    add_key = [bucket.append for bucket in keys]
    for item in items:
        status = item.status
        if status not in ranked_statuses:
            continue
        deferred = item.deferred_until
        if deferred is not None and deferred.timestamp() > now_ts:
            continue
        severity = item.severity
        try:
            value, inverse_target, default = per_severity[severity]
        except KeyError:
            raise ValueError(f"item {item.id!r}: unknown severity {severity!r}") from None
        estimate = item.estimate_minutes
        if estimate is None:
            estimate = default
        elif estimate < epsilon:
            estimate = epsilon
        if clock is None:
            wait = (now_ts - item.received_at.timestamp()) / 60.0
        else:  # working time, on the item's own clock (worktime.waited_minutes, inlined)
            wait = getattr(item, "waited_minutes", 0.0) or 0.0
            if status != "waiting":
                since = getattr(item, "clock_at", None) or item.received_at
                if deferred is not None and deferred > since:
                    since = deferred
                ran = now_position - position(since)
                if ran > 0:
                    wait += ran
        ratio = wait * inverse_target if wait > 0 else 0.0
        factor = value * (1.0 + linear * ratio)
        if ratio > 1.0:
            factor += value * quadratic * (ratio - 1.0) * (ratio - 1.0)
        # (x ** 1.0 is x exactly: the power is left out for the usual exponent)
        factor /= estimate / reference if unit_exponent else (estimate / reference) ** exponent
        impact = item.impact
        if impact > 1:
            factor *= 1.0 + impact_weight * log2(impact)
        vip = item.vip
        if vip and not vip_tier:
            factor *= vip_weight
        cost = cost_factors.get(getattr(item, "cost", None))
        if cost is not None:
            factor *= cost
        due = item.due_at
        if due is not None:
            left = (due.timestamp() - now_ts) / 60.0
            factor *= 1.0 + due_weight * (
                horizon / (horizon + left) if left >= 0 else 1.0 - left / horizon
            )
        promise = item.promise_due_at
        if promise is not None:
            left = (promise.timestamp() - now_ts) / 60.0
            factor *= 1.0 + promise_weight * (
                horizon / (horizon + left) if left >= 0 else 1.0 - left / horizon
            )
        points = POINTS_PER_E * log(factor)
        bump = item.bump
        if bump:
            points += bump * bump_points
        if mine_points and getattr(item, "mine", False):
            points += mine_points
        tier = (
            (
                0
                if status == "waiting"
                else _ACTIONABLE
                | (_APPOINTMENT if getattr(item, "appointment_at", None) is not None else 0)
            )
            | (_PINNED if item.pinned else 0)
            | (
                _CRITICAL
                if vip_tier and severity == "critical" and (vip or impact >= outage_people)
                else 0
            )
            | (_VIP if vip and vip_tier else 0)
            | (_QUICK if estimate <= quick else 0)
        )
        entry = make(item.id, item, 0, offsets[tier] + points, names[tier], no_reasons, wait)
        add_entry[tier](entry)
        add_key[tier](-points)
        if status == "active":
            active.append(entry)
    return buckets, keys, active


def waited(item: Scorable, now: datetime, hours: WorkingHours | None = None) -> float:
    """Minutes the item has waited at ``now``: working time on its own clock with ``hours``
    (as :func:`rank` counts it), wall-clock time since it arrived without."""
    if hours is None:
        return max((now.timestamp() - item.received_at.timestamp()) / 60.0, 0.0)
    return waited_minutes(item, now, work_clock(hours, now.tzinfo))


def late_minutes(item: Scorable, wait: float, weights: Weights) -> float:
    """How far past its response target an item waits, having ``wait`` minutes: a response
    is the start of work, so only an item still open and never started can be late."""
    if item.status != "open" or getattr(item, "started_at", None) is not None:
        return 0.0
    return max(wait - weights.response_target_minutes[item.severity], 0.0)


def requester_name(item: Scorable) -> str:
    """Who asked, for sentences: the optional ``requester`` (a name, or an object with a
    ``.name``), or "" when the item has none."""
    requester = getattr(item, "requester", None)
    if requester is None:
        return ""
    name = getattr(requester, "name", requester)
    return str(name) if name else ""


def _explain(
    item: Scorable,
    now: datetime,
    weights: Weights,
    wait: float,
    tier: int,
    working: bool,
    said: dict[tuple[str, float, bool], Reason],
    aged: dict[tuple[str, float, bool], Reason] | None = None,
) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    estimate = effective_estimate(item, weights)
    if not tier & _ACTIONABLE:
        reasons.append(Reason("waiting", _WAITING_OFFSET, _waiting_detail(item)))
    if tier & _APPOINTMENT:
        reasons.append(_appointment_reason(item, now))
    if tier & _PINNED:
        reasons.append(Reason("pinned", _PINNED_OFFSET, "pinned by hand"))
    if item.vip:
        who = requester_name(item)
        label = f"VIP: {who}" if who else "VIP"
        if tier & _CRITICAL:
            reasons.append(
                Reason(
                    "vip", _VIP_OFFSET + _CRITICAL_OFFSET, f"{label}, critical: seen first of all"
                )
            )
        elif tier & _VIP:
            reasons.append(Reason("vip", _VIP_OFFSET, f"{label}, seen first"))
        else:
            reasons.append(Reason("vip", _pts(weights.vip_weight), label))
    elif tier & _CRITICAL:
        reasons.append(
            Reason(
                "outage",
                _CRITICAL_OFFSET,
                f"outage: stops {item.impact} people, seen before the VIPs' other work",
            )
        )
    if tier & _QUICK:
        reasons.append(
            Reason("quick_win", _QUICK_OFFSET, f"quick win: ~{format_duration(estimate)}")
        )
    key = (item.severity, 0.0, False)
    found = said.get(key)
    if found is None:
        found = said[key] = _severity_reason(weights, item.severity)
    reasons.append(found)
    if item.impact > 1:
        reasons.append(
            Reason(
                "impact",
                _pts(1.0 + weights.impact_weight * math.log2(item.impact)),
                f"affects {item.impact} people",
            )
        )
    cost = getattr(item, "cost", None)
    if cost in ("high", "low"):
        reasons.append(_business_reason(item, cost, weights))
    key = ("", estimate, item.estimate_minutes is None)
    found = said.get(key)
    if found is None:
        found = said[key] = _estimate_reason(weights, estimate, default=key[2])
    reasons.append(found)
    severity = item.severity
    can_be_late = item.status == "open" and getattr(item, "started_at", None) is None
    if aged is None:
        reasons.append(aging_reason(weights, severity, wait, can_be_late, working))
    else:
        key = (severity, wait, can_be_late)
        found = aged.get(key)
        if found is None:
            found = aged[key] = aging_reason(weights, severity, wait, can_be_late, working)
        reasons.append(found)
    if item.due_at is not None:
        left = _minutes(item.due_at, now)
        reasons.append(
            Reason(
                "due",
                _pts(weights.deadline_factor(left, weights.due_weight)),
                f"due in {format_duration(left)}"
                if left >= 0
                else f"overdue by {format_duration(-left)}",
            )
        )
    if item.promise_due_at is not None:
        left = _minutes(item.promise_due_at, now)
        who = requester_name(item)
        to = f" to {who}" if who else ""
        reasons.append(
            Reason(
                "promise",
                _pts(weights.deadline_factor(left, weights.promise_weight)),
                f"promise{to} due in {format_duration(left)}"
                if left >= 0
                else f"promise{to} broken {format_duration(-left)} ago",
            )
        )
    if item.bump:
        reasons.append(
            Reason(
                "bump",
                POINTS_PER_E * item.bump * math.log(weights.bump_factor),
                f"bumped {item.bump:+g} by hand",
            )
        )
    if weights.mine and getattr(item, "mine", False):
        reasons.append(
            Reason(
                "mine",
                POINTS_PER_E * weights.mine * math.log(weights.bump_factor),
                "yours: you started it",
            )
        )
    return tuple(reasons)


def aging_reason(
    weights: Weights, severity: str, wait: float, can_be_late: bool, working: bool
) -> Reason:
    """How long an item of ``severity`` has waited (``wait`` minutes, in working time when
    ``working``) against its target; ``can_be_late``: it is open and was never started (as
    :func:`late_minutes` has it). Depends on these alone, so one ranking makes each once."""
    target = weights.response_target_minutes[severity]
    say = working_duration if working else format_duration
    late = max(wait - target, 0.0) if can_be_late else 0.0
    if wait < 1:
        detail = f"just arrived; its target is {say(target)}"
    elif late > 0:
        shown_wait = say(wait) + (" of working time" if working else "")
        detail = f"late {say(late)}: waiting {shown_wait}, past its {say(target)} target"
    elif wait > target:
        shown_wait = say(wait) + (" of working time" if working else "")
        detail = f"waiting {shown_wait}, past its {say(target)} target"
    else:
        detail = f"waiting {say(wait)} of its {say(target)} target" + (
            ", in working time" if working else ""
        )
    return Reason("aging", _pts(weights.aging_factor(wait, target)), detail)


def _business_reason(item: Scorable, cost: str, weights: Weights) -> Reason:
    """What the business loses while it waits, and who said so (the item's own ``cost:``, its
    requester's or organisation's weight in the config)."""
    from techqueue.core.business import business_cost

    found = business_cost(
        getattr(item, "tags", ()),
        requester_name(item) or None,
        getattr(item, "requester_email", None),
        weights.business_requesters,
        weights.business_organisations,
    )
    source = f" ({found[1]})" if found is not None and found[0] == cost else ""
    factor = weights.cost_high if cost == "high" else weights.cost_low
    return Reason("business", _pts(factor), f"business impact {cost}{source}")


def _waiting_detail(item: Scorable) -> str:
    """``waiting on the customer``, or on whom else it is out with (``wait --on``)."""
    who = getattr(item, "waiting_on", None)
    if not who:
        return "waiting on the customer"
    kind = getattr(item, "waiting_kind", None)
    return f"waiting on {'' if kind in (None, 'person') else kind + ' '}{who}"


def _appointment_reason(item: Scorable, now: datetime) -> Reason:
    """``appointment at 14:00`` (with the day when it is not today's, ``missed`` once it
    has begun without the item being finished)."""
    at: datetime = getattr(item, "appointment_at")  # noqa: B009 - not in the protocol
    local = at.astimezone(now.tzinfo)
    day = "" if local.date() == now.date() else f"{local:%a} "
    detail = f"appointment at {day}{local:%H:%M}"
    if at < now:
        detail += f", began {format_duration(_minutes(now, at))} ago"
    return Reason("appointment", _APPOINTMENT_OFFSET, detail)


def _severity_reason(weights: Weights, severity: str) -> Reason:
    return Reason("severity", _pts(weights.severity_value[severity]), f"{severity} severity")


def _estimate_reason(weights: Weights, estimate: float, *, default: bool) -> Reason:
    suffix = " (default for its severity)" if default else ""
    return Reason(
        "estimate",
        -weights.estimate_exponent * _pts(estimate / _ESTIMATE_REFERENCE_MINUTES),
        f"about {format_duration(estimate)} of work{suffix}",
    )


def _pts(factor: float) -> float:
    return POINTS_PER_E * math.log(factor)
