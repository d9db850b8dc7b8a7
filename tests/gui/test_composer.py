from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.history import chain as history
from app.store import Store
from connectors.practice import read_timeline


def test_typing_a_post_and_placing_it_shows_it_on_the_practice_timeline_and_in_history(
    qtbot, open_window, data_dir
):
    window = open_window()
    composer = window.composer
    assert not composer.publish_button.isEnabled()
    assert composer.reason.text() == "Schrijf eerst je bericht."

    qtbot.keyClicks(composer.editor, "Vandaag hebben we appels geplukt in de boomgaard!")
    assert composer.publish_button.isEnabled()
    preview = composer.preview_cards[0].body.text()
    assert (
        "appels geplukt" in preview and "medewerker van Basisschool De Regenboog (SCOH)" in preview
    )
    expected = window.model.variants()[0].final_text
    # The account's name says its network already: the preview does not say it twice.
    assert composer.preview_cards[0].account.text() == "Oefenaccount De Regenboog"

    qtbot.mouseClick(composer.publish_button, Qt.MouseButton.LeftButton)
    dialog = window.confirm_dialog
    assert dialog.isVisible()
    assert dialog.final_texts() == [expected]
    headings = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Oefenaccount De Regenboog" in headings
    assert not [text for text in headings if "Oefenaccount De Regenboog ·" in text]
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not window.publishing, timeout=10_000)
    assert window.pages.currentWidget() is window.timeline
    cards = window.timeline.cards
    assert [card.text.text() for card in cards] == [expected]
    assert [p.text for p in read_timeline(data_dir)] == [expected]
    store = Store.open(data_dir)
    (event,) = history.events(store, "published")
    assert event.data["practice"] is True and event.details["final_text"] == expected
    assert composer.editor.toPlainText() == ""


def test_going_back_from_the_confirmation_publishes_nothing_and_keeps_the_text(
    qtbot, open_window, data_dir
):
    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Nog even nadenken")
    qtbot.mouseClick(window.composer.publish_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.confirm_dialog.back_button, Qt.MouseButton.LeftButton)
    assert not window.confirm_dialog.isVisible()
    assert read_timeline(data_dir) == []
    assert window.composer.editor.toPlainText() == "Nog even nadenken"


def test_choosing_the_playgroup_changes_the_accounts_and_the_disclaimer(qtbot, open_window):
    window = open_window()
    composer = window.composer
    composer.school_box.setCurrentIndex(composer.school_box.findData("kleine-wereld"))
    assert list(composer.account_boxes) == ["kleine-wereld-oefen"]
    qtbot.keyClicks(composer.editor, "Knutselen met herfstbladeren")
    assert "Peuterspeelzaal De Kleine Wereld (SPCP)" in composer.preview_cards[0].body.text()


def test_a_text_too_long_for_the_account_disables_plaatsen_and_says_by_how_much(qtbot, open_window):
    window = open_window()
    window.composer.editor.setPlainText("a" * 600)
    assert not window.composer.publish_button.isEnabled()
    assert "te lang voor Oefenaccount De Regenboog" in window.composer.reason.text()
    assert window.composer.preview_cards[0].counter.text().endswith("tekens te veel")


def test_a_broken_site_configuration_opens_with_the_reason_and_nothing_can_be_published(
    qtbot, open_window, tmp_path
):
    site_file = tmp_path / "site.toml"
    site_file.write_text("[[schools]]\nid = 3\n", encoding="utf-8")
    window = open_window(site_file=site_file)
    assert window.composer is None
    page = window.pages.widget(window.page_index["composer"])
    texts = " ".join(label.text() for label in page.findChildren(type(window.who)))
    assert str(site_file) in texts and "Er wordt niets geplaatst" in texts


def test_the_navigation_names_every_page_and_every_page_is_there(qtbot, open_window):
    window = open_window()
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert names == [
        "Nieuw bericht",
        "Gepland",
        "Geschiedenis",
        "Signalen",
        "Toestemmingen",
        "Accounts",
        "Oefentijdlijn",
        "Instellingen",
    ]
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        page = window.pages.currentWidget()
        texts = " ".join(label.text() for label in page.findChildren(type(window.who)))
        assert texts.strip(), names[row]
        assert "volgende versie" not in texts


def test_the_window_speaks_english_when_asked(qtbot, open_window):
    window = open_window(language="en")
    assert window.nav.item(0).text() == "New post"
    assert window.composer.publish_button.text() == "&Publish"
