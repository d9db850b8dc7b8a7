from PySide6.QtCore import Qt

from app.compose import drafts
from app.history import chain as history
from app.store import Store


def test_voorleggen_writes_a_pdf_opens_a_mail_to_the_manager_and_the_draft_waits(
    qtbot, open_window, data_dir
):
    window = open_window()
    opened = []
    window.open_url = lambda url: opened.append(url.toString())
    qtbot.keyClicks(window.composer.editor, "Mag ik de foto van het schoolreisje delen?")
    qtbot.mouseClick(window.composer.review_button, Qt.MouseButton.LeftButton)

    (url,) = opened
    assert url.startswith("mailto:directie@regenboog.example?subject=Voorleggen")
    pdfs = list((data_dir / "voorleggen").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert window.composer.review_banner.isVisible()
    assert not window.composer.publish_button.isEnabled()
    assert "voorgelegd aan Joost Bakker (directeur)" in window.composer.reason.text()

    qtbot.mouseClick(window.composer.answer_button, Qt.MouseButton.LeftButton)
    dialog = window.answer_dialog
    dialog.no.setChecked(True)
    dialog.note_edit.setText("Liever zonder foto")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "ging niet akkoord" in window.composer.reason.text()
    assert not window.composer.publish_button.isEnabled()

    # A changed post is a new version: it may be published (the refusal stays in the history).
    qtbot.keyClicks(window.composer.editor, " Zonder foto dan.")
    assert window.composer.publish_button.isEnabled()
    store = Store.open(data_dir)
    kinds = [e.kind for e in history.events(store) if e.kind.startswith("review")]
    assert kinds == ["review_requested", "review_answered"]
    answered = history.events(store, "review_answered")[0]
    assert answered.data["approved"] is False
    assert answered.details == {
        "answered_by": "Joost Bakker (directeur)",
        "note": "Liever zonder foto",
    }


def test_a_draft_survives_closing_the_window_and_comes_back(qtbot, open_window, data_dir):
    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Halverwege geschreven")
    window.close()
    again = open_window()
    assert again.composer.editor.toPlainText() == "Halverwege geschreven"
    store = Store.open(data_dir)
    saved = drafts.latest(store, "demo")
    assert saved is not None and saved[0].text == "Halverwege geschreven"


def test_a_warning_needs_a_reason_which_goes_into_the_history(qtbot, open_window, data_dir):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    window = open_window()
    # Monday during lessons: the lesson-hours rule warns for a teacher.
    window.model.clock = lambda: datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
    qtbot.keyClicks(window.composer.editor, "Groep 5 bakt vandaag pannenkoeken")
    assert window.composer.checks.cards[0].finding.rule == "lesson_hours"
    qtbot.mouseClick(window.composer.publish_button, Qt.MouseButton.LeftButton)
    dialog = window.confirm_dialog
    assert not dialog.publish_button.isEnabled()
    (finding, box) = dialog.reason_boxes[0]
    assert finding.rule == "lesson_hours"
    box.setCurrentText("lesactiviteit")
    assert dialog.publish_button.isEnabled()
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.publishing, timeout=10_000)
    store = Store.open(data_dir)
    (ack,) = history.events(store, "warning_acknowledged")
    assert ack.data["rule"] == "lesson_hours" and ack.data["articles"] == ["Communiceren 6"]
    assert ack.details["reason"] == "lesactiviteit"
    assert len(history.events(store, "published")) == 1


def test_a_suspended_account_blocks_publishing_in_the_composer(qtbot, open_window, data_dir):
    from app.accounts import suspensions as accounts

    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Open dag op zaterdag")
    assert window.composer.publish_button.isEnabled()
    accounts.suspend(window.store, "regenboog-oefen", "regenboog", "Misbruik gemeld", by="Joost")
    window.reload_suspensions()
    assert not window.composer.publish_button.isEnabled()
    assert any(card.finding.rule == "suspended_account" for card in window.composer.checks.cards)
