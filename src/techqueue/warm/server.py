"""The warm process: the short commands (and, in team mode, psycopg) imported once, a child
forked per command (the other side is :mod:`techqueue.warm.client`).

Started detached by a command that found none (``python -P -c``, a session of its own, its
streams on ``/dev/null``); one per user, interpreter and installed code, and per team store
URL (one serves every solo SQLite store: the key, :func:`techqueue.warm.client.key`), held by
a lock file. It listens on a Unix socket in an
owner-only directory (the socket 0600, each peer's uid checked with ``SO_PEERCRED``). For each
command it forks a child that takes the command's standard streams, working directory,
environment, umask and argv, and runs :func:`techqueue.cli.main.main` with its own fresh
connection, exactly as the command's own process would; the child's exit status goes back,
and the signals the command receives are passed on to the child's process group.

The next command's child is forked ahead (the *standby*): a child tells the warm process
which kept files its command used (the kept queue, the kept listing), and once a command has
ended a standby is forked that reads those the latest commands used and takes them apart
while the technician reads the output (a tenth of ``list --json`` at 10,000 items, off its
path); it says so, and waits. The next command runs in it, exactly as in a child forked for
it: a kept file replaced since it was read ahead is read again
(:func:`techqueue.views.kept_queue.read_kept`), and a Ctrl-C before the command runs is held
until its streams are set. A command that comes before the standby has read ahead (one
typed at once, a read stuck on a hung file system) gets a child forked for it, as without,
and the standby waits for the next; one that cannot take its command is killed. Solo mode only (a
team's commands keep no files); one standby at a time; none is forked in place of one that
died until a command ends; it ends with the warm process (its channel closes).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import io
import marshal
import os
import select
import selectors
import signal
import socket
import struct
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from techqueue.warm import client as warm

__all__ = ["IDLE", "Request", "main"]

#: Seconds without a command before the warm process exits (``TECHQUEUE_WARM_IDLE``).
IDLE = 600.0
#: How often, at most, it compares its key with the installed code's.
_CHECK = 5.0
#: How long a command may take to send its request (and a standby to take it).
_REQUEST_SECONDS = 5.0
#: The largest request taken (the environment is most of it).
_LARGEST = 1 << 22
#: The signals a command may pass on (Ctrl-Z's SIGTSTP stops the child as SIGSTOP: one that
#: has no terminal may not be stopped by it; SIGCONT, as the command goes on, wakes it).
_SIGNALS = frozenset(
    {signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGTSTP, signal.SIGCONT}
)

#: How many kept files, the latest used first, a standby reads ahead (a store's kept queue
#: and listing, and another store's).
_HINTED = 4

#: What the short commands import besides their own modules (``registry.load`` brings those):
#: imported once here, so that a child does not. One missing (moved, or not there yet) is
#: passed over: the child imports what it needs, as its own process would.
PRELOAD = (
    "mmap",  # (the kept caches are mapped)
    "orjson",
    "platformdirs",
    "techqueue.actions",
    "techqueue.actions.items",
    "techqueue.actions.notes",
    "techqueue.actions.people",
    "techqueue.actions.several",
    "techqueue.actions.team",
    "techqueue.actions.waiting",
    "techqueue.cli.clock",
    "techqueue.cli.context",
    "techqueue.cli.fastpath",
    "techqueue.cli.main",
    "techqueue.config.loader",
    "techqueue.core.advice",
    "techqueue.core.guard",
    "techqueue.core.quickadd",
    "techqueue.core.reranker",
    "techqueue.db.postgres",
    "techqueue.desk",
    "techqueue.kept",
    "techqueue.store",
    "techqueue.upkeep.daily",
    "techqueue.views.advice",
    "techqueue.views.followups",
    "techqueue.views.item",
    "techqueue.views.json",
    "techqueue.views.kept_listing",
    "techqueue.views.kept_queue",
    "techqueue.views.listing",
    "techqueue.views.overload",
    "techqueue.views.ranking",
    "techqueue.views.text",
    "zoneinfo",  # (the local zone: with it, sysconfig for the tz database's path)
)


#: A solo warm process's: the same, less the team's driver.
SOLO_PRELOAD = tuple(name for name in PRELOAD if name != "techqueue.db.postgres")


@dataclass
class Request:
    """A command as its own process would have run it."""

    argv: list[str]
    env: dict[str, str]
    umask: int
    streams: list[tuple[str, str, bool]]
    """Each standard stream's encoding, errors and whether it is unbuffered (``-u``)."""
    descriptors: list[int]
    """Its standard input, output and error, and its working directory."""
    hints: int = -1
    """Where the child tells the warm process the kept files its command used (the standby
    reads them ahead for the next command); ``-1``: nowhere."""


