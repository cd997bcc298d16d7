"""Crash safety and concurrent writers, in CI: a writer killed with SIGKILL in the middle of
adding loses nothing it acknowledged and leaves an intact store; four writers at once lose
nothing and collide on nothing. Each writer runs the real entry point (``main(argv)``) in a
process of its own, one command line per item, as scripts and other terminals do."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .support import MONDAY_9, integrity, items_in

#: A writer: one ``techqueue add`` after another, each id printed (and flushed) once saved.
WRITER = """
import sys
from techqueue.cli.main import main
name, count = sys.argv[1], int(sys.argv[2])
n = 0
while count < 0 or n < count:
    if main(["add", f"{name} {n}"]) != 0:
        sys.exit(3)
    sys.stdout.flush()
    n += 1
"""
KILLS = 20
WRITERS, ADDS = 4, 25


def writer(db: Path, name: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-u", "-c", WRITER, name, str(count)],
        env={**os.environ, "TECHQUEUE_DB": str(db), "TECHQUEUE_NOW": MONDAY_9},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_twenty_kills_during_adds_lose_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    chance = random.Random(24)
    acknowledged: list[str] = []
    for round_ in range(KILLS):
        child = writer(db, f"round {round_}", -1)
        assert child.stdout is not None
        try:
            for n in range(chance.randint(1, 12)):
                line = child.stdout.readline()  # the id: saved, and said so
                assert line.strip().isdigit(), (line, child.stderr.read() if child.stderr else "")
                acknowledged.append(f"round {round_} {n}")
            time.sleep(chance.random() * 0.02)  # somewhere in the next add
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            child.stdout.close()
            if child.stderr is not None:
                child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        assert integrity(db) == "ok", f"after kill {round_ + 1}"
    saved = set(items_in(db))
    missing = [title for title in acknowledged if title not in saved]
    assert missing == [], f"acknowledged, then lost: {missing[:5]}"
    print(f"{KILLS} kills survived, {len(acknowledged)} acknowledged adds all kept")


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_four_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    children = [writer(db, f"writer {k}", ADDS) for k in range(WRITERS)]
    ids: list[int] = []
    for child in children:
        out, err = child.communicate(timeout=240)
        assert child.returncode == 0, err
        assert "locked" not in err
        ids += [int(line) for line in out.split()]
    assert len(ids) == len(set(ids)) == WRITERS * ADDS
    titles = items_in(db)
    assert sorted(titles) == sorted(f"writer {k} {n}" for k in range(WRITERS) for n in range(ADDS))
    assert integrity(db) == "ok"
