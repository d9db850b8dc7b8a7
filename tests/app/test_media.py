"""The photo pipeline on real images made here: metadata gone byte for byte, colour profile kept,
upright, within every network's limits, faces blurred for good, bad files refused in Dutch."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import random
import struct
import subprocess
import sys
import zlib
from fractions import Fraction
from pathlib import Path

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageStat, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational

from app.commands.cli import EXIT_FINDING, EXIT_OK, EXIT_USAGE, Options
from app.commands.media import cmd_media_prepare
from app.media.encode import encode_still
from app.media.geometry import plan
from app.media.prepare import (
    MediaError,
    PreparedMedia,
    blur_regions,
    load_image,
    media_kind,
    prepare,
    prepare_image,
)
from app.networks.media_limits import limits_for
from app.networks.profiles import PROFILES

ROOT = Path(__file__).resolve().parents[2]
NETWORKS_WITH_PHOTOS = sorted(n for n, p in PROFILES.items() if p.max_images > 0)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
CAMERA = "PostwijsTestCam"
SERIAL = "SN-7781-PW"
# GPS latitude 52° 22' 31.41593" N and longitude 4° 53' 27.1829" E as EXIF rationals.
LATITUDE = (IFDRational(52, 1), IFDRational(22, 1), IFDRational(3141593, 100000))
LONGITUDE = (IFDRational(4, 1), IFDRational(53, 1), IFDRational(271829, 10000))
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
    b'photoshop:City="Zwolle-XMP-stad"/></rdf:RDF></x:xmpmeta>'
)
COMMENT = b"Schoolreis groep 7 met Jan de Vries"
IPTC_CAPTION = b"IPTC-bijschrift: Pieter op het schoolplein"


# Making images


def picture(size=(640, 480), mode="RGB") -> Image.Image:
    """A photo-like picture: smooth light with some grain, and a red mark in the top-left corner."""
    light = Image.radial_gradient("L").resize(size)
    grain = Image.effect_noise(size, 20)
    base = Image.merge("RGB", [Image.blend(light, grain, 0.3)] * 3)
    mark = (size[0] // 8, size[1] // 8)
    base.paste((255, 0, 0), (0, 0, *mark))
    return base.convert(mode) if mode != "RGB" else base


def noise(size, seed: int = 7) -> Image.Image:
    """Uniform random pixels, incompressible: every network's byte limit has to hold for this."""
    return Image.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = CAMERA
    exif[0x0110] = "Model 12"
    exif[0x0132] = "2025:06:13 10:15:00"
    exif[0x013B] = "Juf Anna"
    exif[0x0131] = "Bewerk 3.1"
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0xA431] = SERIAL
    exif_ifd[0x9003] = "2025:06:13 10:15:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", LATITUDE, "E", LONGITUDE
    return exif


def app13_iptc() -> bytes:
    """A Photoshop APP13 segment with an IPTC caption (record 2, dataset 120)."""
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(IPTC_CAPTION)) + IPTC_CAPTION
    resource_block = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    body = b"Photoshop 3.0\x00" + resource_block
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def jpeg_with_everything(path: Path, image: Image.Image | None = None, orientation=1) -> Path:
    image = image or picture()
    image.save(
        path,
        "JPEG",
        quality=92,
        exif=camera_exif(orientation),
        icc_profile=SRGB,
        xmp=XMP,
        comment=COMMENT,
        extra=app13_iptc(),
    )
    return path


def gps_fingerprints() -> list[bytes]:
    """The GPS pointer entry and the coordinate rationals, in both byte orders EXIF allows."""
    found = []
    for order in (">", "<"):
        found.append(struct.pack(order + "HHI", 0x8825, 4, 1))  # GPS IFD pointer tag, LONG, 1
        found.append(struct.pack(order + "II", 3141593, 100000))
        found.append(struct.pack(order + "II", 271829, 10000))
    return found


