"""The Signalen page: mentions of, replies to and quotes of the school's accounts, newest first,
the ones that trip a rule on top. Read-only by design: no reply, like or boost button
(Profileren 3); "Bespreken met leidinggevende" instead."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import signals
from app.dutch_time import short_moment
from app.i18n import _
from app.site.config import School, Site
from app.store import Store, StoreError
from ui import accessibility
from ui.flow_row import FlowRow

KIND_WORDS = {
    "mention": lambda: _("noemt het account"),
    "reply": lambda: _("reageert"),
    "quote": lambda: _("citeert"),
}
COLUMNS = (
    lambda: _("Let op"),
    lambda: _("Wie, wanneer, waar"),
    lambda: _("Wat er gezegd is"),
)


def kind_text(kind: str) -> str:
    words = KIND_WORDS.get(kind)
    return words() if words else kind


def mark_text(item: signals.Signal) -> str:
    if not item.marked:
        return ""
    return _("Let op: {what}").format(what=signals.mark_words(item.mark_rule))


def discussion_text(item: signals.Signal) -> str:
    if item.discussion == signals.WAITING:
        return _("voorgelegd aan de leidinggevende")
    if item.discussion == signals.DECIDED:
        return _("besloten: {decision}").format(decision=item.decision)
    return ""


class SignalsPage(QWidget):
    """`store` is the window's; `open_url` hands the mail and the links to the OS (False when
    nothing opened); `fetch_now` asks the background fetch to run at once."""

    def __init__(
        self,
        site: Site,
        store: Store,
        schools: list[School],
        author: str,
        open_url: Callable[[QUrl], bool],
        fetch_now: Callable[[], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.site = site
        self.store = store
        self.schools = schools
        self.author = author
        self.open_url = open_url
        self.items: list[signals.Signal] = []
        self.seen_before: datetime | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        title = QLabel(_("Signalen"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.why = QLabel(
            _(
                "Wat anderen over of tegen de accounts van de school zeggen. Er is bewust geen knop"
                " om te reageren, te liken of te delen: negatieve discussies gaan we in het echt"
                " aan, niet op sociale media (Profileren 3). Bespreek een signaal met je"
                " leidinggevende. Signalen worden {days} dagen bewaard; de namen van de schrijvers"
                " zijn persoonsgegevens."
            ).format(days=site.signals_keep_days)
        )
        self.why.setObjectName("hint")
        self.why.setWordWrap(True)
        outer.addWidget(self.why)

        filters = QHBoxLayout()
        self.school = QComboBox()
        self.school.addItem(_("Alle scholen"), "")
        for school in schools:
            self.school.addItem(school.name, school.id)
        self.school.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.school.setMinimumContentsLength(16)
        accessibility.name(self.school, _("School"))
        filters.addWidget(self.school, 1)
        self.fetch_button = QPushButton(_("Nu ophalen"))
        self.fetch_button.clicked.connect(fetch_now)
        filters.addWidget(self.fetch_button)
        outer.addLayout(filters)
        self.fetch_state = QLabel()
        self.fetch_state.setObjectName("statusNote")
        self.fetch_state.setWordWrap(True)
        self.fetch_state.setVisible(False)
        outer.addWidget(self.fetch_state)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([words() for words in COLUMNS])
        self.table.setAccessibleName(_("Signalen"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # What was said gets the room; the mark and who said it wrap in steady columns (a long
        # account name or handle must not squeeze the text off a laptop screen).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 140), (1, 250)):
            self.table.setColumnWidth(column, width)
        accessibility.leave_by_tab(self.table)
        outer.addWidget(self.table, 1)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)

        self.chosen = QLabel()
        self.chosen.setWordWrap(True)
        self.chosen.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.chosen)
        self.note = QLineEdit()
        self.note.setPlaceholderText(
            _("Toelichting voor je leidinggevende, of het besluit om vast te leggen")
        )
        accessibility.name(self.note, _("Toelichting of besluit"))
        outer.addWidget(self.note)
        actions = FlowRow()  # on two lines where the window is narrow (150 % zoom)
        self.open_button = QPushButton(_("Openen op het netwerk"))
        self.discuss_button = QPushButton(_("Bespreken met leidinggevende"))
        self.discuss_button.setToolTip(
            _("Zet het signaal met de link voor je leidinggevende, per e-mail (Communiceren 15).")
        )
        self.decide_button = QPushButton(_("Besluit vastleggen"))
        self.erase_button = QPushButton(_("Naam wissen (AVG)"))
        self.erase_button.setToolTip(
            _("Wist de naam van deze schrijver uit alle signalen en uit de geschiedenis.")
        )
        for button in (
            self.open_button,
            self.discuss_button,
            self.decide_button,
            self.erase_button,
        ):
            actions.addWidget(button)
        outer.addLayout(actions)
        self.status = QLabel()
        self.status.setObjectName("statusNote")
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        self.open_button.clicked.connect(self.open_chosen)
        self.discuss_button.clicked.connect(self.discuss_chosen)
        self.decide_button.clicked.connect(self.decide_chosen)
        self.erase_button.clicked.connect(self.erase_chosen)
        self.school.currentIndexChanged.connect(self.reload)
        self.table.itemSelectionChanged.connect(self._show_chosen)
        self.reload()

    # --- the list ---------------------------------------------------------------------------

    def school_ids(self) -> list[str]:
        chosen = self.school.currentData()
        return [chosen] if chosen else [s.id for s in self.schools]

    def reload(self) -> None:
        chosen = self.current()
        try:
            self.items = signals.signals(self.store, self.school_ids())
        except StoreError as error:
            self.items = []
            self.status.setText(str(error))
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            new = self.seen_before is None or item.fetched_at > self.seen_before
            when = short_moment(item.created_at)
            who = "\n".join(
                (
                    item.author_handle or _("(naam gewist)"),
                    f"{when} · {_('nieuw')}" if new else when,
                    _("aan {account}").format(account=self._account_name(item.account_id)),
                )
            )
            cells = (mark_text(item), who, f"{kind_text(item.kind)}: {item.text}")
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 0 and item.marked:
                    cell.setToolTip(item.mark_articles)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        self.empty.setText(
            ""
            if self.items
            else _(
                "Nog geen signalen. Postwijs haalt ze op de achtergrond op, om de {minutes}"
                " minuten, bij de netwerken die vermeldingen laten zien (Mastodon, Bluesky)."
            ).format(minutes=self.site.signals_interval_minutes)
        )
        self.empty.setVisible(not self.items)
        if chosen is not None:
            for row, item in enumerate(self.items):
                if item.id == chosen.id:
                    self.table.selectRow(row)
        self._show_chosen()

    def _account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name
        except KeyError:
            return account_id

    def current(self) -> signals.Signal | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.items):
            return None
        return self.items[rows[0].row()]

    def _show_chosen(self) -> None:
        item = self.current()
        for button in (self.open_button, self.discuss_button, self.erase_button):
            button.setEnabled(item is not None)
        self.decide_button.setEnabled(item is not None and item.discussion == signals.WAITING)
        self.erase_button.setEnabled(item is not None and bool(item.author_handle))
        if item is None:
            self.chosen.setText("")
            return
        parts = []
        if item.marked:
            parts.append(
                "<b>"
                + html.escape(_("Let op: {message} ({articles})")).format(
                    message=html.escape(item.mark_message),
                    articles=html.escape(item.mark_articles),
                )
                + "</b>"
            )
        state = discussion_text(item)
        if state:
            parts.append(html.escape(state))
        self.chosen.setText("<br>".join(parts))

    # --- what can be done with one ----------------------------------------------------------

    def open_chosen(self) -> None:
        item = self.current()
        if item is not None and not self.open_url(QUrl(item.url)):
            self.status.setText(_("Er ging geen browser open. De link: {url}").format(url=item.url))

    def _school_of(self, item: signals.Signal) -> School:
        return self.site.school(item.school_id)

    def discuss_chosen(self) -> None:
        item = self.current()
        if item is None:
            return
        try:
            discussion = signals.discuss(
                self.store, self._school_of(item), item.id, self.author, self.note.text()
            )
        except (signals.DiscussionNotPossible, StoreError) as problem:
            self.status.setText(str(problem))
            return
        if self.open_url(QUrl(discussion.mailto)):
            self.status.setText(
                _(
                    "De e-mail aan {manager} staat klaar in je e-mailprogramma. Leg het besluit"
                    " hier vast met \u201cBesluit vastleggen\u201d."
                ).format(manager=discussion.manager)
            )
        else:
            QApplication.clipboard().setText(
                _("Aan: {address}\nOnderwerp: {subject}\n\n{body}").format(
                    address=discussion.address, subject=discussion.subject, body=discussion.body
                )
            )
            self.status.setText(
                _(
                    "Er ging geen e-mailprogramma open. De tekst staat op het klembord: plak hem in"
                    " een e-mail aan {address}."
                ).format(address=discussion.address)
            )
        self.note.clear()
        self.reload()

    def decide_chosen(self) -> None:
        item = self.current()
        decision = self.note.text().strip()
        if item is None:
            return
        if not decision:
            self.status.setText(_("Schrijf eerst het besluit in het veld hierboven."))
            self.note.setFocus()
            return
        try:
            signals.record_decision(self.store, item.id, decision, self.author)
        except StoreError as error:
            self.status.setText(str(error))
            return
        self.status.setText(_("Het besluit staat in de geschiedenis."))
        self.note.clear()
        self.reload()

    def erase_chosen(self) -> None:
        item = self.current()
        if item is None or not item.author_handle:
            return
        try:
            count = signals.erase_author(self.store, item.author_handle, self.author)
        except StoreError as error:
            self.status.setText(str(error))
            return
        self.status.setText(
            _("De naam is gewist uit {count} signalen en uit de geschiedenis.").format(count=count)
        )
        self.reload()

    def show_fetch_state(self, text: str) -> None:
        self.fetch_state.setText(text)
        self.fetch_state.setVisible(bool(text))
