"""Recurring proactive work: a rule (``add '… every:mon 9:00'``) and its instances, one open
at a time. Each instance is an ordinary item, out of the queue until its time and then ranked
like the rest; finishing or dropping (skipping) one schedules the next, the first occurrence
after now (or after its own time, when it is closed early), so missed ones never pile up.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from techqueue.actions.items import Changed, ItemFields, new_item_values
from techqueue.core.recurrence import Rule, next_occurrence, parse_rule
from techqueue.desk import Desk
from techqueue.domain import CLOSED_STATUSES
from techqueue.errors import BadRequest
from techqueue.records import ItemRecord, RecurrenceRecord
from techqueue.store import Transaction

__all__ = ["add_recurring", "read_rule", "schedule_next", "stop_recurring"]

#: What a rule keeps of the fields each instance is made with.
_KEPT = ("title", "requester", "vip", "severity", "channel", "estimate_minutes", "impact")
#: Just before: an occurrence at the very moment a rule is made is its first instance.
_TICK = timedelta(microseconds=1)


def _zone(now: datetime) -> tzinfo | None:
    """The zone whose wall clock the rules keep: the system's (``None``, with its changes of
    the clocks) when ``now`` is in it, as the command line's and the app's clocks are;
    otherwise ``now``'s own (a caller with a clock of its own)."""
    return None if now.astimezone().utcoffset() == now.utcoffset() else now.tzinfo


def read_rule(text: str) -> Rule:
    """A stored rule (``mon 09:00``) read back."""
    word, _, clock = text.partition(" ")
    return parse_rule(word, clock or None)


def _instance(
    desk: Desk, tx: Transaction, rule: RecurrenceRecord, at: datetime, now: datetime
) -> int:
    """Insert the instance of ``rule`` due at ``at``: out of the queue until then."""
    kept = json.loads(rule.fields)
    fields = ItemFields(**{name: kept.get(name) for name in _KEPT}, tags=tuple(kept["tags"]))
    values = new_item_values(desk, tx, replace(fields, received_at=at), now)
    values |= {"recurrence_id": rule.id, "deferred_until": at if at > now else None}
    return tx.insert("item", values)


def _next_time(desk: Desk, rule: RecurrenceRecord, after: datetime) -> datetime:
    zone = _zone(after)
    return next_occurrence(
        read_rule(rule.rule),
        after,
        anchor=rule.anchor_at.astimezone(zone).date(),
        hours=desk.settings.hours,
        zone=zone,
    )


def add_recurring(desk: Desk, fields: ItemFields, now: datetime) -> Changed:
    """Make a recurring rule from ``fields`` (``every`` its rule) and its first instance, at
    the rule's first occurrence from now."""
    assert fields.every is not None
    try:
        rule = read_rule(fields.every)
    except ValueError as error:
        raise BadRequest(str(error)) from None
    store = desk.store
    kept: dict[str, Any] = {name: getattr(fields, name) for name in _KEPT}
    kept["tags"] = list(dict.fromkeys((fields.tags or ()) + fields.add_tags))
    summary = f"add {fields.title!r} every {fields.every}"
    with store.action("add recurring", summary, now) as tx:
        rule_id = tx.insert(
            "recurrence",
            {
                "fields": json.dumps(kept),
                "rule": fields.every,
                "anchor_at": now,
                "created_at": now,
                "stopped_at": None,
            },
        )
        record = RecurrenceRecord(rule_id, json.dumps(kept), fields.every, now, now)
        zone = _zone(now)
        anchor = now.astimezone(zone).date()
        first = next_occurrence(
            rule, now - _TICK, anchor=anchor, hours=desk.settings.hours, zone=zone
        )
        item_id = tx.item_id = _instance(desk, tx, record, first, now)
    return Changed(store.get(item_id))


def schedule_next(desk: Desk, tx: Transaction, item: ItemRecord, now: datetime) -> int | None:
    """In the transaction closing ``item``, an instance of a recurring rule: the next one,
    unless the rule was stopped or another instance is still open (one at a time)."""
    store = desk.store
    assert item.recurrence_id is not None
    rule = store.recurrence(item.recurrence_id)
    if rule.stopped_at is not None:
        return None
    others = [
        other
        for other in store.instances(rule.id)
        if other.id != item.id and other.status not in CLOSED_STATUSES
    ]
    if others:
        return None
    return _instance(desk, tx, rule, _next_time(desk, rule, max(now, item.received_at)), now)


def stop_recurring(desk: Desk, recurrence_id: int, now: datetime) -> RecurrenceRecord:
    """End a rule: no more instances. The one waiting for its time goes with it (dropped,
    saying why); one already in the queue stays, to finish or drop."""
    store = desk.store
    rule = store.recurrence(recurrence_id)
    if rule.stopped_at is not None:
        raise BadRequest(f"recurring rule {recurrence_id} is stopped already")
    title = json.loads(rule.fields).get("title", "")
    with store.action("stop", f"stop {title!r} every {rule.rule}", now) as tx:
        tx.update("recurrence", recurrence_id, {"stopped_at": now})
        for item in store.instances(recurrence_id):
            if (
                item.status == "open"
                and item.deferred_until is not None
                and item.deferred_until > now
            ):
                tx.update(
                    "item",
                    item.id,
                    {
                        "status": "dropped",
                        "done_at": now,
                        "drop_reason": "its recurring rule was stopped",
                        "deferred_until": None,
                    },
                )
    return store.recurrence(recurrence_id)
