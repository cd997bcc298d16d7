"""A team's store on a PostgreSQL server, through psycopg 3 directly.

SQLAlchemy costs a command a quarter of a second to import and more to build its engine; the
store's SQL is plain enough to hand to the driver itself. One connection per command (the
command line) or per app; autocommit between statements, and every write in one explicit
transaction (``BEGIN`` … ``COMMIT``) that also sends ``NOTIFY techqueue``, so every open app
hears of it (:mod:`techqueue.db.listen`). The schema is the embedded one's, written for
PostgreSQL by :func:`~techqueue.db.schema.for_dialect`, and migrated by the same steps.

psycopg is imported only when a ``postgresql://`` store is opened: ``pip install
'techqueue[postgres]'`` brings it, and a solo technician never needs it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from techqueue.db.backends import Row, convert_row, hide_password
from techqueue.db.schema import MIGRATIONS, SCHEMA_VERSION, TABLES, create_statements, for_dialect
from techqueue.errors import StoreFailed, StoreUnusable

if TYPE_CHECKING:
    import psycopg

__all__ = ["CHANNEL", "PostgresDatabase", "connect", "hide_password", "is_postgres_url"]

#: The channel every write is announced on (``NOTIFY techqueue``).
CHANNEL = "techqueue"
#: The advisory lock held while a store is created or migrated (two first commands at once).
_SCHEMA_LOCK = 0x74517565
_PARAM = re.compile(r"'[^']*'|(?<![:\w]):([A-Za-z_]\w*)")
_INSERT = re.compile(r"\s*INSERT INTO (\w+) \(id,")
_converted: dict[str, str] = {}


def is_postgres_url(text: str) -> bool:
    """Whether ``text`` names a PostgreSQL store (``postgresql://`` or ``postgres://``,
    with or without a ``+psycopg`` driver suffix)."""
    scheme = text.partition("://")[0].lower()
    return scheme.split("+")[0] in ("postgresql", "postgres")


def libpq_url(url: str) -> str:
    """The URL as libpq reads it: SQLAlchemy's ``postgresql+psycopg://`` spelling accepted."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql{sep}{rest}" if "+" in scheme else url


