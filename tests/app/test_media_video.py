"""Videos: real MP4s made here with the bundled ffmpeg, carrying location, device and dates; the
prepared copy must carry none of them, byte for byte, or the video must be refused in Dutch."""

from __future__ import annotations

import hashlib
import struct
import subprocess
from pathlib import Path

import pytest

from app.media.prepare import MediaError, media_kind, prepare
from app.media.video import ffmpeg_executable, parse_probe, prepare_video

FFMPEG = ffmpeg_executable()
LOCATION = "+52.3676+004.9041/"
TAKEN = "2024-05-17T10:11:12Z"
DEVICE = "PostwijsPhone 15"
TITLE = "Schoolreis groep 7 met Jan de Vries"


def make_video(
    path: Path,
    size: str = "320x240",
    seconds: float = 1.0,
    extra: tuple[str, ...] = (),
    codec: str = "libx264",
) -> Path:
    """A small real MP4 (test pattern and a tone) with the tags a phone writes."""
    subprocess.run(
        [
            FFMPEG,
            *("-hide_banner", "-loglevel", "error", "-nostdin", "-y"),
            *("-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"),
            *extra,
            *("-c:v", codec, "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"),
            *("-metadata", f"location={LOCATION}", "-metadata", f"creation_time={TAKEN}"),
            *("-metadata", f"com.apple.quicktime.make={DEVICE}", "-metadata", f"title={TITLE}"),
            *("-metadata:s:v", f"creation_time={TAKEN}"),
            *("-movflags", "+use_metadata_tags", str(path)),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


def secrets() -> list[bytes]:
    return [LOCATION.encode(), b"52.3676", TAKEN[:10].encode(), DEVICE.encode(), TITLE.encode()]


def boxes(data: bytes, start: int = 0, end: int | None = None):
    """The ISO-BMFF boxes between start and end: (type, payload start, payload end)."""
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[start + 8 : start + 16])[0], 16
        elif size == 0:
            size = end - start
        yield kind, start + header, start + size
        start += size


def movie_header_times(data: bytes) -> tuple[int, int]:
    """Creation and modification time from the `mvhd` box (seconds since 1904)."""
    for kind, begin, finish in boxes(data):
        if kind == b"moov":
            for inner, payload, _end in boxes(data, begin, finish):
                if inner == b"mvhd":
                    version = data[payload]
                    if version == 1:
                        return struct.unpack(">QQ", data[payload + 4 : payload + 20])
                    return struct.unpack(">II", data[payload + 4 : payload + 12])
    raise AssertionError("no mvhd box")


def probe_text(path: Path) -> str:
    result = subprocess.run(
        [FFMPEG, "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stderr


def test_bundled_ffmpeg_is_there():
    assert FFMPEG and Path(FFMPEG).is_file()


def test_location_device_dates_and_title_are_gone_byte_for_byte(tmp_path):
    source = make_video(tmp_path / "IMG_0042.mp4")
    original = source.read_bytes()
    assert all(secret in original for secret in secrets())  # so the test can fail
    assert movie_header_times(original)[0] != 0

    prepared = prepare_video(source, "mastodon", tmp_path / "out")

    data = Path(prepared.path).read_bytes()
    for secret in secrets():
        assert secret not in data, secret
    assert b"Lavf" not in data  # not even the muxer's name
    assert movie_header_times(data) == (0, 0)
    tags = parse_probe(probe_text(Path(prepared.path))).tags
    assert set(tags) <= {"major_brand", "minor_version", "compatible_brands", "handler_name"}
    assert source.read_bytes() == original
    assert (prepared.kind, prepared.format, prepared.mime_type) == ("video", "MP4", "video/mp4")
    assert (prepared.width, prepared.height) == (320, 240)
    assert prepared.sha256 == hashlib.sha256(data).hexdigest()
    assert prepared.duration_s == pytest.approx(1.0, abs=0.1)
    assert Path(prepared.path).name.startswith("mastodon-")


def test_what_was_removed_is_told_in_dutch(tmp_path):
    prepared = prepare_video(make_video(tmp_path / "a.mp4"), "bluesky", tmp_path / "out")
    assert prepared.removed[:4] == (
        "locatie (GPS)",
        "toestel (merk en model)",
        "datum en tijd van de opname",
        "titel, beschrijving of maker",
    )


def test_the_picture_and_sound_are_copied_not_reencoded(tmp_path):
    source = make_video(tmp_path / "a.mp4")
    prepared = prepare_video(source, "mastodon", tmp_path / "out")
    report = probe_text(Path(prepared.path))
    assert "Video: h264" in report and "Audio: aac" in report
    assert prepared.changes == ()
    # A copy keeps the size within a few hundred bytes of header.
    assert abs(prepared.bytes - source.stat().st_size) < 2000


def test_phone_rotation_is_kept(tmp_path):
    plain = make_video(tmp_path / "plain.mp4")
    turned = tmp_path / "turned.mp4"
    subprocess.run(
        [
            *(FFMPEG, "-loglevel", "error", "-y", "-display_rotation:v:0", "90"),
            *("-i", str(plain), "-c", "copy", str(turned)),
        ],
        check=True,
        timeout=60,
    )
    prepared = prepare_video(turned, "mastodon", tmp_path / "out")
    assert "rotation of 90.00 degrees" in probe_text(Path(prepared.path))


def test_subtitles_are_left_out(tmp_path):
    subtitles = tmp_path / "ondertitels.srt"
    subtitles.write_text("1\n00:00:00,000 --> 00:00:00,900\nHallo Pieter Ondertitel\n")
    make_video(tmp_path / "a.mp4")
    source = tmp_path / "b.mp4"
    subprocess.run(
        [
            *(
                FFMPEG,
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(tmp_path / "a.mp4"),
                "-i",
                str(subtitles),
            ),
            *("-map", "0", "-map", "1", "-c", "copy", "-c:s", "mov_text", str(source)),
        ],
        check=True,
        timeout=60,
    )
    assert b"Hallo Pieter Ondertitel" in source.read_bytes()
    prepared = prepare_video(source, "mastodon", tmp_path / "out")
    assert b"Hallo Pieter Ondertitel" not in Path(prepared.path).read_bytes()
    assert "ondertitels" in prepared.removed


def test_x_gets_a_reencoded_video_within_1280_by_1024(tmp_path):
    source = make_video(tmp_path / "full-hd.mp4", size="1920x1080", seconds=1.0)
    prepared = prepare_video(source, "x", tmp_path / "out")
    assert (prepared.width, prepared.height) == (1280, 720)
    assert "opnieuw gecodeerd naar H.264/AAC, 1280×720 beeldpunten" in prepared.changes
    data = Path(prepared.path).read_bytes()
    assert not any(secret in data for secret in secrets())


def test_x_gets_h264_even_from_another_codec(tmp_path):
    source = make_video(tmp_path / "mpeg4.mp4", codec="mpeg4", extra=())
    prepared = prepare_video(source, "x", tmp_path / "out")
    assert "Video: h264" in probe_text(Path(prepared.path))


@pytest.mark.parametrize(
    ("network", "message"),
    [
        (
            "practice",
            "Kies een foto of een ander netwerk: Oefenaccount neemt via Postwijs geen video.",
        ),
        ("linkedin", "Kies een foto of een ander netwerk: LinkedIn neemt via Postwijs geen video."),
    ],
)
def test_networks_without_video_refuse_it(tmp_path, network, message):
    source = make_video(tmp_path / "a.mp4")
    with pytest.raises(MediaError) as refused:
        prepare_video(source, network, tmp_path / "out")
    assert str(refused.value) == message


def test_too_short_for_x_is_refused(tmp_path):
    source = make_video(tmp_path / "kort.mp4", seconds=0.2)
    with pytest.raises(MediaError, match="Kies een video van 0,5 tot 140 seconden voor X"):
        prepare_video(source, "x", tmp_path / "out")


def test_without_ffmpeg_the_video_is_refused_in_dutch(tmp_path):
    source = make_video(tmp_path / "a.mp4")
    with pytest.raises(MediaError) as refused:
        prepare_video(source, "mastodon", tmp_path / "out", ffmpeg=str(tmp_path / "geen-ffmpeg"))
    assert str(refused.value).startswith("Installeer Postwijs opnieuw of kies een foto")
    assert "(ffmpeg) ontbreekt" in str(refused.value)
    with pytest.raises(MediaError, match="Installeer Postwijs opnieuw"):
        prepare_video(source, "mastodon", tmp_path / "out", ffmpeg="")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # An MP4 header and then rubbish: ffmpeg cannot read it.
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x13" * 4000, "Kies een"),
        # A playlist pretending to be a video: never followed, whatever it points at.
        (
            b"\x00\x00\x00\x14ftypisom\x00\x00\x00\x00isom#EXTM3U\nhttp://127.0.0.1:9/x\n",
            "Kies een",
        ),
    ],
)
def test_a_video_ffmpeg_cannot_read_is_refused(tmp_path, content, message):
    source = tmp_path / "kapot.mp4"
    source.write_bytes(content)
    assert media_kind(source) == "video"
    with pytest.raises(MediaError) as refused:
        prepare(source, "mastodon", tmp_path / "out")
    assert str(refused.value).startswith(message)
    assert source.read_bytes() == content


def test_a_damaged_video_ffmpeg_stumbles_on_is_refused(tmp_path):
    source = make_video(tmp_path / "a.mp4")
    data = bytearray(source.read_bytes())
    moov = data.find(b"moov")
    data[moov : moov + 200] = b"\x00" * 200  # the index is gone: nothing can be copied
    source.write_bytes(bytes(data))
    with pytest.raises(MediaError, match=r"^Kies een"):
        prepare_video(source, "mastodon", tmp_path / "out")


def test_prepare_sends_a_video_to_the_video_pipeline_and_refuses_blur(tmp_path):
    source = make_video(tmp_path / "a.mp4")
    assert prepare(source, "bluesky", tmp_path / "out").kind == "video"
    with pytest.raises(MediaError, match="gezichten in een video niet vervagen"):
        prepare(source, "bluesky", tmp_path / "out", blur_boxes=[(1, 1, 10, 10)])


PROBE = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:in.mov':
  Metadata:
    major_brand     : qt
    com.apple.quicktime.location.ISO6709: +52.3676+004.9041+001.000/
    com.apple.quicktime.make: Apple
    com.apple.quicktime.model: iPhone 15
    com.apple.quicktime.software: 18.1
    com.apple.quicktime.creationdate: 2025-06-13T10:15:00+0200
  Duration: 00:01:02.50, start: 0.000000, bitrate: 9000 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv, bt709), 1920x1080, 8000 kb/s, 30 fps (default)
    Metadata:
      creation_time   : 2025-06-13T08:15:00.000000Z
      handler_name    : Core Media Video
    Side data:
      Display Matrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 160 kb/s (default)
  Stream #0:2[0x3](und): Data: none (mebx / 0x7862656D), 0 kb/s (default)
  Stream #0:3[0x4]: Video: mjpeg (Baseline), yuvj420p, 320x240 (attached pic)
"""


def test_parse_probe_reads_an_iphone_report():
    probe = parse_probe(PROBE)
    assert probe.video_codec == "hevc" and probe.audio_codec == "aac"
    assert probe.size == (1920, 1080)
    assert probe.duration_s == pytest.approx(62.5)
    assert probe.data_tracks == 1
    assert "com.apple.quicktime.location.iso6709" in probe.tags
    assert probe.tags["creation_time"].startswith("2025-06-13")
    assert "handler_name" in probe.tags


@pytest.mark.parametrize(
    ("text", "size", "duration"),
    [
        ("  Duration: N/A\n  Stream #0:0: Video: h264, yuv420p, 640x480\n", (640, 480), None),
        ("  Stream #0:0: Audio: aac, 44100 Hz\n", (0, 0), None),
        ("", (0, 0), None),
    ],
)
def test_parse_probe_copes_with_little(text, size, duration):
    probe = parse_probe(text)
    assert probe.size == size and probe.duration_s == duration
