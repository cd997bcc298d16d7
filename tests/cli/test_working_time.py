"""Working time through the real entry point: waiting and lateness count the working hours
only, an item's clock stops while it waits on the customer or is deferred, customers are not
"not updated" over a night, and what will be late is said before it is."""

from __future__ import annotations

from typing import Any

from .support import Cli, SetNow, add, at, item, ok, parse_time

FRIDAY = "2026-03-06"
MONDAY_AFTER = "2026-03-09"


def reason(data: dict[str, Any], factor: str) -> str:
    return str(next(r["detail"] for r in data["reasons"] if r["factor"] == factor))


def test_a_weekend_is_not_waiting(cli: Cli, set_now: SetNow) -> None:
    """Received Friday 16:30, it has waited one working hour at Monday 09:30, not 65 hours,
    and its aging is that of one hour: it ranks below a fresh item a severity higher."""
    at(set_now, "16:30", FRIDAY)
    old = add(cli, "Backup report looks odd !normal ~20m")
    at(set_now, "09:30", MONDAY_AFTER)
    fresh = add(cli, "Scanner offline !high ~20m")
    data = item(cli, old)
    assert "waiting 1 h of its 4 h target, in working time" in reason(data, "aging")
    assert data["late_minutes"] == 0
    ranks = {row["id"]: row["rank"] for row in ok(cli("list", "--json")).json}
    assert ranks[fresh] < ranks[old]


def test_lateness_is_counted_in_working_time_and_shown(cli: Cli, set_now: SetNow) -> None:
    """A high item (1 h target) received Friday 16:20 is late 20 min at Monday 09:40 (40
    working minutes on Friday, 40 on Monday): in JSON, in its reasons and in the list."""
    at(set_now, "16:20", FRIDAY)
    late = add(cli, "Printer jammed on floor 2 !high ~5m")
    at(set_now, "09:40", MONDAY_AFTER)
    data = item(cli, late)
    assert data["late_minutes"] == 20
    assert reason(data, "aging").startswith("late 20 min: ")
    listed = ok(cli("list")).out
    row = next(line for line in listed.splitlines() if "Printer jammed" in line)
    assert "late 20 min" in row
    ok(cli("start", str(late)))
    assert item(cli, late)["late_minutes"] == 0, "once started, it has had its response"


