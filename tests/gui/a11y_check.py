"""Generic checks of what a keyboard or screen-reader user meets in a window: every control has an
accessible name, a label that describes an input is its buddy, and Tab / Shift+Tab walk every
control once and leave tables and editors. They know no widget of Postwijs by name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QAbstractItemView)
INTERACTIVE = (QAbstractButton, *INPUTS)
# A window's focus chain is walked at most this many steps: more means Tab never comes back.
MOST_STEPS = 400


def describe(widget: QWidget) -> str:
    kind = type(widget).__name__
    name = widget.objectName()
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel | QLineEdit) else ""
    return f"{kind}{'#' + name if name else ''}{' ' + repr(text[:40]) if text else ''}"


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.isVisible() and widget.isEnabled()


def _owner(widget: QWidget) -> QWidget:
    """The control a focused part belongs to (a date field's inner line edit is the date field)."""
    parent = widget.parentWidget()
    while parent is not None and (
        parent.focusProxy() is widget
        or (isinstance(parent, QComboBox | QAbstractSpinBox) and parent.lineEdit() is widget)
    ):
        widget, parent = parent, parent.parentWidget()
    return widget


def focusable(top: QWidget) -> list[QWidget]:
    """The controls Tab should reach, in no particular order."""
    found = []
    for widget in top.findChildren(QWidget):
        if widget.window() is not top or not _shown(widget, top):
            continue
        if widget.focusProxy() is not None or isinstance(widget, QScrollBar):
            continue
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and _owner(widget) not in found:
            found.append(_owner(widget))
    return found


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def unnamed(top: QWidget) -> list[str]:
    """Focusable or interactive widgets a screen reader would announce without a name."""
    problems = []
    seen = set(focusable(top))
    for widget in top.findChildren(QWidget):
        if (
            widget.window() is top
            and isinstance(widget, INTERACTIVE)
            and _shown(widget, top)
            and not isinstance(widget, QScrollBar)
            and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        ):
            seen.add(_owner(widget))
    for widget in seen:
        if isinstance(widget, QTabBar):
            missing = [i for i in range(widget.count()) if not widget.tabText(i).strip()]
            if missing:
                problems.append(f"{describe(widget)}: tabs without a name {missing}")
        elif not accessible_name(widget):
            problems.append(f"{describe(widget)}: no accessible name")
    return sorted(problems)


def _layout_holding(layout: QLayout, widget: QWidget) -> tuple[QLayout, int] | None:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is widget:
            return layout, index
        if item.layout() is not None:
            found = _layout_holding(item.layout(), widget)
            if found is not None:
                return found
    return None


def _first_input(item) -> QWidget | None:
    if item is None:
        return None
    widget = item.widget()
    if widget is not None:
        if isinstance(widget, INTERACTIVE):
            return widget
        return None
    if item.layout() is not None and item.layout().count():
        return _first_input(item.layout().itemAt(0))
    return None


def described_input(label: QLabel) -> QWidget | None:
    """The input a label ending in a colon stands before (beside it in a form, or next in a row)."""
    parent = label.parentWidget()
    if parent is None or parent.layout() is None:
        return None
    found = _layout_holding(parent.layout(), label)
    if found is None:
        return None
    layout, index = found
    if isinstance(layout, QFormLayout):
        row, role = layout.getItemPosition(index)
        if role == QFormLayout.ItemRole.LabelRole:
            return _first_input(layout.itemAt(row, QFormLayout.ItemRole.FieldRole))
    if index + 1 < layout.count():
        return _first_input(layout.itemAt(index + 1))
    return None


def labels_without_buddy(top: QWidget) -> list[str]:
    problems = []
    for label in top.findChildren(QLabel):
        if label.window() is not top or not _shown(label, top):
            continue
        if not label.text().strip().endswith(":") or label.buddy() is not None:
            continue
        target = described_input(label)
        if target is not None and target.isVisible():
            problems.append(f"{describe(label)} describes {describe(target)} but is not its buddy")
    return sorted(problems)


def _focus() -> QWidget | None:
    widget = QApplication.focusWidget()
    return _owner(widget) if widget is not None else None


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def tab_walk(top: QWidget, backwards: bool = False) -> tuple[list[QWidget], list[str]]:
    """Presses Tab (or Shift+Tab) from the window's first control until the focus is back there.
    Gives the controls in the order met, and what went wrong: a control that keeps the focus (a
    trap), one that Tab never reaches, or one it meets twice in a round."""
    top.activateWindow()
    _settle()
    chain = focusable(top)
    if len(chain) < 2:
        return chain, []
    start = top.focusWidget()
    start = _owner(start) if start is not None and start in chain else None
    if start is None:
        widget = top.nextInFocusChain()
        while widget is not top and (widget not in chain):
            widget = widget.nextInFocusChain()
        start = widget if widget in chain else chain[0]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    _settle()
    start = _focus() or start
    order: list[QWidget] = [start]
    problems: list[str] = []
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    for _step in range(MOST_STEPS):
        before = QApplication.focusWidget()
        if before is None:
            problems.append(f"the focus left the window after {describe(order[-1])}")
            break
        QTest.keyClick(before, key, modifier)
        _settle()
        now = _focus()
        if now is None or now.window() is not top:
            problems.append(f"the focus left the window after {describe(order[-1])}")
            break
        if now is order[-1]:
            problems.append(f"{describe(now)} keeps the focus: Tab does not leave it")
            break
        if now is start:
            break
        if now in order:
            problems.append(f"{describe(now)} is met twice in one round")
            break
        order.append(now)
    else:
        problems.append("Tab never came back to the first control")
    problems += [f"{describe(w)} is never reached by Tab" for w in chain if w not in order]
    return order, problems
