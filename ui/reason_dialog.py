"""A question that needs a reason before its action (suspending an account, retracting a post):
the reason is kept in the history, so the action's button waits until one is typed."""

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


class ReasonDialog(QDialog):
    """`reason_given(reason)` once the user confirms; nothing when cancelled. `field_label`, when
    given, stands above the field and names it; else the question does."""

    reason_given = Signal(str)

    def __init__(
        self,
        title: str,
        question: str,
        action: str,
        field_name: str,
        parent: QWidget | None = None,
        field_label: str = "",
        example: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setMinimumWidth(440)
        layout.addWidget(self.question)
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName(field_name)
        if example:
            self.reason_edit.setPlaceholderText(example)
        named_by = self.question
        if field_label:
            named_by = QLabel(field_label)
            layout.addWidget(named_by)
        named_by.setBuddy(self.reason_edit)
        layout.addWidget(self.reason_edit)
        buttons = QDialogButtonBox()
        self.action_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.action_button.setDefault(True)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.action_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda _text: self.action_button.setEnabled(bool(self.reason()))
        )
        self.accepted.connect(lambda: self.reason_given.emit(self.reason()))

    def reason(self) -> str:
        return self.reason_edit.text().strip()
