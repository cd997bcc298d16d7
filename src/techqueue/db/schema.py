"""The embedded backend's schema: DDL, version and forward migrations, without the ORM.

The tables are those of :mod:`techqueue.db.models` written out as SQLite DDL, so a short command
never imports SQLModel; ``tests/store/test_schema.py`` proves the two definitions match. Every
change of the schema bumps :data:`SCHEMA_VERSION`, adds its migration to :data:`MIGRATIONS`
and ships a fixture store of the previous version that a test migrates.
"""

from __future__ import annotations

import re

__all__ = [
    "APPLICATION_ID",
    "BOOLEAN_COLUMNS",
    "DATETIME_COLUMNS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TABLES",
    "create_statements",
    "for_dialect",
    "tables_at",
]

#: Written into every embedded store's header: "tQue". A SQLite file without it is foreign.
APPLICATION_ID = 0x74517565
#: The schema version this code reads and writes.
SCHEMA_VERSION = 6

#: Tables in dependency order (a table only refers to those before it).
TABLES = ("meta", "requester", "recurrence", "item", "note", "reminder", "work_span", "journal")

#: The tables added after the first version, with the version that added them.
TABLES_SINCE = {"recurrence": 4}


def tables_at(version: int) -> tuple[str, ...]:
    """The tables a store of schema ``version`` has (a migration may add more)."""
    return tuple(name for name in TABLES if TABLES_SINCE.get(name, 1) <= version)


#: Columns holding times (stored as UTC text, ``YYYY-MM-DD HH:MM:SS.ffffff``).
DATETIME_COLUMNS = frozenset(
    {
        "created_at",
        "received_at",
        "started_at",
        "done_at",
        "due_at",
        "deferred_until",
        "promise_due_at",
        "dismissed_at",
        "ended_at",
        "at",
        "clock_at",
        "appointment_at",
        "waiting_since",
        "chase_at",
        "anchor_at",
        "stopped_at",
    }
)
#: Columns holding true/false (stored as 0/1 by SQLite).
BOOLEAN_COLUMNS = frozenset({"vip", "pinned", "undone"})

_CREATE = (
    """CREATE TABLE meta (
    "key" VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY ("key")
)""",
    """CREATE TABLE requester (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    email VARCHAR,
    vip BOOLEAN NOT NULL,
    note VARCHAR,
    created_at DATETIME NOT NULL,
    same_as INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(same_as) REFERENCES requester (id)
)""",
    "CREATE INDEX ix_requester_email ON requester (email)",
    "CREATE INDEX ix_requester_name ON requester (name)",
    """CREATE TABLE recurrence (
    id INTEGER NOT NULL,
    fields VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    anchor_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    stopped_at DATETIME,
    PRIMARY KEY (id)
)""",
    """CREATE TABLE item (
    id INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    requester_id INTEGER,
    channel VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    impact INTEGER NOT NULL,
    estimate_minutes FLOAT,
    status VARCHAR NOT NULL,
    vip BOOLEAN NOT NULL,
    pinned BOOLEAN NOT NULL,
    bump FLOAT NOT NULL,
    tags VARCHAR NOT NULL,
    ref VARCHAR,
    received_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    started_at DATETIME,
    done_at DATETIME,
    due_at DATETIME,
    deferred_until DATETIME,
    promise_due_at DATETIME,
    drop_reason VARCHAR,
    waited_minutes FLOAT NOT NULL,
    clock_at DATETIME,
    contact_waited_minutes FLOAT,
    appointment_at DATETIME,
    appointment_minutes FLOAT,
    solution VARCHAR,
    waiting_on VARCHAR,
    waiting_kind VARCHAR,
    waiting_since DATETIME,
    chase_at DATETIME,
    recurrence_id INTEGER,
    assignee VARCHAR,
    PRIMARY KEY (id),
    FOREIGN KEY(requester_id) REFERENCES requester (id),
    FOREIGN KEY(recurrence_id) REFERENCES recurrence (id)
)""",
    "CREATE INDEX ix_item_ref ON item (ref)",
    "CREATE INDEX ix_item_status ON item (status)",
    "CREATE INDEX ix_item_assignee ON item (assignee)",
    """CREATE TABLE note (
    id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    due_at DATETIME,
    ref VARCHAR,
    PRIMARY KEY (id),
    FOREIGN KEY(item_id) REFERENCES item (id)
)""",
    "CREATE INDEX ix_note_item_id ON note (item_id)",
    "CREATE INDEX ix_note_ref ON note (ref)",
    """CREATE TABLE reminder (
    id INTEGER NOT NULL,
    item_id INTEGER,
    text VARCHAR NOT NULL,
    due_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    dismissed_at DATETIME,
    PRIMARY KEY (id),
    FOREIGN KEY(item_id) REFERENCES item (id)
)""",
    "CREATE INDEX ix_reminder_item_id ON reminder (item_id)",
    """CREATE TABLE work_span (
    id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    started_at DATETIME NOT NULL,
    ended_at DATETIME,
    note VARCHAR,
    technician VARCHAR,
    PRIMARY KEY (id),
    FOREIGN KEY(item_id) REFERENCES item (id)
)""",
    "CREATE INDEX ix_work_span_item_id ON work_span (item_id)",
    "CREATE INDEX ix_work_span_started_at ON work_span (started_at)",
    """CREATE TABLE journal (
    id INTEGER NOT NULL,
    at DATETIME NOT NULL,
    action VARCHAR NOT NULL,
    item_id INTEGER,
    summary VARCHAR NOT NULL,
    changes VARCHAR NOT NULL,
    undone BOOLEAN NOT NULL,
    mark VARCHAR,
    PRIMARY KEY (id)
)""",
)

