"""Issue 14 in the window: IT pastes a Facebook page token on the Accounts page, and a photo with
its description goes from the composer to the Page.

Real parts: the real main window, the real Facebook connector on the Facebook contract server
(held to Meta's node descriptions), a real Secret Service, a real photo made here."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt

from app.accounts.service import CONNECTED, AccountService
from connectors import SignInOptions, networks
from connectors.secrets import SecretStore
from resources import resource_path
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.servers.facebook_server import FacebookGraphServer

ACCOUNT = "regenboog-facebook"
LEFT = Qt.MouseButton.LeftButton
WAIT = 30_000
TEXT = "De herfstmarkt van groep 4 was een groot succes. Dank aan alle ouders!"
ALT = "Een kraam met pompoenen en zelfgemaakte jam op het schoolplein."


def write_site(folder: Path, page_id: str) -> Path:
    """The demo site with the school's Facebook page beside its practice account."""
    text = resource_path("demo-site.toml").read_text(encoding="utf-8")
    anchor = 'name = "Oefenaccount De Regenboog"\nkind = "official"\n'
    assert anchor in text
    extra = (
        f'\n[[schools.accounts]]\nid = "{ACCOUNT}"\nnetwork = "facebook"\n'
        f'name = "De Regenboog op Facebook"\nkind = "official"\nhandle = "{page_id}"\n'
    )
    path = folder / "site.toml"
    path.write_text(text.replace(anchor, anchor + extra, 1), encoding="utf-8")
    return path


def market_photo(folder: Path) -> Path:
    """A photo without faces: stalls and pumpkins."""
    image = Image.new("RGB", (1200, 800), (180, 200, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 400, 1100, 760), fill=(120, 80, 40))
    for number in range(8):
        x = 150 + number * 115
        draw.ellipse((x, 300, x + 90, 390), fill=(230, 120 + number * 10, 20))
    path = folder / "herfstmarkt.jpg"
    image.save(path, quality=90)
    return path


@pytest.fixture
def server():
    with FacebookGraphServer(page_name="OBS De Regenboog") as running:
        yield running


@pytest.fixture
def vault(secret_service):  # noqa: F811
    yield SecretStore()
    SecretStore().delete(ACCOUNT)


def test_a_pasted_page_token_signs_in_and_a_photo_goes_to_the_page(
    qtbot, open_window, server, vault, tmp_path
):
    options = SignInOptions(meta_graph_api=server.base_url)

    def connector_for(account, data_dir, site=None):
        return AccountService(SecretStore(), data_dir, networks(options)).connector_for(account)

    window = open_window(site_file=write_site(tmp_path, server.page_id), networks=connector_for)
    window.account_service = AccountService(SecretStore(), window.data_dir, networks(options))

    # IT on the Accounts page: the card asks for a token; the pasted one is checked with Meta.
    window.show_page("accounts")
    page = window.registry.page("accounts")
    qtbot.waitUntil(lambda: all(c.status is not None for c in page.cards.values()), timeout=WAIT)
    card = page.cards[ACCOUNT]
    assert card.sign_in_button.isVisible() and card.sign_in_button.isEnabled()
    qtbot.mouseClick(card.sign_in_button, LEFT)
    qtbot.waitUntil(lambda: page.token_dialog is not None and page.token_dialog.isVisible())
    dialog = page.token_dialog
    assert "Facebook" in dialog.windowTitle()
    qtbot.keyClicks(dialog.token_edit, server.issue_token())
    qtbot.mouseClick(dialog.sign_in_button, LEFT)
    qtbot.waitUntil(
        lambda: card.status is not None and card.status.connection == CONNECTED, timeout=WAIT
    )
    assert "OBS De Regenboog" in card.status.connected_as
    assert dialog.token_edit.text() == ""  # the token went to the vault, not kept in the widget

    # The staff member in the composer: Facebook can be ticked now; a photo with its description.
    window.show_page("composer")
    window.reload_availability()
    composer = window.composer
    boxes = composer.account_picker.boxes
    qtbot.waitUntil(lambda: boxes[ACCOUNT].isEnabled(), timeout=WAIT)
    for account_id, box in boxes.items():
        if box.isChecked() != (account_id == ACCOUNT):
            box.click()
    qtbot.keyClicks(composer.editor, TEXT)
    strip = composer.media_strip
    strip.add_files([market_photo(tmp_path)])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    (item,) = window.model.draft.media
    strip.editor.set_alt_text(item, ALT)
    # No face was found; the author still declares nobody is recognisable (Communiceren 10).
    qtbot.mouseClick(strip.tiles[0].faces_button, LEFT)
    qtbot.waitUntil(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
    strip.tagging_dialog.nobody_box.click()
    strip.tagging_dialog.accept()
    qtbot.waitUntil(lambda: composer.publish_button.isEnabled(), timeout=10_000)
    composer.publish_button.click()
    qtbot.waitUntil(lambda: window.confirm_dialog is not None, timeout=10_000)
    window.confirm_dialog.publish_button.click()
    qtbot.waitUntil(lambda: not window.publishing, timeout=60_000)

    [stored] = server.stored_posts()
    assert stored.message.startswith(TEXT)  # the disclaimer may follow
    assert stored.alts == (ALT,)
    [photo_id] = stored.photos
    assert server.photos[photo_id].data.startswith(b"\xff\xd8")  # the prepared JPEG
    row = window.progress_dialog.rows[ACCOUNT]
    assert row.startswith("✓ De Regenboog op Facebook"), row
