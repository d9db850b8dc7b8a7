"""Which accounts can post from this computer now, read off the GUI thread for the composer.

The account states live in the accounts service (app.accounts.service); the composer model gets
plain `Availability` values.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.compose.model import Availability, availability_of
from app.site.config import Account, Site
from app.store import Store

if TYPE_CHECKING:
    from app.accounts.service import AccountStatus

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
        return {s.account.id: _availability(s) for s in statuses}

    return read


def _availability(status: AccountStatus) -> Availability:
    from app.accounts.service import SIGNED_OUT  # here, as in `read`: slow to load at start-up

    if status.state == SIGNED_OUT and status.configuration_problem:
        # Signing in cannot help until IT has set the network up (Instagram's koppeldienst): the
        # author reads whom it waits for, as the Accounts page says, not "sign in first".
        return Availability(False, status.label, status.note)
    return availability_of(status.state, status.label, status.note)
