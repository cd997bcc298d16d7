"""Keys (and pastes) held while the main screen shows only the queue's first rows, and
passed on, in the order they came, once the whole board is drawn.

The app draws the first screen of rows before it has read the whole queue (see
:class:`~techqueue.views.board.FirstRows`). Nothing a key does may act on that part as if it
were the whole queue: a start or a done needs the job in hand, quick-add places the new item
among every item, the filter counts what it finds. So every key, and every paste (text
pasted in a terminal with bracketed paste arrives as one event, not as keys), is held at the
app's door until the whole board is on screen, then handed in again as if just typed; a line
typed or pasted after ``a`` reaches the quick-add box as it would have. Keys arriving while
the held ones are handed in are held behind them, so none overtakes an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App

__all__ = ["HeldKeys"]

#: The mark on a key handed in again (it is not held a second time).
_RELEASED = "_techqueue_released"


class HeldKeys:
    """The keys held at one app's door (see the module's docstring)."""

    def __init__(self) -> None:
        #: What is held, in order, each as a way to hand it in to the app (``None``: nothing
        #: is being held).
        self._held: list[Callable[[App[Any]], object]] | None = None

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

    def take(self, event: events.Event) -> bool:
        """Hold ``event``, a key or a paste arriving at the app, when keys are being held
        (``True``: it is held, and must go no further now)."""
        if self._held is None or getattr(event, _RELEASED, False):
            return False
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held.append(partial(_hand_in, events.Key, (event.key, event.character)))
        elif isinstance(event, events.Paste) and not event.is_forwarded:
            self._held.append(partial(_hand_in, events.Paste, (event.text,)))
        else:
            return False
        return True

    def release(self, app: App[Any]) -> None:
        """Hand what is held in again, in order, and stop holding once it is in."""
        held = self._held
        if not held:
            self._held = None
            return
        self._held = []  # what arrives meanwhile waits behind them
        for hand_in in held:
            hand_in(app)
        # Once those are in (the app takes its messages in turn), those held meanwhile.
        app.call_later(self.release, app)


def _hand_in(kind: Callable[..., events.Event], args: tuple[Any, ...], app: App[Any]) -> None:
    """A new event of ``kind`` made of ``args`` and posted to ``app``, marked as handed in
    (it is not held a second time)."""
    event = kind(*args)
    setattr(event, _RELEASED, True)
    app.post_message(event)
