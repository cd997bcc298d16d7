"""Setting expectations through the real entry point, with TECHQUEUE_NOW stepping the clock:
estimates learned from finished work, queue-aware ETAs within working hours, promises going
ok → at risk → broken, reminders falling due, customers to update, and what to tell them."""

from __future__ import annotations

from typing import Any

from .conftest import Home, RunSubprocess
from .support import (
    Cli,
    SetNow,
    add,
    assert_one_line_error,
    at,
    finished,
    item,
    local,
    ok,
    parse_time,
)


def listed(cli: Cli) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in ok(cli("list", "--json")).json}


# --- estimates from history ---------------------------------------------------------------------


def test_an_estimate_comes_from_history_once_similar_work_is_done(
    cli: Cli, set_now: SetNow
) -> None:
    at(set_now, "09:00")
    waiting = add(cli, "Printer on floor 2 offline #printer from:Carol")
    before = item(cli, waiting)
    assert before["estimate_source"] == "default"
    assert before["estimate_minutes"] == 20, "the default for a normal item"
    assert before["estimate_samples"] == 0

    first = add(cli, "Printer jammed #printer from:Bob")
    ok(cli("start", str(first)))
    at(set_now, "09:30")
    ok(cli("done", str(first)))
    learned = item(cli, waiting)
    assert learned["estimate_source"] == "history"
    assert learned["estimate_minutes"] == 30
    assert learned["estimate_samples"] == 1
    assert "Last time this took about 30 min." in learned["tell"]
    text = ok(cli("show", str(waiting))).out
    assert "~30 min, from 1 similar" in text

    second = add(cli, "Printer out of toner #printer")
    ok(cli("start", str(second)))
    at(set_now, "09:40")
    ok(cli("done", str(second)))
    again = item(cli, waiting)
    assert (again["estimate_minutes"], again["estimate_samples"]) == (20, 2), "the median of 30, 10"
    assert "The last 2 like this took about 20 min." in again["tell"]

    own = add(cli, "Printer drivers for the new laptop #printer ~45m")
    assert (item(cli, own)["estimate_source"], item(cli, own)["estimate_minutes"]) == ("given", 45)
    unrelated = add(cli, "Mailbox full !high")
    assert item(cli, unrelated)["estimate_source"] == "default"
    assert item(cli, unrelated)["estimate_minutes"] == 30, "the default for a high item"


def test_a_deferred_item_shows_its_learned_estimate_and_return_as_the_app_does(
    cli: Cli, set_now: SetNow
) -> None:
    first = finished(cli, set_now, "Reimage laptop #laptop", "09:00", "11:00")
    later = add(cli, "Reimage laptop for Dave #laptop")
    ok(cli("defer", str(later), "tomorrow"))
    shown = item(cli, later)
    assert shown["rank"] is None, "deferred: not in the queue"
    assert (shown["estimate_source"], shown["estimate_minutes"]) == ("history", 120)
    assert ok(cli("eta", str(later), "--json")).json["estimate_minutes"] == 120
    assert "~2 h, from 1 similar" in ok(cli("show", str(later))).out
    every = {row["id"]: row for row in ok(cli("list", "--all", "--json")).json}
    assert every[later]["estimate_minutes"] == 120
    # back tomorrow at nine: that is what to tell them, not "once I hear back from you"
    assert "I can be with you tomorrow around 09:00" in shown["tell"]
    eta_text = ok(cli("eta", str(later))).out
    assert "(not in the queue: deferred)" in eta_text
    assert "tell them: Last time this took about 2 hours. I can be with you tomorrow" in eta_text
    # a finished job: nothing left to promise
    assert item(cli, first)["tell"] is None
    assert ok(cli("eta", str(first), "--json")).json["tell"] is None
    assert "tell them" not in ok(cli("eta", str(first))).out


def test_a_learned_estimate_ranks_the_item_as_the_queue_shows_it(cli: Cli, set_now: SetNow) -> None:
    finished(cli, set_now, "Reimage laptop #laptop", "09:00", "11:00")
    another = add(cli, "Reimage laptop for Dana #laptop")
    quick = add(cli, "Unlock account ~10m")
    rows = listed(cli)
    assert rows[another]["estimate_minutes"] == 120
    assert rows[quick]["rank"] < rows[another]["rank"], "a two-hour job is no 20-minute default"


