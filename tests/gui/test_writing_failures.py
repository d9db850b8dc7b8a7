"""Writing the annual report or the audit export where it cannot go: the user reads in Dutch what
happened and what to do, never the system's English ("[Errno 20] Not a directory"), and the
history stays as it was. The folders are real; only the choice in Qt's file dialog is given."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from app.history import chain as history
from app.store import Store
from tests.gui.shown_text import assert_dutch_only
from ui.history import actions

WAIT = 10_000


def answer_dialogs(qtbot, answers: list) -> list[str]:
    """Each modal dialog that opens next gets the next answer (a function of the dialog); the
    texts of the message boxes among them are returned, in order."""
    seen: list[str] = []
    pending = list(answers)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and pending:
            if isinstance(dialog, QMessageBox):
                seen.append(dialog.text())
            pending.pop(0)(dialog)
        if pending:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    return seen


def a_file_where_a_folder_should_be(tmp_path: Path) -> Path:
    blocker = tmp_path / "verslagen"
    blocker.write_text("geen map", encoding="utf-8")
    return blocker / "ibt"


def test_a_report_that_cannot_be_written_says_so_in_dutch(
    qtbot, open_window, data_dir, tmp_path, monkeypatch
):
    window = open_window()
    target = a_file_where_a_folder_should_be(tmp_path)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(target))
    store = Store.open(data_dir)
    before = history.verify(store)
    seen = answer_dialogs(qtbot, [QDialog.accept, QMessageBox.accept])

    actions.ask_report(window, store, window.site)

    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT)
    assert seen[0].startswith("Het verslag kon niet worden geschreven. De map voor")
    assert "Kies de map opnieuw" in seen[0]
    assert_dutch_only(seen)
    assert history.verify(store) == before
    store.close()


def test_an_export_that_cannot_be_written_says_so_in_dutch(
    qtbot, open_window, data_dir, tmp_path, monkeypatch
):
    window = open_window()
    target = a_file_where_a_folder_should_be(tmp_path) / "postwijs-geschiedenis.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    store = Store.open(data_dir)
    seen = answer_dialogs(qtbot, [QMessageBox.accept])

    actions.ask_export(window, store)

    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT)
    assert seen[0] == (
        f"Exporteren is niet gelukt. De map voor {target} is er niet (meer). Kies de map"
        " opnieuw; staat ze op een netwerkschijf, kijk dan of die nog verbonden is."
    )
    assert not target.exists()
    store.close()


def test_background_work_that_fails_unexpectedly_shows_one_dutch_sentence_and_logs_the_rest(
    caplog,
):
    import logging

    from app.networks.connector import RetryLater
    from ui.failure_text import failure_words

    log = logging.getLogger("postwijs.test")
    said = RetryLater("Mastodon is niet bereikbaar. Postwijs probeert het later opnieuw.")
    assert failure_words(said, log, "sweep") == str(said)  # already says what to do
    with caplog.at_level(logging.ERROR, logger="postwijs.test"):
        words = failure_words(KeyError("remote_id"), log, "sweep")
    assert words.startswith("Dat is niet gelukt door een onverwachte fout.")
    assert_dutch_only([words])
    assert "remote_id" in caplog.text and "sweep failed unexpectedly" in caplog.text
