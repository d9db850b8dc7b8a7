"""What a user sees, gathered, and a check that none of it is meant for developers: exception
names, Python reprs, quoted identifiers, or English sentences. Shared by the failure tests of
publishing, signing in and importing."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

DEVELOPER_TEXT = re.compile(
    r"'[^'\s]*'|\"[^\"\s]*\"|\b\w*(Error|Exception)\b|Traceback|\bNone\b|connector|network\b"
    r"|unable to|database file|<\w+[ .][^>]*>|\b\w+\(\)|\berrno\b"
)
# Words that occur in English sentences and not in Dutch ones (nor in the names of the demo's
# schools and accounts): enough of them to catch a provider's or the system's own message.
ENGLISH = re.compile(
    r"\b(the|and|with|not|could|cannot|can't|failed|please|invalid|unknown|error|unable|found"
    r"|must|should|this|that|from|your|you|denied|refused|timed|reset|connection|internal"
    r"|server|password|identifier|required|permission|directory|such)\b",
    re.IGNORECASE,
)


def developer_text(text: str) -> str:
    """The part of `text` meant for developers or written in English, or ""."""
    found = DEVELOPER_TEXT.search(text) or ENGLISH.search(text)
    return found.group(0) if found else ""


def assert_dutch_only(texts: list[str]) -> None:
    for text in texts:
        assert not developer_text(text), (developer_text(text), text)


def texts_in(widget: QWidget) -> list[str]:
    """The texts of the labels and buttons shown in `widget` (itself included)."""
    texts = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget.window()) and child is not widget:
            continue
        if isinstance(child, QLabel | QAbstractButton):
            texts.append(child.text())
    return [t for t in texts if t.strip()]


def shown_everywhere() -> list[str]:
    """Every text on every window shown now: labels, buttons, message boxes (their details too)
    and status bars."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts += texts_in(top)
        if isinstance(top, QMessageBox):
            texts += [top.text(), top.informativeText(), top.detailedText()]
        if isinstance(top, QMainWindow):
            texts.append(top.statusBar().currentMessage())
    return [t for t in texts if t and t.strip()]
