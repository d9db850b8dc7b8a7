"""Finds faces in a photo, offline, so that each can be tagged, blurred or declared unrecognisable.

Detector: OpenCV's Haar cascades as opencv-python-headless 4.x ships them inside its wheel
(`cv2/data/`): `haarcascade_frontalface_alt2.xml` for faces turned towards the camera and
`haarcascade_profileface.xml`, on the photo and on its mirror image, for faces in profile.
Nothing is downloaded at run time. opencv-python-headless 5.x no longer ships the cascades, hence
`opencv-python-headless>=4.10,<5` (4.10 is the first for numpy 2). A PyInstaller build must add
the two XML files (its OpenCV hook does not collect `cv2/data`); without them
`FaceDetectorUnavailable` is raised.

Why this one. Measured on the synthetic photos of tests/synthetic_photos.py (six 12 MP and six
6 MP group photos, 22 faces each from 40 to 400 px tall) and 16 photos without people, on the
project's 2-core machine:

| candidate | 12 MP recall, ≥ 60 px / all | false boxes | 12 MP photo | adds to the app |
| --- | --- | --- | --- | --- |
| Haar alt2 + profile (chosen) | 1.00 / 0.82 (6 MP: 1.00 / 0.95) | 0 | 370 ms (710 ms CPU) | opencv-python-headless 4.x + numpy: +151 MB in a PyInstaller folder, +91 MB zipped (Linux) |
| Haar default + profile | 0.85 / 0.70 | 5, on coins | 580 ms CPU | same |
| Haar alt + profile | 1.00 / 0.82 (0.98 at 6 MP) | 0; two boxes on one face | 710 ms CPU | same |
| MediaPipe 0.10.21 BlazeFace full range, 320 px tiles | 1.00 / 0.91 | 2, on a star field | ~200 ms | ~720 MB: jax, jaxlib, matplotlib, opencv-contrib-python; pins numpy<2, protobuf<5 |
| YuNet (cv2.FaceDetectorYN) | – | – | – | no PyPI package ships its ONNX file; the YuNet wrappers download it |
| LBP cascades, dlib HOG | – | – | – | LBP files are not in the wheel; dlib has no wheels (a C++ build per machine) |

MediaPipe 1.x no longer ships face models at all (its Tasks API fetches them). BlazeFace finds
more of the tiniest faces, but at five times the size and with a dependency pinned to an old
release; the Haar pair finds every face from 60 px up in 12 MP.

How: the photo is downscaled so its long side is at most 1600 px (`DETECTION_LONG_SIDE`); the
frontal cascade searches that, the profile cascade an 800 px copy both ways round, and the boxes
are mapped back to the photo's pixels. Overlapping boxes (frontal and profile on one face) are
merged, frontal first, then by votes.

What the caller must know:
- A frontal face is found when it is at least 20 px tall at detection size: in a 12-megapixel
  photo (4000 px long side) about 50 px. Profile faces are the weak part: about two in three from
  200 px up in 12 MP (from 120 px in a 2400 px photo), none much smaller.
- Also missed: faces tilted more than ~15° (at ±15°, 92 % of faces ≥ 60 px are found; at ±25°,
  67 %), seen from above or behind, half hidden, backlit. The UI must let the user mark a face
  the detector missed: an empty result never means "no people in this photo".
- False hits happen on face-like textures (coins, patterns); the user can dismiss those.
- `score` is the number of raw detections merged into the box (higher is surer): no probability.
- Time depends on content more than on size: faces filling the frame or busy texture cost more
  (quiet machine: 12 MP group photo 380 ms, 6 MP photo of large faces 530 ms, 6 MP colour noise
  800 ms, 12 MP landscape 140 ms).
- Deterministic: the same image gives the same boxes, in reading order (top to bottom, left to
  right), on any number of cores. Safe to call from several threads at once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageFilter

if TYPE_CHECKING:
    import numpy as np

DETECTION_LONG_SIDE = 1600  # px: a 40 px face in 12 MP becomes 16 px, below the window; speed
# px: profile faces then need about 200 px in 12 MP; at 1100 px some from 125 px are found, at
# twice the cost
PROFILE_LONG_SIDE = 800
SCALE_FACTOR = 1.1  # between pyramid levels: finer finds more faces, coarser is faster
PROFILE_SCALE_FACTOR = 1.2  # finer finds a little more; the profile cascade is the slow one
MIN_NEIGHBOURS = 4  # raw hits that must agree: fewer finds more faces and more false ones
GROUP_EPS = 0.2  # OpenCV's own grouping tolerance in detectMultiScale
WINDOW = 20  # px: the cascades' smallest face
FRONTAL_CASCADE = "haarcascade_frontalface_alt2.xml"
PROFILE_CASCADE = "haarcascade_profileface.xml"
SAME_FACE_IOU = 0.3
SAME_FACE_INSIDE = 0.6  # share of the smaller box inside the larger one

# OpenCV runs one cascade on one thread. So each search is cut by window size into jobs of about
# equal work that run side by side, and the raw hits of all jobs are grouped once, as
# detectMultiScale groups them: the boxes are exactly those of one single call, on any number of
# cores. (Searching shrunk copies for the larger faces saves 15–30 % more, but finds fewer tilted
# faces: 58 of 72 against 66 at ±15°.)
JOBS = 6
RESIZE_BANDS = 2  # the downscaling, too, runs side by side
MAX_WORKERS = 4


class FaceDetectorUnavailable(RuntimeError):
    """The cascade files are missing (a packaging fault): never treat this as "no faces"."""


@dataclass(frozen=True, slots=True)
class FaceBox:
    x: int
    y: int
    width: int
    height: int
    score: float | None = None

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height


def detect_faces(image: Image.Image) -> list[FaceBox]:
    """Faces in `image` (oriented as shown), as boxes in its own pixel coordinates.

    Any mode and size is accepted; an image too small to hold a face gives [].
    Raises FaceDetectorUnavailable if OpenCV's cascades are missing.
    """
    width, height = image.size
    if min(width, height) < WINDOW:
        return []
    scale = min(1.0, DETECTION_LONG_SIDE / max(width, height))
    gray = _gray_downscaled(image, scale)
    if gray is None:
        return []
    profile_scale = min(1.0, PROFILE_LONG_SIDE / max(gray.shape))
    profile_gray = _resized(gray, profile_scale)

    searches = [_Search(FRONTAL_CASCADE, gray, False, SCALE_FACTOR, 0, 1.0)]
    if profile_gray is not None:
        searches += [
            _Search(PROFILE_CASCADE, profile_gray, mirrored, PROFILE_SCALE_FACTOR, 1, profile_scale)
            for mirrored in (False, True)
        ]
    jobs = _jobs(searches)
    # Longest first, so no core is left with a long job at the end; the grouping below does not
    # depend on the order.
    jobs.sort(key=lambda job: -job.work)
    raw = _executor().map(_raw_hits, jobs)
    hits_by_search: dict[int, list[Rect]] = {id(search): [] for search in searches}
    for job, job_hits in zip(jobs, raw, strict=True):
        hits_by_search[id(job.search)] += job_hits
    candidates: list[Candidate] = []
    for search in searches:
        candidates += search.grouped(hits_by_search[id(search)])

    kept = _merge(candidates)
    boxes = [_to_photo(box, votes, scale, width, height) for _, votes, box in kept]
    return sorted(
        (b for b in boxes if b.width > 0 and b.height > 0),
        key=lambda b: (b.y, b.x, b.width, b.height),
    )


DEEP_GRAY_MODES = ("I", "I;16", "I;16B", "I;16L", "I;16N", "F")
RESIZABLE_MODES = ("L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr")


def _gray_downscaled(image: Image.Image, scale: float) -> np.ndarray | None:
    """The image as 8-bit gray at `scale`, or None when that is too small or unreadable."""
    import numpy as np

    width, height = image.size
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    if min(target) < WINDOW:
        return None
    if image.mode in DEEP_GRAY_MODES:
        # Deep grayscale: stretch to 8 bits by its own range rather than clip at 255.
        values = np.asarray(image.convert("F").resize(target, Image.Resampling.BILINEAR))
        low, high = float(values.min()), float(values.max())
        span = high - low if high > low else 1.0
        return np.ascontiguousarray(((values - low) * (255.0 / span)).astype(np.uint8))
    if image.mode not in RESIZABLE_MODES:
        readable = _readable(image)  # palette, 1-bit, LAB, HSV, premultiplied: rare and small
        if readable is None:
            return None
        image = readable
    # Resize before converting: a huge photo then never exists twice at full size. Bilinear
    # finds more of the smallest faces than the faster box filter (125 of 132 against 120 on the
    # 6 MP synthetic photos). Pillow reads past a box's edge, so bands resized side by side join
    # seamlessly (at most a rounding difference of 1 in a few pixels from one whole resize).
    if target == image.size:
        return np.ascontiguousarray(np.asarray(image.convert("L"), dtype=np.uint8))
    rows = [target[1] * band // RESIZE_BANDS for band in range(RESIZE_BANDS + 1)]
    rows = sorted(set(rows))
    step = image.height / target[1]

    def band(top: int, bottom: int) -> np.ndarray:
        box = (0.0, top * step, float(image.width), bottom * step)
        part = image.resize(
            (target[0], bottom - top), Image.Resampling.BILINEAR, box=box, reducing_gap=2.0
        )
        return np.asarray(part.convert("L"), dtype=np.uint8)

    bands = list(_executor().map(band, rows[:-1], rows[1:]))
    return np.ascontiguousarray(np.vstack(bands))


def _readable(image: Image.Image) -> Image.Image | None:
    import numpy as np

    if image.mode == "1":
        # Dithered black and white: a slight blur brings back the gray tones a face is made of.
        return image.convert("L").filter(ImageFilter.GaussianBlur(1.5))
    try:
        return image.convert("RGB")
    except ValueError:  # Pillow has no conversion for this mode: take its first band as gray
        pass
    values = np.asarray(image)
    if values.dtype.kind not in "biuf" or values.size == 0:
        return None
    first = values if values.ndim == 2 else values[..., 0]
    return Image.fromarray(np.clip(first, 0, 255).astype(np.uint8))


def _resized(gray: np.ndarray, factor: float) -> np.ndarray | None:
    import cv2

    if factor >= 1.0:
        return gray
    height, width = gray.shape
    size = (round(width * factor), round(height * factor))
    if min(size) < WINDOW:
        return None
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


Candidate = tuple[int, float, tuple[float, float, float, float]]  # priority, votes, (x, y, w, h)
Rect = tuple[int, int, int, int]


@dataclass(frozen=True, eq=False)
class _Search:
    """One cascade over one image, mirrored or not."""

    cascade: str
    gray: np.ndarray
    mirrored: bool
    scale_factor: float
    priority: int  # lower wins when boxes of two searches overlap
    scale: float  # of `gray` relative to the detection image

    def image(self) -> np.ndarray:
        import numpy as np

        return np.ascontiguousarray(self.gray[:, ::-1]) if self.mirrored else self.gray

    def grouped(self, hits: Sequence[Rect]) -> list[Candidate]:
        """Groups raw hits as detectMultiScale does, then maps the boxes to detection pixels."""
        import cv2

        if not hits:
            return []
        rects, votes = cv2.groupRectangles(list(hits), MIN_NEIGHBOURS, GROUP_EPS)
        image_width = self.gray.shape[1]
        found: list[Candidate] = []
        for (x, y, w, h), n in zip(rects, votes, strict=True):
            left = image_width - x - w if self.mirrored else x
            scale = self.scale
            box = (float(left) / scale, float(y) / scale, float(w) / scale, float(h) / scale)
            found.append((self.priority, float(n), box))
        return found


@dataclass(frozen=True, eq=False)
class _Job:
    search: _Search
    image: np.ndarray
    min_size: int
    max_size: int  # 0: no limit
    work: float


def _jobs(searches: list[_Search]) -> list[_Job]:
    """Each search cut by window size so that no job has much more than 1 / JOBS of the work."""
    levels = []
    for search in searches:
        image = search.image()
        sizes = _window_sizes(min(image.shape), search.scale_factor)
        levels.append((search, image, sizes, [_level_work(size, image.shape) for size in sizes]))
    share = sum(sum(works) for *_, works in levels) / JOBS
    jobs: list[_Job] = []
    for search, image, sizes, works in levels:
        start, done = 0, 0.0
        for index, work in enumerate(works):
            done += work
            last = index == len(sizes) - 1
            if done >= share or last:
                max_size = 0 if last else sizes[index]
                jobs.append(_Job(search, image, sizes[start], max_size, done))
                start, done = index + 1, 0.0
    return jobs


def _window_sizes(short_side: int, scale_factor: float) -> list[int]:
    """The window sizes detectMultiScale tries, computed as OpenCV does (round(20 × factor))."""
    sizes: list[int] = []
    factor = 1.0
    while round(WINDOW * factor) <= short_side:
        size = round(WINDOW * factor)
        if not sizes or size != sizes[-1]:
            sizes.append(size)
        factor *= scale_factor
    return sizes


def _level_work(size: int, shape: tuple[int, ...]) -> float:
    """Windows tested at one pyramid level: the image shrinks by size / 20, and OpenCV steps
    2 px while it has shrunk less than twice, 1 px after."""
    factor = size / WINDOW
    step = 1 if factor >= 2 else 2
    return (shape[0] / factor / step) * (shape[1] / factor / step)


def _raw_hits(job: _Job) -> list[Rect]:
    """Every window the cascade accepts in the job's size range, ungrouped."""
    classifier = _classifiers.take(job.search.cascade)
    try:
        rects, _ = classifier.detectMultiScale2(
            job.image,
            scaleFactor=job.search.scale_factor,
            minNeighbors=0,
            minSize=(job.min_size, job.min_size),
            maxSize=(job.max_size, job.max_size),
        )
    finally:
        _classifiers.give_back(job.search.cascade, classifier)
    return [(int(x), int(y), int(w), int(h)) for x, y, w, h in rects]


