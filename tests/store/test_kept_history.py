"""What was learned from history is kept between commands (``techqueue.kept``): a desk on
the same store takes the answers instead of learning again, and whatever was written since
(work finished, an undo, a trimmed journal, another file under the path) gives exactly the
estimates learning afresh gives. On a real SQLite file, with the cache in the test's own
``XDG_CACHE_HOME``."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.estimates import History
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.paths import cache_path
from techqueue.records import ItemRecord
from techqueue.store import open_store
from techqueue.views.ranking import with_learned_estimates

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TITLES = ("printer jam", "vpn down", "new laptop", "printer toner", "outlook crash")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A store with finished work on each kind of job and an open item of each kind."""
    target = tmp_path / "kept.db"
    with open_store(target) as store:
        desk = Desk(store)
        moment = NOW - timedelta(days=2)
        for number, title in enumerate(TITLES * 2):
            item = actions.add(desk, ItemFields(title=title), moment).item
            actions.start(desk, item.id, moment)
            moment += timedelta(minutes=5 + 7 * number)
            actions.done(desk, item.id, moment)
        for title in TITLES:
            actions.add(desk, ItemFields(title=f"{title} again"), NOW)
    return target


@pytest.fixture
def learned_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles history was asked to learn (rather than answered from what it kept)."""
    calls: list[str] = []
    similar = History._similar

    def counting(self: History, item: ItemRecord, words: object = None) -> list[int]:
        calls.append(item.title)
        return similar(self, item, words)  # type: ignore[arg-type]

    monkeypatch.setattr(History, "_similar", counting)
    return calls


def estimates(path: Path) -> list[tuple[str, float | None, int]]:
    """The estimates in effect for the open items, as a command sees them (its desk closed
    afterwards, keeping what it learned)."""
    with open_store(path) as store:
        desk = Desk(store)
        try:
            found = with_learned_estimates(store.items(OPEN_STATUSES), desk.history())
        finally:
            desk.close()
    return [(item.title, item.estimate_minutes, item.estimate_samples) for item in found]


def fresh(path: Path) -> list[tuple[str, float | None, int]]:
    """The same, learned afresh (nothing kept)."""
    for found in cache_files():
        found.unlink()
    return estimates(path)


def cache_files() -> list[Path]:
    return sorted(cache_path("x").parent.glob("history-*.json"))


def test_a_second_command_takes_what_the_first_learned(
    path: Path, learned_calls: list[str]
) -> None:
    first = estimates(path)
    assert sorted(learned_calls) == sorted(f"{title} again" for title in TITLES)
    assert any(minutes is not None for _, minutes, _ in first), "history answered some"
    learned_calls.clear()
    assert estimates(path) == first
    assert learned_calls == [], "nothing learned again: the history had not changed"


def test_the_kept_file_is_owner_only(path: Path) -> None:
    estimates(path)
    [found] = cache_files()
    assert stat.S_IMODE(found.stat().st_mode) == 0o600
    assert stat.S_IMODE(found.parent.stat().st_mode) == 0o700


def test_a_capture_keeps_the_answers(path: Path, learned_calls: list[str]) -> None:
    estimates(path)
    with open_store(path) as store:
        actions.add(Desk(store), ItemFields(title="printer jam upstairs"), NOW)
    learned_calls.clear()
    after = estimates(path)
    assert learned_calls == ["printer jam upstairs"], "only the new question is learned"
    assert after == fresh(path)


def test_finished_work_changes_what_is_learned_as_learning_afresh_does(
    path: Path, learned_calls: list[str]
) -> None:
    with open_store(path) as store:
        actions.add(Desk(store), ItemFields(title="printer jam in room"), NOW)
    before = {title: minutes for title, minutes, _ in estimates(path)}
    with open_store(path) as store:
        desk = Desk(store)
        [printer] = [i for i in store.items(OPEN_STATUSES) if i.title == "printer jam again"]
        actions.start(desk, printer.id, NOW)
        actions.done(desk, printer.id, NOW + timedelta(hours=3))
    learned_calls.clear()
    after = estimates(path)
    asked_again = sorted(set(learned_calls))
    assert after == fresh(path)
    assert {title: minutes for title, minutes, _ in after}["printer jam in room"] != (
        before["printer jam in room"]
    )
    # Only the questions sharing a word with the job finished were asked again.
    assert asked_again == ["printer jam in room", "printer toner again"]


@pytest.mark.parametrize("change", ["undo", "trim", "replace", "damage"])
def test_whatever_was_written_since_the_estimates_are_what_learning_afresh_gives(
    path: Path, change: str
) -> None:
    estimates(path)
    if change == "undo":
        with open_store(path) as store:
            actions.undo(Desk(store), NOW)  # the last capture goes
    elif change == "trim":
        with open_store(path) as store:
            desk = Desk(store)
            for title in ("printer jam", "vpn down"):
                item = actions.add(desk, ItemFields(title=title), NOW).item
                actions.start(desk, item.id, NOW)
                actions.done(desk, item.id, NOW + timedelta(minutes=50))
            store.trim_journal(NOW + timedelta(days=1), keep=1)
    elif change == "replace":
        copy = path.with_name("copy.db")
        copy.write_bytes(path.read_bytes())
        with open_store(copy) as store:
            desk = Desk(store)
            item = actions.add(desk, ItemFields(title="vpn down"), NOW).item
            actions.start(desk, item.id, NOW)
            actions.done(desk, item.id, NOW + timedelta(minutes=90))
        os.replace(copy, path)  # the same path, another file
    else:
        [found] = cache_files()
        found.write_text('{"format": 1, "jobs": [[1, "vpn down"')
    assert estimates(path) == fresh(path)


def test_another_store_does_not_take_this_ones_answers(path: Path, tmp_path: Path) -> None:
    estimates(path)
    other = tmp_path / "other.db"
    with open_store(other) as store:
        desk = Desk(store)
        item = actions.add(desk, ItemFields(title="printer jam"), NOW).item
        actions.start(desk, item.id, NOW)
        actions.done(desk, item.id, NOW + timedelta(minutes=2))
        actions.add(desk, ItemFields(title="printer jam again"), NOW)
    assert estimates(other) == [("printer jam again", 2.0, 1)]
    assert len(cache_files()) == 2


def test_a_backup_put_back_is_another_history(path: Path, tmp_path: Path) -> None:
    """A restore loads the backup into the same file (same inode), and the work that follows
    numbers its journal past where the answers were kept, in another history: they are not
    taken for it."""
    with open_store(path) as store:
        store.copy_to(tmp_path / "backup.db")
    with open_store(path) as store:  # two printer jobs finished, taking hours
        desk = Desk(store)
        for item in store.items(OPEN_STATUSES)[:2]:
            actions.start(desk, item.id, NOW)
            actions.done(desk, item.id, NOW + timedelta(hours=4))
    kept = estimates(path)
    with open_store(path) as store:
        store.load_from(tmp_path / "backup.db")
        desk = Desk(store)
        for item in store.items(OPEN_STATUSES):
            actions.bump(desk, item.id, 1, NOW)
    after = estimates(path)
    assert after == fresh(path)
    assert after != kept, "the finished jobs differ: so do the estimates"
