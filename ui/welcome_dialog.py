"""The first start: what Postwijs does in three lines, what to try first, and who is posting."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.dialog_parts import fit_height_to_text


class WelcomeDialog(QDialog):
    """`roles` are the roles to offer; without them (a site that names its authors) the dialog
    only welcomes. Not modal: the composer behind it can be looked at while reading."""

    def __init__(
        self,
        name: str,
        role: str,
        roles: list[str],
        is_demo: bool,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(_("Welkom bij Postwijs"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = QLabel(_("Welkom bij Postwijs"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        for line in (
            _(
                "Je schrijft een bericht één keer en Postwijs plaatst het op de accounts van je school."
            ),
            _(
                "Voor het plaatsen controleert Postwijs het bericht op de gedragsregels: toestemming"
                " voor foto's, gezichten, persoonlijke gegevens en lestijd."
            ),
            _(
                "Onder elk bericht komt de verplichte disclaimer met jouw naam, en alles wordt"
                " bewaard in de geschiedenis."
            ),
        ):
            label = QLabel("• " + line)
            label.setWordWrap(True)
            layout.addWidget(label)
        first = QLabel(
            _(
                "Probeer het eerst met het oefenaccount: dat plaatst niets echt. Wat je plaatst,"
                " zie je daarna in Oefentijdlijn."
            )
        )
        first.setObjectName("statusNote")
        first.setWordWrap(True)
        layout.addWidget(first)
        if is_demo:
            demo = QLabel(
                _(
                    "Postwijs werkt nu met een demosite: de instellingen van je eigen school zijn nog"
                    " niet geïnstalleerd. Vraag de ICT-beheerder daarom voordat je echt gaat plaatsen."
                )
            )
            demo.setObjectName("practiceBanner")
            demo.setWordWrap(True)
            layout.addWidget(demo)
        self.name_edit: QLineEdit | None = None
        self.role_box: QComboBox | None = None
        if roles:
            ask = QLabel(_("Wie ben je? Je naam komt onder je berichten."))
            ask.setObjectName("sectionTitle")
            layout.addWidget(ask)
            form = QFormLayout()
            self.name_edit = QLineEdit(name)
            self.name_edit.setPlaceholderText(_("Voornaam en achternaam"))
            form.addRow(_("Naam:"), self.name_edit)
            self.role_box = QComboBox()
            self.role_box.setEditable(True)
            for r in roles:
                self.role_box.addItem(_(r), r)
            index = self.role_box.findData(role)
            if index >= 0:
                self.role_box.setCurrentIndex(index)
            else:
                self.role_box.setEditText(role)
            form.addRow(_("Rol:"), self.role_box)
            layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(
            _("Aan de slag"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("primary")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        if self.name_edit is not None:
            self.name_edit.textChanged.connect(
                lambda text: self.start_button.setEnabled(bool(text.strip()))
            )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        fit_height_to_text(self)

    def name(self) -> str:
        return self.name_edit.text().strip() if self.name_edit else ""

    def role(self) -> str:
        if self.role_box is None:
            return ""
        index = self.role_box.currentIndex()
        shown = self.role_box.currentText().strip()
        if index >= 0 and self.role_box.itemText(index) == shown:
            return self.role_box.itemData(index)
        return shown
