"""The accounts of the site configuration: per account its connection state, and the actions on it.

This is the one place that knows, for an `Account`, whether Postwijs may use it and how to sign it
in, out, test it and audit whom it follows. States (the words people see are in STATE_WORDS):

- SUSPENDED: an administrator stopped the account (app.accounts.suspensions); shown before anything else, as
  nothing is published on it whatever its sign-in;
- NO_VAULT: the password vault of this computer cannot be used, so nothing can be signed in (and
  nothing is ever kept in plain text instead);
- SIGNED_OUT: no sign-in in the vault;
- RECONNECT: the last attempt (a test, a friend audit, a post in the outbox) said Reconnect;
- CONNECTED: a sign-in in the vault, and who-am-I worked or was last known to work;
- PRACTICE and UNAVAILABLE: the practice account needs no sign-in; a network Postwijs cannot
  reach yet has none.

Nothing of this goes into the database. The sign-in lives in the account's vault entry, with a
small note beside it (key "postwijs": as whom it was signed in, whether it must sign in again),
so two Postwijs windows and a restart see the same state. The history gets "account_connected",
"account_disconnected" and "unfollowed" with ids only; the handle (the account's own, or the
unfollowed one) and who did it go into the erasable details.

Mastodon signs in in the system browser (OAuthClient) on one fixed loopback port, because the app
is registered per instance with its exact redirect URI (cached in the vault, AppRegistrationCache).
Bluesky signs in with the account's handle and an app password typed in Postwijs; the app
password is tried before it is stored, so a refused or main password never reaches the vault.

Every method may block on the network or the vault: call them off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.accounts import suspensions
from app.accounts.friend_audit import ARTICLE, FollowMatch, normalise_handle, pupils_followed
from app.history import chain as history
from app.i18n import N_, _, current_language, ngettext
from app.networks.connector import Connector, ConnectorError, NotSupported, Reconnect, Rejected
from app.networks.profiles import MASTODON, NetworkProfile
from app.networks.profiles import label as network_label
from app.publishing import outbox
from app.rules.model import RegisterPerson
from app.site.config import Account
from app.store import Store
from connectors import bluesky, mastodon
from connectors.http import HttpSession
from connectors.oauth import (
    LOOPBACK_HOST,
    SIGN_IN_TIMEOUT,
    OAuthClient,
    ProviderConfig,
    SignInCancelled,
    SignInFailed,
    Token,
)
from connectors.practice import PracticeConnector
from connectors.secrets import SecretStore, SecretsUnavailable

log = logging.getLogger("postwijs.accounts")

# The loopback port Mastodon sign-ins return to. Fixed, because each instance knows Postwijs by
# the exact redirect URI it was registered with; changing it makes every instance register anew.
MASTODON_PORT = 47615
REDIRECT_PATH = "/callback"
NOTE_KEY = "postwijs"  # the note beside the sign-in in the vault entry; never a secret itself

PRACTICE_NETWORK = "practice"
BROWSER_SIGN_IN = frozenset({"mastodon"})
APP_PASSWORD_SIGN_IN = frozenset({"bluesky"})
SIGN_IN_NETWORKS = BROWSER_SIGN_IN | APP_PASSWORD_SIGN_IN

CONNECTED = "connected"
RECONNECT = "reconnect"
SIGNED_OUT = "signed_out"
NO_VAULT = "no_vault"
SUSPENDED = "suspended"
PRACTICE = "practice"
UNAVAILABLE = "unavailable"

STATE_WORDS = {
    CONNECTED: N_("verbonden"),
    RECONNECT: N_("opnieuw aanmelden"),
    SIGNED_OUT: N_("niet aangemeld"),
    NO_VAULT: N_("geen wachtwoordkluis"),
    SUSPENDED: N_("geschorst"),
    PRACTICE: N_("oefenaccount, aanmelden is niet nodig"),
    UNAVAILABLE: N_("nog niet beschikbaar"),
}
KIND_WORDS = {
    "official": N_("officieel account van de school"),
    "staff": N_("eigen account van een medewerker, zakelijk gebruikt"),
}


def state_label(state: str) -> str:
    return _(STATE_WORDS[state])


def kind_label(kind: str) -> str:
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


@dataclass(frozen=True)
class AccountStatus:
    """What the Accounts page shows for one account. `connection` is the sign-in beneath a
    suspension (a suspended account may still be signed in); `note` says what to do, in Dutch."""

    account: Account
    state: str
    connection: str
    connected_as: str = ""
    suspension: suspensions.Suspension | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return state_label(self.state)

    @property
    def signed_in(self) -> bool:
        return self.connection in (CONNECTED, RECONNECT)


@dataclass(frozen=True)
class Connected:
    handle: str
    message: str


@dataclass(frozen=True)
class Disconnected:
    """`revoked` is False when the network could not withdraw Postwijs's access (or has no way
    to): `message` then tells the user to withdraw it in the network's own settings."""

    revoked: bool
    message: str


