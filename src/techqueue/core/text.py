"""Text for people: user text made safe to show, and counted words said right."""

from __future__ import annotations

import unicodedata

__all__ = ["clean_text"]


def clean_text(text: str) -> str:
    """Collapse whitespace and drop control characters, so stored text cannot repaint a screen."""
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) != "Cc"
    )
    return " ".join(kept.split())
