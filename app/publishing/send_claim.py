"""One worker at a time sends a target, across threads and Postwijs processes alike.

Two sends of one job can overlap: the window's own send while the outbox's background pass comes
by, or two windows on one data folder. Both read the target as `pending`; without a claim both
would post it. A claim is an exclusive, non-blocking lock on a small file per target in the data
folder: the OS holds it for exactly as long as the worker lives, so a worker that dies frees it
and the next attempt looks first (must_look), and one that is still sending keeps every other
worker away. Each claim opens the file anew, so two threads of one process exclude each other too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.file_lock import exclusive, lock_path

FOLDER = "claims"


@contextmanager
def claimed(data_dir: Path, target_id: str) -> Iterator[bool]:
    """Yields True while this worker alone holds the target; False when another one does."""
    with exclusive(lock_path(data_dir / FOLDER, target_id)) as mine:
        yield mine