@dataclass(frozen=True)
class TestOutcome:
    ok: bool
    message: str
    handle: str = ""


@dataclass(frozen=True)
class FriendAudit:
    """Communiceren 11. `supported` is False for a network that does not show whom an account
    follows; `followed` is how many followed accounts were compared; `pupils_with_handle` how
    many pupils the register knows an account of on this network (0: the audit cannot find any)."""

    supported: bool
    matches: tuple[FollowMatch, ...]
    followed: int
    pupils_with_handle: int
    message: str
    article: str = ARTICLE
    can_unfollow: bool = False  # whether Postwijs can unfollow a match itself (`unfollow`)


@dataclass(frozen=True)
class Unfollowed:
    """`removed` is False when the network had no follow of that account to remove (it was
    unfollowed elsewhere already, or the account is gone)."""

    removed: bool
    message: str


class _MemorySession:
    """A Bluesky session held only while a new app password is tried; stored once it worked."""

    def __init__(self) -> None:
        self.value: dict[str, Any] | None = None

    def load(self) -> Mapping[str, Any] | None:
        return self.value

    def save(self, session: Mapping[str, Any] | None) -> None:
        self.value = dict(session) if session is not None else None


class _Unconfigured:
    """A Mastodon account whose server the site configuration does not name: every use is
    refused with words for IT (a post on it is not placed, with this reason)."""

    def __init__(self, profile: NetworkProfile):
        self.profile = profile

    def _refuse(self, *_args: object, **_kwargs: object) -> Any:
        raise Rejected(_no_instance())

    connect = who_am_i = publish = find_post = delete = list_follows = unfollow = disconnect = (
        _refuse
    )

    def close(self) -> None:
        pass

    def __enter__(self) -> _Unconfigured:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass


