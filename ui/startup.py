"""The GUI's start: the language (Postwijs's and Qt's own), the site and the store, the window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app import i18n
from app.commands.cli import Options
from app.site.config import SiteConfigError, load_site
from app.store import Store, StoreError
from ui import accessibility
from ui.app_window import LANGUAGE_SETTING, ConnectorFactory, MainWindow
from ui.qt_translations import load_qt_translations


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
    if QApplication.instance() is not None:
        load_qt_translations(i18n.current_language())
        accessibility.set_language(i18n.current_language())
        accessibility.install()
    if site is not None and store is not None:
        from app.compose.author_identity import with_saved_identity

        site = with_saved_identity(site, store)
    return MainWindow(site, store, options.data_dir, connector_factory, "\n\n".join(problems))


def run_gui(
    options: Options,
    connector_factory: ConnectorFactory,
    quit_when_shown: bool = False,
    modules_when_shown: bool = False,
) -> int:
    """`quit_when_shown`: say when the composer was first painted, then stop (the start-up
    benchmark); `modules_when_shown`: also say which modules were imported by then (the test that
    keeps the start path free of the networks' and the media's libraries)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QApplication.setApplicationName("Postwijs")
    QApplication.setApplicationDisplayName("Postwijs")
    window = build_main_window(options, connector_factory)
    if quit_when_shown:
        # For the start-up benchmark: say when the composer was first painted, then stop.
        def shown() -> None:
            import time

            print(f"shown {time.time():.6f}", flush=True)
            if modules_when_shown:
                print("modules " + " ".join(sorted(sys.modules)), flush=True)
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
