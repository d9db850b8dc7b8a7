"""A tick box's text in a label of its own: it wraps onto more lines where room is narrow (a tick
box's own text cannot), and a click on it ticks the box, as a click on a tick box's text does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy


class ToggleLabel(QLabel):
    def __init__(self, text: str, box: QCheckBox):
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)
        # As narrow as the room is: the words wrap instead of widening their list or dialog.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.toggle()
