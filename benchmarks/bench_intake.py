"""Importing a large mailbox: a 10,000-message mbox, then the same mbox again.

    python -m benchmarks.bench_intake [--messages 10000] [--keep DIR]

Writes an mbox of conversations (a first mail and up to four replies each, threaded by
``In-Reply-To`` and ``References``, a third of them multipart with an HTML alternative and
every twentieth with an attachment, names and subjects RFC 2047-encoded now and then), then
runs ``techqueue import-mail`` on it in a fresh process against an empty store, and again.
Prints the wall time of each, the mails per second and what each import said. The budget is
10 s for the first import on the 2-core machine; the second must add nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

NOW = "2026-03-09T09:00:00+00:00"
BUDGET_SECONDS = 10.0
SUBJECTS = (
    "VPN down for the sales team",
    "Printer on floor {n} jammed",
    "Outlook asks for the password again",
    "Neuer Laptop für Frau Müller",
    "URGENT: invoice system outage",
    "Accès refusé au partage {n}",
    "Monitor flickers in room {n}",
)


def _message(rng: random.Random, index: int, thread: list[str], when: datetime) -> EmailMessage:
    person = rng.randint(1, 400)
    message = EmailMessage()
    message["From"] = f"Person Nummer {person} <person{person}@corp.example>"
    message["To"] = "IT Desk <it@corp.example>"
    subject = rng.choice(SUBJECTS).format(n=rng.randint(1, 9))
    message["Subject"] = ("Re: " if thread else "") + subject
    message["Date"] = format_datetime(when)
    message_id = f"<m{index}.{rng.randint(0, 10**9)}@corp.example>"
    message["Message-ID"] = message_id
    if thread:
        message["In-Reply-To"] = thread[-1]
        message["References"] = " ".join(thread)
    body = (
        f"Hello,\n\nthis is message {index}. {rng.choice(SUBJECTS)}.\n"
        "It started this morning and nobody can work.\n\nThanks,\nPerson\n"
    )
    if thread:
        body += "\nOn Monday someone wrote:\n> " + "\n> ".join(["earlier text"] * 5) + "\n"
    message.set_content(body)
    if index % 3 == 0:
        message.add_alternative(f"<html><body><p>{body}</p></body></html>", subtype="html")
    if index % 20 == 0:
        message.add_attachment(
            b"%PDF-1.4\n" * 50, maintype="application", subtype="pdf", filename="Rechnung März.pdf"
        )
    thread.append(message_id)
    return message


def write_mbox(path: Path, count: int, seed: int = 20) -> int:
    """An mbox of ``count`` mails in conversations; returns how many conversations."""
    rng = random.Random(seed)
    start = datetime(2026, 2, 2, 8, tzinfo=UTC)
    conversations = 0
    with path.open("wb") as handle:
        index = 0
        while index < count:
            thread: list[str] = []
            conversations += 1
            when = start + timedelta(minutes=index * 3)
            for _ in range(min(rng.randint(1, 5), count - index)):
                message = _message(rng, index, thread, when)
                handle.write(b"From it@corp.example Mon Feb  2 08:00:00 2026\n")
                handle.write(bytes(message).replace(b"\nFrom ", b"\n>From ") + b"\n")
                index += 1
                when += timedelta(minutes=rng.randint(5, 90))
    return conversations


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "techqueue", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"techqueue {' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the mbox and the store here")
    options = parser.parse_args()
    directory = options.keep or Path(tempfile.mkdtemp(prefix="bench-intake-"))
    directory.mkdir(parents=True, exist_ok=True)
    mbox = directory / "big.mbox"
    started = time.perf_counter()
    conversations = write_mbox(mbox, options.messages)
    print(
        f"wrote {options.messages:,} mails in {conversations:,} conversations "
        f"({mbox.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
    )
    store = directory / "bench.db"
    store.unlink(missing_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TECHQUEUE_")},
        "TECHQUEUE_DB": str(store),
        "TECHQUEUE_CONFIG": str(directory / "no-config.toml"),
        "TECHQUEUE_NOW": NOW,
    }
    first, said = _run(["import-mail", str(mbox)], env)
    print(f"first import:  {first:5.2f} s  ({options.messages / first:,.0f} mails/s)  {said}")
    second, again = _run(["import-mail", str(mbox)], env)
    print(f"second import: {second:5.2f} s  ({options.messages / second:,.0f} mails/s)  {again}")
    expected = f"0 added, 0 updated, {options.messages} skipped"
    within = "within" if first <= BUDGET_SECONDS else "OVER"
    print(f"budget: {BUDGET_SECONDS:.0f} s for the first import: {within} it")
    print(f"re-import adds nothing: {'yes' if expected in again else 'NO'}")


if __name__ == "__main__":
    main()
