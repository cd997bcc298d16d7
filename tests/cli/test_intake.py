"""Intake through the real entry point: import-mail, import-csv, export-ics, requesters, dupes,
merge and add --ref, on the fixture files of ``tests/intake``."""

from __future__ import annotations

from pathlib import Path

import pytest
from icalendar import Calendar

from .conftest import Home
from .support import Cli, SetNow, assert_one_line_error, assert_usage_error, item, ok

FIXTURES = Path(__file__).parent.parent / "intake" / "fixtures"
NOW = "2026-03-02T09:00"


def _mail(cli: Cli, *paths: str) -> str:
    return ok(cli("import-mail", *(str(FIXTURES / path) for path in paths))).out.strip()


def test_a_thread_is_one_item_and_importing_twice_adds_nothing(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    assert _mail(cli, "thread.mbox") == "import-mail: 2 added, 1 updated, 0 skipped, 0 refused"
    listed = ok(cli("list", "--json")).json
    assert sorted(entry["title"] for entry in listed) == [
        "New starter on Monday needs a laptop",
        "VPN down for the whole sales team",
    ]
    vpn = next(entry for entry in listed if entry["title"].startswith("VPN"))
    assert (vpn["channel"], vpn["severity"], vpn["requester"]) == (
        "email",
        "critical",
        "Dana Reyes",
    )
    assert vpn["ref"] == "<vpn-1@corp.example>"
    assert vpn["received_at"].startswith("2026-03-02T")
    notes = ok(cli("show", str(vpn["id"]), "--json")).json["notes"]
    assert [note["text"].split(":")[0] for note in notes] == [
        "Hi,\n\nnobody in sales can connect to the VPN since 07",
        "Reply from IT Desk",
        "Reply from Dana Reyes",
        "Reply from Sam Ortiz",
    ]
    assert "> " not in notes[2]["text"]
    before = ok(cli("export")).json
    assert _mail(cli, "thread.mbox") == "import-mail: 0 added, 0 updated, 5 skipped, 0 refused"
    after = ok(cli("export")).json
    for table in ("item", "note", "requester"):
        assert after[table] == before[table]
    ok(cli("undo"))  # the second import wrote nothing: undo takes the first back
    assert ok(cli("list", "--json")).json == []


def test_a_reply_reopens_an_item_waiting_on_the_customer(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    _mail(cli, "thread.mbox")
    vpn = next(e for e in ok(cli("list", "--json")).json if e["title"].startswith("VPN"))
    ok(cli("wait", str(vpn["id"])))
    out = _mail(cli, "maildir", "encoded-utf8.eml", "encoded-latin1.eml", "html-only.eml")
    assert out == "import-mail: 4 added, 1 updated (1 reopened), 0 skipped, 0 refused"
    assert item(cli, vpn["id"])["status"] == "open"
    titles = {entry["title"] for entry in ok(cli("list", "--json")).json}
    assert {"Drucker läuft nicht – DRINGEND", "Accès refusé au serveur de fichiers"} <= titles


def test_vip_domains_and_severity_words_come_from_the_config(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    set_now(NOW)
    cli_home.config.write_text(
        '[intake]\nvip_domains = ["board.example"]\n'
        '[intake.severity_words]\ncritical = ["beamer"]\n',
        encoding="utf-8",
    )
    _mail(cli, "html-only.eml", "encoded-utf8.eml")
    listed = {entry["title"]: entry for entry in ok(cli("list", "--json")).json}
    beamer = listed["Beamer in the board room"]
    assert (beamer["vip"], beamer["severity"]) == (True, "critical")
    assert listed["Drucker läuft nicht – DRINGEND"]["severity"] == "high"
    people = {p["email"]: p for p in ok(cli("requesters", "--json")).json}
    assert people["office@board.example"]["vip_by"] == "domain"
    assert people["office@board.example"]["organisation"] == "board.example"
    assert people["juergen@firma.example"]["vip"] is False


def test_a_dry_run_changes_nothing(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    out = ok(cli("import-mail", str(FIXTURES / "thread.mbox"), "--dry-run")).out
    assert out.splitlines()[0] == "add: VPN down for the whole sales team (from Dana Reyes)"
    assert out.splitlines()[-1] == "would add 2, update 3, skip 0, refuse 0"
    assert ok(cli("list", "--json")).json == []
    planned = ok(cli("import-mail", str(FIXTURES / "thread.mbox"), "--dry-run", "--json")).json
    assert planned["would_add"][0]["title"].startswith("VPN")
    assert len(planned["would_update"]) == 3


def test_import_json_names_the_items(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    data = ok(cli("import-mail", str(FIXTURES / "html-only.eml"), "--json")).json
    assert data == {"added": [1], "updated": [], "reopened": [], "skipped": 0, "refused": 0}


def test_what_is_not_mail_is_one_line_and_exit_2(cli: Cli, cli_home: Home) -> None:
    (cli_home.root / "notes.txt").write_text("hello\n", encoding="utf-8")
    line = assert_usage_error(cli("import-mail", str(cli_home.root / "notes.txt")))
    assert "not a mail (.eml), an mbox or a Maildir" in line
    assert_one_line_error(cli("import-mail", str(cli_home.root / "missing.mbox")), 1)
    assert_usage_error(cli("import-mail"))


def test_a_csv_with_bad_rows_imports_nothing_and_lists_them(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    result = cli("import-csv", str(FIXTURES / "tickets-bad.csv"))
    assert result.code == 2
    lines = result.err_lines
    assert lines[0].startswith("import-csv: line 3: priority 'whenever'")
    assert lines[1].startswith("import-csv: line 6: received:")
    assert lines[2] == "techqueue: import-csv: nothing imported: 2 refusals above"
    assert ok(cli("list", "--json")).json == []
    dry = cli("import-csv", str(FIXTURES / "tickets-bad.csv"), "--dry-run")
    assert dry.code == 2
    assert dry.out.splitlines()[-1] == "would add 2, update 0, skip 0, refuse 2"


def test_a_csv_export_imports_once(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    out = ok(cli("import-csv", str(FIXTURES / "tickets.csv"))).out.strip()
    assert out == "import-csv: 4 added, 0 updated, 0 skipped, 0 refused"
    listed = {entry["ref"]: entry for entry in ok(cli("list", "--json")).json}
    assert set(listed) == {"INC-101", "INC-102", "INC-103", "INC-104"}
    assert (listed["INC-103"]["severity"], listed["INC-103"]["channel"]) == ("critical", "ticket")
    assert listed["INC-101"]["tags"] == ["mail", "outlook"]
    again = ok(cli("import-csv", str(FIXTURES / "tickets.csv"))).out.strip()
    assert again == "import-csv: 0 added, 0 updated, 4 skipped, 0 refused"


def test_a_csv_with_its_own_headings(cli: Cli, set_now: SetNow, cli_home: Home) -> None:
    set_now(NOW)
    path = cli_home.root / "jira.csv"
    path.write_text("Key;Topic;Urgency\nIT-1;Printer;P1\n", encoding="utf-8")
    assert_usage_error(cli("import-csv", str(path)))  # no title column the generic one knows
    cli_home.config.write_text(
        '[intake.csv.jira]\ntitle = "Topic"\nref = "Key"\nseverity = "Urgency"\n'
        '[intake.csv.jira.severities]\nP1 = "critical"\n',
        encoding="utf-8",
    )
    ok(cli("import-csv", str(path), "--mapping", "jira"))
    entry = ok(cli("list", "--json")).json[0]
    assert (entry["title"], entry["ref"], entry["severity"]) == ("Printer", "IT-1", "critical")
    other = cli_home.root / "other.csv"
    other.write_text("What,Who\nMouse broken,lee@corp.example\n", encoding="utf-8")
    ok(cli("import-csv", str(other), "--column", "title=What", "--column", "requester=Who"))
    assert ok(cli("list", "--json")).json[-1]["requester"] == "lee@corp.example"
    line = assert_usage_error(
        cli("import-csv", str(other), "--column", "title=What", "--column", "ref=Nope")
    )
    assert "--column ref=Nope: no such heading" in line


def test_a_ref_that_exists_is_refused_or_merged(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    first = int(ok(cli("add", "Printer jammed", "--ref", "INC-7")).out)
    line = assert_usage_error(cli("add", "Printer still jammed", "--ref", "INC-7"))
    assert f"ref INC-7 is already item {first}" in line
    ok(cli("wait", str(first)))
    assert int(ok(cli("add", "Printer still jammed", "--ref", "INC-7", "--merge")).out) == first
    shown = ok(cli("show", str(first), "--json")).json
    assert shown["status"] == "open"
    assert shown["notes"][-1]["text"] == "Printer still jammed"
    second = int(ok(cli("add", "Other")).out)
    assert_usage_error(cli("edit", str(second), "--ref", "INC-7"))


def test_add_merge_racing_another_capture_of_the_ref_merges_into_it(
    cli: Cli, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``add --merge`` looks for the ref's item, finds none, and another process captures
    that ref before this one writes: the capture is added to that item, as ``--merge`` asks
    (it was refused with "use --merge")."""
    from techqueue.store import Store

    set_now(NOW)
    first = int(ok(cli("add", "Printer jammed", "--ref", "INC-7")).out)
    ref_owners = Store.ref_owners
    calls: list[int] = []

    def not_yet_on_the_first_look(self: Store, refs: list[str]) -> dict[str, int]:
        calls.append(1)
        return {} if len(calls) == 1 else ref_owners(self, refs)

    monkeypatch.setattr(Store, "ref_owners", not_yet_on_the_first_look)
    assert int(ok(cli("add", "Printer still jammed", "--ref", "INC-7", "--merge")).out) == first
    monkeypatch.setattr(Store, "ref_owners", ref_owners)
    assert ok(cli("show", str(first), "--json")).json["notes"][-1]["text"] == (
        "Printer still jammed"
    )
    assert [item["id"] for item in ok(cli("list", "--json")).json] == [first]


def test_dupes_and_merge_keep_both_histories(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    first = int(ok(cli("add", "Printer jammed on floor 2 @phone", "--from", "Alice")).out)
    ok(cli("note", str(first), "paper tray"))
    set_now("2026-03-02T10:00")
    second = int(ok(cli("add", "printer floor 2 jammed !high", "--from", "Alice")).out)
    ok(cli("remind", str(second), "11:00", "call Alice"))
    ok(cli("start", str(second)))
    pairs = ok(cli("dupes", "--json")).json
    assert [(p["first"], p["second"]) for p in pairs] == [(first, second)]
    assert f"techqueue merge {first} {second}" in ok(cli("dupes")).out
    ok(cli("merge", str(first), str(second)))
    merged = ok(cli("show", str(first), "--json")).json
    assert (merged["status"], merged["severity"]) == ("active", "high")
    assert merged["notes"][0]["text"] == "paper tray"
    assert merged["notes"][-1]["text"].startswith(f"Merged #{second}")
    assert [r["text"] for r in merged["reminders"]] == ["call Alice"]
    assert_one_line_error(cli("show", str(second)), 1)
    assert ok(cli("dupes")).out.strip() == "No likely duplicates."
    ok(cli("undo"))
    assert item(cli, second)["status"] == "active"
    assert_usage_error(cli("merge", str(first), str(first)))


def test_one_person_once_linked(cli: Cli, set_now: SetNow) -> None:
    set_now(NOW)
    ok(cli("add", "Laptop slow", "--from", "Dana"))
    ok(cli("add", "Mail bounced", "--from", "Dana Reyes <dana@corp.example>"))
    assert len(ok(cli("requesters", "--json")).json) == 2
    said = ok(cli("requesters", "--link", "Dana", "--to", "Dana Reyes")).out.strip()
    assert said == "Dana is now Dana Reyes <dana@corp.example>"
    people = ok(cli("requesters", "--json")).json
    assert [(p["name"], p["also_known_as"], p["open_items"]) for p in people] == [
        ("Dana Reyes", ["Dana"], 2)
    ]
    for who in ("Dana", "dana@corp.example", "Dana Reyes <dana@corp.example>"):
        third = int(ok(cli("add", "Another", "--from", who)).out)
        assert item(cli, third)["requester"] == "Dana Reyes"
    ok(cli("vip", "Dana Reyes <DANA@corp.example>"))
    assert ok(cli("requesters", "--json")).json[0]["vip_by"] == "marked"
    assert "Dana Reyes" in ok(cli("requesters")).out
    assert_one_line_error(cli("requesters", "--link", "Nobody", "--to", "Dana"), 1)
    assert_usage_error(cli("requesters", "--link", "Dana"))


def test_export_ics_writes_promises_reminders_and_due_times(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    set_now(NOW)
    first = int(ok(cli("add", "VPN down", "--from", "Dana", "--due", "15:00")).out)
    ok(cli("note", str(first), "by eleven", "--promise", "11:00"))
    ok(cli("remind", "-", "10:30", "order cables"))
    target = cli_home.root / "techqueue.ics"
    out = ok(cli("export-ics", str(target))).out.strip()
    assert out == f"export-ics: 1 promise, 1 reminder, 1 due time, 0 appointments to {target}"
    calendar = Calendar.from_ical(target.read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"promise-{first}@techqueue",
        "reminder-1@techqueue",
        f"due-{first}@techqueue",
    }
    promise = events[f"promise-{first}@techqueue"]
    assert str(promise["summary"]) == f"Promised: #{first} VPN down (Dana)"
    assert promise.decoded("dtstart").astimezone().strftime("%H:%M") == "11:00"
    piped = cli("export-ics")
    assert piped.code == 0
    assert piped.out.startswith("BEGIN:VCALENDAR")
    assert piped.err.strip() == "export-ics: 1 promise, 1 reminder, 1 due time, 0 appointments"


def test_a_csv_row_too_long_for_add_is_refused_by_its_line(
    cli: Cli, set_now: SetNow, cli_home: Home
) -> None:
    set_now(NOW)
    path = cli_home.root / "long.csv"
    for heading, cell, said in (
        ("Subject", "T" * 5000, "the title is too long: 5,000 characters, at most 500"),
        ("Ticket ID", "R" * 5000, "the reference is too long: 5,000 characters, at most 200"),
        ("Tags", "t" * 5000, "a tag is too long: 5,000 characters, at most 200"),
        ("Email", "e" * 100_000 + "@x.example", "the requester's email is too long"),
    ):
        values = {"Ticket ID": "INC-1", "Subject": "Printer", "Tags": "", "Email": ""}
        values[heading] = cell
        path.write_text(
            ",".join(values) + "\nINC-0,Fine,,\n" + ",".join(values.values()) + "\n",
            encoding="utf-8",
        )
        for dry in ((), ("--dry-run",)):
            line = assert_usage_error(cli("import-csv", str(path), *dry))
            assert line.startswith(f"techqueue: line 3: {said}"), line
            assert line.endswith(": nothing imported"), line
        assert ok(cli("list", "--json")).json == []
        assert_usage_error(cli("add", cell if heading == "Subject" else "x", "--ref", cell))


def test_a_mail_too_long_for_add_is_read_shorter(cli: Cli, set_now: SetNow, cli_home: Home) -> None:
    set_now(NOW)
    long_id = "<" + "i" * 300 + "@host.example>"
    first = cli_home.root / "first.eml"
    first.write_bytes(
        (
            f"From: {'N' * 300} <{'a' * 300}@corp.example>\r\n"
            f"Subject: {'Printer ' * 750}\r\n"
            f"Message-ID: {long_id}\r\n"
            "Date: Mon, 02 Mar 2026 08:00:00 +0100\r\n\r\nIt jams.\r\n"
        ).encode()
    )
    reply = cli_home.root / "reply.eml"
    reply.write_bytes(
        (
            "From: Lee <lee@corp.example>\r\nSubject: Re: Printer\r\n"
            f"Message-ID: <r1@host.example>\r\nIn-Reply-To: {long_id}\r\n"
            "Date: Mon, 02 Mar 2026 08:30:00 +0100\r\n\r\nStill jams.\r\n"
        ).encode()
    )
    out = ok(cli("import-mail", str(first), str(reply))).out.strip()
    assert out == "import-mail: 1 added, 1 updated, 0 skipped, 0 refused"
    [entry] = ok(cli("list", "--json")).json
    assert len(entry["title"]) == 500
    assert entry["title"].endswith("…")
    assert len(entry["ref"]) <= 200
    assert len(entry["requester"]) <= 200
    again = ok(cli("import-mail", str(first), str(reply))).out.strip()
    assert again == "import-mail: 0 added, 0 updated, 2 skipped, 0 refused"
    exported = ok(cli("export")).out
    cli_home.db.unlink()
    ok(cli("import", "-", stdin=exported))
    assert ok(cli("list", "--json")).json[0]["title"] == entry["title"]
