"""``next`` in a fresh process takes up the queue the last whole read kept (see
``techqueue.views.kept_queue``) and says exactly what a whole read says: through the real
entry point, each command in its own interpreter, as a technician's shell runs them (what a
command has imported must not decide whether what was kept is used)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Home, RunSubprocess
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


def _techqueue(run_subprocess: RunSubprocess, *argv: str, probe: str | None = None) -> str:
    done = run_subprocess(*argv, now=MONDAY_9, probe=probe)
    assert done.code == 0, done.err
    return done.out


def _kept(cli_home: Home) -> list[Path]:
    return sorted((cli_home.root / "xdg_cache_home").glob("techqueue/queue-*"))


def test_next_after_a_capture_reads_only_what_changed(
    cli_home: Home, run_subprocess: RunSubprocess
) -> None:
    for line in ("Printer jammed #printer", "VPN down !high", "Reset password ~1m"):
        _techqueue(run_subprocess, "add", line)
    _techqueue(run_subprocess, "list")  # a whole read keeps the queue
    assert len(_kept(cli_home)) == 1
    _techqueue(run_subprocess, "add", "CEO laptop *vip !critical")
    for argv in (("next",), ("next", "--json")):
        taken_up = _techqueue(run_subprocess, *argv, probe=_NEXT_WITHOUT_A_WHOLE_READ)
        for kept in _kept(cli_home):
            kept.unlink()
        assert taken_up == _techqueue(run_subprocess, *argv), argv
        assert "CEO laptop" in taken_up
