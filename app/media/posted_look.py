"""How a photo will look once posted, at preview size: its blurred faces made unrecognisable the
same way the prepared copy's are, and padded as the network's aspect limits demand. For the
composer's thumbnails, its preview per account and the last confirmation; the copy that is
posted is made by app.media.prepare."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from app.media.blur import blur_regions, scale_boxes
from app.media.geometry import pad, plan
from app.networks.media_limits import limits_for


def as_posted(
    image: Image.Image,
    original_size: tuple[int, int],
    blurred: Sequence[tuple[int, int, int, int]] = (),
    network: str | None = None,
) -> Image.Image:
    """`image` is the photo at any scale; `blurred` are face boxes in `original_size` pixels."""
    result = image.convert("RGB")
    if blurred and original_size[0]:
        result = blur_regions(result, scale_boxes(blurred, result.width / original_size[0]))
    if network is not None:
        limits = limits_for(network)
        if limits.images:
            geometry = plan(*result.size, limits, max(result.size))
            if geometry.padded:
                result = pad(result.resize(geometry.content), geometry.canvas)
    return result
