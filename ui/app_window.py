"""The main window: navigation on the left, the pages in the middle; and the GUI's start."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.commands.cli import Options
from app.compose.model import ComposerModel
from app.i18n import _
from app.site.config import Account, Site, SiteConfigError, load_site
from app.store import Store, StoreError
from ui.composer.composer import ComposerPage
from ui.pages import SettingsPage, error_page
from ui.style import STYLE

# The other pages, the publishing path and its dialog are imported and built when first needed:
# the composer must be on screen fast (bench/startup.py).

if TYPE_CHECKING:
    from app.networks.connector import Connector

ConnectorFactory = Callable[[Account, Path], "Connector"]
LANGUAGE_SETTING = "language"


class MainWindow(QMainWindow):
    def __init__(
        self,
        site: Site | None,
        store: Store | None,
        data_dir: Path,
        connector_factory: ConnectorFactory,
        problem: str = "",
    ):
        super().__init__()
        self.site = site
        self.store = store
        self.data_dir = Path(data_dir)
        self.connector_factory = connector_factory
        self.publishing = False
        self.confirm_dialog = None
        self.progress_dialog = None
        self.publisher = None
        self.tray = None
        self.missed_not_agreed: set[str] = set()
        self.setWindowTitle("Postwijs")
        self.resize(1180, 760)
        self.setStyleSheet(STYLE)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setFixedWidth(220)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        name = QLabel("Postwijs")
        name.setObjectName("appName")
        side.addWidget(name)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        side.addWidget(self.nav, 1)
        self.who = QLabel()
        self.who.setObjectName("whoAmI")
        self.who.setWordWrap(True)
        side.addWidget(self.who)
        row.addWidget(sidebar)
        self.pages = QStackedWidget()
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.composer: ComposerPage | None = None
        self.timeline = None
        self.page_index: dict[str, int] = {}
        self._page_builders: dict[int, Callable[[], QWidget]] = {}
        if problem or site is None or store is None:
            self._add_page(
                "composer",
                _("Nieuw bericht"),
                error_page(_("Postwijs kan nog niet plaatsen"), problem),
            )
        else:
            self.model = ComposerModel(site)
            self.composer = ComposerPage(self.model, store=self.store)
            self.composer.publish_requested.connect(self.confirm_publish)
            self.composer.review_requested.connect(self.put_before_manager)
            self.composer.answer_requested.connect(self.record_answer)
            self.composer.schedule_requested.connect(self.ask_schedule)
            from ui.publishing.publisher import Publisher

            self.publisher = Publisher(
                self.data_dir, site, connector_factory, self.people_for_rules
            )
            self.composer.first_painted.connect(self._after_first_paint)
            self.due_timer = QTimer(self)
            self.due_timer.setInterval(30_000)
            self.due_timer.timeout.connect(self.run_due)
            self.due_timer.start()
            # Soon after start: resume what a crash left, and ask about missed moments.
            QTimer.singleShot(1500, self.ask_about_missed)
            QTimer.singleShot(2000, self.run_due)
            # Saved shortly after each change, so a crash or a closed window loses nothing.
            self._save_timer = QTimer(self)
            self._save_timer.setSingleShot(True)
            self._save_timer.setInterval(400)
            self._save_timer.timeout.connect(self.save_draft)
            self.model.changed.connect(self._save_timer.start)
            self._add_page("composer", _("Nieuw bericht"), self.composer)
        self._add_page("scheduled", _("Gepland"), self._build_scheduled)
        self._add_page("history", _("Geschiedenis"), self._build_history)
        self._add_page("consent", _("Toestemmingen"), self._build_consent)
        self._add_page("accounts", _("Accounts"), self._build_accounts)
        self._add_page("practice", _("Oefentijdlijn"), self._build_timeline)
        self._add_page(
            "settings",
            _("Instellingen"),
            lambda: SettingsPage(
                self._site_description(),
                str(self.data_dir),
                i18n.current_language(),
                self._save_language,
            ),
        )
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        self._show_who()

    def _add_page(self, key: str, title: str, page: QWidget | Callable[[], QWidget]) -> None:
        """Adds a page, or a builder that makes it the first time it is shown."""
        if isinstance(page, QWidget):
            index = self.pages.addWidget(page)
        else:
            index = self.pages.addWidget(QWidget())
            self._page_builders[index] = page
        self.page_index[key] = index
        self.nav.addItem(title)

    def _show_row(self, index: int) -> None:
        build = self._page_builders.pop(index, None)
        if build is not None:
            placeholder = self.pages.widget(index)
            self.pages.insertWidget(index, build())
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        self.pages.setCurrentIndex(index)

    def _build_history(self) -> QWidget:
        if self.store is None or self.site is None:
            return error_page(
                _("Geschiedenis"), _("De geschiedenis is niet beschikbaar (zie Nieuw bericht).")
            )
        from app.publishing.post_log import search
        from ui.history import actions as history_actions
        from ui.history.page import HistoryPage

        page = HistoryPage(self.site, lambda **filters: search(self.store, **filters))
        page.report_button.clicked.connect(
            lambda: history_actions.ask_report(self, self.store, self.site)
        )
        page.verify_button.clicked.connect(
            lambda: history_actions.show_verification(self, self.store)
        )
        page.export_button.clicked.connect(lambda: history_actions.ask_export(self, self.store))
        page.retract_requested.connect(self.retract)
        page.retry_requested.connect(self.retry_target)
        return page

    def _build_accounts(self) -> QWidget:
        if self.store is None or self.site is None or self.composer is None:
            return error_page(
                _("Accounts"), _("De accounts zijn niet beschikbaar (zie Nieuw bericht).")
            )
        from app.publishing import outbox
        from ui.accounts.page import AccountsPage

        page = AccountsPage(
            self.site, self.store, self.data_dir, self.people_for_rules, self.model.author.name
        )

        def signed_in(account_id: str) -> None:
            # Posts that waited for this account go out now; its server's limits count from now.
            outbox.reconnected(self.store, account_id)
            self.reload_suspensions()
            self.run_due()

        page.connected.connect(signed_in)
        page.suspensions_changed.connect(self.reload_suspensions)
        return page

    def reload_suspensions(self) -> None:
        from app.accounts import suspensions as accounts
        from app.networks.account_limits import text_limits

        self.model.set_suspended(accounts.suspended_ids(self.store))
        self.model.set_text_limits(text_limits(self.store))

    def _build_consent(self) -> QWidget:
        if self.store is None or self.site is None or self.composer is None:
            return error_page(
                _("Toestemmingen"),
                _("Het toestemmingsregister is niet beschikbaar (zie Nieuw bericht)."),
            )
        from ui.consent.page import ConsentPage

        return ConsentPage(
            self.store, self.site, self.model.author.name, self.retract, self.reload_people
        )

    def _build_scheduled(self) -> QWidget:
        if self.store is None or self.site is None:
            return error_page(
                _("Gepland"), _("De planning is niet beschikbaar (zie Nieuw bericht).")
            )
        from app.publishing import outbox
        from ui.publishing.scheduled_page import ScheduledPage

        def load():
            return [
                (job, outbox.targets(self.store, job.id))
                for job in outbox.jobs(self.store, [outbox.SCHEDULED, outbox.HELD])
            ]

        page = ScheduledPage(self.site, load)
        page.cancel_requested.connect(self.cancel_scheduled)
        page.edit_requested.connect(self.edit_scheduled)
        page.reschedule_requested.connect(self.reschedule)
        return page

    def _build_timeline(self) -> QWidget:
        from connectors.practice import read_timeline
        from ui.publishing.practice_timeline import PracticeTimelinePage

        self.timeline = PracticeTimelinePage(lambda: read_timeline(self.data_dir))
        return self.timeline

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self.page_index[key])

    def _site_description(self) -> str:
        if self.site is None:
            return _("niet geladen (zie de foutmelding)")
        if self.site.is_demo:
            return _("demosite (er is nog geen siteconfiguratie geïnstalleerd)")
        return str(self.site.source)

    def _show_who(self) -> None:
        if self.site is None or self.composer is None:
            self.who.setText("")
            return
        author = self.model.author
        demo = "<br><i>" + _("demosite") + "</i>" if self.site.is_demo else ""
        self.who.setText(f"<b>{author.name}</b><br>{author.role}{demo}")

    def record_site_change(self) -> None:
        from app.site.audit import record_if_changed

        try:
            record_if_changed(self.store, self.site)
        except StoreError as error:
            self.statusBar().showMessage(str(error))

    def people_for_rules(self) -> list:
        """The consent register as the rules see it (its own connection: may run off the GUI thread)."""
        from app.consent import register as consent

        store = Store.open(self.data_dir)
        try:
            return consent.people_for_rules(store, self.site)
        finally:
            store.close()

    def _after_first_paint(self) -> None:
        QTimer.singleShot(0, self._restore_draft)
        QTimer.singleShot(0, self.record_site_change)
        QTimer.singleShot(0, self.reload_people)
        QTimer.singleShot(0, self.reload_suspensions)
        QTimer.singleShot(0, self.set_up_tray)
        QTimer.singleShot(0, self.watch_consent_folders)

    def reload_people(self) -> None:
        try:
            self.model.set_people(self.people_for_rules())
        except StoreError as error:
            self.statusBar().showMessage(str(error))

    def watch_consent_folders(self) -> None:
        """One source for many laptops: import the administration's latest export at start and
        whenever the shared folder changes, so a withdrawal reaches every laptop."""
        folders = {s.id: s.consent_folder for s in self.site.schools if s.consent_folder}
        if not folders:
            return
        from PySide6.QtCore import QFileSystemWatcher

        self.folder_watcher = QFileSystemWatcher(list(folders.values()), self)
        self.folder_watcher.directoryChanged.connect(lambda _path: self.import_consent_folders())
        self.import_consent_folders()

    def import_consent_folders(self) -> None:
        from ui.background import run_in_background

        folders = {s.id: s.consent_folder for s in self.site.schools if s.consent_folder}
        data_dir, site, by = self.data_dir, self.site, self.model.author.name

        def work():
            from app.consent.share_import import import_from_share

            store = Store.open(data_dir)
            try:
                return [
                    import_from_share(store, site, Path(f), sid, by=by)
                    for sid, f in folders.items()
                ]
            finally:
                store.close()

        def done(results, error) -> None:
            if error is not None:
                self.statusBar().showMessage(
                    _("Het toestemmingsregister kon niet worden bijgewerkt: {reason}").format(
                        reason=error
                    )
                )
                return
            messages = [
                r.message for r in results if r.message and r.state not in ("unchanged", "no_file")
            ]
            if messages:
                self.statusBar().showMessage(" ".join(messages))
            if any(r.state == "imported" for r in results):
                self.reload_people()
            if any(r.state == "busy" for r in results):
                # The administration is still writing the export: look again once it is done.
                QTimer.singleShot(6000, self.import_consent_folders)

        run_in_background(work, done)

    def _restore_draft(self) -> None:
        from app.compose import drafts

        saved = drafts.latest(self.store, self.model.draft.author_id)
        if saved is not None:
            self.model.load(*saved)
            self.composer.sync_from_model()

    def save_draft(self) -> None:
        from app.compose import drafts

        try:
            drafts.save(self.store, self.model.draft)
        except StoreError as error:
            self.statusBar().showMessage(
                _("Je concept kon niet worden bewaard: {reason}").format(reason=error)
            )

    def set_up_tray(self) -> None:
        """Where the platform has a tray, Postwijs stays there while posts are scheduled."""
        from PySide6.QtWidgets import QMenu, QSystemTrayIcon

        from ui.app_icon import app_icon

        self.setWindowIcon(app_icon())
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        self.tray = QSystemTrayIcon(app_icon(), self)
        self.tray.setToolTip("Postwijs")
        menu = QMenu(self)
        menu.addAction(_("Postwijs openen"), self.showNormal)
        menu.addAction(_("Afsluiten"), self.quit_for_real)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(lambda _reason: self.showNormal())
        self.tray.show()

    def quit_for_real(self) -> None:
        self.tray = None
        self.close()
        QApplication.instance().quit()

    def scheduled_waiting(self) -> bool:
        from app.publishing import outbox

        return self.store is not None and bool(outbox.jobs(self.store, [outbox.SCHEDULED]))

    def closeEvent(self, event) -> None:
        if self.composer is not None and self._save_timer.isActive():
            self._save_timer.stop()
            self.save_draft()
        if self.tray is not None and self.scheduled_waiting():
            # Scheduled posts go out at their moment, so keep running in the tray.
            event.ignore()
            self.hide()
            self.tray.showMessage(
                "Postwijs",
                _("Postwijs blijft actief in het systeemvak om geplande berichten te plaatsen."),
            )
            return
        super().closeEvent(event)

    def open_url(self, url) -> None:
        """Hands a URL to the OS (the mail program); tests replace it, so nothing opens then."""
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(url)

    def put_before_manager(self) -> None:
        """Voorleggen (Communiceren 15, 16): a PDF of the exact post and an e-mail to the manager."""
        from datetime import datetime

        from PySide6.QtCore import QUrl

        from app.compose import drafts
        from app.compose.review_mail import mailto_url, review_mail
        from ui.composer.review_pdf import write_review_pdf

        school = self.model.school
        manager = school.manager
        if manager is None or not manager.email:
            self.statusBar().showMessage(
                _(
                    "Er is geen leidinggevende met e-mailadres ingesteld voor {school}. Vraag de"
                    " ICT-beheerder dit in de siteconfiguratie te zetten (manager)."
                ).format(school=school.name)
            )
            return
        variants = self.model.variants()
        folder = self.data_dir / "voorleggen"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            moment = datetime.now().astimezone()
            pdf = write_review_pdf(
                folder / f"voorleggen-{moment:%Y%m%d-%H%M}-{self.model.draft.id[:6]}.pdf",
                self.model.author.name,
                school.name,
                manager.name,
                f"{moment:%d-%m-%Y %H:%M}",
                variants,
                self.model.report().findings,
                [m.path for m in self.model.draft.media if m.kind == "image"],
            )
            review = drafts.request_review(
                self.store, self.model.draft, manager.name, self.model.final_texts()
            )
        except (OSError, StoreError) as error:
            self.statusBar().showMessage(
                _("Voorleggen is niet gelukt: {reason}. Je bericht staat er nog.").format(
                    reason=error
                )
            )
            return
        subject, body = review_mail(self.model.author.name, school.name, variants, str(pdf))
        self.open_url(QUrl(mailto_url(manager.email, subject, body)))
        self.model.set_review(review)
        self.statusBar().showMessage(
            _("Voorgelegd aan {manager}. De e-mail staat klaar; de PDF staat in {path}.").format(
                manager=manager.name, path=pdf
            )
        )

    def record_answer(self) -> None:
        from ui.composer.review_answer_dialog import ReviewAnswerDialog

        dialog = ReviewAnswerDialog(self.model.review.manager, self)
        self.answer_dialog = dialog

        def save() -> None:
            from app.compose import drafts

            review = drafts.record_answer(
                self.store, self.model.draft, dialog.approved(), dialog.by(), dialog.note()
            )
            self.model.set_review(review)

        dialog.accepted.connect(save)
        dialog.open()

    def _save_language(self, language: str) -> None:
        if self.store is not None:
            self.store.set_setting(LANGUAGE_SETTING, language)

    def confirm_publish(self, scheduled_at=None) -> None:
        if self.publishing or self.composer is None or self.model.why_not_publishable():
            return
        from ui.publishing.confirm_dialog import ConfirmDialog

        variants = self.model.variants()
        report = self.model.report()
        warnings = report.of("warn")
        dialog = ConfirmDialog(
            variants,
            warnings,
            self.model.site.policy.override_reasons,
            self,
            scheduled_at=scheduled_at,
        )
        self.confirm_dialog = dialog
        dialog.accepted.connect(
            lambda: self.publish(variants, dialog.acknowledgements(), scheduled_at)
        )
        dialog.open()

    def ask_schedule(self) -> None:
        """Inplannen: suggested moments outside the school's lesson hours (Communiceren 6)."""
        if self.composer is None or self.model.why_not_publishable():
            return
        from datetime import UTC, datetime, timedelta

        from app.lesson_time import suggested_moments
        from ui.publishing.schedule_dialog import ScheduleDialog

        soon = datetime.now(UTC) + timedelta(minutes=15)
        suggestions = suggested_moments(self.model.school, soon, count=3)
        dialog = ScheduleDialog(suggestions, self)
        self.schedule_dialog = dialog
        dialog.accepted.connect(lambda: self.confirm_publish(scheduled_at=dialog.moment()))
        dialog.open()

    def publish(self, variants, acknowledgements=(), scheduled_at=None) -> None:
        self.publishing = True
        self.composer.publish_button.setEnabled(False)
        if scheduled_at is None:
            from ui.publishing.send_progress import SendProgressDialog

            self.progress_dialog = SendProgressDialog(variants, self)
            self.publisher.progress.connect(self.progress_dialog.update_target)
            self.progress_dialog.open()
        self.statusBar().showMessage(
            _("Bezig met plaatsen…") if scheduled_at is None else _("Bezig met inplannen…")
        )
        self.publisher.submit(
            self.model.draft,
            variants,
            list(acknowledgements),
            scheduled_at,
            lambda result, error: self._published(result, error, scheduled_at),
            send_now=scheduled_at is None,
        )

    def _published(self, result, error, scheduled_at=None) -> None:
        from app.compose import drafts
        from app.publishing import outbox

        self.publishing = False
        self.composer.refresh()
        if self.progress_dialog is not None:
            self.publisher.progress.disconnect(self.progress_dialog.update_target)
        if error is not None:
            message = (
                str(error)
                if isinstance(error, StoreError)
                else _(
                    "Plaatsen is niet gelukt: {reason}. Je tekst staat er nog; probeer het opnieuw."
                ).format(reason=error)
            )
            if self.progress_dialog is not None:
                self.progress_dialog.title.setText(message)
                self.progress_dialog.close_button.setEnabled(True)
            self.statusBar().showMessage(message)
            return
        _job_id, targets = result
        # The post is safely in the outbox: the draft's work is done, whatever the networks said.
        drafts.discard(self.store, self.model.draft.id)
        self.model.start_new()
        self.composer.sync_from_model()
        if scheduled_at is not None:
            from ui.publishing.schedule_dialog import describe

            self.statusBar().showMessage(
                _("Ingepland voor {moment}.").format(moment=describe(scheduled_at))
            )
            self.show_page("scheduled")
            return
        self.progress_dialog.finished_all(targets)
        from app.networks.profiles import label

        posted = [t for t in targets if t.state == outbox.POSTED]
        failed = [t for t in targets if t.state != outbox.POSTED]
        if failed:
            self.statusBar().showMessage(
                " ".join(
                    outbox.describe_failure(t, self._account_name(t.account_id)) for t in failed
                )
            )
            return
        names = ", ".join(
            f"{self._account_name(t.account_id)} ({label(t.network)})" for t in posted
        )
        self.statusBar().showMessage(_("Geplaatst op {accounts}.").format(accounts=names))
        if any(t.network == outbox.PRACTICE_NETWORK for t in posted):
            self.progress_dialog.accept()
            self.show_page("practice")
            self.timeline.reload()

    def _account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name
        except KeyError:
            return account_id

    # Sending what is due: retries, scheduled posts, and jobs a crash left unfinished.
    def run_due(self) -> None:
        if self.publisher is None:
            return
        self.publisher.run_due(self._due_done, skip=self.missed_not_agreed)

    def _due_done(self, outcomes, error) -> None:
        if error is not None:
            self.statusBar().showMessage(
                _("Versturen van wachtende berichten mislukte: {reason}").format(reason=error)
            )
            return
        held = [o for o in outcomes if o.held_reason]
        posted = [o for o in outcomes if o.targets and all(t.state == "posted" for t in o.targets)]
        if held:
            self.statusBar().showMessage(held[0].held_reason)
            self.notify(_("Een gepland bericht wacht"), held[0].held_reason)
        elif posted:
            self.statusBar().showMessage(_("Een ingepland of wachtend bericht is geplaatst."))
        if outcomes:
            self._refresh_lists()

    def _refresh_lists(self) -> None:
        for key in ("history", "scheduled"):
            page = self.pages.widget(self.page_index[key])
            if hasattr(page, "reload") and page.isVisible():
                page.reload()

    def ask_about_missed(self) -> None:
        """Scheduled moments that passed while Postwijs was closed go out only if the user agrees."""
        from datetime import UTC, datetime

        from PySide6.QtWidgets import QMessageBox

        from app.publishing import scheduler
        from ui.history.page import when

        missed = scheduler.missed(self.store, datetime.now(UTC))
        if not missed:
            return
        self.missed_not_agreed = {job.id for job in missed}
        lines = "\n".join(f"• {when(job.scheduled_at)}" for job in missed)
        box = QMessageBox(self)
        box.setWindowTitle(_("Gemiste momenten"))
        box.setText(
            _(
                "Deze ingeplande berichten zijn niet op hun moment geplaatst, omdat Postwijs toen dicht"
                " was:\n{lines}\n\nNu alsnog plaatsen? Ze worden eerst opnieuw gecontroleerd."
            ).format(lines=lines)
        )
        send = box.addButton(_("Nu plaatsen"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Niet nu (zie Gepland)"), QMessageBox.ButtonRole.RejectRole)

        def answered() -> None:
            if box.clickedButton() is send:
                self.missed_not_agreed = set()
                self.run_due()

        box.finished.connect(answered)
        self.missed_box = box
        box.open()

    def retract(self, job_id: str, reason: str) -> None:
        self.statusBar().showMessage(_("Bezig met intrekken…"))

        def done(targets, error) -> None:
            from app.publishing import outbox

            if error is not None:
                self.statusBar().showMessage(_("Intrekken mislukte: {reason}").format(reason=error))
            else:
                failed = [t for t in targets if t.retract_state == outbox.RETRACT_FAILED]
                self.statusBar().showMessage(
                    _("Ingetrokken op alle netwerken.")
                    if not failed
                    else _(
                        "Niet overal ingetrokken: {names}. Probeer het opnieuw vanuit Geschiedenis."
                    ).format(names=", ".join(self._account_name(t.account_id) for t in failed))
                )
            self._refresh_lists()

        self.publisher.retract(job_id, reason, self.model.author.name, done)

    def retry_target(self, target_id: str) -> None:
        self.publisher.retry(target_id, lambda _result, _error: self._refresh_lists())

    def cancel_scheduled(self, job_id: str) -> None:
        from app.publishing import outbox

        outbox.cancel(self.store, job_id, by=self.model.author.name)
        self._refresh_lists()

    def edit_scheduled(self, job_id: str) -> None:
        """Takes a scheduled post back into the composer: it is no longer scheduled, and comes
        back into the outbox (checked again) when the author places or schedules it anew."""
        from app.compose import drafts
        from app.publishing import outbox

        job = outbox.job(self.store, job_id)
        if job.draft is None:
            return
        outbox.cancel(self.store, job_id, by=self.model.author.name)
        drafts.save(self.store, job.draft)
        self.model.load(job.draft)
        self.composer.sync_from_model()
        self.show_page("composer")
        self.statusBar().showMessage(
            _(
                "Het geplande bericht staat weer in Nieuw bericht. Plan het opnieuw in of plaats het."
            )
        )
        self._refresh_lists()

    def reschedule(self, job_id: str) -> None:
        from datetime import UTC, datetime

        from app.lesson_time import suggested_moments
        from app.publishing import outbox
        from ui.publishing.schedule_dialog import ScheduleDialog

        job = outbox.job(self.store, job_id)
        dialog = ScheduleDialog(
            suggested_moments(self.site.school(job.school_id), datetime.now(UTC), count=3), self
        )
        self.schedule_dialog = dialog

        def moved() -> None:
            outbox.reschedule(self.store, job_id, dialog.moment(), by=self.model.author.name)
            self._refresh_lists()

        dialog.accepted.connect(moved)
        dialog.open()

    def notify(self, title: str, message: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, message)


def build_main_window(options: Options, connector_factory: ConnectorFactory) -> MainWindow:
    problems = []
    site = store = None
    try:
        site = load_site(options.site_file)
    except SiteConfigError as error:
        problems.append(str(error))
    try:
        store = Store.open(options.data_dir)
    except StoreError as error:
        problems.append(str(error))
    language = (
        options.language
        or (store.setting(LANGUAGE_SETTING) if store else "")
        or (site.user_language if site else "")
    )
    if language and i18n.catalogue_available(language):
        i18n.set_language(language)
    return MainWindow(site, store, options.data_dir, connector_factory, "\n\n".join(problems))


def run_gui(
    options: Options, connector_factory: ConnectorFactory, quit_when_shown: bool = False
) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Postwijs")
    app.setApplicationDisplayName("Postwijs")
    window = build_main_window(options, connector_factory)
    if quit_when_shown:
        # For the start-up benchmark: say when the composer was first painted, then stop.
        def shown() -> None:
            import time

            print(f"shown {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)

        if window.composer is not None:
            window.composer.first_painted.connect(shown)
        else:
            QTimer.singleShot(0, shown)
    window.show()
    code = app.exec()
    # Let work that is still running (a publish, an import) finish before Python shuts down.
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(30_000)
    return code
