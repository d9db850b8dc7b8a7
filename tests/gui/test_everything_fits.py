"""Every page and dialog at 1280x720 and 1024x700, and at 150 % zoom on a 1440x900 screen (960x600
in Qt's own units), for a school with eight accounts with long names: the window fits the
screen, and no label, button or table header is cut off.

The walk runs in its own process on an offscreen screen of exactly that size (Qt's offscreen
platform takes the screen from a config file), so that dialogs that size themselves to the
screen meet the real one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from tests.gui.eight_accounts import write_site
from tests.gui.fit_check import cut_off_texts

ROOT = Path(__file__).resolve().parents[2]
# (width, height, zoom): the two laptops, and 150 % on a larger screen (issue 17).
SIZES = ((1280, 720, 1), (1024, 700, 1), (1440, 900, 1.5))
SEEN = (
    "welcome", "welcome-demo", "composer", "confirm", "practice", "history", "signals", "report",
    "report-written", "sweep", "schedule", "schedule-lesson-time", "scheduled", "consent",
    "import-1-file", "import-1-file-chosen", "import-2-columns", "import-3-check",
    "import-4-done", "accounts", "settings", "review-note", "review-sent",
    "composer-review-waiting", "review-answer", "tagging", "send-progress", "consent-add-person",
    "consent-edit", "withdrawal-impact", "token-sign-in", "bluesky-sign-in", "suspend",
    "retract", "composer-youtube-video", "confirm-youtube",
)  # fmt: skip
_walks: dict[tuple[int, int, float], dict[str, list[str]]] = {}


def walked(size: tuple[int, int, float], tmp_path_factory) -> dict[str, list[str]]:
    if size not in _walks:
        width, height, zoom = size
        folder = tmp_path_factory.mktemp(f"walk-{width}x{height}")
        screen = folder / "screen.json"
        screen.write_text(
            json.dumps(
                {
                    "screens": [
                        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                         "logicalDpi": 96, "dpr": 1}
                    ]
                }
            )
        )  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
            "QT_SCALE_FACTOR": str(zoom),
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.gui.page_walk",
                str(write_site(folder)),
                str(folder / "data"),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        _walks[size] = json.loads(done.stdout.strip().splitlines()[-1])
    return _walks[size]


@pytest.mark.parametrize(
    "size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}" + (f"-zoom{s[2]:g}" if s[2] != 1 else "")
)
@pytest.mark.parametrize("name", SEEN)
def test_the_page_or_dialog_fits_and_shows_every_text_whole(name, size, tmp_path_factory):
    found = walked(size, tmp_path_factory)
    assert name in found, f"the walk did not reach {name}"
    assert found[name] == []


def test_the_walk_reaches_every_page_and_dialog_it_names(tmp_path_factory):
    assert set(walked(SIZES[1], tmp_path_factory)) == set(SEEN)


def test_the_check_finds_a_squeezed_button_and_a_clipped_label(qtbot):
    top = QWidget()
    layout = QVBoxLayout(top)
    button = QPushButton("Bevestig dat deze mensen van school zijn")
    label = QLabel("Een lange uitleg die in een smal vak niet past, ook niet op twee regels")
    label.setWordWrap(True)
    whole = QLabel("Kort")
    for widget in (button, label, whole):
        layout.addWidget(widget)
    qtbot.addWidget(top)
    top.show()
    button.setFixedWidth(60)
    label.setFixedSize(80, 20)
    qtbot.waitExposed(top)
    problems = cut_off_texts(top)
    assert len(problems) == 2
    assert problems[0].startswith("QPushButton 'Bevestig")
    assert problems[1].startswith("QLabel 'Een lange uitleg")


def test_the_check_finds_a_text_its_container_cuts_off(qtbot):
    from PySide6.QtWidgets import QScrollArea

    top = QWidget()
    layout = QVBoxLayout(top)
    scroll = QScrollArea()
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidgetResizable(True)
    inner = QWidget()
    QVBoxLayout(inner).addWidget(
        QLabel("Een kop die niet afbreekt en breder is dan het vak eromheen")
    )
    scroll.setWidget(inner)
    layout.addWidget(scroll)
    qtbot.addWidget(top)
    top.resize(200, 120)
    top.show()
    qtbot.waitExposed(top)
    (problem,) = cut_off_texts(top)
    assert "partly outside" in problem
    # Where the area may scroll sideways, the rest of the text can be reached: not cut off.
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    qtbot.wait(20)
    assert cut_off_texts(top) == []


def test_the_check_finds_table_columns_out_of_sight(qtbot):
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    table = QTableWidget(1, 3)
    table.setHorizontalHeaderLabels(["Naam", "Groep", "Toestemming"])
    for column, text in enumerate(("Zoë El Amrani-Wijnberg van Oudshoorn", "3a", "ja")):
        table.setItem(0, column, QTableWidgetItem(text))
    qtbot.addWidget(table)
    table.resize(220, 120)
    table.show()
    qtbot.waitExposed(table)
    table.resizeColumnsToContents()  # wider together than the view: the last is behind a scroll
    (problem,) = cut_off_texts(table)
    assert problem.startswith("table 'Naam/Groep/Toestemming': columns need")
    table.setColumnWidth(0, 50)  # within the view (the name would wrap in a real table)
    assert cut_off_texts(table) == []
