"""A short command ends its process at once, its output whole (``cli.main.finish``).

Each test runs the console script's ``run`` in a fresh interpreter whose ``os._exit`` says it
was called, so what is checked is the real exit: the status, every byte of the output, and
the store as the next command finds it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import RunSubprocess
from .support import MONDAY_9, Cli, Result

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


# --- output that cannot be written: one line, status 1, never Python's "Exception ignored" --


def _techqueue(
    *argv: str, unbuffered: bool = False, **streams: Any
) -> subprocess.CompletedProcess[bytes]:
    """``techqueue ARGV`` with its output buffered as a technician's shell has it (or not)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "techqueue", *argv],
        env={**env, "TECHQUEUE_NOW": MONDAY_9},
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        **streams,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize(
    "argv",
    [["add", "Printer jammed"], ["next"], ["show", "1", "--json"], ["list", "--json"], ["export"]],
)
def test_a_full_disk_is_said_in_one_line(run_subprocess: RunSubprocess, argv: list[str]) -> None:
    assert _run(run_subprocess, "add", "Monitor flickers").code == 0
    for unbuffered in (False, True):
        with open("/dev/full", "wb") as full:
            done = _techqueue(*argv, unbuffered=unbuffered, stdout=full)
        assert done.returncode == 1
        assert done.stderr.decode() == (
            "techqueue: could not write the output: No space left on device\n"
        ), unbuffered


def test_a_reader_that_stops_reading_ends_the_command_quietly(
    run_subprocess: RunSubprocess,
) -> None:
    """``techqueue list --json | true``: the pipe closed before the output came."""
    for number in range(30):
        assert _run(run_subprocess, "add", f"Task {number}").code == 0
    for argv in (["list", "--json"], ["add", "One more"], ["next"]):
        reading, writing = os.pipe()
        os.close(reading)
        try:
            done = _techqueue(*argv, stdout=writing)  # (buffered: the flush at the end fails)
        finally:
            os.close(writing)
        assert (done.returncode, done.stderr) == (1, b""), argv


def test_a_closed_standard_output_does_nothing(run_subprocess: RunSubprocess) -> None:
    done = subprocess.run(
        ["bash", "-c", 'exec "$0" -m techqueue add Printer >&-', sys.executable],
        env={**os.environ, "TECHQUEUE_NOW": MONDAY_9},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == b"techqueue: the standard output is closed; nothing was done\n"
    assert json.loads(_run(run_subprocess, "list", "--json").out) == []


# --- Ctrl-C at any moment: one line, status 130, and the truth about what was saved --------

INTERRUPTED_WHILE_STARTING = r"""
import sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "techqueue.cli.main":
            raise KeyboardInterrupt  # Ctrl-C while the command's modules are imported
        return None
sys.meta_path.insert(0, Interrupt())
sys.argv = ["techqueue", *sys.argv[1:]]
from techqueue.warm.client import run
sys.exit(run())
"""


def test_ctrl_c_while_starting_is_one_line(run_subprocess: RunSubprocess) -> None:
    done = run_subprocess("add", "Printer", now=MONDAY_9, probe=INTERRUPTED_WHILE_STARTING)
    assert (done.code, done.out) == (130, "")
    assert done.err == "techqueue: interrupted; nothing was half-written\n"


def test_ctrl_c_after_the_change_was_saved_says_so(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted as it prints the new item's number: the item is in the store, and the
    technician is told so rather than to try again."""
    from techqueue.cli import capture

    def interrupted(text: str = "") -> None:
        raise KeyboardInterrupt

    monkeypatch.setenv("TECHQUEUE_NOW", MONDAY_9)
    echo = getattr(capture, "echo")  # noqa: B009  (the name the command calls, as it has it)
    monkeypatch.setattr(capture, "echo", interrupted)
    done = cli("add", "Printer jammed")
    assert done.code == 130
    assert done.err == (
        "techqueue: interrupted after the change was saved (techqueue undo takes it back)\n"
    )
    monkeypatch.setattr(capture, "echo", echo)
    assert [item["title"] for item in json.loads(cli("list", "--json").out)] == ["Printer jammed"]


@pytest.mark.parametrize(("line", "status"), [("add 'Printer !urgentish'", 2), ("show 999", 1)])
def test_a_closed_standard_error_keeps_the_status(line: str, status: int) -> None:
    """``2>&-``: nowhere to say why, and the status still says what kind of refusal it was."""
    done = subprocess.run(
        ["bash", "-c", f'exec "$0" -m techqueue {line} 2>&-', sys.executable],
        env={**os.environ, "TECHQUEUE_NOW": MONDAY_9},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (status, b"")


INTERRUPTED_AS_THE_STORE_CLOSES = r"""
import sys
from techqueue.cli.context import Context
close = Context.close
def interrupted(self):
    close(self)
    raise KeyboardInterrupt  # Ctrl-C as the kept caches are written, after the commit
Context.close = interrupted
sys.argv = ["techqueue", *sys.argv[1:]]
from techqueue.warm.client import run
sys.exit(run())
"""


def test_ctrl_c_as_the_store_closes_after_a_change_says_it_was_saved(
    run_subprocess: RunSubprocess,
) -> None:
    done = run_subprocess("add", "Printer", now=MONDAY_9, probe=INTERRUPTED_AS_THE_STORE_CLOSES)
    assert done.code == 130
    assert done.err == (
        "techqueue: interrupted after the change was saved (techqueue undo takes it back)\n"
    )
    listed = run_subprocess("list", "--json", now=MONDAY_9)
    assert [item["title"] for item in json.loads(listed.out)] == ["Printer"]
