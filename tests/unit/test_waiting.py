"""Waiting on someone else, in the pure core: reading ``--on`` and writing it back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from techqueue.core.waiting import WAITING_KINDS, read_waiting_on, waiting_on_text


@pytest.mark.parametrize(
    ("said", "read"),
    [
        ("vendor:Acme", ("Acme", "vendor")),
        ("Vendor: Acme  Displays ", ("Acme Displays", "vendor")),
        ("colleague:Sam", ("Sam", "colleague")),
        ("Dana Reyes", ("Dana Reyes", "person")),
        ("Acme: support desk", ("Acme: support desk", "person")),
        ("person:vendor:X", ("vendor:X", "person")),
    ],
)
def test_read_waiting_on(said: str, read: tuple[str, str]) -> None:
    assert read_waiting_on(said) == read


@pytest.mark.parametrize("said", ["", "  ", "vendor:", "colleague:  ", "x" * 201])
def test_nobody_or_too_long_is_refused(said: str) -> None:
    with pytest.raises(ValueError, match=r"say who|too long"):
        read_waiting_on(said)


_names = (
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40)
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)


@given(who=_names, kind=st.sampled_from(WAITING_KINDS))
def test_writing_it_back_reads_the_same(who: str, kind: str) -> None:
    assert read_waiting_on(waiting_on_text(who, kind)) == (who, kind)
