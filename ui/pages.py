"""The simple pages: the settings and the error page."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.i18n import _
from app.site.config import Author, School


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


def _wrapped(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class SettingsPage(QWidget):
    """Who posts, for which schools, in which language; the technical details under "Voor ICT".
    `change_identity` is given where the user may change their own name and role."""

    def __init__(
        self,
        author: Author | None,
        schools: list[School],
        is_demo: bool,
        site_description: str,
        data_dir: str,
        language: str,
        save_language: Callable[[str], None],
        change_identity: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        heading = QLabel(_("Instellingen"))
        heading.setObjectName("pageTitle")
        layout.addWidget(heading)

        self.who = _wrapped("")
        self.schools = _wrapped("")
        if author is not None:
            self.show_author(author, schools)
            layout.addWidget(self.who)
            layout.addWidget(self.schools)
            layout.addWidget(
                _wrapped(
                    _("Je naam staat in de disclaimer onder elk bericht dat je plaatst."), "hint"
                )
            )
        self.identity_button: QPushButton | None = None
        if change_identity is not None:
            self.identity_button = QPushButton(_("Naam en rol wijzigen…"))
            self.identity_button.clicked.connect(change_identity)
            layout.addWidget(self.identity_button, 0, Qt.AlignmentFlag.AlignLeft)
        if is_demo:
            layout.addWidget(
                _wrapped(
                    _(
                        "Postwijs werkt met een demosite: de scholen en accounts hierboven zijn"
                        " voorbeelden om mee te oefenen. Vraag de ICT-beheerder de instellingen van"
                        " je eigen school te installeren."
                    ),
                    "practiceBanner",
                )
            )

        form = QFormLayout()
        self.language_box = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(self.language_box.findData(language))

        def language_chosen(index: int) -> None:
            save_language(self.language_box.itemData(index))
            self.note.setVisible(True)

        self.language_box.currentIndexChanged.connect(language_chosen)
        form.addRow(_("Taal:"), self.language_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addLayout(form)
        self.note = _wrapped(
            _("De nieuwe taal wordt gebruikt vanaf de volgende keer dat je Postwijs start."), "hint"
        )
        self.note.setVisible(False)
        layout.addWidget(self.note)

        self.ict_toggle = QToolButton()
        self.ict_toggle.setText(_("Voor ICT"))
        self.ict_toggle.setCheckable(True)
        self.ict_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.ict_toggle.setArrowType(Qt.ArrowType.RightArrow)
        layout.addWidget(self.ict_toggle)
        self.ict_details = QWidget()
        details = QFormLayout(self.ict_details)
        details.addRow(_("Siteconfiguratie:"), _wrapped(site_description))
        details.addRow(_("Gegevensmap:"), _wrapped(data_dir))
        self.ict_details.setVisible(False)
        layout.addWidget(self.ict_details)

        def toggle(shown: bool) -> None:
            self.ict_details.setVisible(shown)
            self.ict_toggle.setArrowType(
                Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
            )

        self.ict_toggle.toggled.connect(toggle)

        from ui.helpdesk import HelpdeskButton  # here: the composer's start-up does not need it

        layout.addWidget(HelpdeskButton(data_dir))
        layout.addStretch(1)

    def show_author(self, author: Author, schools: list[School]) -> None:
        self.who.setText(
            _("Je plaatst als <b>{name}</b>, {role}.").format(
                name=html.escape(author.name), role=html.escape(author.role)
            )
        )
        names = [f"{s.name} ({s.foundation})" for s in schools]
        self.schools.setText(
            i18n.ngettext(
                "Voor de school: {names}.", "Voor de scholen: {names}.", len(names)
            ).format(names=", ".join(names))
        )
