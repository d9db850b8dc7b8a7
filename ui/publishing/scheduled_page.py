"""Gepland: the posts waiting for their moment, those held because something now blocks, and
accounts where Postwijs cannot check whether a post already went out: the user looks and says."""

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
from ui import accessibility, layouts
from ui.history.page import when


class ScheduledPage(QWidget):
    cancel_requested = Signal(str)
    edit_requested = Signal(str)
    reschedule_requested = Signal(str)
    # (target id, True when the user found the post on the account already)
    decided = Signal(str, bool)

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
        # It takes the focus so that long posts can be scrolled with the arrow keys.
        accessibility.name(scroll, _("Geplande berichten"))
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
        layouts.empty(self.list)
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
            layout.addWidget(
                QLabel(f"<b>{when(job.scheduled_at or job.created_at)}</b> · {accounts}")
            )
            text = QLabel(targets[0].final_text.split("\n\n— ")[0] if targets else "")
            text.setWordWrap(True)
            layout.addWidget(text)
            for t in targets:
                if t.state == outbox.ASK_USER:
                    self._ask(layout, t)
            if job.state not in (outbox.SCHEDULED, outbox.HELD):
                self.list.addWidget(card)
                self.cards.append(card)
                continue  # it has gone out (or may have): there is nothing to move or cancel
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

    def _ask(self, layout: QVBoxLayout, t: outbox.Target) -> None:
        """The post exactly as it was sent to this account, and the user's two answers."""
        question = QLabel(f"⚠ <b>{self._account_name(t.account_id)}</b>: {t.error or ''}")
        question.setObjectName("reason")
        question.setWordWrap(True)
        layout.addWidget(question)
        exact = QLabel(t.final_text)
        exact.setObjectName("hint")
        exact.setWordWrap(True)
        layout.addWidget(exact)
        answers = QHBoxLayout()
        absent = QPushButton(_("Het staat er niet: nu plaatsen"))
        absent.clicked.connect(lambda _c=False, tid=t.id: self.decided.emit(tid, False))
        there = QPushButton(_("Het staat er al: markeren als geplaatst"))
        there.clicked.connect(lambda _c=False, tid=t.id: self.decided.emit(tid, True))
        answers.addWidget(absent)
        answers.addWidget(there)
        answers.addStretch(1)
        layout.addLayout(answers)

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)
