"""Geschiedenis: every post with its state per network, search and filters, links, retraction."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.compose.declarations import synthetic_media_words
from app.dutch_time import short_moment
from app.i18n import _
from app.networks.profiles import label as network_label
from app.publishing import outbox
from app.publishing.post_log import PostRow
from app.site.config import Site
from ui import accessibility, layouts
from ui.flow_row import FlowRow

STATE_WORDS = {
    outbox.PENDING: lambda: _("wacht op verzending"),
    outbox.SENDING: lambda: _("bezig met plaatsen"),
    outbox.POSTED: lambda: _("geplaatst"),
    outbox.WAITING: lambda: _("wacht, probeert het later opnieuw"),
    outbox.RECONNECT: lambda: _("wacht: meld het account opnieuw aan"),
    outbox.FAILED: lambda: _("niet geplaatst"),
    outbox.ASK_USER: lambda: _(
        "wacht op jou: kijk op het account of het er al staat (zie Gepland)"
    ),
    outbox.OVER_BUDGET: lambda: _("wacht: het budget van deze maand voor dit account is op"),
    outbox.CAPPED: lambda: _("wacht: het tegoed van de stichting bij X is op"),
}
RETRACT_WORDS = {
    outbox.RETRACTING: lambda: _("wordt ingetrokken"),
    outbox.RETRACTED: lambda: _("ingetrokken"),
    outbox.RETRACT_FAILED: lambda: _("intrekken mislukt"),
}


def when(iso: str | None) -> str:
    return short_moment(iso)


def target_state(t: outbox.Target) -> str:
    if t.retract_state:
        return RETRACT_WORDS[t.retract_state]()
    return STATE_WORDS[t.state]()


def school_year_bounds(today: date, years_back: int = 0) -> tuple[datetime, datetime]:
    start_year = (today.year if today.month >= 8 else today.year - 1) - years_back
    return (
        datetime(start_year, 8, 1, tzinfo=UTC),
        datetime(start_year + 1, 8, 1, tzinfo=UTC),
    )


PERIODS = (
    ("", lambda: _("Altijd"), lambda today: (None, None)),
    (
        "week",
        lambda: _("Afgelopen week"),
        lambda today: (datetime.now(UTC) - timedelta(days=7), None),
    ),
    (
        "month",
        lambda: _("Afgelopen maand"),
        lambda today: (datetime.now(UTC) - timedelta(days=31), None),
    ),
    ("year", lambda: _("Dit schooljaar"), lambda today: school_year_bounds(today)),
    ("last-year", lambda: _("Vorig schooljaar"), lambda today: school_year_bounds(today, 1)),
)
STATES = (
    ("", lambda: _("Alle berichten")),
    ("posted", lambda: _("Geplaatst")),
    ("retracted", lambda: _("Ingetrokken")),
    ("failed", lambda: _("Niet (helemaal) gelukt")),
    ("scheduled", lambda: _("Gepland")),
    ("practice", lambda: _("Oefening")),
)


class HistoryPage(QWidget):
    """`search(**filters)` returns PostRows; `retract(job_id, reason)` and `retry(target_id)` act."""

    retract_requested = Signal(str, str)
    retry_requested = Signal(str)

    def __init__(
        self, site: Site, search: Callable[..., list[PostRow]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.site = site
        self.search = search
        self.rows: list[PostRow] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        title = QLabel(_("Geschiedenis"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)

        actions = FlowRow()
        self.report_button = QPushButton(_("Jaarverslag maken…"))
        self.report_button.setToolTip(
            _(
                "Het jaarverslag voor het Informatie Beveiliging Team (IBT), als PDF en CSV"
                " (Uitgangspunten 9)."
            )
        )
        self.verify_button = QPushButton(_("Geschiedenis controleren"))
        self.export_button = QPushButton(_("Exporteren voor de audit…"))
        self.sweep_button = QPushButton(_("Jaarcontrole…"))
        self.sweep_button.setToolTip(
            _(
                "Jaarcontrole van de accounts: alle berichten van de accounts in een schooljaar"
                " nagaan, ook wat buiten Postwijs is geplaatst (Uitgangspunten 9)."
            )
        )
        for button in (
            self.report_button,
            self.verify_button,
            self.export_button,
            self.sweep_button,
        ):
            actions.addWidget(button)
        outer.addLayout(actions)
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Zoeken in de tekst…"))
        accessibility.name(self.query, _("Zoeken in de tekst"))
        self.query.setClearButtonEnabled(True)
        outer.addWidget(self.query)
        filters = FlowRow()
        self.school = QComboBox()
        self.school.addItem(_("Alle scholen"), "")
        for school in site.schools:
            self.school.addItem(school.name, school.id)
        filters.addWidget(self.school)
        self.account = QComboBox()
        self.account.addItem(_("Alle accounts"), "")
        for school in site.schools:
            for account in school.accounts:
                self.account.addItem(account.name, account.id)
        filters.addWidget(self.account)
        self.period = QComboBox()
        for key, words, _bounds in PERIODS:
            self.period.addItem(words(), key)
        filters.addWidget(self.period)
        self.state = QComboBox()
        for key, words in STATES:
            self.state.addItem(words(), key)
        filters.addWidget(self.state)
        for box, box_name in (
            (self.school, _("School")),
            (self.account, _("Account")),
            (self.period, _("Periode")),
            (self.state, _("Stand van het bericht")),
        ):
            accessibility.name(box, box_name)
        for box in (self.school, self.account):
            # Long account names are read in the open list; closed, the box keeps a steady width
            # so that the page fits a laptop screen.
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(12)
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
        outer.addLayout(filters)

        splitter = QSplitter()
        self.list = QListWidget()
        self.list.setAccessibleName(_("Berichten"))
        # The post's first line wraps in its entry rather than run out of the narrow list, where
        # only a sideways scroll bar would show its end (the whole text is in the details).
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        accessibility.leave_by_tab(self.list)
        splitter.addWidget(self.list)
        self.details_scroll = QScrollArea()
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # It takes the focus so that a long post can be scrolled with the arrow keys.
        accessibility.name(self.details_scroll, _("Het gekozen bericht"))
        self.details = QWidget()
        self.details_layout = QVBoxLayout(self.details)
        self.details_scroll.setWidget(self.details)
        splitter.addWidget(self.details_scroll)
        splitter.setSizes([420, 520])
        outer.addWidget(splitter, 1)
        self.empty = QLabel()
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)

        # Typing waits a moment before searching, so every keystroke does not query the database.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.reload)
        self.query.textChanged.connect(self._debounce.start)
        for box in (self.school, self.account, self.period, self.state):
            box.currentIndexChanged.connect(self.reload)
        self.list.currentRowChanged.connect(self._show_details)

    def filters(self) -> dict:
        since, until = PERIODS[self.period.currentIndex()][2](date.today())
        return {
            "text": self.query.text().strip(),
            "school_id": self.school.currentData() or "",
            "account_id": self.account.currentData() or "",
            "since": since,
            "until": until,
            "state": self.state.currentData() or "",
        }

    def _account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name
        except KeyError:
            return account_id

    def reload(self) -> None:
        current = (
            self.rows[self.list.currentRow()].job_id
            if 0 <= self.list.currentRow() < len(self.rows)
            else ""
        )
        self.rows = self.search(**self.filters())
        self.list.blockSignals(True)
        self.list.clear()
        for row in self.rows:
            marks = " ".join(
                (
                    "✓"
                    if t.state == outbox.POSTED and not t.retract_state
                    else "✗"
                    if t.state == outbox.FAILED
                    else "…"
                )
                for t in row.targets
            )
            first_line = row.text.split("\n", 1)[0]
            accounts = ", ".join(self._account_name(t.account_id) for t in row.targets)
            item = QListWidgetItem(
                f"{when(row.scheduled_at or row.created_at)}  {marks}\n{accounts}\n{first_line if len(first_line) <= 90 else first_line[:89] + '…'}"
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        filtered = any(v for v in self.filters().values())
        self.empty.setText(
            ""
            if self.rows
            else _("Niets gevonden met deze filters.")
            if filtered
            else _("Nog niets geplaatst. Wat je plaatst verschijnt hier, met de links per netwerk.")
        )
        index = next(
            (i for i, r in enumerate(self.rows) if r.job_id == current), 0 if self.rows else -1
        )
        self.list.setCurrentRow(index)
        self._show_details(index)

    def _clear_details(self) -> None:
        layouts.empty(self.details_layout)

    def _show_details(self, index: int) -> None:
        self._clear_details()
        if not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        try:
            school = self.site.school(row.school_id).name
        except KeyError:
            school = row.school_id
        heading = QLabel(
            _("Geplaatst namens {school}, {moment}").format(
                school=school, moment=when(row.created_at)
            )
            if not row.scheduled_at
            else _("Gepland voor {moment} namens {school}").format(
                moment=when(row.scheduled_at), school=school
            )
        )
        heading.setObjectName("sectionTitle")
        heading.setWordWrap(True)
        self.details_layout.addWidget(heading)
        for t in row.targets:
            box = QFrame()
            box.setObjectName("previewCard")
            layout = QVBoxLayout(box)
            name = QLabel(
                f"<b>{html.escape(self._account_name(t.account_id))}</b>"
                f" · {html.escape(network_label(t.network))} — {html.escape(target_state(t))}"
            )
            name.setWordWrap(True)
            layout.addWidget(name)
            if t.url and t.url.startswith("http") and not t.retract_state:
                # Words, not the address: a long address cannot wrap and would widen the pane.
                link = QLabel(
                    "<a href='{url}'>{words}</a>".format(
                        url=html.escape(t.url, quote=True),
                        words=html.escape(
                            _("Bekijk het bericht op {network}").format(
                                network=network_label(t.network)
                            )
                        ),
                    )
                )
                link.setToolTip(t.url)
                link.setOpenExternalLinks(True)
                layout.addWidget(link)
            text = QLabel(t.final_text)
            text.setWordWrap(True)
            layout.addWidget(text)
            declared = row.synthetic_media.get(t.id)
            if declared is not None:
                said = QLabel(synthetic_media_words(network_label(t.network), declared))
                said.setObjectName("hint")
                said.setWordWrap(True)
                layout.addWidget(said)
            problem = t.retract_error if t.retract_state == outbox.RETRACT_FAILED else t.error
            if (problem and t.state != outbox.POSTED) or t.retract_state == outbox.RETRACT_FAILED:
                reason = QLabel(problem or "")
                reason.setObjectName("reason")
                reason.setWordWrap(True)
                layout.addWidget(reason)
            if t.state in (outbox.FAILED, outbox.WAITING, outbox.OVER_BUDGET, outbox.CAPPED):
                retry = QPushButton(_("Opnieuw proberen"))
                retry.clicked.connect(lambda _c=False, tid=t.id: self.retry_requested.emit(tid))
                layout.addWidget(retry)
            self.details_layout.addWidget(box)
        if any(
            t.state == outbox.POSTED and t.retract_state != outbox.RETRACTED for t in row.targets
        ):
            retract = QPushButton(_("Intrekken op alle netwerken…"))
            retract.setToolTip(
                _("Verwijdert het bericht overal waar het geplaatst is (Communiceren 12).")
            )
            retract.clicked.connect(lambda: self._ask_retract(row))
            self.details_layout.addWidget(retract)
        self.details_layout.addStretch(1)

    def _ask_retract(self, row: PostRow) -> None:
        reason, ok = QInputDialog.getText(
            self,
            _("Bericht intrekken"),
            _(
                "Waarom trek je dit bericht in? De reden wordt bewaard in de geschiedenis.\n"
                "Let op: wat online stond kan al gezien of gekopieerd zijn (Communiceren 9)."
            ),
        )
        if ok and reason.strip():
            self.retract_requested.emit(row.job_id, reason.strip())

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)
