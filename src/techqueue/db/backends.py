"""Two ways to reach the database, one small interface: the store's SQL runs on either.

:class:`EmbeddedDatabase` drives a local SQLite file through the stdlib ``sqlite3`` driver, so
a short command starts fast; it inspects an existing file read-only before it writes anything
and refuses one that is foreign, corrupt or newer. :class:`SQLAlchemyDatabase` runs the same
statements on any SQLAlchemy URL, with the tables created from the SQLModel classes.

Both speak the same dialect-neutral SQL with ``:name`` parameters, take aware datetimes and
return them as aware UTC datetimes, so the store above them is written once.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from techqueue.db.files import (
    FileProblem,
    copy_store,
    examine,
    failure,
    load_store,
    make_owner_only_directory,
    meaning_of,
    not_a_regular_file,
    readable_as_it_is,
    recover,
)
from techqueue.db.schema import (
    APPLICATION_ID,
    BOOLEAN_COLUMNS,
    DATETIME_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    create_statements,
    for_dialect,
    tables_at,
)
from techqueue.errors import StoreFailed, StoreUnusable

__all__ = [
    "Database",
    "EmbeddedDatabase",
    "SQLAlchemyDatabase",
    "convert_row",
    "hide_password",
]

Row = dict[str, Any]


class Database(Protocol):
    """What the store needs from a backend."""

    description: str
    #: ``sqlite`` or ``postgresql``: which DDL the schema is written in (and whether rows
    #: can be locked one by one: a team claims items on PostgreSQL).
    dialect: str

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...
    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]: ...
    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any: ...
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None: ...
    def insert(self, sql: str, params: Mapping[str, Any]) -> int: ...
    def transaction(self) -> contextlib.AbstractContextManager[None]: ...
    def lock(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...
    def lock_free(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]: ...
    def close(self) -> None: ...


def hide_password(url: str) -> str:
    """A database URL fit to print: ``postgresql://tech:***@host/db`` (and a ``password=``
    parameter hidden likewise)."""
    url = re.sub(r"://([^:/@]*):[^@/]*@", r"://\1:***@", url)
    return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", url)


def to_utc_text(moment: datetime) -> str:
    """An aware time as stored: UTC, without zone, microseconds (SQLAlchemy's SQLite format)."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def from_stored(value: Any) -> datetime | None:
    """A stored time as an aware UTC datetime (text from SQLite, a datetime from SQLAlchemy)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    # Appending the zone lets one C call build the aware time: .replace() costs more than
    # the parse, and this runs for every time of every open item.
    return datetime.fromisoformat(value + "+00:00")


def convert_row(columns: list[str], values: tuple[Any, ...]) -> Row:
    row = dict(zip(columns, values, strict=True))
    for name in columns:
        if name in DATETIME_COLUMNS:
            row[name] = from_stored(row[name])
        elif name in BOOLEAN_COLUMNS and row[name] is not None:
            row[name] = bool(row[name])
    return row


class EmbeddedDatabase:
    """A local SQLite file through stdlib ``sqlite3``: WAL, a busy timeout, BEGIN IMMEDIATE."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, reading_only: bool = False) -> None:
        """The store at ``path``, made, migrated and switched to write-ahead logging as
        needed; ``reading_only``: opened for reading alone (:meth:`_open_for_reading`)."""
        self.path = path
        self.description = str(path)
        self._in_transaction = False
        if reading_only:
            self._open_for_reading()
            return
        created = _prepare(path)
        try:
            self._connection = sqlite3.connect(
                path, timeout=10.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreUnusable(f"{path}: cannot open the store: {error}") from None
        try:
            self._identity = _identity(path)
            self._connection.execute("PRAGMA foreign_keys = ON")
            self._connection.execute("PRAGMA busy_timeout = 10000")
            if created:
                self._create()
            else:
                self._migrate()
                # A store put back from a backup (one file, no write-ahead log) is used like
                # any other: readers never wait for a writer.
                self._use_wal()
        except (sqlite3.Error, StoreFailed, OSError) as error:
            self._connection.close()
            raise StoreUnusable(f"{path}: cannot open the store: {_opening(error, path)}") from None

    def _open_for_reading(self) -> None:
        """Open the store for reading alone, as it is, all of it read at one moment (one
        read transaction, never ended): for a process that must not write (the app's first
        rows read beside its launch). The store is not made, migrated, switched or rolled
        back: one that would need it (:func:`~techqueue.db.files.readable_as_it_is`), or of
        another version, is refused (:class:`StoreUnusable`), with nothing made beside it;
        SQLite refuses every write. (Beside a store it reads, SQLite makes its write-ahead
        log and shared-memory files when they are not there, as for any reader.)"""
        import urllib.parse

        path = self.path
        if not readable_as_it_is(path):
            raise StoreUnusable(f"{path}: not readable as it is; left to a process that writes")
        address = f"file:{urllib.parse.quote(os.fspath(path.resolve()))}?mode=ro"
        try:
            self._connection = sqlite3.connect(
                address, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError) as error:
            raise StoreUnusable(f"{path}: cannot open the store: {error}") from None
        try:
            self._identity = _identity(path)
            self._connection.execute("PRAGMA query_only = ON")
            self._connection.execute("BEGIN")
            version = self._version()
        except (sqlite3.Error, OSError) as error:
            self._connection.close()
            raise StoreUnusable(f"{path}: cannot read the store: {error}") from None
        if version != SCHEMA_VERSION:
            self._connection.close()
            raise StoreUnusable(f"{path}: a store of version {version}; left as is")

    @property
    def identity(self) -> tuple[int, int]:
        """The device and inode of the file this connection opened."""
        return self._identity

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    def _create(self) -> None:
        with self.transaction():
            if self._version():
                return  # another process created it between our check and our lock
            self._create_tables()
        self._use_wal()

    def _create_tables(self) -> None:
        """The tables of a new store, in the write transaction the caller holds."""
        for statement in create_statements():
            self._connection.execute(statement)
        self._connection.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', :v)",
            {"v": str(SCHEMA_VERSION)},
        )
        self._connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        self._connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _use_wal(self, patience: float = 10.0) -> None:
        """Switch the file to write-ahead logging, once. The switch needs the file to itself
        and SQLite answers "locked" at once, without its busy timeout, while another process
        has it open (two first opens at once): wait a moment and look again, as the timeout
        would."""
        deadline = time.monotonic() + patience
        while True:
            try:
                if self._connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    self._connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _migrate(self) -> None:
        """Bring the store up to this version's schema: from the version it has once nobody
        else may write (another process may have migrated it since it was first looked at).
        A store at version 0 is one whose creation SQLite rolled back after a crash (see
        :func:`techqueue.db.files.recover`): empty, so it is created afresh."""
        if self._version() == SCHEMA_VERSION:
            return
        with self.transaction():
            version = self._version()
            if version == SCHEMA_VERSION:
                return  # another process migrated it between our look and our lock
            if version == 0:
                if self._connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
                    raise StoreUnusable(
                        f"{self.path}: not a techqueue store (tables, but no version); left as is"
                    )
                self._create_tables()
                return
            for step in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[step]:
                    self._connection.execute(statement)
            self._connection.execute(
                "UPDATE meta SET value = :v WHERE key = 'schema_version'",
                {"v": str(SCHEMA_VERSION)},
            )
            self._connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, started with BEGIN IMMEDIATE; nested calls join it.

        A store file deleted or replaced since it was opened is written to no more (the
        writes would go to a file nobody will read again), and a failure of the disk or the
        file is one line saying that nothing was saved (:class:`StoreFailed`)."""
        if self._in_transaction:
            yield
            return
        problem = self.file_problem()
        if problem is not None:
            raise StoreFailed(f"{problem.said}: nothing was saved")
        self._run("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException as error:
            with contextlib.suppress(sqlite3.Error):
                self._connection.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                raise self._fail(error, writing=True) from None
            raise
        else:
            try:
                self._connection.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self._connection.execute("ROLLBACK")
                raise self._fail(error, writing=True) from None
        finally:
            self._in_transaction = False

    def _fail(self, error: sqlite3.Error, *, writing: bool) -> StoreFailed | sqlite3.Error:
        """The error to raise for ``error``: one line about the store (see :func:`failure`)."""
        return failure(error, self.path, writing=writing or self._in_transaction)

    def _run(self, sql: str) -> None:
        try:
            self._connection.execute(sql)
        except sqlite3.Error as error:
            raise self._fail(error, writing=True) from None

    def file_problem(self) -> FileProblem | None:
        """``None`` while the store's path still names the file this connection has open;
        otherwise what happened to it (deleted, or replaced by another file)."""
        try:
            identity = _identity(self.path)
        except FileNotFoundError:
            said = "the store file was deleted while techqueue had it open"
            return FileProblem("deleted", f"{self.path}: {said}")
        except OSError as error:
            said = f"the store file cannot be looked at: {error.strerror}"
            return FileProblem("unreadable", f"{self.path}: {said}")
        if identity != self._identity:
            return FileProblem("replaced", f"{self.path}: the store file was replaced by another")
        return None

    def copy_to(self, target: Path) -> None:
        """An online copy of the store into ``target`` (see :func:`copy_store`)."""
        copy_store(self._connection, target)

    def load_from(self, source: Path) -> None:
        """Everything in the store replaced by what the store file ``source`` holds, then
        brought up to this version's schema (see :func:`load_store`)."""
        load_store(source, self._connection)
        self._migrate()

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        try:
            cursor = self._connection.execute(sql, _params(params))
            columns = [column[0] for column in cursor.description]
            found = cursor.fetchall()
        except sqlite3.Error as error:
            raise self._fail(error, writing=False) from None
        return [convert_row(columns, values) for values in found]

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Raw tuples, times as stored: for the few hot queries that convert by position."""
        try:
            return self._connection.execute(sql, _params(params)).fetchall()
        except sqlite3.Error as error:
            raise self._fail(error, writing=False) from None

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            row = self._connection.execute(sql, _params(params)).fetchone()
        except sqlite3.Error as error:
            raise self._fail(error, writing=False) from None
        return None if row is None else row[0]

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        try:
            self._connection.execute(sql, _params(params))
        except sqlite3.Error as error:
            raise self._fail(error, writing=True) from None

    def insert(self, sql: str, params: Mapping[str, Any]) -> int:
        try:
            row = self._connection.execute(sql + " RETURNING id", _params(params)).fetchone()
        except sqlite3.Error as error:
            raise self._fail(error, writing=True) from None
        return int(row[0])

    def lock(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows of ``sql``: inside a write transaction (BEGIN IMMEDIATE) nobody else writes,
        so they are as good as locked."""
        return self.query(sql, params)

    lock_free = lock

    def close(self) -> None:
        self._connection.close()


def _opening(error: BaseException, path: Path) -> str:
    """Why the store at ``path`` could not be opened, in words (SQLite's own in brackets)."""
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, sqlite3.Error):
        meaning = meaning_of(error)
        return f"{meaning} ({error})" if meaning else str(error)
    return str(error).removeprefix(f"{path}: ")


