"""The health check's judgement: what ``techqueue doctor`` found, checked line by line.

Gathering the facts is I/O (:mod:`techqueue.upkeep.doctor`); deciding what they mean, and
what the technician should do about each, is here, pure: each check is one line, fine or
needing action, and an action always comes with what to do.
"""

from __future__ import annotations

import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from techqueue.core.text import clean_text, plural

__all__ = ["Check", "Facts", "FileMode", "check_all", "line"]

#: A write-ahead log larger than this is not being folded back into the store.
WAL_TOO_BIG = 64 * 1024 * 1024
#: Free space below this (or below twice the store) is too little to keep working safely.
FREE_SPACE_LEAST = 100 * 1024 * 1024
#: How far the store's last write may lie after the clock's now before the clock is doubted.
CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the health check."""

    name: str
    fine: bool
    said: str
    #: What to do about it (``None`` when nothing needs doing).
    fix: str | None = None


@dataclass(frozen=True, slots=True)
class FileMode:
    """A file or directory of techqueue's, as the file system has it."""

    path: str
    mode: int
    directory: bool
    owner: int


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the health check looked at."""

    now: datetime
    #: Where the store is: a path, or a database URL with its password hidden.
    store: str
    team: bool = False
    exists: bool = False
    #: Why the store cannot be used (``None``: it can, or it does not exist yet).
    problem: str | None = None
    version: int | None = None
    current_version: int = 0
    integrity: str | None = None
    items: int = 0
    journal_entries: int = 0
    journal_oldest: datetime | None = None
    journal_newest: datetime | None = None
    wal_bytes: int = 0
    journal_days: int = 90
    journal_kept: int = 100
    #: The store's directory, and whether it is someone else's (a shared one, like /tmp).
    directory: str = ""
    shared_directory: bool = False
    files: Sequence[FileMode] = ()
    user: int = 0
    backups_directory: str = ""
    #: The days of the daily backups, newest first, and the newest backup of any kind.
    backups: Sequence[date] = ()
    newest_backup: str | None = None
    other_backups: int = 0
    zone: str | None = None
    fixed_clock: str | None = None
    config: str = ""
    config_present: bool = False
    config_problem: str | None = None
    free_bytes: int | None = None
    store_bytes: int = 0


def check_all(facts: Facts) -> list[Check]:
    """Every check, in the order they are printed."""
    return [
        _store(facts),
        _schema(facts),
        _permissions(facts),
        _journal(facts),
        _backups(facts),
        _clock(facts),
        _config(facts),
        _disk(facts),
    ]


def line(check: Check) -> str:
    """``ok   store: …`` or ``FIX  backups: … -> do this``; what the store or the file system
    said is cleaned of control characters (a path may hold anything)."""
    head = "ok " if check.fine else "FIX"
    text = f"{head}  {check.name}: {clean_text(check.said)}"
    return text if check.fix is None else f"{text} -> {clean_text(check.fix)}"


def _store(facts: Facts) -> Check:
    if facts.team:
        return Check(
            "store",
            True,
            f"{facts.store}: a database server (team mode); its own integrity and backups "
            "are the server's to check",
        )
    if facts.problem is not None:
        return Check("store", False, facts.problem, _store_fix(facts))
    if not facts.exists:
        return Check("store", True, f"{facts.store}: not created yet (the first capture does)")
    return Check(
        "store",
        True,
        f"{facts.store}: {plural(facts.items, 'item')}, integrity {facts.integrity or 'ok'}",
    )


def _store_fix(facts: Facts) -> str:
    problem = facts.problem or ""
    if "newer techqueue" in problem:
        return "upgrade techqueue to read it (it is left as is)"
    if "read-only" in problem:
        return f"chmod u+rw '{facts.store}' (or run techqueue as the file's owner)"
    if "not a techqueue store" in problem:
        return "point TECHQUEUE_DB or --db at your store, or move that file away"
    if facts.newest_backup is not None:
        return (
            f"techqueue restore '{facts.newest_backup}' (the newest backup; the damaged store "
            "is kept beside it)"
        )
    return "move the damaged file aside; techqueue then starts a new, empty store"


def _schema(facts: Facts) -> Check:
    if facts.team or facts.version is None:
        return Check("schema", True, "not read (see store)" if facts.exists else "none yet")
    current = facts.current_version
    if facts.version == current:
        return Check("schema", True, f"version {facts.version}, this techqueue's")
    if facts.version < current:
        return Check(
            "schema",
            True,
            f"version {facts.version}: brought up to {current} the next time techqueue opens it",
        )
    return Check(
        "schema",
        False,
        f"version {facts.version}, newer than this techqueue's {current}",
        "upgrade techqueue (the store is left as is)",
    )


def _permissions(facts: Facts) -> Check:
    if facts.team:
        return Check("permissions", True, "team mode: the server's")
    if facts.shared_directory:
        return Check(
            "permissions",
            False,
            f"the store is in '{facts.directory}', a directory others use",
            "keep it in a directory of your own (the default is in ~/.local/share/techqueue)",
        )
    loose = [each for each in facts.files if _loose(each)]
    foreign = [each for each in facts.files if each.owner != facts.user]
    if foreign:
        names = ", ".join(f"'{each.path}'" for each in foreign)
        return Check(
            "permissions",
            False,
            f"owned by someone else: {names}",
            "run techqueue as their owner, or chown them to you",
        )
    if not loose:
        checked = len(facts.files)
        return Check("permissions", True, f"{plural(checked, 'file')} and directories, owner-only")
    said = ", ".join(f"'{each.path}' is {stat.S_IMODE(each.mode):04o}" for each in loose)
    commands = []
    for mode, directory in (("700", True), ("600", False)):
        paths = [f"'{each.path}'" for each in loose if each.directory == directory]
        if paths:
            commands.append(f"chmod {mode} {' '.join(paths)}")
    return Check("permissions", False, f"others can read: {said}", "; ".join(commands))


def _loose(file: FileMode) -> bool:
    """Anyone but the owner may read or write it (a config file may be read by others)."""
    bits = stat.S_IRWXG | stat.S_IRWXO
    if file.path.endswith(".toml"):
        bits = stat.S_IWGRP | stat.S_IWOTH
    return bool(file.mode & bits)


def _journal(facts: Facts) -> Check:
    if facts.team or facts.problem is not None or not facts.exists:
        return Check("journal", True, "not read" if facts.exists else "none yet")
    wal = f"; write-ahead log {_size(facts.wal_bytes)}"
    said = f"{plural(facts.journal_entries, 'action')} of undo history"
    if facts.journal_oldest is not None:
        said += f" since {facts.journal_oldest.astimezone(facts.now.tzinfo):%Y-%m-%d}"
    said += f" (kept {facts.journal_days} days){wal}"
    if facts.wal_bytes > WAL_TOO_BIG:
        return Check(
            "journal",
            False,
            said,
            "quit every techqueue and open one again: the log is folded back into the store",
        )
    stale = facts.now - timedelta(days=facts.journal_days + 2)
    if (
        facts.journal_oldest is not None
        and facts.journal_oldest < stale
        and facts.journal_entries > facts.journal_kept
    ):
        return Check(
            "journal",
            False,
            said + "; older history is not being trimmed",
            "run any techqueue command: the day's upkeep trims it (is the store writable?)",
        )
    return Check("journal", True, said)


def _backups(facts: Facts) -> Check:
    if facts.team:
        return Check(
            "backups",
            True,
            "team mode: the server's own backups are the server's; techqueue backup FILE "
            "writes a portable export",
        )
    if not facts.exists or (facts.items == 0 and facts.problem is None):
        return Check("backups", True, "none needed yet (nothing stored)")
    where = f"'{facts.backups_directory}'"
    others = f" (and {facts.other_backups} kept by restores)" if facts.other_backups else ""
    if not facts.backups:
        return Check(
            "backups", False, f"none in {where}{others}", "techqueue backup (one now, then daily)"
        )
    newest = facts.backups[0]
    today = facts.now.date()
    said = f"{plural(len(facts.backups), 'daily backup')} in {where}, the newest of {newest}"
    changed = (
        facts.journal_newest.astimezone(facts.now.tzinfo).date() if facts.journal_newest else None
    )
    if (today - newest).days > 1 and (changed is None or changed > newest):
        return Check(
            "backups",
            False,
            f"{said}, {(today - newest).days} days ago, and the store changed since",
            f"techqueue backup; check that {where} is writable and the disk has room",
        )
    return Check("backups", True, said + others)


def _clock(facts: Facts) -> Check:
    now = facts.now
    offset = now.strftime("%z")
    zone = f"{facts.zone} (UTC{offset[:3]}:{offset[3:]})" if facts.zone else f"UTC{offset}"
    said = f"{now:%Y-%m-%d %H:%M}, time zone {zone}"
    if facts.fixed_clock is not None:
        return Check(
            "clock",
            False,
            f"fixed by TECHQUEUE_NOW={facts.fixed_clock}: nothing ticks",
            "unset TECHQUEUE_NOW (it is for tests and demos, never for real work)",
        )
    newest = facts.journal_newest
    if newest is not None and newest > now + CLOCK_SLACK:
        return Check(
            "clock",
            False,
            f"{said}, but the store was last written at "
            f"{newest.astimezone(now.tzinfo):%Y-%m-%d %H:%M}, later than that",
            "check the system clock and time zone (timedatectl, or the TZ variable)",
        )
    if facts.zone is None:
        return Check("clock", True, f"{said} (the zone's name is unknown)")
    return Check("clock", True, said)


def _config(facts: Facts) -> Check:
    if facts.config_problem is not None:
        return Check(
            "config",
            False,
            facts.config_problem,
            "edit it: docs/config.md lists every setting, techqueue config shows what is used",
        )
    if not facts.config_present:
        return Check("config", True, f"'{facts.config}' not present: every default")
    return Check("config", True, f"'{facts.config}' read without a problem")


def _disk(facts: Facts) -> Check:
    if facts.team or facts.free_bytes is None:
        return Check("disk", True, "team mode: the server's" if facts.team else "not measured")
    least = max(FREE_SPACE_LEAST, 2 * facts.store_bytes)
    said = f"{_size(facts.free_bytes)} free beside the store"
    if facts.free_bytes < least:
        return Check(
            "disk",
            False,
            said,
            f"make room (at least {_size(least)}): on a full disk nothing can be saved",
        )
    return Check("disk", True, said)


def _size(size: int) -> str:
    """Bytes as a person reads them: ``512 B``, ``3.2 MB``, ``1.1 GB``."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
