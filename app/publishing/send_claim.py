"""One worker at a time sends a target, across threads and Postwijs processes alike.

Two sends of one job can overlap: the window's own send while the outbox's background pass comes
by, or two windows on one data folder. Both read the target as `pending`; without a claim both
would post it. A claim is an exclusive, non-blocking lock on a small file per target in the data
folder: the OS holds it for exactly as long as the worker lives, so a worker that dies frees it
and the next attempt looks first (must_look), and one that is still sending keeps every other
worker away. Each claim opens the file anew, so two threads of one process exclude each other too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.file_lock import exclusive, lock_path

FOLDER = "claims"


@contextmanager
def claimed(data_dir: Path, target_id: str, wait: float = 0.0) -> Iterator[bool]:
    """Yields True while this worker alone holds the target; False when another one held it for
    longer than `wait` seconds (0: one try)."""
    with exclusive(lock_path(data_dir / FOLDER, target_id), wait) as mine:
        yield mine


def forget(data_dir: Path, target_id: str) -> None:
    """Removes the claim file of a target that was posted: it is never sent again, and a school
    posts thousands of times. Removed only while holding it: a worker that opened the old file
    meanwhile locks a file no longer in the folder, reads the target again under it, finds it
    posted, and sends nothing; the next worker makes a new file."""
    path = lock_path(data_dir / FOLDER, target_id)
    with exclusive(path) as mine:
        if mine:
            # Windows refuses to remove a file that is open; there the empty file stays.
            with contextlib.suppress(OSError):
                path.unlink()
