"""Qt's own texts in the app's language: the buttons and labels of the file dialogs and message
boxes ("Annuleren", "Zoeken in") come from Qt's catalogue, shipped with PySide6."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []


class _MnemonicTolerantTranslator(QTranslator):
    """Qt's catalogue lags behind its sources: Qt 6 added shortcut marks to texts such as
    "&Look in:", which the Dutch catalogue has only as "Look in:". Such a text is looked up
    without its mark too, so the file dialog does not stay half English."""

    def __init__(self, catalogue: QTranslator, parent=None):
        super().__init__(parent)
        self.catalogue = catalogue

    def translate(self, context, source, disambiguation=None, n=-1):
        found = self.catalogue.translate(context, source, disambiguation, n)
        if not found and source and "&" in source:
            found = self.catalogue.translate(context, source.replace("&", ""), disambiguation, n)
        return found

    def isEmpty(self) -> bool:
        return self.catalogue.isEmpty()


def load_qt_translations(language: str) -> bool:
    """Installs qtbase_<language> (replacing an earlier one); False when Qt has none for it."""
    app = QCoreApplication.instance()
    for old in _installed:
        QCoreApplication.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return True  # Qt's own texts are English already
    catalogue = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not catalogue.load(f"qtbase_{language}", folder):
        return False
    # Qt asks the last installed translator first: the catalogue answers in C++, and only what
    # it does not know reaches the Python fallback.
    fallback = _MnemonicTolerantTranslator(catalogue, app)
    QCoreApplication.installTranslator(fallback)
    QCoreApplication.installTranslator(catalogue)
    _installed.extend([fallback, catalogue])
    return True
