"""JSON for a pipe is written whole or said to be lost (``cli.output.print_encoded``): an
unbuffered standard output (``-u``, ``PYTHONUNBUFFERED``) is the raw file, which may take
part of what it is given (a full pipe) or nothing (a pipe left non-blocking by whoever
handed it over); what it did not take is written again, and nothing taken is an error,
never a listing silently cut short with exit status 0."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest

from techqueue.cli.output import Failure, print_encoded


class _Raw(io.RawIOBase):
    """A raw output that takes at most ``most`` bytes a write, or nothing (``None``) once
    ``stall_after`` bytes are written."""

    def __init__(self, most: int, stall_after: int | None = None) -> None:
        self.taken = bytearray()
        self.most, self.stall_after = most, stall_after

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int | None:
        if self.stall_after is not None and len(self.taken) >= self.stall_after:
            return None
        chunk = bytes(data[: self.most])
        self.taken += chunk
        return len(chunk)


class _Out:
    """``sys.stdout`` over a raw output, as the interpreter makes it unbuffered."""

    def __init__(self, raw: _Raw) -> None:
        self.buffer = raw

    def flush(self) -> None:
        pass


def test_a_raw_output_taking_part_of_each_write_gets_it_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _Raw(most=7)
    monkeypatch.setattr(sys, "stdout", _Out(raw))
    pieces = [b'[{"id":1,"title":"a"},', b'{"id":2,"title":"\xc3\xa9"}', b"]\n"]
    print_encoded(iter(pieces))
    assert bytes(raw.taken) == b"".join(pieces)


def test_a_raw_output_taking_nothing_is_an_error_not_a_short_listing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _Raw(most=5, stall_after=10)
    monkeypatch.setattr(sys, "stdout", _Out(raw))
    with pytest.raises(Failure, match="could not write the output"):
        print_encoded(b'[{"id":1,"title":"printer jammed"}]\n')
