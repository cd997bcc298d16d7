"""The full-screen app: it loads nothing itself, opens the technician's session at the desk
and pushes the first screen. Behaviour lives in :mod:`techqueue.tui`."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from techqueue.core.settings import Settings
from techqueue.desk import Desk, Hooks
from techqueue.paths import hooks_dir
from techqueue.store import Store
from techqueue.tui.dialogs import key_label, pass_typed_ahead, what_it_does
from techqueue.tui.errors import ReportsWorkerErrors
from techqueue.tui.held_keys import HeldCall, HeldKeys
from techqueue.tui.runner import ACT_GROUP
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.session import Session

__all__ = ["ReviewApp", "TechQueueApp"]


class _DeskApp(ReportsWorkerErrors, App[None]):
    """What both apps share: the session at the desk, the user's keymap, and a quit that
    waits for the actions already asked for to be saved (keys can arrive together)."""

    CSS_PATH = "app.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Quit (Ctrl+C does not)")]

    def __init__(self, store: Store, settings: Settings, clock: Callable[[], datetime]) -> None:
        super().__init__()
        hooks = Hooks(hooks_dir(), report=self._hook_failed, background=True)
        self.session = Session(Desk(store, settings, hooks), clock)
        #: Keys held while the main screen shows only the queue's first rows.
        self.held_keys = HeldKeys()
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))  # before the first screen's keys are shown

    def _hook_failed(self, line: str) -> None:
        """A hook that failed or hung, said as a warning (from the hook's own thread)."""
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile: no one to tell
            self.call_from_thread(self.notify, line, severity="warning", markup=False)

    async def action_quit(self) -> None:
        pending = [worker for worker in self.workers if worker.group == ACT_GROUP]
        if pending:
            await self.workers.wait_for_complete(pending)
        self.exit()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.key == "ctrl+j" and not event.is_forwarded:
            # Enter typed before the app had the terminal (a line typed as it starts): the
            # terminal, not yet raw, turned its carriage return into a line feed. Nothing
            # binds Ctrl+J, and a shell takes it as Enter too.
            event = events.Key("enter", "\r")
        if self.held_keys.take(event):  # a key or a paste, while the first rows show
            return  # handed in again once the whole queue is on screen
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        pass_typed_ahead(self, event)  # nothing typed is lost to a dialog still opening

    def on_paste(self, event: events.Paste) -> None:
        pass_typed_ahead(self, event)  # nor anything pasted

    def on_held_call(self, event: HeldCall) -> None:
        """A click held over the first rows, done now, in turn with the keys held."""
        event.stop()
        event.callback()

    def get_default_screen(self) -> Screen[None]:
        """The app opens on its first screen: pushed over Textual's empty default one, both
        were set up and the first restyled again as it came back into view (~13 ms of the
        first paint)."""
        return self.first_screen()

    def first_screen(self) -> Screen[None]:
        raise NotImplementedError


class TechQueueApp(_DeskApp):
    """``techqueue`` with no arguments: the triage desk a technician keeps open all day."""

    TITLE = "techqueue"

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime],
        *,
        notifier: str | None = "notify-send",
    ) -> None:
        super().__init__(store, settings, clock)
        #: The desktop notifier's path (``notify-send``), or ``None`` when there is none.
        self.notifier = shutil.which(notifier) if notifier else None

    def first_screen(self) -> Screen[None]:
        if self.session.first_rows_read() is not None:
            # The first rows are drawn before the whole queue is read: keys typed as the app
            # starts (before its screen is up) wait for the whole queue too, as those typed
            # over the first rows do (see MainScreen.reload).
            self.held_keys.hold()
        return MainScreen(self.session)

    def notify_desktop(self, texts: list[str]) -> None:
        """Due reminders as desktop notifications too, where the desktop has a notifier; in
        a worker, since the notifier may take a moment (or hang without a session bus)."""
        notifier = self.notifier
        if notifier is None or not texts:
            return

        def send() -> None:
            for text in texts:
                subprocess.run(
                    [notifier, "--app-name=techqueue", "techqueue reminder", text],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=5,
                    check=False,
                )

        self.run_worker(send, thread=True, group="desktop", exit_on_error=False)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every action of the main screen, with its key."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in MainScreen.BINDINGS:
                if isinstance(binding, Binding):
                    yield SystemCommand(
                        f"{binding.description} ({key_label(self, binding)})",
                        what_it_does(binding),
                        partial(screen.run_action, binding.action),
                    )


class ReviewApp(_DeskApp):
    """``techqueue review`` in a terminal: the review screen on its own; Escape leaves."""

    TITLE = "techqueue review"

    def __init__(
        self,
        store: Store,
        settings: Settings,
        clock: Callable[[], datetime],
        start: datetime,
        end: datetime,
    ) -> None:
        super().__init__(store, settings, clock)
        self._period = (start, end)

    def first_screen(self) -> Screen[None]:
        from techqueue.tui.screens.review import ReviewScreen

        start, end = self._period
        return ReviewScreen(self.session, start, end, standalone=True)
