"""Reading the files work arrives in: mailboxes (mbox, Maildir, ``.eml`` files) and CSV
exports, with the standard library's ``mailbox`` and ``csv``. What each message or row
means is the pure core's (:mod:`techqueue.core.mail`, :mod:`techqueue.core.csvrows`); here
are only the files, read without changing them, and one clear refusal for a file that is
none of these.
"""

from __future__ import annotations

import csv
import io
import mailbox
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from techqueue.errors import BadRequest, NotFound

__all__ = ["CsvFile", "MailSource", "mail_sources", "read_csv"]

#: The first line of a mail: a header (``Name: value``), or an mbox's ``From `` line.
_HEADER = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")


@dataclass(frozen=True, slots=True)
class MailSource:
    """One mailbox or mail file given on the command line, and how many messages it holds."""

    path: Path
    kind: str
    """``mbox``, ``maildir`` or ``eml``."""
    count: int

    def messages(self) -> Iterator[tuple[str, bytes]]:
        """Each message's place (for messages) and bytes, in the mailbox's order."""
        if self.kind == "eml":
            yield str(self.path), _read(self.path)
            return
        box: mailbox.Mailbox[mailbox.Message] = (
            mailbox.mbox(self.path, create=False)
            if self.kind == "mbox"
            else mailbox.Maildir(self.path, create=False)
        )
        try:
            for number, key in enumerate(box.iterkeys(), start=1):
                where = f"message {number}" if self.kind == "mbox" else f"mail {key}"
                yield f"{self.path}, {where}", box.get_bytes(key)
        finally:
            box.close()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    except OSError as error:
        raise NotFound(f"{path}: cannot read it: {error.strerror}") from None


def _mail_source(path: Path) -> list[MailSource]:
    if path.is_dir():
        if (path / "cur").is_dir() and (path / "new").is_dir():
            box = mailbox.Maildir(path, create=False)
            try:
                return [MailSource(path, "maildir", len(box))]
            finally:
                box.close()
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml" and p.is_file())
        if not files:
            raise BadRequest(f"{path}: not a Maildir (no cur/ and new/) and no .eml files in it")
        return [source for file in files for source in _mail_source(file)]
    try:
        with path.open("rb") as handle:
            start = handle.read(1024)
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file or directory") from None
    except OSError as error:
        raise NotFound(f"{path}: cannot read it: {error.strerror}") from None
    if start.startswith(b"From "):
        messages = mailbox.mbox(path, create=False)
        try:
            return [MailSource(path, "mbox", len(messages))]
        finally:
            messages.close()
    if _HEADER.match(start.lstrip(b"\r\n")):
        return [MailSource(path, "eml", 1)]
    raise BadRequest(f"{path}: not a mail (.eml), an mbox or a Maildir")


def mail_sources(paths: Sequence[Path]) -> list[MailSource]:
    """What each path is (an mbox file, a Maildir, an ``.eml`` file or a folder of them),
    every path checked before anything is read."""
    if not paths:
        raise BadRequest("give an mbox file, a Maildir or .eml files")
    return [source for path in paths for source in _mail_source(path)]


@dataclass(frozen=True, slots=True)
class CsvFile:
    """A CSV file's heading row and its rows, each with the line it starts on."""

    headings: list[str]
    rows: list[tuple[int, list[str]]]


def read_csv(path: Path | None, text: str | None = None) -> CsvFile:
    """The CSV at ``path`` (or ``text``, read from stdin): UTF-8 (a byte-order mark is
    fine), the delimiter found from its first lines (comma, semicolon, tab or bar). Blank
    rows are left out."""
    if text is None:
        assert path is not None
        try:
            text = _read(path).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadRequest(f"{path}: not UTF-8 text (save the export as CSV UTF-8)") from None
    text = text.removeprefix("\ufeff")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[str]]] = []
    headings: list[str] | None = None
    try:
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if not any(cell.strip() for cell in row):
                continue
            if headings is None:
                headings = row
            else:
                rows.append((line, row))
    except csv.Error as error:
        raise BadRequest(f"{path or 'stdin'}: line {reader.line_num}: {error}") from None
    if headings is None:
        raise BadRequest(f"{path or 'stdin'}: empty: no heading row")
    return CsvFile(headings, rows)
