"""The import progress bar: never drawn when stderr is not a terminal, and only after its
delay when it is."""

from __future__ import annotations

import io

import pytest

from techqueue.cli.progress import Progress


def test_piped_it_stays_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    with Progress("reading mail", 3, delay=0) as progress:
        for _ in range(3):
            progress.advance()
    assert progress.done == 3
    assert capsys.readouterr() == ("", "")


def test_in_a_terminal_it_shows_after_its_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr("sys.stderr", screen)
    with Progress("reading mail", 10, delay=3600) as slow:
        slow.advance(5)
    assert screen.getvalue() == ""  # a short import never shows a bar
    with Progress("reading mail", 10, delay=0) as quick:
        quick.advance(5)
        quick.advance(5)
    assert "reading mail" in screen.getvalue()
