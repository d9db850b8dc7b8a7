"""Issue 11: with eight accounts with long names the window fits a laptop screen, every name can
be read, nothing grows the window later; only accounts that can post can be ticked, and the
confirmation names every account that will and will not get the post."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.compose.model import availability_of
from connectors.practice import read_timeline

EIGHT_ACCOUNTS = Path(__file__).resolve().parents[1] / "sites" / "eight-accounts.toml"
LEFT = Qt.MouseButton.LeftButton
SCREENS = [(1280, 720), (1024, 700)]


def settle(qtbot, window) -> None:
    for _ in range(5):
        QApplication.processEvents()
    qtbot.wait(20)


def open_eight(qtbot, open_window, size):
    window = open_window(site_file=EIGHT_ACCOUNTS)
    window.resize(*size)
    picker = window.composer.account_picker
    # The accounts' states are read off the GUI thread (the vault); wait for them.
    qtbot.waitUntil(
        lambda: all("nagekeken" not in label.text() for label in picker.state_labels.values()),
        timeout=10_000,
    )
    settle(qtbot, window)
    return window


def assert_names_readable(window) -> None:
    picker = window.composer.account_picker
    viewport = picker.scroll_area.viewport()
    for account_id, name in picker.name_labels.items():
        picker.scroll_area.ensureWidgetVisible(name)
        QApplication.processEvents()
        left = name.mapTo(viewport, QPoint(0, 0)).x()
        # Wrapped where needed, the whole name is inside the list: no sideways scrolling.
        assert name.height() >= name.heightForWidth(name.width()), name.text()
        assert left + name.width() <= viewport.width(), name.text()
        assert not name.visibleRegion().isEmpty(), name.text()
        assert name.text() == window.site.account(account_id).name  # the full name, not cut
    assert not picker.scroll_area.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("size", SCREENS)
def test_eight_long_account_names_fit_the_laptop_and_each_can_be_read(qtbot, open_window, size):
    window = open_eight(qtbot, open_window, size)
    width, height = size
    hint = window.minimumSizeHint()
    assert hint.width() <= width and hint.height() <= height, hint
    assert (window.width(), window.height()) == size
    picker = window.composer.account_picker
    assert len(picker.boxes) == 8
    assert "Juf Annemarie van de onderbouw op Bluesky" in [
        n.text() for n in picker.name_labels.values()
    ]
    assert_names_readable(window)
    # The Plaatsen button and the checks stay on screen.
    for widget in (window.composer.publish_button, window.composer.checks):
        right = widget.mapTo(window, QPoint(widget.width(), widget.height()))
        assert right.x() <= width and right.y() <= height, widget


def test_nothing_grows_the_window_after_publishing_or_voorleggen(qtbot, open_window, data_dir):
    window = open_eight(qtbot, open_window, (1280, 720))
    window.open_url = lambda url: False  # no mail program in the test
    composer = window.composer
    qtbot.keyClicks(composer.editor, "Vandaag hebben we appels geplukt in de boomgaard!")
    composer.review_button.click()
    window.review.note_dialog.send_button.click()
    qtbot.waitUntil(lambda: window.model.review is not None, timeout=10_000)
    settle(qtbot, window)
    assert (window.width(), window.height()) == (1280, 720)
    assert window.minimumSizeHint().height() <= 720

    window.model.set_review(None)
    composer.publish_button.click()
    window.confirm_dialog.publish_button.click()
    qtbot.waitUntil(lambda: not window.publishing, timeout=20_000)
    assert len(read_timeline(data_dir)) == 1
    window.show_page("composer")
    settle(qtbot, window)
    assert (window.width(), window.height()) == (1280, 720)
    assert window.minimumSizeHint().width() <= 1024


def test_an_account_that_cannot_post_says_why_and_cannot_be_ticked(qtbot, open_window):
    window = open_eight(qtbot, open_window, (1280, 720))
    # As if Postwijs had no connector for Facebook (every network in the site has one now).
    window.account_availability = lambda accounts: {
        "regenboog-facebook": availability_of("unavailable", "nog niet beschikbaar")
    }
    window.reload_availability()
    picker = window.composer.account_picker
    qtbot.waitUntil(
        lambda: picker.state_labels["regenboog-facebook"].text().startswith("nog niet"),
        timeout=10_000,
    )
    facebook_box = picker.boxes["regenboog-facebook"]
    assert not facebook_box.isEnabled()
    assert picker.state_labels["regenboog-facebook"].text() == (
        "nog niet beschikbaar: Postwijs kan op dit netwerk nog niet plaatsen."
    )
    qtbot.mouseClick(facebook_box, LEFT)
    assert "regenboog-facebook" not in window.model.draft.account_ids
    window.model.set_account("regenboog-facebook", True)  # nor behind the widgets' back
    assert "regenboog-facebook" not in window.model.draft.account_ids
    # The practice account can post at once.
    assert picker.boxes["regenboog-oefen"].isEnabled()
    assert picker.state_labels["regenboog-oefen"].isHidden()


def test_signing_in_makes_an_account_tickable_and_signed_out_ones_say_what_to_do(
    qtbot, open_window
):
    window = open_eight(qtbot, open_window, (1280, 720))
    states = {
        "regenboog-bluesky-juf": availability_of("connected", "verbonden"),
        "regenboog-bluesky": availability_of("signed_out", "niet aangemeld"),
        "regenboog-mastodon": availability_of("no_vault", "geen wachtwoordkluis"),
    }
    window.account_availability = lambda accounts: {
        a.id: states.get(a.id, availability_of("unavailable", "nog niet beschikbaar"))
        for a in accounts
        if a.network != "practice"
    }
    window.reload_availability()
    picker = window.composer.account_picker
    qtbot.waitUntil(lambda: picker.boxes["regenboog-bluesky-juf"].isEnabled(), timeout=10_000)
    assert picker.state_labels["regenboog-bluesky"].text() == (
        "niet aangemeld: Eerst aanmelden bij Accounts."
    )
    assert "wachtwoordkluis" in picker.state_labels["regenboog-mastodon"].text()
    assert "ICT-beheerder" in picker.state_labels["regenboog-mastodon"].text()
    assert not picker.boxes["regenboog-bluesky"].isEnabled()
    # A click on the name ticks the box, as on any tick box; a click on a name that cannot post
    # does nothing.
    qtbot.mouseClick(picker.name_labels["regenboog-bluesky"], LEFT)
    qtbot.mouseClick(picker.name_labels["regenboog-bluesky-juf"], LEFT)
    assert window.model.draft.account_ids == ["regenboog-oefen", "regenboog-bluesky-juf"]
    assert picker.summary.text() == "2 van 8 gekozen · 6 nog niet klaar"
    qtbot.mouseClick(picker.boxes["regenboog-bluesky-juf"], LEFT)
    assert window.model.draft.account_ids == ["regenboog-oefen"]
    qtbot.mouseClick(picker.boxes["regenboog-bluesky-juf"], LEFT)

    # The confirmation names every account that will and will not get the post.
    qtbot.keyClicks(window.composer.editor, "Morgen is de kerstmarkt op het plein.")
    dialog_texts = []
    window.composer.publish_button.click()
    dialog = window.confirm_dialog
    dialog_texts = [v.account_name for v in window.model.variants()]
    assert dialog_texts == [
        "Oefenaccount De Regenboog",
        "Juf Annemarie van de onderbouw op Bluesky",
    ]
    assert len(dialog.final_texts()) == 2
    left_out = dialog.left_out_label.text()
    assert (
        "• Basisschool De Regenboog op Bluesky: niet aangemeld: Eerst aanmelden bij Accounts."
        in (left_out)
    )
    for name in (
        "De Regenboog op Mastodon (onderwijs.social)",
        "Basisschool De Regenboog op X",
        "Ouders en vrienden van De Regenboog (Facebook)",
        "De Regenboog in beeld op Instagram",
        "Werken bij Basisschool De Regenboog (LinkedIn)",
    ):
        assert f"• {name}: " in left_out
    dialog.back_button.click()


def test_the_search_narrows_twenty_accounts_to_the_one_looked_for(qtbot, open_window):
    window = open_eight(qtbot, open_window, (1024, 700))
    picker = window.composer.account_picker
    assert picker.search.isVisible()
    qtbot.keyClicks(picker.search, "annemarie")
    shown = [n.text() for n in picker.name_labels.values() if n.isVisibleTo(picker)]
    assert shown == ["Juf Annemarie van de onderbouw op Bluesky"]
    picker.search.clear()
    assert all(b.isVisibleTo(picker) for b in picker.boxes.values())


def test_the_demo_sites_one_account_needs_no_search(qtbot, open_window):
    window = open_window()
    picker = window.composer.account_picker
    assert not picker.search.isVisible()
    assert picker.summary.text() == "1 van 1 gekozen"


def test_twenty_accounts_keep_the_list_at_its_height_and_the_window_at_its_size(
    qtbot, open_window, tmp_path
):
    text = EIGHT_ACCOUNTS.read_text(encoding="utf-8")
    extra = "".join(
        f'\n[[schools.accounts]]\nid = "regenboog-extra-{n}"\nnetwork = "bluesky"\n'
        f'name = "Groep {n} van De Regenboog op Bluesky"\nkind = "staff"\n'
        for n in range(1, 13)
    )
    marker = '[[schools]]\nid = "kleine-wereld"'
    site = tmp_path / "twenty.toml"
    site.write_text(text.replace(marker, extra.lstrip("\n") + "\n" + marker, 1), encoding="utf-8")
    window = open_window(site_file=site)
    window.resize(1024, 700)
    settle(qtbot, window)
    picker = window.composer.account_picker
    assert len(picker.boxes) == 20
    assert picker.scroll_area.height() <= 140  # about six lines; the rest scrolls
    assert (window.width(), window.height()) == (1024, 700)
    qtbot.keyClicks(picker.search, "groep 12")
    assert [n.text() for n in picker.name_labels.values() if n.isVisibleTo(picker)] == [
        "Groep 12 van De Regenboog op Bluesky"
    ]
