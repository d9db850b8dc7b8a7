"""The registry of connectors by network id: explicit, one line per network."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.connector import Connector
from app.site import Account
from connectors.practice import PracticeConnector

ConnectorFactory = Callable[[Account, Path], Connector]

REGISTRY: dict[str, ConnectorFactory] = {
    "practice": lambda account, data_dir: PracticeConnector(data_dir, account.id),
}


def connector_for(account: Account, data_dir: Path) -> Connector:
    try:
        factory = REGISTRY[account.network]
    except KeyError:
        raise KeyError(f"no connector for network {account.network!r}") from None
    return factory(account, data_dir)