# --- ETAs ------------------------------------------------------------------------------------


def test_etas_count_what_ranks_ahead_within_working_hours(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "16:00")
    first = add(cli, "Pinned first ~45m")
    ok(cli("pin", str(first)))
    second = add(cli, "Second ~30m")
    rows = listed(cli)
    assert parse_time(rows[first]["eta"]) == local("2026-03-02T16:00")
    assert parse_time(rows[first]["eta_finish"]) == local("2026-03-02T16:45")
    assert parse_time(rows[second]["eta"]) == local("2026-03-02T16:45")
    assert parse_time(rows[second]["eta_finish"]) == local("2026-03-03T09:15"), (
        "the day ends at 17:00: the rest goes on the next morning"
    )
    text = ok(cli("eta", str(second))).out
    assert "likely 16:45 – Tue 09:15" in text, "the day as a range people read"


def test_friday_evening_work_goes_to_monday_and_an_active_item_runs_from_now(
    cli: Cli, set_now: SetNow
) -> None:
    at(set_now, "18:30", day="2026-03-06")  # a Friday, after hours
    busy = add(cli, "Server patching ~20m")
    ok(cli("start", str(busy)))
    later = add(cli, "Check backups ~10m")
    rows = listed(cli)
    assert parse_time(rows[busy]["eta"]) == local("2026-03-06T18:30"), "in hand: now"
    assert parse_time(rows[busy]["eta_finish"]) == local("2026-03-06T18:50")
    assert parse_time(rows[later]["eta"]) == local("2026-03-09T09:00"), "Monday morning"


