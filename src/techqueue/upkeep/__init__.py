"""Keeping the technician's data: backups, restoring one, the daily upkeep and the health
check.

The command line's ``backup``, ``restore`` and ``doctor`` and the full-screen app call these
same functions. Nothing here draws on a screen or parses a command line; the database is
reached through the store only (:meth:`~techqueue.store.Store.copy_to` and its kin), and the
judgement of what the health check finds is the pure :mod:`techqueue.core.health`.
"""

from __future__ import annotations

__all__: list[str] = []
