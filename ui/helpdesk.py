"""The helpdesk button ("Informatie voor de helpdesk kopiëren") and the crash notice.

Both put app.helpdesk's plain report on the clipboard. The crash notice is what a user sees when
an exception reaches the top: the draft is saved first, the details are already in the log
(app.logs), and one Dutch sentence says what to do.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import logs
from app.i18n import _

# The --site file the app was started with (set by the composition root); None: the usual places.
site_file: Path | None = None


def copy_report(data_dir: Path) -> str:
    """Puts the helpdesk report on the clipboard and returns it."""
    from app import helpdesk  # on first use: the report's imports stay out of the start-up

    text = helpdesk.report(Path(data_dir), site_file).text()
    QGuiApplication.clipboard().setText(text)
    return text


class HelpdeskButton(QWidget):
    """The button in Instellingen, with a line that says the report was copied."""

    def __init__(self, data_dir: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        row = QHBoxLayout()
        self.button = QPushButton(_("Informatie voor de helpdesk kopiëren"))
        self.button.clicked.connect(self.copy)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.done = QLabel(
            _(
                "Gekopieerd. Plak het in je bericht aan de helpdesk; er staan geen namen,"
                " berichten of wachtwoorden in."
            )
        )
        self.done.setObjectName("hint")
        self.done.setWordWrap(True)
        self.done.setVisible(False)
        layout.addWidget(self.done)

    def copy(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            copy_report(self.data_dir)
        finally:
            QApplication.restoreOverrideCursor()
        self.done.setVisible(True)


def _main_windows() -> list:
    return [w for w in QApplication.topLevelWidgets() if hasattr(w, "save_draft")]


def show_crash_notice() -> None:
    """Saves the draft, then shows the one sentence and the copy button (once at a time)."""
    app = QApplication.instance()
    if app is None or getattr(show_crash_notice, "showing", False):
        return
    windows = _main_windows()
    for window in windows:
        try:
            window.save_draft()
        except Exception:  # the draft could not be saved: the log says so, the notice still shows
            logging.getLogger(logs.LOGGER).exception("saving the draft after a crash failed")
    data_dir = getattr(windows[0], "data_dir", None) if windows else None
    box = QMessageBox(windows[0] if windows else None)
    box.setObjectName("crashNotice")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Postwijs")
    box.setText(
        _(
            "Er ging iets mis in Postwijs; je concept is bewaard. Kopieer de informatie voor de"
            " helpdesk en stuur die mee als je om hulp vraagt."
        )
    )
    copy = box.addButton(_("Kopiëren"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_("Sluiten"), QMessageBox.ButtonRole.RejectRole)
    copy.clicked.disconnect()  # stay open after copying, so the user sees it worked

    def copy_and_say() -> None:
        if data_dir is not None:
            copy_report(data_dir)
            copy.setText(_("Gekopieerd"))

    copy.clicked.connect(copy_and_say)
    copy.setEnabled(data_dir is not None)
    show_crash_notice.showing = True  # type: ignore[attr-defined]
    box.finished.connect(lambda _result: setattr(show_crash_notice, "showing", False))
    box.open()
