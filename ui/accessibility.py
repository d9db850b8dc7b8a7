"""What screen readers and keyboard users need from any widget of Postwijs: names, headings,
announcements, and a Tab key that leaves tables and editors (WCAG 2.2 AA, EN 301 549 ch. 11)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QAccessibleWidget,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

HEADING_PROPERTY = "postwijsHeading"
# The style's title labels (ui/style.py) are headings wherever they are used.
HEADING_NAMES = ("pageTitle", "sectionTitle")
# Qt keeps the interfaces the factory makes in its own cache; Python must keep them alive too.
_headings: dict[int, QAccessibleWidget] = {}


def name(widget: QWidget, text: str, description: str = "") -> QWidget:
    """The name a screen reader says for a control that shows no text of its own (a search field
    with only a placeholder, a list, a scroll area)."""
    widget.setAccessibleName(text)
    if description:
        widget.setAccessibleDescription(description)
    return widget


def label_for(label: QLabel, widget: QWidget) -> QLabel:
    """The label is read out as the input's name, and its mnemonic (&) jumps to the input."""
    label.setBuddy(widget)
    return label


class _Heading(QAccessibleWidget):
    def __init__(self, label: QLabel):
        super().__init__(label, QAccessible.Role.Heading)

    def text(self, kind):
        if kind == QAccessible.Text.Name:
            return self.widget().text()
        return super().text(kind)


def _heading_factory(_key: str, thing):
    if isinstance(thing, QLabel) and (
        thing.property(HEADING_PROPERTY) or thing.objectName() in HEADING_NAMES
    ):
        key = id(thing)
        interface = _Heading(thing)
        _headings[key] = interface
        thing.destroyed.connect(lambda *_args: _headings.pop(key, None))
        return interface
    return None


def heading(label: QLabel) -> QLabel:
    """A page or section title: screen readers list it as a heading, so users can jump to it."""
    label.setProperty(HEADING_PROPERTY, True)
    return label


_installed: list[bool] = []


def install() -> None:
    """When the application starts (once is enough): the heading role for titles."""
    if not _installed:
        QAccessible.installFactory(_heading_factory)
        _installed.append(True)


def set_language(language: str) -> None:
    """Qt's own texts and what assistive technology reads follow the app's language."""
    QLocale.setDefault(QLocale(language))


def leave_by_tab(*widgets: QWidget) -> None:
    """Tab and Shift+Tab move on to the next control instead of walking a table's cells or typing
    a tab character in an editor (arrow keys still move in a table)."""
    for widget in widgets:
        if isinstance(widget, QAbstractItemView):
            widget.setTabKeyNavigation(False)
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            widget.setTabChangesFocus(True)


def only_holds_controls(area: QAbstractScrollArea) -> QAbstractScrollArea:
    """A scroll area around buttons and fields need not take the focus itself: Tab goes to the
    controls in it and the area scrolls to show the one that has the focus."""
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


class _Announcements(QObject):
    """Every announcement, in order, as it is handed to the screen reader: Qt gives no way to
    read its accessibility events back in-process, and the tests hear what a user would."""

    said = Signal(str)


announcements = _Announcements()


def announce(widget: QWidget, message: str, assertive: bool = False) -> None:
    """Has a screen reader say `message` (politely: after what it is saying now), e.g. a status
    line that changes without the focus moving."""
    if not message:
        return
    announcements.said.emit(message)
    event = QAccessibleAnnouncementEvent(widget, message)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
