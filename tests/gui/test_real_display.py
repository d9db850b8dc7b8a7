"""The app on a real X server (Xvfb, installed by the test command): the xcb platform plugin and
the libraries it needs are present, and the composer is painted."""

import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def on_xvfb(screen: str, *python_args: str, **env: str) -> subprocess.CompletedProcess:
    """Runs `python PYTHON_ARGS` on a fresh Xvfb screen (`screen` as WIDTHxHEIGHT) through Qt's
    xcb plugin, with `env` added to this process's environment."""
    assert shutil.which("xvfb-run"), "install Xvfb: scripts/install.sh --dev does"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")},
        "QT_QPA_PLATFORM": "xcb",
        **env,
    }
    return subprocess.run(
        ["xvfb-run", "-a", "-s", f"-screen 0 {screen}x24", sys.executable, *python_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_postwijs_paints_its_composer_on_a_real_x_server(tmp_path):
    result = on_xvfb("1280x800", "-m", "app", "--data-dir", str(tmp_path), "--quit-when-shown")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("shown ")


OPENED_SIZE = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.__main__ import connector_for
from app.commands.cli import Options
from ui.startup import build_main_window

app = QApplication(sys.argv[:1])
window = build_main_window(Options(data_dir=Path(sys.argv[1]), site_file=None), connector_for)
window.show()
app.processEvents()
room = window.screen().availableGeometry()
print(window.width(), window.height(), room.width(), room.height())
"""


def test_at_150_percent_on_a_1440x900_screen_the_window_opens_within_it(tmp_path):
    # A real X server without a window manager keeps the size the window asks for, as some
    # desktops do; the offscreen platform would clamp it and hide the fault.
    result = on_xvfb(
        "1440x900", "-c", OPENED_SIZE, str(tmp_path), QT_SCALE_FACTOR="1.5", PYTHONPATH=str(ROOT)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    width, height, room_width, room_height = map(int, result.stdout.split()[-4:])
    assert (room_width, room_height) == (960, 600)  # Qt's own units at 150 %
    assert width <= room_width and height <= room_height, (width, height)