def _identity(path: Path) -> tuple[int, int]:
    """Which file ``path`` names now: its device and inode."""
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    if not params:
        return {}
    return {
        key: to_utc_text(value) if isinstance(value, datetime) else value
        for key, value in params.items()
    }


def _prepare(path: Path) -> bool:
    """Make sure ``path`` is a store this code may write; True when it was just created.

    An existing file is inspected read-only, and refused before anything is written when it is
    not SQLite, not a techqueue store, or from a newer techqueue. A missing file is created
    owner-only (0600) in a directory created owner-only (0700) when missing.
    A named pipe, a device or anything else that is not a regular file is refused untouched.
    A transaction a crash left unfinished is rolled back first (:func:`recover`); a file
    empty after it, as one created but never initialised, is a new store, made owner-only.
    """
    while True:
        try:
            info = path.stat()
        except FileNotFoundError:
            info = None
        except OSError as error:
            raise StoreUnusable(f"{path}: cannot read the store: {error.strerror}") from None
        if info is not None:
            refusal = not_a_regular_file(path, info.st_mode)
            if refusal is not None:
                raise refusal
            recover(path)  # before the size: rolled back, a store being created is empty again
            if path.stat().st_size > 0:
                examine(path, for_writing=True)
                return False
            # Created but never initialised (a crash at the first start): nothing lost, and
            # what techqueue writes in it is owner-only, whoever made the empty file.
            _owner_only(path)
            return True
        try:
            make_owner_only_directory(path.parent)
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            if path.is_symlink() and not path.exists():
                raise StoreUnusable(f"{path}: a symbolic link to nothing; left as is") from None
            continue  # another process created it a moment ago: look at it again
        except OSError as error:
            raise StoreUnusable(f"{path}: cannot create the store: {error.strerror}") from None
        try:
            os.fchmod(descriptor, 0o600)  # whatever the umask took away
        finally:
            os.close(descriptor)
        return True


