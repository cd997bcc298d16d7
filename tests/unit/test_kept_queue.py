"""The queue kept between commands (``techqueue.views.kept_queue``): ``next`` taking up what
the last whole read kept gives exactly what a whole read gives, after any action, by this
process or another, at any later or earlier moment; and it is not taken up when anything it
was kept under has changed. On a real SQLite file, with the cache in the test's own
``XDG_CACHE_HOME``."""

from __future__ import annotations

import dataclasses
import random
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from test_kept_board import _add, _random_action, _seed

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.settings import Settings
from techqueue.core.timeparse import WorkingHours
from techqueue.desk import Desk
from techqueue.errors import StoreError
from techqueue.paths import cache_path
from techqueue.scoring import Weights
from techqueue.store import Store, open_store
from techqueue.views import kept_queue
from techqueue.views.ranking import QueueView, read_queue

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def taken_up(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each ``next`` took up the kept queue (``True``) or read the queue whole."""
    seen: list[bool] = []
    first_places = kept_queue.first_places

    def watched(*args: Any, **kwargs: Any) -> Any:
        found = first_places(*args, **kwargs)
        if not _WHOLE_READS:
            seen.append(found is not None)
        return found

    monkeypatch.setattr(kept_queue, "first_places", watched)
    return seen


def _whole(store: Store, settings: Settings, now: datetime, limit: int) -> QueueView:
    """The first places by a whole read (nothing kept is looked at, and this read is not
    counted among those that took it up or not)."""
    _WHOLE_READS.append(True)
    for kept in cache_path("x").parent.glob("queue-*"):
        kept.rename(kept.with_name(f"aside-{kept.name}"))
    try:
        return read_queue(Desk(store, settings), now, limit=limit)
    finally:
        for kept in cache_path("x").parent.glob("aside-queue-*"):
            kept.replace(kept.with_name(kept.name.removeprefix("aside-")))
        _WHOLE_READS.pop()


#: Set while :func:`_whole` reads.
_WHOLE_READS: list[bool] = []


def assert_same(fast: QueueView, whole: QueueView) -> None:
    """Every field ``next`` shows and prints as JSON, the kept queue's against the whole
    read's: the entries (item record, place, score, tier, wait, guard moment, reasons) and
    their forecast."""
    assert [(e.id, e.rank, e.tier) for e in fast.ranked] == [
        (e.id, e.rank, e.tier) for e in whole.ranked
    ]
    for one, other in zip(fast.ranked, whole.ranked, strict=True):
        assert one.item == other.item
        assert dataclasses.astuple(one) == dataclasses.astuple(other)
    assert dict(fast.forecast.etas) == dict(whole.forecast.etas)
    assert fast.forecast.states == whole.forecast.states
    assert fast.forecast.misses == whole.forecast.misses
    assert fast.forecast.slots == whole.forecast.slots
    assert fast.forecast.will_be_late == whole.forecast.will_be_late


def _settings(seed: int) -> Settings:
    hours = (WorkingHours(), WorkingHours(days=frozenset(range(7))))[seed % 2]
    weights = Weights() if seed % 3 else Weights(deadline_guard=False)
    return Settings(weights=weights, hours=hours, morning_summary=False)


@pytest.mark.parametrize("seed", range(8))
def test_next_from_the_kept_queue_is_a_whole_read_s(
    tmp_path: Path, seed: int, taken_up: list[bool]
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "desk.db"
    store = open_store(path)
    try:
        _seed(store, rng, 40)
        settings = _settings(seed)
        now = NOW
        read_queue(Desk(store, settings), now, explain=False)  # a whole read keeps the queue
        for _ in range(50):
            if rng.random() < 0.3:  # later (or, replaying, earlier), by seconds or days
                now += timedelta(minutes=rng.choice((0.1, 3, 90, 2000, -30)))
            _, action = _random_action(rng, store, path)
            if action is not None:
                try:
                    action(Desk(store, settings), now)
                except StoreError:
                    continue  # refused (nothing to undo, not startable): nothing written
            if rng.random() < 0.2:  # a whole read (list, show, eta) keeps the queue again
                read_queue(Desk(store, settings), now, explain=False)
            limit = rng.choice((1, 1, 3, 40))
            fast = read_queue(Desk(store, settings), now, limit=limit)
            assert_same(fast, _whole(store, settings, now, limit))
    finally:
        store.close()
    # (the random actions finish and undo work, after which the queue is read whole)
    assert sum(taken_up) >= len(taken_up) // 5, "the kept queue was hardly ever taken up"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "desk.db") as opened:
        _seed(opened, random.Random(7), 25)
        yield opened


def _next(store: Store, settings: Settings, now: datetime = NOW) -> QueueView:
    return read_queue(Desk(store, settings), now, limit=1)


def test_it_is_taken_up_after_captures_and_work_on_open_items(
    store: Store, taken_up: list[bool]
) -> None:
    """A capture, a start, an edit: the common writes between two ``next`` leave it good."""
    settings = Settings()
    read_queue(Desk(store, settings), NOW)
    desk = Desk(store, settings)
    first = _add(desk, random.Random(1), NOW)
    actions.start(desk, first, NOW)
    actions.edit(desk, first, ItemFields(severity="critical"), NOW)
    # someone new: a requester is added, which no item kept can be
    actions.add(desk, ItemFields(title="Scanner offline", requester="Zoe Newcomer"), NOW)
    _next(store, settings)
    assert taken_up == [True]
    [kept] = cache_path("x").parent.glob("queue-*")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "change",
    [
        "undo",
        "vip",
        "finished",
        "weights",
        "hours",
        "zone",
        "replaced",
        "restored",
        "damaged",
        "team",
    ],
)
def test_it_is_not_taken_up_when_what_it_was_kept_under_changed(
    store: Store,
    tmp_path: Path,
    taken_up: list[bool],
    change: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings()
    read_queue(Desk(store, settings), NOW)
    now = NOW
    desk = Desk(store, settings)
    open_ids = [item.id for item in store.items()]
    if change == "undo":
        actions.bump(desk, open_ids[0], 1, NOW)
        actions.undo(desk, NOW)
    elif change == "vip":
        actions.set_vip(desk, "Alice", NOW)
    elif change == "finished":
        actions.start(desk, open_ids[0], NOW)
        actions.done(desk, open_ids[0], NOW + timedelta(minutes=5))
    elif change == "weights":
        settings = Settings(weights=Weights(vip_weight=9.0))
    elif change == "hours":
        settings = Settings(hours=WorkingHours(days=frozenset(range(7))))
    elif change == "zone":
        now = NOW.astimezone(timezone(timedelta(hours=-5)))
    elif change == "replaced":  # another file under the path (restored from a copy)
        store.close()
        with open_store(tmp_path / "copy.db") as copy:
            _seed(copy, random.Random(8), 5)
        (tmp_path / "copy.db").replace(tmp_path / "desk.db")
        store = open_store(tmp_path / "desk.db")
    elif change == "restored":  # a backup put back in the same file, then work goes on:
        # the journal's numbers reach past where the queue was kept, in another history
        store.copy_to(tmp_path / "backup.db")
        for item_id in open_ids[:3]:
            actions.bump(desk, item_id, 1, NOW)
        read_queue(Desk(store, settings), NOW)
        store.load_from(tmp_path / "backup.db")
        for item_id in open_ids[3:8]:
            actions.pin(desk, item_id, NOW)
    elif change == "damaged":
        for kept in cache_path("x").parent.glob("queue-*"):
            data = kept.read_bytes()
            kept.write_bytes(data[: len(data) // 2])
    elif change == "team":  # a team's queue is each technician's own view of the store
        monkeypatch.setattr(Store, "team", property(lambda self: True))
    try:
        found = _next(store, settings, now)
        assert not any(taken_up)
        assert_same(found, _whole(store, settings, now, 1))
    finally:
        if change == "replaced":
            store.close()


def test_next_keeps_it_again_after_many_changes(store: Store, taken_up: list[bool]) -> None:
    """Ten captures since it was kept: ``next`` moves them in and keeps the queue again as
    it now is, so the next ``next`` reads none of them again."""
    settings = Settings()
    read_queue(Desk(store, settings), NOW)
    rng = random.Random(3)
    for _ in range(10):
        _add(Desk(store, settings), rng, NOW)
    first = _next(store, settings)
    changes: list[int] = []
    touched_since = Store.touched_since

    def watched(self: Store, journal_id: int) -> Any:
        newest, touched = touched_since(self, journal_id)
        changes.append(len((touched or {}).get("item", ())))
        return newest, touched

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "touched_since", watched)
        again = _next(store, settings)
    assert taken_up == [True, True]
    assert changes == [0], "nothing changed since it was kept again"
    assert_same(again, first)
    assert_same(again, _whole(store, settings, NOW, 1))
