"""Asks the handle (when the site configuration does not name it) and an app password for Bluesky.

The dialog says how to make an app password and that the ordinary password is not wanted: an app
password cannot change the account or its settings, and the user can withdraw it in Bluesky.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.site.config import Account
from ui.dialog_parts import hint_label, save_cancel


class BlueskySignInDialog(QDialog):
    def __init__(self, account: Account, parent: QWidget | None = None):
        super().__init__(parent)
        self.account = account
        self.setWindowTitle(_("Aanmelden bij Bluesky"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Maak in Bluesky een app-wachtwoord aan voor Postwijs (Instellingen, Privacy en beveiliging, App-wachtwoorden) en vul het hieronder in. Gebruik niet je gewone wachtwoord."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.handle_edit = QLineEdit(account.handle)
        self.handle_edit.setPlaceholderText(_("bijvoorbeeld school.bsky.social"))
        # The site configuration names the school's accounts; only a staff member's own account
        # may need its name typed.
        self.handle_edit.setReadOnly(bool(account.handle))
        form.addRow(_("Account:"), self.handle_edit)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("xxxx-xxxx-xxxx-xxxx")
        form.addRow(_("App-wachtwoord:"), self.password_edit)
        layout.addLayout(form)
        layout.addWidget(
            hint_label(
                _(
                    "Postwijs bewaart het app-wachtwoord alleen in de wachtwoordkluis van deze computer."
                )
            )
        )
        buttons, self.sign_in_button = save_cancel(self, _("Aanmelden"), self.accept)
        layout.addWidget(buttons)
        self.handle_edit.textChanged.connect(self._update)
        self.password_edit.textChanged.connect(self._update)
        self._update()
        (self.password_edit if account.handle else self.handle_edit).setFocus()

    def _update(self) -> None:
        self.sign_in_button.setEnabled(
            bool(self.handle_edit.text().strip()) and bool(self.password_edit.text().strip())
        )

    def handle(self) -> str:
        return self.handle_edit.text().strip()

    def app_password(self) -> str:
        return self.password_edit.text()

    def forget_password(self) -> None:
        """Clears the typed password once it has been handed over."""
        self.password_edit.clear()