class AccountService:
    """The states and actions of the site's accounts, over the password vault (`secrets`).

    `open_browser` opens the sign-in page (tests pass one that visits it with requests);
    `mastodon_port` is the loopback port of the Mastodon redirect URI; `verify` is requests' TLS
    setting; `sign_in_timeout` how long a browser sign-in may take."""

    def __init__(
        self,
        secrets: SecretStore,
        data_dir: Path,
        *,
        open_browser: Callable[[str], object] = webbrowser.open,
        mastodon_port: int = MASTODON_PORT,
        verify: bool | str = True,
        sign_in_timeout: float = SIGN_IN_TIMEOUT,
    ):
        self.secrets = secrets
        self.data_dir = Path(data_dir)
        self.open_browser = open_browser
        self.mastodon_port = mastodon_port
        self.verify = verify
        self.sign_in_timeout = sign_in_timeout

    def __repr__(self) -> str:
        return f"AccountService(data_dir={str(self.data_dir)!r})"

    # --- states ----------------------------------------------------------------------------------

    def vault_available(self) -> bool:
        try:
            self.secrets.check_available()
        except SecretsUnavailable:
            return False
        return True

    def statuses(self, store: Store, accounts: Iterable[Account]) -> list[AccountStatus]:
        """The state of each account, without asking any network; the vault is read once per
        account that signs in."""
        accounts = list(accounts)
        waiting = _waiting_for_sign_in(store)
        return [
            self._status(a, suspensions.suspension(store, a.id), a.id in waiting) for a in accounts
        ]

    def status(self, store: Store, account: Account) -> AccountStatus:
        return self.statuses(store, [account])[0]

    def _status(
        self,
        account: Account,
        suspension: suspensions.Suspension | None,
        outbox_waiting: bool,
    ) -> AccountStatus:
        connection, connected_as, note = self._connection(account, outbox_waiting)
        if suspension is not None:
            note = _("Geschorst door {by}: {reason}").format(
                by=suspension.by, reason=suspension.reason
            )
            return AccountStatus(account, SUSPENDED, connection, connected_as, suspension, note)
        return AccountStatus(account, connection, connection, connected_as, None, note)

    def _connection(self, account: Account, outbox_waiting: bool) -> tuple[str, str, str]:
        network = network_label(account.network)
        if account.network == PRACTICE_NETWORK:
            return PRACTICE, "", ""
        if account.network not in SIGN_IN_NETWORKS:
            return (
                UNAVAILABLE,
                "",
                _("Postwijs kan nog niet aanmelden bij {network}.").format(network=network),
            )
        if account.network == "mastodon" and not self._mastodon_instance(account):
            return SIGNED_OUT, "", _no_instance()
        try:
            entry = self.secrets.read(account.id)
        except SecretsUnavailable as error:
            return NO_VAULT, "", str(error)
        if not _has_sign_in(account, entry):
            return (
                SIGNED_OUT,
                "",
                _("Meld dit account aan bij {network} om erop te kunnen plaatsen.").format(
                    network=network
                ),
            )
        note = _note(entry)
        connected_as = str(note.get("connectedAs") or "")
        if note.get("signInNeeded") or outbox_waiting:
            return (
                RECONNECT,
                connected_as,
                _(
                    "De aanmelding bij {network} werkt niet meer. Meld het account opnieuw aan; wachtende berichten gaan daarna alsnog weg."
                ).format(network=network),
            )
        return CONNECTED, connected_as, ""

    # --- connectors --------------------------------------------------------------------------------

    def connector_for(self, account: Account) -> Connector:
        """The account's connector with its sign-in read from the vault at each use. Never
        raises: a missing sign-in or vault shows when the connector is used."""
        if account.network == "mastodon":
            instance = self._mastodon_instance(account)
            if not instance:
                return _Unconfigured(MASTODON)
            return mastodon.MastodonConnector(
                instance,
                lambda: self._mastodon_token(account.id),
                lambda: self._set_note(account.id, signInNeeded=True),
                sign_in=lambda: self._authorize_mastodon(account, None),
                verify=self.verify,
            )
        if account.network == "bluesky":
            credentials = bluesky.VaultCredentials(
                lambda: self.secrets.read(account.id),
                lambda entry: self.secrets.write(account.id, entry),
            )
            return bluesky.BlueskyConnector(
                account.handle or self._stored_identifier(account.id),
                credentials.app_password,
                credentials,
                service=account.instance or bluesky.DEFAULT_SERVICE,
                verify=self.verify,
            )
        if account.network == PRACTICE_NETWORK:
            return PracticeConnector(self.data_dir, account.id)
        raise KeyError(f"no connector for network {account.network!r}")

    # --- signing in ----------------------------------------------------------------------------------

    def connect(
        self,
        store: Store,
        account: Account,
        by: str,
        *,
        handle: str = "",
        app_password: str = "",
        cancelled: threading.Event | None = None,
    ) -> Connected:
        """Signs the account in: Mastodon in the browser (blocks until it comes back, `cancelled`
        is set or the time is up), Bluesky with `handle` (when the site does not name it) and
        `app_password`. Afterwards the outbox's posts that waited for this account go out at the
        next send. Raises ConnectorError (SignInCancelled when the user stopped) with a Dutch
        message; SecretsUnavailable when there is no vault."""
        network = network_label(account.network)
        if account.network == PRACTICE_NETWORK:
            raise Rejected(_("Een oefenaccount hoeft niet aangemeld te worden."))
        if account.network not in SIGN_IN_NETWORKS:
            raise Rejected(
                _("Postwijs kan nog niet aanmelden bij {network}.").format(network=network)
            )
        self.secrets.check_available()
        if account.network == "mastodon":
            who, text_limit = self._connect_mastodon(account, cancelled)
            from app.networks.account_limits import remember_text_limit

            remember_text_limit(store, account.id, text_limit)
        else:
            who = self._connect_bluesky(account, handle, app_password)
        outbox.reconnected(store, account.id)
        history.append(
            store,
            "account_connected",
            {"account": account.id, "school": account.school_id, "network": account.network},
            details={"handle": who, "by": by},
        )
        return Connected(
            who, _("Aangemeld bij {network} als {handle}.").format(network=network, handle=who)
        )

    def _connect_mastodon(
        self, account: Account, cancelled: threading.Event | None
    ) -> tuple[str, int]:
        """Signs in; returns the handle and the instance's own character limit."""
        client = self._authorize_mastodon(account, cancelled)
        try:
            with self.connector_for(account) as connector:
                who = connector.who_am_i()
                # The instance's own limits, so the composer counts against its max_characters.
                text_limit = connector.limits().max_characters
        except ConnectorError:
            # Without knowing whom it signed in, the sign-in is not kept: "verbonden" always
            # comes with an account_connected event in the history. The user simply tries again.
            client.revoke()
            raise
        if account.handle and normalise_handle(account.handle) != normalise_handle(who):
            # force_login asks who signs in, but a staff member may still pick their own account.
            client.revoke()
            raise SignInFailed(_wrong_account(who, account.handle))
        self._set_note(account.id, connectedAs=who, signInNeeded=False)
        return who, text_limit

    def _authorize_mastodon(
        self, account: Account, cancelled: threading.Event | None
    ) -> OAuthClient:
        instance = self._mastodon_instance(account)
        if not instance:
            raise Rejected(_no_instance())
        redirect_uri = f"http://{LOOPBACK_HOST}:{self.mastodon_port}{REDIRECT_PATH}"
        cache = self._app_registrations()
        http = HttpSession(mastodon.NETWORK, verify=self.verify)
        try:
            metadata = mastodon.discover(http, instance) or mastodon.classic_endpoints(instance)
            registration = cache.get_or_register(http, instance, redirect_uri, mastodon.SCOPES)
        finally:
            http.session.close()
        client = self._mastodon_client(account, registration, metadata)
        try:
            client.authorize(timeout=self.sign_in_timeout, cancelled=cancelled)
        except SignInCancelled:
            raise
        except SignInFailed:
            # The instance may no longer know the registration (invalid_client; servers before
            # 4.3 removed unused apps): the next attempt registers afresh.
            cache.forget(instance)
            raise
        return client

    def _connect_bluesky(self, account: Account, handle: str, app_password: str) -> str:
        identifier = (account.handle or handle).strip()
        if not identifier:
            raise Rejected(_("Vul de naam van het Bluesky-account in, zoals school.bsky.social."))
        password = app_password.strip().lower()
        trial = _MemorySession()
        with bluesky.BlueskyConnector(
            identifier,
            lambda: password,
            trial,
            service=account.instance or bluesky.DEFAULT_SERVICE,
            verify=self.verify,
        ) as connector:
            who = connector.connect()
        # Stored only now: a wrong or main password never reaches the vault.
        self.secrets.write(
            account.id,
            {
                "appPassword": password,
                "session": trial.value,
                NOTE_KEY: {"identifier": identifier, "connectedAs": who, "signInNeeded": False},
            },
        )
        return who

    # --- signing out -------------------------------------------------------------------------------

    def disconnect(self, store: Store, account: Account, by: str) -> Disconnected:
        """Withdraws the sign-in at the network where it allows that and always removes it from
        this computer's vault."""
        network = network_label(account.network)
        if account.network == "mastodon":
            revoked = self._revoke_mastodon(account)
        elif account.network == "bluesky":
            self._end_bluesky_session(account)
            revoked = False
        else:
            raise Rejected(_("Dit account is niet aangemeld."))
        history.append(
            store,
            "account_disconnected",
            {
                "account": account.id,
                "school": account.school_id,
                "network": account.network,
                "revoked": revoked,
            },
            details={"by": by},
        )
        if account.network == "bluesky":
            return Disconnected(
                False,
                _(
                    "Afgemeld op deze computer. Het app-wachtwoord werkt nog tot je het intrekt: verwijder het in {network} (Instellingen, Privacy en beveiliging, App-wachtwoorden)."
                ).format(network=network),
            )
        if revoked:
            return Disconnected(
                True,
                _(
                    "Afgemeld bij {network}: de toegang van Postwijs is ingetrokken en de aanmelding is van deze computer verwijderd."
                ).format(network=network),
            )
        return Disconnected(
            False,
            _(
                "Afgemeld op deze computer, maar {network} kon de toegang van Postwijs niet intrekken. Trek die toegang zelf in bij {network} (Voorkeuren, Account, Geautoriseerde apps)."
            ).format(network=network),
        )

    def _revoke_mastodon(self, account: Account) -> bool:
        instance = self._mastodon_instance(account)
        registration = self._app_registrations().get(instance) if instance else None
        if registration is None:
            self.secrets.delete(account.id)
            return False
        http = HttpSession(mastodon.NETWORK, verify=self.verify)
        try:
            metadata = mastodon.discover(http, instance) or mastodon.classic_endpoints(instance)
        except ConnectorError:
            metadata = mastodon.classic_endpoints(instance)
        finally:
            http.session.close()
        return self._mastodon_client(account, registration, metadata).revoke()

    def _end_bluesky_session(self, account: Account) -> None:
        connector = self.connector_for(account)
        try:
            connector.disconnect()
        except ConnectorError as error:
            # The session ends at the PDS by itself; what matters is that it leaves this computer.
            log.info("ending the Bluesky session failed: %s", type(error).__name__)
        finally:
            connector.close()
            self.secrets.delete(account.id)

    # --- testing and the friend audit --------------------------------------------------------------

    def test(self, account: Account) -> TestOutcome:
        """Asks the network who the account is. A refused sign-in is noted (the state becomes
        "opnieuw aanmelden"); a working one clears that note."""
        network = network_label(account.network)
        connector = self.connector_for(account)
        try:
            who = connector.who_am_i()
        except Reconnect as error:
            self._set_note(account.id, signInNeeded=True)
            return TestOutcome(False, str(error))
        except ConnectorError as error:
            return TestOutcome(False, str(error))
        finally:
            _close(connector)
        if account.network == PRACTICE_NETWORK:
            return TestOutcome(True, _("Het oefenaccount werkt."), who)
        self._set_note(account.id, connectedAs=who, signInNeeded=False)
        return TestOutcome(
            True,
            _("{network} werkt: aangemeld als {handle}.").format(network=network, handle=who),
            who,
        )

    def friend_audit(self, account: Account, people: Iterable[RegisterPerson]) -> FriendAudit:
        """The followed accounts that match a pupil's known handle (Communiceren 11). Raises
        ConnectorError when the list cannot be read now (Reconnect is noted as in `test`)."""
        network = network_label(account.network)
        pupils = [p for p in people if p.role == "pupil"]
        known = sum(1 for p in pupils if p.handles.get(account.network))
        connector = self.connector_for(account)
        try:
            follows = connector.list_follows()
        except NotSupported as error:
            message = (
                str(error)
                if account.network == PRACTICE_NETWORK
                else _("Dit netwerk laat niet zien wie het account volgt.")
            )
            return FriendAudit(False, (), 0, known, message)
        except Reconnect:
            self._set_note(account.id, signInNeeded=True)
            raise
        finally:
            _close(connector)
        can_unfollow = _can_unfollow(connector)
        matches = tuple(pupils_followed(follows, pupils, account.network))
        return FriendAudit(
            True,
            matches,
            len(follows),
            known,
            _audit_message(matches, follows, known, network, can_unfollow),
            can_unfollow=can_unfollow,
        )

    def unfollow(self, store: Store, account: Account, followed: str, by: str) -> Unfollowed:
        """Makes the account stop following `followed` (as the friend audit listed it), where
        the network's API allows that (Mastodon, Bluesky); raises NotSupported elsewhere and
        ConnectorError when it cannot be done now (Reconnect is noted as in `test`). The history
        gets "unfollowed" with ids only; the followed handle and who did it go into the erasable
        details. Nothing is recorded when there was no follow to remove."""
        network = network_label(account.network)
        followed = followed.strip()
        if not followed:
            raise ValueError(_("Kies het account dat niet meer gevolgd moet worden."))
        connector = self.connector_for(account)
        try:
            if not _can_unfollow(connector):
                raise NotSupported(
                    _(
                        "Ontvolg dit account in {network} zelf: Postwijs kan dat niet voor je doen."
                    ).format(network=network)
                )
            removed = bool(connector.unfollow(followed))  # type: ignore[attr-defined]
        except Reconnect:
            self._set_note(account.id, signInNeeded=True)
            raise
        finally:
            _close(connector)
        if not removed:
            return Unfollowed(
                False,
                _("Dit account volgt {handle} al niet meer.").format(handle=followed),
            )
        history.append(
            store,
            "unfollowed",
            {"account": account.id, "school": account.school_id, "network": account.network},
            details={"handle": followed, "by": by},
        )
        return Unfollowed(
            True,
            _("Dit account volgt {handle} niet meer op {network}.").format(
                handle=followed, network=network
            ),
        )

    # --- suspension (Communiceren 12) ----------------------------------------------------------------

    def suspend(self, store: Store, account: Account, reason: str, by: str) -> None:
        reason = reason.strip()
        if not reason:
            raise ValueError(_("Geef een reden op voor de schorsing."))
        suspensions.suspend(store, account.id, account.school_id, reason, by)

    def lift(self, store: Store, account: Account, by: str) -> None:
        suspensions.lift(store, account.id, account.school_id, by)

    # --- the vault ----------------------------------------------------------------------------------

    def _mastodon_instance(self, account: Account) -> str:
        """The instance's base URL from the site configuration (instance, or the handle's
        domain); "" when neither says, which the connector turns into a Dutch refusal."""
        for candidate in (account.instance, account.handle):
            if candidate:
                try:
                    return mastodon.normalise_instance(candidate)
                except ValueError:
                    continue
        return ""

    def _mastodon_client(
        self,
        account: Account,
        registration: mastodon.AppRegistration,
        metadata: mastodon.AuthServerMetadata,
    ) -> OAuthClient:
        config = ProviderConfig(
            network=mastodon.NETWORK,
            authorize_url=metadata.authorization_endpoint,
            token_url=metadata.token_endpoint,
            client_id=registration.client_id,
            scopes=registration.scopes,
            revoke_url=metadata.revocation_endpoint,
            client_secret=registration.client_secret,
            secret_in_body=True,  # as Mastodon documents its token and revoke calls
            fixed_port=self.mastodon_port,
            redirect_path=REDIRECT_PATH,
            # force_login: the instance asks who signs in, so a personal account signed in in
            # the browser is not connected by accident.
            extra_auth_params={"force_login": "true", "lang": current_language()},
            pkce=metadata.pkce,
        )
        return OAuthClient(
            config, self.secrets, account.id, open_browser=self.open_browser, verify=self.verify
        )

    def _app_registrations(self) -> mastodon.AppRegistrationCache:
        def load(key: str) -> str | None:
            entry = self.secrets.read(key)
            value = entry.get("registration") if entry else None
            return value if isinstance(value, str) else None

        def save(key: str, value: str) -> None:
            self.secrets.write(key, {"kind": "mastodon-app", "registration": value})

        return mastodon.AppRegistrationCache(load, save, self.secrets.delete)

    def _mastodon_token(self, account_id: str) -> str | None:
        entry = self.secrets.read(account_id)
        token = Token.from_secret(entry) if entry else None
        return token.access_token if token else None

    def _stored_identifier(self, account_id: str) -> str:
        try:
            entry = self.secrets.read(account_id)
        except SecretsUnavailable:
            return ""  # the connector meets the vault's refusal again when it is used
        return str(_note(entry).get("identifier") or "")

    def _set_note(self, account_id: str, **changes: object) -> None:
        """Updates the note beside the sign-in; an account without a sign-in gets none."""
        try:
            entry = self.secrets.read(account_id)
            if entry is None:
                return
            entry[NOTE_KEY] = {**_note(entry), **changes}
            self.secrets.write(account_id, entry)
        except SecretsUnavailable:
            log.info("the vault is unavailable; the account note was not updated")


