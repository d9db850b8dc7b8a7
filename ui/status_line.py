"""The window's status line: a message wider than the window ends in "…" rather than being cut
off mid-word, and the whole of it is in the tooltip (and reaches screen readers in full)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizeGrip, QStatusBar

# Qt's own status bar leaves this much room either side of its message.
MARGIN = 6


class StatusLine(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.messageChanged.connect(self._explain)

    def shown_text(self) -> str:
        """The message as drawn: whole when it fits, else shortened to end in "…"."""
        return self.fontMetrics().elidedText(
            self.currentMessage(), Qt.TextElideMode.ElideRight, self._room()
        )

    def _text_rect(self) -> QRect:
        """Where the message goes: the line, short of the corner's size grip."""
        rect = self.contentsRect().adjusted(MARGIN, 0, -MARGIN, 0)
        grip = self.findChild(QSizeGrip)
        if grip is not None and grip.isVisible():
            rect.setRight(min(rect.right(), grip.x() - MARGIN))
        return rect

    def _room(self) -> int:
        return max(0, self._text_rect().width())

    def _explain(self, message: str) -> None:
        self.setToolTip(message if message and self.shown_text() != message else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._explain(self.currentMessage())

    def paintEvent(self, event) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(
            self._text_rect(),
            Qt.AlignmentFlag.AlignLeading
            | Qt.AlignmentFlag.AlignVCenter
            | Qt.TextFlag.TextSingleLine,
            self.shown_text(),
        )
