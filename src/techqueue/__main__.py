import sys

from techqueue.warm.client import run

sys.exit(run())
