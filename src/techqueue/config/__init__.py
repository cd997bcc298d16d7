"""The config file: where it is read, validated (once per change) and cached.

``techqueue.config.loader`` loads settings without pydantic on a short command;
``techqueue.config.model`` is the typed, documented pydantic model behind the validation, the
generated ``docs/config.md`` (``python -m techqueue.config``) and ``techqueue config``.
"""

from techqueue.config.loader import ConfigError, load

__all__ = ["ConfigError", "load"]
