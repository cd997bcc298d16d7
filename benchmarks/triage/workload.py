"""A working week of interruptions for one technician, drawn from a seed.

Every number below is a parameter of the workload, not of any policy; README.md in this folder
gives each one's source. Time is counted in *working minutes* from Monday 09:00: a day is 480
of them, the evening and night do not exist on this clock, and whatever arrives overnight
(tickets and emails only) lands at the next morning's first minute. Waiting times and response
targets are read on the same clock, as business-hours service levels are — and as techqueue
reads them: :func:`moment` turns a working minute into a real moment of the week, which the
ranking and the advice are given with the working hours.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import WorkClock
from techqueue.scoring import Weights

__all__ = [
    "BASE",
    "CAPACITY_LEVELS",
    "DAYS",
    "DAY_MINUTES",
    "Job",
    "mean_duration",
    "moment",
    "week",
]

#: Monday 09:00, the first working minute.
BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: The working hours the simulated technician keeps (09:00-17:00, Monday to Friday): the
#: clock techqueue counts waiting on, so working minute ``t`` is a real moment of the week.
HOURS = WorkingHours()
CLOCK = WorkClock(HOURS, UTC)
DAY_MINUTES = 480.0
DAYS = 5
#: Offered load as a share of the technician's working time.
CAPACITY_LEVELS = {"80%": 0.8, "100%": 1.0, "130%": 1.3}

#: Channels and their share of the day's interruptions.
CHANNEL_SHARE = {"desk": 0.20, "phone": 0.25, "chat": 0.15, "ticket": 0.25, "email": 0.15}
#: Of ticket and email traffic, the share that arrives outside working hours (next morning).
OVERNIGHT_SHARE = 0.20
#: Relative arrival rate in each working hour (09–17): a morning peak, a lunch dip.
HOURLY_PROFILE = (1.6, 1.4, 1.2, 0.7, 0.9, 1.0, 0.7, 0.5)

SEVERITY_SHARE = {"critical": 0.03, "high": 0.12, "normal": 0.55, "low": 0.30}
REQUESTERS = 60
VIP_REQUESTERS = 3
#: A VIP asks more often than the average colleague (executives and their assistants).
VIP_ACTIVITY = 1.5
#: Share of items that affect a team rather than one person, and the team's size range.
TEAM_SHARE = 0.10
TEAM_SIZE = (3, 12)

#: True durations: a mixture of quick questions, ordinary tasks and long jobs (minutes).
QUESTION_SHARE, QUESTION_RANGE = 0.30, (0.25, 1.0)
TASK_SHARE, TASK_MEDIAN, TASK_SIGMA = 0.60, 10.0, 0.9
JOB_MEDIAN, JOB_SIGMA = 60.0, 0.6
MAX_DURATION = 240.0
#: Estimates: the truth times a lognormal error, then rounded to what people say.
ESTIMATE_SIGMA = 0.5
ESTIMATE_STEPS = (0.5, 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 480)
#: Share of estimates left blank (the severity's default estimate applies).
NO_ESTIMATE_SHARE = 0.15
#: Share of people in front of the technician (desk, phone) who are told when they will be
#: seen; the promise is their severity's response target from arrival.
PROMISE_SHARE = 0.5
_TARGETS = Weights().response_target_minutes


@dataclass(slots=True, eq=False)
class Job:
    """One interruption: what the ranking sees (the Scorable fields) and the hidden truth."""

    id: int
    vip: bool
    severity: str
    impact: int
    estimate_minutes: float | None
    received_at: datetime
    promise_due_at: datetime | None
    channel: str
    requester: str
    arrival: float
    """Working minute of arrival."""
    duration: float
    """True minutes of work, unknown to every policy."""
    promise: float | None
    """Working minute by which the person was told work would start."""
    due_at: datetime | None = None
    pinned: bool = False
    deferred_until: datetime | None = None
    status: str = "open"
    bump: float = 0.0
    title: str = field(default="")
    spent_minutes: float = 0.0
    """Minutes of work it has had (kept up to date by the simulation's own copy)."""
    cost: str | None = None
    """Its business impact (``high``/``normal``/``low``; ``None``: not said), as the queue
    ranks it; only the business measurement (``business.py``) sets it."""


def moment(minute: float) -> datetime:
    """Working minute ``minute`` as the time the ranking and the advice are given: that many
    working minutes after Monday 09:00, nights skipped (``after`` puts a minute that ends a
    day at its 17:00, the same working position as the next 09:00)."""
    return CLOCK.after(BASE, minute)


def _duration(rng: random.Random) -> float:
    draw = rng.random()
    if draw < QUESTION_SHARE:
        return rng.uniform(*QUESTION_RANGE)
    if draw < QUESTION_SHARE + TASK_SHARE:
        return min(rng.lognormvariate(math.log(TASK_MEDIAN), TASK_SIGMA), MAX_DURATION)
    return min(rng.lognormvariate(math.log(JOB_MEDIAN), JOB_SIGMA), MAX_DURATION)


def mean_duration(samples: int = 200_000, seed: int = 0) -> float:
    """The mean true duration, by sampling: the cap makes a closed form awkward."""
    rng = random.Random(seed)
    return sum(_duration(rng) for _ in range(samples)) / samples


_MEAN_DURATION = 16.3  # mean_duration() to three figures; a test keeps the two in step


def _estimate(rng: random.Random, truth: float) -> float | None:
    if truth > QUESTION_RANGE[1] and rng.random() < NO_ESTIMATE_SHARE:
        return None
    guess = truth * rng.lognormvariate(0.0, ESTIMATE_SIGMA)
    return float(min(ESTIMATE_STEPS, key=lambda step: abs(math.log(step / guess))))


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def week(seed: int, load: float) -> list[Job]:
    """Every interruption of one week at ``load`` (1.0: as much work as there is time), in order.

    Promises are made against the shipped response targets, whatever weights rank the week.
    """
    rng = random.Random(f"triage-{seed}-{load}")
    per_day = load * DAY_MINUTES / _MEAN_DURATION
    overnight_channels = ("ticket", "email")
    overnight_share = OVERNIGHT_SHARE * sum(CHANNEL_SHARE[c] for c in overnight_channels)
    profile_total = sum(HOURLY_PROFILE)
    population = [f"person {n:02d}" for n in range(1, REQUESTERS + 1)]
    vips = set(population[:VIP_REQUESTERS])
    activity = [VIP_ACTIVITY if name in vips else 1.0 for name in population]
    arrivals: list[tuple[float, str]] = []
    for day in range(DAYS):
        start = day * DAY_MINUTES
        # the night before (Monday: the weekend) lands at the first minute of the day
        for _ in range(_poisson(rng, per_day * overnight_share)):
            arrivals.append((start, _pick(rng, {c: CHANNEL_SHARE[c] for c in overnight_channels})))
        daytime = per_day * (1 - overnight_share)
        for hour, weight in enumerate(HOURLY_PROFILE):
            for _ in range(_poisson(rng, daytime * weight / profile_total)):
                minute = start + 60.0 * (hour + rng.random())
                arrivals.append((minute, _daytime_channel(rng)))
    arrivals.sort(key=lambda pair: pair[0])
    jobs: list[Job] = []
    for number, (minute, channel) in enumerate(arrivals, start=1):
        requester = rng.choices(population, weights=activity)[0]
        severity = _pick(rng, SEVERITY_SHARE)
        impact = rng.randint(*TEAM_SIZE) if rng.random() < TEAM_SHARE else 1
        duration = _duration(rng)
        promise = None
        if channel in ("desk", "phone") and rng.random() < PROMISE_SHARE:
            promise = minute + _TARGETS[severity]
        jobs.append(
            Job(
                id=number,
                vip=requester in vips,
                severity=severity,
                impact=impact,
                estimate_minutes=_estimate(rng, duration),
                received_at=moment(minute),
                promise_due_at=None if promise is None else moment(promise),
                channel=channel,
                requester=requester,
                arrival=minute,
                duration=duration,
                promise=promise,
                title=f"#{number} {severity} {channel}",
            )
        )
    return jobs


def _daytime_channel(rng: random.Random) -> str:
    """Daytime channel mix: the overnight ticket and email share is taken out of the day."""
    shares = dict(CHANNEL_SHARE)
    for channel in ("ticket", "email"):
        shares[channel] *= 1 - OVERNIGHT_SHARE
    return _pick(rng, shares)


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: small means only, which is all a day of interruptions needs."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
