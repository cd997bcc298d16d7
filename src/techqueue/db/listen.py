"""Hearing a team's writes as they happen: ``LISTEN techqueue`` on a connection of its own,
in a thread of its own, so every technician's app shows the others' changes within a second.

Every write transaction of :class:`~techqueue.db.postgres.PostgresDatabase` ends with ``NOTIFY
techqueue``; the listener coalesces what arrives together into one call of ``on_change``.
When the server cannot be reached it says so once (``on_state(False)``), tries again every
``retry`` seconds by itself, and when it is back says so (``on_state(True)``) and calls
``on_change`` (what was written meanwhile was not heard).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from techqueue.db.postgres import CHANNEL, libpq_url

__all__ = ["Listener"]


class Listener:
    """A daemon thread listening for a team's writes."""

    def __init__(
        self,
        url: str,
        on_change: Callable[[], None],
        on_state: Callable[[bool], None],
        *,
        retry: float = 1.0,
        wait: float = 0.25,
        own: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.url = url
        #: The server process of this app's own connection: its writes are already shown.
        self.own = own
        self.on_change = on_change
        self.on_state = on_state
        self.retry = retry
        self.wait = wait
        #: ``None`` until the first connection is tried; then whether the server answers.
        self.connected: bool | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="techqueue-listen", daemon=True)
        self._connection: Any = None

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop listening (the thread notices within ``wait`` seconds)."""
        self._stop.set()
        self._thread.join(timeout)

    def _state(self, connected: bool) -> None:
        if self.connected is not connected:
            was = self.connected
            self.connected = connected
            if was is not None or not connected:  # the first success is not news
                self.on_state(connected)
            if connected and was is False:
                self.on_change()  # what was written while away was not heard

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                connection = psycopg.connect(
                    libpq_url(self.url), autocommit=True, connect_timeout=3
                )
            except psycopg.Error:
                self._state(False)
                self._stop.wait(self.retry)
                continue
            try:
                connection.execute(f"LISTEN {CHANNEL}")
                self._state(True)
                while not self._stop.is_set():
                    heard = False
                    for notice in connection.notifies(timeout=self.wait):
                        heard = heard or notice.pid != self.own()
                    if heard:
                        self.on_change()
            except psycopg.Error:
                self._state(False)
                self._stop.wait(self.retry)
            finally:
                with contextlib.suppress(Exception):
                    connection.close()
