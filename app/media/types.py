"""What the media pipeline hands back: the prepared copy, or a Dutch reason why there is none."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.i18n import _


class MediaError(Exception):
    """A file that cannot be prepared. `str(error)` is a Dutch sentence that leads with what the
    user can do; show it as it is."""


@dataclass(frozen=True)
class PreparedMedia:
    """The copy that may leave the laptop: metadata removed, within one network's limits.

    `removed` lists, in Dutch, what was found and left out (empty when the file carried nothing);
    `changes` lists, in Dutch, what else was done (turned upright, made smaller, padded, ...).
    `sha256` is the hex digest of the file at `path`, for the history.
    """

    path: str
    network: str
    kind: str  # "image" or "video"
    format: str  # "JPEG", "PNG", "GIF" or "MP4"
    mime_type: str
    width: int
    height: int
    bytes: int
    sha256: str
    removed: tuple[str, ...] = ()
    changes: tuple[str, ...] = field(default=())
    duration_s: float | None = None  # videos only


def file_size(path: Path) -> int:
    """The size of a chosen file; a MediaError in Dutch when it is gone, unreadable or empty."""
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise MediaError(
            _("Kies het bestand opnieuw: {name} bestaat niet (meer).").format(name=name)
        ) from None
    except OSError as error:
        raise MediaError(
            _("Kies een ander bestand: {name} kan niet worden gelezen ({reason}).").format(
                name=name, reason=error.strerror or error
            )
        ) from None
    if path.is_dir():
        raise MediaError(_("Kies een foto of video, geen map: {name}.").format(name=name))
    if size == 0:
        raise MediaError(_("Kies een ander bestand: {name} is leeg.").format(name=name))
    return size
