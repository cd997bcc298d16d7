"""Bad files and full disks: a store that is not SQLite, damaged, from a newer techqueue,
read-only (as a user who cannot write it), or on a disk that fills up — one clear line, exit
1, and the file never modified. Through the real command line, in processes of their own.

A full disk is a file size limit (``RLIMIT_FSIZE``) on the child process: past it, every
write fails as on a full disk (Python ignores SIGXFSZ, so the write returns EFBIG). A tiny
tmpfs would need a mount, which CI's containers do not allow.
"""

from __future__ import annotations

import os
import resource
from collections.abc import Callable
from pathlib import Path

import pytest

from techqueue import transfer
from techqueue.store import open_store

from .support import (
    MONDAY_9,
    Ran,
    damaged_store,
    dump,
    fingerprint,
    integrity,
    local,
    newer_store,
    one_line,
    other_user,
    seed,
    shared_directory,
    siblings,
    techqueue,
    truncated_store,
)


def env_for(db: Path) -> dict[str, str]:
    return {"TECHQUEUE_DB": str(db), "TECHQUEUE_NOW": MONDAY_9}


# --- files that are not a usable store -------------------------------------------------------


def _text(path: Path) -> None:
    path.write_text("name,email\nAlice,alice@example.com\n" * 40)


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "not SQLite": (_text, "not an SQLite database"),
    "damaged": (damaged_store, "damaged"),
    "from a newer techqueue": (newer_store, "newer techqueue"),
    "truncated": (truncated_store, ""),
}
COMMANDS = [["add", "Printer jammed"], ["list", "--json"], ["undo"], ["backup"], ["export"]]


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_store_file_is_refused_in_one_line_and_never_modified(
    tmp_path: Path, kind: str
) -> None:
    make, said = BAD_FILES[kind]
    db = tmp_path / "store" / "techqueue.db"
    db.parent.mkdir()
    make(db)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    before, files = fingerprint(db), siblings(db)
    for argv in COMMANDS:
        line = one_line(techqueue(*argv, env=env_for(db)), 1)
        assert str(db) in line
        assert said in line
        assert fingerprint(db) == before, argv
        assert siblings(db) == files, f"{argv}: nothing created beside it"
    doctor = techqueue("doctor", env=env_for(db))
    assert doctor.code == 1
    assert doctor.out.startswith("FIX  store: ")
    assert fingerprint(db) == before


# --- read-only, as a user who cannot write ----------------------------------------------------


def _owned_by(path: Path, user: int | None) -> None:
    if user is not None:
        os.chown(path, user, user)


XDG = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
READ_ONLY = {
    "the file is read-only": "file",
    "the directory is read-only (no room for the write-ahead log)": "directory",
}


@pytest.mark.parametrize("case", list(READ_ONLY))
def test_a_read_only_store_is_refused_in_one_line_and_never_modified(case: str) -> None:
    user = other_user()  # as root: nobody, who cannot write what is not theirs
    with shared_directory() as shared:
        folder = shared / "data"
        folder.mkdir()
        db = folder / "techqueue.db"
        seed(db, 3)
        if READ_ONLY[case] == "file":
            _owned_by(folder, user)
            db.chmod(0o444)
        else:
            _owned_by(db, user)
            db.chmod(0o600)
            folder.chmod(0o555)
        before, files = fingerprint(db), siblings(db)
        env = {**env_for(db), "TECHQUEUE_CONFIG": str(shared / "config.toml")}
        env |= {name: str(shared / name.lower()) for name in XDG}
        try:
            for argv in (["add", "Printer jammed"], ["note", "1", "called"], ["undo"]):
                ran = techqueue(*argv, env=env, user=user)
                line = one_line(ran, 1)
                assert str(db) in line
                assert fingerprint(db) == before
                assert siblings(db) == files
        finally:
            folder.chmod(0o755)


# --- full disks ---------------------------------------------------------------------------------


def limited(size: int) -> Callable[[], None]:
    """In the child: no file may grow past ``size`` bytes, as on a full disk."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.fixture
def store_of_the_day(tmp_path: Path) -> Path:
    """A store of 200 items whose day's upkeep is done (so the command under test is the only
    writer), closed (no write-ahead log left beside it)."""
    db = tmp_path / "data" / "techqueue.db"
    seed(db, 200)
    assert techqueue("list", env=env_for(db)).code == 0
    assert siblings(db) == {db.name, "backups"}
    return db


def unchanged(db: Path, before: tuple[str, int], content: object) -> None:
    assert fingerprint(db) == before, "the store file was not modified"
    assert dump(db) == content
    assert integrity(db) == "ok"


def test_a_disk_full_at_the_start_is_one_line(store_of_the_day: Path) -> None:
    db = store_of_the_day
    before, content = fingerprint(db), dump(db)
    ran = techqueue("add", "Printer jammed", env=env_for(db), preexec=limited(1024))
    one_line(ran, 1)
    unchanged(db, before, content)


def test_a_disk_that_fills_during_an_import_saves_nothing(
    store_of_the_day: Path, tmp_path: Path
) -> None:
    db = store_of_the_day
    source = tmp_path / "big.json"
    with open_store(db) as store:
        source.write_text(transfer.export_text(store, local(MONDAY_9)))
    before, content = fingerprint(db), dump(db)
    ran = techqueue("import", str(source), "--merge", env=env_for(db), preexec=limited(40_000))
    line = one_line(ran, 1)
    assert "nothing was saved" in line
    unchanged(db, before, content)
    assert techqueue("add", "after the disk had room", env=env_for(db)).code == 0


@pytest.mark.parametrize(
    "argv",
    [["backup"], ["export", "{out}"], ["backup", "{out}"], ["restore", "{backup}"]],
    ids=lambda argv: " ".join(argv),
)
def test_a_copy_on_a_full_disk_is_one_line_and_leaves_nothing_half_written(
    store_of_the_day: Path, tmp_path: Path, argv: list[str]
) -> None:
    db = store_of_the_day
    spare = tmp_path / "spare.db"
    with open_store(db) as store:
        store.copy_to(spare)
    out = tmp_path / "out"
    out.mkdir()
    words = [word.format(out=out / "copy", backup=spare) for word in argv]
    before, content = fingerprint(db), dump(db)
    backups = sorted(p.name for p in (db.parent / "backups").iterdir())
    ran: Ran = techqueue(*words, env=env_for(db), preexec=limited(64_000))
    one_line(ran, 1)
    unchanged(db, before, content)
    assert list(out.iterdir()) == [], "no half-written copy"
    assert sorted(p.name for p in (db.parent / "backups").iterdir()) == backups
