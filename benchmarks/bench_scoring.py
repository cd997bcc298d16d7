"""How fast ``rank`` is on large piles, against a plain ``sorted()`` of the same items.

Run from the repository root::

    python -m benchmarks.bench_scoring            # 10k and 100k items
    python -m benchmarks.bench_scoring --sizes 1000 10000 --runs 9

Piles are seeded, so every run ranks the same items. Each figure is the CPU time of this
process (``time.process_time``: the machine is shared, and CPU time does not count the time
another process had the core), the median and the best of several runs. The baseline is
``sorted()`` of the same items by a key computed beforehand: the floor of any ranking in pure
Python, and a yardstick that moves with the machine, so the ratio means more than the
milliseconds. Nothing here asserts a time.

Ranking 100,000 items is timed two ways: ``rank()`` from scratch (every item's fields read,
every entry made), and the issue's way, from the parts of each score kept between rankings
(``Reranker.at`` a minute after the last ranking: only the clock-dependent part worked out,
the entries made as they are looked at), with and without every row then read.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from techqueue.scoring import rank

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FRAME_MS = 16.0
SEVERITIES = ("critical", "high", "normal", "low")
STATUSES = ("open", "open", "open", "open", "active", "paused", "waiting", "done", "dropped")
CHANNELS = ("desk", "phone", "ticket", "email", "chat")


def make_pile(size: int, seed: int = 2026) -> list[SimpleNamespace]:
    """A pile of ``size`` items shaped like a busy service desk's backlog."""
    rng = random.Random(seed)
    pile = []
    for number in range(1, size + 1):
        received = NOW - timedelta(minutes=rng.expovariate(1 / 600))
        estimate = None if rng.random() < 0.3 else math.exp(rng.uniform(math.log(0.5), 6.0))
        due = NOW + timedelta(minutes=rng.uniform(-600, 2880)) if rng.random() < 0.2 else None
        promise = NOW + timedelta(minutes=rng.uniform(-60, 480)) if rng.random() < 0.1 else None
        deferred = NOW + timedelta(minutes=rng.uniform(-600, 600)) if rng.random() < 0.05 else None
        pile.append(
            SimpleNamespace(
                id=number,
                vip=rng.random() < 0.05,
                severity=rng.choices(SEVERITIES, weights=(1, 4, 12, 6))[0],
                impact=1 if rng.random() < 0.9 else rng.randint(2, 200),
                estimate_minutes=estimate,
                received_at=received,
                due_at=due,
                pinned=rng.random() < 0.01,
                deferred_until=deferred,
                promise_due_at=promise,
                status=rng.choice(STATUSES),
                bump=0 if rng.random() < 0.95 else rng.choice((-2, -1, 1, 2, 3)),
                requester=f"Person {rng.randint(1, 500)}",
                channel=rng.choice(CHANNELS),
            )
        )
    return pile


def median_ms(action: Callable[[], Any], runs: int) -> float:
    """The median wall time of ``action`` over ``runs`` runs, after one warm-up."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cpu_ms(action: Callable[[], Any], runs: int) -> tuple[float, float]:
    """The median and the best CPU time of ``action`` over ``runs`` runs, after one warm-up:
    CPU time, since on a shared machine the wall clock counts the other processes too."""
    action()
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times), min(times)


def baseline_ms(pile: list[SimpleNamespace], runs: int) -> float:
    """``sorted()`` of the pile by a key computed beforehand, the floor of any ranking: the
    median CPU time."""
    return baseline_cpu_ms(pile, runs)[0]


def baseline_cpu_ms(pile: list[SimpleNamespace], runs: int) -> tuple[float, float]:
    """:func:`baseline_ms` in CPU time, median and best."""
    rng = random.Random(len(pile))
    keys = {item.id: rng.random() for item in pile}
    return cpu_ms(lambda: sorted(pile, key=lambda item: keys[item.id]), runs)


def from_scratch_cpu_ms(pile: list[SimpleNamespace], runs: int) -> tuple[float, float]:
    """``rank(pile, NOW, explain=False)``: every item read and scored, every entry made."""
    return cpu_ms(lambda: rank(pile, NOW, explain=False), runs)


def rerank_one_ms(pile: list[SimpleNamespace], runs: int) -> float:
    """The median CPU time to rank the pile again, without reasons, after one item changed (a
    bump, as a key press makes it), at the same moment: the kept ranking
    (``core.reranker.Reranker``) moves the one item."""
    rng = random.Random(len(pile))
    try:
        import techqueue.core.reranker  # noqa: F401 - only whether there is one
    except ImportError:  # a techqueue from before the kept ranking: rank from scratch

        def change_and_rank() -> object:
            changed = rng.choice(pile)
            changed.bump = 1 if changed.bump != 1 else 0
            return rank(pile, NOW, explain=False)

        return cpu_ms(change_and_rank, runs)[0]

    return cpu_ms(_one_bump(pile), max(runs, 5))[0]


def kept_cpu_ms(
    pile: list[SimpleNamespace], runs: int, *, every_row: bool = False
) -> tuple[float, float]:
    """The CPU time to rank the pile again a minute after the last ranking, with nothing
    changed (median, best): the issue's way, from the kept parts of each score
    (``Reranker.at``, which works out only the clock-dependent part and makes each entry when
    it is looked at). With ``every_row`` every entry is then read, as a caller walking the
    whole queue would: what making all the entries adds."""
    from techqueue.core.reranker import Reranker

    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile, NOW)
    if not hasattr(kept, "at"):  # a techqueue from before Reranker.at
        return math.nan, math.nan
    moment = [NOW]

    def a_minute_later() -> object:
        moment[0] += timedelta(minutes=1)
        rows = kept.at(moment[0])
        return list(rows) if every_row else rows

    return cpu_ms(a_minute_later, runs)


def later_ms(pile: list[SimpleNamespace], runs: int) -> float:
    """:func:`kept_cpu_ms`'s median."""
    return kept_cpu_ms(pile, runs)[0]


