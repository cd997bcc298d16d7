"""Backups: one a day beside the store, made through SQLite's online backup API, the newest
seven kept, owner-only; ``backup [FILE]`` at any time; ``restore FILE`` checks the backup,
keeps the store as it was and refuses a damaged or foreign file; team mode backs up as a
portable export."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from cli.support import environment, invoke
from techqueue import transfer
from techqueue.store import open_store
from techqueue.upkeep.backups import listed
from techqueue.upkeep.daily import daily

from .support import (
    MONDAY_9,
    Ran,
    add,
    dump,
    fingerprint,
    foreign_database,
    integrity,
    items_in,
    local,
    newer_store,
    one_line,
    seed,
    siblings,
    techqueue,
    truncated_store,
)

FIXTURES = Path(__file__).parent.parent / "store" / "fixtures"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def on(day: int, hour: str = "09:00") -> str:
    """``TECHQUEUE_NOW`` for March ``day``, 2026."""
    return f"2026-03-{day:02d}T{hour}"


def run(*argv: str, now: str = MONDAY_9, stdin: str = "") -> tuple[int, str, str]:
    with environment(TECHQUEUE_NOW=now):
        result = invoke(list(argv), stdin)
    return result.code, result.out, result.err


@pytest.fixture
def db(isolated_environment: Path) -> Path:
    return isolated_environment / "techqueue.db"


# --- the daily backup --------------------------------------------------------------------------


def test_the_first_open_of_a_day_backs_the_store_up_as_the_day_began(db: Path) -> None:
    assert run("add", "Printer jammed", now=on(2))[0] == 0
    assert not (db.parent / "backups").exists(), "an empty store is not backed up"
    assert run("list", now=on(3))[0] == 0
    backup = db.parent / "backups" / "techqueue-2026-03-03.db"
    assert backup.is_file()
    assert mode(backup) == 0o600
    assert mode(backup.parent) == 0o700
    assert items_in(backup) == ["Printer jammed"]
    assert integrity(backup) == "ok"
    assert siblings(backup) == {backup.name}, "one self-contained file, no -wal or -journal"
    with sqlite3.connect(backup) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()
    before = backup.stat().st_mtime_ns
    assert run("add", "VPN down", now=on(3, "10:00"))[0] == 0
    assert backup.stat().st_mtime_ns == before, "once a day"
    assert items_in(backup) == ["Printer jammed"], "the store as the day began"


def test_the_newest_seven_daily_backups_are_kept(db: Path) -> None:
    for day in range(2, 14):
        assert run("add", f"day {day}", now=on(day))[0] == 0
    kept = [backup.day.day for backup in listed(db)]
    assert kept == [13, 12, 11, 10, 9, 8, 7]
    assert [backup.kind for backup in listed(db)] == ["daily"] * 7


def test_backups_kept_is_a_setting(db: Path, isolated_environment: Path) -> None:
    (isolated_environment / "config.toml").write_text("[data]\nbackups = 2\n")
    for day in range(2, 7):
        assert run("add", f"day {day}", now=on(day))[0] == 0
    assert [backup.day.day for backup in listed(db)] == [6, 5]


def test_a_backup_that_cannot_be_written_never_fails_the_command(db: Path) -> None:
    seed(db)
    (db.parent / "backups").write_text("not a directory")  # in the way
    code, out, err = run("add", "still saved", now=on(3))
    assert code == 0
    assert out.strip().isdigit()
    assert err.startswith("techqueue: note: today's backup was not made:"), err
    assert len(err.splitlines()) == 1
    assert run("add", "again", now=on(3))[2] == "", "said once a day"
    assert items_in(db)[-2:] == ["still saved", "again"]


def test_the_daily_backup_is_consistent_while_another_process_writes(db: Path) -> None:
    seed(db, 50)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        with open_store(db) as other:
            while not stop.is_set():
                written.append(len(seed(db, 1)))
                other.items()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        with open_store(db) as store:
            for n in range(10):
                target = db.parent / f"copy-{n}.db"
                store.copy_to(target)
                copies.append(target)
    finally:
        stop.set()
        thread.join(timeout=30)
    counts = [len(items_in(copy)) for copy in copies]
    assert all(integrity(copy) == "ok" for copy in copies)
    assert counts == sorted(counts)
    assert counts[0] >= 50
    assert counts[-1] <= 50 + len(written)


def test_the_daily_upkeep_is_the_apps_too(db: Path) -> None:
    """The app asks every minute (it stays open past midnight): the same function."""
    from techqueue.core.settings import Settings

    seed(db)
    with open_store(db) as store:
        first = daily(store, Settings(), local(on(3)))
        assert first is not None
        assert first.backup is not None
        assert daily(store, Settings(), local(on(3, "23:59"))) is None
        assert daily(store, Settings(), local(on(4, "00:01"))) is not None


# --- backup [FILE] -----------------------------------------------------------------------------


def test_backup_writes_todays_backup_now(db: Path) -> None:
    seed(db)
    code, out, _ = run("backup")
    assert code == 0
    written = Path(out.strip().removeprefix("backed up to "))
    assert written == db.parent / "backups" / "techqueue-2026-03-02.db"
    assert items_in(written) == items_in(db)


def test_backup_to_a_file_or_a_directory(db: Path, tmp_path: Path) -> None:
    seed(db)
    target = tmp_path / "usb" / "mine.db"
    target.parent.mkdir()
    assert run("backup", str(target))[0] == 0
    assert mode(target) == 0o600
    assert items_in(target) == items_in(db)
    assert run("backup", str(target))[0] == 0, "a backup may replace an older backup"
    assert run("backup", str(target.parent))[0] == 0
    assert (target.parent / "techqueue-2026-03-02.db").is_file()


@pytest.mark.parametrize("target", ["the store", "a text file", "-"])
def test_backup_refuses_to_overwrite_what_is_not_a_backup(
    db: Path, tmp_path: Path, target: str
) -> None:
    seed(db)
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n")
    path = {"the store": str(db), "a text file": str(text), "-": "-"}[target]
    before = fingerprint(text)
    store_before = dump(db)
    code, _, err = run("backup", path)
    assert code == 2, err
    assert len(err.splitlines()) == 1
    assert fingerprint(text) == before
    assert dump(db) == store_before


def test_backup_says_one_line_when_the_file_cannot_be_written(db: Path, tmp_path: Path) -> None:
    seed(db)
    code, _, err = run("backup", str(tmp_path / "missing" / "x.db"))
    assert code == 1
    assert err.startswith("techqueue: cannot write")
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "missing").exists()


# --- restore FILE ------------------------------------------------------------------------------


def test_restore_puts_a_backup_back_and_keeps_the_store_as_it_was(db: Path) -> None:
    seed(db, 2)
    code, out, _ = run("backup")
    backup = Path(out.strip().removeprefix("backed up to "))
    run("add", "after the backup", now=on(2, "10:00"))
    before_restore = dump(db)
    code, out, err = run("restore", str(backup), now=on(2, "11:00"))
    assert code == 0, err
    assert items_in(db) == ["item 0", "item 1"]
    kept = Path(out.split("kept as ")[1].strip())
    assert kept.parent == db.parent / "backups"
    assert mode(kept) == 0o600
    assert dump(kept) == before_restore
    assert integrity(db) == "ok"
    # and the restore is undone by restoring what it kept
    assert run("restore", str(kept), now=on(2, "11:05"))[0] == 0
    assert items_in(db) == ["item 0", "item 1", "after the backup"]


def test_an_open_store_sees_the_restored_content(db: Path) -> None:
    """The app keeps the store open: a restore loads into the same file, which it reads."""
    seed(db, 1)
    run("backup", str(db.parent / "one.db"))
    seed(db, 3)
    with open_store(db) as app:
        seen = app.last_journal_id()
        assert len(app.items()) == 4
        assert run("restore", str(db.parent / "one.db"))[0] == 0
        assert app.file_problem() is None
        assert len(app.items()) == 1
        assert app.touched_since(seen)[1] is None, "everything may differ: read it all again"


def test_restore_brings_an_older_backup_up_to_this_version(db: Path, tmp_path: Path) -> None:
    old = tmp_path / "store-v1.db"
    shutil.copyfile(FIXTURES / "store-v1.db", old)
    before = fingerprint(old)
    seed(db)
    assert run("restore", str(old))[0] == 0
    assert fingerprint(old) == before
    with open_store(db) as store:
        assert store.row_count("item") > 0
    assert run("list", "--json")[0] == 0


def test_restore_into_a_missing_store(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "elsewhere.db"
    seed(source, 2)
    assert not db.exists()
    code, out, _ = run("restore", str(source))
    assert code == 0
    assert "kept" not in out
    assert items_in(db) == ["item 0", "item 1"]
    assert mode(db) == 0o600


def test_restore_over_a_damaged_store_keeps_its_bytes(db: Path, tmp_path: Path) -> None:
    source = tmp_path / "good.db"
    seed(source, 2)
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(9000))
    damaged = db.read_bytes()
    code, out, err = run("restore", str(source))
    assert code == 0, err
    kept = Path(out.split("kept as ")[1].strip())
    assert kept.read_bytes() == damaged
    assert items_in(db) == ["item 0", "item 1"]


def _damaged(path: Path) -> None:
    seed(path, 150)
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 2000] = os.urandom(2000)  # a page in the middle
    path.write_bytes(bytes(data))


def _export(path: Path) -> None:
    seed(path.with_suffix(".src"), 1)
    with open_store(path.with_suffix(".src")) as store:
        path.write_text(transfer.export_text(store, local(MONDAY_9)))


REFUSED = {
    "damaged": (_damaged, "damaged"),
    "another app's database": (foreign_database, "not a techqueue store"),
    "from a newer techqueue": (newer_store, "newer techqueue"),
    "an export, not a backup": (_export, "techqueue import"),
    "truncated": (truncated_store, ""),
    "random bytes": (lambda path: path.write_bytes(os.urandom(5000)), "not an SQLite"),
    # one file of random bytes in 256 begins with a brace: it is still no export
    "bytes after a brace": (
        lambda path: path.write_bytes(b"{" + bytes(range(128, 256)) * 40),
        "not an SQLite",
    ),
    "missing": (lambda path: None, "cannot read"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_restore_refuses_a_file_it_cannot_trust_and_changes_nothing(
    db: Path, tmp_path: Path, kind: str
) -> None:
    make, said = REFUSED[kind]
    source = tmp_path / "offered.db"
    make(source)
    before = fingerprint(source) if source.exists() else None
    seed(db, 2)
    store_before = dump(db)
    code, _, err = run("restore", str(source))
    assert code == 1, err
    assert len(err.splitlines()) == 1, err
    assert said in err, err
    assert (fingerprint(source) if source.exists() else None) == before
    assert dump(db) == store_before
    assert not (db.parent / "backups").exists() or not any(
        "before-restore" in p.name for p in (db.parent / "backups").iterdir()
    )


def test_restore_refuses_the_store_itself(db: Path) -> None:
    seed(db)
    code, _, err = run("restore", str(db))
    assert code == 2
    assert "the store itself" in err


def test_backup_and_restore_through_the_real_command_line(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    env = {"TECHQUEUE_DB": str(db), "TECHQUEUE_NOW": MONDAY_9}
    assert techqueue("add", "Printer jammed", env=env).code == 0
    backup = tmp_path / "kept.db"
    ran = techqueue("backup", str(backup), env=env)
    assert ran.code == 0
    assert ran.err == ""
    assert techqueue("add", "VPN down", env=env).code == 0
    ran = techqueue("restore", str(backup), env=env)
    assert ran.code == 0, ran
    assert items_in(db) == ["Printer jammed"]
    one_line(techqueue("restore", str(tmp_path / "nothing.db"), env=env), 1)


# --- team mode -----------------------------------------------------------------------------


def test_team_mode_backup_is_a_portable_export(tmp_path: Path) -> None:
    """A store reached by URL stands for a team's server; this runs without one."""
    url = f"sqlite:///{tmp_path / 'team.db'}"
    with open_store(url) as store:
        add(store, "Server room hot", local(MONDAY_9), requester="Dana")
    target = tmp_path / "team-backup.json"
    code, out, err = run("--db", url, "backup", str(target))
    assert code == 0, err
    assert mode(target) == 0o600
    data = json.loads(target.read_text())
    assert data["format"] == "techqueue-export"
    assert [item["title"] for item in data["item"]] == ["Server room hot"]
    # it loads into an empty store, as any export does
    assert run("import", str(target))[0] == 0
    code, out, _ = run("--db", url, "backup")
    assert code == 0
    assert Path(out.strip().removeprefix("backed up to ")).suffix == ".json"
    code, _, err = run("--db", url, "restore", str(target))
    assert code == 1
    assert "techqueue import" in err


