"""Issue 13, as a staff member goes: with a video for YouTube the composer asks whether it is
AI-made or altered; the answer is in the confirmation, goes to YouTube as
`status.containsSyntheticMedia`, is kept with the draft and shown in Geschiedenis; and a post
placed on X and YouTube is retracted from Geschiedenis, gone at both.

Real parts: the real main window, the X and YouTube connectors signed in through the
providers' own flows on the contract servers (held to the providers' API descriptions), a real
Secret Service, a real MP4 made with ffmpeg."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from app.compose import drafts
from app.history import chain as history
from app.store import Store
from tests.gui import test_upload_progress as rig
from tests.gui.eight_accounts import write_site
from tests.gui.test_upload_progress import WAIT, YOUTUBE, X, open_signed_in, publish
from tests.gui.test_upload_progress import write_post_with_video as write_post

# The upload tests' rig: both servers, both accounts signed in through the providers' flows.
secret_service, servers, signed_in, video = (
    rig.secret_service,
    rig.servers,
    rig.signed_in,
    rig.video,
)

DECLARED = "Aan YouTube gemeld: deze video is met AI gemaakt of veranderd."
NOT_DECLARED = "Aan YouTube gemeld: deze video is niet met AI gemaakt of veranderd."


def shown_texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]


def test_the_ai_question_comes_with_a_youtube_video_and_reaches_youtube_and_the_history(
    qtbot, open_window, tmp_path, servers, signed_in, video
):
    youtube, x_server = servers
    window = open_signed_in(qtbot, open_window, write_site(tmp_path), signed_in, (YOUTUBE, X))
    composer = window.composer
    boxes = composer.account_picker.boxes
    boxes[YOUTUBE].click()
    assert not composer.synthetic_box.isVisible()  # no video yet: nothing to declare
    write_post(qtbot, window, (YOUTUBE, X), video)
    assert composer.synthetic_box.isVisible()
    assert composer.synthetic_check.text() == "Met AI gemaakt of veranderd"
    assert composer.synthetic_explained.text().startswith("YouTube vraagt of deze video")
    assert not composer.synthetic_check.isChecked()  # the author must say so; never assumed
    boxes[YOUTUBE].click()
    assert not composer.synthetic_box.isVisible()  # X does not ask
    boxes[YOUTUBE].click()
    assert composer.synthetic_box.isVisible()
    composer.synthetic_check.click()

    publish_clicked = composer.publish_button
    publish_clicked.click()
    qtbot.waitUntil(lambda: window.confirm_dialog is not None, timeout=10_000)
    confirm = window.confirm_dialog
    assert confirm.declaration_labels[YOUTUBE].text() == DECLARED
    assert X not in confirm.declaration_labels
    confirm.publish_button.click()
    qtbot.waitUntil(lambda: not window.publishing, timeout=WAIT)
    assert window.progress_dialog.title.text() == "Klaar: je bericht is geplaatst."
    (uploaded,) = youtube.stored_videos()
    assert uploaded.status["containsSyntheticMedia"] is True
    (tweet,) = x_server.stored_posts()
    # The next post declares nothing until its author says so.
    assert window.model.draft.synthetic_media is False
    assert not composer.synthetic_check.isChecked()
    youtube.check_deviations()

    store = Store.open(window.data_dir)
    published = {e.data["network"]: e.data for e in history.events(store, "published")}
    assert published["youtube"]["synthetic_media"] is True
    assert "synthetic_media" not in published["x"]

    window.show_page("history")
    page = window.pages.currentWidget()
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=5000)
    page.list.setCurrentRow(0)
    qtbot.waitUntil(lambda: DECLARED in shown_texts(page.details), timeout=5000)
    assert shown_texts(page.details).count(DECLARED) == 1  # on the YouTube target only

    # Retract from Geschiedenis: gone at YouTube and at X, and the page says so.
    with qtbot.waitSignal(page.retract_requested):
        page.retract_requested.emit(page.rows[0].job_id, "Verkeerde video gekozen")
    qtbot.waitUntil(
        lambda: "Ingetrokken op alle netwerken." in window.statusBar().currentMessage(),
        timeout=WAIT,
    )
    assert youtube.stored_videos() == []
    assert x_server.stored_posts() == []
    assert youtube.videos[uploaded.id].deleted and x_server.posts[tweet.id].deleted
    retracted = history.events(store, "retracted")
    assert sorted(e.data["network"] for e in retracted) == ["x", "youtube"]
    assert {e.details["why"] for e in retracted} == {"Verkeerde video gekozen"}
    youtube.check_deviations()


def test_the_draft_keeps_the_ai_answer_and_an_unticked_one_is_sent_as_no(
    qtbot, open_window, tmp_path, servers, signed_in, video
):
    youtube, _x_server = servers
    site_file = write_site(tmp_path)
    window = open_signed_in(qtbot, open_window, site_file, signed_in, (YOUTUBE,))
    write_post(qtbot, window, (YOUTUBE,), video)
    window.composer.synthetic_check.click()
    window.save_draft()
    saved, _review = drafts.latest(window.store, window.model.draft.author_id)
    assert saved.synthetic_media is True
    window.close()

    again = open_signed_in(qtbot, open_window, site_file, signed_in, (YOUTUBE,))
    composer = again.composer
    box = composer.account_picker.boxes[YOUTUBE]
    if not box.isChecked():  # see test_composer_youtube: the account is ticked again
        box.click()
    qtbot.waitUntil(lambda: composer.synthetic_box.isVisible(), timeout=10_000)
    assert composer.synthetic_check.isChecked()
    composer.synthetic_check.click()  # on second thought: it is not AI-made
    qtbot.waitUntil(lambda: composer.publish_button.isEnabled(), timeout=10_000)
    publish(qtbot, again)
    assert again.confirm_dialog.declaration_labels[YOUTUBE].text() == NOT_DECLARED
    qtbot.waitUntil(lambda: not again.publishing, timeout=WAIT)
    (uploaded,) = youtube.stored_videos()
    assert uploaded.status["containsSyntheticMedia"] is False
