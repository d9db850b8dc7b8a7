"""Issue 13 in Geschiedenis: a post placed on X and a video placed on YouTube are retracted as a
user does it, from the history page (choose the post, "Intrekken op alle netwerken…", give the
reason, confirm), and the contract servers really deleted the tweet and the video. A retraction
that X refuses because the school took Postwijs's access away says in Dutch what to do, and the
post's entry in the history stays as it was.

Real parts: the real main window, the connectors signed in through the providers' own flows on
the X and YouTube contract servers (held to the providers' API descriptions), a real Secret
Service, a real MP4 made with ffmpeg."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from app.publishing import outbox
from app.store import Store
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.gui import test_upload_progress as rig
from tests.gui.eight_accounts import write_site
from tests.gui.fit_check import cut_off_texts

# The X and YouTube test servers, both accounts signed in through their own flows; a video.
servers = rig.servers
signed_in = rig.signed_in
video = rig.video
X, YOUTUBE = rig.X, rig.YOUTUBE
LEFT = Qt.MouseButton.LeftButton
WAIT = rig.WAIT
REASON = "Foto van een kind zonder toestemming"
SHOTS = os.environ.get("POSTWIJS_SHOTS", "")


def shoot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def publish_text_on_x(qtbot, window, text: str) -> None:
    composer = window.composer
    for account_id, box in composer.account_picker.boxes.items():
        if box.isChecked() != (account_id == X):
            box.click()
    qtbot.keyClicks(composer.editor, text)
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=10_000)
    rig.publish(qtbot, window)
    qtbot.waitUntil(lambda: not window.publishing, timeout=WAIT)
    assert window.progress_dialog.rows[X].startswith("✓ "), window.progress_dialog.rows


def open_history_on_the_post(qtbot, window):
    """The user closes the publish dialog, goes to Geschiedenis and clicks the post."""
    qtbot.mouseClick(window.progress_dialog.close_button, LEFT)
    window.show_page("history")
    page = window.pages.currentWidget()
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=5000)
    item = page.list.item(0)
    qtbot.mouseClick(page.list.viewport(), LEFT, pos=page.list.visualItemRect(item).center())
    assert page.list.currentRow() == 0
    return page


def retract_with_reason(qtbot, page, reason: str, shot: str = "") -> None:
    """ "Intrekken op alle netwerken…", the reason typed in the question, confirmed with Enter."""
    button = next(
        b for b in page.details.findChildren(QPushButton) if b.text().startswith("Intrekken")
    )
    assert button.text() == "Intrekken op alle netwerken…"
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: page.retract_dialog is not None and page.retract_dialog.isVisible())
    dialog = page.retract_dialog
    assert dialog.windowTitle() == "Bericht intrekken"
    assert dialog.question.text().startswith("Waarom trek je dit bericht in?")
    assert not dialog.retract_button.isEnabled()  # no reason yet
    qtbot.keyClicks(dialog.reason_edit, reason)
    assert cut_off_texts(dialog) == []
    if shot:
        shoot(dialog, shot)
    qtbot.mouseClick(dialog.retract_button, LEFT)


def details_texts(page) -> list[str]:
    """What the details pane shows now. A reload deletes the old labels later and shows the new
    ones by a queued call, as Qt does: both are let happen first."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    return [label.text() for label in page.details.findChildren(QLabel) if label.isVisible()]


def only_target(data_dir) -> outbox.Target:
    store = Store.open(data_dir)
    try:
        (target,) = [t for job in outbox.jobs(store) for t in outbox.targets(store, job.id)]
        return target
    finally:
        store.close()


