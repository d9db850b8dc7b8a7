"""Asks IT for a token it made for an organisation page (LinkedIn today), for a network whose
sign-in needs an app secret Postwijs does not hold. The token goes only to the vault."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.site.config import Account


class TokenSignInDialog(QDialog):
    def __init__(self, account: Account, network: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.account = account
        self.setWindowTitle(_("Token plakken voor {network}").format(network=network))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Voor ICT-beheerders: maak in de ontwikkelaarsportal van {network} een toegangstoken voor de pagina {page} en plak het hieronder. Postwijs controleert het token en onthoudt wanneer het verloopt."
            ).format(network=network, page=account.name)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setAccessibleName(_("Toegangstoken"))
        form.addRow(_("Toegangstoken:"), self.token_edit)
        layout.addLayout(form)
        hint = QLabel(
            _("Postwijs bewaart het token alleen in de wachtwoordkluis van deze computer.")
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(
            _("Controleren en bewaren"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setObjectName("primary")
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.token_edit.textChanged.connect(self._update)
        self._update()
        self.token_edit.setFocus()

    def _update(self) -> None:
        self.sign_in_button.setEnabled(bool(self.token_edit.text().strip()))

    def token(self) -> str:
        return self.token_edit.text().strip()

    def forget_token(self) -> None:
        """Clears the pasted token once it has been handed over."""
        self.token_edit.clear()
