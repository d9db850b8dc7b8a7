"""Synthetic photos with known faces, for face-detection tests and benchmarks.

A group photo is made by pasting one real face at many sizes on a background, so the ground truth
is exact. The faces come from scikit-image's bundled sample photos, read straight from the
installed wheel: `astronaut.png` (NASA, public domain) facing the camera, `camera.png` (the
cameraman) in profile. skimage fetches some of its samples over the network; these two it ships,
so building a photo never needs a network.

Boxes are `(x, y, width, height)` in the returned image's pixels. A face box spans eyebrows to chin
and cheek to cheek, the extent a face detector reports.
"""

from __future__ import annotations

import importlib.util
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class FaceSource:
    """A head cut from a bundled photo, and the face box inside that cut, measured by eye."""

    file: str
    head_crop: tuple[int, int, int, int]  # (left, top, right, bottom) in the photo
    face_in_crop: Box


# astronaut.png (512×512): Eileen Collins facing the camera, hair to neck; OpenCV's frontal
# cascade puts her face at (177, 66, 95, 95), the box below at (178, 68, 95, 104).
FRONTAL = FaceSource("astronaut.png", (140, 10, 312, 216), (38, 58, 95, 104))
# camera.png (512×512, gray): the cameraman in profile, looking right through his camera; his
# face at (180, 95, 85, 100) in the photo.
PROFILE = FaceSource("camera.png", (130, 40, 340, 250), (50, 55, 85, 100))

# Eleven sizes from 40 to 400 px face height, twice each: the smallest a school photo shows of a
# child at the back of a playground, the largest a close-up.
DEFAULT_FACE_HEIGHTS = tuple(
    h for h in (40, 50, 60, 72, 88, 108, 132, 165, 210, 290, 400) for _ in range(2)
)
DEFAULT_SIZE = (3000, 2000)
TWELVE_MEGAPIXELS = (4000, 3000)
GAP = 24  # px between heads, so no two ground-truth faces touch


@dataclass(frozen=True)
class SyntheticPhoto:
    image: Image.Image
    faces: tuple[Box, ...]


def sample_image_path(name: str) -> Path:
    """A sample image inside the installed scikit-image wheel, found without importing skimage
    (importing it is slow and pulls in scipy)."""
    spec = importlib.util.find_spec("skimage")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scikit-image is needed for the synthetic photos (a dev dependency)")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    if not path.is_file():
        raise RuntimeError(f"{name} is not bundled with this scikit-image")
    return path


@cache
def _head(source: FaceSource) -> Image.Image:
    with Image.open(sample_image_path(source.file)) as photo:
        return photo.convert("RGB").crop(source.head_crop)


def face_portrait(source: FaceSource = FRONTAL) -> Image.Image:
    """A bundled portrait, whole (512×512, one face)."""
    with Image.open(sample_image_path(source.file)) as photo:
        return photo.convert("RGB")


def face_in_portrait(source: FaceSource = FRONTAL) -> Box:
    """Where the face is in `face_portrait(source)`."""
    x, y, w, h = source.face_in_crop
    return (source.head_crop[0] + x, source.head_crop[1] + y, w, h)


def _oval_mask(size: tuple[int, int]) -> Image.Image:
    # A feathered oval hides the crop's rectangle, which a detector could otherwise key on.
    width, height = size
    mask = Image.new("L", size, 0)
    inset_x, inset_y = width * 0.06, height * 0.04
    ImageDraw.Draw(mask).ellipse((inset_x, inset_y, width - inset_x, height - inset_y), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(max(1.0, min(size) * 0.04)))


