"""The hand-over to the warm process's standby child, on its own: a request of any size gets
there whole with its descriptors; a command that comes before the standby has read ahead is
left to a child forked for it, never kept waiting; a request the standby cannot take ends it
with status 1 and a line on the command's standard error, never a silent success."""

from __future__ import annotations

import contextlib
import marshal
import os
import select
import selectors
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from techqueue.warm import client as warm
from techqueue.warm.server import Request, _Server, _Standby

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the warm helper is Linux only")


@pytest.fixture
def server() -> Iterator[_Server]:
    made = _Server("unused.sock", "key", warm.SOLO, -1, 60.0)
    yield made
    if made.standby is not None:
        made.standby.channel.close()
    made.selector.close()


@pytest.fixture
def streams(tmp_path: Path) -> Iterator[tuple[list[int], int]]:
    """A command's four descriptors (standard input, output and error, its directory) and
    the read end of its standard error."""
    reading, writing = os.pipe()
    made = [
        os.open(os.devnull, os.O_RDONLY),
        os.open(os.devnull, os.O_WRONLY),
        writing,
        os.open(tmp_path, os.O_RDONLY),
    ]
    yield made, reading
    for descriptor in (*made, reading):
        with contextlib.suppress(OSError):
            os.close(descriptor)


def _request(descriptors: list[int], **env: str) -> Request:
    return Request(["list", "--json"], env, 0o022, [("utf-8", "strict", False)] * 3, descriptors)


def _standby(server: _Server, *, ready: bytes | None) -> tuple[_Standby, int]:
    """A standby of ``server`` forked here: once ``ready`` is said (``None``: never, as a
    read ahead stuck on a hung file system) it waits as the real one does, and writes what
    it was handed to a pipe (whose read end is returned)."""
    ours, theirs = socket.socketpair()
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child)
        try:
            ours.close()
            os.close(reading)
            if ready is None:
                time.sleep(60)
            else:
                theirs.sendall(ready)
            server.standby = _Standby(os.getpid(), theirs)
            request = server._wait_as_standby()
            os.write(writing, marshal.dumps((request.argv, request.env, len(request.descriptors))))
        finally:
            os._exit(0)
    theirs.close()
    os.close(writing)
    standby = _Standby(pid, ours)
    server.standby = standby
    server.selector.register(ours, selectors.EVENT_READ, standby)
    return standby, reading


def _ended(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _read_all(descriptor: int) -> bytes:
    data = b""
    while chunk := os.read(descriptor, 1 << 16):
        data += chunk
    return data


def test_a_request_of_any_size_is_handed_over_whole(
    server: _Server, streams: tuple[list[int], int]
) -> None:
    descriptors, _ = streams
    standby, said = _standby(server, ready=b"\x02")
    server._standby_said(standby)  # (as the warm process hears it: blocking until said)
    assert (standby.ready, standby.ahead) == (True, 2)
    env = {f"BIG{number}": str(number) * 100_000 for number in range(5)}  # (~500 KB)
    assert server._hand_to_standby(_request(descriptors, **env)) == standby.pid
    assert server.standby is None
    argv, got, count = marshal.loads(_read_all(said))
    os.close(said)
    assert (argv, got, count) == (["list", "--json"], env, 4)
    assert _ended(standby.pid) == 0


def test_a_command_before_the_standby_has_read_ahead_is_not_kept_waiting(
    server: _Server, streams: tuple[list[int], int]
) -> None:
    """A command that comes at once, or a read ahead stuck on a hung file system: the
    command gets a child forked for it, as without; the standby waits for the next."""
    descriptors, _ = streams
    standby, said = _standby(server, ready=None)  # (it never says it is ready)
    assert server._hand_to_standby(_request(descriptors)) is None, "a child is forked instead"
    assert server.standby is standby, "still there for the next command"
    server._let_standby_go()
    assert _ended(standby.pid) == -signal.SIGKILL
    os.close(said)


def test_a_request_the_standby_cannot_take_is_a_failure_it_says(
    server: _Server, streams: tuple[list[int], int]
) -> None:
    descriptors, errors = streams
    standby, said = _standby(server, ready=b"\x01")
    server.selector.unregister(standby.channel)
    assert standby.channel.recv(1) == b"\x01", "it has read ahead"
    message = b"\x00\x00\x00\x03abc"  # (not a request)
    socket.send_fds(standby.channel, [message], descriptors)
    standby.channel.close()
    server.standby = None
    assert _ended(standby.pid) == 1
    os.close(descriptors[2])
    assert _read_all(errors).startswith(b"techqueue: the warm helper: ")
    os.close(said)


def test_a_standby_let_go_ends_without_a_word(server: _Server) -> None:
    standby, said = _standby(server, ready=b"\x00")
    server._let_standby_go()
    assert server.standby is None
    assert _ended(standby.pid) in (0, -signal.SIGKILL), "stopped, or ended as it was let go"
    assert _read_all(said) == b"", "it ran nothing"
    os.close(said)


def test_a_standby_that_took_its_command_is_never_passed_over(
    server: _Server, streams: tuple[list[int], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taken whole at once, the command runs in the standby: nothing more is sent to it
    (once it has gone on and closed its end, a send fails, and the command would be run
    again in a child forked for it). Here the standby always goes on before the warm
    process looks again, as it sometimes does on another processor."""
    send_fds = socket.send_fds

    def sent_then_gone_on(channel: socket.socket, *args: Any) -> int:
        sent = send_fds(channel, *args)
        hung_up = select.poll()
        hung_up.register(channel, select.POLLHUP)
        hung_up.poll(5000)  # (until the standby has read it all and closed its end)
        return sent

    monkeypatch.setattr(socket, "send_fds", sent_then_gone_on)
    descriptors, _ = streams
    standby, said = _standby(server, ready=b"\x01")
    server._standby_said(standby)
    assert server._hand_to_standby(_request(descriptors)) == standby.pid
    assert marshal.loads(_read_all(said))[0] == ["list", "--json"]
    os.close(said)
    assert _ended(standby.pid) == 0, "it ran the command, and was not stopped"


def test_what_the_standby_says_after_it_was_let_go_changes_nothing(server: _Server) -> None:
    """In one batch of events: the standby let go (its files changed), another forked, then
    the first one's word: the new one stays."""
    first, first_said = _standby(server, ready=b"\x01")
    server._let_standby_go()
    second, second_said = _standby(server, ready=b"\x02")
    server._standby_said(first)
    assert server.standby is second
    server._standby_said(second)
    assert (second.ready, second.ahead) == (True, 2)
    server._let_standby_go()
    for pid, said in ((first.pid, first_said), (second.pid, second_said)):
        _ended(pid)
        os.close(said)


def test_a_signal_passed_on_at_once_reaches_the_child_s_own_handler() -> None:
    """A Ctrl-C the command gets just as the child is forked is held until the child has
    its own handlers (not run by the warm process's, which only marks it stopping)."""
    from techqueue.warm import server as warm_server

    before = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    pid = warm_server._fork()
    if pid == 0:  # pragma: no cover  (the child)
        try:
            os.kill(os.getpid(), signal.SIGINT)  # (held: pending)
            heard: list[int] = []
            signal.signal(signal.SIGINT, lambda number, frame: heard.append(number))
            signal.pthread_sigmask(signal.SIG_UNBLOCK, warm_server._BLOCKED)
            os._exit(3 if heard == [signal.SIGINT] else 4)
        finally:
            os._exit(5)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == before, "the warm process's own"
    assert _ended(pid) == 3
