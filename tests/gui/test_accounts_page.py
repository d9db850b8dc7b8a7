"""The Accounts page: the site's accounts with their state, signing in through the page (the test's
browser visits the Mastodon contract server's sign-in page), suspending with a reason, the friend
audit, and a computer without a password vault. The vault is a real Secret Service."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest
import requests
from keyring.backends import fail
from PySide6.QtCore import Qt

from app.accounts.service import AccountService
from app.consent import register as consent
from app.consent.register import IMPORT, PersonRecord, Source
from app.history import chain as history
from app.site.config import DEMO_SITE_FILE, Site, load_site
from app.store import Store
from connectors import SignInOptions, networks
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.servers.mastodon_server import MastodonServer
from tests.servers.pds_fixture import PdsServer, pds_server  # noqa: F401  (a fixture)
from ui.accounts.page import AccountsPage

BY = "Sanne de Vries"
WAIT = 20_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """The user's browser: visits the sign-in page once `go` is set (at once by default), and the
    instance redirects it to Postwijs's loopback listener."""

    def __init__(self, go_at_once: bool = True) -> None:
        self.go = threading.Event()
        if go_at_once:
            self.go.set()
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        if self.go.wait(timeout=60):
            requests.get(url, timeout=30)


@pytest.fixture
def server():
    # Plain http on 127.0.0.1: the sign-in allows it for loopback addresses only.
    with MastodonServer() as running:
        yield running


@pytest.fixture
def vault(secret_service):  # noqa: F811
    """The real Secret Service; the accounts' entries are removed afterwards, whatever happened."""
    yield SecretStore()
    for account_id in ("kw-mastodon", "kw-bluesky"):
        SecretStore().delete(account_id)


