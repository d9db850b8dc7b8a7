"""The password vault wrapper against a real Secret Service (gnome-keyring-daemon on a private
D-Bus session), and against keyring's own stand-ins for a computer without a vault."""

from __future__ import annotations

import logging
import uuid

import keyring
import pytest
import secretstorage
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, chainer, fail, null

from app.networks.connector import RetryLater
from connectors.secrets import SERVICE, SecretStore, SecretsUnavailable

SECRET = "geheim-Zw4@rdvis-1234567890"
NO_VAULT = "De wachtwoordkluis van deze computer is niet beschikbaar."


@pytest.fixture
def account_id() -> str:
    return f"account-{uuid.uuid4()}"


def _items_in_secret_service() -> list[dict[str, str]]:
    with secretstorage.dbus_init() as connection:
        collection = secretstorage.get_default_collection(connection)
        return [item.get_attributes() for item in collection.get_all_items()]


def test_keyring_uses_the_real_secret_service(secret_service):
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    SecretStore().check_available()


@pytest.mark.parametrize(
    "value",
    [
        {
            "kind": "oauth",
            "access_token": SECRET,
            "refresh_token": "ververs-ABC",
            "expires_at": 1.5,
        },
        {"kind": "app_password", "handle": "obs-de-klimop.bsky.social", "password": SECRET},
        {"kind": "oauth", "access_token": "tëkst met ünicode en emoji 🎉", "scope": "a b"},
    ],
)
def test_store_read_and_delete(secret_service, account_id, value):
    store = SecretStore()
    assert store.read(account_id) is None
    store.write(account_id, value)
    assert store.read(account_id) == value
    # One entry per account, under service "Postwijs" and the account id, readable by keyring
    # itself (so IT can find it with the system's own tools).
    assert keyring.get_password(SERVICE, account_id) is not None
    assert {"service": SERVICE, "username": account_id} in [
        {k: attrs.get(k) for k in ("service", "username")} for attrs in _items_in_secret_service()
    ]
    store.delete(account_id)
    assert store.read(account_id) is None
    assert keyring.get_password(SERVICE, account_id) is None


def test_writing_again_replaces_the_entry(secret_service, account_id):
    store = SecretStore()
    store.write(account_id, {"kind": "oauth", "access_token": "oud"})
    store.write(account_id, {"kind": "oauth", "access_token": "nieuw"})
    assert store.read(account_id) == {"kind": "oauth", "access_token": "nieuw"}
    matching = [a for a in _items_in_secret_service() if a.get("username") == account_id]
    assert len(matching) == 1
    store.delete(account_id)


def test_accounts_do_not_share_an_entry(secret_service):
    store = SecretStore()
    first, second = f"a-{uuid.uuid4()}", f"b-{uuid.uuid4()}"
    store.write(first, {"kind": "oauth", "access_token": "van-de-eerste"})
    store.write(second, {"kind": "oauth", "access_token": "van-de-tweede"})
    store.delete(first)
    assert store.read(first) is None
    assert store.read(second) == {"kind": "oauth", "access_token": "van-de-tweede"}
    store.delete(second)


def test_deleting_an_account_without_entry_is_fine(secret_service, account_id):
    SecretStore().delete(account_id)


@pytest.mark.parametrize("raw", ["geen json", "[1, 2]", '"tekst"', ""])
def test_an_unreadable_entry_counts_as_absent(secret_service, account_id, raw):
    keyring.set_password(SERVICE, account_id, raw)
    assert SecretStore().read(account_id) is None
    keyring.delete_password(SERVICE, account_id)


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_vault_gives_the_dutch_message_and_stores_nothing(
    secret_service, account_id, backend, caplog
):
    before = _items_in_secret_service()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        _assert_no_vault(account_id, caplog)
    finally:
        keyring.set_keyring(previous)
    # Nothing landed anywhere: not in the real vault, not in a file beside it.
    assert _items_in_secret_service() == before


def _assert_no_vault(account_id, caplog):
    store = SecretStore()
    with pytest.raises(SecretsUnavailable) as raised:
        store.write(account_id, {"kind": "app_password", "password": SECRET})
    assert str(raised.value).startswith(NO_VAULT)
    assert isinstance(raised.value, RetryLater)
    for call in (store.check_available, lambda: store.read(account_id)):
        with pytest.raises(SecretsUnavailable, match=NO_VAULT):
            call()
    assert SECRET not in caplog.text


def test_a_chainer_with_nothing_behind_it_is_no_vault(account_id, monkeypatch):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    with pytest.raises(SecretsUnavailable, match=NO_VAULT):
        SecretStore(chainer.ChainerBackend()).write(account_id, {"password": SECRET})


class _TalkativeBackend(KeyringBackend):
    """A third-party backend whose errors quote what it was given, as some do."""

    priority = 1

    def __init__(self, error: type[Exception]):
        super().__init__()
        self.error = error

    def get_password(self, service, username):
        raise self.error(f"cannot read {service}/{username}: last value was {SECRET}")

    def set_password(self, service, username, password):
        raise self.error(f"cannot store {password!r} for {username}")

    def delete_password(self, service, username):
        raise self.error(f"cannot delete {SECRET}")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (RuntimeError, NO_VAULT),
        (keyring.errors.PasswordSetError, NO_VAULT),
        (keyring.errors.KeyringLocked, "De wachtwoordkluis van deze computer is op slot."),
    ],
)
def test_a_secret_never_appears_in_errors_or_logs(account_id, caplog, error, message):
    caplog.set_level(logging.DEBUG)
    store = SecretStore(_TalkativeBackend(error))
    calls = [
        lambda: store.write(account_id, {"kind": "app_password", "password": SECRET}),
        lambda: store.read(account_id),
        lambda: store.delete(account_id),
    ]
    for call in calls:
        with pytest.raises(SecretsUnavailable) as raised:
            call()
        failure = raised.value
        assert str(failure).startswith(message)
        assert SECRET not in str(failure)
        assert SECRET not in repr(failure)
        assert failure.__cause__ is None
        assert failure.__suppress_context__
    assert SECRET not in caplog.text
    assert SECRET not in repr(store)


def test_the_store_holds_no_secret_in_its_repr(secret_service, account_id):
    store = SecretStore()
    store.write(account_id, {"kind": "oauth", "access_token": SECRET})
    assert SECRET not in repr(store)
    assert SECRET not in str(store)
    store.delete(account_id)
