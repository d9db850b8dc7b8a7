"""The composer's media strip and the tagging dialog, driven as the leidster would: add a photo,
tag a pupil without consent (blocked, with the reason), blur that face, tag a pupil with consent,
confirm, and the draft may be published. Real photos (synthetic group photos with real faces), a
real consent register in SQLite, the demo site."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from app.compose.model import ComposerModel
from app.compose.post import (
    FACE_BLURRED,
    FACE_NOT_A_FACE,
    FACE_OPEN,
    FACE_TAGGED,
    Draft,
    FaceMark,
    MediaItem,
)
from app.consent import register as consent
from tests.regenboog_register import MILA, fill_regenboog
from tests.synthetic_photos import group_photo
from ui.composer.media_strip import MediaStrip

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def register(store, demo_site):
    fill_regenboog(store, MILA)
    return store


@pytest.fixture
def strip(qtbot, register, demo_site):
    model = ComposerModel(demo_site, people=consent.people_for_rules(register, demo_site))
    model.set_text("Wat een feest vandaag op het schoolplein!")
    widget = MediaStrip(model, register)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture(scope="module")
def three_faces(tmp_path_factory):
    photo = group_photo((1200, 800), (150, 170, 190), seed=1)
    path = tmp_path_factory.mktemp("fotos") / "schoolplein.jpg"
    photo.image.save(path, quality=92)
    return path


def person_id(strip, first_name):
    return next(p.id for p in strip.model.context().people if p.first_name == first_name)


def consent_messages(model):
    return [f.message for f in model.report().findings if f.rule == "media_consent"]


def add_and_wait(qtbot, strip, *paths):
    strip.add_files(paths)
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)


def click_face(qtbot, dialog, index):
    box = dialog.item.faces[index].box
    qtbot.mouseClick(dialog.canvas, LEFT, pos=dialog.canvas.to_screen(box).center().toPoint())


def click_person(qtbot, dialog, name):
    people = dialog.people_list
    entry = next(
        people.item(row)
        for row in range(people.count())
        if people.item(row).text().startswith(name)
    )
    qtbot.mouseClick(people.viewport(), LEFT, pos=people.visualItemRect(entry).center())


def open_dialog(qtbot, strip, tile_index=0):
    qtbot.mouseClick(strip.tiles[tile_index].faces_button, LEFT)
    qtbot.waitUntil(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
    return strip.tagging_dialog


def test_from_a_new_photo_to_a_draft_that_may_be_published(qtbot, strip, three_faces):
    model = strip.model
    add_and_wait(qtbot, strip, three_faces)
    (item,) = model.draft.media
    assert len(item.faces) == 3 and all(f.state == FACE_OPEN for f in item.faces)
    tile = strip.tiles[0]
    assert tile.caption.text() == "Foto 1"
    assert tile.badge.text() == "✖ 3 gezichten nog kiezen"
    assert tile.faces_button.isVisible() and tile.faces_button.text() == "Gezichten nakijken"
    assert model.why_not_publishable().startswith("Plaatsen kan nog niet")

    dialog = open_dialog(qtbot, strip)
    assert dialog.found.text() == "Postwijs vond 3 gezichten."
    assert dialog.selected == 0  # the first face still to decide

    # A pupil without consent: shown red, with the reason and whom to ask.
    click_face(qtbot, dialog, 1)
    assert dialog.selected == 1
    qtbot.keyClicks(dialog.search, "noor")
    click_person(qtbot, dialog, "Noor Bakker")
    noor = person_id(strip, "Noor")
    qtbot.waitUntil(lambda: item.faces[1].state == FACE_TAGGED)
    assert item.faces[1].person_id == noor
    assert dialog.selected == 1  # stays, so the reason is read
    assert dialog.consent_problem.isVisible()
    assert dialog.consent_problem.text().startswith(
        "Voor Noor Bakker is er geen toestemming voor sociale media in"
    )
    assert "Vraag Administratie De Regenboog (administratie@regenboog.example)" in (
        dialog.consent_problem.text()
    )
    assert "geen toestemming" in dialog.faces_list.item(1).text()
    assert any("Vervaag Noor Bakker op foto 1" in m for m in consent_messages(model))
    assert tile.badge.text() == "✖ 2 gezichten nog kiezen"

    # Blurred: Noor is no longer shown, so her consent no longer matters.
    qtbot.mouseClick(dialog.blur_button, LEFT)
    assert (item.faces[1].state, item.faces[1].person_id) == (FACE_BLURRED, "")
    assert not any("Noor" in m for m in consent_messages(model))
    assert dialog.selected == 2  # on to the next open face

    # A pupil with consent, found by typing and Enter.
    click_face(qtbot, dialog, 0)
    qtbot.keyClicks(dialog.search, "daan")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.faces[0].state == FACE_TAGGED)
    assert item.faces[0].person_id == person_id(strip, "Daan")
    assert dialog.selected == 2  # consent is fine: on to the last open face

    # The third box is a false hit; a face the detector missed is drawn by hand and blurred.
    click_face(qtbot, dialog, 2)
    qtbot.mouseClick(dialog.not_face_button, LEFT)
    assert item.faces[2].state == FACE_NOT_A_FACE
    start = dialog.canvas.to_screen((900, 500, 0, 0)).topLeft().toPoint()
    end = start + QPoint(60, 70)
    qtbot.mousePress(dialog.canvas, LEFT, pos=start)
    qtbot.mouseMove(dialog.canvas, end)
    qtbot.mouseRelease(dialog.canvas, LEFT, pos=end)
    assert len(item.faces) == 4 and item.faces[3].by_hand and dialog.selected == 3
    x, y, w, h = item.faces[3].box
    assert abs(x - 900) <= 3 and abs(y - 500) <= 3 and w > 20 and h > 20
    qtbot.mouseClick(dialog.blur_button, LEFT)
    assert item.faces[3].state == FACE_BLURRED

    # Everything is decided, but nobody has said no face was missed yet.
    assert not dialog.nobody_box.isEnabled()  # a tagged face: "nobody recognisable" is not true
    assert tile.badge.text() == "✖ actie nodig"
    assert "Vink aan dat je hebt gecontroleerd" in dialog.todo_label.text()
    qtbot.mouseClick(dialog.confirm_label, LEFT)  # the sentence toggles its checkbox
    assert dialog.confirm_box.isChecked() and item.everyone_accounted_for
    assert dialog.todo_label.text().startswith("✓ In orde")
    assert tile.badge.text() == "▦ vervaagd"
    assert not tile.faces_button.isVisible()  # nothing left to do on this photo

    qtbot.mouseClick(dialog.done_button, LEFT)
    assert not dialog.isVisible()
    assert consent_messages(model) == []
    assert model.why_not_publishable() == ""


def test_a_text_file_named_jpg_gives_the_dutch_message_and_the_draft_stays(
    qtbot, strip, tmp_path, three_faces
):
    model = strip.model
    add_and_wait(qtbot, strip, three_faces)
    (kept,) = model.draft.media
    strip.editor.blur_all(kept)
    before = list(model.draft.media)
    faces_before = [FaceMark(f.box, f.state, f.person_id, f.by_hand) for f in kept.faces]
    broken = tmp_path / "kapot.jpg"
    broken.write_text("Dit is geen foto.", encoding="utf-8")
    add_and_wait(qtbot, strip, broken)
    qtbot.waitUntil(lambda: strip.error.isVisible())
    assert (
        "Kies een foto (JPEG, PNG, WebP, GIF of HEIC) of een mp4-video: kapot.jpg is geen van"
        " beide, of is beschadigd."
    ) in strip.error.text()
    assert model.draft.media == before and model.draft.media[0] is kept
    assert kept.faces == faces_before and len(strip.tiles) == 1


def test_the_description_shows_the_room_left_in_words(qtbot, strip, three_faces):
    add_and_wait(qtbot, strip, three_faces)
    (item,) = strip.model.draft.media
    qtbot.mouseClick(strip.tiles[0].describe, LEFT)
    assert strip.alt_panel.isVisible()
    assert strip.alt_title.text() == "Beschrijving van foto 1, voor wie het niet kan zien:"
    qtbot.keyClicks(strip.alt_edit, "Kinderen spelen")
    assert item.alt_text == "Kinderen spelen"
    assert strip.alt_room.text() == "nog 1485 tekens"
    assert strip.tiles[0].describe.text() == "Beschrijving ✓"
    strip.alt_edit.setPlainText("a" * 1502)
    assert (
        strip.alt_room.text() == "2 tekens te veel voor Oefenaccount: maak de beschrijving korter."
    )


def test_removing_a_photo_takes_it_out_of_the_draft(qtbot, strip, three_faces):
    add_and_wait(qtbot, strip, three_faces)
    assert strip.empty_hint.isHidden()
    qtbot.mouseClick(strip.tiles[0].remove, LEFT)
    assert strip.model.draft.media == []
    assert strip.tiles == [] and not strip.empty_hint.isHidden()


def test_photos_land_in_the_order_chosen(qtbot, strip, three_faces, tmp_path):
    from PIL import Image

    empty = tmp_path / "lucht.png"
    Image.new("RGB", (640, 480), (120, 170, 230)).save(empty)
    busy = []
    strip.busy_changed.connect(busy.append)
    add_and_wait(qtbot, strip, empty, three_faces, empty)
    assert busy == [True, False]  # once for the three files together
    assert [m.path for m in strip.model.draft.media] == [str(empty), str(three_faces), str(empty)]
    assert [t.caption.text() for t in strip.tiles] == ["Foto 1", "Foto 2", "Foto 3"]


def test_a_photo_without_faces_is_declared_to_show_nobody(qtbot, strip, tmp_path):
    from PIL import Image

    sky = tmp_path / "lucht.png"
    Image.new("RGB", (640, 480), (120, 170, 230)).save(sky)
    add_and_wait(qtbot, strip, sky)
    dialog = open_dialog(qtbot, strip)
    assert dialog.found.text().startswith("Postwijs vond geen gezichten.")
    assert dialog.nobody_box.isEnabled()
    qtbot.mouseClick(dialog.nobody_box, LEFT)
    (item,) = strip.model.draft.media
    assert item.no_recognisable_people
    assert not dialog.confirm_box.isEnabled()  # the declaration covers it
    assert strip.tiles[0].badge.text() == "✓ verantwoord"
    assert strip.model.why_not_publishable() == ""


def test_a_video_names_the_people_in_it(qtbot, strip, tmp_path):
    video = tmp_path / "optreden.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64)
    add_and_wait(qtbot, strip, video)
    assert strip.tiles[0].caption.text() == "Video 1"
    dialog = open_dialog(qtbot, strip)
    assert dialog.blur_all_button.isHidden()
    qtbot.mouseClick(dialog.add_person_button, LEFT)
    assert dialog.blur_button.isHidden()
    qtbot.keyClicks(dialog.search, "mila")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    (item,) = strip.model.draft.media
    qtbot.waitUntil(lambda: item.faces[0].state == FACE_TAGGED)
    assert [(f.state, f.person_id) for f in item.faces] == [(FACE_TAGGED, person_id(strip, "Mila"))]
    qtbot.mouseClick(dialog.confirm_box, LEFT)
    assert strip.tiles[0].badge.text() == "✓ verantwoord"
    assert consent_messages(strip.model) == []


def test_a_photo_from_a_restored_draft_is_read_again_when_opened(qtbot, strip, three_faces):
    restored = MediaItem(str(three_faces), faces=[FaceMark((86, 119, 155, 170))])
    saved = strip.model.draft
    strip.model.load(Draft(author_id=saved.author_id, school_id=saved.school_id, media=[restored]))
    dialog = open_dialog(qtbot, strip)
    assert dialog.canvas.image is not None and dialog.canvas.original_size == (1200, 800)
    assert dialog.found.text() == "Postwijs vond 1 gezicht."
