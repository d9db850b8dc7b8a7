"""The first frame of a video, for the YouTube preview: the picture ffmpeg itself decodes first,
at most the asked size, from a real MP4 with a phone's tags; a file that is no MP4 is refused in
Dutch, and the original is never changed."""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from app.media.types import MediaError
from app.media.video import first_frame
from tests.app.test_media_video import FFMPEG, make_video


def decoded_by_ffmpeg(video: Path, folder: Path) -> Image.Image:
    out = folder / "eerste.png"
    subprocess.run(
        [FFMPEG, "-loglevel", "error", "-y", "-i", str(video), "-frames:v", "1", str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return Image.open(out).convert("RGB")


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    pairs = zip(a.tobytes(), b.resize(a.size).tobytes(), strict=True)
    return sum(abs(x - y) for x, y in pairs) / len(a.tobytes())


def test_the_first_frame_is_the_picture_the_video_starts_with(tmp_path):
    video = make_video(tmp_path / "sportdag.mp4", size="640x360", seconds=2)
    before = hashlib.sha256(video.read_bytes()).hexdigest()
    temporary_before = set(Path(tempfile.gettempdir()).glob("postwijs-frame-*"))
    frame = first_frame(video, long_side=320)
    assert frame.size == (320, 180)
    assert mean_difference(frame, decoded_by_ffmpeg(video, tmp_path)) < 8
    # Not some other picture: a black frame differs by far.
    assert mean_difference(frame, Image.new("RGB", frame.size)) > 50
    assert hashlib.sha256(video.read_bytes()).hexdigest() == before
    assert set(Path(tempfile.gettempdir()).glob("postwijs-frame-*")) == temporary_before


def test_a_file_that_is_no_mp4_is_refused_in_dutch(tmp_path):
    fake = tmp_path / "film.mp4"
    fake.write_text("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\nfile:///etc/passwd\n", encoding="utf-8")
    with pytest.raises(MediaError) as refused:
        first_frame(fake)
    assert "Kies een mp4- of mov-video" in str(refused.value)