@dataclass
class _Running:
    """A forked command and the connection its status goes back on."""

    pid: int
    connection: socket.socket | None


@dataclass
class _Standby:
    """A child forked ahead of the next command: it reads ahead the kept files the latest
    commands used, says so on ``channel`` (one byte: how many it read), and waits there for
    the command."""

    pid: int
    channel: socket.socket
    names: tuple[str, ...] = ()
    """The kept files it was asked to read ahead."""
    ready: bool = False
    """It has read ahead, and waits."""
    ahead: int = 0
    """How many kept files it read ahead."""


@dataclass
class _Server:
    path: str
    key_text: str
    url: str
    lock: int
    idle: float
    pid: int = field(default_factory=os.getpid)
    running: dict[int, _Running] = field(default_factory=dict)
    stopping: bool = False
    served: int = 0
    listener: socket.socket | None = None
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    wake: tuple[int, int] = (-1, -1)
    hints: tuple[int, int] = (-1, -1)
    """The pipe a child says on which kept files its command used (:func:`_hint`)."""
    hinted: list[str] = field(default_factory=list)
    """The kept files the latest commands used, the latest first: what a standby reads
    ahead."""
    standby: _Standby | None = None
    inode: int = 0
    standing: str = field(default_factory=lambda: warm.standing("self"))
    """Its own privileges, limits and namespaces: a caller's must be the same
    (:func:`techqueue.warm.client.standing`)."""

    def serve(self) -> Request | None:
        """Serve commands until idle, stale or stopped (``None``); in a forked child, return
        its request (the child runs it)."""
        try:
            self._listen()
            self._say()
            last = time.monotonic()
            check = min(_CHECK, max(0.2, self.idle / 4))
            next_check = last + check
            while self.listener is not None or self.running:
                now = time.monotonic()
                timeout = check if self.running else min(next_check, last + self.idle) - now
                for found, _ in self.selector.select(max(0.0, timeout)):
                    if not self._still(found):
                        continue  # (let go by an event before it in this batch)
                    if found.data == "listen":
                        request = self._accept()
                        if request is not None:
                            return request
                    elif found.data == "wake":
                        with contextlib.suppress(OSError):
                            os.read(self.wake[0], 512)
                        if self._reap():  # (not for a standby that died: no loop of them)
                            self._take_hints()
                            if self._stand_by():
                                return self._wait_as_standby()
                    elif found.data == "hints":
                        self._take_hints()
                    elif isinstance(found.data, _Standby):
                        self._standby_said(found.data)
                    else:
                        self._from_client(found.data)
                    last = time.monotonic()
                now = time.monotonic()
                if self.stopping:
                    self._close()
                if not self.running and now - last >= self.idle:
                    self._close()
                if now >= next_check:
                    next_check = now + check
                    if not self._current():
                        self._close()
            return None
        finally:
            if os.getpid() == self.pid:
                self._close()

    def _current(self) -> bool:
        """Whether this process should still take commands: its code is the installed code,
        and its socket is still where commands look for it (not removed, as a runtime
        directory is at logout, nor taken over)."""
        if warm.key(self.url, os.environ) != self.key_text:
            return False
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    def _listen(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)  # a dead process's socket: the lock says none is alive
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        mask = os.umask(0o177)
        try:
            listener.bind(self.path)
        finally:
            os.umask(mask)
        os.chmod(self.path, 0o600)
        self.inode = os.stat(self.path).st_ino
        listener.listen(16)
        listener.setblocking(False)
        self.listener = listener
        self.selector.register(listener, selectors.EVENT_READ, "listen")
        self.wake = os.pipe()
        for end in self.wake:
            os.set_blocking(end, False)
        signal.set_wakeup_fd(self.wake[1])
        self.selector.register(self.wake[0], selectors.EVENT_READ, "wake")
        if self.url == warm.SOLO:  # (a team's commands keep no files)
            self.hints = os.pipe()
            for end in self.hints:  # (a child never waits to say, nor the process to hear)
                os.set_blocking(end, False)
            self.selector.register(self.hints[0], selectors.EVENT_READ, "hints")
        signal.signal(signal.SIGCHLD, lambda number, frame: None)
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(number, self._stop)

    def _say(self) -> None:
        """``PID COUNT STANDBY AHEAD`` in the lock file: listening, how many commands it has
        run, its standby child's pid once it waits (0: none) and how many kept files that
        read ahead (the tests and the benchmark read it)."""
        standby, ahead = 0, 0
        if self.standby is not None and self.standby.ready:
            standby, ahead = self.standby.pid, self.standby.ahead
        # (padded: the line never gets shorter, so no reader sees it cut or emptied)
        line = f"{self.pid} {self.served} {standby:<10} {ahead:<3}\n"
        with contextlib.suppress(OSError):
            os.pwrite(self.lock, line.encode(), 0)

    def _stop(self, number: int, frame: Any) -> None:
        self.stopping = True

    def _close(self) -> None:
        """Stop taking commands: the socket removed, the lock given up (a new warm process
        may start); the commands running are finished."""
        if self.listener is not None:
            self.selector.unregister(self.listener)
            self.listener.close()
            self.listener = None
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        self._let_standby_go()
        if self.lock >= 0:
            with contextlib.suppress(OSError):
                os.unlink(self.path.removesuffix(".sock") + ".lock")  # while still held
            os.close(self.lock)
            self.lock = -1

    def _accept(self) -> Request | None:
        assert self.listener is not None
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return None
        connection.setblocking(True)
        connection.settimeout(_REQUEST_SECONDS)
        descriptors: list[int] = []
        try:
            peer = connection.getsockopt(
                socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")
            )
            pid, uid, _ = struct.unpack("3i", peer)
            if uid != os.getuid() or pid <= 0 or warm.standing(str(pid)) != self.standing:
                connection.close()  # another user, or a caller with less than this process has
                return None
            request, descriptors, signals = self._read(connection)
            if request is None:
                connection.sendall(warm.REFUSED)
                raise OSError("refused")
            connection.sendall(warm.ACCEPTED)
        except (OSError, ValueError, EOFError, TypeError):
            for descriptor in descriptors:
                os.close(descriptor)
            connection.close()
            return None
        pid = self._hand_to_standby(request)
        if pid is None:
            try:
                pid = _fork()
            except OSError as error:
                with contextlib.suppress(OSError):
                    os.write(descriptors[2], f"techqueue: the warm helper: {error}\n".encode())
                    connection.sendall((1).to_bytes(4, "big", signed=True))
                for descriptor in descriptors:
                    os.close(descriptor)
                connection.close()
                return None
            if pid == 0:
                self._in_child(connection)
                request.hints = self.hints[1]
                return request
            with contextlib.suppress(OSError):
                os.setpgid(pid, pid)
        self.served += 1
        self._say()
        for descriptor in descriptors:
            os.close(descriptor)
        connection.settimeout(None)
        connection.setblocking(False)
        running = _Running(pid, connection)
        self.running[pid] = running
        self.selector.register(connection, selectors.EVENT_READ, running)
        for number in signals:
            self._signal(running, number)
        return None

    def _read(self, connection: socket.socket) -> tuple[Request | None, list[int], bytes]:
        """The request (``None``: another key or protocol), the descriptors it brought, and
        any signal bytes sent after it."""
        data, descriptors, flags, _ = socket.recv_fds(connection, 1 << 16, 4)
        if flags & socket.MSG_CTRUNC or len(descriptors) != 4:
            for descriptor in descriptors:
                os.close(descriptor)
            raise ValueError("a request without its four descriptors")
        try:
            while len(data) < 4:
                data += self._more(connection, 4 - len(data))
            size = int.from_bytes(data[:4], "big")
            if size > _LARGEST:
                raise ValueError("too large a request")
            while len(data) < 4 + size:
                data += self._more(connection, 4 + size - len(data))
            protocol, key_text, argv, env, umask, streams = marshal.loads(data[4 : 4 + size])
        except BaseException:
            for descriptor in descriptors:
                os.close(descriptor)
            raise
        if protocol != warm.PROTOCOL or key_text != self.key_text:
            return None, descriptors, b""
        request = Request(
            [str(arg) for arg in argv],
            {str(name): str(value) for name, value in env.items()},
            int(umask),
            [(str(encoding), str(errors), bool(raw)) for encoding, errors, raw in streams],
            descriptors,
        )
        return request, descriptors, data[4 + size :]

    @staticmethod
    def _more(connection: socket.socket, size: int) -> bytes:
        more = connection.recv(size)
        if not more:
            raise EOFError("the command went away")
        return more

    def _still(self, found: selectors.SelectorKey) -> bool:
        """Whether an event's source is still the one registered (an event before it in the
        same batch may have let it go, and its descriptor may be another's by now)."""
        try:
            return self.selector.get_key(found.fileobj) is found
        except (KeyError, ValueError):
            return False

    def _from_client(self, running: _Running) -> None:
        """A signal for the child, or the command gone (killed): its child is ended."""
        if running.connection is None:
            return  # (its command ended, in the same batch)
        try:
            data = running.connection.recv(64)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._signal(running, signal.SIGTERM)
            self._forget(running)
            return
        for number in data:
            self._signal(running, number)

    @staticmethod
    def _signal(running: _Running, number: int) -> None:
        if number in _SIGNALS:
            with contextlib.suppress(OSError):
                os.killpg(running.pid, signal.SIGSTOP if number == signal.SIGTSTP else number)

    def _forget(self, running: _Running) -> None:
        if running.connection is not None:
            self.selector.unregister(running.connection)
            running.connection.close()
            running.connection = None

    def _reap(self) -> bool:
        """Each child that ended: its exit status to its command. Whether a command ended."""
        ended = False
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return ended
            if pid == 0:
                return ended
            if self.standby is not None and pid == self.standby.pid:
                self._let_standby_go(stop=False)  # (it died waiting)
                continue
            running = self.running.pop(pid, None)
            ended = ended or running is not None
            if running is None or running.connection is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            running.connection.setblocking(True)
            with contextlib.suppress(OSError):
                running.connection.sendall(code.to_bytes(4, "big", signed=True))
            self._forget(running)

    # --- the standby: the next command's child, forked and its files read ahead -------------

    def _take_hints(self) -> None:
        """What the children that ended said of the kept files their commands used: the
        files the latest commands used, the latest first, are what the next command most
        likely reads (``next`` and ``show`` use the kept queue, ``list --json`` the listing
        beside it too; ``add`` uses none)."""
        if self.hints[0] < 0:
            return
        said = b""
        with contextlib.suppress(OSError):
            while chunk := os.read(self.hints[0], 1 << 16):
                said += chunk
        for record in said.split(b"\0\0"):
            names = [os.fsdecode(name) for name in record.split(b"\0") if name]
            if names:
                kept = [name for name in self.hinted if name not in names]
                self.hinted = (names + kept)[:_HINTED]
        standby = self.standby
        if standby is not None and set(standby.names) != set(self.hinted):
            self._let_standby_go()  # (another is forked to read what is used now)

    def _stand_by(self) -> bool:
        """Fork a standby child, unless one waits already, none is wanted (nothing hinted,
        a team's process, or stopping) or it cannot be forked; ``True`` in the standby."""
        if self.standby is not None or not self.hinted or self.listener is None:
            return False
        if self.stopping:
            return False
        try:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        except OSError:
            return False
        try:
            pid = _fork()
        except OSError:
            ours.close()
            theirs.close()
            return False
        hinted = tuple(self.hinted)
        if pid == 0:
            ours.close()
            self._in_child(None)
            self.standby = _Standby(os.getpid(), theirs, hinted)
            from techqueue.views import kept_queue

            ahead = 0
            with contextlib.suppress(Exception):  # (a read ahead only ever saves time)
                ahead = kept_queue.read_ahead(hinted)
            gc.freeze()  # (what was read ahead is never garbage: no collection walks it)
            try:
                theirs.sendall(bytes([min(ahead, 255)]))
            except OSError:
                os._exit(0)  # (the warm process let it go meanwhile)
            return True
        theirs.close()
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        self.standby = _Standby(pid, ours, hinted)
        self.selector.register(ours, selectors.EVENT_READ, self.standby)
        return False

    def _standby_said(self, standby: _Standby) -> None:
        """The standby has read ahead (or has gone: it is let go, and reaped as it ends)."""
        if standby is not self.standby:
            return  # (let go already)
        try:
            said = standby.channel.recv(1)
        except BlockingIOError:
            return
        except OSError:
            said = b""
        if not said or standby is not self.standby:
            self._let_standby_go()
            return
        standby.ready, standby.ahead = True, said[0]
        self.selector.unregister(standby.channel)
        self._say()

    def _wait_as_standby(self) -> Request:
        """In the standby: wait for a command, and return it. The process ends when the warm
        process lets it go or goes (status 0, nothing to say), or when the command cannot
        be taken (status 1, said on the command's standard error)."""
        assert self.standby is not None
        channel = self.standby.channel
        try:
            data, descriptors, flags, _ = socket.recv_fds(channel, 1 << 16, 4)
        except OSError:
            os._exit(0)
        if not data and not descriptors:
            os._exit(0)  # let go
        try:
            if flags & socket.MSG_CTRUNC or len(descriptors) != 4:
                raise ValueError("a command without its four descriptors")
            while len(data) < 4:
                data += self._more(channel, 4 - len(data))
            size = 4 + int.from_bytes(data[:4], "big")
            while len(data) < size:
                data += self._more(channel, size - len(data))
            argv, env, umask, streams = marshal.loads(data[4:size])
        except (OSError, ValueError, EOFError, TypeError) as error:
            if len(descriptors) > 2:
                with contextlib.suppress(OSError):
                    os.write(descriptors[2], f"techqueue: the warm helper: {error}\n".encode())
            os._exit(1)
        channel.close()
        return Request(argv, env, umask, streams, descriptors, self.hints[1])

    def _hand_to_standby(self, request: Request) -> int | None:
        """Hand ``request`` to the standby child (its pid), or ``None`` when there is none
        that has read ahead yet: then a child is forked for the command, as without, and
        the standby, still reading (a command that came at once, or a read stuck on a hung
        file system), waits for the next. One that cannot take the request within
        :data:`_REQUEST_SECONDS` (stopped, gone) is killed (it has run nothing)."""
        standby = self.standby
        if standby is None or not standby.ready:
            return None
        self.standby = None
        body = marshal.dumps((request.argv, request.env, request.umask, request.streams))
        message = len(body).to_bytes(4, "big") + body
        standby.channel.settimeout(_REQUEST_SECONDS)
        try:
            sent = socket.send_fds(standby.channel, [message[: 1 << 16]], request.descriptors)
            if sent < len(message):  # (not even an empty send once it has all: it has gone on)
                standby.channel.sendall(message[sent:])
        except OSError:
            with contextlib.suppress(OSError):
                os.kill(standby.pid, signal.SIGKILL)
            return None
        finally:
            standby.channel.close()
        return standby.pid

    def _let_standby_go(self, *, stop: bool = True) -> None:
        """The standby child ends: its channel closed, it has nothing to wait for; stopped
        (``stop``: unless it has ended already)."""
        standby, self.standby = self.standby, None
        if standby is None:
            return
        if not standby.ready:
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(standby.channel)
        standby.channel.close()
        if stop:
            with contextlib.suppress(OSError):  # (it holds nothing: its read ahead is not needed)
                os.kill(standby.pid, signal.SIGKILL)
        self._say()

    def _in_child(self, connection: socket.socket | None) -> None:
        """The forked child lets go of everything of the warm process's (but the end of the
        pipe it says on which kept files its command used)."""
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, _hold_interrupt)  # (until the command's streams are set)
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        for running in self.running.values():
            if running.connection is not None:
                running.connection.close()
        self.running.clear()
        if connection is not None:
            connection.close()
        if self.standby is not None:
            self.standby.channel.close()
            self.standby = None
        if self.hints[0] >= 0:
            os.close(self.hints[0])
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        self.selector.close()
        for end in self.wake:
            os.close(end)
        if self.lock >= 0:
            os.close(self.lock)
            self.lock = -1
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _BLOCKED)  # (held since the fork: _fork)


