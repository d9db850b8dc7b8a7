"""Issue 14 on the Accounts page with the foundation's koppeldienst: IT can still paste a
Facebook Page token ("Token plakken…" beside the browser sign-in); the token's end is read by
the koppeldienst (a real process) from the Facebook contract server's debug_token and shown on
the card, which takes the warning look in the last days before that end.

Real parts: the Accounts page, the Facebook connector, `python -m koppeldienst`, the Facebook
contract server (held to Meta's node descriptions), a real Secret Service."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.accounts.service import AccountService
from app.dutch_time import long_date
from connectors import SignInOptions, networks
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.gui.test_accounts_page import WAIT, open_page, site_with
from tests.gui.test_contrast import contrast, rules
from tests.meta_rigs import facebook_service
from tests.servers.facebook_server import FacebookGraphServer
from tests.servers.koppeldienst_process import free_port
from ui.accounts.page import CARD_STYLE, AccountCard

ACCOUNT = "kw-facebook"
SHOTS = os.environ.get("POSTWIJS_SCREENSHOTS", "")


@pytest.fixture
def server():
    with FacebookGraphServer() as running:
        yield running


@pytest.fixture
def vault(secret_service):  # noqa: F811
    yield SecretStore()
    SecretStore().delete(ACCOUNT)


@pytest.fixture
def service(server, tmp_path):
    with facebook_service(server, tmp_path) as running:
        yield running


def facebook_site(tmp_path: Path, server: FacebookGraphServer):
    return site_with(
        tmp_path,
        f"""
[[schools.accounts]]
id = "{ACCOUNT}"
network = "facebook"
name = "Facebook De Kleine Wereld"
kind = "official"
handle = "{server.page_id}"
redirect_port = "{free_port()}"
""",
    )


def paste(qtbot, page, card: AccountCard, token: str) -> None:
    assert card.paste_button.isVisible() and card.paste_button.isEnabled()
    qtbot.mouseClick(card.paste_button, Qt.MouseButton.LeftButton)
    dialog = page.token_dialog
    qtbot.keyClicks(dialog.token_edit, token)
    with qtbot.waitSignal(page.connected, timeout=WAIT):
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.token_edit.text() == ""


def shoot(card: AccountCard, page, name: str) -> None:
    if not SHOTS:
        return
    for size in ((1280, 720), (1024, 700)):
        page.resize(*size)
        page.grab().save(os.path.join(SHOTS, f"{name}-{size[0]}x{size[1]}.png"))


def open_with_service(qtbot, tmp_path, server, service, vault, store, data_dir):
    options = SignInOptions(meta_graph_api=server.base_url, koppeldienst_url=service.base_url)
    accounts = AccountService(vault, data_dir, networks(options))
    page = open_page(qtbot, facebook_site(tmp_path, server), store, data_dir, accounts)
    return page, page.cards[ACCOUNT]


def test_with_the_service_it_pastes_a_page_token_and_the_card_says_until_when(
    qtbot, server, service, vault, store, data_dir, tmp_path
):
    page, card = open_with_service(qtbot, tmp_path, server, service, vault, store, data_dir)
    # The browser sign-in the service offers, and beside it the paste for IT.
    assert card.sign_in_button.isVisible() and card.sign_in_button.text() == (
        "Aanmelden bij Facebook"
    )
    assert card.paste_button.text() == "Token plakken…"
    token = server.issue_token()
    ends = datetime.now(UTC) + timedelta(days=45)
    server.token_ends[token] = int(ends.timestamp())

    paste(qtbot, page, card, token)

    qtbot.waitUntil(lambda: card.state_label.text() == "verbonden", timeout=WAIT)
    assert card.note_label.text() == f"Het token is geldig tot {long_date(ends)}."
    assert card.state_label.property("tone") == "good"
    assert SecretStore().read(ACCOUNT)["page_token"] == token
    assert not card.paste_button.isVisible()  # connected, and not ending soon
    assert token not in service.log.read_text()
    shoot(card, page, "facebook-token-geldig")


def test_a_token_ending_in_three_days_gives_the_card_the_warning_look(
    qtbot, server, service, vault, store, data_dir, tmp_path
):
    page, card = open_with_service(qtbot, tmp_path, server, service, vault, store, data_dir)
    token = server.issue_token()
    ends = datetime.now(UTC) + timedelta(days=3)
    server.token_ends[token] = int(ends.timestamp())

    paste(qtbot, page, card, token)

    qtbot.waitUntil(lambda: card.state_label.text() == "verloopt binnenkort", timeout=WAIT)
    assert card.state_label.property("tone") == "act"
    # It can be renewed before then, either way, and the note names both buttons.
    assert card.note_label.text() == (
        f"Het token verloopt op {long_date(ends)}. Plak voor die dag een nieuw token "
        "(Token plakken) of meld het account aan (Aanmelden bij Facebook)."
    )
    assert card.paste_button.isVisible() and card.sign_in_button.isVisible()
    warning = rules(CARD_STYLE)['#accountState[tone="act"]']
    assert contrast(warning["color"], warning["background"]) >= 4.5
    shoot(card, page, "facebook-token-verloopt-binnenkort")
