"""The checks panel for keyboard and screen-reader users (issue 17): a finding card is reached
by Tab and Enter shows where the problem is, as a click does; the card says its severity in
words; a changed number of blocking findings is said once, not on every keystroke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from ui import accessibility


def heard(qtbot) -> list[str]:
    said: list[str] = []
    accessibility.announcements.said.connect(said.append)
    return said


def test_a_finding_is_reached_by_tab_and_enter_shows_its_place_in_the_text(qtbot, open_window):
    window = open_window()
    composer = window.composer
    qtbot.keyClicks(composer.editor, "Bel juf Anne op 06-12345678 voor de schoolreis")
    [card] = [c for c in composer.checks.cards if c.finding.rule == "personal_data"]
    qtbot.waitUntil(card.isVisible)

    composer.editor.setFocus()
    for _press in range(60):
        if window.focusWidget() is card:
            break
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.focusWidget() is card, "Tab never reaches the finding"
    name = QAccessible.queryAccessibleInterface(card).text(QAccessible.Text.Name)
    assert name.startswith("Moet eerst opgelost: Haal het telefoonnummer weg")
    description = QAccessible.queryAccessibleInterface(card).text(QAccessible.Text.Description)
    assert "Communiceren 2, " in description and "·" not in description
    assert description.endswith("Druk op Enter om de plek in je tekst te zien.")

    qtbot.keyClick(card, Qt.Key.Key_Return)

    assert composer.editor.textCursor().selectedText() == "06-12345678"


def test_a_changed_number_of_blocking_findings_is_said_once(qtbot, open_window):
    window = open_window()
    composer = window.composer
    said = heard(qtbot)

    qtbot.keyClicks(composer.editor, "Bel juf Anne op 06-12345678")
    qtbot.keyClicks(composer.editor, " voor de schoolreis")  # still the same one finding

    assert said.count("1 punt moet eerst opgelost worden voor je kunt plaatsen.") == 1
    composer.editor.setPlainText("Vandaag hebben we appels geplukt.")
    assert said[-1] == "Niets houdt plaatsen meer tegen."
    assert len([s for s in said if "plaatsen" in s]) == 2


def test_tab_goes_from_the_school_to_the_accounts_to_the_post_in_reading_order(qtbot, open_window):
    """The account lines are made after the window (when the accounts' states are read); they
    sit between the school and the post, and so does their place in the Tab order."""
    window = open_window()
    composer = window.composer
    [box] = composer.account_picker.boxes.values()
    composer.school_box.setFocus()

    qtbot.keyClick(composer.school_box, Qt.Key.Key_Tab)
    assert window.focusWidget() is box
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert window.focusWidget() is composer.editor


def test_one_tab_moves_on_from_the_article_link_and_enter_opens_the_articles(qtbot, open_window):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    window = open_window()
    composer = window.composer
    qtbot.keyClicks(composer.editor, "Bel juf Anne op 06-12345678 voor de schoolreis")
    [card] = [c for c in composer.checks.cards if c.finding.rule == "personal_data"]
    qtbot.waitUntil(card.isVisible)
    card.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(card, Qt.Key.Key_Tab)
    assert window.focusWidget() is card.articles
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(card.articles, Qt.Key.Key_Return)
    assert shown and "Communiceren 2" in shown[0]
    qtbot.keyClick(card.articles, Qt.Key.Key_Tab)  # one press: the focus goes on, not inside
    assert window.focusWidget() is not card.articles
