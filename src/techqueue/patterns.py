"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs a few hundred microseconds, and the modules every command imports
hold a dozen: a command that never parses a time or a tag (``done 12``) would pay for all of
them. Python keeps what ``re`` compiles only for the life of the process, so every command
would pay again.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["Pattern"]


class Pattern:
    """``re.compile(source, flags)``, compiled on the first match."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source, self._flags)
        return compiled

    def match(self, text: str, position: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, position)

    def findall(self, text: str) -> list[Any]:
        return self.compiled.findall(text)