def test_the_clock_stops_while_an_item_waits_on_the_customer(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Laptop slow !normal ~30m from:Carol")
    at(set_now, "10:00")
    ok(cli("wait", str(job)))
    at(set_now, "16:00")
    ok(cli("start", str(job)))  # the customer answered: back to work
    ok(cli("pause", str(job)))
    data = item(cli, job)
    assert "waiting 1 h of its 4 h target" in reason(data, "aging"), reason(data, "aging")


def test_the_clock_stops_while_an_item_is_deferred(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Order new toner !low ~10m")
    at(set_now, "10:00")
    ok(cli("defer", str(job), "15:00"))
    at(set_now, "16:00")
    data = item(cli, job)
    assert "waiting 2 h of its 48 h target" in reason(data, "aging"), reason(data, "aging")


def test_no_customer_is_nudged_for_a_night(cli: Cli, set_now: SetNow) -> None:
    """A high item's customer should hear every 2 working hours: told at 16:30, they are not
    overdue at 09:00 the next morning (30 working minutes), but are by 10:40."""
    at(set_now, "15:00")
    job = add(cli, "VPN drops every hour !high ~45m from:Dana")
    at(set_now, "16:30")
    ok(cli("note", str(job), "Looking at it first thing", "--contact"))
    at(set_now, "09:00", "2026-03-03")
    assert ok(cli("remind", "--due", "--json")).json == []
    at(set_now, "10:40", "2026-03-03")
    [nudge] = ok(cli("remind", "--due", "--json")).json
    assert nudge["kind"] == "update"
    assert "no word for 2 h 10 of working time" in nudge["text"]


def test_a_promise_the_job_in_hand_will_break_is_flagged_before_it_is(
    cli: Cli, set_now: SetNow
) -> None:
    """The job in hand has 50 minutes left; a customer was promised someone by 09:40. The
    queue puts the promise first, but the job in hand is still in hand: ``next`` says the
    promise is at risk and will be missed by about 20 minutes, not that it is ok."""
    at(set_now, "09:00")
    job = add(cli, "Server room cabling ~60m !normal")
    ok(cli("start", str(job)))
    at(set_now, "09:10")
    promised = add(cli, "Projector for the board meeting ~10m from:Eve !high")
    ok(cli("note", str(promised), "Someone will come by 09:40", "--promise", "09:40"))
    top = ok(cli("next", "--json")).json
    assert top["id"] == promised
    assert top["promise_state"] == "at_risk"
    miss = top["will_miss"]
    assert miss is not None
    assert miss["what"] == "promise"
    assert parse_time(miss["at"]).strftime("%H:%M") == "09:40"
    assert miss["by_minutes"] == 20
    shown = item(cli, promised)
    assert shown["will_miss"] == miss


def test_a_due_time_the_queue_will_miss_is_flagged(cli: Cli, set_now: SetNow) -> None:
    """The file server job in hand takes until 11:00; the badge due at 10:00 can only be done
    by 11:15: it is flagged, by 75 minutes, in JSON and in the list."""
    at(set_now, "09:00")
    first = add(cli, "Rebuild the file server ~2h !critical")
    ok(cli("start", str(first)))
    due = add(cli, "Badge for the new starter ~15m due:10:00")
    data = item(cli, due)
    assert data["will_miss"] == {"what": "due", "at": data["due_at"], "by_minutes": 75.0}
    assert item(cli, first)["will_miss"] is None
    row = next(line for line in ok(cli("list")).out.splitlines() if "Badge" in line)
    assert "will miss 10:00 by 1 h 15" in row
    detail = ok(cli("show", str(due))).out
    assert "will miss 10:00 by 1 h 15 (due time)" in detail
    assert ok(cli("eta", str(due), "--json")).json["will_miss"] == data["will_miss"]
    eta_row = next(line for line in ok(cli("eta")).out.splitlines() if "Badge" in line)
    assert "will miss 10:00 by 1 h 15" in eta_row


def test_a_reopened_item_has_not_waited_while_it_was_closed(cli: Cli, set_now: SetNow) -> None:
    """Dropped by mistake on Friday at 10:00 after an hour in the queue, reopened on Monday at
    09:00: at 10:00 it has waited two working hours, not the whole of Friday as well."""
    at(set_now, "09:00", FRIDAY)
    job = add(cli, "VPN drops every hour !normal ~30m")
    at(set_now, "10:00", FRIDAY)
    ok(cli("drop", str(job)))
    at(set_now, "09:00", MONDAY_AFTER)
    ok(cli("reopen", str(job)))
    at(set_now, "10:00", MONDAY_AFTER)
    data = item(cli, job)
    assert "waiting 2 h of its 4 h target" in reason(data, "aging"), reason(data, "aging")


def test_the_morning_says_which_timer_it_stopped_and_how_to_give_the_evening_back(
    cli: Cli, set_now: SetNow
) -> None:
    """A timer left running on Friday is stopped at the end of Friday's working day, and the
    morning says so, with the command that sets when the work really stopped; never silently."""
    at(set_now, "15:10", FRIDAY)
    job = add(cli, "Migrate the file share ~3h")
    ok(cli("start", str(job)))
    at(set_now, "08:50", MONDAY_AFTER)
    text = ok(cli("morning")).out
    [span] = ok(cli("log", str(job), "--json")).json
    assert "Timers left running, stopped at the end of their working day:" in text
    assert f"#{job} Migrate the file share: Fri 06 Mar 15:10–17:00 (span {span['id']})" in text
    assert f"techqueue log {span['id']} --end 19:30" in text
    assert ok(cli("morning", "--json")).json["timers_stopped"] == [], "said once, done once"
    ok(cli("log", str(span["id"]), "--end", "2026-03-06T19:30"))
    [span] = ok(cli("log", str(job), "--json")).json
    assert span["minutes"] == 260


def test_the_morning_json_lists_the_timers_it_stopped(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "16:00", FRIDAY)
    job = add(cli, "Patch the firewall ~2h")
    ok(cli("start", str(job)))
    at(set_now, "09:00", MONDAY_AFTER)
    [stopped] = ok(cli("morning", "--json")).json["timers_stopped"]
    assert stopped["item_id"] == job
    assert stopped["title"] == "Patch the firewall"
    assert parse_time(stopped["ended_at"]).strftime("%a %H:%M") == "Fri 17:00"
    assert stopped["minutes"] == 60
    assert item(cli, job)["status"] == "paused"
