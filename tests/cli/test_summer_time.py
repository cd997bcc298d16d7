"""Working time across a change of the clocks, and across long leave.

The command line's ``now`` carried today's offset from UTC, not the zone's rules: once a
change of the clocks lay between two moments, a working day on its far side opened an hour
early or late — lateness, the 3× deadline, ETAs, typed times and reminders all moved by an
hour. Each case here was found against a minute-by-minute working-time count (a hostile
review) and is checked against what that count says. Default hours: 09:00–17:00, Mon–Fri.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from techqueue.cli.clock import local_zone, now

from .conftest import Home
from .support import Cli, SetNow

InZone = Callable[[str], AbstractContextManager[None]]


@pytest.fixture
def paris(in_zone: InZone) -> Iterator[None]:
    with in_zone("Europe/Paris"):
        yield


def _listed(cli: Cli) -> list[dict[str, Any]]:
    done = cli("list", "--json")
    assert done.code == 0, done.err
    items: list[dict[str, Any]] = json.loads(done.out)
    return items


def _ok(cli: Cli, *argv: str) -> str:
    done = cli(*argv)
    assert done.code == 0, (argv, done.err)
    return done.out


@pytest.mark.parametrize(
    ("zone", "received", "then"),
    [
        ("Europe/Paris", "2026-03-27T16:00", "2026-03-30T10:00"),  # spring forward
        ("Europe/Paris", "2026-10-23T16:00", "2026-10-26T10:00"),  # fall back
        ("America/New_York", "2026-03-06T16:00", "2026-03-09T10:00"),
        ("America/New_York", "2026-10-30T16:00", "2026-11-02T10:00"),
        ("Australia/Sydney", "2026-04-03T16:00", "2026-04-06T10:00"),
        ("Australia/Sydney", "2026-10-02T16:00", "2026-10-05T10:00"),
    ],
)
def test_a_weekend_with_a_change_of_the_clocks_is_still_two_working_hours(
    cli: Cli, set_now: SetNow, in_zone: InZone, zone: str, received: str, then: str
) -> None:
    """Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday, whichever way the
    clocks went over the weekend; a high item (target 1 h) is an hour late, and its 3×
    deadline was Monday 11:00 on Monday's clock."""
    with in_zone(zone):
        set_now(received)
        _ok(cli, "add", "Printer jammed !high ~30m")
        set_now(then)
        [item] = _listed(cli)
        monday = datetime.fromisoformat(then).replace(tzinfo=ZoneInfo(zone))
        assert item["late_minutes"] == 60
        assert datetime.fromisoformat(item["breach_at"]) == monday.replace(hour=11)
        assert datetime.fromisoformat(item["eta"]) == monday
        assert "late 1 h" in _ok(cli, "list")
        friday = datetime.fromisoformat(received)
        assert f"received {friday.strftime('%a %d %b')} 16:00" in _ok(cli, "show", "1")


def test_times_typed_before_the_change_land_on_its_far_side(
    cli: Cli, set_now: SetNow, paris: None
) -> None:
    """Saturday 28 March 2026 in Paris; the clocks go forward that night."""
    set_now("2026-03-28T11:00")
    for line in (
        "Monday due:mon",
        "Monday at nine due:mon 9:00",
        "Written out due:2026-03-30T09:00",
        "A day due:2026-03-30",
        "End of day due:eod",
        "Sunday due:tomorrow 9:00",
    ):
        _ok(cli, "add", line)
    due = {item["title"]: datetime.fromisoformat(item["due_at"]) for item in _listed(cli)}
    paris_time = ZoneInfo("Europe/Paris")
    monday_9 = datetime(2026, 3, 30, 9, 0, tzinfo=paris_time)
    assert due == {
        "Monday": monday_9,
        "Monday at nine": monday_9,
        "Written out": monday_9,
        "A day": monday_9,
        "End of day": datetime(2026, 3, 30, 17, 0, tzinfo=paris_time),
        "Sunday": datetime(2026, 3, 29, 9, 0, tzinfo=paris_time),
    }
    assert all(moment.utcoffset() == paris_time.utcoffset(moment) for moment in due.values())


