"""The warm helper: the console script's first stop (:mod:`techqueue.warm.client`), and the
warm process short commands are handed to (:mod:`techqueue.warm.server`).

Above the command line in the layers: it runs :func:`techqueue.cli.main.main`, in this process
or in a child of the warm process; nothing imports it but the console script and
``python -m techqueue``. This package imports nothing itself (start-up time).
"""
