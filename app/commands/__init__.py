"""The headless commands (`python -m app …`): the parser and dispatch (cli), one module per
command family."""
