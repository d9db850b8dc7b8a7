"""Emptying a layout whose rows are rebuilt from the model (a list of cards, a details pane)."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout, QLayoutItem


def empty(layout: QLayout) -> None:
    """Takes every item out of `layout` and deletes its widgets and inner layouts, later, as Qt
    asks: a widget may still be handling the click that led here."""
    while layout.count():
        _delete(layout.takeAt(0))


def _delete(item: QLayoutItem | None) -> None:
    if item is None:
        return
    widget = item.widget()
    if widget is not None:
        widget.deleteLater()
        return
    inner = item.layout()
    if inner is not None:
        empty(inner)
        inner.deleteLater()
