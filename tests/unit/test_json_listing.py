"""``list --json`` writes a listing in one pass (``views.json.items_json``: ``_ItemWriter.
write_all``, with the per-item calls taken in line and the 3× deadlines written once per
start-by); each object must be what :func:`techqueue.views.json.item_json` (one item, its own
writer: the reference) writes, for random queues after random actions, at several moments,
with working hours or without, the guard on or off, and every listing ``list`` makes."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from seeded import settings as settings_of
from test_kept_board import _random_action, _seed

from techqueue.desk import Desk
from techqueue.errors import StoreError
from techqueue.store import open_store
from techqueue.views.json import item_json, items_json
from techqueue.views.listing import read_listing

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("seed", range(6))
def test_a_listing_written_in_one_pass_is_each_item_written_alone(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    path = tmp_path / "desk.db"
    store = open_store(path)
    try:
        _seed(store, rng, 40)
        settings = settings_of(seed)
        weights = settings.weights
        now = NOW
        compared = 0
        for step in range(30):
            if rng.random() < 0.3:
                now += timedelta(minutes=rng.choice((0.1, 3, 90, 2000)))
            _, action = _random_action(rng, store, path)
            if action is not None:
                with contextlib.suppress(StoreError):  # refused: nothing written
                    action(Desk(store, settings), now)
            if step % 3:
                continue
            for status, show_all in ((None, False), (None, True), ("all", False)):
                desk = Desk(store, settings)
                listing = read_listing(desk, now, status=status, show_all=show_all, explain=True)
                listing.queue.flag_risks()
                forecast = listing.queue.forecast
                fast = items_json(listing.rows, weights, forecast)
                alone = [item_json(item, entry, weights, forecast) for item, entry in listing.rows]
                assert fast == alone
                # and the bytes orjson writes (key order, 5 and 5.0, 0.0 and -0.0)
                assert orjson.dumps(fast) == orjson.dumps(alone)
                compared += len(fast)
        assert compared > 100
    finally:
        store.close()
