"""The app's board after an action, worked out from what changed (``KeptBoard`` in the
session), is exactly the board a whole read gives at the same moment: compared field by field
after each of many random actions, some written by another process, some undone."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.forecast import KeptSchedule, schedule
from techqueue.core.settings import Settings
from techqueue.core.timeparse import WorkingHours
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.errors import StoreError
from techqueue.store import Store, open_store
from techqueue.tui.session import Session
from techqueue.views.board import Board, read_board
from techqueue.views.ranking import spent_in_progress

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WORDS = ("printer", "laptop", "vpn", "password", "monitor", "wifi", "outlook", "badge")
PEOPLE = ("Alice", "Bob", "Carol", "Dave", "Erin", None)
SEVERITIES = ("critical", "high", "normal", "low")


def _seed(store: Store, rng: random.Random, size: int) -> None:
    desk = Desk(store)
    for number in range(12):  # finished work to learn estimates from
        when = NOW - timedelta(days=3, hours=number)
        title = f"{rng.choice(WORDS)} {rng.choice(WORDS)} fix {number}"
        item = actions.add(desk, ItemFields(title=title, tags=(rng.choice(WORDS),)), when).item
        actions.start(desk, item.id, when)
        actions.done(desk, item.id, when + timedelta(minutes=rng.choice((10, 45, 120))))
    for _ in range(size):
        _add(desk, rng, NOW)


def _add(desk: Desk, rng: random.Random, now: datetime) -> int:
    """A new item; it may have arrived hours ago (its customer may be overdue for news)."""
    due = NOW + timedelta(hours=rng.uniform(-2, 30)) if rng.random() < 0.2 else None
    fields = ItemFields(
        title=f"{rng.choice(WORDS)} {rng.choice(('broken', 'slow', 'again', 'for Sam'))}",
        requester=rng.choice(PEOPLE),
        severity=rng.choice(SEVERITIES),
        estimate_minutes=rng.choice((None, None, 5.0, 30.0, 240.0)),
        due_at=due if due is None or due > now else None,
        tags=(rng.choice(WORDS),) if rng.random() < 0.5 else (),
        vip=True if rng.random() < 0.1 else None,
        received_at=now - timedelta(hours=rng.choice((rng.uniform(0, 60), 400))),
    )
    return actions.add(desk, fields, now).item.id


def _open_ids(store: Store) -> list[int]:
    return [item.id for item in store.items(OPEN_STATUSES)]


def _random_action(
    rng: random.Random, store: Store, path: Path
) -> tuple[str, Callable[[Desk, datetime], Any] | None]:
    """One action of a technician (or of the CLI in another terminal: ``None``, done here)."""
    ids = _open_ids(store)
    target = rng.choice(ids) if ids else 0
    kind = rng.choice(
        (
            "bump", "bump", "start", "pause", "done", "add", "edit", "defer", "wait", "undo",
            "note", "promise", "pin", "other", "estimate",
        )
    )  # fmt: skip
    if kind == "bump":
        return kind, lambda d, n: actions.bump(d, target, rng.choice((1, -1)), n)
    if kind == "start":
        return kind, lambda d, n: actions.start(d, target, n)
    if kind == "pause":
        active = [item.id for item in store.items(("active",))]
        return kind, lambda d, n: actions.pause(d, active[0] if active else target, n)
    if kind == "done":
        return kind, lambda d, n: actions.done(d, target, n)
    if kind == "add":
        return kind, lambda d, n: _add(d, rng, n)
    if kind == "edit":
        severity = rng.choice(SEVERITIES)
        return kind, lambda d, n: actions.edit(d, target, ItemFields(severity=severity), n)
    if kind == "estimate":
        fields = (
            ItemFields(clear=("estimate_minutes",))
            if rng.random() < 0.5
            else ItemFields(estimate_minutes=rng.choice((1.0, 15.0, 600.0)))
        )
        return kind, lambda d, n: actions.edit(d, target, fields, n)
    if kind == "defer":
        hours = rng.choice((1, 30))
        return kind, lambda d, n: actions.defer(d, target, n + timedelta(hours=hours), n)
    if kind == "wait":
        return kind, lambda d, n: actions.wait(d, target, n)
    if kind == "undo":
        return kind, actions.undo
    if kind == "note":
        return kind, lambda d, n: actions.note(d, target, "Told them", n, kind="contact")
    if kind == "promise":
        due = NOW + timedelta(minutes=rng.choice((20, 90, 600)))
        return kind, lambda d, n: actions.note(d, target, "By then", n, kind="promise", due_at=due)
    if kind == "pin":
        return kind, lambda d, n: actions.pin(d, target, n, pinned=rng.random() < 0.7)
    with open_store(path) as other:  # the CLI in another terminal
        _add(Desk(other), rng, NOW)
    return kind, None


def assert_same(kept: Board, whole: Board) -> None:
    """Every field the screen shows, the kept board's against the whole read's."""
    assert [(e.id, e.rank) for e in kept.ranked] == [(e.id, e.rank) for e in whole.ranked]
    assert kept.ranked == whole.ranked
    assert kept.now == whole.now
    assert kept.active == whole.active
    assert kept.in_progress == whole.in_progress
    assert kept.reminders_due == whole.reminders_due
    assert kept.reminders_today == whole.reminders_today
    assert kept.promises_due_soon == whole.promises_due_soon
    assert kept.journal_id == whole.journal_id
    assert dict(kept.forecast.etas) == dict(whole.forecast.etas)
    assert kept.forecast.states == whole.forecast.states
    assert kept.forecast.misses == whole.forecast.misses
    assert kept.forecast.slots == whole.forecast.slots
    assert kept.forecast.will_be_late == whole.forecast.will_be_late
    assert kept.forecast.overload == whole.forecast.overload
    assert kept.nudges == whole.nudges
    assert kept.nudge_count == whole.nudge_count
    assert kept.nudges_known == whole.nudges_known
    assert kept.landed == whole.landed
    assert (kept.open_count, kept.vip_waiting) == (whole.open_count, whole.vip_waiting)
    assert dict(kept.positions) == dict(whole.positions)
    assert kept.appointments == whole.appointments


@pytest.mark.parametrize("seed", range(6))
def test_the_board_after_random_actions_is_a_whole_read_s(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "desk.db"
    store = open_store(path)
    try:
        _seed(store, rng, 30)
        clock = [NOW]
        settings = Settings(morning_summary=False)
        session = Session(Desk(store, settings), lambda: clock[0])
        session.board()
        for _ in range(60):
            if rng.random() < 0.15:  # the clock moves on: within the minute, or past it
                clock[0] += timedelta(seconds=rng.choice((5, 20, 75)))
            kind, action = _random_action(rng, store, path)
            if action is not None:
                try:
                    session.run(action)
                except StoreError:
                    continue  # refused (nothing to undo, not startable): nothing written
            known = dict(session._known)
            board = session.board_after_action()
            desk = session.desk
            whole = read_board(
                desk,
                board.now,
                store.items(OPEN_STATUSES),
                desk.history(),
                store.last_journal_id(),
                known=known,
            )
            assert_same(board, whole)
            if board.active is not None:  # the timer counts from the clock, not the ranking
                spent = spent_in_progress(desk, clock[0]).get(board.active.id, 0.0)
                assert board.active_spent == pytest.approx(spent), kind
                assert board.active_since == clock[0]
    finally:
        store.close()


@pytest.mark.parametrize("seed", range(30))
def test_a_kept_schedule_is_schedule_s(seed: int) -> None:
    """Queues changed from any row on: the kept walk gives exactly :func:`schedule`'s ETAs."""
    rng = random.Random(seed)
    hours = WorkingHours() if seed % 3 else WorkingHours(days=frozenset(range(7)))
    kept = KeptSchedule()
    queue = [
        (n, rng.choice((0.0, 5.0, 20.0, 400.0)), rng.choice(("open",) * 5 + ("waiting", "paused")))
        for n in range(rng.randint(0, 40))
    ]
    now = NOW + timedelta(hours=rng.choice((0, 7.5, 9)))
    for _ in range(20):
        if queue and rng.random() < 0.3:
            queue.pop(rng.randrange(len(queue)))
        if rng.random() < 0.5:
            place = rng.randint(0, len(queue))
            queue.insert(place, (100 + rng.randint(0, 10**6), rng.uniform(0, 90), "open"))
        if queue and rng.random() < 0.2:
            place = rng.randrange(len(queue))
            queue[place] = (queue[place][0], queue[place][1], "active")
        if rng.random() < 0.1:
            now += timedelta(minutes=1)
        assert dict(kept.etas(list(queue), now, hours)) == dict(schedule(queue, now, hours))


