"""An exclusive lock on a small file in the data folder, across threads and Postwijs processes
alike (two windows on one data folder, or the window and postwijs-cli).

The OS holds the lock for exactly as long as its holder lives, so a crashed process never
blocks the others. Each use opens the file anew, so two threads of one process exclude each
other too. flock on Linux and macOS, msvcrt on Windows.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_POLL = 0.02  # seconds between tries while waiting


def lock_path(folder: Path, key: str, prefix: str = "") -> Path:
    """The lock file for `key` in `folder` (made when missing). A digest: the name says nothing
    of the key and never holds characters a file system refuses."""
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{prefix}{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.lock"


@contextmanager
def exclusive(path: Path, wait: float = 0.0) -> Iterator[bool]:
    """Yields True while this holder alone has the lock; False when another one kept it for
    longer than `wait` seconds (0: one try)."""
    with open(path, "a+b") as handle:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(_POLL)
        try:
            yield True
        finally:
            _unlock(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
