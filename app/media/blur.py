"""Blurring faces so they cannot be recovered from the prepared copy.

A plain gaussian blur can be partly undone (deconvolution), and light pixelation can be matched
against known faces. So each region is first reduced to a handful of flat cells (the detail is
averaged away, not hidden), then smoothed so the cells do not invite guessing. The region is
widened a little, since face boxes are tight and hair, ears and outline identify too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PIL import Image, ImageFilter

from app.i18n import _
from app.media.types import MediaError

Box = tuple[int, int, int, int]  # (x, y, width, height), like FaceMark.box

CELLS_ACROSS = 5  # cells along the longer side of a region: too coarse to recognise anyone
MARGIN = 0.15  # share of the box's size added on every side


def blur_regions(image: Image.Image, boxes: Iterable[Sequence[float]]) -> Image.Image:
    """A copy of `image` with every box made unrecognisable; `image` itself is not changed.

    Boxes are (x, y, width, height) in `image`'s pixels. A box partly outside is clipped; a box
    with no area or wholly outside the image raises MediaError, since a face that was meant to be
    blurred must never go out unblurred because its box was wrong.
    """
    result = image.copy()
    for box in boxes:
        left, top, right, bottom = _widened(box, image.size)
        region = result.crop((left, top, right, bottom))
        result.paste(_obliterate(region), (left, top))
    return result


def scale_boxes(boxes: Iterable[Sequence[float]], factor: float) -> list[Box]:
    """Boxes measured on the full-size image, moved onto a copy `factor` times as large."""
    scaled = []
    for box in boxes:
        x, y, width, height = _numbers(box)
        scaled.append(
            (
                math.floor(x * factor),
                math.floor(y * factor),
                math.ceil(width * factor),
                math.ceil(height * factor),
            )
        )
    return scaled


def check_boxes(boxes: Iterable[Sequence[float]], size: tuple[int, int]) -> None:
    """Raises MediaError for a box that cannot be blurred on an image of `size`."""
    for box in boxes:
        _widened(box, size)


def _numbers(box: Sequence[float]) -> tuple[float, float, float, float]:
    try:
        x, y, width, height = (float(v) for v in box)
    except (TypeError, ValueError):
        raise MediaError(_("Markeer het gezicht opnieuw: de plek ervan is onleesbaar.")) from None
    if not all(math.isfinite(v) for v in (x, y, width, height)) or width <= 0 or height <= 0:
        raise MediaError(_("Markeer het gezicht opnieuw: de plek ervan is onleesbaar."))
    return x, y, width, height


def _widened(box: Sequence[float], size: tuple[int, int]) -> tuple[int, int, int, int]:
    x, y, width, height = _numbers(box)
    margin_x, margin_y = width * MARGIN, height * MARGIN
    left = max(0, math.floor(x - margin_x))
    top = max(0, math.floor(y - margin_y))
    right = min(size[0], math.ceil(x + width + margin_x))
    bottom = min(size[1], math.ceil(y + height + margin_y))
    if right <= left or bottom <= top:
        raise MediaError(_("Markeer het gezicht opnieuw: de gemarkeerde plek valt buiten de foto."))
    return left, top, right, bottom


def _obliterate(region: Image.Image) -> Image.Image:
    width, height = region.size
    cell = max(1, math.ceil(max(width, height) / CELLS_ACROSS))
    cells = region.resize(
        (max(1, round(width / cell)), max(1, round(height / cell))), Image.Resampling.BOX
    )
    blocky = cells.resize((width, height), Image.Resampling.NEAREST)
    return blocky.filter(ImageFilter.GaussianBlur(radius=cell / 2))
