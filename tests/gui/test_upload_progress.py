"""Issue 13 in the publish dialog: a progress bar per account for the uploads that report how
far they are (YouTube's resumable upload, X's chunked video upload), updated on the GUI thread;
and a YouTube upload that was under way when Postwijs closed shows its progress again, from
where it was, when it resumes after the restart.

Real parts: the real main window, the real connectors signed in through the providers' own
flows on the YouTube and X contract servers (held to the providers' API descriptions), a real
Secret Service, a real MP4 made with ffmpeg."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.__main__ import connector_for as app_connector_for
from app.compose.model import availability_of
from app.publishing import outbox
from app.store import Store
from connectors import x
from connectors.secrets import SecretStore
from connectors.youtube import CHUNK_GRANULARITY, UploadSessionFile, YouTubeConnector
from tests.app.test_media_video import make_video
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.connectors.test_x import browser_that_consents, free_port
from tests.connectors.test_youtube import client_for as youtube_client
from tests.gui.eight_accounts import write_site
from tests.servers.x_server import XServer
from tests.servers.youtube_server import YouTubeServer
from ui.publishing.send_progress import SendProgressDialog

YOUTUBE = "regenboog-youtube-6"
X = "regenboog-x-0"
UPLOAD_PATH = r"/upload/youtube/v3/videos"
LEFT = Qt.MouseButton.LeftButton
WAIT = 60_000


@pytest.fixture
def servers(monkeypatch):
    # X takes segments of up to 5 MB; smaller ones are allowed too, so a small video has several.
    monkeypatch.setattr(x, "CHUNK_SIZE", CHUNK_GRANULARITY)
    with YouTubeServer() as youtube, XServer() as x_server:
        yield youtube, x_server


@pytest.fixture
def signed_in(servers, secret_service):  # noqa: F811
    """Both accounts signed in through the providers' own flows; the connector factory the
    window's outbox uses (the practice account through the app's own)."""
    youtube, x_server = servers
    vault = SecretStore()
    first = YouTubeConnector(youtube_client(youtube, vault, YOUTUBE), api_base=youtube.base_url)
    assert first.connect() == "@obsderegenboog"
    first.close()
    x_client = x.oauth_client(
        x.XApp(x_server.client_id, free_port()),
        vault,
        X,
        api=x_server.base_url,
        authorize_url=x_server.base_url + "/i/oauth2/authorize",
        open_browser=browser_that_consents,
    )
    assert x.sign_in(x_client, api=x_server.base_url) == "@obs_de_regenboog"

    def connector_for(account, data_dir):
        if account.id == YOUTUBE:
            return YouTubeConnector(
                youtube_client(youtube, vault, YOUTUBE),
                api_base=youtube.base_url,
                chunk_size=CHUNK_GRANULARITY,
                sessions=UploadSessionFile(data_dir / "youtube-uploads" / f"{account.id}.json"),
            )
        if account.id == X:
            return x.XConnector(x_client, api=x_server.base_url, sleep=lambda _seconds: None)
        return app_connector_for(account, data_dir)

    yield connector_for
    for account_id in (YOUTUBE, X):
        vault.delete(account_id)


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    """About a megabyte: four of YouTube's 256 KiB chunks, and as many X segments."""
    path = tmp_path_factory.mktemp("video") / "sportdag.mp4"
    return make_video(path, size="640x360", seconds=8, extra=("-b:v", "2M"))


def open_signed_in(qtbot, open_window, site_file, connector_for, accounts):
    window = open_window(site_file=site_file, networks=connector_for)
    window.account_availability = lambda _accounts: {
        account_id: availability_of("connected", "verbonden") for account_id in accounts
    }
    window.reload_availability()
    boxes = window.composer.account_picker.boxes
    qtbot.waitUntil(lambda: all(boxes[a].isEnabled() for a in accounts), timeout=10_000)
    return window


