"""``python -m techqueue.config``: print ``docs/config.md``, generated from the model."""

from techqueue.config.model import render_docs

print(render_docs(), end="")
