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
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: How often a waiting worker looks whether it was cancelled (seconds).
_CANCEL_CHECK = 0.1


def _never() -> bool:
    return False


class ActionLine:
    """Tickets handed out in key order and served one at a time."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._issued = 0
        self._serving = 1
        #: Tickets whose workers were cancelled while they waited: passed over in turn.
        self._abandoned: set[int] = set()

    def ticket(self) -> int:
        """A place in the line; taken on the UI thread when the key is pressed."""
        with self._changed:
            self._issued += 1
            self._changed.notify_all()  # an action waiting for the keys to pause stops waiting
            return self._issued

    @contextmanager
    def turn(self, ticket: int, cancelled: Callable[[], bool] = _never) -> Iterator[bool]:
        """Wait until every earlier ticket has been served, then hold the line (``True``);
        the next ticket is served when this one leaves, however it leaves.

        A worker cancelled while it waits (the app is quitting, and an earlier worker may
        never run) gets ``False``, must not act, and its ticket is passed over in turn.
        """
        with self._changed:
            while self._serving != ticket:
                if cancelled():
                    self._abandoned.add(ticket)
                    break
                self._changed.wait(_CANCEL_CHECK)
            mine = self._serving == ticket
        try:
            yield mine
        finally:
            if mine:
                with self._changed:
                    self._serving = ticket + 1
                    while self._serving in self._abandoned:
                        self._abandoned.discard(self._serving)
                        self._serving += 1
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
