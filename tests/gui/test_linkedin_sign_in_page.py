"""Issue 14 on the Accounts page: with the foundation's service a LinkedIn page signs in through
the browser ("Aanmelden bij LinkedIn", no token to paste), and the card then shows as whom and
until when.

Real parts: the Accounts page, the LinkedIn connector, the koppeldienst as a real process, the
LinkedIn contract server as LinkedIn's authorization page and API, a real Secret Service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.service import NOTE_KEY, AccountService
from app.dutch_time import long_date
from connectors import networks
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.connectors.test_accounts import site_with
from tests.connectors.test_linkedin_sign_in import linkedin_options, linkedin_service
from tests.gui.test_accounts_page import (
    WAIT,
    Browser,
    click,
    open_page,
    state_of,
)
from tests.servers.koppeldienst_process import free_port
from tests.servers.linkedin_server import LinkedinServer

ACCOUNT = "regenboog-linkedin"


@pytest.fixture
def server():
    with LinkedinServer() as running:
        yield running


@pytest.fixture
def vault(secret_service):  # noqa: F811
    yield SecretStore()
    SecretStore().delete(ACCOUNT)


def test_a_linkedin_page_signs_in_through_the_browser_from_its_card(
    qtbot,
    vault,
    server,
    store,
    data_dir,
    tmp_path,
):
    port = free_port()
    with linkedin_service(server, tmp_path, port) as service:
        site = site_with(
            tmp_path,
            f"""
[[schools.accounts]]
id = "{ACCOUNT}"
network = "linkedin"
name = "De Regenboog op LinkedIn"
kind = "official"
handle = "{server.organization}"
redirect_port = "{port}"
""",
        )
        browser = Browser(go_at_once=False)
        options = linkedin_options(server, service, browser)
        page = open_page(
            qtbot, site, store, data_dir, AccountService(vault, data_dir, networks(options))
        )
        card = page.cards[ACCOUNT]
        assert state_of(page, ACCOUNT) == "niet aangemeld"
        assert card.sign_in_button.text() == "Aanmelden bij LinkedIn"

        with qtbot.waitSignal(page.connected, timeout=WAIT):
            click(qtbot, card.sign_in_button)
            qtbot.waitUntil(lambda: len(browser.opened) == 1, timeout=WAIT)
            assert card.waiting_label.text() == "Wacht op de browser…"
            assert getattr(page, "token_dialog", None) is None  # nothing to paste here
            browser.go.set()
        qtbot.waitUntil(lambda: state_of(page, ACCOUNT) == "verbonden", timeout=WAIT)

    assert "Basisschool De Regenboog" in card.result_label.text()
    assert browser.opened[0].startswith(f"{server.base_url}/oauth/v2/authorization?")
    assert vault.read(ACCOUNT)["source"] == "koppeldienst"
    ends = long_date(datetime.now(UTC) + timedelta(days=365))
    assert card.note_label.isVisible()
    assert card.note_label.text() == f"De aanmelding is geldig tot {ends}."
    assert not card.sign_in_button.isVisible()

    # Five days before the sign-in ends the card says so and offers to sign in again.
    stored = vault.read(ACCOUNT)
    soon = datetime.now(UTC) + timedelta(days=5)
    stored[NOTE_KEY] = {**stored[NOTE_KEY], "expiresAt": soon.isoformat()}
    vault.write(ACCOUNT, stored)
    page.reload()
    qtbot.waitUntil(
        lambda: card.note_label.text().startswith("De aanmelding verloopt op"), timeout=WAIT
    )
    assert long_date(soon) in card.note_label.text()
    assert "opnieuw aan" in card.note_label.text()
    assert state_of(page, ACCOUNT) == "verloopt binnenkort"  # the warning look, not green
    assert card.state_label.property("tone") == "act"
    assert card.sign_in_button.isVisible() and card.sign_in_button.isEnabled()