def test_time_already_worked_comes_off_the_estimate(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Set up new starter ~1h")
    ok(cli("start", str(job)))
    at(set_now, "09:40")
    data = item(cli, job)
    assert parse_time(data["eta_finish"]) == local("2026-03-02T10:00")


def test_a_waiting_item_has_no_eta(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Needs the customer's password")
    ok(cli("wait", str(job)))
    data = item(cli, job)
    assert data["eta"] is None
    assert data["eta_finish"] is None
    assert "waiting on the customer" in ok(cli("eta", str(job))).out


def test_eta_for_the_whole_queue_in_text_and_json(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    assert "Nothing in the queue" in ok(cli("eta")).out
    assert ok(cli("eta", "--json")).json == []
    first = add(cli, "First ~15m !high")
    second = add(cli, "Second ~15m from:Alice")
    rows = ok(cli("eta", "--json")).json
    assert [row["id"] for row in rows] == [first, second]
    assert [row["rank"] for row in rows] == [1, 2]
    assert rows[1]["eta"] == rows[0]["eta_finish"]
    assert "I can be with you around 09:15" in rows[1]["tell"]
    lines = ok(cli("eta")).out.splitlines()
    assert lines[0].split("\t")[:3] == ["1", f"#{first}", "09:00–09:15"]


def test_eta_refuses_bad_ids(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    assert "not found" in assert_one_line_error(cli("eta", "99"), 1)
    assert_one_line_error(cli("eta", "0"), 2)
    assert_one_line_error(cli("eta", "soon"), 2)


# --- promises ---------------------------------------------------------------------------------


def test_a_promise_goes_ok_then_at_risk_then_broken_until_the_customer_is_told(
    cli: Cli, set_now: SetNow
) -> None:
    at(set_now, "09:00")
    ahead = add(cli, "Pinned job ~50m")
    ok(cli("pin", str(ahead)))
    promised = add(cli, "Monitor flickers ~10m from:Alice")
    ok(cli("note", str(promised), "Told Alice by 10:00", "--promise", "10:00"))

    def state() -> str:
        data = item(cli, promised)
        assert parse_time(data["promise_due_at"]) == local("2026-03-02T10:00")
        result: str = data["promise_state"]
        return result

    assert state() == "ok", "09:50 start, promised 10:00"
    assert ok(cli("promises", "--json")).json[0]["promise_state"] == "ok"

    at(set_now, "09:15")
    assert state() == "at_risk", "the pinned job now ends at 10:05"
    reasons = item(cli, promised)["reasons"]
    assert any("at risk" in reason["detail"] for reason in reasons), reasons
    assert listed(cli)[promised]["promise_state"] == "at_risk"
    line = ok(cli("promises")).out.strip()
    assert "at risk" in line
    assert "Alice" in line
    assert "AT RISK" in ok(cli("list")).out

    at(set_now, "10:01")
    assert state() == "broken"
    due = ok(cli("remind", "--due")).out
    assert "BROKEN" in due
    assert "Alice" in due
    due_json = ok(cli("remind", "--due", "--json")).json
    assert [row["kind"] for row in due_json] == ["promise"]

    at(set_now, "10:02")
    ok(cli("note", str(promised), "Sorry, 10:30 now", "--contact"))
    data = item(cli, promised)
    assert data["promise_state"] == "none"
    assert data["promise_due_at"] is None
    assert "BROKEN" not in ok(cli("remind", "--due")).out
    assert ok(cli("promises", "--json")).json == []
    assert "No open promises." in ok(cli("promises")).out


def test_a_promise_kept_by_starting_in_time_stays_ok(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Install software ~2h")
    ok(cli("note", str(job), "By 9:30", "--promise", "09:30"))
    at(set_now, "09:20")
    ok(cli("start", str(job)))
    at(set_now, "09:25")
    ok(cli("pause", str(job)))
    at(set_now, "10:00")
    assert item(cli, job)["promise_state"] == "ok"


def test_a_promise_on_a_deferred_item_is_still_tracked(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Order a dock")
    ok(cli("note", str(job), "By 11", "--promise", "11:00"))
    ok(cli("defer", str(job), "14:00"))
    rows = ok(cli("promises", "--json")).json
    assert [(row["id"], row["promise_state"]) for row in rows] == [(job, "ok")]
    at(set_now, "11:05")
    assert ok(cli("promises", "--json")).json[0]["promise_state"] == "broken"


# --- reminders and customers to update ------------------------------------------------------


def test_a_reminder_becomes_due_and_is_listed(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Call the vendor")
    ok(cli("remind", str(job), "09:30", "chase", "the", "vendor"))
    assert ok(cli("remind", "--due")).out == ""
    at(set_now, "09:31")
    result = ok(cli("remind", "--due"))
    assert "DUE" in result.out
    assert "chase the vendor" in result.out
    rows = ok(cli("remind", "--due", "--json")).json
    assert [(row["kind"], row["text"], row["due"]) for row in rows] == [
        ("reminder", "chase the vendor", True)
    ]
    reminder_id = rows[0]["id"]
    ok(cli("snooze", str(reminder_id), "+15m"))
    assert ok(cli("remind", "--due")).out == ""
    at(set_now, "09:47")
    assert "chase the vendor" in ok(cli("remind", "--due")).out
    ok(cli("dismiss", str(reminder_id)))
    assert ok(cli("remind", "--due")).out == ""


def test_a_customer_past_the_contact_target_is_nudged_until_updated(
    cli: Cli, set_now: SetNow
) -> None:
    at(set_now, "09:00")
    job = add(cli, "Email down !critical from:Bob")
    add(cli, "No requester on this one !critical")
    at(set_now, "09:29")
    assert "UPDATE" not in ok(cli("remind", "--due")).out, "30 min target not reached"
    at(set_now, "09:31")
    due = ok(cli("remind", "--due")).out
    assert f"update Bob on #{job}" in due
    rows = ok(cli("remind", "--due", "--json")).json
    assert [(row["kind"], row["item_id"]) for row in rows] == [("update", job)]
    ok(cli("note", str(job), "Working on it, 10 more minutes", "--contact"))
    assert "UPDATE" not in ok(cli("remind", "--due")).out
    at(set_now, "10:02")
    assert f"update Bob on #{job}" in ok(cli("remind", "--due")).out


def test_contact_targets_and_the_template_come_from_the_config(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    cli_home.config.write_text(
        "[expectations]\n"
        'tell = "Hi {name}: {experience} Expect me {when}."\n'
        "[expectations.contact]\n"
        'normal = "10m"\n',
        encoding="utf-8",
    )
    at(set_now, "09:00")
    job = add(cli, "Keyboard sticky ~5m from:Dana")
    data = ok(cli("eta", str(job), "--json")).json
    assert data["tell"] == "Hi Dana: This should take about 5 min. Expect me right away."
    at(set_now, "09:11")
    assert f"update Dana on #{job}" in ok(cli("remind", "--due")).out


def test_a_template_with_an_unknown_placeholder_is_refused(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    cli_home.config.write_text('[expectations]\ntell = "See you {whenever}"\n', encoding="utf-8")
    at(set_now, "09:00")
    line = assert_one_line_error(cli("eta"), 1)
    assert "expectations.tell" in line
    assert "{whenever}" in line


# --- one run through a new process ----------------------------------------------------------


def test_promises_and_eta_in_a_real_process(run_subprocess: RunSubprocess) -> None:
    now = "2026-03-02T09:00"
    assert run_subprocess("add", "Projector for the board room ~20m", now=now).code == 0
    noted = run_subprocess("note", "1", "Before the 10:00 meeting", "--promise", "09:45", now=now)
    assert noted.code == 0, noted
    result = run_subprocess("promises", "--json", now=now)
    assert result.code == 0, result
    assert [row["promise_state"] for row in result.json] == ["ok"]
    late = run_subprocess("eta", "1", "--json", now="2026-03-02T09:50")
    assert late.json["promise_state"] == "broken"


# --- interruption advice ----------------------------------------------------------------------


def test_add_says_on_stderr_whether_to_interrupt_the_job_in_hand(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    job = add(cli, "Fix laptop ~10m from:Bob")
    ok(cli("start", str(job)))
    at(set_now, "09:02")
    normal = ok(cli("add", "Normal ticket ~20m @ticket"))
    assert normal.out.strip().isdigit()
    assert normal.err.startswith("interrupt? no — finish #1")
    quick = ok(cli("add", "Wifi password? ~30s from:Dana"))
    assert quick.err.startswith("interrupt? yes — switch: #3")
    data = ok(cli("next", "--json")).json
    assert (data["id"], data["interrupt"]) == (3, True)
    assert "30s question" in data["interrupt_reason"]


def test_the_advice_weighs_the_job_in_hand_by_its_learned_estimate(
    cli: Cli, set_now: SetNow
) -> None:
    """A reimage took two hours last time: ten minutes in, a 30-minute ticket is worth the
    switch, as the queue (and the app's banner) see it; by the 20-minute default it would not."""
    finished(cli, set_now, "Reimage laptop #laptop", "09:00", "11:00")
    job = add(cli, "Reimage laptop for Dana #laptop")
    assert item(cli, job)["estimate_minutes"] == 120
    ok(cli("start", str(job)))
    at(set_now, "11:10")
    ticket = ok(cli("add", "Shared drive slow ~30m"))
    assert ticket.err.startswith(f"interrupt? yes — switch: #{int(ticket.out)}"), ticket.err


def test_next_json_says_no_interrupt_when_nothing_is_in_hand(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    add(cli, "Something ~10m")
    data = ok(cli("next", "--json")).json
    assert data["interrupt"] is False
    assert data["interrupt_reason"] is None
    assert ok(cli("add", "Another")).err == ""


def test_a_timer_forgotten_overnight_counts_to_the_end_of_the_day_everywhere(
    cli: Cli, set_now: SetNow
) -> None:
    at(set_now, "16:00")
    job = add(cli, "Rebuild the file server ~3h")
    ok(cli("start", str(job)))
    at(set_now, "09:00", day="2026-03-03")
    data = item(cli, job)
    assert data["spent_minutes"] == 60, "16:00 to 17:00, not seventeen hours"
    assert parse_time(data["eta_finish"]) == local("2026-03-03T11:00"), "3 h less the 1 h done"


def test_what_to_tell_fits_the_item_s_state(cli: Cli, set_now: SetNow) -> None:
    """An item in hand is under way and one waiting on the customer waits for them: neither
    is offered a time to "be with you" as if it were still in the queue."""
    at(set_now, "09:00")
    job = add(cli, "Mail client crashes ~30m from:Dana")
    ok(cli("start", str(job)))
    said = ok(cli("show", str(job), "--json")).json["tell"]
    assert said == "I'm working on it now; it should be done around 09:30."
    ok(cli("wait", str(job)))
    said = ok(cli("show", str(job), "--json")).json["tell"]
    assert said.startswith("I'm waiting to hear back from you")
