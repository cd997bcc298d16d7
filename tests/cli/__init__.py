"""Tests of the command line: DESIGN.md's "The command line", run through the real entry point."""
