"""Every speed target of issue 22 in one run, each against its baseline measured in the same run.

    python -m benchmarks                 # 10,000 open items plus a year of finished ones
    python -m benchmarks --items 50 --runs 1 --scoring-items 200 --tmux-runs 0   # a smoke run

One store is seeded (``bench_cli.seed``) and, when it is installed, Taskwarrior with the same
pending tasks and a year of completed ones (``bench_cli.seed_taskwarrior``; without ``task``
the rows say so). Then:

* the short commands as whole processes, interleaved with Taskwarrior's same operations
  (``bench_cli``): as a technician runs them, through the warm helper (every run checked to
  have gone through it), which the targets are for, and each in a process of its own
  (``TECHQUEUE_WARM=0``, for comparison: the first command after ten idle minutes); and the
  modules each spends its import time on in its own process (``-X importtime``);
* the app's re-rank after one action (``Session.board_after_action`` after a ``bump``, as the
  app runs it in a worker), on that store;
* ranking a 100,000-item pile without explanations the issue's way, from the parts of each
  score kept between rankings (``core.reranker.Reranker.at``, a minute after the last
  ranking), and ``rank()`` of it from scratch, and the re-rank after one change
  (``Reranker.changed``), against ``sorted()`` of the pile by a precomputed key
  (``bench_scoring``; CPU time, the median of the runs);
* the app's first paint in a real terminal (tmux) against a bare Textual app showing the same
  40 rows, and its peak memory (``bench_tui``).

Nothing here asserts a time: the table says which target each figure meets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import bench_cli, bench_scoring, bench_tui

#: The issue's targets.
APP_RERANK_MS = 16.0
RANK_100K_MS = 50.0
RERANK_ONE_MS = 5.0
FIRST_PAINT_RATIO = 1.5
MEMORY_MB = 150.0


@dataclass
class Row:
    """One line of the table."""

    measure: str
    value: float
    unit: str
    target: str
    met: bool | None
    baseline: str = ""
    base_value: float | None = None

    def line(self) -> str:
        ratio = ""
        if self.base_value:
            ratio = f"{self.value / self.base_value:.2f}x"
        base = "" if self.base_value is None else f"{self.base_value:.1f} ({self.baseline})"
        verdict = {True: "met", False: "NOT met", None: "-"}[self.met]
        value = f"{self.value:.1f} {self.unit}"
        return f"{self.measure:<38}{value:>12}  {base:<26}{ratio:>7}  {self.target:<20}{verdict}"


def cli_rows(medians: dict[str, float], rows: list[Row], task_missing: bool) -> None:
    """Each short command's row, as a technician runs it (the target's), then in a process of
    its own (no target: for comparison)."""
    for name, (other, budget) in bench_cli.PAIRS.items():
        for shown, judged in ((name, True), (name + bench_cli.OWN, False)):
            value = medians[shown]
            target = f"<= {budget:g}x {other}" if judged else "-"
            if task_missing:
                rows.append(Row(shown, value, "ms", target, None))
                continue
            met = value / medians[other] <= budget if judged else None
            rows.append(Row(shown, value, "ms", target, met, other, medians[other]))


def _bump(desk: Any, now: Any, item_id: int) -> object:
    from techqueue import actions

    return actions.bump(desk, item_id, 1, now)


def app_rerank_ms(env: dict[str, str], items: int, actions: int) -> float:
    """The median time the app takes to show the queue again after one action: the worker's
    ``Session.board_after_action`` once a ``bump`` is written (the board read once before)."""
    from datetime import datetime

    from techqueue.config.loader import load
    from techqueue.desk import Desk
    from techqueue.store import open_store
    from techqueue.tui.session import Session

    now = datetime.fromisoformat(bench_cli.NOW)
    store = open_store(env["TECHQUEUE_DB"])
    try:
        session = Session(Desk(store, load(Path(env["TECHQUEUE_CONFIG"]))), lambda: now)
        session.board()
        times = []
        for number in range(actions):
            item_id = items - 1 - number % max(items - 2, 1)
            session.run(partial(_bump, item_id=item_id))
            started = time.perf_counter()
            session.board_after_action()
            times.append((time.perf_counter() - started) * 1000)
    finally:
        store.close()
    return statistics.median(times)


def scoring_rows(size: int, runs: int, rows: list[Row]) -> None:
    """The ranking's rows, in CPU time (median): from the kept parts (the issue's way, which
    the target is for), from scratch (for comparison, no target), after one change."""
    pile = bench_scoring.make_pile(size)
    more = max(runs, 9)  # (the quick ones: more runs for the same time)
    baseline = bench_scoring.baseline_ms(pile, more)
    value = bench_scoring.kept_cpu_ms(pile, more)[0]
    rows.append(
        Row(
            f"rank {size:,} items (kept parts)",
            value,
            "ms",
            f"<= {RANK_100K_MS:g} ms",
            value <= RANK_100K_MS,
            "sorted()",
            baseline,
        )
    )
    value = bench_scoring.from_scratch_cpu_ms(pile, runs)[0]
    rows.append(Row(f"rank() {size:,} from scratch", value, "ms", "-", None, "sorted()", baseline))
    value = bench_scoring.rerank_one_ms(pile, more)
    rows.append(
        Row(
            f"re-rank {size:,} after one change",
            value,
            "ms",
            f"<= {RERANK_ONE_MS:g} ms",
            value <= RERANK_ONE_MS,
            "sorted()",
            baseline,
        )
    )


def tui_rows(env: dict[str, str], work: Path, runs: int, rows: list[Row]) -> None:
    if runs <= 0:
        return
    if shutil.which("tmux") is None:
        print("(tmux is not installed: no first-paint or memory figures; apt-get install tmux)")
        return
    tui_env = env | {"TERM": "tmux-256color"}
    found = bench_tui.tmux_runs(tui_env, work, bench_cli.techqueue_script(), runs)
    value, base = statistics.median(found["techqueue"]), statistics.median(found["bare"])
    rows.append(
        Row(
            "first paint in tmux",
            value,
            "ms",
            f"<= {FIRST_PAINT_RATIO:g}x bare app",
            value / base <= FIRST_PAINT_RATIO,
            "bare Textual, 40 rows",
            base,
        )
    )
    rows.append(
        Row(
            "whole board in tmux (counts shown)",
            statistics.median(found["techqueue_whole"]),
            "ms",
            "",
            None,
            "bare Textual, 40 rows",
            base,
        )
    )
    if not found.get("kept"):
        print("(no queue was kept after the warm-up launch: the app's first rows were not drawn)")
    value, base = max(found["techqueue_mb"]), max(found["bare_mb"])
    rows.append(
        Row(
            "memory, app in tmux (VmHWM)",
            value,
            "MB",
            f"<= {MEMORY_MB:g} MB",
            value <= MEMORY_MB,
            "bare Textual, 40 rows",
            base,
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000, help="open items (and tasks)")
    parser.add_argument("--done-days", type=int, default=365, help="days of finished work")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command")
    parser.add_argument("--scoring-items", type=int, default=100_000)
    parser.add_argument("--actions", type=int, default=15, help="actions the app re-ranks after")
    parser.add_argument("--tmux-runs", type=int, default=3, help="0: no terminal figures")
    parser.add_argument("--no-import-times", action="store_true")
    args = parser.parse_args(argv)

    begun = time.perf_counter()
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="tq-bench-all-"))
    try:
        env = bench_cli.seed(work, args.items, args.done_days)
        # This process reads the store too (the app's re-rank): with its config and cache.
        os.environ.update({name: env[name] for name in ("TECHQUEUE_CONFIG", "XDG_CACHE_HOME")})
        task_env = bench_cli.seed_taskwarrior(work, args.items, args.done_days, env)
        with bench_cli.warm_helper(env) as served:
            before = served()
            medians, cpu = bench_cli.time_commands_both(
                bench_cli.commands(args.items, env, task_env), args.runs
            )
            through = served() - before
        cli_rows(medians, rows, task_env is None)
        value = app_rerank_ms(env, args.items, args.actions)
        rows.append(
            Row(
                f"app re-rank after one action ({args.items:,})",
                value,
                "ms",
                f"<= {APP_RERANK_MS:g} ms",
                value <= APP_RERANK_MS,
            )
        )
        scoring_rows(args.scoring_items, max(args.runs // 2, 1), rows)
        tui_rows(env, work, args.tmux_runs, rows)
        imports = {} if args.no_import_times else bench_cli.import_times(env, args.items)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"techqueue speed, {args.items:,} open items and {args.done_days} days of finished "
        f"work; Python {sys.version.split()[0]}"
    )
    print(
        f"{'measure':<38}{'measured':>12}  {'baseline (same run)':<26}{'ratio':>7}  "
        f"{'target':<20}verdict"
    )
    for row in rows:
        print(row.line())
    print(
        f"Through the warm process: {through} of {bench_cli.warm_runs(args.runs)} runs of the "
        "commands' first rows (the others each in a process of its own)"
    )
    if task_env is None:
        print(
            "(Taskwarrior is not installed, so the command rows have no baseline: "
            "apt-get install taskwarrior)"
        )
    print(
        "Other figures: "
        + ", ".join(
            f"{name} {value:.1f} ms"
            for name, value in medians.items()
            if name not in {row.measure for row in rows}
        )
    )
    if task_env is not None:
        print(
            "CPU time of the commands in their own processes (user+system, median; steadier "
            "than the wall clock on a busy machine; through the warm helper the work is done "
            "in the warm process's child, which this does not see): "
            + ", ".join(
                f"{name} {cpu[name + bench_cli.OWN]:.0f} ms = "
                f"{cpu[name + bench_cli.OWN] / cpu[other]:.2f}x {other}"
                for name, (other, _) in bench_cli.PAIRS.items()
            )
        )
    if task_env is not None and bench_cli.FLOOR in cpu:
        floor = cpu[bench_cli.FLOOR]
        print(
            f"Floor: Python importing only {', '.join(bench_cli.FLOOR_MODULES)} takes "
            f"{floor:.0f} ms CPU = "
            + ", ".join(
                f"{floor / cpu[other]:.2f}x {other}"
                for other in dict.fromkeys(other for other, _ in bench_cli.PAIRS.values())
            )
        )
    if imports:
        print("Import time per command (python -X importtime; top-level modules, ms):")
        for name, (total, shown) in imports.items():
            print(f"  {name:<12} {total}: {shown}")
    print(f"(whole benchmark: {time.perf_counter() - begun:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
