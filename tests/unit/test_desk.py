"""The desk's snapshots: counts and places worked out once, and the optimistic start."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from techqueue.core.settings import Settings
from techqueue.desk import Desk, Snapshot
from techqueue.store import ItemChanges, Store, open_store

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "desk.db")
    yield opened
    opened.close()


@pytest.fixture
def desk(store: Store) -> Desk:
    rows = (
        ("VPN down", "critical", "Bob", True),
        ("Printer jammed", "high", "Alice", False),
        ("Password reset", "normal", "Carol", True),
        ("New monitor", "low", "Dave", False),
        ("Call back about the quote", "normal", "Erin", True),
    )
    for title, severity, requester, vip in rows:
        store.add(
            ItemChanges(title=title, severity=severity, requester=requester, vip=vip or None),
            NOW - timedelta(hours=1),
        )
    store.wait(store.items()[-1].id, now=NOW)
    return Desk(store, Settings(morning_summary=False), lambda: NOW)


def recounted(snapshot: Snapshot) -> tuple[int, int]:
    """The header's counts, as a fresh snapshot of the same entries counts them."""
    fresh = dataclasses.replace(snapshot, open_count=-1, vip_waiting=-1, positions={})
    return fresh.open_count, fresh.vip_waiting


def test_counts_and_places_are_worked_out_with_the_snapshot(desk: Desk) -> None:
    snapshot = desk.snapshot()
    statuses = [entry.item.status for entry in snapshot.ranked]
    assert snapshot.open_count == len([s for s in statuses if s != "waiting"]) == 4
    assert snapshot.vip_waiting == 2, "the VIP item waiting on the customer is not counted"
    for index, entry in enumerate(snapshot.ranked):
        assert snapshot.positions[entry.id] == index
        assert snapshot.entry(entry.id) is entry
    assert snapshot.entry(10_000) is None


def test_started_marks_the_item_active_and_pauses_the_one_in_hand(desk: Desk) -> None:
    snapshot = desk.snapshot()
    first, second = snapshot.ranked[0], snapshot.ranked[1]
    later = NOW + timedelta(minutes=5)

    one = snapshot.started(first.id, later)
    assert one.active is not None
    assert (one.active.id, one.active.status, one.active.started_at) == (
        first.id,
        "active",
        later,
    )
    assert [e.id for e in one.ranked] == [e.id for e in snapshot.ranked], "no place moves"
    assert one.positions is snapshot.positions
    assert (one.open_count, one.vip_waiting) == recounted(one)
    assert snapshot.ranked[0].item.status == "open", "the snapshot it came from is untouched"

    two = one.started(second.id, later)
    assert two.active is not None
    assert two.active.id == second.id
    assert two.ranked[0].item.status == "paused"
    assert (two.open_count, two.vip_waiting) == recounted(two)


def test_started_from_waiting_counts_the_item_open_again(desk: Desk) -> None:
    snapshot = desk.snapshot()
    waiting = next(e for e in snapshot.ranked if e.item.status == "waiting")
    started = snapshot.started(waiting.id, NOW)
    assert started.open_count == snapshot.open_count + 1
    assert (started.open_count, started.vip_waiting) == recounted(started)


def test_started_leaves_an_unknown_or_active_item_alone(desk: Desk) -> None:
    snapshot = desk.snapshot()
    assert snapshot.started(10_000, NOW) is snapshot
    top = snapshot.ranked[0].id
    once = snapshot.started(top, NOW)
    assert once.started(top, NOW) is once


def test_an_action_re_reads_what_another_process_wrote_since_the_last_read(
    desk: Desk, store: Store, tmp_path: Path
) -> None:
    desk.snapshot()
    first, second = (entry.item for entry in desk.snapshot().ranked[:2])
    with open_store(tmp_path / "desk.db") as other:  # the CLI in another terminal
        other.start(first.id, NOW)
    desk.act("note", second.id, "Called back")
    after = desk.snapshot_after_action()
    assert after.active is not None
    assert after.active.id == first.id
    assert after.change == store.last_change()