def test_team_mode_backup_against_postgresql() -> None:
    """On a server: ``TECHQUEUE_TEST_POSTGRESQL``, else the team tests' throw-away one."""
    url = os.environ.get("TECHQUEUE_TEST_POSTGRESQL")
    if not url:
        from team.server import Unavailable, shared

        try:
            url = shared().new_schema()
        except Unavailable as error:
            print(f"skipped: {error}")
            pytest.skip(str(error))
    assert run("--db", url, "add", "Server room hot")[0] == 0
    code, out, err = run("--db", url, "backup")
    assert code == 0, err
    data = json.loads(Path(out.strip().removeprefix("backed up to ")).read_text())
    assert [item["title"] for item in data["item"]] == ["Server room hot"]


def test_the_journal_is_trimmed_by_age_in_the_days_upkeep(
    db: Path, isolated_environment: Path
) -> None:
    (isolated_environment / "config.toml").write_text("[data]\njournal_days = 5\n")
    start = local(MONDAY_9)
    with open_store(db) as store:
        for n in range(150):
            add(store, f"item {n}", start + timedelta(hours=n))
    assert run("list", now=on(12))[0] == 0
    with open_store(db) as store:
        entries = store.db.scalar("SELECT COUNT(*) FROM journal")
    assert entries == 100, "the newest 100 kept, older than 5 days gone"


