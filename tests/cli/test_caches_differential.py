"""A cache never changes what a command prints: each read command, run in a fresh interpreter
with the caches of ``$XDG_CACHE_HOME/techqueue`` as the commands before left them, prints
byte for byte what it prints with that directory emptied first, at the same moment.

The actions run in this process (quick); every command compared runs in its own
interpreter, as a technician's shell runs it, first with the caches kept, then with them
gone (and the caches put back as they were, so the next step starts warm again)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import Home, RunSubprocess
from .support import Cli, Result

pytestmark = pytest.mark.slow


def _cache(home: Home) -> Path:
    return home.root / "xdg_cache_home" / "techqueue"


def _same_warm_and_cold(home: Home, run_subprocess: RunSubprocess, now: str, *argv: str) -> Result:
    """``argv`` run with the caches kept, then with none; the two must print the same."""
    warm = run_subprocess(*argv, now=now)
    cache = _cache(home)
    aside = cache.with_name("techqueue.aside")
    if aside.exists():
        shutil.rmtree(aside)
    if cache.exists():
        cache.rename(aside)
    try:
        cold = run_subprocess(*argv, now=now)
    finally:
        if cache.exists():
            shutil.rmtree(cache)
        if aside.exists():
            aside.rename(cache)
    assert warm == cold, (argv, now)
    return warm


def _act(cli: Cli, monkeypatch: pytest.MonkeyPatch, now: str, *argv: str) -> str:
    monkeypatch.setenv("TECHQUEUE_NOW", now)
    done = cli(*argv)
    assert done.code == 0, (argv, done.err)
    return done.out


def test_a_day_of_actions_prints_the_same_with_the_caches_kept_or_emptied(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Captures, work, bumps, pins, deferrals, waits, promises, a booking and an edit, the
    clock moving minutes, past the end of the working day, over a weekend, and back: after
    each, ``next``, ``show`` and the whole reads from the kept queue and the kept estimates
    say what they say without them."""
    friday = "2026-03-06T"
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("15:00", ("add", "Printer jammed #printer", "--from", "Alice B")),
        ("15:00", ("add", "VPN down !high", "--from", "bob@corp.example")),
        ("15:01", ("add", "Reset password ~5m")),
        ("15:02", ("add", "Server outage !critical", "--impact", "50")),
        ("15:02", ("add", "Printer toner #printer", "--due", "16:30")),
        ("15:03", ("start", "1")),
        ("15:40", ("done", "1")),  # the history learned from changes: a whole read
        ("15:41", ("add", "Printer offline #printer", "--from", "Alice B")),
        ("15:45", ("start", "4")),
        ("15:50", ("pause", "4")),
        ("15:51", ("bump", "3", "2")),
        ("15:52", ("pin", "5")),
        ("15:53", ("note", "2", "Told him 16:45", "--promise", "16:45")),
        ("15:54", ("defer", "3", "16:20")),
        ("15:55", ("wait", "6", "--until", "16:10")),
        ("15:56", ("appoint", "2", "mon 10:00", "--for", "30m")),
        ("15:57", ("edit", "4", "--severity", "high")),
        ("15:58", ("add", "Mouse broken !low", "--from", "Carol")),
        ("15:59", ("unpin", "5")),
    ]
    probes_at = {"15:02", "15:41", "15:52", "15:56", "15:59"}
    later = [
        f"{friday}16:05",  # minutes later
        f"{friday}16:25",  # a deferral ended meanwhile
        f"{friday}17:20",  # past the end of the working day
        "2026-03-07T11:00",  # the weekend
        "2026-03-09T09:50",  # Monday, the booking coming up
        f"{friday}16:02",  # the clock back before what was kept
    ]
    for at, argv in steps:
        now = friday + at
        _act(cli, monkeypatch, now, *argv)
        if at in probes_at:
            run_subprocess("list", now=now)  # a whole read keeps the queue
            assert list(_cache(cli_home).glob("queue-*.bin"))
            for probe in (("next",), ("next", "--json"), ("show", "2"), ("show", "5", "--json")):
                _same_warm_and_cold(cli_home, run_subprocess, now, *probe)
    run_subprocess("list", now=f"{friday}16:00")
    for now in later:
        for probe in (("next",), ("show", "3"), ("show", "4", "--json")):
            _same_warm_and_cold(cli_home, run_subprocess, now, *probe)
    now = later[-2]
    for probe in (("list", "--json"), ("eta",), ("promises", "--json"), ("next", "--json")):
        assert _same_warm_and_cold(cli_home, run_subprocess, now, *probe).code == 0