class _ClassifierPool:
    """Loaded cascades, lent out one job at a time: a CascadeClassifier is not thread-safe, and
    loading one takes 10–30 ms, so each is kept for reuse."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spare: dict[str, list] = {}

    def take(self, name: str):
        with self._lock:
            spare = self._spare.get(name)
            if spare:
                return spare.pop()
        return _load(name)

    def give_back(self, name: str, classifier) -> None:
        with self._lock:
            self._spare.setdefault(name, []).append(classifier)


def _load(name: str):
    import cv2

    path = Path(cv2.data.haarcascades) / name  # type: ignore[attr-defined]  # not in cv2's stubs
    classifier = cv2.CascadeClassifier(str(path))
    if classifier.empty():
        raise FaceDetectorUnavailable(f"OpenCV cascade not found or unreadable: {path}")
    return classifier


_classifiers = _ClassifierPool()
_executor_lock = threading.Lock()
_executor_instance: ThreadPoolExecutor | None = None
_executor_pid = 0


def _executor() -> ThreadPoolExecutor:
    global _executor_instance, _executor_pid
    with _executor_lock:
        # A forked child has the executor but not its threads: it would wait forever.
        if _executor_instance is None or _executor_pid != os.getpid():
            workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1))
            _executor_instance = ThreadPoolExecutor(workers, thread_name_prefix="faces")
            _executor_pid = os.getpid()
        return _executor_instance


def _same_face(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    overlap_w = min(ax + aw, bx + bw) - max(ax, bx)
    overlap_h = min(ay + ah, by + bh) - max(ay, by)
    if overlap_w <= 0 or overlap_h <= 0:
        return False
    overlap = overlap_w * overlap_h
    smaller = min(aw * ah, bw * bh)
    union = aw * ah + bw * bh - overlap
    return overlap / union >= SAME_FACE_IOU or overlap / smaller >= SAME_FACE_INSIDE


def _merge(candidates: list[Candidate]) -> list[Candidate]:
    """Non-maximum suppression: frontal boxes before profile ones (they sit better on the face),
    then the most votes; a box that overlaps one already kept is the same face."""
    ordered = sorted(candidates, key=lambda c: (c[0], -c[1], c[2]))
    kept: list[Candidate] = []
    for candidate in ordered:
        if not any(_same_face(candidate[2], k[2]) for k in kept):
            kept.append(candidate)
    return kept


def _to_photo(
    box: tuple[float, float, float, float], votes: float, scale: float, width: int, height: int
) -> FaceBox:
    x, y, w, h = (v / scale for v in box)
    left, top = max(0, round(x)), max(0, round(y))
    right, bottom = min(width, round(x + w)), min(height, round(y + h))
    return FaceBox(left, top, max(0, right - left), max(0, bottom - top), votes)
