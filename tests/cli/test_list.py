"""``list`` finds items: ``--status``, ``--tag``, ``--from``, ``--search``, ``--since``, in
text and JSON alike."""

from __future__ import annotations

from typing import Any

import pytest

from .support import Cli, SetNow, add, assert_item_json, assert_usage_error, at, ok


def ids(cli: Cli, *options: str) -> list[int]:
    data: list[dict[str, Any]] = ok(cli("list", "--json", *options)).json
    for entry in data:
        assert_item_json(entry)
    return [entry["id"] for entry in data]


def piped_ids(cli: Cli, *options: str) -> list[int]:
    """The ids of the text listing (piped: tab-separated, the id second, under a header)."""
    lines = ok(cli("list", *options)).out.splitlines()
    return [int(line.split("\t")[1]) for line in lines if line.split("\t")[1].isdigit()]


@pytest.fixture
def desk(cli: Cli, set_now: SetNow) -> None:
    """At 09:00: 1 printer (Alice, done 09:10), 2 VPN (Bob, dropped 09:20), 3 toner (open),
    4 call Dana (waiting); at 10:00: 5 new laptop (Alice, open), 6 projector deferred."""
    at(set_now, "09:00")
    add(cli, "Printer jammed #printer from:Alice ref:INC-42")
    add(cli, "VPN down #network from:Bob")
    add(cli, "Toner low #printer !low")
    add(cli, "Call Dana back from:dana@corp.example")
    ok(cli("wait", "4"))
    at(set_now, "09:10")
    ok(cli("done", "1"))
    at(set_now, "09:20")
    ok(cli("drop", "2", "--reason", "duplicate"))
    at(set_now, "10:00")
    add(cli, "New laptop for ALICE", "--from", "alice")
    add(cli, "Projector bulb")
    ok(cli("defer", "6", "tomorrow 9:00"))
    at(set_now, "10:30")


def test_without_options_list_is_the_queue_as_before(cli: Cli, desk: None) -> None:
    assert ids(cli) == [5, 3]
    assert ids(cli, "--all") == [5, 3, 4, 6, 1, 2]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", [5, 3]),
        ("waiting", [4]),
        ("deferred", [6]),
        ("done", [1]),
        ("dropped", [2]),
        ("all", [5, 3, 4, 6, 1, 2]),
        ("DONE", [1]),
    ],
)
def test_status(cli: Cli, desk: None, status: str, expected: list[int]) -> None:
    assert ids(cli, "--status", status) == expected
    assert piped_ids(cli, "--status", status) == expected


def test_tag_from_and_search_find_finished_items_too(cli: Cli, desk: None) -> None:
    assert ids(cli, "--status", "all", "--tag", "printer") == [3, 1]
    assert ids(cli, "--status", "all", "--tag", "#Printer") == [3, 1]
    assert ids(cli, "--tag", "printer") == [3]
    assert ids(cli, "--status", "all", "--from", "ALICE") == [5, 1]
    assert ids(cli, "--status", "all", "--from", "dana@corp.example") == [4]
    assert ids(cli, "--status", "all", "--from", "Nobody") == []
    # words in the title, the requester, a tag or the ref, in any case
    assert ids(cli, "--status", "all", "--search", "alice") == [5, 1]
    assert ids(cli, "--status", "all", "--search", "inc-42") == [1]
    assert ids(cli, "--status", "all", "--search", "NETWORK") == [2]
    assert ids(cli, "--status", "all", "--search", "bulb") == [6]
    assert piped_ids(cli, "--status", "all", "--search", "alice") == [5, 1]


def test_since_is_received_since_and_finished_since_for_finished_items(
    cli: Cli, desk: None
) -> None:
    assert ids(cli, "--status", "all", "--since", "9:30") == [5, 6]
    assert ids(cli, "--status", "done", "--since", "9:05") == [1]
    assert ids(cli, "--status", "done", "--since", "9:15") == []
    assert ids(cli, "--status", "dropped", "--since", "9:15") == [2]
    assert ids(cli, "--since", "9:30") == [5]


def test_a_reopened_item_is_found_open_again(cli: Cli, desk: None) -> None:
    ok(cli("reopen", "1"))
    assert ids(cli, "--status", "done") == []
    assert 1 in ids(cli, "--status", "open")