def connector_for(account: Account, data_dir: Path) -> Connector:
    """The registry's factory (connectors.REGISTRY): the connector with its sign-in in the OS
    vault."""
    return AccountService(SecretStore(), data_dir).connector_for(account)


def _note(entry: Mapping[str, Any] | None) -> dict[str, Any]:
    note = entry.get(NOTE_KEY) if entry else None
    return dict(note) if isinstance(note, Mapping) else {}


def _has_sign_in(account: Account, entry: Mapping[str, Any] | None) -> bool:
    if not entry:
        return False
    if account.network == "mastodon":
        return Token.from_secret(entry) is not None
    password = entry.get("appPassword")
    return isinstance(password, str) and bool(password)


def _waiting_for_sign_in(store: Store) -> set[str]:
    """The accounts with an outbox target that waits for a new sign-in."""
    return {
        t.account_id
        for job_id in outbox.unfinished(store)
        for t in outbox.targets(store, job_id)
        if t.state == outbox.RECONNECT
    }


def _can_unfollow(connector: Connector) -> bool:
    # Not part of the Connector protocol: only networks whose API can unfollow have it.
    return callable(getattr(connector, "unfollow", None))


def _close(connector: Connector) -> None:
    close = getattr(connector, "close", None)
    if close is not None:
        close()


