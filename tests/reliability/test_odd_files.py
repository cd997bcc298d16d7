"""The store where it should not be, beside other processes, or interrupted: a named pipe or
a device as the store is refused in one line (nothing hangs, nothing is created), twelve
processes opening one old store at once all land their adds, and a backup interrupted by
Ctrl+C leaves no copy behind. Through the real command line, in processes of their own."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .support import MONDAY_9, PROCESS_TIMEOUT, one_line, seed, techqueue

FIXTURES = Path(__file__).parent.parent / "store" / "fixtures"


def env_for(db: Path | str) -> dict[str, str]:
    return {"TECHQUEUE_DB": str(db), "TECHQUEUE_NOW": MONDAY_9}


# --- not a regular file -----------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["add", "Printer jammed"], ["list", "--json"], ["backup"]])
def test_a_named_pipe_as_the_store_is_one_line_and_hangs_nothing(
    tmp_path: Path, argv: list[str]
) -> None:
    pipe = tmp_path / "store" / "pipe.db"
    pipe.parent.mkdir()
    os.mkfifo(pipe, 0o600)
    line = one_line(techqueue(*argv, env=env_for(pipe)), 1)
    assert "not a regular file" in line
    assert sorted(entry.name for entry in pipe.parent.iterdir()) == ["pipe.db"]


def test_doctor_says_a_named_pipe_is_not_a_store(tmp_path: Path) -> None:
    pipe = tmp_path / "store" / "pipe.db"
    pipe.parent.mkdir()
    os.mkfifo(pipe, 0o600)
    ran = techqueue("doctor", env=env_for(pipe))
    assert ran.code == 1, ran
    assert ran.out.startswith("FIX  store: "), ran
    assert "not a regular file" in ran.out.splitlines()[0]


def test_a_device_as_the_store_is_one_line() -> None:
    line = one_line(techqueue("add", "Printer jammed", env=env_for("/dev/null")), 1)
    assert "not a regular file (a device)" in line


def test_restore_from_a_named_pipe_is_one_line_and_hangs_nothing(tmp_path: Path) -> None:
    """The backup named a pipe: the store layer refuses it, and asking whether it is an
    export instead does not wait on it for ever."""
    db = tmp_path / "store" / "techqueue.db"
    seed(db, 2)
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe, 0o600)
    line = one_line(techqueue("restore", str(pipe), env=env_for(db)), 1)
    assert "not a regular file" in line
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_restore_into_a_named_pipe_is_one_line(tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    seed(backup, 2)
    pipe = tmp_path / "store" / "pipe.db"
    pipe.parent.mkdir()
    os.mkfifo(pipe, 0o600)
    line = one_line(techqueue("restore", str(backup), env=env_for(pipe)), 1)
    assert "not a regular file" in line
    assert stat.S_ISFIFO(pipe.stat().st_mode), "the pipe is not replaced"
    # (restore makes the backups directory before it looks at the store: empty)
    assert [entry for entry in pipe.parent.rglob("*") if not entry.is_dir()] == [pipe]


# --- one old store, many processes ------------------------------------------------------------


def test_twelve_processes_opening_an_old_store_at_once_all_add(tmp_path: Path) -> None:
    """Each migrates the store unless another did it first: none may migrate it twice."""
    db = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "store-v1.db", db)  # a copy: a fixture is never opened
    db.chmod(0o600)
    before = _items(db)
    command = [sys.executable, "-m", "techqueue", "add"]
    environment = {**os.environ, **env_for(db)}
    processes = [
        subprocess.Popen(
            [*command, f"Printer {n} jammed"],
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(12)
    ]
    failed = []
    for process in processes:
        _out, err = process.communicate(timeout=PROCESS_TIMEOUT)
        if process.returncode != 0:
            failed.append(err.strip())
    assert failed == []
    assert _items(db) == before + 12


def _items(db: Path) -> int:
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM item").fetchone()[0])
    finally:
        connection.close()


# --- Ctrl+C during a backup -------------------------------------------------------------------

#: ``techqueue backup TARGET``, Ctrl+C arriving once the copy is whole but not yet in place
#: (``copy``), or while the copy is checked (``check``).
_BACKUP_INTERRUPTED = """
import os, signal, sys
from pathlib import Path
import techqueue.db.files as files
import techqueue.upkeep.backups as backups
real_sync, real_damage = files._sync, backups.damage
def interrupted_sync(path):
    if path.parent == Path(sys.argv[1]).parent and path.name.endswith(".tmp"):
        os.kill(os.getpid(), signal.SIGINT)  # Python raises KeyboardInterrupt here
    real_sync(path)
def interrupted_damage(path):
    os.kill(os.getpid(), signal.SIGINT)
    return real_damage(path)
if sys.argv[2] == "copy":
    files._sync = interrupted_sync
else:
    backups.damage = interrupted_damage
from techqueue.cli.main import main
sys.exit(main(["backup", sys.argv[1]]))
"""


@pytest.mark.parametrize("when", ["copy", "check"])
def test_a_backup_interrupted_by_ctrl_c_leaves_no_copy_behind(tmp_path: Path, when: str) -> None:
    db = tmp_path / "store" / "techqueue.db"
    seed(db, 3)
    target = tmp_path / "backups" / "copy.db"
    target.parent.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_BACKUP_INTERRUPTED), str(target), when],
        env={**os.environ, **env_for(db)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )
    assert done.returncode == 130, done  # interrupted, said in one line
    assert "interrupted" in done.stderr
    assert list(target.parent.iterdir()) == []
    assert list(tmp_path.rglob("*.tmp")) == []
    assert list(tmp_path.rglob("*.checking")) == []  # (the day's own backup, beside the store)
