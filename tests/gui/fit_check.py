"""A generic check that every text on screen fits its widget: labels, buttons, check and radio
boxes, and table headers. It knows no widget of Postwijs by name."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QHeaderView, QLabel, QWidget

# Pixels of slack: style rounding, not a cut-off letter.
SLACK = 2
# A header section's text needs this much beside the text itself (margins, sort arrow room).
HEADER_PADDING = 8


def _name(widget: QWidget) -> str:
    kind = type(widget).__name__
    name = widget.objectName()
    return f"{kind}{'#' + name if name else ''}"


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def clipped_by(widget: QWidget) -> QWidget | None:
    """The ancestor that cuts part of `widget` off, if any: a widget wider or taller than its
    container is drawn only in part. A scroll area that can scroll that way does not count."""
    rect = _global_rect(widget)
    ancestor = widget.parentWidget()
    # Once inside an area that scrolls a way, what lies beyond its edges that way can be reached.
    sideways = upright = False
    while ancestor is not None:
        area = _global_rect(ancestor)
        holder = ancestor.parentWidget()
        if isinstance(holder, QAbstractScrollArea) and holder.viewport() is ancestor:
            off = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            sideways = sideways or holder.horizontalScrollBarPolicy() != off
            upright = upright or holder.verticalScrollBarPolicy() != off
        outside_x = rect.left() < area.left() - SLACK or rect.right() > area.right() + SLACK
        outside_y = rect.top() < area.top() - SLACK or rect.bottom() > area.bottom() + SLACK
        if (outside_x and not sideways) or (outside_y and not upright):
            return ancestor
        if ancestor.isWindow():
            return None
        ancestor = holder
    return None


def cut_off_texts(top: QWidget) -> list[str]:
    """What does not fit, one line each: which widget, its text, what it needs, what it has."""
    problems = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not _shown(widget):
            continue
        if isinstance(widget, QLabel) and widget.text().strip() and widget.pixmap().isNull():
            text = widget.text().strip()
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + SLACK:
                    problems.append(
                        f"{_name(widget)} {text[:60]!r}: needs height {needed}, has {widget.height()}"
                    )
            elif widget.sizeHint().width() > widget.width() + SLACK:
                problems.append(
                    f"{_name(widget)} {text[:60]!r}: needs width {widget.sizeHint().width()},"
                    f" has {widget.width()}"
                )
        elif isinstance(widget, QAbstractButton) and widget.text().strip():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + SLACK or hint.height() > widget.height() + SLACK:
                problems.append(
                    f"{_name(widget)} {widget.text()!r}: needs {hint.width()}x{hint.height()},"
                    f" has {widget.width()}x{widget.height()}"
                )
        if isinstance(widget, QLabel | QAbstractButton) and widget.text().strip():
            clipper = clipped_by(widget)
            if clipper is not None:
                problems.append(
                    f"{_name(widget)} {widget.text().strip()[:60]!r}: partly outside"
                    f" {_name(clipper)}"
                )
        if isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            model = widget.model()
            if model is None:
                continue
            problems += _columns_out_of_sight(widget)
            metrics = widget.fontMetrics()
            for section in range(widget.count()):
                if widget.isSectionHidden(section):
                    continue
                text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                needed = metrics.horizontalAdvance(text) + HEADER_PADDING
                if text and widget.sectionSize(section) + SLACK < needed:
                    problems.append(
                        f"table header {text!r}: needs {needed}, has {widget.sectionSize(section)}"
                    )
    return problems


def _columns_out_of_sight(header: QHeaderView) -> list[str]:
    """A table whose columns together are wider than its view shows only some of them: the
    rest of each line is behind a sideways scroll, out of sight while the line is read."""
    view = header.parentWidget()
    if not isinstance(view, QAbstractScrollArea) or not view.isVisible():
        return []
    sections = [s for s in range(header.count()) if not header.isSectionHidden(s)]
    total = sum(header.sectionSize(s) for s in sections)
    if total > view.viewport().width() + SLACK:
        model = header.model()
        names = [str(model.headerData(s, Qt.Orientation.Horizontal) or "") for s in sections]
        return [
            f"table {'/'.join(names)[:60]!r}: columns need {total}, view has"
            f" {view.viewport().width()}"
        ]
    return []


def fits_on_screen(window: QWidget, width: int, height: int) -> list[str]:
    if window.width() > width or window.height() > height:
        return [f"{_name(window)} is {window.width()}x{window.height()}, screen {width}x{height}"]
    return []
