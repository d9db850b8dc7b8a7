"""Gepland: the posts waiting for their moment, and those held because something now blocks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.publishing import outbox
from app.site.config import Site
from ui.history.page import when


class ScheduledPage(QWidget):
    cancel_requested = Signal(str)
    edit_requested = Signal(str)
    reschedule_requested = Signal(str)

    def __init__(
        self,
        site: Site,
        load: Callable[[], list[tuple[outbox.Job, list[outbox.Target]]]],
        parent=None,
    ):
        super().__init__(parent)
        self.site = site
        self.load = load
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        title = QLabel(_("Gepland"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        explain = QLabel(
            _(
                "Ingeplande berichten worden op hun moment nog een keer gecontroleerd. Blokkeert er dan"
                " iets (bijvoorbeeld een ingetrokken toestemming), dan wacht het bericht hier met de reden."
            )
        )
        explain.setObjectName("hint")
        explain.setWordWrap(True)
        outer.addWidget(explain)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.list = QVBoxLayout(inner)
        self.list.setContentsMargins(0, 0, 0, 0)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self.cards: list[QFrame] = []

    def _account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name
        except KeyError:
            return account_id

    def reload(self) -> None:
        while self.list.count():
            item = self.list.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.cards = []
        entries = self.load()
        if not entries:
            empty = QLabel(
                _(
                    "Er staat niets gepland. Kies ‘Inplannen…’ onder je bericht om het later te plaatsen."
                )
            )
            empty.setObjectName("hint")
            empty.setWordWrap(True)
            self.list.addWidget(empty)
        for job, targets in entries:
            card = QFrame()
            card.setObjectName("previewCard")
            layout = QVBoxLayout(card)
            accounts = ", ".join(self._account_name(t.account_id) for t in targets)
            layout.addWidget(QLabel(f"<b>{when(job.scheduled_at)}</b> · {accounts}"))
            text = QLabel(targets[0].final_text.split("\n\n— ")[0] if targets else "")
            text.setWordWrap(True)
            layout.addWidget(text)
            if job.state == outbox.HELD:
                held = QLabel("✖ " + (job.held_reason or ""))
                held.setObjectName("reason")
                held.setWordWrap(True)
                layout.addWidget(held)
            buttons = QHBoxLayout()
            edit = QPushButton(_("Bewerken"))
            edit.setToolTip(
                _("Haalt het bericht terug naar Nieuw bericht om de tekst aan te passen.")
            )
            edit.clicked.connect(lambda _c=False, jid=job.id: self.edit_requested.emit(jid))
            buttons.addWidget(edit)
            move = QPushButton(_("Ander moment…"))
            move.clicked.connect(lambda _c=False, jid=job.id: self.reschedule_requested.emit(jid))
            cancel = QPushButton(_("Niet plaatsen"))
            cancel.clicked.connect(lambda _c=False, jid=job.id: self.cancel_requested.emit(jid))
            buttons.addWidget(move)
            buttons.addWidget(cancel)
            buttons.addStretch(1)
            layout.addLayout(buttons)
            self.list.addWidget(card)
            self.cards.append(card)
        self.list.addStretch(1)

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)
