"""The size of a prepared photo: the picture itself and, where a network demands an aspect ratio
(Instagram), the padded canvas around it. Padding, never cropping: a crop could cut off the
context the author chose, or bring a blurred face's neighbour into focus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from PIL import Image

from app.networks.media_limits import MediaLimits

PAD_COLOUR = (255, 255, 255)  # white bands read as a border, not as part of the photo


@dataclass(frozen=True)
class Geometry:
    content: tuple[int, int]  # the picture, scaled
    canvas: tuple[int, int]  # the picture plus padding; equal to content where none is needed

    @property
    def padded(self) -> bool:
        return self.content != self.canvas


def plan(width: int, height: int, limits: MediaLimits, long_side: int) -> Geometry:
    """Scale (down, or up to a network's minimum width) and pad `width` x `height` so the canvas
    respects `long_side`, the network's pixel, width and aspect limits."""
    aspect = Fraction(width, height)
    canvas_aspect = aspect
    if limits.aspect_min is not None and aspect < limits.aspect_min:
        canvas_aspect = limits.aspect_min
    if limits.aspect_max is not None and aspect > limits.aspect_max:
        canvas_aspect = limits.aspect_max
    # The canvas in the original's pixels: the picture's width or height stays, the other grows.
    if canvas_aspect < aspect:
        canvas_w, canvas_h = Fraction(width), width / canvas_aspect
    else:
        canvas_w, canvas_h = height * canvas_aspect, Fraction(height)
    # Fractions, so a limit is met exactly and not missed by a rounding error.
    scale = min(Fraction(1), Fraction(long_side) / max(canvas_w, canvas_h))
    if limits.max_width is not None:
        scale = min(scale, Fraction(limits.max_width) / canvas_w)
    if limits.max_pixels is not None:
        room = Fraction(math.sqrt(limits.max_pixels / (canvas_w * canvas_h)) * 0.9999)
        scale = min(scale, room)
    if limits.min_width is not None and canvas_w * scale < limits.min_width:
        scale = Fraction(limits.min_width) / canvas_w
    # Floor, not round: a canvas one pixel over a network's maximum is refused.
    content = (max(1, math.floor(width * scale)), max(1, math.floor(height * scale)))
    if limits.min_width is not None and canvas_aspect == aspect and content[0] < limits.min_width:
        content = (limits.min_width, max(1, round(limits.min_width / aspect)))
    if canvas_aspect == aspect:
        return Geometry(content, content)
    if canvas_aspect > aspect:  # too tall: widen
        canvas = (max(content[0], math.ceil(content[1] * canvas_aspect)), content[1])
    else:  # too wide: heighten
        canvas = (content[0], max(content[1], math.ceil(content[0] / canvas_aspect)))
    return Geometry(content, canvas)


def pad(image: Image.Image, canvas: tuple[int, int]) -> Image.Image:
    """`image` centred on a `canvas`-sized background of PAD_COLOUR."""
    if image.size == canvas:
        return image
    colour = PAD_COLOUR if image.mode == "RGB" else PAD_COLOUR[0]
    background = Image.new(image.mode, canvas, colour)
    background.paste(image, ((canvas[0] - image.width) // 2, (canvas[1] - image.height) // 2))
    return background
