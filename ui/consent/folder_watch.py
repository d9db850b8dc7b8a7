"""One source for many laptops: the administration's latest export in a shared folder is imported
at start and whenever the folder changes, so a withdrawal reaches every laptop."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QTimer

from app.i18n import _
from app.store import Store
from ui.failure_text import failure_words

log = logging.getLogger("postwijs.consent")


class ConsentFolderWatch:
    """`window` gives the site, the data folder, the author, `say` and `reload_people`."""

    def __init__(self, window):
        self.window = window
        self.folders = {s.id: s.consent_folder for s in window.site.schools if s.consent_folder}
        self.watcher: QFileSystemWatcher | None = None
        if self.folders:
            self.watcher = QFileSystemWatcher(list(self.folders.values()), window)
            self.watcher.directoryChanged.connect(lambda _path: self.import_now())
            self.import_now()

    def import_now(self) -> None:
        from ui.background import run_in_background

        window = self.window
        folders = dict(self.folders)
        data_dir, site, by = window.data_dir, window.site, window.model.author.name

        def work():
            from app.consent.share_import import import_from_share

            store = Store.open(data_dir)
            try:
                return [
                    import_from_share(store, site, Path(f), sid, by=by)
                    for sid, f in folders.items()
                ]
            finally:
                store.close()

        def done(results, error) -> None:
            if error is not None:
                window.say(
                    _("Het toestemmingsregister kon niet worden bijgewerkt: {reason}").format(
                        reason=failure_words(error, log, "importing from the shared folder")
                    )
                )
                return
            messages = [
                r.message for r in results if r.message and r.state not in ("unchanged", "no_file")
            ]
            if messages:
                window.say(" ".join(messages))
            if any(r.state == "imported" for r in results):
                window.reload_people()
            if any(r.state == "busy" for r in results):
                # The administration is still writing the export: look again once it is done.
                QTimer.singleShot(6000, self.import_now)

        run_in_background(work, done)
