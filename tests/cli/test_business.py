"""Business impact from the command line: ``cost:high`` in quick-add, a weight per
organisation or requester in the config; it ranks, with a reason line, and is the item
JSON's ``cost``."""

from __future__ import annotations

from .conftest import Home
from .support import MONDAY_9, Cli, SetNow, add, assert_usage_error, item, ok


def _reasons(data: dict[str, object]) -> dict[str, str]:
    return {reason["factor"]: reason["detail"] for reason in data["reasons"]}  # type: ignore[attr-defined]


def test_a_cost_token_ranks_the_item_and_says_why(cli: Cli, set_now: SetNow) -> None:
    set_now(MONDAY_9)
    plain = add(cli, "Scanner offline #scanner")
    costly = add(cli, "Payroll export fails cost:high #payroll")
    listed = ok(cli("list", "--json")).json
    assert [entry["id"] for entry in listed] == [costly, plain]
    data = item(cli, costly)
    assert data["cost"] == "high"
    assert data["tags"] == ["payroll"]  # the cost is its own field, not a tag
    assert _reasons(data)["business"] == "business impact high (cost:high)"
    assert item(cli, plain)["cost"] == "normal"
    assert "business impact high" in ok(cli("show", str(costly))).out
    ok(cli("edit", str(costly), "cost:low"))
    assert item(cli, costly)["cost"] == "low"
    assert [entry["id"] for entry in ok(cli("list", "--json")).json] == [plain, costly]
    ok(cli("edit", str(costly), "cost:normal"))
    assert item(cli, costly)["cost"] == "normal"
    assert "business" not in _reasons(item(cli, costly))
    assert item(cli, costly)["tags"] == ["payroll"]


def test_a_bad_cost_is_one_line(cli: Cli, set_now: SetNow) -> None:
    set_now(MONDAY_9)
    line = assert_usage_error(cli("add", "Payroll cost:huge"))
    assert "unknown cost 'huge'" in line


def test_organisations_and_requesters_weigh_from_the_config(
    cli: Cli, cli_home: Home, set_now: SetNow
) -> None:
    cli_home.config.write_text(
        "[scoring.business]\n"
        'organisations = {"corp.example" = "high"}\n'
        'requesters = {"Intern Ian" = "low"}\n'
    )
    set_now(MONDAY_9)
    other = add(cli, "Mouse broken from:Zoe")
    corp = add(cli, "Mouse broken", "--from", "Bob <bob@mail.corp.example>")
    intern = add(cli, 'Mouse broken from:"Intern Ian"')
    overruled = add(cli, "Mouse broken cost:normal", "--from", "Eve <eve@corp.example>")
    listed = ok(cli("list", "--json")).json
    assert [entry["id"] for entry in listed] == [corp, other, overruled, intern]
    assert [entry["cost"] for entry in listed] == ["high", "normal", "normal", "low"]
    assert _reasons(listed[0])["business"] == "business impact high (organisation corp.example)"
    assert _reasons(listed[3])["business"] == "business impact low (requester Intern Ian)"


def test_the_cost_option_wins_over_the_token(cli: Cli, set_now: SetNow) -> None:
    set_now(MONDAY_9)
    costly = add(cli, "Payroll export fails cost:low", "--cost", "high")
    assert item(cli, costly)["cost"] == "high"
    ok(cli("edit", str(costly), "--cost", "l"))
    assert item(cli, costly)["cost"] == "low"
    assert "--cost: unknown cost 'huge'" in assert_usage_error(
        cli("edit", str(costly), "--cost", "huge")
    )
