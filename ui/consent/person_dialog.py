"""Adding one person to the register by hand (a new colleague, a volunteer, a parent helping on
a trip), with their consents for this school year and the reason.

People who are in the administration's export are better imported: an import keeps the
register in step with the administration. `save(school_id, record, reason)` records the person and
returns "" or a Dutch message to show (the dialog then stays open with everything typed).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.consent import register as consent
from app.consent.register import PersonRecord
from app.i18n import _
from app.site.config import Site
from ui.consent.words import role_word, state_with_mark
from ui.dialog_parts import error_label, example_field, save_cancel


class AddPersonDialog(QDialog):
    def __init__(
        self,
        site: Site,
        school_id: str,
        school_year: str,
        save: Callable[[str, PersonRecord, str], str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.site = site
        self.school_year = school_year
        self.save = save
        self.setWindowTitle(_("Persoon toevoegen"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        hint = QLabel(
            _(
                "Staat deze persoon in de leerling- of personeelsadministratie? Importeer dan"
                " liever de export: dan blijft het register gelijk aan de administratie."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)

        form = QFormLayout()
        self.school_box = QComboBox()
        for school in site.schools:
            self.school_box.addItem(school.name, school.id)
        self.school_box.setCurrentIndex(max(0, self.school_box.findData(school_id)))
        form.addRow(_("School:"), self.school_box)
        self.identifier = QLineEdit()
        self.identifier.setPlaceholderText(_("het nummer uit de administratie"))
        form.addRow(_("Nummer (verplicht):"), self.identifier)
        self.first_name = QLineEdit()
        form.addRow(_("Voornaam:"), self.first_name)
        self.tussenvoegsel = QLineEdit()
        form.addRow(_("Tussenvoegsel:"), self.tussenvoegsel)
        self.last_name = QLineEdit()
        form.addRow(_("Achternaam:"), self.last_name)
        self.role_box = QComboBox()
        for role in consent.ROLES:
            self.role_box.addItem(role_word(role), role)
        form.addRow(_("Rol:"), self.role_box)
        self.group = QLineEdit()
        self.group.setPlaceholderText(_("bijvoorbeeld 5b"))
        form.addRow(_("Groep:"), self.group)
        self.purpose_boxes: dict[str, QComboBox] = {}
        for purpose in site.purposes:
            box = QComboBox()
            for state in consent.STATES:
                box.addItem(state_with_mark(state), state)
            box.setCurrentIndex(box.findData(consent.UNKNOWN))
            self.purpose_boxes[purpose] = box
            form.addRow(_("{purpose} ({year}):").format(purpose=purpose, year=school_year), box)
        self.reason = example_field(_("bijvoorbeeld: nieuwe vrijwilliger, formulier van 3 maart"))
        form.addRow(_("Reden (verplicht):"), self.reason)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)

        buttons, self.ok_button = save_cancel(self, _("Toevoegen"), self._save)
        layout.addWidget(buttons)
        for edit in (self.identifier, self.first_name, self.last_name, self.reason):
            edit.textChanged.connect(self._update)
        self._update()

    def record(self) -> PersonRecord:
        return PersonRecord(
            identifier=self.identifier.text().strip(),
            role=self.role_box.currentData(),
            first_name=self.first_name.text().strip(),
            tussenvoegsel=self.tussenvoegsel.text().strip(),
            last_name=self.last_name.text().strip(),
            group=self.group.text().strip(),
            consents={
                (purpose, self.school_year): box.currentData()
                for purpose, box in self.purpose_boxes.items()
                if box.currentData() != consent.UNKNOWN
            },
        )

    def _update(self) -> None:
        self.ok_button.setEnabled(
            bool(self.identifier.text().strip())
            and bool(self.first_name.text().strip() or self.last_name.text().strip())
            and bool(self.reason.text().strip())
        )

    def _save(self) -> None:
        if not self.ok_button.isEnabled():
            return
        problem = self.save(
            self.school_box.currentData(), self.record(), self.reason.text().strip()
        )
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        self.accept()
