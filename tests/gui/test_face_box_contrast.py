"""A face box on the photo is seen on any photo (WCAG 2.2 AA 1.4.11): drawn on a light, a
mid-tone and a dark photo made here, the box's pixels differ 3:1 or more from the photo beside
them, whatever the face's state, chosen or not."""

from __future__ import annotations

import random
from functools import cache

import pytest
from PySide6.QtGui import QColor, QImage

from app.compose.post import FACE_BLURRED, FACE_NOT_A_FACE, FACE_OPEN, FACE_TAGGED, FaceMark
from tests.gui.test_contrast import MIN_NON_TEXT, contrast
from ui.composer.tagging_dialog import STATE_COLOURS, PhotoCanvas

SIZE = (600, 400)
BOX = (250, 150, 100, 110)
PHOTOS = {"light": (238, 236, 230), "mid-tone": (122, 138, 90), "dark": (30, 34, 44)}


@cache
def photo(base: tuple[int, int, int]) -> QImage:
    """A photo of one tone with a little grain, as a wall, a lawn or a gym in shadow."""
    image = QImage(*SIZE, QImage.Format.Format_RGB32)
    grain = random.Random(7)
    for y in range(SIZE[1]):
        for x in range(SIZE[0]):
            shift = grain.randint(-6, 6)
            image.setPixelColor(x, y, QColor(*(max(0, min(255, c + shift)) for c in base)))
    return image


def widest_standing_out(line: list[str], beside: str) -> int:
    """The longest run of pixels on `line` that differ 3:1 or more from `beside`."""
    best = run = 0
    for colour in line:
        run = run + 1 if contrast(colour, beside) >= MIN_NON_TEXT else 0
        best = max(best, run)
    return best


@pytest.mark.parametrize("tone", PHOTOS, ids=str)
@pytest.mark.parametrize("state", [FACE_OPEN, FACE_TAGGED, FACE_BLURRED, FACE_NOT_A_FACE])
@pytest.mark.parametrize("chosen", [False, True], ids=["not chosen", "chosen"])
def test_a_face_box_stands_out_3_to_1_from_the_photo_beside_it(qtbot, tone, state, chosen):
    canvas = PhotoCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(SIZE[0] + 12, SIZE[1] + 12)  # the photo at full size inside the dark edge
    canvas.show_photo(photo(PHOTOS[tone]), SIZE)
    for colour in STATE_COLOURS:
        canvas.show_faces([FaceMark(BOX, state)], [colour], ["1"], 0 if chosen else -1)
        picture = canvas.grab().toImage()
        box = canvas.to_screen(BOX).toRect()
        # Across the box's left and right edges, at its middle, from the photo outside it to
        # the photo inside it (the label sits at the top, away from this row).
        row = box.center().y()
        for edge in (box.left(), box.right()):
            line = [picture.pixelColor(x, row).name() for x in range(edge - 14, edge + 15)]
            beside_outside = picture.pixelColor(edge - 20, row).name()
            beside_inside = picture.pixelColor(edge + 20 if edge == box.left() else edge - 20, row)
            for beside in (beside_outside, beside_inside.name()):
                assert widest_standing_out(line, beside) >= 2, (tone, state, colour, beside, line)
