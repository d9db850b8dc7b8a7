"""The "Denk twee keer na" step can only be passed on purpose: an Enter meant for something
else (the read-only text, a reason box, even a focused Plaatsen) never publishes; Plaatsen takes
a click, Space on it, or Alt+P; Ctrl+Enter in the composer opens the confirmation, never more."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from connectors.practice import read_timeline

CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _confirmation(qtbot, window, text="Vandaag hebben we appels geplukt."):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.composer.editor.setFocus()
    qtbot.keyClicks(window.composer.editor, text)
    qtbot.waitUntil(window.composer.publish_button.isEnabled)
    qtbot.keyClick(window.composer.editor, Qt.Key.Key_Return, CTRL)
    dialog = window.confirm_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _nothing_published(qtbot, window, data_dir, dialog) -> None:
    qtbot.wait(200)
    assert dialog.isVisible()
    assert not window.publishing
    assert read_timeline(data_dir) == []


def test_ctrl_enter_in_the_editor_opens_the_confirmation_and_publishes_nothing(
    qtbot, open_window, data_dir
):
    window = open_window()
    dialog = _confirmation(qtbot, window)
    assert window.composer.editor.toPlainText() == "Vandaag hebben we appels geplukt."
    _nothing_published(qtbot, window, data_dir, dialog)
    # A second Ctrl+Enter, now inside the confirmation, does not pass it either: at most it
    # presses the focused "Terug naar bewerken".
    assert QApplication.focusWidget() is dialog.back_button
    qtbot.keyClick(dialog.back_button, Qt.Key.Key_Return, CTRL)
    qtbot.wait(200)
    assert not window.publishing and read_timeline(data_dir) == []
    assert window.composer.editor.toPlainText() == "Vandaag hebben we appels geplukt."


def test_enter_anywhere_in_the_confirmation_never_publishes(qtbot, open_window, data_dir):
    window = open_window()
    dialog = _confirmation(qtbot, window)
    assert not dialog.publish_button.isDefault()
    assert not dialog.publish_button.autoDefault()
    (text,) = dialog.text_labels.values()
    places = [text, text.parentWidget(), dialog, dialog.publish_button]
    for place in places:
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            for modifier in (NONE, CTRL):
                qtbot.keyClick(place, key, modifier)
                _nothing_published(qtbot, window, data_dir, dialog)
    dialog.publish_button.setFocus()
    qtbot.waitUntil(dialog.publish_button.hasFocus)
    qtbot.keyClick(dialog.publish_button, Qt.Key.Key_Return)
    _nothing_published(qtbot, window, data_dir, dialog)


def test_enter_in_a_reason_box_does_not_publish_a_warned_post(qtbot, open_window, data_dir):
    window = open_window()
    # The demo author teaches: at 10:00 on a school day posting warns (Communiceren 6) and the
    # confirmation asks for a reason.
    morning = datetime(2026, 11, 25, 10, 0, tzinfo=AMSTERDAM)
    window.model.clock = lambda: morning.astimezone(UTC)
    dialog = _confirmation(qtbot, window)
    assert [f.rule for f, _box in dialog.reason_boxes] == ["lesson_hours"]
    assert not dialog.publish_button.isEnabled()
    for _finding, box in dialog.reason_boxes:
        box.setFocus()
        qtbot.keyClicks(box.lineEdit(), "Het is een feestdag")
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
        _nothing_published(qtbot, window, data_dir, dialog)
    assert dialog.publish_button.isEnabled()


def test_alt_p_is_the_deliberate_key_that_publishes(qtbot, open_window, data_dir):
    window = open_window()
    dialog = _confirmation(qtbot, window)
    expected = dialog.final_texts()
    qtbot.keyClick(
        QApplication.focusWidget() or dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier
    )
    qtbot.waitUntil(lambda: [p.text for p in read_timeline(data_dir)] == expected, timeout=10_000)
    assert not dialog.isVisible()


def test_escape_and_enter_on_terug_go_back_with_the_text_kept(qtbot, open_window, data_dir):
    window = open_window()
    dialog = _confirmation(qtbot, window)
    dialog.back_button.setFocus()
    qtbot.waitUntil(dialog.back_button.hasFocus)
    qtbot.keyClick(dialog.back_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert read_timeline(data_dir) == []
    assert window.composer.editor.toPlainText() == "Vandaag hebben we appels geplukt."


def test_the_main_actions_have_alt_mnemonics(open_window):
    window = open_window()
    composer = window.composer
    for button in (composer.publish_button, composer.schedule_button, composer.review_button):
        assert "&" in button.text().replace("&&", "")