def test_a_config_edited_in_place_same_size_same_mtime(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit that keeps the file's size and modification time: the config cache, the kept
    queue and the kept estimates all notice it (another ranking, other working hours)."""
    now = "2026-03-02T16:30"
    before = '[scoring]\nvip_weight = 4\n[hours]\nend = "17:00"\n'
    after = '[scoring]\nvip_weight = 9\n[hours]\nend = "16:00"\n'
    assert len(before) == len(after)
    cli_home.config.write_text(before, encoding="utf-8")
    for line in ("CEO laptop *vip", "Outage !critical", "Printer jammed", "Mouse !low"):
        _act(cli, monkeypatch, now, "add", line)
    assert run_subprocess("list", now=now).code == 0
    stamp = cli_home.config.stat()
    cli_home.config.write_text(after, encoding="utf-8")
    os.utime(cli_home.config, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    for probe in (("next",), ("next", "--json"), ("show", "1"), ("list",), ("eta",)):
        _same_warm_and_cold(cli_home, run_subprocess, now, *probe)


def test_a_second_store_and_a_restored_backup(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stores side by side (``--db``) keep their own caches; ``restore FILE`` puts an
    older store back, and the actions after it bring the journal back to where the caches
    were kept: nothing kept of the store before is taken up."""
    now = "2026-03-02T10:00"
    other = str(cli_home.root / "other.db")
    _act(cli, monkeypatch, now, "add", "Alpha !low")
    _act(cli, monkeypatch, now, "add", "Beta")
    _act(cli, monkeypatch, now, "--db", other, "add", "Gamma !critical")
    backup = cli_home.root / "backup.db"
    _act(cli, monkeypatch, now, "backup", str(backup))
    _act(cli, monkeypatch, now, "add", "Delta !critical")
    assert run_subprocess("list", now=now).code == 0
    assert run_subprocess("--db", other, "list", now=now).code == 0
    for probe in (("next",), ("--db", other, "next"), ("--db", other, "show", "1", "--json")):
        _same_warm_and_cold(cli_home, run_subprocess, now, *probe)
    _act(cli, monkeypatch, now, "restore", str(backup))
    _act(cli, monkeypatch, now, "add", "Epsilon !low")
    _act(cli, monkeypatch, now, "add", "Zeta !low")
    for then in (("next",), ("next", "--json"), ("show", "3"), ("list",)):
        _same_warm_and_cold(cli_home, run_subprocess, now, *then)


# --- the store file changed under the caches: found by a hostile review of them -------------


def _copy_over(source: Path, target: Path) -> None:
    """``cp SOURCE TARGET``: the target file written over in place (its inode kept)."""
    assert not target.with_name(target.name + "-wal").exists(), "copied whole, nothing pending"
    shutil.copyfile(source, target)


def test_a_store_overwritten_by_an_older_copy_of_itself(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy's journal reaches the entry numbers the caches were kept at again, with other
    entries: the same file, the same inode, the same numbers, another history."""
    now = "2026-03-02T09:05"
    _act(cli, monkeypatch, now, "add", "Alpha !high")
    _act(cli, monkeypatch, now, "add", "Beta !low")
    older = cli_home.root / "older.db"
    _copy_over(cli_home.db, older)
    _act(cli, monkeypatch, now, "add", "Gamma !critical")
    assert run_subprocess("list", now=now).code == 0  # the queue kept at entry 3
    _copy_over(older, cli_home.db)
    _act(cli, monkeypatch, now, "add", "Delta !low")  # entry 3 again: another one
    first = _same_warm_and_cold(cli_home, run_subprocess, now, "next")
    assert "Alpha" in first.out
    for probe in (("show", "1"), ("show", "3", "--json"), ("list",)):
        _same_warm_and_cold(cli_home, run_subprocess, now, *probe)


def test_the_estimates_learned_before_an_older_copy_was_put_back(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What was learned from a job finished after the copy was made is not this store's."""
    now = "2026-03-02T09:05"
    _act(cli, monkeypatch, now, "add", "Printer jam")
    older = cli_home.root / "older.db"
    _copy_over(cli_home.db, older)
    _act(cli, monkeypatch, now, "log", "1", "--spent", "2h")
    _act(cli, monkeypatch, now, "done", "1")
    _act(cli, monkeypatch, now, "add", "Printer offline")
    assert run_subprocess("list", now=now).code == 0  # the estimates kept: ~2 h for printers
    _copy_over(older, cli_home.db)
    for line in ("Printer x", "Mouse", "Keyboard"):
        _act(cli, monkeypatch, now, "add", line)
    listed = _same_warm_and_cold(cli_home, run_subprocess, now, "list")
    assert "2 h" not in listed.out
    _same_warm_and_cold(cli_home, run_subprocess, now, "eta")


def test_a_store_deleted_and_made_again(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new file at the same path (often at the same inode) starts its journal again."""
    now = "2026-03-02T09:05"
    _act(cli, monkeypatch, now, "add", "Alpha !high")
    _act(cli, monkeypatch, now, "add", "Beta !critical")
    assert run_subprocess("list", now=now).code == 0
    cli_home.db.unlink()
    _act(cli, monkeypatch, now, "add", "Gamma !low")
    _act(cli, monkeypatch, now, "add", "Delta !low")
    assert "Gamma" in _same_warm_and_cold(cli_home, run_subprocess, now, "next").out


def test_a_requester_who_gets_their_name_after_their_job_was_learned_from(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mail address that later comes with a name renames the person: the finished job is
    theirs under the new name, and a new job of theirs is estimated from it."""
    now = "2026-03-02T09:05"
    _act(cli, monkeypatch, now, "add", "Printer jam", "--from", "dana@corp.example")
    _act(cli, monkeypatch, now, "log", "1", "--spent", "2h")
    _act(cli, monkeypatch, now, "done", "1")
    _act(cli, monkeypatch, now, "add", "Mouse")
    assert run_subprocess("list", now=now).code == 0
    _act(cli, monkeypatch, now, "add", "Printer toner", "--from", "Dana <dana@corp.example>")
    for probe in (("list",), ("show", "3"), ("list", "--json")):
        _same_warm_and_cold(cli_home, run_subprocess, now, *probe)


def test_two_rankings_whose_settings_share_a_checksum(
    cli: Cli, cli_home: Home, run_subprocess: RunSubprocess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """These two sets of weights have the same CRC-32 as the kept queue's key once held
    them: the settings are compared whole."""
    now = "2026-03-02T09:05"
    first = (
        "[scoring]\naging_linear = 8.492\ndue_weight = 1.692\nimpact_weight = 3.0\n"
        "promise_weight = 4.5\nvip_weight = 1.8\n"
    )
    second = (
        "[scoring]\naging_linear = 6.41\ndue_weight = 8.629\nimpact_weight = 6.9\n"
        "promise_weight = 5.47\nvip_weight = 1.5\n"
    )
    cli_home.config.write_text(first, encoding="utf-8")
    _act(cli, monkeypatch, now, "add", "Old one", "--received", "-3h")
    _act(cli, monkeypatch, now, "add", "Due soon", "--due", "10:00")
    _act(cli, monkeypatch, now, "add", "Many people", "--impact", "50")
    _act(cli, monkeypatch, now, "add", "Promised")
    _act(cli, monkeypatch, now, "note", "4", "Told them", "--promise", "9:30")
    assert run_subprocess("list", now=now).code == 0
    cli_home.config.write_text(second, encoding="utf-8")
    for probe in (("show", "3"), ("next", "--json")):
        _same_warm_and_cold(cli_home, run_subprocess, now, *probe)
