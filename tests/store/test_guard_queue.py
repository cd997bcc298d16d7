"""The queue as the command line and the app read it gives the deadline guard the work already
done on the items in progress, so a paused job's 3x deadline moves on by it."""

from __future__ import annotations

from datetime import datetime, timedelta

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.guard import breach_at
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.views.ranking import read_queue

HOUR = timedelta(hours=1)


def test_the_queue_carries_the_work_done_on_a_paused_job(store: Store, now: datetime) -> None:
    desk = Desk(store)
    paused = actions.add(desk, ItemFields(title="Backup", estimate_minutes=240.0), now).item.id
    fresh = actions.add(desk, ItemFields(title="Printer", estimate_minutes=20.0), now).item.id
    actions.start(desk, paused, now)
    actions.pause(desk, paused, now + HOUR)
    queue = read_queue(desk, now + 2 * HOUR)
    entries = {entry.id: entry for entry in queue.ranked}
    assert entries[paused].item.spent_minutes == 60.0
    assert entries[fresh].item.spent_minutes == 0.0
    settings = desk.settings
    later = breach_at(entries[paused].item, now + 2 * HOUR, settings.weights, settings.hours)
    sooner = breach_at(entries[fresh].item, now + 2 * HOUR, settings.weights, settings.hours)
    assert later is not None
    assert sooner is not None
    assert later > sooner, "an hour of work on it: an hour more before it waits too long"
