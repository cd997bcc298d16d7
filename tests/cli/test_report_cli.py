"""``techqueue report``: the insight report as plain text (piped), Markdown and JSON."""

from __future__ import annotations

from .conftest import Home
from .support import Cli, SetNow, add, assert_usage_error, ok


def _weeks(cli: Cli, set_now: SetNow) -> dict[str, int]:
    """Two weeks of work: printers this week, VPN the week before (the previous period)."""
    set_now("2026-03-02T09:00")
    old = add(cli, "VPN drops @phone !high #vpn", "--from", "Bob <bob@corp.example>")
    ok(cli("start", str(old)))
    set_now("2026-03-02T10:00")
    ok(cli("done", str(old)))
    set_now("2026-03-09T09:00")
    first = add(cli, "Printer jammed @desk #printer", "--from", "Alice <alice@corp.example>")
    second = add(cli, "Printer offline @desk #printer from:Carol")
    ok(cli("start", str(first)))
    set_now("2026-03-09T09:45")
    ok(cli("done", str(first)))
    set_now("2026-03-10T12:00")
    return {"old": old, "first": first, "second": second}


def test_report_json(cli: Cli, set_now: SetNow) -> None:
    ids = _weeks(cli, set_now)
    data = ok(cli("report", "--weeks", "1", "--json")).json
    assert data["weeks"] == 1
    assert data["received"] == 2
    assert data["previous_received"] == 1
    assert data["received_trend"] == "↑"
    assert data["worked_minutes"] == 45
    assert data["previous_worked_minutes"] == 60
    assert data["worked_trend"] == "↓"
    [tag] = data["tags"]["by_count"]
    assert (tag["name"], tag["count"], tag["previous_count"], tag["trend"]) == (
        "printer",
        2,
        0,
        "↑",
    )
    assert tag["weekly_counts"] == [2]
    orgs = {row["name"]: row["count"] for row in data["organisations"]["by_count"]}
    assert orgs == {"corp.example": 1, "(none)": 1}
    assert data["channels"]["by_time"][0] == {
        **data["channels"]["by_time"][0],
        "name": "desk",
        "minutes": 45,
    }
    # Carol's printer has waited from Monday 9:00 to Tuesday 12:00: 11 working hours, 7 late
    assert data["late"]["count"] == 1
    assert data["late"]["of"] == 2
    assert data["late"]["worst_minutes"] == 7 * 60
    assert len(data["by_week"]) == 1
    assert [c["id"] for c in data["costliest"]] == [ids["old"], ids["first"]]  # this month


def test_report_text_and_markdown(cli: Cli, set_now: SetNow) -> None:
    _weeks(cli, set_now)
    text = ok(cli("report", "--weeks", "1")).out
    assert "Report 2026-03-04 to 2026-03-10 (1 weeks)" in text
    assert "Top tags by count:" in text
    assert "printer" in text
    assert "↑" in text
    assert "\x1b" not in text  # plain when piped
    assert "The issues that cost the most time this month:" in text
    assert "1. #1 VPN drops" in text
    markdown = ok(cli("report", "--weeks", "1", "--markdown")).out
    assert markdown.startswith("# Report: ")
    assert "## Top organisations by count" in markdown
    assert "| corp.example | 1 |" in markdown


def test_an_empty_store_reports_nothing_without_failing(cli: Cli, set_now: SetNow) -> None:
    set_now("2026-03-10T12:00")
    data = ok(cli("report", "--json")).json
    assert data["received"] == 0
    assert data["costliest"] == []
    assert "No work logged this month." in ok(cli("report")).out


def test_bad_weeks_and_two_formats_are_one_line(cli: Cli, cli_home: Home) -> None:
    assert "--weeks: give 1 to 104 weeks" in assert_usage_error(cli("report", "--weeks", "0"))
    assert_usage_error(cli("report", "--weeks", "many"))
    assert_usage_error(cli("report", "--json", "--markdown"))
