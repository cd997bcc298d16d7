"""The embedded store's file as a whole: looked at without changing it, and copied.

Opening a store to use it (:mod:`techqueue.db.backends`), checking a backup before it is
restored and the health check all look at a file the same way here: the header first (whose
file is it, from which version), then a read-only connection that creates nothing beside the
file, and for a restore or the health check SQLite's own ``integrity_check``. Copies go
through SQLite's online backup API, so a store in use is copied consistently, never
half-written, and each copy is one self-contained file, owner-only, put in place atomically.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from techqueue.db.schema import APPLICATION_ID, SCHEMA_VERSION, tables_at
from techqueue.errors import StoreFailed, StoreUnusable

__all__ = [
    "COMPANIONS",
    "Examined",
    "FileProblem",
    "copy_bytes",
    "copy_store",
    "examine",
    "failure",
    "load_store",
    "make_owner_only_directory",
    "meaning_of",
    "not_a_regular_file",
    "put_in_place",
    "read_only",
    "recover",
    "write_owner_only",
]

#: The files SQLite keeps beside a store while it is in use: the write-ahead log and its
#: index, and (in rollback-journal mode, as a store put back from a backup is until its first
#: open) the rollback journal, which a crash leaves "hot" for SQLite to roll back. Each belongs
#: to its store file: kept with it, and removed when another file takes its place (SQLite
#: would replay a stale one onto the new file).
COMPANIONS = ("-wal", "-shm", "-journal")

#: The first bytes of a rollback journal with something in it to roll back.
_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")

_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class Examined:
    """What a look at a store file found."""

    path: Path
    version: int
    #: ``"ok"``, or the first problem SQLite's integrity check found (``None``: not checked).
    integrity: str | None
    items: int
    journal_entries: int
    #: When the oldest and the newest journal entry were written (``None`` when it is empty).
    journal_oldest: datetime | None
    journal_newest: datetime | None


class FileProblem(NamedTuple):
    """What happened to a store file while it was open."""

    #: ``deleted``, ``replaced`` (the path names another file now) or ``unreadable``.
    kind: str
    #: One line for the technician.
    said: str


def examine(path: Path, *, integrity: bool = False, for_writing: bool = False) -> Examined:
    """Look at the store file ``path`` without changing it; refuse one that is not ours.

    Raises :class:`StoreUnusable` (one line, ending "left as is") for a file that is not
    SQLite (or not a regular file), another program's database, a store from a newer
    techqueue, one with tables missing, and with ``integrity`` one whose integrity check
    fails; with ``for_writing``, a file this user may not write. Nothing is created beside
    the file. A transaction a crash left unfinished in a store of ours is first rolled back,
    as SQLite does on any open (:func:`recover`), so what is looked at is the last committed
    store, never a half-written one.
    """
    recover(path)
    header = _header(path)
    if not header.startswith(_SQLITE_HEADER) or len(header) < 100:
        raise StoreUnusable(f"{path}: not a techqueue store (not an SQLite database); left as is")
    # The header alone answers "whose file is it" without opening it: SQLite keeps the
    # user version at offset 60 and the application id at offset 68, big-endian.
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StoreUnusable(f"{path}: not a techqueue store (another SQLite database); left as is")
    _check_version(path, int.from_bytes(header[60:64], "big"))
    if for_writing and not os.access(path, os.R_OK | os.W_OK):
        raise StoreUnusable(f"{path}: the store is read-only for you; left as is")
    try:
        with read_only(path) as connection:
            found = _look(path, connection, integrity=integrity)
    except sqlite3.Error as error:
        meaning = meaning_of(error) or ""
        state = "damaged" if "damaged" in meaning else "unreadable"
        if meaning and state == "unreadable":
            state += f": {meaning}"
        raise StoreUnusable(f"{path}: the store is {state} ({error}); left as is") from None
    if found.integrity not in (None, "ok"):
        raise StoreUnusable(
            f"{path}: the store is damaged (SQLite's integrity check: {found.integrity}); "
            "left as is"
        )
    return found


def _header(path: Path) -> bytes:
    try:
        with _open_regular(path) as handle:
            return handle.read(100)
    except IsADirectoryError:
        raise StoreUnusable(f"{path}: a directory, not a store file; left as is") from None
    except OSError as error:
        raise StoreUnusable(f"{path}: cannot read the store: {error.strerror}") from None


def readable_as_it_is(path: Path) -> bool:
    """Whether the store file ``path`` can be read without anything written to it first: a
    store of ours, of this version, in write-ahead logging, with no rollback journal beside
    it (nothing for :func:`recover` to roll back, nothing to migrate or switch). Told from
    the file's header alone, as :func:`examine` tells whose file it is: nothing is opened
    and nothing created beside it. (A newer version still in the write-ahead log is found
    by the reading connection itself.)"""
    try:
        if os.path.lexists(f"{path}-journal"):
            return False
        with _open_regular(path) as handle:
            header = handle.read(100)
    except (OSError, StoreUnusable):
        return False
    return (
        len(header) == 100
        and header.startswith(_SQLITE_HEADER)
        and header[18:20] == b"\x02\x02"  # (written and read with a write-ahead log)
        and int.from_bytes(header[60:64], "big") == SCHEMA_VERSION
        and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )


def not_a_regular_file(path: Path, mode: int) -> StoreUnusable | None:
    """The refusal of ``path`` when its ``mode`` (from ``stat``) is not a regular file's: a
    named pipe would hang whoever reads it, and a device is no place for a store."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return StoreUnusable(f"{path}: a directory, not a store file; left as is")
    kind = (
        "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    )
    return StoreUnusable(f"{path}: not a regular file ({kind}), not a store file; left as is")


def _open_regular(path: Path) -> BinaryIO:
    """``path`` open for reading as bytes, refused (:class:`StoreUnusable`) unless it is a
    regular file: looked at first, and opened without waiting, so a named pipe never hangs."""
    refusal = not_a_regular_file(path, os.stat(path).st_mode)
    if refusal is not None:
        raise refusal
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        # Again on what was opened: the path may name another file by now.
        refusal = not_a_regular_file(path, os.fstat(descriptor).st_mode)
        if refusal is not None:
            raise refusal
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    return handle


def _check_version(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise StoreUnusable(
            f"{path}: made by a newer techqueue (schema {version}, this one reads up to "
            f"{SCHEMA_VERSION}); left as is"
        )


def _look(path: Path, connection: sqlite3.Connection, *, integrity: bool) -> Examined:
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {
        name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if application_id != APPLICATION_ID:
        raise StoreUnusable(f"{path}: not a techqueue store (another SQLite database); left as is")
    _check_version(path, version)
    if version < 1 or not set(tables_at(version)) <= tables:
        raise StoreUnusable(f"{path}: the store is damaged (tables are missing); left as is")
    checked = None
    if integrity:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
        checked = "ok" if problems == ["ok"] else "; ".join(problems)
    items = connection.execute("SELECT COUNT(*) FROM item").fetchone()[0]
    entries, oldest, newest = connection.execute(
        "SELECT COUNT(*), MIN(at), MAX(at) FROM journal"
    ).fetchone()
    return Examined(path, version, checked, items, entries, _time(oldest), _time(newest))


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def recover(path: Path) -> None:
    """Roll back the transaction a crash left unfinished in the store file ``path`` (its
    rollback journal is "hot"), as SQLite does when it opens the file for writing: after it,
    the file holds its last committed state, or is empty again when the transaction was its
    creation. Nothing is done without a rollback journal beside the file, nor to a file that
    is not a techqueue store (not ours to touch) unless the journal shows it was empty before
    (a store techqueue was creating). Without the right to write the file, it is left for
    the read to fail, saying so.
    """
    journal = Path(f"{path}-journal")
    try:
        with _open_regular(journal) as reading:
            journal_head = reading.read(28)
        with _open_regular(path) as reading:
            header = reading.read(100)
    except (OSError, StoreUnusable):
        return  # no journal (nearly always), or nothing SQLite could roll back into
    if journal_head[:8] != _JOURNAL_MAGIC:
        return  # empty or zeroed: the transaction was finished, nothing to roll back
    ours = header.startswith(_SQLITE_HEADER) and int.from_bytes(header[68:72], "big") == (
        APPLICATION_ID
    )
    was_empty = len(journal_head) >= 20 and int.from_bytes(journal_head[16:20], "big") == 0
    if not (ours or was_empty) or not os.access(path, os.R_OK | os.W_OK):
        return
    try:
        # Any read in a connection that may write makes SQLite roll a hot journal back
        # (under its locks: a journal still in use by a live writer is not hot, and waited on).
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=10.0)
        try:
            connection.execute("PRAGMA schema_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return  # the read that follows fails, and says why


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to ``path``; "immutable" when no write-ahead log or rollback
    journal is beside it, so that looking creates no ``-wal``/``-shm`` files beside a file that
    may yet be refused. Beside a journal (see :func:`recover`) SQLite's locks are kept: the
    file may be in the middle of a write, and is read only once that is over."""
    beside = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if beside else "&immutable=1")
    connection = sqlite3.connect(uri, uri=True, timeout=10.0)
    try:
        yield connection
    finally:
        connection.close()


def write_owner_only(target: Path) -> Path:
    """A new, empty, owner-only (0600) file beside ``target`` to build it in: SQLite would
    create it with the umask's mode (usually 0644), and it holds people's names."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _remove(temporary)  # left by a crash of this same process id: never anyone's data
    descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)
    return temporary


def copy_store(connection: sqlite3.Connection, target: Path) -> None:
    """Copy the open store into ``target`` through the online backup API: consistent while
    other processes write, one self-contained file (no write-ahead log), owner-only, and put
    in place atomically, so ``target`` is either the old file or the whole new one.

    Raises :class:`StoreFailed` (one line) when it cannot be written; nothing is left behind.
    """
    temporary = None
    try:
        temporary = write_owner_only(target)
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, readable on its own
        finally:
            copy.close()
        _sync(temporary)
        _remove_companions(target)  # an old file's: SQLite would replay them onto the copy
        os.replace(temporary, target)
        temporary = None
        _sync(target.parent)
    except BaseException as error:
        # Anything, Ctrl+C included: a full-size copy is never left behind.
        if temporary is not None:
            _remove(temporary)
        if isinstance(error, (OSError, sqlite3.Error)):
            raise StoreFailed(f"cannot write {target}: {_reason(error)}") from None
        raise


def load_store(source: Path, connection: sqlite3.Connection) -> None:
    """Replace everything the open store holds by what ``source`` holds, through the online
    backup API: one write transaction, so another process sees the old store or the new one,
    and the store file stays the same file (an app that has it open reads the new content).
    ``source`` is read, never changed."""
    try:
        with read_only(source) as reader:
            reader.backup(connection)
    except sqlite3.Error as error:
        raise failure(error, source, writing=True) from None


def copy_bytes(source: Path, target: Path) -> None:
    """Copy ``source`` and its companions (its write-ahead log, its rollback journal), as
    they are, byte for byte, to ``target`` (owner-only): how a store too damaged to be opened
    is kept before it is replaced. Raises :class:`StoreFailed` when the copy cannot be
    written, :class:`StoreUnusable` when ``source`` is not a regular file."""
    try:
        for suffix in ("", *COMPANIONS):
            if suffix == "-shm":
                continue  # an index SQLite rebuilds, and only valid for the file it was for
            origin, copy = Path(f"{source}{suffix}"), Path(f"{target}{suffix}")
            if origin.exists():
                os.replace(_written_copy(origin, copy), copy)
    except OSError as error:
        raise StoreFailed(f"cannot keep a copy of {source} at {target}: {error.strerror}") from None


def put_in_place(source: Path, path: Path) -> None:
    """Make ``path`` a copy of the store file ``source`` (checked by the caller), replacing
    whatever file was there at once (its companions go too: they belong to the old file).
    For a store that cannot be opened, so cannot be loaded into (:func:`load_store`)."""
    try:
        temporary = _written_copy(source, path)
        try:
            _remove_companions(path)
            os.replace(temporary, path)
        except BaseException:
            _remove(temporary)
            raise
        _sync(path.parent)
    except OSError as error:
        raise StoreFailed(f"cannot write {path}: {error.strerror}") from None


def _written_copy(origin: Path, target: Path) -> Path:
    """A byte-for-byte, flushed, owner-only copy of ``origin`` beside ``target``, not yet in
    its place: the caller moves it there (atomically) or it is removed."""
    with _open_regular(origin) as reading:
        temporary = write_owner_only(target)
        try:
            _copy_into(reading, temporary)
        except BaseException:
            _remove(temporary)
            raise
    return temporary


def _copy_into(reading: BinaryIO, temporary: Path) -> None:
    import shutil  # a copy is rare; its compression modules need not load every time

    with temporary.open("wb") as writing:
        shutil.copyfileobj(reading, writing, 1 << 20)
        writing.flush()
        os.fsync(writing.fileno())


def _sync(path: Path) -> None:
    """Flush ``path`` (a file or a directory) to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove_companions(path: Path) -> None:
    """Remove what SQLite kept beside the file at ``path``, which another file replaces."""
    for suffix in COMPANIONS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def make_owner_only_directory(folder: Path) -> None:
    """Make ``folder`` and every missing directory above it owner-only (0700), whatever the
    umask; one already there is left as it is. Raises :class:`OSError`."""
    missing = []
    for each in (folder, *folder.parents):
        if each.exists() or each.is_symlink():
            break
        missing.append(each)
    for each in reversed(missing):
        try:
            each.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made a moment ago by another process: theirs to set
        os.chmod(each, 0o700)  # the umask may have taken bits away (and 0700 & ~umask ≤ 0700)


def _remove(path: Path) -> None:
    for each in (path, Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            each.unlink()


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return meaning_of(error) or _said(error)


def _said(error: BaseException) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


#: What SQLite's result codes mean to the technician, by the code's name's prefix.
_MEANINGS = (
    ("SQLITE_FULL", "the disk is full"),
    ("SQLITE_IOERR", "the disk could not be read or written (is it full, or failing?)"),
    ("SQLITE_READONLY_DIRECTORY", "its directory is read-only: no room for its write-ahead log"),
    (
        "SQLITE_READONLY_ROLLBACK",
        "a write a crash left unfinished must be rolled back, and the store is read-only",
    ),
    ("SQLITE_READONLY", "the store is read-only"),
    ("SQLITE_CANTOPEN", "cannot open the files beside the store (a read-only or gone directory?)"),
    ("SQLITE_PERM", "permission denied"),
    ("SQLITE_BUSY", "the store was busy: another program held it for over 10 s"),
    ("SQLITE_LOCKED", "the store was busy: another program held it for over 10 s"),
    ("SQLITE_CORRUPT", "the store is damaged"),
    ("SQLITE_NOTADB", "the store is damaged (not a database any more)"),
)


def meaning_of(error: BaseException) -> str | None:
    """What SQLite's error means to the technician; ``None`` when it is not about the file
    or the disk."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return next((said for prefix, said in _MEANINGS if name.startswith(prefix)), None)


def failure(error: sqlite3.Error, path: Path, *, writing: bool) -> StoreFailed | sqlite3.Error:
    """SQLite's error as the technician is told it: what happened to the store at ``path``,
    and (``writing``) that nothing was saved; an error that is not about the file or the disk
    (a programming error) is returned as it is, to surface as one."""
    meaning = meaning_of(error)
    if meaning is None:
        return error
    outcome = "nothing was saved" if writing else "it could not be read"
    advice = "; techqueue doctor says what to do" if "damaged" in meaning else ""
    return StoreFailed(f"{path}: {meaning} ({_said(error)}): {outcome}{advice}")
