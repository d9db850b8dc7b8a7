"""Walks every page and dialog (tests/gui/page_walk.py) and prints, as JSON, what a keyboard or
screen-reader user would stumble on in each: unnamed controls, labels that are not their input's
buddy, Tab traps and unreachable controls, and a Shift+Tab round that is not Tab's in reverse.

    python -m tests.gui.a11y_walk SITE_FILE DATA_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.a11y_check import describe, labels_without_buddy, tab_walk, unnamed
from tests.gui.page_walk import walk


def keyboard_problems(widget: QWidget) -> list[str]:
    forward, problems = tab_walk(widget)
    backward, back_problems = tab_walk(widget, backwards=True)
    problems += [f"Shift+Tab: {p}" for p in back_problems]
    if not problems and forward[1:] != list(reversed(backward[1:])):
        problems.append(
            "Shift+Tab is not Tab in reverse: "
            f"{[describe(w) for w in forward]} / {[describe(w) for w in backward]}"
        )
    return problems


def main() -> None:
    site_file, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    QApplication(sys.argv[:1])
    found: dict[str, dict[str, list[str]]] = {}

    def check(name: str, widget: QWidget) -> None:
        found[name] = {
            "names": unnamed(widget),
            "buddies": labels_without_buddy(widget),
            "keyboard": keyboard_problems(widget),
        }

    walk(site_file, data_dir, check)
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()


_found: dict[str, dict[str, list[str]]] = {}


def walked(tmp_path_factory) -> dict[str, dict[str, list[str]]]:
    """The walk's findings, run once per test session in its own process on a 1280x720 screen
    (the fit test's laptop, with the eight-accounts school)."""
    if not _found:
        import os
        import subprocess

        from tests.gui.eight_accounts import write_site

        root = Path(__file__).resolve().parents[2]
        folder = tmp_path_factory.mktemp("a11y-walk")
        screen = folder / "screen.json"
        screen.write_text(
            json.dumps(
                {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1280, "height": 720,
                              "logicalDpi": 96, "dpr": 1}]}
            )
        )  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": str(root),
            "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.gui.a11y_walk",
                str(write_site(folder)),
                str(folder / "data"),
            ],
            env=env,
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        _found.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return _found
