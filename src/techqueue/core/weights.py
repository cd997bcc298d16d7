"""The ranking's knobs, on their own: the settings hold them, and every command loads the
settings, while only the commands that rank need the ranking (:mod:`techqueue.scoring`, which
gives them out as its own too). A capture or a ``done`` then loads none of its arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field

from techqueue.domain import SEVERITIES

__all__ = ["PerSeverity", "Weights"]


@dataclass(frozen=True, slots=True)
class PerSeverity:
    """One number per severity, looked up with ``values["high"]``."""

    critical: float
    high: float
    normal: float
    low: float

    def __getitem__(self, severity: str) -> float:
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r} (use {', '.join(SEVERITIES)})")
        value: float = getattr(self, severity)
        return value


@dataclass(frozen=True, slots=True)
class Weights:
    """The knobs of the ranking; the config file sets them, these are the defaults."""

    severity_value: PerSeverity = field(
        default_factory=lambda: PerSeverity(critical=16.0, high=6.0, normal=2.0, low=1.0)
    )
    response_target_minutes: PerSeverity = field(
        default_factory=lambda: PerSeverity(critical=15.0, high=60.0, normal=240.0, low=2880.0)
    )
    default_estimate_minutes: PerSeverity = field(
        default_factory=lambda: PerSeverity(critical=45.0, high=30.0, normal=20.0, low=15.0)
    )
    vip_tier: bool = True
    vip_weight: float = 4.0
    impact_weight: float = 0.5
    estimate_exponent: float = 1.0
    aging_linear: float = 0.5
    aging_quadratic: float = 0.5
    due_weight: float = 1.0
    promise_weight: float = 3.0
    deadline_horizon_minutes: float = 60.0
    bump_factor: float = 1.5
    quick_win_minutes: float = 1.0
    switch_cost_minutes: float = 1.0
    outage_people: int = 10
    deadline_guard: bool = True
    #: What the guard does in an overload: ``stand aside`` (the important work first, nobody
    #: moved for a deadline) or ``protect`` (keep safe whoever can still start in time, never
    #: pausing a VIP's work, a critical item or a quick win for them).
    in_overload: str = "stand aside"
    #: Business impact (``[scoring.business]``, :mod:`techqueue.core.business`): what a
    #: ``high``-cost item's value is multiplied by, and a ``low``-cost one's; and the levels
    #: given per requester (name or address) and per organisation (mail domain).
    cost_high: float = 2.0
    cost_low: float = 0.5
    business_requesters: tuple[tuple[str, str], ...] = ()
    business_organisations: tuple[tuple[str, str], ...] = ()
    #: In a team: how many bump steps a technician's own started work (an item they have,
    #: active or paused) gains in their queue, so what they began stays near the top. An item
    #: counts as theirs when its optional ``mine`` attribute is true (the team's views set it).
    mine: float = 2.0

    def aging_factor(self, wait_minutes: float, target_minutes: float) -> float:
        """How much waiting multiplies an item's value: linear up to its target, then faster."""
        ratio = max(wait_minutes, 0.0) / target_minutes
        past = ratio - 1.0
        extra = self.aging_quadratic * past * past if past > 0 else 0.0
        return 1.0 + self.aging_linear * ratio + extra

    def deadline_factor(self, minutes_left: float, weight: float) -> float:
        """How much a due time or promise ``minutes_left`` away multiplies the value."""
        horizon = self.deadline_horizon_minutes
        if minutes_left >= 0:
            return 1.0 + weight * horizon / (horizon + minutes_left)
        return 1.0 + weight * (1.0 - minutes_left / horizon)