def secrets() -> list[bytes]:
    return [
        b"Exif\x00\x00",
        CAMERA.encode(),
        SERIAL.encode(),
        b"Juf Anna",
        b"2025:06:13",
        b"Zwolle-XMP-stad",
        b"http://ns.adobe.com/xap",
        COMMENT,
        IPTC_CAPTION,
        b"Photoshop 3.0",
    ]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def opened(prepared: PreparedMedia) -> Image.Image:
    with Image.open(prepared.path) as image:
        image.load()
        return image


# Metadata


def test_every_piece_of_metadata_is_gone_byte_for_byte(tmp_path):
    source = jpeg_with_everything(tmp_path / "IMG_0001.jpg")
    original = source.read_bytes()
    # The fingerprints are really in the source, so the test can fail.
    assert all(fingerprint in original for fingerprint in gps_fingerprints()[:3])
    assert all(secret in original for secret in secrets())

    prepared = prepare_image(source, "bluesky", tmp_path / "out")

    data = Path(prepared.path).read_bytes()
    for fingerprint in gps_fingerprints() + secrets():
        assert fingerprint not in data, fingerprint
    with Image.open(prepared.path) as image:
        assert not image.getexif()
        assert set(image.info) <= {
            "jfif",
            "jfif_version",
            "jfif_unit",
            "jfif_density",
            "dpi",
            "icc_profile",
        }
        assert [marker for marker, _ in image.applist] == ["APP0", "APP2"]  # JFIF and ICC only


def test_what_was_removed_is_told_in_dutch(tmp_path):
    prepared = prepare_image(jpeg_with_everything(tmp_path / "a.jpg"), "x", tmp_path / "out")
    assert prepared.removed[0] == "locatie (GPS)"
    for text in (
        "cameramerk en -model",
        "datum en tijd van de opname",
        "naam van de maker of eigenaar",
        "serienummer van camera of lens",
        "gebruikte software",
        "XMP-gegevens (zoals bewerkingsgeschiedenis)",
        "IPTC-gegevens (zoals bijschrift, trefwoorden en maker)",
        "opmerking in het bestand",
    ):
        assert text in prepared.removed


def test_a_clean_photo_reports_nothing_removed(tmp_path):
    source = tmp_path / "clean.png"
    picture().save(source)
    prepared = prepare_image(source, "x", tmp_path / "out")
    assert prepared.removed == ()
    assert prepared.format == "JPEG"


def test_colour_profile_is_kept_and_not_invented(tmp_path):
    with_profile = prepare_image(jpeg_with_everything(tmp_path / "a.jpg"), "x", tmp_path / "out")
    assert opened(with_profile).info.get("icc_profile") == SRGB
    source = tmp_path / "plain.jpg"
    picture().save(source, quality=90)
    without = prepare_image(source, "x", tmp_path / "out")
    assert "icc_profile" not in opened(without).info


def test_png_text_chunks_and_exif_are_gone(tmp_path):
    source = tmp_path / "screenshot.png"
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Meester Kees Tekstveld")
    text.add_itxt("Comment", "Adres: Dorpsstraat 12 Tekstveld")
    text.add_text("XML:com.adobe.xmp", XMP.decode())
    picture().save(source, pnginfo=text, exif=camera_exif())
    assert b"Tekstveld" in source.read_bytes()
    prepared = prepare_image(source, "mastodon", tmp_path / "out")
    data = Path(prepared.path).read_bytes()
    for secret in (b"Tekstveld", CAMERA.encode(), b"Zwolle-XMP-stad", *gps_fingerprints()):
        assert secret not in data
    assert "tekstvelden in het PNG-bestand" in prepared.removed
    assert "locatie (GPS)" in prepared.removed


def test_webp_metadata_is_gone(tmp_path):
    source = tmp_path / "a.webp"
    picture().save(source, exif=camera_exif(), xmp=XMP, icc_profile=SRGB)
    prepared = prepare_image(source, "facebook", tmp_path / "out")
    data = Path(prepared.path).read_bytes()
    assert CAMERA.encode() not in data and b"Zwolle-XMP-stad" not in data
    assert prepared.format == "JPEG"
    assert opened(prepared).info.get("icc_profile") == SRGB


