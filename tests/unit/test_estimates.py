"""Estimates from history (issue 6): the median of similar finished jobs, with its sample size.

Items are small frozen dataclasses that fit :class:`techqueue.core.estimates.Estimable`; the history
is a plain list of :class:`PastJob`. Nothing here reads the clock, a file or the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techqueue.core.estimates import Estimate, History, PastJob, estimate_of, title_words
from techqueue.scoring import SEVERITIES, PerSeverity, Weights
from techqueue.views.ranking import with_learned_estimates

WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class Item:
    """An item to estimate; the defaults are an unestimated normal item with no requester."""

    title: str = ""
    tags: tuple[str, ...] = ()
    requester: str | None = None
    severity: str = "normal"
    estimate_minutes: float | None = None
    estimate_source: str | None = None
    estimate_samples: int = 0


def in_effect(history: History, item: Item, weights: Weights = WEIGHTS) -> Estimate:
    """The estimate the app and the command line use: learned, then read with its source."""
    [learned] = with_learned_estimates([item], history)  # type: ignore[list-item]
    return estimate_of(learned, weights)


def job(
    title: str = "", minutes: float = 30.0, *tags: str, requester: str | None = None
) -> PastJob:
    return PastJob(title=title, tags=tags, requester=requester, minutes=minutes)


# --- title words ---------------------------------------------------------------------------


def test_title_words_lower_case_without_stopwords_or_single_letters() -> None:
    assert title_words("The Printer on 3rd floor is NOT working") == {
        "printer",
        "3rd",
        "floor",
        "working",
    }
    assert title_words("a I x") == frozenset()


def test_title_words_fold_a_trailing_plural() -> None:
    assert title_words("printers") == {"printer"}
    assert title_words("Printers.") == {"printer"}
    assert title_words("e-mails") == {"e-mail"}


def test_title_words_keep_double_s_and_short_words() -> None:
    # "access" is not a plural; "vms" and "pcs" are too short to fold (3 letters).
    assert title_words("access class vms pcs") == {"access", "class", "vms", "pcs"}


def test_title_words_strip_punctuation_at_the_ends() -> None:
    assert title_words("'vpn' -- wifi... +outlook+") == {"vpn", "wifi", "outlook"}


def test_title_words_of_an_empty_or_all_stopword_title_are_empty() -> None:
    assert title_words("") == frozenset()
    assert title_words("Please help, it is still not working again?") == {"working"}
    assert title_words("please help again") == frozenset()


def test_title_words_possessive_meets_the_plain_word() -> None:
    assert title_words("Printer's tray jammed") == {"printer", "tray", "jammed"}


def test_title_words_keep_non_ascii_words_whole() -> None:
    assert title_words("Drucker im Büro") == {"drucker", "im", "büro"}


@given(st.text(max_size=80))
@settings(max_examples=150)
def test_title_words_are_lower_case_and_at_least_two_characters(title: str) -> None:
    for word in title_words(title):
        assert len(word) >= 2
        assert word == word.lower()
        assert word[0].isalnum()


# --- Estimate ------------------------------------------------------------------------------


def test_estimate_describes_its_source() -> None:
    assert Estimate(30.0, "history", 6).describe() == "~30 min, from 6 similar"
    assert Estimate(5.0, "given").describe() == "5 min, your estimate"
    assert Estimate(20.0, "default").describe() == "~20 min, default for its severity"
    assert Estimate(90.0, "history", 1).basis == "from 1 similar"


# --- similarity ----------------------------------------------------------------------------


def test_a_shared_tag_alone_is_similar_enough() -> None:
    history = History([job("replace toner cartridge", 12.0, "printer")])
    assert history.similar(Item("paper jam", tags=("printer",))) == history.jobs


def test_tags_are_compared_exactly() -> None:
    history = History([job("replace toner", 12.0, "printer")])
    assert history.similar(Item("paper jam", tags=("Printer",))) == []


def test_half_the_title_words_are_similar_enough() -> None:
    history = History([job("Outlook crashes on start", 10.0)])
    # {outlook, crashe, start} vs {outlook, crashe}: Jaccard 2/3.
    assert len(history.similar(Item("outlook crashes"))) == 1
    # {outlook, crashe, start} vs {outlook, calendar, sync, broken}: Jaccard 1/6.
    assert history.similar(Item("Outlook calendar sync broken")) == []


def test_exactly_half_the_title_words_is_the_threshold() -> None:
    history = History([job("vpn drops", 10.0)])
    # {vpn, drop} vs {vpn, slow}: Jaccard 1/3 -> 0.67 points, not enough.
    assert history.similar(Item("vpn slow")) == []
    # {vpn, drop} vs {vpn, drop, hourly, laptop}: Jaccard 1/2 -> exactly 1 point.
    assert len(history.similar(Item("vpn drops hourly laptop"))) == 1


def test_plural_folding_lets_printers_meet_printer() -> None:
    history = History([job("printers offline", 15.0)])
    assert len(history.similar(Item("Printer offline"))) == 1


def test_stopwords_do_not_make_titles_similar() -> None:
    history = History([job("please help with the thing", 15.0)])
    assert history.similar(Item("please help with the laptop")) == []
    # A stopword-only title shares nothing with anything.
    assert history.similar(Item("please help me")) == []


def test_the_same_requester_alone_is_not_enough() -> None:
    history = History([job("printer jam", 15.0, "printer", requester="Alice")])
    assert history.similar(Item("new monitor", tags=("hardware",), requester="Alice")) == []
    assert history.similar(Item("", requester="alice")) == []


def test_the_same_requester_completes_a_partial_title_match() -> None:
    history = History([job("vpn drops", 10.0, requester="Alice B")])
    # Jaccard 1/3 (0.67 points) + same requester (0.5) >= 1.
    assert len(history.similar(Item("vpn slow", requester="alice b"))) == 1
    assert history.similar(Item("vpn slow", requester="Bob")) == []
    assert history.similar(Item("vpn slow")) == []


def test_requester_match_ignores_case() -> None:
    history = History([job("vpn drops", 10.0, requester="ŁUCJA")])
    assert len(history.similar(Item("vpn slow", requester="łucja"))) == 1


def test_similar_returns_jobs_in_history_order_without_duplicates() -> None:
    jobs = [
        job("printer jam", 5.0, "printer"),
        job("monitor flicker", 7.0, "screen"),
        job("printer toner", 9.0, "printer"),
    ]
    history = History(jobs)
    # The item shares both the tag and a title word with each printer job.
    assert history.similar(Item("printer jam", tags=("printer",))) == [jobs[0], jobs[2]]


# --- learned figures -----------------------------------------------------------------------


def test_estimate_is_the_median_with_the_sample_count() -> None:
    history = History([job("printer jam", m, "printer") for m in (10, 50, 30, 20, 40, 35)])
    estimate = in_effect(history, Item("paper stuck", tags=("printer",)), WEIGHTS)
    assert estimate == Estimate(32.0, "history", 6)  # median of 6 figures: (30 + 35) / 2 = 32.5
    assert estimate.describe() == "~32 min, from 6 similar"


def test_a_single_similar_job_gives_its_own_time() -> None:
    history = History([job("reset password", 4.0, "account")])
    assert history.learned(Item("locked out", tags=("account",))) == (4.0, 1)


@pytest.mark.parametrize(
    ("minutes", "rounded"),
    [
        (0.1, 0.5),  # never below half a minute
        (0.74, 0.5),
        (0.76, 1.0),
        (3.3, 3.5),
        (9.74, 9.5),
        (9.8, 10.0),
        (10.4, 10.0),
        (37.6, 38.0),
        (59.4, 59.0),
        (61.0, 60.0),
        (63.0, 65.0),
        (87.0, 85.0),
        (241.0, 240.0),
    ],
)
def test_learned_figures_are_rounded_the_way_people_say_them(
    minutes: float, rounded: float
) -> None:
    history = History([job("vpn", minutes, "network")])
    assert history.learned(Item("vpn", tags=("network",))) == (rounded, 1)


def test_an_own_estimate_wins_over_history() -> None:
    history = History([job("printer jam", 30.0, "printer")])
    item = Item("printer jam", tags=("printer",), estimate_minutes=5.0)
    assert in_effect(history, item) == Estimate(5.0, "given", 0)


@pytest.mark.parametrize("severity", SEVERITIES)
def test_without_similar_work_the_severity_default_applies(severity: str) -> None:
    weights = Weights(
        default_estimate_minutes=PerSeverity(critical=60.0, high=40.0, normal=25.0, low=10.0)
    )
    history = History([job("printer jam", 30.0, "printer")])
    estimate = in_effect(history, Item("new starter laptop", severity=severity), weights)
    assert estimate == Estimate(weights.default_estimate_minutes[severity], "default", 0)


def test_an_empty_history_falls_back_to_the_default() -> None:
    history = History([])
    assert len(history) == 0
    assert history.learned(Item("printer jam", tags=("printer",))) is None
    assert in_effect(history, Item("printer jam"), WEIGHTS) == Estimate(20.0, "default")


def test_zero_and_negative_minute_jobs_are_ignored() -> None:
    history = History(
        [
            job("printer jam", 0.0, "printer"),
            job("printer jam", -5.0, "printer"),
            job("printer jam", 12.0, "printer"),
        ]
    )
    assert len(history) == 1
    assert history.learned(Item("printer jam", tags=("printer",))) == (12.0, 1)


def test_only_zero_minute_jobs_mean_no_history() -> None:
    history = History([job("printer jam", 0.0, "printer")])
    estimate = in_effect(history, Item("printer jam", tags=("printer",)), WEIGHTS)
    assert estimate.source == "default"


def test_the_cache_answers_like_a_fresh_history() -> None:
    jobs = [
        job("printer jam", 10.0, "printer", requester="Alice"),
        job("vpn drops", 40.0, "network", requester="Bob"),
        job("vpn slow", 20.0, requester="Alice"),
    ]
    cached = History(jobs)
    items = [
        Item("printer jam", tags=("printer",)),
        Item("vpn slow", requester="ALICE"),
        Item("vpn slow", requester="alice"),  # the same cache key as the one before
        Item("vpn slow", requester="Bob"),  # same words and tags, another requester
        Item("Printers JAM", tags=("printer",)),  # the same title words as the first
        Item("nothing alike"),
    ]
    first = [cached.learned(item) for item in items]
    again = [cached.learned(item) for item in items]
    fresh = [History(jobs).learned(item) for item in items]
    assert first == again == fresh
    assert first[0] == first[4] == (10.0, 1)
    assert first[1] == first[2] == (20.0, 1)  # vpn drops is Bob's and only a partial match
    assert first[3] == (30.0, 2)  # Bob's vpn drops counts for Bob, + vpn slow (title)
    assert first[5] is None


# --- properties ----------------------------------------------------------------------------

_words = st.sampled_from(
    ["printer", "printers", "vpn", "outlook", "laptop", "the", "please", "wifi", "screen", "jam"]
)
_titles = st.lists(_words, max_size=5).map(" ".join)
_tags = st.lists(st.sampled_from(["printer", "network", "account", "hardware"]), max_size=2)
_requesters = st.sampled_from([None, "", "Alice", "alice", "Bob", "Łucja"])


@st.composite
def past_jobs(draw: st.DrawFn) -> PastJob:
    return PastJob(
        title=draw(_titles),
        tags=tuple(draw(_tags)),
        requester=draw(_requesters),
        minutes=draw(st.floats(-10.0, 43200.0, allow_nan=False)),
    )


@st.composite
def items(draw: st.DrawFn) -> Item:
    return Item(
        title=draw(_titles),
        tags=tuple(draw(_tags)),
        requester=draw(_requesters),
        severity=draw(st.sampled_from(SEVERITIES)),
        estimate_minutes=draw(st.none() | st.floats(1 / 60, 43200.0)),
    )


@given(st.lists(past_jobs(), max_size=12), st.lists(items(), min_size=1, max_size=4))
@settings(max_examples=150)
def test_every_estimate_is_positive_with_a_known_source(
    jobs: list[PastJob], queue: list[Item]
) -> None:
    history = History(jobs)
    for item in queue:
        estimate = in_effect(history, item)
        assert estimate.minutes > 0
        assert estimate.source in {"given", "history", "default"}
        assert (estimate.samples > 0) == (estimate.source == "history")
        if item.estimate_minutes is not None:
            assert estimate == Estimate(item.estimate_minutes, "given")
        elif estimate.source == "history":
            assert estimate.samples == len(history.similar(item)) <= len(history)
            similar = [past.minutes for past in history.similar(item)]
            # Rounding moves a figure by at most 2.5 minutes (or up to the 0.5-minute floor).
            assert min(similar) - 2.5 <= estimate.minutes <= max(max(similar) + 2.5, 0.5)
        else:
            assert history.similar(item) == []
            assert estimate.minutes == WEIGHTS.default_estimate_minutes[item.severity]


@given(st.lists(past_jobs(), max_size=12), items())
@settings(max_examples=100)
def test_similarity_needs_a_shared_tag_or_title_word(jobs: list[PastJob], item: Item) -> None:
    for past in History(jobs).similar(item):
        assert past.minutes > 0
        assert set(past.tags) & set(item.tags) or title_words(past.title) & title_words(item.title)


def test_the_copies_kept_between_rankings_are_what_learning_again_gives() -> None:
    """with_learned_estimates keeps what it made for a history (an app re-ranks the same
    records after every action): the same record gets the same copy, a changed record a
    new one, and a new history learns afresh."""
    learn: Any = with_learned_estimates  # the test's items stand in for records
    history = History([job("printer jam", 10.0), job("printer jam", 30.0), job("vpn", 5.0)])
    printer, vpn, given = Item("printer jam"), Item("vpn down"), Item("x", estimate_minutes=3)
    first = learn([printer, vpn, given], history)
    again = learn([printer, vpn, given], history)
    assert again == first
    assert again[0] is first[0]
    assert first[0].estimate_minutes == 20.0
    assert first[2] is given
    changed = Item("vpn down", tags=("printer",))
    [after] = learn([changed], history)
    assert after.estimate_minutes == learn([changed], History(history.jobs))[0].estimate_minutes
    fresh = History([job("printer jam", 90.0)])
    assert learn([printer], fresh)[0].estimate_minutes == 90.0


@given(
    st.lists(past_jobs(), max_size=10),
    st.lists(past_jobs(), max_size=4),
    st.integers(0, 10),
    st.lists(items(), min_size=1, max_size=8),
)
@settings(max_examples=200)
def test_answers_taken_from_an_earlier_history_are_what_learning_again_gives(
    jobs: list[PastJob], added: list[PastJob], dropped: int, queue: list[Item]
) -> None:
    """A history of other jobs (some finished since, the oldest gone) takes only the answers
    its changed jobs cannot touch: every estimate is the one a fresh history gives."""
    before = History(jobs)
    for item in queue:
        before.learned(item)
    after_jobs = added + jobs[: max(len(jobs) - dropped, 0)]
    after = History(after_jobs)
    after.take_answers(before.answers(), before.jobs)
    fresh = History(after_jobs)
    assert [after.learned(item) for item in queue] == [fresh.learned(item) for item in queue]


def test_answers_about_the_jobs_that_changed_are_learned_again() -> None:
    before = History([job("printer jam", 10.0, "printer"), job("vpn down", 40.0)])
    asked = [Item("printer jam", tags=("printer",)), Item("vpn down"), Item("new laptop")]
    for item in asked:
        before.learned(item)
    after = History([job("printer jam", 30.0, "printer"), job("vpn down", 40.0)])
    taken = after.take_answers(before.answers(), before.jobs)
    assert taken == 2  # the vpn answer, and "nothing similar" for the laptop
    assert after.learned(asked[0]) == (30.0, 1)
    assert after.answers(asked_only=True).keys() == {("printer jam", ("printer",), None)}


@given(
    st.lists(
        st.floats(min_value=0, max_value=1e6, allow_nan=False) | st.integers(0, 10_000),
        min_size=1,
    )
)
def test_the_median_is_statistics_own(values: list[float]) -> None:
    """The estimates' median (``statistics`` is not imported for it) is ``statistics.median``
    to the bit, ints and floats alike."""
    import statistics

    from techqueue.core.estimates import _median

    ours, theirs = _median(values), statistics.median(values)
    assert ours == theirs
    assert type(ours) is type(theirs)
