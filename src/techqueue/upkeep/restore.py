"""Restore: the store put back as a backup holds it, the current store kept first.

The backup is checked before anything is touched — a techqueue store, not from a newer
techqueue, passing SQLite's integrity check — and a damaged or foreign file is refused, left
as it is. The current store is then kept as a backup (``backups/…-before-restore-…``), so a
restore is itself undone by restoring that. A usable store is loaded in place through the
online backup API (one transaction; an app that has it open sees the restored content); one
too damaged to open is kept byte for byte and replaced as a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from techqueue.db.files import Examined, copy_bytes, examine, put_in_place
from techqueue.errors import BadRequest, StoreError, StoreUnusable
from techqueue.store import Store, open_store
from techqueue.upkeep.backups import kept_path, looked_at, make_directory

__all__ = ["Restored", "restore"]


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did."""

    source: Path
    store: Path
    #: Where the store as it was is kept (``None``: there was no store yet).
    kept: Path | None
    #: What the backup held (its version, items, journal).
    found: Examined
    #: The items in the store now.
    items: int


def restore(store: str, source: Path, now: datetime) -> Restored:
    """Put the backup ``source`` in place of the store ``store`` (a path), keeping the
    current store first. Raises :class:`StoreUnusable` (the backup is damaged, foreign or
    newer: left as is), :class:`BadRequest` (it is the store itself) or
    :class:`StoreError` (team mode, or a file that cannot be written)."""
    if "://" in store:
        from techqueue.db.backends import hide_password

        raise StoreError(
            f"{hide_password(store)} is a database server: restore an export with techqueue "
            "import FILE into an empty database"
        )
    path = Path(store).expanduser()
    if looked_at(source, "restore") and path.exists() and source.resolve() == path.resolve():
        raise BadRequest(f"restore: {source} is the store itself: give a backup")
    found = _checked(source)
    kept = None
    if path.exists():
        kept = kept_path(path, "before-restore", now)
        make_directory(kept.parent)
        current = _open(path)
        if current is None:  # too damaged (or foreign) to open: kept as it is, then replaced
            copy_bytes(path, kept)
            put_in_place(source, path)
        else:
            with current:
                current.copy_to(kept)
                current.load_from(source)
    else:
        make_directory(path.parent)
        put_in_place(source, path)
    with open_store(path) as restored:  # brought up to this version, write-ahead log on
        items = restored.row_count("item")
    return Restored(source, path, kept, found, items)


def _checked(source: Path) -> Examined:
    """The backup, examined whole; refused when it is not a store techqueue can put back."""
    try:
        return examine(source, integrity=True)
    except StoreUnusable as error:
        if _looks_like_json(source):
            raise StoreUnusable(
                f"{source}: an export (JSON), not a backup: load it with techqueue import FILE "
                "(into an empty store); left as is"
            ) from None
        raise StoreUnusable(f"restore refused: {error}") from None


def _looks_like_json(source: Path) -> bool:
    """Whether the file begins as a JSON object does, in UTF-8 text: ``{`` then a name or
    ``}`` (random bytes start with a brace one time in 256, and are almost never text)."""
    import codecs

    if not source.is_file():  # a named pipe would be waited on for ever
        return False
    try:
        with source.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    try:
        codecs.utf_8_decode(head, "strict", False)  # a character cut at the end is fine
    except UnicodeDecodeError:
        return False
    start = head.lstrip()
    return start.startswith(b"{") and start[1:].lstrip()[:1] in (b'"', b"}")


def _open(path: Path) -> Store | None:
    try:
        return open_store(path)
    except StoreUnusable:
        return None
