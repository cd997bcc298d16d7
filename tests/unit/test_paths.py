"""techqueue's own directories are platformdirs' answers, whether worked out in ``paths.py``
(Linux, the usual environment: no import of platformdirs on a short command) or asked of
platformdirs itself."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs
import pytest

from techqueue import paths

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the worked-out route is Linux's")

_VARIABLES = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "TECHQUEUE_CONFIG")


def _theirs() -> dict[str, Path]:
    return {
        "cache": platformdirs.user_cache_path("techqueue") / "config-cache.json",
        "config": platformdirs.user_config_path("techqueue") / "config.toml",
        "data": platformdirs.user_data_path("techqueue") / "techqueue.db",
    }


def _ours() -> dict[str, Path]:
    return {
        "cache": paths.cache_path(),
        "config": paths.config_path(),
        "data": paths.default_store_path(),
    }


@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        ("/tmp/xdg base", "/home/someone"),
        ("/tmp/xdg/", "/home/someone/"),
        ("relative/xdg", "/home/someone"),  # a relative XDG variable is ignored
        ("", "/home/someone"),
        (None, "/home/someone"),
        (None, "/"),
        (None, "relative/home"),  # platformdirs decides (the password database)
        (None, None),
    ],
)
def test_the_directories_are_platformdirs_own(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str | None
) -> None:
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name in _VARIABLES[:3]:
        if xdg is not None:
            monkeypatch.setenv(name, xdg)
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    assert _ours() == _theirs()


def test_a_short_route_needs_no_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the XDG variables set, the answer is worked out without asking platformdirs."""
    monkeypatch.setenv("XDG_CACHE_HOME", "/tmp/cache")
    monkeypatch.setattr(platformdirs, "user_cache_path", None)
    assert paths.cache_path("x.json") == Path("/tmp/cache/techqueue/x.json")


class _Failing:
    """A file whose write fails as ``failure`` says (a full disk, Ctrl-C)."""

    def __init__(self, handle: object, failure: BaseException) -> None:
        self._handle, self._failure = handle, failure

    def __enter__(self) -> _Failing:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()  # type: ignore[attr-defined]

    def write(self, data: bytes) -> int:
        raise self._failure


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_cache_that_cannot_be_written_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """Half a cache is never read, and no temporary file is left in the cache directory; a
    full disk is only a slower next command, Ctrl-C still stops the command."""
    path = tmp_path / "cache" / "queue-1.bin"
    paths.write_cache(path, b"old")
    fdopen = os.fdopen

    def failing(descriptor: int, mode: str) -> _Failing:
        return _Failing(fdopen(descriptor, mode), failure)

    monkeypatch.setattr(os, "fdopen", failing)
    if isinstance(failure, OSError):
        paths.write_cache(path, b"new")
    else:
        with pytest.raises(KeyboardInterrupt):
            paths.write_cache(path, b"new")
    assert path.read_bytes() == b"old"
    assert sorted(entry.name for entry in path.parent.iterdir()) == ["queue-1.bin"]
