"""The shape of one entry in the network registry (connectors/__init__.py): what a network brings
so that the account service (app.accounts.service) can sign its accounts in and out, test them
and hand out their connectors without knowing which network it is.

A new network is one connector module, one NetworkEntry and one profile; nothing here changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from app.networks.connector import Capabilities, Connector, OutgoingMedia
from app.networks.profiles import NetworkProfile
from app.site.config import Account


class Vault(Protocol):
    """The password vault (connectors.secrets.SecretStore): one JSON entry per account id. Every
    method raises SecretsUnavailable when the vault cannot be used."""

    def check_available(self) -> None: ...

    def read(self, account_id: str) -> dict[str, Any] | None: ...

    def write(self, account_id: str, value: Mapping[str, Any]) -> None: ...

    def delete(self, account_id: str) -> None: ...


class JpegCopy(Protocol):
    """Writes a JPEG copy of a prepared photo beside it, within `max_bytes` (the network's own
    limit when None), for a server that does not take the photo's own type. The copy comes back
    as the same OutgoingMedia (alt text and all) at its new path; a photo that cannot be
    converted raises Rejected with the reason in Dutch. The account service fills it with the
    core's photo preparation, so a connector needs no image library of its own."""

    def __call__(
        self, item: OutgoingMedia, network: str, max_bytes: int | None
    ) -> OutgoingMedia: ...


@dataclass(frozen=True)
class AccountAccess:
    """What a network's hooks get for one account. The vault entry of `account.id` is the
    network's to shape, except the account service's note beside it (`note()` reads it);
    `sign_in_needed()` tells the service the network refused the sign-in; `jpeg_copy` converts
    a photo for a server that does not take its type (None: nothing converts here)."""

    account: Account
    vault: Vault
    data_dir: Path
    note: Callable[[], Mapping[str, Any]]
    sign_in_needed: Callable[[], None]
    jpeg_copy: JpegCopy | None = None


@dataclass(frozen=True)
class SignInRequest:
    """What the user gave for a sign-in: a handle and an app password (typed in Postwijs), or
    nothing (the browser asks); `cancelled` is set when the user stops waiting."""

    handle: str = ""
    app_password: str = ""
    cancelled: threading.Event | None = None


@dataclass(frozen=True)
class SignedIn:
    """A sign-in that worked and is in the vault. `text_limit` is the server's own character
    limit when it has one; `note` what the service keeps in its note beside the sign-in."""

    handle: str
    text_limit: int | None = None
    note: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Revoked:
    """A sign-out: the sign-in is gone from the vault; `revoked` says whether the network itself
    withdrew Postwijs's access, and `message` (Dutch) what the user must still do."""

    revoked: bool
    message: str


@dataclass(frozen=True)
class NetworkEntry:
    """One network in the registry.

    - `connector(access)`: the account's connector, its sign-in read from the vault at each use;
      never raises (a missing sign-in shows when it is used);
    - `has_sign_in(entry)`: whether the account's vault entry holds a usable sign-in;
    - `sign_in(access, request)` and `revoke(access)`: None for a network without sign-in;
    - `configuration_problem(account)`: Dutch sentences for IT when the site configuration
      lacks what the network needs (a Mastodon server), one line per missing setting, else "".
    """

    profile: NetworkProfile
    capabilities: Capabilities
    connector: Callable[[AccountAccess], Connector]
    has_sign_in: Callable[[Mapping[str, Any] | None], bool] = lambda entry: False
    sign_in: Callable[[AccountAccess, SignInRequest], SignedIn] | None = None
    revoke: Callable[[AccountAccess], Revoked] | None = None
    configuration_problem: Callable[[Account], str] = lambda account: ""
