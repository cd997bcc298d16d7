"""The full-screen app with 10,000 open items: first paint, key-to-repaint latency, memory.

    python -m benchmarks.bench_tui [--items 10000] [--tmux-runs 5] [--downs 200]

Seeds a store with one ``techqueue import``, then measures, each against a bare Textual app
(an ``App`` with one ``Static``) measured in the same run:

* first paint in a real terminal: ``techqueue`` launched in tmux (private socket) until the
  queue rows show in ``capture-pane`` (polled every 10 ms), median of ``--tmux-runs``; they
  are the first rows, drawn from the queue an earlier launch kept (the warm-up launch keeps
  it, as any launch does) before the whole board, whose time (its header's count seen) is
  printed beside; the process's peak memory (``VmHWM``) once the detail pane has loaded;
* in-process, with ``App.run_test(size=(120, 40))`` in a fresh child process: the time from
  opening the store to the first frame that shows queue rows, and to the whole board (for
  the bare app, to its first frame), median of ``--inprocess-runs`` starts after a warm-up
  start (which keeps the queue, as any start does); key-to-repaint for
  ``down``, ``a`` (quick-add open) and ``s`` (start: the item is shown active at once; a
  worker writes it and re-ranks the whole queue once the keys pause) and ``escape`` (quick-add
  close); peak memory (``ru_maxrss``). The ``s`` presses come 30 ms after a ``down`` each, so
  they arrive while the previous start is still being written.

Key latency is measured two ways. *Frame*: the key event goes to the app as the terminal
driver would post it, and the clock stops at the first frame handed to the driver (hooked
at ``App._display``) that shows the result; the headless driver drops the bytes, so writing
them to a terminal is not included. *Pilot*: ``await pilot.press(key)`` + ``await
pilot.pause()`` wall time, as the brief asks; Pilot waits for the CPU to go idle in 20 ms
sleeps (three per press and pause), so it has a floor of ~60 ms in any app, which the bare
app's line shows. The verdicts use the frame figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.bench_cli import NOW, _export

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 120, 40
BARE_TEXT = "bare textual app ready"
#: The bare app shows what the queue shows on a 40-line screen: a header and 40 rows of text.
BARE_SCRIPT = f"""
from textual.app import App
from textual.widgets import Static

ROWS = "\\n".join(
    f"{{n:>5}}  Task number {{n}} for someone  normal  desk  12m  ~20 min" for n in range(1, 41)
)

class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})
        yield Static(ROWS)

Bare().run()
"""
ROW = re.compile(r"Task number \d+ for someone")
#: The header's count of open items: shown once the whole board is drawn (the first rows,
#: drawn from the kept queue before it, count nothing).
WHOLE = re.compile(r"· [\d,]+ open")
DETAIL = re.compile(r"Ranks \d+ with")
TIMEOUT = 60.0
#: How long the warm-up launch is given to keep the queue (a build that never keeps it
#: costs the benchmark this once).
KEPT_WAIT = 10.0
#: Keys come like a fast typist's: the next one 30 ms after the last one's result is on screen.
PACE = 0.03

# Targets: first paint, key-to-repaint median and p99, peak memory.
FIRST_PAINT_MS = 500.0
REPAINT_MEDIAN_MS = 16.0
REPAINT_P99_MS = 50.0
MEMORY_MB = 150.0


def p99(values: list[float]) -> float:
    """The 99th percentile by nearest rank (the largest value below 100 samples)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.99 * len(ordered)) - 1, 0)]


# --- in a real terminal ------------------------------------------------------------------


