"""A team on one PostgreSQL store: each technician their own job in hand and work log, the
queue shared, claims atomic (a race of eight processes), the schema migrated as on SQLite,
a solo store moved in, and a server lost in the middle of a command."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from store.test_migrations import MADE_AT, check_fixture_content, fixture_path
from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.db.schema import BOOLEAN_COLUMNS, SCHEMA_VERSION, TABLES, for_dialect
from techqueue.desk import Desk
from techqueue.errors import BadRequest, StoreFailed, StoreUnusable
from techqueue.store import Store, open_store

from .server import Cluster

MINUTE = timedelta(minutes=1)


def desk(url: str, user: str) -> Desk:
    return Desk(open_store(url, user=user))


def _active(store: Store) -> Any:
    found = store.active()
    assert found is not None, "a job in hand"
    return found


def add(store: Store, now: datetime, title: str, **fields: Any) -> int:
    return actions.add(Desk(store), ItemFields(title=title, **fields), now).item.id


# --- technicians ---------------------------------------------------------------------------


def test_two_technicians_each_have_their_own_job_in_hand(team_url: str, now: datetime) -> None:
    alice, bob = desk(team_url, "alice"), desk(team_url, "bob")
    assert alice.store.team
    one, two, three = (add(alice.store, now, title) for title in ("VPN", "Printer", "Toner"))
    actions.start(alice, one, now)
    started = actions.start(bob, two, now + MINUTE)
    assert started.paused is None, "a second technician's start pauses nobody's job"
    assert alice.store.get(one).status == "active"
    assert _active(alice.store).id == one
    assert _active(bob.store).id == two
    switched = actions.start(alice, three, now + 2 * MINUTE)
    assert switched.paused is not None
    assert switched.paused.id == one
    assert bob.store.get(two).status == "active", "alice's switch leaves bob's job alone"
    with pytest.raises(BadRequest, match="bob's"):
        actions.start(alice, two, now + 3 * MINUTE)
    # Each technician's own work log: the day's spans are theirs.
    day = (now - MINUTE, now + 10 * MINUTE)
    assert {span.item_id for span in alice.store.spans_between(*day)} == {one, three}
    assert {span.item_id for span in bob.store.spans_between(*day)} == {two}
    assert {span.technician for span in alice.store.spans()} == {"alice", "bob"}
    actions.done(bob, two, now + 4 * MINUTE)
    assert [item.id for item in bob.store.closed_between(*day)] == [two]
    assert alice.store.closed_between(*day) == []
    for each in (alice, bob):
        each.close()


def test_each_technician_ranks_their_own_queue(team_url: str, now: datetime) -> None:
    from techqueue.views.ranking import read_queue

    alice, bob = desk(team_url, "alice"), desk(team_url, "bob")
    low = add(alice.store, now - 60 * MINUTE, "Toner", severity="low")
    critical = add(alice.store, now, "VPN", severity="critical")
    actions.start(alice, low, now)
    actions.pause(alice, low, now + MINUTE)
    queue = read_queue(alice, now + 2 * MINUTE)
    mine = next(entry for entry in queue.ranked if entry.id == low)
    assert any(reason.factor == "mine" for reason in mine.reasons)
    assert [entry.id for entry in read_queue(bob, now + 2 * MINUTE).ranked] == [critical], (
        "alice's paused job is not in bob's queue"
    )
    for each in (alice, bob):
        each.close()


# --- claims --------------------------------------------------------------------------------


def _claimer(url: str, user: str, start: Any, results: Any, when: datetime) -> None:
    """One technician claiming until nothing is left (a process of the race)."""
    technician = desk(url, user)
    start.wait()
    claimed = []
    moment = when
    while True:
        moment += timedelta(seconds=1)
        got = actions.claim(technician, moment)
        if got is None:
            break
        claimed.append(got.item.id)
    technician.close()
    results.put((user, claimed))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgres", "embedded"])
def test_eight_processes_claim_200_items_each_exactly_once(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, now: datetime
) -> None:
    if backend == "postgres":
        url = request.getfixturevalue("team_url")
    else:  # the same race on a solo store: its write transaction is exclusive
        url = str(tmp_path / "race.db")
    with open_store(url, user="boss") as store:
        for number in range(200):
            add(store, now - timedelta(minutes=number), f"Item {number}")
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=_claimer, args=(url, f"t{n}", start, results, now)) for n in range(8)
    ]
    for worker in workers:
        worker.start()
    start.set()
    claims = dict(results.get(timeout=240) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    every = [item_id for claimed in claims.values() for item_id in claimed]
    assert len(every) == len(set(every)) == 200, "every item claimed exactly once"
    with open_store(url, user="boss") as store:
        items = store.items(("open", "active", "paused"))
        assert len(items) == 200, "none lost"
        holders = {item.id: item.assignee for item in items}
        for user, claimed in claims.items():
            assert all(holders[item_id] == user for item_id in claimed)
        if backend == "postgres":  # each technician has one job in hand
            active = [item for item in items if item.status == "active"]
            assert sorted(item.assignee or "" for item in active) == sorted(
                user for user, claimed in claims.items() if claimed
            )
        claimed_entries = store.db.scalar("SELECT COUNT(*) FROM journal WHERE action = 'claim'")
        assert claimed_entries == 200


# --- the schema on both --------------------------------------------------------------------


def _sqlite_to_postgres(source: Path, url: str) -> None:
    """A SQLite store copied as it is (its schema's DDL through ``for_dialect``, every row)
    into the empty PostgreSQL schema at ``url``: an old team store, to migrate."""
    import psycopg

    old = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    ddl = old.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid"
    ).fetchall()
    order = TABLES  # dependency order: a table only refers to those before it
    with psycopg.connect(url, autocommit=True) as connection, connection.transaction():
        tables = []
        for kind, name, sql in ddl:
            connection.execute(for_dialect(sql, "postgresql"))
            if kind == "table":
                tables.append(name)
        for table in sorted(tables, key=order.index):
            cursor = old.execute(f"SELECT * FROM {table}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                values = [
                    bool(value) if name in BOOLEAN_COLUMNS and value is not None else value
                    for name, value in zip(columns, row, strict=True)
                ]
                marks = ", ".join(["%s"] * len(values))
                quoted = ", ".join(f'"{name}"' for name in columns)
                connection.execute(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", values)
            if table != "meta":
                connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
                )
    old.close()


@pytest.mark.parametrize("version", range(3, SCHEMA_VERSION))
def test_an_old_store_migrates_on_postgresql_too(
    team_url: str, tmp_path: Path, version: int
) -> None:
    copy = tmp_path / "old.db"
    shutil.copyfile(fixture_path(version), copy)
    _sqlite_to_postgres(copy, team_url)
    with open_store(team_url) as store:
        check_fixture_content(store)
        assert store.meta("schema_version") == str(SCHEMA_VERSION)
        assert all(item.assignee is None for item in store.items(("active", "paused")))
        assert "pin" in store.undo(MADE_AT)
        new = add(store, MADE_AT, "After the migration")
        assert new > 6
    with open_store(team_url) as store:  # migrated once: it opens as it is
        assert store.get(new).title == "After the migration"


def test_a_newer_store_is_refused(team_url: str) -> None:
    open_store(team_url).close()
    import psycopg

    with psycopg.connect(team_url, autocommit=True) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE \"key\" = 'schema_version'")
    with pytest.raises(StoreUnusable, match="newer techqueue"):
        open_store(team_url)


# --- moving a solo store in ----------------------------------------------------------------


def test_a_solo_store_moves_into_a_team_store(team_url: str, tmp_path: Path, now: datetime) -> None:
    solo_path = tmp_path / "solo.db"
    with open_store(solo_path) as solo:
        one = add(solo, now - 30 * MINUTE, "Printer", requester="Alice", tags=("printer",))
        two = add(solo, now - 20 * MINUTE, "VPN", severity="critical")
        actions.start(Desk(solo), two, now - 10 * MINUTE)
        actions.note(Desk(solo), one, "toner ordered", now - 5 * MINUTE)
        exported = transfer.export(solo, now)
    with open_store(team_url, user="dana") as team:
        counts = transfer.import_export(team, exported, now)
        assert counts["item"] == 2
        # Imported exactly: the solo job in hand is nobody's until someone takes it.
        assert [team.get(two).assignee, team.get(one).assignee] == [None, None]
        assert {span.technician for span in team.spans()} == {None}
        assert team.active() is None
        actions.assign(Desk(team), two, "dana", now)
        assert team.get(two).status == "paused"  # the solo timer stopped: dana starts anew
        actions.start(Desk(team), two, now + MINUTE)
        assert _active(team).id == two
        new = add(team, now, "After the move")
        assert new == 3, "ids kept, and new ones after them"
        again = transfer.export(team, now)
    assert [row["title"] for row in again["item"]] == ["Printer", "VPN", "After the move"]
    assert again["note"][0]["text"] == "toner ordered"


# --- the command line on a team store ------------------------------------------------------


def run(url: str, *argv: str, user: str = "alice") -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, "TECHQUEUE_DB": url, "TECHQUEUE_USER": user}
    return subprocess.run(
        [sys.executable, "-m", "techqueue", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


@pytest.mark.slow
def test_the_command_line_on_a_team_store(team_url: str) -> None:
    for title in ("VPN down !critical", "Printer jammed !high", "Toner low !low"):
        assert run(team_url, "add", title).returncode == 0
    assert run(team_url, "next", "--claim").stdout == "claimed #1 VPN down\n"
    assert run(team_url, "next", "--claim", user="bob").stdout == "claimed #2 Printer jammed\n"
    refused = run(team_url, "start", "1", user="bob")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert "alice's" in refused.stderr
    listed = run(team_url, "--as", "bob", "list", "--mine", "--json")
    assert [(item["id"], item["assignee"]) for item in __import__("json").loads(listed.stdout)] == [
        (2, "bob")
    ]
    assert "with alice" in run(team_url, "list", "--by", "alice").stdout
    assert run(team_url, "show", "1", "--json").returncode == 0
    exported = run(team_url, "export")
    assert exported.returncode == 0
    assert '"assignee": "alice"' in exported.stdout


def test_a_password_is_never_printed() -> None:
    url = "postgresql://tech:s3cret-word@127.0.0.1:1/nowhere"
    result = run(url, "list")
    assert result.returncode == 1
    assert "s3cret" not in result.stderr + result.stdout
    assert result.stderr.count("\n") == 1
    assert "***" in result.stderr
    for argv in (("restore", "backup.json"), ("doctor",), ("backup", "b.json")):
        said = run(url, *argv)
        assert "s3cret" not in said.stderr + said.stdout, argv
    shown = run(url, "config")
    assert "s3cret" not in shown.stdout
    assert "tech:***@" in shown.stdout


# --- a server lost in the middle of a command ------------------------------------------------


@pytest.mark.slow
def test_a_server_restart_mid_command_saves_nothing_and_says_so(
    own_cluster: Cluster, now: datetime
) -> None:
    url = own_cluster.new_schema()
    store = open_store(url, user="alice")
    first = add(store, now, "Before")
    with pytest.raises(StoreFailed) as failed:
        _half_written(store, own_cluster, now)
    message = str(failed.value)
    assert "nothing was saved" in message
    assert "\n" not in message
    assert "could not be reached" in message
    # The same connection, the server back: the next command's reads reconnect by themselves.
    assert [item.title for item in store.items()] == ["Before"]
    assert store.get(first).title == "Before"
    assert store.db.scalar("SELECT COUNT(*) FROM journal") == 1
    after = add(store, now, "After")  # and writes go on
    assert [item.title for item in store.items()] == ["Before", "After"]
    assert store.get(after).title == "After"
    store.close()
    own_cluster.stop()
    try:
        down = run(url, "list")
        assert down.returncode == 1
        assert down.stderr.count("\n") == 1
        assert "Traceback" not in down.stderr
    finally:
        own_cluster.start()


def _half_written(store: Store, cluster: Cluster, now: datetime) -> None:
    """An action that writes, then loses its server before it commits."""
    with store.action("add", "add 'Half'", now) as tx:
        tx.insert("item", {**_item_values(now), "title": "Half"})
        cluster.restart()


def _item_values(now: datetime) -> dict[str, Any]:
    return {
        "title": "x",
        "channel": "other",
        "severity": "normal",
        "impact": 1,
        "status": "open",
        "vip": False,
        "pinned": False,
        "bump": 0.0,
        "tags": "[]",
        "received_at": now,
        "created_at": now,
        "waited_minutes": 0.0,
    }
