"""The action line: workers served in key order, one at a time, whatever order they start in."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from techqueue.tui.action_line import ActionLine

pytestmark = pytest.mark.timeout(30)


def test_workers_are_served_in_ticket_order_even_when_they_start_in_reverse() -> None:
    line = ActionLine()
    tickets = [line.ticket() for _ in range(5)]
    served: list[int] = []
    inside = threading.Lock()

    def work(ticket: int) -> None:
        with line.turn(ticket):
            assert inside.acquire(blocking=False), "two actions ran at once"
            served.append(ticket)
            time.sleep(0.01)
            inside.release()

    threads = [threading.Thread(target=work, args=(ticket,)) for ticket in reversed(tickets)]
    for thread in threads:
        thread.start()
        time.sleep(0.01)  # the later tickets really are waiting first
    for thread in threads:
        thread.join(10)
    assert served == tickets


def test_a_failed_action_still_lets_the_next_one_run() -> None:
    line = ActionLine()
    first, second = line.ticket(), line.ticket()
    with pytest.raises(RuntimeError), line.turn(first):
        raise RuntimeError("the store refused")
    ran = threading.Event()

    def work() -> None:
        with line.turn(second):
            ran.set()

    thread = threading.Thread(target=work)
    thread.start()
    assert ran.wait(5)
    thread.join(5)


def test_busy_while_an_action_is_queued_or_running() -> None:
    line = ActionLine()
    assert not line.busy
    ticket = line.ticket()
    assert line.busy, "queued"
    with line.turn(ticket):
        assert line.busy, "running"
    assert not line.busy


def test_followed_says_whether_a_later_ticket_was_taken() -> None:
    line = ActionLine()
    first = line.ticket()
    assert not line.followed(first)
    assert not line.followed(first, within=0.05), "waited, and nothing came"
    timer = threading.Timer(0.05, line.ticket)
    timer.start()
    # No end to the wait: only the key can end it (the test's timeout catches a hang).
    assert line.followed(first, within=None), "a key pressed while it waited"
    timer.join()
    assert line.followed(first)


def test_a_worker_cancelled_while_waiting_leaves_the_line_and_is_passed_over() -> None:
    line = ActionLine()
    first, second, third = line.ticket(), line.ticket(), line.ticket()
    quitting = threading.Event()
    outcome: dict[int, bool] = {}

    def work(ticket: int, cancelled: Callable[[], bool]) -> None:
        with line.turn(ticket, cancelled) as mine:
            outcome[ticket] = mine

    held = line.turn(first)
    assert held.__enter__() is True
    waiting = threading.Thread(target=work, args=(second, quitting.is_set))
    waiting.start()
    quitting.set()  # the app quits while the second waits behind the first
    waiting.join(10)
    assert outcome == {second: False}, "a cancelled worker must not act"
    held.__exit__(None, None, None)
    after = threading.Thread(target=work, args=(third, lambda: False))
    after.start()
    after.join(10)
    assert outcome == {second: False, third: True}, "the third is served, not stuck"
    assert not line.busy


def test_workers_that_never_ran_hold_back_only_workers_that_are_cancelled_too() -> None:
    line = ActionLine()
    line.ticket()  # its worker was cancelled before it ran: the app is quitting
    later = line.ticket()
    with line.turn(later, lambda: True) as mine:
        assert mine is False