def _smooth_noise(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Value noise over several scales, in [0, 1]: reads as grass, gravel or a wall."""
    width, height = size
    total = np.zeros((height, width), dtype=np.float32)
    weight_sum = 0.0
    for cells, weight in ((6, 1.0), (24, 0.6), (96, 0.35), (384, 0.2)):
        grid_w = max(2, cells * width // max(width, height))
        grid_h = max(2, cells * height // max(width, height))
        grid = rng.random((grid_h, grid_w), dtype=np.float32)
        layer = Image.fromarray(grid).resize(size, Image.Resampling.BICUBIC)
        total += weight * np.asarray(layer, dtype=np.float32)
        weight_sum += weight
    total /= weight_sum
    return np.clip((total - total.min()) / max(1e-6, float(np.ptp(total))), 0.0, 1.0)


def textured_background(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """A greenish-brown textured ground, no faces in it."""
    rng = np.random.default_rng(seed)
    noise = _smooth_noise(size, rng)
    fine = rng.normal(0.0, 0.04, (size[1], size[0])).astype(np.float32)
    shade = np.clip(noise + fine, 0.0, 1.0)
    low, high = np.array([70, 85, 45], np.float32), np.array([170, 160, 110], np.float32)
    rgb = low + shade[..., None] * (high - low)
    return Image.fromarray(rgb.astype(np.uint8))


def plain_photo(
    size: tuple[int, int], colour: tuple[int, int, int] = (200, 205, 210)
) -> Image.Image:
    return Image.new("RGB", size, colour)


def noise_photo(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Uniform colour noise: every pixel independent."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


def landscape_photo(size: tuple[int, int], seed: int = 0) -> Image.Image:
    """Sky with a gradient, a sun, rolling textured hills and a few trees: a photo without people."""
    width, height = size
    rng = np.random.default_rng(seed)
    rows = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    sky = (1 - rows) * np.array([90, 140, 220], np.float32) + rows * np.array([200, 220, 240])
    image = Image.fromarray(np.broadcast_to(sky, (height, width, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    sun = min(size) // 10
    draw.ellipse(
        (width * 0.75, height * 0.1, width * 0.75 + sun, height * 0.1 + sun), (255, 240, 180)
    )
    ground = textured_background(size, seed + 1)
    xs = np.arange(width, dtype=np.float32)
    horizon = (
        height * 0.55
        + height * 0.05 * np.sin(xs / width * 2 * math.pi * 1.3 + rng.random() * 6)
        + height * 0.03 * np.sin(xs / width * 2 * math.pi * 3.1)
    )
    mask = (np.arange(height)[:, None] >= horizon[None, :]).astype(np.uint8) * 255
    image.paste(ground, (0, 0), Image.fromarray(mask))
    for _ in range(7):
        x = int(rng.integers(0, width))
        base = int(horizon[min(x, width - 1)])
        trunk_h, crown = int(height * 0.08), int(height * 0.07)
        draw.rectangle((x - crown // 8, base - trunk_h, x + crown // 8, base), (90, 60, 30))
        draw.ellipse(
            (x - crown, base - trunk_h - crown, x + crown, base - trunk_h + crown // 2),
            (40, 100, 40),
        )
    return image


def _place(head_sizes: Sequence[tuple[int, int]], canvas: tuple[int, int]) -> list[tuple[int, int]]:
    """Shelf packing, biggest first, left to right: top-left corners for each head, in input order."""
    width, height = canvas
    order = sorted(range(len(head_sizes)), key=lambda i: -head_sizes[i][1])
    corners: list[tuple[int, int]] = [(0, 0)] * len(head_sizes)
    x, y, shelf = GAP, GAP, 0
    for index in order:
        head_w, head_h = head_sizes[index]
        if x + head_w + GAP > width:
            x, y, shelf = GAP, y + shelf + GAP, 0
        if x + head_w + GAP > width or y + head_h + GAP > height:
            raise ValueError(f"{len(head_sizes)} heads do not fit on a {width}×{height} canvas")
        corners[index] = (x, y)
        x += head_w + GAP
        shelf = max(shelf, head_h)
    return corners


def group_photo(
    size: tuple[int, int] = DEFAULT_SIZE,
    face_heights: Iterable[int] = DEFAULT_FACE_HEIGHTS,
    *,
    background: str = "texture",
    seed: int = 0,
    source: FaceSource = FRONTAL,
    max_tilt: float = 6.0,
    darkest: float = 0.6,
) -> SyntheticPhoto:
    """Pastes a bundled face once per height in `face_heights` (the face box's height in px).

    Each copy varies a little, as people in one photo do: mirrored or not, lighter or darker
    (from `darkest` to 110 % brightness), tilted up to ±`max_tilt`°. Deterministic for a given
    seed. `background` is "texture" or "plain"; `source` FRONTAL or PROFILE.
    """
    rng = random.Random(seed)
    head = _head(source)
    face_left, face_top, face_w, face_h_in_crop = source.face_in_crop
    heights = list(face_heights)
    head_sizes = []
    for face_h in heights:
        scale = face_h / face_h_in_crop
        head_sizes.append((max(1, round(head.width * scale)), max(1, round(head.height * scale))))
    corners = _place(head_sizes, size)
    if background == "texture":
        canvas = textured_background(size, seed)
    elif background == "plain":
        canvas = plain_photo(size)
    else:
        raise ValueError(f"unknown background {background!r}")
    faces: list[Box] = []
    for face_h, head_size, (left, top) in zip(heights, head_sizes, corners, strict=True):
        copy = head.resize(head_size, Image.Resampling.LANCZOS)
        if rng.random() < 0.5:
            copy = copy.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            face_x = head.width - face_left - face_w
        else:
            face_x = face_left
        copy = ImageEnhance.Brightness(copy).enhance(rng.uniform(darkest, 1.1))
        mask = _oval_mask(head_size)
        tilt = rng.uniform(-max_tilt, max_tilt)
        copy = copy.rotate(tilt, Image.Resampling.BICUBIC)
        mask = mask.rotate(tilt, Image.Resampling.BICUBIC)
        canvas.paste(copy, (left, top), mask)
        scale = face_h / face_h_in_crop
        faces.append(
            (
                left + round(face_x * scale),
                top + round(face_top * scale),
                round(face_w * scale),
                face_h,
            )
        )
    return SyntheticPhoto(canvas, tuple(faces))


def twelve_megapixel_group_photo(seed: int = 0) -> SyntheticPhoto:
    """The default faces on a 4000×3000 canvas: a phone camera's photo, untouched."""
    return group_photo(TWELVE_MEGAPIXELS, DEFAULT_FACE_HEIGHTS, seed=seed)


def iou(a: Box, b: Box) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    overlap_w = min(ax + aw, bx + bw) - max(ax, bx)
    overlap_h = min(ay + ah, by + bh) - max(ay, by)
    if overlap_w <= 0 or overlap_h <= 0:
        return 0.0
    overlap = overlap_w * overlap_h
    return overlap / (aw * ah + bw * bh - overlap)


def matched(truth: Sequence[Box], found: Sequence[Box], min_iou: float = 0.4) -> list[bool]:
    """For each true face, whether a distinct found box overlaps it by at least `min_iou`
    (greedy, best overlap first: one found box never counts for two faces)."""
    pairs = sorted(
        ((iou(t, f), ti, fi) for ti, t in enumerate(truth) for fi, f in enumerate(found)),
        reverse=True,
    )
    hit = [False] * len(truth)
    used: set[int] = set()
    for overlap, ti, fi in pairs:
        if overlap < min_iou:
            break
        if not hit[ti] and fi not in used:
            hit[ti] = True
            used.add(fi)
    return hit


def recall(
    truth: Sequence[Box], found: Sequence[Box], *, min_height: int = 0, min_iou: float = 0.4
) -> float:
    """Share of the true faces at least `min_height` px tall that were found."""
    hits = matched(truth, found, min_iou)
    considered = [hit for box, hit in zip(truth, hits, strict=True) if box[3] >= min_height]
    return sum(considered) / len(considered) if considered else 1.0
