"""The full-screen app's screens."""

from techqueue.tui.screens.main import MainScreen

__all__ = ["MainScreen"]
