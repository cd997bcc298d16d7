"""Writing a file the way every export does: all or nothing (a temporary file beside it,
owner-only, moved into place), so a full disk or Ctrl-C never leaves half a file."""

from __future__ import annotations

from pathlib import Path

from techqueue.cli.output import Failure, bad
from techqueue.paths import write_whole

__all__ = ["is_stdout", "write_file"]


def is_stdout(file: Path | None, command: str) -> bool:
    """Whether ``file`` means standard output (none, or ``-``); a path with no file name (a
    directory's ``/``) is refused."""
    if file is None or str(file) == "-":
        return True
    if not file.name:
        bad(f"{command}: give a file name, or - for standard output")
    return False


def write_file(file: Path, data: bytes, command: str) -> None:
    """Write ``data`` to ``file`` whole, or not at all."""
    try:
        write_whole(file, data)
    except OSError as error:
        raise Failure(f"{command}: cannot write {file}: {error.strerror}") from None
