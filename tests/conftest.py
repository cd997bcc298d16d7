"""Fixtures shared by every test: no test may touch the developer's own data or config."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis: no per-example deadline anywhere (a cold import or a busy CI machine must not
# turn into a flaky failure); CI runs more examples. HYPOTHESIS_PROFILE picks one explicitly.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, max_examples=200, print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the store, the config and every platform directory into ``tmp_path``.

    ``TECHQUEUE_NOW`` is removed so that a clock fixed in the developer's shell cannot leak
    in; a test that wants a fixed clock sets it itself. ``TECHQUEUE_WARM=0``: no warm
    process. Subprocesses inherit all of this.
    Returns the temporary home, for tests that want to put files there.
    """
    monkeypatch.setenv("TECHQUEUE_DB", str(tmp_path / "techqueue.db"))
    monkeypatch.setenv("TECHQUEUE_CONFIG", str(tmp_path / "config.toml"))
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        directory = tmp_path / name.lower()
        directory.mkdir()
        monkeypatch.setenv(name, str(directory))
    monkeypatch.delenv("TECHQUEUE_NOW", raising=False)
    monkeypatch.delenv("TECHQUEUE_USER", raising=False)
    # No team command of a test hands itself to a warm process or leaves one running; the
    # warm helper's own tests (tests/team/test_warm.py) ask for one, in a directory of theirs.
    monkeypatch.setenv("TECHQUEUE_WARM", "0")
    return tmp_path


@pytest.fixture(scope="session", autouse=True)
def postgres_cluster_stopped() -> Iterator[None]:
    """The throw-away PostgreSQL cluster of the team tests (``tests/team/server.py``), started
    by the first test that needs it, stopped and deleted when the session ends."""
    yield
    from team.server import stop_shared

    stop_shared()


@contextlib.contextmanager
def _in_zone(name: str) -> Iterator[None]:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    _forget_zones()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()
        _forget_zones()


def _forget_zones() -> None:
    """The local zones the JSON views found (they keep them by the hour) forgotten."""
    from techqueue.views import json as views_json

    views_json._ZONES.clear()


@pytest.fixture
def in_zone() -> Callable[[str], AbstractContextManager[None]]:
    """``with in_zone(name):`` runs a block in the local time zone ``name`` (``TZ``: a tz
    database name, or a POSIX zone such as ``XST+3:30`` that needs none), the machine's zone
    put back after it."""
    return _in_zone
