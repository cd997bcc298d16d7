"""Whole-process start-up of the short commands, against baselines measured in the same run.

    python -m benchmarks.bench_cli [--items 10000] [--done-days 365] [--runs 9]

Seeds a store of N open items plus a year of finished ones with their work (one ``import``),
then times ``techqueue add``, ``next``, ``show``, ``done`` and ``list --json`` as a technician
runs them (a fresh process each), interleaved with ``python -c pass`` and, when it is
installed (``apt-get install taskwarrior``), Taskwarrior 2.6 doing the same on the same N
pending tasks and a year of completed ones. Each command is timed twice: as a technician runs
it, through the warm helper (``docs/performance.md``, item 21: a runtime directory of the
benchmark's own, the warm process started before the runs, and every run checked to have gone
through it), and in a process of its own (``TECHQUEUE_WARM=0``: the first command after ten
idle minutes, or with the helper turned off). Prints the median of each and its ratio to
Taskwarrior, the budget being 0.75x Taskwarrior for ``add``, ``next``, ``show`` (``task N
info``) and ``done`` and 1x its ``export`` for ``list --json``; then the modules each command
spends its import time on in its own process (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

NOW = "2026-03-02T09:00:00+00:00"
SEVERITIES = ("critical", "high", "normal", "normal", "normal", "low", "low")
CHANNELS = ("desk", "phone", "ticket", "email", "chat")
#: Finished items a day in the seeded year of history.
DONE_PER_DAY = 20
WORDS = ("printer", "vpn", "laptop", "outlook", "password", "wifi", "screen", "account", "phone")
#: Each budget: the techqueue command, Taskwarrior's same operation, the ratio allowed.
PAIRS = {
    "techqueue add": ("task add", 0.75),
    "techqueue next": ("task next", 0.75),
    "techqueue show": ("task info", 0.75),
    "techqueue done": ("task done", 0.75),
    "techqueue list --json": ("task export", 1.0),
}
#: What a command's name says when it ran in a process of its own (``TECHQUEUE_WARM=0``).
OWN = " (own process)"


def _export(count: int, seed: int = 7, done_days: int = 0) -> dict[str, object]:
    """An export of ``count`` open items (ids 1 to ``count``), plus ``done_days`` days of
    finished ones, :data:`DONE_PER_DAY` a day, each with the work span it took."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    requesters = [
        {
            "id": i,
            "name": f"Person {i}",
            "email": None,
            "vip": i % 40 == 0,
            "note": None,
            "created_at": (start - timedelta(days=30)).isoformat(),
        }
        for i in range(1, 301)
    ]
    items = []
    for i in range(1, count + 1):
        received = start - timedelta(minutes=rng.randint(1, 60 * 24 * 14))
        items.append(
            {
                "id": i,
                "title": f"Task number {i} for someone",
                "requester_id": rng.randint(1, 300),
                "channel": rng.choice(CHANNELS),
                "severity": rng.choice(SEVERITIES),
                "impact": 1 if rng.random() < 0.9 else rng.randint(2, 30),
                "estimate_minutes": None
                if rng.random() < 0.3
                else rng.choice((0.5, 5, 15, 30, 60)),
                "status": "open",
                "vip": False,
                "pinned": False,
                "bump": 0.0,
                "tags": ["printer"] if i % 7 == 0 else [],
                "ref": None,
                "received_at": received.isoformat(),
                "created_at": received.isoformat(),
                "started_at": None,
                "done_at": None,
                "due_at": None,
                "deferred_until": None,
                "promise_due_at": None,
                "drop_reason": None,
            }
        )
    spans: list[dict[str, object]] = []
    for day in range(done_days):
        for _ in range(DONE_PER_DAY):
            number = count + len(spans) + 1
            begun = start - timedelta(days=day + 1, minutes=rng.randint(0, 8 * 60))
            took = timedelta(minutes=rng.choice((2, 5, 10, 15, 30, 45, 60, 90)))
            items.append(
                items[0]
                | {
                    "id": number,
                    "title": f"{rng.choice(WORDS)} {rng.choice(WORDS)} at the desk",
                    "requester_id": rng.randint(1, 300),
                    "severity": rng.choice(SEVERITIES),
                    "status": "done",
                    "tags": ["printer"] if number % 7 == 0 else [],
                    "received_at": (begun - timedelta(minutes=30)).isoformat(),
                    "created_at": (begun - timedelta(minutes=30)).isoformat(),
                    "started_at": begun.isoformat(),
                    "done_at": (begun + took).isoformat(),
                }
            )
            spans.append(
                {
                    "id": len(spans) + 1,
                    "item_id": number,
                    "started_at": begun.isoformat(),
                    "ended_at": (begun + took).isoformat(),
                    "note": None,
                }
            )
    return {
        "format": "techqueue-export",
        "version": 1,
        "schema": 1,
        "exported_at": NOW,
        "requester": requesters,
        "item": items,
        "note": [],
        "reminder": [],
        "work_span": spans,
    }


