"""Keys (pastes, clicks) held while the main screen shows only the queue's first rows, and
passed on, in the order they came, once the whole board is drawn.

The app draws the first screen of rows before it has read the whole queue (see
:class:`~techqueue.views.board.FirstRows`). Nothing a key does may act on that part as if it
were the whole queue: a start or a done needs the job in hand, quick-add places the new item
among every item, the filter counts what it finds. So every key, and every paste (text
pasted in a terminal with bracketed paste arrives as one event, not as keys), is held at the
app's door until the whole board is on screen, then handed in again as if just typed; a line
typed or pasted after ``a`` reaches the quick-add box as it would have. Keys arriving while
the held ones are handed in are held behind them, so none overtakes an earlier one.

A click on one of the first rows is held in turn with them too (:meth:`HeldKeys.take_call`,
from the main screen), as the item it was on: the rows do not move under the pointer, so
``j``, a click on the fourth row, ``d`` asks about the fourth row's item, as it would on
the whole board. Moving the cursor at once instead would let the ``j`` typed before the
click act after it. And the whole board keeps the cursor on the row the first rows had
selected while anything is held, so what was typed and clicked acts from where it was seen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import events
from textual.app import App

__all__ = ["HeldCall", "HeldKeys"]

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

    def take_call(self, callback: Callable[[], object]) -> bool:
        """Hold ``callback`` (what a click on the first rows does) in turn with the keys,
        when they are being held: handed in (:class:`HeldCall`), it is run after the keys
        held before it have acted (``True``: it is held, and must not be done now)."""
        if self._held is None:
            return False
        self._held.append(partial(_hand_in, HeldCall, (callback,)))
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


class HeldCall(events.Key):
    """What a click held in turn with the keys does, handed in as a key of its own.

    It travels the keys' way, to the focused widget and back up to the app, where a key's
    binding runs as it arrives there, and it runs there too (the app's ``on_held_call``):
    after the keys handed in before it have acted. (Given to the widget clicked directly, it
    would overtake them: their bindings run only once they are back at the app.) No widget
    takes it for a key: its handler's name is its own."""

    def __init__(self, callback: Callable[[], object]) -> None:
        super().__init__("techqueue_held_call", None)
        self.callback = callback