@pytest.mark.parametrize("then_nudges", [True, False])
def test_the_first_board_leaves_only_the_nudges_to_follow(
    tmp_path: Path, then_nudges: bool
) -> None:
    """The app's first board is drawn before the customers overdue for news are looked for:
    everything else is a whole read's; the nudges follow (or an action finds them)."""
    rng = random.Random(11)
    store = open_store(tmp_path / "desk.db")
    try:
        _seed(store, rng, 30)
        session = Session(Desk(store, Settings(morning_summary=False)), lambda: NOW)
        first = session.board(first=True)
        desk = session.desk
        whole = read_board(
            desk, NOW, store.items(OPEN_STATUSES), desk.history(), store.last_journal_id()
        )
        assert not first.nudges_known
        assert (first.nudges, first.nudge_count) == ([], 0)
        assert whole.nudge_count > 0, "the queue has customers to update"
        assert_same(first, dataclasses.replace(whole, nudges=[], nudge_count=0, nudges_known=False))
        if then_nudges:
            full = session.with_nudges(first)
            assert full is not None
            assert full.nudges_known
            assert_same(full, whole)
        target = first.ranked[-1].id
        known = dict(session._known)
        session.run(lambda d, n: actions.bump(d, target, 1, n))
        after = session.board_after_action()
        assert after.nudges_known
        if not then_nudges:
            assert session.with_nudges(first) is None, "a later board has them"
        assert_same(
            after,
            read_board(
                desk,
                NOW,
                store.items(OPEN_STATUSES),
                desk.history(),
                store.last_journal_id(),
                known=known,
            ),
        )
    finally:
        store.close()
