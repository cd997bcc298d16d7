"""The deadline guard as techqueue ships it, and the variants tried on the way.

techqueue's guard (``techqueue.core.guard``) is part of the ranking, of the interruption
advice (its veto) and of the overload notice. Here the simulated technician follows it as the
app would have them: the queue is ranked with it at every choice; at every arrival during a
job the advice (with the veto) is asked; and at every arrival and every few minutes of a job
the whole queue is ranked again, with the job in hand, to see whether the guard says to put it
aside, and which people the notice lists (``simulate(guard=...)``) — the first time each one
is listed is kept, to count whether a breach was announced in time. Every call goes through
the product's own functions; only :class:`~techqueue.core.guard.GuardRules` differ between
the variants.

docs/scoring.md shows the table (``python -m benchmarks.triage --guard``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.triage.bounds import BOUND_FACTOR, against_wspt
from benchmarks.triage.metrics import TARGET_MINUTES
from benchmarks.triage.policies import advice_interrupter, techqueue_policy
from benchmarks.triage.simulate import Guard, Look, Run, Runner
from benchmarks.triage.workload import HOURS, Job, moment
from techqueue.core.guard import SHIPPED, GuardRules, breaches, put_aside_for
from techqueue.core.settings import Settings
from techqueue.scoring import Weights, rank

__all__ = [
    "ANNOUNCE_AHEAD",
    "GUARDS",
    "NO_GUARD",
    "SHIPPED_NAME",
    "Announced",
    "announced",
    "breached_at",
    "guards",
    "looking",
    "runner",
    "table",
    "verdict",
]

#: A breach counts as announced when the notice listed it this many working minutes before
#: its 3× deadline (the issue's "early": time to tell them, hand off or defer).
ANNOUNCE_AHEAD = 60.0
#: The reference row: ranking and advice without the guard (as shipped before it).
NO_GUARD = "no guard: ranking and advice alone"
#: techqueue as shipped.
SHIPPED_NAME = "shipped: overload above 12 h (no job over 2 h), stand aside"

#: The variants docs/scoring.md compares, by name (``None``: no guard at all). Every one
#: plans deadlines 10 minutes early and names in the notice whoever it gets to less than 30
#: minutes before their deadline, unless its name says otherwise.
GUARDS: dict[str, GuardRules | None] = {
    NO_GUARD: None,
    "chase every deadline (December's guard)": GuardRules(overload_when="never"),
    "overload when not all fit, protect the most": GuardRules(
        overload_when="infeasible", in_overload="protect the most"
    ),
    "the same, judged at half the estimates": GuardRules(
        overload_when="infeasible", optimism=0.5, in_overload="protect the most"
    ),
    "the same, deadlines within 8 h only": GuardRules(
        overload_when="infeasible", horizon_minutes=480.0, in_overload="protect the most"
    ),
    "overload above 8 h of work, protect the most": GuardRules(
        backlog_minutes=480.0, longest_minutes=math.inf, in_overload="protect the most"
    ),
    "overload above 12 h (no job over 2 h), protect the most": GuardRules(
        in_overload="protect the most"
    ),
    "the same, protect in deadline order": GuardRules(in_overload="protect in order"),
    SHIPPED_NAME: SHIPPED,
    "shipped, without the 10-minute margin": GuardRules(margin_minutes=0.0),
    "shipped, naming only who will start late": GuardRules(notice_minutes=0.0),
}


def looking(rules: GuardRules, weights: Weights) -> Guard:
    """A look as the app would take it: the whole queue ranked with the job in hand; put it
    aside when the guard says so; the notice's list."""
    settings = Settings(weights=weights, hours=HOURS)

    def look(current: Job | None, queue: Sequence[Job], now: float) -> Look:
        pile = [*queue] if current is None else [*queue, current]
        at = moment(now)
        ranked = rank(pile, at, weights, explain=False, hours=HOURS, guard=rules)
        instead = None if current is None else put_aside_for(ranked)
        listed = [breach.item.id for breach in breaches(ranked, at, settings, rules=rules).breaches]
        return Look(None if instead is None else instead.item, listed)

    return look


def runner(rules: GuardRules | None, weights: Weights | None = None) -> Runner:
    """The technician following the ranking and the advice, with the guard of ``rules``
    (``None``: without any guard)."""
    chosen = weights or Weights()
    switch = chosen.switch_cost_minutes
    if rules is None:
        return Runner(
            techqueue_policy(chosen, guard=False), advice_interrupter(chosen, guard=False), switch
        )
    return Runner(
        techqueue_policy(chosen, guard=rules),
        advice_interrupter(chosen, guard=rules),
        switch,
        looking(rules, chosen),
    )


# --- was a breach announced in time? --------------------------------------------------------


def breached_at(outcome_spans: Sequence[tuple[float, float]], job: Job) -> float | None:
    """The working minute at which ``job``'s wait (time in the system not being worked on)
    reached its 3× deadline, given its work spans in order; ``None`` if it never did."""
    allowance = BOUND_FACTOR * TARGET_MINUTES[job.severity]
    waited, since = 0.0, job.arrival
    for began, ended in outcome_spans:
        if waited + (began - since) > allowance:
            return since + (allowance - waited)
        waited += began - since
        since = ended
    return None