def test_a_reminder_set_before_the_change_comes_at_its_time(
    cli: Cli, set_now: SetNow, paris: None
) -> None:
    set_now("2026-03-27T18:00")
    _ok(cli, "remind", "-", "mon 9:00", "Call the printer vendor")
    set_now("2026-03-30T08:59")
    assert "Call the printer vendor" not in _ok(cli, "remind", "--due")
    set_now("2026-03-30T09:05")
    assert "Call the printer vendor" in _ok(cli, "remind", "--due")


def test_a_forecast_across_the_change_warns_of_a_missed_due_time(
    cli: Cli, set_now: SetNow, paris: None
) -> None:
    """Friday 23 October 18:00, the clocks go back that weekend: the first item takes Monday
    09:00–09:30, the second 09:30–10:00, ten minutes past its due time."""
    set_now("2026-10-23T18:00")
    _ok(cli, "add", "First !high ~30m")
    _ok(cli, "add", "Second ~30m", "--due", "2026-10-26T09:50")
    second = next(item for item in _listed(cli) if item["title"] == "Second")
    paris_time = ZoneInfo("Europe/Paris")
    assert datetime.fromisoformat(second["eta"]) == datetime(2026, 10, 26, 9, 30, tzinfo=paris_time)
    assert second["will_miss"] is not None
    assert second["will_miss"]["what"] == "due"


def test_a_moment_given_with_another_offset_is_read_in_local_time(
    cli: Cli, set_now: SetNow, paris: None
) -> None:
    """``TECHQUEUE_NOW`` with an offset names the moment; the working day is still Paris's."""
    set_now("2026-03-24T08:30+00:00")  # 09:30 in Paris
    assert now() == datetime(2026, 3, 24, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    _ok(cli, "add", "Toner due:14:00")
    [item] = _listed(cli)
    assert item["due_at"] == "2026-03-24T14:00:00+01:00"


def test_eod_and_the_forecast_skip_a_fortnight_of_leave(
    cli: Cli, cli_home: Home, set_now: SetNow, paris: None
) -> None:
    """Christmas leave: no working day within a week of the last one before it."""
    holidays = ["2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29", "2026-12-30"]
    holidays += ["2026-12-31", "2027-01-01"]
    cli_home.config.write_text(f"[hours]\nholidays = {json.dumps(holidays)}\n", encoding="utf-8")
    set_now("2026-12-23T16:30")
    _ok(cli, "add", "Server patch ~1h")
    _ok(cli, "add", "Backup check ~30m")
    set_now("2026-12-23T16:35")
    first, second = _listed(cli)  # 1 h 30 of work, 25 min of it before the leave
    paris_time = ZoneInfo("Europe/Paris")
    assert datetime.fromisoformat(first["eta"]) == datetime(2026, 12, 23, 16, 35, tzinfo=paris_time)
    back = datetime(2027, 1, 4, 9, 0, tzinfo=paris_time)
    assert back < datetime.fromisoformat(second["eta"]) < back.replace(hour=10)
    assert datetime.fromisoformat(second["eta_finish"]) == back.replace(hour=10, minute=5)
    set_now("2026-12-23T18:00")
    _ok(cli, "add", "Before the new year due:eod")
    due = [item["due_at"] for item in _listed(cli) if item["title"] == "Before the new year"]
    assert due == ["2027-01-04T17:00:00+01:00"]


@pytest.mark.parametrize(
    ("tz", "zone"),
    [
        ("Europe/Paris", "Europe/Paris"),
        (":America/New_York", "America/New_York"),
        ("", "UTC"),
        ("XST+3:30", None),  # a POSIX rule: no zone to name, the offsets the system gives
    ],
)
def test_the_local_zone_is_named_with_its_rules(
    in_zone: InZone, set_now: SetNow, tz: str, zone: str | None
) -> None:
    with in_zone(tz):
        found = local_zone()
        assert (None if found is None else str(found)) == zone
        set_now("2026-07-01T12:00")
        assert now().hour == 12
        assert now().utcoffset() == now().astimezone().utcoffset()


def test_a_moment_with_an_offset_is_read_in_local_time_where_the_zone_has_no_name(
    in_zone: InZone, set_now: SetNow
) -> None:
    with in_zone("XST+3:30"):  # a POSIX rule: no tz database name
        set_now("2026-12-07T15:00+01:00")
        assert now().utcoffset() == now().astimezone().utcoffset()
        assert (now().hour, now().minute) == (10, 30)
