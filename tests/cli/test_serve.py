"""Serving everyone through the real entry point: appoint (a slot booked with the customer),
done --solution (and the past solutions shown on similar items), answers (canned answers),
wait --on (waiting on a vendor or a colleague)."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from .conftest import Home
from .support import (
    Cli,
    SetNow,
    assert_one_line_error,
    assert_usage_error,
    at,
    item,
    local,
    ok,
    parse_time,
)

# --- appoint ---------------------------------------------------------------------------------


def test_a_booked_item_leaves_the_queue_and_comes_back_first(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    vip = int(ok(cli("add", "Board slides *vip ~3h from:Dana")).out)
    booked = int(ok(cli("add", "Outlook slow ~15m from:Alice")).out)
    said = ok(cli("appoint", str(booked), "11:00", "--for", "45m")).out.strip()
    assert said == f"booked #{booked} Outlook slow: appointment 11:00–11:45"
    data = item(cli, booked)
    assert data["appointment"] == {"at": data["appointment"]["at"], "minutes": 45.0}
    assert parse_time(data["appointment"]["at"]) == local("2026-03-02T11:00")
    assert parse_time(data["deferred_until"]) == local("2026-03-02T10:50")
    assert data["rank"] is None
    assert parse_time(data["eta"]) == local("2026-03-02T11:00"), "planned in its slot"
    listed = ok(cli("list", "--json")).json
    assert [entry["id"] for entry in listed] == [vip]
    assert parse_time(listed[0]["eta_finish"]) == local("2026-03-02T12:45"), "around the slot"
    assert "appointment 11:00–11:45" in ok(cli("list", "--all")).out

    at(set_now, "10:52")
    top = ok(cli("next", "--json")).json
    assert top["id"] == booked
    assert top["reasons"][0]["detail"] == "appointment at 11:00"
    assert "appointment at 11:00" in ok(cli("show", str(booked))).out


def test_appoint_cancel_and_undo(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    booked = int(ok(cli("add", "Outlook slow ~15m")).out)
    ok(cli("appoint", str(booked), "tomorrow", "10:00"))
    assert item(cli, booked)["appointment"]["minutes"] == 30.0, "the default slot"
    ok(cli("appoint", str(booked), "--cancel"))
    data = item(cli, booked)
    assert (data["appointment"], data["deferred_until"], data["rank"]) == (None, None, 1)
    assert "cancel the appointment" in ok(cli("undo")).out
    assert item(cli, booked)["appointment"] is not None


def test_appoint_refuses_bad_input_in_one_line(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    booked = int(ok(cli("add", "Outlook slow")).out)
    assert_usage_error(cli("appoint", str(booked)))
    assert_usage_error(cli("appoint", str(booked), "whenever"))
    assert_usage_error(cli("appoint", str(booked), "11:00", "--for", "soon"))
    assert_usage_error(cli("appoint", str(booked), "--cancel"))
    assert_usage_error(cli("appoint", str(booked), "11:00", "--cancel"))
    assert_usage_error(cli("appoint", str(booked), "2026-03-01T10:00"))
    assert_one_line_error(cli("appoint", "99", "11:00"), 1)
    ok(cli("done", str(booked)))
    assert "cannot be booked" in assert_usage_error(cli("appoint", str(booked), "11:00"))


def test_the_slot_is_in_the_calendar_and_the_review(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    at(set_now, "09:00")
    booked = int(ok(cli("add", "Outlook slow from:Alice")).out)
    ok(cli("appoint", str(booked), "14:00", "--for", "1h"))
    target = cli_home.root / "t.ics"
    assert (
        ok(cli("export-ics", str(target))).out.strip().endswith("1 appointment to " + str(target))
    )
    events = {str(e["uid"]): e for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    event = events[f"appointment-{booked}@techqueue"]
    assert str(event["summary"]) == f"Appointment: #{booked} Outlook slow (Alice)"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)
    review = ok(cli("review", "--json")).json
    assert [(entry["id"], entry["minutes"]) for entry in review["appointments"]] == [(booked, 60.0)]
    assert f"#{booked} Outlook slow (Alice) — 14:00 for 1 h" in ok(cli("review", "--markdown")).out


def test_the_morning_mentions_today_s_appointments(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "08:30")
    booked = int(ok(cli("add", "Printer from:Alice")).out)
    other = int(ok(cli("add", "Laptop")).out)
    ok(cli("appoint", str(booked), "11:00", "--for", "45m"))
    ok(cli("appoint", str(other), "tomorrow", "10:00"))
    at(set_now, "08:45")
    morning = ok(cli("morning", "--json")).json
    (slot,) = morning["appointments"]
    assert (slot["id"], slot["title"], slot["requester"], slot["minutes"]) == (
        booked,
        "Printer",
        "Alice",
        45.0,
    )
    assert parse_time(slot["at"]) == local("2026-03-02T11:00")
    assert parse_time(slot["end"]) == local("2026-03-02T11:45")
    text = ok(cli("morning")).out
    assert f"Booked today:\n  11:00–11:45 #{booked} Printer (Alice)\n" in text
    assert "Laptop" not in text


# --- done --solution and past solutions -----------------------------------------------------------


def test_done_keeps_the_solution_and_a_similar_item_shows_it(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    first = int(ok(cli("add", "Printer jams on floor 2 #printer")).out)
    ok(cli("done", str(first), "--spent", "10m", "--solution", "reset the print\nspooler"))
    assert item(cli, first)["solution"] == "reset the print spooler"
    second = int(ok(cli("add", "Printer offline #printer")).out)
    shown = ok(cli("show", str(second))).out
    assert f"Last time: reset the print spooler, 10 min (#{first} Printer jams on floor 2" in shown
    past = ok(cli("show", str(second), "--json")).json["past_solutions"]
    assert [(p["item_id"], p["solution"], p["minutes"]) for p in past] == [
        (first, "reset the print spooler", 10.0)
    ]
    ok(cli("done", str(second), "--solution", "power cycled it"))
    assert item(cli, second)["solution"] == "power cycled it"
    ok(cli("reopen", str(second)))
    assert item(cli, second)["solution"] is None, "not solved after all"
    assert "reopen" in ok(cli("undo")).out
    assert item(cli, second)["solution"] == "power cycled it"


def test_done_solution_refuses_blank_text_and_several_items(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    a = ok(cli("add", "One")).out.strip()
    b = ok(cli("add", "Two")).out.strip()
    assert_usage_error(cli("done", a, "--solution", "  "))
    assert_usage_error(cli("done", a, b, "--solution", "fixed"))
    assert_usage_error(cli("done", a, "--solution", "x" * 501))
    assert item(cli, int(a))["status"] == "open"


# --- answers ---------------------------------------------------------------------------------


def test_answers_lists_the_shipped_answer_and_fills_it_in(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    listed = ok(cli("answers", "--json")).json
    assert [entry["tag"] for entry in listed] == ["default"]
    item_id = int(ok(cli("add", "Laptop slow from:'Alice Brown' ~20m")).out)
    said = ok(cli("answers", str(item_id))).out.strip()
    assert said == (
        f"Hi Alice, I have your request (#{item_id}) and expect to be with you right away. "
        "I'll keep you posted."
    )
    assert item(cli, item_id)["status"] == "open"
    assert ok(cli("show", str(item_id), "--json")).json["notes"] == [], "not noted by itself"


def test_answers_by_tag_from_the_config_noted_as_a_contact(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    cli_home.config.write_text(
        '[answers]\nprinter = "Hi {name}, the printer is on my list ({ticket}, {eta})."\n',
        encoding="utf-8",
    )
    at(set_now, "09:00")
    printer = int(ok(cli("add", "Printer offline #printer from:Bob ref:INC-7")).out)
    other = int(ok(cli("add", "Laptop slow")).out)
    data = ok(cli("answers", str(printer), "--contact", "--json")).json
    assert data == {
        "item_id": printer,
        "tag": "printer",
        "text": "Hi Bob, the printer is on my list (INC-7, right away).",
        "noted": True,
    }
    notes = ok(cli("show", str(printer), "--json")).json["notes"]
    assert [(n["kind"], n["text"]) for n in notes] == [("contact", f"Told them: {data['text']}")]
    assert "no canned answer fits" in assert_usage_error(cli("answers", str(other)))
    assert "nope" in assert_usage_error(cli("answers", str(printer), "--tag", "nope"))
    assert_usage_error(cli("answers", "--contact"))
    assert_one_line_error(cli("answers", "99"), 1)


def test_a_bad_answer_in_the_config_is_one_line_naming_it(cli: Cli, cli_home: Home) -> None:
    cli_home.config.write_text('[answers]\nvpn = "Hi {who}"\n', encoding="utf-8")
    said = assert_one_line_error(cli("answers"), 1)  # as every config error
    assert "answers: vpn:" in said
    assert "{who}" in said


# --- wait --on ---------------------------------------------------------------------------------


def test_wait_on_a_vendor_with_a_chase_and_the_review_says_for_how_long(
    cli: Cli, set_now: SetNow
) -> None:
    at(set_now, "09:00")
    item_id = int(ok(cli("add", "Printer broken ~30m")).out)
    said = ok(cli("wait", str(item_id), "--on", "vendor:Acme", "--chase", "wed 10:00")).out
    assert said.strip() == (
        f"out: #{item_id} Printer broken — waiting on vendor Acme since 09:00, "
        "chase Wed 04 Mar 10:00"
    )
    data = item(cli, item_id)
    assert data["status"] == "waiting"
    assert data["waiting_on"]["who"] == "Acme"
    assert data["waiting_on"]["kind"] == "vendor"
    assert parse_time(data["waiting_on"]["since"]) == local("2026-03-02T09:00")
    assert parse_time(data["waiting_on"]["chase_at"]) == local("2026-03-04T10:00")
    reminders = ok(cli("reminders", "--json")).json
    assert [r["text"] for r in reminders] == [f"chase vendor Acme about #{item_id}"]

    set_now(local("2026-03-03T11:00").isoformat())
    review = ok(cli("review", "--json")).json
    assert [(o["id"], o["who"], o["waited_minutes"]) for o in review["out_with"]] == [
        (item_id, "Acme", 600.0)
    ]
    text = ok(cli("review", "--markdown")).out
    assert f"#{item_id} Printer broken — with vendor Acme for 10 h of working time" in text
    ok(cli("start", str(item_id)))
    assert item(cli, item_id)["waiting_on"] is None, "back from them"
    ok(cli("undo"))
    assert item(cli, item_id)["waiting_on"]["who"] == "Acme"


def test_wait_on_refuses_bad_input_in_one_line(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    item_id = ok(cli("add", "Printer broken")).out.strip()
    assert_usage_error(cli("wait", item_id, "--on", "vendor:"))
    assert_usage_error(cli("wait", item_id, "--chase", "10:00"))
    assert_usage_error(cli("wait", item_id, "--on", "Sam", "--chase", "someday"))
    assert_usage_error(cli("wait", item_id, "--on", "Sam", "--chase", "2026-03-01T10:00"))
    assert item(cli, int(item_id))["status"] == "open"
    ok(cli("wait", item_id, "--on", "Sam"))
    assert item(cli, int(item_id))["waiting_on"]["kind"] == "person"


# --- recurring -----------------------------------------------------------------------------------


def test_recurring_work_comes_back_each_time_one_open_at_a_time(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "10:00")  # Monday
    first = int(ok(cli("add", "check backups ~15m every:mon 9:00 #backup")).out)
    data = item(cli, first)
    assert parse_time(data["deferred_until"]) == local("2026-03-09T09:00")
    assert data["rank"] is None
    listed = ok(cli("recurring", "--json")).json
    assert [(r["id"], r["rule"], r["item_id"], r["title"]) for r in listed] == [
        (1, "mon 09:00", first, "check backups")
    ]
    assert "1\tevery mon 09:00\tcheck backups\tnext: #" in ok(cli("recurring")).out

    set_now(local("2026-03-09T09:00").isoformat())
    assert ok(cli("next", "--json")).json["id"] == first, "it ranks like the rest"
    set_now(local("2026-03-25T11:00").isoformat())  # two Mondays missed
    ok(cli("done", str(first)))
    listed = ok(cli("recurring", "--json")).json
    assert parse_time(listed[0]["next_at"]) == local("2026-03-30T09:00"), "none piled up"
    assert listed[0]["done"] == 1
    listed_all = ok(cli("list", "--all", "--json")).json
    opened = [e for e in listed_all if e["title"] == "check backups" and e["status"] == "open"]
    assert len(opened) == 1

    said = ok(cli("stop", "1")).out.strip()
    assert said == "stopped recurring 1: every mon 09:00"
    assert ok(cli("recurring", "--json")).json == []
    assert ok(cli("recurring", "--all", "--json")).json[0]["stopped_at"] is not None
    assert "stop" in ok(cli("undo")).out
    assert len(ok(cli("recurring", "--json")).json) == 1


def test_recurring_refuses_bad_input_in_one_line(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "10:00")
    assert "every:often" in assert_usage_error(cli("add", "backups every:often"))
    assert_usage_error(cli("add", "backups every:day", "--due", "14:00"))
    assert_one_line_error(cli("stop", "7"), 1)
    ok(cli("add", "backups every:day"))
    ok(cli("stop", "1"))
    assert "stopped already" in assert_usage_error(cli("stop", "1"))
    assert_usage_error(cli("edit", "1", "every:mon"))
    assert "No recurring work" in ok(cli("recurring")).out
