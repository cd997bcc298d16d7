"""The embedded store keeps people's data safe: owner-only files, WAL, refusal of files it does
not own, concurrent writers, and nothing half-written when an action fails mid-way."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import stat
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import techqueue.db.backends
from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.db.schema import APPLICATION_ID
from techqueue.desk import Desk
from techqueue.errors import BadRequest, StoreError, StoreUnusable
from techqueue.paths import default_store_path
from techqueue.store import Store, open_store

from .support import comparable

MINUTE = timedelta(minutes=1)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fingerprint(path: Path) -> tuple[str, int, int]:
    """What must not change about a file we refuse: its bytes, size and modification time."""
    info = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), info.st_size, info.st_mtime_ns


def siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def add(store: Store, now: datetime, title: str = "Printer jams", **fields: Any) -> int:
    return actions.add(Desk(store), ItemFields(title=title, **fields), now).item.id


# --- files and modes ---------------------------------------------------------------------------


def test_a_new_store_file_is_owner_only(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        add(store, now)
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):  # they hold the same names until checkpointed
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                assert mode(companion) == 0o600, suffix
    assert mode(path) == 0o600


def test_a_missing_data_directory_is_created_owner_only(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "home" / "share" / "techqueue" / "techqueue.db"
    with open_store(path) as store:
        add(store, now)
    assert path.is_file()
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_an_existing_directory_keeps_its_mode(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    directory.mkdir(mode=0o750)
    directory.chmod(0o750)
    open_store(directory / "s.db").close()
    assert mode(directory) == 0o750


def test_the_default_store_goes_to_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.delenv("TECHQUEUE_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))  # never the real home
    target = default_store_path()
    assert target.name == "techqueue.db"
    assert target.parent == tmp_path / "xdg-data" / "techqueue"
    with open_store() as store:
        assert store.description == str(target)
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700


def test_techqueue_db_selects_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen = tmp_path / "chosen.db"
    monkeypatch.setenv("TECHQUEUE_DB", str(chosen))
    with open_store() as store:
        assert store.description == str(chosen)
    assert chosen.is_file()


def test_the_store_uses_wal_and_a_busy_timeout(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        connection = store.db._connection  # type: ignore[attr-defined]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        add(store, now)
    other = sqlite3.connect(path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent
    finally:
        other.close()


@pytest.mark.parametrize(
    "directory",
    [
        "plain",
        "with space",
        "Zoë’s ünïcode",
        "team #1",
        "why?",
        "100%25 done",
    ],
)
def test_a_store_reopens_whatever_its_path(tmp_path: Path, now: datetime, directory: str) -> None:
    path = tmp_path / directory / "techqueue.db"
    with open_store(path) as store:
        item_id = add(store, now)
    with open_store(path) as store:
        assert store.get(item_id).title == "Printer jams"


def test_a_zero_byte_file_becomes_a_new_store(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    with open_store(path) as store:
        item_id = add(store, now)
    with open_store(path) as store:
        assert store.get(item_id).title == "Printer jams"


def test_a_sqlite_url_without_three_slashes_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreUnusable):
        open_store(f"sqlite:{tmp_path / 'x.db'}")
    assert list(tmp_path.glob("x.db*")) == []


# --- files that are not ours -------------------------------------------------------------------


def _foreign(path: Path, *, wal: bool) -> None:
    connection = sqlite3.connect(path)
    if wal:
        connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer TEXT, total REAL)")
    connection.executemany(
        "INSERT INTO invoice (customer, total) VALUES (?, ?)",
        [(f"customer {n}", n * 1.5) for n in range(200)],
    )
    connection.commit()
    connection.close()


def _foreign_rollback(path: Path) -> None:
    _foreign(path, wal=False)


def _foreign_wal(path: Path) -> None:
    _foreign(path, wal=True)


def _foreign_with_our_table_names(path: Path) -> None:
    """Another app's database that happens to have tables called like ours."""
    connection = sqlite3.connect(path)
    for table in ("meta", "requester", "item", "note", "reminder", "work_span", "journal"):
        connection.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(20_000))


def _text_file(path: Path) -> None:
    path.write_text("name,email\nAlice,alice@example.com\n" * 50)


def _sqlite_header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + random.Random(3).randbytes(8_000))


