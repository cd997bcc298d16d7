"""Errors never vanish: a store call that fails in a worker is shown and logged, and the app
goes on."""

from __future__ import annotations

from typing import Any

import pytest

from techqueue.app import TechQueueApp
from techqueue.paths import log_path
from techqueue.store import Store
from techqueue.tui.session import Session

from .conftest import SIZE, main_screen, selected, settle, wait_for


def _errors(app: TechQueueApp) -> list[str]:
    return [str(notice.message) for notice in app._notifications if notice.severity == "error"]


async def test_an_action_that_fails_in_its_worker_is_shown_as_an_error_and_logged(
    app: TechQueueApp, observer: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Session, action: Any) -> Any:
        raise OSError(28, "No space left on device")

    log = log_path()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        item = selected(app)
        with monkeypatch.context() as patch:
            patch.setattr(Session, "run", broken)
            await pilot.press("d")
            await wait_for(pilot, lambda: bool(_errors(app)), what="an error notification")
        [shown] = _errors(app)
        assert "was not done" in shown
        assert "No space left on device" in shown
        assert str(log) in shown
        assert observer.get(item.id).status != "done", "nothing was written"
        assert main_screen(app).is_mounted, "the app goes on"
    logged = log.read_text(encoding="utf-8")
    assert "OSError" in logged
    assert "No space left on device" in logged
    assert "Traceback" in logged


async def test_a_read_that_fails_in_its_worker_is_shown_too(
    app: TechQueueApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Session) -> Any:
        raise RuntimeError("the store went away")

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(Session, "board", broken)
        main_screen(app).reload()
        await wait_for(pilot, lambda: bool(_errors(app)), what="an error notification")
        assert "the store went away" in _errors(app)[0]
