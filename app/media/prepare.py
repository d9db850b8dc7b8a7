"""Photos and videos made safe to post: opened safely, upright, stripped of every piece of metadata
(EXIF with GPS, XMP, IPTC, comments, PNG text) but the colour profile, faces blurred, and fitted
to one network's limits (Uitgangspunten 8: privacy first).

The original is only ever read. What leaves the laptop is the prepared copy that `prepare_image`
or `prepare_video` writes into the folder it is given. Every failure a user can meet is a
MediaError with a Dutch sentence that says what to do.

Choices the caller must know:
- Blur boxes are (x, y, width, height) in pixels of the full-size photo as the user sees it, that
  is after turning it upright (the same as FaceMark.box); the prepared copy is scaled to match.
- The output is JPEG, but PNG where the photo is transparent and the network takes PNG, and GIF
  where an animation is kept (see `_keep_animation`). HEIC/HEIF and WebP become JPEG: not every
  network takes them, and every network takes JPEG.
- A photo with more pixels than Pillow's bomb limit (about 179 million) is refused unopened;
  anything below is decoded reduced where the format allows (JPEG), so a 100-megapixel panorama
  costs little memory.
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import pi_heif
from PIL import Image, ImageCms, ImageSequence, UnidentifiedImageError

from app.i18n import _, ngettext
from app.media.blur import blur_regions, check_boxes, scale_boxes
from app.media.encode import DoesNotFit, Encoded, encode_animation, encode_still
from app.media.geometry import Geometry, pad, plan
from app.media.metadata import found_metadata
from app.media.output import megabytes, write_prepared
from app.media.types import MediaError, PreparedMedia, file_size
from app.networks.media_limits import ANIMATION_LONG_SIDE, MediaLimits, limits_for
from app.networks.profiles import label

__all__ = [
    "LoadedImage",
    "MediaError",
    "PreparedMedia",
    "as_jpeg",
    "blur_regions",
    "load_image",
    "media_kind",
    "prepare",
    "prepare_image",
]

# iPhone photos are HEIC. pi-heif is pillow-heif's decode-only build (a twentieth of its size:
# Postwijs never writes HEIC). Registering is idempotent; thumbnails and depth maps are not decoded.
pi_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# Only these decoders ever see a file: fewer parsers, fewer ways for a crafted file to hurt.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF")
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif"}
MAX_ANIMATION_FRAMES = 300
MAX_ANIMATION_PIXELS = 100_000_000  # all frames together: a bound on the decoding time
# HEIF/AVIF brands in an ISO-BMFF `ftyp` box; other brands (isom, mp42, qt, ...) are video.
_IMAGE_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass
class LoadedImage:
    """A photo as the user sees it: upright, 8 bits per channel (RGB, RGBA or L).

    `original_size` is the full upright size; `image` may be smaller when a size was asked for.
    `found` lists in Dutch the metadata the file carried; `icc_profile` is kept only when it
    matches `image.mode`.
    """

    image: Image.Image
    source_format: str
    original_size: tuple[int, int]
    icc_profile: bytes | None
    found: list[str]
    changes: list[str] = field(default_factory=list)
    frames: int = 1

    @property
    def scale(self) -> float:
        return self.image.width / self.original_size[0]


def media_kind(path: str | os.PathLike) -> str:
    """Whether the file is a "video" (MP4 or MOV, told by its content, not its name) or an
    "image"."""
    try:
        with open(path, "rb") as file:
            head = file.read(64)
    except OSError:
        return "image"  # the image path reports the problem in Dutch
    if head[4:8] != b"ftyp":
        return "image"
    brands = {head[i : i + 4] for i in range(8, min(len(head), 64) - 3, 4)}
    return "image" if brands & _IMAGE_BRANDS else "video"


def load_image(
    path: str | os.PathLike,
    size_for: Callable[[tuple[int, int]], tuple[int, int]] | None = None,
) -> LoadedImage:
    """Opens a photo safely and turns it upright.

    `size_for` gets the full upright size and answers the upright size wanted; the photo is then
    decoded reduced where the format allows (JPEG draft mode) and resized, so a huge photo never
    sits in memory at full size when a small one is wanted. Raises MediaError.
    """
    path = Path(path)
    with _open(path) as source:
        return _decode(source, path, size_for)


def prepare_image(
    path: str | os.PathLike,
    network: str,
    out_dir: str | os.PathLike,
    blur_boxes: Iterable[Sequence[float]] = (),
) -> PreparedMedia:
    """Writes the copy of the photo at `path` that may be posted on `network` into `out_dir`.

    Raises MediaError (Dutch) for a file that cannot be prepared; the original is never written.
    """
    limits = limits_for(network)
    if not limits.images:
        raise MediaError(
            _("Kies een video voor {network}: daar kunnen geen losse foto's op.").format(
                network=label(network)
            )
        )
    boxes = list(blur_boxes)
    path = Path(path)
    with _open(path) as source:
        upright = _upright_size(source)
        check_boxes(boxes, upright)
        if _keep_animation(source, limits, boxes):
            loaded = _decode(source, path, None)  # the first frame, for what the file carried
            encoded = _encode_animation(source, limits, ANIMATION_LONG_SIDE)
            image_format, changes = "GIF", [*loaded.changes, _("animatie behouden")]
        else:
            first = plan(*upright, limits, limits.long_side)
            loaded = _decode(source, path, lambda _size: first.content)
            encoded, image_format, changes = _prepare_still(loaded, boxes, limits)
    if encoded.quality:
        changes.append(
            _("opgeslagen als {format} (kwaliteit {q})").format(
                format=image_format, q=encoded.quality
            )
        )
    else:
        changes.append(_("opgeslagen als {format}").format(format=image_format))
    return _write(encoded, image_format, network, path, out_dir, loaded.found, changes)


def _prepare_still(
    loaded: LoadedImage, boxes: list, limits: MediaLimits
) -> tuple[Encoded, str, list[str]]:
    """Blur, choose the format, fit: the photo as one still picture."""
    changes = list(loaded.changes)
    base = loaded.image
    if boxes:
        base = blur_regions(base, scale_boxes(boxes, loaded.scale))
        changes.append(
            ngettext(
                "{n} gezicht onherkenbaar gemaakt", "{n} gezichten onherkenbaar gemaakt", len(boxes)
            ).format(n=len(boxes))
        )
    image_format = _output_format(base, limits)
    if image_format == "JPEG" and base.mode == "RGBA":
        base = _flatten(base)
        changes.append(_("doorzichtige delen wit gemaakt (JPEG kent geen doorzichtigheid)"))
    upright = loaded.original_size
    encoded = _encode_still(base, upright, limits, image_format, loaded.icc_profile)
    geometry = plan(*upright, limits, limits.long_side)
    changes += _geometry_changes(upright, geometry, encoded, limits.network)
    if loaded.frames > 1:
        changes.append(_("alleen het eerste beeld van de animatie"))
    return encoded, image_format, changes


def prepare(
    path: str | os.PathLike,
    network: str,
    out_dir: str | os.PathLike,
    blur_boxes: Iterable[Sequence[float]] = (),
) -> PreparedMedia:
    """A photo or a video (recognised by its content), prepared for `network`."""
    if media_kind(path) == "video":
        from app.media.video import prepare_video

        if list(blur_boxes):
            raise MediaError(
                _(
                    "Kies een andere video of knip de persoon eruit: Postwijs kan gezichten in"
                    " een video niet vervagen."
                )
            )
        return prepare_video(path, network, out_dir)
    return prepare_image(path, network, out_dir, blur_boxes)


def as_jpeg(
    path: str | os.PathLike, network: str, out_dir: str | os.PathLike, max_bytes: int | None = None
) -> PreparedMedia:
    """The prepared copy at `path` once more as JPEG, which every network takes, for a server
    that announces it does not take the copy's own format (a Mastodon-compatible instance
    without PNG or GIF). Transparency becomes white and an animation its first frame; the size
    stays, smaller only to fit `max_bytes` (the network's own limit when None). Raises
    MediaError; the copy at `path` is only read."""
    limits = limits_for(network)
    if max_bytes:
        limits = replace(limits, image_max_bytes=max_bytes, format_max_bytes={})
    path = Path(path)
    with _open(path) as source:
        loaded = _decode(source, path, None)
    base, changes = loaded.image, []
    if base.mode == "RGBA":
        base = _flatten(base)
        changes.append(_("doorzichtige delen wit gemaakt (JPEG kent geen doorzichtigheid)"))
    if loaded.frames > 1:
        changes.append(_("alleen het eerste beeld van de animatie"))
    long_side = max(base.size)
    encoded = _encode_still(
        base, base.size, replace(limits, long_side=long_side), "JPEG", loaded.icc_profile
    )
    changes.append(
        _("opgeslagen als {format} (kwaliteit {q})").format(format="JPEG", q=encoded.quality)
    )
    return _write(encoded, "JPEG", network, path, out_dir, loaded.found, changes)


# Opening and decoding


def _open(path: Path) -> Image.Image:
    name = path.name
    file_size(path)
    try:
        with warnings.catch_warnings():
            # Between Pillow's warning and its error limit lie real panoramas; they are decoded
            # reduced, so only the error limit refuses.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(path, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise _bomb(name) from None
    except UnidentifiedImageError:
        raise MediaError(
            _(
                "Kies een foto (JPEG, PNG, WebP, GIF of HEIC) of een mp4-video: {name} is geen"
                " van beide, of is beschadigd."
            ).format(name=name)
        ) from None
    except OSError as error:
        raise _damaged(name, error) from None
    except Exception:  # a parser's header check can fail in many ways on a crafted file
        raise _corrupt(name) from None


def _decode(
    source: Image.Image,
    path: Path,
    size_for: Callable[[tuple[int, int]], tuple[int, int]] | None,
) -> LoadedImage:
    name = path.name
    upright = _upright_size(source)
    orientation = _orientation(source)
    wanted = size_for(upright) if size_for else upright
    stored_wanted = (wanted[1], wanted[0]) if orientation in (5, 6, 7, 8) else wanted
    changes: list[str] = []
    try:
        frames = _frame_count(source)
        if source.format == "JPEG" and stored_wanted != source.size:
            # DCT-domain reduction to no less than twice the wanted size: fast, little memory,
            # and the final resize still has enough pixels for a sharp result.
            source.draft(None, (stored_wanted[0] * 2, stored_wanted[1] * 2))
        source.load()
        found = found_metadata(source)
        image, icc, mode_changes = _normalise_mode(source, source.info.get("icc_profile"))
        changes += mode_changes
        if image.size != stored_wanted:
            image = image.resize(stored_wanted, Image.Resampling.LANCZOS, reducing_gap=3.0)
        if orientation in _TRANSPOSE:
            image = image.transpose(_TRANSPOSE[orientation])
            changes.insert(0, _("rechtop gezet"))
    except MediaError:
        raise
    except Image.DecompressionBombError:
        raise _bomb(name) from None
    except OSError as error:
        raise _damaged(name, error) from None
    except MemoryError:
        raise _bomb(name) from None
    except Exception:  # Pillow's decoders raise many kinds of error on damaged data
        raise _corrupt(name) from None
    image.info = {}  # nothing read from the file travels on with the pixels
    if source.format == "HEIF":
        changes.append(_("omgezet van HEIC"))
    return LoadedImage(
        image=image,
        source_format=source.format or "",
        original_size=upright,
        icc_profile=icc,
        found=found,
        changes=changes,
        frames=frames,
    )


def _frame_count(source: Image.Image) -> int:
    return int(getattr(source, "n_frames", 1) or 1)


def _orientation(source: Image.Image) -> int:
    if source.format == "HEIF":
        return 1  # pi-heif has already applied the HEIF rotation and reset EXIF's
    try:
        value = source.getexif().get(_ORIENTATION, 1)
    except Exception:  # an unreadable EXIF block: no orientation to apply
        return 1
    return value if isinstance(value, int) and value in _TRANSPOSE else 1


def _upright_size(source: Image.Image) -> tuple[int, int]:
    width, height = source.size
    return (height, width) if _orientation(source) in (5, 6, 7, 8) else (width, height)


def _normalise_mode(
    image: Image.Image, icc: bytes | None
) -> tuple[Image.Image, bytes | None, list[str]]:
    """8 bits per channel in RGB, RGBA or L, with the colour profile kept only where it fits."""
    changes: list[str] = []
    mode = image.mode
    if mode == "CMYK":
        image, icc = _cmyk_to_rgb(image, icc)
        changes.append(_("kleuren omgezet van CMYK (drukwerk) naar RGB (scherm)"))
    elif mode.startswith("I;16") or mode == "I":
        # 16-bit grey: scale into 8 bits; a plain convert would clip everything above 255 to white.
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
        changes.append(_("omgezet van 16 naar 8 bits per kleur"))
    elif mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        mode == "P" and "transparency" in image.info
    ):
        image = image.convert("RGBA")
    elif mode == "1":
        image = image.convert("L")
    elif mode not in ("RGB", "L"):
        image = image.convert("RGB")
    space = icc[16:20] if icc and len(icc) >= 20 else b""
    expected = b"GRAY" if image.mode == "L" else b"RGB "
    return image, (icc if space == expected else None), changes


def _cmyk_to_rgb(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """With the photo's own CMYK profile where it has one, so colours stay true; the copy then
    carries sRGB's profile. Without one, Pillow's plain conversion and no profile."""
    if icc and icc[16:20] == b"CMYK":
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, source_profile, _SRGB, outputMode="RGB")
            if converted is not None:
                return converted, _SRGB.tobytes()
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to the plain conversion below
    return image.convert("RGB"), None


# Animation


def _keep_animation(source: Image.Image, limits: MediaLimits, boxes: list) -> bool:
    """An animated GIF stays animated where the network takes GIF animations, nothing needs
    blurring (faces were marked on one frame; in other frames they may have moved) and the
    frames are few enough to decode safely. Otherwise its first frame is posted as a photo."""
    if source.format != "GIF" or not limits.animated_gif or "GIF" not in limits.formats or boxes:
        return False
    try:
        frames = _frame_count(source)
    except Exception:  # a damaged frame table: the still path reports or copes
        return False
    pixels = frames * source.width * source.height
    return 1 < frames <= MAX_ANIMATION_FRAMES and pixels <= MAX_ANIMATION_PIXELS


def _encode_animation(source: Image.Image, limits: MediaLimits, long_side: int) -> Encoded:
    name = Path(getattr(source, "filename", "") or "").name

    def resize(frame: Image.Image, side: int) -> Image.Image:
        size = plan(*frame.size, limits, side).content
        return frame if size == frame.size else frame.resize(size, Image.Resampling.LANCZOS)

    try:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(source):
            durations.append(int(frame.info.get("duration", 100) or 100))
            # Scaled as it comes, so only one full-size frame is ever in memory.
            frames.append(resize(frame.convert("RGBA"), long_side))
        loop = int(source.info.get("loop", 0) or 0)
    except Exception:  # a damaged later frame
        raise _corrupt(name) from None

    try:
        return encode_animation(frames, durations, loop, resize, long_side, limits.max_bytes("GIF"))
    except DoesNotFit as error:
        raise _too_large(limits, "GIF", error.smallest) from None


# Encoding and writing


def _output_format(image: Image.Image, limits: MediaLimits) -> str:
    if image.mode == "RGBA" and "PNG" in limits.formats:
        low, _high = cast(tuple[int, int], image.getchannel("A").getextrema())  # one channel
        if low < 255:
            return "PNG"
    return "JPEG"


def _flatten(image: Image.Image) -> Image.Image:
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def _encode_still(
    base: Image.Image,
    upright: tuple[int, int],
    limits: MediaLimits,
    image_format: str,
    icc: bytes | None,
) -> Encoded:
    def render(side: int) -> Image.Image:
        geometry = plan(*upright, limits, side)
        content = base
        if content.size != geometry.content:
            content = base.resize(geometry.content, Image.Resampling.LANCZOS, reducing_gap=3.0)
        return pad(content, geometry.canvas)

    try:
        return encode_still(
            render, limits.long_side, image_format, limits.max_bytes(image_format), icc
        )
    except DoesNotFit as error:
        raise _too_large(limits, image_format, error.smallest) from None


def _geometry_changes(
    upright: tuple[int, int], geometry: Geometry, encoded: Encoded, network: str
) -> list[str]:
    changes = []
    width, height = encoded.size
    if geometry.padded:
        changes.append(
            _("aangevuld met witte randen tot een verhouding die {network} toestaat").format(
                network=label(network)
            )
        )
    content_w = geometry.content[0] * width / geometry.canvas[0]
    if content_w < upright[0]:
        changes.append(
            _("verkleind van {w}×{h} naar {nw}×{nh} beeldpunten").format(
                w=upright[0], h=upright[1], nw=width, nh=height
            )
        )
    elif content_w > upright[0]:
        changes.append(
            _("vergroot naar {nw}×{nh} beeldpunten: zo klein neemt {network} niet").format(
                nw=width, nh=height, network=label(network)
            )
        )
    return changes


def _write(
    encoded: Encoded,
    image_format: str,
    network: str,
    original: Path,
    out_dir: str | os.PathLike,
    found: list[str],
    changes: list[str],
) -> PreparedMedia:
    digest = hashlib.sha256(encoded.data).hexdigest()
    target = write_prepared(
        encoded.data, Path(out_dir), network, digest, EXTENSIONS[image_format], original
    )
    width, height = encoded.size
    return PreparedMedia(
        path=str(target),
        network=network,
        kind="image",
        format=image_format,
        mime_type=MIME_TYPES[image_format],
        width=width,
        height=height,
        bytes=len(encoded.data),
        sha256=digest,
        removed=tuple(found),
        changes=tuple(changes),
    )


# Messages


def _unreadable(name: str, error: OSError) -> MediaError:
    return MediaError(
        _("Kies een ander bestand: {name} kan niet worden gelezen ({reason}).").format(
            name=name, reason=error.strerror or error
        )
    )


def _damaged(name: str, error: OSError) -> MediaError:
    """Pillow reports damaged data as an OSError without an errno; a real one is the disk's."""
    if error.errno is not None:
        return _unreadable(name, error)
    text = str(error).lower()
    if "truncated" in text or "broken data stream" in text:
        return MediaError(
            _(
                "Kopieer de foto opnieuw van je telefoon of camera: {name} is niet"
                " helemaal compleet."
            ).format(name=name)
        )
    return _corrupt(name)


def _corrupt(name: str) -> MediaError:
    return MediaError(
        _(
            "Kies een andere foto: {name} is beschadigd en kan niet worden geopend. Sla hem"
            " zo nodig opnieuw op vanaf je telefoon of camera."
        ).format(name=name)
    )


def _bomb(name: str) -> MediaError:
    return MediaError(
        _(
            "Kies een kleinere foto: {name} heeft zoveel beeldpunten dat openen de computer"
            " zou kunnen laten vastlopen."
        ).format(name=name)
    )


def _too_large(limits: MediaLimits, image_format: str, smallest: int) -> MediaError:
    return MediaError(
        _(
            "Kies een eenvoudigere foto of een ander netwerk: deze past zelfs verkleind niet"
            " binnen {limit} voor {network} (kleinste poging {size})."
        ).format(
            limit=megabytes(limits.max_bytes(image_format)),
            network=label(limits.network),
            size=megabytes(smallest),
        )
    )
