"""The queue kept between commands (``techqueue.views.kept_queue``): ``next`` taking up what
the last whole read kept gives exactly what a whole read gives, after any action, by this
process or another, at any later or earlier moment; and it is not taken up when anything it
was kept under has changed. On a real SQLite file, with the cache in the test's own
``XDG_CACHE_HOME``."""

from __future__ import annotations

import dataclasses
import random
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from seeded import settings as settings_of
from test_kept_board import _add, _open_ids, _random_action, _seed

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.settings import Settings
from techqueue.core.timeparse import WorkingHours
from techqueue.desk import Desk
from techqueue.domain import CLOSED_STATUSES, STATUSES
from techqueue.errors import StoreError
from techqueue.paths import cache_path
from techqueue.scoring import Weights
from techqueue.store import Store, open_store
from techqueue.views import kept_queue
from techqueue.views.board import read_first_rows
from techqueue.views.item import ItemDetail, item_detail
from techqueue.views.json import detail_json
from techqueue.views.ranking import QueueView, read_queue
from techqueue.views.text import show_lines

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
T = TypeVar("T")


def _watch_take_up(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bool]:
    """Whether each call of ``kept_queue.<name>`` outside a whole read took up the kept queue
    (``True``) or left the command to read the queue whole."""
    seen: list[bool] = []
    take_up = getattr(kept_queue, name)

    def watched(*args: Any, **kwargs: Any) -> Any:
        found = take_up(*args, **kwargs)
        if not _WHOLE_READS:
            seen.append(found is not None)
        return found

    monkeypatch.setattr(kept_queue, name, watched)
    return seen


