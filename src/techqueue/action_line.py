"""Store actions in the order their keys were pressed, one at a time.

Each action runs in a worker thread, so two keys pressed in quick succession (``s`` on one
item, then ``s`` on the next) are two threads racing for the store. A lock would let them
through in any order, and the item started first could end up the active one. Here each key
takes a ticket on the UI thread, in key order, and its worker waits for its turn.

The line also knows when more actions are queued behind one: such an action need not
re-rank the queue, since the last of the burst re-ranks once for all of them; every
re-rank skipped is CPU time the keys get instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds after which a ticket stops waiting for an earlier one (that one is lost, not slow:
#: an action is a single transaction of milliseconds).
_STUCK = 60.0


class ActionLine:
    """Tickets handed out in key order and served one at a time."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._issued = 0
        self._serving = 1

    def ticket(self) -> int:
        """A place in the line; taken on the UI thread when the key is pressed."""
        with self._changed:
            self._issued += 1
            self._changed.notify_all()  # an action waiting for the keys to pause stops waiting
            return self._issued

    @contextmanager
    def turn(self, ticket: int) -> Iterator[None]:
        """Wait until every earlier ticket has been served, then hold the line; the next
        ticket is served when this one leaves, however it leaves."""
        with self._changed:
            # An earlier action that never ran (its worker cancelled before it started) must
            # not stop every later one for good: after a long wait the line moves on.
            if not self._changed.wait_for(lambda: self._serving >= ticket, _STUCK):
                self._serving = ticket
        try:
            yield
        finally:
            with self._changed:
                self._serving = max(self._serving, ticket + 1)
                self._changed.notify_all()

    def followed(self, ticket: int, within: float | None = 0.0) -> bool:
        """Whether a later ticket is taken, waiting up to ``within`` seconds for one
        (``None``: until one is)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._issued > ticket, timeout=within)

    @property
    def busy(self) -> bool:
        """Whether an action is queued or running (its result not yet on screen)."""
        with self._changed:
            return self._issued >= self._serving