def _no_instance() -> str:
    return _(
        "Vraag de ICT-beheerder de Mastodon-server van dit account in de siteconfiguratie te zetten (instance, bijvoorbeeld mastodon.social)."
    )


def _wrong_account(actual: str, expected: str) -> str:
    return _(
        "Je bent aangemeld als {actual}, maar dit account is {expected}. Meld je in de browser aan als {expected} en probeer het opnieuw."
    ).format(actual=actual, expected=expected)


def _audit_message(
    matches: tuple[FollowMatch, ...],
    follows: list[str],
    known: int,
    network: str,
    can_unfollow: bool,
) -> str:
    if matches and can_unfollow:
        return ngettext(
            "Dit account volgt {count} leerling. Ontvolg dit account met de knop Ontvolgen.",
            "Dit account volgt {count} leerlingen. Ontvolg deze accounts met de knoppen Ontvolgen.",
            len(matches),
        ).format(count=len(matches))
    if matches:
        return ngettext(
            "Dit account volgt {count} leerling. Ontvolg dit account in {network} zelf: Postwijs kan dat niet voor je doen.",
            "Dit account volgt {count} leerlingen. Ontvolg deze accounts in {network} zelf: Postwijs kan dat niet voor je doen.",
            len(matches),
        ).format(count=len(matches), network=network)
    if not known:
        return _(
            "Het register kent van geen enkele leerling een account op {network}, dus de controle kan niemand vinden. Vul bekende accounts van leerlingen aan bij Toestemmingen."
        ).format(network=network)
    return ngettext(
        "Dit account volgt geen leerlingen van wie de school een account kent ({count} gevolgd account bekeken).",
        "Dit account volgt geen leerlingen van wie de school een account kent ({count} gevolgde accounts bekeken).",
        len(follows),
    ).format(count=len(follows))
