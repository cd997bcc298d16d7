"""The one way a key runs a store action: in a worker thread, in the order the keys were
pressed, with a refusal shown as a warning and the screen told what came of it.

The main screen and the review screen both act through :meth:`RunsActions.act`, so a key on
either is saved in turn with the other's (see :class:`~techqueue.tui.action_line.ActionLine`),
and a quit waits for them all (the app waits for the workers of the ``act`` group).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from textual.screen import Screen
from textual.worker import get_current_worker

from techqueue.desk import Desk
from techqueue.errors import StoreError
from techqueue.tui.session import Session

__all__ = ["ACT_GROUP", "RunsActions"]

#: The worker group of store actions: the app's quit waits for these.
ACT_GROUP = "act"
#: How long an action's worker waits for the frame showing it ahead of the store (seconds).
FRAME_WAIT = 0.25

Result = TypeVar("Result")
Follow = TypeVar("Follow")


def _cancelled() -> bool:
    return get_current_worker().is_cancelled


class RunsActions(Screen[Any]):
    """A screen whose keys change the store."""

    session: Session

    def say(self, message: str, severity: str = "information") -> None:
        """A notification; user text in it is never read as markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def act(
        self,
        action: Callable[[Desk, datetime], Result],
        done: str | Callable[[Result], str] | None = None,
        *,
        follow: Callable[[Result, int], Follow] | None = None,
        show: Callable[[Result, Follow | None], None] | None = None,
        refused: Callable[[], object] | None = None,
        after: threading.Event | None = None,
    ) -> None:
        """Run ``action`` (``lambda desk, now: actions.done(desk, 12, now)``) in its turn.

        Then, still in the worker, ``follow(result, ticket)`` (a re-read, say); then, on the
        screen, ``show(result, followed)`` and the ``done`` message. A refusal of the store
        is a warning, after which ``refused`` runs (to put back what was shown ahead of it).
        With ``after`` (the action is already on screen) the worker first waits, briefly,
        for that event: the frame showing it is drawn before the write competes with it.
        """
        ticket = self.session.actions.ticket()
        work = partial(self._run, ticket, action, done, follow, show, refused, after)
        self.run_worker(work, thread=True, group=ACT_GROUP, exit_on_error=False)

    def _run(
        self,
        ticket: int,
        action: Callable[[Desk, datetime], Result],
        done: str | Callable[[Result], str] | None,
        follow: Callable[[Result, int], Follow] | None,
        show: Callable[[Result, Follow | None], None] | None,
        refused: Callable[[], object] | None,
        after: threading.Event | None,
    ) -> None:
        session, call = self.session, self.app.call_from_thread
        with session.actions.turn(ticket, _cancelled) as mine:
            if not mine:
                return
            if after is not None:
                after.wait(FRAME_WAIT)
            try:
                result = session.run(action)
            except StoreError as error:
                call(self.say, str(error), "warning")
                if refused is not None:
                    call(refused)
                return
            followed = follow(result, ticket) if follow is not None else None
            message = done(result) if callable(done) else done

            def finish() -> None:
                if show is not None:
                    show(result, followed)
                if message:
                    self.say(message)

            call(finish)
