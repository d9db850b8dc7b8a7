"""Videos: real MP4s made here with ffmpeg (imageio-ffmpeg, a test dependency only), carrying
location, device and dates; the prepared copy must carry none of them, byte for byte, or the video
must be refused in Dutch. ffmpeg also reads the copies back, as the independent judge of what
they still say and whether they still play."""

from __future__ import annotations

import hashlib
import struct
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.media.prepare import MediaError, media_kind, prepare
from app.media.video import prepare_video

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
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


def tags_in(report: str) -> set[str]:
    """The tag names in ffmpeg's report of a file (global and per stream)."""
    tags, indent_of_block = set(), None
    for line in report.splitlines():
        indent = len(line) - len(line.lstrip())
        if indent_of_block is not None and indent <= indent_of_block:
            indent_of_block = None
        if line.strip() == "Metadata:":
            indent_of_block = indent
        elif indent_of_block is not None and ":" in line:
            tags.add(line.split(":", 1)[0].strip().lower())
    return tags


def plays(path: Path) -> bool:
    """ffmpeg decodes every frame of picture and sound without a single error."""
    result = subprocess.run(
        [FFMPEG, "-hide_banner", "-nostdin", "-v", "error", "-i", str(path), "-f", "null", "-"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode == 0 and result.stderr.strip() == ""


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
    tags = tags_in(probe_text(Path(prepared.path)))
    assert tags <= {
        "major_brand",
        "minor_version",
        "compatible_brands",
        "handler_name",
        "vendor_id",
    }
    assert plays(Path(prepared.path))
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


def test_x_refuses_a_video_larger_than_it_takes_and_says_what_to_record(tmp_path):
    source = make_video(tmp_path / "full-hd.mp4", size="1920x1080", seconds=1.0)
    with pytest.raises(MediaError) as refused:
        prepare_video(source, "x", tmp_path / "out")
    assert str(refused.value) == (
        "Kies een andere video of een ander netwerk: X neemt alleen H.264-video tot 1280×1024"
        " beeldpunten, en deze is H.264 in 1920×1080. Neem op je telefoon op in 720p met 'Meest"
        " compatibel' (H.264) als formaat."
    )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_x_takes_a_small_h264_video_and_refuses_another_codec(tmp_path):
    small = make_video(tmp_path / "klein.mp4", size="640x360")
    assert prepare_video(small, "x", tmp_path / "out").width == 640
    other = make_video(tmp_path / "mpeg4.mp4", codec="mpeg4", extra=())
    with pytest.raises(MediaError, match="en deze is MPEG4 in 320×240"):
        prepare_video(other, "x", tmp_path / "out")
    assert prepare_video(other, "mastodon", tmp_path / "out").kind == "video"


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


@pytest.mark.parametrize("movflags", ["+faststart+use_metadata_tags", "+use_metadata_tags"])
def test_an_index_before_or_after_the_pictures_gives_a_copy_that_plays(tmp_path, movflags):
    source = tmp_path / "a.mp4"
    make_video(source, seconds=2.0, extra=("-movflags", movflags))
    prepared = prepare_video(source, "mastodon", tmp_path / "out")
    data = Path(prepared.path).read_bytes()
    assert data[4:8] == b"ftyp" and data.find(b"moov") < data.find(b"mdat")
    assert plays(Path(prepared.path))
    assert prepared.duration_s == pytest.approx(2.0, abs=0.1)


def test_a_quicktime_mov_with_location_and_chapters_loses_both(tmp_path):
    chapters = tmp_path / "hoofdstukken.txt"
    chapters.write_text(
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\ntitle=Hoofdstuk Pieter\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=Afscheid van Pieter\n"
    )
    plain = make_video(tmp_path / "plain.mp4")
    source = tmp_path / "IMG_0007.MOV"
    subprocess.run(
        [
            *(FFMPEG, "-loglevel", "error", "-y", "-i", str(plain), "-i", str(chapters)),
            *("-map", "0", "-map_metadata", "0", "-map_chapters", "1", "-c", "copy"),
            *("-metadata", f"location={LOCATION}", "-f", "mov", str(source)),
        ],
        check=True,
        timeout=60,
    )
    original = source.read_bytes()
    assert b"Hoofdstuk Pieter" in original and LOCATION.encode() in original
    assert "Chapter #0" in probe_text(source)
    prepared = prepare_video(source, "bluesky", tmp_path / "out")
    data = Path(prepared.path).read_bytes()
    assert b"Pieter" not in data and LOCATION.encode() not in data
    assert "Chapter" not in probe_text(Path(prepared.path))
    assert {"locatie (GPS)", "hoofdstukken"} <= set(prepared.removed)
    assert plays(Path(prepared.path))


@pytest.fixture(scope="module")
def one_video(tmp_path_factory) -> Path:
    return make_video(tmp_path_factory.mktemp("fuzz") / "a.mp4")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 1 << 30), st.integers(0, 255)), min_size=1, max_size=8
    ),
    anywhere=st.booleans(),
)
def test_a_damaged_video_is_refused_in_dutch_or_copied_never_a_crash(
    one_video, changes, anywhere, tmp_path
):
    """Whatever bytes of the index (moov), or of the whole file, are changed, Postwijs refuses in
    Dutch or makes a copy that carries none of the metadata; it never fails with anything else."""
    damaged = bytearray(one_video.read_bytes())
    moov = damaged.find(b"moov") - 4
    size = int.from_bytes(damaged[moov : moov + 4], "big")
    start, size = (0, len(damaged)) if anywhere else (moov, size)
    for at, value in changes:
        damaged[start + at % size] = value
    source = tmp_path / f"kapot-{hashlib.sha256(damaged).hexdigest()[:8]}.mp4"
    source.write_bytes(bytes(damaged))
    try:
        prepared = prepare_video(source, "mastodon", tmp_path / "out")
    except MediaError as refused:
        assert str(refused).startswith("Kies ")
        return
    copied = Path(prepared.path).read_bytes()
    assert not any(secret in copied for secret in secrets())


def test_instagram_takes_a_reel_of_3_seconds_to_15_minutes(tmp_path):
    short = make_video(tmp_path / "kort.mp4", seconds=1.0)
    with pytest.raises(MediaError) as refused:
        prepare_video(short, "instagram", tmp_path / "out")
    assert str(refused.value) == (
        "Kies een video van 3 tot 900 seconden voor Instagram: deze duurt 1,0 seconden."
    )
    reel = make_video(tmp_path / "reel.mp4", size="360x640", seconds=3.5)
    prepared = prepare_video(reel, "instagram", tmp_path / "out")
    assert (prepared.kind, prepared.width, prepared.height) == ("video", 360, 640)


def test_instagram_refuses_a_video_wider_than_1920_and_says_what_to_record(tmp_path):
    wide = make_video(tmp_path / "breed.mp4", size="2560x1440", seconds=3.2)
    with pytest.raises(MediaError, match=r"Instagram neemt alleen H\.264/HEVC-video tot 1920×1920"):
        prepare_video(wide, "instagram", tmp_path / "out")
