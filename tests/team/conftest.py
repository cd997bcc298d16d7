"""Fixtures of the team tests: the session's throw-away PostgreSQL server (started on first
use, stopped when the session ends; every test here is skipped, saying why, where no server
can be started) and a new, empty store on it per test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from .server import Cluster, Unavailable, shared, why_not


@pytest.fixture
def cluster() -> Cluster:
    """The session's PostgreSQL server."""
    try:
        return shared()
    except Unavailable as error:
        pytest.skip(str(error))


@pytest.fixture
def team_url(cluster: Cluster) -> str:
    """A URL of a new, empty database schema on it: a team store of its own."""
    return cluster.new_schema()


@pytest.fixture
def now() -> datetime:
    """Monday 2 March 2026, 09:00 UTC."""
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server of the module's own, for tests that stop and restart it (the
    session's server holds the other tests' stores)."""
    reason = why_not()
    if reason is not None:
        pytest.skip(reason)
    try:
        cluster = Cluster()
    except (RuntimeError, OSError) as error:
        pytest.skip(f"no PostgreSQL server could be started: {str(error)[:300]}")
    try:
        yield cluster
    finally:
        cluster.destroy()