class Tmux:
    """A tmux server on a private socket with one 120x40 window to launch commands in."""

    def __init__(self, env: dict[str, str], work: Path) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            raise RuntimeError("tmux is not installed")
        self.tmux = tmux
        self.env = env
        self.socket = f"tq-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.config = work / "tmux.conf"
        self.config.write_text(
            'set -g default-terminal "tmux-256color"\nset -g remain-on-exit on\n'
        )
        self.target = "bench:0.0"
        # The session starts on an idle placeholder, so tmux's own start-up is not timed.
        self.run(
            "new-session", "-d", "-s", "bench", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 600"
        )

    def run(self, *args: str) -> str:
        return subprocess.run(
            [self.tmux, "-L", self.socket, "-f", str(self.config), *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def wait(self, ready: Callable[[str], bool], what: str, interval: float = 0.01) -> float:
        """Poll capture-pane until ``ready``; the perf_counter time it was first seen."""
        end = time.monotonic() + TIMEOUT
        while True:
            seen = time.perf_counter()
            screen = self.screen()
            if ready(screen):
                return seen
            if time.monotonic() > end:
                raise RuntimeError(f"timed out waiting for {what}:\n{screen}")
            time.sleep(interval)

    def launch(self, command: str) -> tuple[float, int]:
        """Run ``command`` in the pane (replacing what runs there); (start time, its pid)."""
        started = time.perf_counter()
        self.run("respawn-pane", "-k", "-t", self.target, f"exec {command}")
        return started, int(self.run("display-message", "-p", "-t", self.target, "#{pane_pid}"))

    def quit(self, pid: int) -> None:
        """Ctrl+Q, then wait for the process to end (tmux may leave it a zombie)."""
        self.run("send-keys", "-t", self.target, "C-q")
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError):
                return
            if state in {"Z", "X"}:
                return
            time.sleep(0.02)
        raise RuntimeError(f"process {pid} still running after Ctrl+Q")

    def close(self) -> None:
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"], env=self.env, capture_output=True
        )


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def kept_queues(env: dict[str, str]) -> list[Path]:
    """The queues kept in the cache directory (``views.kept_queue``) for the app's first rows."""
    cache = env.get("XDG_CACHE_HOME")
    return sorted((Path(cache) / "techqueue").glob("queue-*.bin")) if cache else []


def tmux_runs(env: dict[str, str], work: Path, techqueue: str, runs: int) -> dict[str, Any]:
    """First paint (the first queue rows seen) and the whole board (its header's count seen),
    ms from the launch, and peak memory, of the app and the bare app, after a warm-up launch
    of each. The app's warm-up launch keeps the queue for the next one, as any launch does in
    real use (waited for here before it quits): the timed launches draw their first rows from
    it (``kept`` says whether it was there)."""
    terminal = Tmux(env, work)
    bare_command = shlex.join([sys.executable, "-c", BARE_SCRIPT])
    results: dict[str, Any] = {
        "bare": [],
        "techqueue": [],
        "techqueue_whole": [],
        "bare_mb": [],
        "techqueue_mb": [],
    }
    try:
        for run in range(runs + 1):  # the first of each is a warm-up (byte-code, page cache)
            started, pid = terminal.launch(bare_command)
            seen = terminal.wait(
                lambda screen: BARE_TEXT in screen and ROW.search(screen) is not None,
                "the bare app",
            )
            memory = peak_memory_mb(pid)
            terminal.quit(pid)
            if run:
                results["bare"].append((seen - started) * 1000)
                results["bare_mb"].append(memory)

            started, pid = terminal.launch(shlex.quote(techqueue))
            seen = terminal.wait(lambda screen: ROW.search(screen) is not None, "queue rows")
            whole = terminal.wait(lambda screen: WHOLE.search(screen) is not None, "the board")
            # The app opens on the item in hand (when there is one), wherever it ranks.
            terminal.wait(lambda screen: DETAIL.search(screen) is not None, "the detail pane")
            memory = peak_memory_mb(pid)
            if not run:  # the warm-up: its whole read keeps the queue, after its rows
                end = time.monotonic() + KEPT_WAIT
                while not kept_queues(env) and time.monotonic() < end:
                    time.sleep(0.05)
                results["kept"] = bool(kept_queues(env))
            terminal.quit(pid)
            if run:
                results["techqueue"].append((seen - started) * 1000)
                results["techqueue_whole"].append((whole - started) * 1000)
                results["techqueue_mb"].append(memory)
    finally:
        terminal.close()
    return results


