"""What the command line writes: results on stdout, advice and failures on stderr, every
failure one line (``techqueue: …``) with the contract's exit status: 2 for bad input, 1 for
the rest."""

from __future__ import annotations

import errno
import json
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

__all__ = ["PROG", "Failure", "bad", "echo", "fail", "note", "output_lost", "print_json"]

PROG = "techqueue"


class Failure(Exception):
    """A command failed in an expected way: print the message, exit with the code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def bad(message: str) -> NoReturn:
    """Refuse bad input: one line, exit status 2."""
    raise Failure(message, 2)


def echo(text: str = "") -> None:
    try:
        sys.stdout.write(text + "\n")
    except BrokenPipeError:
        raise  # the reader stopped reading (``| head``): quiet, see cli.main._guarded
    except OSError as error:
        raise Failure(output_lost(error), 1) from None


def output_lost(error: OSError) -> str:
    """The line that says the output could not be written (a full disk, say)."""
    return f"could not write the output: {error.strerror or error}"


def note(text: str) -> None:
    """A line for the person, not for a pipe: on stderr (when there is one: ``2>&-``)."""
    if sys.stderr is not None:
        sys.stderr.write(text + "\n")


def fail(message: str, code: int) -> int:
    """Say why on one line of stderr, cleaned of control characters (a message may quote
    what was typed or stored); return the exit status."""
    from techqueue.core.text import clean_text

    said = clean_text(message)
    if len(said) > _LONGEST:  # a message quoting a pasted page says its start
        said = said[: _LONGEST - 1] + "…"
    if sys.stderr is not None:  # (closed, ``2>&-``: the status says it alone)
        sys.stderr.write(f"{PROG}: {said}\n")
    return code


#: The longest failure line, in characters.
_LONGEST = 400


def _write_all(binary: Any, data: bytes) -> None:
    """All of ``data`` to ``binary``: a buffered stream takes it whole, but an unbuffered
    one (``-u``, ``PYTHONUNBUFFERED``) is the raw file, which may take part of it (a pipe
    that is full) or none (one left non-blocking by whoever gave it): written again from
    where it stopped, and an error when it takes nothing."""
    view = memoryview(data)
    while view:
        written = binary.write(view)
        if written is None or written < 0:
            raise BlockingIOError(errno.EAGAIN, "the output would block")
        if written == 0:
            raise OSError(errno.EIO, "the output took nothing")
        view = view[written:]


def _safe(encoded: bytes) -> bytes:
    """Encoded JSON with DEL and the C1 controls escaped (``json_safe``)."""
    if b"\x7f" in encoded or b"\xc2" in encoded:  # DEL or a C1 control, perhaps
        from techqueue.core.text import json_safe

        return json_safe(encoded.decode("utf-8")).encode("utf-8")
    return encoded


def print_json(data: Any) -> None:
    """Indented for a person at a terminal; compact, and encoded by orjson, for a pipe; the
    controls JSON keeps raw (DEL, C1) escaped either way."""
    from techqueue.core.text import json_safe

    if sys.stdout.isatty():
        echo(json_safe(json.dumps(data, ensure_ascii=False, indent=2)))
        return
    import orjson

    print_encoded(orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE))


def print_encoded(encoded: bytes | Iterable[bytes]) -> None:
    """Compact JSON already encoded (one line, with its newline; or that line in pieces,
    each of whole characters, written as they come) to a pipe, as :func:`print_json` writes
    it there."""
    pieces = (encoded,) if isinstance(encoded, bytes) else encoded
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        echo(b"".join(map(_safe, pieces)).decode("utf-8").removesuffix("\n"))
        return
    try:
        sys.stdout.flush()
        for piece in pieces:
            _write_all(binary, _safe(piece))
        binary.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        raise Failure(output_lost(error), 1) from None
