"""Changing one person's consent by hand, for this school year, always with a reason.

A change by hand must say who asked and when ("mail van de ouder van 3 maart"): the register
mirrors the administration, so a change that did not come from an export must be traceable. The
dialog only collects the choice; `save(purpose, state, reason)` records it and returns "" or a
Dutch message to show (the dialog then stays open, nothing typed is lost).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
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
from app.i18n import _
from ui.consent.words import state_with_mark
from ui.dialog_parts import error_label, save_cancel


class ConsentEditDialog(QDialog):
    def __init__(
        self,
        name: str,
        school_year: str,
        purposes: Sequence[str],
        purpose: str,
        states: dict[str, str],
        save: Callable[[str, str, str], str],
        parent: QWidget | None = None,
        left: bool = False,
    ):
        super().__init__(parent)
        self.states = states
        self.save = save
        self.setWindowTitle(_("Toestemming wijzigen"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        heading = QLabel(_("{name}, schooljaar {year}").format(name=name, year=school_year))
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setObjectName("sectionTitle")
        layout.addWidget(heading)
        if left:
            gone = QLabel(
                _(
                    "{name} staat niet meer in de export van de administratie. Een toestemming"
                    " telt pas weer als {name} in een nieuwe export staat."
                ).format(name=name)
            )
            gone.setTextFormat(Qt.TextFormat.PlainText)
            gone.setObjectName("reason")
            gone.setWordWrap(True)
            layout.addWidget(gone)

        form = QFormLayout()
        self.purpose_box = QComboBox()
        for p in purposes:
            self.purpose_box.addItem(p, p)
        self.purpose_box.setCurrentIndex(max(0, self.purpose_box.findData(purpose)))
        form.addRow(_("Waarvoor:"), self.purpose_box)
        # One list, like "Waarvoor": one Tab stop, its label read out with it.
        self.state_box = QComboBox()
        for state in consent.STATES:
            self.state_box.addItem(state_with_mark(state), state)
        form.addRow(_("Toestemming:"), self.state_box)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("bijvoorbeeld: mail van de ouder van 3 maart"))
        self.reason.setAccessibleName(_("Reden"))
        form.addRow(_("Reden (verplicht):"), self.reason)
        layout.addLayout(form)
        hint = QLabel(
            _(
                "Schrijf op wie erom vroeg en wanneer. De reden wordt bewaard bij de wijzigingen"
                " van het register."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.error = error_label()
        layout.addWidget(self.error)

        buttons, self.ok_button = save_cancel(self, _("Opslaan"), self._save)
        layout.addWidget(buttons)

        self.purpose_box.currentIndexChanged.connect(self._show_current)
        self.state_box.currentIndexChanged.connect(lambda *_a: self._update())
        self.reason.textChanged.connect(self._update)
        self._show_current()
        self.reason.setFocus()

    def purpose(self) -> str:
        return self.purpose_box.currentData()

    def state(self) -> str:
        return self.state_box.currentData() or ""

    def set_state(self, state: str) -> None:
        self.state_box.setCurrentIndex(self.state_box.findData(state))

    def _current(self) -> str:
        return self.states.get(self.purpose(), consent.UNKNOWN)

    def _show_current(self) -> None:
        self.set_state(self._current())
        self._update()

    def _update(self) -> None:
        current, chosen = self._current(), self.state()
        if chosen == current:
            self.note.setText(_("Kies de nieuwe toestemming."))
        elif current == consent.GIVEN and chosen in (consent.REFUSED, consent.WITHDRAWN):
            self.note.setText(
                _(
                    "De toestemming wordt ingetrokken. Daarna zie je welke geplaatste berichten"
                    " deze persoon laten zien, zodat je ze kunt intrekken."
                )
            )
        else:
            self.note.setText("")
        self.ok_button.setEnabled(bool(self.reason.text().strip()) and chosen != current)

    def _save(self) -> None:
        if not self.ok_button.isEnabled():
            return
        problem = self.save(self.purpose(), self.state(), self.reason.text().strip())
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        self.accept()
