"""Qt's accessibility tree of every page and dialog, as a screen reader gets it: every control
that takes the focus or can be used has a name, and a label that describes an input is that
input's buddy (so it is read out with it, and its Alt key jumps there)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from tests.gui.a11y_check import labels_without_buddy, unnamed
from tests.gui.a11y_walk import walked
from tests.gui.test_everything_fits import SEEN


@pytest.mark.parametrize("name", SEEN)
def test_every_control_has_a_name(name, tmp_path_factory):
    assert walked(tmp_path_factory)[name]["names"] == []


@pytest.mark.parametrize("name", SEEN)
def test_every_label_before_an_input_is_its_buddy(name, tmp_path_factory):
    assert walked(tmp_path_factory)[name]["buddies"] == []


def test_the_checks_find_an_unnamed_field_and_a_label_without_buddy(qtbot):
    top = QWidget()
    layout = QVBoxLayout(top)
    layout.addWidget(QLabel("Zoeken:"))
    search = QLineEdit()
    search.setPlaceholderText("Zoek…")
    layout.addWidget(search)
    named = QComboBox()
    named.setAccessibleName("School")
    layout.addWidget(named)
    qtbot.addWidget(top)
    top.show()
    qtbot.waitExposed(top)
    assert unnamed(top) == ["QLineEdit: no accessible name"]
    assert len(labels_without_buddy(top)) == 1
    layout.itemAt(0).widget().setBuddy(search)
    assert unnamed(top) == [] and labels_without_buddy(top) == []


def test_page_titles_are_headings(open_window):
    window = open_window()
    window.show_page("history")
    title = window.pages.currentWidget().findChild(QLabel, "pageTitle")
    interface = QAccessible.queryAccessibleInterface(title)
    assert interface.role() == QAccessible.Role.Heading
    assert interface.text(QAccessible.Text.Name) == "Geschiedenis"


def test_the_accounts_buttons_say_which_account(open_window):
    window = open_window()
    window.show_page("accounts")
    page = window.pages.currentWidget()
    names = {
        QAccessible.queryAccessibleInterface(card.test_button).text(QAccessible.Text.Name)
        for card in page.cards.values()
    }
    assert len(names) == len(page.cards) > 1
    assert all(name.startswith("Testen – ") for name in names)


def test_qt_speaks_the_language_of_the_app(open_window):
    from PySide6.QtCore import QLocale

    open_window(language="en")
    assert QLocale().language() == QLocale.Language.English
    open_window(language="nl")
    assert QLocale().language() == QLocale.Language.Dutch
