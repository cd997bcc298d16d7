"""Work arriving from elsewhere (mail, a ticket system's export), said once: what an arrival
holds and the plan of an import — which arrivals are new items, which
are replies to an item (a note on it), which were imported before. Pure: the store's answer
to "which item holds these refs" is an argument.

The plan is what makes an import idempotent: an arrival whose ref an item (or a note) already
holds is skipped, so importing the same mailbox twice adds nothing; a reply names the mails
it answers (``In-Reply-To``, ``References``), and lands on the item any of them belongs to,
even one added earlier in the same import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from techqueue.core.settings import DEFAULT_SEVERITY_WORDS, IntakeSettings

__all__ = [
    "DEFAULT_SEVERITY_WORDS",
    "MAX_NOTE_CHARS",
    "Decision",
    "Incoming",
    "IntakeSettings",
    "plan",
]

#: The longest note an import writes from a mail's or a row's text; the rest is cut with "…"
#: (the whole mail stays in the mailbox, and a note is for reading at a glance).
MAX_NOTE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Incoming:
    """One arrival, read but not yet stored."""

    title: str
    channel: str
    where: str
    """Where it was read ("inbox.mbox, message 12", "line 7"), for messages."""
    ref: str | None = None
    replies_to: tuple[str, ...] = ()
    """The refs it answers, nearest first (``In-Reply-To``, then ``References`` backwards)."""
    received_at: datetime | None = None
    requester_name: str | None = None
    requester_email: str | None = None
    severity: str | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    """Text to keep on the item (a mail's body, a ticket's description)."""
    vip: bool = False
    """From a VIP organisation (``[intake] vip_domains``)."""


Kind = Literal["add", "reply", "skip"]


@dataclass(frozen=True, slots=True)
class Decision:
    """What an import does with one arrival: ``add`` it as a new item, add it as a ``reply``
    (a note) to an item, or ``skip`` it (imported before). The item is ``item_id`` when it
    was in the store before, or ``new``, the index (in the plan) of the decision adding it."""

    incoming: Incoming
    kind: Kind
    item_id: int | None = None
    new: int | None = None


def _order(pair: tuple[int, Incoming]) -> tuple[bool, datetime | None, int]:
    index, incoming = pair
    when = incoming.received_at
    return (when is None, when, index)


def plan(arrivals: Sequence[Incoming], owners: Mapping[str, int]) -> list[Decision]:
    """What to do with each arrival, oldest first (a thread's first mail before its replies,
    whatever order the mailbox keeps them in; arrivals without a time last, in their order).

    ``owners`` is the store's answer: the item each known ref belongs to."""
    known: dict[str, tuple[int | None, int | None]] = {
        ref: (item_id, None) for ref, item_id in owners.items()
    }
    decisions: list[Decision] = []
    for _, incoming in sorted(enumerate(arrivals), key=_order):
        ref = incoming.ref
        if ref is not None and ref in known:
            item_id, new = known[ref]
            decisions.append(Decision(incoming, "skip", item_id, new))
            continue
        answered = next((known[r] for r in incoming.replies_to if r in known), None)
        if answered is not None:
            decision = Decision(incoming, "reply", *answered)
        else:
            decision = Decision(incoming, "add", None, len(decisions))
        if ref is not None:
            known[ref] = (decision.item_id, decision.new)
        decisions.append(decision)
    return decisions
