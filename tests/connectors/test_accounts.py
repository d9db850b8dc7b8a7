"""The accounts of the site configuration: states and actions, against the Mastodon contract server
(tests/servers/mastodon_server.py), a real Bluesky PDS (tests/servers/pds_fixture.py) and a real
Secret Service (tests/connectors/conftest.py); and keyring's fail backend for a computer without a
password vault.

The test's browser visits the sign-in page with requests, so the instance's redirect reaches
Postwijs's loopback listener as a real browser's would.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
import requests
from keyring.backends import fail

from app.__main__ import connector_for as registered_connector_for
from app.accounts.service import (
    CONNECTED,
    NO_VAULT,
    PRACTICE,
    RECONNECT,
    SIGNED_OUT,
    SUSPENDED,
    UNAVAILABLE,
    AccountService,
    kind_label,
    state_label,
)
from app.compose.model import ComposerModel
from app.history import chain as history
from app.networks.connector import NotSupported, OutgoingPost, Reconnect, Rejected, RetryLater
from app.publishing import outbox
from app.rules.model import RegisterPerson
from app.site.config import DEMO_SITE_FILE, Account, Site, load_site
from app.store import DATABASE_NAME
from connectors import SignInOptions, networks
from connectors.bluesky import BlueskyConnector
from connectors.mastodon import AppRegistrationCache, MastodonConnector
from connectors.oauth import SignInCancelled, SignInFailed
from connectors.secrets import SERVICE, SecretStore, SecretsUnavailable
from tests.servers.mastodon_server import MastodonServer
from tests.servers.pds_fixture import PdsServer, pds_server  # noqa: F401  (a fixture)

BY = "Sanne de Vries"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class VisitingBrowser:
    """Opens the sign-in page as the user's browser would: the instance approves at once and
    redirects to the loopback address, which requests follows. In a thread, because authorize()
    listens only after the browser was opened."""

    def __init__(self) -> None:
        self.opened: list[str] = []
        self.answers: list[int] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        answer = requests.get(url, timeout=30)
        self.answers.append(answer.status_code)


class IdleBrowser:
    """A browser window the user leaves alone."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        return True


def site_with(tmp_path: Path, accounts_toml: str) -> Site:
    """The demo site with extra accounts for the second school (De Kleine Wereld)."""
    path = tmp_path / "site.toml"
    path.write_text(DEMO_SITE_FILE.read_text(encoding="utf-8") + accounts_toml, encoding="utf-8")
    return load_site(path)


def mastodon_account(server: MastodonServer, handle: str = "@juf@school.example") -> str:
    return f"""
[[schools.accounts]]
id = "kw-mastodon"
network = "mastodon"
name = "Mastodon De Kleine Wereld"
kind = "official"
instance = "{server.base_url}"
handle = "{handle}"
"""


@pytest.fixture
def server():
    # The contract server speaks plain http on 127.0.0.1, as a local instance may: the sign-in
    # allows that for loopback only, with no OAUTHLIB_INSECURE_TRANSPORT in the environment.
    with MastodonServer() as running:
        yield running


@pytest.fixture
def vault(secret_service):
    """The real Secret Service; the accounts' entries are removed afterwards, whatever happened."""
    yield SecretStore()
    for account_id in ("kw-mastodon", "kw-bluesky", "kw-zonder-server"):
        SecretStore().delete(account_id)


def service_for(
    vault: SecretStore, data_dir: Path, browser=None, port: int | None = None, **kwargs
) -> AccountService:
    options = SignInOptions(
        open_browser=browser or VisitingBrowser(), redirect_port=port or free_port(), **kwargs
    )
    return AccountService(vault, data_dir, networks(options))


def database_bytes(data_dir: Path) -> bytes:
    """Everything SQLite has on disk: the database and its write-ahead log."""
    return b"".join(
        path.read_bytes()
        for path in data_dir.iterdir()
        if path.name.startswith(DATABASE_NAME) and path.is_file()
    )


def stored_token(vault: SecretStore, account_id: str) -> str:
    entry = vault.read(account_id)
    assert entry is not None
    return entry["access_token"]


