"""Issue 14 on a 1024x700 laptop: with the foundation's koppeldienst configured, the Facebook,
Instagram and LinkedIn cards offer both "Aanmelden bij …" and, for IT, "Token plakken…". Those
cards must stay as wide as the page: their row of buttons made the whole Accounts page scroll
sideways, the state badges and the cards' right edges out of sight.

Real parts: the main window with its style, `python -m koppeldienst` (serving the Facebook and
LinkedIn contract servers), a real Secret Service."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QScrollArea

from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.gui.eight_accounts import write_site
from tests.gui.fit_check import cut_off_texts
from tests.servers.facebook_server import FacebookGraphServer
from tests.servers.koppeldienst_process import free_port, koppeldienst
from tests.servers.linkedin_server import LinkedinServer

CONFIGURED = {  # what the site gives each account so that it can sign in through the service
    "linkedin": 'handle = "urn:li:organization:2414183"\nredirect_port = "{port}"\n',
    "facebook": 'handle = "104000000000001"\nredirect_port = "{port}"\n',
    "instagram": 'handle = "17841400000000001"\nredirect_port = "{port}"\n',
}


def site_with_service(folder: Path, service_url: str) -> Path:
    """The school of eight accounts, its Meta and LinkedIn accounts set up for the service."""
    path = write_site(folder)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    out, network = [], ""
    for line in lines:
        out.append(line)
        if line.startswith("network = "):
            network = line.split('"')[1]
        if line.startswith("kind = ") and network in CONFIGURED:
            out.append(CONFIGURED[network].format(port=free_port()))
            network = ""
    out.append(f'\n[koppeldienst]\nurl = "{service_url}"\n')
    path.write_text("".join(out), encoding="utf-8")
    return path


@pytest.fixture
def service(tmp_path):
    with (
        FacebookGraphServer() as meta,
        LinkedinServer() as linkedin,
        koppeldienst(
            meta.base_url,
            tmp_path / "service.log",
            app_id=meta.app_id,
            app_secret=meta.app_secret,
            pages=(meta.page_id,),
            linkedin=(linkedin.base_url, linkedin.client_id, linkedin.client_secret),
            linkedin_organizations=("2414183",),
        ) as running,
    ):
        yield running


@pytest.mark.parametrize("size", [(1024, 700), (1280, 720)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_cards_with_sign_in_and_paste_fit_the_page(
    qtbot,
    open_window,
    secret_service,  # noqa: F811
    service,
    tmp_path,
    size,
):
    window = open_window(site_file=site_with_service(tmp_path, service.base_url))
    window.resize(*size)
    window.show_page("accounts")
    page = window.registry.page("accounts")
    qtbot.waitUntil(lambda: all(c.status is not None for c in page.cards.values()), timeout=20_000)
    both = [c for c in page.cards.values() if c.paste_button.isVisible()]
    assert {c.account.network for c in both} == {"facebook", "linkedin"}
    assert all(c.sign_in_button.isVisible() for c in both)
    qtbot.wait(100)  # the layout settles
    [scroll] = page.findChildren(QScrollArea)  # the cards' area
    assert scroll.horizontalScrollBar().maximum() == 0, "the page scrolls sideways"
    for card in both:
        assert card.width() <= scroll.viewport().width()
        assert cut_off_texts(card) == []