def test_actions_whose_re_rank_was_skipped_are_all_read_by_the_next_one(desk: Desk) -> None:
    ranked = desk.snapshot().ranked
    first, second = ranked[0].item, ranked[1].item
    desk.act("start", first.id)
    desk.act("done", second.id)  # a burst: only the last action re-ranks
    after = desk.snapshot_after_action()
    assert after.active is not None
    assert after.active.id == first.id
    assert after.entry(second.id) is None


def test_an_undo_among_the_actions_reads_everything_again(desk: Desk) -> None:
    ranked = desk.snapshot().ranked
    first = ranked[0].item
    desk.act("start", first.id)
    started = desk.snapshot_after_action()
    assert started.active is not None
    desk.act("undo")  # the journal names no rows the start did not: only a full read helps
    after = desk.snapshot_after_action()
    assert after.active is None
    entry = after.entry(first.id)
    assert entry is not None
    assert entry.item.status == "open"


def test_landed_names_only_items_that_arrived_since_the_last_snapshot(desk: Desk) -> None:
    first = desk.snapshot()
    assert first.landed == (), "nothing has landed before the first look"
    oldest = first.ranked[-1].item
    desk.act("done", oldest.id)
    desk.act("add", ItemChanges(title="Wifi password?", estimate_minutes=0.5))
    after = desk.snapshot_after_action()
    assert [item.title for item in after.landed] == ["Wifi password?"]
    desk.act("undo")  # the new item goes again
    desk.act("undo")  # the finished one comes back: it is not new
    back = desk.snapshot_after_action()
    assert back.entry(oldest.id) is not None
    assert back.landed == ()
    assert desk.snapshot().landed == ()
    desk.clock = lambda: NOW + timedelta(minutes=1)
    again = desk.act("add", ItemChanges(title="Printer on fire"))
    assert [item.id for item in after.landed] == [again.id], "the undone capture's id, reused"
    assert [item.title for item in desk.snapshot_after_action().landed] == ["Printer on fire"]


def test_a_work_span_corrected_elsewhere_is_learned_from_at_the_next_action(
    desk: Desk, store: Store, tmp_path: Path
) -> None:
    hour = timedelta(hours=1)
    done = store.add(ItemChanges(title="Reimage laptop", tags=("laptop",)), NOW - 3 * hour)
    store.start(done.id, NOW - 3 * hour)
    store.done(done.id, NOW - 2 * hour)
    open_one = store.add(ItemChanges(title="Reimage laptop for Dave", tags=("laptop",)), NOW)

    def learned(snapshot: Snapshot) -> float | None:
        entry = snapshot.entry(open_one.id)
        assert entry is not None
        return entry.item.estimate_minutes

    assert learned(desk.snapshot()) == 60
    with open_store(tmp_path / "desk.db") as other:  # `techqueue log edit` in another terminal
        span = other.spans([done.id])[0]
        other.edit_span(span.id, NOW, ended_at=NOW - hour)
    desk.act("note", open_one.id, "Asked for the serial number")
    assert learned(desk.snapshot_after_action()) == 120


def test_resuming_a_paused_job_on_screen_keeps_the_time_already_worked(
    desk: Desk, store: Store
) -> None:
    job = desk.snapshot().ranked[0].item
    store.start(job.id, NOW - timedelta(minutes=30))
    store.pause(job.id, NOW)
    snapshot = desk.snapshot()
    assert snapshot.active is None
    resumed = snapshot.started(job.id, NOW)
    assert resumed.active is not None
    assert resumed.active.id == job.id
    assert resumed.active_spent == pytest.approx(30.0)


def test_reminders_coming_today_run_to_the_working_day_s_end(store: Store) -> None:
    """ "Coming today" ends where the working day does: with the day boundary at 04:00, a
    reminder at 01:00 is still today's, one at 05:00 is tomorrow's."""
    late = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    for hour, text in ((22, "due already"), (23.5, "before midnight"), (25, "after"), (29, "next")):
        store.remind(None, datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=hour), text, late)
    settings = Settings(morning_summary=False, day_boundary=time(4, 0))
    snapshot = Desk(store, settings, lambda: late).snapshot()
    assert [r.text for r in snapshot.reminders_due] == ["due already"]
    assert [r.text for r in snapshot.reminders_today] == ["before midnight", "after"]
    midnight = Desk(store, Settings(morning_summary=False), lambda: late).snapshot()
    assert [r.text for r in midnight.reminders_today] == ["before midnight"]
