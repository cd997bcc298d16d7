"""The store: every query and every write, one interface over two backends.

Each user action is one transaction that also writes a journal entry holding the rows it
changed as they were before, so :meth:`Store.undo` reverts the last action of any kind exactly
and a crash or Ctrl-C mid-action leaves the store as it was. Rows come back as
:class:`ItemRecord` and friends: plain dataclasses that the pure core reads through its
protocols. Nothing here imports Textual, and the embedded backend imports no ORM.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from techqueue.backends import (
    Database,
    EmbeddedDatabase,
    SQLAlchemyDatabase,
    StoreUnusable,
    from_stored,
    to_utc_text,
)
from techqueue.core.quickadd import Draft
from techqueue.domain import CHANNELS, MAX_DURATION_MINUTES, MAX_IMPACT
from techqueue.schema import DATETIME_COLUMNS, SCHEMA_VERSION, TABLES
from techqueue.scoring import SEVERITIES

__all__ = [
    "CARRY_KINDS",
    "OPEN_STATUSES",
    "BadRequest",
    "ItemChanges",
    "ItemRecord",
    "NotFound",
    "NoteRecord",
    "NothingToUndo",
    "ReminderRecord",
    "RequesterRecord",
    "SpanRecord",
    "Store",
    "StoreError",
    "StoreUnusable",
    "default_path",
    "open_store",
]

#: Statuses of work not finished yet.
OPEN_STATUSES = ("open", "active", "paused", "waiting")
#: The note kinds of a carry-over decision: made by the technician, or for them at day's end.
CARRY_KINDS = ("carry", "skipped")
EXPORT_FORMAT = "techqueue-export"
EXPORT_VERSION = 1


class StoreError(Exception):
    """A request the store refuses; ``exit_code`` is what the command line exits with."""

    exit_code = 1


class NotFound(StoreError):
    """No such item, reminder or requester."""


class NothingToUndo(StoreError):
    """The journal holds no action left to undo."""


class BadRequest(StoreError):
    """Bad input, or an action the item's status does not allow."""

    exit_code = 2


@dataclass(slots=True)
class ItemRecord:
    """One item as stored, with its requester's name and the VIP flag in effect."""

    id: int
    title: str
    requester: str | None
    requester_id: int | None
    channel: str
    severity: str
    impact: int
    estimate_minutes: float | None
    status: str
    vip: bool
    own_vip: bool
    pinned: bool
    bump: float
    tags: tuple[str, ...]
    ref: str | None
    received_at: datetime
    created_at: datetime
    started_at: datetime | None
    done_at: datetime | None
    due_at: datetime | None
    deferred_until: datetime | None
    promise_due_at: datetime | None
    drop_reason: str | None
    requester_vip: bool = False
    #: ``"history"`` when ``estimate_minutes`` was learned from similar finished work (set on
    #: the copies the queue ranks, never stored); ``None`` for the item as stored.
    estimate_source: str | None = None
    #: How many finished jobs a learned estimate comes from.
    estimate_samples: int = 0

    @property
    def own_estimate(self) -> float | None:
        """The estimate as typed in: ``None`` on a copy that carries a learned one."""
        return None if self.estimate_source == "history" else self.estimate_minutes


@dataclass(slots=True, frozen=True)
class NoteRecord:
    id: int
    item_id: int
    kind: str
    text: str
    created_at: datetime
    due_at: datetime | None


@dataclass(slots=True, frozen=True)
class ReminderRecord:
    id: int
    item_id: int | None
    text: str
    due_at: datetime
    created_at: datetime
    dismissed_at: datetime | None
    item_title: str | None = None


@dataclass(slots=True, frozen=True)
class SpanRecord:
    id: int
    item_id: int
    started_at: datetime
    ended_at: datetime | None
    note: str | None


@dataclass(slots=True, frozen=True)
class RequesterRecord:
    id: int
    name: str
    email: str | None
    vip: bool
    note: str | None
    created_at: datetime


@dataclass(slots=True)
class ItemChanges:
    """What to set on an item (``add``) or change (``edit``); ``None`` leaves a field alone."""

    title: str | None = None
    requester: str | None = None
    vip: bool | None = None
    severity: str | None = None
    channel: str | None = None
    estimate_minutes: float | None = None
    impact: int | None = None
    due_at: datetime | None = None
    received_at: datetime | None = None
    tags: tuple[str, ...] | None = None
    add_tags: tuple[str, ...] = field(default=())
    ref: str | None = None
    clear: tuple[str, ...] = field(default=())
    """Fields to empty (``requester``, ``estimate_minutes``, ``due_at``, ``ref``, ``impact``)."""

    @classmethod
    def from_draft(cls, draft: Draft) -> ItemChanges:
        """What a quick-add line says, as changes for a new (or edited) item."""
        return cls(
            title=draft.title,
            requester=draft.requester,
            vip=draft.vip or None,
            severity=draft.severity,
            channel=draft.channel,
            estimate_minutes=draft.estimate_minutes,
            impact=draft.impact,
            due_at=draft.due_at,
            add_tags=draft.tags,
            ref=draft.ref,
        )

    @classmethod
    def replacing(cls, draft: Draft) -> ItemChanges:
        """A whole quick-add line as the item's new state: what the line leaves out is cleared
        (back to its default), as when the line was shown for editing and a token deleted."""
        changes = cls.from_draft(draft)
        changes.vip = draft.vip
        changes.severity = draft.severity or "normal"
        changes.channel = draft.channel or "other"
        changes.tags, changes.add_tags = draft.tags, ()
        optional = {
            "requester": draft.requester,
            "estimate_minutes": draft.estimate_minutes,
            "due_at": draft.due_at,
            "ref": draft.ref,
            "impact": draft.impact,
        }
        changes.clear = tuple(name for name, value in optional.items() if value is None)
        return changes

    def check(self) -> None:
        """Refuse values no item may hold (the command line checks earlier, scripts may not)."""
        if self.title is not None and not self.title.strip():
            raise BadRequest("the title cannot be empty")
        if self.severity is not None and self.severity not in SEVERITIES:
            raise BadRequest(f"unknown severity {self.severity!r}")
        if self.channel is not None and self.channel not in CHANNELS:
            raise BadRequest(f"unknown channel {self.channel!r}")
        if self.impact is not None and not 1 <= self.impact <= MAX_IMPACT:
            raise BadRequest(f"impact must be 1 to {MAX_IMPACT:,}")
        if self.estimate_minutes is not None and not self.estimate_minutes > 0:
            raise BadRequest("an estimate must be more than zero")