# --- a store damaged but still opening ---------------------------------------------------------


def _quietly_damaged(path: Path) -> None:
    """Noise over one index page the queue never reads: every command still works, but the
    file is damaged (SQLite's quick check says so) and so is any copy of it."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_work_span_started_at'"
        ).fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    data[(page - 1) * 4096 : page * 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))


def test_a_damaged_store_never_replaces_nor_prunes_the_good_backups(db: Path) -> None:
    for day in range(2, 10):
        assert run("add", f"day {day}", now=on(day))[0] == 0
    good = {backup.path: backup.path.read_bytes() for backup in listed(db)}
    assert len(good) == 7
    _quietly_damaged(db)
    for day in (9, 10, 11, 12, 13, 14, 15, 16, 17):
        code, out, err = run("list", now=on(day, "11:00" if day == 9 else "09:00"))
        assert code == 0, err
        if day == 9:
            continue  # today's backup was made before the damage
        [said] = err.splitlines()
        assert said.startswith("techqueue: note: today's backup was not made: "), said
        assert "the store is damaged (SQLite's quick check: " in said, said
        assert said.endswith("see techqueue doctor"), said
    assert {backup.path: backup.path.read_bytes() for backup in listed(db)} == good
    assert all(integrity(path) == "ok" for path in good)
    assert siblings(next(iter(good))) == {path.name for path in good}, "nothing left behind"
    code, out, err = run("backup", str(db.parent / "asked.db"), now=on(17, "10:00"))
    assert code == 1
    assert "the store is damaged" in one_line(Ran(code, out, err), 1)
    assert not (db.parent / "asked.db").exists()
    code, out, _ = run("doctor", now=on(17, "10:00"))
    store_line = next(text for text in out.splitlines() if text.startswith("FIX  store:"))
    assert "damaged" in store_line
    assert store_line.endswith(
        f"-> techqueue restore '{db.parent / 'backups' / 'techqueue-2026-03-09.db'}' "
        "(the newest backup; the damaged store is kept beside it)"
    ), store_line


def test_a_damaged_backup_neither_counts_nor_is_offered(db: Path, tmp_path: Path) -> None:
    for day in range(2, 10):
        assert run("add", f"day {day}", now=on(day))[0] == 0
    broken = tmp_path / "broken.db"
    seed(broken, 3)
    _quietly_damaged(broken)
    newest = db.parent / "backups" / "techqueue-2026-03-10.db"
    shutil.copyfile(broken, newest)  # as an older techqueue would have kept it
    assert run("list", now=on(11))[0] == 0
    days = [backup.day.day for backup in listed(db)]
    assert days == [11, 10, 9, 8, 7, 6, 5, 4], "seven sound ones, the damaged one aside"
    _quietly_damaged(db)  # now the store itself
    code, out, _ = run("doctor", now=on(11, "10:00"))
    assert code == 1
    assert f"techqueue restore '{listed(db)[0].path}'" in out
    newest_good = listed(db)[0].path
    newest_good.unlink()
    _, out, _ = run("doctor", now=on(11, "10:00"))
    assert f"techqueue restore '{newest.parent / 'techqueue-2026-03-09.db'}'" in out, out


@pytest.mark.parametrize("command", ["backup", "restore"])
@pytest.mark.parametrize(
    "name",
    ["n" * 300 + ".db", "n" * 300 + "/x.db", "d/" * 2100 + "x.db"],
    ids=["a long name", "a long directory", "a long path"],
)
def test_a_file_name_too_long_is_bad_input_in_one_line(db: Path, command: str, name: str) -> None:
    seed(db)
    before = dump(db)
    said = one_line(Ran(*run(command, str(db.parent / name))), 2)
    assert said == (
        f"techqueue: {command}: the file name is too long "
        "(at most 255 bytes a name, 4,096 the whole path)"
    )
    assert dump(db) == before
