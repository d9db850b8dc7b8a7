"""The photos of one account's post as they will be posted, each with its description (alt text):
in the composer's preview per account and in the last confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from ui import layouts

PHOTO = QSize(112, 84)


@dataclass
class PostedPhoto:
    name: str  # "Foto 1", as the checks name it
    pixmap: QPixmap | None  # None while it is read, or for a video
    alt_text: str


class PhotoRow(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # One photo a line, its description beside it: a long description reads as a sentence.
        self.grid = QVBoxLayout(self)
        self.grid.setContentsMargins(0, 4, 0, 0)
        self.grid.setSpacing(6)
        self.captions: list[QLabel] = []
        self.images: list[QLabel] = []
        self._shown: list | None = None
        self.setVisible(False)

    def show_photos(self, photos: list[PostedPhoto]) -> None:
        shown = [(p.name, p.pixmap.cacheKey() if p.pixmap else 0, p.alt_text) for p in photos]
        if shown == self._shown:
            return
        self._shown = shown
        layouts.empty(self.grid)
        self.captions, self.images = [], []
        for photo in photos:
            cell = QWidget()
            column = QHBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(8)
            image = QLabel()
            image.setFixedSize(PHOTO)
            image.setAlignment(Qt.AlignmentFlag.AlignCenter)
            image.setStyleSheet("background: #e5e7eb;")
            if photo.pixmap is not None:
                image.setPixmap(photo.pixmap)
            else:
                image.setText(photo.name)
            image.setAccessibleName(photo.name)
            column.addWidget(image, 0, Qt.AlignmentFlag.AlignTop)
            alt = photo.alt_text.strip()
            caption = QLabel(
                f"{photo.name}: {alt}"
                if alt
                else _("{name}: nog geen beschrijving").format(name=photo.name)
            )
            caption.setTextFormat(Qt.TextFormat.PlainText)
            caption.setWordWrap(True)
            caption.setObjectName("hint" if alt else "errorText")
            column.addWidget(caption, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(cell)
            self.images.append(image)
            self.captions.append(caption)
        self.setVisible(bool(photos))
