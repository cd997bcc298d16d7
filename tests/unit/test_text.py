"""Counted words said right, and a validation library's wording said in plain words."""

from __future__ import annotations

import pytest

from techqueue.core.text import plain_problem, plural


@pytest.mark.parametrize(
    ("count", "word", "many", "said"),
    [
        (0, "item", None, "0 items"),
        (1, "item", None, "1 item"),
        (2, "item", None, "2 items"),
        (1, "reminder", None, "1 reminder"),
        (500, "requester", None, "500 requesters"),
        (1, "person", "people", "1 person"),
        (3, "person", "people", "3 people"),
    ],
)
def test_plural(count: int, word: str, many: str | None, said: str) -> None:
    assert plural(count, word, many) == said


@pytest.mark.parametrize(
    ("kind", "context", "said"),
    [
        ("greater_than", {"gt": 0}, "must be more than 0"),
        ("greater_than_equal", {"ge": 1}, "must be at least 1"),
        ("less_than_equal", {"le": 1e6}, "must be at most 1,000,000"),
        ("less_than", {"lt": 0.5}, "must be less than 0.5"),
        ("float_parsing", None, "must be a number"),
        ("int_parsing", None, "must be a whole number"),
        ("bool_type", None, "must be true or false"),
        ("value_error", {"error": ValueError("end must follow start")}, "end must follow start"),
        ("something_new", {}, "is not valid"),
    ],
)
def test_plain_problem(kind: str, context: dict[str, object] | None, said: str) -> None:
    assert plain_problem(kind, context) == said
