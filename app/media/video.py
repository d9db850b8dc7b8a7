"""Videos made safe to post: location, device, dates and every other tag removed by ffmpeg.

ffmpeg comes with the PyPI package imageio-ffmpeg (a static build), so no system install is
needed. Normally the streams are copied into a fresh MP4 without any metadata (fast, no loss).
Where the network demands a smaller picture or other codecs (X: H.264 and AAC, at most 1280x1024)
the video is re-encoded instead. The result is checked: if ffmpeg is missing, fails, or anything
but technical tags remains, the video is refused with a Dutch reason; it never goes out unchecked.

ffmpeg only ever reads the file as MOV/MP4 from the local disk (`-f mov`, file protocol only), so
a crafted file cannot make it fetch URLs or read other files (the HLS-playlist trick).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.i18n import N_, _
from app.media.output import folder_error, megabytes, prepared_path
from app.media.types import MediaError, PreparedMedia, file_size
from app.networks.media_limits import MediaLimits, limits_for
from app.networks.profiles import label

PROBE_OPTIONS = ("-hide_banner", "-nostdin", "-protocol_whitelist", "file", "-f", "mov", "-i")
COPY_TIMEOUT_S = 300
ENCODE_TIMEOUT_S = 1800
# What a fresh MP4 may still say about itself: the container brand and the track kinds.
TECHNICAL_TAGS = frozenset(
    {"major_brand", "minor_version", "compatible_brands", "handler_name", "vendor_id"}
)

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
_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_STREAM = re.compile(r"^\s*Stream #0:\d+[^:]*: (Video|Audio|Data|Subtitle|Attachment): (\w+)(.*)$")
_DIMENSIONS = re.compile(r", (\d{1,5})x(\d{1,5})(?=[ ,\[]|$)")
_META_LINE = re.compile(r"^(\s*)([^:]*?)\s*: (.*)$")


@dataclass(frozen=True)
class Probe:
    """What ffmpeg tells about a file: its tags, streams, picture size and length."""

    tags: dict[str, str]
    video_codec: str
    audio_codec: str
    size: tuple[int, int]
    duration_s: float | None
    data_tracks: int
    subtitles: int
    chapters: int


def ffmpeg_executable() -> str | None:
    """The bundled ffmpeg, or None when it cannot be found."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError, OSError):
        return None


