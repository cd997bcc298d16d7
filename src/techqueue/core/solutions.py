"""Answers that are remembered: how similar work was solved before, and how long it took.

When an item is closed the technician may keep one line saying how it was solved. A new item
like solved ones (a shared tag, a title alike by :func:`techqueue.core.similar.similarity`,
the requester's organisation) shows those lines and their times in its detail: "last time:
reset the print spooler, 10 min". Pure: the solved items, the minutes worked on each and
each requester's organisation are arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from techqueue.core.similar import similarity

__all__ = ["SHOWN", "PastSolution", "Solvable", "past_solutions"]

#: How many past solutions an item's detail shows.
SHOWN = 3
#: How alike two items must be: a shared tag, or titles half alike, is enough; the same
#: organisation adds to a partial match but is not enough alone.
ENOUGH = 1.0
_TAG = 1.0
_TITLE = 2.0
_ORGANISATION = 0.5
#: Titles less alike than this add nothing (most titles share a letter or two).
_TITLES_ALIKE = 0.35


class Solvable(Protocol):
    """What the comparison reads of an item (the store's records fit)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def requester_id(self) -> int | None: ...


class Solved(Solvable, Protocol):
    """A closed item with the line saying how it was solved."""

    @property
    def solution(self) -> str | None: ...
    @property
    def done_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class PastSolution:
    """How a similar item was solved: which, the line, the minutes worked on it (0 when none
    was logged), when it was closed, and why it counts as similar."""

    item_id: int
    title: str
    solution: str
    minutes: float
    done_at: datetime | None
    why: tuple[str, ...]

    def describe(self) -> str:
        """``reset the print spooler, 10 min`` (without a time when none was logged)."""
        from techqueue.core.timeparse import format_duration

        if self.minutes > 0:
            return f"{self.solution}, {format_duration(self.minutes)}"
        return self.solution


def past_solutions(
    item: Solvable,
    solved: Iterable[Solved],
    minutes: Mapping[int, float],
    organisations: Mapping[int, str],
    *,
    shown: int = SHOWN,
) -> list[PastSolution]:
    """The solutions of the ``solved`` items alike enough to ``item``, the most alike first
    (then the most recent); ``minutes`` is the work logged per item id, ``organisations``
    each requester id's organisation (an address's domain)."""
    tags = set(item.tags)
    organisation = organisations.get(item.requester_id) if item.requester_id is not None else None
    found: list[tuple[float, float, PastSolution]] = []
    for other in solved:
        if other.id == item.id or not other.solution:
            continue
        points = 0.0
        why = []
        shared = sorted(tags.intersection(other.tags))
        if shared:
            points += _TAG
            why.append("#" + ", #".join(shared))
        alike = similarity(item.title, other.title)
        if alike >= _TITLES_ALIKE:
            points += _TITLE * alike
            why.append("a title alike")
        theirs = organisations.get(other.requester_id) if other.requester_id is not None else None
        if organisation is not None and theirs == organisation:
            points += _ORGANISATION
            why.append(organisation)
        if points < ENOUGH:
            continue
        when = other.done_at.timestamp() if other.done_at is not None else 0.0
        past = PastSolution(
            other.id,
            other.title,
            other.solution,
            round(minutes.get(other.id, 0.0), 1),
            other.done_at,
            tuple(why),
        )
        found.append((-points, -when, past))
    found.sort(key=lambda entry: (entry[0], entry[1], entry[2].item_id))
    return [entry[2] for entry in found[: max(shown, 0)]]
