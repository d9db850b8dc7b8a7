"""Face detection on photos whose faces are known: synthetic group photos made from a real face,
real photos without people, and odd inputs that must never crash it."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from app.media import faces
from app.media.faces import FaceBox, FaceDetectorUnavailable, detect_faces
from tests.synthetic_photos import (
    PROFILE,
    face_in_portrait,
    face_portrait,
    group_photo,
    iou,
    landscape_photo,
    matched,
    noise_photo,
    plain_photo,
    recall,
    sample_image_path,
    textured_background,
    twelve_megapixel_group_photo,
)

PORTRAIT_FACE = face_in_portrait()  # astronaut.png, facing the camera
CAMERAMAN_FACE = face_in_portrait(PROFILE)  # camera.png, in profile


def as_tuples(found: list[FaceBox]) -> list[tuple[int, int, int, int]]:
    return [(b.x, b.y, b.width, b.height) for b in found]


@pytest.fixture(scope="module")
def group_photos():
    return [group_photo(seed=seed) for seed in range(3)]


@pytest.fixture(scope="module")
def twelve_megapixels():
    return twelve_megapixel_group_photo()


# Measured on these photos: recall 1.00 for faces ≥ 60 px, 0.91 for all faces (the 40 px ones
# are half missed at 6 MP), no false boxes. The bounds leave a little room, no more.
@pytest.mark.parametrize("index", range(3))
def test_group_photo_recall(group_photos, index):
    photo = group_photos[index]
    found = as_tuples(detect_faces(photo.image))
    assert recall(photo.faces, found, min_height=60) >= 0.95
    assert recall(photo.faces, found) >= 0.8
    false_boxes = len(found) - sum(matched(photo.faces, found))
    assert false_boxes <= 1


def test_twelve_megapixel_recall(twelve_megapixels):
    # At 12 MP the 40 and 50 px faces shrink below the detector's 20 px window: those are missed,
    # everything from 60 px up is found (measured 1.00; 0.82 over all sizes).
    photo = twelve_megapixels
    found = as_tuples(detect_faces(photo.image))
    assert recall(photo.faces, found, min_height=60) >= 0.95
    assert recall(photo.faces, found, min_height=100) == 1.0
    assert recall(photo.faces, found) >= 0.75
    assert len(found) - sum(matched(photo.faces, found)) <= 1


def test_faces_on_a_plain_background_are_found():
    photo = group_photo(background="plain", seed=5)
    found = as_tuples(detect_faces(photo.image))
    assert recall(photo.faces, found, min_height=60) >= 0.95


def test_slightly_tilted_and_darker_faces_are_found():
    # Heads tilted up to ±15° (measured 0.94–1.00 for faces ≥ 60 px over four seeds), and faces
    # down to 30 % brightness (measured 1.00).
    tilted = group_photo(seed=1, max_tilt=15)
    assert recall(tilted.faces, as_tuples(detect_faces(tilted.image)), min_height=60) >= 0.9
    dark = group_photo(seed=1, darkest=0.3)
    assert recall(dark.faces, as_tuples(detect_faces(dark.image)), min_height=60) >= 0.95


def test_faces_in_profile_are_mostly_found():
    # The profile cascade is the weak part: over these four photos it finds 14 of the 16 profile
    # faces from 120 px up (0.5 to 1.0 per photo) and none of 90 px.
    hits = total = 0
    for seed in range(4):
        photo = group_photo((2400, 1600), (90, 120, 160, 220, 300), seed=seed, source=PROFILE)
        found = as_tuples(detect_faces(photo.image))
        hit = matched(photo.faces, found)
        assert len(found) == sum(hit)  # no false boxes
        tall = [h for face, h in zip(photo.faces, hit, strict=True) if face[3] >= 120]
        hits, total = hits + sum(tall), total + len(tall)
    assert hits / total >= 0.75


def test_the_portrait_has_one_face_where_it_is():
    found = detect_faces(face_portrait())
    assert len(found) == 1
    assert iou(as_tuples(found)[0], PORTRAIT_FACE) >= 0.6
    assert found[0].score is not None and found[0].score > 0


@pytest.mark.parametrize("mirrored", [False, True])
def test_a_face_in_profile_is_found(mirrored):
    photo = Image.open(sample_image_path("camera.png"))
    truth = CAMERAMAN_FACE
    if mirrored:
        photo = ImageOps.mirror(photo)
        truth = (photo.width - truth[0] - truth[2], truth[1], truth[2], truth[3])
    found = as_tuples(detect_faces(photo))
    assert len(found) == 1
    assert iou(found[0], truth) >= 0.5


def test_boxes_come_back_in_the_photos_own_pixels():
    # The same portrait at four times the size: the box scales with it.
    portrait = face_portrait()
    big = portrait.resize((2048, 2048), Image.Resampling.LANCZOS)
    found = as_tuples(detect_faces(big))
    assert len(found) == 1
    assert iou(found[0], tuple(v * 4 for v in PORTRAIT_FACE)) >= 0.6


@pytest.mark.parametrize(
    "name, make",
    [
        ("landscape", lambda: landscape_photo((4000, 3000))),
        ("colour noise", lambda: noise_photo((3000, 2000))),
        ("plain colour", lambda: plain_photo((3000, 2000))),
        ("black", lambda: plain_photo((1200, 800), (0, 0, 0))),
        ("textured ground", lambda: textured_background((3000, 2000))),
        ("rocket launch", lambda: Image.open(sample_image_path("rocket.jpg"))),
        ("cup of coffee", lambda: Image.open(sample_image_path("coffee.png"))),
        ("cat", lambda: Image.open(sample_image_path("chelsea.png"))),
        ("motorcycle", lambda: Image.open(sample_image_path("motorcycle_left.png"))),
        ("coins", lambda: Image.open(sample_image_path("coins.png"))),
        ("brick wall", lambda: Image.open(sample_image_path("brick.png"))),
        ("gravel", lambda: Image.open(sample_image_path("gravel.png"))),
        ("star field", lambda: Image.open(sample_image_path("hubble_deep_field.jpg"))),
        ("printed page", lambda: Image.open(sample_image_path("page.png"))),
    ],
)
def test_no_face_in_a_photo_without_people(name, make):
    assert detect_faces(make()) == [], name


def test_boxes_lie_within_the_image():
    # Faces cut off by every edge of the frame.
    portrait = face_portrait()
    for box in ((200, 90, 512, 512), (0, 0, 240, 150), (150, 100, 512, 200), (0, 90, 512, 160)):
        part = portrait.crop(box)
        for found in detect_faces(part):
            assert found.x >= 0 and found.y >= 0
            assert found.width > 0 and found.height > 0
            assert found.right <= part.width and found.bottom <= part.height


def test_results_are_deterministic(group_photos):
    photo = group_photos[0].image
    first = detect_faces(photo)
    assert detect_faces(photo.copy()) == first
    assert detect_faces(photo) == first
    assert first == sorted(first, key=lambda b: (b.y, b.x, b.width, b.height))


def test_concurrent_calls_agree():
    heights = (30, 45, 60, 90, 130, 200)
    photos = [group_photo((1400, 900), heights, seed=seed).image for seed in range(3)]
    expected = [detect_faces(p) for p in photos]
    assert all(expected)
    results: dict[int, list[FaceBox]] = {}

    def work(index: int) -> None:
        results[index] = detect_faces(photos[index % len(photos)])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(6)] == [expected[i % 3] for i in range(6)]


@pytest.mark.parametrize(
    "mode", ["1", "L", "LA", "P", "PA", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "HSV", "I", "F"]
)
def test_every_image_mode_is_read(mode):
    portrait = face_portrait()
    found = as_tuples(detect_faces(portrait.convert(mode)))
    assert len(found) == 1, mode
    assert iou(found[0], PORTRAIT_FACE) >= 0.5


def test_sixteen_bit_gray_is_stretched_not_clipped():
    gray = np.asarray(face_portrait().convert("L"), dtype=np.uint16)
    deep = Image.fromarray(gray * 257)
    assert deep.mode == "I;16"
    found = as_tuples(detect_faces(deep))
    assert len(found) == 1
    assert iou(found[0], PORTRAIT_FACE) >= 0.5


@pytest.mark.parametrize(
    "size", [(0, 0), (1, 1), (19, 19), (20, 20), (100_000, 10), (10, 50_000), (64_000, 30)]
)
def test_tiny_and_thin_images_give_no_faces(size):
    assert detect_faces(Image.new("L", size, 128)) == []


def test_a_huge_image_is_handled():
    huge = Image.new("RGB", (12_000, 9_000), (120, 130, 140))
    huge.paste(face_portrait().resize((3000, 3000)), (4000, 3000))
    found = as_tuples(detect_faces(huge))
    scale = 3000 / 512
    x, y, w, h = (round(v * scale) for v in PORTRAIT_FACE)
    assert len(found) == 1
    assert iou(found[0], (4000 + x, 3000 + y, w, h)) >= 0.5


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mode=st.sampled_from(["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I", "F", "I;16"]),
    width=st.integers(0, 90),
    height=st.integers(0, 90),
    seed=st.integers(0, 2**16),
)
def test_never_crashes_and_boxes_stay_inside(mode, width, height, seed):
    if width and height:
        base = noise_photo((width, height), seed)
        image = base.convert(mode) if mode != "I;16" else base.convert("L").convert("I;16")
    else:
        image = Image.new(mode, (width, height))
    for found in detect_faces(image):
        assert 0 <= found.x < found.right <= width
        assert 0 <= found.y < found.bottom <= height


def test_missing_cascades_raise_rather_than_report_no_faces(monkeypatch, tmp_path):
    # An app packaged without OpenCV's data folder must not pass every photo as faceless.
    monkeypatch.setattr(cv2.data, "haarcascades", str(tmp_path))
    monkeypatch.setattr(faces, "_classifiers", faces._ClassifierPool())
    with pytest.raises(FaceDetectorUnavailable):
        detect_faces(face_portrait())