def phases(pile: list[SimpleNamespace], runs: int) -> list[tuple[str, float]]:
    """What each step of ``rank(pile, NOW, explain=False)`` costs (median ms, the cyclic
    collector paused as ``rank`` pauses it): scoring the items and making their entries,
    sorting each tier, the deadline guard, numbering the entries. These are the module's
    private steps, timed one by one: for reading, never for a test."""
    import gc

    from techqueue import scoring
    from techqueue.scoring import Weights

    weights = Weights()
    gc.disable()
    try:
        scored_ms = median_ms(lambda: scoring._score_entries(pile, NOW, weights, None), runs)
        buckets, keys, active = scoring._score_entries(pile, NOW, weights, None)

        def sort() -> list[Any]:
            ranked: list[Any] = []
            for tier in range(63, -1, -1):
                entries = list(buckets[tier])
                if entries:
                    scoring._sort_tier(entries, keys[tier])
                    ranked += entries
            return ranked

        sort_ms = median_ms(sort, runs)
        ranked = sort()
        actionable = len(ranked) - len(buckets[0])

        def number() -> None:
            for position, entry in enumerate(ranked, start=1):
                entry.rank = position

        number_ms = median_ms(number, runs)
        guard_ms = median_ms(
            lambda: scoring._guard_plan(
                ranked[:actionable],
                min(entry.rank for entry in active) - 1 if active else None,
                view=scoring._entry_view,
                now=NOW,
                weights=weights,
                clock=None,
                rules=None,
                limit=None,
            ),
            runs,
        )
    finally:
        gc.enable()
    return [
        ("  scoring, making the entries", scored_ms),
        ("  sorting each tier", sort_ms),
        ("  the deadline guard", guard_ms),
        ("  numbering the entries", number_ms),
    ]


def bench(size: int, runs: int, *, show_phases: bool = False) -> list[tuple[str, float, float]]:
    """(label, median CPU ms, best CPU ms) for the baseline and each way of ranking one pile
    (the phases, when asked for, in median wall ms, as both figures)."""
    pile = make_pile(size)
    more = max(runs, 9)  # (the quick ones: more runs for the same time)
    rows = [
        ("sorted() by a precomputed key", *baseline_cpu_ms(pile, more)),
        ("rank(explain=False) from scratch", *from_scratch_cpu_ms(pile, runs)),
    ]
    if show_phases:
        rows += [(label, ms, ms) for label, ms in phases(pile, runs)]
    return [
        *rows,
        ("rank(explain=True)", *cpu_ms(lambda: rank(pile, NOW, explain=True), runs)),
        ("kept: at() a minute later", *kept_cpu_ms(pile, more)),
        ("kept: at(), every row read", *kept_cpu_ms(pile, more, every_row=True)),
        ("kept: changed() (one bump)", *cpu_ms(_one_bump(pile), max(more, 15))),
    ]


def _one_bump(pile: list[SimpleNamespace]) -> Callable[[], object]:
    """A kept ranking of the pile and what changes one item and re-ranks it (as
    :func:`rerank_one_ms` times it)."""
    from techqueue.core.reranker import Reranker

    rng = random.Random(len(pile))
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile, NOW)

    def change_and_rerank() -> object:
        changed = rng.choice(pile)
        changed.bump = 1 if changed.bump != 1 else 0
        return kept.changed(changed)

    return change_and_rerank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=0, help="runs per figure (default: by size)")
    parser.add_argument(
        "--phases", action="store_true", help="also time each step of rank(explain=False)"
    )
    args = parser.parse_args(argv)

    print(
        f"techqueue scoring benchmark - Python {platform.python_version()} on {platform.machine()}"
    )
    print("CPU time of this process, median and best of the runs")
    print(f"{'items':>8}  {'what':<34} {'median ms':>10} {'best ms':>8} {'x sorted()':>11}")
    frame_verdict = ""
    for size in args.sizes:
        runs = args.runs or (9 if size <= 20_000 else 3)
        rows = bench(size, runs, show_phases=args.phases)
        baseline = rows[0][1]
        for label, ms, best in rows:
            print(f"{size:>8}  {label:<34} {ms:>10.1f} {best:>8.1f} {ms / baseline:>10.2f}x")
            if size == 10_000 and label == "rank(explain=False) from scratch":
                fits = "fits" if ms <= FRAME_MS else "does not fit"
                frame_verdict = (
                    f"10k re-rank (explain=False): {ms:.1f} ms, {fits} a {FRAME_MS:g} ms frame"
                )
    if frame_verdict:
        print(frame_verdict)
    return 0


if __name__ == "__main__":
    sys.exit(main())
