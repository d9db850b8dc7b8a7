"""What the packages leave out: one list for Postwijs and for the bare window it is measured
against (bench/package.py), so the two are built the same way.

PyInstaller's Qt hooks collect every plugin and translation next to the modules used; most of
them pull in libraries of their own (the GTK theme plugin alone brings GTK, Pango, Cairo and
ATK). Postwijs draws its own style, loads no Qt translation and needs no QML, so they go.
"""

from __future__ import annotations

import re

# Python modules of Qt that nothing imports (PySide6's hooks would otherwise follow them).
UNUSED_QT_MODULES = [
    f"PySide6.{name}"
    for name in (
        "QtNetwork", "QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest",
        "QtQmlFeatures", "QtSql", "QtTest", "QtXml", "QtHelp", "QtDesigner", "QtUiTools",
        "QtOpenGL", "QtOpenGLWidgets", "QtDBus", "QtConcurrent", "QtLabsStyleKit",
    )
]  # fmt: skip
# PyYAML comes in through a library hook, but nothing Postwijs runs reads YAML.
EXCLUDED_MODULES = [
    *UNUSED_QT_MODULES, "tkinter", "pytest", "hypothesis", "babel", "PyInstaller", "yaml", "_yaml",
]  # fmt: skip

# Qt plugins that are kept, by folder; every other plugin is left out. xcb draws on X11 (and on
# Wayland through XWayland), offscreen runs the self-test without a screen; compose and ibus let
# users type accented letters.
KEPT_QT_PLUGINS = {
    "platforms": {"libqxcb.so", "libqoffscreen.so", "qwindows.dll", "libqcocoa.dylib"},
    "xcbglintegrations": None,  # all (xcb loads one of them)
    "imageformats": {
        "libqjpeg.so", "libqgif.so", "libqico.so", "libqsvg.so", "libqwebp.so",
        "qjpeg.dll", "qgif.dll", "qico.dll", "qsvg.dll", "qwebp.dll",
        "libqjpeg.dylib", "libqgif.dylib", "libqico.dylib", "libqsvg.dylib", "libqwebp.dylib",
    },
    "iconengines": None,
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin.so", "libibusplatforminputcontextplugin.so",
    },
    "styles": None,  # Windows: the native style
}  # fmt: skip

# Libraries that only the left-out plugins needed (GTK and its helpers, Wayland, EGL devices).
_ONLY_FOR_LEFT_OUT_PLUGINS = re.compile(
    r"^(libgtk-3|libgdk-3|libgdk_pixbuf|libatk|libatspi|libcairo|libpango|libharfbuzz|"
    r"libepoxy|libwayland|libQt6Wayland|libQt6EglFs|libQt6Quick|libQt6Qml|libQt6Network|"
    r"libQt6OpenGL\.|libQt6Pdf|libthai|libdatrie|libfribidi|libpixman|libgraphite2|"
    r"libcups|libavahi|libgnutls|libnettle|libhogweed|libtasn1|libp11-kit|libidn2|libunistring)"
)
_QT_PLUGIN = re.compile(r"(?:^|/)PySide6/Qt/plugins/([^/]+)/([^/]+)$")
_QT_TRANSLATION = re.compile(r"(?:^|/)PySide6/Qt/translations/")
# simplemma's hook brings the dictionaries of all its 50-odd languages (18 MB); the rules read
# Dutch posts only, so only nl.plzma goes in.
_OTHER_LANGUAGE_DICTIONARY = re.compile(
    r"(?:^|/)simplemma/strategies/dictionaries/data/(?!nl\.plzma$)[^/]+\.plzma$"
)


def kept(destination: str) -> bool:
    """Whether a file PyInstaller collected (by its place in the package) goes in."""
    destination = destination.replace("\\", "/")
    if _QT_TRANSLATION.search(destination) or _OTHER_LANGUAGE_DICTIONARY.search(destination):
        return False
    plugin = _QT_PLUGIN.search(destination)
    if plugin:
        folder, name = plugin.groups()
        if folder not in KEPT_QT_PLUGINS:
            return False
        names = KEPT_QT_PLUGINS[folder]
        return names is None or name in names
    name = destination.rsplit("/", 1)[-1]
    return not _ONLY_FOR_LEFT_OUT_PLUGINS.match(name)


def trimmed(toc):
    """An Analysis' binaries or datas without what `kept` leaves out."""
    return [entry for entry in toc if kept(entry[0])]


# Python modules in one compressed archive inside each program (9 MB each). As separate compiled
# files in _internal/ (shared by both programs) the package was 4.8 MB larger and the window
# started 8 % sooner (0.335 s against 0.366 s, paired runs): not worth the size.
NOARCHIVE = False
