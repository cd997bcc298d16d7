"""Real mail and CSV files read by the pure core and ``techqueue.sources``: the fixtures of
``make_fixtures.py`` (regenerated here, byte for byte), mbox, Maildir, encoded ``.eml``
files, an HTML-only mail, a ticket export."""

from __future__ import annotations

import filecmp
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from techqueue.core.csvrows import (
    BadRow,
    MappingError,
    column_map,
    mapping_named,
    row_arrival,
)
from techqueue.core.intake import Incoming, IntakeSettings
from techqueue.core.mail import mail_arrival, message_refs
from techqueue.core.timeparse import WorkingHours
from techqueue.errors import BadRequest, NotFound
from techqueue.sources import mail_sources, read_csv

from . import make_fixtures

FIXTURES = Path(__file__).parent / "fixtures"
SETTINGS = IntakeSettings(vip_domains=("board.example",))
PLUS_ONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=PLUS_ONE)


def read(name: str) -> Incoming:
    return mail_arrival((FIXTURES / name).read_bytes(), SETTINGS, name)


def test_the_fixtures_are_what_the_script_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tmp_path / "made"
    monkeypatch.setattr(make_fixtures, "HERE", made)
    make_fixtures.main()
    files = sorted(p.relative_to(made) for p in made.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(FIXTURES) for p in FIXTURES.rglob("*") if p.is_file())
    for name in files:
        assert filecmp.cmp(made / name, FIXTURES / name, shallow=False), name


def test_an_encoded_utf8_subject_name_and_attachment() -> None:
    mail = read("encoded-utf8.eml")
    assert mail.title == "Drucker läuft nicht – DRINGEND"
    assert (mail.requester_name, mail.requester_email) == ("Jürgen Müller", "juergen@firma.example")
    assert mail.severity == "high"
    assert mail.ref == "<drucker-1@firma.example>"
    assert mail.received_at == datetime(2026, 3, 2, 8, 20, tzinfo=PLUS_ONE)
    assert mail.note is not None
    assert "Der Drucker im 2. Stock läuft nicht" in mail.note
    assert mail.note.endswith("Attached (not kept): Überweisung März.pdf")
    assert mail.channel == "email"
    assert not mail.vip


def test_a_latin1_quoted_printable_mail() -> None:
    mail = read("encoded-latin1.eml")
    assert mail.title == "Accès refusé au serveur de fichiers"
    assert mail.requester_name == "Françoise Léger"
    assert mail.note == "Je n'ai plus accès au dossier partagé."


def test_a_japanese_mail_in_base64() -> None:
    mail = read("encoded-japanese.eml")
    assert (mail.title, mail.requester_name) == ("パスワードを忘れました", "山田 太郎")
    assert mail.note == "パスワードを忘れました。"


def test_an_html_only_mail_gives_its_text_and_a_vip_domain() -> None:
    mail = read("html-only.eml")
    assert mail.note == "The beamer shows no signal.\nMeeting at 10:00 & the board is waiting …"
    assert mail.vip
    assert mail.requester_email == "office@board.example"


def test_a_mail_without_headers_of_its_own_still_reads() -> None:
    bare = mail_arrival(b"Subject: Re:\n\nhello\n> quoted\n", SETTINGS, "x")
    assert (bare.title, bare.requester_name, bare.received_at) == ("(no subject)", None, None)
    assert bare.ref is not None
    assert bare.ref.endswith("@techqueue.invalid>")
    assert bare.ref == mail_arrival(b"Subject: Re:\n\nhello\n> quoted\n", SETTINGS, "y").ref
    assert bare.note == "hello"
    broken = mail_arrival(b"From: <<<@>>>\nDate: someday\nSubject: x\n\nbody", SETTINGS, "z")
    assert broken.received_at is None
    assert broken.title == "x"


def test_message_refs() -> None:
    assert message_refs(" <a@b> <c@d>\n <e@f>") == ("<a@b>", "<c@d>", "<e@f>")
    assert message_refs("bare@id") == ("<bare@id>",)
    assert message_refs("two words") == ()


def test_mailbox_files_are_recognised() -> None:
    sources = mail_sources(
        [FIXTURES / "thread.mbox", FIXTURES / "maildir", FIXTURES / "html-only.eml"]
    )
    assert [(s.kind, s.count) for s in sources] == [("mbox", 5), ("maildir", 2), ("eml", 1)]
    thread = [mail_arrival(data, SETTINGS, where) for where, data in sources[0].messages()]
    assert [m.ref for m in thread] == [
        f"<{r}@corp.example>" for r in ("vpn-4", "vpn-3", "laptop-1", "vpn-2", "vpn-1")
    ]
    assert thread[0].replies_to == (
        "<vpn-3@corp.example>",
        "<vpn-2@corp.example>",
        "<vpn-1@corp.example>",
    )
    assert thread[0].title == "VPN down for the whole sales team"
    assert [s.kind for s in mail_sources([FIXTURES])] == ["eml"] * 4


