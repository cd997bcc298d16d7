"""``next`` in a fresh process takes up the queue the last whole read kept (see
``techqueue.views.kept_queue``) and says exactly what a whole read says: through the real
entry point, each command in its own interpreter, as a technician's shell runs them (what a
command has imported must not decide whether what was kept is used)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Home
from .support import MONDAY_9

pytestmark = pytest.mark.slow

#: ``next`` with the whole read taken away: it fails unless it uses what was kept.
_NEXT_WITHOUT_A_WHOLE_READ = """
import sys
from techqueue.store import Store

items = Store.items

def whole_read(self, statuses=("open",)):
    if "open" in statuses:
        raise SystemExit("next read every open item")
    return items(self, statuses)  # (the job in hand, say)

Store.items = whole_read
from techqueue.warm.client import run
sys.argv = ["techqueue", *sys.argv[1:]]
run()
"""


def _techqueue(cli_home: Home, *argv: str, probe: str | None = None) -> str:
    command = [sys.executable, "-c", probe] if probe else [sys.executable, "-m", "techqueue"]
    done = subprocess.run(
        [*command, *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "TECHQUEUE_NOW": MONDAY_9},
        cwd=cli_home.root,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _kept(cli_home: Home) -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"]).glob("techqueue/queue-*"))


def test_next_after_a_capture_reads_only_what_changed(cli_home: Home) -> None:
    for line in ("Printer jammed #printer", "VPN down !high", "Reset password ~1m"):
        _techqueue(cli_home, "add", line)
    _techqueue(cli_home, "list")  # a whole read keeps the queue
    assert len(_kept(cli_home)) == 1
    _techqueue(cli_home, "add", "CEO laptop *vip !critical")
    for argv in (("next",), ("next", "--json")):
        taken_up = _techqueue(cli_home, *argv, probe=_NEXT_WITHOUT_A_WHOLE_READ)
        for kept in _kept(cli_home):
            kept.unlink()
        assert taken_up == _techqueue(cli_home, *argv), argv
        assert "CEO laptop" in taken_up
