"""Frozen entry point of the console program (headless commands; a windowed program cannot print)."""

from app.__main__ import cli_main

cli_main()
