"""Hooks from the app: the same scripts as on the command line run after a key's action is
saved, off the app's threads; one that fails is a warning, and the action stands."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from techqueue.app import TechQueueApp
from techqueue.store import Store

from .conftest import SIZE, by_title, notices, select_title, settle, wait_for

pytestmark = pytest.mark.timeout(60)

PASSWORD = "Reset a forgotten password"


def _hook(tmp_path: Path, name: str, body: str) -> None:
    # TECHQUEUE_CONFIG is tmp_path/config.toml (the top-level conftest): hooks/ is beside it.
    folder = tmp_path / "hooks"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


async def test_done_runs_on_done_with_the_item_and_a_failure_is_a_warning(
    app: TechQueueApp, observer: Store, tmp_path: Path
) -> None:
    _hook(tmp_path, "on-done", f'cat > "{tmp_path}/sent.json"\n')
    _hook(tmp_path, "on-done.chat", 'echo "no route to chat" >&2\nexit 1\n')
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, PASSWORD)
        await pilot.press("d")
        await settle(pilot)
        await wait_for(
            pilot,
            lambda: any("on-done.chat failed" in notice for notice in notices(app)),
            what="the hook's warning",
        )
        assert any("no route to chat" in notice for notice in notices(app))
    assert observer.get(by_title(observer, PASSWORD).id).status == "done"
    sent = (tmp_path / "sent.json").read_text()
    assert PASSWORD in sent
    assert '"status": "done"' in sent
