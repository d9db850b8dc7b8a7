"""What the media pipeline hands back: the prepared copy, or a Dutch reason why there is none."""

from __future__ import annotations

from dataclasses import dataclass, field


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
