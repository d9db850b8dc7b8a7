"""Voorleggen on screen: the note to the leidinggevende first, then the mail, and a way on when
no mail program opens (the PDF's folder, the text to copy). The work itself is in the core
(app.compose.review_request)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui import accessibility

if TYPE_CHECKING:  # the core's Voorleggen is loaded when it is first used, not at start-up
    from app.compose.review_request import ReviewRequest


class ReviewNoteDialog(QDialog):
    """Asks for an optional word to the leidinggevende before anything is written or sent."""

    def __init__(self, manager: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Voorleggen"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Je legt dit bericht voor aan {manager}. Postwijs maakt een PDF van precies wat er"
                " geplaatst zou worden en zet een e-mail klaar. Je bericht wacht tot het antwoord er is."
            ).format(manager=manager)
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        note_label = QLabel(_("&Toelichting voor je leidinggevende (mag leeg blijven):"))
        layout.addWidget(note_label)
        self.note_edit = QPlainTextEdit()
        accessibility.label_for(note_label, self.note_edit)
        accessibility.name(self.note_edit, _("Toelichting voor je leidinggevende"))
        accessibility.leave_by_tab(self.note_edit)
        self.note_edit.setPlaceholderText(
            _("Bijvoorbeeld: mag de foto van het schoolreisje erbij?")
        )
        self.note_edit.setFixedHeight(90)
        layout.addWidget(self.note_edit)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton(
            _("Voorleggen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setObjectName("primary")
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()


class ReviewSentDialog(QDialog):
    """What happened to the mail, and the way on: the PDF's folder and the text to copy."""

    def __init__(
        self,
        request: ReviewRequest,
        mail_opened: bool,
        open_url: Callable[[QUrl], bool],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.request = request
        self.setWindowTitle(_("Voorgelegd"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        if mail_opened:
            headline = _(
                "De e-mail aan {manager} staat klaar in je e-mailprogramma. Voeg de PDF toe als"
                " bijlage (Map openen) en verstuur de e-mail."
            ).format(manager=request.manager)
        else:
            headline = _(
                "Er ging geen e-mailprogramma open op deze computer. Stuur het bericht zelf: kopieer"
                " de tekst naar een e-mail aan {address} en voeg de PDF uit de map toe."
            ).format(address=request.address)
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        waits = QLabel(
            _(
                "Je bericht wacht tot {manager} antwoordt. Leg het antwoord vast met"
                " \u201cAntwoord vastleggen\u201d in Nieuw bericht."
            ).format(manager=request.manager)
        )
        waits.setObjectName("hint")
        waits.setWordWrap(True)
        layout.addWidget(waits)
        row = QHBoxLayout()
        self.folder_button = QPushButton(_("Map openen"))
        self.folder_button.clicked.connect(
            lambda: open_url(QUrl.fromLocalFile(str(Path(request.pdf).parent)))
        )
        self.copy_button = QPushButton(_("Tekst kopiëren"))
        self.copy_button.clicked.connect(self.copy_text)
        self.copied = QLabel()
        self.copied.setObjectName("statusNote")
        row.addWidget(self.folder_button)
        row.addWidget(self.copy_button)
        row.addWidget(self.copied, 1)
        layout.addLayout(row)
        buttons = QDialogButtonBox()
        buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def mail_text(self) -> str:
        return _("Aan: {address}\nOnderwerp: {subject}\n\n{body}").format(
            address=self.request.address, subject=self.request.subject, body=self.request.body
        )

    def copy_text(self) -> None:
        QApplication.clipboard().setText(self.mail_text())
        self.copied.setText(_("Gekopieerd. Plak de tekst in een nieuwe e-mail."))


class ReviewFlow:
    """Voorleggen from the composer's buttons to the mail; `window` is the main window (its model,
    store, data folder, status line and `open_url`)."""

    def __init__(self, window):
        self.window = window
        self.note_dialog: ReviewNoteDialog | None = None
        self.sent_dialog: ReviewSentDialog | None = None
        self.answer_dialog = None

    def start(self) -> None:
        from app.compose.review_request import why_not_possible

        school = self.window.model.school
        problem = why_not_possible(school)
        if problem:
            self.window.say(problem)
            return
        self.note_dialog = ReviewNoteDialog(school.manager.name, self.window)
        self.note_dialog.accepted.connect(lambda: self.send(self.note_dialog.note()))
        self.note_dialog.open()

    def send(self, note: str = "") -> None:
        from app.compose.review_request import ReviewNotPossible, put_before_manager
        from ui.composer.review_pdf import write_review_pdf

        window = self.window
        try:
            request = put_before_manager(
                window.store, window.model, window.data_dir / "voorleggen", write_review_pdf, note
            )
        except ReviewNotPossible as problem:
            window.say(str(problem))
            return
        opened = bool(window.open_url(QUrl(request.mailto)))
        window.model.set_review(request.review)
        window.say(_("Voorgelegd aan {manager}.").format(manager=request.manager))
        self.sent_dialog = ReviewSentDialog(request, opened, window.open_url, window)
        self.sent_dialog.open()

    def record_answer(self) -> None:
        from app.compose import drafts
        from ui.composer.review_answer_dialog import ReviewAnswerDialog

        window = self.window
        dialog = ReviewAnswerDialog(window.model.review.manager, window)
        self.answer_dialog = dialog

        def save() -> None:
            review = drafts.record_answer(
                window.store, window.model.draft, dialog.approved(), dialog.by(), dialog.note()
            )
            window.model.set_review(review)

        dialog.accepted.connect(save)
        dialog.open()
