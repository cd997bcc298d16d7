"""Helpers shared by the command-line tests: running ``main(argv)`` and checking its contract."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from techqueue.cli import main

#: Monday 2 March 2026, 09:00 local time: the fixed clock of most tests.
MONDAY_9 = "2026-03-02T09:00"
MONDAY = "2026-03-02"

#: DESIGN.md, "The command line": the item fields every JSON item carries (more may be added).
ITEM_FIELDS = frozenset(
    {
        "assignee",
        "id",
        "title",
        "requester",
        "vip",
        "severity",
        "channel",
        "impact",
        "estimate_minutes",
        "status",
        "received_at",
        "created_at",
        "due_at",
        "started_at",
        "done_at",
        "tags",
        "ref",
        "pinned",
        "deferred_until",
        "rank",
        "score",
        "reasons",
        "eta",
        "eta_finish",
        "estimate_source",
        "estimate_samples",
        "promise_due_at",
        "promise_state",
        "late_minutes",
        "will_miss",
        "breach_at",
        "will_breach",
        "cost",
        "appointment",
        "solution",
        "waiting_on",
    }
)
TIME_FIELDS = ("received_at", "created_at", "due_at", "started_at", "done_at", "deferred_until")
REASON_FIELDS = frozenset({"factor", "points", "detail"})

#: Every command of the contract.
COMMANDS = (
    "add",
    "edit",
    "list",
    "next",
    "show",
    "start",
    "pause",
    "done",
    "drop",
    "wait",
    "defer",
    "pin",
    "unpin",
    "bump",
    "note",
    "vip",
    "remind",
    "reminders",
    "snooze",
    "dismiss",
    "review",
    "carry",
    "morning",
    "log",
    "export",
    "import",
    "undo",
    "config",
    "eta",
    "promises",
    "reopen",
    "import-mail",
    "import-csv",
    "export-ics",
    "requesters",
    "dupes",
    "merge",
    "overload",
    "handoff",
    "backup",
    "restore",
    "doctor",
    "report",
    "appoint",
    "answers",
    "recurring",
    "stop",
    "assign",
    "unassign",
)

BOX_CHARACTERS = "╭│╰╮╯─"


class Result(NamedTuple):
    """What one run of techqueue did: exit status, standard output, standard error."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def local(text: str) -> datetime:
    """A time as the tests write it (local time when it has no zone), made aware."""
    moment = datetime.fromisoformat(text)
    return moment.astimezone() if moment.tzinfo is None else moment


def parse_time(value: str) -> datetime:
    """A time from the JSON output: ISO 8601, with its offset."""
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, f"{value!r} has no UTC offset"
    return moment


