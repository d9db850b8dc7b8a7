"""The main window: the navigation on the left with who is posting, the pages in the middle, the
status line; it holds the parts of the GUI together. The start is in ui/startup.py, the pages in
ui/main_pages.py, publishing in ui/publishing/publish_flow.py, Voorleggen in
ui/composer/review_flow.py."""

from __future__ import annotations

import logging
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

from app.compose.model import ComposerModel
from app.i18n import _
from app.site.config import Account, Site
from app.store import Store, StoreError
from ui import accessibility, style
from ui.background import LatestReading
from ui.composer.composer import ComposerPage, text_html
from ui.composer.review_flow import ReviewFlow
from ui.page_registry import PageRegistry
from ui.publishing.publish_flow import PublishFlow
from ui.status_line import StatusLine

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

    from app.accounts.service import AccountService
    from app.networks.connector import Connector
    from ui.publishing.publisher import Publisher
    from ui.welcome_dialog import WelcomeDialog

ConnectorFactory = Callable[[Account, Path], "Connector"]
LANGUAGE_SETTING = "language"
# A status-line message stays this long: long enough to read twice, then the line is free again.
STATUS_MESSAGE_MS = 8000


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
        self.setStatusBar(StatusLine(self))
        self.site = site
        self.store = store
        self.data_dir = Path(data_dir)
        self.connector_factory = connector_factory
        self.publisher: Publisher | None = None
        self.tray: QSystemTrayIcon | None = None
        self.timeline = None
        self.welcome_dialog: WelcomeDialog | None = None
        self.flow = PublishFlow(self)
        self.review = ReviewFlow(self)
        demo = site is not None and site.is_demo
        self.setWindowTitle(_("Postwijs — demosite") if demo else "Postwijs")
        # Roomy where there is room, but never larger than the screen (at 150 % zoom a 1440x900
        # screen is 960x600 to Qt): a window wider than the screen hides Plaatsen.
        room = self.screen().availableGeometry()
        self.resize(min(1180, room.width()), min(680, room.height()))
        style.apply(self)

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
        self.demo_badge = QLabel(
            _(
                "Demosite: alleen om te oefenen. De instellingen van je school zijn nog niet geïnstalleerd."
            )
        )
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setWordWrap(True)
        self.demo_badge.setVisible(demo)
        side.addWidget(self.demo_badge)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        accessibility.name(self.nav, _("Menu"))
        side.addWidget(self.nav, 1)
        self.who = QLabel()
        self.who.setObjectName("whoAmI")
        self.who.setWordWrap(True)
        side.addWidget(self.who)
        row.addWidget(sidebar)
        self.pages = QStackedWidget()
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.registry = PageRegistry(self.nav, self.pages)
        self.page_index = self.registry.index

        self.composer: ComposerPage | None = None
        if problem or site is None or store is None:
            from ui.pages import error_page

            self.registry.add(
                "composer",
                _("Nieuw bericht"),
                error_page(_("Postwijs kan nog niet plaatsen"), problem),
            )
        else:
            self._build_composer(site, connector_factory)
        from ui.main_pages import add_pages

        add_pages(self)
        self.nav.setCurrentRow(0)
        self._show_who()

    def _build_composer(self, site: Site, connector_factory: ConnectorFactory) -> None:
        # Until the accounts' states are read, only the practice account can be chosen.
        self.model = ComposerModel(site, availability={})
        self._availability_reading = LatestReading()
        from ui.composer.availability import vault_availability

        self.account_availability = vault_availability(self.data_dir, site)
        # The Accounts page's service (None: the site's networks as the site configures them);
        # set before the page is first shown, as the connector factory is passed in.
        self.account_service: AccountService | None = None
        self.composer = ComposerPage(self.model, store=self.store)
        self.composer.publish_requested.connect(self.confirm_publish)
        self.composer.review_requested.connect(self.review.start)
        self.composer.answer_requested.connect(self.review.record_answer)
        self.composer.schedule_requested.connect(self.flow.ask_schedule)
        from ui.publishing.publisher import Publisher

        publisher = Publisher(self.data_dir, site, connector_factory, self.people_for_rules)
        publisher.setParent(self)  # goes with the window: no report reaches a closed one
        publisher.uploading.connect(self.flow.upload_reported)
        self.publisher = publisher
        self.composer.first_painted.connect(self._after_first_paint)
        self.due_timer = QTimer(self)
        self.due_timer.setInterval(30_000)
        self.due_timer.timeout.connect(self.flow.run_due)
        self.due_timer.start()
        # Soon after start: resume what a crash left, and ask about missed moments.
        QTimer.singleShot(1500, self.flow.ask_about_missed)
        QTimer.singleShot(2000, self.flow.run_due)
        # Saved shortly after each change, so a crash or a closed window loses nothing.
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save_draft)
        self.model.changed.connect(self._save_timer.start)
        self.registry.add("composer", _("Nieuw bericht"), self.composer)

    # What the tests and the other parts reach through the window.
    @property
    def publishing(self) -> bool:
        return self.flow.publishing

    @property
    def confirm_dialog(self):
        return self.flow.confirm_dialog

    @property
    def progress_dialog(self):
        return self.flow.progress_dialog

    @property
    def schedule_dialog(self):
        return self.flow.schedule_dialog

    @property
    def answer_dialog(self):
        return self.review.answer_dialog

    def confirm_publish(self, scheduled_at=None) -> None:
        self.flow.confirm_publish(scheduled_at)

    def run_due(self) -> None:
        self.flow.run_due()

    def posting_parts(self) -> tuple[Site, Store]:
        """The site and the store of a window that can post. Only such a window has a composer,
        and only the composer's parts call this."""
        assert self.site is not None and self.store is not None, "a window without a composer"
        return self.site, self.store

    def say(self, message: str) -> None:
        """A message on the status line that goes away by itself after a few seconds; a screen
        reader says it too, as the focus stays where it is."""
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)
        accessibility.announce(self.statusBar(), message)

    def show_page(self, key: str) -> None:
        self.registry.show(key)

    def account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name if self.site else account_id
        except KeyError:
            return account_id

    def refresh_lists(self) -> None:
        for key in ("history", "scheduled"):
            page = self.registry.page(key)
            if hasattr(page, "reload") and page.isVisible():
                page.reload()

    def _show_who(self) -> None:
        if self.site is None or self.composer is None:
            self.who.setText("")
            return
        author = self.model.author
        self.who.setText(f"<b>{text_html(author.name)}</b><br>{text_html(author.role)}")

    # Who is posting: the welcome at the first start, and a change of name and role later.
    def welcome_if_first_start(self) -> None:
        from app.compose import author_identity

        if self.composer is None or not author_identity.first_start(self.posting_parts()[1]):
            return
        self.ask_identity(welcome=True)

    def ask_identity(self, welcome: bool = False) -> None:
        from app.compose import author_identity
        from ui.welcome_dialog import WelcomeDialog

        site, store = self.posting_parts()
        author = self.model.author
        roles = author_identity.role_choices(site) if author_identity.may_choose(site) else []
        dialog = WelcomeDialog(author.name, author.role, roles, site.is_demo, self)
        if not welcome:
            dialog.setWindowTitle(_("Naam en rol"))
        self.welcome_dialog = dialog

        def done() -> None:
            author_identity.mark_welcomed(store)
            if roles and (dialog.name(), dialog.role()) != (author.name, author.role):
                author_identity.save_identity(store, dialog.name(), dialog.role())
                self.use_site(author_identity.with_saved_identity(site, store))

        dialog.accepted.connect(done)
        dialog.show()

    def use_site(self, site: Site) -> None:
        """The same site with other details of the author: the composer and its checks follow."""
        self.site = site
        self.model.site = site
        if self.publisher is not None:
            self.publisher.site = site
        self.reload_suspensions()  # builds the rules' context anew, with the new author
        self._show_who()
        from ui.main_pages import settings

        self.registry.rebuild("settings", lambda: settings(self))

    def record_site_change(self) -> None:
        from app.site.audit import record_if_changed

        site, store = self.posting_parts()
        try:
            record_if_changed(store, site)
        except StoreError as error:
            self.say(str(error))

    def people_for_rules(self) -> list:
        """The consent register as the rules see it (its own connection: may run off the GUI thread)."""
        from app.consent import register as consent

        store = Store.open(self.data_dir)
        try:
            return consent.people_for_rules(store, self.posting_parts()[0])
        finally:
            store.close()

    def _after_first_paint(self) -> None:
        QTimer.singleShot(0, self._restore_draft)
        QTimer.singleShot(0, self.record_site_change)
        QTimer.singleShot(0, self.reload_people)
        QTimer.singleShot(0, self.reload_suspensions)
        QTimer.singleShot(0, self.set_up_tray)
        QTimer.singleShot(0, self.watch_consent_folders)
        QTimer.singleShot(0, self.welcome_if_first_start)

    def reload_people(self) -> None:
        try:
            self.model.set_people(self.people_for_rules())
        except StoreError as error:
            self.say(str(error))

    def reload_suspensions(self) -> None:
        from app.accounts import suspensions as accounts
        from app.networks.account_limits import text_limits

        store = self.posting_parts()[1]
        self.model.set_suspended(accounts.suspended_ids(store))
        self.model.set_text_limits(text_limits(store))
        self.reload_availability()

    def reload_availability(self) -> None:
        """Which accounts can post now (signed in, a vault, a connector): only those can be ticked."""
        accounts = [a for s in self.posting_parts()[0].schools for a in s.accounts]

        def done(found, error) -> None:
            from shiboken6 import isValid

            if error is not None:
                # Unknown accounts stay untickable (only the practice account posts meanwhile).
                logging.getLogger("postwijs").warning("account states unreadable: %r", error)
            elif isValid(self.composer):  # the window may have closed meanwhile
                self.model.set_availability(found)

        self._availability_reading.run(lambda: self.account_availability(accounts), done)

    def watch_consent_folders(self) -> None:
        from ui.consent.folder_watch import ConsentFolderWatch

        self.folder_watch = ConsentFolderWatch(self)

    def _restore_draft(self) -> None:
        from app.compose import drafts

        saved = drafts.latest(self.posting_parts()[1], self.model.draft.author_id)
        if saved is not None and self.composer is not None:
            self.model.load(*saved)
            self.composer.sync_from_model()

    def save_draft(self) -> None:
        from app.compose import drafts

        try:
            drafts.save(self.posting_parts()[1], self.model.draft)
        except StoreError as error:
            self.say(_("Je concept kon niet worden bewaard: {reason}").format(reason=error))

    def save_language(self, language: str) -> None:
        if self.store is not None:
            self.store.set_setting(LANGUAGE_SETTING, language)

    def set_up_tray(self) -> None:
        """Where the platform has a tray, Postwijs stays there while posts are scheduled."""
        from PySide6.QtWidgets import QMenu, QSystemTrayIcon

        from ui.app_icon import app_icon

        self.setWindowIcon(app_icon())
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        tray = QSystemTrayIcon(app_icon(), self)
        tray.setToolTip("Postwijs")
        menu = QMenu(self)
        menu.addAction(_("Postwijs openen"), self.showNormal)
        menu.addAction(_("Afsluiten"), self.quit_for_real)
        tray.setContextMenu(menu)
        tray.activated.connect(lambda _reason: self.showNormal())
        tray.show()
        self.tray = tray

    def quit_for_real(self) -> None:
        self.tray = None
        self.close()
        QApplication.quit()

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

    def open_url(self, url) -> bool:
        """Hands a URL to the OS (the mail program, a folder); False when nothing could open it.
        Tests replace it, so nothing opens then."""
        from PySide6.QtGui import QDesktopServices

        return QDesktopServices.openUrl(url)

    def notify(self, title: str, message: str) -> None:
        if self.tray is not None:
            self.tray.showMessage(title, message)
