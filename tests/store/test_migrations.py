"""Schema versions: every version after the first ships a forward migration and a fixture
store of the version before it, which a test here migrates.

How to change the schema (``SCHEMA_VERSION`` N-1 → N):

1. *Before* changing anything, make sure ``tests/store/fixtures/store-v{N-1}.db`` exists (it
   does for every version so far); if not, build it with the old code::

       .venv/bin/python tests/store/test_migrations.py

   (it writes ``store-v{SCHEMA_VERSION}.db`` with the content below; never rebuild an
   existing fixture with newer code).
2. Change ``models.py`` and ``schema.py``, bump ``SCHEMA_VERSION``, add ``MIGRATIONS[N]``.
3. Run the script again to add ``store-v{N}.db`` for the next change.

``test_an_old_store_migrates_with_its_data_intact`` then opens a copy of every older fixture
and checks it reached ``SCHEMA_VERSION`` with everything still there. At version 1 there is
nothing older yet, so that test has no cases; the rest of this module runs today.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.db.schema import MIGRATIONS, SCHEMA_VERSION
from techqueue.desk import Desk
from techqueue.store import Store, open_store

FIXTURES = Path(__file__).parent / "fixtures"
#: When the fixture content was written (and the clock for reading it back).
MADE_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


def fixture_path(version: int) -> Path:
    return FIXTURES / f"store-v{version}.db"


def write_fixture_content(store: Store, now: datetime = MADE_AT) -> None:
    """The content of every fixture store. Never change it: old fixtures were made with it."""
    t = now - 4 * HOUR
    a = actions.add(
        Desk(store),
        ItemFields(
            title="Printer jams",
            requester="Alice",
            channel="desk",
            severity="high",
            estimate_minutes=15,
            tags=("printer", "floor-2"),
            ref="INC-1",
        ),
        t,
    ).item.id
    b = actions.add(
        Desk(store),
        ItemFields(
            title="VPN down",
            requester="bob@example.com",
            channel="phone",
            severity="critical",
            impact=12,
            due_at=now + HOUR,
        ),
        t + MINUTE,
    ).item.id
    c = actions.add(
        Desk(store),
        ItemFields(title="New laptop", requester="alice", severity="low"),
        t + 2 * MINUTE,
    ).item
    d = actions.add(
        Desk(store), ItemFields(title="Password reset", channel="chat"), t + 3 * MINUTE
    ).item.id
    e = actions.add(
        Desk(store), ItemFields(title="Old request", received_at=t - 48 * HOUR), t + 4 * MINUTE
    ).item.id
    f = actions.add(
        Desk(store), ItemFields(title="Monitor flickers", vip=True), t + 5 * MINUTE
    ).item.id
    actions.start(Desk(store), b, t + 10 * MINUTE)
    actions.note(Desk(store), b, "called back", t + 20 * MINUTE, kind="contact")
    actions.start(Desk(store), a, t + 30 * MINUTE)
    actions.note(Desk(store), a, "toner ordered", t + 35 * MINUTE)
    actions.note(
        Desk(store), c.id, "by Friday", t + 36 * MINUTE, kind="promise", due_at=now + 24 * HOUR
    )
    actions.wait(Desk(store), c.id, t + 40 * MINUTE, until=now + 2 * HOUR)
    actions.done(Desk(store), d, t + 50 * MINUTE)
    actions.drop(Desk(store), e, t + 55 * MINUTE, reason="duplicate")
    actions.set_vip(Desk(store), "Alice", t + 60 * MINUTE)
    actions.remind(Desk(store), a, now + 30 * MINUTE, "check the toner", t + 61 * MINUTE)
    actions.remind(Desk(store), None, now + 2 * HOUR, "order cables", t + 62 * MINUTE)
    dismissed = actions.remind(Desk(store), b, now - 10 * MINUTE, "call Bob", t + 63 * MINUTE)
    actions.dismiss(Desk(store), dismissed.id, t + 64 * MINUTE)
    actions.defer(Desk(store), f, now + 3 * HOUR, t + 65 * MINUTE)
    actions.bump(Desk(store), f, 2, t + 66 * MINUTE)
    actions.pin(Desk(store), f, t + 70 * MINUTE)  # the last action: undo must still find it


def check_fixture_content(store: Store) -> None:
    """What a store made by :func:`write_fixture_content` holds, read through the store."""
    now = MADE_AT
    t = now - 4 * HOUR
    items = {
        item.title: item
        for item in store.items(("open", "active", "paused", "waiting", "done", "dropped"))
    }
    assert {title: item.status for title, item in items.items()} == {
        "Printer jams": "active",
        "VPN down": "paused",
        "New laptop": "waiting",
        "Password reset": "done",
        "Old request": "dropped",
        "Monitor flickers": "open",
    }
    printer = items["Printer jams"]
    assert (printer.requester, printer.vip, printer.own_vip) == ("Alice", True, False)
    assert (printer.channel, printer.severity, printer.estimate_minutes) == ("desk", "high", 15)
    assert (printer.tags, printer.ref) == (("printer", "floor-2"), "INC-1")
    assert (printer.received_at, printer.started_at) == (t, t + 30 * MINUTE)
    vpn = items["VPN down"]
    assert (vpn.requester, vpn.impact, vpn.due_at, vpn.vip) == (
        "bob@example.com",
        12,
        now + HOUR,
        False,
    )
    laptop = items["New laptop"]
    assert laptop.requester == "Alice"
    assert laptop.promise_due_at == now + 24 * HOUR
    assert laptop.deferred_until == now + 2 * HOUR
    assert items["Password reset"].done_at == t + 50 * MINUTE
    dropped = items["Old request"]
    assert (dropped.drop_reason, dropped.received_at) == ("duplicate", t - 48 * HOUR)
    monitor = items["Monitor flickers"]
    assert (monitor.own_vip, monitor.pinned, monitor.bump) == (True, True, 2)
    assert monitor.deferred_until == now + 3 * HOUR
    assert [(r.name, r.email, r.vip) for r in store.requesters()] == [
        ("Alice", None, True),
        ("bob@example.com", "bob@example.com", False),
    ]
    assert [(n.kind, n.text) for n in store.notes(printer.id)] == [("plain", "toner ordered")]
    assert [(n.kind, n.text, n.due_at) for n in store.notes(laptop.id)] == [
        ("promise", "by Friday", now + 24 * HOUR)
    ]
    assert [(n.kind, n.text) for n in store.notes(vpn.id)] == [("contact", "called back")]
    assert [
        (r.text, r.item_title, r.due_at, r.dismissed_at is not None)
        for r in store.reminders(include_dismissed=True)
    ] == [
        ("call Bob", "VPN down", now - 10 * MINUTE, True),
        ("check the toner", "Printer jams", now + 30 * MINUTE, False),
        ("order cables", None, now + 2 * HOUR, False),
    ]
    assert [(s.item_id, s.started_at, s.ended_at) for s in store.spans()] == [
        (vpn.id, t + 10 * MINUTE, t + 30 * MINUTE),
        (printer.id, t + 30 * MINUTE, None),
    ]
    assert store.last_journal_id() == 22


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def user_version(path: Path) -> int:
    """Read from the file header, without SQLite: even a read-only connection to a WAL-mode
    file leaves -wal/-shm files beside it, and the fixtures must stay exactly as committed."""
    with path.open("rb") as handle:
        header = handle.read(100)
    assert header.startswith(b"SQLite format 3\x00"), path
    return int.from_bytes(header[60:64], "big")


def meta_version(path: Path) -> str:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return str(
            connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        )
    finally:
        connection.close()


# --- every version has its migration and its fixture -------------------------------------------


def test_every_version_after_the_first_has_a_migration_and_a_fixture() -> None:
    assert SCHEMA_VERSION >= 1
    assert set(MIGRATIONS) == set(range(2, SCHEMA_VERSION + 1)), (
        "MIGRATIONS[n] must take a store from n-1 to n, for every n from 2 to SCHEMA_VERSION"
    )
    for version in range(2, SCHEMA_VERSION + 1):
        assert MIGRATIONS[version], f"MIGRATIONS[{version}] is empty"
        assert fixture_path(version - 1).is_file(), (
            f"{fixture_path(version - 1)} is missing: a fixture store of schema {version - 1} "
            f"must ship with the migration to {version}"
        )


@pytest.mark.parametrize("version", range(2, SCHEMA_VERSION + 1))
def test_an_old_store_migrates_with_its_data_intact(tmp_path: Path, version: int) -> None:
    original = fixture_path(version - 1)
    assert original.is_file(), f"{original} is missing"
    assert user_version(original) == version - 1
    before = sha256(original)
    path = tmp_path / "techqueue.db"
    shutil.copyfile(original, path)
    with open_store(path) as store:
        check_fixture_content(store)
    assert user_version(path) == SCHEMA_VERSION
    assert meta_version(path) == str(SCHEMA_VERSION)
    with open_store(path) as store:  # a migrated store opens again as it is
        check_fixture_content(store)
        assert "pin" in store.undo(MADE_AT)  # the journal came through the migration too
    assert sha256(original) == before, "the test must work on a copy"
    assert sorted(p.name for p in FIXTURES.iterdir() if p.name.startswith(original.name)) == [
        original.name
    ]


# --- the fixture of the current version --------------------------------------------------------


def test_the_fixture_of_this_version_exists() -> None:
    assert fixture_path(SCHEMA_VERSION).is_file(), (
        f"{fixture_path(SCHEMA_VERSION)} is missing: build it now, with this version's code "
        "(.venv/bin/python tests/store/test_migrations.py), so that the next schema change "
        "has a store of this version to migrate"
    )


def test_the_fixture_of_this_version_opens_with_its_data(tmp_path: Path) -> None:
    original = fixture_path(SCHEMA_VERSION)
    if not original.is_file():
        pytest.skip("no fixture for this version (the test above fails for that)")
    assert user_version(original) == SCHEMA_VERSION
    before = sha256(original)
    path = tmp_path / "techqueue.db"
    shutil.copyfile(original, path)
    with open_store(path) as store:
        check_fixture_content(store)
        assert "pin" in store.undo(MADE_AT)
        assert not store.get(store.items(("open",))[0].id).pinned
    assert sha256(original) == before
    fixtures = [fixture_path(version).name for version in range(1, SCHEMA_VERSION + 1)]
    assert sorted(p.name for p in FIXTURES.iterdir()) == fixtures  # nothing left beside them


def test_the_fixture_content_is_what_the_check_expects(tmp_path: Path) -> None:
    """``write_fixture_content`` and ``check_fixture_content`` agree, today."""
    with open_store(tmp_path / "s.db") as store:
        write_fixture_content(store)
        check_fixture_content(store)


# --- opening without writing changes nothing --------------------------------------------------


def test_a_current_store_is_not_modified_by_opening_it(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    path = directory / "techqueue.db"
    with open_store(path) as store:
        write_fixture_content(store)
    # closing the last connection checkpointed the WAL into the main file and removed it
    assert sorted(p.name for p in directory.iterdir()) == ["techqueue.db"]
    before = (sha256(path), path.stat().st_mtime_ns, path.stat().st_size)
    for _ in range(3):
        with open_store(path) as store:
            check_fixture_content(store)
            transfer.export(store, MADE_AT)
        assert sorted(p.name for p in directory.iterdir()) == ["techqueue.db"]
        assert (sha256(path), path.stat().st_mtime_ns, path.stat().st_size) == before


def build_fixture() -> Path:
    """Write ``fixtures/store-v{SCHEMA_VERSION}.db`` with this version's code."""
    target = fixture_path(SCHEMA_VERSION)
    if target.exists():
        raise SystemExit(f"{target} exists: a fixture is never rebuilt with newer code")
    FIXTURES.mkdir(exist_ok=True)
    with open_store(target) as store:
        write_fixture_content(store)
    connection = sqlite3.connect(target)
    try:
        connection.execute("VACUUM")
    finally:
        connection.close()
    leftovers = [p for p in FIXTURES.iterdir() if p.name.startswith(f"{target.name}-")]
    if leftovers:
        raise SystemExit(f"unexpected files left beside the fixture: {leftovers}")
    return target


if __name__ == "__main__":
    sys.stdout.write(f"wrote {build_fixture()}\n")
