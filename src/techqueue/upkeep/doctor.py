"""The health check's eyes: what ``techqueue doctor`` looks at, gathered without changing
anything (the store is opened read-only, never created, never migrated); the judgement is
:mod:`techqueue.core.health`'s."""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from techqueue.core.health import Check, Facts, FileMode, check_all
from techqueue.core.settings import Settings
from techqueue.db.files import COMPANIONS, examine
from techqueue.db.schema import SCHEMA_VERSION
from techqueue.domain import JOURNAL_KEPT
from techqueue.errors import StoreUnusable
from techqueue.upkeep.backups import damage, directory, listed

__all__ = ["ConfigState", "doctor", "hide_password"]

ConfigState = tuple[Path, bool, str | None]
"""The config file: its path, whether it is there, and what is wrong with it (``None``)."""


def doctor(target: str, now: datetime, settings: Settings, config: ConfigState) -> list[Check]:
    """Every check of the store at ``target`` (a path or URL), the clock and the config."""
    path, present, problem = config
    base = Facts(
        now=now,
        store=hide_password(target),
        zone=_zone_name(),
        fixed_clock=os.environ.get("TECHQUEUE_NOW") or None,
        config=str(path),
        config_present=present,
        config_problem=problem,
        journal_days=settings.journal_days,
        journal_kept=JOURNAL_KEPT,
        current_version=SCHEMA_VERSION,
        user=os.geteuid(),
        files=[_mode(path)] if present else [],
    )
    if "://" in target:
        return check_all(replace(base, team=True))
    store = Path(target).expanduser()
    checks = check_all(_embedded(store, base))
    where = _nearest_directory(store)
    return [
        replace(check, fix=f"chmod u+rwx '{where}' (or run techqueue as its owner)")
        if check.name == "store" and _DIRECTORY_READ_ONLY in check.said
        else check
        for check in checks
    ]


#: What the store check says of a directory where the store's own files cannot be made.
_DIRECTORY_READ_ONLY = "read-only for you: the files beside the store"


def _writable(store: Path) -> str | None:
    """What every command would refuse about writing the store (``None``: nothing): the
    file read-only for this user, or its directory, where SQLite makes the write-ahead log
    and its index beside the store (unless both are there already, writable)."""
    try:
        examine(store, for_writing=True)
    except StoreUnusable as error:
        if "read-only" in str(error):
            return str(error)
        return None  # not ours to say here: the integrity look says what it is
    beside = [Path(f"{store}{suffix}") for suffix in ("-wal", "-shm")]
    if os.access(store.parent, os.W_OK | os.X_OK) or all(
        os.access(path, os.R_OK | os.W_OK) for path in beside
    ):
        return None
    return (
        f"{store}: the store's directory '{store.parent}' is {_DIRECTORY_READ_ONLY} "
        "(its write-ahead log) cannot be made there; left as is"
    )


def _nearest_directory(store: Path) -> Path:
    """The store's directory, or the nearest one above it that is there (the first capture
    makes the rest)."""
    folder = store.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _creatable(store: Path) -> str | None:
    """What the first capture would refuse about making a store that is not there yet
    (``None``: nothing): the directory it would be made in, read-only for this user."""
    folder = _nearest_directory(store)
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    return (
        f"{store}: not created yet, and the first capture cannot create it: '{folder}' is "
        f"{_DIRECTORY_READ_ONLY} would be made there"
    )


def _embedded(store: Path, base: Facts) -> Facts:
    found = None
    problem = None
    exists = store.exists() or store.is_symlink()
    if not exists:
        problem = _creatable(store)
    if exists:
        try:
            found = examine(store, integrity=True)
        except StoreUnusable as error:
            problem = str(error)
        else:
            problem = _writable(store)
    folder = store.parent
    shared = _shared(folder)
    every_backup = listed(store)
    # A damaged backup is none: neither counted nor offered for a restore.
    backups = [backup for backup in every_backup if damage(backup.path) is None]
    daily_ones = [backup.day for backup in backups if backup.kind == "daily"]
    watched = [] if shared else [folder]  # a shared directory is said as such, not chmodded
    watched += [store, *(Path(f"{store}{suffix}") for suffix in COMPANIONS)]
    watched += [directory(store), *(backup.path for backup in every_backup)]
    files = [*base.files, *(mode for mode in map(_mode_or_none, watched) if mode is not None)]
    facts = replace(
        base,
        store=str(store),
        exists=exists,
        problem=problem,
        wal_bytes=_size(Path(f"{store}-wal")),
        directory=str(folder),
        shared_directory=shared,
        files=files,
        backups_directory=str(directory(store)),
        backups=daily_ones,
        newest_backup=str(backups[0].path) if backups else None,
        other_backups=len(backups) - len(daily_ones),
        free_bytes=_free(folder),
        store_bytes=_size(store),
    )
    if found is None:
        return facts
    return replace(
        facts,
        version=found.version,
        integrity=found.integrity,
        items=found.items,
        journal_entries=found.journal_entries,
        journal_oldest=found.journal_oldest,
        journal_newest=found.journal_newest,
    )


def _mode(path: Path) -> FileMode:
    info = path.stat()
    return FileMode(str(path), info.st_mode, stat.S_ISDIR(info.st_mode), info.st_uid)


def _mode_or_none(path: Path) -> FileMode | None:
    try:
        return _mode(path)
    except OSError:
        return None


def _shared(folder: Path) -> bool:
    """A directory others use too: someone else's, or writable by all (``/tmp``)."""
    try:
        info = folder.stat()
    except OSError:
        return False
    return info.st_uid != os.geteuid() or bool(info.st_mode & stat.S_IWOTH)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _free(folder: Path) -> int | None:
    """Free space for this user on the disk of ``folder`` (its nearest existing parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        found = os.statvfs(folder)
    except OSError:
        return None
    return found.f_bavail * found.f_frsize


def _zone_name() -> str | None:
    """The local time zone's name: ``TZ``, else the system's (``/etc/localtime``)."""
    named = os.environ.get("TZ", "").lstrip(":")
    if named:
        return named
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        return link.split("zoneinfo/", 1)[1]
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def hide_password(url: str) -> str:
    """A database URL fit to print: ``postgresql://tech:***@host/db``."""
    from techqueue.db.backends import hide_password as hidden

    return hidden(url)