# --- words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (CONNECTED, "verbonden"),
        (RECONNECT, "opnieuw aanmelden"),
        (SIGNED_OUT, "niet aangemeld"),
        (NO_VAULT, "geen wachtwoordkluis"),
        (SUSPENDED, "geschorst"),
    ],
)
def test_every_state_has_words_for_people(state, words):
    assert state_label(state) == words


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("official", "officieel account van de school"),
        ("staff", "eigen account van een medewerker, zakelijk gebruikt"),
    ],
)
def test_both_kinds_of_account_have_words(kind, words):
    assert kind_label(kind) == words


# --- Mastodon, signed in through the browser --------------------------------------------------------


def test_mastodon_sign_in_test_and_sign_out_end_to_end(server, vault, store, data_dir, tmp_path):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    browser = VisitingBrowser()
    port = free_port()
    service = service_for(vault, data_dir, browser, port)

    before = service.status(store, account)
    assert (before.state, before.signed_in) == (SIGNED_OUT, False)
    assert "Meld dit account aan bij Mastodon" in before.note

    connected = service.connect(store, account, BY)
    assert connected.handle == "@juf@school.example"
    assert connected.message == "Aangemeld bij Mastodon als @juf@school.example."
    after = service.status(store, account)
    assert (after.state, after.connected_as) == (CONNECTED, "@juf@school.example")

    # The browser went to the instance's page with PKCE, a forced sign-in and Dutch; the
    # instance sent it back to the fixed loopback port, where Postwijs exchanged the code.
    [authorize] = server.requests_to("GET", "/oauth/authorize")
    redirect = f"http://127.0.0.1:{port}/callback"
    assert authorize.query["redirect_uri"] == [redirect]
    assert authorize.query["code_challenge_method"] == ["S256"]
    assert authorize.query["force_login"] == ["true"] and authorize.query["lang"] == ["nl"]
    assert browser.answers == [200]
    [registered] = server.requests_to("POST", "/api/v1/apps")
    assert registered.fields["redirect_uris"] == redirect
    [exchange] = server.requests_to("POST", "/oauth/token")
    assert exchange.fields["code_verifier"] and exchange.fields["client_secret"]
    token = stored_token(vault, account.id)
    assert server.tokens[token].scopes == {
        "read:accounts",
        "read:notifications",
        "read:statuses",
        "write:follows",
        "write:media",
        "write:statuses",
    }

    tested = service.test(account)
    assert tested.ok and tested.message == "Mastodon werkt: aangemeld als @juf@school.example."

    # The registry builds the connector that publishes with this sign-in.
    with registered_connector_for(account, data_dir) as registered_connector:
        assert isinstance(registered_connector, MastodonConnector)

    disconnected = service.disconnect(store, account, BY)
    assert disconnected.revoked
    assert "toegang van Postwijs is ingetrokken" in disconnected.message
    [revoke] = server.requests_to("POST", "/oauth/revoke")
    assert revoke.fields["token"] == token
    assert server.tokens[token].revoked
    assert vault.read(account.id) is None
    assert keyring.get_password(SERVICE, account.id) is None
    assert service.status(store, account).state == SIGNED_OUT
    assert server.violations == []

    kinds = [event.kind for event in history.events(store)]
    assert kinds == ["account_connected", "account_disconnected"]
    connected_event, disconnected_event = history.events(store)
    assert connected_event.data == {
        "account": "kw-mastodon",
        "school": "kleine-wereld",
        "network": "mastodon",
    }
    assert connected_event.details == {"handle": "@juf@school.example", "by": BY}
    assert disconnected_event.data["revoked"] is True
    assert history.verify(store).intact


def test_no_secret_reaches_the_database_or_the_history(server, vault, store, data_dir, tmp_path):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    token = stored_token(vault, account.id)
    [app] = server.apps.values()
    service.test(account)
    service.suspend(store, account, "Wachtwoord misschien uitgelekt", BY)
    service.lift(store, account, BY)
    on_disk = database_bytes(data_dir)
    for secret in (token, app.client_secret):
        assert secret.encode() not in on_disk
    for event in history.events(store):
        assert token not in repr(event) and app.client_secret not in repr(event)
    # The vault holds it, under the account's id; the registration under the instance.
    assert keyring.get_password(SERVICE, account.id) is not None
    assert AppRegistrationCache.key(server.base_url) == f"mastodon-app:{server.base_url}"
    assert app.client_secret in keyring.get_password(SERVICE, f"mastodon-app:{server.base_url}")
    service.disconnect(store, account, BY)


