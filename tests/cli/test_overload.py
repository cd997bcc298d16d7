"""More work than hours, through the real entry point: the overload notice names who will
wait past 3× their target, early, with what to tell them; every item's JSON carries its 3×
deadline; and the ways out (defer with a promise, hand off, raise) are one command each."""

from __future__ import annotations

from .support import Cli, SetNow, add, at, item, ok, parse_time

MONDAY = "2026-03-02"


def a_day_too_full(cli: Cli, set_now: SetNow) -> list[int]:
    """Monday 09:00: twelve two-hour jobs for twelve people, normal severity (a 4 h target,
    so 12 working hours to the 3× deadline): three days of work for one day."""
    at(set_now, "09:00")
    return [add(cli, f"Migrate mailbox {n} ~2h from:User{n}") for n in range(1, 13)]


def test_the_notice_names_who_will_wait_past_their_target_with_what_to_say(
    cli: Cli, set_now: SetNow
) -> None:
    jobs = a_day_too_full(cli, set_now)
    at(set_now, "11:00")
    data = ok(cli("overload", "--json")).json
    assert data["overloaded"] is True
    assert data["work_minutes"] == 24 * 60
    assert data["left_today_minutes"] == 6 * 60
    assert data["beyond_today_minutes"] == 18 * 60
    named = {entry["id"]: entry for entry in data["items"]}
    late = [entry for entry in data["items"] if entry["will_breach"]]
    assert data["will_wait_too_long"] == data["people"] == len(late) > 0
    assert set(named) <= set(jobs)
    deadlines = [parse_time(entry["breach_at"]) for entry in data["items"]]
    assert deadlines == sorted(deadlines), "the soonest deadline first"
    for entry in data["items"]:
        start, deadline = parse_time(entry["expected_start"]), parse_time(entry["breach_at"])
        if entry["will_breach"]:
            assert start > deadline
            assert entry["late_minutes"] > 0
        else:  # named because it is too close to call: within half an hour of it
            assert entry["late_minutes"] > -30
        assert entry["tell"].startswith("I can't get to this before ")
        assert entry["tell"].endswith("— is that OK, or shall I pass it on?")
    text = ok(cli("overload")).out
    first = text.splitlines()[0]
    assert first.startswith("overloaded: 18 h more work than today's hours; ")
    assert f"{data['people']} people will wait past 3× their target" in first
    some = data["items"][0]["id"]
    assert f"Ways out: techqueue defer {some} WHEN --promise" in text


def test_every_item_s_json_carries_its_deadline_and_whether_it_will_be_breached(
    cli: Cli, set_now: SetNow
) -> None:
    jobs = a_day_too_full(cli, set_now)
    at(set_now, "11:00")
    listed = {entry["id"]: entry for entry in ok(cli("list", "--json")).json}
    named = {
        entry["id"] for entry in ok(cli("overload", "--json")).json["items"] if entry["will_breach"]
    }
    for job in jobs:
        entry = listed[job]
        # received 09:00 Monday, a 4 h target: 12 working hours on, Tuesday 13:00
        assert parse_time(entry["breach_at"]).strftime("%a %H:%M") == "Tue 13:00"
        assert entry["will_breach"] is (job in named)
    ok(cli("wait", str(jobs[0])))
    assert item(cli, jobs[0])["breach_at"] is None, "its clock stops while it waits on them"


def test_a_quiet_day_names_nobody(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    add(cli, "Printer jammed !high ~10m from:Alice")
    data = ok(cli("overload", "--json")).json
    assert (data["overloaded"], data["items"], data["people"]) == (False, [], 0)
    assert ok(cli("overload")).out.strip() == "Nobody will wait past 3× their target at this pace."


def test_the_ways_out_hand_off_and_defer_with_a_promise(cli: Cli, set_now: SetNow) -> None:
    jobs = a_day_too_full(cli, set_now)
    at(set_now, "11:00")
    before = ok(cli("overload", "--json")).json
    out = ok(cli("handoff", str(jobs[-1]), "--to", "Sam")).out
    assert out.strip() == f"handed off #{jobs[-1]} Migrate mailbox 12 to Sam"
    gone = item(cli, jobs[-1])
    assert (gone["status"], gone["drop_reason"]) == ("dropped", "handed off to Sam")
    ok(cli("defer", str(jobs[-2]), "wed", "10:00", "--promise"))
    deferred = item(cli, jobs[-2])
    assert parse_time(deferred["deferred_until"]).strftime("%a %H:%M") == "Wed 10:00"
    assert deferred["promise_due_at"] == deferred["deferred_until"]
    after = ok(cli("overload", "--json")).json
    assert after["work_minutes"] == before["work_minutes"] - 4 * 60
    ok(cli("undo"))
    assert item(cli, jobs[-2])["deferred_until"] is None
    assert item(cli, jobs[-2])["promise_due_at"] is None, "one action, undone as one"


def test_the_ways_out_refuse_what_makes_no_sense(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Printer jammed ~10m")
    refused = cli("handoff", str(job), "--to", "  ")
    assert refused.code == 2
    assert "say who takes it over" in refused.err
    refused = cli("defer", str(job), "10:00", "--say", "by ten")
    assert refused.code == 2
    assert "--say goes with --promise" in refused.err
