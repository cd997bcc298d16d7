"""Kept files read ahead (the warm process's standby child reads the kept queue and listing
the last command used before the next command arrives): what was read ahead is taken only
while the file is still the one read, once; anything else is read from the file as it is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from techqueue.views import kept_queue


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    """Each test with nothing read ahead nor used before it (the module's own state)."""
    kept_queue._READ_AHEAD.clear()
    kept_queue._USED.clear()
    yield
    kept_queue._READ_AHEAD.clear()
    kept_queue._USED.clear()


HEADER = ("key", 7, (1, 2), "mark")


def kept(path: Path, body: object, header: tuple[object, ...] = HEADER) -> Path:
    kept_queue.write_kept(path, header, body)
    return path


def test_what_was_read_ahead_is_taken_as_it_was_read_once(tmp_path: Path) -> None:
    path = kept(tmp_path / "queue-1.bin", {1: ("a", "b")})
    kept_queue.read_ahead([str(path)])
    first = kept_queue.read_kept(path)
    assert first is not None
    header, body = first
    assert header == HEADER
    loaded = body.load()
    assert loaded == {1: ("a", "b")}
    assert body.load() is loaded, "taken apart ahead: the very object read then"
    again = kept_queue.read_kept(path)
    assert again is not None
    assert again[1].load() == loaded
    assert again[1].load() is not loaded, "read ahead for one command: used once"


def test_a_file_replaced_after_it_was_read_ahead_is_read_as_it_is_now(tmp_path: Path) -> None:
    path = kept(tmp_path / "listing-1.bin", ["old"])
    kept_queue.read_ahead([str(path)])
    kept(path, ["new"], ("key", 8, (), "mark"))  # another command kept it again meanwhile
    found = kept_queue.read_kept(path)
    assert found is not None
    assert found[0] == ("key", 8, (), "mark")
    assert found[1].load() == ["new"]


def test_a_file_changed_in_place_after_it_was_read_ahead_is_read_as_it_is_now(
    tmp_path: Path,
) -> None:
    """Caches are replaced whole; one written in place anyway (by hand, or by other code)
    changes its size or time, and is read again."""
    path = kept(tmp_path / "queue-2.bin", ["before"])
    kept_queue.read_ahead([str(path)])
    data = bytearray(path.read_bytes())
    replacement = tmp_path / "other.bin"
    kept(replacement, ["after!"])
    with open(path, "r+b") as handle:
        handle.write(replacement.read_bytes())
    os.utime(path, ns=(0, os.stat(path).st_mtime_ns + 1_000_000))
    assert path.read_bytes() != bytes(data)
    found = kept_queue.read_kept(path)
    assert found is not None
    assert found[1].load() == ["after!"]


def test_a_file_gone_after_it_was_read_ahead_is_gone(tmp_path: Path) -> None:
    path = kept(tmp_path / "queue-3.bin", [1])
    kept_queue.read_ahead([str(path)])
    path.unlink()
    assert kept_queue.read_kept(path) is None


def test_reading_ahead_passes_over_what_cannot_be_read(tmp_path: Path) -> None:
    good = kept(tmp_path / "good.bin", (1, 2, 3))
    damaged = tmp_path / "damaged.bin"
    damaged.write_bytes(good.read_bytes()[:-3])
    headless = tmp_path / "headless.bin"
    headless.write_bytes(b"\xff\xff")
    names = [str(tmp_path / "missing.bin"), str(damaged), str(headless), str(good)]
    kept_queue.read_ahead(names)
    assert list(kept_queue._READ_AHEAD) == [str(good)]
    assert kept_queue.read_kept(headless) is None
    found = kept_queue.read_kept(damaged)
    assert found is not None, "its header is whole"
    with pytest.raises((EOFError, ValueError, TypeError)):
        found[1].load()


def test_the_files_a_command_used_are_those_it_read_or_wrote_once_each(tmp_path: Path) -> None:
    """What the warm process reads ahead for the next command."""
    queue = kept(tmp_path / "queue-4.bin", [1])
    listing = kept(tmp_path / "listing-4.bin", [2])
    assert kept_queue.used_files() == [str(queue), str(listing)], "written"
    kept_queue._USED.clear()
    assert kept_queue.read_kept(tmp_path / "missing.bin") is None
    assert kept_queue.used_files() == [], "a file not read is not used"
    kept_queue.read_kept(listing)
    kept_queue.read_kept(queue)
    kept_queue.read_kept(listing)
    assert kept_queue.used_files() == [str(listing), str(queue)]
