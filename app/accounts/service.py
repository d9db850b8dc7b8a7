"""The accounts of the site configuration, whatever their network: per account its connection
state, and the actions on it (sign in, sign out, test, friend audit, unfollow, suspend).

The networks come in as a registry (app.networks.registry.NetworkEntry by network id; the
composition root passes connectors.networks()): this module knows no network by name. States
(the words people see are in STATE_WORDS):

- SUSPENDED: an administrator stopped the account (app.accounts.suspensions); shown before
  anything else, as nothing is published on it whatever its sign-in;
- NO_VAULT: the password vault of this computer cannot be used, so nothing can be signed in (and
  nothing is ever kept in plain text instead);
- SIGNED_OUT: no sign-in in the vault (or the site configuration lacks what the network needs);
- RECONNECT: the last attempt (a test, a friend audit, a post in the outbox) said Reconnect;
- CONNECTED: a sign-in in the vault, and who-am-I worked or was last known to work;
- PRACTICE and UNAVAILABLE: the practice account needs no sign-in; a network Postwijs cannot
  reach yet has none.

Nothing of this goes into the database. The sign-in lives in the account's vault entry (its
shape is the network's), with a small note beside it (key "postwijs": as whom it was signed in,
whether it must sign in again), so two Postwijs windows and a restart see the same state. The
history gets "account_connected", "account_disconnected" and "unfollowed" with ids only; the
handle (the account's own, or the unfollowed one) and who did it go into the erasable details.

Every method may block on the network or the vault: call them off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.accounts import suspensions
from app.accounts.friend_audit import ARTICLE, FollowMatch, pupils_followed
from app.dutch_time import long_date
from app.history import chain as history
from app.i18n import N_, _, ngettext
from app.networks.account_limits import remember_text_limit
from app.networks.connector import (
    Connector,
    ConnectorError,
    NotSupported,
    OutgoingMedia,
    Reconnect,
    Refusing,
    Rejected,
    SecretsUnavailable,
    SignIn,
)
from app.networks.profiles import PRACTICE as PRACTICE_PROFILE
from app.networks.profiles import PROFILES
from app.networks.profiles import label as network_label
from app.networks.registry import AccountAccess, NetworkEntry, SignInRequest, Vault
from app.publishing import outbox
from app.publishing.spending import MonthBudget, charges_per_post, month_budget
from app.rules.model import RegisterPerson
from app.site.config import Account
from app.store import Store

log = logging.getLogger("postwijs.accounts")

# Within this time before a token ends the Accounts card says to renew it.
RENEW_WARNING = timedelta(days=7)
NOTE_KEY = "postwijs"  # the note beside the sign-in in the vault entry; never a secret itself

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
    # Where the network charges per post (X): this month's spending against the budget.
    month: MonthBudget | None = None
    # What the site configuration lacks for signing in, in Dutch for IT (which key to set); the
    # note then says in words for the user that IT must set the network up. "" when nothing.
    configuration_problem: str = ""
    # The sign-in ends within RENEW_WARNING: the card offers to sign in again while connected.
    renew_soon: bool = False

    @property
    def ends_soon(self) -> bool:
        """Connected, but the sign-in ends within RENEW_WARNING: the card warns."""
        return self.state == CONNECTED and self.renew_soon

    @property
    def label(self) -> str:
        return _("verloopt binnenkort") if self.ends_soon else state_label(self.state)

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


def jpeg_copy(item: OutgoingMedia, network: str, max_bytes: int | None) -> OutgoingMedia:
    """The JpegCopy the account service hands every connector: the core's photo preparation
    writes the JPEG beside the prepared copy, which stays as it is."""
    # Imported here: the photo libraries load only when a photo is sent, never at start-up.
    from app.media.prepare import as_jpeg
    from app.media.types import MediaError

    path = Path(item.path)
    try:
        converted = as_jpeg(path, network, path.parent, max_bytes)
    except MediaError as error:
        raise Rejected(str(error)) from None
    return replace(
        item,
        path=converted.path,
        mime_type=converted.mime_type,
        width=converted.width,
        height=converted.height,
    )


class AccountService:
    """The states and actions of the site's accounts, over the password vault (`vault`) and the
    registry of networks (`networks`, by network id)."""

    def __init__(self, vault: Vault, data_dir: Path, networks: Mapping[str, NetworkEntry]):
        self.vault = vault
        self.data_dir = Path(data_dir)
        self.networks = dict(networks)

    def __repr__(self) -> str:
        return f"AccountService(data_dir={str(self.data_dir)!r})"

    def _label(self, account: Account) -> str:
        entry = self.networks.get(account.network)
        return _(entry.profile.label) if entry else network_label(account.network)

    def sign_in_method(self, account: Account) -> SignIn | None:
        """How the account signs in; None for a network Postwijs cannot reach yet."""
        entry = self.networks.get(account.network)
        return entry.capabilities.sign_in if entry else None

    def can_sign_in(self, account: Account) -> bool:
        entry = self.networks.get(account.network)
        return entry is not None and entry.sign_in is not None

    # --- states ----------------------------------------------------------------------------------

    def vault_available(self) -> bool:
        try:
            self.vault.check_available()
        except SecretsUnavailable:
            return False
        return True

    def statuses(self, store: Store, accounts: Iterable[Account]) -> list[AccountStatus]:
        """The state of each account, without asking any network; the vault is read once per
        account that signs in."""
        accounts = list(accounts)
        waiting = _waiting_for_sign_in(store)
        now = datetime.now(UTC)
        return [
            replace(
                self._status(a, suspensions.suspension(store, a.id), a.id in waiting, now),
                month=month_budget(store, a.id, a.monthly_budget, now)
                if charges_per_post(a.network)
                else None,
            )
            for a in accounts
        ]

    def status(self, store: Store, account: Account) -> AccountStatus:
        return self.statuses(store, [account])[0]

    def _status(
        self,
        account: Account,
        suspension: suspensions.Suspension | None,
        outbox_waiting: bool,
        now: datetime,
    ) -> AccountStatus:
        connection, connected_as, note, renew_soon = self._connection(account, outbox_waiting, now)
        entry = self.networks.get(account.network)
        problem = entry.configuration_problem(account) if entry is not None else ""
        if suspension is not None:
            note = _("Geschorst door {by}: {reason}").format(
                by=suspension.by, reason=suspension.reason
            )
            return AccountStatus(
                account,
                SUSPENDED,
                connection,
                connected_as,
                suspension,
                note,
                configuration_problem=problem,
                renew_soon=renew_soon,
            )
        return AccountStatus(
            account,
            connection,
            connection,
            connected_as,
            None,
            note,
            configuration_problem=problem,
            renew_soon=renew_soon,
        )

    def _connection(
        self, account: Account, outbox_waiting: bool, now: datetime
    ) -> tuple[str, str, str, bool]:
        """The sign-in's state, as whom, the note to show, and whether it ends soon."""
        network = self._label(account)
        entry = self.networks.get(account.network)
        if entry is not None and entry.capabilities.sign_in is SignIn.NONE:
            return PRACTICE, "", "", False
        if entry is None or entry.sign_in is None:
            return UNAVAILABLE, "", _not_yet(account), False
        if entry.configuration_problem(account):
            # The user reads what is the matter and whom to ask; which key IT must set is the
            # status's configuration_problem, which the Accounts page keeps under "Voor ICT".
            return SIGNED_OUT, "", _needs_ict(account), False
        try:
            stored = self.vault.read(account.id)
        except SecretsUnavailable as error:
            return NO_VAULT, "", str(error), False
        if not entry.has_sign_in(stored):
            return (
                SIGNED_OUT,
                "",
                _("Meld dit account aan bij {network} om erop te kunnen plaatsen.").format(
                    network=network
                ),
                False,
            )
        note = _note(stored)
        connected_as = str(note.get("connectedAs") or "")
        if note.get("signInNeeded") or outbox_waiting:
            return (
                RECONNECT,
                connected_as,
                _(
                    "De aanmelding bij {network} werkt niet meer. Meld het account opnieuw aan; wachtende berichten gaan daarna alsnog weg."
                ).format(network=network),
                False,
            )
        ends = _ends(note)
        if isinstance(ends, datetime) and ends <= now:
            return (
                RECONNECT,
                connected_as,
                _expired(ends, _signed_in_by(note, entry), network, _browser_too(entry)),
                False,
            )
        return (
            CONNECTED,
            connected_as,
            _expiry(
                ends,
                _signed_in_by(note, entry),
                now,
                network,
                bool(note.get("expiryIsLatest")),
                _browser_too(entry),
            ),
            isinstance(ends, datetime) and ends - now <= RENEW_WARNING,
        )

    # --- connectors --------------------------------------------------------------------------------

    def connector_for(self, account: Account) -> Connector:
        """The account's connector with its sign-in read from the vault at each use. Never
        raises: a missing sign-in or vault, or a network Postwijs cannot reach yet, shows when
        the connector is used."""
        entry = self.networks.get(account.network)
        if entry is None:
            return Refusing(
                PROFILES.get(account.network, PRACTICE_PROFILE), _not_yet_posting(account)
            )
        return entry.connector(self._access(account))

    def _access(self, account: Account) -> AccountAccess:
        return AccountAccess(
            account,
            self.vault,
            self.data_dir,
            note=lambda: self._stored_note(account.id),
            sign_in_needed=lambda: self._set_note(account.id, signInNeeded=True),
            jpeg_copy=jpeg_copy,
        )

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
        """Signs the account in as its network does (NetworkEntry.sign_in): in the browser
        (blocks until it comes back, `cancelled` is set or the time is up), or with `handle`
        (when the site does not name it) and `app_password`. Afterwards the outbox's posts that
        waited for this account go out at the next send. Raises ConnectorError (SignInCancelled
        when the user stopped) with a Dutch message; SecretsUnavailable when there is no vault."""
        network = self._label(account)
        entry = self.networks.get(account.network)
        if entry is not None and entry.capabilities.sign_in is SignIn.NONE:
            raise Rejected(_("Een oefenaccount hoeft niet aangemeld te worden."))
        if entry is None or entry.sign_in is None:
            raise Rejected(_not_yet(account))
        self.vault.check_available()
        signed_in = entry.sign_in(
            self._access(account), SignInRequest(handle, app_password, cancelled)
        )
        self._set_note(
            account.id,
            **{"expiresAt": None, "expiryIsLatest": False, **signed_in.note},
            connectedAs=signed_in.handle,
            signInNeeded=False,
            # How it was signed in decides the words of its expiry: a token pasted (by IT) or
            # typed, or a sign-in through the browser.
            typedSecret=bool(app_password),
        )
        if signed_in.text_limit:
            remember_text_limit(store, account.id, signed_in.text_limit)
        outbox.reconnected(store, account.id)
        history.append(
            store,
            "account_connected",
            {"account": account.id, "school": account.school_id, "network": account.network},
            details={"handle": signed_in.handle, "by": by},
        )
        return Connected(
            signed_in.handle,
            _("Aangemeld bij {network} als {handle}.").format(
                network=network, handle=signed_in.handle
            ),
        )

    # --- signing out -------------------------------------------------------------------------------

    def disconnect(self, store: Store, account: Account, by: str) -> Disconnected:
        """Withdraws the sign-in at the network where it allows that and always removes it from
        this computer's vault."""
        entry = self.networks.get(account.network)
        if entry is None or entry.revoke is None:
            raise Rejected(_("Dit account is niet aangemeld."))
        outcome = entry.revoke(self._access(account))
        history.append(
            store,
            "account_disconnected",
            {
                "account": account.id,
                "school": account.school_id,
                "network": account.network,
                "revoked": outcome.revoked,
            },
            details={"by": by},
        )
        return Disconnected(outcome.revoked, outcome.message)

    # --- testing and the friend audit --------------------------------------------------------------

    def test(self, account: Account) -> TestOutcome:
        """Asks the network who the account is. A refused sign-in is noted (the state becomes
        "opnieuw aanmelden"); a working one clears that note."""
        network = self._label(account)
        connector = self.connector_for(account)
        try:
            who = connector.who_am_i()
        except Reconnect as error:
            self._set_note(account.id, signInNeeded=True)
            return TestOutcome(False, str(error))
        except ConnectorError as error:
            return TestOutcome(False, str(error))
        finally:
            connector.close()
        if connector.capabilities.sign_in is SignIn.NONE:
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
        network = self._label(account)
        pupils = [p for p in people if p.role == "pupil"]
        known = sum(1 for p in pupils if p.handles.get(account.network))
        connector = self.connector_for(account)
        try:
            # A network that cannot list follows says so in its own words (NotSupported).
            follows = connector.list_follows()
        except NotSupported as error:
            return FriendAudit(False, (), 0, known, str(error))
        except Reconnect:
            self._set_note(account.id, signInNeeded=True)
            raise
        finally:
            connector.close()
        can_unfollow = connector.capabilities.unfollow
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
        the network's API allows that (capabilities.unfollow); raises NotSupported elsewhere and
        ConnectorError when it cannot be done now (Reconnect is noted as in `test`). The history
        gets "unfollowed" with ids only; the followed handle and who did it go into the erasable
        details. Nothing is recorded when there was no follow to remove."""
        network = self._label(account)
        followed = followed.strip()
        if not followed:
            raise ValueError(_("Kies het account dat niet meer gevolgd moet worden."))
        connector = self.connector_for(account)
        try:
            if not connector.capabilities.unfollow:
                raise NotSupported(
                    _(
                        "Ontvolg dit account in {network} zelf: Postwijs kan dat niet voor je doen."
                    ).format(network=network)
                )
            removed = connector.unfollow(followed)
        except Reconnect:
            self._set_note(account.id, signInNeeded=True)
            raise
        finally:
            connector.close()
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

    # --- the note in the vault -----------------------------------------------------------------------

    def _stored_note(self, account_id: str) -> dict[str, Any]:
        try:
            return _note(self.vault.read(account_id))
        except SecretsUnavailable:
            return {}  # the connector meets the vault's refusal again when it is used

    def _set_note(self, account_id: str, **changes: object) -> None:
        """Updates the note beside the sign-in; an account without a sign-in gets none."""
        try:
            stored = self.vault.read(account_id)
            if stored is None:
                return
            stored[NOTE_KEY] = {**_note(stored), **changes}
            self.vault.write(account_id, stored)
        except SecretsUnavailable:
            log.info("the vault is unavailable; the account note was not updated")


def _ends(note: Mapping[str, Any]) -> datetime | str | None:
    """When the sign-in ends, as the network's connector noted it (expiresAt: an ISO moment, or
    "never"; expiryIsLatest when it is only the latest it can be); None when unknown."""
    value = note.get("expiresAt")
    if value == "never":
        return "never"
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _signed_in_by(note: Mapping[str, Any], entry: NetworkEntry) -> SignIn:
    """A token typed or pasted, or the network's own way (a note from before typedSecret was
    kept)."""
    if note.get("typedSecret") and entry.capabilities.sign_in is SignIn.BROWSER:
        return SignIn.PASTED_TOKEN
    return entry.capabilities.sign_in


def _browser_too(entry: NetworkEntry) -> bool:
    """A token IT pasted for a network that also signs in in the browser (through the
    foundation's service): a new token goes in with the card's "Token plakken…", not with
    "Aanmelden bij …", which opens the browser."""
    return entry.capabilities.sign_in is SignIn.BROWSER


def _expiry(
    ends: datetime | str | None,
    method: SignIn,
    now: datetime,
    network: str,
    latest: bool,
    browser_too: bool = False,
) -> str:
    """Until when the sign-in holds, in the words of how it was made: a token IT pasted, or a
    sign-in in the browser; within RENEW_WARNING of its end, what to do before then. `latest`:
    the network told nothing, so the moment is the latest the token can last (expiryIsLatest)."""
    pasted = method is SignIn.PASTED_TOKEN
    if ends is None:
        # A Meta token IT pasted without the foundation's service (or while it could not
        # answer): only Meta knows its end. Saying nothing would read as "no end".
        return (
            _("Postwijs weet niet tot wanneer dit token geldig is; houd de einddatum zelf bij.")
            if pasted
            else ""
        )
    if ends == "never":
        return _("Het token verloopt niet.") if pasted else _("De aanmelding verloopt niet.")
    assert isinstance(ends, datetime)
    day = long_date(ends)
    if ends - now > RENEW_WARNING:
        if pasted and latest:
            return _("Het token is uiterlijk geldig tot {day}.").format(day=day)
        if pasted:
            return _("Het token is geldig tot {day}.").format(day=day)
        return _("De aanmelding is geldig tot {day}.").format(day=day)
    if pasted and browser_too:
        return _(
            "Het token verloopt op {day}. Plak voor die dag een nieuw token (Token plakken) of meld het account aan (Aanmelden bij {network})."
        ).format(day=day, network=network)
    if pasted:
        return _(
            "Het token verloopt op {day}. Plak voor die dag een nieuw token: kies Aanmelden bij {network}."
        ).format(day=day, network=network)
    return _(
        "De aanmelding verloopt op {day}. Meld het account voor die dag opnieuw aan: kies Aanmelden bij {network}."
    ).format(day=day, network=network)


def _expired(ends: datetime, method: SignIn, network: str, browser_too: bool = False) -> str:
    day = long_date(ends)
    if method is SignIn.PASTED_TOKEN and browser_too:
        return _(
            "Het token is verlopen op {day}. Plak een nieuw token (Token plakken) of meld het account aan (Aanmelden bij {network})."
        ).format(day=day, network=network)
    if method is SignIn.PASTED_TOKEN:
        return _(
            "Het token is verlopen op {day}. Plak een nieuw token: kies Aanmelden bij {network}."
        ).format(day=day, network=network)
    return _(
        "De aanmelding is verlopen op {day}. Meld het account opnieuw aan: kies Aanmelden bij {network}."
    ).format(day=day, network=network)


def _note(entry: Mapping[str, Any] | None) -> dict[str, Any]:
    note = entry.get(NOTE_KEY) if entry else None
    return dict(note) if isinstance(note, Mapping) else {}


def _waiting_for_sign_in(store: Store) -> set[str]:
    """The accounts with an outbox target that waits for a new sign-in."""
    return {
        t.account_id
        for job_id in outbox.unfinished(store)
        for t in outbox.targets(store, job_id)
        if t.state == outbox.RECONNECT
    }


def _needs_ict(account: Account) -> str:
    return _(
        "De ICT-beheerder moet {network} nog instellen voor Postwijs. Tot dan kan dit account"
        " niet worden aangemeld."
    ).format(network=network_label(account.network))


def _not_yet(account: Account) -> str:
    return _("Postwijs kan nog niet aanmelden bij {network}.").format(
        network=network_label(account.network)
    )


def _not_yet_posting(account: Account) -> str:
    return _("Postwijs kan nog niet plaatsen op {network}.").format(
        network=network_label(account.network)
    )


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
