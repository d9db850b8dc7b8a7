"""Issue 14 on the Accounts page: a Facebook, Instagram or LinkedIn account that lacks more than
one setting in the site file names every one of them under "Voor ICT" at once, so IT mends the
file in one go rather than finding the next gap after each restart; the user reads one Dutch
sentence without the file's keys. An account that has what it needs says nothing for IT."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.accounts.service import AccountService
from app.store import Store
from connectors import networks, options_for
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.gui.shown_text import assert_dutch_only, texts_in
from tests.gui.test_accounts_page import open_page, site_with

BARE = """
[[schools.accounts]]
id = "fb-bare"
network = "facebook"
name = "De Regenboog op Facebook"
kind = "official"

[[schools.accounts]]
id = "ig-bare"
network = "instagram"
name = "De Regenboog op Instagram"
kind = "official"

[[schools.accounts]]
id = "li-bare"
network = "linkedin"
name = "De Regenboog op LinkedIn"
kind = "official"
handle = "geen paginanummer"

[[schools.accounts]]
id = "fb-ready"
network = "facebook"
name = "De Regenboog op Facebook, ingesteld"
kind = "official"
handle = "104000000000001"
redirect_port = "8766"
"""

# Nothing listens here: what is missing is read from the site file, not asked of the service.
SERVICE = '\n[koppeldienst]\nurl = "https://koppeldienst.scoh.invalid"\n'


def open_accounts(qtbot, tmp_path, data_dir, extra):
    site = site_with(tmp_path, extra)
    store = Store.open(data_dir)
    service = AccountService(SecretStore(), data_dir, networks(options_for(site)))
    return open_page(qtbot, site, store, data_dir, service), store


def ict_detail(qtbot, page, account_id: str) -> str:
    card = page.cards[account_id]
    assert not card.sign_in_button.isEnabled(), account_id
    assert card.note_label.text().startswith("De ICT-beheerder moet "), account_id
    assert_dutch_only(texts_in(card))
    qtbot.mouseClick(card.ict_toggle, Qt.MouseButton.LeftButton)
    assert card.ict_detail.isVisible(), account_id
    return card.ict_detail.text()


def test_every_missing_setting_is_named_for_it_at_once_with_the_service(
    qtbot,
    secret_service,  # noqa: F811
    tmp_path,
    data_dir,
):
    page, store = open_accounts(qtbot, tmp_path, data_dir, BARE + SERVICE)
    try:
        facebook = ict_detail(qtbot, page, "fb-bare")
        # A list, one missing setting a line.
        _intro, page_number, port = facebook.splitlines()
        assert (
            page_number.startswith("• ") and "paginanummer van deze Facebookpagina" in page_number
        )
        assert "(handle," in page_number
        assert port.startswith("• ") and "terugkeerpoort voor Facebook Login" in port
        assert "(redirect_port," in port
        linkedin = ict_detail(qtbot, page, "li-bare")
        assert "nummer van de LinkedIn-pagina" in linkedin and "(redirect_port," in linkedin
        # With the service Instagram lacks only its user number.
        instagram = ict_detail(qtbot, page, "ig-bare")
        assert "Instagram-gebruikersnummer" in instagram and "[koppeldienst] url" not in instagram
        ready = page.cards["fb-ready"]
        assert ready.sign_in_button.isEnabled() and not ready.ict_toggle.isVisible()
    finally:
        store.close()


def test_instagram_without_the_service_names_both_its_number_and_the_service(
    qtbot,
    secret_service,  # noqa: F811
    tmp_path,
    data_dir,
):
    page, store = open_accounts(qtbot, tmp_path, data_dir, BARE)
    try:
        instagram = ict_detail(qtbot, page, "ig-bare")
        assert "Instagram-gebruikersnummer" in instagram and "(handle," in instagram
        assert "[koppeldienst] url" in instagram
        # Without the service Facebook signs in with a pasted token: no port is asked for.
        facebook = ict_detail(qtbot, page, "fb-bare")
        assert "(handle," in facebook and "redirect_port" not in facebook
    finally:
        store.close()
