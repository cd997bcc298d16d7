"""Find anything: the queue narrowed, as the technician types, to the items whose title,
requester, tags or reference hold every word typed (any case), in rank order with their real
ranks.

It filters the board already in memory -- no store read per key -- and each key costs a pass
over prepared text: what each item is searched by is made once per board, and a longer filter
only looks among what the shorter one found. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from techqueue.records import ItemRecord
from techqueue.scoring import Ranked

__all__ = ["QueueFilter", "searched_text"]

Row = Ranked[ItemRecord]


def searched_text(item: ItemRecord) -> str:
    """What an item is found by: its title, requester, tags (``#printer``) and reference,
    one to a line (a word typed is never found across two of them), in one case."""
    tags = " ".join(f"#{tag}" for tag in item.tags)
    return f"{item.title}\n{item.requester or ''}\n{tags}\n{item.ref or ''}".casefold()


class QueueFilter:
    """The filter's text, and the rows of a ranking it lets through."""

    def __init__(self) -> None:
        #: The text as typed.
        self.text = ""
        #: What the index was built for: the ranking's places (the same object while only
        #: statuses change, as when an item is shown started ahead of the store).
        self._indexed: Mapping[int, int] | None = None
        self._texts: list[str] = []
        #: The last answer: (words, the places it was for, the indices found, their places).
        self._found: tuple[tuple[str, ...], Mapping[int, int], list[int], Mapping[int, int]] | None
        self._found = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.casefold().split())

    @property
    def active(self) -> bool:
        """Whether it narrows anything (a blank filter shows everything)."""
        return bool(self.words)

    def rows(
        self, ranked: list[Row], positions: Mapping[int, int]
    ) -> tuple[list[Row], Mapping[int, int]]:
        """The rows of ``ranked`` (whose places by id are ``positions``) that match, with
        their places among themselves. The same ranking and words give the same places
        object, so the table redraws only the rows that changed."""
        words = self.words
        if not words:
            return ranked, positions
        if self._indexed is not positions or len(self._texts) != len(ranked):
            self._texts = [searched_text(entry.item) for entry in ranked]
            self._indexed = positions
            self._found = None
        found = self._found
        places: Mapping[int, int]
        if found is not None and found[0] == words and found[1] is positions:
            indices, places = found[2], found[3]
        else:
            texts = self._texts
            narrowing = found is not None and found[1] is positions and _narrows(found[0], words)
            among: Sequence[int] = (
                found[2] if found is not None and narrowing else range(len(texts))
            )
            for word in words:  # a pass a word: no call per item
                among = [i for i in among if word in texts[i]]
            indices = list(among)
            if len(indices) == len(ranked):
                places = positions  # everything: the same places
            else:
                places = {ranked[i].id: place for place, i in enumerate(indices)}
            self._found = (words, positions, indices, places)
        return [ranked[i] for i in indices], places


def _narrows(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """Whether everything ``after`` finds, ``before`` found too (each earlier word is within
    a later one: typing on only narrows)."""
    return len(after) >= len(before) and all(
        old in new for old, new in zip(before, after, strict=False)
    )