def test_the_original_is_never_changed(tmp_path):
    source = jpeg_with_everything(tmp_path / "IMG_0002.jpg", orientation=6)
    before, stat = source.read_bytes(), source.stat()
    for network in NETWORKS_WITH_PHOTOS:
        prepare_image(source, network, tmp_path / "out", blur_boxes=[(10, 10, 50, 50)])
    assert source.read_bytes() == before
    assert source.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["IMG_0002.jpg", "out"]


def test_the_copy_is_named_without_the_original_name(tmp_path):
    source = tmp_path / "Jan de Vries verjaardag.jpg"
    picture().save(source)
    prepared = prepare_image(source, "x", tmp_path / "out")
    name = Path(prepared.path).name
    assert "Jan" not in name and name.startswith("x-") and name.endswith(".jpg")
    assert prepared.sha256 == sha(Path(prepared.path))
    assert prepared.bytes == Path(prepared.path).stat().st_size


# Orientation


@pytest.mark.parametrize(
    ("orientation", "upright_size", "mark_corner"),
    [
        (1, (600, 400), (0, 0)),
        (3, (600, 400), (1, 1)),
        (6, (400, 600), (1, 0)),  # turned a quarter clockwise: the top-left mark goes top-right
        (8, (400, 600), (0, 1)),
    ],
)
def test_orientation_is_applied(tmp_path, orientation, upright_size, mark_corner):
    source = tmp_path / "a.jpg"
    picture((600, 400)).save(source, exif=camera_exif(orientation), quality=95)
    prepared = prepare_image(source, "x", tmp_path / "out")
    image = opened(prepared)
    assert image.size == upright_size
    x = 5 if mark_corner[0] == 0 else image.width - 6
    y = 5 if mark_corner[1] == 0 else image.height - 6
    red, green, blue = image.getpixel((x, y))
    assert red > 200 and green < 60 and blue < 60
    assert ("rechtop gezet" in prepared.changes) == (orientation != 1)


