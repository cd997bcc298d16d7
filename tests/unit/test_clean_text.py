"""``clean_text`` returns text that is already clean as it is (a listing cleans every title
and name): it must still clean exactly as the character-by-character walk does."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from techqueue.core.text import clean_text


def walked(text: str) -> str:
    """The cleaning, character by character, as it was written first."""
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) != "Cc"
    )
    return " ".join(kept.split())


@given(
    st.one_of(
        st.text(),
        st.text(st.sampled_from("ab \t\n\r\x1b\x7f\x85\xa0\u2028\u200b\u3000\u1680é")),
    )
)
@example("")
@example(" a")
@example("a ")
@example("a  b")
@example("a\u00a0b")
@example("a\x85b")
@example("Printer jammed on floor 2")
def test_clean_text_is_the_character_by_character_cleaning(text: str) -> None:
    assert clean_text(text) == walked(text)