def prepare_video(
    path: str | os.PathLike,
    network: str,
    out_dir: str | os.PathLike,
    ffmpeg: str | None = None,
) -> PreparedMedia:
    """Writes an MP4 copy of the video at `path`, without metadata, for `network` into `out_dir`.

    `ffmpeg` is the program to use (default: the bundled one). Raises MediaError (Dutch).
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
    if limits.video_max_bytes is not None and size > 2 * limits.video_max_bytes:
        raise _too_big(limits, size)  # even re-encoding will not save this one; fail fast
    program = ffmpeg if ffmpeg is not None else ffmpeg_executable()
    if not program:
        raise _no_ffmpeg()
    before = _probe(program, source)
    if not before.video_codec:
        raise MediaError(
            _("Kies een video met beeld: in {name} vindt Postwijs geen beeld.").format(name=name)
        )
    _check_duration(before, limits)
    encode = _needs_encode(before, limits)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, name_of_temporary = tempfile.mkstemp(dir=out, prefix=".postwijs-", suffix=".mp4")
        os.close(handle)
    except OSError as error:
        raise folder_error(out, error) from None
    temporary = Path(name_of_temporary)
    try:
        _run(program, _command(source, temporary, before, limits, encode), encode, name)
        after = _probe(program, temporary)
        leftovers = {
            key
            for key, value in after.tags.items()
            if key not in TECHNICAL_TAGS and not (key == "encoder" and value.startswith("Lavc"))
        }  # a re-encode names its own encoder ("Lavc libx264"); the original's name is gone
        if leftovers or after.data_tracks or after.chapters or not after.video_codec:
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
    changes = []
    if encode:
        changes.append(
            _("opnieuw gecodeerd naar H.264/AAC, {w}×{h} beeldpunten").format(
                w=after.size[0], h=after.size[1]
            )
        )
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
        changes=tuple(changes),
        duration_s=after.duration_s,
    )


def _command(
    source: Path, target: Path, probe: Probe, limits: MediaLimits, encode: bool
) -> list[str]:
    # `V` (capital) skips cover art; data tracks (iPhone location/sensor tracks), subtitles
    # and chapters are simply not mapped.
    streams = ["-map", "0:V:0", "-map", "0:a:0?", "-map_metadata", "-1", "-map_chapters", "-1"]
    if encode:
        width, height = limits.video_max_size or (8192, 8192)
        if probe.size[1] > probe.size[0]:  # portrait video: the box turns with it
            width, height = min(width, height), max(width, height)
        codecs = [
            "-vf",
            f"scale=w={width}:h={height}:force_original_aspect_ratio=decrease:force_divisible_by=2",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-crf",
            "23",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
        ]
    else:
        codecs = ["-c", "copy"]
        if probe.video_codec == "hevc":
            codecs += ["-tag:v", "hvc1"]  # the tag Apple's and the networks' players expect
    return [
        *("-hide_banner", "-nostdin", "-loglevel", "error", "-y"),
        *("-protocol_whitelist", "file", "-f", "mov", "-i", f"file:{source}"),
        *streams,
        *codecs,
        *("-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"),
        *("-movflags", "+faststart", "-f", "mp4", f"file:{target}"),
    ]


def _run(program: str, arguments: list[str], encode: bool, name: str) -> None:
    try:
        result = subprocess.run(
            [program, *arguments],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=ENCODE_TIMEOUT_S if encode else COPY_TIMEOUT_S,
            check=False,
        )
    except (FileNotFoundError, PermissionError):
        raise _no_ffmpeg() from None
    except (subprocess.TimeoutExpired, OSError):
        raise _failed(name) from None
    if result.returncode != 0:
        raise _failed(name)


def _probe(program: str, path: Path) -> Probe:
    """ffmpeg's own description of the input (it exits non-zero: no output was asked for)."""
    try:
        result = subprocess.run(
            [program, *PROBE_OPTIONS, f"file:{path}"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
    except (FileNotFoundError, PermissionError):
        raise _no_ffmpeg() from None
    except (subprocess.TimeoutExpired, OSError):
        raise _failed(path.name) from None
    text = result.stderr.decode("utf-8", "replace")
    if "Input #0" not in text:
        raise MediaError(
            _(
                "Kies een mp4- of mov-video van je telefoon of camera: {name} kan Postwijs niet"
                " lezen, of hij is beschadigd."
            ).format(name=path.name)
        )
    return parse_probe(text)


def parse_probe(text: str) -> Probe:
    """Reads tags (global and per stream), streams, size and length from ffmpeg's report."""
    tags: dict[str, str] = {}
    video = audio = ""
    size = (0, 0)
    data_tracks = subtitles = chapters = 0
    metadata_indent: int | None = None
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if metadata_indent is not None and indent <= metadata_indent:
            metadata_indent = None
        stripped = line.strip()
        if stripped == "Metadata:":
            metadata_indent = indent
            continue
        if metadata_indent is not None:
            match = _META_LINE.match(line)
            if match and match.group(2).strip():
                tags[match.group(2).strip().lower()] = match.group(3)
            continue
        if stripped.startswith("Chapter #"):
            chapters += 1
        stream = _STREAM.match(line)
        if not stream:
            continue
        kind, codec, rest = stream.groups()
        if kind == "Video" and "(attached pic)" not in rest and not video:
            video = codec
            dimensions = _DIMENSIONS.search(rest)
            if dimensions:
                size = (int(dimensions.group(1)), int(dimensions.group(2)))
        elif kind == "Audio" and not audio:
            audio = codec
        elif kind == "Data":
            data_tracks += 1
        elif kind == "Subtitle":
            subtitles += 1
    duration = _DURATION.search(text)
    seconds = None
    if duration:
        hours, minutes, secs = duration.groups()
        seconds = int(hours) * 3600 + int(minutes) * 60 + float(secs)
    return Probe(tags, video, audio, size, seconds, data_tracks, subtitles, chapters)


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


def _no_ffmpeg() -> MediaError:
    return MediaError(
        _(
            "Installeer Postwijs opnieuw of kies een foto: het onderdeel dat de gegevens uit"
            " video's haalt (ffmpeg) ontbreekt, dus deze video kan niet veilig mee."
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
