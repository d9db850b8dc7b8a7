"""The PyInstaller bundle (built by scripts/test.sh before the tests) starts and passes its
self-test, so resources, translations and Qt plugins are found frozen as well as from source."""

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import ROOT

BUNDLE = ROOT / "dist" / "Postwijs"


def test_the_frozen_console_program_passes_its_self_test(tmp_path):
    program = BUNDLE / "postwijs-cli"
    assert program.exists(), (
        "build it first: .venv/bin/pyinstaller --noconfirm build.spec (scripts/test.sh does)"
    )
    assert (BUNDLE / "postwijs").exists()  # the windowed program beside it
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [str(program), "--self-test", "--json", "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert all(check["ok"] for check in report["checks"]), report


def test_the_frozen_program_checks_a_post_like_the_source(tmp_path):
    program = BUNDLE / "postwijs-cli"
    line = json.dumps(
        {"text": "Bel 06-12345678", "networks": ["x"], "at": "2026-11-24T19:00:00+01:00"}
    )
    result = subprocess.run(
        [str(program), "check", "--jsonl", "--data-dir", str(tmp_path)],
        input=line + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 1  # the phone number blocks
    answer = json.loads(result.stdout)
    assert [f["rule"] for f in answer["findings"]] == ["personal_data"]


def test_the_frozen_program_knows_dutch_verb_forms_and_carries_no_other_language(tmp_path):
    # A threat in a past-tense form is found through simplemma's Dutch dictionary; the package
    # leaves the other languages' dictionaries out.
    line = json.dumps({"text": "Ze sloegen hem helemaal in elkaar.", "networks": ["x"]})
    result = subprocess.run(
        [str(BUNDLE / "postwijs-cli"), "check", "--jsonl", "--data-dir", str(tmp_path)],
        input=line + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "decency" in [f["rule"] for f in json.loads(result.stdout)["findings"]]
    dictionaries = sorted(p.name for p in BUNDLE.rglob("*.plzma"))
    assert dictionaries == ["nl.plzma"]


def _frozen(*args: str, tmp_path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env["POSTWIJS_LOG_DIR"] = str(tmp_path / "log")
    return subprocess.run(
        [str(BUNDLE / "postwijs-cli"), *args, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def test_the_frozen_program_prepares_an_iphone_photo_and_a_phone_video(tmp_path):
    import imageio_ffmpeg
    import pillow_heif
    from PIL import Image

    photo = tmp_path / "IMG_0001.HEIC"
    pillow_heif.from_pillow(Image.new("RGB", (600, 400), (200, 120, 40))).save(photo, quality=80)
    video = tmp_path / "IMG_0002.MOV"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=1",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-metadata", "location=+52.3676+004.9041/", "-f", "mov", str(video),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    for source, kind in ((photo, "image"), (video, "video")):
        result = _frozen(
            "media", "prepare", str(source), "--network", "mastodon", "--out",
            str(tmp_path / "out"), "--json", tmp_path=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        answer = json.loads(result.stdout)
        assert answer["kind"] == kind, answer
        assert b"52.3676" not in Path(answer["path"]).read_bytes()


def test_the_frozen_program_writes_its_log_and_answers_the_helpdesk(tmp_path):
    assert _frozen("--self-test", tmp_path=tmp_path).returncode == 0
    result = _frozen("helpdesk", "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["frozen"] is True and answer["database_version"] >= 1
    assert any("self-test" in line for line in answer["log_lines"])
    assert (tmp_path / "log" / "postwijs.log").is_file()


def test_the_frozen_window_shows_the_composer_on_a_real_x_server(tmp_path):
    """Starts the windowed program under Xvfb, waits for its window and photographs the screen:
    screenshots/frozen-composer.png (look at it)."""
    import shutil
    import time

    from PIL import Image

    assert shutil.which("Xvfb") and shutil.which("import"), "scripts/install.sh --dev installs them"
    reading, writing = os.pipe()
    server = subprocess.Popen(  # Xvfb picks a free display and writes its number to the pipe
        ["Xvfb", "-displayfd", str(writing), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(writing,),
    )
    os.close(writing)
    with os.fdopen(reading) as announced:
        display = ":" + announced.readline().strip()
    assert display != ":", "Xvfb did not start"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path))
    env["POSTWIJS_LOG_DIR"] = str(tmp_path / "log")
    app = None
    errors = tmp_path / "stderr.txt"
    try:
        with errors.open("wb") as error_output:
            app = subprocess.Popen(
                [str(BUNDLE / "postwijs"), "--data-dir", str(tmp_path / "data")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=error_output,
            )
        shot = ROOT / "screenshots" / "frozen-composer.png"
        shot.parent.mkdir(exist_ok=True)
        deadline = time.monotonic() + 60
        colours = 0
        while time.monotonic() < deadline and app.poll() is None:
            tree = subprocess.run(
                ["xwininfo", "-root", "-tree", "-display", display],
                capture_output=True,
                text=True,
            ).stdout
            if '"Postwijs"' in tree:
                subprocess.run(
                    ["import", "-display", display, "-window", "root", str(shot)], check=True
                )
                with Image.open(shot) as image:
                    colours = len(image.convert("RGB").getcolors(1 << 20) or [])
                if colours > 50:  # painted: text, buttons and the style, not one flat colour
                    break
            time.sleep(0.5)
        assert app.poll() is None, errors.read_text(errors="replace")
        assert colours > 50, f"no painted window within the minute ({colours} colours)"
    finally:
        if app is not None:
            app.terminate()
            app.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)
