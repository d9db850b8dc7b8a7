"""One refresh of an account's sign-in at a time, across threads and Postwijs processes alike.

Two windows on one data folder, or the window and postwijs-cli, can find the same access token
expired in the same moment. Where the provider rotates refresh tokens (X, and LinkedIn's through
the foundation's service), the second refresh would spend a refresh token the first one already
spent: the provider refuses it or revokes the whole sign-in, and the account must be connected
again. So a refresh holds an exclusive lock on a small file per account in the data folder, and
reads the token from the vault again once it has the lock: when another process refreshed
meanwhile, that token is used and no refresh is made.

The OS frees the lock when its process dies, so a crashed window never blocks the others. Each
use opens the file anew, so two connectors of one account in one process exclude each other too.
A process that waits longer than `WAIT` (a refresh that hangs past every timeout) gives up with
RetryLater instead of holding up the outbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.file_lock import exclusive, lock_path
from app.i18n import _
from app.networks.connector import RetryLater

FOLDER = "locks"
# Longer than one token call may take (connect 10 s + read 60 s, twice over for the service).
WAIT = 150.0


@contextmanager
def refresh_lock(
    data_dir: Path | None, account_key: str, network: str, *, wait: float = WAIT
) -> Iterator[None]:
    """Holds this account's refresh lock in `data_dir` while the block runs. None for
    `data_dir` (a connector made without a data folder, such as a sign-in check): no lock."""
    if data_dir is None:
        yield
        return
    path = lock_path(Path(data_dir) / FOLDER, account_key, prefix="refresh-")
    with exclusive(path, wait) as got:
        if not got:
            raise RetryLater(
                _(
                    "Een ander Postwijs-venster vernieuwt op dit moment de aanmelding bij {network}. Postwijs probeert het straks opnieuw."
                ).format(network=network)
            )
        yield
