"""The app's session: boards with counts and places worked out once, the optimistic start,
and re-reading only what an action changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store, open_store
from techqueue.tui.session import Session
from techqueue.views.board import Board

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "desk.db")
    yield opened
    opened.close()


@pytest.fixture
def session(store: Store) -> Session:
    rows = (
        ("VPN down", "critical", "Bob", True),
        ("Printer jammed", "high", "Alice", False),
        ("Password reset", "normal", "Carol", True),
        ("New monitor", "low", "Dave", False),
        ("Call back about the quote", "normal", "Erin", True),
    )
    for title, severity, requester, vip in rows:
        actions.add(
            Desk(store),
            ItemFields(title=title, severity=severity, requester=requester, vip=vip or None),
            NOW - timedelta(hours=1),
        )
    actions.wait(Desk(store), store.items()[-1].id, now=NOW)
    return Session(Desk(store, Settings(morning_summary=False)), lambda: NOW)


def recounted(board: Board) -> tuple[int, int]:
    """The header's counts, as a fresh board of the same entries counts them."""
    fresh = dataclasses.replace(board, open_count=-1, vip_waiting=-1, positions={})
    return fresh.open_count, fresh.vip_waiting


def test_counts_and_places_are_worked_out_with_the_board(session: Session) -> None:
    board = session.board()
    statuses = [entry.item.status for entry in board.ranked]
    assert board.open_count == len([s for s in statuses if s != "waiting"]) == 4
    assert board.vip_waiting == 2, "the VIP item waiting on the customer is not counted"
    for index, entry in enumerate(board.ranked):
        assert board.positions[entry.id] == index
        assert board.entry(entry.id) is entry
    assert board.entry(10_000) is None


def test_started_marks_the_item_active_and_pauses_the_one_in_hand(session: Session) -> None:
    board = session.board()
    first, second = board.ranked[0], board.ranked[1]
    later = NOW + timedelta(minutes=5)

    one = board.started(first.id, later)
    assert one.active is not None
    assert (one.active.id, one.active.status, one.active.started_at) == (
        first.id,
        "active",
        later,
    )
    assert [e.id for e in one.ranked] == [e.id for e in board.ranked], "no place moves"
    assert one.positions is board.positions
    assert (one.open_count, one.vip_waiting) == recounted(one)
    assert board.ranked[0].item.status == "open", "the board it came from is untouched"

    two = one.started(second.id, later)
    assert two.active is not None
    assert two.active.id == second.id
    assert two.ranked[0].item.status == "paused"
    assert (two.open_count, two.vip_waiting) == recounted(two)


def test_started_from_waiting_counts_the_item_open_again(session: Session) -> None:
    board = session.board()
    waiting = next(e for e in board.ranked if e.item.status == "waiting")
    started = board.started(waiting.id, NOW)
    assert started.open_count == board.open_count + 1
    assert (started.open_count, started.vip_waiting) == recounted(started)


def test_started_leaves_an_unknown_or_active_item_alone(session: Session) -> None:
    board = session.board()
    assert board.started(10_000, NOW) is board
    top = board.ranked[0].id
    once = board.started(top, NOW)
    assert once.started(top, NOW) is once


def test_an_action_re_reads_what_another_process_wrote_since_the_last_read(
    session: Session, store: Store, tmp_path: Path
) -> None:
    session.board()
    first, second = (entry.item for entry in session.board().ranked[:2])
    with open_store(tmp_path / "desk.db") as other:  # the CLI in another terminal
        actions.start(Desk(other), first.id, NOW)
    session.run(lambda d, n: actions.note(d, second.id, "Called back", n))
    after = session.board_after_action()
    assert after.active is not None
    assert after.active.id == first.id
    assert after.journal_id == store.last_journal_id()


def test_actions_whose_re_rank_was_skipped_are_all_read_by_the_next_one(session: Session) -> None:
    ranked = session.board().ranked
    first, second = ranked[0].item, ranked[1].item
    session.run(lambda d, n: actions.start(d, first.id, n))
    session.run(
        lambda d, n: actions.done(d, second.id, n)
    )  # a burst: only the last action re-ranks
    after = session.board_after_action()
    assert after.active is not None
    assert after.active.id == first.id
    assert after.entry(second.id) is None