#: The signals held across a fork until the child has its own handlers (a Ctrl-C passed on
#: at once would otherwise reach the warm process's handler in the child, and be lost).
_BLOCKED = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


def _fork() -> int:
    """``os.fork`` with :data:`_BLOCKED` held: unblocked here in the warm process, and in
    the child once it has its own handlers (:meth:`_Server._in_child`)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pid


def main() -> int:
    """The warm process: serve until idle or stale; in each forked child, run its command."""
    os.closerange(3, 1 << 16)  # nothing of the starting command's is held for minutes
    os.chdir("/")
    env = os.environ
    url = warm.store_key(env.get("TECHQUEUE_WARM_DB") or env.get("TECHQUEUE_DB", ""))
    folder = warm.directory(env, create=True)
    if folder is None or not warm.enabled(env):
        return 0
    key_text = warm.key(url, env)  # before the imports: code changed after them is stale
    path = warm.socket_path(folder, key_text)
    lock = _lock(path.removesuffix(".sock") + ".lock")
    if lock is None:
        return 0  # one is running already
    try:
        idle = float(env.get("TECHQUEUE_WARM_IDLE") or IDLE)
    except ValueError:
        idle = IDLE
    try:
        _preload(team=url != warm.SOLO)
    except ImportError:
        return 0
    request = _Server(path, key_text, url, lock, idle).serve()
    if request is None:
        return 0
    return _become(request)


def _lock(path: str) -> int | None:
    """The warm process's lock, or ``None`` when another holds it (or held it, and removed it
    as it left). Once the process listens it says its pid, how many commands it has run and
    its standby (``PID COUNT STANDBY AHEAD``: :meth:`_Server._say`); empty until then.
    Removed, while still held, when the process stops."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(descriptor).st_ino != os.stat(path).st_ino:
            raise OSError("the lock file was removed by the warm process that held it")
    except OSError:
        os.close(descriptor)
        return None
    os.ftruncate(descriptor, 0)
    return descriptor


