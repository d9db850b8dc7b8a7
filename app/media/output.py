"""Writing a prepared copy, and telling its size to people."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

from app.i18n import _
from app.media.types import MediaError


def write_prepared(
    data: bytes, out_dir: Path, network: str, digest: str, extension: str, original: Path
) -> Path:
    """Writes the copy under a name that says nothing of the original (its name may hold a
    child's name), atomically, so a half-written file is never taken for a prepared one."""
    target = prepared_path(out_dir, network, digest, extension)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if target.resolve() == original.resolve():
            return target  # the same bytes are already there: the original stays untouched
        handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=".postwijs-", suffix=extension)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise folder_error(out_dir, error) from None
    return target


def prepared_path(out_dir: Path, network: str, digest: str, extension: str) -> Path:
    return out_dir / f"{network}-{digest[:16]}{extension}"


def folder_error(folder: Path, error: OSError) -> MediaError:
    return MediaError(
        _(
            "Kies een andere map voor de kopie: {folder} kan niet worden beschreven ({reason})."
        ).format(folder=folder, reason=error.strerror or error)
    )


def megabytes(size: int) -> str:
    """A byte count for people, the Dutch way: "1,9 MB"."""
    if size < 1_000_000:
        return f"{max(1, math.ceil(size / 1000))} kB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB".replace(".", ",")
    return f"{size / 1_000_000_000:.1f} GB".replace(".", ",")
