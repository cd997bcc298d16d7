"""The footer of keys, rebuilt only when the keys it would show have changed.

Textual's ``Footer`` takes down and mounts again every one of its keys whenever the screen's
bindings are refreshed: at each change of focus, and each time a dialog closes. The keys are
nearly always the same ones, yet rebuilding them took about 14 ms of the ~50 ms it took to
get back to the queue from quick-add; this footer compares what it would show first.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["KeysFooter"]


class KeysFooter(Footer):
    """A ``Footer`` that keeps its keys while the screen's bindings stay the same."""

    def __init__(self) -> None:
        super().__init__()
        #: What the keys were built from, when they were last built.
        self._built_from: Hashable | None = None

    def _shown(self) -> Hashable:
        """Everything about the active bindings that the keys are drawn from."""
        return tuple(
            (
                name,
                binding.key,
                self.app.get_key_display(binding),
                binding.action,
                binding.description,
                binding.show,
                binding.group,
                enabled,
                tooltip,
            )
            for name, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )

    def compose(self) -> ComposeResult:
        shown, built = self._shown(), False
        for key in super().compose():  # none until the screen's bindings are first known
            built = True
            yield key
        self._built_from = shown if built else None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if (
            self._built_from is not None
            and self.is_attached
            and screen is self.screen
            and self._shown() == self._built_from
        ):
            return
        super().bindings_changed(screen)