def _preload(*, team: bool) -> None:
    """Import what the short commands need, then set it aside from the collector (a child
    then shares those pages with the warm process instead of copying them). A solo warm
    process leaves psycopg alone: its children never reach a server."""
    import importlib

    if team:
        import psycopg  # noqa: F401  (without it there is no team mode: the process exits)

    from techqueue.cli.registry import load

    for name in PRELOAD if team else SOLO_PRELOAD:
        with contextlib.suppress(ModuleNotFoundError):  # a module moved: the child imports it
            importlib.import_module(name)
    for command in sorted(warm.COMMANDS):
        load(command)
    gc.collect()
    gc.freeze()


def _become(request: Request) -> int:
    """In the forked child: take the command's streams, directory, environment, umask and
    argv, and run it as its own process would."""
    stdin, stdout, stderr, here = request.descriptors
    for target, descriptor in enumerate((stdin, stdout, stderr)):
        os.dup2(descriptor, target)
    os.fchdir(here)
    for descriptor in set(request.descriptors):
        if descriptor > 2:
            os.close(descriptor)
    os.environ.clear()
    os.environ.update(request.env)
    time.tzset()
    os.umask(request.umask)
    sys.argv = list(request.argv)
    _streams(request.streams)
    from techqueue.cli.main import finish, main

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if _INTERRUPTED:
            raise KeyboardInterrupt
        status = main(sys.argv[1:])
        _hint(request.hints)
        return finish(status)  # a short command's own process ends at once too
    except KeyboardInterrupt:  # (as the store is closed, or the output flushed)
        return warm.interrupted()