def write_post_with_video(qtbot, window, accounts, video) -> None:
    composer = window.composer
    boxes = composer.account_picker.boxes
    for account_id, box in boxes.items():
        if box.isChecked() != (account_id in accounts):
            box.click()
    qtbot.keyClicks(composer.editor, "De sportdag van groep 5 was een groot feest.")
    qtbot.keyClicks(composer.title_edit, "Sportdag groep 5")
    strip = composer.media_strip
    strip.add_files([video])
    qtbot.waitUntil(lambda: not strip.busy, timeout=WAIT)
    # Nobody's face in a video can be checked yet: the author declares nobody is recognisable.
    qtbot.mouseClick(strip.tiles[0].faces_button, LEFT)
    qtbot.waitUntil(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
    strip.tagging_dialog.nobody_box.click()
    strip.tagging_dialog.accept()
    qtbot.waitUntil(lambda: composer.publish_button.isEnabled(), timeout=10_000)


def publish(qtbot, window) -> None:
    window.composer.publish_button.click()
    qtbot.waitUntil(lambda: window.confirm_dialog is not None, timeout=10_000)
    window.confirm_dialog.publish_button.click()


def test_the_publish_dialog_shows_each_upload_with_its_own_bar(
    qtbot, open_window, tmp_path, servers, signed_in, video
):
    youtube, x_server = servers
    window = open_signed_in(qtbot, open_window, write_site(tmp_path), signed_in, (YOUTUBE, X))
    write_post_with_video(qtbot, window, (YOUTUBE, X), video)
    seen: dict[str, list[tuple[int, int, int, bool]]] = {YOUTUBE: [], X: []}

    def on_screen(target, sent, total) -> None:
        # After the dialog's own slot: what the author sees at this report.
        bar = window.progress_dialog.bars[target.account_id]
        state = window.progress_dialog.states[target.account_id].text()
        seen[target.account_id].append((sent, total, bar.value(), bar.isVisible()))
        assert state.startswith("de video wordt geüpload: "), state
        assert " MB" in state

    window.publisher.uploading.connect(on_screen)
    publish(qtbot, window)
    qtbot.waitUntil(lambda: not window.publishing, timeout=WAIT)
    dialog = window.progress_dialog
    assert dialog.title.text() == "Klaar: je bericht is geplaatst.", dialog.rows
    for account_id in (YOUTUBE, X):
        reports = seen[account_id]
        assert len(reports) >= 4, (account_id, reports)  # one per chunk, at least
        total = reports[0][1]
        assert [r[0] for r in reports] == sorted(r[0] for r in reports)  # only forward
        assert reports[-1][0] == total
        # The bar shows each step, in thousandths, and ends full.
        assert all(visible for *_r, visible in reports)
        assert [value for _s, _t, value, _v in reports] == [
            round(1000 * sent / total) for sent, total, _value, _visible in reports
        ]
        assert reports[-1][2] == 1000
        assert not dialog.bars[account_id].isVisible()  # done: the row says where it is
        assert dialog.rows[account_id].startswith("✓ ")
    assert len(youtube.stored_videos()) == 1
    assert len(x_server.stored_posts()) == 1
    youtube.check_deviations()


def test_an_upload_under_way_at_closing_shows_its_progress_again_when_it_resumes(
    qtbot, open_window, tmp_path, data_dir, servers, signed_in, video
):
    youtube, _x = servers
    site_file = write_site(tmp_path)
    window = open_signed_in(qtbot, open_window, site_file, signed_in, (YOUTUBE,))
    write_post_with_video(qtbot, window, (YOUTUBE,), video)
    # The first chunk arrives, then the line drops, for the chunk's answer and the question
    # what arrived: the upload stops part-way and Postwijs will try again.
    youtube.drop_connection_after("PUT", UPLOAD_PATH, times=2)
    publish(qtbot, window)
    qtbot.waitUntil(lambda: not window.publishing, timeout=WAIT)
    assert window.progress_dialog.rows[YOUTUBE].startswith("↻ ")
    store = Store.open(data_dir)
    try:
        (target,) = [t for job in outbox.jobs(store) for t in outbox.targets(store, job.id)]
        assert target.state == outbox.WAITING
        window.close()  # Postwijs is closed mid-upload; its process, timer and all, ends
        window.due_timer.stop()
        sessions_opened = len(youtube.requests_to("POST", UPLOAD_PATH))

        again = open_signed_in(qtbot, open_window, site_file, signed_in, (YOUTUBE,))
        seen: list[tuple[int, int, int, str]] = []

        def on_screen(t, sent, total) -> None:
            dialog = again.flow.resumed_dialogs[t.job_id]
            seen.append((sent, total, dialog.bars[YOUTUBE].value(), dialog.title.text()))
            # It does not hold up the window, and may be closed while the upload goes on.
            assert dialog.isVisible() and not dialog.isModal()
            assert dialog.close_button.isEnabled()

        again.publisher.uploading.connect(on_screen)
        # The look at what is due just after the start finds the wait not over yet; then it is.
        qtbot.wait(2500)
        qtbot.waitUntil(lambda: not again.publisher.running_due, timeout=WAIT)
        assert seen == []
        moment = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
        with store.transaction() as db:
            db.execute("UPDATE outbox_targets SET not_before = ? WHERE id = ?", [moment, target.id])
    finally:
        store.close()
    again.run_due()  # what the minute timer does
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == seen[-1][1], timeout=WAIT)
    qtbot.waitUntil(lambda: not again.flow.resumed_dialogs, timeout=WAIT)
    total = seen[0][1]
    # It goes on from what YouTube had (the first chunk), not from the start.
    assert seen[0][0] == CHUNK_GRANULARITY
    assert seen[0][2] == round(1000 * CHUNK_GRANULARITY / total)
    assert seen[0][3] == "Postwijs gaat verder met het uploaden van je video…"
    assert seen[-1][:3] == (total, total, 1000)
    (dialog,) = [d for d in again.findChildren(SendProgressDialog) if d.isVisible()]
    assert dialog.title.text() == "Klaar: je bericht is geplaatst."
    assert dialog.rows[YOUTUBE].startswith("✓ ")
    # The same upload session went on: no new one, and one whole video on the channel.
    assert len(youtube.requests_to("POST", UPLOAD_PATH)) == sessions_opened
    (stored,) = youtube.stored_videos()
    assert stored.data == Path(target.media[0].path).read_bytes()
    assert stored.snippet["title"] == "Sportdag groep 5"
