from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.compose import drafts
from app.history import chain as history
from app.store import Store


def test_voorleggen_writes_a_pdf_opens_a_mail_to_the_manager_and_the_draft_waits(
    qtbot, open_window, data_dir
):
    window = open_window()
    opened = []
    window.open_url = lambda url: opened.append(url.toString()) or True
    qtbot.keyClicks(window.composer.editor, "Mag ik de foto van het schoolreisje delen?")
    qtbot.mouseClick(window.composer.review_button, Qt.MouseButton.LeftButton)

    # First the optional note; nothing is written or sent before it is given.
    note = window.review.note_dialog
    assert opened == [] and not (data_dir / "voorleggen").exists()
    note.note_edit.setPlainText("Het gaat om de foto van groep 3")
    qtbot.mouseClick(note.send_button, Qt.MouseButton.LeftButton)

    (url,) = opened
    assert url.startswith("mailto:directie@regenboog.example?subject=Voorleggen")
    assert "Het gaat om de foto van groep 3" in url
    pdfs = list((data_dir / "voorleggen").glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    sent = window.review.sent_dialog
    assert "staat klaar in je e-mailprogramma" in sent.headline.text()
    assert str(data_dir) not in sent.headline.text()
    assert str(data_dir) not in window.statusBar().currentMessage()
    sent.accept()
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


def test_voorleggen_without_a_mail_program_says_so_and_offers_the_folder_and_the_text(
    qtbot, open_window, data_dir
):
    window = open_window()
    opened = []
    # What QDesktopServices.openUrl answers when no program handles mailto: (no launcher).
    window.open_url = lambda url: opened.append(url) and False
    qtbot.keyClicks(window.composer.editor, "Mag dit zo?")
    qtbot.mouseClick(window.composer.review_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.review.note_dialog.send_button, Qt.MouseButton.LeftButton)

    sent = window.review.sent_dialog
    assert "geen e-mailprogramma" in sent.headline.text()
    assert "directie@regenboog.example" in sent.headline.text()
    assert "staat klaar" not in sent.headline.text()
    qtbot.mouseClick(sent.folder_button, Qt.MouseButton.LeftButton)
    assert opened[-1].toLocalFile() == str(data_dir / "voorleggen")
    qtbot.mouseClick(sent.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.startswith("Aan: directie@regenboog.example\nOnderwerp: Voorleggen")
    assert "Mag dit zo?" in copied
    # The draft waits for the answer all the same.
    assert window.composer.review_banner.isVisible()


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


def test_voorleggen_without_a_manager_says_whom_to_ask_before_anything_else(
    qtbot, open_window, data_dir, tmp_path
):
    from resources import resource_path

    site = resource_path("demo-site.toml").read_text(encoding="utf-8")
    site = site.replace(
        'manager = { name = "Joost Bakker (directeur)", email = "directie@regenboog.example" }\n',
        "",
    )
    site_file = tmp_path / "zonder-leidinggevende.toml"
    site_file.write_text(site, encoding="utf-8")
    window = open_window(site_file=site_file)
    qtbot.keyClicks(window.composer.editor, "Mag dit zo?")
    qtbot.mouseClick(window.composer.review_button, Qt.MouseButton.LeftButton)
    assert window.review.note_dialog is None
    message = window.statusBar().currentMessage()
    assert "Er is geen leidinggevende" in message and "ICT-beheerder" in message
    assert not (data_dir / "voorleggen").exists()
