"""The settings the seeded-store tests run under, varied by the seed: working hours of five
days or of seven, the deadline guard on or off, so a fast path is compared with its
reference under each."""

from __future__ import annotations

from techqueue.core.settings import Settings
from techqueue.core.timeparse import WorkingHours
from techqueue.scoring import Weights


def settings(seed: int) -> Settings:
    """Seven-day working hours for odd seeds, the guard off for seeds divisible by 3."""
    hours = (WorkingHours(), WorkingHours(days=frozenset(range(7))))[seed % 2]
    weights = Weights() if seed % 3 else Weights(deadline_guard=False)
    return Settings(weights=weights, hours=hours, morning_summary=False)
