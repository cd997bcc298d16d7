"""The pure core: ranking's companions that read nothing but their arguments.

Time parsing, quick-add, estimates from history, the forecast, expectations, the
interruption advice, the working day, the morning summary and the review's arithmetic. No
module here does I/O, reads the clock (``now`` is always an argument), imports Textual or
talks SQL; ``tests/unit/test_import_hygiene.py`` proves it for each. Results are typed
(dataclasses), so the views above can render text and JSON from the same objects.
"""
