"""Write the intake tests' fixture files with the standard library, so they can be made again:

    .venv/bin/python tests/intake/make_fixtures.py

- ``thread.mbox``: a conversation of a first mail and three replies (one naming only its
  ``References``), stored newest first, and a second, unrelated conversation;
- ``maildir/``: a Maildir with a mail in ``new/`` and one in ``cur/``, one of them a reply
  to ``thread.mbox``'s first mail;
- ``encoded-*.eml``: RFC 2047 subjects and names in UTF-8 (base64) and Latin-1
  (quoted-printable), a German "AW:" reply, an RFC 2231 attachment name;
- ``html-only.eml``: a mail with only an HTML part (a style, a script, entities);
- ``tickets.csv``: a ticket export (the generic mapping's headings), all rows good;
- ``tickets-bad.csv``: the same with a bad priority on line 3 and a bad date on line 6 (the
  row before it spans two lines).

Every date is fixed, so the files are the same each time they are written.
"""

from __future__ import annotations

import csv
import shutil
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

HERE = Path(__file__).parent / "fixtures"
ZONE = timezone(timedelta(hours=1))
#: Monday 2 March 2026, 08:00 +01:00: the first mail of the thread.
START = datetime(2026, 3, 2, 8, 0, tzinfo=ZONE)


def _mail(
    subject: str,
    sender: str,
    minutes: int,
    message_id: str,
    body: str,
    *,
    in_reply_to: str | None = None,
    references: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "IT Desk <it@corp.example>"
    message["Subject"] = subject
    message["Date"] = format_datetime(START + timedelta(minutes=minutes))
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)
    return message


def thread() -> list[EmailMessage]:
    root = "<vpn-1@corp.example>"
    first = _mail(
        "VPN down for the whole sales team",
        "Dana Reyes <dana@corp.example>",
        0,
        root,
        "Hi,\n\nnobody in sales can connect to the VPN since 07:45.\n\nDana\n",
    )
    reply_1 = _mail(
        "Re: VPN down for the whole sales team",
        "IT Desk <it@corp.example>",
        10,
        "<vpn-2@corp.example>",
        "Looking into it now.\n\nOn Mon, Dana Reyes wrote:\n> nobody in sales can connect\n",
        in_reply_to=root,
        references=root,
    )
    reply_2 = _mail(
        "RE: Re: VPN down for the whole sales team",
        "Dana Reyes <dana@corp.example>",
        25,
        "<vpn-3@corp.example>",
        "Still down here, the CEO is asking.\n\n> Looking into it now.\n",
        in_reply_to="<vpn-2@corp.example>",
        references=f"{root} <vpn-2@corp.example>",
    )
    reply_3 = _mail(
        "Fwd: RE: Re: VPN down for the whole sales team",
        "Sam Ortiz <sam@corp.example>",
        40,
        "<vpn-4@corp.example>",
        "Same for me in the warehouse.\n",
        references=f"{root} <vpn-2@corp.example> <vpn-3@corp.example>",
    )
    other = _mail(
        "New starter on Monday needs a laptop",
        "Lee Park <lee@corp.example>",
        30,
        "<laptop-1@corp.example>",
        "Please prepare a laptop for our new colleague.\n",
    )
    return [reply_3, reply_2, other, reply_1, first]  # not in the order they were sent


def write_mbox(path: Path, messages: list[EmailMessage]) -> None:
    with path.open("wb") as handle:
        for message in messages:
            handle.write(b"From it@corp.example Mon Mar  2 08:00:00 2026\n")
            handle.write(bytes(message).replace(b"\nFrom ", b"\n>From "))
            handle.write(b"\n")


def write_maildir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    for folder in ("cur", "new", "tmp"):
        (path / folder).mkdir(parents=True)
    (path / "tmp" / ".keep").write_bytes(b"")
    fresh = _mail(
        "Printer on floor 2 jammed",
        "Alice Brown <alice@corp.example>",
        50,
        "<printer-1@corp.example>",
        "The printer by the kitchen is jammed again.\n",
    )
    answer = _mail(
        "Re: VPN down for the whole sales team",
        "Dana Reyes <dana@corp.example>",
        55,
        "<vpn-5@corp.example>",
        "Works again, thanks!\n",
        in_reply_to="<vpn-1@corp.example>",
        references="<vpn-1@corp.example>",
    )
    (path / "new" / "1772434200.M1P1.desk").write_bytes(bytes(fresh))
    (path / "cur" / "1772434500.M2P1.desk:2,S").write_bytes(bytes(answer))