def _owner_only(path: Path) -> None:
    """Make the empty file ``path`` owner-only (0600) before techqueue fills it."""
    try:
        os.chmod(path, 0o600)
    except OSError as error:
        raise StoreUnusable(
            f"{path}: cannot make the store owner-only: {error.strerror}; left as is"
        ) from None


class SQLAlchemyDatabase:
    """Any SQLAlchemy URL, tables from the SQLModel classes (PostgreSQL for a team)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, inspect, text
        from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
        from sqlmodel import SQLModel

        import techqueue.db.models  # noqa: F401  (registers the tables)

        self._text = text
        self.description = hide_password(url)
        try:
            self._engine = create_engine(url)
            self._connection = self._engine.connect()
            existing = set(inspect(self._connection).get_table_names())
            self._connection.commit()  # end the transaction the inspection began
            if not existing:
                with self._connection.begin():
                    SQLModel.metadata.create_all(self._connection)
                    self._connection.execute(
                        text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
                        {"v": str(SCHEMA_VERSION)},
                    )
            elif not set(tables_at(1)) <= existing:
                raise StoreUnusable(f"{self.description}: not a techqueue store; left as is")
            self.dialect = self._engine.dialect.name
            version = int(
                self._connection.execute(
                    text("SELECT value FROM meta WHERE key = 'schema_version'")
                ).scalar_one()
            )
            self._connection.commit()
            if version < SCHEMA_VERSION:
                with self._connection.begin():
                    for step in range(version + 1, SCHEMA_VERSION + 1):
                        for statement in MIGRATIONS[step]:
                            self._connection.execute(text(for_dialect(statement, self.dialect)))
                    self._connection.execute(
                        text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                        {"v": str(SCHEMA_VERSION)},
                    )
                version = SCHEMA_VERSION
        except ImportError as error:
            raise StoreUnusable(
                f"{self.description}: this database needs a driver that is not installed "
                f"({error.name})"
            ) from None
        except NoSuchModuleError:
            raise StoreUnusable(
                f"{self.description}: not a database URL SQLAlchemy knows"
            ) from None
        except SQLAlchemyError as error:
            message = hide_password(str(error).splitlines()[0])
            raise StoreUnusable(f"{self.description}: cannot open the store: {message}") from None
        if version > SCHEMA_VERSION:
            raise StoreUnusable(
                f"{self.description}: made by a newer techqueue (schema {version}); left as is"
            )
        self._in_transaction = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self._in_transaction = True
        try:
            with self._connection.begin():
                yield
        finally:
            self._in_transaction = False

    def _run(self, sql: str, params: Mapping[str, Any] | None) -> Any:
        values = {
            key: value.astimezone(UTC).replace(tzinfo=None)
            if isinstance(value, datetime)
            else value
            for key, value in (params or {}).items()
        }
        return self._connection.execute(self._text(sql), values)

    def _autocommit(self) -> None:
        if not self._in_transaction:
            self._connection.commit()

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        result = self._run(sql, params)
        columns = list(result.keys())
        rows = [convert_row(columns, tuple(values)) for values in result.fetchall()]
        self._autocommit()
        return rows

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        rows = [tuple(values) for values in self._run(sql, params).fetchall()]
        self._autocommit()
        return rows

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        value = self._run(sql, params).scalar()
        self._autocommit()
        return value

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._run(sql, params)
        self._autocommit()

    def insert(self, sql: str, params: Mapping[str, Any]) -> int:
        value = int(self._run(sql + " RETURNING id", params).scalar_one())
        self._autocommit()
        return value

    def lock(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows of ``sql`` locked for the transaction (on SQLite: the transaction's own)."""
        return self.query(sql + (" FOR UPDATE" if self.dialect == "postgresql" else ""), params)

    def lock_free(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows of ``sql`` locked for the transaction, those another holds skipped."""
        tail = " FOR UPDATE SKIP LOCKED" if self.dialect == "postgresql" else ""
        return self.query(sql + tail, params)

    def close(self) -> None:
        self._connection.close()
        self._engine.dispose()
