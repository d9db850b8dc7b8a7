"""Choosing a moment to publish later; the suggestions lie outside lesson hours (Communiceren 6)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _

DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def describe(moment: datetime) -> str:
    local = moment.astimezone()
    return f"{_(DAYS[local.weekday()])} {local:%d-%m-%Y %H:%M}"


class ScheduleDialog(QDialog):
    def __init__(
        self,
        suggestions: list[datetime],
        parent: QWidget | None = None,
        current: datetime | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(_("Inplannen"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Wanneer moet het bericht geplaatst worden?")))
        hint = QLabel(_("Deze momenten vallen buiten de lestijd van de school:"))
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.group = QButtonGroup(self)
        self.options: list[tuple[QRadioButton, datetime | None]] = []
        for moment in suggestions:
            button = QRadioButton(describe(moment))
            self.group.addButton(button)
            layout.addWidget(button)
            self.options.append((button, moment))
        own = QRadioButton(_("Zelf kiezen:"))
        self.group.addButton(own)
        layout.addWidget(own)
        self.options.append((own, None))
        start = current or (suggestions[0] if suggestions else datetime.now().astimezone())
        self.editor = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))
        self.editor.setCalendarPopup(True)
        self.editor.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.editor.setMinimumDateTime(QDateTime.currentDateTime())
        self.editor.dateTimeChanged.connect(lambda _v: own.setChecked(True))
        layout.addWidget(self.editor)
        (self.options[0][0]).setChecked(True)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Inplannen"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def moment(self) -> datetime:
        for button, moment in self.options:
            if button.isChecked() and moment is not None:
                return moment
        return datetime.fromtimestamp(self.editor.dateTime().toSecsSinceEpoch()).astimezone()
