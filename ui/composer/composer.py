"""The composer: the text, the school, the accounts, the exact preview per account, and Plaatsen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPixmap,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.compose.model import ComposerModel, remaining_in_words
from app.compose.post import Variant
from app.i18n import _
from app.rules.model import BLOCK, INFO, WARN, Finding
from ui import accessibility
from ui.composer.account_picker import AccountPicker
from ui.composer.checks_panel import COLOURS, ChecksPanel

if TYPE_CHECKING:
    from ui.composer.media_strip import MediaStrip  # imported when the checks start: start-up

OVER_LIMIT_STYLE = "color: #b91c1c; font-weight: bold;"
VIDEO_FRAME = QSize(160, 90)  # YouTube's 16:9


def text_html(text: str) -> str:
    # By hand, not html.escape: that module's entity table costs start-up time for three characters.
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("\n", "<br>")


def qt_position(text: str, index: int) -> int:
    """Qt counts UTF-16 units; the rules count code points. An emoji is 1 to them, 2 to Qt."""
    return len(text[:index].encode("utf-16-le", errors="surrogatepass")) // 2


# The shape tells the severity as well as the colour does, for eyes that cannot tell red from
# orange: a blocking finding waves, a warning is dashed, a note dotted.
UNDERLINES = {
    BLOCK: QTextCharFormat.UnderlineStyle.WaveUnderline,
    WARN: QTextCharFormat.UnderlineStyle.DashUnderline,
    INFO: QTextCharFormat.UnderlineStyle.DotLine,
}


def underline(editor: QPlainTextEdit, findings: list[Finding]) -> None:
    """Underlines under the spans the rules found, shaped and coloured by severity."""
    text = editor.toPlainText()
    selections = []
    for finding in findings:
        if not finding.span:
            continue
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(UNDERLINES[finding.severity])
        fmt.setUnderlineColor(QColor(COLOURS[finding.severity]))
        fmt.setToolTip(finding.message)
        selection.format = fmt
        cursor = QTextCursor(editor.document())
        cursor.setPosition(qt_position(text, finding.span[0]))
        cursor.setPosition(qt_position(text, finding.span[1]), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selections.append(selection)
    editor.setExtraSelections(selections)


def select_span(editor: QPlainTextEdit, span: tuple[int, int]) -> None:
    text = editor.toPlainText()
    cursor = editor.textCursor()
    cursor.setPosition(qt_position(text, min(span[0], len(text))))
    cursor.setPosition(qt_position(text, min(span[1], len(text))), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.setFocus()


class _PostEditor(QPlainTextEdit):
    """Asks for a few lines only: on a short screen the photos and the preview stay in view;
    where there is room, the layout gives the editor more."""

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(120)
        return hint


class PreviewCard(QFrame):
    """One account's exact final text, as it will appear; the disclaimer greyed, not editable.

    The author may give this account its own text; the disclaimer stays and is not editable.
    """

    custom_text_changed = Signal(str, object)  # account id, text or None for the shared text

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("previewCard")
        self.account_id = ""
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.account = QLabel()
        self.account.setObjectName("previewAccount")
        self.account.setWordWrap(True)
        self.counter = QLabel()
        self.counter.setObjectName("counter")
        self.customise = QPushButton(_("Eigen tekst"))
        self.customise.setObjectName("linkButton")
        self.customise.setCheckable(True)
        self.customise.setToolTip(
            _("Geef dit account een eigen tekst; de disclaimer blijft staan.")
        )
        header.addWidget(self.account, 1)
        header.addWidget(self.counter)
        header.addWidget(self.customise)
        layout.addLayout(header)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(_("Eigen tekst voor dit account"))
        accessibility.leave_by_tab(self.editor)
        self.editor.setMaximumHeight(110)
        self.editor.setVisible(False)
        layout.addWidget(self.editor)
        self.body = QLabel()
        self.body.setWordWrap(True)
        # Rich text is detected from the markup; the Qt namespace is not imported here because
        # loading it costs a tenth of the start-up (bench/startup.py).
        layout.addWidget(self.body)
        from ui.composer.photo_row import PhotoRow  # cards are made once the checks run

        self.photos = PhotoRow()
        layout.addWidget(self.photos)
        # Where the network shows a video with a title (YouTube): its frame, the title beside it.
        self.video = QWidget()
        video_row = QHBoxLayout(self.video)
        video_row.setContentsMargins(0, 4, 0, 0)
        video_row.setSpacing(10)
        self.frame = QLabel()
        self.frame.setFixedSize(VIDEO_FRAME)
        self.frame.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.frame.setStyleSheet("background: #111827; color: #f9fafb;")
        self.frame.setWordWrap(True)
        self.frame.setAccessibleName(_("Beeld uit de video"))
        video_row.addWidget(self.frame, 0, Qt.AlignmentFlag.AlignTop)
        self.video_title = QLabel()
        self.video_title.setTextFormat(Qt.TextFormat.PlainText)
        self.video_title.setWordWrap(True)
        video_row.addWidget(self.video_title, 1, Qt.AlignmentFlag.AlignTop)
        self.video.setVisible(False)
        layout.addWidget(self.video)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.customise.toggled.connect(self._toggle_custom)
        self.editor.textChanged.connect(self._custom_edited)

    def show_video(self, frame: QPixmap | None, has_video: bool, title: str) -> None:
        """The video as the network will show it: its first frame with the title beside it."""
        if frame is not None:
            self.frame.setPixmap(frame)
        else:
            self.frame.clear()
            self.frame.setText(_("beeld laden…") if has_video else _("nog geen video"))
        if title.strip():
            self.video_title.setText(title.strip())
            self.video_title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        else:
            self.video_title.setText(
                _("Nog geen titel: dan wordt de eerste regel van je bericht de titel.")
            )
            self.video_title.setStyleSheet("color: #6b7280;")
        self.photos.setVisible(False)
        self.video.setVisible(True)

    def hide_video(self) -> None:
        self.video.setVisible(False)

    def _toggle_custom(self, on: bool) -> None:
        self.editor.setVisible(on)
        if on:
            self.custom_text_changed.emit(self.account_id, self.editor.toPlainText())
            self.editor.setFocus()
        else:
            self.custom_text_changed.emit(self.account_id, None)

    def _custom_edited(self) -> None:
        if self.customise.isChecked():
            self.custom_text_changed.emit(self.account_id, self.editor.toPlainText())

    def show_variant(self, variant: Variant, custom: bool, findings: list[Finding]) -> None:
        from app.networks.profiles import account_with_network

        self.account_id = variant.account_id
        self.account.setText(account_with_network(variant.account_name, variant.network))
        self.counter.setText(remaining_in_words(variant))
        # A direct style, not a re-polished property: asking for QStyle costs a tenth of start-up.
        self.counter.setStyleSheet(OVER_LIMIT_STYLE if not variant.fits else "")
        if custom != self.customise.isChecked():
            self.customise.blockSignals(True)
            self.customise.setChecked(custom)
            self.customise.blockSignals(False)
            self.editor.setVisible(custom)
        if custom and self.editor.toPlainText() != variant.post_text:
            self.editor.blockSignals(True)
            self.editor.setPlainText(variant.post_text)
            self.editor.blockSignals(False)
        if not custom:
            self.editor.blockSignals(True)
            self.editor.setPlainText(variant.post_text)
            self.editor.blockSignals(False)
        if custom:
            underline(self.editor, findings)
        post = text_html(variant.post_text.rstrip())
        disclaimer = text_html(variant.disclaimer)
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
    first_painted = Signal()
    review_requested = Signal()
    schedule_requested = Signal()
    answer_requested = Signal()

    def __init__(self, model: ComposerModel, parent: QWidget | None = None, store=None):
        super().__init__(parent)
        self.model = model
        self.checks_enabled = False
        self._painted = False
        self._cards: list[PreviewCard] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        column = QWidget()
        row.addWidget(column, 1)
        self.checks = ChecksPanel()
        row.addWidget(self.checks)
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 10)
        # One scroll area for the whole post (accounts, text, photos, previews): on a short
        # screen it scrolls, and nothing shown later can grow the window. Plaatsen stays below.
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        accessibility.name(self.scroll_area, _("Je bericht"))
        accessibility.only_holds_controls(self.scroll_area)
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(24, 12, 16, 6)
        self.scroll_area.setWidget(body)
        column_layout.addWidget(self.scroll_area, 1)
        title = QLabel(_("Nieuw bericht"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)

        school_row = QHBoxLayout()
        school_label = QLabel(_("Plaatsen namens:"))
        self.school_box = QComboBox()
        self.school_box.setAccessibleName(_("School"))
        # A long school name must not widen the window; the open list shows it whole.
        self.school_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.school_box.setMinimumContentsLength(16)
        school_label.setBuddy(self.school_box)
        school_row.addWidget(school_label)
        school_row.addWidget(self.school_box, 1)
        outer.addLayout(school_row)

        self.account_picker = AccountPicker()
        self.account_picker.toggled.connect(self.model.set_account)
        outer.addWidget(self.account_picker)

        self.review_banner = QFrame()
        self.review_banner.setObjectName("reviewBanner")
        banner_row = QHBoxLayout(self.review_banner)
        self.review_text = QLabel()
        self.review_text.setWordWrap(True)
        banner_row.addWidget(self.review_text, 1)
        self.answer_button = QPushButton(_("Antwoord vastleggen"))
        self.answer_button.clicked.connect(self.answer_requested.emit)
        banner_row.addWidget(self.answer_button)
        self.review_banner.setVisible(False)
        outer.addWidget(self.review_banner)

        # The video's title, for a network that takes one (YouTube): shown once one is chosen.
        self.title_box = QWidget()
        title_layout = QVBoxLayout(self.title_box)
        title_layout.setContentsMargins(0, 4, 0, 0)
        title_layout.setSpacing(2)
        title_head = QHBoxLayout()
        self.title_label = QLabel(_("Titel van de video"))
        self.title_counter = QLabel()
        self.title_counter.setObjectName("counter")
        title_head.addWidget(self.title_label, 1)
        title_head.addWidget(self.title_counter)
        title_layout.addLayout(title_head)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(_("Titel van de video"))
        self.title_edit.setPlaceholderText(
            _("Leeg gelaten wordt de eerste regel van je bericht de titel.")
        )
        self.title_label.setBuddy(self.title_edit)
        title_layout.addWidget(self.title_edit)
        self.title_problem = QLabel()
        self.title_problem.setObjectName("errorText")
        self.title_problem.setWordWrap(True)
        self.title_problem.setVisible(False)
        title_layout.addWidget(self.title_problem)
        self.title_box.setVisible(False)
        outer.addWidget(self.title_box)

        # The declaration a network asks with a video (YouTube's "altered or synthetic content"):
        # shown only while such a network is chosen and a video is attached.
        self.synthetic_box = QWidget()
        synthetic_layout = QVBoxLayout(self.synthetic_box)
        synthetic_layout.setContentsMargins(0, 2, 0, 0)
        synthetic_layout.setSpacing(0)
        self.synthetic_check = QCheckBox(_("Met AI gemaakt of veranderd"))
        synthetic_layout.addWidget(self.synthetic_check)
        self.synthetic_explained = QLabel()
        self.synthetic_explained.setObjectName("hint")
        self.synthetic_explained.setWordWrap(True)
        synthetic_layout.addWidget(self.synthetic_explained)
        self.synthetic_box.setVisible(False)
        outer.addWidget(self.synthetic_box)

        self.editor = _PostEditor()
        self.editor.setObjectName("editor")
        self.editor.setAccessibleName(_("Tekst van je bericht"))
        # A post has no use for tab characters; Tab goes on to the photos and the buttons.
        accessibility.leave_by_tab(self.editor)
        self.editor.setPlaceholderText(
            _(
                "Wat wil je delen? Schrijf hier je bericht. De disclaimer wordt automatisch toegevoegd."
            )
        )
        self.editor.setMinimumHeight(110)
        outer.addWidget(self.editor, 1)
        # Photos and videos, with their faces: built right after the first paint (enable_checks).
        self._store = store
        self.media_strip: MediaStrip | None = None
        self._media_slot = outer.count()
        self._outer = outer

        preview_title = QLabel(_("Voorbeeld: zo ziet je bericht eruit"))
        preview_title.setObjectName("sectionTitle")
        preview_title.setContentsMargins(0, 8, 0, 0)
        outer.addWidget(preview_title)
        self.preview_list = QVBoxLayout()
        self.preview_list.setContentsMargins(0, 0, 0, 0)
        self.preview_empty = QLabel(_("Kies een account om het voorbeeld te zien."))
        self.preview_empty.setObjectName("hint")
        self.preview_list.addWidget(self.preview_empty)
        outer.addLayout(self.preview_list)

        bottom = QHBoxLayout()
        self.reason = QLabel()
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.publish_button = QPushButton(_("&Plaatsen"))
        self.publish_button.setObjectName("primary")
        self.publish_button.setDefault(True)
        self.review_button = QPushButton(_("&Voorleggen…"))
        self.review_button.setToolTip(
            _("Twijfel je? Leg dit bericht eerst voor aan je leidinggevende (Communiceren 15, 16).")
        )
        self.review_button.clicked.connect(self.review_requested.emit)
        # The reason gets a line of its own: beside three buttons it would wrap word by word.
        column_layout.addWidget(self.reason)
        bottom.addStretch(1)
        self.schedule_button = QPushButton(_("&Inplannen…"))
        self.schedule_button.setToolTip(
            _("Plaats dit bericht later, op een moment buiten de lestijd.")
        )
        self.schedule_button.clicked.connect(self.schedule_requested.emit)
        bottom.addWidget(self.review_button)
        bottom.addWidget(self.schedule_button)
        bottom.addWidget(self.publish_button)
        bottom.setContentsMargins(24, 2, 16, 0)
        self.reason.setContentsMargins(24, 4, 16, 0)
        column_layout.addLayout(bottom)

        self._fill_schools()
        self._fill_accounts()
        self.school_box.currentIndexChanged.connect(self._school_chosen)
        self.editor.textChanged.connect(lambda: self.model.set_text(self.editor.toPlainText()))
        self.title_edit.textChanged.connect(self.model.set_title)
        self.synthetic_check.toggled.connect(self.model.set_synthetic_media)
        self.publish_button.clicked.connect(self.publish_requested.emit)
        # Ctrl+Enter only opens the "Denk twee keer na" confirmation; it never publishes.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._publish_by_key)
        self.checks.finding_clicked.connect(self.show_finding)
        self.checks.fix_requested.connect(self.apply_fix)
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
        self.account_picker.show_accounts(self.model.accounts(), self._network_word)
        self._sync_accounts()

    def _sync_accounts(self) -> None:
        self.account_picker.sync(set(self.model.draft.account_ids), self.model.availability)

    @property
    def account_boxes(self) -> dict[str, QCheckBox]:
        """The tick box per account id, in the school's order."""
        return self.account_picker.boxes

    def _school_chosen(self, index: int) -> None:
        self.model.set_school(self.school_box.itemData(index))
        self._fill_accounts()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self.checks_enabled and not self._painted:
            # The composer is on screen: now load the rules, in the next turn of the event loop.
            self._painted = True
            self.first_painted.emit()
            QTimer.singleShot(0, self.enable_checks)

    def enable_checks(self) -> None:
        """Turns the checks on once the window is up: loading the rules' word lists and name
        indexes, and the media strip, is left out of start-up, so the composer appears at once."""
        from ui.composer.media_strip import MediaStrip

        strip = MediaStrip(self.model, self._store)
        self._outer.insertWidget(self._media_slot, strip)
        strip.busy_changed.connect(lambda _busy: self.refresh())
        strip.photos_changed.connect(self.refresh)
        self.media_strip = strip
        self.checks_enabled = True
        self.refresh()

    @staticmethod
    def _network_word(network: str) -> str:
        # The practice account is shown at start: no need to load the networks' counting for it.
        if network == "practice":
            return _("Oefenaccount")
        from app.networks.profiles import label

        return label(network)

    def refresh(self) -> None:
        # Until the composer has been painted once, the counting and the checks wait (a moment).
        variants = self.model.variants() if self.checks_enabled else []
        findings = self.model.report().findings if self.checks_enabled else []
        while len(self._cards) < len(variants):
            card = PreviewCard()
            card.custom_text_changed.connect(self.model.set_custom_text)
            self.preview_list.insertWidget(len(self._cards), card)
            self._cards.append(card)
        for card, variant in zip(self._cards, variants, strict=False):
            own = [f for f in findings if f.account_id == variant.account_id]
            card.show_variant(variant, variant.account_id in self.model.draft.custom_texts, own)
            card.photos.show_photos(self.photos_for(variant.network))
            if self._has_title(variant.network):
                video = self._video()
                frame = (
                    self.media_strip.video_frame(video, VIDEO_FRAME)
                    if video is not None and self.media_strip is not None
                    else None
                )
                card.show_video(frame, video is not None, self.model.draft.title)
            else:
                card.hide_video()
            card.setVisible(True)
        for card in self._cards[len(variants) :]:
            card.setVisible(False)
        self._sync_accounts()
        self._show_title()
        self._show_synthetic_question()
        self.preview_empty.setVisible(not variants)
        self.preview_empty.setText(
            _("Kies een account om het voorbeeld te zien.")
            if self.checks_enabled
            else _("Het voorbeeld wordt gemaakt…")
        )
        underline(self.editor, [f for f in findings if f.account_id is None])
        names = {v.account_id: v.account_name for v in variants}
        if self.checks_enabled:
            self.checks.show_register_note(self.model.register_note())
        self.checks.show_findings(findings, names, bool(self.model.draft.text.strip()))
        self._show_review()
        if self.checks_enabled:
            reason = self.model.why_not_publishable()
            if not reason and self.media_strip is not None and self.media_strip.busy:
                reason = _("Even geduld: Postwijs leest je foto nog.")
        else:
            reason = _("De controle wordt geladen…")
            self.checks.summary.setText(reason)
        self.reason.setText(reason)
        self.publish_button.setEnabled(not reason)
        self.schedule_button.setEnabled(not reason)
        self.publish_button.setToolTip(reason or _("Naar de laatste controle (Ctrl+Enter)"))

    @staticmethod
    def _has_title(network: str) -> bool:
        from app.networks.profiles import PROFILES

        known = PROFILES.get(network)
        return known is not None and bool(known.title_limits)

    def _video(self):
        return next((m for m in self.model.draft.media if m.kind == "video"), None)

    def _show_title(self) -> None:
        """The title field, only while a network that takes a title is chosen; counted and
        checked as the author types."""
        room = self.model.title_room() if self.checks_enabled else None
        self.title_box.setVisible(room is not None)
        if room is None:
            return
        self.title_counter.setText(room.in_words())
        self.title_counter.setStyleSheet(OVER_LIMIT_STYLE if room.problems else "")
        self.title_problem.setText(" ".join(room.problems))
        self.title_problem.setVisible(bool(room.problems))

    def _show_synthetic_question(self) -> None:
        networks = self.model.asks_synthetic_media() if self.checks_enabled else ()
        self.synthetic_box.setVisible(bool(networks))
        if networks:
            explained = _(
                "{networks} vraagt of deze video echt lijkende mensen, plekken of gebeurtenissen"
                " laat zien die met AI zijn gemaakt of veranderd. Vink aan als dat zo is."
            ).format(networks=_(" en ").join(networks))
            self.synthetic_explained.setText(explained)
            self.synthetic_check.setAccessibleDescription(explained)

    def _publish_by_key(self) -> None:
        # The same way as a click: only when Plaatsen could be clicked, and only to the confirmation.
        if self.publish_button.isEnabled() and self.publish_button.isVisible():
            self.publish_button.click()

    def _show_review(self) -> None:
        # The review states of app.compose.drafts, by value: importing that module is left out of start-up.
        APPROVED, WAITING = "approved", "waiting"

        review = self.model.review
        self.review_banner.setVisible(review is not None)
        self.review_button.setEnabled(
            bool(self.model.draft.text.strip()) and (review is None or review.state != WAITING)
        )
        if review is None:
            return
        if review.state == WAITING:
            self.review_text.setText(
                _("Voorgelegd aan {manager}. Dit bericht wacht op het antwoord.").format(
                    manager=review.manager
                )
            )
        elif review.state == APPROVED:
            self.review_text.setText(
                _("{who} ging akkoord. {note}").format(who=review.answered_by, note=review.note)
            )
        else:
            self.review_text.setText(
                _("{who} ging niet akkoord. {note}").format(
                    who=review.answered_by, note=review.note
                )
            )
        self.answer_button.setVisible(review.state == WAITING)

    def sync_from_model(self) -> None:
        """Shows a draft the model loaded (a saved draft, or a new one after publishing)."""
        self._fill_schools()
        self._fill_accounts()
        if self.editor.toPlainText() != self.model.draft.text:
            self.editor.setPlainText(self.model.draft.text)
        if self.title_edit.text() != self.model.draft.title:
            self.title_edit.setText(self.model.draft.title)
        self.synthetic_check.setChecked(self.model.draft.synthetic_media)
        self.refresh()

    def photos_for(self, network: str) -> list:
        """The draft's photos and videos as they will be posted on `network`, with their
        descriptions."""
        if self.media_strip is None:
            return []
        from ui.composer.media_strip import item_name
        from ui.composer.photo_row import PHOTO, PostedPhoto

        return [
            PostedPhoto(
                item_name(item, number),
                self.media_strip.video_frame(item, PHOTO)
                if item.kind == "video"
                else self.media_strip.posted_pixmap(item, network, PHOTO),
                item.alt_text,
            )
            for number, item in enumerate(self.model.draft.media, start=1)
        ]

    @property
    def preview_cards(self) -> list[PreviewCard]:
        """The previews on screen, one per chosen account, in the school's order."""
        return [card for card in self._cards if not card.isHidden()]

    def _editor_for(self, account_id: str | None) -> QPlainTextEdit:
        for card in self._cards:
            if account_id and card.account_id == account_id and card.customise.isChecked():
                return card.editor
        return self.editor

    def show_finding(self, finding: Finding) -> None:
        """Shows where a finding is: its words in the text, or the photo's faces or description."""
        if finding.media is not None and self.media_strip is not None:
            self.media_strip.open_item(finding.media, describe=finding.rule == "alt_text")
            return
        if finding.span:
            select_span(self._editor_for(finding.account_id), finding.span)

    def apply_fix(self, finding: Finding) -> None:
        if finding.fix == "remove_hidden_characters":
            from app.rules.hidden_characters import remove_hidden_characters

            editor = self._editor_for(finding.account_id)
            editor.setPlainText(remove_hidden_characters(editor.toPlainText()))
