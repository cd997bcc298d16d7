import sys

from techqueue.cli import run

sys.exit(run())
