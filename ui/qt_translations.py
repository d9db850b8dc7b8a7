"""Qt's own texts in the app's language: the buttons and labels of the file dialogs and message
boxes ("Annuleren", "Zoeken in") come from Qt's catalogue, shipped with PySide6."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []


def load_qt_translations(language: str) -> bool:
    """Installs qtbase_<language> (replacing an earlier one); False when Qt has none for it."""
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return True  # Qt's own texts are English already
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(f"qtbase_{language}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