def test_the_app_registration_is_reused_for_a_second_sign_in(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    first = stored_token(vault, account.id)
    service.connect(store, account, BY)
    assert stored_token(vault, account.id) != first
    assert len(server.requests_to("POST", "/api/v1/apps")) == 1
    assert len(server.requests_to("POST", "/oauth/token")) == 2
    service.disconnect(store, account, BY)


def test_a_revoked_sign_in_asks_to_reconnect_and_waiting_posts_go_out_after_it(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    server.revoke_token(stored_token(vault, account.id))

    model = ComposerModel(site)
    model.set_school("kleine-wereld")
    for other in model.accounts():
        model.set_account(other.id, other.id == account.id)
    model.set_text("Vandaag hebben we pannenkoeken gebakken.")
    job = outbox.submit(store, model.draft, model.variants())
    [target] = outbox.send(store, job, service_connector(service, site), {})
    assert target.state == outbox.RECONNECT
    waiting = service.status(store, account)
    assert waiting.state == RECONNECT
    assert "Meld het account opnieuw aan" in waiting.note

    service.connect(store, account, BY)
    assert outbox.target(store, target.id).state == outbox.PENDING
    assert service.status(store, account).state == CONNECTED
    [posted] = outbox.send(store, job, service_connector(service, site), {})
    assert posted.state == outbox.POSTED
    [status] = server.stored_statuses()
    assert status.text.startswith("Vandaag hebben we pannenkoeken gebakken.")
    service.disconnect(store, account, BY)


def service_connector(service: AccountService, site: Site):
    return lambda account_id: service.connector_for(site.account(account_id))


def test_a_test_that_is_refused_notes_it_and_a_working_one_clears_it(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    token = stored_token(vault, account.id)
    server.revoke_token(token)
    refused = service.test(account)
    assert not refused.ok
    assert "Meld het account opnieuw aan bij Accounts" in refused.message
    assert service.status(store, account).state == RECONNECT
    # Another window (or a restart) sees the same: the note is in the vault.
    again = service_for(SecretStore(), data_dir)
    assert again.status(store, account).state == RECONNECT
    server.tokens[token].revoked = False
    assert service.test(account).ok
    assert service.status(store, account).state == CONNECTED
    service.disconnect(store, account, BY)


def test_signing_in_as_another_account_than_the_configured_one_is_undone(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server, handle="@directie@school.example"))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    with pytest.raises(SignInFailed) as refused:
        service.connect(store, account, BY)
    assert str(refused.value) == (
        "Je bent aangemeld als @juf@school.example, maar dit account is @directie@school.example."
        " Meld je in de browser aan als @directie@school.example en probeer het opnieuw."
    )
    [token] = server.tokens.values()
    assert token.revoked
    assert vault.read(account.id) is None
    assert service.status(store, account).state == SIGNED_OUT
    assert history.events(store) == []


def test_a_server_before_4_3_signs_in_without_pkce(server, vault, store, data_dir, tmp_path):
    server.discovery = False
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    assert service.connect(store, account, BY).handle == "@juf@school.example"
    [authorize] = server.requests_to("GET", "/oauth/authorize")
    assert "code_challenge" not in authorize.query
    assert service.status(store, account).state == CONNECTED
    service.disconnect(store, account, BY)
    assert server.violations == []


def test_a_sign_in_whose_account_cannot_be_read_is_not_kept(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    server.fail_next("GET", "/api/v1/accounts/verify_credentials", 503, {"error": "onderhoud"})
    with pytest.raises(RetryLater, match="storing"):
        service.connect(store, account, BY)
    [token] = server.tokens.values()
    assert token.revoked
    assert vault.read(account.id) is None
    assert service.status(store, account).state == SIGNED_OUT
    assert history.events(store) == []


def test_a_cancelled_sign_in_stores_nothing_and_frees_the_port(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    browser = IdleBrowser()
    port = free_port()
    service = service_for(vault, data_dir, browser, port)
    cancelled = threading.Event()
    threading.Timer(0.3, cancelled.set).start()
    with pytest.raises(SignInCancelled, match="geannuleerd"):
        service.connect(store, account, BY, cancelled=cancelled)
    assert len(browser.opened) == 1
    assert vault.read(account.id) is None
    assert history.events(store) == []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))


def test_a_sign_in_that_takes_too_long_stops_with_words(server, vault, store, data_dir, tmp_path):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir, IdleBrowser(), sign_in_timeout=0.3)
    started = time.monotonic()
    with pytest.raises(SignInFailed, match="te lang duurde"):
        service.connect(store, account, BY)
    assert time.monotonic() - started < 10
    assert service.status(store, account).state == SIGNED_OUT


def test_a_mastodon_account_without_a_server_tells_it_to_ask_it(vault, store, data_dir, tmp_path):
    site = site_with(
        tmp_path,
        """
[[schools.accounts]]
id = "kw-zonder-server"
network = "mastodon"
name = "Mastodon zonder server"
kind = "staff"
""",
    )
    account = site.account("kw-zonder-server")
    service = service_for(vault, data_dir)
    status = service.status(store, account)
    assert status.state == SIGNED_OUT
    assert status.note.startswith("De ICT-beheerder moet Mastodon nog instellen voor Postwijs.")
    assert "Vraag de ICT-beheerder de Mastodon-server" in status.configuration_problem
    with pytest.raises(Rejected, match="ICT-beheerder"):
        service.connect(store, account, BY)
    # The outbox gets a refusal with the same words, never a crash.
    connector = registered_connector_for(account, data_dir)
    with pytest.raises(Rejected, match="siteconfiguratie"):
        connector.who_am_i()
    # Mastodon can unfollow; what stops it here is the missing server, and the words say so.
    with pytest.raises(Rejected, match="siteconfiguratie"):
        service.unfollow(store, account, "@sem@school.example", BY)


def test_an_instance_named_only_by_the_handle_is_found(vault, data_dir):
    account = Account(
        "a", "regenboog", "mastodon", "Eigen account", "staff", handle="@juf@mastodon.social"
    )
    connector = service_for(vault, data_dir).connector_for(account)
    assert connector.base_url == "https://mastodon.social"
    connector.close()


# --- the friend audit (Communiceren 11) --------------------------------------------------------------


def pupil(handle: str, network: str = "mastodon", role: str = "pupil") -> RegisterPerson:
    return RegisterPerson(
        id=f"p-{handle}",
        first_name="Sem",
        last_name="de Boer",
        role=role,
        school_id="kleine-wereld",
        handles={network: handle},
    )


def test_the_friend_audit_lists_a_followed_pupil(server, vault, store, data_dir, tmp_path):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    followed = server.add_following(3)
    people = [
        pupil(followed[1]),  # a pupil this account follows
        pupil("@iemand@elders.example"),  # a pupil it does not follow
        pupil(followed[0], role="staff"),  # a colleague it may follow
    ]
    audit = service.friend_audit(account, people)
    assert audit.supported and audit.followed == 3 and audit.pupils_with_handle == 2
    assert [(m.followed, m.person_name) for m in audit.matches] == [(followed[1], "Sem de Boer")]
    assert audit.article == "Communiceren 11"
    assert audit.can_unfollow
    assert (
        audit.message == "Dit account volgt 1 leerling. Ontvolg dit account met de knop Ontvolgen."
    )

    clean = service.friend_audit(account, people[1:])
    assert clean.matches == ()
    assert clean.message.startswith("Dit account volgt geen leerlingen")
    unknown = service.friend_audit(account, [pupil("sem.bsky.social", network="bluesky")])
    assert unknown.pupils_with_handle == 0
    assert "kent van geen enkele leerling een account op Mastodon" in unknown.message
    service.disconnect(store, account, BY)


def test_unfollowing_a_pupil_removes_the_follow_and_records_it_without_secrets(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    followed = server.add_following(3)
    people = [pupil(followed[1]), pupil(followed[2])]
    [first, second] = service.friend_audit(account, people).matches

    done = service.unfollow(store, account, first.followed, BY)

    assert done.removed
    assert done.message == f"Dit account volgt {first.followed} niet meer op Mastodon."
    after = service.friend_audit(account, people)
    assert [m.followed for m in after.matches] == [second.followed]
    assert after.followed == 2
    [event] = history.events(store, "unfollowed")
    assert event.data == {
        "account": "kw-mastodon",
        "school": "kleine-wereld",
        "network": "mastodon",
    }
    assert event.details == {"handle": first.followed, "by": BY}
    token = stored_token(vault, account.id)
    assert token not in repr(event) and token.encode() not in database_bytes(data_dir)

    # Once more: nothing left to remove, and nothing more in the history.
    server.fail_next("GET", "/api/v1/accounts/lookup", 404, {"error": "Record not found"})
    again = service.unfollow(store, account, first.followed, BY)
    assert not again.removed
    assert again.message == f"Dit account volgt {first.followed} al niet meer."
    assert len(history.events(store, "unfollowed")) == 1
    with pytest.raises(ValueError, match="Kies het account"):
        service.unfollow(store, account, "  ", BY)
    assert server.violations == []
    service.disconnect(store, account, BY)


def test_an_unfollow_with_a_refused_sign_in_asks_to_reconnect(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    followed = server.add_following(1)
    server.revoke_token(stored_token(vault, account.id))
    with pytest.raises(Reconnect, match="Meld het account opnieuw aan"):
        service.unfollow(store, account, followed[0], BY)
    assert service.status(store, account).state == RECONNECT
    assert server.following  # still followed
    assert history.events(store, "unfollowed") == []


def test_a_friend_audit_without_a_sign_in_asks_to_sign_in(server, vault, data_dir, tmp_path):
    site = site_with(tmp_path, mastodon_account(server))
    with pytest.raises(Reconnect, match="Meld het account opnieuw aan"):
        service_for(vault, data_dir).friend_audit(site.account("kw-mastodon"), [])


def test_the_practice_account_needs_no_sign_in_and_follows_nobody(
    vault, store, data_dir, demo_site
):
    account = demo_site.account("regenboog-oefen")
    service = service_for(vault, data_dir)
    status = service.status(store, account)
    assert (status.state, status.label) == (PRACTICE, "oefenaccount, aanmelden is niet nodig")
    assert service.test(account).ok
    audit = service.friend_audit(account, [pupil("@sem@school.example")])
    assert not audit.supported and audit.message == "Een oefenaccount volgt niemand."
    assert not audit.can_unfollow
    with pytest.raises(NotSupported, match="zelf"):
        service.unfollow(store, account, "@sem@school.example", BY)
    with pytest.raises(Rejected, match="hoeft niet aangemeld"):
        service.connect(store, account, BY)


def test_a_network_postwijs_cannot_reach_yet_says_so(vault, data_dir, store):
    """A network the profiles know but the registry has no connector for (as Facebook was
    before it had one)."""
    account = Account("fb", "regenboog", "facebook", "Facebook De Regenboog", "official")
    registry = {k: v for k, v in networks(SignInOptions()).items() if k != "facebook"}
    service = AccountService(vault, data_dir, registry)
    status = service.status(store, account)
    assert status.state == UNAVAILABLE
    assert status.note == "Postwijs kan nog niet aanmelden bij Facebook."
    with pytest.raises(Rejected, match="nog niet aanmelden bij Facebook"):
        service.connect(store, account, BY)
    # A post on it is refused with words, never a KeyError ("no connector for network").
    with pytest.raises(Rejected, match=r"^Postwijs kan nog niet plaatsen op Facebook\.$"):
        service.connector_for(account).publish(OutgoingPost("k", "fb", "Facebook", "Hallo"))


def test_a_network_postwijs_does_not_know_at_all_is_refused_in_dutch(vault, data_dir, store):
    account = Account("tt", "regenboog", "tiktok", "TikTok De Regenboog", "official")
    service = service_for(vault, data_dir)
    assert service.status(store, account).state == UNAVAILABLE
    for action in (
        lambda connector: connector.who_am_i(),
        lambda connector: connector.find_post(OutgoingPost("k", "tt", "TikTok", "Hoi"), NOW),
        lambda connector: connector.list_follows(),
    ):
        with pytest.raises(Rejected, match=r"^Postwijs kan nog niet plaatsen op tiktok\.$"):
            action(registered_connector_for(account, data_dir))


# --- suspension (Communiceren 12) -----------------------------------------------------------------


def test_a_suspension_is_shown_before_the_sign_in_and_recorded(
    server, vault, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY)
    with pytest.raises(ValueError, match="Geef een reden op"):
        service.suspend(store, account, "   ", BY)
    service.suspend(store, account, "Ongepaste reactie geplaatst", BY)
    suspended = service.status(store, account)
    assert (suspended.state, suspended.connection) == (SUSPENDED, CONNECTED)
    assert suspended.note == f"Geschorst door {BY}: Ongepaste reactie geplaatst"
    service.lift(store, account, BY)
    assert service.status(store, account).state == CONNECTED
    kinds = [event.kind for event in history.events(store)]
    assert kinds[-2:] == ["account_suspended", "account_unsuspended"]
    service.disconnect(store, account, BY)


# --- a computer without a password vault --------------------------------------------------------------


def test_without_a_vault_nothing_can_be_signed_in_and_nothing_is_sent(
    server, store, data_dir, tmp_path
):
    site = site_with(tmp_path, mastodon_account(server))
    service = service_for(SecretStore(fail.Keyring()), data_dir)
    assert not service.vault_available()
    states = {s.account.id: s for s in service.statuses(store, _all_accounts(site))}
    assert states["kw-mastodon"].state == NO_VAULT
    assert states["kw-mastodon"].note.startswith(
        "De wachtwoordkluis van deze computer is niet beschikbaar"
    )
    assert states["regenboog-oefen"].state == PRACTICE
    with pytest.raises(SecretsUnavailable):
        service.connect(store, site.account("kw-mastodon"), BY)
    bluesky_account = Account(
        "bsky", "kleine-wereld", "bluesky", "Bluesky", "official", handle="school.test"
    )
    with pytest.raises(SecretsUnavailable):
        service.connect(store, bluesky_account, BY, app_password="abcd-efgh-ijkl-mnop")
    assert server.requests == []
    assert history.events(store) == []


def _all_accounts(site: Site) -> list[Account]:
    return [a for school in site.schools for a in school.accounts]


# --- Bluesky, with an app password, against a real PDS ------------------------------------------------


def bluesky_account(pds: PdsServer, handle: str = "") -> Account:
    return Account(
        "kw-bluesky",
        "kleine-wereld",
        "bluesky",
        "Bluesky De Kleine Wereld",
        "official",
        instance=pds.url,
        handle=handle,
    )


def test_a_bluesky_server_address_that_is_no_address_tells_it_in_dutch(vault, store, data_dir):
    # Once an English "ValueError: not a service address" that reached the Accounts page.
    account = Account(
        "kw-bluesky", "kleine-wereld", "bluesky", "Bluesky", "official", instance="pds school"
    )
    service = service_for(vault, data_dir)
    status = service.status(store, account)
    assert status.state == SIGNED_OUT
    assert status.note.startswith("De ICT-beheerder moet Bluesky nog instellen voor Postwijs.")
    assert "het adres van de Bluesky-server" in status.configuration_problem
    with pytest.raises(Rejected, match="het adres van de Bluesky-server"):
        service.connect(
            store, account, BY, handle="school.test", app_password="abcd-efgh-ijkl-mnop"
        )
    with pytest.raises(Rejected, match="het adres van de Bluesky-server"):
        service.connector_for(account).who_am_i()
    assert vault.read(account.id) is None
    assert history.events(store) == []


def test_bluesky_sign_in_with_an_app_password_test_audit_and_sign_out(
    pds_server,  # noqa: F811
    vault,
    store,
    data_dir,
):
    school = pds_server.create_account("klimop-school.test")
    sem = pds_server.create_account("leerling-sem.test")
    password = pds_server.create_app_password(school["accessJwt"], "Postwijs")
    follow = pds_server.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        school["accessJwt"],
        json={
            "repo": school["did"],
            "collection": "app.bsky.graph.follow",
            "record": {
                "$type": "app.bsky.graph.follow",
                "subject": sem["did"],
                "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            },
        },
    )
    assert follow.status_code == 200, follow.text
    account = bluesky_account(pds_server, handle="klimop-school.test")
    service = service_for(vault, data_dir)
    assert service.status(store, account).state == SIGNED_OUT

    connected = service.connect(store, account, BY, app_password=f" {password.upper()} ")
    assert connected.handle == "@klimop-school.test"
    status = service.status(store, account)
    assert (status.state, status.connected_as) == (CONNECTED, "@klimop-school.test")
    entry = vault.read(account.id)
    assert entry["appPassword"] == password
    refresh_jwt = entry["session"]["refreshJwt"]

    assert service.test(account).message == "Bluesky werkt: aangemeld als @klimop-school.test."
    with registered_connector_for(account, data_dir) as registered:
        assert isinstance(registered, BlueskyConnector)
    audit = service.friend_audit(account, [pupil("@leerling-sem.test", network="bluesky")])
    assert [m.followed for m in audit.matches] == ["@leerling-sem.test"]
    assert audit.can_unfollow and "met de knop Ontvolgen" in audit.message
    unfollowed = service.unfollow(store, account, "@leerling-sem.test", BY)
    assert unfollowed.removed
    assert unfollowed.message == "Dit account volgt @leerling-sem.test niet meer op Bluesky."
    assert (
        service.friend_audit(account, [pupil("@leerling-sem.test", network="bluesky")]).matches
        == ()
    )
    [event] = history.events(store, "unfollowed")
    assert event.data == {"account": "kw-bluesky", "school": "kleine-wereld", "network": "bluesky"}
    assert event.details == {"handle": "@leerling-sem.test", "by": BY}

    disconnected = service.disconnect(store, account, BY)
    assert not disconnected.revoked
    assert "App-wachtwoorden" in disconnected.message
    assert vault.read(account.id) is None
    assert service.status(store, account).state == SIGNED_OUT
    # The session ended at the PDS: its refresh token no longer works.
    ended = pds_server.xrpc("POST", "com.atproto.server.refreshSession", refresh_jwt)
    assert ended.status_code in (400, 401)
    assert password.encode() not in database_bytes(data_dir)
    assert [e.kind for e in history.events(store)] == [
        "account_connected",
        "unfollowed",
        "account_disconnected",
    ]


def test_bluesky_asks_the_handle_when_the_site_does_not_name_it(
    pds_server,  # noqa: F811
    vault,
    store,
    data_dir,
):
    staff = pds_server.create_account("meester-tim.test")
    password = pds_server.create_app_password(staff["accessJwt"], "Postwijs")
    account = bluesky_account(pds_server)
    service = service_for(vault, data_dir)
    with pytest.raises(Rejected, match="Vul de naam van het Bluesky-account in"):
        service.connect(store, account, BY, app_password=password)
    service.connect(store, account, BY, handle="@Meester-Tim.test", app_password=password)
    # A later run (the registry's connector) knows the handle from the vault.
    with service.connector_for(account) as connector:
        assert connector.identifier == "meester-tim.test"
        assert connector.who_am_i() == "@meester-tim.test"
    service.disconnect(store, account, BY)


@pytest.mark.parametrize(
    ("handle", "typed", "words"),
    [
        (
            "juf-fout.test",
            "aaaa-bbbb-cccc-dddd",
            "Controleer de naam van het account en het app-wachtwoord",
        ),
        ("juf-gewoon.test", "MijnGewoneWachtwoord2024!", "Maak in Bluesky een app-wachtwoord aan"),
    ],
)
def test_a_wrong_or_main_password_is_never_stored(
    pds_server,  # noqa: F811
    vault,
    store,
    data_dir,
    handle,
    typed,
    words,
):
    created = pds_server.create_account(handle)
    before = pds_server.sessions_made(created["did"])
    account = bluesky_account(pds_server, handle=handle)
    service = service_for(vault, data_dir)
    with pytest.raises(Reconnect) as refused:
        service.connect(store, account, BY, app_password=typed)
    assert words in str(refused.value)
    assert typed not in str(refused.value)
    assert vault.read(account.id) is None
    assert service.status(store, account).state == SIGNED_OUT
    assert pds_server.sessions_made(created["did"]) == before
    assert history.events(store) == []


def test_a_new_sign_in_replaces_the_previous_app_password(
    pds_server,  # noqa: F811
    vault,
    store,
    data_dir,
):
    created = pds_server.create_account("juf-lotte.test")
    old = pds_server.create_app_password(created["accessJwt"], "oud")
    new = pds_server.create_app_password(created["accessJwt"], "nieuw")
    account = replace(bluesky_account(pds_server), handle="juf-lotte.test")
    service = service_for(vault, data_dir)
    service.connect(store, account, BY, app_password=old)
    service.connect(store, account, BY, app_password=new)
    assert vault.read(account.id)["appPassword"] == new
    service.disconnect(store, account, BY)


def test_signing_in_to_mastodon_remembers_the_instances_character_limit(
    vault, store, data_dir, tmp_path, monkeypatch
):
    """The composer counts against the instance's own max_characters once signed in."""
    from app.compose.model import ComposerModel
    from app.networks.account_limits import text_limits

    with MastodonServer(max_characters=5000) as roomy:
        site = site_with(tmp_path, mastodon_account(roomy))
        account = site.account("kw-mastodon")
        service_for(vault, data_dir, VisitingBrowser()).connect(store, account, BY)
    assert text_limits(store) == {account.id: 5000}
    model = ComposerModel(site)
    model.set_school(account.school_id)
    model.set_account(account.id, True)
    model.set_text("x" * 1000)
    (variant,) = [v for v in model.variants() if v.account_id == account.id]
    assert variant.limit == 500 and not variant.fits  # Mastodon's default
    model.set_text_limits(text_limits(store))
    (variant,) = [v for v in model.variants() if v.account_id == account.id]
    assert variant.limit == 5000 and variant.fits


# --- Mastodon, on a server that speaks its API but is not Mastodon ----------------------------------


def test_a_server_that_refuses_fine_grained_scopes_is_asked_the_broad_ones_after_telling_why(
    vault, store, data_dir, tmp_path
):
    """A GoToSocial-like server takes the fine-grained scopes at the sign-in and then refuses
    every call with them (403 out_of_scope_for_token); it has no discovery document and no
    PKCE. The first sign-in is withdrawn with one Dutch explanation of the broad rights; the
    next one asks for them, and completes."""
    with MastodonServer(compatible=True) as server:
        site = site_with(tmp_path, mastodon_account(server))
        account = site.account("kw-mastodon")
        service = service_for(vault, data_dir)
        server.expect_deviation("token lacks scope read:accounts or profile")

        with pytest.raises(SignInFailed) as refused:
            service.connect(store, account, BY)
        message = str(refused.value)
        assert "'read write' (lezen en schrijven)" in message
        assert "de enige die deze server kent" in message
        assert "Meld het account opnieuw aan" in message
        [first] = server.tokens.values()
        assert first.revoked and vault.read(account.id) is None
        assert service.status(store, account).state == SIGNED_OUT

        connected = service.connect(store, account, BY)
        assert connected.handle == "@juf@school.example"
        assert service.status(store, account).state == CONNECTED
        first_authorize, second_authorize = server.requests_to("GET", "/oauth/authorize")
        assert first_authorize.query["scope"] == [
            "read:accounts read:notifications read:statuses write:follows write:media write:statuses"
        ]
        assert second_authorize.query["scope"] == ["read write"]
        # No discovery document, so no PKCE: nothing of it is sent, and the sign-in completes.
        assert "code_challenge" not in second_authorize.query
        assert all(
            "code_verifier" not in t.fields for t in server.requests_to("POST", "/oauth/token")
        )
        assert server.tokens[stored_token(vault, account.id)].scopes == {"read", "write"}

        # Signed in with the broad scopes, everything works; a third sign-in asks them at once.
        with registered_connector_for(account, data_dir) as connector:
            connector.publish(
                OutgoingPost("gts-1", account.id, account.name, "Welkom op onze nieuwe server!")
            )
        assert [s.text for s in server.stored_statuses()] == ["Welkom op onze nieuwe server!"]
        service.connect(store, account, BY)
        assert server.requests_to("GET", "/oauth/authorize")[-1].query["scope"] == ["read write"]
        service.disconnect(store, account, BY)
    assert [e.kind for e in history.events(store)] == [
        "account_connected",
        "account_connected",
        "account_disconnected",
    ]


def test_a_server_that_announces_only_broad_scopes_is_asked_them_at_once(
    vault, store, data_dir, tmp_path
):
    with MastodonServer(compatible=True) as server:
        server.discovery = True  # its discovery document lists read, write, follow and push
        site = site_with(tmp_path, mastodon_account(server))
        account = site.account("kw-mastodon")
        service = service_for(vault, data_dir)
        assert service.connect(store, account, BY).handle == "@juf@school.example"
        [authorize] = server.requests_to("GET", "/oauth/authorize")
        assert authorize.query["scope"] == ["read write"]
        [registered] = server.requests_to("POST", "/api/v1/apps")
        assert registered.fields["scopes"] == "read write"
        service.disconnect(store, account, BY)
        assert server.violations == []
