"""Issue 13 on the Accounts page: an X or YouTube account whose site configuration lacks what the
sign-in needs (the client id; for X also the registered loopback port) cannot be signed in, and
its card says in Dutch that IT must set the network up, with which key of the site file under
"Voor ICT"; once configured, the button works again. With
eight long-named accounts the page fits a 1024x700 laptop without scrolling sideways."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from app.accounts.service import AccountService
from app.store import Store
from connectors import networks
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.gui.eight_accounts import write_site
from tests.gui.shown_text import assert_dutch_only, texts_in
from tests.gui.test_accounts_page import open_page, site_with

ACCOUNTS = """
[[schools.accounts]]
id = "x-bare"
network = "x"
name = "De Regenboog op X"
kind = "official"

[[schools.accounts]]
id = "x-no-port"
network = "x"
name = "De Regenboog op X zonder poort"
kind = "official"
client_id = "postwijs-native"

[[schools.accounts]]
id = "x-ready"
network = "x"
name = "De Regenboog op X, ingesteld"
kind = "official"
client_id = "postwijs-native"
redirect_port = "8765"

[[schools.accounts]]
id = "yt-bare"
network = "youtube"
name = "De Regenboog op YouTube"
kind = "official"

[[schools.accounts]]
id = "yt-ready"
network = "youtube"
name = "De Regenboog op YouTube, ingesteld"
kind = "official"
client_id = "postwijs-desktop.apps.googleusercontent.com"
"""


def test_a_sign_in_the_configuration_cannot_carry_is_disabled_and_says_what_it_must_set(
    qtbot,
    secret_service,  # noqa: F811
    tmp_path,
    data_dir,
):
    site = site_with(tmp_path, ACCOUNTS)
    store = Store.open(data_dir)
    try:
        page = open_page(
            qtbot, site, store, data_dir, AccountService(SecretStore(), data_dir, networks())
        )
        for account_id, network in (("x-bare", "X"), ("x-no-port", "X"), ("yt-bare", "YouTube")):
            card = page.cards[account_id]
            assert card.sign_in_button.isVisible(), account_id
            assert not card.sign_in_button.isEnabled(), account_id
            # The user reads a Dutch sentence without the site file's keys...
            assert card.note_label.isVisible(), account_id
            assert card.note_label.text().startswith(
                f"De ICT-beheerder moet {network} nog instellen voor Postwijs."
            ), account_id
            assert card.sign_in_button.toolTip() == card.note_label.text()
            assert_dutch_only(texts_in(card))
            assert not any("client_id" in t or "redirect_port" in t for t in texts_in(card))
            # ...and IT finds which key to set for which account under "Voor ICT".
            assert card.ict_toggle.isVisible() and not card.ict_detail.isVisible(), account_id
            qtbot.mouseClick(card.ict_toggle, Qt.MouseButton.LeftButton)
            assert card.ict_detail.isVisible(), account_id
            assert f"account met id {account_id} ([[schools.accounts]])" in card.ict_detail.text()
        assert "redirect_port" in page.cards["x-no-port"].ict_detail.text()
        assert "client_id" in page.cards["x-bare"].ict_detail.text()
        assert "client-ID van de Google-app" in page.cards["yt-bare"].ict_detail.text()
        for account_id in ("x-ready", "yt-ready"):
            card = page.cards[account_id]
            assert card.sign_in_button.isEnabled(), account_id
            assert "ICT-beheerder" not in card.note_label.text(), account_id
            assert not card.ict_toggle.isVisible(), account_id
            assert card.sign_in_button.toolTip() == ""
    finally:
        store.close()


def test_eight_long_named_accounts_fit_a_1024_by_700_screen_without_a_sideways_scrollbar(
    qtbot, open_window, tmp_path
):
    window = open_window(site_file=write_site(tmp_path))
    for width, height in ((1280, 720), (1024, 700)):
        window.resize(width, height)
        window.show_page("accounts")
        areas = [a for a in window.findChildren(QScrollArea) if a.isVisible()]
        assert areas
        qtbot.waitUntil(lambda w=width: window.width() == w)
        qtbot.wait(50)
        for area in areas:
            assert area.horizontalScrollBar().maximum() == 0, (width, type(area.widget()))
            assert not area.horizontalScrollBar().isVisible(), (width,)
