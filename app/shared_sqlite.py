"""What every SQLite file of Postwijs that two processes may open at once needs: WAL, so readers
go on while one writer writes, and a busy timeout, so a writer waits for the other (the store's
database and the practice account's timeline)."""

from __future__ import annotations

import sqlite3
import time

BUSY_TIMEOUT_SECONDS = 10


def enable_wal(conn: sqlite3.Connection) -> None:
    """Switches to WAL. When two processes create the database at the same moment, SQLite may
    answer 'locked' at once instead of waiting, so this waits and tries again for a while."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
