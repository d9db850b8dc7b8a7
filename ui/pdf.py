"""HTML to a printable A4 PDF with Qt's own writer (no extra dependency)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QPageSize, QPdfWriter, QTextDocument

# The application object headless commands make, kept for the process's later calls.
_kept: list[QGuiApplication] = []


def html_to_pdf(html: str, path: Path, title: str = "") -> Path:
    if QGuiApplication.instance() is None:
        # Headless commands: Qt needs an application object to lay out text; no window is shown.
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _kept.append(QGuiApplication([]))  # kept alive for later calls
    document = QTextDocument()
    document.setHtml(html)
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle(title)
    document.print_(writer)
    return path