def default_path() -> Path:
    """``techqueue.db`` in the platform's user-data directory."""
    from platformdirs import user_data_path

    return user_data_path("techqueue") / "techqueue.db"


def open_store(target: str | os.PathLike[str] | None = None) -> Store:
    """Open the store at ``target``: a file path (embedded SQLite) or a database URL.

    ``None`` means ``$TECHQUEUE_DB`` or, when unset, :func:`default_path`.
    """
    if target is None:
        target = os.environ.get("TECHQUEUE_DB") or default_path()
    text = os.fspath(target)
    if "://" in text:
        return Store(SQLAlchemyDatabase(text))
    if text.startswith("sqlite:"):
        raise StoreUnusable(f"{text}: write sqlite:///path for a SQLite URL, or just the path")
    return Store(EmbeddedDatabase(Path(text).expanduser()))


_ITEM_SELECT = (
    "SELECT item.id, item.title, requester.name, item.requester_id, item.channel, "
    "item.severity, item.impact, item.estimate_minutes, item.status, "
    "item.vip OR COALESCE(requester.vip, false), item.vip, item.pinned, item.bump, item.tags, "
    "item.ref, item.received_at, item.created_at, item.started_at, item.done_at, item.due_at, "
    "item.deferred_until, item.promise_due_at, item.drop_reason, "
    "COALESCE(requester.vip, false) "
    "FROM item LEFT JOIN requester ON requester.id = item.requester_id"
)
_ITEM_COLUMNS = (
    "title",
    "requester_id",
    "channel",
    "severity",
    "impact",
    "estimate_minutes",
    "status",
    "vip",
    "pinned",
    "bump",
    "tags",
    "ref",
    "received_at",
    "created_at",
    "started_at",
    "done_at",
    "due_at",
    "deferred_until",
    "promise_due_at",
    "drop_reason",
)


def _stored_time(value: Any) -> datetime:
    moment = from_stored(value)
    if moment is None:
        raise StoreError("the store holds an item without a time it must have")
    return moment


def _items(rows: list[tuple[Any, ...]]) -> list[ItemRecord]:
    """Rows of ``_ITEM_SELECT`` as records; by position, as this runs for every open item."""
    when = from_stored
    must = _stored_time
    loads = json.loads
    return [
        ItemRecord(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            bool(r[9]),
            bool(r[10]),
            bool(r[11]),
            r[12],
            () if r[13] == "[]" else tuple(loads(r[13])),
            r[14],
            must(r[15]),
            must(r[16]),
            None if r[17] is None else when(r[17]),
            None if r[18] is None else when(r[18]),
            None if r[19] is None else when(r[19]),
            None if r[20] is None else when(r[20]),
            None if r[21] is None else when(r[21]),
            r[22],
            bool(r[23]),
        )
        for r in rows
    ]


