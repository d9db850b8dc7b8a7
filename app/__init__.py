"""Postwijs core: plain Python, no Qt and no network code (see DESIGN.md, Layers)."""

__version__ = "0.1.0"
APP_NAME = "Postwijs"
APP_AUTHOR = "SCOH"
