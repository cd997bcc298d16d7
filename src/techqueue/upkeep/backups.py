"""Backups: a copy of the store each day, kept beside it, and one whenever asked for.

**Where.** A ``backups`` directory beside the store (owner-only, 0700), each backup one
self-contained SQLite file (0600) named after the store and the day:
``backups/techqueue-2026-03-02.db``. The newest ``[data] backups`` (7) daily ones are kept
and older ones deleted; the copies kept by a restore (``techqueue-before-restore-…``) or
rescued from a store deleted under the app (``techqueue-rescued-…``) are never deleted by
techqueue.

**When.** The first time the store is opened on a new day — by any command, or by the app,
which also looks once a minute while it stays open past midnight — before anything else is
done that day, so the newest backup is the store as the day began; the same upkeep trims the
undo history older than ``[data] journal_days``. Whether it is due is
:mod:`techqueue.upkeep.daily`'s one query on every open.

**How.** SQLite's online backup API (:meth:`~techqueue.store.Store.copy_to`): consistent while
other processes write, never half a file. A copy counts only once SQLite's quick check finds
it sound: a store damaged but still opening is not copied over a good backup, nor does its
copy push a good one out of the seven (the damage is said instead, and ``doctor`` says it).
A store on a database server (team mode) is the server's to back up; ``backup`` writes a
portable export of it instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from techqueue.core.settings import Settings
from techqueue.domain import JOURNAL_KEPT
from techqueue.errors import BadRequest, StoreError, StoreFailed, StoreUnusable
from techqueue.store import Store

__all__ = [
    "DIRECTORY",
    "Backup",
    "Upkeep",
    "back_up",
    "damage",
    "directory",
    "kept_path",
    "listed",
    "looked_at",
    "make_directory",
    "rescue",
    "upkeep_now",
]

#: The directory beside the store that holds its backups.
DIRECTORY = "backups"
#: Kinds of backup, by what their name says after the store's name.
_KINDS = {"": "daily", "before-restore-": "kept by a restore", "rescued-": "rescued"}


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file of a store."""

    path: Path
    day: date
    #: ``daily``, ``kept by a restore`` or ``rescued``.
    kind: str


@dataclass(frozen=True, slots=True)
class Upkeep:
    """What the day's upkeep did."""

    backup: Path | None
    #: Why the day's backup could not be written (``None``: it was, or none was needed).
    failure: str | None
    #: How many entries of undo history were trimmed.
    trimmed: int


def directory(store_file: Path) -> Path:
    """Where the backups of the store file ``store_file`` are kept: beside it."""
    return store_file.parent / DIRECTORY


def _daily_path(store_file: Path, day: date) -> Path:
    return directory(store_file) / f"{store_file.stem}-{day.isoformat()}.db"


def kept_path(store_file: Path, what: str, now: datetime) -> Path:
    """A new backup's name, for the moment and ``what`` made it (``before-restore``,
    ``rescued``): never one already there, since these are never replaced."""
    folder = directory(store_file)
    moment = now
    while True:
        path = folder / f"{store_file.stem}-{what}-{moment:%Y-%m-%d-%H%M%S}.db"
        if not (path.exists() or path.is_symlink()):
            return path
        moment += timedelta(seconds=1)


def listed(store_file: Path) -> list[Backup]:
    """The backups of ``store_file``, newest first (a day's own before its others)."""
    pattern = re.compile(
        rf"{re.escape(store_file.stem)}-(before-restore-|rescued-)?(\d{{4}}-\d{{2}}-\d{{2}})"
        r"(-\d{6})?\.db"
    )
    found = []
    try:
        names = sorted(path.name for path in directory(store_file).iterdir())
    except OSError:
        return []
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        try:
            day = date.fromisoformat(match.group(2))
        except ValueError:
            continue
        kind = _KINDS[match.group(1) or ""]
        found.append(
            (
                day,
                kind == "daily",
                match.group(3) or "",
                Backup(directory(store_file) / name, day, kind),
            )
        )
    found.sort(key=lambda entry: entry[:3], reverse=True)
    return [entry[3] for entry in found]


def back_up(store: Store, now: datetime, target: Path | None = None, *, keep: int = 7) -> Path:
    """Back the store up now; the file written.

    Without ``target``: the day's backup beside the store (replacing one made earlier today),
    the oldest beyond ``keep`` deleted. With ``target``: that file (or, for a directory, the
    day's name in it), which may replace an older backup but nothing else. A store on a
    database server is written as a portable export (JSON) instead.
    """
    store_file = store.file
    if store_file is None:
        return _export(store, now, target)
    if target is None:
        target = _daily_path(store_file, now.date())
        make_directory(target.parent)
        _sound_copy(store, store_file, target)
        _prune(store_file, keep)
        return target
    if looked_at(target, "backup") == "directory":
        target = target / f"{store_file.stem}-{now.date().isoformat()}.db"
    _check_target(store_file, target)
    _sound_copy(store, store_file, target)
    return target


