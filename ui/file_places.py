"""Where Qt's file dialogs open: photos in the user's Pictures folder, reports in Documents
(platformdirs knows them per OS); the home folder when such a folder does not exist."""

from __future__ import annotations

from pathlib import Path

import platformdirs


def _existing(folder: str) -> str:
    path = Path(folder)
    return str(path if path.is_dir() else Path.home())


def pictures_folder() -> str:
    return _existing(platformdirs.user_pictures_dir())


def documents_folder() -> str:
    return _existing(platformdirs.user_documents_dir())
