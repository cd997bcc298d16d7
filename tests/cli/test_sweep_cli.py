"""The escalation sweep on the command line: ``review`` and ``morning`` propose long-open
lower-priority items closable in a quarter of an hour, with reasons; ``bump`` raises one,
after which it is no longer proposed."""

from __future__ import annotations

from .support import Cli, SetNow, add, ok


def _old_quick_one(cli: Cli, set_now: SetNow) -> int:
    set_now("2026-03-02T09:00")
    quick = add(cli, "Toner for reception !normal ~10m from:Eve", "--received", "2026-02-26T09:00")
    add(cli, "Move a desk !normal from:Frank", "--received", "2026-02-26T09:00")  # no estimate
    set_now("2026-03-02T16:00")
    add(cli, "Fresh quick one !normal ~5m")  # not long open
    return quick


def test_review_json_proposes_it_with_reasons_and_bump_raises_it(cli: Cli, set_now: SetNow) -> None:
    quick = _old_quick_one(cli, set_now)
    set_now("2026-03-02T17:00")
    review = cli("review", "--json")
    ok(review)
    [proposal] = review.json["escalate"]
    assert proposal["id"] == quick
    assert proposal["estimate_minutes"] == 10
    assert proposal["estimate_source"] == "given"
    assert proposal["left_minutes"] == 10
    assert proposal["waited_minutes"] >= 8 * 60 * 3  # Thursday, Friday, Monday
    assert any("closable in ~10 min" in reason for reason in proposal["reasons"])
    text = cli("review")
    assert "Worth escalating" in text.out
    assert f"#{quick} Toner for reception" in text.out
    assert "Worth escalating" in cli("review", "--markdown").out
    ok(cli("bump", str(quick)))
    assert cli("review", "--json").json["escalate"] == []


def test_the_morning_proposes_them_too(cli: Cli, set_now: SetNow) -> None:
    quick = _old_quick_one(cli, set_now)
    set_now("2026-03-03T09:00")
    morning = cli("morning", "--json")
    ok(morning)
    assert [entry["id"] for entry in morning.json["escalate"]] == [quick]
    text = cli("morning").out
    assert "Worth escalating (1)" in text
    assert "techqueue bump ID" in text


def test_nothing_to_escalate_is_an_empty_list(cli: Cli, set_now: SetNow) -> None:
    set_now("2026-03-02T09:00")
    add(cli, "Fresh quick one !normal ~5m")
    assert cli("review", "--json").json["escalate"] == []
    assert "Worth escalating" not in cli("review").out
