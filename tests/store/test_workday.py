"""The store's end-of-day actions: the work log corrected by hand, spans forgotten overnight,
the review's carry-over decisions and the memory of the morning summary."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from techqueue.core.workday import OVERNIGHT_NOTE
from techqueue.store import BadRequest, ItemChanges, NotFound, Store

from .support import MakeStore

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


def _add(store: Store, now: datetime, title: str) -> int:
    return store.add(ItemChanges(title=title), now).id


def test_a_span_closed_after_its_working_day_ends_there_with_a_note(
    store: Store, now: datetime
) -> None:
    item = _add(store, now, "Laptop")
    store.start(item, now)
    store.span_cutoff = lambda started: started + 8 * HOUR
    store.pause(item, now + 24 * HOUR)
    [span] = store.spans([item])
    assert span.ended_at == now + 8 * HOUR
    assert span.note == OVERNIGHT_NOTE


def test_a_span_closed_within_its_working_day_ends_now(store: Store, now: datetime) -> None:
    item = _add(store, now, "Laptop")
    store.start(item, now)
    store.span_cutoff = lambda started: started + 8 * HOUR
    store.done(item, now + HOUR)
    [span] = store.spans([item])
    assert span.ended_at == now + HOUR
    assert span.note is None


def test_close_overnight_pauses_the_forgotten_item_as_one_action(
    store: Store, now: datetime
) -> None:
    item = _add(store, now, "Laptop")
    store.start(item, now)
    assert store.close_overnight(now + 20 * HOUR) == []  # no working-day rule: nothing
    store.span_cutoff = lambda started: started + 8 * HOUR
    assert store.close_overnight(now + HOUR) == []  # still within the day
    change = store.last_change()
    [closed] = store.close_overnight(now + 20 * HOUR)
    assert closed.ended_at == now + 8 * HOUR
    assert store.get(item).status == "paused"
    assert store.last_change() == change + 1
    assert "overnight" in store.undo(now + 21 * HOUR)
    assert store.get(item).status == "active"
    assert store.spans([item])[0].ended_at is None


def test_edit_span_checks_its_times(store: Store, now: datetime) -> None:
    item = _add(store, now, "Laptop")
    store.start(item, now)
    store.pause(item, now + HOUR)
    [span] = store.spans([item])
    later = now + 2 * HOUR
    edited = store.edit_span(span.id, later, ended_at=now + 30 * MINUTE)
    assert edited.ended_at == now + 30 * MINUTE
    assert edited.note == "corrected by hand"
    with pytest.raises(BadRequest):
        store.edit_span(span.id, later, ended_at=now - MINUTE)
    with pytest.raises(BadRequest):
        store.edit_span(span.id, later, started_at=later + MINUTE)
    with pytest.raises(BadRequest):
        store.edit_span(span.id, later)
    with pytest.raises(NotFound):
        store.edit_span(span.id + 99, later, ended_at=later)
    store.start(item, later)
    running = store.spans([item])[-1]
    with pytest.raises(BadRequest, match="pause it"):
        store.edit_span(running.id, later + HOUR, ended_at=later + MINUTE)


def test_carry_over_notes_pauses_and_promises(store: Store, now: datetime) -> None:
    first = _add(store, now, "First")
    second = _add(store, now, "Second")
    store.start(first, now)
    store.carry_over([first], now + HOUR, promise_due_at=now + 24 * HOUR, promise_text="9 am")
    assert store.get(first).status == "paused"
    assert store.get(first).promise_due_at == now + 24 * HOUR
    kinds = [(n.kind, n.text) for n in store.notes(first)]
    assert kinds == [("carry", "carried over"), ("promise", "9 am")]
    store.carry_over([second], now + HOUR, skipped=True)
    assert [n.kind for n in store.notes(second)] == ["skipped"]
    store.done(second, now + 2 * HOUR)
    with pytest.raises(BadRequest):
        store.carry_over([second], now + 3 * HOUR)
    with pytest.raises(BadRequest):
        store.carry_over([], now + 3 * HOUR)
    with pytest.raises(BadRequest):
        store.carry_over([first], now + 3 * HOUR, promise_due_at=now)


def test_the_rest_of_the_day_is_what_no_carry_over_deferral_or_exclusion_decided(
    store: Store, now: datetime
) -> None:
    carried, skipped, deferred, bumped, left, done = (
        _add(store, now, title)
        for title in ("Carried", "Skipped", "Deferred", "Bumped", "Left", "Done")
    )
    day = (now, now + 12 * HOUR)
    yesterday = now - 12 * HOUR
    store.carry_over([left], yesterday)  # yesterday's decision does not decide today
    store.carry_over([carried], now + HOUR, note="waiting for parts")
    store.carry_over([skipped], now + HOUR, skipped=True)
    store.defer(deferred, now + 24 * HOUR, now + HOUR)
    store.bump(bumped, 1, now + HOUR)
    store.done(done, now + HOUR)
    evening = now + 9 * HOUR
    assert store.undecided(*day, evening) == [bumped, left]
    assert store.undecided(*day, now + 25 * HOUR) == [deferred, bumped, left], "back by then"
    items = store.carry_rest(*day, now=evening, exclude=[bumped])
    assert [item.id for item in items] == [left]
    assert [n.kind for n in store.notes(left)] == ["carry", "skipped"]
    assert store.undecided(*day, evening) == [bumped]
    assert store.carry_rest(*day, now=evening, exclude=[bumped]) == [], "nothing left: no action"
    assert store.undo(evening + MINUTE) == f"carry over #{left} 'Left'"  # not the empty one
    assert store.undecided(*day, evening) == [bumped, left]


def test_carry_notes_survive_export_and_import(
    store: Store, now: datetime, make_store: MakeStore, backend: str
) -> None:
    item = _add(store, now, "First")
    store.carry_over([item], now, skipped=True)
    data = store.export(now)
    assert [n["kind"] for n in data["note"]] == ["skipped"]
    other = make_store(backend)
    other.import_(data, now)
    assert [(n.kind, n.text) for n in other.notes(item)] == [
        (n.kind, n.text) for n in store.notes(item)
    ]


def test_meta_remembers_without_the_journal(store: Store, now: datetime) -> None:
    assert store.meta("morning_shown") is None
    assert store.is_empty()
    store.set_meta("morning_shown", "2026-03-02")
    store.set_meta("morning_shown", "2026-03-03")
    assert store.meta("morning_shown") == "2026-03-03"
    assert store.last_change() == 0
    with pytest.raises(BadRequest):
        store.set_meta("schema_version", "9")
    _add(store, now, "x")
    assert not store.is_empty()


def test_day_queries(store: Store, now: datetime) -> None:
    early = store.add(ItemChanges(title="Early", received_at=now - 24 * HOUR), now).id
    today = _add(store, now + HOUR, "Today")
    store.note(today, "by noon", now + HOUR, kind="promise", due_at=now + 3 * HOUR)
    assert [i.id for i in store.received_between(now, now + 24 * HOUR)] == [today]
    assert set(store.items_by_id([early, today, 999])) == {early, today}
    due = store.notes_between(now, now + 4 * HOUR, ["promise"], by_due=True)
    assert [n.item_id for n in due] == [today]
    assert store.notes_between(now, now + 2 * HOUR, ["promise"], by_due=True) == []
    assert [n.item_id for n in store.notes_of([today, early], ["promise"])] == [today]
