"""A store of schema 3 (the fixture the intake work shipped) migrated to 4: serving everyone's
columns and table are there, empty, and every new capability works on it at once."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.store import open_store

from .test_migrations import MADE_AT, fixture_path

HOUR = timedelta(hours=1)


def test_a_schema_3_store_gains_appointments_solutions_waiting_on_and_rules(
    tmp_path: Path,
) -> None:
    path = tmp_path / "techqueue.db"
    shutil.copyfile(fixture_path(3), path)
    with open_store(path) as store:
        items = store.items()
        assert items, "the fixture has open items"
        assert all(
            (i.appointment_at, i.solution, i.waiting_on, i.recurrence_id) == (None,) * 4
            for i in items
        )
        assert store.recurrences(include_stopped=True) == []
        desk = Desk(store)
        first, second = items[0].id, items[1].id
        now = MADE_AT + HOUR
        actions.appoint(desk, first, now + 2 * HOUR, now, 45)
        actions.wait_on(desk, second, "Acme", "vendor", now, chase=now + HOUR)
        added = actions.add(desk, ItemFields(title="Backups", every="day 09:00"), now).item
        assert store.get(first).appointment_minutes == 45
        assert store.get(second).waiting_on == "Acme"
        assert added.recurrence_id == store.recurrences()[0].id
    with open_store(path) as store:  # and it opens again as it is
        assert store.get(first).appointment_at == now + 2 * HOUR
