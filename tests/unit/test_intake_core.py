"""The pure core of intake: subjects, severity words, people's addresses, HTML text, title
similarity and the import plan, by example and as hypothesis properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from techqueue.core.htmltext import html_to_text
from techqueue.core.intake import DEFAULT_SEVERITY_WORDS, Incoming, plan
from techqueue.core.people import is_address, organisation, split_person, vip_domain
from techqueue.core.similar import likely_duplicates, similarity
from techqueue.core.subjects import NO_SUBJECT, clean_subject, severity_hint

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PREFIXES = ["Re: ", "RE:", "Fwd: ", "FW: ", "AW: ", "WG: ", "SV: ", "Re[2]: ", "re (3) : ", "Tr: "]
subjects = st.text(st.characters(codec="utf-8"), max_size=60)


# --- subjects ---------------------------------------------------------------------------------


def test_reply_and_forward_prefixes_are_taken_off() -> None:
    assert clean_subject("Re: AW: Fwd:  VPN   down") == "VPN down"
    assert clean_subject("RE[2]: WG: Drucker") == "Drucker"
    assert clean_subject("Re: ") == NO_SUBJECT
    assert clean_subject(None) == NO_SUBJECT
    assert clean_subject("Regarding: the printer") == "Regarding: the printer"
    assert clean_subject("Review of backups") == "Review of backups"


@given(subjects)
def test_cleaning_a_subject_twice_changes_nothing(subject: str) -> None:
    assert clean_subject(clean_subject(subject)) == clean_subject(subject)


@given(subjects, st.lists(st.sampled_from(PREFIXES), max_size=4))
def test_prefixes_never_change_the_title(subject: str, prefixes: list[str]) -> None:
    assert clean_subject("".join(prefixes) + subject) == clean_subject(subject)


@given(subjects)
def test_a_title_is_one_line_and_never_empty(subject: str) -> None:
    title = clean_subject(subject)
    assert title
    assert "\n" not in title
    assert title == title.strip()


def test_severity_words_match_whole_words_the_most_severe_winning() -> None:
    words = DEFAULT_SEVERITY_WORDS
    assert severity_hint("Server DOWN", words) == "critical"
    assert severity_hint("URGENT: outage in sales", words) == "critical"
    assert severity_hint("URGENT: new mouse", words) == "high"
    assert severity_hint("download the report", words) is None
    assert severity_hint("FYI: new coffee machine", words) == "low"
    assert severity_hint("laptop not   booting", words) == "critical"
    assert severity_hint("anything", {"high": ("",)}) is None


@given(subjects)
def test_no_words_no_severity(subject: str) -> None:
    assert severity_hint(subject, {}) is None


# --- people -----------------------------------------------------------------------------------


def test_a_person_as_written() -> None:
    assert split_person("Dana") == ("Dana", None)
    assert split_person("Dana@Corp.Example") == (None, "dana@corp.example")
    assert split_person("Dana Reyes <dana@corp.example>") == ("Dana Reyes", "dana@corp.example")
    assert split_person('"Reyes, Dana" <dana@corp.example>') == ("Reyes, Dana", "dana@corp.example")
    assert split_person("<dana@corp.example>") == (None, "dana@corp.example")
    assert split_person("  ") == (None, None)
    assert split_person(None) == (None, None)
    assert split_person("Dana <not an address>") == ("Dana <not an address>", None)
    assert not is_address("dana@localhost")
    assert organisation("dana@Corp.Example") == "corp.example"
    assert organisation("Dana") is None


def test_vip_domains_include_their_subdomains() -> None:
    domains = ["board.example", "@Owner.Example"]
    assert vip_domain("ceo@board.example", domains) == "board.example"
    assert vip_domain("ceo@mail.board.example", domains) == "board.example"
    assert vip_domain("x@owner.example", domains) == "owner.example"
    assert vip_domain("x@notboard.example", domains) is None
    assert vip_domain(None, domains) is None


@given(st.from_regex(r"[a-z][a-z0-9.]{0,10}@[a-z]{1,8}\.[a-z]{2,4}", fullmatch=True))
def test_an_address_is_read_back_as_itself(address: str) -> None:
    assert split_person(address) == (None, address)
    assert split_person(f"Someone <{address}>") == ("Someone", address)


# --- HTML -------------------------------------------------------------------------------------


def test_html_becomes_the_text_a_person_sees() -> None:
    html = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<script>x()</script><p>A &amp; B</p><div>second<br>third</div></body></html>"
    )
    assert html_to_text(html) == "A & B\nsecond\nthird"
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"


@given(st.text(max_size=200))
def test_any_html_is_read_without_failing(html: str) -> None:
    text = html_to_text(html)
    assert "\n\n" not in text


# --- similarity -------------------------------------------------------------------------------


@given(subjects, subjects)
def test_similarity_is_symmetric_and_bounded(first: str, second: str) -> None:
    alike = similarity(first, second)
    assert 0.0 <= alike <= 1.0
    assert alike == similarity(second, first)


@given(subjects)
def test_a_title_is_like_itself_and_its_reply(title: str) -> None:
    assert similarity(title, title) == 1.0
    assert similarity(title, "Re: " + title) == 1.0


def _item(item_id: int, title: str, requester: int | None, minutes: int) -> SimpleNamespace:
    return SimpleNamespace(
        id=item_id,
        title=title,
        requester_id=requester,
        received_at=NOW + timedelta(minutes=minutes),
    )


def test_likely_duplicates_same_person_similar_title_close_in_time() -> None:
    items = [
        _item(1, "Printer jammed on floor 2", 7, 0),
        _item(2, "printer floor 2 jammed", 7, 30),
        _item(3, "Printer jammed on floor 2", 8, 10),  # someone else
        _item(4, "VPN down", 7, 40),  # another request
        _item(5, "Printer jammed on floor 2", 7, 5 * 24 * 60),  # days later
        _item(6, "Printer jammed on floor 2", None, 1),  # nobody
    ]
    pairs = likely_duplicates(items)
    assert [(p.first.id, p.second.id) for p in pairs] == [(1, 2)]
    assert pairs[0].apart == timedelta(minutes=30)
    assert likely_duplicates(items, within=timedelta(days=6))[0].first.id == 1


# --- the plan ---------------------------------------------------------------------------------


def _mail(ref: str, minutes: int | None, *answers: str) -> Incoming:
    when = None if minutes is None else NOW + timedelta(minutes=minutes)
    return Incoming(ref, "email", ref, ref=ref, replies_to=answers, received_at=when)


def test_a_thread_is_one_item_whatever_the_order() -> None:
    arrivals = [_mail("c", 20, "b", "a"), _mail("b", 10, "a"), _mail("a", 0), _mail("x", 5)]
    decisions = plan(arrivals, {})
    assert [(d.incoming.ref, d.kind, d.new) for d in decisions] == [
        ("a", "add", 0),
        ("x", "add", 1),
        ("b", "reply", 0),
        ("c", "reply", 0),
    ]


def test_known_refs_are_skipped_and_replies_go_to_their_item() -> None:
    decisions = plan([_mail("a", 0), _mail("b", 1, "a"), _mail("c", None, "zz")], {"a": 12})
    assert [(d.kind, d.item_id, d.new) for d in decisions] == [
        ("skip", 12, None),
        ("reply", 12, None),
        ("add", None, 2),
    ]


@st.composite
def threads(draw: st.DrawFn) -> list[Incoming]:
    count = draw(st.integers(1, 12))
    arrivals = []
    for index in range(count):
        answers = draw(st.lists(st.integers(0, count - 1), max_size=3))
        minutes = draw(st.none() | st.integers(0, 100))
        arrivals.append(_mail(f"m{index}", minutes, *(f"m{a}" for a in answers)))
    return draw(st.permutations(arrivals))


@given(threads())
def test_importing_twice_adds_nothing(arrivals: list[Incoming]) -> None:
    first = plan(arrivals, {})
    assert len(first) == len(arrivals)
    owners: dict[str, int] = {}
    for index, decision in enumerate(first):
        ref = decision.incoming.ref
        assert ref is not None
        if decision.kind == "add":
            owners[ref] = 1000 + index
        elif decision.kind == "reply":
            assert decision.new is not None  # nothing was in the store
            owners[ref] = 1000 + decision.new
    again = plan(arrivals, owners)
    assert all(decision.kind == "skip" for decision in again)


@given(threads())
def test_a_reply_lands_on_an_item_added_before_it(arrivals: list[Incoming]) -> None:
    decisions = plan(arrivals, {})
    for index, decision in enumerate(decisions):
        if decision.kind == "reply":
            assert decision.new is not None
            assert decision.new < index
            assert decisions[decision.new].kind == "add"


# --- any mail at all --------------------------------------------------------------------------

_HEADERS = st.sampled_from(
    [
        b"From: ",
        b"Subject: ",
        b"Date: ",
        b"Message-ID: ",
        b"In-Reply-To: ",
        b"References: ",
        b"Content-Type: ",
        b"Content-Transfer-Encoding: ",
        b"Content-Disposition: ",
    ]
)


@st.composite
def odd_mail(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(st.tuples(_HEADERS, st.binary(max_size=40)), max_size=8))
    body = draw(st.binary(max_size=200))
    return b"".join(name + value.replace(b"\n", b" ") + b"\n" for name, value in headers) + (
        b"\n" + body
    )


@given(odd_mail())
def test_any_mail_is_read_without_failing(data: bytes) -> None:
    from techqueue.core.intake import IntakeSettings
    from techqueue.core.mail import mail_arrival

    mail = mail_arrival(data, IntakeSettings(), "odd")
    assert mail.title
    assert mail.ref is not None
    assert mail.ref not in mail.replies_to
    for text in (mail.note or "", mail.title, mail.requester_name or ""):
        assert all(char in "\n\t" or char.isprintable() or not char.isascii() for char in text)
    assert mail_arrival(data, IntakeSettings(), "again") == mail.__class__(
        **{**{f: getattr(mail, f) for f in mail.__dataclass_fields__}, "where": "again"}
    )