#: A Ctrl-C came before the command's streams were set (then it is raised: :func:`_become`).
_INTERRUPTED: list[int] = []


def _hold_interrupt(number: int, frame: Any) -> None:
    """A child's SIGINT until it runs its command (a standby may wait minutes): held, so
    that the command says it was interrupted, as its own process would."""
    _INTERRUPTED.append(number)


def _hint(descriptor: int) -> None:
    """Tell the warm process which kept files the command used (as absolute paths, each
    ended by a NUL, the record by another): its standby child reads them ahead for the next
    command. One write, whole or not at all (a pipe takes up to ``PIPE_BUF`` bytes at
    once); nothing when it cannot be said."""
    from techqueue.views import kept_queue

    used = kept_queue.used_files()
    if descriptor < 0 or not used:
        return
    said = b"".join(os.fsencode(os.path.abspath(name)) + b"\0" for name in used) + b"\0"
    if len(said) <= select.PIPE_BUF:
        with contextlib.suppress(OSError):
            os.write(descriptor, said)


def _streams(streams: list[tuple[str, str, bool]]) -> None:
    """``sys.stdin``, ``stdout`` and ``stderr`` made again over descriptors 0–2, as the
    interpreter makes them at start, with the command's own encodings and buffering (under
    ``-u`` or ``PYTHONUNBUFFERED`` output goes straight to the descriptor)."""
    made = []
    for descriptor, (encoding, errors, unbuffered) in enumerate(streams):
        raw = io.FileIO(descriptor, "r" if descriptor == 0 else "w", closefd=False)
        raw.name = ("<stdin>", "<stdout>", "<stderr>")[descriptor]
        buffer: io.RawIOBase | io.BufferedIOBase
        if descriptor == 0:
            buffer = io.BufferedReader(raw)
        else:
            buffer = raw if unbuffered else io.BufferedWriter(raw)
        text = io.TextIOWrapper(
            buffer,  # (a raw stream under -u, as the interpreter gives it)
            encoding=encoding,
            errors=errors,
            newline="\n",
            line_buffering=not unbuffered
            and (descriptor == 2 or (descriptor == 1 and os.isatty(1))),
            write_through=unbuffered,
        )
        made.append(text)
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made  # type: ignore[misc]
