"""The composer: the text, the school, the accounts, the exact preview per account, and Plaatsen."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.composer_model import ComposerModel, remaining_in_words
from app.i18n import _
from app.networks import label as network_label
from app.post import Variant

OVER_LIMIT_STYLE = "color: #b91c1c; font-weight: bold;"


def _text_html(text: str) -> str:
    # By hand, not html.escape: that module's entity table costs start-up time for three characters.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


class PreviewCard(QFrame):
    """One account's exact final text, as it will appear; the disclaimer greyed, not editable."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("previewCard")
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.account = QLabel()
        self.account.setObjectName("previewAccount")
        self.counter = QLabel()
        self.counter.setObjectName("counter")
        header.addWidget(self.account, 1)
        header.addWidget(self.counter)
        layout.addLayout(header)
        self.body = QLabel()
        self.body.setWordWrap(True)
        # Rich text is detected from the markup; the Qt namespace is not imported here because
        # loading it costs a tenth of the start-up (bench/startup.py).
        layout.addWidget(self.body)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def show_variant(self, variant: Variant) -> None:
        self.account.setText(f"{variant.account_name} · {network_label(variant.network)}")
        self.counter.setText(remaining_in_words(variant))
        # A direct style, not a re-polished property: asking for QStyle costs a tenth of start-up.
        self.counter.setStyleSheet(OVER_LIMIT_STYLE if not variant.fits else "")
        post = _text_html(variant.post_text.rstrip())
        disclaimer = _text_html(variant.disclaimer)
        body = f"{post}<br><br>" if post else ""
        self.body.setText(f"{body}<span style='color:#6b7280'>{disclaimer}</span>")
        if variant.disclaimer_length == "short":
            self.note.setText(
                _(
                    "De grijze tekst wordt automatisch toegevoegd (korte vorm, omdat de lange niet past)."
                )
            )
        else:
            self.note.setText(
                _("De grijze tekst wordt automatisch toegevoegd (Communiceren 14 en 19).")
            )


class ComposerPage(QWidget):
    """Forwards edits to the ComposerModel and redraws from it; holds no rules of its own."""

    publish_requested = Signal()

    def __init__(self, model: ComposerModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self._cards: list[PreviewCard] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)

        title = QLabel(_("Nieuw bericht"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)

        school_row = QHBoxLayout()
        school_label = QLabel(_("Plaatsen namens:"))
        self.school_box = QComboBox()
        self.school_box.setAccessibleName(_("School"))
        school_label.setBuddy(self.school_box)
        school_row.addWidget(school_label)
        school_row.addWidget(self.school_box, 1)
        outer.addLayout(school_row)

        accounts_row = QHBoxLayout()
        accounts_row.addWidget(QLabel(_("Plaatsen op:")))
        self.accounts_area = QHBoxLayout()
        accounts_row.addLayout(self.accounts_area)
        accounts_row.addStretch(1)
        outer.addLayout(accounts_row)
        self.account_boxes: dict[str, QCheckBox] = {}

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("editor")
        self.editor.setAccessibleName(_("Tekst van je bericht"))
        self.editor.setPlaceholderText(
            _(
                "Wat wil je delen? Schrijf hier je bericht. De disclaimer wordt automatisch toegevoegd."
            )
        )
        outer.addWidget(self.editor, 2)

        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 8, 0, 0)
        preview_title = QLabel(_("Voorbeeld: zo ziet je bericht eruit"))
        preview_title.setObjectName("sectionTitle")
        preview_layout.addWidget(preview_title)
        self.preview_scroll = QScrollArea()
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.preview_inner = QWidget()
        self.preview_list = QVBoxLayout(self.preview_inner)
        self.preview_list.setContentsMargins(0, 0, 0, 0)
        self.preview_empty = QLabel(_("Kies een account om het voorbeeld te zien."))
        self.preview_empty.setObjectName("hint")
        self.preview_list.addWidget(self.preview_empty)
        self.preview_list.addStretch(1)
        self.preview_scroll.setWidget(self.preview_inner)
        preview_layout.addWidget(self.preview_scroll)
        outer.addWidget(preview_box, 3)

        bottom = QHBoxLayout()
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.publish_button = QPushButton(_("Plaatsen"))
        self.publish_button.setObjectName("primary")
        self.publish_button.setDefault(True)
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.publish_button)
        outer.addLayout(bottom)

        self._fill_schools()
        self._fill_accounts()
        self.school_box.currentIndexChanged.connect(self._school_chosen)
        self.editor.textChanged.connect(lambda: self.model.set_text(self.editor.toPlainText()))
        self.publish_button.clicked.connect(self.publish_requested.emit)
        self.model.changed.connect(self.refresh)
        self.refresh()

    def _fill_schools(self) -> None:
        self.school_box.blockSignals(True)
        self.school_box.clear()
        for school in self.model.schools():
            self.school_box.addItem(f"{school.name} ({school.foundation})", school.id)
        self.school_box.setCurrentIndex(self.school_box.findData(self.model.draft.school_id))
        self.school_box.blockSignals(False)

    def _fill_accounts(self) -> None:
        for box in self.account_boxes.values():
            self.accounts_area.removeWidget(box)
            box.deleteLater()
        self.account_boxes = {}
        for account in self.model.accounts():
            box = QCheckBox(f"{account.name} ({network_label(account.network)})")
            box.setChecked(account.id in self.model.draft.account_ids)
            box.toggled.connect(lambda on, aid=account.id: self.model.set_account(aid, on))
            self.accounts_area.addWidget(box)
            self.account_boxes[account.id] = box
        if not self.account_boxes:
            empty = QLabel(_("Deze school heeft nog geen accounts. Voeg ze toe bij Accounts."))
            empty.setObjectName("hint")
            self.accounts_area.addWidget(empty)

    def _school_chosen(self, index: int) -> None:
        self.model.set_school(self.school_box.itemData(index))
        self._fill_accounts()

    def refresh(self) -> None:
        variants = self.model.variants()
        while len(self._cards) < len(variants):
            card = PreviewCard()
            self.preview_list.insertWidget(len(self._cards), card)
            self._cards.append(card)
        for card, variant in zip(self._cards, variants, strict=False):
            card.show_variant(variant)
            card.setVisible(True)
        for card in self._cards[len(variants) :]:
            card.setVisible(False)
        self.preview_empty.setVisible(not variants)
        reason = self.model.why_not_publishable()
        self.reason.setText(reason)
        self.publish_button.setEnabled(not reason)
        self.publish_button.setToolTip(reason)

    def clear_text(self) -> None:
        self.editor.clear()