def test_what_is_not_mail_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some notes\n")
    with pytest.raises(BadRequest, match="not a mail"):
        mail_sources([tmp_path / "notes.txt"])
    with pytest.raises(BadRequest, match="not a Maildir"):
        mail_sources([tmp_path])
    with pytest.raises(NotFound):
        mail_sources([tmp_path / "missing.mbox"])
    with pytest.raises(BadRequest):
        mail_sources([])


# --- CSV ----------------------------------------------------------------------------------------


def _rows(name: str, settings: IntakeSettings = SETTINGS) -> list[Incoming | BadRow]:
    table = read_csv(FIXTURES / name)
    columns = column_map(mapping_named("generic", settings), table.headings)
    return [row_arrival(v, line, columns, settings, NOW, WorkingHours()) for line, v in table.rows]


def test_a_ticket_export_with_the_generic_mapping() -> None:
    rows = _rows("tickets.csv")
    assert all(isinstance(row, Incoming) for row in rows)
    first, second, third, fourth = (row for row in rows if isinstance(row, Incoming))
    assert (first.ref, first.title, first.severity, first.tags) == (
        "INC-101",
        "Outlook keeps asking for the password",
        "high",
        ("mail", "outlook"),
    )
    assert (first.requester_name, first.requester_email) == ("Dana Reyes", "dana@corp.example")
    assert first.received_at is not None
    assert first.received_at.replace(tzinfo=None) == datetime(2026, 3, 2, 7, 30)
    assert (second.severity, second.note, third.severity) == ("low", None, "critical")
    assert third.note == "28 degrees and rising,\nthe AC is off."
    assert fourth.tags == ("teams", "camera")
    assert [row.where for row in (first, fourth)] == ["line 2", "line 6"]


def test_bad_rows_are_named_by_their_line() -> None:
    bad = [str(row) for row in _rows("tickets-bad.csv") if isinstance(row, BadRow)]
    assert len(bad) == 2
    assert bad[0].startswith("line 3: priority 'whenever'")
    assert bad[1].startswith("line 6: received: 'yesterday-ish' is not a time")


def test_mappings_by_name_and_by_column() -> None:
    settings = IntakeSettings(
        csv_mappings={"helpdesk": {"title": "Summary", "severity.p0": "critical"}}
    )
    mapping = mapping_named("helpdesk", settings, ["ref=Key"])
    assert (mapping["title"], mapping["ref"], mapping["severity.p0"]) == (
        "Summary",
        "Key",
        "critical",
    )
    columns = column_map(mapping, ["Key", "summary", "Priority"])
    assert dict(columns.columns) == {"ref": 0, "title": 1, "severity": 2}
    assert columns.severities["p0"] == "critical"
    with pytest.raises(MappingError, match="no column mapping called 'nope'"):
        mapping_named("nope", settings)
    with pytest.raises(MappingError, match="FIELD=HEADING"):
        mapping_named("generic", settings, ["title"])
    with pytest.raises(MappingError, match="'colour' is not one of"):
        mapping_named("generic", settings, ["colour=Red"])
    with pytest.raises(MappingError, match="no title column"):
        column_map(mapping_named("generic", settings), ["Key", "Priority"])


def test_a_csv_that_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "latin1.csv").write_bytes("Subject\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(BadRequest, match="not UTF-8"):
        read_csv(tmp_path / "latin1.csv")
    with pytest.raises(BadRequest, match="empty"):
        read_csv(None, "\n\n")
    semicolons = read_csv(None, "\ufeffSubject;Priority\nPrinter;High\n")
    assert semicolons.headings == ["Subject", "Priority"]
    assert semicolons.rows == [(2, ["Printer", "High"])]


def test_a_future_arrival_is_a_bad_row() -> None:
    columns = column_map(mapping_named("generic", SETTINGS), ["Subject", "Created"])
    read = row_arrival(["x", "2027-01-01"], 2, columns, SETTINGS, NOW, WorkingHours())
    assert isinstance(read, BadRow)
    assert "future" in read.problem
    read = row_arrival(
        [
            "x",
            "",
        ],
        2,
        columns,
        SETTINGS,
        NOW.astimezone(UTC),
        WorkingHours(),
    )
    assert isinstance(read, Incoming)
