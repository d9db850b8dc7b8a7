"""Process start until the composer is shown, against a bare PySide6 window started the same way."""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import Result, median

ROOT = Path(__file__).resolve().parent.parent
# The yardstick, also the package benchmark's: a bare window that says when it was painted.
BARE_WINDOW = ROOT / "packaging" / "bare_window.py"


def run(repeat: int = 9) -> Result:
    # An installed app (pip, PyInstaller) runs from compiled bytecode; so does this measurement,
    # even where PYTHONDONTWRITEBYTECODE is set for development.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    for package in ("app", "ui", "connectors", "resources"):
        compileall.compile_dir(ROOT / package, quiet=1)
    data_dir = tempfile.mkdtemp(prefix="postwijs-bench-")

    def start(args: list[str]) -> float:
        """Seconds from starting the process until it reports its window painted."""
        started = time.time()
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        shown = next(line for line in done.stdout.splitlines() if line.startswith("shown "))
        return float(shown.split()[1]) - started

    postwijs = ["-m", "app", "--data-dir", data_dir, "--quit-when-shown"]
    bare = [str(BARE_WINDOW)]
    start(postwijs)  # first run migrates the database and warms the file cache
    start(bare)
    app_samples, bare_samples = [], []
    for _ in range(repeat):  # interleaved, so a busy moment hits both alike
        app_samples.append(start(postwijs))
        bare_samples.append(start(bare))
    return Result(
        "start-up until the composer is shown",
        median(app_samples),
        "bare PySide6 window",
        median(bare_samples),
        budget_ratio=1.5,
    )
