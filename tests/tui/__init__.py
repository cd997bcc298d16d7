"""Tests of the full-screen app, driven through Textual's Pilot."""
