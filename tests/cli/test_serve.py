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
