"""Issue 11: see what will be posted, photos included, and the way into the faces. In the real
window with a real consent register and real photos (synthetic group photos with real faces)."""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage

from app.store import Store
from tests.regenboog_register import BRAM, MILA, fill_regenboog
from tests.synthetic_photos import group_photo
from ui.composer.media_strip import THUMB

LEFT = Qt.MouseButton.LeftButton


def fill_register(data_dir) -> None:
    store = Store.open(data_dir)
    fill_regenboog(store, MILA, BRAM)
    store.close()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "schoolplein.jpg"
    group_photo((1200, 800), (160, 180), seed=3).image.save(path, quality=92)
    return path


@pytest.fixture
def window_with_photo(qtbot, open_window, data_dir, photo):
    fill_register(data_dir)
    window = open_window()
    qtbot.waitUntil(lambda: len(window.model.context().people) == 5, timeout=10_000)
    qtbot.keyClicks(window.composer.editor, "Herfstwandeling met de kleuters")
    strip = window.composer.media_strip
    strip.add_files([photo])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    return window


def face_spread(image: QImage, box, original_width: int) -> float:
    """How much the pixels inside a face's box differ: a blurred face is nearly flat."""
    scale = image.width() / original_width
    x, y, w, h = (round(v * scale) for v in box)
    inner = QRect(x + w // 4, y + h // 4, max(1, w // 2), max(1, h // 2))
    values = [
        image.pixelColor(px, py).lightness()
        for px in range(inner.left(), inner.right())
        for py in range(inner.top(), inner.bottom())
    ]
    return statistics.pstdev(values)


def thumbnail(tile) -> QImage:
    return tile.thumb.icon().pixmap(THUMB).toImage()


def test_after_alles_vervagen_the_thumbnail_and_the_previews_show_the_faces_blurred(
    qtbot, window_with_photo
):
    window = window_with_photo
    strip = window.composer.media_strip
    (item,) = window.model.draft.media
    tile = strip.tiles[0]
    sharp = [face_spread(thumbnail(tile), f.box, 1200) for f in item.faces]
    strip.editor.blur_all(item)
    blurred = [face_spread(thumbnail(tile), f.box, 1200) for f in item.faces]
    for before, after in zip(sharp, blurred, strict=True):
        assert after < before * 0.7, (before, after)  # flat cells, not a face

    strip.editor.confirm_everyone(item)
    strip.editor.set_alt_text(item, "Kleuters tussen de herfstbladeren")
    card = window.composer.preview_cards[0]
    assert card.photos.isVisible()
    assert [c.text() for c in card.photos.captions] == ["Foto 1: Kleuters tussen de herfstbladeren"]
    shown = card.photos.images[0].pixmap().toImage()
    assert not shown.isNull()
    assert face_spread(shown, item.faces[0].box, 1200) < sharp[0] * 0.7

    # The last confirmation shows the exact photos too, with their descriptions.
    assert window.composer.publish_button.isEnabled(), window.composer.reason.text()
    window.composer.publish_button.click()
    dialog = window.confirm_dialog
    row = dialog.photo_rows["regenboog-oefen"]
    assert [c.text() for c in row.captions] == ["Foto 1: Kleuters tussen de herfstbladeren"]
    assert face_spread(row.images[0].pixmap().toImage(), item.faces[0].box, 1200) < sharp[0] * 0.7
    dialog.back_button.click()


def test_a_photo_without_a_description_says_so_in_the_preview(qtbot, window_with_photo):
    card = window_with_photo.composer.preview_cards[0]
    assert [c.text() for c in card.photos.captions] == ["Foto 1: nog geen beschrijving"]


def test_clicking_a_finding_about_a_photo_opens_that_photos_faces(qtbot, window_with_photo):
    window = window_with_photo
    strip = window.composer.media_strip
    (item,) = window.model.draft.media
    card = next(
        c
        for c in window.composer.checks.cards
        if "Vervaag elk gezicht op foto 1" in c.finding.message
    )
    qtbot.mouseClick(card, LEFT)
    qtbot.waitUntil(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
    assert strip.tagging_dialog.item is item
    strip.tagging_dialog.done_button.click()

    # A finding about the description opens the description.
    describe = next(c for c in window.composer.checks.cards if c.finding.rule == "alt_text")
    qtbot.mouseClick(describe, LEFT)
    assert strip.alt_panel.isVisible()
    assert strip.alt_title.text().startswith("Beschrijving van foto 1")


def test_tagging_someone_does_not_move_the_names_under_the_mouse(qtbot, window_with_photo):
    window = window_with_photo
    strip = window.composer.media_strip
    (item,) = window.model.draft.media
    qtbot.mouseClick(strip.tiles[0].faces_button, LEFT)
    dialog = strip.tagging_dialog
    people = dialog.people_list

    def rows():
        return [people.item(r).text() for r in range(people.count())]

    before = rows()
    mila = next(r for r in range(people.count()) if people.item(r).text().startswith("Mila"))
    assert rows()[0].startswith("Jouw groep: 5b")  # Mila (group 6) is further down
    qtbot.mouseClick(people.viewport(), LEFT, pos=people.visualItemRect(people.item(mila)).center())
    qtbot.waitUntil(lambda: item.faces[0].state == "tagged")
    # Mila's group now counts as the author's own; the list still stays as it was.
    assert "6" in strip.editor.own_groups()
    assert rows() == before
    dialog.done_button.click()


def test_an_empty_register_says_names_and_photos_cannot_be_checked_and_whom_to_ask(
    qtbot, open_window, data_dir
):
    window = open_window()
    checks = window.composer.checks
    qtbot.keyClicks(window.composer.editor, "Sem won de voorleeswedstrijd!")
    assert checks.register_note.isVisible()
    assert checks.register_note.text() == (
        "Het toestemmingsregister van Basisschool De Regenboog is nog leeg, dus namen van"
        " leerlingen en gezichten op foto's kunnen nog niet worden nagekeken. Vraag Administratie"
        " De Regenboog (administratie@regenboog.example) het register te importeren (bij"
        " Toestemmingen)."
    )
    assert "Niets gevonden" not in checks.summary.text()
    fill_register(data_dir)
    window.reload_people()
    assert not checks.register_note.isVisible()


def test_photos_and_their_description_do_not_grow_the_window_on_a_small_laptop(
    qtbot, open_window, data_dir, photo
):
    window = open_window(site_file=None)
    window.resize(1024, 700)
    qtbot.keyClicks(window.composer.editor, "Herfstwandeling met de kleuters")
    strip = window.composer.media_strip
    strip.add_files([photo, photo])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    strip.tiles[0].describe.click()
    assert strip.alt_panel.isVisible()
    qtbot.wait(50)
    assert (window.width(), window.height()) == (1024, 700)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700, hint
    # Plaatsen and the reason stay in view below the post, whatever it holds.
    button = window.composer.publish_button
    assert button.mapTo(window, button.rect().bottomRight()).y() <= 700
