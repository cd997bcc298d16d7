"""Team mode's speed: whole-process short commands against a local PostgreSQL store and the
same commands against a SQLite store, each of N open items, measured in the same run.

    python -m benchmarks.bench_team [--items 10000] [--runs 9] [--url postgresql://…]

Without ``--url`` a throw-away PostgreSQL cluster is started (``tests/team/server.py``: initdb
on a temporary directory, a free local port; as root, as user ``nobody``) and deleted after.
Both stores are seeded by one ``import`` of the same export; then ``add``, ``next``,
``list --json`` and ``show`` run as a technician runs them (a fresh process each), the two
stores interleaved. Prints the median of each and the ratio PostgreSQL / SQLite, the budget
being 2x (issue 21).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_cli import NOW, _export, _time

BUDGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--url", help="an empty PostgreSQL database to use instead")
    args = parser.parse_args()

    cluster = None
    url = args.url
    if url is None:
        sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
        from team.server import Cluster, why_not

        reason = why_not()
        if reason is not None:
            print(f"cannot start PostgreSQL here: {reason}", file=sys.stderr)
            return 1
        cluster = Cluster()
        url = cluster.new_database()
    techqueue = shutil.which("techqueue", path=str(Path(sys.executable).parent)) or "techqueue"
    work = Path(tempfile.mkdtemp(prefix="tq-bench-team-"))
    try:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env |= {
            "TECHQUEUE_CONFIG": str(work / "config.toml"),
            "TECHQUEUE_NOW": NOW,
            "TECHQUEUE_USER": "dana",
            "XDG_CACHE_HOME": str(work / "cache"),
            "XDG_DATA_HOME": str(work / "data"),
        }
        stores = {"sqlite": env | {"TECHQUEUE_DB": str(work / "techqueue.db")}}
        stores["postgres"] = env | {"TECHQUEUE_DB": url}
        (work / "export.json").write_text(json.dumps(_export(args.items)))
        for store_env in stores.values():
            subprocess.run(
                [techqueue, "import", str(work / "export.json")],
                env=store_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        commands = {
            "add": [techqueue, "add", "Printer jammed @desk !high ~5m #printer"],
            "next": [techqueue, "next"],
            "list --json": [techqueue, "list", "--json"],
            "show": [techqueue, "show", str(args.items // 2)],
        }
        for command in commands.values():  # warm caches, byte-code, the day's upkeep
            for store_env in stores.values():
                _time(command, store_env)
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.runs):
            for name, command in commands.items():
                for store, store_env in stores.items():
                    samples.setdefault((name, store), []).append(_time(command, store_env))
        median = {key: statistics.median(values) for key, values in samples.items()}
        print(f"Whole process, {args.items:,} open items, median of {args.runs} interleaved runs")
        print(f"{'command':<14}{'SQLite ms':>10}{'PostgreSQL ms':>15}{'ratio':>8}  verdict")
        for name in commands:
            lite, server = median[(name, "sqlite")], median[(name, "postgres")]
            ratio = server / lite
            verdict = "within 2x" if ratio <= BUDGET else f"over by {ratio / BUDGET:.2f}x"
            print(f"{name:<14}{lite:>10.1f}{server:>15.1f}{ratio:>7.2f}x  {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if cluster is not None:
            cluster.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
