"""The headless commands (`python -m app …`): the parser, the dispatch, `site check` and the
self-test (cli); what the commands share (common); one module per command family (check,
consent, media, history)."""