def _time(command: list[str], env: dict[str, str]) -> float:
    return _time_both(command, env)[0]


def _time_both(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one run of ``command``; CPU time (user and system) says the same
    on a machine busy with other work, where the wall clock does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {completed.stderr.decode()[:300]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed * 1000, cpu * 1000


def techqueue_script() -> str:
    """The console script of the techqueue installed beside this Python."""
    return shutil.which("techqueue", path=str(Path(sys.executable).parent)) or "techqueue"


def seed(work: Path, items: int, done_days: int) -> dict[str, str]:
    """A store in ``work`` holding the benchmark's items (one ``import``); the environment
    that points techqueue at it (and at ``work`` for its config and cache), the warm helper
    off (:func:`warm_helper` turns it on for the commands timed through it)."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE", "TMUX"}}
    env |= {
        "TECHQUEUE_DB": str(work / "techqueue.db"),
        "TECHQUEUE_CONFIG": str(work / "config.toml"),
        "TECHQUEUE_NOW": NOW,
        "XDG_CACHE_HOME": str(work / "cache"),
        "TECHQUEUE_WARM": "0",  # (the warm helper only inside warm_helper())
    }
    # A technician has a config file (read, and its validation cached, on every command);
    # the morning summary would open over the app's queue on a new day.
    (work / "config.toml").write_text("[day]\nmorning_summary = false\n", encoding="utf-8")
    (work / "export.json").write_text(json.dumps(_export(items, done_days=done_days)))
    subprocess.run(
        [techqueue_script(), "import", str(work / "export.json")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return env


def seed_taskwarrior(
    work: Path, items: int, done_days: int, env: dict[str, str]
) -> dict[str, str] | None:
    """Taskwarrior's data in ``work`` holding the same number of pending tasks and a year of
    completed ones; its environment, or ``None`` when ``task`` is not installed."""
    if shutil.which("task") is None:
        return None
    task_env = env | {"TASKDATA": str(work / "task"), "TASKRC": str(work / "taskrc")}
    (work / "task").mkdir(exist_ok=True)
    (work / "taskrc").write_text(
        "data.location=" + str(work / "task") + "\nconfirmation=off\nverbose=nothing\n"
        "gc=off\nrecurrence=off\n"
    )
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    tasks: list[dict[str, Any]] = []
    for i in range(1, items + 1):
        task: dict[str, Any] = {
            "description": f"Task number {i} for someone",
            "status": "pending",
            "entry": "20260301T090000Z",
            "uuid": f"00000000-0000-4000-8000-{i:012d}",
        }
        priority = random.Random(i).choice(["H", "M", "L", ""])
        if priority:
            task["priority"] = priority
        tasks.append(task)
    for k in range(done_days * DONE_PER_DAY):
        ended = start - timedelta(days=k // DONE_PER_DAY + 1, minutes=k % DONE_PER_DAY)
        tasks.append(
            {
                "description": f"Finished job {k}",
                "status": "completed",
                "entry": f"{ended - timedelta(hours=1):%Y%m%dT%H%M%SZ}",
                "end": f"{ended:%Y%m%dT%H%M%SZ}",
                "uuid": f"00000000-0000-4000-9000-{k:012d}",
            }
        )
    (work / "tasks.json").write_text(json.dumps(tasks))
    subprocess.run(
        ["task", "import", str(work / "tasks.json")],
        env=task_env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return task_env


#: The standard modules every techqueue command needs whatever it does (its store, its
#: JSON config cache and output, its times, its parsing, its records, its paths): a Python
#: process importing only these is the floor under any command of this design.
FLOOR_MODULES = ("sqlite3", "json", "datetime", "re", "dataclasses", "pathlib")
FLOOR = "python floor (stdlib imports)"

#: A command to time: its argv for the n-th run (``done`` finishes another item each time).
Argv = Callable[[int], list[str]]


def _done(techqueue: str, first: int, items: int) -> Argv:
    """``done`` of another item each run: the odd ones through the warm helper (``first``
    1), the even ones in their own processes (2)."""
    return lambda n: [techqueue, "done", str(1 + (2 * n + first - 1) % items)]


def commands(
    items: int, env: dict[str, str], task_env: dict[str, str] | None
) -> dict[str, tuple[Argv, dict[str, str]]]:
    """Every command timed, by name, with its environment: each techqueue command through
    the warm helper and in its own process (:data:`OWN`)."""
    techqueue = techqueue_script()
    middle = max(items // 2, 1)
    own = env | {"TECHQUEUE_WARM": "0"}
    done_items = max(items - 2, 1)  # (each run of done, warm or not, finishes another)
    found: dict[str, tuple[Argv, dict[str, str]]] = {
        "python -c pass": (lambda n: [sys.executable, "-c", "pass"], env),
        FLOOR: (lambda n: [sys.executable, "-c", f"import {', '.join(FLOOR_MODULES)}"], env),
    }
    for suffix, command_env, first in (("", env, 1), (OWN, own, 2)):
        found |= {
            f"techqueue add{suffix}": (
                lambda n: [techqueue, "add", "Printer jammed @desk !high ~5m #printer"],
                command_env,
            ),
            f"techqueue next{suffix}": (lambda n: [techqueue, "next"], command_env),
            f"techqueue show{suffix}": (lambda n: [techqueue, "show", str(middle)], command_env),
            f"techqueue done{suffix}": (_done(techqueue, first, done_items), command_env),
            f"techqueue list --json{suffix}": (
                lambda n: [techqueue, "list", "--json"],
                command_env,
            ),
        }
    if task_env is not None:
        found |= {
            "task add": (lambda n: ["task", "add", "Printer jammed", "priority:H"], task_env),
            "task next": (lambda n: ["task", "next"], task_env),
            "task info": (lambda n: ["task", str(middle), "info"], task_env),
            "task done": (lambda n: ["task", str(n + 1), "done"], task_env),
            "task export": (lambda n: ["task", "export"], task_env),
        }
    return found


def _warm_support() -> Any:
    """The warm processes of a runtime directory as the warm helper's tests see them
    (``tests/team/warm_support.py``): alive, how many commands each ran, stopping them."""
    tests = str(Path(__file__).resolve().parent.parent / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from team import warm_support

    return warm_support


@contextlib.contextmanager
def warm_helper(env: dict[str, str]) -> Iterator[Callable[[], int]]:
    """``env`` with the warm helper asked for (under CI too) in a runtime directory of its
    own (short: a socket's path has at most 107 bytes), and its warm process started (by a
    command, as a technician's first command starts it) and listening; it gives how many
    commands the warm process has run so far. At the end the warm process is stopped, the
    directory removed and ``env`` as it was."""
    support = _warm_support()
    runtime = Path(tempfile.mkdtemp(prefix="tqb-", dir="/tmp"))
    before = {name: env.get(name) for name in ("XDG_RUNTIME_DIR", "TECHQUEUE_WARM")}
    env |= {"XDG_RUNTIME_DIR": str(runtime), "TECHQUEUE_WARM": "1"}
    try:
        _time([techqueue_script(), "next"], env)
        if not support.until(lambda: bool(support.warm_pids(runtime)), 60):
            raise SystemExit("the warm process did not start")
        yield lambda: support.served(runtime)
    finally:
        support.stop_warm(runtime)
        shutil.rmtree(runtime, ignore_errors=True)
        for name, value in before.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value


def time_commands(found: dict[str, tuple[Argv, dict[str, str]]], runs: int) -> dict[str, float]:
    """The median wall ms of each command over ``runs`` interleaved runs, after one warm-up."""
    return time_commands_both(found, runs)[0]


def time_commands_both(
    found: dict[str, tuple[Argv, dict[str, str]]], runs: int
) -> tuple[dict[str, float], dict[str, float]]:
    """The median wall ms and the median CPU ms of each command over ``runs`` interleaved
    runs, after one warm-up. (A command through the warm helper: the CPU time of the command
    that hands it over, not of the child that does its work.)"""
    for argv, command_env in found.values():  # warm caches and byte-code
        _time_both(argv(0), command_env)
    wall: dict[str, list[float]] = {name: [] for name in found}
    cpu: dict[str, list[float]] = {name: [] for name in found}
    for run in range(1, runs + 1):
        for name, (argv, command_env) in found.items():
            spent = _time_both(argv(run), command_env)
            wall[name].append(spent[0])
            cpu[name].append(spent[1])
    return (
        {name: statistics.median(values) for name, values in wall.items()},
        {name: statistics.median(values) for name, values in cpu.items()},
    )


def import_times(env: dict[str, str], items: int, top: int = 6) -> dict[str, list[str]]:
    """For each techqueue command, its total import time and the top-level modules that
    cost most (``python -X importtime``, one run, cumulative microseconds)."""
    script = techqueue_script()
    lines: dict[str, list[str]] = {}
    for name, args in (
        ("add", ["add", "Imported timing probe"]),
        ("next", ["next"]),
        ("show", ["show", str(max(items // 2, 1))]),
        ("done", ["done", str(max(items - 1, 1))]),
        ("list --json", ["list", "--json"]),
    ):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", script, *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            check=False,
        )
        tops: list[tuple[int, str]] = []
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, module = line.split("|")
            if module.startswith("  "):  # imported by another module: inside its figure
                continue
            tops.append((int(cumulative), module.strip()))
        total = sum(cost for cost, _ in tops) / 1000
        tops.sort(reverse=True)
        shown = ", ".join(f"{module} {cost / 1000:.1f}" for cost, module in tops[:top])
        lines[name] = [f"{total:.1f} ms importing", shown]
    return lines


def warm_runs(runs: int) -> int:
    """How many runs of the commands go through the warm helper: each command of
    :data:`PAIRS`, the warm-up and ``runs`` runs."""
    return len(PAIRS) * (runs + 1)


def print_table(median: dict[str, float], items: int, runs: int) -> None:
    print(f"Start-up with {items:,} open items, median of {runs} interleaved runs")
    print(f"{'command':<38}{'median ms':>10}{'vs python':>11}{'vs task':>9}{'budget':>8}  verdict")
    for name, value in median.items():
        baseline = median["python -c pass"]
        line = f"{name:<38}{value:>10.1f}{value / baseline:>10.1f}x"
        own = name.removesuffix(OWN)
        if own in PAIRS and PAIRS[own][0] in median:
            other, budget = PAIRS[own]
            ratio = value / median[other]
            verdict = "within budget" if ratio <= budget else f"over by {ratio / budget:.2f}x"
            verdict = f"({verdict}: no target)" if name != own else verdict
            line += f"{ratio:>8.2f}x{budget:>7.2f}x  {verdict}"
        print(line)
    if "task next" not in median:
        print("(Taskwarrior not installed: apt-get install taskwarrior to compare)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--done-days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="tq-bench-"))
    try:
        env = seed(work, args.items, args.done_days)
        task_env = seed_taskwarrior(work, args.items, args.done_days, env)
        with warm_helper(env) as served:
            before = served()
            median = time_commands(commands(args.items, env, task_env), args.runs)
            through = served() - before
        print_table(median, args.items, args.runs)
        print(f"Through the warm process: {through} of {warm_runs(args.runs)} runs")
        print("Import time per command (python -X importtime; top-level modules, ms):")
        for name, (total, shown) in import_times(env, args.items).items():
            print(f"  {name:<12} {total}: {shown}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
