"""Records the leidinggevende's answer to a post that was put before them (Voorleggen)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.dialog_parts import example_field


class ReviewAnswerDialog(QDialog):
    def __init__(self, manager: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Antwoord vastleggen"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Wat antwoordde je leidinggevende?")))
        self.yes = QRadioButton(_("Akkoord: het bericht mag geplaatst worden"))
        self.no = QRadioButton(_("Niet akkoord"))
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        form = QFormLayout()
        self.by_edit = QLineEdit(manager)
        form.addRow(_("Door:"), self.by_edit)
        self.note_edit = example_field(_("Bijvoorbeeld: eerst de naam weghalen"))
        form.addRow(_("Toelichting:"), self.note_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            _("Vastleggen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for widget in (self.yes, self.no):
            widget.toggled.connect(self._update)
        self.by_edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.save_button.setEnabled(
            (self.yes.isChecked() or self.no.isChecked()) and bool(self.by_edit.text().strip())
        )

    def approved(self) -> bool:
        return self.yes.isChecked()

    def by(self) -> str:
        return self.by_edit.text().strip()

    def note(self) -> str:
        return self.note_edit.text().strip()