#: Forward migrations: ``MIGRATIONS[n]`` takes a store from version ``n - 1`` to ``n``.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: every item keeps its own waiting clock in working time (techqueue.core.worktime):
    # the working minutes waited when it was last checkpointed, when that was, and the count
    # at the last word to the customer. Existing items wait from their arrival, as before.
    2: (
        "ALTER TABLE item ADD COLUMN waited_minutes FLOAT NOT NULL DEFAULT 0",
        "ALTER TABLE item ADD COLUMN clock_at DATETIME",
        "ALTER TABLE item ADD COLUMN contact_waited_minutes FLOAT",
    ),
    # 3: intake. A note keeps the reference of the mail it came from (a reply's Message-ID),
    # so a reply to a reply finds its item and a mail imported twice adds nothing; a name or
    # address linked to another requester points at them (one person, several spellings);
    # references and addresses are looked up on every imported mail, so they are indexed.
    3: (
        "ALTER TABLE note ADD COLUMN ref VARCHAR",
        "ALTER TABLE requester ADD COLUMN same_as INTEGER REFERENCES requester (id)",
        "CREATE INDEX ix_item_ref ON item (ref)",
        "CREATE INDEX ix_note_ref ON note (ref)",
        "CREATE INDEX ix_requester_email ON requester (email)",
    ),
    # 4: serving everyone (issue 23, part B), one self-contained step: an item may hold a
    # booked slot (an appointment: when, and for how many minutes), the line saying how it
    # was solved, and whom it waits on besides the customer (a vendor, a colleague: who,
    # which kind, since when, and when to chase them). Every existing item has none of them.
    # Recurring work: a rule (what each instance is, as item fields in JSON, and when they
    # come), and each instance pointing at its rule.
    4: (
        """CREATE TABLE recurrence (
    id INTEGER NOT NULL,
    fields VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    anchor_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL,
    stopped_at DATETIME,
    PRIMARY KEY (id)
)""",
        "ALTER TABLE item ADD COLUMN recurrence_id INTEGER REFERENCES recurrence (id)",
        "ALTER TABLE item ADD COLUMN appointment_at DATETIME",
        "ALTER TABLE item ADD COLUMN appointment_minutes FLOAT",
        "ALTER TABLE item ADD COLUMN solution VARCHAR",
        "ALTER TABLE item ADD COLUMN waiting_on VARCHAR",
        "ALTER TABLE item ADD COLUMN waiting_kind VARCHAR",
        "ALTER TABLE item ADD COLUMN waiting_since DATETIME",
        "ALTER TABLE item ADD COLUMN chase_at DATETIME",
    ),
    # 5: a team (one store on a database server, several technicians). An item is had by
    # one technician (``assignee``, by name; nobody's when empty), and each span of work was
    # worked by one (``technician``; empty: the store's one technician, as before a team).
    5: (
        "ALTER TABLE item ADD COLUMN assignee VARCHAR",
        "CREATE INDEX ix_item_assignee ON item (assignee)",
        "ALTER TABLE work_span ADD COLUMN technician VARCHAR",
    ),
    # 6: every journal entry written from now on carries a random mark, so that a journal
    # position kept outside the store (the caches of the queue and of the estimates) names
    # one entry of one history: a store file overwritten by an older copy of itself, or
    # deleted and made again, reaches the same entry numbers with other entries. The
    # entries before have none (they are told apart by their time and summary).
    6: ("ALTER TABLE journal ADD COLUMN mark VARCHAR",),
}


def create_statements(dialect: str = "sqlite") -> tuple[str, ...]:
    """The statements that create an empty store of the current version, in ``dialect``."""
    if dialect == "sqlite":
        return _CREATE
    return tuple(for_dialect(statement, dialect) for statement in _CREATE)


def for_dialect(statement: str, dialect: str) -> str:
    """One statement of :data:`_CREATE` or :data:`MIGRATIONS` (written for SQLite) as
    ``dialect`` (``sqlite`` or ``postgresql``) runs it: the one place their DDL differs.

    PostgreSQL has no ``DATETIME`` (times are ``TIMESTAMP``, UTC without a zone, as SQLAlchemy
    makes them from the SQLModel classes), and its ids count from an identity column."""
    if dialect == "sqlite":
        return statement
    if dialect != "postgresql":
        raise ValueError(f"no DDL for {dialect!r}")
    statement = re.sub(r"\bDATETIME\b", "TIMESTAMP WITHOUT TIME ZONE", statement)
    statement = re.sub(r"\bFLOAT\b", "DOUBLE PRECISION", statement)
    return statement.replace(
        "\n    id INTEGER NOT NULL,", "\n    id INTEGER GENERATED BY DEFAULT AS IDENTITY,"
    )
