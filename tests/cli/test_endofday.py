"""A whole working day through the command line, the clock stepped with ``TECHQUEUE_NOW``:
capture, work, interruptions, a timer left running, the review and its decisions, then the
next morning's summary and a correction of the work log."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .conftest import Home
from .support import Cli, SetNow, add, assert_one_line_error, assert_usage_error, finished, ok

EXPECTED = Path(__file__).parent / "expected"


@pytest.fixture
def monday(cli: Cli, set_now: SetNow) -> dict[str, int]:
    """Monday 2 March 2026, as a technician lives it; returns the items' ids."""
    set_now("2026-03-02T08:55")
    printer = add(cli, "Printer jammed @desk !high ~5m from:Alice #printer")
    set_now("2026-03-02T09:00")
    vpn = add(cli, "VPN down for sales @phone !critical from:Bob #network x:12")
    ok(cli("note", str(vpn), "Back by 10", "--promise", "10:00"))
    ok(cli("start", str(vpn)))
    set_now("2026-03-02T09:45")
    ok(cli("done", str(vpn)))
    set_now("2026-03-02T09:50")
    ok(cli("start", str(printer)))
    set_now("2026-03-02T10:05")
    laptop = add(cli, "New laptop for Carol @email !low from:Carol #laptop")
    set_now("2026-03-02T10:10")
    ok(cli("note", str(laptop), "Ready by noon", "--promise", "12:00"))
    set_now("2026-03-02T10:20")
    ok(cli("pause", str(printer)))
    password = finished(cli, set_now, "Password reset @chat ~2m from:Dave", "11:00", "11:05")
    set_now("2026-03-02T11:30")
    spam = add(cli, "Duplicate of the printer ticket @ticket")
    ok(cli("drop", str(spam), "--reason", "duplicate"))
    ok(cli("remind", "-", "tomorrow 9:00", "Check the backups"))
    set_now("2026-03-02T13:00")
    ok(cli("start", str(laptop)))  # and forgotten: still running at the end of the day
    set_now("2026-03-02T15:00")
    monitor = add(cli, "Monitor flickers @desk from:Eve #screen")
    return {
        "printer": printer,
        "vpn": vpn,
        "laptop": laptop,
        "password": password,
        "spam": spam,
        "monitor": monitor,
    }


def test_the_review_counts_the_day_honestly(
    cli: Cli, set_now: SetNow, monday: dict[str, int]
) -> None:
    set_now("2026-03-02T17:30")
    review = ok(cli("review", "--json")).json
    done = {entry["id"]: entry for entry in review["done"]}
    assert done[monday["vpn"]]["spent_minutes"] == 45
    assert done[monday["password"]]["spent_minutes"] == 5
    # 45 + 30 + 5, and the laptop's forgotten timer only to 17:00: 240, not 270 or more.
    assert review["worked_minutes"] == 45 + 30 + 5 + 240
    assert review["overnight_spans"] == 1
    assert review["received"] == 6
    assert review["finished"] == 2
    assert review["dropped"] == 1
    assert [p["item_id"] for p in review["promises"]["kept"]] == [monday["vpn"]]
    assert [p["item_id"] for p in review["promises"]["broken"]] == [monday["laptop"]]
    assert review["by_tag"][0] == {"name": "laptop", "minutes": 240}
    assert {share["name"] for share in review["by_channel"]} == {"email", "phone", "desk", "chat"}
    assert review["by_requester"][0]["name"] == "Carol"


def _decide(cli: Cli, set_now: SetNow, ids: dict[str, int]) -> None:
    set_now("2026-03-02T17:30")
    ok(cli("defer", str(ids["laptop"]), "tomorrow 14:00"))
    promised = ok(
        cli(
            "carry",
            str(ids["printer"]),
            "--promise",
            "tomorrow 10:00",
            "--note",
            "The part arrives tomorrow",
        )
    )
    assert promised.out.startswith("carried over #")
    before = json.loads(ok(cli("review", "--json")).out)
    left = [entry["id"] for entry in before["open"] if entry["undecided"]]
    assert ids["printer"] not in left
    assert ids["monitor"] in left
    skipped = ok(cli("carry", "--rest"))
    assert sorted(int(word[1:]) for word in re.findall(r"#\d+", skipped.out)) == sorted(left)
    assert f"#{ids['monitor']}" in skipped.out
    assert "skipped" in skipped.out
    assert ok(cli("carry", "--rest")).out.startswith("Nothing left undecided")


