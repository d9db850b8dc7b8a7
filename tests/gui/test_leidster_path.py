"""The leidster's three steps in the real window: type, add a photo and tag or blur the faces,
Plaatsen; the practice timeline shows the photo and the history keeps the consent evidence."""

from pathlib import Path

from PySide6.QtCore import Qt

from app.consent import register as consent
from app.consent.register import GIVEN, IMPORT, PersonRecord, Source
from app.history import chain as history
from app.school_year import current_school_year
from app.store import Store
from connectors.practice import read_timeline
from tests.synthetic_photos import group_photo


def test_type_add_a_photo_tag_and_blur_then_publish(qtbot, open_window, data_dir, tmp_path):
    store = Store.open(data_dir)
    consent.merge_people(
        store,
        "regenboog",
        [
            PersonRecord("1", "pupil", "Noor", "", "Bakker", "5b"),  # no consent
            PersonRecord(
                "2",
                "pupil",
                "Daan",
                "",
                "Visser",
                "5b",
                consents={("sociale media", current_school_year()): GIVEN},
            ),
        ],
        Source(IMPORT, "leerlingen.csv", "demo"),
    )
    photo_path = tmp_path / "herfst.jpg"
    group_photo((1200, 800), (160, 180), seed=3).image.save(photo_path, quality=92)

    window = open_window()
    qtbot.waitUntil(lambda: len(window.model.context().people) == 2, timeout=10_000)
    qtbot.keyClicks(window.composer.editor, "Herfstwandeling met de peuters")
    strip = window.composer.media_strip
    strip.add_files([photo_path])
    qtbot.waitUntil(lambda: not strip.busy, timeout=60_000)
    (item,) = window.model.draft.media
    assert len(item.faces) == 2
    assert not window.composer.publish_button.isEnabled()  # faces not accounted for

    by_name = {p.first_name: p.id for p in window.model.context().people}
    strip.editor.tag(item, 0, by_name["Noor"])
    strip.editor.confirm_everyone(item)
    assert any("Noor Bakker" in card.finding.message for card in window.composer.checks.cards)
    assert not window.composer.publish_button.isEnabled()  # Noor has no consent
    strip.editor.blur(item, 0)
    strip.editor.tag(item, 1, by_name["Daan"])
    strip.editor.set_alt_text(item, "Peuters tussen de herfstbladeren")
    assert window.composer.publish_button.isEnabled(), window.composer.reason.text()

    qtbot.mouseClick(window.composer.publish_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.confirm_dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.publishing, timeout=60_000)
    (post,) = read_timeline(data_dir)
    ((copy, alt),) = post.media
    assert alt == "Peuters tussen de herfstbladeren"
    assert Path(copy).read_bytes()[:2] == b"\xff\xd8"  # a JPEG copy, not the original file
    (evidence,) = history.events(store, "consent_evidence")
    assert evidence.data["people"] == [by_name["Daan"]]
    (published,) = history.events(store, "published")
    assert (
        published.data["people"] == [by_name["Daan"]] and len(published.data["media_sha256"]) == 1
    )
