"""The look of a photo as posted, at preview size (issue 11): what the composer, its previews
and the last confirmation show must match the prepared copy: faces blurred, padding per network."""

from __future__ import annotations

import statistics

from PIL import Image

from app.media.posted_look import as_posted
from tests.synthetic_photos import group_photo


def spread(image: Image.Image, box) -> float:
    x, y, w, h = box
    region = image.convert("L").crop((x + w // 4, y + h // 4, x + 3 * w // 4, y + 3 * h // 4))
    return statistics.pstdev(region.tobytes())


def test_blurred_faces_are_flat_at_preview_size_and_the_rest_is_untouched():
    photo = group_photo((1200, 800), (160, 180), seed=3)
    preview = photo.image.resize((600, 400))
    boxes = [tuple(b) for b in photo.faces]
    looked = as_posted(preview, (1200, 800), boxes)
    assert looked.size == (600, 400)
    for box in boxes:
        half = tuple(v // 2 for v in box)
        assert spread(looked, half) < spread(preview.convert("RGB"), half) / 2
    assert looked.getpixel((590, 390)) == preview.convert("RGB").getpixel((590, 390))


def test_a_wide_photo_is_padded_as_instagram_pads_it_and_not_for_mastodon():
    wide = Image.new("RGB", (900, 300), (200, 40, 40))
    padded = as_posted(wide, (3600, 1200), network="instagram")
    assert padded.width == 900 and padded.height > 300  # white bands above and below
    assert padded.getpixel((450, 2)) == (255, 255, 255)
    assert padded.getpixel((450, padded.height // 2)) == (200, 40, 40)
    assert as_posted(wide, (3600, 1200), network="mastodon").size == (900, 300)
