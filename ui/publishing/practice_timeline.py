"""The practice timeline, shown the way a follower would see it, under a clear practice banner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.dutch_time import long_moment
from app.i18n import _
from connectors.practice import TimelinePost
from ui import accessibility


def _when(post: TimelinePost) -> str:
    return long_moment(post.published_at)


def _initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalpha() and w[:1].isupper()]
    return "".join(w[0] for w in words[-2:]) or name[:1].upper()


class PostCard(QFrame):
    def __init__(self, post: TimelinePost, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timelinePost")
        layout = QHBoxLayout(self)
        avatar = QLabel(_initials(post.account_name))
        avatar.setObjectName("avatar")
        avatar.setFixedSize(44, 44)
        avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(avatar, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        header = QLabel(
            f"<b>{post.account_name}</b> <span style='color:#6b7280'>· {_when(post)}</span>"
        )
        column.addWidget(header)
        self.text = QLabel(post.text)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.text)
        if post.media:
            from PySide6.QtGui import QPixmap

            row = QHBoxLayout()
            for path, alt in post.media:
                image = QLabel()
                pixmap = QPixmap(path)
                if not pixmap.isNull():
                    image.setPixmap(pixmap.scaled(180, 180, Qt.AspectRatioMode.KeepAspectRatio))
                image.setToolTip(alt or _("(geen beschrijving)"))
                image.setAccessibleName(alt)
                row.addWidget(image)
            row.addStretch(1)
            column.addLayout(row)
        layout.addLayout(column, 1)


class PracticeTimelinePage(QWidget):
    def __init__(self, read_posts: Callable[[], list[TimelinePost]], parent: QWidget | None = None):
        super().__init__(parent)
        self.read_posts = read_posts
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        banner = QLabel(
            "<b>"
            + _("Oefening – niet echt geplaatst")
            + "</b><br>"
            + _("Zo zien volgers je berichten. Niets op deze tijdlijn staat echt op internet.")
        )
        banner.setObjectName("practiceBanner")
        banner.setWordWrap(True)
        outer.addWidget(banner)
        title = QLabel(_("Oefentijdlijn"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        accessibility.name(scroll, _("Berichten op de oefentijdlijn"))
        self.inner = QWidget()
        self.list = QVBoxLayout(self.inner)
        self.list.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(self.inner)
        outer.addWidget(scroll, 1)
        self.cards: list[PostCard] = []
        self.empty = QLabel(
            _(
                "Nog niets geoefend. Schrijf een bericht bij Nieuw bericht en plaats het op een oefenaccount."
            )
        )
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        self.list.addWidget(self.empty)
        self.list.addStretch(1)

    def reload(self) -> None:
        for card in self.cards:
            self.list.removeWidget(card)
            card.deleteLater()
        self.cards = [PostCard(post) for post in self.read_posts()]
        for index, card in enumerate(self.cards):
            self.list.insertWidget(index, card)
        self.empty.setVisible(not self.cards)

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)
