"""Postwijs with the keyboard only: on every page and in every dialog Tab visits each control
once and comes back round (it leaves tables and editors), Shift+Tab goes the same way back, and
Escape closes a dialog and gives the focus back to the button that opened it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.consent import register as consent
from app.consent.register import IMPORT, PersonRecord, Source
from app.school_year import current_school_year
from tests.gui.a11y_check import tab_walk
from tests.gui.a11y_walk import walked
from tests.gui.test_everything_fits import SEEN


@pytest.mark.parametrize("name", SEEN)
def test_tab_visits_every_control_once_and_shift_tab_goes_back(name, tmp_path_factory):
    assert walked(tmp_path_factory)[name]["keyboard"] == []


def test_the_walk_finds_an_editor_that_keeps_the_tab_key(qtbot):
    top = QWidget()
    layout = QVBoxLayout(top)
    editor = QPlainTextEdit()
    layout.addWidget(editor)
    layout.addWidget(QPushButton("Klaar"))
    qtbot.addWidget(top)
    top.show()
    qtbot.waitExposed(top)
    editor.setFocus()
    _order, problems = tab_walk(top)
    assert problems and "keeps the focus" in problems[0]
    editor.setTabChangesFocus(True)
    order, problems = tab_walk(top)
    assert problems == [] and len(order) == 2


def _activate(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    qtbot.wait(20)


def _consent_page_with_people(window, count=3):
    year = current_school_year()
    records = [
        PersonRecord(
            identifier=str(1000 + i),
            role="pupil",
            first_name=f"Kind{i}",
            last_name="Bakker",
            group="5b",
            consents={("sociale media", year): consent.GIVEN},
        )
        for i in range(count)
    ]
    consent.merge_people(
        window.store, "regenboog", records, Source(IMPORT, "leerlingen.csv", "Sanne")
    )
    window.show_page("consent")
    return window.pages.currentWidget()


def test_tab_leaves_the_register_table_both_ways(open_window, qtbot):
    window = open_window()
    page = _consent_page_with_people(window)
    qtbot.waitUntil(lambda: page.proxy.rowCount() >= 3)
    _activate(qtbot, window)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.waitUntil(lambda: page.table.hasFocus())
    _press(qtbot, Qt.Key.Key_Tab)
    assert not page.table.hasFocus()
    page.table.setFocus()
    qtbot.waitUntil(lambda: page.table.hasFocus())
    _press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert not page.table.hasFocus()
    # The arrow keys still move from cell to cell.
    page.table.setFocus()
    qtbot.waitUntil(lambda: page.table.hasFocus())
    _press(qtbot, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == 1


def _escape_gives_focus_back(qtbot, window, button: QPushButton) -> None:
    _activate(qtbot, window)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    _press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None)
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    _press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # The window manager gives the window back its activation (offscreen has none: done here);
    # the focus is then where it was.
    assert window.focusWidget() is button
    _activate(qtbot, window)
    qtbot.waitUntil(button.hasFocus)


def test_escape_closes_the_add_person_dialog_and_the_focus_returns(open_window, qtbot):
    window = open_window()
    window.show_page("consent")
    _escape_gives_focus_back(qtbot, window, window.pages.currentWidget().add_button)


def test_escape_closes_the_import_wizard_and_the_focus_returns(open_window, qtbot):
    window = open_window()
    window.show_page("consent")
    _escape_gives_focus_back(qtbot, window, window.pages.currentWidget().import_button)


def test_escape_closes_the_suspend_dialog_and_the_focus_returns(open_window, qtbot):
    window = open_window()
    window.show_page("accounts")
    card = next(iter(window.pages.currentWidget().cards.values()))
    qtbot.waitUntil(lambda: card.suspend_button.isVisible() and card.suspend_button.isEnabled())
    _escape_gives_focus_back(qtbot, window, card.suspend_button)


def test_escape_closes_the_schedule_dialog_and_the_focus_returns(open_window, qtbot):
    window = open_window()
    window.composer.editor.setPlainText("Volgende week is de open dag.")
    qtbot.wait(50)
    button = next(
        b for b in window.composer.findChildren(QPushButton) if b.text().startswith("&Inplannen")
    )
    qtbot.waitUntil(button.isEnabled)
    _escape_gives_focus_back(qtbot, window, button)


def test_no_editor_in_the_window_keeps_the_tab_key_even_one_not_yet_shown(open_window):
    """The walk sees the editors on screen; this one also those that appear later (the photo's
    description, an account's own text)."""
    from PySide6.QtWidgets import QTextEdit

    window = open_window()
    editors = [*window.findChildren(QPlainTextEdit), *window.findChildren(QTextEdit)]
    assert len(editors) >= 3  # the post, an account's own text, a photo's description
    assert [e.accessibleName() for e in editors if not e.tabChangesFocus()] == []