def site_with(tmp_path: Path, extra: str) -> Site:
    path = tmp_path / "site.toml"
    path.write_text(DEMO_SITE_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return load_site(path)


def mastodon_site(tmp_path: Path, server: MastodonServer) -> Site:
    return site_with(
        tmp_path,
        f"""
[[schools.accounts]]
id = "kw-mastodon"
network = "mastodon"
name = "Mastodon De Kleine Wereld"
kind = "staff"
instance = "{server.base_url}"
handle = "@juf@school.example"
""",
    )


def open_page(qtbot, site, store, data_dir, service) -> AccountsPage:
    def people():
        own = Store.open(data_dir)
        try:
            return consent.people_for_rules(own, site)
        finally:
            own.close()

    page = AccountsPage(site, store, data_dir, people, BY, service=service)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitUntil(
        lambda: all(card.status is not None for card in page.cards.values()), timeout=WAIT
    )
    return page


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def state_of(page: AccountsPage, account_id: str) -> str:
    return page.cards[account_id].state_label.text()


def test_the_page_lists_the_demo_sites_practice_accounts(
    qtbot,
    vault,
    demo_site,
    store,
    data_dir,
):
    page = open_page(qtbot, demo_site, store, data_dir, AccountService(vault, data_dir, networks()))
    assert list(page.cards) == ["regenboog-oefen", "kleine-wereld-oefen"]
    card = page.cards["regenboog-oefen"]
    assert card.name_label.text() == "Oefenaccount De Regenboog"
    assert card.state_label.text() == "oefenaccount, aanmelden is niet nodig"
    assert card.where_label.text() == "Oefenaccount · officieel account van de school"
    assert not card.sign_in_button.isVisible() and not card.sign_out_button.isVisible()
    assert not page.vault_banner.isVisible()
    click(qtbot, card.test_button)
    qtbot.waitUntil(lambda: card.result_label.text() == "Het oefenaccount werkt.", timeout=WAIT)
    click(qtbot, card.audit_button)
    qtbot.waitUntil(
        lambda: card.result_label.text() == "Een oefenaccount volgt niemand.", timeout=WAIT
    )


def test_a_mastodon_account_is_signed_in_tested_audited_suspended_and_signed_out(
    qtbot,
    vault,
    server,
    store,
    data_dir,
    tmp_path,
):
    site = mastodon_site(tmp_path, server)
    browser = Browser(go_at_once=False)
    service = AccountService(
        vault, data_dir, networks(SignInOptions(open_browser=browser, redirect_port=free_port()))
    )
    page = open_page(qtbot, site, store, data_dir, service)
    card = page.cards["kw-mastodon"]
    assert state_of(page, "kw-mastodon") == "niet aangemeld"
    assert "eigen account van een medewerker, zakelijk gebruikt" in card.where_label.text()
    assert card.sign_in_button.text() == "Aanmelden bij Mastodon"
    assert not card.sign_out_button.isVisible() and not card.audit_button.isEnabled()

    # Signing in waits for the browser, with a way out; then the account is connected.
    with qtbot.waitSignal(page.connected, timeout=WAIT) as signal:
        click(qtbot, card.sign_in_button)
        qtbot.waitUntil(lambda: len(browser.opened) == 1, timeout=WAIT)
        assert card.waiting_label.text() == "Wacht op de browser…"
        assert card.cancel_button.isVisible()
        browser.go.set()
    assert signal.args == ["kw-mastodon"]
    qtbot.waitUntil(lambda: state_of(page, "kw-mastodon") == "verbonden", timeout=WAIT)
    assert card.result_label.text() == "Aangemeld bij Mastodon als @juf@school.example."
    assert card.sign_out_button.isEnabled() and not card.sign_in_button.isVisible()

    click(qtbot, card.test_button)
    qtbot.waitUntil(
        lambda: card.result_label.text() == "Mastodon werkt: aangemeld als @juf@school.example.",
        timeout=WAIT,
    )

    # The friend audit finds a pupil the account follows (Communiceren 11).
    followed = server.add_following(2)
    consent.merge_people(
        store,
        "kleine-wereld",
        [
            PersonRecord(
                "2001", "pupil", "Sem", "", "de Boer", "Peuters", {"mastodon": followed[1]}
            ),
            PersonRecord("2002", "pupil", "Lotte", "", "Jansen", "Peuters"),
        ],
        Source(IMPORT, "leerlingen.csv", BY),
    )
    click(qtbot, card.audit_button)
    qtbot.waitUntil(card.audit_list.isVisible, timeout=WAIT)
    assert card.audit_text() == (
        f"Volgt {followed[1]}: Sem de Boer, leerling\nGedragsregel: Communiceren 11"
    )
    assert card.result_label.text() == (
        "Dit account volgt 1 leerling. Ontvolg dit account met de knop Ontvolgen."
    )

    # "Ontvolgen" asks first; Annuleren leaves the follow alone.
    assert list(card.unfollow_buttons) == [followed[1]]
    click(qtbot, card.unfollow_buttons[followed[1]])
    dialog = page.unfollow_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    assert (
        dialog.text()
        == f"Wil je {followed[1]} (Sem de Boer) ontvolgen met {site.account('kw-mastodon').name}?"
    )
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert server.requests_to("POST", r"/api/v1/accounts/.*/unfollow") == []

    # Confirmed, it runs off the GUI thread and the follow is gone on the server.
    click(qtbot, card.unfollow_buttons[followed[1]])
    dialog = page.unfollow_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    click(qtbot, page.unfollow_confirm_button)
    qtbot.waitUntil(
        lambda: (
            card.result_label.text() == f"Dit account volgt {followed[1]} niet meer op Mastodon."
        ),
        timeout=WAIT,
    )
    assert not card.audit_list.isVisible()
    assert len(server.requests_to("POST", r"/api/v1/accounts/.*/unfollow")) == 1
    assert server.violations == []
    [unfollowed] = history.events(store, "unfollowed")
    assert unfollowed.data == {
        "account": "kw-mastodon",
        "school": "kleine-wereld",
        "network": "mastodon",
    }
    assert unfollowed.details == {"handle": followed[1], "by": BY}
    qtbot.waitUntil(card.audit_button.isEnabled, timeout=WAIT)
    click(qtbot, card.audit_button)
    qtbot.waitUntil(
        lambda: card.result_label.text().startswith("Dit account volgt geen leerlingen"),
        timeout=WAIT,
    )
    assert not card.audit_list.isVisible() and card.unfollow_buttons == {}

    # Suspending asks a reason; the history records it.
    click(qtbot, card.suspend_button)
    dialog = page.suspend_dialog
    assert not dialog.suspend_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Volgt een leerling")
    click(qtbot, dialog.suspend_button)
    qtbot.waitUntil(lambda: state_of(page, "kw-mastodon") == "geschorst", timeout=WAIT)
    assert card.note_label.text() == f"Geschorst door {BY}: Volgt een leerling"
    assert card.suspend_button.text() == "Schorsing opheffen"
    (event,) = history.events(store, "account_suspended")
    assert event.data == {"account": "kw-mastodon", "school": "kleine-wereld"}
    assert event.details == {"reason": "Volgt een leerling", "by": BY}
    click(qtbot, card.suspend_button)
    qtbot.waitUntil(lambda: state_of(page, "kw-mastodon") == "verbonden", timeout=WAIT)

    click(qtbot, card.sign_out_button)
    qtbot.waitUntil(lambda: state_of(page, "kw-mastodon") == "niet aangemeld", timeout=WAIT)
    assert "toegang van Postwijs is ingetrokken" in card.result_label.text()
    assert not card.audit_list.isVisible()
    assert len(server.requests_to("POST", "/oauth/revoke")) == 1
    assert [e.kind for e in history.events(store) if e.kind.startswith("account_")] == [
        "account_connected",
        "account_suspended",
        "account_unsuspended",
        "account_disconnected",
    ]


def test_a_sign_in_can_be_cancelled_while_waiting_for_the_browser(
    qtbot,
    vault,
    server,
    store,
    data_dir,
    tmp_path,
):
    site = mastodon_site(tmp_path, server)
    browser = Browser(go_at_once=False)
    service = AccountService(
        vault, data_dir, networks(SignInOptions(open_browser=browser, redirect_port=free_port()))
    )
    page = open_page(qtbot, site, store, data_dir, service)
    card = page.cards["kw-mastodon"]
    click(qtbot, card.sign_in_button)
    qtbot.waitUntil(lambda: len(browser.opened) == 1, timeout=WAIT)
    click(qtbot, card.cancel_button)
    qtbot.waitUntil(lambda: "geannuleerd" in card.result_label.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: card.sign_in_button.isEnabled(), timeout=WAIT)
    assert state_of(page, "kw-mastodon") == "niet aangemeld"
    assert history.events(store) == []


def test_without_a_password_vault_nothing_can_be_signed_in(
    qtbot, server, store, data_dir, tmp_path
):
    site = mastodon_site(tmp_path, server)
    service = AccountService(
        SecretStore(fail.Keyring()), data_dir, networks(SignInOptions(redirect_port=free_port()))
    )
    page = open_page(qtbot, site, store, data_dir, service)
    assert page.vault_banner.isVisible()
    assert page.vault_banner.text().startswith(
        "De wachtwoordkluis van deze computer is niet beschikbaar"
    )
    card = page.cards["kw-mastodon"]
    assert card.state_label.text() == "geen wachtwoordkluis"
    assert not card.sign_in_button.isEnabled()
    assert page.cards["kleine-wereld-oefen"].test_button.isEnabled()
    assert server.requests == []


def test_a_bluesky_account_signs_in_with_an_app_password_typed_in_the_page(
    qtbot,
    vault,
    pds_server: PdsServer,  # noqa: F811
    store,
    data_dir,
    tmp_path,
):
    created = pds_server.create_account("peuters-klimop.test")
    password = pds_server.create_app_password(created["accessJwt"], "Postwijs")
    site = site_with(
        tmp_path,
        f"""
[[schools.accounts]]
id = "kw-bluesky"
network = "bluesky"
name = "Bluesky De Kleine Wereld"
kind = "official"
instance = "{pds_server.url}"
handle = "peuters-klimop.test"
""",
    )
    page = open_page(qtbot, site, store, data_dir, AccountService(vault, data_dir, networks()))
    card = page.cards["kw-bluesky"]
    assert state_of(page, "kw-bluesky") == "niet aangemeld"
    click(qtbot, card.sign_in_button)
    dialog = page.bluesky_dialog
    assert dialog.handle_edit.isReadOnly() and dialog.handle_edit.text() == "peuters-klimop.test"
    assert not dialog.sign_in_button.isEnabled()
    qtbot.keyClicks(dialog.password_edit, password)
    with qtbot.waitSignal(page.connected, timeout=WAIT):
        click(qtbot, dialog.sign_in_button)
    assert dialog.password_edit.text() == ""
    qtbot.waitUntil(lambda: state_of(page, "kw-bluesky") == "verbonden", timeout=WAIT)
    assert card.result_label.text() == "Aangemeld bij Bluesky als @peuters-klimop.test."

    click(qtbot, card.sign_out_button)
    qtbot.waitUntil(lambda: state_of(page, "kw-bluesky") == "niet aangemeld", timeout=WAIT)
    assert "App-wachtwoorden" in card.result_label.text()


def test_without_a_vault_a_site_of_practice_accounts_only_is_not_warned(
    qtbot, store, data_dir, demo_site
):
    """The demo site's practice accounts need no vault: a red warning would alarm for nothing."""
    service = AccountService(SecretStore(fail.Keyring()), data_dir, networks())
    page = open_page(qtbot, demo_site, store, data_dir, service)
    qtbot.waitUntil(lambda: page.cards["regenboog-oefen"].status is not None, timeout=WAIT)
    assert not page.vault_ok
    assert not page.vault_banner.isVisible()
