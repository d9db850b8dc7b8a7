"""Screenshots of every page and dialog for review, under a real X server (scripts/screenshots.sh),
on a school with eight long-named accounts: one PNG per page or dialog in OUT_DIR; the same
walk on the built-in demo site in OUT_DIR/demosite.

    python scripts/screenshots.py OUT_DIR
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from tests.gui.eight_accounts import write_site
from tests.gui.page_walk import walk

out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
out.mkdir(parents=True, exist_ok=True)
app = QApplication(sys.argv[:1])
folder = Path(tempfile.mkdtemp(prefix="postwijs-shots-"))


def shoot(name: str, widget: QWidget) -> None:
    target = out / f"{name}.png"
    widget.grab().save(str(target))
    print(target)


walk(write_site(folder), folder / "data", shoot)
# The built-in demo site too, as a new user meets it (the welcome asks who they are).
out = out / "demosite"
out.mkdir(exist_ok=True)
walk(None, folder / "demo-data", shoot)
