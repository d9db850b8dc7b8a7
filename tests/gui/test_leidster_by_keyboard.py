"""The leidster's path with key presses only (issue 17): type the post, add a photo, account for
every face in it (blur one, tag one by search and Enter, draw a box round a missed face with the
arrow keys and tag it from the list with Space), describe the photo, Ctrl+Enter to the
confirmation and its deliberate Alt+P. The system's own file dialog is the one step stood in
for: what it returns is the photo a keyboard user would pick in it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from app.compose.post import FACE_BLURRED, FACE_TAGGED
from app.consent import register as consent
from app.consent.register import GIVEN, IMPORT, PersonRecord, Source
from app.school_year import current_school_year
from app.store import Store
from connectors.practice import read_timeline
from tests.synthetic_photos import group_photo

TAB_LIMIT = 80  # more presses than any screen of Postwijs has controls


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    qtbot.wait(10)


def tab_to(qtbot, target: QWidget) -> None:
    """Tab, as a keyboard user does, until `target` has the focus."""
    for _ in range(TAB_LIMIT):
        if QApplication.focusWidget() is target:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.objectName() or type(target).__name__}")


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def test_the_whole_path_with_the_keyboard_only(qtbot, open_window, data_dir, tmp_path, monkeypatch):
    store = Store.open(data_dir)
    given = {("sociale media", current_school_year()): GIVEN}
    consent.merge_people(
        store,
        "regenboog",
        [
            PersonRecord("1", "pupil", "Noor", "", "Bakker", "5b"),  # no consent
            PersonRecord("2", "pupil", "Daan", "", "Visser", "5b", consents=given),
            PersonRecord("3", "pupil", "Mila", "", "Jansen", "5b", consents=given),
        ],
        Source(IMPORT, "leerlingen.csv", "demo"),
    )
    photo_path = tmp_path / "herfst.jpg"
    group_photo((1200, 800), (160, 180), seed=3).image.save(photo_path, quality=92)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_args, **_kw: ([str(photo_path)], "")
    )

    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: len(window.model.context().people) == 3, timeout=10_000)
    composer = window.composer
    tab_to(qtbot, composer.editor)
    type_text(qtbot, "Herfstwandeling met de peuters")
    strip = composer.media_strip
    tab_to(qtbot, strip.add_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not strip.busy and bool(strip.tiles), timeout=60_000)
    (item,) = window.model.draft.media
    assert len(item.faces) == 2

    tab_to(qtbot, strip.tiles[0].faces_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: getattr(strip, "tagging_dialog", None) is not None, timeout=10_000)
    dialog = strip.tagging_dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    # Face 1: blurred. Postwijs then goes on to face 2 by itself.
    tab_to(qtbot, dialog.blur_button)
    press(qtbot, Qt.Key.Key_Space)
    assert dialog.selected == 1
    # Face 2: Daan, found by searching and Enter.
    tab_to(qtbot, dialog.search)
    type_text(qtbot, "daan")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: item.faces[1].state == FACE_TAGGED)
    # A face Postwijs missed: a box by keys, moved a little and made larger, placed with Enter.
    tab_to(qtbot, dialog.add_box_button)
    press(qtbot, Qt.Key.Key_Space)
    assert QApplication.focusWidget() is dialog.canvas and dialog.canvas.key_box is not None
    start = dialog.canvas.key_box
    press(qtbot, Qt.Key.Key_Left)
    press(qtbot, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    moved = dialog.canvas.key_box
    assert moved[0] < start[0] and moved[2] > start[2] and moved[3] > start[3]
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(item.faces) == 3)
    assert item.faces[2].by_hand and tuple(item.faces[2].box) == moved
    assert dialog.selected == 2 and QApplication.focusWidget() is dialog.search
    # Mila from the list: search, Tab into the list, the arrow to her, Space.
    type_text(qtbot, "mila")
    tab_to(qtbot, dialog.people_list)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: item.faces[2].state == FACE_TAGGED)
    tab_to(qtbot, dialog.confirm_box)
    press(qtbot, Qt.Key.Key_Space)
    assert item.everyone_accounted_for
    tab_to(qtbot, dialog.done_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    # The description, then on to the confirmation and its own key. (The offscreen platform has
    # no window manager to give the window back its activation; a desktop's does.)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab_to(qtbot, strip.tiles[0].describe)
    press(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, strip.alt_edit)
    type_text(qtbot, "Peuters tussen de herfstbladeren")
    tab_to(qtbot, strip.alt_close)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(composer.publish_button.isEnabled, timeout=10_000)
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.confirm_dialog is not None and window.confirm_dialog.isVisible())
    qtbot.waitUntil(window.confirm_dialog.isActiveWindow)
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(read_timeline(data_dir)) == 1, timeout=60_000)

    (post,) = read_timeline(data_dir)
    ((_copy, alt),) = post.media
    assert alt == "Peuters tussen de herfstbladeren"
    by_name = {p.first_name: p.id for p in window.model.context().people}
    assert [f.state for f in item.faces] == [FACE_BLURRED, FACE_TAGGED, FACE_TAGGED]
    assert {item.faces[1].person_id, item.faces[2].person_id} == {by_name["Daan"], by_name["Mila"]}
