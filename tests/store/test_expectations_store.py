"""What the store gives the expectations core, on both backends: finished work with the time
it took, the last contact per item, the work in progress; and a contact clearing a broken
promise's flag, undoably."""

from __future__ import annotations

from datetime import datetime, timedelta

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.store import Store

MINUTE = timedelta(minutes=1)


def _add(store: Store, now: datetime, title: str, **fields: object) -> int:
    return actions.add(Desk(store), ItemFields(title=title, **fields), now).item.id  # type: ignore[arg-type]


def test_finished_work_sums_each_done_items_spans_most_recent_first(
    store: Store, now: datetime
) -> None:
    first = _add(store, now, "Printer jammed", tags=("printer",))
    second = _add(store, now, "Printer offline", requester="Carol")
    dropped = _add(store, now, "Duplicate ticket")
    never_worked = _add(store, now, "Answered by phone")
    actions.start(Desk(store), first, now)
    actions.pause(Desk(store), first, now + 10 * MINUTE)
    actions.start(Desk(store), first, now + 20 * MINUTE)
    actions.done(Desk(store), first, now + 35 * MINUTE)  # 10 + 15 minutes
    actions.start(Desk(store), second, now + 40 * MINUTE)
    actions.done(Desk(store), second, now + 45 * MINUTE)
    actions.start(Desk(store), dropped, now + 50 * MINUTE)
    actions.drop(Desk(store), dropped, now + 55 * MINUTE)
    actions.done(Desk(store), never_worked, now + 60 * MINUTE)

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
    actions.start(Desk(store), finished, now)
    actions.done(Desk(store), finished, now + 5 * MINUTE)
    actions.start(Desk(store), paused, now + 5 * MINUTE)
    actions.start(Desk(store), active, now + 15 * MINUTE)  # pauses the other
    spans = store.work_in_progress()
    assert sorted({span.item_id for span in spans}) == sorted({paused, active})
    running = [span for span in spans if span.ended_at is None]
    assert [span.item_id for span in running] == [active]


def test_last_contacts_counts_contact_and_promise_notes_only(store: Store, now: datetime) -> None:
    told = _add(store, now, "Told")
    promised = _add(store, now, "Promised")
    plain = _add(store, now, "Plain note only")
    actions.note(Desk(store), told, "called her", now + MINUTE, kind="contact")
    actions.note(Desk(store), told, "called again", now + 30 * MINUTE, kind="contact")
    actions.note(
        Desk(store),
        promised,
        "by noon",
        now + 5 * MINUTE,
        kind="promise",
        due_at=now + 3 * 60 * MINUTE,
    )
    actions.note(Desk(store), plain, "looked at it", now + 5 * MINUTE)
    contacts = store.last_contacts()
    assert contacts == {told: now + 30 * MINUTE, promised: now + 5 * MINUTE}


def test_a_contact_after_a_broken_promise_clears_its_flag_and_undo_restores_it(
    store: Store, now: datetime
) -> None:
    item_id = _add(store, now, "Monitor flickers", requester="Alice")
    actions.note(Desk(store), item_id, "by 9:30", now, kind="promise", due_at=now + 30 * MINUTE)
    actions.note(Desk(store), item_id, "still on it", now + 10 * MINUTE, kind="contact")
    assert store.get(item_id).promise_due_at == now + 30 * MINUTE, "not broken yet: kept"
    actions.note(Desk(store), item_id, "sorry, 10:30 now", now + 45 * MINUTE, kind="contact")
    assert store.get(item_id).promise_due_at is None
    assert [note.kind for note in store.notes(item_id)] == ["promise", "contact", "contact"]
    store.undo(now + 46 * MINUTE)
    assert store.get(item_id).promise_due_at == now + 30 * MINUTE
