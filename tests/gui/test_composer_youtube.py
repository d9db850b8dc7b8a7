"""Issue 13 in the composer: choosing a YouTube account brings a title field, counted as YouTube
counts (UTF-16, at most 100) and checked for < and > as the author types, in Dutch; the draft
keeps the title over a restart. The YouTube preview shows the video's first frame beside the
title, and a YouTube post takes exactly one video. Real MP4s made with ffmpeg; ffmpeg also
judges, on its own, what the first frame looks like."""

from __future__ import annotations

import pytest
from PIL import Image

from app.compose import drafts
from app.compose.model import availability_of
from tests.app.test_media_video import make_video
from tests.app.test_video_frame import decoded_by_ffmpeg
from tests.gui.eight_accounts import write_site

YOUTUBE = "regenboog-youtube-6"
MASTODON = "regenboog-mastodon-2"
ONE_VIDEO = "YouTube neemt precies één video en verder geen foto's."


def open_with_youtube(qtbot, open_window, site_file):
    window = open_window(site_file=site_file)
    # As if both accounts were signed in on this computer (the account states come from the vault).
    window.account_availability = lambda accounts: {
        account_id: availability_of("connected", "verbonden") for account_id in (YOUTUBE, MASTODON)
    }
    window.reload_availability()
    boxes = window.composer.account_picker.boxes
    qtbot.waitUntil(lambda: boxes[YOUTUBE].isEnabled(), timeout=10_000)
    return window


@pytest.fixture
def site_file(tmp_path):
    return write_site(tmp_path)


def youtube_card(composer):
    return next(c for c in composer.preview_cards if c.account_id == YOUTUBE)


def test_the_title_field_comes_with_youtube_and_is_counted_and_checked_as_one_types(
    qtbot, open_window, site_file
):
    window = open_with_youtube(qtbot, open_window, site_file)
    composer = window.composer
    boxes = composer.account_picker.boxes
    boxes[MASTODON].click()
    qtbot.keyClicks(composer.editor, "De sportdag van groep 5 was een groot feest.")
    assert not composer.title_box.isVisible()  # Mastodon has no title
    boxes[YOUTUBE].click()
    assert composer.title_box.isVisible()
    assert composer.title_label.text() == "Titel van de video"
    assert composer.title_counter.text() == "nog 100 tekens"

    qtbot.keyClicks(composer.title_edit, "Sportdag groep 5 ")
    composer.title_edit.insert("🎉")  # pasted: QTest types no characters beyond the BMP
    # YouTube counts UTF-16 units, as the API does: the emoji is two.
    assert composer.title_counter.text() == "nog 81 tekens"
    assert not composer.title_problem.isVisible()
    assert youtube_card(composer).video_title.text() == "Sportdag groep 5 🎉"

    qtbot.keyClicks(composer.title_edit, " <groep 5>")
    problem = "Haal de 2 tekens < en > uit de titel: YouTube staat ze niet toe."
    assert composer.title_problem.isVisible()
    assert composer.title_problem.text() == problem
    assert not composer.publish_button.isEnabled()
    assert composer.reason.text() == problem

    composer.title_edit.clear()
    qtbot.keyClicks(composer.title_edit, "a" * 101)
    assert composer.title_counter.text() == "1 teken te veel"
    assert composer.title_problem.text() == (
        "Kort de titel met 1 teken in: 101 tekens; YouTube staat er 100 toe."
    )
    composer.title_edit.backspace()
    assert composer.title_counter.text() == "nog 0 tekens"
    assert not composer.title_problem.isVisible()

    boxes[YOUTUBE].click()  # YouTube off: no title to ask for
    assert not composer.title_box.isVisible()


def test_the_draft_keeps_the_title_over_a_restart(qtbot, open_window, site_file):
    window = open_with_youtube(qtbot, open_window, site_file)
    composer = window.composer
    composer.account_picker.boxes[YOUTUBE].click()
    qtbot.keyClicks(composer.editor, "Kijk naar de musical van groep 8.")
    qtbot.keyClicks(composer.title_edit, "Musical groep 8")
    window.save_draft()
    saved, _review = drafts.latest(window.store, window.model.draft.author_id)
    assert saved.title == "Musical groep 8"
    window.close()

    again = open_with_youtube(qtbot, open_window, site_file)
    assert again.composer.title_edit.text() == "Musical groep 8"
    # The test's accounts count as signed in only once the window is open (open_with_youtube),
    # after the draft came back without the account it could not post on yet: tick it again.
    box = again.composer.account_picker.boxes[YOUTUBE]
    if not box.isChecked():
        box.click()
    assert again.composer.title_box.isVisible()
    assert youtube_card(again.composer).video_title.text() == "Musical groep 8"


def shown_image(label) -> Image.Image:
    image = label.pixmap().toImage()
    return Image.frombytes(
        "RGBA",
        (image.width(), image.height()),
        bytes(image.convertToFormat(image.Format.Format_RGBA8888).constBits()),
    ).convert("RGB")


def test_the_youtube_preview_shows_the_first_frame_beside_the_title_and_needs_one_video(
    qtbot, open_window, site_file, tmp_path
):
    window = open_with_youtube(qtbot, open_window, site_file)
    composer = window.composer
    composer.account_picker.boxes[YOUTUBE].click()
    qtbot.keyClicks(composer.editor, "De sportdag van groep 5 was een groot feest.")
    qtbot.keyClicks(composer.title_edit, "Sportdag groep 5")
    card = youtube_card(composer)
    assert card.video.isVisible()
    assert card.frame.text() == "nog geen video"
    assert any(f.message.startswith(ONE_VIDEO) for f in window.model.report().findings)
    assert not composer.publish_button.isEnabled()

    video = make_video(tmp_path / "sportdag.mp4", size="640x360")
    composer.media_strip.add_files([video])
    qtbot.waitUntil(lambda: not composer.media_strip.busy, timeout=60_000)
    qtbot.waitUntil(lambda: not card.frame.pixmap().isNull(), timeout=20_000)
    # The picture beside the title is the video's first frame, as ffmpeg itself decodes it.
    shown = shown_image(card.frame)
    expected = decoded_by_ffmpeg(video, tmp_path).resize(shown.size)
    difference = sum(
        abs(a - b) for a, b in zip(shown.tobytes(), expected.tobytes(), strict=True)
    ) / len(shown.tobytes())
    assert difference < 12, difference
    assert card.video_title.text() == "Sportdag groep 5"
    frame_box = card.frame.geometry()
    title_box = card.video_title.geometry()
    assert title_box.left() > frame_box.right()  # beside it
    assert title_box.top() < frame_box.bottom()
    assert not any(f.message.startswith(ONE_VIDEO) for f in window.model.report().findings)

    second = make_video(tmp_path / "tweede.mp4")
    composer.media_strip.add_files([second])
    qtbot.waitUntil(lambda: not composer.media_strip.busy, timeout=60_000)
    assert len(window.model.draft.media) == 2
    assert any(f.message.startswith(ONE_VIDEO) for f in window.model.report().findings)