def test_a_post_on_x_is_retracted_from_the_history_and_x_deleted_the_tweet(
    qtbot, open_window, tmp_path, data_dir, servers, signed_in
):
    _youtube, x_server = servers
    window = rig.open_signed_in(qtbot, open_window, write_site(tmp_path), signed_in, (X,))
    publish_text_on_x(qtbot, window, "Het schoolplein is vernieuwd.")
    (tweet,) = x_server.stored_posts()
    page = open_history_on_the_post(qtbot, window)
    assert "✓" in page.list.item(0).text()
    assert "ingetrokken" not in page.list.item(0).text()

    retract_with_reason(qtbot, page, REASON, shot="retract-dialog.png")
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "Ingetrokken op alle netwerken.",
        timeout=WAIT,
    )
    for width, height in ((1280, 720), (1024, 700)):
        window.resize(width, height)
        qtbot.wait(50)
        shoot(window, f"retracted-x-{width}x{height}.png")
    # The entry and its details say it in Dutch; the link to the post is gone with it.
    qtbot.waitUntil(lambda: "ingetrokken" in page.list.item(0).text(), timeout=5000)
    assert "✓" not in page.list.item(0).text()
    shown = details_texts(page)
    assert any(t.endswith("· X — ingetrokken") for t in shown), shown
    assert not any("Bekijk het bericht" in t for t in shown), shown
    assert not [b for b in page.details.findChildren(QPushButton) if b.text().startswith("Intr")]
    # X itself: the tweet is deleted, through the API as X describes it.
    assert x_server.posts[tweet.id].deleted
    assert x_server.stored_posts() == []
    assert [r.path for r in x_server.requests_to("DELETE", r"/2/tweets/.+")] == [
        f"/2/tweets/{tweet.id}"
    ]
    target = only_target(data_dir)
    assert (target.remote_id, target.retract_state) == (tweet.id, outbox.RETRACTED)
    x_server.check_deviations()


def test_a_video_on_youtube_is_retracted_from_the_history_and_youtube_deleted_it(
    qtbot, open_window, tmp_path, data_dir, servers, signed_in, video
):
    youtube, _x = servers
    window = rig.open_signed_in(qtbot, open_window, write_site(tmp_path), signed_in, (YOUTUBE,))
    rig.write_post_with_video(qtbot, window, (YOUTUBE,), video)
    rig.publish(qtbot, window)
    qtbot.waitUntil(lambda: not window.publishing, timeout=WAIT)
    assert window.progress_dialog.rows[YOUTUBE].startswith("✓ "), window.progress_dialog.rows
    (stored,) = youtube.stored_videos()
    page = open_history_on_the_post(qtbot, window)

    retract_with_reason(qtbot, page, REASON)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "Ingetrokken op alle netwerken.",
        timeout=WAIT,
    )
    qtbot.waitUntil(lambda: "ingetrokken" in page.list.item(0).text(), timeout=5000)
    shown = details_texts(page)
    assert any(t.endswith("· YouTube — ingetrokken") for t in shown), shown
    # YouTube itself: the video is deleted (videos.delete, with the force-ssl scope).
    assert youtube.videos[stored.id].deleted
    assert youtube.stored_videos() == []
    assert len(youtube.requests_to("DELETE", r"/youtube/v3/videos")) == 1
    target = only_target(data_dir)
    assert (target.remote_id, target.retract_state) == (stored.id, outbox.RETRACTED)
    youtube.check_deviations()


def test_a_retraction_x_refuses_after_access_was_withdrawn_says_what_to_do(
    qtbot, open_window, tmp_path, data_dir, servers, signed_in
):
    _youtube, x_server = servers
    window = rig.open_signed_in(qtbot, open_window, write_site(tmp_path), signed_in, (X,))
    publish_text_on_x(qtbot, window, "Het schoolplein is vernieuwd.")
    (tweet,) = x_server.stored_posts()
    page = open_history_on_the_post(qtbot, window)
    entry_before = page.list.item(0).text()
    # The school withdrew Postwijs's access in X's settings: every token of the app is dead.
    for token in list(x_server.tokens):
        x_server.revoke_token(token)
    x_server.refresh_tokens.clear()

    retract_with_reason(qtbot, page, REASON)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Niet overal ingetrokken"),
        timeout=WAIT,
    )
    assert window.statusBar().currentMessage() == (
        "Niet overal ingetrokken: Basisschool De Regenboog op X (voorheen Twitter)."
        " Lees bij het bericht in Geschiedenis wat je kunt doen."
    )
    # The tweet is still on X, and the entry says what it said before: placed, not retracted.
    assert not x_server.posts[tweet.id].deleted
    assert page.list.item(0).text() == entry_before
    shown = details_texts(page)
    assert any(t.endswith("· X — intrekken mislukt") for t in shown), shown
    assert (
        "De aanmelding bij X is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
        in shown
    ), shown
    assert any("Bekijk het bericht op X" in t for t in shown), shown  # it is still there
    for width, height in ((1280, 720), (1024, 700)):
        window.resize(width, height)
        qtbot.wait(50)
        shoot(window, f"retract-failed-x-{width}x{height}.png")
    assert [b.text() for b in page.details.findChildren(QPushButton)] == [
        "Intrekken op alle netwerken…"
    ]  # to try again once signed in
    target = only_target(data_dir)
    assert target.state == outbox.POSTED and target.retract_state == outbox.RETRACT_FAILED
