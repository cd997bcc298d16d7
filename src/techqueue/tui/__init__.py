"""The full-screen app's parts: screens, dialogs and widgets, and the session that feeds
them from the store in worker threads. The App itself is :mod:`techqueue.app`."""
