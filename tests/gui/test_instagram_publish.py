"""Publishing a photo to Instagram from the real window: the account signed in with a token IT
pasted (a real Secret Service), the site naming the foundation's service (a real process), which
Instagram's contract server fetches the photo from. Without a photo the composer says why it
cannot place the post; a video goes as a Reel, alone, with its upload bar."""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

import connectors
from app.accounts.service import AccountService
from app.compose.model import availability_of
from app.site.config import DEMO_SITE_FILE, load_site
from app.store import Store
from connectors.secrets import SecretStore
from tests.app.test_media_video import make_video
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.meta_rigs import instagram_service
from tests.servers.instagram_server import InstagramGraphServer
from tests.synthetic_photos import landscape_photo

LEFT = Qt.MouseButton.LeftButton
ACCOUNT = "regenboog-instagram"


@pytest.fixture
def server():
    with InstagramGraphServer() as running:
        yield running


@pytest.fixture
def service(server, tmp_path):
    with instagram_service(server, tmp_path) as running:
        yield running


@pytest.fixture
def vault(secret_service):  # noqa: F811
    yield SecretStore()
    SecretStore().delete(ACCOUNT)


def site_file(tmp_path, server, service):
    account = (
        f'[[schools.accounts]]\nid = "{ACCOUNT}"\nnetwork = "instagram"\n'
        f'name = "De Regenboog op Instagram"\nkind = "official"\nhandle = "{server.ig_user_id}"\n\n'
    )
    marker = '[[schools]]\nid = "kleine-wereld"'
    text = DEMO_SITE_FILE.read_text(encoding="utf-8").replace(marker, account + marker, 1)
    path = tmp_path / "site.toml"
    path.write_text(text + f'\n[koppeldienst]\nurl = "{service.base_url}"\n', encoding="utf-8")
    return path


