"""What a person reads, composed once: the ranked queue with its forecast, one item in
detail, the review, the morning summary, the main screen's board and the interruption
advice. The command line renders them as text or JSON (:mod:`techqueue.views.text`,
:mod:`techqueue.views.json`), the app draws them; neither composes its own."""
