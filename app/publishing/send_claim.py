"""One worker at a time sends a target, across threads and Postwijs processes alike.

Two sends of one job can overlap: the window's own send while the outbox's background pass comes
by, or two windows on one data folder. Both read the target as `pending`; without a claim both
would post it. A claim is an exclusive, non-blocking lock on a small file per target in the data
folder: the OS holds it for exactly as long as the worker lives, so a worker that dies frees it
and the next attempt looks first (must_look), and one that is still sending keeps every other
worker away. Each claim opens the file anew, so two threads of one process exclude each other too.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FOLDER = "claims"


@contextmanager
def claimed(data_dir: Path, target_id: str) -> Iterator[bool]:
    """Yields True while this worker alone holds the target; False when another one does."""
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # A digest: a file name never depends on what characters an id may hold.
    name = hashlib.sha256(target_id.encode("utf-8")).hexdigest()[:32]
    with open(folder / f"{name}.lock", "a+b") as handle:
        if not _try_lock(handle):
            yield False
            return
        try:
            yield True
        finally:
            _unlock(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
