"""Instellingen copies the helpdesk report; an exception that reaches the top is logged, the
draft is saved and one Dutch sentence offers the same report."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app import logs
from app.__main__ import install_gui_crash_handler
from app.compose import drafts
from app.store import Store
from ui.helpdesk import HelpdeskButton


def test_instellingen_copies_the_helpdesk_report_without_the_draft(qtbot, open_window, data_dir):
    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Geheime verrassing voor juf Anne")
    window.show_page("settings")
    [button] = window.findChildren(HelpdeskButton)
    assert button.button.text() == "Informatie voor de helpdesk kopiëren"
    assert button.isVisible() and not button.done.isVisible()
    qtbot.mouseClick(button.button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Postwijs 0.1.0 — informatie voor de helpdesk")
    assert f"Database: {data_dir}" in copied and "Wachtrij (per toestand): leeg" in copied
    assert "juf Anne" not in copied and "verrassing" not in copied
    assert button.done.isVisible()


def test_a_crash_is_logged_the_draft_kept_and_one_sentence_shown(
    qtbot, open_window, data_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back what pytest-qt installed
    logs.start(tmp_path / "log")
    window = open_window()
    install_gui_crash_handler(None)  # as the composition root does
    qtbot.keyClicks(window.composer.editor, "Bijna klaar met het verslag van de excursie")

    def broken_slot() -> None:
        raise RuntimeError("Bijna klaar met het verslag van de excursie")

    QTimer.singleShot(0, broken_slot)  # an exception in a slot reaches sys.excepthook
    qtbot.waitUntil(lambda: _notice() is not None, timeout=5000)
    notice = _notice()
    assert notice.text().startswith("Er ging iets mis in Postwijs; je concept is bewaard.")
    saved = drafts.latest(Store.open(data_dir), "demo")
    assert saved is not None and saved[0].text == "Bijna klaar met het verslag van de excursie"
    logs.stop()
    written = (tmp_path / "log" / "postwijs.log").read_text(encoding="utf-8")
    assert "CRITICAL postwijs: unhandled exception" in written
    assert "builtins.RuntimeError" in written and "in broken_slot" in written
    assert "excursie" not in written  # the message is not logged: it may hold personal data

    [copy] = [b for b in notice.buttons() if b.text() == "Kopiëren"]
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert "informatie voor de helpdesk" in QGuiApplication.clipboard().text()
    assert copy.text() == "Gekopieerd" and notice.isVisible()
    notice.done(0)


def _notice() -> QMessageBox | None:
    found = [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashNotice"]
    return found[0] if found and found[0].isVisible() else None
