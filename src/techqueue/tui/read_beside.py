"""The app's first rows read in a child process while the launch imports the interface.

Most of the app's start is importing (Textual ~120 ms, the app's own modules ~35), and the
first rows (the kept queue taken up and ranked: ~20 ms at 10,000 items) were read after that,
on the same interpreter, before the first frame. A thread does not help (the interpreter runs
one at a time: ``Session.read_ahead``); a process does. So the launch forks before it imports
the interface: the child reads the first rows on the machine's other core and hands them over
pickled (~17 KB: well under a millisecond each way), and the launch takes them once it has set
the app up (:meth:`Beside.take`).

The child only reads. It opens the store only when opening writes nothing to it
(:func:`techqueue.db.backends.opens_without_writing`: no creating, migrating, switching to
write-ahead logging or rolling back a crash), never runs the day's upkeep, keeps nothing in
the cache, and ends with ``os._exit`` (nothing flushed, closed or written at exit); its
standard streams are ``/dev/null``. Whatever goes wrong there (a team's store, a store not
ready, a config error, a failure, a child slower than :data:`PATIENCE`) only means that the
launch reads the first rows itself, as it did before, and says what it must.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from techqueue.views.board import FirstRows

__all__ = ["PATIENCE", "Beside", "start"]

#: How long the launch waits for the child once it is ready for the rows (seconds): far
#: more than it takes, however large the queue; then it reads them itself.
PATIENCE = 2.0

#: What the child hands over: the first rows, and the column widths kept with them.
Taken = tuple["FirstRows", Mapping[str, int] | None]


class Beside:
    """A child reading the first rows, and the pipe they come through."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe

    def take(self, patience: float = PATIENCE) -> Taken | None:
        """The first rows the child read, and their widths; ``None`` when it read none (it
        could not, or the kept queue could not say them) or took longer than ``patience``
        (then it is stopped). Taken once: the child is waited for, the pipe closed."""
        data = bytearray()
        deadline = time.monotonic() + patience
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                    os.kill(self.pid, signal.SIGKILL)  # (it only reads: nothing half-done)
                    return None
                chunk = os.read(self.pipe, 1 << 16)
                if not chunk:
                    break
                data += chunk
        except OSError:
            return None
        finally:
            os.close(self.pipe)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
        if not data:
            return None
        try:
            taken = pickle.loads(data)
        except Exception:  # (a pickle cut short, or of code changed meanwhile)
            return None
        return taken if isinstance(taken, tuple) and len(taken) == 2 else None


def start(
    db: str | None, user: str | None, limit: int, clock: Callable[[], datetime]
) -> Beside | None:
    """Fork a child that reads the queue's first ``limit`` places of the store ``db``
    (``--db``; ``None``: ``$TECHQUEUE_DB`` or the default) for ``user`` (``--as``) at the
    ``clock``'s time, as ``Session.read_ahead`` does; ``None`` when there is nothing to
    read beside (a team's store, named by a URL) or it cannot be forked."""
    from techqueue.paths import store_target

    if "://" in store_target(db):
        return None
    try:
        reading, writing = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    if pid == 0:
        os.close(reading)
        _read_in_child(db, user, limit, clock, writing)
    os.close(writing)
    return Beside(pid, reading)


def _read_in_child(
    db: str | None, user: str | None, limit: int, clock: Callable[[], datetime], writing: int
) -> NoReturn:
    """In the child: read the first rows, hand them over, and end at once."""
    status = 1
    try:
        nothing = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(nothing, descriptor)
        from techqueue.db.backends import opens_without_writing
        from techqueue.paths import store_target

        if opens_without_writing(Path(store_target(db)).expanduser()):
            data = pickle.dumps(_first_rows(db, user, limit, clock), pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(writing, view) :]
            status = 0
    except BaseException:  # (Ctrl-C too: the launch reads the rows itself)
        pass
    os._exit(status)


def _first_rows(
    db: str | None, user: str | None, limit: int, clock: Callable[[], datetime]
) -> Taken | None:
    from techqueue.config.loader import load
    from techqueue.desk import Desk
    from techqueue.store import open_store
    from techqueue.tui.session import Session

    session = Session(Desk(open_store(db, user=user), load(), None), clock)
    session.read_ahead(limit)
    first = session.first_rows_read()
    return None if first is None else (first, session.kept_widths)
