"""Takes screenshots of the main screens for review: run under Xvfb (scripts/screenshots.sh)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.__main__ import connector_for
from app.commands.cli import Options
from ui.app_window import build_main_window

out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
out.mkdir(parents=True, exist_ok=True)
app = QApplication(sys.argv[:1])
data_dir = Path(tempfile.mkdtemp(prefix="postwijs-shots-"))
window = build_main_window(Options(data_dir=data_dir, site_file=None), connector_for)
window.show()
window.composer.editor.setPlainText(
    "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee aan de sportdag op het"
    " plein. Dank aan alle ouders die hielpen."
)
for _ in range(20):
    app.processEvents()
    QApplication.instance().thread().msleep(10)


def shoot(name: str) -> None:
    for _ in range(5):
        app.processEvents()
    target = out / f"{name}.png"
    app.primaryScreen().grabWindow(window.winId()).save(str(target))
    print(target)


shoot("composer")
window.composer.editor.setPlainText(
    "Wat een feest vandaag! Vragen? Bel juf Anouk op 06-12345678. Die sukkel van groep 8 was weer"
    " te laat. Haar zoon heeft ADHD."
)
shoot("composer-findings")
window.composer.editor.setPlainText(
    "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee aan de sportdag op het"
    " plein. Dank aan alle ouders die hielpen."
)
window.confirm_publish()
for _ in range(5):
    app.processEvents()
app.primaryScreen().grabWindow(window.confirm_dialog.winId()).save(str(out / "confirm.png"))
print(out / "confirm.png")
window.confirm_dialog.accept()
for _ in range(200):
    app.processEvents()
    if not window.publishing:
        break
    QApplication.instance().thread().msleep(20)
shoot("practice-timeline")
window.show_page("history")
shoot("history")
window.show_page("scheduled")
shoot("scheduled")
window.show_page("consent")
shoot("consent")
window.show_page("accounts")
shoot("accounts")
window.show_page("settings")
shoot("settings")
