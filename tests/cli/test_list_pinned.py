"""``list --json`` and ``list`` of a varied queue, pinned byte for byte: working hours with a
holiday, promises kept and broken, due times, deferred and waiting items, booked appointments,
VIPs, outages, bumps, pins, paused work with time spent, learned estimates, an overloaded day
(ETAs, 3× deadlines before and after now, will_breach). ``list --json`` is written in one pass
for speed (docs/performance.md); these files were written by the code before that pass, so an
optimisation that changes any byte of the output fails here.

To write the files again after an intended change of the output:
``TECHQUEUE_PIN_WRITE=1 pytest tests/cli/test_list_pinned.py`` (and read the diff)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from .conftest import Home
from .support import Cli, SetNow, add, at, finished, ok

EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture(autouse=True)
def _in_utc(in_zone: Callable[[str], AbstractContextManager[None]]) -> Iterator[None]:
    """The files hold local times: written, and read, in UTC whatever the machine's zone."""
    with in_zone("UTC"):
        yield


def _varied(cli: Cli, set_now: SetNow, cli_home: Home) -> None:
    cli_home.config.write_text(
        '[hours]\nstart = "08:30"\nend = "17:00"\ndays = ["mon", "tue", "wed", "thu", "fri"]\n'
        'holidays = ["2026-03-04"]\n',
        encoding="utf-8",
    )
    # last week's finished work: the history learned estimates come from
    for day, k in (("2026-02-23", 1), ("2026-02-24", 2), ("2026-02-25", 3)):
        finished(cli, set_now, f"Reset password {k} #account", f"{day}T09:00", f"{day}T09:12")
        finished(cli, set_now, f"Printer jammed {k} #printer", f"{day}T10:00", f"{day}T10:40")
    at(set_now, "2026-02-27T16:30")  # a Friday afternoon
    n = [0]  # n[k]: the id of the k-th item added below
    n += [add(cli, "Reset password for Gina #account from:Gina")]
    n += [add(cli, "Printer jammed again #printer from:Hal", "--received", "15:05")]
    n += [add(cli, "Laptop slow from:Ivy !low")]
    at(set_now, "08:40")
    n += [add(cli, "Payroll server down !critical", "--impact", "40")]
    n += [add(cli, "CEO phone sync from:Boss !high", "--vip")]
    n += [add(cli, "Quick question ~45s from:Jo")]
    n += [add(cli, "Quarterly report ~3h from:Kim", "--due", "11:00")]
    n += [add(cli, "New starter kit ~2h from:Lee", "--due", "tomorrow 12:00", "--cost", "high")]
    n += [add(cli, "VPN flaky ~1h30m from:Max #network", "--tag", "remote")]
    n += [add(cli, "Monitor flicker ~20m from:Ned", "--ref", "INC-7")]
    n += [add(cli, "Shared drive full ~4h from:Ola !high", "--cost", "low")]
    n += [add(cli, "Badge reader ~1h from:Pam")]
    n += [add(cli, "Desk move ~2h from:Quin")]
    at(set_now, "09:00")
    n += [add(cli, f"Migrate mailbox {k} ~2h from:User{k}") for k in range(14, 26)]
    ok(cli("vip", "Kim"))
    ok(cli("note", f"{n[6]}", "Told Jo by 10", "--promise", "10:00"))
    ok(cli("note", f"{n[12]}", "Told Pam tomorrow", "--promise", "tomorrow 10:00"))
    ok(cli("note", f"{n[13]}", "Told Quin 09:30", "--promise", "09:30"))
    ok(cli("start", f"{n[9]}"))
    at(set_now, "09:25")
    ok(cli("pause", f"{n[9]}"))
    ok(cli("start", f"{n[10]}"))
    ok(cli("wait", f"{n[3]}"))
    ok(cli("wait", f"{n[11]}", "--on", "vendor:Acme", "--chase", "tomorrow 09:00"))
    ok(cli("defer", f"{n[8]}", "tomorrow 9:00"))
    ok(cli("defer", f"{n[14]}", "10:00"))
    ok(cli("appoint", f"{n[15]}", "14:00", "--for", "45m"))
    ok(cli("appoint", f"{n[16]}", "09:40"))
    ok(cli("pin", f"{n[17]}"))
    ok(cli("bump", f"{n[18]}", "2"))
    ok(cli("bump", f"{n[19]}", "--", "-1"))
    ok(cli("done", f"{n[1]}"))
    ok(cli("drop", f"{n[20]}", "--reason", "duplicate"))
    at(set_now, "10:15")


def _check(name: str, text: str) -> None:
    path = EXPECTED / name
    if os.environ.get("TECHQUEUE_PIN_WRITE"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed"


@pytest.mark.parametrize(
    ("options", "name"),
    [
        (("--json",), "list-varied.json"),
        (("--all", "--json"), "list-varied-all.json"),
        (("--status", "all", "--json"), "list-varied-status-all.json"),
        ((), "list-varied.txt"),
        (("--all",), "list-varied-all.txt"),
    ],
)
def test_the_listing_of_a_varied_queue_is_unchanged(
    cli: Cli, set_now: SetNow, cli_home: Home, options: tuple[str, ...], name: str
) -> None:
    _varied(cli, set_now, cli_home)
    _check(name, ok(cli("list", *options)).out)


def test_the_listing_the_next_morning_is_unchanged(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    """Past a holiday and a night: deadlines and ETAs on the working-day calendar."""
    _varied(cli, set_now, cli_home)
    at(set_now, "2026-03-05T08:10")
    _check("list-varied-thursday.json", ok(cli("list", "--all", "--json")).out)
