"""Encoding a prepared photo at the best quality that fits a byte limit.

One encode when the photo fits at the start quality (the common case); otherwise the quality steps
down, and only when the lowest step is still too large does the photo get smaller. Every encode
starts from pixels only: no EXIF, XMP, comment or text chunk is ever passed to the encoder, and
the image's `info` is emptied, since Pillow copies a comment from it into a JPEG by itself.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

QUALITIES = (90, 85, 80, 75, 70)  # below 70 JPEG artefacts show on faces and text; shrink instead
SMALLEST_LONG_SIDE = 320  # below this a photo is not worth posting
MAX_ENCODES = 24  # a bound on the work for any one photo


class DoesNotFit(Exception):
    """Even the smallest acceptable encode is over the limit; `smallest` is its size in bytes."""

    def __init__(self, smallest: int):
        super().__init__(smallest)
        self.smallest = smallest


@dataclass(frozen=True)
class Encoded:
    data: bytes
    size: tuple[int, int]
    quality: int | None  # None for PNG and GIF
    encodes: int  # how many encodes it took; 1 when the first one fitted


def encode_still(
    render: Callable[[int], Image.Image],
    long_side: int,
    image_format: str,
    max_bytes: int,
    icc_profile: bytes | None,
) -> Encoded:
    """Encodes `render(long_side)`; `render` gives the picture at a long side (it may keep a
    network's minimum width instead). Raises DoesNotFit."""
    qualities: Sequence[int | None] = QUALITIES if image_format == "JPEG" else (None,)
    encodes = 0
    previous_size = None
    smallest = 0
    while True:
        image = render(long_side)
        if image.size == previous_size:  # a network minimum stops the shrinking
            raise DoesNotFit(smallest)
        previous_size = image.size
        # After the first size step only the lowest quality is tried: quality was already given up.
        for quality in qualities if encodes == 0 else qualities[-1:]:
            data = _encode(image, image_format, quality, icc_profile)
            encodes += 1
            smallest = len(data)
            if len(data) <= max_bytes:
                return Encoded(data, image.size, quality, encodes)
        if encodes >= MAX_ENCODES or long_side <= SMALLEST_LONG_SIDE:
            raise DoesNotFit(smallest)
        long_side = max(SMALLEST_LONG_SIDE, math.floor(long_side * _shrink(smallest, max_bytes)))


def encode_animation(
    frames: list[Image.Image],
    durations: list[int],
    loop: int,
    resize: Callable[[Image.Image, int], Image.Image],
    long_side: int,
    max_bytes: int,
) -> Encoded:
    """Encodes an animated GIF, smaller until it fits; raises DoesNotFit."""
    encodes = 0
    while True:
        scaled = [_clean(resize(frame, long_side)) for frame in frames]
        buffer = io.BytesIO()
        scaled[0].save(
            buffer,
            "GIF",
            save_all=True,
            append_images=scaled[1:],
            duration=durations,
            loop=loop,
            disposal=2,
        )
        data = buffer.getvalue()
        encodes += 1
        if len(data) <= max_bytes:
            return Encoded(data, scaled[0].size, None, encodes)
        if encodes >= MAX_ENCODES // 4 or long_side <= SMALLEST_LONG_SIDE:
            raise DoesNotFit(len(data))
        long_side = max(SMALLEST_LONG_SIDE, math.floor(long_side * _shrink(len(data), max_bytes)))


def _shrink(size: int, max_bytes: int) -> float:
    """How much smaller the next try is: bytes grow about with the pixel count, so the square
    root of the overshoot, a little less to land under the limit; at least 10 %, at most half."""
    return min(0.9, max(0.5, math.sqrt(max_bytes / size) * 0.95))


def _clean(image: Image.Image) -> Image.Image:
    image.info = {}
    return image


def _encode(
    image: Image.Image, image_format: str, quality: int | None, icc_profile: bytes | None
) -> bytes:
    buffer = io.BytesIO()
    options: dict = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if image_format == "JPEG":
        options.update(quality=quality, optimize=True)
    _clean(image).save(buffer, image_format, **options)
    return buffer.getvalue()