@dataclass(frozen=True, slots=True)
class Announced:
    """Breaches in some runs, and how many the notice announced in time."""

    breaches: int
    ahead: int
    """Listed at least :data:`ANNOUNCE_AHEAD` working minutes before the deadline."""
    false_alarms: int = 0
    """Listed, and served in time after all."""

    @property
    def share(self) -> float:
        return self.ahead / self.breaches if self.breaches else 1.0


def announced(runs: Sequence[Run]) -> Announced:
    """Every breach of ``runs``, and whether the notice had listed it in time."""
    total = ahead = false = 0
    for run in runs:
        spans: dict[int, list[tuple[float, float]]] = {}
        for job_id, began, ended in run.spans:
            spans.setdefault(job_id, []).append((began, ended))
        for outcome in run.outcomes:
            due = breached_at(spans.get(outcome.job.id, []), outcome.job)
            if due is None:
                false += outcome.job.id in run.listed
                continue
            total += 1
            listed = run.listed.get(outcome.job.id)
            ahead += listed is not None and listed <= due - ANNOUNCE_AHEAD
    return Announced(total, ahead, false)


# --- the table ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One variant at one load: the issue's columns."""

    worst: float
    weighted_over_wspt: float
    vip_p95: float
    quick_mean: float
    announced: Announced
    runs_over: int


def guards(
    seeds: int,
    names: Sequence[str] | None = None,
    loads: Sequence[str] | None = None,
    variants: dict[str, GuardRules | None] | None = None,
) -> dict[str, dict[str, Row]]:
    """Each variant of :data:`GUARDS` (or only ``names``, or the given ``variants``) over
    ``seeds`` weeks at each load (or only ``loads``), next to WSPT: ``[load][name]``."""
    weights = Weights()
    chosen = variants or {name: GUARDS[name] for name in names or GUARDS}
    runners = {name: runner(rules, weights) for name, rules in chosen.items()}
    results: dict[str, dict[str, Row]] = {}
    for load, by in against_wspt(runners, seeds, loads).items():
        results[load] = {}
        for name, bound in by.items():
            summary = bound.summary
            results[load][name] = Row(
                summary.worst_over_target_max,
                bound.weighted_over_wspt,
                summary.vip_p95,
                summary.quick_mean,
                announced(bound.runs),
                bound.runs_over,
            )
    return results


def table(results: dict[str, dict[str, Row]], seeds: int) -> str:
    """The issue's target table, one line per load and variant."""
    lines = [
        "| load | variant | worst wait ÷ target, worst run "
        f"| weeks over {BOUND_FACTOR:g}× (of {seeds}) | weighted wait ÷ WSPT | VIP p95 "
        f"| sub-minute mean | breaches announced ≥ {ANNOUNCE_AHEAD:g} min ahead |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for load, by in results.items():
        for name, row in by.items():
            told = row.announced
            share = "none" if not told.breaches else f"{told.ahead} of {told.breaches}"
            share += f" ({told.false_alarms} listed in vain)"
            lines.append(
                f"| {load} | {name} | {row.worst:.1f} | {row.runs_over} "
                f"| {row.weighted_over_wspt:.3f} | {row.vip_p95:.0f} min "
                f"| {row.quick_mean:.1f} min | {share} |"
            )
    return "\n".join(lines)


#: Issue 19's targets for the shipped guard, per load: worst wait ÷ target in the worst run,
#: weighted wait ÷ WSPT (below, or at most), VIP p95 and sub-minute mean (minutes), and the
#: share of breaches announced in time.
TARGETS: dict[str, tuple[float | None, float, bool, float, float, float]] = {
    "80%": (BOUND_FACTOR, 0.6, False, 10.0, 5.0, 1.0),
    "100%": (BOUND_FACTOR, 0.8, False, 10.0, 5.0, 1.0),
    "130%": (None, 1.0, True, 30.0, 10.0, 0.95),
}


def verdict(results: dict[str, dict[str, Row]], name: str = SHIPPED_NAME) -> list[str]:
    """Each of issue 19's targets for variant ``name``, held or missed, per load."""
    lines = []
    for load, by in results.items():
        row = by[name]
        worst, weighted, at_most, vip, quick, share = TARGETS[load]
        checks = {
            f"weighted wait {'at most' if at_most else 'below'} {weighted:g} of WSPT's": (
                row.weighted_over_wspt <= weighted if at_most else row.weighted_over_wspt < weighted
            ),
            f"VIP p95 at most {vip:g} min": row.vip_p95 <= vip,
            f"sub-minute mean at most {quick:g} min": row.quick_mean <= quick,
            f"at least {share:.0%} of breaches announced {ANNOUNCE_AHEAD:g} min ahead": (
                row.announced.share >= share
            ),
        }
        if worst is not None:
            checks[f"worst wait within {worst:g}x target (every run)"] = row.worst <= worst + 1e-9
        for text, held in checks.items():
            lines.append(f"{load}: {'held ' if held else 'MISSED'}  {text}")
    return lines
