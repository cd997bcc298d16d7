"""The store's end-of-day actions: the work log corrected by hand, spans forgotten overnight,
the review's carry-over decisions and the memory of the morning summary."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.domain import OVERNIGHT_NOTE, WORKED_LATE_NOTE
from techqueue.errors import BadRequest, NotFound
from techqueue.store import Store
from techqueue.views.followups import left_running

from .support import CutoffDesk, MakeStore

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def _add(store: Store, now: datetime, title: str) -> int:
    return actions.add(Desk(store), ItemFields(title=title), now).item.id


def test_a_span_closed_after_its_working_day_ends_there_with_a_note(
    store: Store, now: datetime
) -> None:
    item = _add(store, now, "Laptop")
    actions.start(Desk(store), item, now)
    actions.pause(CutoffDesk(store, 8 * HOUR), item, now + 24 * HOUR)
    [span] = store.spans([item])
    assert span.ended_at == now + 8 * HOUR
    assert span.note == OVERNIGHT_NOTE


def test_a_span_closed_within_its_working_day_ends_now(store: Store, now: datetime) -> None:
    item = _add(store, now, "Laptop")
    actions.start(Desk(store), item, now)
    actions.done(CutoffDesk(store, 8 * HOUR), item, now + HOUR)
    [span] = store.spans([item])
    assert span.ended_at == now + HOUR
    assert span.note is None


def test_close_overnight_pauses_the_forgotten_item_as_one_action(
    store: Store, now: datetime
) -> None:
    item = _add(store, now, "Laptop")
    actions.start(Desk(store), item, now)
    desk = CutoffDesk(store, 8 * HOUR)
    assert actions.close_overnight(desk, now + HOUR) == []  # still within the day
    change = store.last_journal_id()
    [closed] = actions.close_overnight(desk, now + 20 * HOUR)
    assert closed.ended_at == now + 8 * HOUR
    assert store.get(item).status == "paused"
    assert store.last_journal_id() == change + 1
    assert "overnight" in store.undo(now + 21 * HOUR)
    assert store.get(item).status == "active"
    assert store.spans([item])[0].ended_at is None


def test_edit_span_checks_its_times(store: Store, now: datetime) -> None:
    item = _add(store, now, "Laptop")
    actions.start(Desk(store), item, now)
    actions.pause(Desk(store), item, now + HOUR)
    [span] = store.spans([item])
    later = now + 2 * HOUR
    edited = actions.correct_span(Desk(store), span.id, later, ended_at=now + 30 * MINUTE)
    assert edited.ended_at == now + 30 * MINUTE
    assert edited.note == "corrected by hand"
    with pytest.raises(BadRequest):
        actions.correct_span(Desk(store), span.id, later, ended_at=now - MINUTE)
    with pytest.raises(BadRequest):
        actions.correct_span(Desk(store), span.id, later, started_at=later + MINUTE)
    with pytest.raises(BadRequest):
        actions.correct_span(Desk(store), span.id, later)
    with pytest.raises(NotFound):
        actions.correct_span(Desk(store), span.id + 99, later, ended_at=later)
    actions.start(Desk(store), item, later)
    running = store.spans([item])[-1]
    with pytest.raises(BadRequest, match="pause it"):
        actions.correct_span(Desk(store), running.id, later + HOUR, ended_at=later + MINUTE)


def test_carry_over_notes_pauses_and_promises(store: Store, now: datetime) -> None:
    first = _add(store, now, "First")
    second = _add(store, now, "Second")
    actions.start(Desk(store), first, now)
    actions.carry_over(
        Desk(store), [first], now + HOUR, promise_due_at=now + 24 * HOUR, promise_text="9 am"
    )
    assert store.get(first).status == "paused"
    assert store.get(first).promise_due_at == now + 24 * HOUR
    kinds = [(n.kind, n.text) for n in store.notes(first)]
    assert kinds == [("carry", "carried over"), ("promise", "9 am")]
    actions.carry_over(Desk(store), [second], now + HOUR, skipped=True)
    assert [n.kind for n in store.notes(second)] == ["skipped"]
    actions.done(Desk(store), second, now + 2 * HOUR)
    with pytest.raises(BadRequest):
        actions.carry_over(Desk(store), [second], now + 3 * HOUR)
    with pytest.raises(BadRequest):
        actions.carry_over(Desk(store), [], now + 3 * HOUR)
    with pytest.raises(BadRequest):
        actions.carry_over(Desk(store), [first], now + 3 * HOUR, promise_due_at=now)


def test_the_rest_of_the_day_is_what_no_carry_over_deferral_or_exclusion_decided(
    store: Store, now: datetime
) -> None:
    carried, skipped, deferred, bumped, left, done = (
        _add(store, now, title)
        for title in ("Carried", "Skipped", "Deferred", "Bumped", "Left", "Done")
    )
    day = (now, now + 12 * HOUR)
    yesterday = now - 12 * HOUR
    actions.carry_over(Desk(store), [left], yesterday)  # yesterday's decision does not decide today
    actions.carry_over(Desk(store), [carried], now + HOUR, note="waiting for parts")
    actions.carry_over(Desk(store), [skipped], now + HOUR, skipped=True)
    actions.defer(Desk(store), deferred, now + 24 * HOUR, now + HOUR)
    actions.bump(Desk(store), bumped, 1, now + HOUR)
    actions.done(Desk(store), done, now + HOUR)
    evening = now + 9 * HOUR
    assert actions.undecided(Desk(store), *day, evening) == [bumped, left]
    assert actions.undecided(Desk(store), *day, now + 25 * HOUR) == [deferred, bumped, left], (
        "back by then"
    )
    items = actions.carry_rest(Desk(store), *day, now=evening, exclude=[bumped])
    assert [item.id for item in items] == [left]
    assert [n.kind for n in store.notes(left)] == ["carry", "skipped"]
    assert actions.undecided(Desk(store), *day, evening) == [bumped]
    assert actions.carry_rest(Desk(store), *day, now=evening, exclude=[bumped]) == [], (
        "nothing left: no action"
    )
    assert store.undo(evening + MINUTE) == f"carry over #{left} 'Left'"  # not the empty one
    assert actions.undecided(Desk(store), *day, evening) == [bumped, left]


def test_carry_notes_survive_export_and_import(
    store: Store, now: datetime, make_store: MakeStore, backend: str
) -> None:
    item = _add(store, now, "First")
    actions.carry_over(Desk(store), [item], now, skipped=True)
    data = transfer.export(store, now)
    assert [n["kind"] for n in data["note"]] == ["skipped"]
    other = make_store(backend)
    transfer.import_export(other, data, now)
    assert [(n.kind, n.text) for n in other.notes(item)] == [
        (n.kind, n.text) for n in store.notes(item)
    ]


def test_meta_remembers_without_the_journal(store: Store, now: datetime) -> None:
    assert store.meta("morning_shown") is None
    assert store.is_empty()
    store.set_meta("morning_shown", "2026-03-02")
    store.set_meta("morning_shown", "2026-03-03")
    assert store.meta("morning_shown") == "2026-03-03"
    assert store.last_journal_id() == 0
    with pytest.raises(BadRequest):
        store.set_meta("schema_version", "9")
    _add(store, now, "x")
    assert not store.is_empty()


def test_day_queries(store: Store, now: datetime) -> None:
    early = actions.add(
        Desk(store), ItemFields(title="Early", received_at=now - 24 * HOUR), now
    ).item.id
    today = _add(store, now + HOUR, "Today")
    actions.note(Desk(store), today, "by noon", now + HOUR, kind="promise", due_at=now + 3 * HOUR)
    assert [i.id for i in store.received_between(now, now + 24 * HOUR)] == [today]
    assert set(store.items_by_id([early, today, 999])) == {early, today}
    due = store.notes_between(now, now + 4 * HOUR, ["promise"], by_due=True)
    assert [n.item_id for n in due] == [today]
    assert store.notes_between(now, now + 2 * HOUR, ["promise"], by_due=True) == []
    assert [n.item_id for n in store.notes_of([today, early], ["promise"])] == [today]


def test_a_span_worked_late_runs_on_past_the_end_of_the_day(store: Store, now: datetime) -> None:
    """Only the technician knows whether the evening was worked: said so, the span counts until
    it stops, is no longer offered for closing, and one undo takes the answer back."""
    item = _add(store, now, "Server migration")
    actions.start(Desk(store), item, now)
    desk = CutoffDesk(store, 8 * HOUR)
    late = now + 11 * HOUR
    [running] = left_running(desk, late)
    assert left_running(desk, now + HOUR) == []
    change = store.last_journal_id()
    [span] = actions.worked_late(desk, [running.id], late)
    assert span.note == WORKED_LATE_NOTE
    assert store.last_journal_id() == change + 1
    assert left_running(desk, late) == []
    assert actions.close_overnight(desk, late) == []
    actions.pause(desk, item, late + HOUR)
    [span] = store.spans([item])
    assert span.ended_at == late + HOUR, "the evening counts, to the minute it stopped"
    store.undo(late + HOUR)
    assert "worked late" in store.undo(late + HOUR)
    assert [s.id for s in left_running(desk, late)] == [running.id]


def test_worked_late_refuses_a_stopped_span(store: Store, now: datetime) -> None:
    item = _add(store, now, "Laptop")
    actions.start(Desk(store), item, now)
    actions.pause(Desk(store), item, now + HOUR)
    [span] = store.spans([item])
    with pytest.raises(BadRequest, match="stopped already"):
        actions.worked_late(Desk(store), [span.id], now + 2 * HOUR)
    with pytest.raises(BadRequest):
        actions.worked_late(Desk(store), [], now + 2 * HOUR)
