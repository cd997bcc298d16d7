"""Likely duplicates: the same person asking for the same thing twice within a few days (a
call, then the mail that followed). Pure: items in, pairs out, by three plain tests — the
same requester, titles that share most of their words or most of their letters, and
arrivals close in time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from typing import Generic, Protocol, TypeVar

from techqueue.core.subjects import clean_subject

__all__ = [
    "DUPE_WINDOW",
    "SIMILAR",
    "Dupable",
    "Pair",
    "likely_duplicates",
    "similarity",
    "title_words",
]

#: How close in time two arrivals must be to look like one request made twice.
DUPE_WINDOW = timedelta(days=3)
#: How similar two titles must be (0 to 1) to look like the same request.
SIMILAR = 0.6

_WORD = re.compile(r"\w+")


class Dupable(Protocol):
    """What the duplicate test reads of an item."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def requester_id(self) -> int | None: ...
    @property
    def received_at(self) -> datetime: ...


T = TypeVar("T", bound=Dupable)


@dataclass(frozen=True, slots=True)
class Pair(Generic[T]):
    """Two items that look like one request: the one received first, the later, how
    similar their titles are, and how far apart they arrived."""

    first: T
    second: T
    similarity: float
    apart: timedelta


def title_words(title: str) -> tuple[str, ...]:
    """A title's words, lower-case, without "Re:"/"Fwd:" prefixes."""
    return tuple(_WORD.findall(clean_subject(title).lower()))


def similarity(first: str, second: str) -> float:
    """How alike two titles are, from 0 to 1: the larger of the share of words they have in
    common (Jaccard) and the share of their letters in order (``difflib``'s ratio), so both
    "printer jammed floor 2" / "Printer on floor 2 jammed" and a typo are caught. Symmetric."""
    a, b = title_words(first), title_words(second)
    if not a or not b:
        return 1.0 if a == b else 0.0
    shared = len(set(a) & set(b)) / len(set(a) | set(b))
    one, other = sorted((" ".join(a), " ".join(b)))
    return max(shared, SequenceMatcher(None, one, other, autojunk=False).ratio())


def likely_duplicates(
    items: Sequence[T], within: timedelta = DUPE_WINDOW, threshold: float = SIMILAR
) -> list[Pair[T]]:
    """Pairs of items of one requester, arrived within ``within`` of each other, whose titles
    are at least ``threshold`` alike: the most alike first."""
    by_person: dict[int, list[T]] = {}
    for item in items:
        if item.requester_id is not None:
            by_person.setdefault(item.requester_id, []).append(item)
    pairs: list[Pair[T]] = []
    for group in by_person.values():
        group.sort(key=lambda item: (item.received_at, item.id))
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                apart = second.received_at - first.received_at
                if apart > within:
                    break
                alike = similarity(first.title, second.title)
                if alike >= threshold:
                    pairs.append(Pair(first, second, alike, apart))
    pairs.sort(key=lambda pair: (-pair.similarity, pair.first.id, pair.second.id))
    return pairs