#: Headers and bodies written byte for byte: the encodings are the point.
ENCODED_UTF8 = (
    b"From: =?utf-8?b?SsO8cmdlbiBNw7xsbGVy?= <juergen@firma.example>\n"
    b"To: it@corp.example\n"
    b"Subject: =?utf-8?b?QVc6IERydWNrZXIgbMOkdWZ0IG5pY2h0IOKAkyBEUklOR0VORA==?=\n"
    b"Date: Mon, 02 Mar 2026 08:20:00 +0100\n"
    b"Message-ID: <drucker-1@firma.example>\n"
    b"MIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="XX"\n'
    b"\n"
    b"--XX\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: 8bit\n"
    b"\n"
    b"Der Drucker im 2. Stock l\xc3\xa4uft nicht. Gr\xc3\xbc\xc3\x9fe, J\xc3\xbcrgen\n"
    b"--XX\n"
    b"Content-Type: application/pdf\n"
    b"Content-Transfer-Encoding: base64\n"
    b"Content-Disposition: attachment; filename*=utf-8''%C3%9Cberweisung%20M%C3%A4rz.pdf\n"
    b"\n"
    b"JVBERi0xLjQK\n"
    b"--XX--\n"
)
ENCODED_LATIN1 = (
    b"From: =?iso-8859-1?q?Fran=E7oise_L=E9ger?= <francoise@entreprise.example>\n"
    b"To: it@corp.example\n"
    b"Subject: =?iso-8859-1?q?Acc=E8s_refus=E9_au_serveur_de_fichiers?=\n"
    b"Date: Mon, 02 Mar 2026 08:35:00 +0100\n"
    b"Message-ID: <acces-1@entreprise.example>\n"
    b"MIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=iso-8859-1\n"
    b"Content-Transfer-Encoding: quoted-printable\n"
    b"\n"
    b"Je n'ai plus acc=E8s au dossier partag=E9.\n"
)
ENCODED_JAPANESE = (
    b"From: =?utf-8?b?5bGx55SwIOWkqumDjg==?= <taro@kaisha.example>\n"
    b"To: it@corp.example\n"
    b"Subject: =?utf-8?b?44OR44K544Ov44O844OJ44KS5b+Y44KM44G+44GX44Gf?=\n"
    b"Date: Mon, 02 Mar 2026 08:40:00 +0100\n"
    b"Message-ID: <pw-1@kaisha.example>\n"
    b"MIME-Version: 1.0\n"
    b"Content-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: base64\n"
    b"\n"
    b"44OR44K544Ov44O844OJ44KS5b+Y44KM44G+44GX44Gf44CC\n"
)
HTML_ONLY = (
    b"From: Board Office <office@board.example>\n"
    b"To: it@corp.example\n"
    b"Subject: Beamer in the board room\n"
    b"Date: Mon, 02 Mar 2026 08:45:00 +0100\n"
    b"Message-ID: <beamer-1@board.example>\n"
    b"MIME-Version: 1.0\n"
    b"Content-Type: text/html; charset=utf-8\n"
    b"\n"
    b"<html><head><title>ignored title</title><style>p { color: red }</style></head>"
    b"<body><script>alert('no')</script><p>The beamer shows <b>no signal</b>.</p>"
    b"<p>Meeting at 10:00 &amp; the board is waiting&nbsp;&hellip;</p></body></html>\n"
)

HEADINGS = [
    "Ticket ID",
    "Subject",
    "Requester",
    "Requester Email",
    "Priority",
    "Created",
    "Tags",
    "Description",
]
TICKETS = [
    [
        "INC-101",
        "Outlook keeps asking for the password",
        "Dana Reyes",
        "dana@corp.example",
        "High",
        "2026-03-02 07:30",
        "mail outlook",
        "Since this morning, every few minutes.",
    ],
    [
        "INC-102",
        "Monitor flickers",
        "Lee Park",
        "lee@corp.example",
        "Low",
        "2026-03-01 16:00",
        "",
        "",
    ],
    [
        "INC-103",
        "Server room too warm",
        "Facilities",
        "facilities@corp.example",
        "Urgent",
        "2026-03-02 06:55",
        "servers",
        "28 degrees and rising,\nthe AC is off.",
    ],
    [
        "INC-104",
        "Teams camera not found",
        "Sam Ortiz",
        "sam@corp.example",
        "Normal",
        "2026-03-02 08:05",
        "teams;camera",
        "",
    ],
]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        writer.writerows(rows)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    write_mbox(HERE / "thread.mbox", thread())
    write_maildir(HERE / "maildir")
    (HERE / "encoded-utf8.eml").write_bytes(ENCODED_UTF8)
    (HERE / "encoded-latin1.eml").write_bytes(ENCODED_LATIN1)
    (HERE / "encoded-japanese.eml").write_bytes(ENCODED_JAPANESE)
    (HERE / "html-only.eml").write_bytes(HTML_ONLY)
    write_csv(HERE / "tickets.csv", TICKETS)
    bad = [list(row) for row in TICKETS]
    bad[1][4] = "Whenever"  # line 3 of the file: the second row
    bad[3][5] = "yesterday-ish"
    write_csv(HERE / "tickets-bad.csv", bad)


if __name__ == "__main__":
    main()