class _Changes:
    """Collects the before-image of every row an action touches, for the journal."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: list[tuple[str, int, dict[str, Any] | None]] = []
        self.item_id: int | None = None

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        new_id = self.db.insert(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
        self.rows.append((table, new_id, None))
        return new_id

    def update(self, table: str, row_id: int, values: Mapping[str, Any]) -> None:
        before = self.db.query(f"SELECT * FROM {table} WHERE id = :id", {"id": row_id})
        if not before:
            raise NotFound(f"{table} {row_id} not found")
        self.rows.append((table, row_id, _jsonable(before[0])))
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        self.db.execute(
            f"UPDATE {table} SET {assignments} WHERE id = :row_id", {**values, "row_id": row_id}
        )


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: to_utc_text(value) if isinstance(value, datetime) else value
        for key, value in row.items()
    }


def _restored(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: datetime.fromisoformat(value).replace(tzinfo=UTC)
        if key in DATETIME_COLUMNS and isinstance(value, str)
        else value
        for key, value in row.items()
    }


class Store:
    """Every read and write techqueue does, on one backend."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._closed = False

    @property
    def description(self) -> str:
        """Where the store is (a path or a URL), for messages."""
        return self.db.description

    def close(self) -> None:
        """Close the connection; closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the journal -------------------------------------------------------------------

    @contextmanager
    def _action(
        self, action: str, summary: str, now: datetime, item_id: int | None = None
    ) -> Iterator[_Changes]:
        """One user action: one transaction, one journal entry with the before-images."""
        changes = _Changes(self.db)
        with self.db.transaction():
            yield changes
            self.db.insert(
                "INSERT INTO journal (at, action, item_id, summary, changes, undone) "
                "VALUES (:at, :action, :item_id, :summary, :changes, :undone)",
                {
                    "at": now,
                    "action": action,
                    "item_id": changes.item_id if changes.item_id is not None else item_id,
                    "summary": summary,
                    "changes": json.dumps(changes.rows),
                    "undone": False,
                },
            )

    def last_change(self) -> int:
        """The journal's highest id: cheap to poll, it moves whenever anything is written."""
        value = self.db.scalar("SELECT MAX(id) FROM journal")
        return int(value or 0)

    def undo(self, now: datetime) -> str:
        """Revert the last action not yet undone, exactly; return what was undone."""
        with self.db.transaction():
            rows = self.db.query(
                "SELECT * FROM journal WHERE undone = :no AND action <> 'undo' "
                "ORDER BY id DESC LIMIT 1",
                {"no": False},
            )
            if not rows:
                raise NothingToUndo("nothing to undo")
            entry = rows[0]
            for table, row_id, before in reversed(json.loads(entry["changes"])):
                self._restore(table, row_id, before)
            self.db.execute(
                "UPDATE journal SET undone = :yes WHERE id = :id", {"yes": True, "id": entry["id"]}
            )
            self.db.insert(
                "INSERT INTO journal (at, action, item_id, summary, changes, undone) "
                "VALUES (:at, 'undo', :item_id, :summary, '[]', :no)",
                {
                    "at": now,
                    "item_id": entry["item_id"],
                    "summary": f"undid: {entry['summary']}",
                    "no": False,
                },
            )
        return str(entry["summary"])

    def _restore(self, table: str, row_id: int, before: dict[str, Any] | None) -> None:
        if table not in TABLES:
            raise StoreError(f"the journal names an unknown table {table!r}")
        if before is None:
            self.db.execute(f"DELETE FROM {table} WHERE id = :id", {"id": row_id})
            return
        values = _restored(before)
        exists = self.db.scalar(f"SELECT 1 FROM {table} WHERE id = :id", {"id": row_id})
        if exists:
            assignments = ", ".join(f"{name} = :{name}" for name in values if name != "id")
            self.db.execute(f"UPDATE {table} SET {assignments} WHERE id = :id", values)
        else:
            columns = ", ".join(values)
            marks = ", ".join(f":{name}" for name in values)
            self.db.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)

    def touched_since(self, change: int) -> tuple[int, dict[str, set[int]] | None]:
        """The journal's highest id, and the rows every action after entry ``change`` changed,
        by table, with the item each action was about among the items (a corrected work span
        changes its item's history): what a screen that read everything at ``change`` must
        read again, whoever wrote since (this process or another). The rows are ``None`` when
        an undo is among those actions (then anything may have changed)."""
        rows = self.db.query(
            "SELECT id, action, item_id, changes FROM journal WHERE id > :change ORDER BY id",
            {"change": change},
        )
        if not rows:
            return change, {}
        newest = int(rows[-1]["id"])
        touched: dict[str, set[int]] = {}
        for row in rows:
            if row["action"] == "undo":
                return newest, None
            for table, row_id, _ in json.loads(row["changes"]):
                touched.setdefault(table, set()).add(int(row_id))
            if row["item_id"] is not None:
                touched.setdefault("item", set()).add(int(row["item_id"]))
        return newest, touched

    def journal(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest journal entries, newest first (without their before-images)."""
        return self.db.query(
            "SELECT id, at, action, item_id, summary, undone FROM journal "
            "ORDER BY id DESC LIMIT :limit",
            {"limit": limit},
        )

    # --- reading -----------------------------------------------------------------------

    def get(self, item_id: int) -> ItemRecord:
        rows = _items(self.db.rows(f"{_ITEM_SELECT} WHERE item.id = :id", {"id": item_id}))
        if not rows:
            raise NotFound(f"item {item_id} not found")
        return rows[0]

    def items(self, statuses: Iterable[str] = OPEN_STATUSES) -> list[ItemRecord]:
        """Items in the given statuses (by default all unfinished ones), uses the status index."""
        wanted = tuple(statuses)
        names = {f"s{index}": status for index, status in enumerate(wanted)}
        marks = ", ".join(f":{name}" for name in names)
        return _items(self.db.rows(f"{_ITEM_SELECT} WHERE item.status IN ({marks})", names))

    def closed_between(self, start: datetime, end: datetime) -> list[ItemRecord]:
        """Items done or dropped in ``[start, end)``."""
        return _items(
            self.db.rows(
                f"{_ITEM_SELECT} WHERE item.status IN ('done', 'dropped') "
                "AND item.done_at >= :start AND item.done_at < :end ORDER BY item.done_at",
                {"start": start, "end": end},
            )
        )

    def notes(self, item_id: int) -> list[NoteRecord]:
        rows = self.db.query(
            "SELECT * FROM note WHERE item_id = :id ORDER BY created_at, id", {"id": item_id}
        )
        return [NoteRecord(**row) for row in rows]

    def spans(self, item_ids: Iterable[int] | None = None) -> list[SpanRecord]:
        """Work spans, of some items or of all."""
        if item_ids is None:
            rows = self.db.query("SELECT * FROM work_span ORDER BY started_at, id")
        else:
            ids = {f"i{index}": item_id for index, item_id in enumerate(item_ids)}
            if not ids:
                return []
            marks = ", ".join(f":{name}" for name in ids)
            rows = self.db.query(
                f"SELECT * FROM work_span WHERE item_id IN ({marks}) ORDER BY started_at, id", ids
            )
        return [SpanRecord(**row) for row in rows]

    def work_in_progress(self) -> list[SpanRecord]:
        """The spans of items started but not finished (active or paused): what they have
        cost so far, which is what is left to take off their estimates."""
        rows = self.db.query(
            "SELECT work_span.* FROM work_span JOIN item ON item.id = work_span.item_id "
            "WHERE item.status IN ('active', 'paused') ORDER BY work_span.started_at, work_span.id"
        )
        return [SpanRecord(**row) for row in rows]

    def finished_work(self, limit: int = 500) -> list[tuple[ItemRecord, float]]:
        """The most recently finished items that have work logged, with the minutes worked on
        each: the history that estimates learn from. Recent work says most about how long a
        job takes this technician now, and the limit keeps every re-rank cheap."""
        done = _items(
            self.db.rows(
                f"{_ITEM_SELECT} WHERE item.status = 'done' AND EXISTS "
                "(SELECT 1 FROM work_span WHERE work_span.item_id = item.id "
                "AND work_span.ended_at IS NOT NULL) "
                "ORDER BY item.done_at DESC, item.id DESC LIMIT :limit",
                {"limit": limit},
            )
        )
        minutes: dict[int, float] = {}
        for span in self.spans(item.id for item in done):
            if span.ended_at is not None:
                worked = (span.ended_at - span.started_at).total_seconds() / 60
                minutes[span.item_id] = minutes.get(span.item_id, 0.0) + max(worked, 0.0)
        return [(item, minutes.get(item.id, 0.0)) for item in done]

    def last_contacts(self) -> dict[int, datetime]:
        """When each item's requester last heard from the technician (a contact or a promise
        note), for the items that have such a note."""
        rows = self.db.rows(
            "SELECT item_id, MAX(created_at) FROM note WHERE kind IN ('contact', 'promise') "
            "GROUP BY item_id"
        )
        return {row[0]: _stored_time(row[1]) for row in rows}

    def spans_between(self, start: datetime, end: datetime) -> list[SpanRecord]:
        """Spans that overlap ``[start, end)`` (an open span runs until now)."""
        rows = self.db.query(
            "SELECT * FROM work_span WHERE started_at < :end "
            "AND (ended_at IS NULL OR ended_at > :start) ORDER BY started_at, id",
            {"start": start, "end": end},
        )
        return [SpanRecord(**row) for row in rows]

    def reminders(self, *, include_dismissed: bool = False) -> list[ReminderRecord]:
        """Reminders by due time; dismissed ones only when asked for."""
        condition = "" if include_dismissed else "reminder.dismissed_at IS NULL"
        return self._reminders(condition, {})

    def reminders_for(self, item_id: int) -> list[ReminderRecord]:
        """An item's reminders, dismissed ones included."""
        return self._reminders("reminder.item_id = :id", {"id": item_id})

    def _reminders(self, condition: str, params: dict[str, Any]) -> list[ReminderRecord]:
        where = f"WHERE {condition} " if condition else ""
        rows = self.db.query(
            "SELECT reminder.*, item.title AS item_title FROM reminder "
            f"LEFT JOIN item ON item.id = reminder.item_id {where}"
            "ORDER BY reminder.due_at, reminder.id",
            params,
        )
        return [ReminderRecord(**row) for row in rows]

    def requesters(self) -> list[RequesterRecord]:
        rows = self.db.query("SELECT * FROM requester ORDER BY name, id")
        return [RequesterRecord(**row) for row in rows]

    def active(self) -> ItemRecord | None:
        rows = self.items(("active",))
        return rows[0] if rows else None

    # --- writing: items ----------------------------------------------------------------

    def add(self, changes: ItemChanges, now: datetime) -> ItemRecord:
        """Capture a new item; its requester is found by name or email, or created."""
        changes.check()
        if not changes.title:
            raise BadRequest("a new item needs a title")
        received = changes.received_at or now
        with self._action("add", f"add {changes.title!r}", now) as tx:
            values: dict[str, Any] = {
                "title": changes.title,
                "requester_id": self._requester_id(tx, changes.requester, now),
                "channel": changes.channel or "other",
                "severity": changes.severity or "normal",
                "impact": changes.impact or 1,
                "estimate_minutes": changes.estimate_minutes,
                "status": "open",
                "vip": bool(changes.vip),
                "pinned": False,
                "bump": 0.0,
                "tags": json.dumps(list(dict.fromkeys((changes.tags or ()) + changes.add_tags))),
                "ref": changes.ref,
                "received_at": received,
                "created_at": now,
                "due_at": changes.due_at,
            }
            item_id = tx.item_id = tx.insert("item", values)
        return self.get(item_id)

    def edit(self, item_id: int, changes: ItemChanges, now: datetime) -> ItemRecord:
        """Change what was said about an item; fields left ``None`` stay as they are."""
        changes.check()
        item = self.get(item_id)
        with self._action("edit", f"edit #{item_id}", now, item_id) as tx:
            values: dict[str, Any] = {}
            for name in ("title", "severity", "channel", "estimate_minutes", "impact", "ref"):
                value = getattr(changes, name)
                if value is not None:
                    values[name] = value
            for name in ("due_at", "received_at"):
                value = getattr(changes, name)
                if value is not None:
                    values[name] = value
            if changes.vip is not None:
                values["vip"] = changes.vip
            if changes.requester is not None:
                values["requester_id"] = self._requester_id(tx, changes.requester, now)
            for name in changes.clear:
                column = "requester_id" if name == "requester" else name
                if column not in {"requester_id", "estimate_minutes", "due_at", "ref", "impact"}:
                    raise BadRequest(f"{name} cannot be cleared")
                values[column] = 1 if column == "impact" else None
            if changes.tags is not None or changes.add_tags:
                base = changes.tags if changes.tags is not None else item.tags
                values["tags"] = json.dumps(list(dict.fromkeys(base + changes.add_tags)))
            if not values:
                raise BadRequest("nothing to change: give a new title, tokens or options")
            tx.update("item", item_id, values)
        return self.get(item_id)

    def _requester_id(self, tx: _Changes, who: str | None, now: datetime) -> int | None:
        if who is None or not who.strip():
            return None
        found = self._find_requester(who)
        if found is not None:
            return found.id
        name = who.strip()
        email = name if "@" in name and " " not in name else None
        return tx.insert(
            "requester",
            {"name": name, "email": email, "vip": False, "note": None, "created_at": now},
        )

    def _find_requester(self, who: str) -> RequesterRecord | None:
        key = who.strip().lower()
        rows = self.db.query(
            "SELECT * FROM requester WHERE lower(name) = :key OR lower(email) = :key "
            "ORDER BY id LIMIT 1",
            {"key": key},
        )
        return RequesterRecord(**rows[0]) if rows else None

    def _require(self, item_id: int, allowed: Iterable[str], verb: str) -> ItemRecord:
        item = self.get(item_id)
        if item.status not in allowed:
            raise BadRequest(f"item {item_id} is {item.status}: it cannot be {verb}")
        return item

    def _close_span(self, tx: _Changes, item_id: int, now: datetime) -> None:
        rows = self.db.query(
            "SELECT id, started_at FROM work_span WHERE item_id = :id AND ended_at IS NULL",
            {"id": item_id},
        )
        for row in rows:
            tx.update("work_span", row["id"], self._span_close_values(row["started_at"], now))

    #: When set, ``started_at -> the latest that work may run``: a span still running past it
    #: was forgotten overnight and is closed there, with a note, not at ``now``.
    span_cutoff: Callable[[datetime], datetime] | None = None

    def _span_close_values(self, started_at: datetime, now: datetime) -> dict[str, Any]:
        from techqueue.core.workday import OVERNIGHT_NOTE

        cutoff = self.span_cutoff(started_at) if self.span_cutoff is not None else None
        if cutoff is not None and now > cutoff:
            return {"ended_at": max(cutoff, started_at), "note": OVERNIGHT_NOTE}
        return {"ended_at": max(now, started_at)}

    def start(self, item_id: int, now: datetime) -> ItemRecord:
        """Start work on an item, pausing whatever else is active."""
        item = self._require(item_id, ("open", "paused", "waiting"), "started")
        with self._action("start", f"start #{item_id} {item.title!r}", now, item_id) as tx:
            for other in self.items(("active",)):
                self._close_span(tx, other.id, now)
                tx.update("item", other.id, {"status": "paused"})
            tx.update(
                "item",
                item_id,
                {"status": "active", "started_at": item.started_at or now, "deferred_until": None},
            )
            tx.insert(
                "work_span", {"item_id": item_id, "started_at": now, "ended_at": None, "note": None}
            )
        return self.get(item_id)

    def pause(self, item_id: int, now: datetime) -> ItemRecord:
        item = self._require(item_id, ("active",), "paused")
        with self._action("pause", f"pause #{item_id} {item.title!r}", now, item_id) as tx:
            self._close_span(tx, item_id, now)
            tx.update("item", item_id, {"status": "paused"})
        return self.get(item_id)

    def done(self, item_id: int, now: datetime) -> ItemRecord:
        item = self._require(item_id, OPEN_STATUSES, "marked done")
        with self._action("done", f"done #{item_id} {item.title!r}", now, item_id) as tx:
            self._close_span(tx, item_id, now)
            tx.update("item", item_id, {"status": "done", "done_at": now, "deferred_until": None})
        return self.get(item_id)

    def drop(self, item_id: int, now: datetime, reason: str | None = None) -> ItemRecord:
        item = self._require(item_id, OPEN_STATUSES, "dropped")
        with self._action("drop", f"drop #{item_id} {item.title!r}", now, item_id) as tx:
            self._close_span(tx, item_id, now)
            tx.update(
                "item",
                item_id,
                {
                    "status": "dropped",
                    "done_at": now,
                    "drop_reason": reason,
                    "deferred_until": None,
                },
            )
        return self.get(item_id)

    def wait(self, item_id: int, now: datetime, until: datetime | None = None) -> ItemRecord:
        """Waiting on the customer; with ``until`` it stays out of sight until then."""
        item = self._require(item_id, ("open", "active", "paused"), "set waiting")
        if until is not None and until <= now:
            raise BadRequest("that time has already passed")
        with self._action("wait", f"wait #{item_id} {item.title!r}", now, item_id) as tx:
            self._close_span(tx, item_id, now)
            tx.update("item", item_id, {"status": "waiting", "deferred_until": until})
        return self.get(item_id)

    def defer(self, item_id: int, when: datetime, now: datetime) -> ItemRecord:
        """Out of the ranking until ``when``; deferring the active item pauses it."""
        item = self._require(item_id, OPEN_STATUSES, "deferred")
        if when <= now:
            raise BadRequest("that time has already passed: defer to a later time")
        with self._action("defer", f"defer #{item_id} {item.title!r}", now, item_id) as tx:
            values: dict[str, Any] = {"deferred_until": when}
            if item.status == "active":
                self._close_span(tx, item_id, now)
                values["status"] = "paused"
            tx.update("item", item_id, values)
        return self.get(item_id)

    def pin(self, item_id: int, now: datetime, *, pinned: bool = True) -> ItemRecord:
        item = self._require(item_id, OPEN_STATUSES, "pinned" if pinned else "unpinned")
        verb = "pin" if pinned else "unpin"
        with self._action(verb, f"{verb} #{item_id} {item.title!r}", now, item_id) as tx:
            tx.update("item", item_id, {"pinned": pinned})
        return self.get(item_id)

    def bump(self, item_id: int, steps: float, now: datetime) -> ItemRecord:
        """Nudge an item up (or down, with a negative number) by hand."""
        item = self._require(item_id, OPEN_STATUSES, "bumped")
        if not steps or abs(item.bump + steps) > 20:
            raise BadRequest("a bump is a nudge: keep the total between -20 and 20, not 0")
        with self._action("bump", f"bump #{item_id} by {steps:+g}", now, item_id) as tx:
            tx.update("item", item_id, {"bump": item.bump + steps})
        return self.get(item_id)

    def note(
        self,
        item_id: int,
        text: str,
        now: datetime,
        *,
        kind: str = "plain",
        due_at: datetime | None = None,
    ) -> NoteRecord:
        """Add a note; a promise also records when it falls due on the item."""
        item = self.get(item_id)
        if not text.strip():
            raise BadRequest("a note needs some text")
        if kind not in {"plain", "promise", "contact"}:
            raise BadRequest(f"unknown note kind {kind!r}")
        if kind == "promise" and due_at is None:
            raise BadRequest("a promise needs the time it falls due")
        with self._action(
            kind if kind != "plain" else "note", f"{kind} on #{item_id}", now, item_id
        ) as tx:
            note_id = tx.insert(
                "note",
                {
                    "item_id": item_id,
                    "kind": kind,
                    "text": text,
                    "created_at": now,
                    "due_at": due_at,
                },
            )
            if kind == "promise" and item.status in OPEN_STATUSES:
                tx.update("item", item_id, {"promise_due_at": due_at})
            elif (
                kind == "contact" and item.promise_due_at is not None and item.promise_due_at < now
            ):
                # The customer has been told: a broken promise stops being flagged (the
                # promise note stays in the history).
                tx.update("item", item_id, {"promise_due_at": None})
        return next(note for note in self.notes(item_id) if note.id == note_id)

    def set_vip(self, who: str, now: datetime, *, vip: bool = True) -> RequesterRecord:
        """Mark a requester (by name or email) as VIP, creating them if new; or unmark."""
        if not who.strip():
            raise BadRequest("give the requester's name or email")
        found = self._find_requester(who)
        if found is None and not vip:
            raise NotFound(f"no requester called {who.strip()!r}")
        verb = "vip" if vip else "vip off"
        with self._action(verb, f"{verb} {who.strip()!r}", now) as tx:
            if found is None:
                requester_id = self._requester_id(tx, who, now)
                assert requester_id is not None
            else:
                requester_id = found.id
            tx.update("requester", requester_id, {"vip": vip})
        rows = self.db.query("SELECT * FROM requester WHERE id = :id", {"id": requester_id})
        return RequesterRecord(**rows[0])

    # --- writing: reminders --------------------------------------------------------------

    def remind(
        self, item_id: int | None, when: datetime, text: str, now: datetime
    ) -> ReminderRecord:
        if item_id is not None:
            self.get(item_id)
        if not text.strip():
            raise BadRequest("a reminder needs some text")
        with self._action("remind", f"remind {text!r}", now, item_id) as tx:
            reminder_id = tx.insert(
                "reminder",
                {
                    "item_id": item_id,
                    "text": text,
                    "due_at": when,
                    "created_at": now,
                    "dismissed_at": None,
                },
            )
        return self._reminder(reminder_id)

    def _reminder(self, reminder_id: int) -> ReminderRecord:
        found = self._reminders("reminder.id = :id", {"id": reminder_id})
        if not found:
            raise NotFound(f"reminder {reminder_id} not found")
        return found[0]

    def snooze(self, reminder_id: int, when: datetime, now: datetime) -> ReminderRecord:
        reminder = self._reminder(reminder_id)
        if reminder.dismissed_at is not None:
            raise BadRequest(f"reminder {reminder_id} was dismissed")
        if when <= now:
            raise BadRequest("that time has already passed: snooze to a later time")
        with self._action("snooze", f"snooze reminder {reminder_id}", now, reminder.item_id) as tx:
            tx.update("reminder", reminder_id, {"due_at": when})
        return self._reminder(reminder_id)

    def dismiss(self, reminder_id: int, now: datetime) -> ReminderRecord:
        reminder = self._reminder(reminder_id)
        if reminder.dismissed_at is not None:
            raise BadRequest(f"reminder {reminder_id} was already dismissed")
        with self._action(
            "dismiss", f"dismiss reminder {reminder_id}", now, reminder.item_id
        ) as tx:
            tx.update("reminder", reminder_id, {"dismissed_at": now})
        return self._reminder(reminder_id)

    # --- the end of the day: work log, carry-over, the morning ---------------------------

    def meta(self, key: str) -> str | None:
        """A remembered value (``Meta``), e.g. the day the morning summary was last shown."""
        value = self.db.scalar('SELECT value FROM meta WHERE "key" = :key', {"key": key})
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Remember ``value``; not journaled, since it is the app's memory, not the
        technician's work: an undo must not bring back a summary already seen."""
        if key == "schema_version":
            raise BadRequest("the schema version is not a setting")
        with self.db.transaction():
            if self.meta(key) is None:
                self.db.execute(
                    'INSERT INTO meta ("key", value) VALUES (:key, :value)',
                    {"key": key, "value": value},
                )
            else:
                self.db.execute(
                    'UPDATE meta SET value = :value WHERE "key" = :key',
                    {"key": key, "value": value},
                )

    def is_empty(self) -> bool:
        """No item at all (the morning summary never greets an empty store)."""
        return self.db.scalar("SELECT 1 FROM item LIMIT 1") is None

    def items_by_id(self, item_ids: Iterable[int]) -> dict[int, ItemRecord]:
        """Items of any status, by id (those that do not exist are left out)."""
        ids = {f"i{index}": item_id for index, item_id in enumerate(dict.fromkeys(item_ids))}
        if not ids:
            return {}
        marks = ", ".join(f":{name}" for name in ids)
        rows = _items(self.db.rows(f"{_ITEM_SELECT} WHERE item.id IN ({marks})", ids))
        return {item.id: item for item in rows}

    def received_between(self, start: datetime, end: datetime) -> list[ItemRecord]:
        """Items received in ``[start, end)``, whatever their status now."""
        return _items(
            self.db.rows(
                f"{_ITEM_SELECT} WHERE item.received_at >= :start AND item.received_at < :end "
                "ORDER BY item.received_at, item.id",
                {"start": start, "end": end},
            )
        )

    def notes_between(
        self, start: datetime, end: datetime, kinds: Iterable[str], *, by_due: bool = False
    ) -> list[NoteRecord]:
        """Notes of ``kinds`` written (or, with ``by_due``, falling due) in ``[start, end)``."""
        column = "due_at" if by_due else "created_at"
        names = {f"k{index}": kind for index, kind in enumerate(kinds)}
        marks = ", ".join(f":{name}" for name in names) or "NULL"
        rows = self.db.query(
            f"SELECT * FROM note WHERE kind IN ({marks}) AND {column} >= :start "
            f"AND {column} < :end ORDER BY {column}, id",
            {**names, "start": start, "end": end},
        )
        return [NoteRecord(**row) for row in rows]

    def notes_of(self, item_ids: Iterable[int], kinds: Iterable[str]) -> list[NoteRecord]:
        """Notes of ``kinds`` on any of ``item_ids``, oldest first."""
        ids = {f"i{index}": item_id for index, item_id in enumerate(dict.fromkeys(item_ids))}
        names = {f"k{index}": kind for index, kind in enumerate(kinds)}
        if not ids or not names:
            return []
        rows = self.db.query(
            f"SELECT * FROM note WHERE item_id IN ({', '.join(':' + n for n in ids)}) "
            f"AND kind IN ({', '.join(':' + n for n in names)}) ORDER BY created_at, id",
            {**ids, **names},
        )
        return [NoteRecord(**row) for row in rows]

    def span(self, span_id: int) -> SpanRecord:
        rows = self.db.query("SELECT * FROM work_span WHERE id = :id", {"id": span_id})
        if not rows:
            raise NotFound(f"work span {span_id} not found")
        return SpanRecord(**rows[0])

    def edit_span(
        self,
        span_id: int,
        now: datetime,
        *,
        started_at: datetime | None = None,
        ended_at: datetime | None = None,
    ) -> SpanRecord:
        """Correct a span by hand (the time log is the source of estimates and reports).

        A running span keeps running unless given an end; an end needs its item not to be
        the active one, or it would be active with no span running."""
        span = self.span(span_id)
        if started_at is None and ended_at is None:
            raise BadRequest("give a new start, a new end, or both")
        start = started_at or span.started_at
        end = ended_at or span.ended_at
        if start > now or (end is not None and end > now):
            raise BadRequest("a work span cannot start or end in the future")
        if end is not None and end <= start:
            raise BadRequest("a work span must end after it starts")
        closing = span.ended_at is None and ended_at is not None
        if closing and self.get(span.item_id).status == "active":
            raise BadRequest(
                f"item {span.item_id} is being worked on: pause it, then correct its end"
            )
        values: dict[str, Any] = {"started_at": start, "ended_at": end}
        if span.note is None or span.note == _overnight_note():
            values["note"] = "corrected by hand"
        with self._action(
            "log edit", f"correct work span {span_id} of #{span.item_id}", now, span.item_id
        ) as tx:
            tx.update("work_span", span_id, values)
        return self.span(span_id)

    def close_overnight(self, now: datetime) -> list[SpanRecord]:
        """Close every span left running past its working day at that day's end (with a note)
        and pause its item, so a forgotten timer is not counted as a night of work. Needs
        :attr:`span_cutoff`; one action, undone as one; nothing to close writes nothing."""
        cutoff = self.span_cutoff
        if cutoff is None:
            return []
        rows = self.db.query("SELECT id, item_id, started_at FROM work_span WHERE ended_at IS NULL")
        stale = [row for row in rows if now > cutoff(row["started_at"])]
        if not stale:
            return []
        with self._action("close overnight", "close work left running overnight", now) as tx:
            for row in stale:
                tx.update("work_span", row["id"], self._span_close_values(row["started_at"], now))
                if self.get(row["item_id"]).status == "active":
                    tx.update("item", row["item_id"], {"status": "paused"})
        return [self.span(row["id"]) for row in stale]

    def carry_over(
        self,
        item_ids: Iterable[int],
        now: datetime,
        *,
        note: str | None = None,
        promise_due_at: datetime | None = None,
        promise_text: str | None = None,
        skipped: bool = False,
    ) -> list[ItemRecord]:
        """The review's decision to carry items over to the next day, as one action.

        Each item gets a ``carry`` note (``skipped`` when the technician did not decide and it
        was carried over for them), optionally a promise for the customer; a running item is
        paused, since the day is over."""
        ids = list(dict.fromkeys(item_ids))
        if not ids:
            raise BadRequest("nothing to carry over")
        items = [self._require(item_id, OPEN_STATUSES, "carried over") for item_id in ids]
        if note is not None and not note.strip():
            raise BadRequest("a carry-over note needs some text")
        if promise_due_at is not None and promise_due_at <= now:
            raise BadRequest("that time has already passed: promise a later time")
        kind = "skipped" if skipped else "carry"
        default = "not decided at the review: carried over" if skipped else "carried over"
        label = f"#{ids[0]} {items[0].title!r}" if len(ids) == 1 else f"{len(ids)} items"
        with self._action(
            "carry over", f"carry over {label}", now, ids[0] if len(ids) == 1 else None
        ) as tx:
            for item in items:
                if item.status == "active":
                    self._close_span(tx, item.id, now)
                    tx.update("item", item.id, {"status": "paused"})
                tx.insert(
                    "note",
                    {
                        "item_id": item.id,
                        "kind": kind,
                        "text": note.strip() if note else default,
                        "created_at": now,
                        "due_at": None,
                    },
                )
                if promise_due_at is not None:
                    said = (promise_text or "").strip() or f"Promised for {promise_due_at:%a %H:%M}"
                    tx.insert(
                        "note",
                        {
                            "item_id": item.id,
                            "kind": "promise",
                            "text": said,
                            "created_at": now,
                            "due_at": promise_due_at,
                        },
                    )
                    tx.update("item", item.id, {"promise_due_at": promise_due_at})
        return list(self.items_by_id(ids).values())

    def decided_between(self, start: datetime, end: datetime) -> set[int]:
        """Items given a carry-over decision (or carried over as skipped) in ``[start, end)``."""
        return {note.item_id for note in self.notes_between(start, end, CARRY_KINDS)}

    def undecided(self, start: datetime, end: datetime, now: datetime) -> list[int]:
        """Open items with no carry-over decision in ``[start, end)`` (the day being closed):
        what finishing the day carries over as skipped. A deferred item is decided."""
        decided = self.decided_between(start, end)
        return [
            item.id
            for item in self.items(OPEN_STATUSES)
            if item.id not in decided and not (item.deferred_until and item.deferred_until > now)
        ]

    def carry_rest(
        self, start: datetime, end: datetime, *, now: datetime, exclude: Iterable[int] = ()
    ) -> list[ItemRecord]:
        """Finish the day: carry over, as skipped, every item :meth:`undecided` names but
        ``exclude`` (decided at the review in another way, such as a re-rank). The command
        line's ``carry --rest`` and the review screen's ``f`` both come here."""
        left_out = set(exclude)
        ids = [item_id for item_id in self.undecided(start, end, now) if item_id not in left_out]
        return self.carry_over(ids, now, skipped=True) if ids else []

    # --- export and import ---------------------------------------------------------------

    def export(self, now: datetime) -> dict[str, Any]:
        """Everything but the journal (this store's own undo history), as plain JSON data."""
        data: dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "schema": SCHEMA_VERSION,
            "exported_at": _iso(now),
        }
        for table in _DATA_TABLES:
            rows = self.db.query(f"SELECT * FROM {table} ORDER BY id")
            data[table] = [_exported(table, row) for row in rows]
        return data

    def import_(self, data: Any, now: datetime, *, merge: bool = False) -> dict[str, int]:
        """Import an export, all or nothing; into a non-empty store only with ``merge``."""
        tables = _validate_export(data)
        empty = not any(self.db.scalar(f"SELECT COUNT(*) FROM {table}") for table in _DATA_TABLES)
        if not empty and not merge:
            raise BadRequest("the store is not empty: use --merge to add to it (with new ids)")
        counts: dict[str, int] = {}
        with self._action("import", "import", now) as tx:
            new_ids: dict[str, dict[int, int]] = {table: {} for table in _DATA_TABLES}
            for table in _DATA_TABLES:
                for row in tables[table]:
                    values = _import_row(table, row, new_ids, keep_ids=not merge)
                    if merge and table == "item" and values["status"] == "active":
                        values["status"] = "paused"  # one active item: the one here already
                    if merge and table == "work_span" and values["ended_at"] is None:
                        values["ended_at"] = max(now, values["started_at"])
                    if merge and table == "requester":
                        found = self._find_requester(values["name"])
                        if found is not None:
                            new_ids[table][row["id"]] = found.id
                            continue
                    new_ids[table][row["id"]] = tx.insert(table, values)
                counts[table] = len(tables[table])
        return counts