def _sound_copy(store: Store, store_file: Path, target: Path) -> None:
    """Copy the store to ``target`` once the copy is found sound: it is made beside it and
    checked first, so a damaged one replaces nothing and is not left behind."""
    checking = target.with_name(f".backup-{os.getpid()}.checking")  # short: any name fits
    try:
        store.copy_to(checking)
        problem = damage(checking)
        if problem is not None:
            raise StoreFailed(
                f"{store_file}: the store is damaged (SQLite's quick check: {problem}); no "
                "backup made of it, the backups kept are left as they are: see techqueue doctor"
            )
        os.replace(checking, target)
    except OSError as error:
        checking.unlink(missing_ok=True)
        raise StoreFailed(f"cannot write {target}: {error.strerror}") from None
    except BaseException:
        # Anything, Ctrl+C while the copy is checked included: no copy is left behind.
        checking.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the new name made durable (best effort)
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def damage(path: Path) -> str | None:
    """What SQLite's quick check finds wrong with the backup file ``path``, on one line;
    ``None`` when it is sound."""
    from techqueue.db.files import read_only

    try:
        with read_only(path) as connection:
            found = [str(row[0]) for row in connection.execute("PRAGMA quick_check(3)")]
    except sqlite3.Error as error:
        return str(error) or type(error).__name__
    except OSError as error:
        return error.strerror or str(error)
    if found == ["ok"]:
        return None
    return " ".join(" ".join(found).split()) or "no answer"


def looked_at(path: Path, command: str) -> str | None:
    """What is at ``path``, a file name given to ``command``: ``"directory"``, ``"file"``
    (anything else there), or ``None`` (nothing). A name the system cannot take (longer
    than 255 bytes, say) is bad input, one line; a path that cannot be looked at, a failure."""
    import errno
    import stat

    try:
        found = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise BadRequest(
                f"{command}: the file name is too long (at most 255 bytes a name, "
                "4,096 the whole path)"
            ) from None
        raise StoreFailed(f"{command}: cannot look at {path}: {error.strerror}") from None
    except ValueError as error:  # a NUL byte
        raise BadRequest(f"{command}: {path!r} is not a file name: {error}") from None
    if stat.S_ISLNK(found.st_mode):
        return "directory" if path.is_dir() else "file"
    return "directory" if stat.S_ISDIR(found.st_mode) else "file"


def _check_target(store_file: Path, target: Path) -> None:
    """Refuse to write a backup over the store itself or over a file that is not a backup."""
    from techqueue.db.files import COMPANIONS, examine

    ours = {store_file.resolve(), *(Path(f"{store_file}{s}").resolve() for s in COMPANIONS)}
    if target.resolve() in ours:
        raise BadRequest(f"backup: {target} is the store itself: give another file")
    if target.exists() or target.is_symlink():
        try:
            examine(target)
        except StoreUnusable:
            raise BadRequest(
                f"backup: {target} exists and is not a techqueue backup; left as is"
            ) from None


def _export(store: Store, now: datetime, target: Path | None) -> Path:
    """Team mode: the store as a portable export, written owner-only."""
    from techqueue.paths import default_store_path
    from techqueue.transfer import export_text, write_export

    if target is None:
        folder = default_store_path().parent / DIRECTORY
        make_directory(folder)
        target = folder / f"techqueue-export-{now:%Y-%m-%d-%H%M%S}.json"
    elif target.is_dir():
        target = target / f"techqueue-export-{now:%Y-%m-%d-%H%M%S}.json"
    try:
        write_export(target, export_text(store, now))
    except OSError as error:
        raise StoreFailed(f"cannot write {target}: {error.strerror}") from None
    return target


def make_directory(folder: Path) -> None:
    """Make ``folder`` (owner-only) unless it exists; :class:`StoreFailed` when it cannot."""
    from techqueue.db.files import make_owner_only_directory

    try:
        make_owner_only_directory(folder)  # (mkdir's mode is the last directory's alone)
    except OSError as error:
        raise StoreFailed(f"cannot make {folder}: {error.strerror}") from None
    if not folder.is_dir():
        raise StoreFailed(f"cannot make {folder}: something else is there")


def _prune(store_file: Path, keep: int) -> None:
    """Delete the daily backups older than the newest ``keep`` sound ones (best effort): a
    damaged one does not count, so it never pushes a good one out."""
    sound = 0
    for backup in (backup for backup in listed(store_file) if backup.kind == "daily"):
        if sound >= max(keep, 1):
            backup.path.unlink(missing_ok=True)
        elif damage(backup.path) is None:
            sound += 1


def upkeep_now(store: Store, settings: Settings, now: datetime) -> Upkeep:
    """The day's upkeep, due now (see :func:`techqueue.upkeep.daily.daily`, which decides):
    a backup of the store as the day begins, when it holds anything, and the undo history
    trimmed to ``[data] journal_days``."""
    written, failure = None, None
    if store.file is not None and not store.is_empty():
        try:
            written = back_up(store, now, keep=settings.backups_kept)
        except StoreError as error:
            failure = str(error)
    try:
        trimmed = store.trim_journal(now - timedelta(days=settings.journal_days), JOURNAL_KEPT)
    except StoreError:
        trimmed = 0
    return Upkeep(written, failure, trimmed)


def rescue(store: Store, now: datetime) -> Path | None:
    """The store file was deleted while it was open here: a copy of what the open
    connection still holds, in the backups directory (never at the store's path: whoever
    deleted it may mean to put something else there); ``None`` when the store's directory is
    gone too (deleted on purpose, as a whole) or nothing could be written."""
    store_file = store.file
    if store_file is None or not store_file.parent.is_dir():
        return None
    target = kept_path(store_file, "rescued", now)
    try:
        make_directory(target.parent)
        store.copy_to(target)
    except StoreError:
        return None
    return target
