"""Live: every technician's app hears the others' writes (PostgreSQL LISTEN/NOTIFY), says
once when the server does not answer, and reconnects by itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import open_store
from techqueue.tui.screens.main import OFFLINE
from techqueue.tui.widgets import QueueTable, StatusLine
from tui.conftest import main_screen, settle, wait_for

from .server import Cluster


def until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


class Heard:
    """What a listener reported."""

    def __init__(self) -> None:
        self.changes = 0
        self.states: list[bool] = []
        self.lock = threading.Lock()

    def change(self) -> None:
        with self.lock:
            self.changes += 1

    def state(self, answers: bool) -> None:
        with self.lock:
            self.states.append(answers)


def test_a_write_is_heard_by_every_listener(team_url: str, now: datetime) -> None:
    heard = Heard()
    with open_store(team_url, user="alice") as alice, open_store(team_url, user="bob") as bob:
        listener = alice.listen(heard.change, heard.state)
        assert listener is not None
        try:
            assert until(lambda: listener.connected is True)
            actions.add(Desk(alice), ItemFields(title="VPN"), now)
            time.sleep(4 * listener.wait)
            assert heard.changes == 0, "alice's own write is on her board already: not news"
            actions.add(Desk(bob), ItemFields(title="Printer"), now)
            assert until(lambda: heard.changes >= 1), "bob's add was heard"
            assert heard.states == []  # nothing to say while the server answers
        finally:
            listener.stop()


def test_a_solo_store_is_not_listened_to(tmp_path: Any) -> None:
    with open_store(tmp_path / "solo.db") as store:
        assert store.listen(lambda: None, lambda answers: None) is None


@pytest.mark.slow
def test_the_server_lost_is_said_once_and_found_again(own_cluster: Cluster, now: datetime) -> None:
    url = own_cluster.new_schema()
    heard = Heard()
    with open_store(url, user="alice") as alice:
        listener = alice.listen(heard.change, heard.state)
        assert listener is not None
        try:
            assert until(lambda: listener.connected is True)
            own_cluster.stop()
            assert until(lambda: heard.states == [False])
            time.sleep(3 * listener.retry)  # several attempts to reconnect, all failing
            assert heard.states == [False], "said once, not at every attempt"
            own_cluster.start()
            assert until(lambda: heard.states == [False, True]), "it reconnected by itself"
            assert until(lambda: heard.changes >= 1), "and reads what it may have missed"
        finally:
            listener.stop()
            if not _running(own_cluster):
                own_cluster.start()


def _running(cluster: Cluster) -> bool:
    return (cluster.data / "postmaster.pid").exists()


@pytest.mark.slow
async def test_the_app_shows_another_technicians_change_and_a_lost_server(
    own_cluster: Cluster, now: datetime
) -> None:
    url = own_cluster.new_schema()
    alice = open_store(url, user="alice")
    actions.add(Desk(alice), ItemFields(title="VPN down", severity="critical"), now)
    app = TechQueueApp(alice, Settings(morning_summary=False), lambda: now, notifier=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = main_screen(app).query_one(QueueTable)
        with open_store(url, user="bob") as bob:
            printer = actions.add(Desk(bob), ItemFields(title="Printer jammed"), now).item.id
        await wait_for(pilot, lambda: len(table.rows) == 2, what="bob's item on alice's board")
        with open_store(url, user="bob") as bob:
            actions.start(Desk(bob), printer, now)  # bob's now: not on alice's board
        await wait_for(pilot, lambda: len(table.rows) == 1, what="bob's claim seen by alice")
        board = main_screen(app).board
        assert board is not None
        assert board.active is None, "bob's job in hand is not alice's"
        status = main_screen(app).query_one(StatusLine)
        own_cluster.stop()
        try:
            await wait_for(pilot, lambda: status.offline == OFFLINE, what="the server said lost")
            assert OFFLINE in str(status.render())
        finally:
            own_cluster.start()
        await wait_for(pilot, lambda: status.offline is None, timeout=15, what="back")
        with open_store(url, user="bob") as bob:
            actions.add(Desk(bob), ItemFields(title="Toner low"), now)
        await wait_for(pilot, lambda: len(table.rows) == 2, what="heard again after it")
    app.session.close()
