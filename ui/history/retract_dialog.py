"""The question before a post is retracted everywhere: why (kept in the history), with the
reminder that what was online may already have been seen. Opened without blocking the window, so
the page keeps working while it is open and a test can answer it as a user does."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui import accessibility


class RetractDialog(QDialog):
    """`reason_given(reason)` once the user confirms with a reason; nothing when cancelled."""

    reason_given = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Bericht intrekken"))
        layout = QVBoxLayout(self)
        self.question = QLabel(
            _(
                "Waarom trek je dit bericht in? De reden wordt bewaard in de geschiedenis.\n"
                "Let op: wat online stond kan al gezien of gekopieerd zijn (Communiceren 9)."
            )
        )
        self.question.setWordWrap(True)
        self.question.setMinimumWidth(440)
        layout.addWidget(self.question)
        self.reason_edit = QLineEdit()
        accessibility.name(self.reason_edit, _("Reden van het intrekken"))
        self.question.setBuddy(self.reason_edit)
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox()
        self.retract_button = buttons.addButton(
            _("Intrekken"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.retract_button.setDefault(True)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # Without a reason there is nothing to keep in the history: the button waits for one.
        self.retract_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda text: self.retract_button.setEnabled(bool(text.strip()))
        )
        self.accepted.connect(lambda: self.reason_given.emit(self.reason_edit.text().strip()))
