"""The last step before publishing: per account the exact final text and photos, which accounts
do not get the post and why, and a reminder to think twice. One scroll area for everything, so
several accounts read as one page."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.compose.post import Variant
from app.i18n import _
from app.networks.profiles import account_with_network
from app.rules.model import Finding
from ui import accessibility
from ui.composer.photo_row import PhotoRow, PostedPhoto


class ConfirmDialog(QDialog):
    """Shows the exact final texts; each warning must be acknowledged with a reason first."""

    def __init__(
        self,
        variants: list[Variant],
        warnings: Sequence[Finding] = (),
        reasons: tuple[str, ...] = (),
        parent: QWidget | None = None,
        scheduled_at=None,
        photos: dict[str, list[PostedPhoto]] | None = None,
        left_out: Sequence[tuple[str, str]] = (),
        costs: dict[str, str] | None = None,
        declarations: dict[str, str] | None = None,
    ):
        """`photos` per network as they will be posted; `left_out` the school's accounts that
        will not get the post, each with the reason in words; `costs` per account id, where the
        network charges per post, what this post costs and what is left of the month's budget;
        `declarations` per account id, what the author declares to its network with the video."""
        super().__init__(parent)
        self.setWindowTitle(_("Denk twee keer na"))
        self.setModal(True)
        self.resize(660, 560)
        layout = QVBoxLayout(self)
        title = QLabel(_("Denk twee keer na"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        reminder = QLabel(
            _(
                "Dit is precies wat er geplaatst wordt. Wat je plaatst blijft openbaar, ook als je het"
                " later verwijdert (Communiceren 9)."
            )
        )
        reminder.setWordWrap(True)
        layout.addWidget(reminder)
        if scheduled_at is not None:
            from ui.publishing.schedule_dialog import describe

            when = QLabel(
                _("Wordt geplaatst op {moment}, na een nieuwe controle op dat moment.").format(
                    moment=describe(scheduled_at)
                )
            )
            when.setObjectName("sectionTitle")
            layout.addWidget(when)

        scroll = QScrollArea()
        accessibility.name(scroll, _("De berichten zoals ze geplaatst worden"))
        accessibility.only_holds_controls(scroll)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        self.reason_boxes: list[tuple[Finding, QComboBox]] = []
        if warnings:
            heading = QLabel(_("Waarschuwingen: waarom plaats je dit toch?"))
            heading.setObjectName("sectionTitle")
            inner_layout.addWidget(heading)
            explain = QLabel(
                _("Geef bij elke waarschuwing een reden. Die wordt bewaard in de geschiedenis.")
            )
            explain.setObjectName("hint")
            explain.setWordWrap(True)
            inner_layout.addWidget(explain)
        for finding in warnings:
            text = QLabel("⚠ " + finding.message + "  (" + " · ".join(finding.articles) + ")")
            # Commas for a screen reader, which reads "·" out as "middle dot".
            accessibility.name(
                text,
                _("Waarschuwing: {message} ({articles})").format(
                    message=finding.message, articles=", ".join(finding.articles)
                ),
            )
            text.setWordWrap(True)
            inner_layout.addWidget(text)
            box = QComboBox()
            box.setEditable(True)
            box.addItems(["", *reasons])
            editor = box.lineEdit()
            if editor is not None:  # an editable box always has one
                editor.setPlaceholderText(_("Kies of typ een reden"))
            box.setAccessibleName(_("Reden"))
            box.currentTextChanged.connect(self._update)
            inner_layout.addWidget(box)
            self.reason_boxes.append((finding, box))
        self.text_labels: dict[str, QLabel] = {}
        self.photo_rows: dict[str, PhotoRow] = {}
        self.cost_labels: dict[str, QLabel] = {}
        self.declaration_labels: dict[str, QLabel] = {}
        for variant in variants:
            card = QFrame()
            card.setObjectName("previewCard")
            card_layout = QVBoxLayout(card)
            heading = QLabel(account_with_network(variant.account_name, variant.network))
            heading.setObjectName("sectionTitle")
            heading.setWordWrap(True)
            card_layout.addWidget(heading)
            if variant.network == "practice":
                note = QLabel(_("Oefening: dit komt alleen op je oefentijdlijn, niet op internet."))
                note.setObjectName("hint")
                note.setWordWrap(True)
                card_layout.addWidget(note)
            text = QLabel(variant.final_text)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setObjectName("finalText")
            card_layout.addWidget(text)
            row = PhotoRow()
            row.show_photos((photos or {}).get(variant.network, []))
            card_layout.addWidget(row)
            # Where the network charges, and where the author declares something with the post.
            for lines, labels in (
                (costs, self.cost_labels),
                (declarations, self.declaration_labels),
            ):
                line = (lines or {}).get(variant.account_id)
                if line:
                    label = QLabel(line)
                    label.setObjectName("hint")
                    label.setWordWrap(True)
                    card_layout.addWidget(label)
                    labels[variant.account_id] = label
            inner_layout.addWidget(card)
            self.text_labels[variant.account_id] = text
            self.photo_rows[variant.account_id] = row
        self.left_out_label = QLabel()
        self.left_out_label.setWordWrap(True)
        self.left_out_label.setTextFormat(Qt.TextFormat.PlainText)
        if left_out:
            heading = QLabel(_("Deze accounts krijgen het bericht niet:"))
            heading.setObjectName("sectionTitle")
            inner_layout.addWidget(heading)
            self.left_out_label.setText("\n".join(f"• {name}: {why}" for name, why in left_out))
            inner_layout.addWidget(self.left_out_label)
        inner_layout.addStretch(1)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)

        # Plain buttons, not a QDialogButtonBox: that one makes its first accept button the
        # default (and its focus proxy) when shown. This step exists to make the author think
        # twice (Communiceren 9): an Enter meant for the text or a reason box must never publish,
        # so Plaatsen is never a default button and takes only a click, Space on it, or Alt+P.
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.back_button = QPushButton(_("&Terug naar bewerken"))
        self.back_button.clicked.connect(self.reject)
        self.publish_button = QPushButton(
            _("&Plaatsen") if scheduled_at is None else _("&Inplannen")
        )
        self.publish_button.setObjectName("primary")
        self.publish_button.setAutoDefault(False)
        self.publish_button.clicked.connect(self.accept)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.publish_button)
        layout.addLayout(buttons)
        self.back_button.setFocus()
        self._update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter and Return, with any modifier, press no button here except a focused
        "Terug naar bewerken" (which handles them itself); Escape still goes back."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def _update(self) -> None:
        missing = [f for f, box in self.reason_boxes if not box.currentText().strip()]
        self.publish_button.setEnabled(not missing)
        self.publish_button.setToolTip(
            _("Geef eerst bij elke waarschuwing een reden.") if missing else ""
        )

    def final_texts(self) -> list[str]:
        """The texts shown, one per account, in order: exactly what will be posted."""
        return [label.text() for label in self.text_labels.values()]

    def acknowledgements(self) -> list[tuple[Finding, str]]:
        return [(f, box.currentText().strip()) for f, box in self.reason_boxes]
