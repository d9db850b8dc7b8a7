"""Sign-in secrets (OAuth tokens, app passwords) in the operating system's password vault.

Each account has one entry: service "Postwijs", user name the account id, the value a JSON object
whose shape belongs to the connector (oauth.py stores a Token). There is deliberately no fallback:
on a computer without a usable vault (keyring's fail or null backend, or a vault that errors) every
call raises SecretsUnavailable and nothing is written anywhere, not even in plain text.

A secret never appears in an exception (messages are fixed Dutch sentences, the backend's own
exception is dropped, not chained), in a log line (only the exception's class is logged) or in a
repr (this class holds no secrets; it reads them from the vault on every call).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from app.i18n import _
from app.networks.connector import SecretsUnavailable  # with the closed set, for the core

log = logging.getLogger("postwijs.secrets")
SERVICE = "Postwijs"

__all__ = ["SERVICE", "SecretStore", "SecretsUnavailable"]


def _unavailable() -> SecretsUnavailable:
    return SecretsUnavailable(
        _(
            "De wachtwoordkluis van deze computer is niet beschikbaar. Postwijs bewaart aanmeldingen alleen daarin; vraag de ICT-beheerder om een werkende wachtwoordkluis."
        )
    )


def _locked() -> SecretsUnavailable:
    return SecretsUnavailable(
        _(
            "De wachtwoordkluis van deze computer is op slot. Ontgrendel hem (bijvoorbeeld door opnieuw in te loggen op de computer) en probeer het opnieuw."
        )
    )


def _usable(backend: KeyringBackend) -> bool:
    """False for keyring's stand-ins that store nothing: the fail backend (no vault found), the
    null backend (discards everything) and a chainer with nothing real behind it."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(_usable(inner) for inner in backend.backends)
    return True


class SecretStore:
    """The one way connectors reach the vault.

    `backend` is for tests and for the composition root; None means the backend keyring chooses
    for this computer (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
    """

    def __init__(self, backend: KeyringBackend | None = None):
        self._backend = backend

    def __repr__(self) -> str:
        return f"SecretStore(service={SERVICE!r})"

    def vault(self) -> KeyringBackend:
        backend = self._backend if self._backend is not None else keyring.get_keyring()
        if not _usable(backend):
            raise _unavailable()
        return backend

    def check_available(self) -> None:
        """Raises SecretsUnavailable now, so a sign-in fails before the browser opens, not after
        the user has typed a password."""
        self.vault()

    def read(self, account_id: str) -> dict[str, Any] | None:
        """The account's entry, or None when it has none (never signed in, or disconnected)."""
        backend = self.vault()
        try:
            raw = backend.get_password(SERVICE, account_id)
        except Exception as error:
            raise self._translate(error, "read") from None
        if raw is None:
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            log.warning("vault entry of account %s is not JSON; treated as absent", account_id)
            return None
        if not isinstance(value, dict):
            log.warning("vault entry of account %s is not an object; treated as absent", account_id)
            return None
        return value

    def write(self, account_id: str, value: Mapping[str, Any]) -> None:
        """Replaces the account's entry. Compact JSON, since some vaults (Windows) hold only a few
        kilobytes per entry."""
        raw = json.dumps(dict(value), separators=(",", ":"), ensure_ascii=False)
        backend = self.vault()
        try:
            backend.set_password(SERVICE, account_id, raw)
        except Exception as error:
            raise self._translate(error, "write") from None

    def delete(self, account_id: str) -> None:
        """Removes the account's entry; an account without one is fine."""
        backend = self.vault()
        try:
            backend.delete_password(SERVICE, account_id)
        except PasswordDeleteError:
            # keyring's way of saying there was nothing to delete.
            return
        except Exception as error:
            raise self._translate(error, "delete") from None

    @staticmethod
    def _translate(error: Exception, action: str) -> SecretsUnavailable:
        # Any backend failure means "no vault now"; catching broadly is the point, since backends
        # raise their own D-Bus, COM or Keychain errors. Only the class is logged: a backend's
        # message may quote what it was asked to store.
        log.warning("password vault %s failed: %s", action, type(error).__name__)
        return _locked() if isinstance(error, KeyringLocked) else _unavailable()