def _our_store(path: Path, items: int = 150) -> None:
    now = datetime(2026, 3, 2, 9, 0).astimezone()
    with open_store(path) as store:
        for n in range(items):
            actions.add(
                Desk(store), ItemFields(title=f"item {n} " * 8, requester=f"person {n}"), now
            )


def _newer(path: Path) -> None:
    _our_store(path, items=3)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.close()


def _truncated_half(path: Path) -> None:
    _our_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _truncated_in_page_two(path: Path) -> None:
    _our_store(path)
    path.write_bytes(path.read_bytes()[: 4096 + 50])


def _corrupt_schema_page(path: Path) -> None:
    _our_store(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(11).randbytes(4096 - 100)
    path.write_bytes(bytes(data))


def _tables_missing(path: Path) -> None:
    _our_store(path, items=1)
    connection = sqlite3.connect(path)
    connection.execute("DROP TABLE reminder")
    connection.close()


def _no_version(path: Path) -> None:
    _our_store(path, items=1)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 0")
    connection.close()


#: Files techqueue must refuse without changing them. ``wal``: the file says it is in WAL mode.
REFUSED: dict[str, tuple[Callable[[Path], None], bool]] = {
    "another app's database": (_foreign_rollback, False),
    "another app's WAL database": (_foreign_wal, True),
    "another app's tables named like ours": (_foreign_with_our_table_names, False),
    "random bytes": (_random_bytes, False),
    "a text file": (_text_file, False),
    "an SQLite header then garbage": (_sqlite_header_then_garbage, False),
    "a store from a newer techqueue": (_newer, True),
    "a store truncated to half": (_truncated_half, True),
    "a store truncated inside page 2": (_truncated_in_page_two, True),
    "a store with its schema page overwritten": (_corrupt_schema_page, True),
    "a store with a table missing": (_tables_missing, True),
    "a store without a schema version": (_no_version, True),
}


@pytest.fixture(params=list(REFUSED))
def refused_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "techqueue.db"
    path.parent.mkdir()
    REFUSED[request.param][0](path)
    assert siblings(path) == {path.name}, "the fixture itself left companion files"
    return path


def test_a_file_that_is_not_a_usable_store_is_refused_untouched(
    refused_file: Path,
) -> None:
    path = refused_file
    before = fingerprint(path)
    for _ in range(2):  # and again: the first refusal left nothing that changes the second
        with pytest.raises(StoreUnusable) as raised:
            open_store(path)
        message = str(raised.value)
        assert message
        assert "\n" not in message
        assert str(path) in message
        assert "Traceback" not in message
        assert fingerprint(path) == before


@pytest.mark.parametrize(
    "kind",
    [pytest.param(kind) for kind, (_, wal) in REFUSED.items()],
)
def test_a_refused_file_gets_no_companion_files(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "data" / "techqueue.db"
    path.parent.mkdir()
    REFUSED[kind][0](path)
    assert siblings(path) == {path.name}
    with pytest.raises(StoreUnusable):
        open_store(path)
    assert siblings(path) == {path.name}


@pytest.mark.timeout(30)
def test_a_link_to_nothing_is_refused_not_looped_on(tmp_path: Path) -> None:
    path = tmp_path / "linked.db"
    path.symlink_to(tmp_path / "nowhere" / "store.db")
    with pytest.raises(StoreUnusable, match="a symbolic link to nothing"):
        open_store(path)
    assert path.is_symlink()
    assert not (tmp_path / "nowhere").exists()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a-directory.db"
    path.mkdir()
    (path / "keep").write_text("x")
    with pytest.raises(StoreUnusable) as raised:
        open_store(path)
    assert "\n" not in str(raised.value)
    assert [p.name for p in path.iterdir()] == ["keep"]


def test_a_store_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(StoreUnusable) as raised:
        open_store(blocker / "s.db")
    assert "\n" not in str(raised.value)
    assert blocker.read_text() == "x"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root can write a read-only file anyway",
)
def test_a_read_only_store_is_refused_cleanly(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as store:
        item_id = add(store, now)
    path.chmod(0o400)
    try:
        before = fingerprint(path)
        message = ""
        try:
            store = open_store(path)
        except StoreUnusable as error:  # refusing at once is fine
            message = str(error)
        else:
            with store:
                assert store.get(item_id).title == "Printer jams"  # reading still works
                with pytest.raises((StoreUnusable, StoreError)) as raised:
                    add(store, now, "another")
                message = str(raised.value)
        assert message
        assert "\n" not in message
        assert fingerprint(path)[:2] == before[:2]
    finally:
        path.chmod(0o600)


# --- concurrency -------------------------------------------------------------------------------


def test_two_stores_on_one_file_interleave_writes(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            with open_store(path) as store:
                start.wait()
                for n in range(50):
                    item_id = add(store, now + n * MINUTE, f"{name} {n}", requester=f"R{n % 3}")
                    if n % 10 == 0:
                        actions.note(Desk(store), item_id, "noted", now)
                        store.items()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    with open_store(path) as store:
        titles = sorted(item.title for item in store.items())
        assert titles == sorted(f"{side} {n}" for side in ("left", "right") for n in range(50))
        assert len({item.id for item in store.items()}) == 100
        # requesters are found, not duplicated, even when created by two writers at once
        assert sorted(r.name for r in store.requesters()) == ["R0", "R1", "R2"]
        assert store.last_journal_id() == 100 + 2 * 5


def test_a_second_store_sees_the_first_ones_writes(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    with open_store(path) as first, open_store(path) as second:
        item_id = add(first, now)
        assert second.get(item_id).title == "Printer jams"
        change = second.last_journal_id()
        actions.start(Desk(second), item_id, now)
        assert first.get(item_id).status == "active"
        assert first.last_journal_id() > change
        first.undo(now)
        assert second.get(item_id).status == "open"


def test_two_first_opens_at_once_both_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    path = tmp_path / "new.db"
    real_prepare = techqueue.db.backends._prepare
    both_prepared = threading.Barrier(2, timeout=10)

    def prepare_then_wait(target: Path) -> bool:
        created = real_prepare(target)
        both_prepared.wait()  # both have looked at the file before either creates tables
        return created

    monkeypatch.setattr(techqueue.db.backends, "_prepare", prepare_then_wait)
    errors: list[BaseException] = []

    def opener() -> None:
        try:
            with open_store(path) as store:
                add(store, now)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=opener) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    monkeypatch.undo()
    with open_store(path) as store:
        assert len(store.items()) == 2


# --- all or nothing ----------------------------------------------------------------------------


class Crash(Exception):
    """Stands for anything that can go wrong in the middle of an action."""


def _crash_on(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    method: str,
    when: Callable[[str], bool],
    error: BaseException,
) -> None:
    real = getattr(store.db, method)

    def failing(sql: str, *args: Any, **kwargs: Any) -> Any:
        if when(sql):
            raise error
        return real(sql, *args, **kwargs)

    monkeypatch.setattr(store.db, method, failing)


def _prepare(store: Store, now: datetime) -> dict[str, int]:
    first = add(store, now - 30 * MINUTE, "first", requester="Alice")
    second = add(store, now - 20 * MINUTE, "second")
    actions.start(Desk(store), first, now - 10 * MINUTE)
    reminder = actions.remind(Desk(store), first, now + MINUTE, "call", now - 5 * MINUTE)
    return {"first": first, "second": second, "reminder": reminder.id}


CRASHING_ACTIONS: dict[str, Callable[[Store, dict[str, int], datetime], object]] = {
    "add with a new requester": lambda s, i, n: add(s, n, "third", requester="Bob"),
    "start, pausing another": lambda s, i, n: actions.start(Desk(s), i["second"], n).item,
    "done": lambda s, i, n: actions.done(Desk(s), i["first"], n).item,
    "promise": lambda s, i, n: actions.note(
        Desk(s), i["first"], "by 10", n, kind="promise", due_at=n + MINUTE
    ),
    "vip": lambda s, i, n: actions.set_vip(Desk(s), "Carol", n),
    "dismiss": lambda s, i, n: actions.dismiss(Desk(s), i["reminder"], n),
    "import merge": lambda s, i, n: transfer.import_export(s, transfer.export(s, n), n, merge=True),
}


@pytest.mark.parametrize(
    "error", [Crash("disk on fire"), KeyboardInterrupt()], ids=lambda error: type(error).__name__
)
@pytest.mark.parametrize("action", list(CRASHING_ACTIONS))
def test_a_crash_before_the_journal_entry_leaves_nothing_half_written(
    store: Store,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
    action: str,
    error: BaseException,
) -> None:
    ids = _prepare(store, now)
    before = comparable(transfer.export(store, now))
    entries = store.db.scalar("SELECT COUNT(*) FROM journal")
    change = store.last_journal_id()
    # every row of the action has been written when the journal entry is inserted, last
    _crash_on(monkeypatch, store, "insert", lambda sql: "INTO journal" in sql, error)
    with pytest.raises(type(error)):
        CRASHING_ACTIONS[action](store, ids, now)
    monkeypatch.undo()
    assert comparable(transfer.export(store, now)) == before
    assert store.db.scalar("SELECT COUNT(*) FROM journal") == entries
    assert store.last_journal_id() == change
    # and the store works on as before
    CRASHING_ACTIONS[action](store, ids, now)
    assert store.last_journal_id() > change
    store.undo(now)
    assert comparable(transfer.export(store, now)) == before


def test_a_crash_after_the_first_insert_leaves_nothing(
    store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = comparable(transfer.export(store, now))
    _crash_on(monkeypatch, store, "insert", lambda sql: "INTO item" in sql, Crash("boom"))
    with pytest.raises(Crash):
        add(store, now, requester="Alice")  # the requester row is written first
    monkeypatch.undo()
    assert comparable(transfer.export(store, now)) == before
    assert store.requesters() == []
    assert store.last_journal_id() == 0


def test_a_crash_during_undo_leaves_the_action_in_place(
    store: Store, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _prepare(store, now)
    actions.start(Desk(store), ids["second"], now)
    after = comparable(transfer.export(store, now))
    change = store.last_journal_id()
    _crash_on(monkeypatch, store, "execute", lambda sql: "UPDATE journal" in sql, Crash("x"))
    with pytest.raises(Crash):
        store.undo(now)
    monkeypatch.undo()
    assert comparable(transfer.export(store, now)) == after
    assert store.last_journal_id() == change
    assert "start" in store.undo(now)
    assert store.get(ids["second"]).status == "open"
    assert store.get(ids["first"]).status == "active"


def test_a_refused_action_writes_nothing(store: Store, now: datetime) -> None:
    ids = _prepare(store, now)
    before = comparable(transfer.export(store, now))
    change = store.last_journal_id()
    with pytest.raises(BadRequest):
        actions.pause(Desk(store), ids["second"], now)
    with pytest.raises(BadRequest):
        transfer.import_export(store, {"format": "nope"}, now, merge=True)
    assert comparable(transfer.export(store, now)) == before
    assert store.last_journal_id() == change


# --- BEGIN IMMEDIATE -----------------------------------------------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.parametrize(
    "action",
    ["add", "start", "note", "undo", "import", "remind"],
)
def test_writes_happen_inside_begin_immediate(tmp_path: Path, now: datetime, action: str) -> None:
    with open_store(tmp_path / "s.db") as store:
        first = add(store, now - MINUTE, "first")
        statements: list[str] = []
        store.db._connection.set_trace_callback(statements.append)  # type: ignore[attr-defined]
        if action == "add":
            add(store, now, "second", requester="Alice")
        elif action == "start":
            actions.start(Desk(store), first, now)
        elif action == "note":
            actions.note(Desk(store), first, "x", now, kind="promise", due_at=now + MINUTE)
        elif action == "undo":
            store.undo(now)
        elif action == "import":
            transfer.import_export(store, transfer.export(store, now), now, merge=True)
        else:
            actions.remind(Desk(store), first, now + MINUTE, "call", now)
        store.db._connection.set_trace_callback(None)  # type: ignore[attr-defined]

    words = [statement.split(None, 1)[0].upper() for statement in statements]
    writes = [index for index, word in enumerate(words) if word in WRITES]
    assert writes, statements
    assert statements.count("BEGIN IMMEDIATE") == 1, statements
    begin = statements.index("BEGIN IMMEDIATE")
    commit = words.index("COMMIT")
    assert begin < writes[0]
    assert writes[-1] < commit
    assert "BEGIN" not in words[begin + 1 : commit], "one action, one transaction"
    assert not any(word == "BEGIN" for word in words[:begin]), "no deferred BEGIN first"


def test_application_id_marks_our_files(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        connection.close()
