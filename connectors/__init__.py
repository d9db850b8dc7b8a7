"""The registry of connectors by network id: explicit, one line per network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.networks.connector import Connector
from app.site.config import Account
from connectors.practice import PracticeConnector

ConnectorFactory = Callable[[Account, Path], Connector]


def _signed_in(account: Account, data_dir: Path) -> Connector:
    # Imported on first use: the networks' modules (requests, oauthlib) are not needed at start-up.
    from connectors.accounts import connector_for as vault_connector_for

    return vault_connector_for(account, data_dir)


REGISTRY: dict[str, ConnectorFactory] = {
    "practice": lambda account, data_dir: PracticeConnector(data_dir, account.id),
    "mastodon": _signed_in,
    "bluesky": _signed_in,
}


def connector_for(account: Account, data_dir: Path) -> Connector:
    try:
        factory = REGISTRY[account.network]
    except KeyError:
        raise KeyError(f"no connector for network {account.network!r}") from None
    return factory(account, data_dir)
