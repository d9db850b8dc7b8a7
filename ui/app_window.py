"""The main window: navigation on the left, the pages in the middle; and the GUI's start."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
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

from app import i18n, outbox
from app.cli import Options
from app.composer_model import ComposerModel
from app.connector import Connector
from app.i18n import _
from app.networks import label as network_label
from app.site import Account, Site, SiteConfigError, load_site
from app.store import Store, StoreError
from connectors.practice import read_timeline
from ui.background import run_in_background
from ui.composer import ComposerPage
from ui.confirm_dialog import ConfirmDialog
from ui.pages import SettingsPage, coming_later, error_page
from ui.practice_timeline import PracticeTimelinePage
from ui.style import STYLE

ConnectorFactory = Callable[[Account, Path], Connector]
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
        self.confirm_dialog: ConfirmDialog | None = None
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
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
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
        self.timeline: PracticeTimelinePage | None = None
        self.page_index: dict[str, int] = {}
        if problem or site is None or store is None:
            self._add_page(
                "composer",
                _("Nieuw bericht"),
                error_page(_("Postwijs kan nog niet plaatsen"), problem),
            )
        else:
            self.model = ComposerModel(site)
            self.composer = ComposerPage(self.model)
            self.composer.publish_requested.connect(self.confirm_publish)
            self._add_page("composer", _("Nieuw bericht"), self.composer)
        self._add_page(
            "scheduled",
            _("Gepland"),
            coming_later(
                _("Gepland"),
                _(
                    "Hier zie je straks de berichten die je hebt ingepland, en kun je ze wijzigen of annuleren."
                ),
            ),
        )
        self._add_page(
            "history",
            _("Geschiedenis"),
            coming_later(
                _("Geschiedenis"),
                _(
                    "Hier zie je straks alles wat er geplaatst en ingetrokken is, met het jaarverslag voor het IBT."
                ),
            ),
        )
        self._add_page(
            "consent",
            _("Toestemmingen"),
            coming_later(
                _("Toestemmingen"),
                _("Hier beheer je straks het toestemmingsregister voor foto's en video's."),
            ),
        )
        self._add_page(
            "accounts",
            _("Accounts"),
            coming_later(
                _("Accounts"),
                _(
                    "Hier koppel je straks de echte accounts van de school. Tot die tijd kun je oefenen met het oefenaccount."
                ),
            ),
        )
        self.timeline = PracticeTimelinePage(lambda: read_timeline(self.data_dir))
        self._add_page("practice", _("Oefentijdlijn"), self.timeline)
        self._add_page(
            "settings",
            _("Instellingen"),
            SettingsPage(
                self._site_description(),
                str(self.data_dir),
                i18n.current_language(),
                self._save_language,
            ),
        )
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)
        self._show_who()

    def _add_page(self, key: str, title: str, page: QWidget) -> None:
        self.page_index[key] = self.pages.addWidget(page)
        self.nav.addItem(title)

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

    def _save_language(self, language: str) -> None:
        if self.store is not None:
            self.store.set_setting(LANGUAGE_SETTING, language)

    def confirm_publish(self) -> None:
        if self.publishing or self.composer is None or self.model.why_not_publishable():
            return
        variants = self.model.variants()
        self.confirm_dialog = ConfirmDialog(variants, self)
        self.confirm_dialog.accepted.connect(lambda: self.publish(variants))
        self.confirm_dialog.open()

    def publish(self, variants) -> None:
        draft = replace(self.model.draft, account_ids=list(self.model.draft.account_ids))
        names = {v.account_id: v.account_name for v in variants}
        data_dir, site, factory = self.data_dir, self.model.site, self.connector_factory
        self.publishing = True
        self.composer.publish_button.setEnabled(False)
        self.statusBar().showMessage(_("Bezig met plaatsen…"))

        def work():
            # Its own connection: the GUI thread keeps reading while this one writes.
            store = Store.open(data_dir)
            try:
                job_id = outbox.submit(store, draft, variants)
                return outbox.send(
                    store, job_id, lambda aid: factory(site.account(aid), data_dir), names
                )
            finally:
                store.close()

        run_in_background(work, self._published)

    def _published(self, targets, error) -> None:
        self.publishing = False
        self.composer.refresh()
        if error is not None:
            message = (
                str(error)
                if isinstance(error, StoreError)
                else _(
                    "Plaatsen is niet gelukt: {reason}. Je tekst staat er nog; probeer het opnieuw."
                ).format(reason=error)
            )
            self.statusBar().showMessage(message)
            return
        posted = [t for t in targets if t.state == outbox.POSTED]
        failed = [t for t in targets if t.state != outbox.POSTED]
        if failed:
            self.statusBar().showMessage(" ".join(outbox.describe_failure(t) for t in failed))
            return
        names = ", ".join(
            f"{self.model.site.account(t.account_id).name} ({network_label(t.network)})"
            for t in posted
        )
        self.statusBar().showMessage(_("Geplaatst op {accounts}.").format(accounts=names))
        self.composer.clear_text()
        if any(t.network == outbox.PRACTICE_NETWORK for t in posted):
            self.timeline.reload()
            self.show_page("practice")


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
    window.show()
    if quit_when_shown:
        # For the start-up benchmark: stop as soon as the first frame of the composer is up.
        QTimer.singleShot(0, app.quit)
    return app.exec()
