"""Videos made safe to post: location, device, dates and every other tag removed.

The container is rewritten, the coded picture and sound are copied as they are (app.media.mp4):
only the first picture track and the first sound track go into a fresh MP4, with no metadata, no
data tracks (iPhone location and motion), no subtitles or chapters, and the times in its headers
set to 0. No program is started and nothing is decoded, so a crafted file cannot make a decoder
fetch URLs or read other files. The result is read back and checked: if anything but technical
boxes remains, the video is refused with a Dutch reason; it never goes out unchecked.

What Postwijs no longer does is re-encode (that needed a 170 MB ffmpeg in every package): a video
in another codec or larger than a network takes (X: H.264 at most 1280x1024) is refused, with
what to do on the phone to record one that fits.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import N_, _
from app.media import mp4
from app.media.output import folder_error, megabytes, prepared_path
from app.media.types import MediaError, PreparedMedia, file_size
from app.networks.media_limits import MediaLimits, limits_for
from app.networks.profiles import label

if TYPE_CHECKING:
    from PIL import Image

# What a fresh MP4 may still say about itself (kept for the check after copying): nothing.
TECHNICAL_TAGS: frozenset[str] = frozenset()

LOCATION = N_("locatie (GPS)")
DEVICE = N_("toestel (merk en model)")
TAKEN_AT = N_("datum en tijd van de opname")
SOFTWARE = N_("gebruikte software")
DESCRIPTION = N_("titel, beschrijving of maker")
OTHER = N_("overige gegevens")
DATA_TRACKS = N_("gegevenssporen (zoals locatie of bewegingssensoren)")
SUBTITLES = N_("ondertitels")
CHAPTERS = N_("hoofdstukken")

_KEY_GROUPS = (
    (("location", "©xyz", "iso6709", "gps"), LOCATION),
    (("make", "model", "manufacturer"), DEVICE),
    (("creation_time", "creationdate", "date"), TAKEN_AT),
    (("software", "encoder"), SOFTWARE),
    (("title", "comment", "description", "artist", "author", "copyright", "album"), DESCRIPTION),
)


@dataclass(frozen=True)
class Probe:
    """What a file says about itself: its tags, tracks, picture size and length."""

    tags: dict[str, str]
    video_codec: str
    audio_codec: str
    size: tuple[int, int]
    duration_s: float | None
    data_tracks: int
    subtitles: int
    chapters: int


def prepare_video(
    path: str | os.PathLike, network: str, out_dir: str | os.PathLike
) -> PreparedMedia:
    """Writes an MP4 copy of the video at `path`, without metadata, for `network` into `out_dir`.

    Raises MediaError (Dutch).
    """
    limits = limits_for(network)
    source = Path(path)
    name = source.name
    if not limits.video:
        raise MediaError(
            _(
                "Kies een foto of een ander netwerk: {network} neemt via Postwijs geen video."
            ).format(network=label(network))
        )
    size = file_size(source)
    if limits.video_max_bytes is not None and size > limits.video_max_bytes + 64_000_000:
        raise _too_big(limits, size)  # leaving out the metadata will not save this one
    before, movie = _read(source)
    if not before.video_codec:
        raise MediaError(
            _("Kies een video met beeld: in {name} vindt Postwijs geen beeld.").format(name=name)
        )
    _check_duration(before, limits)
    if _needs_encode(before, limits):
        raise _does_not_fit(before, limits)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, name_of_temporary = tempfile.mkstemp(dir=out, prefix=".postwijs-", suffix=".mp4")
        os.close(handle)
    except OSError as error:
        raise folder_error(out, error) from None
    temporary = Path(name_of_temporary)
    try:
        try:
            with source.open("rb") as reading, temporary.open("wb") as writing:
                mp4.copy_without_metadata(reading, movie, writing)
        except mp4.Mp4Error:
            raise _failed(name) from None
        after, _movie = _read(temporary, name)
        if after.tags or after.data_tracks or after.subtitles or after.chapters:
            raise _failed(name)
        if not after.video_codec or after.size != before.size:
            raise _failed(name)
        size = temporary.stat().st_size
        if limits.video_max_bytes is not None and size > limits.video_max_bytes:
            raise _too_big(limits, size)
        with temporary.open("rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        target = prepared_path(out, network, digest, ".mp4")
        if target.resolve() != source.resolve():  # never over the original, even when equal
            os.replace(temporary, target)
    except OSError as error:
        raise folder_error(out, error) from None
    finally:
        temporary.unlink(missing_ok=True)
    return PreparedMedia(
        path=str(target),
        network=network,
        kind="video",
        format="MP4",
        mime_type="video/mp4",
        width=after.size[0],
        height=after.size[1],
        bytes=size,
        sha256=digest,
        removed=tuple(_removed(before)),
        changes=(),
        duration_s=after.duration_s,
    )


def _read(path: Path, name: str | None = None) -> tuple[Probe, mp4.Movie]:
    """What the file says about itself; a file that is no readable MP4/MOV is refused."""
    try:
        with path.open("rb") as file:
            movie = mp4.read(file)
    except (mp4.Mp4Error, struct.error):
        raise MediaError(
            _(
                "Kies een mp4- of mov-video van je telefoon of camera: {name} kan Postwijs niet"
                " lezen, of hij is beschadigd."
            ).format(name=name or path.name)
        ) from None
    video, audio = movie.video, movie.audio
    probe = Probe(
        tags=dict(movie.tags),
        video_codec=video.codec if video else "",
        audio_codec=audio.codec if audio else "",
        size=video.size if video else (0, 0),
        duration_s=movie.duration_s,
        data_tracks=movie.data_tracks,
        subtitles=movie.subtitles,
        chapters=movie.chapters,
    )
    return probe, movie


def _removed(probe: Probe) -> list[str]:
    found = []
    for key in probe.tags:
        if key in TECHNICAL_TAGS:
            continue
        for needles, text in _KEY_GROUPS:
            if any(needle in key for needle in needles):
                found.append(text)
                break
        else:
            found.append(OTHER)
    if probe.data_tracks:
        found.append(DATA_TRACKS)
    if probe.subtitles:
        found.append(SUBTITLES)
    if probe.chapters:
        found.append(CHAPTERS)
    order = [LOCATION, DEVICE, TAKEN_AT, DESCRIPTION, SOFTWARE, DATA_TRACKS, SUBTITLES, CHAPTERS]
    unique = sorted(set(found), key=lambda text: order.index(text) if text in order else 99)
    return [_(text) for text in unique]


def _needs_encode(probe: Probe, limits: MediaLimits) -> bool:
    if limits.video_codecs is not None and probe.video_codec not in limits.video_codecs:
        return True
    if limits.audio_codecs is not None and probe.audio_codec not in {"", *limits.audio_codecs}:
        return True
    if limits.video_max_size is None:
        return False
    long_max, short_max = max(limits.video_max_size), min(limits.video_max_size)
    return max(probe.size) > long_max or min(probe.size) > short_max


def _check_duration(probe: Probe, limits: MediaLimits) -> None:
    if limits.video_seconds is None or probe.duration_s is None:
        return
    shortest, longest = limits.video_seconds
    if not shortest <= probe.duration_s <= longest:
        raise MediaError(
            _(
                "Kies een video van {shortest} tot {longest} seconden voor {network}: deze duurt"
                " {seconds} seconden."
            ).format(
                shortest=f"{shortest:g}".replace(".", ","),
                longest=f"{longest:g}",
                network=label(limits.network),
                seconds=f"{probe.duration_s:.1f}".replace(".", ","),
            )
        )


def _failed(name: str) -> MediaError:
    return MediaError(
        _(
            "Kies een andere video of zet hem eerst om naar mp4: Postwijs kon de locatie en andere"
            " gegevens niet uit {name} halen, dus hij gaat niet mee."
        ).format(name=name)
    )


def _too_big(limits: MediaLimits, size: int) -> MediaError:
    return MediaError(
        _("Maak de video korter: hij is {size} en {network} neemt hoogstens {limit}.").format(
            size=megabytes(size),
            network=label(limits.network),
            limit=megabytes(limits.video_max_bytes or 0),
        )
    )


def _does_not_fit(probe: Probe, limits: MediaLimits) -> MediaError:
    """A video that only a re-encode would make fit: what to record instead."""
    width, height = limits.video_max_size or probe.size
    codecs = sorted(limits.video_codecs or {probe.video_codec})
    return MediaError(
        _(
            "Kies een andere video of een ander netwerk: {network} neemt alleen {codecs}-video"
            " tot {width}×{height} beeldpunten, en deze is {codec} in {w}×{h}. Neem op je telefoon"
            " op in 720p met 'Meest compatibel' (H.264) als formaat."
        ).format(
            network=label(limits.network),
            codecs="/".join(c.upper().replace("H264", "H.264") for c in codecs),
            width=max(width, height),
            height=min(width, height),
            codec=probe.video_codec.upper().replace("H264", "H.264"),
            w=probe.size[0],
            h=probe.size[1],
        )
    )


def first_frame(path: str | os.PathLike, long_side: int = 480) -> Image.Image:
    """The video's first picture, at most `long_side` pixels on its longer side: the frame the
    composer shows beside a YouTube title (YouTube shows a frame of the video until the channel
    sets a thumbnail).

    Decoded by OpenCV, but never from the file as it came: from a copy without metadata that
    Postwijs wrote itself (as prepare_video does), so the decoder meets only a plain MP4 of one
    picture and one sound track, with no playlist, reference or other stream in it that could
    make it reach beyond the file. Raises MediaError (Dutch)."""
    import cv2
    from PIL import Image

    source = Path(path)
    _probe, movie = _read(source)
    if movie.video is None:
        raise MediaError(
            _("Kies een video met beeld: in {name} vindt Postwijs geen beeld.").format(
                name=source.name
            )
        )
    with tempfile.TemporaryDirectory(prefix="postwijs-frame-") as folder:
        copy = Path(folder) / "video.mp4"
        try:
            with source.open("rb") as reading, copy.open("wb") as writing:
                mp4.copy_without_metadata(reading, movie, writing)
        except (mp4.Mp4Error, OSError):
            raise _no_frame(source.name) from None
        capture = cv2.VideoCapture(str(copy), cv2.CAP_FFMPEG)
        try:
            ok, frame = capture.read()
        finally:
            capture.release()
    if not ok or frame is None or frame.size == 0:
        raise _no_frame(source.name)
    image = Image.fromarray(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    image.thumbnail((long_side, long_side))
    return image


def _no_frame(name: str) -> MediaError:
    return MediaError(
        _(
            "Postwijs kan geen beeld uit {name} halen voor het voorbeeld. Plaatsen kan wel; kijk"
            " na het plaatsen of de video goed te zien is."
        ).format(name=name)
    )
