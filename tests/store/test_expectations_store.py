"""What the store gives the expectations core, on both backends: finished work with the time
it took, the last contact per item, the work in progress; and a contact clearing a broken
promise's flag, undoably."""

from __future__ import annotations

from datetime import datetime, timedelta

from techqueue.store import ItemChanges, Store

MINUTE = timedelta(minutes=1)


def _add(store: Store, now: datetime, title: str, **fields: object) -> int:
    return store.add(ItemChanges(title=title, **fields), now).id  # type: ignore[arg-type]


def test_finished_work_sums_each_done_items_spans_most_recent_first(
    store: Store, now: datetime
) -> None:
    first = _add(store, now, "Printer jammed", tags=("printer",))
    second = _add(store, now, "Printer offline", requester="Carol")
    dropped = _add(store, now, "Duplicate ticket")
    never_worked = _add(store, now, "Answered by phone")
    store.start(first, now)
    store.pause(first, now + 10 * MINUTE)
    store.start(first, now + 20 * MINUTE)
    store.done(first, now + 35 * MINUTE)  # 10 + 15 minutes
    store.start(second, now + 40 * MINUTE)
    store.done(second, now + 45 * MINUTE)
    store.start(dropped, now + 50 * MINUTE)
    store.drop(dropped, now + 55 * MINUTE)
    store.done(never_worked, now + 60 * MINUTE)

    work = store.finished_work()
    assert [(item.id, round(minutes, 6)) for item, minutes in work] == [(second, 5), (first, 25)]
    assert work[0][0].requester == "Carol"
    assert work[1][0].tags == ("printer",)
    assert [item.id for item, _ in store.finished_work(limit=1)] == [second]


def test_work_in_progress_is_the_spans_of_active_and_paused_items(
    store: Store, now: datetime
) -> None:
    paused = _add(store, now, "Paused job")
    active = _add(store, now, "Active job")
    finished = _add(store, now, "Finished job")
    store.start(finished, now)
    store.done(finished, now + 5 * MINUTE)
    store.start(paused, now + 5 * MINUTE)
    store.start(active, now + 15 * MINUTE)  # pauses the other
    spans = store.work_in_progress()
    assert sorted({span.item_id for span in spans}) == sorted({paused, active})
    running = [span for span in spans if span.ended_at is None]
    assert [span.item_id for span in running] == [active]


def test_last_contacts_counts_contact_and_promise_notes_only(store: Store, now: datetime) -> None:
    told = _add(store, now, "Told")
    promised = _add(store, now, "Promised")
    plain = _add(store, now, "Plain note only")
    store.note(told, "called her", now + MINUTE, kind="contact")
    store.note(told, "called again", now + 30 * MINUTE, kind="contact")
    store.note(promised, "by noon", now + 5 * MINUTE, kind="promise", due_at=now + 3 * 60 * MINUTE)
    store.note(plain, "looked at it", now + 5 * MINUTE)
    contacts = store.last_contacts()
    assert contacts == {told: now + 30 * MINUTE, promised: now + 5 * MINUTE}


def test_a_contact_after_a_broken_promise_clears_its_flag_and_undo_restores_it(
    store: Store, now: datetime
) -> None:
    item_id = _add(store, now, "Monitor flickers", requester="Alice")
    store.note(item_id, "by 9:30", now, kind="promise", due_at=now + 30 * MINUTE)
    store.note(item_id, "still on it", now + 10 * MINUTE, kind="contact")
    assert store.get(item_id).promise_due_at == now + 30 * MINUTE, "not broken yet: kept"
    store.note(item_id, "sorry, 10:30 now", now + 45 * MINUTE, kind="contact")
    assert store.get(item_id).promise_due_at is None
    assert [note.kind for note in store.notes(item_id)] == ["promise", "contact", "contact"]
    store.undo(now + 46 * MINUTE)
    assert store.get(item_id).promise_due_at == now + 30 * MINUTE