def test_a_photo_is_published_to_instagram_from_the_window(
    qtbot, open_window, data_dir, tmp_path, server, service, vault
):
    path = site_file(tmp_path, server, service)
    site = load_site(path)
    options = connectors.options_for(site, meta_graph_api=server.base_url)
    host = options.instagram_photo_host
    assert isinstance(host, partial) and host.args == (service.base_url,)  # the site's service
    accounts = AccountService(vault, data_dir, connectors.networks(options))
    store = Store.open(data_dir)
    accounts.connect(store, site.account(ACCOUNT), "ict", app_password=server.issue_token())
    store.close()

    def connector_for(account, data_dir, site=None):
        return AccountService(SecretStore(), data_dir, connectors.networks(options)).connector_for(
            account
        )

    window = open_window(site_file=path, networks=connector_for)
    window.resize(1280, 720)
    picker = window.composer.account_picker
    qtbot.waitUntil(lambda: picker.boxes[ACCOUNT].isEnabled(), timeout=10_000)
    for _ in range(5):
        QApplication.processEvents()
    box = picker.boxes[ACCOUNT]
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))  # on the box, not beside it
    assert window.model.draft.account_ids == ["regenboog-oefen", ACCOUNT]
    qtbot.keyClicks(window.composer.editor, "De nieuwe moestuin staat er prachtig bij!")

    def findings() -> list[str]:
        return [card.finding.message for card in window.composer.checks.cards]

    qtbot.waitUntil(lambda: any("zonder foto" in m for m in findings()), timeout=10_000)
    assert not window.composer.publish_button.isEnabled()
    assert (
        "Instagram plaatst geen bericht zonder foto of video. Voeg een foto toe of vink De Regenboog op Instagram uit."
        in findings()
    )
    assert window.composer.reason.text().startswith("Plaatsen kan nog niet")

    photo = tmp_path / "moestuin.jpg"
    landscape_photo((1200, 800), seed=4).save(photo, quality=90)
    strip = window.composer.media_strip
    strip.add_files([photo])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    (item,) = window.model.draft.media
    strip.editor.set_alt_text(item, "Bakken vol sla en bonen in de moestuin")
    qtbot.mouseClick(strip.tiles[0].faces_button, LEFT)  # a garden: nobody on it
    qtbot.waitUntil(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
    qtbot.mouseClick(strip.tagging_dialog.nobody_box, LEFT)
    strip.tagging_dialog.close()
    qtbot.waitUntil(lambda: window.composer.publish_button.isEnabled(), timeout=10_000)

    qtbot.mouseClick(window.composer.publish_button, LEFT)
    qtbot.mouseClick(window.confirm_dialog.publish_button, LEFT)
    qtbot.waitUntil(lambda: not window.publishing, timeout=60_000)

    [media] = server.stored_media()
    assert media.caption.startswith("De nieuwe moestuin staat er prachtig bij!")
    assert media.alts == ("Bakken vol sla en bonen in de moestuin",)
    assert media.photos[0][:2] == b"\xff\xd8"  # the prepared JPEG, fetched from the service
    assert server.posts_created == 1
    row = window.progress_dialog.rows[ACCOUNT]
    assert row.startswith("✓ De Regenboog op Instagram:"), row


def test_the_accounts_page_says_what_it_must_configure_and_takes_a_pasted_token(
    qtbot, data_dir, tmp_path, server, service, vault
):
    from tests.gui.test_accounts_page import click, open_page, state_of

    path = site_file(tmp_path, server, service)
    without_service = tmp_path / "zonder-dienst.toml"
    without_service.write_text(
        path.read_text(encoding="utf-8").split("\n[koppeldienst]")[0], encoding="utf-8"
    )
    store = Store.open(data_dir)
    bare = load_site(without_service)
    page = open_page(
        qtbot,
        bare,
        store,
        data_dir,
        AccountService(vault, data_dir, connectors.networks(connectors.options_for(bare))),
    )
    card = page.cards[ACCOUNT]
    assert state_of(page, ACCOUNT) == "niet aangemeld"
    assert card.note_label.isVisible()
    assert card.note_label.text().startswith("De ICT-beheerder moet Instagram nog instellen")
    assert "[koppeldienst] url" in card.ict_detail.text() and card.ict_toggle.isVisible()
    page.close()

    site = load_site(path)
    options = connectors.options_for(site, meta_graph_api=server.base_url)
    page = open_page(
        qtbot, site, store, data_dir, AccountService(vault, data_dir, connectors.networks(options))
    )
    card = page.cards[ACCOUNT]
    assert "Meld dit account aan bij Instagram" in card.note_label.text()
    click(qtbot, card.sign_in_button)
    qtbot.waitUntil(lambda: page.token_dialog is not None and page.token_dialog.isVisible())
    page.token_dialog.token_edit.setText(server.issue_token())
    click(qtbot, page.token_dialog.sign_in_button)
    qtbot.waitUntil(
        lambda: card.status is not None and card.status.connection == "connected", timeout=20_000
    )

    assert card.where_label.text().startswith("Instagram · @obsdelinde")
    assert vault.read(ACCOUNT)["ig_user_id"] == server.ig_user_id
    store.close()


def test_a_reel_is_published_from_the_window_with_its_upload_bar_and_goes_alone(
    qtbot, open_window, data_dir, tmp_path, server, service, vault
):
    path = site_file(tmp_path, server, service)
    site = load_site(path)
    options = connectors.options_for(site, meta_graph_api=server.base_url)
    accounts = AccountService(vault, data_dir, connectors.networks(options))
    store = Store.open(data_dir)
    accounts.connect(store, site.account(ACCOUNT), "ict", app_password=server.issue_token())
    store.close()

    def connector_for(account, data_dir, site=None):
        return AccountService(SecretStore(), data_dir, connectors.networks(options)).connector_for(
            account
        )

    window = open_window(site_file=path, networks=connector_for)
    window.resize(1280, 720)
    composer = window.composer
    picker = composer.account_picker
    qtbot.waitUntil(lambda: picker.boxes[ACCOUNT].isEnabled(), timeout=10_000)
    for account_id, box in picker.boxes.items():
        if box.isChecked() != (account_id == ACCOUNT):
            box.click()
    qtbot.keyClicks(composer.editor, "Groep 6 danst de schooldans!")
    strip = composer.media_strip
    strip.add_files([make_video(tmp_path / "schooldans.mp4", size="360x640", seconds=3.5)])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    qtbot.mouseClick(strip.tiles[0].faces_button, LEFT)
    qtbot.waitUntil(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
    strip.tagging_dialog.nobody_box.click()
    strip.tagging_dialog.accept()
    qtbot.waitUntil(lambda: composer.publish_button.isEnabled(), timeout=10_000)

    # A photo beside the video: Instagram would not take it, and the composer says so.
    photo = tmp_path / "podium.jpg"
    landscape_photo((1200, 800), seed=7).save(photo, quality=90)
    strip.add_files([photo])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    alone = (
        "Instagram neemt een video alleen: zonder foto's en zonder tweede video. Houd één video"
        " over, of alleen foto's, of vink De Regenboog op Instagram uit."
    )
    qtbot.waitUntil(
        lambda: alone in [card.finding.message for card in composer.checks.cards], timeout=10_000
    )
    assert not composer.publish_button.isEnabled()
    strip.tiles[1].remove.click()
    qtbot.waitUntil(lambda: composer.publish_button.isEnabled(), timeout=10_000)
    (video,) = window.model.draft.media
    assert video.kind == "video"

    seen: list[tuple[int, int, int]] = []
    window.publisher.uploading.connect(
        lambda target, sent, total: seen.append(
            (sent, total, window.progress_dialog.bars[target.account_id].value())
        )
    )
    qtbot.mouseClick(composer.publish_button, LEFT)
    qtbot.mouseClick(window.confirm_dialog.publish_button, LEFT)
    qtbot.waitUntil(lambda: not window.publishing, timeout=60_000)

    [media] = server.stored_media()
    assert media.media_type == "VIDEO" and media.caption.startswith("Groep 6 danst")
    assert media.photos[0][4:8] == b"ftyp" and server.posts_created == 1
    total = len(media.photos[0])
    assert seen and seen[0][:2] == (0, total) and seen[-1] == (total, total, 1000)
    assert [sent for sent, *_ in seen] == sorted(sent for sent, *_ in seen)
    row = window.progress_dialog.rows[ACCOUNT]
    assert row.startswith("✓ De Regenboog op Instagram:"), row


def test_without_the_service_the_composer_says_it_waits_for_ict_not_for_a_sign_in(
    qtbot, open_window, data_dir, tmp_path, server, service, vault
):
    # Signed in while the site named the service; this laptop's site file does not (yet). Going
    # to Accounts to sign in, as "Eerst aanmelden bij Accounts" told, could not help: its button
    # is off there until IT has set the koppeldienst.
    path = site_file(tmp_path, server, service)
    site = load_site(path)
    options = connectors.options_for(site, meta_graph_api=server.base_url)
    store = Store.open(data_dir)
    AccountService(vault, data_dir, connectors.networks(options)).connect(
        store, site.account(ACCOUNT), "ict", app_password=server.issue_token()
    )
    store.close()
    without_service = tmp_path / "zonder-dienst.toml"
    without_service.write_text(
        path.read_text(encoding="utf-8").split("\n[koppeldienst]")[0], encoding="utf-8"
    )

    window = open_window(site_file=without_service)
    picker = window.composer.account_picker
    state = picker.state_labels[ACCOUNT]
    assert not picker.boxes[ACCOUNT].isEnabled() and state.isVisible()
    assert state.text() == (
        "niet aangemeld: De ICT-beheerder moet Instagram nog instellen voor Postwijs. Tot dan kan"
        " dit account niet worden aangemeld."
    )


def test_instagrams_own_limit_names_its_account_without_an_empty_link_before_it(
    qtbot, open_window, data_dir, tmp_path, server, service, vault
):
    """Instagram's limits are no articles of the code of conduct: the card said
    "· alleen De Regenboog op Instagram" behind an empty link that Tab stopped on."""
    path = site_file(tmp_path, server, service)
    window = open_window(site_file=path)
    window.account_availability = lambda accounts: {
        ACCOUNT: availability_of("connected", "verbonden")
    }
    window.reload_availability()
    box = window.composer.account_picker.boxes[ACCOUNT]
    qtbot.waitUntil(box.isEnabled, timeout=10_000)
    box.click()
    qtbot.keyClicks(window.composer.editor, "De nieuwe moestuin staat er prachtig bij!")
    qtbot.waitUntil(
        lambda: any("zonder foto" in c.finding.message for c in window.composer.checks.cards),
        timeout=10_000,
    )
    [card] = [c for c in window.composer.checks.cards if "zonder foto" in c.finding.message]
    qtbot.waitUntil(card.isVisible)
    assert card.articles.isVisible() and card.articles.text() == "alleen De Regenboog op Instagram"
    card.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(card, Qt.Key.Key_Tab)
    assert window.focusWidget() is not card.articles
