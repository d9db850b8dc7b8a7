"""The registry of networks and the one base class: every entry matches its connector, what a
network cannot do raises NotSupported, and a network added as one entry is served by the account
service with no change anywhere else (against a real Secret Service and real SQLite)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import connectors
from app.accounts.service import CONNECTED, SIGNED_OUT, AccountService
from app.history import chain as history
from app.networks.connector import (
    Capabilities,
    NotSupported,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    SignIn,
)
from app.networks.profiles import PRACTICE, PROFILES
from app.networks.registry import AccountAccess, NetworkEntry, Revoked, SignedIn, SignInRequest
from app.site.config import Account
from app.store import Store
from connectors.base import BaseConnector
from connectors.practice import PracticeConnector
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)

BY = "Sanne de Vries"


def test_every_entry_carries_its_networks_profile_and_its_connectors_capabilities():
    registry = connectors.networks()
    assert set(registry) <= set(PROFILES)
    for network, entry in registry.items():
        assert entry.profile == PROFILES[network]
    assert registry["practice"].capabilities == PracticeConnector.capabilities
    assert registry["mastodon"].capabilities == connectors.mastodon.MastodonConnector.capabilities
    assert registry["bluesky"].capabilities == connectors.bluesky.BlueskyConnector.capabilities


def test_what_the_practice_account_cannot_do_raises_not_supported(data_dir):
    connector = PracticeConnector(data_dir, "oefen")
    assert not connector.capabilities.list_follows and not connector.capabilities.unfollow
    with pytest.raises(NotSupported, match="volgt niemand"):
        connector.list_follows()
    with pytest.raises(NotSupported, match="Ontvolg dit account in Oefenaccount zelf"):
        connector.unfollow("@sem@school.example")


# --- a network added as one entry -------------------------------------------------------------

SCHOOLPLEIN = replace(PRACTICE, id="schoolplein", label="Schoolplein")


class SchoolpleinConnector(BaseConnector):
    """A network that knows only who is signed in and takes posts: no follows, no deleting."""

    profile = SCHOOLPLEIN
    capabilities = Capabilities(sign_in=SignIn.PASTED_TOKEN, find_posts=True)

    def __init__(self, access: AccountAccess):
        self.access = access

    def _token(self) -> str:
        entry = self.access.vault.read(self.access.account.id)
        if not entry or not entry.get("token"):
            raise Reconnect("Plak het token opnieuw.")
        return entry["token"]

    def connect(self) -> str:
        return self.who_am_i()

    def who_am_i(self) -> str:
        return "@" + self._token().split(":")[0]

    def publish(self, post: OutgoingPost) -> PublishedPost:
        return PublishedPost(post.client_key, "")

    def find_post(self, post, since):
        return None


def _sign_in(access: AccountAccess, request: SignInRequest) -> SignedIn:
    access.vault.write(access.account.id, {"token": request.app_password})
    return SignedIn(SchoolpleinConnector(access).who_am_i())


def _revoke(access: AccountAccess) -> Revoked:
    access.vault.delete(access.account.id)
    return Revoked(False, "Trek het token in bij Schoolplein.")


@pytest.fixture
def vault(secret_service):  # noqa: F811
    yield SecretStore()
    SecretStore().delete("sp")


def test_a_network_added_as_one_registry_entry_is_served_by_the_account_service(
    vault, data_dir: Path
):
    registry = {
        **connectors.networks(),
        "schoolplein": NetworkEntry(
            SCHOOLPLEIN,
            SchoolpleinConnector.capabilities,
            SchoolpleinConnector,
            has_sign_in=lambda entry: bool(entry and entry.get("token")),
            sign_in=_sign_in,
            revoke=_revoke,
        ),
    }
    service = AccountService(vault, data_dir, registry)
    account = Account("sp", "regenboog", "schoolplein", "Schoolplein", "official")
    store = Store.open(data_dir)
    try:
        assert service.sign_in_method(account) is SignIn.PASTED_TOKEN
        assert service.status(store, account).state == SIGNED_OUT

        connected = service.connect(store, account, BY, app_password="regenboog:geheim")
        assert connected.handle == "@regenboog"
        status = service.status(store, account)
        assert (status.state, status.connected_as) == (CONNECTED, "@regenboog")
        assert service.test(account).ok

        audit = service.friend_audit(account, [])
        assert not audit.supported
        assert audit.message == "Dit netwerk laat niet zien wie het account volgt."
        with pytest.raises(NotSupported, match="Ontvolg dit account in Schoolplein zelf"):
            service.unfollow(store, account, "@sem", BY)

        disconnected = service.disconnect(store, account, BY)
        assert disconnected.message == "Trek het token in bij Schoolplein."
        assert vault.read("sp") is None
        assert [e.kind for e in history.events(store)] == [
            "account_connected",
            "account_disconnected",
        ]
    finally:
        store.close()
