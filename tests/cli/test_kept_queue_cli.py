"""``next`` and ``show`` in a fresh process take up the queue the last whole read kept (see
``techqueue.views.kept_queue``) and say exactly what a whole read says: through the real
entry point, each command in its own interpreter, as a technician's shell runs them (what a
command has imported must not decide whether what was kept is used)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import Home, RunSubprocess
from .support import MONDAY_9

pytestmark = pytest.mark.slow

#: A command (``next``, ``show``) with the whole read taken away: it fails unless it uses
#: what was kept.
_NEXT_WITHOUT_A_WHOLE_READ = """
import sys
from techqueue.store import Store

items = Store.items

def whole_read(self, statuses=("open",)):
    if "open" in statuses:
        raise SystemExit("the command read every open item")
    return items(self, statuses)  # (the job in hand, say)

Store.items = whole_read
from techqueue.warm.client import run
sys.argv = ["techqueue", *sys.argv[1:]]
run()
"""


#: ``list --json`` with the whole read of a listing taken away: it fails unless it is
#: written from the kept parts (``techqueue.views.kept_listing``).
_LIST_WITHOUT_A_WHOLE_READ = """
import sys
from techqueue.views import listing

def whole_read(*args, **kwargs):
    raise SystemExit("list --json read the queue whole")

listing.read_listing = whole_read
from techqueue.warm.client import run
sys.argv = ["techqueue", *sys.argv[1:]]
sys.exit(run())
"""


def _techqueue(
    run_subprocess: RunSubprocess, *argv: str, probe: str | None = None, now: str = MONDAY_9
) -> str:
    done = run_subprocess(*argv, now=now, probe=probe)
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


def test_the_kept_queue_is_taken_up_with_holidays_in_the_config(
    cli_home: Home, run_subprocess: RunSubprocess
) -> None:
    """A set of dates is ordered by their hashes, which each process draws anew: the settings
    the queue was kept under are compared in one order, or the next command, seeing them in
    another, would read the whole queue again."""
    holidays = '"2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-12-25"'
    cli_home.config.write_text(f"[hours]\nholidays = [{holidays}]\n", encoding="utf-8")
    for line in ("Printer jammed #printer", "VPN down !high", "Reset password ~1m"):
        _techqueue(run_subprocess, "add", line)
    _techqueue(run_subprocess, "list")
    for _ in range(3):  # each process with its own hash seed
        assert "Reset password" in _techqueue(
            run_subprocess, "next", probe=_NEXT_WITHOUT_A_WHOLE_READ
        )


def test_show_places_the_item_in_the_kept_queue(
    cli_home: Home, run_subprocess: RunSubprocess
) -> None:
    """``show ID`` and ``show ID --json`` of an item ranked first, one in the middle, the
    last, one captured since, the job in hand, a promised one, a booked one, a deferred one,
    a waiting one and a finished one, ``eta ID`` of two, and an action's ``--json``: from
    the kept queue, as a whole read says them."""
    lines = [
        f"Job {number} #printer !{severity}"
        for number, severity in enumerate(
            ("low", "normal", "high", "critical", "normal", "low", "normal", "high")
        )
    ]
    for line in lines:
        _techqueue(run_subprocess, "add", line)
    _techqueue(run_subprocess, "start", "1")
    _techqueue(run_subprocess, "done", "1")
    _techqueue(run_subprocess, "note", "2", "Told her 10:00", "--promise", "10:00")
    _techqueue(run_subprocess, "appoint", "3", "14:00", "--for", "30m")
    _techqueue(run_subprocess, "defer", "4", "tomorrow")
    _techqueue(run_subprocess, "wait", "5")
    _techqueue(run_subprocess, "list")  # a whole read keeps the queue
    _techqueue(run_subprocess, "add", "CEO laptop *vip !critical")
    _techqueue(run_subprocess, "start", "7")
    assert len(_kept(cli_home)) == 1
    lines_shown = [
        (command, item_id, *as_json)
        for item_id in ("9", "1", "2", "3", "4", "5", "6", "7", "8")
        for command in ("show", "eta")
        for as_json in ((), ("--json",))
        if command == "show" or item_id in ("2", "8")  # (eta ID places the item as show does)
    ]
    for argv in lines_shown:
        taken_up = _techqueue(run_subprocess, *argv, probe=_NEXT_WITHOUT_A_WHOLE_READ)
        [path] = _kept(cli_home)
        kept = path.read_bytes()
        path.unlink()
        assert taken_up == _techqueue(run_subprocess, *argv), argv
        path.write_bytes(kept)  # (as it was: the next one takes it up)
    pinned = json.loads(
        _techqueue(run_subprocess, "pin", "8", "--json", probe=_NEXT_WITHOUT_A_WHOLE_READ)
    )
    for path in _kept(cli_home):
        path.unlink()
    shown = json.loads(_techqueue(run_subprocess, "show", "8", "--json"))
    assert pinned == {key: shown[key] for key in pinned}
    assert pinned["pinned"]
    assert pinned["rank"] == 1


def test_a_store_whose_name_is_not_utf8_keeps_its_caches(cli_home: Home, tmp_path: Path) -> None:
    """A store named in another encoding (a Latin-1 ``é``, a byte that is not UTF-8): the
    caches that name it are written and read back as they are, never a traceback."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TECHQUEUE_DB": os.fsdecode(bytes(tmp_path) + b"/caf\xe9.db")}
    env["TECHQUEUE_NOW"] = MONDAY_9

    def run(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "techqueue", *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode(errors="replace")
        return done.stdout.decode()

    run("add", "Printer jammed ~5m")
    run("done", "1")
    run("add", "Printer jammed again")
    first = run("list", "--json")
    assert first == run("list", "--json")
    assert [item["title"] for item in json.loads(first)] == ["Printer jammed again"]
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "techqueue"
    assert list(cache.glob("history-*.json")), "the learned estimates kept"


def test_list_json_from_the_kept_parts_is_a_whole_read_s(
    cli_home: Home, run_subprocess: RunSubprocess
) -> None:
    """``techqueue list --json | …`` twice around a ``bump`` and a ``done``: the second, from
    the kept parts (it has no whole read to fall back on), prints what the same command
    prints with the cache directory emptied."""
    first, later = "2026-03-02T10:30", "2026-03-02T11:10"
    for line in (
        "Printer jammed #printer !high ~5m from:Alice",
        "CEO laptop *vip ~15m",
        'Say "hi" café ☕ !low',
        "VPN down for the office !critical x:12 cost:high",
        "Backup check #backup",
    ):
        _techqueue(run_subprocess, "add", line, now=first)
    _techqueue(run_subprocess, "start", "5", now=first)
    before = _techqueue(run_subprocess, "list", "--json", now=first)  # (keeps the parts)
    _techqueue(run_subprocess, "bump", "3", now=later)
    _techqueue(run_subprocess, "done", "2", now=later)
    from_parts = _techqueue(
        run_subprocess, "list", "--json", probe=_LIST_WITHOUT_A_WHOLE_READ, now=later
    )
    cache = cli_home.root / "xdg_cache_home" / "techqueue"
    assert list(cache.glob("listing-*.bin")), "the parts are kept in the cache directory"
    shutil.rmtree(cache)
    whole = _techqueue(run_subprocess, "list", "--json", now=later)
    assert from_parts == whole
    listed = [item["id"] for item in json.loads(whole)]
    assert sorted(listed) == [1, 3, 4, 5], "done without work: it left the queue, and only it"
    assert [item["id"] for item in json.loads(before)] != listed
    assert "café ☕" in whole