# --- in process (each app in a child process of its own) --------------------------------


class Frames:
    """Hooks ``App._display``: wakes each waiter at the first frame its condition holds for."""

    def __init__(self, app: Any) -> None:
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            now = time.perf_counter()
            for waiter in list(self._waiters):
                condition, future = waiter
                if future.done():
                    self._waiters.remove(waiter)
                elif condition():
                    future.set_result(now)
                    self._waiters.remove(waiter)

        app._display = display

    def expect(self, condition: Callable[[], bool]) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((condition, future))
        return future


async def _frame_latency(
    app: Any, frames: Frames, key: str, char: str | None, shows: Callable[[], bool]
) -> float:
    """Post ``key`` as the driver does; ms until the first frame for which ``shows()``."""
    from textual import events

    future = frames.expect(shows)
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, char))
    return (await asyncio.wait_for(future, TIMEOUT) - started) * 1000


async def _pilot_latency(pilot: Any, key: str, times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        await pilot.press(key)
        await pilot.pause()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _bare_app() -> Any:
    """The baseline: an App with one Static, a key that changes the Static, and a key that
    opens a dialog of quick-add's shape (an opaque modal screen with a bordered box holding
    an input and three lines of text), built once and kept, as quick-add is."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Vertical
    from textual.screen import ModalScreen
    from textual.widgets import Input, Static

    class BareDialog(ModalScreen[None]):
        DEFAULT_CSS = """
        BareDialog { align: center middle; background: $background; }
        BareDialog > Vertical {
            width: 90%; max-width: 110; height: auto;
            border: thick $accent; background: $panel; padding: 1 2;
        }
        """
        BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

        def compose(self) -> ComposeResult:
            with Vertical():
                yield Input(placeholder="What happened?")
                yield Static("a line of hints")
                yield Static()
                yield Static()

    class BareApp(App[None]):
        BINDINGS = [Binding("down", "count", "Count"), Binding("a", "open", "Open")]
        count = 0

        def compose(self) -> ComposeResult:
            yield Static(BARE_TEXT)

        def on_mount(self) -> None:
            self.install_screen(BareDialog(), "dialog")

        def action_count(self) -> None:
            self.count += 1
            self.query_one(Static).update(f"{BARE_TEXT} {self.count}")

        def action_open(self) -> None:
            self.push_screen("dialog")

    return BareApp()


async def _bare_run(results: dict[str, list[float]], keys: bool, args: argparse.Namespace) -> None:
    from textual.screen import ModalScreen

    started = time.perf_counter()
    app = _bare_app()
    frames = Frames(app)
    first = frames.expect(lambda: True)
    async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
        results["paint"].append((await asyncio.wait_for(first, TIMEOUT) - started) * 1000)
        if not keys:
            return
        await pilot.pause()

        def count_is(expected: int) -> bool:
            return bool(app.count == expected)

        for _ in range(args.downs // 2):
            counted = partial(count_is, app.count + 1)
            results["frame_down"].append(await _frame_latency(app, frames, "down", None, counted))
            await asyncio.sleep(PACE)

        def dialog_open() -> bool:
            return isinstance(app.screen, ModalScreen) and app.screen.is_mounted

        for _ in range(args.opens):
            results["frame_a"].append(await _frame_latency(app, frames, "a", "a", dialog_open))
            await asyncio.sleep(PACE)
            results["frame_escape"].append(
                await _frame_latency(
                    app, frames, "escape", "\x1b", lambda: not isinstance(app.screen, ModalScreen)
                )
            )
            await asyncio.sleep(PACE)
        results["pilot_down"] = await _pilot_latency(pilot, "down", args.pilot_downs)


async def _techqueue_run(
    results: dict[str, list[float]], keys: bool, args: argparse.Namespace
) -> None:
    from techqueue.app import TechQueueApp
    from techqueue.cli.clock import now
    from techqueue.config.loader import load
    from techqueue.store import open_store
    from techqueue.tui.dialogs import QuickAdd
    from techqueue.tui.screens.main import MainScreen
    from techqueue.tui.widgets import QueueTable

    started = time.perf_counter()
    store = open_store(None)
    app = TechQueueApp(store, load(), now)
    read_ahead = getattr(app.session, "read_ahead", None)  # (a build before it: none)
    if read_ahead is not None:
        read_ahead(HEIGHT)  # as the launch does (``cli.main._open_app``)
    frames = Frames(app)

    def main() -> Any:
        screen = app.screen
        return screen if isinstance(screen, MainScreen) else None

    def rows_shown() -> bool:
        screen = main()
        return (
            screen is not None
            and bool(screen.query(QueueTable))
            and bool(screen.query_one(QueueTable).row_count)
        )

    def loaded() -> bool:
        screen = main()
        return screen is not None and screen.board is not None and bool(screen.board.ranked)

    first = frames.expect(rows_shown)
    whole = frames.expect(loaded)
    try:
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            results["paint"].append((await asyncio.wait_for(first, TIMEOUT) - started) * 1000)
            shown = await asyncio.wait_for(whole, TIMEOUT)
            results["paint_whole"].append((shown - started) * 1000)
            if not keys:
                # What follows the rows (the queue kept for the next start among it) is done
                # before the app closes, as it is in a launch that stays open.
                for _ in range(2):
                    await pilot.pause()
                    await app.workers.wait_for_complete()
                return
            screen = main()
            table = screen.query_one(QueueTable)
            body = screen.query_one("#detail-body")

            def detail_shows() -> bool:
                return str(body.content).startswith(f"#{table.selected_id} ")

            await asyncio.wait_for(frames.expect(detail_shows), TIMEOUT)

            def cursor_is(expected: int) -> bool:
                return bool(table.cursor == expected)

            def cursor_and_detail(expected: int) -> bool:
                return cursor_is(expected) and detail_shows()

            for _ in range(args.downs):
                expected = table.cursor + 1
                detail = frames.expect(partial(cursor_and_detail, expected))
                begun = time.perf_counter()
                results["frame_down"].append(
                    await _frame_latency(app, frames, "down", None, partial(cursor_is, expected))
                )
                shown = await asyncio.wait_for(detail, TIMEOUT)
                results["frame_down_detail"].append((shown - begun) * 1000)
                await asyncio.sleep(PACE)

            def quick_add_open() -> bool:
                return isinstance(app.screen, QuickAdd) and app.screen.is_mounted

            for _ in range(args.opens):
                results["frame_a"].append(
                    await _frame_latency(app, frames, "a", "a", quick_add_open)
                )
                await asyncio.sleep(PACE)
                results["frame_escape"].append(
                    await _frame_latency(app, frames, "escape", "\x1b", lambda: main() is not None)
                )
                await asyncio.sleep(PACE)

            def active_is(target: int | None) -> bool:
                shown = main()
                board = shown.board if shown is not None else None
                active = board.active if board is not None else None
                return active is not None and active.id == target

            for _ in range(args.starts):
                moved = partial(cursor_is, table.cursor + 1)
                await _frame_latency(app, frames, "down", None, moved)
                await asyncio.sleep(PACE)
                started_shown = partial(active_is, table.selected_id)
                results["frame_s"].append(
                    await _frame_latency(app, frames, "s", "s", started_shown)
                )
                await asyncio.sleep(PACE)
            await pilot.pause()
            results["pilot_down"] = await _pilot_latency(pilot, "down", args.pilot_downs)
    finally:
        # A detail or poll worker thread may still be querying after the app has exited:
        # closing the connection under it crashed this process (SIGSEGV in sqlite3) in 2 of
        # ~40 runs, so close it under the session's lock, which every store call holds.
        app.session.close()


async def _runs(kind: str, args: argparse.Namespace) -> dict[str, list[float]]:
    """``--inprocess-runs`` starts of one app; the keys are measured in the last one."""
    run = _bare_run if kind == "bare" else _techqueue_run
    results: dict[str, list[float]] = defaultdict(list)
    if kind != "bare":  # a warm-up start: it keeps the queue the timed starts draw from
        await run(defaultdict(list), False, args)
    for number in range(args.inprocess_runs):
        await run(results, number == args.inprocess_runs - 1, args)
    return dict(results)


def child(kind: str, args: argparse.Namespace) -> None:
    """Run one kind of in-process measurement and print it as JSON (the last line)."""
    # Imports are not part of the in-process first paint (the tmux figures include them).
    import textual.app
    import textual.widgets  # noqa: F401

    if kind == "techqueue":
        import techqueue.app  # noqa: F401
    result: dict[str, Any] = asyncio.run(_runs(kind, args))
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(kind: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_tui",
        "--child",
        kind,
        "--inprocess-runs",
        str(args.inprocess_runs),
        "--downs",
        str(args.downs),
        "--pilot-downs",
        str(args.pilot_downs),
        "--opens",
        str(args.opens),
        "--starts",
        str(args.starts),
    ]
    done = subprocess.run(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"{kind} child failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
            f"{done.stderr[-4000:]}"
        )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- report ------------------------------------------------------------------------------


@contextmanager
def timed(label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr)


def verdict(value: float, limit: float, strict: bool = False) -> str:
    good = value < limit if strict else value <= limit
    return "meets target" if good else f"misses target ({value / limit:.1f}x)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--tmux-runs", type=int, default=5)
    parser.add_argument("--inprocess-runs", type=int, default=5)
    parser.add_argument("--downs", type=int, default=200)
    parser.add_argument("--pilot-downs", type=int, default=50)
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--child", choices=("bare", "techqueue"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return 0

    begun = time.perf_counter()
    techqueue = shutil.which("techqueue", path=str(Path(sys.executable).parent)) or "techqueue"
    work = Path(tempfile.mkdtemp(prefix="tq-bench-tui-"))
    # The queue is what is measured: the morning summary would open over it on a new day.
    (work / "config.toml").write_text("[day]\nmorning_summary = false\n", encoding="utf-8")
    # Byte-code is written (an installed package has it): the warm-up launch compiles once.
    dropped = {"TMUX", "TMUX_PANE", "PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env |= {
        "TECHQUEUE_DB": str(work / "techqueue.db"),
        "TECHQUEUE_CONFIG": str(work / "config.toml"),
        "TECHQUEUE_NOW": NOW,
        "XDG_CACHE_HOME": str(work / "cache"),
        "TERM": "tmux-256color",
    }
    try:
        with timed(f"seeding {args.items:,} items"):
            (work / "export.json").write_text(json.dumps(_export(args.items)))
            subprocess.run(
                [techqueue, "import", str(work / "export.json")],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        with timed("in-process, bare Textual app"):
            bare = run_child("bare", env, args)
        with timed("in-process, techqueue"):
            tq = run_child("techqueue", env, args)
        tmux: dict[str, Any] | None = None
        if shutil.which("tmux"):
            with timed(f"tmux, {args.tmux_runs} runs of each"):
                tmux = tmux_runs(env, work, techqueue, args.tmux_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    med = statistics.median
    rows: list[tuple[str, float, float | None, str, str]] = []

    def row(name: str, value: float, base: float | None, target: str, judged: str) -> None:
        rows.append((name, value, base, target, judged))

    if tmux is not None:
        value = med(tmux["techqueue"])
        row(
            "first paint, tmux (ms, median)",
            value,
            med(tmux["bare"]),
            f"<= {FIRST_PAINT_MS:.0f}",
            verdict(value, FIRST_PAINT_MS),
        )
        row(
            "whole board drawn, tmux (ms, median)",
            med(tmux["techqueue_whole"]),
            med(tmux["bare"]),
            "",
            "(the header's counts shown)",
        )
    value = med(tq["paint"])
    row(
        "first paint, in-process (ms, median)",
        value,
        med(bare["paint"]),
        f"<= {FIRST_PAINT_MS:.0f}",
        verdict(value, FIRST_PAINT_MS),
    )
    row(
        "whole board, in-process (ms, median)",
        med(tq["paint_whole"]),
        med(bare["paint"]),
        "",
        "(the first rows come before it)",
    )
    for key, label in (
        ("frame_down", "down"),
        ("frame_a", "a (quick-add open)"),
        ("frame_escape", "escape (quick-add close)"),
    ):
        value = med(tq[key])
        row(
            f"key->frame {label} (ms, median)",
            value,
            med(bare[key]),
            f"<= {REPAINT_MEDIAN_MS:.0f}",
            verdict(value, REPAINT_MEDIAN_MS),
        )
        value = p99(tq[key])
        row(
            f"key->frame {label} (ms, p99)",
            value,
            p99(bare[key]),
            f"<= {REPAINT_P99_MS:.0f}",
            verdict(value, REPAINT_P99_MS),
        )
    from techqueue.tui.screens.main import DETAIL_SETTLE

    for stat, func in (("median", med), ("p99", p99)):
        # Not a repaint of the key: the pane waits for the cursor to settle before it loads.
        row(
            f"key->frame down + detail pane (ms, {stat})",
            func(tq["frame_down_detail"]),
            None,
            "",
            f"(of which {DETAIL_SETTLE * 1000:.0f} ms waiting for the cursor to settle)",
        )
    for key, label in (("frame_s", "s (start)"),):
        for stat, func, limit in (("median", med, REPAINT_MEDIAN_MS), ("p99", p99, REPAINT_P99_MS)):
            value = func(tq[key])
            row(
                f"key->frame {label} (ms, {stat})",
                value,
                None,
                f"<= {limit:.0f}",
                verdict(value, limit),
            )
    for stat, func in (("median", med), ("p99", p99)):
        row(
            f"Pilot press+pause down (ms, {stat})",
            func(tq["pilot_down"]),
            func(bare["pilot_down"]),
            "",
            "(Pilot idle waits: see bare)",
        )
    if tmux is not None:
        value = max(tmux["techqueue_mb"])
        row(
            "peak memory, tmux VmHWM (MB)",
            value,
            max(tmux["bare_mb"]),
            f"< {MEMORY_MB:.0f}",
            verdict(value, MEMORY_MB, strict=True),
        )
    value = tq["max_rss_mb"]
    row(
        "peak memory, in-process maxrss (MB)",
        value,
        bare["max_rss_mb"],
        f"< {MEMORY_MB:.0f}",
        verdict(value, MEMORY_MB, strict=True),
    )

    print()
    print(
        f"techqueue full-screen app, {args.items:,} open items, {WIDTH}x{HEIGHT}; "
        f"tmux: median of {args.tmux_runs} launches; in-process: {args.inprocess_runs} starts, "
        f"{args.downs} x down, {args.opens} x a/escape, {args.starts} x s, "
        f"{args.pilot_downs} x Pilot down"
    )
    print(f"{'measure':<48}{'techqueue':>10}{'bare':>9}{'ratio':>8}  {'target':<8}verdict")
    for name, value, base, target, judged in rows:
        bare_text = f"{base:>9.1f}" if base is not None else f"{'-':>9}"
        ratio = f"{value / base:>7.1f}x" if base else f"{'':>8}"
        print(f"{name:<48}{value:>10.1f}{bare_text}{ratio}  {target:<8}{judged}")
    if tmux is None:
        print("(tmux not installed: no real-terminal figures)")
    elif not tmux.get("kept"):
        print("(no queue was kept after the warm-up launch: the first rows could not be drawn)")
    print(f"(whole benchmark: {time.perf_counter() - begun:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
