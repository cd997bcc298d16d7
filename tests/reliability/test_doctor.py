"""``techqueue doctor``: one line per check (store, schema, permissions, journal, backups,
clock, config, disk), exit 1 when one needs action, with what to do; it changes nothing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cli.support import environment, invoke
from techqueue.core.health import Facts, FileMode, check_all, line

from .support import MONDAY_9, fingerprint, newer_store, seed

CHECKS = ["store", "schema", "permissions", "journal", "backups", "clock", "config", "disk"]


def doctor(*extra: str, now: str | None = None) -> tuple[int, list[str]]:
    """``techqueue doctor`` on the clock (TECHQUEUE_NOW unset unless ``now``)."""
    with environment(TECHQUEUE_NOW=now):
        result = invoke(["doctor", *extra])
    assert "Traceback" not in result.err + result.out
    return result.code, result.out.splitlines()


def by_name(lines: list[str]) -> dict[str, str]:
    return {text.split(":", 1)[0].split()[-1]: text for text in lines}


@pytest.fixture
def db(isolated_environment: Path) -> Path:
    """The test's store (its directory made owner-only, as techqueue makes its own)."""
    isolated_environment.chmod(0o700)
    return isolated_environment / "techqueue.db"


def healthy(db: Path) -> None:
    seed(db, 3, now=datetime.now().isoformat(timespec="minutes"))
    with environment(TECHQUEUE_NOW=None):
        assert invoke(["backup"]).code == 0


def test_a_healthy_store_is_all_ok_and_exits_0(db: Path) -> None:
    healthy(db)
    code, lines = doctor()
    assert code == 0, lines
    assert list(by_name(lines)) == CHECKS
    assert all(text.startswith("ok ") for text in lines), lines
    assert "3 items, integrity ok" in by_name(lines)["store"]


def test_json_says_the_same(db: Path) -> None:
    healthy(db)
    with environment(TECHQUEUE_NOW=None):
        result = invoke(["doctor", "--json"])
    assert result.code == 0
    data = result.json
    assert data["ok"] is True
    assert [check["check"] for check in data["checks"]] == CHECKS
    assert all(set(check) == {"check", "ok", "said", "fix"} for check in data["checks"])


def test_a_missing_store_is_fine_and_is_not_created(db: Path) -> None:
    code, lines = doctor()
    assert code == 0, lines
    assert "not created yet" in by_name(lines)["store"]
    assert not db.exists()
    assert not (db.parent / "backups").exists()


def _loose_modes(db: Path) -> None:
    db.chmod(0o644)
    db.parent.chmod(0o755)


def _no_backups(db: Path) -> None:
    for backup in (db.parent / "backups").iterdir():
        backup.unlink()


def _damaged(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[4096:8192] = os.urandom(4096)
    db.write_bytes(bytes(data))
    for companion in ("-wal", "-shm"):
        Path(f"{db}{companion}").unlink(missing_ok=True)


def _bad_config(db: Path) -> None:
    (db.parent / "config.toml").write_text("[scoring]\nvip_weight = 'lots'\n")


def _clock_behind(db: Path) -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).replace(tzinfo=None)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE journal SET at = ?", (later.isoformat(sep=" "),))
    connection.close()


def _old_backups(db: Path) -> None:
    folder = db.parent / "backups"
    for backup in folder.iterdir():
        backup.rename(folder / "techqueue-2020-01-01.db")


PROBLEMS: dict[str, tuple[Any, str, str]] = {
    "files others can read": (_loose_modes, "permissions", "chmod 700"),
    "no backups": (_no_backups, "backups", "techqueue backup"),
    "backups years old": (_old_backups, "backups", "techqueue backup"),
    "a damaged store": (_damaged, "store", "techqueue restore"),
    "a store from a newer techqueue": (newer_store, "store", "upgrade techqueue"),
    "a bad config file": (_bad_config, "config", "docs/config.md"),
    "a clock behind the store": (_clock_behind, "clock", "system clock"),
}


@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_a_problem_is_one_fix_line_and_exit_1(db: Path, problem: str) -> None:
    make, check, fix = PROBLEMS[problem]
    healthy(db)
    make(db)
    files = {path: fingerprint(path) for path in db.parent.rglob("*") if path.is_file()}
    modes = {path: path.stat().st_mode for path in db.parent.rglob("*")}
    code, lines = doctor()
    assert code == 1, lines
    assert len(lines) == len(CHECKS)
    said = by_name(lines)[check]
    assert said.startswith("FIX "), lines
    assert f"-> {fix}" in said or fix in said.split("->", 1)[1], said
    # and nothing was changed, created or backed up
    assert {path: fingerprint(path) for path in db.parent.rglob("*") if path.is_file()} == files
    assert {path: path.stat().st_mode for path in db.parent.rglob("*")} == modes


def test_a_fixed_clock_is_said(db: Path) -> None:
    healthy(db)
    code, lines = doctor(now=MONDAY_9)
    assert code == 1
    assert "unset TECHQUEUE_NOW" in by_name(lines)["clock"]