@pytest.mark.parametrize(
    "options",
    [
        ["--status", "finished"],
        ["--status", "open", "--all"],
        ["--tag", "two words"],
        ["--from", " "],
        ["--search", " "],
        ["--since", "someday"],
        ["--since", "+1h"],
    ],
)
def test_bad_filters_are_refused(cli: Cli, desk: None, options: list[str]) -> None:
    assert_usage_error(cli("list", *options))


def test_nothing_found_says_so_in_a_terminal(
    cli: Cli, desk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert "Nothing matches." in ok(cli("list", "--search", "zebra")).out


# --- how the listing looks ---------------------------------------------------------------------

HEADER = "#\tid\tvip\tseverity\tchannel\ttitle\trequester\tage\testimate\tstatus\teta"
LONG_TITLE = "Printer on the second floor jams on every duplex print job since the firmware update"


@pytest.fixture
def long_rows(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    add(cli, f"{LONG_TITLE} @desk !high ~5m", "--from", "Alice Bernadette Longname-Smith")
    add(cli, "CEO laptop will not boot *vip from:Dana")
    add(cli, "Projector bulb")
    ok(cli("note", "3", "told", "them", "--promise", "10:00"))
    add(cli, "Backup check !low")
    ok(cli("defer", "4", "tomorrow 9:00"))
    ok(cli("start", "1"))


def _terminal(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")


def _plain(text: str) -> list[str]:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()


@pytest.mark.parametrize("columns", [80, 100, 60, 30])
def test_in_a_terminal_every_row_is_one_line_with_its_title(
    cli: Cli, long_rows: None, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    from rich.cells import cell_len

    _terminal(monkeypatch, columns)
    lines = _plain(ok(cli("list", "--all")).out)
    assert len(lines) == 1 + 4, lines  # the header, then one line per item: nothing wraps
    assert all(cell_len(line) <= columns for line in lines), lines
    assert lines[0].split()[:2] == ["#", "id"]
    assert "title" in lines[0].split()
    for line, (item_id, title) in zip(
        lines[1:],
        [(2, "CEO laptop"), (1, "Printer on"), (3, "Projector"), (4, "Backup")],
        strict=True,
    ):
        assert line.split()[1] == str(item_id), line
        assert title in line, line
    assert "…" in lines[2]  # the long title, cut to the width
    assert LONG_TITLE not in lines[2]


def test_in_a_wide_terminal_the_title_is_whole(
    cli: Cli, long_rows: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _terminal(monkeypatch, 250)
    lines = _plain(ok(cli("list")).out)
    assert len(lines) == 1 + 3
    assert LONG_TITLE in lines[2]
    assert "Alice Bernadette Longname-Smith" in lines[2]
    assert lines[0].split()[:11] == HEADER.split("\t")


def test_piped_the_columns_come_under_a_header_row(cli: Cli, long_rows: None) -> None:
    lines = ok(cli("list", "--all")).out.splitlines()
    assert lines[0].startswith(HEADER)  # (later columns may follow)
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == len(lines[0].split("\t")) for row in rows)
    assert [row[1] for row in rows] == ["2", "1", "3", "4"]
    assert rows[1][5] == LONG_TITLE
    assert rows[1][6] == "Alice Bernadette Longname-Smith"


def test_piped_an_empty_listing_is_the_header_alone(cli: Cli) -> None:
    [header] = ok(cli("list")).out.splitlines()
    assert header.startswith(HEADER)


@pytest.mark.parametrize("without", [[], ["late"]])
def test_the_columns_fit_any_width_keeping_rank_id_and_title(without: list[str]) -> None:
    from techqueue.cli.render import _fit
    from techqueue.views.text import QUEUE_HEADINGS

    natural_of = dict(
        zip([n for n, _ in QUEUE_HEADINGS], [2, 3, 3, 8, 7, 84, 25, 6, 8, 34, 14, 36], strict=True)
    )
    names = [name for name, _ in QUEUE_HEADINGS if name not in without]
    natural = [natural_of[name] for name in names]
    for width in range(16, 240):
        widths = _fit(names, natural, width)
        assert sum(widths.values()) + 2 * (len(widths) - 1) <= width, width
        assert {names.index("#"), names.index("id"), names.index("title")} <= set(widths)
        if width >= 80:  # a title a person can read, at any usual width
            assert widths[names.index("title")] >= 18, width
