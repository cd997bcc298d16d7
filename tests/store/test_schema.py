"""The embedded backend's hand-written DDL (``schema.py``) matches the SQLModel classes
(``models.py``, the one definition of the data model): table for table, column for column,
key for key, index for index."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from techqueue.db.schema import (
    APPLICATION_ID,
    BOOLEAN_COLUMNS,
    DATETIME_COLUMNS,
    SCHEMA_VERSION,
    TABLES,
    create_statements,
)
from techqueue.store import open_store

from .support import sqlmodel_url

Described = dict[str, Any]
#: Every table as the embedded DDL makes it, and as the SQLModel definitions make it.
Schemas = tuple[dict[str, Described], dict[str, Described]]


def _sqlmodel_file(path: Path) -> Path:
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import techqueue.db.models  # noqa: F401  (registers the tables)

    engine = create_engine(f"sqlite:///{path}")
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()
    return path


def _embedded_file(path: Path) -> Path:
    open_store(path).close()
    return path


def describe(path: Path) -> dict[str, Described]:
    """Every table of a SQLite file as PRAGMA sees it."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        described: dict[str, Described] = {}
        for table in tables:
            columns = [
                {
                    "cid": cid,
                    "name": name,
                    "type": kind,
                    "notnull": notnull,
                    "default": default,
                    "pk": pk,
                }
                for cid, name, kind, notnull, default, pk in connection.execute(
                    f"PRAGMA table_info('{table}')"
                )
            ]
            foreign = sorted(
                (table_to, column_from, column_to, on_update, on_delete, match)
                for _, _, table_to, column_from, column_to, on_update, on_delete, match in (
                    connection.execute(f"PRAGMA foreign_key_list('{table}')")
                )
            )
            indexes = {}
            for _, index, unique, origin, partial in connection.execute(
                f"PRAGMA index_list('{table}')"
            ):
                indexes[index] = {
                    "unique": unique,
                    "origin": origin,
                    "partial": partial,
                    "columns": [
                        (seqno, name)
                        for seqno, _, name in connection.execute(f"PRAGMA index_info('{index}')")
                    ],
                }
            described[table] = {"columns": columns, "foreign_keys": foreign, "indexes": indexes}
        return described
    finally:
        connection.close()


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> Schemas:
    directory = tmp_path_factory.mktemp("schemas")
    embedded = describe(_embedded_file(directory / "embedded.db"))
    from_models = describe(_sqlmodel_file(directory / "models.db"))
    return embedded, from_models


def test_the_same_tables(schemas: Schemas) -> None:
    embedded, from_models = schemas
    assert sorted(embedded) == sorted(from_models) == sorted(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_the_same_columns(schemas: Schemas, table: str) -> None:
    embedded, from_models = schemas
    assert embedded[table]["columns"] == from_models[table]["columns"]


@pytest.mark.parametrize("table", TABLES)
def test_the_same_foreign_keys(schemas: Schemas, table: str) -> None:
    embedded, from_models = schemas
    assert embedded[table]["foreign_keys"] == from_models[table]["foreign_keys"]


@pytest.mark.parametrize("table", TABLES)
def test_the_same_indexes(schemas: Schemas, table: str) -> None:
    embedded, from_models = schemas
    assert embedded[table]["indexes"] == from_models[table]["indexes"]


def test_the_comparison_is_not_vacuous(schemas: Schemas) -> None:
    embedded, _ = schemas
    item = embedded["item"]
    assert len(item["columns"]) == 33
    assert item["foreign_keys"] == [
        ("recurrence", "recurrence_id", "id", "NO ACTION", "NO ACTION", "NONE"),
        ("requester", "requester_id", "id", "NO ACTION", "NO ACTION", "NONE"),
    ]
    assert "ix_item_status" in item["indexes"]
    assert "sqlite_autoindex_meta_1" in embedded["meta"]["indexes"]
    assert sum(len(t["indexes"]) for t in embedded.values()) >= 7


def test_every_time_and_flag_column_is_declared_as_such(schemas: Schemas) -> None:
    """The backends convert columns by name: the names must mean the same in every table."""
    embedded, _ = schemas
    for table, described in embedded.items():
        for column in described["columns"]:
            if column["name"] in DATETIME_COLUMNS:
                assert column["type"] == "DATETIME", (table, column)
            if column["name"] in BOOLEAN_COLUMNS:
                assert column["type"] == "BOOLEAN", (table, column)
            if column["type"] == "DATETIME":
                assert column["name"] in DATETIME_COLUMNS, (table, column)
            if column["type"] == "BOOLEAN":
                assert column["name"] in BOOLEAN_COLUMNS, (table, column)


def test_tables_are_listed_in_dependency_order(schemas: Schemas) -> None:
    """A table refers only to those before it, or to itself (a requester linked to another)."""
    embedded, _ = schemas
    for position, table in enumerate(TABLES):
        for target, *_ in embedded[table]["foreign_keys"]:
            assert TABLES.index(target) <= position, (table, target)


def test_create_statements_make_every_table() -> None:
    statements = create_statements()
    created = [s.split()[2] for s in statements if s.startswith("CREATE TABLE")]
    assert created == list(TABLES)


def test_the_version_and_application_id_are_stored(tmp_path: Path) -> None:
    path = _embedded_file(tmp_path / "s.db")
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert int.from_bytes(b"tQue", "big") == APPLICATION_ID
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[
            0
        ] == str(SCHEMA_VERSION)
    finally:
        connection.close()


def test_the_sqlmodel_backend_refuses_a_newer_store(tmp_path: Path) -> None:
    from techqueue.errors import StoreUnusable

    url = sqlmodel_url(tmp_path)
    open_store(url).close()
    connection = sqlite3.connect(tmp_path / "m.db")
    with connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    connection.close()
    with pytest.raises(StoreUnusable) as raised:
        open_store(url)
    assert "\n" not in str(raised.value)