def invoke(argv: Sequence[str], stdin: str = "") -> Result:
    """Run ``main(argv)`` in this process with its own stdin, stdout and stderr.

    Unlike the ``cli`` fixture this needs no pytest fixture, so hypothesis examples use it.
    """
    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        sys.stdin = saved_stdin
    return Result(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def environment(**variables: str | None) -> Iterator[None]:
    """Set (or, with ``None``, remove) environment variables for a block; restore them after."""
    saved = {name: os.environ.get(name) for name in variables}
    try:
        for name, value in variables.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def no_traceback(result: Result) -> None:
    for stream in (result.out, result.err):
        assert "Traceback" not in stream, stream
        assert 'File "' not in stream, stream


def assert_one_line_error(result: Result, code: int, argv: Sequence[str] = ()) -> str:
    """The contract for a failure: exit ``code``, one clear line on stderr, nothing framed.

    ``argv`` is what was typed: a box-drawing character in it may be quoted back.
    """
    assert result.code == code, result
    no_traceback(result)
    lines = result.err_lines
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("techqueue:"), lines
    assert lines[0].strip() != "techqueue:", lines
    typed = "".join(argv)
    framed = [char for char in BOX_CHARACTERS if char in result.err and char not in typed]
    assert not framed, result.err
    return lines[0]


def assert_usage_error(result: Result) -> str:
    """Bad usage or bad input: exit 2 and one line on stderr."""
    return assert_one_line_error(result, 2)


def assert_item_json(item: Any) -> None:
    """An item as the JSON contract describes it: every documented field, typed."""
    assert isinstance(item, dict), item
    assert set(item) >= ITEM_FIELDS, sorted(ITEM_FIELDS - set(item))
    assert isinstance(item["id"], int)
    assert isinstance(item["title"], str)
    assert item["title"]
    assert item["requester"] is None or isinstance(item["requester"], str)
    assert item["assignee"] is None or isinstance(item["assignee"], str)
    assert isinstance(item["vip"], bool)
    assert item["severity"] in {"critical", "high", "normal", "low"}
    assert item["channel"] in {"desk", "phone", "ticket", "email", "chat", "other"}
    assert isinstance(item["impact"], int)
    assert isinstance(item["estimate_minutes"], int | float)
    assert item["estimate_minutes"] > 0
    assert item["status"] in {"open", "active", "paused", "waiting", "done", "dropped"}
    for name in TIME_FIELDS:
        if item[name] is not None:
            parse_time(item[name])
    assert item["received_at"] is not None
    assert item["created_at"] is not None
    assert isinstance(item["tags"], list)
    assert all(isinstance(tag, str) for tag in item["tags"])
    assert item["ref"] is None or isinstance(item["ref"], str)
    assert isinstance(item["pinned"], bool)
    assert item["rank"] is None or isinstance(item["rank"], int)
    assert item["score"] is None or isinstance(item["score"], int | float)
    assert item["estimate_source"] in {"given", "history", "default"}
    assert (item["estimate_samples"] > 0) == (item["estimate_source"] == "history")
    assert item["promise_state"] in {"none", "ok", "at_risk", "broken"}
    assert (item["promise_state"] == "none") or item["promise_due_at"] is not None
    for name in ("eta", "eta_finish", "promise_due_at"):
        if item[name] is not None:
            parse_time(item[name])
    assert (item["eta"] is None) == (item["eta_finish"] is None)
    assert isinstance(item["late_minutes"], int | float)
    assert item["late_minutes"] >= 0
    miss = item["will_miss"]
    if miss is not None:
        assert set(miss) == {"what", "at", "by_minutes"}, miss
        assert miss["what"] in {"due", "promise"}
        parse_time(miss["at"])
        assert miss["by_minutes"] > 0
    assert isinstance(item["will_breach"], bool)
    if item["breach_at"] is not None:
        parse_time(item["breach_at"])
    else:
        assert not item["will_breach"]
    if item["status"] in ("waiting", "done", "dropped"):
        assert item["breach_at"] is None, "its clock is stopped"
    assert isinstance(item["reasons"], list)
    for reason in item["reasons"]:
        assert isinstance(reason, dict)
        assert set(reason) >= REASON_FIELDS, reason
        assert isinstance(reason["factor"], str)
        assert isinstance(reason["points"], int | float)
        assert isinstance(reason["detail"], str)


Cli = Callable[..., Result]
SetNow = Callable[[str], None]


def ok(result: Result) -> Result:
    """A command that succeeded, without a traceback on either stream."""
    assert result.code == 0, result
    no_traceback(result)
    return result


def add(cli: Cli, *args: str) -> int:
    """``techqueue add ARGS``; the new item's id."""
    result = ok(cli("add", *args))
    assert result.out.strip().isdigit(), result
    return int(result.out)


def item(cli: Cli, item_id: int) -> dict[str, Any]:
    """``techqueue show ID --json``, checked against the JSON contract."""
    data: dict[str, Any] = ok(cli("show", str(item_id), "--json")).json
    assert_item_json(data)
    return data


def moment(when: str, day: str = MONDAY) -> str:
    """``when`` as ``TECHQUEUE_NOW`` takes it: a clock time (on ``day``) or a full time."""
    return when if "T" in when else f"{day}T{when}"


def at(set_now: SetNow, when: str, day: str = MONDAY) -> None:
    """Set the clock to ``when``: ``"09:30"`` on Monday 2 March 2026 (or ``day``), or a full
    ``"2026-03-03T01:00"``."""
    set_now(moment(when, day))


def finished(cli: Cli, set_now: SetNow, line: str, start: str, end: str) -> int:
    """An item captured and started at ``start`` and done at ``end`` (times as :func:`at`
    takes them): finished work, for history, reviews and estimates. Its id."""
    at(set_now, start)
    item_id = add(cli, line)
    ok(cli("start", str(item_id)))
    at(set_now, end)
    ok(cli("done", str(item_id)))
    return item_id
