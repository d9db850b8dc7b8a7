"""The Postwijs icon, drawn in code: no image file to find in the packaged app."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 64, 128):
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#1f3b57"))
        painter.setPen(QColor("#1f3b57"))
        painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
        painter.setPen(QColor("white"))
        font = QFont("DejaVu Sans")
        font.setBold(True)
        font.setPixelSize(int(size * 0.7))
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, size, size), 0x84, "P")  # AlignCenter
        painter.end()
        icon.addPixmap(pixmap)
    return icon
