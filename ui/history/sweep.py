"""Jaarcontrole van de accounts, from the Geschiedenis page: run the sweep of a school year in the
background with a progress bar and a stop button, list what it found, and from a finding retract
the post on the network (with a reason) or mark it reviewed (with a note). Both are recorded."""

from __future__ import annotations

import html
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import yearly_sweep
from app.dutch_time import short_moment
from app.history.annual_report import sweep_class_label
from app.i18n import _
from app.networks.connector import ConnectorError, NotSupported
from app.networks.profiles import label as network_label
from app.school_year import current_school_year, previous_school_year
from app.site.config import Account, Site
from app.store import Store
from ui import accessibility
from ui.background import run_in_background
from ui.failure_text import failure_words

log = logging.getLogger("postwijs.sweep")


class _ProgressRelay(QObject):
    """Emitted from the sweep's thread, delivered on the GUI thread (queued)."""

    progress = Signal(object)


class SweepDialog(QDialog):
    """`connector_for(account)` makes an account's connector (called off the GUI thread);
    `by` is who runs the sweep, as the history records it."""

    finished_sweep = Signal(object)  # the Outcome, or None after an error
    acted = Signal(str)  # what was done about a finding, in Dutch

    def __init__(
        self,
        store: Store,
        data_dir: Path,
        site: Site,
        connector_for: Callable[[Account], object],
        by: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store, self.data_dir, self.site = store, Path(data_dir), site
        self.connector_for = connector_for
        self.by = by
        self.running = False
        self.acting = False
        self._stop = threading.Event()
        self.findings: list[yearly_sweep.Listed] = []
        self.setWindowTitle(_("Jaarcontrole van de accounts"))
        self.setMinimumSize(680, 540)  # the list of findings needs room; fits 1024x700
        outer = QVBoxLayout(self)
        about = QLabel(
            _(
                "Leest alle eigen berichten van de accounts in een schooljaar bij het netwerk en"
                " vergelijkt ze met de geschiedenis. Berichten die buiten Postwijs zijn geplaatst,"
                " worden getoetst aan de gedragsregels van dat moment (Uitgangspunten 9)."
            )
        )
        about.setWordWrap(True)
        outer.addWidget(about)
        choose = QHBoxLayout()
        self.year = QComboBox()
        year = current_school_year(datetime.now(UTC))
        for _n in range(3):
            self.year.addItem(year)
            year = previous_school_year(year)
        self.school = QComboBox()
        self.school.addItem(_("Alle scholen"), "")
        for school in site.schools:
            self.school.addItem(school.name, school.id)
        accessibility.name(self.year, _("Schooljaar"))
        accessibility.name(self.school, _("School"))
        choose.addWidget(self.year)
        choose.addWidget(self.school, 1)
        self.start_button = QPushButton(_("Controle starten"))
        self.stop_button = QPushButton(_("Stoppen"))
        self.stop_button.setEnabled(False)
        self.stop_button.setToolTip(
            _("Stopt na het bericht dat nu gelezen wordt; later gaat de controle hier verder.")
        )
        choose.addWidget(self.start_button)
        choose.addWidget(self.stop_button)
        outer.addLayout(choose)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        accessibility.name(self.progress, _("Voortgang van de controle"))
        # An empty bar before anything ran looks like a check that is stuck; it shows once started.
        self.progress.setVisible(False)
        outer.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Bevindingen"))
        self.list.setWordWrap(True)
        outer.addWidget(self.list, 1)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setOpenExternalLinks(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        outer.addWidget(self.detail)
        act = QHBoxLayout()
        self.retract_button = QPushButton(_("Intrekken op het netwerk…"))
        self.retract_button.setToolTip(
            _("Verwijdert het bericht op het netwerk; de reden wordt bewaard in de geschiedenis.")
        )
        self.review_button = QPushButton(_("Nagekeken…"))
        self.review_button.setToolTip(
            _("Laat het bericht staan en bewaart je notitie in de geschiedenis.")
        )
        close = QPushButton(_("Sluiten"))
        close.clicked.connect(self.reject)
        act.addWidget(self.retract_button)
        act.addWidget(self.review_button)
        act.addStretch(1)
        act.addWidget(close)
        outer.addLayout(act)

        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._show_progress)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.retract_button.clicked.connect(self._ask_retract)
        self.review_button.clicked.connect(self._ask_review)
        self.list.currentRowChanged.connect(self._show_finding)
        self.year.currentIndexChanged.connect(self.reload)
        self.reload()

    # --- the sweep --------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        return yearly_sweep.accounts_of(self.site, self.school.currentData() or "")

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        self._stop.clear()
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the first account reports
        self.progress.setVisible(True)
        self.status.setText(_("De controle is bezig…"))
        year, accounts = self.year.currentText(), self.accounts()
        data_dir, site, by, make = self.data_dir, self.site, self.by, self.connector_for
        relay, stop = self._relay, self._stop

        def work():
            store = Store.open(data_dir)
            try:
                return yearly_sweep.run(
                    store,
                    site,
                    year,
                    accounts,
                    make,
                    by,
                    should_stop=stop.is_set,
                    on_progress=relay.progress.emit,
                )
            finally:
                store.close()

        run_in_background(work, self._done, owner=self)

    def stop(self) -> None:
        self._stop.set()
        self.stop_button.setEnabled(False)
        self.status.setText(_("De controle stopt na dit bericht…"))

    def _show_progress(self, progress: yearly_sweep.Progress) -> None:
        self.progress.setRange(0, progress.accounts)
        self.progress.setValue(progress.account_index)
        self.progress.setFormat(
            _("Account {n} van {total}").format(
                n=progress.account_index + 1, total=progress.accounts
            )
        )
        if progress.waiting_until is not None:
            self.status.setText(
                _("{account}: het netwerk laat even wachten, tot {time}.").format(
                    account=progress.account_name,
                    time=short_moment(progress.waiting_until.isoformat()),
                )
            )
        else:
            self.status.setText(
                _("{account}: {n} berichten gelezen.").format(
                    account=progress.account_name, n=progress.posts_read
                )
            )

    def _done(self, outcome: yearly_sweep.Outcome | None, error: BaseException | None) -> None:
        self.running = False
        self.start_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.progress.setRange(0, 1)
        if error is not None or outcome is None:
            self.progress.setValue(0)
            reason = failure_words(error, log, "sweep") if error is not None else ""
            self.status.setText(_("De controle is niet gelukt: {reason}").format(reason=reason))
            self.finished_sweep.emit(None)
            return
        self.progress.setValue(1 if outcome.complete else 0)
        self.progress.setFormat(_("Klaar") if outcome.complete else _("Onderbroken"))
        lines = []
        for result in outcome.results:
            if result.done:
                counts = ", ".join(
                    f"{result.counts.get(klass, 0)} {sweep_class_label(klass)}"
                    for klass in ("unchanged", "edited", "deleted", "outside")
                )
                lines.append(f"{result.account_name}: {counts}.")
            else:
                lines.append(f"{result.account_name}: {result.problem}")
        self.status.setText("\n".join(lines))
        self.reload()
        self.finished_sweep.emit(outcome)

    # --- the findings ---------------------------------------------------------------------

    def _account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name
        except KeyError:
            return account_id

    def reload(self) -> None:
        self.findings = yearly_sweep.latest_findings(self.store, self.year.currentText())
        current = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.findings:
            what = "; ".join(f.get("message", "") for f in item.findings) or sweep_class_label(
                item.klass
            )
            state = ""
            if item.handled:
                state = (
                    _("ingetrokken") if item.handled["action"] == "retracted" else _("nagekeken")
                )
                state = f" — {state}"
            self.list.addItem(
                QListWidgetItem(
                    f"{short_moment(item.created_at)}  {self._account_name(item.account_id)}"
                    f" · {sweep_class_label(item.klass)}{state}\n{what}"
                )
            )
        self.list.blockSignals(False)
        if self.findings:
            self.list.setCurrentRow(min(max(current, 0), len(self.findings) - 1))
        self._show_finding(self.list.currentRow())

    def selected(self) -> yearly_sweep.Listed | None:
        row = self.list.currentRow()
        return self.findings[row] if 0 <= row < len(self.findings) else None

    def _show_finding(self, row: int) -> None:
        item = self.selected()
        open_item = item is not None and item.handled is None and not self.acting
        self.retract_button.setEnabled(open_item and item.klass != "deleted")  # type: ignore[union-attr]
        self.review_button.setEnabled(open_item)
        if item is None:
            self.detail.setText(
                _("Nog geen bevindingen voor dit schooljaar.") if not self.running else ""
            )
            return
        parts = [f"<b>{html.escape(sweep_class_label(item.klass))}</b>"]
        for finding in item.findings:
            parts.append(html.escape(finding.get("message", "")))
        if item.url.startswith("http"):
            parts.append(
                "<a href='{url}'>{words}</a>".format(
                    url=html.escape(item.url, quote=True),
                    words=html.escape(_("Bekijk het bericht op het netwerk")),
                )
            )
        if item.handled:
            parts.append(
                html.escape(
                    _("{what} door {by}: {text}").format(
                        what=_("Ingetrokken")
                        if item.handled["action"] == "retracted"
                        else _("Nagekeken"),
                        by=item.handled["by"],
                        text=item.handled["text"],
                    )
                )
            )
        self.detail.setText("<br>".join(parts))

    def _ask_retract(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            _("Bericht intrekken"),
            _("Waarom trek je dit bericht in? De reden wordt bewaard in de geschiedenis."),
        )
        if ok and reason.strip():
            self.retract_selected(reason)

    def _ask_review(self) -> None:
        note, ok = QInputDialog.getText(
            self,
            _("Nagekeken"),
            _("Wat heb je gedaan of besloten? De notitie wordt bewaard in de geschiedenis."),
        )
        if ok and note.strip():
            self.review_selected(note)

    def retract_selected(self, reason: str) -> None:
        """Deletes the selected post on its network in the background, then records it."""
        item = self.selected()
        if item is None or not reason.strip():
            return
        account = self.site.account(item.account_id)
        year, data_dir, make, by = (
            self.year.currentText(),
            self.data_dir,
            self.connector_for,
            self.by,
        )
        self.acting = True
        self._show_finding(self.list.currentRow())

        def work():
            store = Store.open(data_dir)
            try:
                return yearly_sweep.retract(
                    store,
                    make(account),
                    account,
                    year,
                    item.remote_id,
                    reason,
                    by,
                )
            finally:
                store.close()

        def done(_result: object, error: BaseException | None) -> None:
            self.acting = False
            if error is not None:
                self.status.setText(
                    _("Intrekken is niet gelukt: {reason}").format(
                        reason=failure_words(error, log, "retracting a sweep finding")
                    )
                )
                self._show_finding(self.list.currentRow())
                self.acted.emit("")
                return
            self.status.setText(_("Ingetrokken op het netwerk; de reden is bewaard."))
            self.reload()
            self.acted.emit("retracted")

        run_in_background(work, done, owner=self)

    def review_selected(self, note: str) -> None:
        item = self.selected()
        if item is None or not note.strip():
            return
        account = self.site.account(item.account_id)
        yearly_sweep.mark_reviewed(
            self.store, account, self.year.currentText(), item.remote_id, note, self.by
        )
        self.status.setText(_("Als nagekeken bewaard, met je notitie."))
        self.reload()
        self.acted.emit("reviewed")


def open_sweep(window) -> SweepDialog:
    """The dialog for the main window: its store, data folder and the publisher's connectors."""
    factory = window.publisher.connector_factory
    data_dir = window.data_dir

    def connector_for(account: Account):
        try:
            return factory(account, data_dir)
        except ConnectorError:
            raise
        except Exception as error:
            # One account whose connector cannot be made is named; the others are still swept.
            log.error("no connector for %s", account.id, exc_info=error)
            raise NotSupported(
                _("Postwijs kan {network} nu niet bereiken; de andere accounts gaan door.").format(
                    network=network_label(account.network)
                )
            ) from None

    dialog = SweepDialog(
        window.store,
        data_dir,
        window.site,
        connector_for,
        window.model.author.name,
        window,
    )
    window.sweep_dialog = dialog
    dialog.open()
    return dialog