def test_the_decisions_and_the_markdown_report(
    cli: Cli, set_now: SetNow, monday: dict[str, int]
) -> None:
    _decide(cli, set_now, monday)
    laptop_spans = [s for s in ok(cli("log", "--json")).json if s["item_id"] == monday["laptop"]]
    assert laptop_spans[0]["ended_at"].startswith("2026-03-02T17:00")  # closed by the defer
    assert "end of the working day" in laptop_spans[0]["note"]
    set_now("2026-03-02T17:35")
    review = ok(cli("review", "--json")).json
    carried = {entry["id"]: entry for entry in review["carried_over"]}
    assert carried[monday["printer"]]["skipped"] is False
    assert carried[monday["monitor"]]["skipped"] is True
    # every decision is kept: the promise made with a carry-over, the deferral and its date
    assert carried[monday["printer"]]["promised_for"].startswith("2026-03-03T10:00")
    assert carried[monday["monitor"]]["promised_for"] is None
    [deferred] = review["deferred"]
    assert deferred["id"] == monday["laptop"]
    assert deferred["deferred_until"].startswith("2026-03-03T14:00")
    assert [p["item_id"] for p in review["promises"]["later"]] == [monday["printer"]]
    markdown = ok(cli("review", "--markdown")).out
    expected = (EXPECTED / "review-day.md").read_text(encoding="utf-8")
    if os.environ.get("TECHQUEUE_UPDATE_EXPECTED"):
        (EXPECTED / "review-day.md").write_text(markdown, encoding="utf-8")
    assert markdown == expected
    text = ok(cli("review")).out
    assert "Time by tag:" in text
    assert "█" in text


def test_the_next_morning(cli: Cli, set_now: SetNow, monday: dict[str, int]) -> None:
    _decide(cli, set_now, monday)
    set_now("2026-03-03T08:30")
    morning = ok(cli("morning", "--json")).json
    assert morning["day"] == "2026-03-03"
    how = {entry["id"]: entry["how"] for entry in morning["carried_over"]}
    assert how == {monday["printer"]: "carried over", monday["monitor"]: "skipped at the review"}
    # Yesterday's broken promise is still owed: it comes first, then today's.
    promised = [item["id"] for item in morning["promises_due"]]
    assert promised == [monday["laptop"], monday["printer"]]
    assert [item["id"] for item in morning["deferred_to_today"]] == [monday["laptop"]]
    assert [r["text"] for r in morning["reminders"]] == ["Check the backups"]
    text = ok(cli("morning")).out
    assert "Carried over (2)" in text
    assert "The part arrives tomorrow" in text
    assert "Deferred to today (1)" in text
    assert "Reminders (1)" in text
    assert "broken: was due" in text


def test_a_span_corrected_by_hand_changes_the_review_and_undoes(
    cli: Cli, set_now: SetNow, monday: dict[str, int]
) -> None:
    set_now("2026-03-02T17:30")
    ok(cli("pause", str(monday["laptop"])))
    spans = ok(cli("log", "--date", "2026-03-02", "--json")).json
    laptop = next(span for span in spans if span["item_id"] == monday["laptop"])
    assert laptop["minutes"] == 240
    listed = ok(cli("log")).out
    assert f"#{monday['laptop']}" in listed
    assert "4 h" in listed
    corrected = ok(cli("log", str(laptop["id"]), "--end", "14:30"))
    assert "corrected work span" in corrected.out
    assert "1 h 30" in corrected.out
    review = ok(cli("review", "--json")).json
    assert review["worked_minutes"] == 45 + 30 + 5 + 90
    assert "correct work span" in ok(cli("undo")).out
    assert ok(cli("review", "--json")).json["worked_minutes"] == 45 + 30 + 5 + 240


def test_log_and_carry_refuse_bad_input_in_one_line(
    cli: Cli, set_now: SetNow, monday: dict[str, int]
) -> None:
    set_now("2026-03-02T17:30")
    assert_one_line_error(cli("log", "999", "--end", "10:00"), 1)
    assert_usage_error(cli("log", "1", "--end", "soon"))
    assert_usage_error(cli("log", "1", "--end", "25:99"))
    assert ok(cli("log", "1")).code == 0  # an item's spans (issue 18: no longer an error)
    assert_one_line_error(cli("log", "999"), 1)
    assert_usage_error(cli("log", "--start", "9:00"))
    assert_usage_error(cli("log", "1", "--start", "10:00", "--end", "9:00"))
    assert_usage_error(cli("log", "--date", "someday"))
    assert_usage_error(cli("carry"))
    assert_usage_error(cli("carry", "--rest", str(monday["printer"])))
    assert_usage_error(cli("carry", str(monday["vpn"])))  # done: nothing to carry
    assert_one_line_error(cli("carry", "999"), 1)
    assert_usage_error(cli("carry", str(monday["printer"]), "--promise", "9:00 yesterday"))
    assert_usage_error(cli("carry", str(monday["printer"]), "--note", "  "))


