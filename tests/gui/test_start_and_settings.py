"""The first start, who is posting, Qt's own texts in Dutch, the settings page, the status line."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

from app.compose import author_identity
from app.store import Store
from ui.qt_translations import load_qt_translations


def test_the_first_start_welcomes_asks_who_is_posting_and_the_posts_carry_that_name(
    qtbot, open_window, data_dir
):
    window = open_window()
    qtbot.waitUntil(lambda: window.welcome_dialog is not None and window.welcome_dialog.isVisible())
    welcome = window.welcome_dialog
    texts = " ".join(label.text() for label in welcome.findChildren(QLabel))
    assert "oefenaccount" in texts and "demosite" in texts
    welcome.name_edit.clear()
    assert not welcome.start_button.isEnabled()
    welcome.name_edit.setText("Fatima el Amrani")
    welcome.role_box.setCurrentIndex(welcome.role_box.findData("pedagogisch medewerker"))
    qtbot.mouseClick(welcome.start_button, Qt.MouseButton.LeftButton)

    assert "Fatima el Amrani" in window.who.text()
    qtbot.keyClicks(window.composer.editor, "Vandaag hebben we geknutseld")
    assert all("Fatima el Amrani" in v.final_text for v in window.model.variants())
    assert all("Sanne de Vries" not in v.final_text for v in window.model.variants())
    window.close()

    # The next start: no welcome again, and the same name.
    again = open_window()
    assert again.model.author.name == "Fatima el Amrani"
    assert again.model.author.role == "pedagogisch medewerker"
    qtbot.wait(50)
    assert again.welcome_dialog is None


def test_the_demo_site_is_named_beside_every_page(qtbot, open_window):
    window = open_window()
    assert window.demo_badge.isVisible() and "Demosite" in window.demo_badge.text()
    for key in ("scheduled", "history", "settings"):
        window.show_page(key)
        assert window.demo_badge.isVisible()


def test_settings_say_who_posts_in_words_and_keep_the_technical_details_for_ict(
    qtbot, open_window, data_dir
):
    window = open_window()
    window.show_page("settings")
    page = window.pages.currentWidget()
    assert "Sanne de Vries" in page.who.text() and "leerkracht" in page.who.text()
    assert "Basisschool De Regenboog (SCOH)" in page.schools.text()
    assert "Peuterspeelzaal De Kleine Wereld (SPCP)" in page.schools.text()
    shown = [label.text() for label in page.findChildren(QLabel) if label.isVisible()]
    assert not any("siteconfiguratie" in t.lower() or "gegevensmap" in t.lower() for t in shown)
    assert not page.ict_details.isVisible()
    qtbot.mouseClick(page.ict_toggle, Qt.MouseButton.LeftButton)
    assert page.ict_details.isVisible()
    details = [label.text() for label in page.ict_details.findChildren(QLabel)]
    assert str(data_dir) in details

    # Changing the name from the settings page reaches the composer at once.
    qtbot.mouseClick(page.identity_button, Qt.MouseButton.LeftButton)
    dialog = window.welcome_dialog
    dialog.name_edit.setText("Joke Smit")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert window.model.author.name == "Joke Smit"
    assert "Joke Smit" in window.pages.currentWidget().who.text()
    store = Store.open(data_dir)
    assert store.setting(author_identity.NAME_SETTING) == "Joke Smit"


def test_a_site_that_names_its_authors_keeps_them(tmp_path, data_dir):
    from app.site.config import load_site
    from resources import resource_path

    site_file = tmp_path / "site.toml"
    site_file.write_text(resource_path("demo-site.toml").read_text(encoding="utf-8"), "utf-8")
    site = load_site(site_file)
    store = Store.open(data_dir)
    author_identity.save_identity(store, "Iemand Anders", "directie")
    assert not author_identity.may_choose(site)
    assert (
        author_identity.with_saved_identity(site, store).default_author().name == "Sanne de Vries"
    )


def test_qt_s_own_buttons_and_file_dialog_speak_dutch_and_english_on_request(qtbot):
    try:
        assert load_qt_translations("nl")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuleren"
        dialog = QFileDialog()
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert {"Zoeken in:", "Bestands&naam:", "Bestanden van type:"} <= labels, labels
        assert load_qt_translations("en")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"
    finally:
        load_qt_translations("nl")


def test_file_dialogs_open_in_pictures_and_documents(tmp_path, monkeypatch):
    from ui import file_places

    pictures, documents = tmp_path / "Afbeeldingen", tmp_path / "Documenten"
    pictures.mkdir()
    documents.mkdir()
    monkeypatch.setattr(file_places.platformdirs, "user_pictures_dir", lambda: str(pictures))
    monkeypatch.setattr(file_places.platformdirs, "user_documents_dir", lambda: str(documents))
    assert file_places.pictures_folder() == str(pictures)
    assert file_places.documents_folder() == str(documents)
    documents.rmdir()
    assert file_places.documents_folder() == str(file_places.Path.home())


def test_status_line_messages_go_away_by_themselves(qtbot, open_window, monkeypatch):
    from ui import app_window

    monkeypatch.setattr(app_window, "STATUS_MESSAGE_MS", 100)
    window = open_window()
    window.say("Geplaatst op Oefenaccount De Regenboog (Oefenaccount).")
    assert window.statusBar().currentMessage().startswith("Geplaatst")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=3000)
