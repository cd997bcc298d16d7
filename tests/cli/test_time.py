"""Time counted once: a span written or corrected by hand may not overlap another, and time
can be given after the fact (``done ID --spent``, ``log ID --spent [--at]``); ``log ID``
shows an item's spans."""

from __future__ import annotations

import pytest

from .support import Cli, SetNow, add, assert_one_line_error, assert_usage_error, at, ok


@pytest.fixture
def morning(cli: Cli, set_now: SetNow) -> None:
    """Monday: #1 Printer jammed worked 09:40-10:10 (span 1); #2 Quick question, #3 Backup
    check captured at 09:00 and never started. The clock then stands at 10:30."""
    at(set_now, "09:00")
    add(cli, "Printer jammed")
    add(cli, "Quick question")
    add(cli, "Backup check")
    at(set_now, "09:40")
    ok(cli("start", "1"))
    at(set_now, "10:10")
    ok(cli("pause", "1"))
    at(set_now, "10:30")


def worked(cli: Cli) -> float:
    minutes: float = ok(cli("review", "--json")).json["worked_minutes"]
    return minutes


def spans(cli: Cli, item_id: int) -> list[tuple[str, str | None]]:
    return [
        (span["started_at"][11:16], (span["ended_at"] or "")[11:16] or None)
        for span in ok(cli("log", str(item_id), "--json")).json
    ]


# --- done ID --spent ---------------------------------------------------------------------------


def test_done_spent_logs_the_time_ending_now_in_the_same_action(cli: Cli, morning: None) -> None:
    result = ok(cli("done", "2", "--spent", "20m"))
    assert result.out == "done #2 Quick question (20 min spent)\n"
    assert spans(cli, 2) == [("10:10", "10:30")]
    assert worked(cli) == 30 + 20
    assert ok(cli("show", "2", "--json")).json["status"] == "done"
    # one action: one undo takes back both the time and the done
    assert ok(cli("undo")).out == "undid: done #2 'Quick question' (20 min spent)\n"
    assert spans(cli, 2) == []
    assert ok(cli("show", "2", "--json")).json["status"] == "open"
    assert worked(cli) == 30


def test_done_spent_that_would_overlap_other_work_is_refused(cli: Cli, morning: None) -> None:
    message = assert_one_line_error(cli("done", "2", "--spent", "40m"), 2)
    assert message.startswith("techqueue: overlaps work span 1 (#1 Printer jammed, 09:40–10:10)")
    assert ok(cli("show", "2", "--json")).json["status"] == "open"
    assert spans(cli, 2) == []


def test_done_spent_while_another_item_runs_is_refused(
    cli: Cli, set_now: SetNow, morning: None
) -> None:
    ok(cli("start", "3"))
    at(set_now, "10:45")
    message = assert_one_line_error(cli("done", "2", "--spent", "5m"), 2)
    assert "overlaps work span 2 (#3 Backup check, 10:30–now)" in message


def test_done_spent_is_for_an_item_never_started(cli: Cli, morning: None) -> None:
    message = assert_one_line_error(cli("done", "1", "--spent", "5m"), 2)
    assert "has work logged already" in message
    assert_usage_error(cli("done", "2", "3", "--spent", "5m"))
    assert_usage_error(cli("done", "2", "--spent", "soon"))
    assert_usage_error(cli("done", "2", "--spent", "0"))
    assert ok(cli("show", "2", "--json")).json["status"] == "open"


# --- log ID --spent [--at] ---------------------------------------------------------------------


def test_log_spent_gives_an_item_time_ending_now_or_at_a_time(cli: Cli, morning: None) -> None:
    result = ok(cli("log", "3", "--spent", "15m"))
    assert result.out.splitlines()[0] == "logged 15 min on #3 Backup check"
    assert "10:15–10:30" in result.out
    ok(cli("log", "2", "--spent", "30m", "--at", "9:30"))
    assert spans(cli, 2) == [("09:00", "09:30")]
    assert worked(cli) == 30 + 15 + 30
    ok(cli("undo"))
    assert worked(cli) == 30 + 15


def test_log_spent_works_on_a_finished_item_too(cli: Cli, morning: None) -> None:
    ok(cli("done", "2"))
    ok(cli("log", "2", "--spent", "10m", "--at", "10:20"))
    assert spans(cli, 2) == [("10:10", "10:20")]
    assert worked(cli) == 40


def test_log_spent_that_overlaps_is_refused_naming_the_span(cli: Cli, morning: None) -> None:
    message = assert_one_line_error(cli("log", "2", "--spent", "10m", "--at", "10:00"), 2)
    assert message.startswith("techqueue: overlaps work span 1 (#1 Printer jammed, 09:40–10:10)")
    assert spans(cli, 2) == []
    # spans that only touch do not overlap
    ok(cli("log", "2", "--spent", "10m", "--at", "9:40"))
    ok(cli("log", "3", "--spent", "10m", "--at", "10:20"))
    assert worked(cli) == 50


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "2", "--spent", "forever"],
        ["log", "2", "--spent", "10m", "--at", "11:00 tomorrow"],
        ["log", "2", "--at", "9:00"],
        ["log", "--spent", "10m"],
        ["log", "1", "--spent", "10m", "--end", "10:00"],
        ["log", "2", "--spent", "10m", "--date", "2026-03-02"],
    ],
)
def test_log_spent_refuses_bad_input(cli: Cli, morning: None, argv: list[str]) -> None:
    assert_usage_error(cli(*argv))


# --- log ID alone; correcting a span -----------------------------------------------------------


def test_log_with_an_item_alone_shows_its_spans(cli: Cli, morning: None) -> None:
    shown = ok(cli("log", "1")).out
    assert "09:40–10:10" in shown
    assert "#1 Printer jammed" in shown
    assert ok(cli("log", "2")).out == "No work logged on #2 Quick question.\n"
    assert ok(cli("log", "2", "--json")).json == []
    assert_one_line_error(cli("log", "99"), 1)


def test_correcting_a_span_onto_another_is_refused(
    cli: Cli, set_now: SetNow, morning: None
) -> None:
    ok(cli("log", "2", "--spent", "10m", "--at", "10:30"))  # span 2: 10:20-10:30
    message = assert_one_line_error(cli("log", "2", "--start", "10:00"), 2)
    assert message.startswith("techqueue: overlaps work span 1 (#1 Printer jammed, 09:40–10:10)")
    message = assert_one_line_error(cli("log", "1", "--end", "10:25"), 2)
    assert message.startswith("techqueue: overlaps work span 2 (#2 Quick question, 10:20–10:30)")
    ok(cli("log", "1", "--end", "10:20"))  # touching is fine
    assert worked(cli) == 40 + 10


def test_log_help_says_what_the_number_means(cli: Cli) -> None:
    shown = ok(cli("log", "--help")).out
    assert "log ID --spent D [--at WHEN]" in shown
    assert "log SPAN --start/--end WHEN" in shown
    assert "log ID  " in shown