def test_load_image_gives_the_upright_picture_and_what_it_carried(tmp_path):
    source = jpeg_with_everything(tmp_path / "a.jpg", picture((600, 400)), orientation=6)
    loaded = load_image(source)
    assert loaded.image.size == loaded.original_size == (400, 600)
    assert loaded.icc_profile == SRGB
    assert "locatie (GPS)" in loaded.found
    assert loaded.image.info == {}
    smaller = load_image(source, size_for=lambda size: (size[0] // 4, size[1] // 4))
    assert smaller.image.size == (100, 150) and smaller.scale == 0.25


# Limits per network


@pytest.mark.parametrize("network", NETWORKS_WITH_PHOTOS)
def test_each_network_byte_limit_is_met_even_for_noise(tmp_path, network):
    source = tmp_path / "noise.png"
    noise((2600, 1900)).save(source, compress_level=1)
    limits = limits_for(network)
    prepared = prepare_image(source, network, tmp_path / "out")
    assert prepared.bytes <= limits.max_bytes(prepared.format)
    assert Path(prepared.path).stat().st_size == prepared.bytes
    assert max(prepared.width, prepared.height) <= limits.long_side
    if limits.max_pixels:
        assert prepared.width * prepared.height <= limits.max_pixels
    assert prepared.format in limits.formats


def test_bluesky_noise_needs_quality_steps_and_a_smaller_size(tmp_path):
    source = tmp_path / "noise.png"
    noise((2048, 2048)).save(source, compress_level=1)  # no downscale to soften the noise
    prepared = prepare_image(source, "bluesky", tmp_path / "out")
    assert prepared.bytes <= 2_000_000
    assert max(prepared.width, prepared.height) < 2048  # quality alone was not enough
    assert "opgeslagen als JPEG (kwaliteit 70)" in prepared.changes


def test_one_encode_when_it_fits_then_quality_before_size():
    calls = []

    def render(side):
        calls.append(side)
        return picture((side, side * 3 // 4))

    fits = encode_still(render, 1024, "JPEG", 16_000_000, None)
    assert (fits.encodes, fits.quality, calls) == (1, 90, [1024])

    calls.clear()
    noisy = noise((1024, 768))
    tight = encode_still(
        lambda side: noisy.resize((side, side * 3 // 4)), 1024, "JPEG", 300_000, None
    )
    assert tight.encodes > 5  # all five qualities, then smaller
    assert tight.quality == 70 and tight.size[0] < 1024
    assert len(tight.data) <= 300_000


def test_long_side_is_2048_by_default(tmp_path):
    source = tmp_path / "big.jpg"
    picture((4000, 3000)).save(source, quality=85)
    prepared = prepare_image(source, "mastodon", tmp_path / "out")
    assert (prepared.width, prepared.height) == (2048, 1536)
    assert "verkleind van 4000×3000 naar 2048×1536 beeldpunten" in prepared.changes


@pytest.mark.parametrize(
    ("size", "expected_aspect", "padded_edges"),
    [
        ((400, 1000), Fraction(4, 5), "left-right"),  # too tall: white bands left and right
        ((3000, 1000), Fraction(191, 100), "top-bottom"),  # too wide: bands above and below
        ((1200, 1000), Fraction(6, 5), None),  # within range: untouched
    ],
)
def test_instagram_pads_to_its_aspect_range(tmp_path, size, expected_aspect, padded_edges):
    source = tmp_path / "a.png"
    Image.new("RGB", size, (20, 90, 160)).save(source)
    prepared = prepare_image(source, "instagram", tmp_path / "out")
    image = opened(prepared)
    aspect = Fraction(image.width, image.height)
    assert Fraction(4, 5) <= aspect <= Fraction(191, 100)
    assert abs(float(aspect) - float(expected_aspect)) < 0.01
    assert 320 <= image.width <= 1440 and prepared.format == "JPEG"
    centre = image.getpixel((image.width // 2, image.height // 2))
    assert abs(centre[2] - 160) < 12  # the picture itself is not cropped away
    edge = image.getpixel(
        (1, image.height // 2) if padded_edges == "left-right" else (image.width // 2, 1)
    )
    if padded_edges:
        assert min(edge) > 240  # white padding
        assert any("witte randen" in change for change in prepared.changes)
    else:
        assert abs(edge[2] - 160) < 12


@pytest.mark.parametrize(
    ("size", "expected"),
    [((100, 100), (320, 320)), ((4000, 5000), (1440, 1800)), ((5000, 1000), (1440, 754))],
)
def test_instagram_width_stays_between_320_and_1440(size, expected):
    geometry = plan(*size, limits_for("instagram"), 2048)
    assert geometry.canvas == expected


def test_instagram_flattens_transparency_to_white(tmp_path):
    source = tmp_path / "logo.png"
    logo = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    logo.paste((200, 0, 0, 255), (300, 300, 500, 500))
    logo.save(source)
    on_instagram = prepare_image(source, "instagram", tmp_path / "out")
    assert on_instagram.format == "JPEG"
    assert min(opened(on_instagram).getpixel((10, 10))) > 240
    on_mastodon = prepare_image(source, "mastodon", tmp_path / "out")
    assert on_mastodon.format == "PNG" and opened(on_mastodon).getpixel((10, 10))[3] == 0


def test_youtube_takes_no_photos_and_an_unknown_network_is_named(tmp_path):
    source = tmp_path / "a.jpg"
    picture().save(source)
    with pytest.raises(MediaError, match="Kies een video voor YouTube"):
        prepare_image(source, "youtube", tmp_path / "out")
    with pytest.raises(MediaError, match=r"Kies een van deze netwerken: .*bluesky"):
        prepare_image(source, "myspace", tmp_path / "out")


# Blur


def face_photo(size=(800, 600), box=(300, 200, 160, 200)) -> Image.Image:
    image = picture(size)
    x, y, width, height = box
    image.paste(noise((width, height)), (x, y))
    return image


def region_stats(image: Image.Image, box) -> tuple[float, float]:
    x, y, width, height = box
    region = image.convert("L").crop((x, y, x + width, y + height))
    stat = ImageStat.Stat(region)
    return stat.stddev[0], stat.mean[0]


def correlation(a: Image.Image, b: Image.Image) -> float:
    pixels_a, pixels_b = a.convert("L").tobytes(), b.convert("L").tobytes()
    mean_a, mean_b = sum(pixels_a) / len(pixels_a), sum(pixels_b) / len(pixels_b)
    cov = sum((p - mean_a) * (q - mean_b) for p, q in zip(pixels_a, pixels_b, strict=True))
    var_a = sum((p - mean_a) ** 2 for p in pixels_a)
    var_b = sum((q - mean_b) ** 2 for q in pixels_b)
    return cov / math.sqrt(var_a * var_b) if var_a and var_b else 0.0


def test_blur_regions_destroys_the_detail_and_leaves_the_rest():
    box = (300, 200, 160, 200)
    image = face_photo(box=box)
    blurred = blur_regions(image, [box])
    x, y, width, height = box
    before = image.crop((x, y, x + width, y + height))
    after = blurred.crop((x, y, x + width, y + height))
    assert region_stats(image, box)[0] > 40  # the "face" had detail
    assert region_stats(blurred, box)[0] < 25
    assert abs(correlation(before, after)) < 0.15  # nothing of the pattern survives
    assert image.getpixel((x, y)) != blurred.getpixel((x, y))  # the input is not changed...
    assert blur_regions(image, []).tobytes() == image.tobytes()
    far = (0, 500, 100, 600)
    assert blurred.crop(far).tobytes() == image.crop(far).tobytes()  # ...nor the rest


def test_blur_cannot_be_undone_by_sharpening():
    from PIL import ImageFilter

    box = (100, 100, 120, 150)
    image = face_photo((400, 400), box)
    sharpened = blur_regions(image, [box]).filter(ImageFilter.UnsharpMask(radius=4, percent=500))
    x, y, width, height = box
    before = image.crop((x, y, x + width, y + height))
    assert abs(correlation(before, sharpened.crop((x, y, x + width, y + height)))) < 0.15


def test_prepare_blurs_boxes_given_on_the_upright_photo(tmp_path):
    box = (40, 380, 200, 180)  # bottom-left of the upright 400x600 photo
    upright = face_photo((400, 600), box)
    source = tmp_path / "a.jpg"
    # Stored a quarter turn back, with orientation 6: a viewer shows `upright`.
    upright.transpose(Image.Transpose.ROTATE_90).save(source, exif=camera_exif(6), quality=95)
    prepared = prepare_image(source, "x", tmp_path / "out", blur_boxes=[box])
    image = opened(prepared)
    assert image.size == (400, 600)
    assert region_stats(image, box)[0] < 25
    assert region_stats(upright, box)[0] > 40
    assert "1 gezicht onherkenbaar gemaakt" in prepared.changes


def test_blur_boxes_scale_with_a_downscaled_photo(tmp_path):
    box = (1200, 800, 600, 700)
    source = tmp_path / "big.jpg"
    face_photo((4000, 3000), box).save(source, quality=90)
    prepared = prepare_image(source, "mastodon", tmp_path / "out", blur_boxes=[box])
    image = opened(prepared)
    scale = image.width / 4000
    scaled = tuple(round(v * scale) for v in box)
    assert region_stats(image, scaled)[0] < 25


@pytest.mark.parametrize(
    ("box", "message"),
    [
        ((900, 900, 50, 50), "valt buiten de foto"),
        ((10, 10, 0, 40), "onleesbaar"),
        ((10, 10, float("nan"), 40), "onleesbaar"),
        (("a", 1, 2, 3), "onleesbaar"),
        ((1, 2, 3), "onleesbaar"),
    ],
)
def test_a_wrong_blur_box_is_refused_not_skipped(tmp_path, box, message):
    source = tmp_path / "a.jpg"
    picture((640, 480)).save(source)
    with pytest.raises(MediaError, match=f"Markeer het gezicht opnieuw: .*{message}"):
        prepare_image(source, "x", tmp_path / "out", blur_boxes=[box])
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# Formats and bad files


def test_heic_from_an_iphone_becomes_an_upright_jpeg_without_metadata(tmp_path):
    source = tmp_path / "IMG_0003.HEIC"
    heif = pillow_heif.from_pillow(picture((600, 400)))
    heif.info["exif"] = camera_exif(6).tobytes()
    heif.info["xmp"] = XMP
    heif.info["icc_profile"] = SRGB
    heif.save(source, quality=90)
    assert media_kind(source) == "image"
    assert CAMERA.encode() in source.read_bytes()
    prepared = prepare_image(source, "instagram", tmp_path / "out")
    data = Path(prepared.path).read_bytes()
    assert CAMERA.encode() not in data and b"Zwolle-XMP-stad" not in data
    assert not any(fingerprint in data for fingerprint in gps_fingerprints())
    assert prepared.format == "JPEG" and "omgezet van HEIC" in prepared.changes
    assert "locatie (GPS)" in prepared.removed
    image = opened(prepared)
    assert image.height > image.width  # turned upright once, not twice
    assert image.info.get("icc_profile") == SRGB


def test_a_png_named_jpg_just_works(tmp_path):
    source = tmp_path / "photo.jpg"
    picture().save(source, "PNG")
    prepared = prepare_image(source, "bluesky", tmp_path / "out")
    assert prepared.format == "JPEG" and (prepared.width, prepared.height) == (640, 480)


def test_cmyk_jpeg_is_converted_to_rgb(tmp_path):
    source = tmp_path / "drukwerk.jpg"
    Image.new("CMYK", (300, 200), (255, 0, 0, 0)).save(source, quality=95)  # pure cyan
    prepared = prepare_image(source, "facebook", tmp_path / "out")
    image = opened(prepared)
    assert image.mode == "RGB" and "icc_profile" not in image.info
    red, green, blue = image.getpixel((150, 100))
    assert red < 30 and green > 225 and blue > 225
    assert "kleuren omgezet van CMYK (drukwerk) naar RGB (scherm)" in prepared.changes


def test_sixteen_bit_png_is_scaled_not_clipped(tmp_path):
    source = tmp_path / "scan.png"
    grey = Image.new("I;16", (200, 100), 32768)
    grey.save(source)
    with Image.open(source) as stored:
        assert stored.mode == "I;16"
    prepared = prepare_image(source, "x", tmp_path / "out")
    value = opened(prepared).getpixel((100, 50))
    assert 120 <= value <= 135  # half of 16 bits is half of 8 bits, not white
    assert "omgezet van 16 naar 8 bits per kleur" in prepared.changes


def animated_gif(path: Path, frames: int = 6) -> Path:
    images = []
    for index in range(frames):
        frame = Image.new("RGB", (200, 150), (index * 40, 120, 200 - index * 30))
        frame.paste((255, 255, 0), (index * 20, 50, index * 20 + 40, 90))
        images.append(frame.convert("P"))
    images[0].save(
        path, save_all=True, append_images=images[1:], duration=120, loop=0, comment=COMMENT
    )
    return path


@pytest.mark.parametrize(
    ("network", "format", "frames"),
    [
        ("x", "GIF", 6),
        ("mastodon", "GIF", 6),
        ("practice", "GIF", 6),
        ("bluesky", "JPEG", 1),  # a GIF in a Bluesky image embed shows as a still anyway
        ("instagram", "JPEG", 1),  # JPEG only
    ],
)
def test_animated_gif_stays_animated_only_where_the_network_takes_it(
    tmp_path, network, format, frames
):
    source = animated_gif(tmp_path / "feest.gif")
    assert COMMENT in source.read_bytes()
    prepared = prepare_image(source, network, tmp_path / "out")
    assert prepared.format == format
    assert COMMENT not in Path(prepared.path).read_bytes()
    with Image.open(prepared.path) as image:
        assert getattr(image, "n_frames", 1) == frames
    expected = "animatie behouden" if frames > 1 else "alleen het eerste beeld van de animatie"
    assert expected in prepared.changes


def test_animated_gif_with_a_face_to_blur_goes_out_as_a_still(tmp_path):
    source = animated_gif(tmp_path / "feest.gif")
    prepared = prepare_image(source, "x", tmp_path / "out", blur_boxes=[(10, 10, 60, 60)])
    assert prepared.format == "JPEG"


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size and has (almost) no pixels: the classic decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def good_jpeg() -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def good_png() -> bytes:
    buffer = io.BytesIO()
    picture().save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leeg.jpg", b"", "Kies een ander bestand: leeg.jpg is leeg."),
        (
            "tekst.jpg",
            b"Dit is geen foto maar een boodschappenlijst.",
            "Kies een foto (JPEG, PNG, WebP, GIF of HEIC) of een mp4-video: tekst.jpg is geen van beide",
        ),
        (
            "half.jpg",
            good_jpeg()[:4000],
            "Kopieer de foto opnieuw van je telefoon of camera: half.jpg is niet helemaal compleet.",
        ),
        (
            "kop.jpg",
            good_jpeg()[:300],
            "Kopieer de foto opnieuw van je telefoon of camera: kop.jpg is niet helemaal compleet.",
        ),
        (
            "half.png",
            good_png()[:5000],
            "Kopieer de foto opnieuw van je telefoon of camera: half.png is niet helemaal compleet.",
        ),
        (
            "bom.png",
            png_header_only(30_000, 30_000),
            "Kies een kleinere foto: bom.png heeft zoveel beeldpunten",
        ),
        (
            "kapot.png",
            good_png()[:20] + b"\xff" + good_png()[21:],
            "is geen van beide, of is beschadigd",
        ),
        ("oud.bmp", b"BM" + b"\x00" * 60, "Kies een foto (JPEG, PNG, WebP, GIF of HEIC)"),
    ],
)
def test_bad_files_are_refused_in_dutch(tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(MediaError) as refused:
        prepare_image(source, "x", tmp_path / "out")
    assert message in str(refused.value)
    assert source.read_bytes() == content


def test_a_real_bmp_is_refused_with_what_to_do(tmp_path):
    source = tmp_path / "paint.bmp"
    picture().save(source, "BMP")
    with pytest.raises(MediaError, match=r"^Kies een foto \(JPEG, PNG, WebP, GIF of HEIC\)"):
        prepare_image(source, "x", tmp_path / "out")


def test_a_missing_file_and_a_folder_are_refused(tmp_path):
    with pytest.raises(MediaError, match=r"Kies het bestand opnieuw: weg\.jpg bestaat niet"):
        prepare_image(tmp_path / "weg.jpg", "x", tmp_path / "out")
    with pytest.raises(MediaError, match="geen map"):
        prepare_image(tmp_path, "x", tmp_path / "out")


def test_an_unwritable_output_folder_is_refused_in_dutch(tmp_path):
    source = tmp_path / "a.jpg"
    picture().save(source)
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    with pytest.raises(MediaError, match="Kies een andere map voor de kopie"):
        prepare_image(source, "x", blocker / "out")


PANORAMA_CHILD = """
import resource, sys
from app.media.prepare import prepare_image
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
prepared = prepare_image(sys.argv[1], "mastodon", sys.argv[2])
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(prepared.width, prepared.height, (after - before) // 1024)
"""


def test_a_100_megapixel_panorama_is_downscaled_within_memory(tmp_path):
    source = tmp_path / "panorama.jpg"
    light = Image.linear_gradient("L").resize((20_000, 5_000))
    Image.merge("RGB", [light, light.transpose(Image.Transpose.FLIP_LEFT_RIGHT), light]).save(
        source, quality=80
    )
    del light
    # In a fresh process, so the peak memory is this photo's alone. Decoded at full size it
    # would take 300 MB; JPEG draft mode decodes it at a quarter.
    result = subprocess.run(
        [sys.executable, "-c", PANORAMA_CHILD, str(source), str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    width, height, extra_mb = (int(v) for v in result.stdout.split())
    assert (width, height) == (2048, 512)
    assert extra_mb < 120


def test_a_100_megapixel_png_above_pillows_warning_is_prepared(tmp_path):
    # 102 MP: above Pillow's warning (89 MP, an error under this test suite's settings) and below
    # its refusal (179 MP). A real panorama, so it must be prepared.
    source = tmp_path / "panorama.png"
    Image.linear_gradient("L").resize((12_000, 8_500)).save(source, compress_level=1)
    prepared = prepare_image(source, "x", tmp_path / "out")
    assert (prepared.width, prepared.height) == (2048, 1450)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    base=st.sampled_from(["jpeg", "png", "gif"]),
    position=st.floats(min_value=0, max_value=1),
    garbage=st.binary(min_size=1, max_size=64),
    cut=st.booleans(),
)
def test_damaged_files_never_crash(tmp_path, base, position, garbage, cut):
    buffer = io.BytesIO()
    image = picture((64, 48))
    if base == "jpeg":
        image.save(buffer, "JPEG", exif=camera_exif(6))
    elif base == "png":
        image.save(buffer, "PNG")
    else:
        image.convert("P").save(buffer, "GIF", comment=COMMENT)
    data = bytearray(buffer.getvalue())
    at = int(position * (len(data) - 1))
    data = data[:at] if cut else data[:at] + garbage + data[at + len(garbage) :]
    source = tmp_path / f"damaged.{base}"
    source.write_bytes(bytes(data))
    try:
        prepared = prepare_image(source, "bluesky", tmp_path / "out")
    except MediaError as error:
        assert str(error).startswith("Kies") or str(error).startswith("Kopieer")
    else:
        assert prepared.bytes <= 2_000_000
        assert CAMERA.encode() not in Path(prepared.path).read_bytes()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41", "video"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "video"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "image"),
        (b"\xff\xd8\xff\xe0", "image"),
        (b"", "image"),
    ],
)
def test_media_kind_is_read_from_the_content(tmp_path, content, kind):
    path = tmp_path / "bestand.jpg"
    path.write_bytes(content)
    assert media_kind(path) == kind


def test_prepare_sends_a_photo_to_the_photo_pipeline(tmp_path):
    source = tmp_path / "a.jpg"
    picture().save(source)
    assert prepare(source, "x", tmp_path / "out").kind == "image"


# The headless command


def options(json_output: bool) -> Options:
    return Options(data_dir=Path(os.devnull), site_file=None, json=json_output)


def test_command_prints_path_removed_size_and_pixels(tmp_path, capsys):
    source = jpeg_with_everything(tmp_path / "a.jpg")
    code = cmd_media_prepare(options(False), source, "bluesky", tmp_path / "out")
    text = capsys.readouterr().out
    assert code == EXIT_OK
    assert "Klaar voor Bluesky: " in text and str(tmp_path / "out") in text
    assert "Verwijderd: locatie (GPS), cameramerk en -model" in text
    assert "640×480 beeldpunten, JPEG" in text and " kB" in text


def test_command_json_is_machine_readable(tmp_path, capsys):
    source = jpeg_with_everything(tmp_path / "a.jpg")
    code = cmd_media_prepare(options(True), source, "instagram", tmp_path / "out")
    answer = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK and answer["ok"] is True
    assert answer["network"] == "instagram" and answer["format"] == "JPEG"
    assert answer["sha256"] == sha(Path(answer["path"]))
    assert answer["bytes"] == Path(answer["path"]).stat().st_size
    assert "locatie (GPS)" in answer["removed"]
    assert (answer["width"], answer["height"]) == (640, 480)


@pytest.mark.parametrize(
    ("network", "content", "code", "error"),
    [
        ("x", b"geen foto", EXIT_FINDING, "media"),
        ("myspace", None, EXIT_USAGE, "usage"),
        ("youtube", None, EXIT_FINDING, "media"),
    ],
)
def test_command_exit_codes(tmp_path, capsys, network, content, code, error):
    source = tmp_path / "a.jpg"
    if content is None:
        picture().save(source)
    else:
        source.write_bytes(content)
    assert cmd_media_prepare(options(True), source, network, tmp_path / "out") == code
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is False and answer["error"] == error and answer["message"]


def test_command_missing_file_is_a_usage_error(tmp_path, capsys):
    code = cmd_media_prepare(options(False), tmp_path / "weg.jpg", "x", tmp_path / "out")
    assert code == EXIT_USAGE
    assert "Kies een bestaand bestand" in capsys.readouterr().out