_DATA_TABLES = ("requester", "item", "note", "reminder", "work_span")
_FOREIGN = {"item": {"requester_id": "requester"}, "note": {"item_id": "item"}}
_FOREIGN |= {"reminder": {"item_id": "item"}, "work_span": {"item_id": "item"}}


def _iso(moment: datetime) -> str:
    return moment.astimezone().isoformat()


def _exported(table: str, row: dict[str, Any]) -> dict[str, Any]:
    values = {
        key: _iso(value) if isinstance(value, datetime) else value for key, value in row.items()
    }
    if table == "item":
        values["tags"] = json.loads(values["tags"])
    return values


def _validate_export(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BadRequest('not a techqueue export (no "format": "techqueue-export")')
    if data.get("version") != EXPORT_VERSION:
        raise BadRequest(f"export version {data.get('version')!r} is not one this techqueue reads")
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _DATA_TABLES:
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(
            isinstance(row, dict) and type(row.get("id")) is int for row in rows
        ):
            raise BadRequest(f"export: {table} must be a list of rows with integer ids")
        ids = [row["id"] for row in rows]
        if len(set(ids)) != len(ids):
            raise BadRequest(f"export: {table} has two rows with the same id")
        tables[table] = rows
    return tables


_COLUMNS = {
    "requester": ("id", "name", "email", "vip", "note", "created_at"),
    "item": ("id", *_ITEM_COLUMNS),
    "note": ("id", "item_id", "kind", "text", "created_at", "due_at"),
    "reminder": ("id", "item_id", "text", "due_at", "created_at", "dismissed_at"),
    "work_span": ("id", "item_id", "started_at", "ended_at", "note"),
}


def _import_row(
    table: str, row: dict[str, Any], new_ids: dict[str, dict[int, int]], *, keep_ids: bool
) -> dict[str, Any]:
    unknown = set(row) - set(_COLUMNS[table])
    if unknown:
        raise BadRequest(f"export: {table} {row['id']}: unknown field {sorted(unknown)[0]!r}")
    values: dict[str, Any] = {}
    for name in _COLUMNS[table]:
        if name == "id" and not keep_ids:
            continue
        value = row.get(name)
        if name in DATETIME_COLUMNS and value is not None:
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise BadRequest(f"export: {table} {row['id']}: {name} is not a time") from None
            if value.tzinfo is None:
                value = value.astimezone()
        target = _FOREIGN.get(table, {}).get(name)
        if target is not None and value is not None:
            if value not in new_ids[target]:
                raise BadRequest(f"export: {table} {row['id']}: {name} {value} does not exist")
            value = new_ids[target][value]
        values[name] = value
    _check_import(table, row["id"], values)
    return values


_TEXT = {
    "requester": {"name": False, "email": True, "note": True},
    "item": {"title": False, "channel": False, "severity": False, "status": False},
    "note": {"kind": False, "text": False},
    "reminder": {"text": False},
    "work_span": {"note": True},
}
_TEXT["item"] |= {"ref": True, "drop_reason": True}
_REQUIRED_TIMES = {
    "requester": ("created_at",),
    "item": ("received_at", "created_at"),
    "note": ("created_at",),
    "reminder": ("due_at", "created_at"),
    "work_span": ("started_at",),
}


def _check_import(table: str, row_id: int, values: dict[str, Any]) -> None:
    """Hold an imported row to the rules a row written by techqueue itself obeys."""

    def refuse(problem: str) -> NoReturn:
        raise BadRequest(f"export: {table} {row_id}: {problem}")

    for name, nullable in _TEXT[table].items():
        value = values.get(name)
        if value is None and nullable:
            continue
        if not isinstance(value, str) or (not nullable and not value.strip()):
            refuse(f"{name} must be {'text' if nullable else 'non-empty text'}")
    for name in _REQUIRED_TIMES[table]:
        if values.get(name) is None:
            refuse(f"{name} is missing")
    for name in ("vip", "pinned"):
        if name not in values:
            continue
        if values[name] is None:
            values[name] = False
        elif not isinstance(values[name], bool):
            refuse(f"{name} must be true or false")
    if table == "note" and values["kind"] not in NOTE_KINDS:
        refuse(f"unknown note kind {values['kind']!r}")
    if table == "item":
        _check_imported_item(values, refuse)


def _check_imported_item(values: dict[str, Any], refuse: Callable[[str], NoReturn]) -> None:
    if values["severity"] not in SEVERITIES:
        refuse(f"unknown severity {values['severity']!r}")
    if values["channel"] not in CHANNELS:
        refuse(f"unknown channel {values['channel']!r}")
    if values["status"] not in (*OPEN_STATUSES, "done", "dropped"):
        refuse(f"unknown status {values['status']!r}")
    impact = values.get("impact")
    if impact is None:
        values["impact"] = 1
    elif isinstance(impact, bool) or not isinstance(impact, int) or not 1 <= impact <= MAX_IMPACT:
        refuse(f"impact must be a whole number from 1 to {MAX_IMPACT:,}")
    estimate = values.get("estimate_minutes")
    if estimate is not None and (
        isinstance(estimate, bool)
        or not isinstance(estimate, int | float)
        or not 0 < estimate <= MAX_DURATION_MINUTES
    ):
        refuse("estimate_minutes must be a number of minutes above zero")
    bump = values.get("bump")
    if bump is None:
        values["bump"] = 0.0
    elif isinstance(bump, bool) or not isinstance(bump, int | float) or not abs(bump) <= 20:
        refuse("bump must be a number from -20 to 20")
    tags = values.get("tags")
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(isinstance(tag, str) and tag for tag in tags):
        refuse("tags must be a list of words")
    values["tags"] = json.dumps(tags)


def _overnight_note() -> str:
    from techqueue.core.workday import OVERNIGHT_NOTE

    return OVERNIGHT_NOTE


#: Note kinds: plain, a promise, a contact, and the review's carry-over decisions.
NOTE_KINDS = frozenset({"plain", "promise", "contact", "carry", "skipped"})
