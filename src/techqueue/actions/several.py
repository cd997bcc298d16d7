"""Several items in one action -- ``done 1 2 3``, ``drop``, ``pause`` -- written as one journal
entry (undone as one), every item checked before anything is written, each item written
exactly as the one-item action writes it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from techqueue.actions.hooks import fire
from techqueue.actions.items import (
    done,
    done_writes,
    drop,
    drop_writes,
    pause,
    pause_writes,
    require,
)
from techqueue.core.text import plural
from techqueue.desk import Desk
from techqueue.errors import BadRequest
from techqueue.records import ItemRecord
from techqueue.store import Store

__all__ = ["done_all", "drop_all", "pause_all"]


def _require_all(store: Store, item_ids: Iterable[int], action: str) -> list[ItemRecord]:
    """The items (each once, in the order given), when every one exists and its status allows
    ``action``; the first that does not refuses them all, before anything is written."""
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise BadRequest(f"give the number of an item to {action}")
    return [require(store, item_id, action) for item_id in ids]


def _summary(verb: str, items: list[ItemRecord]) -> tuple[str, int | None]:
    """What ``undo`` will say it undid, and the item the action is about (none: several)."""
    numbers = ", ".join(f"#{item.id}" for item in items)
    return f"{verb} {plural(len(items), 'item')} ({numbers})", None


def done_all(desk: Desk, item_ids: Iterable[int], now: datetime) -> list[ItemRecord]:
    """Mark several items done as one action (one journal entry, undone as one): all are
    checked first, and one that cannot be marked done refuses them all. One item is
    :func:`done` itself."""
    store = desk.store
    items = _require_all(store, item_ids, "done")
    if len(items) == 1:
        return [done(desk, items[0].id, now).item]
    summary, about = _summary("done", items)
    with store.action("done", summary, now, about) as tx:
        for item in items:
            done_writes(desk, tx, item, now)
    fire(desk, "done", [item.id for item in items], now)
    return _reread(store, items)


def drop_all(
    desk: Desk, item_ids: Iterable[int], now: datetime, reason: str | None = None
) -> list[ItemRecord]:
    """Drop several items, with one reason, as one action: all are checked first, and one
    that cannot be dropped refuses them all."""
    store = desk.store
    items = _require_all(store, item_ids, "drop")
    if len(items) == 1:
        return [drop(desk, items[0].id, now, reason).item]
    summary, about = _summary("drop", items)
    with store.action("drop", summary, now, about) as tx:
        for item in items:
            drop_writes(desk, tx, item, now, reason)
    return _reread(store, items)


def pause_all(desk: Desk, item_ids: Iterable[int], now: datetime) -> list[ItemRecord]:
    """Pause several items as one action: all are checked first, and one that is not being
    worked on refuses them all."""
    store = desk.store
    items = _require_all(store, item_ids, "pause")
    if len(items) == 1:
        return [pause(desk, items[0].id, now).item]
    summary, about = _summary("pause", items)
    with store.action("pause", summary, now, about) as tx:
        for item in items:
            pause_writes(desk, tx, item, now)
    return _reread(store, items)


def _reread(store: Store, items: list[ItemRecord]) -> list[ItemRecord]:
    """The items as they are now, in the order given."""
    found = store.items_by_id(item.id for item in items)
    return [found[item.id] for item in items]
