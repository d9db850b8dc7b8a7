"""The real window on the demo site under Orca (scripts/orca/run.sh): type a post with a phone
number (a blocking finding), Tab to the finding and press Enter on it, fix the text, confirm and
publish to the practice account, with pauses so that Orca can speak."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# After the project is on the path (this runs as a script, not from the project folder).
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.__main__ import connector_for
from app.commands.cli import Options
from tests.gui.page_walk import settle, wait_for
from ui.composer.checks_panel import FindingCard
from ui.startup import build_main_window


def main() -> None:
    app = QApplication(sys.argv[:1])
    data_dir = Path(tempfile.mkdtemp()) / "data"
    window = build_main_window(
        Options(data_dir=data_dir, site_file=None, language=""), connector_for
    )
    window.show()
    wait_for(app, lambda: window.composer.checks_enabled and window.welcome_dialog is not None)
    window.welcome_dialog.accept()
    window.activateWindow()

    def pause(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            settle(app, 1)

    def step(name: str) -> None:
        print("STEP", name, time.strftime("%H:%M:%S"), flush=True)

    composer = window.composer
    pause(30)
    step("focus the editor")
    composer.editor.setFocus()
    pause(20)
    step("type a phone number")
    composer.editor.insertPlainText("Bel juf Anne op 06-12345678")
    pause(25)
    step("Tab to the finding")
    for _press in range(12):
        QTest.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        pause(3)
        if isinstance(window.focusWidget(), FindingCard):
            break
    pause(15)
    step("Enter on the finding")
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_Return)
    pause(15)
    step("fix the text")
    composer.editor.setFocus()
    composer.editor.setPlainText("Vandaag hebben we appels geplukt.")
    pause(25)
    step("confirm")
    window.confirm_publish()
    pause(25)
    step("publish")
    window.confirm_dialog.publish_button.click()
    pause(40)
    step("done")
    window.close()


if __name__ == "__main__":
    main()
