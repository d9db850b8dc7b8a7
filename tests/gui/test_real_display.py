"""The app on a real X server (Xvfb, installed by the test command): the xcb platform plugin and
the libraries it needs are present, and the composer is painted."""

import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_postwijs_paints_its_composer_on_a_real_x_server(tmp_path):
    assert shutil.which("xvfb-run"), "install Xvfb: scripts/install.sh --dev does"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = subprocess.run(
        [
            "xvfb-run", "-a", "-s", "-screen 0 1280x800x24",
            sys.executable, "-m", "app", "--data-dir", str(tmp_path), "--quit-when-shown",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("shown ")
