"""Asks why an account is suspended (Communiceren 12); the reason goes into the history."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _


class SuspendDialog(QDialog):
    def __init__(self, account_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Account schorsen"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        text = QLabel(
            _(
                "Na het schorsen plaatst Postwijs niets meer op {account}, ook geen geplande berichten, tot de schorsing is opgeheven. Waarom schors je dit account?"
            ).format(account=account_name)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(_("Bijvoorbeeld: ongepaste reactie geplaatst"))
        self.reason_edit.setAccessibleName(_("Reden"))
        reason_label = QLabel(_("Reden:"))
        reason_label.setBuddy(self.reason_edit)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox()
        self.suspend_button = buttons.addButton(
            _("Schorsen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.suspend_button.setEnabled(bool(self.reason()))

    def reason(self) -> str:
        return self.reason_edit.text().strip()
