"""Writers at once: what is refused one after another is refused at the same moment too.

A check that reads the store ("is this ref known?", "is the store empty?", "which rows were
imported before?") must be made in the write transaction that acts on its answer, else two
processes both see "no" and both write. Each test holds the store's write lock while its
processes start, and lets go only when every one of them stands at the door of its own
write transaction (each says so by a marker file): without the fix, every check has been
made by then, all seeing the store as it was, and the duplicates are certain, not a matter
of timing.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from .support import MONDAY_9, PROCESS_TIMEOUT, Ran, techqueue

#: A command line whose every write transaction first touches a file named after it
#: (``argv[1]``), so the test knows the process has got that far.
MARKED = """
import sys
from pathlib import Path
from techqueue.db.backends import EmbeddedDatabase

marker = Path(sys.argv[1])
original = EmbeddedDatabase.transaction

def marked(self):
    marker.touch()
    return original(self)

EmbeddedDatabase.transaction = marked
from techqueue.cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def _env(db: Path) -> dict[str, str]:
    return {"TECHQUEUE_DB": str(db), "TECHQUEUE_NOW": MONDAY_9}


def at_once(db: Path, runs: Sequence[Sequence[str]]) -> list[Ran]:
    """Run each command line in a process of its own, all held at the store's write lock
    until every one has reached its first write transaction; then let them go."""
    markers = [db.parent / f"at-door-{n}" for n in range(len(runs))]
    env = {**os.environ, **_env(db)}
    lock = sqlite3.connect(db, timeout=PROCESS_TIMEOUT, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MARKED, str(marker), *argv],
            env=env,
            cwd=db.parent,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for marker, argv in zip(markers, runs, strict=True)
    ]
    try:
        waiting = set(markers)
        while waiting:  # a condition polled, not a time assumed
            waiting = {marker for marker in waiting if not marker.exists()}
            early = [p.returncode for p in processes if p.poll() is not None]
            assert not early, f"a process ended before reaching the store: {early}"
            time.sleep(0.02)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=PROCESS_TIMEOUT)
        results.append(Ran(process.returncode, out, err))
    return results


def refs(db: Path) -> list[str | None]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return [ref for (ref,) in connection.execute("SELECT ref FROM item ORDER BY id")]


def prepared(tmp_path: Path) -> Path:
    """A store made, and the day's upkeep done, by the command line itself."""
    db = tmp_path / "store.db"
    made = techqueue("list", env=_env(db))
    assert made.code == 0, made
    return db


@pytest.mark.timeout(240)
def test_the_same_ref_added_at_once_is_one_item(tmp_path: Path) -> None:
    db = prepared(tmp_path)
    results = at_once(db, [["add", f"same ref {n}", "--ref", "TICKET-1"] for n in range(8)])
    assert refs(db) == ["TICKET-1"]
    assert sorted(ran.code for ran in results) == [0] + [2] * 7, results
    for ran in results:
        if ran.code == 2:
            assert ran.err_lines == [
                "techqueue: ref TICKET-1 is already item 1 "
                "(add --merge to add this to it as a note)"
            ], ran


@pytest.mark.timeout(240)
def test_an_edit_to_a_ref_taken_at_once_is_refused(tmp_path: Path) -> None:
    db = prepared(tmp_path)
    for n in range(3):
        assert techqueue("add", f"item {n}", env=_env(db)).code == 0
    results = at_once(db, [["edit", str(n), "--ref", "TICKET-9"] for n in (1, 2, 3)])
    assert sorted(map(str, refs(db))) == ["None", "None", "TICKET-9"]
    assert sorted(ran.code for ran in results) == [0, 2, 2], results


@pytest.mark.timeout(240)
def test_one_csv_imported_at_once_adds_each_row_once(tmp_path: Path) -> None:
    db = prepared(tmp_path)
    rows = tmp_path / "t.csv"
    with rows.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Ticket ID", "Subject"])
        writer.writerows([f"T-{n}", f"Row {n}"] for n in range(60))
    results = at_once(db, [["import-csv", str(rows)] for _ in range(4)])
    assert [ran.code for ran in results] == [0] * 4, results
    assert sorted(refs(db), key=str) == sorted(f"T-{n}" for n in range(60))
    summaries = sorted(ran.out.strip() for ran in results)
    assert summaries == [
        "import-csv: 0 added, 0 updated, 60 skipped, 0 refused",
    ] * 3 + ["import-csv: 60 added, 0 updated, 0 skipped, 0 refused"]


@pytest.mark.timeout(240)
def test_an_export_imported_at_once_into_an_empty_store_is_imported_once(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source.db"
    for n in range(5):
        assert techqueue("add", f"item {n}", "--from", f"Person {n}", env=_env(source)).code == 0
    exported = techqueue("export", env=_env(source))
    assert exported.code == 0, exported
    (tmp_path / "e.json").write_text(exported.out, encoding="utf-8")
    db = prepared(tmp_path)
    results = at_once(db, [["import", str(tmp_path / "e.json")] for _ in range(4)])
    assert sorted(ran.code for ran in results) == [0, 2, 2, 2], results
    for ran in results:
        if ran.code == 2:
            assert ran.err_lines == [
                "techqueue: the store is not empty: use --merge to add to it (with new ids)"
            ], ran
    assert len(refs(db)) == 5
    assert json.loads(techqueue("list", "--json", env=_env(db)).out)[0]["requester"]
