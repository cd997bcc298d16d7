"""Reusable pieces of the full-screen app, each with its own DEFAULT_CSS."""

from techqueue.widgets.detail import DetailPane
from techqueue.widgets.keys_footer import KeysFooter
from techqueue.widgets.queue_table import QueueTable
from techqueue.widgets.reminders_pane import RemindersPane
from techqueue.widgets.status_line import StatusLine

__all__ = ["DetailPane", "KeysFooter", "QueueTable", "RemindersPane", "StatusLine"]
