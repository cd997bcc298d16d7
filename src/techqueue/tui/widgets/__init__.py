"""Reusable pieces of the full-screen app, each with its own DEFAULT_CSS."""

from techqueue.tui.widgets.detail import DetailPane
from techqueue.tui.widgets.filter_input import FilterInput
from techqueue.tui.widgets.interrupt_banner import InterruptBanner
from techqueue.tui.widgets.keys_footer import KeysFooter
from techqueue.tui.widgets.queue_table import QueueTable
from techqueue.tui.widgets.reminders_pane import RemindersPane
from techqueue.tui.widgets.status_line import StatusLine

__all__ = [
    "DetailPane",
    "FilterInput",
    "InterruptBanner",
    "KeysFooter",
    "QueueTable",
    "RemindersPane",
    "StatusLine",
]
