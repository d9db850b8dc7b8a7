"""The simple pages: those that come with later versions, the settings, and the error page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import i18n
from app.i18n import _


def _page(title: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(24, 20, 24, 16)
    heading = QLabel(title)
    heading.setObjectName("pageTitle")
    layout.addWidget(heading)
    return page, layout


def error_page(title: str, message: str, retry: Callable[[], None] | None = None) -> QWidget:
    page, layout = _page(title)
    text = QLabel(message)
    text.setObjectName("errorText")
    text.setWordWrap(True)
    layout.addWidget(text)
    if retry is not None:
        button = QPushButton(_("Opnieuw proberen"))
        button.clicked.connect(retry)
        layout.addWidget(button)
    layout.addStretch(1)
    return page


class SettingsPage(QWidget):
    def __init__(
        self,
        site_description: str,
        data_dir: str,
        language: str,
        save_language: Callable[[str], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        heading = QLabel(_("Instellingen"))
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)
        form = QFormLayout()
        self.language_box = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(self.language_box.findData(language))
        self.language_box.currentIndexChanged.connect(
            lambda i: (save_language(self.language_box.itemData(i)), self.note.setVisible(True))
        )
        form.addRow(_("Taal:"), self.language_box)
        site = QLabel(site_description)
        site.setWordWrap(True)
        form.addRow(_("Siteconfiguratie:"), site)
        form.addRow(_("Gegevensmap:"), QLabel(data_dir))
        layout.addLayout(form)
        self.note = QLabel(
            _("De nieuwe taal wordt gebruikt vanaf de volgende keer dat je Postwijs start.")
        )
        self.note.setObjectName("hint")
        self.note.setVisible(False)
        layout.addWidget(self.note)
        from ui.helpdesk import HelpdeskButton  # here: the composer's start-up does not need it

        layout.addWidget(HelpdeskButton(data_dir))
        layout.addStretch(1)
