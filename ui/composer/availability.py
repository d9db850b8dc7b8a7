"""Which accounts can post from this computer now, read off the GUI thread for the composer.

The account states live in the accounts service (app.accounts.service); the composer model gets
plain `Availability` values.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.compose.model import Availability, availability_of
from app.site.config import Account, Site
from app.store import Store

AvailabilityReader = Callable[[list[Account]], dict[str, Availability]]


def vault_availability(data_dir: Path, site: Site | None = None) -> AvailabilityReader:
    """Reads each account's state as the Accounts page shows it: the vault, the sign-in, whether
    Postwijs can reach its network yet, what the site configuration gives it (the foundation's
    service Instagram needs). Blocks on the vault: call it off the GUI thread."""

    def read(accounts: list[Account]) -> dict[str, Availability]:
        import connectors
        from app.accounts.service import AccountService

        store = Store.open(data_dir)
        try:
            options = connectors.options_for(site) if site is not None else None
            service = AccountService(
                connectors.SecretStore(), data_dir, connectors.networks(options)
            )
            statuses = service.statuses(store, accounts)
        finally:
            store.close()
        return {s.account.id: availability_of(s.state, s.label, s.note) for s in statuses}

    return read
