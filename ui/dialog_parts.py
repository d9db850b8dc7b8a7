"""Pieces every dialog of Postwijs has: a hint, a hidden error line, the save / cancel buttons, and
a height that fits its wrapped sentences."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.i18n import _


def hint_label(text: str) -> QLabel:
    """A quieter line that explains, wrapped to the dialog's width."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    """A red line for what went wrong; hidden until there is something to say."""
    label = QLabel()
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def save_cancel(
    dialog: QDialog, ok_text: str, on_save: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's buttons: the primary one (with `ok_text`) calls `on_save`, Annuleren rejects."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    ok_button.setText(ok_text)
    ok_button.setObjectName("primary")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Annuleren"))
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok_button


def fit_height_to_text(dialog: QWidget) -> None:
    """Grows a dialog so that its wrapped sentences are whole: a top-level layout does not ask a
    wrapping label how tall it is at the dialog's real width (more lines at a larger font or
    zoom). Call it when shown, and after a sentence appeared or changed."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width())
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


class _ExampleField(QLineEdit):
    def _example_width(self) -> int:
        # Measured when the layout asks, with the style sheet's font (not the one at creation);
        # the frame and the text's inner margins on both sides come on top.
        margins = self.textMargins()
        example = self.placeholderText()
        return self.fontMetrics().horizontalAdvance(example) + margins.left() + margins.right() + 24

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._example_width()), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._example_width()), hint.height())


def example_field(example: str) -> QLineEdit:
    """A field whose grey example can be read whole: a field narrower than its example shows
    "Bijvoorbeeld: eerst de naam we", and the example is the only hint of what to write."""
    field = _ExampleField()
    field.setPlaceholderText(example)
    return field
