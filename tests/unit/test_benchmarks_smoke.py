"""The benchmarks still run: ``python -m benchmarks`` at a few dozen items, one run of each,
checked only for the rows it prints (no figure is judged: speed is the benchmark's business,
never a test's)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_the_whole_benchmark_runs_at_a_small_size(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--items",
            "50",
            "--done-days",
            "2",
            "--runs",
            "1",
            "--scoring-items",
            "300",
            "--actions",
            "2",
            "--tmux-runs",
            "0",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for row in (
        "techqueue add",
        "techqueue next",
        "techqueue show",
        "techqueue done",
        "techqueue list --json",
        "app re-rank after one action",
        "rank 300 items (kept parts)",
        "rank() 300 from scratch",
        "re-rank 300 after one change",
        "Import time per command",
    ):
        assert row in done.stdout, row


def test_the_scoring_benchmark_runs_at_a_small_size() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_scoring", "--sizes", "100", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for row in (
        "rank(explain=False) from scratch",
        "kept: at() a minute later",
        "kept: at(), every row read",
        "kept: changed() (one bump)",
    ):
        assert row in done.stdout, row
