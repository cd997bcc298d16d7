"""The app's first rows read in a child process while the launch imports the interface.

Most of the app's start is importing (Textual ~120 ms, the app's own modules ~35), and the
first rows (the kept queue taken up and ranked: ~20 ms at 10,000 items) were read after that,
on the same interpreter, before the first frame. A thread does not help (the interpreter runs
one at a time: ``Session.read_ahead``); a process does. So the launch forks before it imports
the interface: the child reads the first rows on another core and hands them over pickled
(~17 KB: well under a millisecond each way), and the launch takes them once it has set the
app up (:meth:`Beside.take`).

The child only reads. It opens the store for reading alone (SQLite refuses any write, and a
store that opening would create, migrate, switch to write-ahead logging or roll back is not
opened: ``EmbeddedDatabase(reading_only=True)``), all of it at one moment; it ranks with the
launch's own settings (inherited, not loaded again: nothing written to the config's cache),
never runs the day's upkeep, keeps nothing in the cache, ignores Ctrl-C (the launch stops
it), and ends with ``os._exit`` (nothing flushed, closed or written at exit); its standard
streams are ``/dev/null``. Whatever goes wrong there (no ``fork``, a single processor, a
team's store, a store not readable as it is, a failure, a child slower than
:data:`PATIENCE`) only means that the launch reads the first rows itself, as it did before.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from datetime import datetime

    from techqueue.core.settings import Settings
    from techqueue.views.board import FirstRows

__all__ = ["PATIENCE", "Beside", "start"]

#: How long the launch waits for the child once it is ready for the rows (seconds): many
#: times what it takes; then it reads them itself.
PATIENCE = 1.0

#: What the child hands over: the first rows (``None``: the kept queue could not say them),
#: and the column widths kept with them.
Taken = tuple["FirstRows | None", Mapping[str, int] | None]


class Beside:
    """A child reading the first rows, and the pipe they come through."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe

    def take(self, patience: float = PATIENCE) -> Taken | None:
        """What the child read (see :data:`Taken`); ``None`` when it could not read (then
        the launch reads), or took longer than ``patience``. Taken once: then the child is
        gone (stopped if it has not ended) and the pipe closed."""
        if self.pipe < 0:
            return None
        data = bytearray()
        whole = False
        deadline = time.monotonic() + patience
        try:
            waiting = select.poll()  # (any descriptor, however many are open)
            waiting.register(self.pipe, select.POLLIN)
            while (left := deadline - time.monotonic()) > 0:
                if not waiting.poll(max(1, round(left * 1000))):
                    break
                chunk = os.read(self.pipe, 1 << 16)
                if not chunk:
                    whole = True
                    break
                data += chunk
        except (OSError, ValueError):
            whole = False
        finally:
            self.abandon(stop=not whole)
        if not whole or not data:
            return None
        try:
            taken = pickle.loads(data)
        except Exception:  # (a pickle cut short)
            return None
        return taken if isinstance(taken, tuple) and len(taken) == 2 else None

    def abandon(self, *, stop: bool = True) -> None:
        """Let the child go: stopped (``stop``: it only reads, nothing is left half-done)
        and waited for, the pipe closed. Done once; :meth:`take` does it."""
        if self.pipe < 0:
            return
        os.close(self.pipe)
        self.pipe = -1
        if stop:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def start(
    db: str | None,
    user: str | None,
    limit: int,
    clock: Callable[[], datetime],
    settings: Settings,
) -> Beside | None:
    """Fork a child that reads the queue's first ``limit`` places of the store ``db``
    (``--db``; ``None``: ``$TECHQUEUE_DB`` or the default) for ``user`` (``--as``) at the
    ``clock``'s time with ``settings``, as ``Session.read_first`` does; ``None`` when there
    is nothing to gain (no ``fork``, a single processor, a team's store named by a URL) or
    it cannot be forked."""
    from techqueue.paths import store_target

    if not hasattr(os, "fork") or _processors() < 2 or "://" in store_target(db):
        return None
    try:
        reading, writing = os.pipe()
    except OSError:
        return None
    # Ctrl-C is held while the child is made: the child ignores it (the launch stops it),
    # the launch answers it as it always did.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except (OSError, RuntimeError):
        os.close(reading)
        os.close(writing)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return None
    if pid == 0:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            os.close(reading)
            _read_in_child(db, user, limit, clock, settings, writing)
        finally:
            os._exit(1)
    os.close(writing)
    beside = Beside(pid, reading)
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # (a Ctrl-C held is raised here)
    except BaseException:
        beside.abandon()
        raise
    return beside


def _processors() -> int:
    """The processors this process may run on: with one, a child would only take turns with
    the launch."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _read_in_child(
    db: str | None,
    user: str | None,
    limit: int,
    clock: Callable[[], datetime],
    settings: Settings,
    writing: int,
) -> NoReturn:
    """In the child: read the first rows, hand them over, and end at once."""
    status = 1
    try:
        nothing = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(nothing, descriptor)
        data = pickle.dumps(_first_rows(db, user, limit, clock, settings), pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(writing, view) :]
        status = 0
    except BaseException:  # (nothing handed over: the launch reads the rows itself)
        pass
    os._exit(status)


def _first_rows(
    db: str | None,
    user: str | None,
    limit: int,
    clock: Callable[[], datetime],
    settings: Settings,
) -> Taken:
    from techqueue.db.backends import EmbeddedDatabase
    from techqueue.desk import Desk
    from techqueue.paths import store_target
    from techqueue.store import Store
    from techqueue.tui.session import Session

    database = EmbeddedDatabase(Path(store_target(db)).expanduser(), reading_only=True)
    session = Session(Desk(Store(database, user), settings, None), clock)
    first = session.read_first(limit)
    return first, None if first is None else session.kept_widths
