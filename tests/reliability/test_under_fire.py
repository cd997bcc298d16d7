"""The app under fire: open while four other processes add 250 items each, it shows all
1,000 without a restart and never says "database is locked"; its store file deleted or
replaced underneath it, it says so, keeps what was typed, and carries on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.store import Store, open_store
from techqueue.upkeep.restore import restore
from tui.conftest import main_screen, notices, settle, type_text, wait_for

from .support import MONDAY_9, items_in, local, seed

NOW = local(MONDAY_9)
WRITERS, ADDS = 4, 250
WRITER = """
import sys
from techqueue.cli.main import main
for n in range(int(sys.argv[2])):
    if main(["add", f"{sys.argv[1]} {n}"]) != 0:
        sys.exit(3)
"""


def app_on(store: Store) -> TechQueueApp:
    return TechQueueApp(store, Settings(morning_summary=False), lambda: NOW, notifier=None)


def shown(app: Any) -> int:
    board = main_screen(app).board
    return 0 if board is None else len(board.ranked)


def said(app: Any, *words: str) -> bool:
    return any(all(word in notice for word in words) for notice in notices(app))


async def capture(pilot: Pilot[Any], line: str) -> None:
    await pilot.press("a")
    await type_text(pilot, line)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.timeout(240)
async def test_four_writers_while_the_app_is_open(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    seed(db, 1)
    env = {**os.environ, "TECHQUEUE_DB": str(db), "TECHQUEUE_NOW": MONDAY_9}
    store = open_store(db)
    app = app_on(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, f"writer {k}", str(ADDS)],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for k in range(WRITERS)
        ]
        try:
            for n in range(3):  # the technician captures too, in the middle of it
                await capture(pilot, f"Captured in the storm {n}")
            await wait_for(
                pilot,
                lambda: all(writer.poll() is not None for writer in writers),
                timeout=180,
                what="the writers to finish",
            )
        finally:
            for writer in writers:
                if writer.poll() is None:
                    writer.kill()
        errors = [writer.stderr.read() if writer.stderr else "" for writer in writers]
        assert [writer.returncode for writer in writers] == [0] * WRITERS, errors
        total = 1 + WRITERS * ADDS + 3
        await wait_for(pilot, lambda: shown(app) == total, timeout=30, what="all items shown")
        await settle(pilot)
        assert not said(app, "locked")
        assert not said(app, "busy")
        assert not said(app, "went wrong")
        assert app._exception is None
        titles = {entry.item.title for entry in main_screen(app).board.ranked}  # type: ignore[union-attr]
        assert {f"writer {k} {n}" for k in range(WRITERS) for n in range(ADDS)} <= titles
        assert {f"Captured in the storm {n}" for n in range(3)} <= titles
    store.close()


@pytest.mark.timeout(120)
async def test_the_store_deleted_underneath_is_said_rescued_and_what_is_typed_kept(
    tmp_path: Path,
) -> None:
    db = tmp_path / "data" / "techqueue.db"
    seed(db, 2)
    store = open_store(db)
    app = app_on(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        await wait_for(pilot, lambda: said(app, "was deleted"), timeout=15, what="the warning")
        rescued = sorted((db.parent / "backups").glob("techqueue-rescued-*.db"))
        assert len(rescued) == 1, "what the app still held is saved"
        assert items_in(rescued[0]) == ["item 0", "item 1"]
        assert shown(app) == 2, "what was on screen stays"

        await capture(pilot, "Printer on fire @desk !high")
        await wait_for(pilot, lambda: said(app, "what you typed is kept"), what="kept")
        assert not db.exists(), "nothing is written to a store that is gone"
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Printer on fire @desk !high"
        await pilot.press("escape")

        restore(str(db), rescued[0], NOW)  # put back: the app opens it
        await wait_for(pilot, lambda: said(app, "it is open now"), timeout=15, what="reopened")
        await capture(pilot, "Printer on fire @desk !high")
        await wait_for(pilot, lambda: shown(app) == 3, timeout=15, what="the capture shown")
    store.close()
    assert items_in(db) == ["item 0", "item 1", "Printer on fire"]


@pytest.mark.timeout(120)
async def test_the_store_replaced_underneath_is_said_and_shown(tmp_path: Path) -> None:
    db = tmp_path / "techqueue.db"
    seed(db, 2)
    other = tmp_path / "elsewhere.db"
    seed(other, 5)
    store = open_store(db)
    app = app_on(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown(app) == 2
        os.replace(other, db)  # mv elsewhere.db techqueue.db
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        await wait_for(pilot, lambda: said(app, "replaced"), timeout=15, what="the notice")
        await wait_for(pilot, lambda: shown(app) == 5, timeout=15, what="the new store shown")
        await capture(pilot, "Saved in the new store")
        await wait_for(pilot, lambda: shown(app) == 6, timeout=15, what="the capture")
    store.close()
    assert items_in(db)[-1] == "Saved in the new store"
