"""Keys held while the main screen shows only the queue's first rows, and passed on, in the
order they were pressed, once the whole board is drawn.

The app draws the first screen of rows before it has read the whole queue (see
:class:`~techqueue.views.board.FirstRows`). Nothing a key does may act on that part as if it
were the whole queue: a start or a done needs the job in hand, quick-add places the new item
among every item, the filter counts what it finds. So every key is held at the app's door
until the whole board is on screen, then handed in again as if just typed; a line typed
after ``a`` reaches the quick-add box as it would have. Keys arriving while the held ones
are handed in are held behind them, so none overtakes an earlier one.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App

__all__ = ["HeldKeys"]

#: The mark on a key handed in again (it is not held a second time).
_RELEASED = "_techqueue_released"


class HeldKeys:
    """The keys held at one app's door (see the module's docstring)."""

    def __init__(self) -> None:
        #: The keys held, in order (``None``: none are being held).
        self._held: list[tuple[str, str | None]] | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    @property
    def pending(self) -> bool:
        """Whether anything is held now, waiting to be handed in."""
        return bool(self._held)

    def hold(self) -> None:
        """Hold every key pressed from now on until :meth:`release`."""
        if self._held is None:
            self._held = []

    def take(self, event: events.Key) -> bool:
        """Hold ``event``, a key arriving at the app, when keys are being held (``True``:
        it is held, and must go no further now)."""
        if self._held is None or event.is_forwarded or getattr(event, _RELEASED, False):
            return False
        self._held.append((event.key, event.character))
        return True

    def release(self, app: App[Any]) -> None:
        """Hand the held keys in again, in order, and stop holding once they are in."""
        held = self._held
        if not held:
            self._held = None
            return
        self._held = []  # what arrives meanwhile waits behind them
        for key, character in held:
            event = events.Key(key, character)
            setattr(event, _RELEASED, True)
            app.post_message(event)
        # Once those are in (the app takes its messages in turn), those held meanwhile.
        app.call_later(self.release, app)
