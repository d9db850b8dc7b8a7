"""The benchmarks' vault: sign-ins in memory, put there as if the account had signed in (the
benchmarks measure publishing, not the OS keyring)."""

from __future__ import annotations


class MemoryVault:
    """The bench's vault: one sign-in, in memory."""

    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}

    def check_available(self) -> None:
        pass

    def read(self, account_id: str) -> dict | None:
        return self.entries.get(account_id)

    def write(self, account_id: str, value: dict) -> None:
        self.entries[account_id] = dict(value)

    def delete(self, account_id: str) -> None:
        self.entries.pop(account_id, None)
