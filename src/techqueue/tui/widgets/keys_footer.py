"""The footer of keys, built once for each set of keys it shows.

Textual's ``Footer`` takes down and mounts again every one of its keys whenever the screen's
bindings are refreshed: at each change of focus, and each time a dialog closes. The keys are
nearly always the same ones, yet rebuilding them took about 14 ms of the ~50 ms it took to
get back to the queue from quick-add; this footer compares what it would show first.

At the app's start the bindings are refreshed twice before the first frame (the screen, then
the queue taking the focus), and ``Footer`` rebuilt its keys for each, each key styled three
times over (made compact, then not, by its binding to the footer's ``compact``): ~25 ms of
the first paint, now one build of keys made as the footer has them.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["KeysFooter"]


class KeysFooter(Footer):
    """A ``Footer`` that keeps its keys while the screen's bindings stay the same."""

    def __init__(self) -> None:
        super().__init__()
        #: What the keys were built from, when they were last built.
        self._built_from: Hashable | None = None
        #: A rebuild is waiting for the next refresh (the refreshes before it join it).
        self._rebuild_due = False

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
            if isinstance(key, FooterKey) and not key.has_class("-command-palette"):
                # Made as the footer has it (its binding to ``compact`` then changes nothing),
                # not made compact by default and restyled back when it is mounted. (The
                # command palette's key is not bound to it: it stays compact.)
                key.set_reactive(FooterKey.compact, self.compact)
            yield key
        self._built_from = shown if built else None

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        if self._rebuild_due or self._built_from == self._shown():
            return
        self._rebuild_due = True
        self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        """The keys built again from the bindings as they are by now, if they changed."""
        self._rebuild_due = False
        if self.is_attached and self._built_from != self._shown():
            await self.recompose()
