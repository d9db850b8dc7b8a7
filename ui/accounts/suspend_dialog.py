"""Asks why an account is suspended (Communiceren 12); the reason goes into the history."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.i18n import _
from ui.reason_dialog import ReasonDialog


class SuspendDialog(ReasonDialog):
    def __init__(self, account_name: str, parent: QWidget | None = None):
        super().__init__(
            _("Account schorsen"),
            _(
                "Na het schorsen plaatst Postwijs niets meer op {account}, ook geen geplande berichten, tot de schorsing is opgeheven. Waarom schors je dit account?"
            ).format(account=account_name),
            _("Schorsen"),
            _("Reden"),
            parent,
            field_label=_("Reden:"),
            example=_("Bijvoorbeeld: ongepaste reactie geplaatst"),
        )
        self.suspend_button = self.action_button