def test_an_undo_among_the_actions_reads_everything_again(session: Session) -> None:
    ranked = session.board().ranked
    first = ranked[0].item
    session.run(lambda d, n: actions.start(d, first.id, n))
    started = session.board_after_action()
    assert started.active is not None
    session.run(actions.undo)  # the journal names no rows the start did not: only a full read helps
    after = session.board_after_action()
    assert after.active is None
    entry = after.entry(first.id)
    assert entry is not None
    assert entry.item.status == "open"


def test_landed_names_only_items_that_arrived_since_the_last_board(session: Session) -> None:
    first = session.board()
    assert first.landed == (), "nothing has landed before the first look"
    oldest = first.ranked[-1].item
    session.run(lambda d, n: actions.done(d, oldest.id, n))
    session.run(
        lambda d, n: actions.add(d, ItemFields(title="Wifi password?", estimate_minutes=0.5), n)
    )
    after = session.board_after_action()
    assert [item.title for item in after.landed] == ["Wifi password?"]
    session.run(actions.undo)  # the new item goes again
    session.run(actions.undo)  # the finished one comes back: it is not new
    back = session.board_after_action()
    assert back.entry(oldest.id) is not None
    assert back.landed == ()
    assert session.board().landed == ()
    session.clock = lambda: NOW + timedelta(minutes=1)
    again = session.run(lambda d, n: actions.add(d, ItemFields(title="Printer on fire"), n)).item
    assert [item.id for item in after.landed] == [again.id], "the undone capture's id, reused"
    assert [item.title for item in session.board_after_action().landed] == ["Printer on fire"]


def test_a_work_span_corrected_elsewhere_is_learned_from_at_the_next_action(
    session: Session, store: Store, tmp_path: Path
) -> None:
    hour = timedelta(hours=1)
    done = actions.add(
        Desk(store), ItemFields(title="Reimage laptop", tags=("laptop",)), NOW - 3 * hour
    ).item
    actions.start(Desk(store), done.id, NOW - 3 * hour)
    actions.done(Desk(store), done.id, NOW - 2 * hour)
    open_one = actions.add(
        Desk(store), ItemFields(title="Reimage laptop for Dave", tags=("laptop",)), NOW
    ).item

    def learned(board: Board) -> float | None:
        entry = board.entry(open_one.id)
        assert entry is not None
        return entry.item.estimate_minutes

    assert learned(session.board()) == 60
    with open_store(tmp_path / "desk.db") as other:  # `techqueue log edit` in another terminal
        span = other.spans([done.id])[0]
        actions.correct_span(Desk(other), span.id, NOW, ended_at=NOW - hour)
    session.run(lambda d, n: actions.note(d, open_one.id, "Asked for the serial number", n))
    assert learned(session.board_after_action()) == 120


def test_resuming_a_paused_job_on_screen_keeps_the_time_already_worked(
    session: Session, store: Store
) -> None:
    job = session.board().ranked[0].item
    actions.start(Desk(store), job.id, NOW - timedelta(minutes=30))
    actions.pause(Desk(store), job.id, NOW)
    board = session.board()
    assert board.active is None
    resumed = board.started(job.id, NOW)
    assert resumed.active is not None
    assert resumed.active.id == job.id
    assert resumed.active_spent == pytest.approx(30.0)


def test_reminders_coming_today_run_to_the_working_day_s_end(store: Store) -> None:
    """ "Coming today" ends where the working day does: with the day boundary at 04:00, a
    reminder at 01:00 is still today's, one at 05:00 is tomorrow's."""
    late = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    for hour, text in ((22, "due already"), (23.5, "before midnight"), (25, "after"), (29, "next")):
        actions.remind(
            Desk(store), None, datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=hour), text, late
        )
    settings = Settings(morning_summary=False, day_boundary=time(4, 0))
    board = Session(Desk(store, settings), lambda: late).board()
    assert [r.text for r in board.reminders_due] == ["due already"]
    assert [r.text for r in board.reminders_today] == ["before midnight", "after"]
    midnight = Session(Desk(store, Settings(morning_summary=False)), lambda: late).board()
    assert [r.text for r in midnight.reminders_today] == ["before midnight"]