@pytest.fixture
def taken_up(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each ``next`` took up the kept queue (``True``) or read the queue whole."""
    return _watch_take_up(monkeypatch, "first_places")


def _whole(store: Store, settings: Settings, now: datetime, limit: int | None) -> QueueView:
    """The first places by a whole read (nothing kept is looked at, and this read is not
    counted among those that took it up or not)."""
    return _by_a_whole_read(lambda: read_queue(Desk(store, settings), now, limit=limit))


def _by_a_whole_read(read: Callable[[], T]) -> T:
    """What ``read`` gives with the kept queue put aside (so the queue is read whole), the
    kept queue as it was afterwards."""
    _WHOLE_READS.append(True)
    for kept in cache_path("x").parent.glob("queue-*"):
        kept.rename(kept.with_name(f"aside-{kept.name}"))
    try:
        return read()
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


@pytest.mark.parametrize("seed", range(8))
def test_next_from_the_kept_queue_is_a_whole_read_s(
    tmp_path: Path, seed: int, taken_up: list[bool]
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "desk.db"
    store = open_store(path)
    try:
        _seed(store, rng, 40)
        settings = settings_of(seed)
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


def test_the_app_s_first_rows_never_keep_it_again(store: Store, taken_up: list[bool]) -> None:
    """Ten captures since it was kept: the app's first rows, read before its first frame,
    take it up with them but write nothing (the whole read that follows keeps the queue);
    ``next`` afterwards still finds them to move in, and keeps it again."""
    settings = Settings()
    read_queue(Desk(store, settings), NOW)
    (path,) = cache_path("x").parent.glob("queue-*")
    rng = random.Random(3)
    for _ in range(10):
        _add(Desk(store, settings), rng, NOW)
    kept = path.read_bytes()
    stamp = path.stat().st_mtime_ns

    first = read_first_rows(Desk(store, settings), NOW, 5)
    assert first is not None
    assert taken_up == [True]
    assert path.read_bytes() == kept, "not written by the first rows"
    assert path.stat().st_mtime_ns == stamp
    assert [e.id for e in first.ranked] == [e.id for e in _whole(store, settings, NOW, 5).ranked]

    _next(store, settings)
    assert taken_up == [True, True]
    assert path.read_bytes() != kept, "next keeps it again as it now is"


# --- show: one item placed in the kept queue ------------------------------------------------


@pytest.fixture
def placed(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each ``show`` (``place``) took up the kept queue (``True``) or read it whole."""
    return _watch_take_up(monkeypatch, "placed")


def _show(store: Store, settings: Settings, item_id: int, now: datetime) -> ItemDetail:
    return item_detail(Desk(store, settings), item_id, now)


def _shown_whole(store: Store, settings: Settings, item_id: int, now: datetime) -> ItemDetail:
    """``show`` by a whole read."""
    return _by_a_whole_read(partial(_show, store, settings, item_id, now))


def assert_same_detail(
    fast: ItemDetail, whole: ItemDetail, settings: Settings, now: datetime, *, kept: bool
) -> None:
    """Everything ``show``, ``show --json`` and an action's ``--json`` say of the item, the
    kept queue's against the whole read's: the item as ranked, its entry (place, score,
    tier, wait, guard moment, reasons), the text and the JSON whole (ETA, promise state,
    ``will_miss``, ``late_minutes``, ``breach_at``, ``will_breach``, ``tell``…); the
    forecast of the places down to it (``kept``: it was taken up; else of every place),
    and the overload plan of the whole queue."""
    weights = settings.weights
    item = fast.item
    assert item == whole.item
    assert (fast.entry is None) == (whole.entry is None)
    if fast.entry is not None and whole.entry is not None:
        assert dataclasses.astuple(fast.entry) == dataclasses.astuple(whole.entry)
    assert detail_json(fast, weights, now) == detail_json(whole, weights, now)
    assert show_lines(fast, now, weights) == show_lines(whole, now, weights)
    assert fast.tell == whole.tell
    ours, theirs = fast.forecast, whole.forecast
    assert ours.slots == theirs.slots
    assert ours.etas.get(item.id) == theirs.etas.get(item.id)
    # (of the places down to the item, the job in hand and the booked slots only)
    down_to = {entry.id for entry in theirs.ranked}
    if kept:
        down_to = {entry.id for entry in theirs.ranked if entry.item.status == "active"}
        for entry in theirs.ranked:
            if whole.entry is None or entry.rank > whole.entry.rank:
                break
            down_to.add(entry.id)
    booked = {slot.item_id for slot in theirs.slots}
    assert dict(ours.etas) == {
        key: eta for key, eta in theirs.etas.items() if key in down_to | booked
    }
    assert ours.states == {key: s for key, s in theirs.states.items() if key in down_to}
    assert ours.misses == {key: m for key, m in theirs.misses.items() if key in down_to}
    assert ours.state_of(item) == theirs.state_of(item)
    assert ours.miss(item.id) == theirs.miss(item.id)
    assert ours.breach_at(item) == theirs.breach_at(item)
    assert ours.will_breach(item.id) == theirs.will_breach(item.id)
    if fast.entry is not None:  # planned over the same whole queue
        mine, other = ours.overload, theirs.overload
        assert mine.start_bys == other.start_bys
        assert [(i.id, by, at) for i, by, at in mine.named] == [
            (i.id, by, at) for i, by, at in other.named
        ]
        assert (mine.overloaded, mine.work_minutes, mine.left_today) == (
            other.overloaded,
            other.work_minutes,
            other.left_today,
        )


def _picks(rng: random.Random, store: Store, settings: Settings, now: datetime) -> list[int]:
    """Items to show: the first, a middle and the last place, and one of each kind (in
    hand, paused, waiting, deferred, finished, promised, booked, with a due time)."""
    ranked = [entry.id for entry in _whole(store, settings, now, None).ranked]
    picks = set()
    if ranked:
        picks |= {ranked[0], ranked[len(ranked) // 2], ranked[-1]}
    everything = store.items(STATUSES)
    kinds = (
        lambda item: item.status in ("active", "paused", "waiting"),
        lambda item: item.deferred_until is not None and item.deferred_until > now,
        lambda item: item.status in CLOSED_STATUSES,
        lambda item: item.promise_due_at is not None,
        lambda item: item.appointment_at is not None,
        lambda item: item.due_at is not None,
    )
    for kind in kinds:
        found = [item.id for item in everything if kind(item)]
        if found:
            picks.add(rng.choice(found))
    return sorted(picks)


def _booking(rng: random.Random, store: Store) -> Callable[[Desk, datetime], Any]:
    """An open item booked, soon or another day, for the default slot or 45 minutes."""
    target = rng.choice(_open_ids(store))
    later = timedelta(minutes=rng.choice((20, 200, 3000)))
    minutes = rng.choice((None, 45.0))
    return lambda desk, now: actions.appoint(desk, target, now + later, now, minutes)


@pytest.mark.parametrize("seed", range(6))
def test_show_from_the_kept_queue_is_a_whole_read_s(
    tmp_path: Path, seed: int, placed: list[bool]
) -> None:
    rng = random.Random(100 + seed)
    path = tmp_path / "desk.db"
    store = open_store(path)
    try:
        _seed(store, rng, 40)
        settings = settings_of(seed)
        now = NOW
        read_queue(Desk(store, settings), now, explain=False)  # a whole read keeps the queue
        for _ in range(30):
            if rng.random() < 0.3:  # later (or, replaying, earlier), by seconds or days
                now += timedelta(minutes=rng.choice((0.1, 3, 90, 2000, -30)))
            if rng.random() < 0.15:
                action: Callable[[Desk, datetime], Any] | None = _booking(rng, store)
            else:
                _, action = _random_action(rng, store, path)
            if action is not None:
                try:
                    action(Desk(store, settings), now)
                except StoreError:
                    continue  # refused (nothing to undo, not startable): nothing written
            if rng.random() < 0.2:  # a whole read (list, eta) keeps the queue again
                read_queue(Desk(store, settings), now, explain=False)
            for item_id in _picks(rng, store, settings, now):
                fast = _show(store, settings, item_id, now)
                whole = _shown_whole(store, settings, item_id, now)
                assert_same_detail(fast, whole, settings, now, kept=placed[-1])
    finally:
        store.close()
    assert sum(placed) >= len(placed) // 5, "the kept queue was hardly ever taken up"


def test_show_takes_up_the_kept_queue_for_every_kind_of_item(
    store: Store, placed: list[bool]
) -> None:
    """After a capture, a start, a promise, a booking, a deferral, a wait and a finished
    item's ``done`` kept again: each shown from the kept queue, as a whole read shows it."""
    settings = Settings()
    desk = Desk(store, settings)
    ids = _open_ids(store)
    actions.done(desk, ids[0], NOW)  # (finished work: the next whole read keeps it again)
    read_queue(desk, NOW)
    new = _add(desk, random.Random(1), NOW)
    actions.start(desk, ids[1], NOW)
    actions.note(desk, ids[2], "By ten", NOW, kind="promise", due_at=NOW + timedelta(hours=1))
    actions.appoint(desk, ids[3], NOW + timedelta(hours=3), NOW)
    actions.defer(desk, ids[4], NOW + timedelta(days=1), NOW)
    actions.wait(desk, ids[5], NOW)
    ranked = [entry.id for entry in _whole(store, settings, NOW, None).ranked]
    shown = [ids[0], new, *ids[1:6], ranked[0], ranked[len(ranked) // 2], ranked[-1]]
    for item_id in shown:
        fast = _show(store, settings, item_id, NOW)
        whole = _shown_whole(store, settings, item_id, NOW)
        assert_same_detail(fast, whole, settings, NOW, kept=True)
    assert placed == [True] * len(shown)


def test_show_forecasts_the_places_above_from_what_was_kept_of_them(
    store: Store, placed: list[bool]
) -> None:
    """A paused job begun before its promise fell due, pinned above the item shown and kept
    as a stand-in since: its promise is kept (``ok``), not broken, in the forecast ``show``
    makes, as in a whole read's."""
    settings = Settings()
    desk = Desk(store, settings)
    first = _open_ids(store)[0]
    actions.note(
        desk, first, "By ten past", NOW, kind="promise", due_at=NOW + timedelta(minutes=10)
    )
    actions.start(desk, first, NOW)
    later = NOW + timedelta(minutes=5)
    actions.pause(desk, first, later)
    actions.pin(desk, first, later)
    later += timedelta(hours=1)
    read_queue(desk, later)  # kept: the paused job is a stand-in from here on
    last = _whole(store, settings, later, None).ranked[-1].id
    fast = _show(store, settings, last, later)
    assert_same_detail(fast, _shown_whole(store, settings, last, later), settings, later, kept=True)
    assert fast.forecast.state(first) == "ok"
    assert placed == [True]
