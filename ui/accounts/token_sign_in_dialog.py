"""Asks IT for a token it made for an organisation page (LinkedIn, a Facebook Page, an Instagram
account), for a network whose sign-in needs an app secret Postwijs does not hold. The token goes
only to the vault."""

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
from ui.dialog_parts import fit_height_to_text, hint_label, save_cancel

META_NETWORKS = frozenset({"facebook", "instagram"})


class TokenSignInDialog(QDialog):
    def __init__(self, account: Account, network: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.account = account
        self.setWindowTitle(_("Token plakken voor {network}").format(network=network))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        if account.network in META_NETWORKS:
            # Meta's long-lived tokens come from a system user in Business Manager, and Postwijs
            # cannot ask Meta when one ends (that needs the app secret).
            wording = _(
                "Voor ICT-beheerders: maak in Meta Bedrijfsbeheer een langlevende sleutel van een systeemgebruiker die {page} beheert (of de paginasleutel zelf) en plak die hieronder. Postwijs controleert de sleutel bij {network}."
            )
        else:
            wording = _(
                "Voor ICT-beheerders: maak in de ontwikkelaarsportal van {network} een toegangstoken voor de pagina {page} en plak het hieronder. Postwijs controleert het token en onthoudt wanneer het verloopt."
            )
        intro = QLabel(wording.format(network=network, page=account.name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setAccessibleName(_("Toegangstoken"))
        form.addRow(_("Toegangstoken:"), self.token_edit)
        layout.addLayout(form)
        layout.addWidget(
            hint_label(
                _("Postwijs bewaart het token alleen in de wachtwoordkluis van deze computer.")
            )
        )
        buttons, self.sign_in_button = save_cancel(self, _("Controleren en bewaren"), self.accept)
        layout.addWidget(buttons)
        self.token_edit.textChanged.connect(self._update)
        self._update()
        self.token_edit.setFocus()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The explanation wraps over more lines at the width the dialog gets than at the one
        # its size was guessed for: without this its first and last lines were cut off.
        fit_height_to_text(self)

    def _update(self) -> None:
        self.sign_in_button.setEnabled(bool(self.token_edit.text().strip()))

    def token(self) -> str:
        return self.token_edit.text().strip()

    def forget_token(self) -> None:
        """Clears the pasted token once it has been handed over."""
        self.token_edit.clear()
