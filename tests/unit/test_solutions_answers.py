"""Answers that are remembered, in the pure core: past solutions of similar items, and canned
answers picked by tag and filled in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techqueue.core.answers import DEFAULT_ANSWERS, check_answer, fill, pick
from techqueue.core.solutions import past_solutions

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _item(item_id: int, title: str, **fields: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "id": item_id,
        "title": title,
        "tags": (),
        "requester_id": None,
        "solution": None,
        "done_at": None,
    }
    values.update(fields)
    return SimpleNamespace(**values)


SOLVED = [
    _item(
        1,
        "Printer jams on floor 2",
        tags=("printer",),
        solution="reset the spooler",
        done_at=NOW - 3 * DAY,
    ),
    _item(2, "Printer jammed again", solution="opened tray 2", done_at=NOW - DAY),
    _item(3, "VPN drops", tags=("vpn",), solution="new profile", done_at=NOW - DAY, requester_id=7),
    _item(4, "Mailbox full", requester_id=8, solution="archived", done_at=NOW - DAY),
    _item(5, "Printer toner", tags=("printer",), solution=None, done_at=NOW),
]


def test_a_shared_tag_or_a_title_alike_finds_the_solution_with_its_time() -> None:
    new = _item(9, "Printer jams", tags=("printer",))
    found = past_solutions(new, SOLVED, {1: 10.0}, {})
    assert [past.item_id for past in found] == [1, 2]
    assert found[0].describe() == "reset the spooler, 10 min"
    assert found[1].describe() == "opened tray 2", "no time logged: none said"
    assert found[0].why == ("#printer", "a title alike")


def test_the_same_organisation_adds_to_a_partial_match_but_is_not_enough_alone() -> None:
    organisations = {7: "corp.example", 8: "corp.example", 9: "corp.example"}
    alone = _item(9, "Keyboard broken", requester_id=9)
    assert past_solutions(alone, SOLVED, {}, organisations) == []
    partly = _item(9, "VPN slow", requester_id=9)
    assert [p.item_id for p in past_solutions(partly, SOLVED, {}, organisations)] == [3]
    assert past_solutions(partly, SOLVED, {}, {})[0].why == ("a title alike",)


def test_an_item_is_never_its_own_past_and_at_most_three_are_shown() -> None:
    many = [
        _item(n, f"Printer jams {n}", tags=("printer",), solution=f"fix {n}", done_at=NOW - n * DAY)
        for n in range(1, 8)
    ]
    found = past_solutions(many[0], many, {}, {})
    assert 1 not in [past.item_id for past in found]
    assert len(found) == 3
    assert [past.item_id for past in found] == sorted(p.item_id for p in found), "most recent"


def test_pick_prefers_the_asked_tag_then_the_items_first_tag_then_the_default() -> None:
    answers = {"printer": "P {name}", "vpn": "V", "default": "D"}
    assert pick(("wifi", "vpn", "printer"), answers) == ("vpn", "V")
    assert pick(("wifi",), answers) == ("default", "D")
    assert pick(("wifi",), answers, "printer") == ("printer", "P {name}")
    assert pick((), answers, "nope") is None
    assert pick(("wifi",), {"vpn": "V"}) is None


def test_fill_says_the_first_name_the_time_and_the_ticket() -> None:
    template = DEFAULT_ANSWERS["default"]
    said = fill(
        template,
        requester="Alice Brown",
        item_id=12,
        ref=None,
        title="x",
        eta=NOW + timedelta(minutes=42),
        now=NOW,
    )
    assert said == (
        "Hi Alice, I have your request (#12) and expect to be with you around 09:45. "
        "I'll keep you posted."
    )
    nobody = fill(
        "{name} {ticket} {eta}",
        requester=None,
        item_id=3,
        ref="INC-9",
        title="x",
        eta=None,
        now=NOW,
    )
    assert nobody == "there INC-9 as soon as I can"


@given(title=st.text(max_size=40), requester=st.text(max_size=20))
def test_text_in_the_placeholders_is_never_read_as_a_template(title: str, requester: str) -> None:
    said = fill(
        "[{title}]", requester=requester, item_id=1, ref=None, title=title, eta=None, now=NOW
    )
    assert said == " ".join(f"[{title}]".split())


@pytest.mark.parametrize(
    ("template", "problem"),
    [("Hi {who}", "unknown placeholder {who}"), ("Hi {name", "not a valid answer"), (" ", "empty")],
)
def test_a_bad_answer_is_refused_saying_why(template: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        check_answer(template)
