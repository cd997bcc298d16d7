"""The store: the SQL, the journal and every query, one interface over two backends.

Each user action is one transaction (:meth:`Store.action`) that also writes a journal entry
holding the rows it changed as they were before, so :meth:`Store.undo` reverts the last
action of any kind exactly and a crash or Ctrl-C mid-action leaves the store as it was. What
each action writes, and the rules it obeys, are :mod:`techqueue.actions`'; export and import
are :mod:`techqueue.transfer`'s. Rows come back as the plain records of
:mod:`techqueue.records`, which the pure core reads through its protocols. Nothing here
imports Textual, and the embedded backend imports no ORM.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from techqueue import records
from techqueue.db.backends import (
    Database,
    EmbeddedDatabase,
    SQLAlchemyDatabase,
    to_utc_text,
)
from techqueue.db.files import FileProblem
from techqueue.db.people import find_person, items_of, people_called, ref_owners
from techqueue.db.rows import ITEM_SELECT, item_records, stored_time
from techqueue.db.schema import DATETIME_COLUMNS, TABLES
from techqueue.domain import CARRY_KINDS, CLOSED_STATUSES, MAX_NAME, OPEN_STATUSES
from techqueue.errors import BadRequest, NotFound, NothingToUndo, StoreError, StoreUnusable
from techqueue.paths import store_target
from techqueue.records import ItemRecord, SpanRecord

if TYPE_CHECKING:
    from techqueue.db.listen import Listener
    from techqueue.records import NoteRecord, RecurrenceRecord, ReminderRecord, RequesterRecord

__all__ = ["Store", "Transaction", "open_store", "technician_name"]

#: Who a technician is when neither ``TECHQUEUE_USER`` nor the login name says.
DEFAULT_TECHNICIAN = "technician"


#: The meta key that says which contents the store file holds (set anew by a restore).
_CONTENTS = "contents"


def technician_name(explicit: str | None = None) -> str:
    """Who is at the keyboard: ``explicit`` (``--as NAME``), else ``$TECHQUEUE_USER``, else
    the login name (``technician`` where there is none, as in some containers)."""
    if explicit is not None and not explicit.strip():
        raise BadRequest("the technician's name cannot be empty")
    name = explicit if explicit is not None else os.environ.get("TECHQUEUE_USER")
    if name is None or not name.strip():
        import getpass

        try:
            name = getpass.getuser()
        except (OSError, KeyError, ImportError):
            name = DEFAULT_TECHNICIAN
    name = name.strip()
    if not name:
        raise BadRequest("the technician's name cannot be empty")
    if len(name) > MAX_NAME or any(not character.isprintable() for character in name):
        raise BadRequest(f"a technician's name is printable text of at most {MAX_NAME} characters")
    return name


def open_store(target: str | os.PathLike[str] | None = None, *, user: str | None = None) -> Store:
    """Open the store at ``target``: a file path (embedded SQLite) or a database URL (a
    ``postgresql://`` one is a team's store, through psycopg directly); ``user`` is who
    works on it (``--as``; by default ``$TECHQUEUE_USER`` or the login name).

    ``None`` means ``$TECHQUEUE_DB`` or, when unset, the platform's default path.
    """
    text = store_target(target)
    if "://" in text:
        from techqueue.db.postgres import PostgresDatabase, is_postgres_url

        if is_postgres_url(text):
            return Store(PostgresDatabase(text), user)
        return Store(SQLAlchemyDatabase(text), user)
    if text.startswith("sqlite:"):
        raise StoreUnusable(f"{text}: write sqlite:///path for a SQLite URL, or just the path")
    return Store(EmbeddedDatabase(Path(text).expanduser()), user)


class Transaction:
    """One action's writes: each row it inserts or updates, with the row as it was before
    (for the journal, so the action can be undone exactly)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.rows: list[tuple[str, int, dict[str, Any] | None]] = []
        #: The item the action is about, when it only knew once it had inserted it.
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

    def delete(self, table: str, row_id: int) -> None:
        """Delete a row; the journal keeps it whole, so an undo puts it back as it was."""
        before = self.db.query(f"SELECT * FROM {table} WHERE id = :id", {"id": row_id})
        if not before:
            raise NotFound(f"{table} {row_id} not found")
        self.rows.append((table, row_id, _jsonable(before[0])))
        self.db.execute(f"DELETE FROM {table} WHERE id = :id", {"id": row_id})


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
    """Every read techqueue does, and the journaled transaction every write goes through."""

    def __init__(self, db: Database, user: str | None = None) -> None:
        self.db = db
        self._closed = False
        self._user = user
        #: The actions (and undos) this process has committed to the store: what a command
        #: interrupted after them must not call unsaved.
        self.saved_actions = 0

    @property
    def user(self) -> str:
        """The technician working on this store (see :func:`technician_name`)."""
        if self._user is None:
            self._user = technician_name()
        return self._user

    def listen(
        self, on_change: Callable[[], None], on_state: Callable[[bool], None]
    ) -> Listener | None:
        """Hear the other technicians' writes as they happen (a team's store): ``on_change``
        is called, from a thread of its own, when another process has written (this store's
        own writes are not news); ``on_state`` when the server stops or starts answering.
        ``None`` for a solo store, which the app polls instead. Stop it with ``.stop()``."""
        from techqueue.db.postgres import PostgresDatabase

        db = self.db
        if not isinstance(db, PostgresDatabase):
            return None
        from techqueue.db.listen import Listener

        listener = Listener(db.url, on_change, on_state, own=lambda: db.backend_pid)
        listener.start()
        return listener

    @property
    def team(self) -> bool:
        """A team's store (on a database server): each technician has their own job in hand,
        work log and review, and the queue is shared; a solo store has one of each."""
        return self.db.dialect == "postgresql"

    @property
    def description(self) -> str:
        """Where the store is (a path or a URL), for messages."""
        return self.db.description

    # --- the store file as a whole (the embedded backend) ----------------------------------

    @property
    def file(self) -> Path | None:
        """The embedded store's file; ``None`` for a database server (team mode)."""
        db = self.db
        return db.path if isinstance(db, EmbeddedDatabase) else None

    def file_problem(self) -> FileProblem | None:
        """``None`` while the store's path still names the file open here; otherwise what
        happened to it (deleted, or replaced by another file: writes are refused then)."""
        db = self.db
        return db.file_problem() if isinstance(db, EmbeddedDatabase) else None

    def reopen(self) -> None:
        """Open the store's path afresh, after the file there was replaced (restored from a
        copy, say): what is read and written from now on is the new file's. Raises
        :class:`StoreUnusable` (and keeps the old connection) when the new file is unusable."""
        db = self.db
        if isinstance(db, EmbeddedDatabase):
            self.db = EmbeddedDatabase(db.path)
            db.close()

    def copy_to(self, target: Path) -> None:
        """A consistent copy of the whole store, journal included, as one owner-only SQLite
        file at ``target``, made while others may be writing (SQLite's online backup)."""
        self._embedded("a copy of the store file").copy_to(target)

    def load_from(self, source: Path) -> None:
        """Everything in the store replaced by the contents of the store file ``source`` (a
        copy made by :meth:`copy_to`, checked first by the caller), in one transaction.

        Its :attr:`identity` changes with it: the file is the same, but what was kept about
        its contents elsewhere (the caches of the estimates and of the queue, keyed by the
        identity and a journal position) describes another history, whose journal positions
        the backup's may reach again."""
        self._embedded("restoring a store file").load_from(source)
        import secrets

        self.set_meta(_CONTENTS, secrets.token_hex(8))

    def _embedded(self, what: str) -> EmbeddedDatabase:
        db = self.db
        if not isinstance(db, EmbeddedDatabase):
            raise StoreError(f"{what} needs a local store; {db.description} is a database server")
        return db

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def identity(self) -> str:
        """Which store this is, for what is kept about it elsewhere (a cache): its file, by
        path and by device and inode (a file restored or replaced under the path is
        another store), and the contents a backup put back in it (:meth:`load_from`), or its
        server's URL, password hidden, and who works on it."""
        db = self.db
        if isinstance(db, EmbeddedDatabase):
            device, inode = db.identity
            return f"{db.path.resolve()}:{device}:{inode}:{self.meta(_CONTENTS) or ''}"
        return f"{db.description} as {self.user}"

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
    def action(
        self, action: str, summary: str, now: datetime, item_id: int | None = None
    ) -> Iterator[Transaction]:
        """One user action: one transaction, one journal entry with the before-images.

        ``summary`` is what ``undo`` says it undid; ``item_id`` the item the action is about."""
        changes = Transaction(self.db)
        with self.db.transaction():
            yield changes
            self.db.insert(
                "INSERT INTO journal (at, action, item_id, summary, changes, undone, mark) "
                "VALUES (:at, :action, :item_id, :summary, :changes, :undone, :mark)",
                {
                    "at": now,
                    "action": action,
                    "item_id": changes.item_id if changes.item_id is not None else item_id,
                    "summary": summary,
                    "changes": json.dumps(changes.rows),
                    "undone": False,
                    "mark": _mark(),
                },
            )
        self.saved_actions += 1

    def last_journal_id(self) -> int:
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
                "INSERT INTO journal (at, action, item_id, summary, changes, undone, mark) "
                "VALUES (:at, 'undo', :item_id, :summary, '[]', :no, :mark)",
                {
                    "at": now,
                    "item_id": entry["item_id"],
                    "summary": f"undid: {entry['summary']}",
                    "no": False,
                    "mark": _mark(),
                },
            )
        self.saved_actions += 1
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

    def journal_mark(self, journal_id: int) -> str | None:
        """What tells journal entry ``journal_id`` apart from any other store's entry of that
        number, for a position kept outside the store (:meth:`journal_continues`): its random
        mark (its time and summary for an entry older than the marks); ``""`` before the
        first entry, ``None`` when there is no such entry."""
        if journal_id <= 0:
            return ""
        rows = self.db.query(
            "SELECT mark, at, summary FROM journal WHERE id = :id", {"id": journal_id}
        )
        if not rows:
            return None
        row = rows[0]
        return str(row["mark"]) if row["mark"] else f"{row['at'].isoformat()} {row['summary']}"

    def journal_continues(self, journal_id: Any, mark: Any) -> bool:
        """Whether this store's journal goes on from entry ``journal_id`` as it was when
        ``mark`` was taken of it (:meth:`journal_mark`), every entry after it still there:
        only then does :meth:`touched_since` tell all that was written since that position.
        A store file overwritten by an older copy of itself, or deleted and made again, has
        entries of the same numbers that are other entries: a position kept of the one
        says nothing of the other. (Typed loosely: the position comes from a cache file.)"""
        if not isinstance(journal_id, int) or not isinstance(mark, str):
            return False
        return self.journal_kept_since(journal_id) and self.journal_mark(journal_id) == mark

    def journal_kept_since(self, journal_id: int) -> bool:
        """Whether every journal entry after ``journal_id`` is still there (trimming forgets
        the oldest): only then does :meth:`touched_since` tell all that was written since."""
        oldest = self.db.scalar("SELECT MIN(id) FROM journal")
        return oldest is None or int(oldest) <= journal_id + 1

    def touched_since(self, journal_id: int) -> tuple[int, dict[str, set[int]] | None]:
        """The journal's highest id, and the rows every action after entry ``journal_id`` changed,
        by table, with the item each action was about among the items (a corrected work span
        changes its item's history): what a screen that read everything at ``journal_id`` must
        read again, whoever wrote since (this process or another); a requester added is not
        among them (the item that named them is). The rows are ``None`` when an undo is among
        those actions (then anything may have changed)."""
        rows = self.db.query(
            "SELECT id, action, item_id, changes FROM journal WHERE id > :since ORDER BY id",
            {"since": journal_id},
        )
        if not rows:
            newest = self.last_journal_id()
            if newest < journal_id:  # restored from a copy: everything may differ
                return newest, None
            return journal_id, {}
        newest = int(rows[-1]["id"])
        touched: dict[str, set[int]] = {}
        for row in rows:
            if row["action"] == "undo":
                return newest, None
            for table, row_id, before in json.loads(row["changes"]):
                if before is None and table == "requester":
                    continue  # a new person: no item read before can be theirs
                touched.setdefault(table, set()).add(int(row_id))
            if row["item_id"] is not None:
                touched.setdefault("item", set()).add(int(row["item_id"]))
        return newest, touched

    def trim_journal(self, before: datetime, keep: int) -> int:
        """Forget the undo history written before ``before``, but never the newest ``keep``
        entries (an action stays undoable however long the store sat unused, and the
        journal's highest id, which every screen polls, never moves back); return how many
        entries went. Housekeeping, not the technician's work: not itself journaled.

        Each entry holds the rows its action changed as they were before it, so undoing the
        entries that remain never needs one that went."""
        with self.db.transaction():
            floor = self.db.scalar(
                "SELECT id FROM journal ORDER BY id DESC LIMIT 1 OFFSET :skip",
                {"skip": max(keep, 1) - 1},
            )
            if floor is None:
                return 0
            condition = "FROM journal WHERE at < :before AND id < :floor"
            params = {"before": before, "floor": floor}
            count = int(self.db.scalar(f"SELECT COUNT(*) {condition}", params) or 0)
            if count:
                self.db.execute(f"DELETE {condition}", params)
        return count

    def journal(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest journal entries, newest first (without their before-images)."""
        return self.db.query(
            "SELECT id, at, action, item_id, summary, undone FROM journal "
            "ORDER BY id DESC LIMIT :limit",
            {"limit": limit},
        )

    # --- reading -----------------------------------------------------------------------

    def get(self, item_id: int) -> ItemRecord:
        rows = item_records(self.db.rows(f"{ITEM_SELECT} WHERE item.id = :id", {"id": item_id}))
        if not rows:
            raise NotFound(f"item {item_id} not found")
        return rows[0]

    def items(self, statuses: Iterable[str] = OPEN_STATUSES) -> list[ItemRecord]:
        """Items in the given statuses (by default all unfinished ones), uses the status index."""
        wanted = tuple(statuses)
        names = {f"s{index}": status for index, status in enumerate(wanted)}
        marks = ", ".join(f":{name}" for name in names)
        # A server hands rows back in no particular order (an updated row moves); SQLite's is
        # the table's, which callers have come to rely on for ties.
        order = "" if self.db.dialect == "sqlite" else " ORDER BY item.id"
        return item_records(
            self.db.rows(f"{ITEM_SELECT} WHERE item.status IN ({marks}){order}", names)
        )

    def closed_between(self, start: datetime, end: datetime) -> list[ItemRecord]:
        """Items done or dropped in ``[start, end)`` (in a team, this technician's)."""
        mine, params = self._mine("item.assignee")
        return item_records(
            self.db.rows(
                f"{ITEM_SELECT} WHERE item.status IN ('done', 'dropped') "
                f"AND item.done_at >= :start AND item.done_at < :end{mine} ORDER BY item.done_at",
                {"start": start, "end": end, **params},
            )
        )

    def _mine(self, column: str) -> tuple[str, dict[str, Any]]:
        """The condition keeping a team technician's own rows (nothing for a solo store)."""
        if not self.team:
            return "", {}
        return f" AND {column} = :me", {"me": self.user}

    def in_hand(self) -> list[ItemRecord]:
        """The items being worked on: in a team, this technician's; alone, the one."""
        items = self.items(("active",))
        if self.team:
            return [item for item in items if item.assignee == self.user]
        return items

    def claim(self, candidates: Iterable[int]) -> int | None:
        """Inside an action's transaction: the first of ``candidates`` (best first) that
        nobody has and that can be started, locked for this transaction, others' locks
        skipped (``FOR UPDATE SKIP LOCKED``; SQLite's write transaction is exclusive): two
        technicians claiming at once never get the same item. ``None``: none is free."""
        for item_id in candidates:
            found = self.db.lock_free(
                "SELECT id FROM item WHERE id = :id AND assignee IS NULL "
                "AND status IN ('open', 'paused')",
                {"id": item_id},
            )
            if found:
                return item_id
        return None

    def holder(self, item_id: int) -> str | None:
        """Inside an action's transaction: who has the item, read under a lock (a claim by
        another technician waits for it, or is seen)."""
        found = self.db.lock("SELECT assignee FROM item WHERE id = :id", {"id": item_id})
        if not found:
            raise NotFound(f"item {item_id} not found")
        holder = found[0]["assignee"]
        return None if holder is None else str(holder)

    def closed_since(
        self, statuses: Iterable[str], since: datetime | None = None
    ) -> list[ItemRecord]:
        """Finished items in ``statuses`` (done, dropped), closed at or after ``since`` (all of
        them when ``None``), in the order they were closed."""
        wanted = [status for status in statuses if status in CLOSED_STATUSES]
        if not wanted:
            return []
        names = {f"s{index}": status for index, status in enumerate(wanted)}
        marks = ", ".join(f":{name}" for name in names)
        params: dict[str, Any] = dict(names)
        condition = ""
        if since is not None:
            condition, params["since"] = " AND item.done_at >= :since", since
        return item_records(
            self.db.rows(
                f"{ITEM_SELECT} WHERE item.status IN ({marks}){condition} "
                "ORDER BY item.done_at, item.id",
                params,
            )
        )

    def notes(self, item_id: int) -> list[NoteRecord]:
        rows = self.db.query(
            "SELECT * FROM note WHERE item_id = :id ORDER BY created_at, id", {"id": item_id}
        )
        return [records.NoteRecord(**row) for row in rows]

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
        done = item_records(
            self.db.rows(
                f"{ITEM_SELECT} WHERE item.status = 'done' AND EXISTS "
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

    def history_changed_by(self, items: Iterable[ItemRecord]) -> bool:
        """Whether any of these finished or dropped items is work the history learns from
        (:meth:`finished_work`: done, with work logged): one finished without any, or
        dropped, only left the queue."""
        ids = {f"i{index}": item.id for index, item in enumerate(items) if item.status == "done"}
        if not ids:
            return False
        marks = ", ".join(f":{name}" for name in ids)
        found = self.db.scalar(
            f"SELECT 1 FROM work_span WHERE item_id IN ({marks}) AND ended_at IS NOT NULL LIMIT 1",
            ids,
        )
        return found is not None

    def solved(self, limit: int = 500) -> list[ItemRecord]:
        """The most recently finished items that keep a line saying how they were solved:
        what a new item like them is shown."""
        return item_records(
            self.db.rows(
                f"{ITEM_SELECT} WHERE item.status = 'done' AND item.solution IS NOT NULL "
                "ORDER BY item.done_at DESC, item.id DESC LIMIT :limit",
                {"limit": limit},
            )
        )

    def recurrences(self, *, include_stopped: bool = False) -> list[RecurrenceRecord]:
        """The recurring rules, oldest first; stopped ones only when asked for."""
        where = "" if include_stopped else " WHERE stopped_at IS NULL"
        rows = self.db.query(f"SELECT * FROM recurrence{where} ORDER BY id")
        return [records.RecurrenceRecord(**row) for row in rows]

    def recurrence(self, recurrence_id: int) -> RecurrenceRecord:
        rows = self.db.query("SELECT * FROM recurrence WHERE id = :id", {"id": recurrence_id})
        if not rows:
            raise NotFound(f"recurring rule {recurrence_id} not found")
        return records.RecurrenceRecord(**rows[0])

    def instances(self, recurrence_id: int) -> list[ItemRecord]:
        """The items of a recurring rule, the latest first."""
        return item_records(
            self.db.rows(
                f"{ITEM_SELECT} WHERE item.recurrence_id = :id "
                "ORDER BY item.received_at DESC, item.id DESC",
                {"id": recurrence_id},
            )
        )

    def last_contacts(self) -> dict[int, datetime]:
        """When each item's requester last heard from the technician (a contact or a promise
        note), for the items that have such a note."""
        rows = self.db.rows(
            "SELECT item_id, MAX(created_at) FROM note WHERE kind IN ('contact', 'promise') "
            "GROUP BY item_id"
        )
        return {row[0]: stored_time(row[1]) for row in rows}

    def spans_between(self, start: datetime, end: datetime) -> list[SpanRecord]:
        """Spans that overlap ``[start, end)`` (an open span runs until now); in a team, this
        technician's (their day, their review, their minutes counted once)."""
        mine, params = self._mine("technician")
        rows = self.db.query(
            "SELECT * FROM work_span WHERE started_at < :end "
            f"AND (ended_at IS NULL OR ended_at > :start){mine} ORDER BY started_at, id",
            {"start": start, "end": end, **params},
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
        return [records.ReminderRecord(**row) for row in rows]

    def requesters(self) -> list[RequesterRecord]:
        """Every requester row, linked spellings included (``same_as`` says whose)."""
        rows = self.db.query("SELECT * FROM requester ORDER BY name, id")
        return [records.RequesterRecord(**row) for row in rows]

    def active(self) -> ItemRecord | None:
        """The item being worked on, if any (in a team, by this technician)."""
        rows = self.in_hand()
        return rows[0] if rows else None

    def find_requester(self, who: str) -> RequesterRecord | None:
        """The person known by this name or address (any case), the oldest if several; a
        linked spelling answers with the person it is linked to."""
        found = people_called(self.db, who)
        return found[0] if found else None

    def find_person(self, name: str | None, email: str | None) -> RequesterRecord | None:
        """The person with this address, else with this name (see :mod:`techqueue.db.people`)."""
        return find_person(self.db, name, email)

    def requesters_called(self, who: str) -> list[RequesterRecord]:
        """Every person known by this name or address (any case): whom ``--from NAME``
        means."""
        return people_called(self.db, who)

    def items_by_requester(self, requester_id: int) -> list[int]:
        """The ids of every item of a requester row, whatever their status."""
        return items_of(self.db, requester_id)

    def ref_owners(self, refs: Iterable[str]) -> dict[str, int]:
        """The item each reference belongs to: its own ``ref``, or a note's (an imported reply)."""
        return ref_owners(self.db, refs)

    def requester(self, requester_id: int) -> RequesterRecord:
        rows = self.db.query("SELECT * FROM requester WHERE id = :id", {"id": requester_id})
        if not rows:
            raise NotFound(f"requester {requester_id} not found")
        return records.RequesterRecord(**rows[0])

    def reminder(self, reminder_id: int) -> ReminderRecord:
        found = self._reminders("reminder.id = :id", {"id": reminder_id})
        if not found:
            raise NotFound(f"reminder {reminder_id} not found")
        return found[0]

    def note(self, note_id: int) -> NoteRecord:
        rows = self.db.query("SELECT * FROM note WHERE id = :id", {"id": note_id})
        if not rows:
            raise NotFound(f"note {note_id} not found")
        return records.NoteRecord(**rows[0])

    def running_spans(self, item_id: int | None = None) -> list[SpanRecord]:
        """The work spans still running: of one item (whoever works on it), or all of this
        technician's (alone: all)."""
        where = "ended_at IS NULL" + ("" if item_id is None else " AND item_id = :id")
        mine, params = self._mine("technician") if item_id is None else ("", {})
        rows = self.db.query(
            f"SELECT * FROM work_span WHERE {where}{mine} ORDER BY started_at, id",
            {"id": item_id, **params},
        )
        return [SpanRecord(**row) for row in rows]

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
        rows = item_records(self.db.rows(f"{ITEM_SELECT} WHERE item.id IN ({marks})", ids))
        return {item.id: item for item in rows}

    def received_between(self, start: datetime, end: datetime) -> list[ItemRecord]:
        """Items received in ``[start, end)``, whatever their status now."""
        return item_records(
            self.db.rows(
                f"{ITEM_SELECT} WHERE item.received_at >= :start AND item.received_at < :end "
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
        return [records.NoteRecord(**row) for row in rows]

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
        return [records.NoteRecord(**row) for row in rows]

    def span(self, span_id: int) -> SpanRecord:
        rows = self.db.query("SELECT * FROM work_span WHERE id = :id", {"id": span_id})
        if not rows:
            raise NotFound(f"work span {span_id} not found")
        return SpanRecord(**rows[0])

    def decided_between(self, start: datetime, end: datetime) -> set[int]:
        """Items given a carry-over decision (or carried over as skipped) in ``[start, end)``."""
        return {note.item_id for note in self.notes_between(start, end, CARRY_KINDS)}

    # --- whole tables, for export and import ------------------------------------------------

    def table_rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of a data table, by id, times as aware UTC."""
        if table not in TABLES:
            raise StoreError(f"no table {table!r}")
        return self.db.query(f"SELECT * FROM {table} ORDER BY id")

    def row_count(self, table: str) -> int:
        if table not in TABLES:
            raise StoreError(f"no table {table!r}")
        return int(self.db.scalar(f"SELECT COUNT(*) FROM {table}") or 0)


def _mark() -> str:
    """A new journal entry's mark: random, so that no other entry of any store has it."""
    return os.urandom(8).hex()