def to_pyformat(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (a literal ``%`` doubled); quoted text
    and ``::`` casts are left alone. Cached: the store sends the same few statements."""
    found = _converted.get(sql)
    if found is None:
        escaped = sql.replace("%", "%%")
        found = _PARAM.sub(
            lambda match: match.group(0) if match.group(1) is None else f"%({match.group(1)})s",
            escaped,
        )
        _converted[sql] = found
    return found


def _values(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Times as UTC without a zone (the columns' type, and an index still serves them)."""
    if not params:
        return {}
    return {
        key: value.astimezone(UTC).replace(tzinfo=None) if isinstance(value, datetime) else value
        for key, value in params.items()
    }


def connect(url: str, *, what: str = "cannot open the store") -> psycopg.Connection[Any]:
    """A connection to the server at ``url``, in autocommit (transactions are explicit); one
    line naming the store, its password hidden, when it cannot be made."""
    try:
        import psycopg
    except ImportError:
        raise StoreUnusable(
            f"{hide_password(url)}: team mode needs the PostgreSQL driver: "
            "pip install 'techqueue[postgres]'"
        ) from None
    try:
        return psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        raise StoreUnusable(f"{hide_password(url)}: {what}: {_said(error, url)}") from None


def _said(error: BaseException, url: str) -> str:
    """The first line of a driver's message, without a password it may quote."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[-1] if lines and lines[0].startswith("connection failed") else ""
    text = text or (lines[0] if lines else type(error).__name__)
    text = text.removeprefix("connection failed: ")
    password = re.search(r"://[^:/@]*:([^@/]*)@", url)
    if password and password.group(1):
        text = text.replace(password.group(1), "***")
    return hide_password(text)


class PostgresDatabase:
    """A store on a PostgreSQL server, for a team: psycopg 3, no ORM."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.description = hide_password(url)
        self._in_transaction = False
        self._explicit_ids: set[str] = set()
        self._connection = connect(url)
        import psycopg

        self._errors: type[Exception] = psycopg.Error
        self._lost: type[Exception] = psycopg.OperationalError
        try:
            self._prepare()
        except StoreUnusable:
            self._connection.close()
            raise
        except (psycopg.Error, StoreFailed) as error:
            self._connection.close()
            raise StoreUnusable(
                f"{self.description}: cannot open the store: {_said(error, url)}"
            ) from None

    # --- the schema ----------------------------------------------------------------------

    def _version(self) -> int | None:
        """The store's schema version; ``None`` when the database holds no techqueue store.
        One round trip: a missing table is an error the server answers with."""
        import psycopg.errors

        if self._in_transaction:  # an error would spoil the transaction: ask first
            exists = self._connection.execute("SELECT to_regclass('meta') IS NOT NULL")
            row = exists.fetchone()
            if row is None or not row[0]:
                return None
        try:
            found = self._connection.execute(
                "SELECT value FROM meta WHERE \"key\" = 'schema_version'"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return None
        return None if found is None else int(found[0])

    def _prepare(self) -> None:
        version = self._version()
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise StoreUnusable(
                f"{self.description}: made by a newer techqueue (schema {version}); left as is"
            )
        with self.transaction():
            # Two first commands at once: one creates (or migrates), the other waits, then
            # finds it done.
            self._connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            version = self._version()
            if version is None:
                self._create()
            elif version < SCHEMA_VERSION:
                self._migrate(version)

    def _create(self) -> None:
        existing = {
            row[0]
            for row in self._connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchall()
        }
        if existing & set(TABLES):
            raise StoreUnusable(f"{self.description}: not a techqueue store; left as is")
        for statement in create_statements("postgresql"):
            self._connection.execute(statement)
        self._connection.execute(
            "INSERT INTO meta (\"key\", value) VALUES ('schema_version', %s)",
            (str(SCHEMA_VERSION),),
        )

    def _migrate(self, version: int) -> None:
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                self._connection.execute(for_dialect(statement, self.dialect))
        self._connection.execute(
            "UPDATE meta SET value = %s WHERE \"key\" = 'schema_version'", (str(SCHEMA_VERSION),)
        )

    # --- transactions ----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join it. It announces itself on commit
        (``NOTIFY techqueue``), and a server lost on the way rolls it back whole: one line
        saying nothing was saved (:class:`StoreFailed`)."""
        if self._in_transaction:
            yield
            return
        self._live()
        self._in_transaction = True
        self._explicit_ids = set()
        try:
            try:
                self._connection.execute("BEGIN")
            except self._errors as error:
                raise self._fail(error, writing=True) from None
            try:
                yield
                for table in sorted(self._explicit_ids):
                    self._resync_ids(table)
                self._connection.execute(f"NOTIFY {CHANNEL}")
                self._connection.execute("COMMIT")
            except BaseException as error:
                with contextlib.suppress(Exception):
                    self._connection.execute("ROLLBACK")
                if isinstance(error, self._errors):
                    raise self._fail(error, writing=True) from None
                raise
        finally:
            self._in_transaction = False

    def _resync_ids(self, table: str) -> None:
        """Rows inserted with their own ids (an import, an undo) leave the id counter behind;
        move it past them so the next new row does not take one of theirs."""
        self._connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
        )

    def _fail(self, error: BaseException, *, writing: bool) -> StoreFailed:
        """One line about what went wrong, naming the store (password hidden)."""
        said = _said(error, self.url)
        if isinstance(error, self._lost) or self._connection.closed:
            said = f"the database server could not be reached ({said})"
        tail = ": nothing was saved" if writing or self._in_transaction else ""
        return StoreFailed(f"{self.description}: {said}{tail}")

    # --- statements ------------------------------------------------------------------------

    def _live(self) -> None:
        """A connection that works, opened again when the server went away and came back
        (a restart, a dropped network) while no transaction was under way."""
        connection = self._connection
        if not (connection.closed or connection.broken):
            return
        if self._in_transaction:
            raise StoreFailed(
                f"{self.description}: the database server could not be reached: nothing was saved"
            )
        try:
            self._connection = connect(self.url)
        except StoreUnusable as error:
            said = str(error).split(": cannot open the store: ", 1)[-1]
            raise StoreFailed(
                f"{self.description}: the database server could not be reached ({said})"
            ) from None

    def _cursor(self, sql: str, params: Mapping[str, Any] | None, *, writing: bool) -> Any:
        self._live()
        try:
            return self._connection.execute(to_pyformat(sql), _values(params))
        except self._errors as error:
            if (
                isinstance(error, self._lost)
                and not self._in_transaction
                and (self._connection.closed or self._connection.broken)
            ):
                # A read between transactions lost its server: once more, on a new
                # connection (nothing was written, so nothing can be written twice).
                self._live()
                try:
                    return self._connection.execute(to_pyformat(sql), _values(params))
                except self._errors as again:
                    raise self._fail(again, writing=writing) from None
            raise self._fail(error, writing=writing) from None

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        cursor = self._cursor(sql, params, writing=False)
        columns = [column.name for column in cursor.description]
        return [convert_row(columns, values) for values in cursor.fetchall()]

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return list(self._cursor(sql, params, writing=False).fetchall())

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self._cursor(sql, params, writing=False).fetchone()
        return None if row is None else row[0]

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self._note_explicit_id(sql, params)
        self._cursor(sql, params, writing=True)

    def insert(self, sql: str, params: Mapping[str, Any]) -> int:
        self._note_explicit_id(sql, params)
        row = self._cursor(sql + " RETURNING id", params, writing=True).fetchone()
        return int(row[0])

    def _note_explicit_id(self, sql: str, params: Mapping[str, Any] | None) -> None:
        if params and "id" in params:
            found = _INSERT.match(sql)
            if found is not None:
                self._explicit_ids.add(found.group(1))

    def lock_free(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows of ``sql`` (a SELECT of one table) locked for this transaction, those another
        transaction holds skipped: how two technicians never claim the same item."""
        return self.query(f"{sql} FOR UPDATE SKIP LOCKED", params)

    def lock(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Rows of ``sql`` locked for this transaction, waiting for whoever holds them."""
        return self.query(f"{sql} FOR UPDATE", params)

    @property
    def backend_pid(self) -> int | None:
        """The server process of this connection (whose ``NOTIFY`` is this process's own)."""
        connection = self._connection
        return None if connection.closed else int(connection.info.backend_pid)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._connection.close()
