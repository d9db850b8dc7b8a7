"""A 12-megapixel phone photo to a prepared upload, against plain Pillow doing the same steps.

The photo (made here: 4000x3000 JPEG with EXIF orientation 6, GPS, camera make and an sRGB
profile) fits Bluesky's 2,000,000 bytes at the start quality, so both sides encode once: open,
turn upright, scale to a 2,048-pixel long side, drop the metadata, keep the colour profile, encode
JPEG at quality 90 and write the file. The pipeline's extra work (checks, metadata report, hash,
atomic write) must cost at most 20 % more.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image, ImageCms, ImageOps
from PIL.TiffImagePlugin import IFDRational

from app.media.prepare import prepare_image
from app.networks.media_limits import limits_for
from bench.measure import Result, median, timings

NETWORK = "bluesky"
SIZE = (4000, 3000)


def make_photo(path: Path) -> None:
    """A photo-like picture: smooth light with fine grain, so the encoder does real work."""
    light = Image.radial_gradient("L").resize(SIZE, Image.Resampling.BILINEAR)
    grain = [Image.effect_noise(SIZE, 30) for _ in range(3)]
    channels = [Image.blend(light, g, 0.5) for g in grain]
    photo = Image.merge("RGB", channels)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "BenchCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (IFDRational(52), IFDRational(22), IFDRational(3141, 100))
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo.save(path, "JPEG", quality=92, exif=exif, icc_profile=icc)


def plain_pillow(source: Path, target: Path) -> None:
    with Image.open(source) as image:
        image.thumbnail((2048, 2048), Image.Resampling.LANCZOS)  # draft mode where it helps
        upright = ImageOps.exif_transpose(image)
        upright.save(
            target,
            "JPEG",
            quality=90,
            optimize=True,
            icc_profile=image.info.get("icc_profile"),
        )


def run(repeat: int = 9) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="postwijs-bench-media-"))
    source = folder / "IMG_0001.jpg"
    make_photo(source)
    out = folder / "prepared"
    plain_target = folder / "plain.jpg"
    limit = limits_for(NETWORK).max_bytes("JPEG")
    prepared = prepare_image(source, NETWORK, out)  # warm the caches, and check the premise
    plain_pillow(source, plain_target)
    if plain_target.stat().st_size > limit or prepared.bytes > limit:
        raise RuntimeError("the benchmark photo no longer fits in one encode")
    ours, theirs = [], []
    for _ in range(repeat):  # interleaved, so a busy moment hits both alike
        ours += timings(lambda: prepare_image(source, NETWORK, out), 1)
        theirs += timings(lambda: plain_pillow(source, plain_target), 1)
    return Result(
        "12 MP photo to a prepared upload",
        median(ours),
        "plain Pillow, same steps",
        median(theirs),
        budget_ratio=1.2,
        note=f"{prepared.width}x{prepared.height}, {prepared.bytes} bytes, one encode",
    )


if __name__ == "__main__":
    print(run().line())
