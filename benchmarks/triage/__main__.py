"""``python -m benchmarks.triage [--json] [--seeds N] [--quick]``: the policy table
(``--guard``: issue 19's targets for the deadline guard and the variants tried).

Every policy serves the same seeded weeks at each load; techqueue is ranked with its default
weights (or with the weights of ``--config FILE``). See README.md in this folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.triage import bounds, business, guard
from benchmarks.triage.metrics import Summary, summarise
from benchmarks.triage.policies import POLICIES, techqueue_policy
from benchmarks.triage.simulate import Runner, serve
from techqueue.core.guard import SHIPPED
from techqueue.scoring import Weights

__all__ = ["evaluate", "main", "table"]

SEEDS = 20
QUICK_SEEDS = 5
TECHQUEUE, ADVICE = "techqueue", "techqueue+advice"
#: The baselines a technician might use without techqueue (WSPT is the yardstick instead).
SIMPLE = ("fifo", "loudest", "severity", "vip+severity", "taskwarrior")


def runners(weights: Weights) -> dict[str, Runner]:
    """Every policy by name, techqueue ranked with ``weights`` (its deadline guard included),
    alone and as the app has the technician work: following the advice and the guard."""
    switch = weights.switch_cost_minutes
    return {
        **{name: Runner(choose, None, switch) for name, choose in POLICIES.items()},
        TECHQUEUE: Runner(techqueue_policy(weights), None, switch),
        ADVICE: guard.runner(SHIPPED, weights),
    }


def evaluate(
    seeds: int = SEEDS,
    weights: Weights | None = None,
    loads: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
) -> dict[str, dict[str, Summary]]:
    """Every policy (or ``only`` these) at every load over ``seeds`` weeks: ``[load][policy]``."""
    chosen = {
        name: runner
        for name, runner in runners(weights or Weights()).items()
        if only is None or name in only
    }
    return {
        load: {name: summarise(runs) for name, runs in by.items()}
        for load, by in serve(chosen, seeds, loads).items()
    }


#: The weightings tried while tuning (docs/scoring.md shows the trade-off between them). The
#: ranking's tiers and the promise pull are DESIGN.md requirements, so the search is over the
#: aging curve, the promise weight and VIPs as a tier or as a large multiplier.
FRONTIER: dict[str, dict[str, Any]] = {
    "shipped (a 0.5, b 0.5)": {},
    "a 0.1, b 0.5": {"aging_linear": 0.1},
    "a 0.1, b 0.25": {"aging_linear": 0.1, "aging_quadratic": 0.25},
    "a 0.5, b 2": {"aging_quadratic": 2.0},
    "a 0.1, b 2": {"aging_linear": 0.1, "aging_quadratic": 2.0},
    "a 0.5, b 8": {"aging_quadratic": 8.0},
    "promise 1": {"promise_weight": 1.0},
    "no VIP tier, VIP x4": {"vip_tier": False},
    "no VIP tier, VIP x64": {"vip_tier": False, "vip_weight": 64.0},
}


def frontier(seeds: int) -> str:
    """techqueue under each weighting of :data:`FRONTIER` against the targets, one row each."""
    lines = [
        "| weighting | weighted wait ÷ WSPT | worst ÷ target (best simple) "
        "| VIP p95 (vip+severity) | with advice: weighted wait ÷ WSPT, worst ÷ target max |",
        "|---|---|---|---|---|",
    ]
    reference = evaluate(seeds, only=(*SIMPLE, "wspt"))  # the baselines ignore the weights
    for label, changes in FRONTIER.items():
        results = evaluate(seeds, Weights(**changes), only=(TECHQUEUE, ADVICE))
        cells = ["", "", "", ""]
        for load, by in results.items():
            base = reference[load]
            wspt = base["wspt"].weighted_wait
            best = min(base[name].worst_over_target for name in SIMPLE)
            tq, adv = by[TECHQUEUE], by[ADVICE]
            cells[0] += f"{tq.weighted_wait / wspt:.3f} "
            cells[1] += f"{tq.worst_over_target:.1f} ({best:.1f}) "
            cells[2] += f"{tq.vip_p95:.0f} ({base['vip+severity'].vip_p95:.0f}) "
            cells[3] += f"{adv.weighted_wait / wspt:.2f}, {adv.worst_over_target_max:.1f}; "
        lines.append(f"| {label} | " + " | ".join(c.strip().rstrip(";") for c in cells) + " |")
    return "\n".join(lines)


def table(results: dict[str, dict[str, Summary]]) -> str:
    """The results as one Markdown table, weighted wait as a ratio to WSPT's at that load."""
    lines = [
        "| load | policy | weighted wait ÷ WSPT | worst wait ÷ target (mean / max) "
        "| VIP p95 wait | sub-minute mean wait | promises broken | switches/week |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for load, by_policy in results.items():
        reference = by_policy["wspt"].weighted_wait
        for name, s in by_policy.items():
            lines.append(
                f"| {load} | {name} | {s.weighted_wait / reference:.3f} "
                f"| {s.worst_over_target:.1f} / {s.worst_over_target_max:.1f} "
                f"| {s.vip_p95:.0f} min | {s.quick_mean:.1f} min "
                f"| {100 * s.promises_broken:.0f} % | {s.switches:.1f} |"
            )
    return "\n".join(lines)


def verdict(results: dict[str, dict[str, Summary]]) -> list[str]:
    """Each target of issue 8, held or missed, per load."""
    lines = []
    for load, by in results.items():
        wspt, tq, adv = by["wspt"], by[TECHQUEUE], by[ADVICE]
        best_simple = min(by[name].worst_over_target for name in SIMPLE)
        checks = {
            "weighted wait within 5 % of WSPT": tq.weighted_wait <= 1.05 * wspt.weighted_wait,
            "worst wait no worse than the best simple baseline": (
                tq.worst_over_target <= best_simple
            ),
            "VIP p95 no worse than vip+severity": tq.vip_p95 <= by["vip+severity"].vip_p95,
            "advice: weighted wait below WSPT's": adv.weighted_wait < wspt.weighted_wait,
            f"advice: worst wait within {bounds.BOUND_FACTOR:g}x target (every run)": (
                adv.worst_over_target_max <= bounds.BOUND_FACTOR
            ),
        }
        for text, held in checks.items():
            lines.append(f"{load}: {'held ' if held else 'MISSED'}  {text}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.triage", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--seeds", type=int, default=None, help=f"weeks per load ({SEEDS})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SEEDS} seeds only")
    parser.add_argument("--config", type=Path, help="rank with this config file's weights")
    parser.add_argument(
        "--frontier", action="store_true", help="the weightings tried while tuning, one row each"
    )
    parser.add_argument(
        "--business",
        action="store_true",
        help="business impact: the costly work served sooner, and what the others pay",
    )
    parser.add_argument(
        "--bounds",
        action="store_true",
        help="deadline schedulers: how low the worst wait can go (bounds.py)",
    )
    parser.add_argument(
        "--guard",
        action="store_true",
        help="issue 19's targets: the deadline guard as shipped and the variants tried (guard.py)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="VARIANT",
        help="with --guard: only this variant (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.config is not None and (args.frontier or args.bounds or args.guard or args.business):
        parser.error(
            "--config applies to the policy table, "
            "not to --frontier, --bounds, --business or --guard"
        )
    seeds = args.seeds or (QUICK_SEEDS if args.quick else SEEDS)
    weights = None
    if args.config is not None:
        from techqueue.config.loader import load

        weights = load(args.config).weights
    if args.frontier:
        print(frontier(seeds))
        return 0
    if args.bounds:
        print(bounds.table(bounds.bounds(seeds), seeds))
        return 0
    if args.business:
        print(business.table(business.measure(seeds)))
        print(f"\n{seeds} seeds per load")
        return 0
    if args.guard:
        unknown = set(args.only or ()) - set(guard.GUARDS)
        if unknown:
            parser.error(f"--only: no variant called {sorted(unknown)[0]!r}")
        found = guard.guards(seeds, args.only)
        print(guard.table(found, seeds))
        if guard.SHIPPED_NAME in next(iter(found.values())):
            print()
            print("\n".join(guard.verdict(found)))
        return 0
    started = time.perf_counter()
    results = evaluate(seeds, weights)
    elapsed = time.perf_counter() - started
    if args.json:
        data = {
            load: {name: asdict(summary) for name, summary in by.items()}
            for load, by in results.items()
        }
        json.dump({"seeds": seeds, "results": data}, sys.stdout, indent=2)
        print()
        return 0
    print(table(results))
    print()
    print("\n".join(verdict(results)))
    print(f"\n{seeds} seeds per load, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