def test_a_store_in_a_shared_directory_is_said(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    store = shared / "t.db"
    seed(store)
    with environment(TECHQUEUE_NOW=None):
        result = invoke(["--db", str(store), "doctor"])
    assert result.code == 1
    assert "a directory others use" in by_name(result.out.splitlines())["permissions"]


def test_team_mode_hides_the_password_and_touches_no_server() -> None:
    url = "postgresql://tech:s3cret@db.invalid:5432/queue"
    with environment(TECHQUEUE_NOW=None):
        result = invoke(["--db", url, "doctor"])
    assert result.code == 0, result
    assert "s3cret" not in result.out
    assert "postgresql://tech:***@db.invalid:5432/queue" in result.out


# --- the judgement alone (pure) -------------------------------------------------------------


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def facts(**changes: Any) -> Facts:
    base: dict[str, Any] = {
        "now": NOW,
        "store": "/home/t/.local/share/techqueue/techqueue.db",
        "exists": True,
        "version": 2,
        "current_version": 2,
        "integrity": "ok",
        "items": 5,
        "journal_entries": 10,
        "journal_oldest": NOW - timedelta(days=3),
        "journal_newest": NOW - timedelta(hours=1),
        "directory": "/home/t/.local/share/techqueue",
        "user": 1000,
        "files": [FileMode("/home/t/.local/share/techqueue", 0o40700, True, 1000)],
        "backups_directory": "/home/t/.local/share/techqueue/backups",
        "backups": [date(2026, 3, 2)],
        "zone": "Europe/Paris",
        "config": "/home/t/.config/techqueue/config.toml",
        "free_bytes": 10**10,
        "store_bytes": 10**6,
    }
    return Facts(**(base | changes))


def verdicts(**changes: Any) -> dict[str, bool]:
    return {check.name: check.fine for check in check_all(facts(**changes))}


def test_the_judgement_of_each_fact() -> None:
    assert all(verdicts().values())
    assert not verdicts(wal_bytes=100 * 2**20)["journal"]
    assert not verdicts(free_bytes=10 * 2**20)["disk"]
    assert not verdicts(files=[FileMode("/x/config.toml", 0o100666, False, 1000)])["permissions"]
    assert verdicts(files=[FileMode("/x/config.toml", 0o100644, False, 1000)])["permissions"]
    assert not verdicts(files=[FileMode("/x/t.db", 0o100600, False, 0)])["permissions"]
    assert verdicts(version=1)["schema"], "an older store is brought up when next opened"
    assert not verdicts(version=3)["schema"]
    stale = NOW - timedelta(days=200)
    assert not verdicts(journal_oldest=stale, journal_entries=5000)["journal"]
    assert verdicts(journal_oldest=stale, journal_entries=50)["journal"], "the newest are kept"
    week_old = [date(2026, 2, 20)]
    assert not verdicts(backups=week_old)["backups"]
    unchanged = NOW - timedelta(days=12)
    assert verdicts(backups=week_old, journal_newest=unchanged)["backups"], "nothing changed"
    assert verdicts(items=0, backups=[])["backups"]
    for check in check_all(facts(problem="x: the store is damaged", integrity=None)):
        assert (check.fix is None) == check.fine
        assert "\n" not in line(check)


def test_a_line_is_cleaned_of_control_characters() -> None:
    shown = [line(check) for check in check_all(facts(store="/tmp/\x1b]2;pwned\x07/t.db"))]
    assert not any("\x1b" in each or "\x07" in each for each in shown)


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """``path`` (a file or a directory) made read-only for this user: by its mode, or as
    root (who writes whatever the mode says) immutable; skipped when neither can be done."""
    if os.geteuid() != 0:
        before = path.stat().st_mode
        path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield
        finally:
            path.chmod(before)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr to make a file read-only for root")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"chattr +i does not work here: {made.stderr.decode(errors='replace')}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _refused_and_said(path: Path) -> str:
    """With ``path`` made unwritable: a capture refused, and the line doctor says of the
    store (a FIX: its status 1)."""
    with unwritable(path):
        with environment(TECHQUEUE_NOW=None):
            refused = invoke(["add", "Printer"])
        assert refused.code == 1
        code, lines = doctor()
    assert code == 1
    return by_name(lines)["store"]


@pytest.mark.parametrize("what", ["file", "directory"])
def test_a_store_no_command_could_write_is_said(db: Path, what: str) -> None:
    healthy(db)
    for suffix in ("-wal", "-shm"):  # as after the last command: the log checkpointed away
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    said = _refused_and_said(db if what == "file" else db.parent)
    assert said.startswith(f"FIX  store: {db}: "), said
    fix = f"chmod u+rw '{db}'" if what == "file" else f"chmod u+rwx '{db.parent}'"
    assert "read-only for you" in said, said
    assert f"-> {fix} (or run techqueue as" in said, said


def test_a_store_that_cannot_be_created_is_said(tmp_path: Path) -> None:
    """No store yet, in a directory the first capture could not write: doctor says so
    rather than "not created yet (the first capture does)"."""
    folder = tmp_path / "locked"
    folder.mkdir()
    db = folder / "new" / "techqueue.db"
    with environment(TECHQUEUE_DB=str(db)):
        said = _refused_and_said(folder)
    assert said.startswith(f"FIX  store: {db}: not created yet, and the first capture"), said
    assert f"-> chmod u+rwx '{folder}' (or run techqueue as its owner)" in said, said
