"""A short command ends its process at once, its output whole (``cli.main.finish``).

Each test runs the console script's ``run`` in a fresh interpreter whose ``os._exit`` says it
was called, so what is checked is the real exit: the status, every byte of the output, and
the store as the next command finds it.
"""

from __future__ import annotations

import json

import pytest

from .conftest import RunSubprocess
from .support import MONDAY_9, Result

pytestmark = pytest.mark.slow

#: The console script, with ``os._exit`` marked; ``AT_EXIT`` in the environment registers a
#: function at exit, ``THREAD`` leaves a thread running.
PROBE = r"""
import os, sys
real_exit = os._exit
def marked(code):
    sys.stderr.write(f"ended at once: {code}\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = marked
if os.environ.get("AT_EXIT"):
    import atexit
    atexit.register(lambda: print("the function at exit ran"))
if os.environ.get("THREAD"):
    import threading, time
    threading.Thread(target=time.sleep, args=(0.3,)).start()
sys.argv = ["techqueue", *sys.argv[1:]]
from techqueue.warm.client import run
sys.exit(run())
"""


def _run(run_subprocess: RunSubprocess, *argv: str) -> Result:
    return run_subprocess(*argv, now=MONDAY_9, probe=PROBE)


def test_a_short_command_ends_at_once_with_its_output_and_status(
    run_subprocess: RunSubprocess,
) -> None:
    added = _run(run_subprocess, "add", "Printer jammed !high")
    assert (added.code, added.out) == (0, "1\n")
    assert added.err.endswith("ended at once: 0\n")
    refused = _run(run_subprocess, "add", "Printer !urgentish")
    assert refused.code == 2
    assert refused.err.endswith("ended at once: 2\n")
    assert "urgentish" in refused.err
    assert refused.out == ""


def test_a_long_output_is_written_whole_and_the_store_is_left_whole(
    run_subprocess: RunSubprocess,
) -> None:
    for number in range(40):
        assert _run(run_subprocess, "add", f"Task {number} " + "x" * 200).code == 0
    listed = _run(run_subprocess, "list", "--json")
    assert listed.code == 0
    assert listed.err.endswith("ended at once: 0\n")
    assert len(listed.out) > 16_384, "longer than any buffer: flushed, not dropped"
    items = json.loads(listed.out)
    assert len(items) == 40
    done = _run(run_subprocess, "done", str(items[0]["id"]))
    assert done.code == 0
    again = json.loads(_run(run_subprocess, "list", "--json").out)
    assert [item["id"] for item in again] == [item["id"] for item in items[1:]]


def test_a_command_that_is_not_short_exits_the_ordinary_way(
    run_subprocess: RunSubprocess,
) -> None:
    for argv in (["--version"], ["add", "--help"], ["export"]):
        result = _run(run_subprocess, *argv)
        assert result.code == 0, result.err
        assert "ended at once" not in result.err, argv


@pytest.mark.parametrize("left", ["AT_EXIT", "THREAD"])
def test_anything_left_to_run_at_exit_gets_the_ordinary_exit(
    run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch, left: str
) -> None:
    monkeypatch.setenv(left, "1")
    result = _run(run_subprocess, "add", "Printer jammed")
    assert result.code == 0
    assert "ended at once" not in result.err
    if left == "AT_EXIT":
        assert result.out == "1\nthe function at exit ran\n"