def test_a_week_sums_its_days(cli: Cli, set_now: SetNow, monday: dict[str, int]) -> None:
    set_now("2026-03-04T10:00")
    ok(cli("pause", str(monday["laptop"])))
    ok(cli("start", str(monday["printer"])))
    set_now("2026-03-04T10:30")
    ok(cli("done", str(monday["printer"])))
    week = ok(cli("review", "--week", "--json")).json
    assert [day["date"] for day in week["by_day"]] == ["2026-03-02", "2026-03-04"]
    assert week["worked_minutes"] == 45 + 30 + 5 + 240 + 30
    markdown = ok(cli("review", "--week", "--markdown")).out
    assert markdown.startswith("# Review: 2026-03-02 to 2026-03-09")
    assert "## Time by day" in markdown
    assert ok(cli("review", "--date", "2026-03-02", "--json")).json["worked_minutes"] == 320


def test_review_and_log_take_a_day_as_people_say_it(
    cli: Cli, set_now: SetNow, monday: dict[str, int]
) -> None:
    """docs/times.md: ``--date yesterday``, a weekday (the last one: this week's Monday on a
    Wednesday), a date with a month name, or ISO."""
    set_now("2026-03-04T10:00")  # Wednesday
    ok(cli("pause", str(monday["laptop"])))
    by_iso = ok(cli("review", "--date", "2026-03-02", "--json")).json
    assert by_iso["worked_minutes"] == 320
    for said in ("mon", "Monday", "mar 2", "2 March"):
        assert ok(cli("review", "--date", said, "--json")).json == by_iso, said
    tuesday = ok(cli("review", "--date", "2026-03-03", "--json")).json
    assert ok(cli("review", "--date", "yesterday", "--json")).json == tuesday
    assert (
        ok(cli("review", "--date", "tue", "--week", "--json")).json["worked_minutes"]
        == (ok(cli("review", "--week", "--json")).json["worked_minutes"])
    )
    set_now("2026-03-03T09:00")  # Tuesday
    spans = ok(cli("log", "--date", "2026-03-02", "--json")).json
    assert spans
    assert ok(cli("log", "--date", "yesterday", "--json")).json == spans


def test_a_day_that_cannot_be_read_is_one_line_naming_the_forms(cli: Cli) -> None:
    message = assert_usage_error(cli("review", "--date", "someday"))
    assert "--date: 'someday' is not a day; use today, yesterday" in message


def test_the_morning_lists_carried_work_in_the_queue_s_order(cli: Cli, set_now: SetNow) -> None:
    """The summary ranks as the queue does, learned estimates included: a reimage took two
    hours last time, so the 20-minute job carried over with it comes first."""
    finished(cli, set_now, "Reimage laptop #laptop", "09:00", "11:00")
    reimage = add(cli, "Reimage laptop for Dana #laptop")
    set_now("2026-03-02T11:10")
    ups = add(cli, "Check the UPS")
    set_now("2026-03-02T17:00")
    ok(cli("carry", str(reimage), str(ups)))
    set_now("2026-03-03T08:30")
    morning = ok(cli("morning", "--json")).json
    assert [entry["id"] for entry in morning["carried_over"]] == [ups, reimage]
    queue = ok(cli("list", "--json")).json
    assert [row["id"] for row in queue] == [ups, reimage]


def test_night_work_before_the_day_boundary_counts_to_the_day_before(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    cli_home.config.write_text('[day]\nboundary = "04:00"\n', encoding="utf-8")
    finished(cli, set_now, "Printer jammed", "10:00", "10:20")
    finished(cli, set_now, "Backup failed overnight !high", "2026-03-03T01:00", "2026-03-03T01:30")
    week = ok(cli("review", "--week", "--json")).json
    assert [(day["date"], day["minutes"]) for day in week["by_day"]] == [("2026-03-02", 50)]
    monday = ok(cli("review", "--date", "2026-03-02", "--json")).json
    assert monday["worked_minutes"] == 50


def test_the_morning_calls_a_promise_broken_only_when_work_began_too_late(
    cli: Cli, set_now: SetNow
) -> None:
    set_now("2026-03-02T09:00")
    kept = add(cli, "Projector for the board room from:Ann")
    late = add(cli, "Scanner drivers from:Ben")
    ok(cli("note", str(kept), "By ten", "--promise", "10:00"))
    ok(cli("note", str(late), "By ten", "--promise", "10:00"))
    set_now("2026-03-02T09:30")
    ok(cli("start", str(kept)))  # begun in time, not finished
    set_now("2026-03-02T09:45")
    ok(cli("pause", str(kept)))
    set_now("2026-03-03T08:30")
    text = ok(cli("morning")).out
    lines = {line.split()[0]: line for line in text.splitlines() if line.strip().startswith("#")}
    assert "to Ann, was due" in lines[f"#{kept}"], text
    assert "to Ben, broken: was due" in lines[f"#{late}"], text
