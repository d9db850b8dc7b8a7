"""The packaged app against a bare packaged PySide6 window: size on disk and frozen start-up.

Both are built by PyInstaller in the same way (build.spec and packaging/bare_window.spec share
packaging/trim.py). Builds of a clean commit are kept under build/bench-package/<commit>/ and
reused; a work tree with changes is built afresh every time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import Result, median

ROOT = Path(__file__).resolve().parent.parent
PYINSTALLER = Path(sys.executable).with_name("pyinstaller")
BUDGET = 1.5


@dataclass(frozen=True)
class SizeResult:
    name: str
    size: int
    baseline_name: str
    baseline_size: int
    budget_ratio: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.size / self.baseline_size

    def line(self) -> str:
        verdict = "within budget" if self.ratio <= self.budget_ratio else "OVER BUDGET"
        return (
            f"{self.name}: {self.size / 1e6:.1f} MB; {self.baseline_name}: "
            f"{self.baseline_size / 1e6:.1f} MB; ratio {self.ratio:.2f} "
            f"(budget ≤ {self.budget_ratio}) {verdict}" + (f"; {self.note}" if self.note else "")
        )


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def build_folder() -> tuple[Path, bool]:
    """Where this commit's builds live, and whether they may be reused (a clean work tree)."""
    commit = _git("rev-parse", "--short=12", "HEAD")
    clean = _git("status", "--porcelain", "--untracked-files=no") == ""
    return ROOT / "build" / "bench-package" / (commit if clean else "work-tree"), clean


def build(spec: Path, folder: Path, product: str, reuse: bool) -> Path:
    dist = folder / "dist" / product
    if reuse and (dist / ".complete").exists():
        return dist
    shutil.rmtree(dist, ignore_errors=True)
    subprocess.run(
        [
            str(PYINSTALLER),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(folder / "dist"),
            "--workpath",
            str(folder / "work" / product),
            str(spec),
        ],
        cwd=ROOT,
        check=True,
    )
    (dist / ".complete").touch()
    return dist


def size_on_disk(folder: Path) -> int:
    """Bytes of every file in the package (symbolic links count once, as their target)."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def largest(folder: Path, count: int = 8) -> str:
    """The biggest files, for the note: where the size goes."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    files.sort(key=lambda p: -p.stat().st_size)
    return ", ".join(f"{p.name} {p.stat().st_size / 1e6:.0f} MB" for p in files[:count])


def start_seconds(program: Path, args: list[str]) -> float:
    """Seconds from starting the frozen program until it reports its window painted."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    done = subprocess.run(
        [str(program), *args], env=env, check=True, capture_output=True, text=True, timeout=120
    )
    shown = next(line for line in done.stdout.splitlines() if line.startswith("shown "))
    return float(shown.split()[1]) - started


def run(repeat: int = 7) -> list:
    folder, reuse = build_folder()
    postwijs = build(ROOT / "build.spec", folder, "Postwijs", reuse)
    bare = build(ROOT / "packaging" / "bare_window.spec", folder, "BareWindow", reuse)
    sizes = SizeResult(
        "package on disk",
        size_on_disk(postwijs),
        "bare packaged PySide6 window",
        size_on_disk(bare),
        BUDGET,
        note="largest: " + largest(postwijs),
    )
    data_dir = tempfile.mkdtemp(prefix="postwijs-bench-")
    app_args = ["--data-dir", data_dir, "--quit-when-shown"]
    start_seconds(postwijs / "postwijs", app_args)  # migrates the database, warms the file cache
    start_seconds(bare / "bare-window", [])
    app_samples, bare_samples = [], []
    for _ in range(repeat):  # paired, so a busy moment hits both alike
        app_samples.append(start_seconds(postwijs / "postwijs", app_args))
        bare_samples.append(start_seconds(bare / "bare-window", []))
    shutil.rmtree(data_dir, ignore_errors=True)
    start = Result(
        "frozen start until the composer is shown",
        median(app_samples),
        "bare packaged window",
        median(bare_samples),
        budget_ratio=BUDGET,
    )
    return [sizes, start]
