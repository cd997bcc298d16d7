"""Whole-process start-up of the short commands, against baselines measured in the same run.

    python -m benchmarks.bench_cli [--items 10000] [--runs 9]

Seeds a store of N open items (one ``import``), then times ``techqueue add``, ``next`` and
``list --json`` as a technician runs them (a fresh process each), interleaved with
``python -c pass`` and, when it is installed (``apt-get install taskwarrior``), Taskwarrior 2.6
doing the same on N tasks. Prints the median of each and its ratio to Taskwarrior, the budget
being 2x Taskwarrior for ``add`` and ``next`` and 1x its ``export`` for ``list --json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = "2026-03-02T09:00:00+00:00"
SEVERITIES = ("critical", "high", "normal", "normal", "normal", "low", "low")
CHANNELS = ("desk", "phone", "ticket", "email", "chat")


def _export(count: int, seed: int = 7) -> dict[str, object]:
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
    return {
        "format": "techqueue-export",
        "version": 1,
        "schema": 1,
        "exported_at": NOW,
        "requester": requesters,
        "item": items,
        "note": [],
        "reminder": [],
        "work_span": [],
    }


def _time(command: list[str], env: dict[str, str]) -> float:
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
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {completed.stderr.decode()[:300]}")
    return elapsed * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    techqueue = shutil.which("techqueue", path=str(Path(sys.executable).parent)) or "techqueue"
    work = Path(tempfile.mkdtemp(prefix="tq-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {
        "TECHQUEUE_DB": str(work / "techqueue.db"),
        "TECHQUEUE_CONFIG": str(work / "config.toml"),
        "TECHQUEUE_NOW": NOW,
        "XDG_CACHE_HOME": str(work / "cache"),
    }
    (work / "export.json").write_text(json.dumps(_export(args.items)))
    subprocess.run(
        [techqueue, "import", str(work / "export.json")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )

    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "techqueue add": ([techqueue, "add", "Printer jammed @desk !high ~5m #printer"], env),
        "techqueue next": ([techqueue, "next"], env),
        "techqueue list --json": ([techqueue, "list", "--json"], env),
    }
    task = shutil.which("task")
    if task:
        task_env = env | {"TASKDATA": str(work / "task"), "TASKRC": str(work / "taskrc")}
        (work / "task").mkdir()
        (work / "taskrc").write_text(
            "data.location=" + str(work / "task") + "\nconfirmation=off\nverbose=nothing\n"
            "gc=off\nrecurrence=off\n"
        )
        tasks = [
            {
                "description": f"Task number {i} for someone",
                "status": "pending",
                "entry": "20260301T090000Z",
                "uuid": f"00000000-0000-4000-8000-{i:012d}",
                "priority": random.Random(i).choice(["H", "M", "L", ""]) or None,
            }
            for i in range(1, args.items + 1)
        ]
        for entry in tasks:
            if entry["priority"] is None:
                del entry["priority"]
        (work / "tasks.json").write_text(json.dumps(tasks))
        subprocess.run(
            [task, "import", str(work / "tasks.json")],
            env=task_env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        commands |= {
            "task add": ([task, "add", "Printer jammed", "priority:H"], task_env),
            "task next": ([task, "next"], task_env),
            "task export": ([task, "export"], task_env),
        }

    for command, command_env in commands.values():  # warm caches and byte-code
        _time(command, command_env)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, command_env) in commands.items():
            samples[name].append(_time(command, command_env))
    median = {name: statistics.median(values) for name, values in samples.items()}

    pairs = {
        "techqueue add": ("task add", 2.0),
        "techqueue next": ("task next", 2.0),
        "techqueue list --json": ("task export", 1.0),
    }
    print(f"Start-up with {args.items:,} open items, median of {args.runs} interleaved runs")
    print(f"{'command':<24}{'median ms':>10}{'vs python':>11}{'vs task':>9}{'budget':>8}  verdict")
    for name, value in median.items():
        baseline = median["python -c pass"]
        line = f"{name:<24}{value:>10.1f}{value / baseline:>10.1f}x"
        if name in pairs and pairs[name][0] in median:
            other, budget = pairs[name]
            ratio = value / median[other]
            verdict = "within budget" if ratio <= budget else f"over by {ratio / budget:.2f}x"
            line += f"{ratio:>8.2f}x{budget:>7.1f}x  {verdict}"
        print(line)
    if not task:
        print("(Taskwarrior not installed: apt-get install taskwarrior to compare)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
