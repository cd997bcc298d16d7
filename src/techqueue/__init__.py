"""techqueue: what a solo IT technician should do next."""

__version__ = "0.1.0"
