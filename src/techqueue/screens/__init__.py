"""The full-screen app's screens."""

from techqueue.screens.main import MainScreen

__all__ = ["MainScreen"]
