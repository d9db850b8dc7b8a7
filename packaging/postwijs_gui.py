"""Frozen entry point of the windowed program."""

from app.__main__ import gui_main

gui_main()
