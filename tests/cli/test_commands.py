"""Every command and option of DESIGN.md's "The command line", run in-process via main(argv)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from .conftest import Home
from .support import (
    COMMANDS,
    ITEM_FIELDS,
    MONDAY_9,
    Cli,
    SetNow,
    add,
    assert_item_json,
    assert_one_line_error,
    assert_usage_error,
    item,
    local,
    no_traceback,
    ok,
    parse_time,
)


@pytest.fixture(autouse=True)
def _monday_morning(set_now: SetNow) -> None:
    """Monday 2 March 2026, 09:00: working hours 09:00-17:00, Monday to Friday (defaults)."""
    set_now(MONDAY_9)


def listed(cli: Cli, *options: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = ok(cli("list", "--json", *options)).json
    return data


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [entry["id"] for entry in items]


def reason_details(entry: dict[str, Any]) -> str:
    return " | ".join(reason["detail"] for reason in entry["reasons"])


# --- add -------------------------------------------------------------------------------------


def test_add_prints_the_new_items_id_and_nothing_else(cli: Cli) -> None:
    first = ok(cli("add", "Printer jammed"))
    assert first.out == "1\n"
    second = ok(cli("add", "Outlook", "asks", "for", "a", "password"))
    assert second.out == "2\n"
    assert item(cli, 2)["title"] == "Outlook asks for a password"


def test_add_reads_the_quick_add_tokens_of_the_design_example(cli: Cli) -> None:
    item_id = add(
        cli,
        'Printer jammed @desk !high ~5m from:"Alice B" #printer due:14:00 ref:INC-42 x:12 *vip',
    )
    data = item(cli, item_id)
    assert data["title"] == "Printer jammed"
    assert data["channel"] == "desk"
    assert data["severity"] == "high"
    assert data["estimate_minutes"] == 5
    assert data["requester"] == "Alice B"
    assert data["tags"] == ["printer"]
    assert parse_time(data["due_at"]) == local("2026-03-02T14:00")
    assert data["ref"] == "INC-42"
    assert data["impact"] == 12
    assert data["vip"] is True
    assert data["status"] == "open"


def test_add_with_every_option(cli: Cli) -> None:
    result = ok(
        cli(
            "add",
            "CEO laptop will not boot",
            "--from",
            "Dana Scully",
            "--vip",
            "--severity",
            "critical",
            "--channel",
            "phone",
            "--estimate",
            "1h30m",
            "--impact",
            "3",
            "--due",
            "14:00",
            "--received",
            "8:40",
            "--tag",
            "laptop",
            "--tag",
            "boot",
            "--ref",
            "INC-7",
            "--json",
        )
    )
    data = result.json
    assert_item_json(data)
    assert data["id"] == 1
    assert data["title"] == "CEO laptop will not boot"
    assert data["requester"] == "Dana Scully"
    assert data["vip"] is True
    assert data["severity"] == "critical"
    assert data["channel"] == "phone"
    assert data["estimate_minutes"] == 90
    assert data["impact"] == 3
    assert parse_time(data["due_at"]) == local("2026-03-02T14:00")
    assert parse_time(data["received_at"]) == local("2026-03-02T08:40")
    assert parse_time(data["created_at"]) == local(MONDAY_9)
    assert data["tags"] == ["laptop", "boot"]
    assert data["ref"] == "INC-7"
    assert data["rank"] == 1
    assert data["pinned"] is False
    assert data["deferred_until"] is None
    assert data["started_at"] is None
    assert data["done_at"] is None
    assert data["status"] == "open"
    # --json prints the item as stored: show --json agrees on every documented field.
    shown = item(cli, 1)
    assert {key: shown[key] for key in ITEM_FIELDS} == {key: data[key] for key in ITEM_FIELDS}


def test_add_json_has_exactly_the_documented_fields_typed(cli: Cli) -> None:
    data = ok(cli("add", "VPN drops @phone !high ~10m from:Bob", "--json")).json
    assert set(data) >= ITEM_FIELDS
    assert_item_json(data)
    assert data["rank"] == 1
    assert isinstance(data["score"], int | float)
    assert data["reasons"], "every rank is explained"
    assert "high" in reason_details(data)


@pytest.mark.parametrize(
    ("tokens", "option", "field", "expected"),
    [
        ("!low", ["--severity", "high"], "severity", "high"),
        ("@desk", ["--channel", "email"], "channel", "email"),
        ("~5m", ["--estimate", "1h"], "estimate_minutes", 60),
        ("from:Alice", ["--from", "Bob"], "requester", "Bob"),
        ("x:2", ["--impact", "40"], "impact", 40),
        ("ref:INC-1", ["--ref", "INC-2"], "ref", "INC-2"),
    ],
)
def test_options_win_over_tokens(
    cli: Cli, tokens: str, option: list[str], field: str, expected: object
) -> None:
    data = ok(cli("add", f"Mouse broken {tokens}", *option, "--json")).json
    assert data[field] == expected
    assert data["title"] == "Mouse broken"


def test_due_option_wins_over_due_token(cli: Cli) -> None:
    data = ok(cli("add", "Projector due:16:00", "--due", "11:00", "--json")).json
    assert parse_time(data["due_at"]) == local("2026-03-02T11:00")


def test_tag_option_adds_to_tag_tokens(cli: Cli) -> None:
    data = ok(cli("add", "Toner #printer", "--tag", "supplies", "--json")).json
    assert data["tags"] == ["printer", "supplies"]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90s", 1.5), ("5m", 5), ("1h", 60), ("1h30m", 90), ("45", 45), ("2.5", 2.5)],
)
def test_durations(cli: Cli, text: str, minutes: float) -> None:
    data = ok(cli("add", "Task", "--estimate", text, "--json")).json
    assert data["estimate_minutes"] == pytest.approx(minutes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", "2026-03-02T14:00"),  # the next 14:00: today
        ("08:00", "2026-03-03T08:00"),  # the next 08:00: tomorrow
        ("+30m", "2026-03-02T09:30"),
        ("+2h", "2026-03-02T11:00"),
        ("tomorrow 9:00", "2026-03-03T09:00"),
        ("eod", "2026-03-02T17:00"),
        ("friday", "2026-03-06T09:00"),
        ("mon", "2026-03-09T09:00"),  # today is Monday: next week's
        ("2026-03-04T10:30", "2026-03-04T10:30"),
    ],
)
def test_due_times(cli: Cli, text: str, expected: str) -> None:
    data = ok(cli("add", "Task", "--due", text, "--json")).json
    assert parse_time(data["due_at"]) == local(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:40", "2026-03-02T08:40"),  # the last 8:40: today
        ("10:00", "2026-03-01T10:00"),  # the last 10:00: yesterday
        ("-20m", "2026-03-02T08:40"),
        ("2026-02-27T16:00", "2026-02-27T16:00"),
    ],
)
def test_received_times(cli: Cli, text: str, expected: str) -> None:
    data = ok(cli("add", "Task", "--received", text, "--json")).json
    assert parse_time(data["received_at"]) == local(expected)
    assert parse_time(data["created_at"]) == local(MONDAY_9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3pm", "2026-03-02T15:00"),
        ("noon", "2026-03-02T12:00"),
        ("in 2 hours", "2026-03-02T11:00"),
        ("next mon", "2026-03-09T09:00"),
        ("next friday", "2026-03-13T09:00"),
        ("mar 5", "2026-03-05T09:00"),
        ("5 mar 14:00", "2026-03-05T14:00"),
        ("tomorrow 3pm", "2026-03-03T15:00"),
        ("fri at noon", "2026-03-06T12:00"),
        ("2026-03-05 3pm", "2026-03-05T15:00"),
    ],
)
def test_due_times_as_people_type_them(cli: Cli, text: str, expected: str) -> None:
    data = ok(cli("add", "Task", "--due", text, "--json")).json
    assert parse_time(data["due_at"]) == local(expected)
    token = ok(cli("add", f"Task due:{text}", "--json")).json
    assert (token["title"], parse_time(token["due_at"])) == ("Task", local(expected))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8am", "2026-03-02T08:00"),  # the last 8am: today
        ("3pm", "2026-03-01T15:00"),  # the last 3pm: yesterday
        ("20 min ago", "2026-03-02T08:40"),
        ("fri 4pm", "2026-02-27T16:00"),  # the last Friday
        ("feb 27 16:00", "2026-02-27T16:00"),
    ],
)
def test_received_times_as_people_type_them(cli: Cli, text: str, expected: str) -> None:
    data = ok(cli("add", "Task", "--received", text, "--json")).json
    assert parse_time(data["received_at"]) == local(expected)


def test_every_command_that_takes_a_time_reads_the_same_forms(cli: Cli) -> None:
    first, second, third = (add(cli, title) for title in ("One", "Two", "Three"))
    ok(cli("defer", str(first), "next", "mon"))
    assert parse_time(item(cli, first)["deferred_until"]) == local("2026-03-09T09:00")
    ok(cli("wait", str(second), "--until", "fri 3pm"))
    assert parse_time(item(cli, second)["deferred_until"]) == local("2026-03-06T15:00")
    ok(cli("note", str(third), "Told her", "--promise", "tomorrow noon"))
    assert parse_time(item(cli, third)["promise_due_at"]) == local("2026-03-03T12:00")
    ok(cli("remind", str(third), "in 2 hours", "call", "back"))
    [reminder] = ok(cli("reminders", "--json")).json
    assert parse_time(reminder["due_at"]) == local("2026-03-02T11:00")
    ok(cli("snooze", str(reminder["id"]), "5", "mar", "14:00"))
    [snoozed] = ok(cli("reminders", "--json")).json
    assert parse_time(snoozed["due_at"]) == local("2026-03-05T14:00")


def test_every_bad_quick_add_token_is_named_in_one_line(cli: Cli) -> None:
    message = assert_usage_error(cli("add", "Printer !urgentish jammed ~soon @fax"))
    assert "!urgentish: unknown severity" in message
    assert "; ~soon: 'soon' is not a duration" in message
    assert "; @fax: unknown channel" in message


def test_times_in_json_are_local_iso_8601(cli: Cli) -> None:
    data = ok(cli("add", "Task", "--due", "14:00", "--json")).json
    for name in ("received_at", "created_at", "due_at"):
        moment = parse_time(data[name])
        assert moment.utcoffset() == local("2026-03-02T12:00").utcoffset()


# --- list, next, show --------------------------------------------------------------------------


@pytest.fixture
def three(cli: Cli) -> tuple[int, int, int]:
    """A low item, a VIP critical one and a normal one, captured in that order."""
    low = add(cli, "Reorder toner !low ~10m")
    vip = add(cli, "CEO cannot print !critical from:Dana *vip ~20m")
    normal = add(cli, "New starter account !normal ~30m")
    return low, vip, normal


def test_list_json_is_an_array_in_rank_order(cli: Cli, three: tuple[int, int, int]) -> None:
    _low, vip, _normal = three
    items = listed(cli)
    assert [entry["rank"] for entry in items] == [1, 2, 3]
    assert sorted(ids(items)) == sorted(three)
    assert items[0]["id"] == vip
    for entry in items:
        assert_item_json(entry)
    scores = [entry["score"] for entry in items]
    assert scores == sorted(scores, reverse=True)


def test_list_is_empty_on_a_new_store(cli: Cli) -> None:
    assert listed(cli) == []
    assert ok(cli("list")).err == ""


def test_piped_list_is_tab_separated_lines(cli: Cli, three: tuple[int, int, int]) -> None:
    result = ok(cli("list"))
    header, *lines = result.out.splitlines()
    assert header.split("\t")[:2] == ["#", "id"]  # a header row names the columns
    assert len(lines) == 3
    order = ids(listed(cli))
    for line, expected_id in zip(lines, order, strict=True):
        fields = line.split("\t")
        assert len(fields) >= 6, line
        assert str(expected_id) in fields
    assert "CEO cannot print" in lines[0].split("\t")


def test_list_all_adds_waiting_deferred_and_done_today(cli: Cli) -> None:
    open_id = add(cli, "Open one")
    waiting = add(cli, "Waiting one")
    deferred = add(cli, "Deferred one")
    finished = add(cli, "Finished one")
    ok(cli("wait", str(waiting)))
    ok(cli("defer", str(deferred), "tomorrow"))
    ok(cli("done", str(finished)))
    assert ids(listed(cli)) == [open_id]
    every = {entry["id"]: entry for entry in listed(cli, "--all")}
    assert set(every) == {open_id, waiting, deferred, finished}
    assert every[waiting]["status"] == "waiting"
    assert parse_time(every[deferred]["deferred_until"]) == local("2026-03-03T09:00")
    assert every[finished]["status"] == "done"
    assert every[finished]["rank"] is None
    assert every[open_id]["rank"] == 1
    for entry in every.values():
        assert_item_json(entry)
    text = ok(cli("list", "--all")).out
    assert len(text.splitlines()) == 1 + 4  # the header row, then the items


def test_list_all_leaves_out_items_done_on_another_day(cli: Cli, set_now: SetNow) -> None:
    old = add(cli, "Done last week")
    ok(cli("done", str(old)))
    set_now("2026-03-03T09:00")
    assert ids(listed(cli, "--all")) == []


def test_list_all_counts_night_work_to_the_working_day_it_belongs_to(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    cli_home.config.write_text('[day]\nboundary = "04:00"\n', encoding="utf-8")
    set_now("2026-03-02T23:30")
    late = add(cli, "Backup failed")
    ok(cli("done", str(late)))
    set_now("2026-03-03T01:00")  # after midnight, still Monday's working day
    assert ids(listed(cli, "--all")) == [late]
    set_now("2026-03-03T04:30")  # Tuesday's working day has begun
    assert ids(listed(cli, "--all")) == []


def test_next_is_the_top_of_the_list(cli: Cli, three: tuple[int, int, int]) -> None:
    top = ok(cli("next", "--json")).json
    assert_item_json(top)
    first = listed(cli)[0]
    assert top["id"] == first["id"] == three[1]
    assert {key: top[key] for key in ITEM_FIELDS} == {key: first[key] for key in ITEM_FIELDS}
    assert top["rank"] == 1
    assert top["reasons"]
    text = ok(cli("next")).out
    assert "CEO cannot print" in text
    assert f"#{three[1]}" in text


def test_next_on_an_empty_queue_is_a_friendly_line(cli: Cli) -> None:
    result = ok(cli("next"))
    assert len(result.out.strip().splitlines()) == 1
    assert result.out.strip()
    assert result.err == ""
    as_json = ok(cli("next", "--json"))
    assert as_json.out.strip() == "null"
    assert as_json.json is None


def test_next_skips_waiting_items(cli: Cli) -> None:
    waiting = add(cli, "Waiting on Bob")
    ok(cli("wait", str(waiting)))
    assert ok(cli("next", "--json")).json is None
    other = add(cli, "Something to do !low")
    assert ok(cli("next", "--json")).json["id"] == other


def test_show_text_gives_the_reasons_as_sentences(cli: Cli, three: tuple[int, int, int]) -> None:
    vip = three[1]
    data = item(cli, vip)
    assert data["reasons"]
    text = ok(cli("show", str(vip))).out
    assert "CEO cannot print" in text
    for reason in data["reasons"]:
        assert reason["detail"] in text
        assert " " in reason["detail"], "a detail is a sentence, not a code"
    assert "Dana" in reason_details(data)


def test_show_json_has_notes_and_reminders(cli: Cli) -> None:
    item_id = add(cli, "Laptop slow from:Alice")
    data = item(cli, item_id)
    assert_item_json(data)
    assert data["notes"] == []
    assert data["reminders"] == []
    ok(cli("note", str(item_id), "Asked", "her", "to", "reboot"))
    ok(cli("remind", str(item_id), "16:00", "call", "Alice", "back"))
    data = item(cli, item_id)
    assert [note["text"] for note in data["notes"]] == ["Asked her to reboot"]
    assert [reminder["text"] for reminder in data["reminders"]] == ["call Alice back"]
    assert parse_time(data["reminders"][0]["due_at"]) == local("2026-03-02T16:00")
    text = ok(cli("show", str(item_id))).out
    assert "Asked her to reboot" in text
    assert "call Alice back" in text


# --- item actions -----------------------------------------------------------------------------


def test_start_makes_the_item_active(cli: Cli) -> None:
    item_id = add(cli, "Fix the scanner")
    result = ok(cli("start", str(item_id)))
    assert "Fix the scanner" in result.out
    data = item(cli, item_id)
    assert data["status"] == "active"
    assert parse_time(data["started_at"]) == local(MONDAY_9)


def test_start_pauses_the_active_item(cli: Cli, set_now: SetNow) -> None:
    first = add(cli, "First")
    second = add(cli, "Second")
    ok(cli("start", str(first)))
    set_now("2026-03-02T09:10")
    ok(cli("start", str(second)))
    assert item(cli, first)["status"] == "paused"
    assert item(cli, second)["status"] == "active"
    assert [entry["id"] for entry in listed(cli) if entry["status"] == "active"] == [second]


def test_pause_done_and_drop(cli: Cli, set_now: SetNow) -> None:
    paused, finished, dropped = add(cli, "Paused"), add(cli, "Finished"), add(cli, "Dropped")
    ok(cli("start", str(paused)))
    ok(cli("pause", str(paused)))
    assert item(cli, paused)["status"] == "paused"
    set_now("2026-03-02T09:30")
    ok(cli("done", str(finished)))
    data = item(cli, finished)
    assert data["status"] == "done"
    assert parse_time(data["done_at"]) == local("2026-03-02T09:30")
    assert data["rank"] is None
    ok(cli("drop", str(dropped), "--reason", "duplicate of 1"))
    data = item(cli, dropped)
    assert data["status"] == "dropped"
    assert "duplicate of 1" in ok(cli("show", str(dropped))).out
    assert ids(listed(cli)) == [paused]


@pytest.mark.parametrize("as_json", [False, True])
def test_item_actions_take_json(cli: Cli, as_json: bool) -> None:
    item_id = add(cli, "Thing")
    flag = ["--json"] if as_json else []
    for action in (["start"], ["pause"], ["pin"], ["unpin"], ["bump"], ["wait"], ["done"]):
        result = ok(cli(action[0], str(item_id), *action[1:], *flag))
        if as_json:
            assert_item_json(result.json)
            assert result.json["id"] == item_id
        else:
            assert "Thing" in result.out


def test_wait_with_until(cli: Cli) -> None:
    item_id = add(cli, "Waiting on the customer")
    ok(cli("wait", str(item_id), "--until", "tomorrow 10:00"))
    data = item(cli, item_id)
    assert data["status"] == "waiting"
    assert parse_time(data["deferred_until"]) == local("2026-03-03T10:00")
    assert ids(listed(cli)) == []
    assert ids(listed(cli, "--all")) == [item_id]


def test_defer_takes_the_item_out_until_its_time(cli: Cli, set_now: SetNow) -> None:
    item_id = add(cli, "Patch the server")
    other = add(cli, "Other")
    ok(cli("defer", str(item_id), "tomorrow", "9:00"))
    data = item(cli, item_id)
    assert parse_time(data["deferred_until"]) == local("2026-03-03T09:00")
    assert ids(listed(cli)) == [other]
    set_now("2026-03-03T09:01")
    assert item_id in ids(listed(cli))


def test_pin_and_unpin(cli: Cli, three: tuple[int, int, int]) -> None:
    low = three[0]
    assert listed(cli)[0]["id"] != low
    ok(cli("pin", str(low)))
    first = listed(cli)[0]
    assert first["id"] == low
    assert first["pinned"] is True
    ok(cli("unpin", str(low)))
    data = item(cli, low)
    assert data["pinned"] is False
    assert listed(cli)[0]["id"] != low


def _bump_points(entry: dict[str, Any]) -> float:
    return float(sum(reason["points"] for reason in entry["reasons"] if reason["factor"] == "bump"))


def test_bump_up_down_and_default(cli: Cli) -> None:
    first, second, third = add(cli, "One"), add(cli, "Two"), add(cli, "Three")
    ok(cli("bump", str(second), "2"))
    data = item(cli, second)
    assert _bump_points(data) > 0
    assert "bump" in reason_details(data).lower()
    assert listed(cli)[0]["id"] == second
    ok(cli("bump", str(third), "--", "-1"))
    data = item(cli, third)
    assert _bump_points(data) < 0
    assert listed(cli)[-1]["id"] == third
    ok(cli("bump", str(first)))
    assert _bump_points(item(cli, first)) > 0


def test_bump_three_by_minus_one_as_in_the_help(cli: Cli) -> None:
    for title in ("One", "Two", "Three"):
        add(cli, title)
    ok(cli("bump", "3", "--", "-1"))
    assert _bump_points(item(cli, 3)) < 0


def test_edit_with_options(cli: Cli) -> None:
    item_id = add(cli, "Wifi flaky !low @email")
    result = ok(cli("edit", str(item_id), "--severity", "high", "--due", "15:00"))
    assert "Wifi flaky" in result.out
    data = item(cli, item_id)
    assert data["severity"] == "high"
    assert parse_time(data["due_at"]) == local("2026-03-02T15:00")
    assert data["channel"] == "email"
    assert data["title"] == "Wifi flaky"
    data = ok(
        cli(
            "edit",
            str(item_id),
            "--from",
            "Eve",
            "--channel",
            "chat",
            "--estimate",
            "15m",
            "--impact",
            "4",
            "--tag",
            "network",
            "--ref",
            "INC-9",
            "--vip",
            "--json",
        )
    ).json
    assert_item_json(data)
    assert (data["requester"], data["channel"], data["estimate_minutes"]) == ("Eve", "chat", 15)
    assert (data["impact"], data["tags"], data["ref"], data["vip"]) == (
        4,
        ["network"],
        "INC-9",
        True,
    )
    assert ok(cli("edit", str(item_id), "--no-vip", "--json")).json["vip"] is False


def test_edit_with_only_tokens_keeps_the_title(cli: Cli) -> None:
    item_id = add(cli, "Monitor flickers")
    ok(cli("edit", str(item_id), "!high @phone ~10m #screen"))
    data = item(cli, item_id)
    assert data["title"] == "Monitor flickers"
    assert (data["severity"], data["channel"], data["estimate_minutes"]) == ("high", "phone", 10)
    assert data["tags"] == ["screen"]


def test_edit_with_words_changes_the_title(cli: Cli) -> None:
    item_id = add(cli, "Monitor flickers")
    ok(cli("edit", str(item_id), "Second monitor flickers !low"))
    data = item(cli, item_id)
    assert data["title"] == "Second monitor flickers"
    assert data["severity"] == "low"


def test_note_plain_promise_and_contact(cli: Cli) -> None:
    item_id = add(cli, "Email not syncing from:Alice")
    ok(cli("note", str(item_id), "Checked", "the", "server"))
    ok(cli("note", str(item_id), "Told her 14:00", "--promise", "14:00"))
    ok(cli("note", str(item_id), "Gave an update", "--contact"))
    data = item(cli, item_id)
    notes = data["notes"]
    assert [note["text"] for note in notes] == [
        "Checked the server",
        "Told her 14:00",
        "Gave an update",
    ]
    kinds = [note["kind"] for note in notes]
    assert kinds[1] == "promise"
    assert kinds[2] == "contact"
    assert kinds[0] not in {"promise", "contact"}
    assert parse_time(notes[1]["due_at"]) == local("2026-03-02T14:00")
    assert notes[0]["due_at"] is None
    assert "promise" in reason_details(data)


def test_vip_marks_every_item_of_the_requester(cli: Cli) -> None:
    first = add(cli, "Phone broken from:Dana")
    second = add(cli, "Needs a monitor from:dana")
    other = add(cli, "Printer from:Bob")
    result = ok(cli("vip", "Dana"))
    assert "Dana" in result.out
    vips = {entry["id"]: entry["vip"] for entry in listed(cli)}
    assert vips == {first: True, second: True, other: False}
    assert listed(cli)[0]["id"] in {first, second}
    ok(cli("vip", "Dana", "--off"))
    assert not any(entry["vip"] for entry in listed(cli))


def test_vip_by_email(cli: Cli) -> None:
    item_id = add(cli, "Laptop", "--from", "dana@corp.example")
    ok(cli("vip", "DANA@corp.example"))
    assert item(cli, item_id)["vip"] is True
    later = add(cli, "Docking station", "--from", "dana@corp.example")
    assert item(cli, later)["vip"] is True


# --- reminders --------------------------------------------------------------------------------


def reminders(cli: Cli) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = ok(cli("reminders", "--json")).json
    return data


def test_remind_on_an_item_and_free_standing(cli: Cli) -> None:
    item_id = add(cli, "Printer jammed")
    ok(cli("remind", str(item_id), "16:00", "call", "Alice", "back"))
    ok(cli("remind", "-", "+30m", "order", "toner"))
    found = reminders(cli)
    assert len(found) == 2
    by_text = {entry["text"]: entry for entry in found}
    assert by_text["call Alice back"]["item_id"] == item_id
    assert parse_time(by_text["call Alice back"]["due_at"]) == local("2026-03-02T16:00")
    assert by_text["order toner"]["item_id"] is None
    assert parse_time(by_text["order toner"]["due_at"]) == local("2026-03-02T09:30")
    assert [entry["text"] for entry in found] == ["order toner", "call Alice back"]
    text = ok(cli("reminders")).out
    assert "order toner" in text
    assert "call Alice back" in text


def test_remind_due_exits_zero_either_way(cli: Cli, set_now: SetNow) -> None:
    empty = ok(cli("remind", "--due"))
    assert empty.out == ""
    ok(cli("remind", "-", "+30m", "order", "toner"))
    ok(cli("remind", "-", "16:00", "later", "on"))
    before = ok(cli("remind", "--due"))
    assert before.out == ""
    set_now("2026-03-02T09:45")
    after = ok(cli("remind", "--due"))
    assert "order toner" in after.out
    assert "later on" not in after.out
    assert [entry["text"] for entry in ok(cli("remind", "--due", "--json")).json] == ["order toner"]


def test_remind_due_exits_zero_even_when_the_store_is_unusable(cli: Cli, cli_home: Home) -> None:
    cli_home.db.write_text("not a database\n")
    result = cli("remind", "--due")
    assert result.code == 0
    no_traceback(result)
    assert len(result.err_lines) <= 1


def test_snooze_and_dismiss(cli: Cli, set_now: SetNow) -> None:
    item_id = add(cli, "Printer jammed")
    ok(cli("remind", str(item_id), "+30m", "check", "the", "printer"))
    reminder_id = reminders(cli)[0]["id"]
    ok(cli("snooze", str(reminder_id), "+2h"))
    assert parse_time(reminders(cli)[0]["due_at"]) == local("2026-03-02T11:00")
    set_now("2026-03-02T09:45")
    assert ok(cli("remind", "--due")).out == ""
    ok(cli("dismiss", str(reminder_id)))
    assert reminders(cli) == []
    shown = item(cli, item_id)["reminders"]
    assert [entry["id"] for entry in shown] == [reminder_id]
    assert shown[0]["dismissed_at"] is not None
    assert_usage_error(cli("dismiss", str(reminder_id)))


# --- review, export, import, undo, config -----------------------------------------------------


@pytest.fixture
def a_day(cli: Cli, set_now: SetNow) -> dict[str, int]:
    """Monday: one item worked and finished, one dropped, one still open."""
    finished = add(cli, "Reset password from:Alice")
    dropped = add(cli, "Duplicate request")
    still_open = add(cli, "Order a new mouse !low")
    set_now("2026-03-02T09:10")
    ok(cli("start", str(finished)))
    set_now("2026-03-02T09:40")
    ok(cli("done", str(finished)))
    ok(cli("drop", str(dropped), "--reason", "duplicate"))
    return {"finished": finished, "dropped": dropped, "open": still_open}


def test_review_json(cli: Cli, a_day: dict[str, int]) -> None:
    review = ok(cli("review", "--json")).json
    assert isinstance(review, dict)
    assert review["from"].startswith("2026-03-02")
    done = {entry["id"]: entry for entry in review["done"]}
    assert set(done) == {a_day["finished"], a_day["dropped"]}
    assert done[a_day["finished"]]["spent_minutes"] == 30
    assert [entry["id"] for entry in review["open"]] == [a_day["open"]]


def test_review_markdown_and_text(cli: Cli, a_day: dict[str, int]) -> None:
    markdown = ok(cli("review", "--markdown")).out
    assert markdown.startswith("#")
    assert "Reset password" in markdown
    assert "Order a new mouse" in markdown
    text = ok(cli("review")).out
    assert "Reset password" in text
    assert "Order a new mouse" in text


def test_review_of_another_date_and_a_week(cli: Cli, a_day: dict[str, int]) -> None:
    sunday = ok(cli("review", "--date", "2026-03-01", "--json")).json
    assert sunday["from"].startswith("2026-03-01")
    assert sunday["done"] == []
    week = ok(cli("review", "--date", "2026-03-04", "--week", "--json")).json
    assert week["from"].startswith("2026-03-02")
    assert week["to"].startswith("2026-03-09")
    assert {entry["id"] for entry in week["done"]} == {a_day["finished"], a_day["dropped"]}
    assert "2026-03-01" in ok(cli("review", "--date", "2026-03-01", "--markdown")).out


def test_review_json_and_markdown_together_is_bad_usage(cli: Cli) -> None:
    assert_usage_error(cli("review", "--json", "--markdown"))


def _everything(cli: Cli, set_now: SetNow) -> None:
    """A store that uses every table and most columns."""
    add(cli, "CEO laptop !critical @phone from:Dana *vip ~1h #laptop ref:INC-1 due:14:00")
    add(cli, "Printer jammed @desk !high ~5m from:Alice x:3")
    add(cli, "Dropped one")
    add(cli, "Waiting one from:dana@corp.example")
    add(cli, "Deferred one !low")
    ok(cli("vip", "Alice"))
    ok(cli("note", "1", "Told her 14:00", "--promise", "14:00"))
    ok(cli("note", "2", "Updated Alice", "--contact"))
    ok(cli("remind", "1", "13:30", "check", "on", "Dana"))
    ok(cli("remind", "-", "+2h", "order", "toner"))
    ok(cli("start", "2"))
    set_now("2026-03-02T09:20")
    ok(cli("done", "2"))
    ok(cli("drop", "3", "--reason", "duplicate"))
    ok(cli("wait", "4", "--until", "tomorrow"))
    ok(cli("defer", "5", "friday"))
    ok(cli("pin", "1"))
    ok(cli("bump", "5", "--", "-2"))
    ok(cli("dismiss", "2"))


def test_export_import_round_trip(
    cli: Cli, set_now: SetNow, cli_home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    _everything(cli, set_now)
    result = ok(cli("export", "backup.json"))
    assert "backup.json" in result.out
    backup = cli_home.root / "backup.json"
    exported = json.loads(backup.read_text(encoding="utf-8"))
    on_stdout = ok(cli("export")).json
    assert {k: v for k, v in on_stdout.items() if k != "exported_at"} == {
        k: v for k, v in exported.items() if k != "exported_at"
    }
    listed_before = listed(cli, "--all")

    monkeypatch.setenv("TECHQUEUE_DB", str(cli_home.root / "fresh.db"))
    set_now("2026-03-02T10:00")
    ok(cli("import", "backup.json"))
    again = ok(cli("export")).json
    assert again["exported_at"] != exported["exported_at"]
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in exported.items() if k != "exported_at"
    }
    set_now("2026-03-02T09:20")
    assert listed(cli, "--all") == listed_before


def test_export_dash_is_stdout(cli: Cli) -> None:
    add(cli, "Something")
    data = ok(cli("export", "-")).json
    assert [row["title"] for row in data["item"]] == ["Something"]


def test_import_into_a_used_store_needs_merge(cli: Cli, cli_home: Home) -> None:
    add(cli, "First")
    add(cli, "Second")
    ok(cli("export", "backup.json"))
    before = ok(cli("export")).json
    assert_usage_error(cli("import", "backup.json"))
    after = ok(cli("export")).json
    assert after == before, "all or nothing: a refused import changes nothing"
    ok(cli("import", "backup.json", "--merge"))
    titles = sorted(entry["title"] for entry in listed(cli))
    assert titles == ["First", "First", "Second", "Second"]
    assert sorted(ids(listed(cli))) == [1, 2, 3, 4]


def test_import_from_stdin(cli: Cli, cli_home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    add(cli, "From stdin")
    text = ok(cli("export")).out
    monkeypatch.setenv("TECHQUEUE_DB", str(cli_home.root / "fresh.db"))
    ok(cli("import", "-", stdin=text))
    assert [entry["title"] for entry in listed(cli)] == ["From stdin"]


def test_import_of_something_else_is_refused(cli: Cli, cli_home: Home) -> None:
    (cli_home.root / "notes.txt").write_text("just some text\n")
    (cli_home.root / "other.json").write_text('{"hello": "world"}\n')
    (cli_home.root / "deep.json").write_text("[" * 100_000)
    assert_usage_error(cli("import", "notes.txt"))
    assert_usage_error(cli("import", "other.json"))
    assert_usage_error(cli("import", "deep.json"))
    assert_one_line_error(cli("import", "missing.json"), 1)
    assert listed(cli) == []


def _store_still_usable(cli: Cli) -> None:
    result = cli("list", "--json")
    assert result.code == 0, f"the store no longer works after that command: {result}"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("impact", "lots"),
        ("estimate_minutes", "soon"),
        ("bump", "up"),
        ("title", 5),
        ("title", ""),
        ("vip", "yes"),
        ("tags", "printer"),
        ("severity", "urgentish"),
        ("status", "finished"),
        ("received_at", "last week"),
        ("requester_id", 99),
    ],
)
def test_import_refuses_wrongly_typed_values_all_or_nothing(
    cli: Cli, cli_home: Home, monkeypatch: pytest.MonkeyPatch, field: str, value: object
) -> None:
    add(cli, "An item", "--from", "Alice")
    add(cli, "Another item")
    data = ok(cli("export")).json
    data["item"][0][field] = value
    (cli_home.root / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("TECHQUEUE_DB", str(cli_home.root / "fresh.db"))
    assert_usage_error(cli("import", "bad.json"))
    _store_still_usable(cli)
    assert listed(cli) == [], "all or nothing: no row of a refused import is kept"


def test_undo_reverts_the_last_action(cli: Cli) -> None:
    item_id = add(cli, "Typo in the title")
    ok(cli("edit", str(item_id), "--severity", "high"))
    result = ok(cli("undo"))
    assert result.out.strip()
    assert item(cli, item_id)["severity"] == "normal"
    ok(cli("undo"))
    assert_one_line_error(cli("show", str(item_id)), 1)


def test_undo_with_nothing_to_undo_exits_1(cli: Cli) -> None:
    assert_one_line_error(cli("undo"), 1)
    add(cli, "One")
    ok(cli("undo"))
    assert_one_line_error(cli("undo"), 1)


def _config_lines(output: str) -> dict[str, str]:
    """``section.key`` → the rest of the line, from ``techqueue config``."""
    lines: dict[str, str] = {}
    section = ""
    for line in output.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif "=" in stripped and not stripped.startswith("#"):
            key = stripped.split("=", 1)[0].strip()
            lines[f"{section}.{key}"] = stripped
    return lines


def test_config_prints_the_settings_and_their_sources(cli: Cli, cli_home: Home) -> None:
    result = ok(cli("config"))
    assert str(cli_home.config) in result.out
    assert str(cli_home.db) in result.out
    settings = _config_lines(result.out)
    assert "targets.normal" in settings
    assert "hours.start" in settings
    assert all("default" in line for line in settings.values())


def test_config_marks_what_the_config_file_changes(cli: Cli, cli_home: Home) -> None:
    cli_home.config.write_text('[targets]\nnormal = "2h"\n', encoding="utf-8")
    result = ok(cli("config"))
    settings = _config_lines(result.out)
    changed = settings["targets.normal"]
    assert "config file" in changed
    assert "2h" in changed or "120" in changed
    assert "config file" not in settings["targets.high"]
    assert "default" in settings["targets.high"]


def test_config_shows_a_fixed_clock(cli: Cli) -> None:
    assert MONDAY_9 in ok(cli("config")).out


def test_the_config_file_is_used(cli: Cli, cli_home: Home) -> None:
    cli_home.config.write_text('[hours]\nend = "16:00"\n', encoding="utf-8")
    data = ok(cli("add", "Task", "--due", "eod", "--json")).json
    assert parse_time(data["due_at"]) == local("2026-03-02T16:00")


# --- the global --db option --------------------------------------------------------------------


@pytest.mark.parametrize("form", ["separate", "joined"])
def test_db_before_the_command_selects_the_store(cli: Cli, cli_home: Home, form: str) -> None:
    other = cli_home.root / "other" / "queue.db"
    db = ["--db", str(other)] if form == "separate" else [f"--db={other}"]
    ok(cli(*db, "add", "In the other store"))
    assert other.exists()
    assert listed(cli) == []
    data = ok(cli(*db, "list", "--json")).json
    assert [entry["title"] for entry in data] == ["In the other store"]


def test_db_takes_a_database_url(cli: Cli, cli_home: Home) -> None:
    """A database URL (SQLModel backend) on a database that already holds the schema."""
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    import techqueue.db.models  # noqa: F401  (registers the tables)
    from techqueue.db.schema import SCHEMA_VERSION

    url = f"sqlite:///{cli_home.root / 'team.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        SQLModel.metadata.create_all(connection)
        connection.execute(
            text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
            {"v": str(SCHEMA_VERSION)},
        )
    engine.dispose()
    ok(cli("--db", url, "add", "Team item !high"))
    data = ok(cli("--db", url, "list", "--json")).json
    assert [(entry["title"], entry["severity"]) for entry in data] == [("Team item", "high")]
    assert listed(cli) == []


def test_db_url_on_a_new_database(cli: Cli, cli_home: Home) -> None:
    url = f"sqlite:///{cli_home.root / 'new-team.db'}"
    ok(cli("--db", url, "add", "Team item"))
    assert [entry["title"] for entry in ok(cli("--db", url, "list", "--json")).json] == [
        "Team item"
    ]


# --- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_every_command_has_an_example(cli: Cli, command: str) -> None:
    result = ok(cli(command, "--help"))
    assert "Example" in result.out
    assert result.err == ""


def test_help_lists_every_command(cli: Cli) -> None:
    result = ok(cli("--help"))
    for command in COMMANDS:
        assert command in result.out
    assert ok(cli("-h")).out == result.out


def test_no_arguments_and_no_terminal_exits_0(cli: Cli) -> None:
    ok(cli())


# --- exit codes and one-line errors -------------------------------------------------------------


@pytest.fixture
def seeded(cli: Cli) -> None:
    """Item 1 open, item 2 done, reminder 1 on item 1 (pending), reminder 2 dismissed."""
    add(cli, "Open item")
    add(cli, "Done item")
    ok(cli("done", "2"))
    ok(cli("remind", "1", "+1h", "follow", "up"))
    ok(cli("remind", "-", "+1h", "gone"))
    ok(cli("dismiss", "2"))


USAGE_ERRORS = {
    # unknown command, unknown option, missing argument
    "unknown command": ["frobnicate"],
    "unknown command after --db": ["--db", "x.db", "frobnicate"],
    "unknown option": ["list", "--bogus"],
    "global option after the command": ["list", "--db", "x.db"],
    "add without text": ["add"],
    "show without id": ["show"],
    "start without id": ["start"],
    "defer without when": ["defer", "1"],
    "note without text": ["note", "1"],
    "snooze without when": ["snooze", "1"],
    "vip without name": ["vip"],
    "import without file": ["import"],
    "remind without text": ["remind", "1", "+1h"],
    "remind without anything": ["remind"],
    "--db without value": ["--db"],
    "extra argument": ["show", "1", "extra"],
    # bad option values
    "impact not a number": ["add", "x", "--impact", "abc"],
    "impact zero": ["add", "x", "--impact", "0"],
    "impact too large": ["add", "x", "--impact", "1000001"],
    "unknown severity": ["add", "x", "--severity", "urgentish"],
    "empty severity": ["add", "x", "--severity", ""],
    "unknown channel": ["add", "x", "--channel", "fax"],
    "id not a number": ["show", "abc"],
    "id zero": ["show", "0"],
    "negative id": ["start", "-3"],
    "flag with a value": ["add", "x", "--json=yes"],
    "bump not a number": ["bump", "1", "abc"],
    "bump of zero": ["bump", "1", "0"],
    "bump too far": ["bump", "1", "500"],
    "empty requester": ["add", "x", "--from", " "],
    "tag of two words": ["add", "x", "--tag", "two words"],
    "empty tag": ["add", "x", "--tag", ""],
    "empty ref": ["add", "x", "--ref", " "],
    "review date": ["review", "--date", "last tuesday"],
    "review json and markdown": ["review", "--json", "--markdown"],
    "promise and contact": ["note", "1", "x", "--promise", "14:00", "--contact"],
    "empty note": ["note", "1", " "],
    "remind bad target": ["remind", "one", "+1h", "x"],
    "remind empty text": ["remind", "1", "+1h", " "],
    "edit with nothing to change": ["edit", "1"],
    "vip empty": ["vip", " "],
    # bad quick-add tokens
    "unknown severity token": ["add", "hello !urgentish"],
    "bad estimate token": ["add", "hello ~soon"],
    "bad star token": ["add", "hello *vipp"],
    "tag token with a digit": ["add", "hello #1abc"],
    "impact token not a number": ["add", "hello x:lots"],
    "impact token zero": ["add", "hello x:0"],
    "impact token superscript digit": ["add", "hello x:²"],
    "empty from token": ["add", "hello from:"],
    "empty ref token": ["add", "hello ref:"],
    "empty due token": ["add", "hello due:"],
    "empty impact token": ["add", "hello x:"],
    "unclosed quote": ["add", 'hello from:"Alice'],
    "unknown channel token": ["add", "hello @fax"],
    "too many bangs": ["add", "hello !!!!"],
    "severity given twice": ["add", "hello !high !low"],
    "nothing left for the title": ["add", "@desk !high ~5m"],
    "empty text": ["add", ""],
    "bad token in edit": ["edit", "1", "!urgentish"],
    "empty token in edit": ["edit", "1", "from:"],
    "superscript impact in edit": ["edit", "1", "x:²"],
    # bad durations
    "estimate word": ["add", "x", "--estimate", "soon"],
    "estimate zero": ["add", "x", "--estimate", "0"],
    "estimate negative": ["add", "x", "--estimate", "-5m"],
    "estimate hours without m": ["add", "x", "--estimate", "1h30"],
    "estimate too long": ["add", "x", "--estimate", "800h"],
    "estimate token zero": ["add", "hello ~0"],
    # bad WHEN
    "due word": ["add", "x", "--due", "whenever"],
    "due bad clock": ["add", "x", "--due", "25:00"],
    "due bad day clock": ["add", "x", "--due", "tomorrow 25:00"],
    "due token word": ["add", "hello due:someday"],
    "received in the future": ["add", "x", "--received", "+1h"],
    "received word": ["add", "x", "--received", "lunchtime"],
    "defer word": ["defer", "1", "someday"],
    "defer into the past": ["defer", "1", "-1h"],
    "remind bad when": ["remind", "1", "nonsense", "text"],
    "remind in the past": ["remind", "1", "-5m", "text"],
    "snooze bad when": ["snooze", "1", "never"],
    "snooze into the past": ["snooze", "1", "-5m"],
    "wait until bad": ["wait", "1", "--until", "99:99"],
    "wait until the past": ["wait", "1", "--until", "-1h"],
    "promise bad when": ["note", "1", "x", "--promise", "never"],
    # an action the status does not allow
    "pause an open item": ["pause", "1"],
    "start a done item": ["start", "2"],
    "finish a done item": ["done", "2"],
    "drop a done item": ["drop", "2"],
    "pin a done item": ["pin", "2"],
    "bump a done item": ["bump", "2"],
    "defer a done item": ["defer", "2", "tomorrow"],
    "wait on a done item": ["wait", "2"],
    "dismiss a dismissed reminder": ["dismiss", "2"],
    "snooze a dismissed reminder": ["snooze", "2", "+1h"],
}


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("argv", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_bad_usage_exits_2_with_one_line(cli: Cli, argv: list[str]) -> None:
    before = ok(cli("export")).json
    assert_usage_error(cli(*argv))
    after = ok(cli("export")).json
    assert after == before, "bad input changes nothing"


def test_usage_error_message_names_the_problem(cli: Cli) -> None:
    assert "urgentish" in assert_usage_error(cli("add", "hello !urgentish"))
    assert "soon" in assert_usage_error(cli("add", "x", "--estimate", "soon"))
    assert "whenever" in assert_usage_error(cli("add", "x", "--due", "whenever"))
    assert "frobnicate" in assert_usage_error(cli("frobnicate"))


@pytest.mark.parametrize("argv", [["list"], ["add", "x"], ["next"], ["remind", "-", "+1h", "x"]])
def test_bad_techqueue_now_is_bad_input(cli: Cli, set_now: SetNow, argv: list[str]) -> None:
    set_now("half past nine")
    message = assert_usage_error(cli(*argv))
    assert "TECHQUEUE_NOW" in message


def test_invalid_utf8_argument_is_bad_input(cli: Cli) -> None:
    assert_usage_error(cli("add", "caf\udce9"))
    assert listed(cli) == []


NOT_FOUND = {
    "show": ["show", "99"],
    "start": ["start", "99"],
    "pause": ["pause", "99"],
    "done": ["done", "99"],
    "drop": ["drop", "99"],
    "wait": ["wait", "99"],
    "defer": ["defer", "99", "tomorrow"],
    "pin": ["pin", "99"],
    "unpin": ["unpin", "99"],
    "bump": ["bump", "99"],
    "edit": ["edit", "99", "--severity", "high"],
    "note": ["note", "99", "hello"],
    "remind": ["remind", "99", "+1h", "call"],
    "snooze": ["snooze", "99", "+1h"],
    "dismiss": ["dismiss", "99"],
    "vip off": ["vip", "Nobody", "--off"],
}


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("argv", NOT_FOUND.values(), ids=NOT_FOUND.keys())
def test_not_found_exits_1_with_one_line(cli: Cli, argv: list[str]) -> None:
    assert_one_line_error(cli(*argv), 1)


STORE_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["add", "x"],
    ["next"],
    ["show", "1"],
    ["start", "1"],
    ["undo"],
    ["export"],
    ["reminders"],
    ["review", "--json"],
]


def _siblings(path: Path) -> set[str]:
    return {entry.name for entry in path.parent.iterdir()}


@pytest.mark.parametrize("argv", STORE_COMMANDS, ids=" ".join)
def test_a_foreign_file_is_refused_and_left_alone(
    cli: Cli, cli_home: Home, argv: list[str]
) -> None:
    cli_home.db.write_text("my shopping list\n- milk\n", encoding="utf-8")
    before = cli_home.db.read_bytes()
    files = _siblings(cli_home.db)
    message = assert_one_line_error(cli(*argv), 1)
    assert str(cli_home.db) in message
    assert cli_home.db.read_bytes() == before
    assert _siblings(cli_home.db) == files


@pytest.mark.parametrize("argv", STORE_COMMANDS[:4], ids=" ".join)
def test_a_foreign_sqlite_database_is_refused_and_left_alone(
    cli: Cli, cli_home: Home, argv: list[str]
) -> None:
    connection = sqlite3.connect(cli_home.db)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Alice')")
    connection.commit()
    connection.close()
    before = cli_home.db.read_bytes()
    files = _siblings(cli_home.db)
    assert_one_line_error(cli(*argv), 1)
    assert cli_home.db.read_bytes() == before
    assert _siblings(cli_home.db) == files


def test_a_directory_as_the_store_is_refused(cli: Cli, cli_home: Home) -> None:
    cli_home.db.mkdir()
    assert_one_line_error(cli("list"), 1)


BAD_CONFIGS = {
    "wrong type": ('[scoring]\nvip_weight = "lots"\n', "scoring.vip_weight"),
    "unknown key": ("[scoring]\nbogus = 1\n", "scoring.bogus"),
    "bad duration": ('[targets]\nnormal = "soon"\n', "targets.normal"),
    "bad hours": ('[hours]\nstart = "18:00"\nend = "09:00"\n', "hours"),
}


@pytest.mark.parametrize("argv", [["list"], ["add", "x"], ["next"], ["config"]], ids=" ".join)
@pytest.mark.parametrize(("content", "key"), BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_a_bad_config_file_exits_1_naming_the_key(
    cli: Cli, cli_home: Home, argv: list[str], content: str, key: str
) -> None:
    cli_home.config.write_text(content, encoding="utf-8")
    message = assert_one_line_error(cli(*argv), 1)
    assert key in message


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "", "list"],
        ["--db=", "add", "x"],
        ["--db", " "],
        ["--db", "--", "list"],
        ["--db", "--help", "add", "x"],
    ],
)
def test_a_db_option_without_a_store_is_bad_usage(
    cli: Cli, cli_home: Home, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(cli_home.root)
    message = assert_one_line_error(cli(*argv), 2)
    assert "--db" in message
    assert not any(path.name.startswith("-") for path in cli_home.root.iterdir())
    assert not cli_home.db.exists()


@pytest.mark.parametrize("argv", [["list"], ["add", "x"], ["config"]], ids=" ".join)
def test_a_config_file_that_links_to_nothing_exits_1(
    cli: Cli, cli_home: Home, argv: list[str]
) -> None:
    """Dotfiles moved from under their link: the settings are not silently the defaults."""
    cli_home.config.symlink_to(cli_home.root / "dotfiles" / "techqueue.toml")
    message = assert_one_line_error(cli(*argv), 1)
    assert "does not exist" in message
    assert "dotfiles" in message
    assert not cli_home.db.exists() or argv != ["add", "x"]


@pytest.mark.parametrize("argv", [["list"], ["config"]], ids=" ".join)
def test_a_config_file_that_is_not_toml_exits_1(cli: Cli, cli_home: Home, argv: list[str]) -> None:
    cli_home.config.write_text("[scoring\nvip = \n", encoding="utf-8")
    message = assert_one_line_error(cli(*argv), 1)
    assert str(cli_home.config) in message


# --- edge cases that once slipped through -------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "x", "--received", "0999-01-01T00:00"],
        ["add", "x", "--due", "0999-01-01T00:00"],
        ["add", "x due:0500-06-01"],
    ],
    ids=["received", "due", "due token"],
)
def test_early_years_are_refused_and_the_store_stays_usable(cli: Cli, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.code in (0, 2), result
    _store_still_usable(cli)


def test_remind_target_superscript_digit_is_bad_input(cli: Cli) -> None:
    add(cli, "An item")
    assert_usage_error(cli("remind", "²", "+1h", "call"))


@pytest.mark.parametrize(
    "argv", [["review", "--date", "9999-12-31"], ["review", "--date", "9999-12-30", "--week"]]
)
def test_review_of_the_last_day_is_bad_input(cli: Cli, argv: list[str]) -> None:
    assert_usage_error(cli(*argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "99999999999999999999"],
        ["note", "99999999999999999999", "x"],
        ["remind", "99999999999999999999", "+1h", "x"],
        ["export", ""],
    ],
    ids=["show", "note", "remind", "export"],
)
def test_odd_ids_and_names_give_a_clear_line(cli: Cli, argv: list[str]) -> None:
    result = cli(*argv)
    assert result.code in (1, 2)
    message = assert_one_line_error(result, result.code)
    assert "unexpected error" not in message


def test_escape_sequences_in_a_tag_never_reach_the_terminal(cli: Cli, tmp_path: Path) -> None:
    # typed: refused as bad input, nothing stored
    assert_usage_error(cli("add", "Title", "--tag", "red\x1b[31mtag"))
    assert json.loads(ok(cli("list", "--json")).out) == []
    # arrived some other way (an import): stored as given, shown cleaned
    ok(cli("add", "Title #plain"))
    exported = json.loads(ok(cli("export")).out)
    exported["item"][0]["tags"] = ["red\x1b[31mtag"]
    other = tmp_path / "other.db"
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(exported), encoding="utf-8")
    ok(cli("--db", str(other), "import", str(dump)))
    shown = ok(cli("--db", str(other), "show", "1")).out
    assert "red" in shown
    assert "\x1b" not in shown


def test_config_command_reports_a_bad_file_like_every_command(cli: Cli, cli_home: Home) -> None:
    cli_home.config.write_text('[scoring]\nvip_weight = "lots"\n', encoding="utf-8")
    expected = assert_one_line_error(cli("list"), 1)
    assert assert_one_line_error(cli("config"), 1) == expected
