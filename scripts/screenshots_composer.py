"""Screenshots of the composer's path with the eight-account test site, for review (issue 11):
run under Xvfb at the screen size to check, e.g.
  QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1024x700x24" .venv/bin/python \
      scripts/screenshots_composer.py screenshots/1024x700
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.__main__ import connector_for
from app.commands.cli import Options
from app.compose.model import availability_of
from app.store import Store
from tests.regenboog_register import fill_regenboog
from tests.synthetic_photos import group_photo
from ui.startup import build_main_window

ROOT = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
out.mkdir(parents=True, exist_ok=True)
app = QApplication(sys.argv[:1])
screen = app.primaryScreen().geometry()
data_dir = Path(tempfile.mkdtemp(prefix="postwijs-shots-"))
photo = data_dir / "schoolplein.jpg"
group_photo((1200, 800), (160, 180), seed=3).image.save(photo, quality=92)


def wait(condition=lambda: True, rounds: int = 400) -> None:
    for _ in range(rounds):
        app.processEvents()
        if condition():
            break
        QApplication.instance().thread().msleep(15)
    for _ in range(10):
        app.processEvents()


def shoot(name: str) -> None:
    for _ in range(20):  # a window just shown is mapped and painted a moment later
        wait(rounds=1)
        QApplication.instance().thread().msleep(15)
    target = out / f"{name}.png"
    app.primaryScreen().grabWindow(0).save(str(target))
    print(target, window.size().toTuple())


window = build_main_window(
    Options(data_dir=data_dir, site_file=ROOT / "tests" / "sites" / "eight-accounts.toml"),
    connector_for,
)
window.move(0, 0)
window.resize(screen.width(), screen.height())
window.show()
wait(lambda: window.composer.checks_enabled)
wait(lambda: QThreadPool.globalInstance().activeThreadCount() == 0)
shoot("01-composer-eight-accounts")

composer = window.composer
composer.editor.setPlainText(
    "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee aan de sportdag op het"
    " plein. Dank aan alle ouders die hielpen."
)
shoot("02-composer-empty-register")

store = Store.open(data_dir)
fill_regenboog(store)
window.reload_people()
read_states = window.account_availability


def with_two_signed_in(accounts):
    # As if Juf Annemarie had signed in, and X could post (it has no connector: fails in Dutch).
    return {
        **read_states(accounts),
        "regenboog-bluesky-juf": availability_of("connected", "verbonden"),
        "regenboog-x": availability_of("connected", "verbonden"),
    }


window.account_availability = with_two_signed_in
window.reload_availability()
wait(lambda: composer.account_boxes["regenboog-bluesky-juf"].isEnabled())
composer.account_boxes["regenboog-bluesky-juf"].click()
composer.account_boxes["regenboog-x"].click()
strip = composer.media_strip
strip.add_files([photo])
wait(lambda: not strip.busy, rounds=4000)
shoot("03-composer-photo-needs-faces")

strip.tiles[0].faces_button.click()
wait(lambda: strip.tagging_dialog is not None and strip.tagging_dialog.isVisible())
shoot("04-face-dialog")
(item,) = window.model.draft.media
strip.editor.blur_all(item)
strip.editor.confirm_everyone(item)
shoot("05-face-dialog-blurred")
strip.tagging_dialog.accept()
strip.editor.set_alt_text(item, "Kinderen op het schoolplein tijdens de sportdag")
composer.scroll_area.verticalScrollBar().setValue(0)
shoot("06-composer-blurred-preview")

window.confirm_publish()
wait(lambda: window.confirm_dialog is not None and window.confirm_dialog.isVisible())
shoot("07-confirm")
window.confirm_dialog.publish_button.click()
wait(lambda: not window.publishing, rounds=4000)
shoot("08-result")
window.progress_dialog.accept()
window.show_page("composer")
shoot("09-composer-after-publishing")
app.quit()
