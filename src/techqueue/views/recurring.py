"""The recurring rules as ``recurring`` lists them: each rule, what its instances are, and
its open instance (the one waiting for its time, or in the queue now)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from techqueue.desk import Desk
from techqueue.domain import CLOSED_STATUSES
from techqueue.records import ItemRecord, RecurrenceRecord

__all__ = ["Recurring", "read_recurring", "recurring_json", "recurring_line"]


@dataclass(frozen=True, slots=True)
class Recurring:
    """A rule with its instances' title and its open instance (``None`` once stopped and
    the last one closed)."""

    rule: RecurrenceRecord
    title: str
    current: ItemRecord | None
    done: int


def read_recurring(desk: Desk, *, include_stopped: bool = False) -> list[Recurring]:
    """Every rule (stopped ones only when asked for), oldest first."""
    store = desk.store
    found = []
    for rule in store.recurrences(include_stopped=include_stopped):
        instances = store.instances(rule.id)
        current = next((item for item in instances if item.status not in CLOSED_STATUSES), None)
        done = sum(1 for item in instances if item.status == "done")
        found.append(Recurring(rule, str(json.loads(rule.fields).get("title", "")), current, done))
    return found


def recurring_json(entry: Recurring) -> dict[str, Any]:
    from techqueue.views.json import iso

    current = entry.current
    return {
        "id": entry.rule.id,
        "title": entry.title,
        "rule": entry.rule.rule,
        "created_at": iso(entry.rule.created_at),
        "stopped_at": iso(entry.rule.stopped_at),
        "item_id": None if current is None else current.id,
        "next_at": None if current is None else iso(current.received_at),
        "done": entry.done,
    }


def recurring_line(entry: Recurring, now: datetime) -> str:
    """``1  every mon 09:00  check backups  next: #7 Mon 09 Mar 09:00`` (tab-separated)."""
    from techqueue.views.text import clean, when

    current = entry.current
    if entry.rule.stopped_at is not None:
        state = f"stopped {when(entry.rule.stopped_at, now)}"
    elif current is None:
        state = "no instance open"
    elif current.received_at > now:
        state = f"next: #{current.id} {when(current.received_at, now)}"
    else:
        state = f"now: #{current.id} ({current.status})"
    return f"{entry.rule.id}\tevery {clean(entry.rule.rule)}\t{clean(entry.title)}\t{state}"
