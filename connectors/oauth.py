"""Signing in to a network with OAuth 2.0 as a native app (RFC 8252), on requests-oauthlib.

`OAuthClient.authorize()` listens on 127.0.0.1 (a port the system picks, or the provider's
registered port), opens the system browser on the provider's sign-in page with PKCE (S256) and a
random `state`, checks `state` on the way back, exchanges the code at once (X's codes live 30 s)
and stores the token in the password vault. The browser gets a short Dutch page; stray requests
(a /favicon.ico) are ignored; a refusal, a cancel or a timeout ends the wait with a Dutch error and
frees the port.

Afterwards connectors ask `access_token()` before each call: it refreshes shortly before expiry
and stores a rotated refresh token at once. After a 401, `on_unauthorized()` refreshes once;
`authorized_request()` does both around an HttpSession call. `revoke()` withdraws the sign-in at
the provider (RFC 7009) where it has an endpoint, and always forgets it locally.

The vault is read on every call rather than cached, so two Postwijs windows share one sign-in;
a refresh holds the account's lock in the data folder (refresh_lock) and reads the vault again
first, so two processes never spend one rotating refresh token twice.
"""

from __future__ import annotations

import hmac
import html
import logging
import os
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from app.i18n import _, current_language
from app.networks.connector import ConnectorError, Reconnect, Rejected, RetryLater
from app.networks.registry import Revoked, Vault
from connectors.http import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    HttpSession,
    classify,
    provider_reason,
    redact,
)
from connectors.refresh_lock import refresh_lock
from connectors.rest import LOOPBACK_HOSTS

log = logging.getLogger("postwijs.oauth")
# requests-oauthlib and oauthlib log request bodies and tokens at DEBUG; Postwijs's logs must never
# hold a secret, whatever level the app's logging is set to.
for _name in ("requests_oauthlib", "oauthlib"):
    logging.getLogger(_name).setLevel(logging.INFO)

REFRESH_MARGIN = 60.0  # seconds before expiry at which a token counts as expired
SIGN_IN_TIMEOUT = 300.0  # seconds the listener waits for the browser
LOOPBACK_HOST = "127.0.0.1"  # RFC 8252 8.3: the IP literal, not "localhost"
_INSECURE_TRANSPORT = "OAUTHLIB_INSECURE_TRANSPORT"
_TRANSPORT_LOCK = threading.Lock()


def _plain_http_on_loopback(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    return parts.scheme.lower() == "http" and host in LOOPBACK_HOSTS


@contextmanager
def _transport_for(url: str) -> Iterator[None]:
    """oauthlib refuses plain http unless OAUTHLIB_INSECURE_TRANSPORT is in the environment; it
    has no other switch. An endpoint on this machine's loopback address (a local instance, the
    tests' servers) never puts a token on the wire, so for such a URL alone the variable is set
    around this one oauthlib call and then restored; every other URL keeps oauthlib's check.
    The lock keeps two such calls from restoring each other's value; a call for another URL in
    the same moment could see the variable, but Postwijs reaches other hosts over https only
    (rest.normalise_base_url), so it would pass that check anyway."""
    if not _plain_http_on_loopback(url) or os.environ.get(_INSECURE_TRANSPORT):
        yield
        return
    with _TRANSPORT_LOCK:
        os.environ[_INSECURE_TRANSPORT] = "1"
        try:
            yield
        finally:
            os.environ.pop(_INSECURE_TRANSPORT, None)


@dataclass(frozen=True)
class ProviderConfig:
    """What Postwijs knows about one provider's authorisation server; data, no behaviour.

    `network` is the name users see in messages ("X", "Mastodon"). `client_secret` is None for a
    public client (X's Native App, Google's Desktop client); Mastodon has one per instance.
    A confidential client authenticates with HTTP Basic unless `secret_in_body` is set.
    `fixed_port` is for providers that match the registered redirect URI exactly, port included
    (X); otherwise the system picks a free port. `pkce` is off only for a server that refuses
    the parameters; PKCE protects public and confidential clients alike."""

    network: str
    authorize_url: str
    token_url: str
    client_id: str
    scopes: tuple[str, ...] = ()
    revoke_url: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    secret_in_body: bool = False
    fixed_port: int | None = None
    redirect_path: str = "/callback"
    extra_auth_params: Mapping[str, str] = field(default_factory=dict)
    pkce: bool = True
    # Where the code goes instead of `token_url`, for a provider whose exchange needs an app
    # secret Postwijs does not hold (Meta: the foundation's service): (code, redirect_uri) ->
    # the token response; raises an error of the closed set.
    exchange: Callable[[str, str], Mapping[str, Any]] | None = None
    # The `error` values with which the provider says the user cancelled or refused (RFC 6749's
    # access_denied; LinkedIn has its own two).
    cancel_errors: tuple[str, ...] = ("access_denied",)


@dataclass(frozen=True)
class Token:
    """A sign-in as kept in the vault. The secrets are left out of repr, so a Token in a log
    line or a traceback shows only its expiry and scope."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: float | None = None  # epoch seconds; None: the provider gave no lifetime
    scope: str = ""
    token_type: str = "Bearer"

    @classmethod
    def from_response(cls, data: Mapping[str, Any], now: float) -> Token:
        expires_in = data.get("expires_in")
        try:
            expires_at = now + float(expires_in) if expires_in is not None else None
        except (TypeError, ValueError):
            expires_at = None
        scope = data.get("scope") or ""
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token") or None,
            expires_at=expires_at,
            scope=" ".join(scope) if isinstance(scope, list | tuple) else str(scope),
            token_type=str(data.get("token_type") or "Bearer"),
        )

    def to_secret(self) -> dict[str, Any]:
        return {
            "kind": "oauth",
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scope": self.scope,
            "token_type": self.token_type,
        }

    @classmethod
    def from_secret(cls, value: Mapping[str, Any]) -> Token | None:
        if value.get("kind") != "oauth" or not isinstance(value.get("access_token"), str):
            return None
        expires_at = value.get("expires_at")
        return cls(
            access_token=value["access_token"],
            refresh_token=value.get("refresh_token") or None,
            expires_at=float(expires_at) if isinstance(expires_at, int | float) else None,
            scope=str(value.get("scope") or ""),
            token_type=str(value.get("token_type") or "Bearer"),
        )


class SignInFailed(ConnectorError):
    """The interactive sign-in did not give a token; the message says why and what to do."""


class SignInCancelled(SignInFailed):
    """The user refused or cancelled in the browser, or Postwijs stopped waiting on request.
    Not an error to alarm anyone with; the UI may show it quietly."""


class _TokenRefused(Exception):
    """The token endpoint said no (400/401 with an OAuth error). Internal: callers turn it into
    SignInFailed or Reconnect. Carries only the error code and the redacted reason."""

    def __init__(self, error: str, reason: str):
        super().__init__(error)
        self.error = error
        self.reason = reason


class OAuthClient:
    """One account's sign-in at one provider. `account_key` names the vault entry (the account id).

    `open_browser` gets the authorisation URL; it returns False when no browser could be opened
    (webbrowser.open's contract). `clock` gives epoch seconds; `verify` is requests' TLS setting
    (a CA bundle path in tests). `lock_dir` (the data folder) holds the lock file that
    serialises this account's refreshes across processes; None: within this process only."""

    def __init__(
        self,
        config: ProviderConfig,
        secrets: Vault,
        account_key: str,
        *,
        open_browser: Callable[[str], object] = webbrowser.open,
        clock: Callable[[], float] = time.time,
        refresh_margin: float = REFRESH_MARGIN,
        verify: bool | str = True,
        lock_dir: Path | None = None,
    ):
        self.config = config
        self.lock_dir = lock_dir
        self.secrets = secrets
        self.account_key = account_key
        self.open_browser = open_browser
        self.clock = clock
        self.refresh_margin = refresh_margin
        self.verify = verify
        # Serialises refreshes within this process: with rotation, two refreshes of one refresh
        # token would make the provider revoke the whole sign-in.
        self._refresh_lock = threading.RLock()

    def __repr__(self) -> str:
        return f"OAuthClient(network={self.config.network!r}, account={self.account_key!r})"

    # --- interactive sign-in ---------------------------------------------------------------

    def authorize(
        self, *, timeout: float = SIGN_IN_TIMEOUT, cancelled: threading.Event | None = None
    ) -> Token:
        """Runs the browser sign-in and stores the token. Blocks until the browser comes back, the
        user refuses, `cancelled` is set or `timeout` seconds pass; run it off the UI thread."""
        self.secrets.check_available()
        server = self._listen()
        port = server.server_address[1]
        redirect_uri = f"http://{LOOPBACK_HOST}:{port}{self.config.redirect_path}"
        session: OAuth2Session | None = None
        try:
            session = self._session(redirect_uri=redirect_uri, scope=list(self.config.scopes))
            try:
                with _transport_for(self.config.authorize_url):
                    url, state = session.authorization_url(
                        self.config.authorize_url, **dict(self.config.extra_auth_params)
                    )
            except (OAuth2Error, ValueError) as error:
                # oauthlib's own refusal (plain http to another host, a malformed address):
                # only its class is logged, and the user hears what to do.
                log.warning(
                    "sign-in at %s not started: %s", self.config.network, type(error).__name__
                )
                raise SignInFailed(
                    _(
                        "Postwijs kan niet veilig aanmelden bij {network}: het adres van de aanmeldpagina klopt niet of is niet beveiligd (https). Vraag de ICT-beheerder om hulp."
                    ).format(network=self.config.network)
                ) from None
            # The token response may narrow the scope (users can untick permissions); oauthlib
            # would raise on that unless it forgets what was asked.
            session.scope = None
            pending = _PendingSignIn(self, session, state)
            server.pending = pending
            server.callback_path = self.config.redirect_path
            if self.open_browser(url) is False:
                raise SignInFailed(
                    _(
                        "Postwijs kan geen browser openen om aan te melden bij {network}. Stel een standaardbrowser in en probeer het opnieuw."
                    ).format(network=self.config.network)
                )
            deadline = time.monotonic() + timeout
            while not pending.finished.is_set():
                remaining = deadline - time.monotonic()
                if cancelled is not None and cancelled.is_set():
                    pending.give_up(self._cancelled())
                elif remaining <= 0:
                    pending.give_up(self._timed_out())
                else:
                    server.timeout = min(0.2, remaining)
                    server.handle_request()
            return pending.result()
        finally:
            server.server_close()
            if session is not None:
                session.close()

    def _listen(self) -> _LoopbackServer:
        port = self.config.fixed_port or 0
        try:
            return _LoopbackServer((LOOPBACK_HOST, port), _CallbackHandler)
        except OSError:
            raise SignInFailed(
                _(
                    "Postwijs kan het aanmelden bij {network} niet starten: poort {port} van deze computer is bezet door een ander programma. Sluit dat programma of vraag de ICT-beheerder om hulp."
                ).format(network=self.config.network, port=port)
            ) from None

    def _exchange(self, session: OAuth2Session, code: str) -> Token:
        """The code for a token, at once, and the token into the vault."""
        if self.config.exchange is not None:
            token = Token.from_response(self._exchange_elsewhere(session, code), self.clock())
            self._store(token)
            return token
        auth, body = self._client_auth()
        try:
            data = self._token_call(
                lambda: session.fetch_token(
                    self.config.token_url,
                    code=code,
                    auth=auth,
                    include_client_id=auth is None,
                    timeout=DEFAULT_TIMEOUT,
                    verify=self.verify,
                    **body,
                )
            )
        except _TokenRefused as refused:
            raise SignInFailed(
                _("{network} gaf geen toegang ({reason}). Probeer opnieuw aan te melden.").format(
                    network=self.config.network, reason=refused.reason
                )
            ) from None
        except RetryLater:
            raise SignInFailed(
                _(
                    "Geen verbinding met {network} tijdens het aanmelden. Controleer de internetverbinding en probeer het opnieuw."
                ).format(network=self.config.network)
            ) from None
        token = Token.from_response(data, self.clock())
        self._store(token)
        return token

    def _exchange_elsewhere(self, session: OAuth2Session, code: str) -> Mapping[str, Any]:
        assert self.config.exchange is not None
        try:
            data = self.config.exchange(code, str(session.redirect_uri))
        except RetryLater:
            raise SignInFailed(
                _(
                    "Geen verbinding met {network} tijdens het aanmelden. Controleer de internetverbinding en probeer het opnieuw."
                ).format(network=self.config.network)
            ) from None
        except (Reconnect, Rejected) as refused:
            raise SignInFailed(str(refused)) from None
        if not isinstance(data.get("access_token"), str) or not data["access_token"]:
            raise SignInFailed(
                _("{network} gaf geen toegang ({reason}). Probeer opnieuw aan te melden.").format(
                    network=self.config.network, reason=_("onverwacht antwoord")
                )
            )
        return data

    def _cancelled(self) -> SignInCancelled:
        return SignInCancelled(
            _(
                "Het aanmelden bij {network} is geannuleerd. Meld opnieuw aan als je het account wilt koppelen."
            ).format(network=self.config.network)
        )

    def _timed_out(self) -> SignInFailed:
        return SignInFailed(
            _(
                "Het aanmelden bij {network} is gestopt omdat het te lang duurde. Probeer het opnieuw en rond het aanmelden in de browser meteen af."
            ).format(network=self.config.network)
        )

    # --- using the sign-in ------------------------------------------------------------------

    def access_token(self) -> str:
        """A valid access token, refreshed first when it expires within the margin."""
        with self._refresh_lock:
            token = self._stored()
            if not self._expiring(token):
                return token.access_token
            with refresh_lock(self.lock_dir, self.account_key, self.config.network):
                # Another process may have refreshed while this one waited for the lock.
                token = self._stored()
                if not self._expiring(token):
                    return token.access_token
                return self._refresh(token).access_token

    def _expiring(self, token: Token) -> bool:
        return (
            token.expires_at is not None and token.expires_at - self.refresh_margin <= self.clock()
        )

    def on_unauthorized(self, rejected_access_token: str | None = None) -> str:
        """After a 401: refresh now and return the new access token. Pass the token that was
        refused; when the vault already holds another one (refreshed meanwhile), that one is
        returned without a refresh. Raises Reconnect when the sign-in cannot be renewed."""
        with self._refresh_lock, refresh_lock(self.lock_dir, self.account_key, self.config.network):
            token = self._stored()
            if rejected_access_token is not None and token.access_token != rejected_access_token:
                return token.access_token
            return self._refresh(token).access_token

    def authorized_request(
        self, http: HttpSession, method: str, url: str, **kwargs: Any
    ) -> requests.Response:
        """`http.request` with the bearer token; after a Reconnect (a 401, or whatever the
        connector's classify calls one) it refreshes and tries exactly once more. Safe for
        writes: a refused sign-in means the request was not carried out."""
        headers = dict(kwargs.pop("headers", None) or {})
        access = self.access_token()
        try:
            return http.request(
                method, url, headers={**headers, "Authorization": f"Bearer {access}"}, **kwargs
            )
        except Reconnect:
            access = self.on_unauthorized(access)
        return http.request(
            method, url, headers={**headers, "Authorization": f"Bearer {access}"}, **kwargs
        )

    def revoke(self) -> bool:
        """Disconnects: withdraws the sign-in at the provider (RFC 7009) and always forgets it
        here. Returns True when the provider confirmed (or there was nothing to withdraw), False
        when it has no revocation endpoint or could not be reached: the UI then tells the user
        to withdraw Postwijs's access in the network's own settings."""
        value = self.secrets.read(self.account_key)
        token = Token.from_secret(value) if value else None
        try:
            if token is None:
                return True
            if not self.config.revoke_url:
                return False
            try:
                # The refresh token first: revoking it ends the whole grant at most providers.
                for secret, hint in (
                    (token.refresh_token, "refresh_token"),
                    (token.access_token, "access_token"),
                ):
                    if secret:
                        self._revoke_one(secret, hint)
            except (ConnectorError, requests.RequestException) as error:
                log.warning("revoking at %s failed: %s", self.config.network, redact(str(error)))
                return False
            return True
        finally:
            self.secrets.delete(self.account_key)

    def _revoke_one(self, secret: str, hint: str) -> None:
        auth, body = self._client_auth()
        data = {"token": secret, "token_type_hint": hint, **body}
        if auth is None:
            data["client_id"] = self.config.client_id
        http = HttpSession(self.config.network, verify=self.verify)
        try:
            # RFC 7009 2.2: 200 also for a token the server no longer knows. `verify` per
            # request: requests lets REQUESTS_CA_BUNDLE override a session's own setting.
            http.request(
                "POST",
                self.config.revoke_url or "",
                data=data,
                auth=auth,
                expected=(200,),
                verify=self.verify,
            )
        finally:
            http.session.close()

    # --- internals ----------------------------------------------------------------------------

    def _stored(self) -> Token:
        value = self.secrets.read(self.account_key)
        token = Token.from_secret(value) if value else None
        if token is None:
            raise Reconnect(
                _(
                    "Dit account is nog niet aangemeld bij {network}. Meld het aan bij Accounts."
                ).format(network=self.config.network)
            )
        return token

    def _store(self, token: Token) -> None:
        self.secrets.write(self.account_key, token.to_secret())

    def _refresh(self, token: Token) -> Token:
        if not token.refresh_token:
            raise self._expired()
        auth, body = self._client_auth()
        if auth is None:
            body = {**body, "client_id": self.config.client_id}
        try:
            with self._session() as session:
                data = self._token_call(
                    lambda: session.refresh_token(
                        self.config.token_url,
                        refresh_token=token.refresh_token,
                        auth=auth,
                        timeout=DEFAULT_TIMEOUT,
                        verify=self.verify,
                        **body,
                    )
                )
        except _TokenRefused:
            # Another Postwijs window may have rotated the refresh token a moment ago.
            current = self._stored()
            if current.refresh_token and current.refresh_token != token.refresh_token:
                return current
            raise self._expired() from None
        renewed = Token.from_response(data, self.clock())
        if renewed.refresh_token is None:
            renewed = replace(renewed, refresh_token=token.refresh_token)
        # Stored before anything else: with rotation the old refresh token is already spent.
        self._store(renewed)
        return renewed

    def _expired(self) -> Reconnect:
        return Reconnect(
            _(
                "De aanmelding bij {network} is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
            ).format(network=self.config.network)
        )

    def _client_auth(self) -> tuple[HTTPBasicAuth | None, dict[str, str]]:
        """How this client proves itself at the token and revocation endpoints: nothing for a
        public client (its client_id goes in the body), HTTP Basic, or the secret in the body."""
        secret = self.config.client_secret
        if secret is None:
            return None, {}
        if self.config.secret_in_body:
            return None, {"client_secret": secret}
        return HTTPBasicAuth(self.config.client_id, secret), {}

    def _session(self, **kwargs: Any) -> OAuth2Session:
        session = OAuth2Session(
            self.config.client_id, pkce="S256" if self.config.pkce else None, **kwargs
        )
        session.headers["User-Agent"] = USER_AGENT
        session.verify = self.verify
        for hook in ("access_token_response", "refresh_token_response"):
            session.register_compliance_hook(hook, self._check_token_response)
        return session

    def _check_token_response(self, response: requests.Response) -> requests.Response:
        if response.status_code == 200:
            return response
        if response.status_code in (400, 401, 403):
            try:
                error = response.json().get("error")
            except (ValueError, AttributeError):
                error = None
            raise _TokenRefused(str(error or response.status_code), provider_reason(response))
        raise classify(response, self.config.network)

    def _token_call(self, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Runs a token-endpoint request, turning transport failures and malformed answers into
        the app's errors. A refresh whose answer is lost may have spent the refresh token; the
        next refresh then fails and asks the user to reconnect."""
        network = self.config.network
        try:
            with _transport_for(self.config.token_url):
                return dict(call())
        except requests.exceptions.SSLError:
            raise Rejected(
                _(
                    "De beveiligde verbinding met {network} klopt niet (certificaat). Vraag de ICT-beheerder om hulp."
                ).format(network=network)
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout):
            raise RetryLater(
                _(
                    "Geen verbinding met {network}. Postwijs probeert het opnieuw zodra er internet is."
                ).format(network=network)
            ) from None
        except (OAuth2Error, ValueError, KeyError) as error:
            # A 200 without a usable token; oauthlib's own message may quote the body.
            raise _TokenRefused(type(error).__name__, _("onverwacht antwoord")) from None
        except Warning:
            raise _TokenRefused("warning", _("onverwacht antwoord")) from None


def signed_out(revoked: bool, network: str, withdraw_yourself: str) -> Revoked:
    """The sign-out of a browser sign-in: the network withdrew Postwijs's access (`revoked`), or
    the user must still do that at the network, as `withdraw_yourself` (Dutch) says."""
    if revoked:
        return Revoked(
            True,
            _(
                "Afgemeld bij {network}: de toegang van Postwijs is ingetrokken en de aanmelding is van deze computer verwijderd."
            ).format(network=network),
        )
    return Revoked(False, withdraw_yourself)


class _PendingSignIn:
    """One sign-in waiting for the browser. The first outcome wins: the callback (a token or an
    error), a cancel or the timeout; later callbacks are answered but change nothing."""

    def __init__(self, client: OAuthClient, session: OAuth2Session, state: str):
        self.client = client
        self.session = session
        self.state = state
        self.finished = threading.Event()
        self._lock = threading.Lock()
        self._outcome: Token | ConnectorError | None = None

    def on_callback(self, params: Mapping[str, str]) -> tuple[int, str]:
        """Handles the browser's return; returns the status and the Dutch page to show."""
        with self._lock:
            if self._outcome is not None:
                return 409, _page_failed()
            outcome = self._settle(params)
            self._outcome = outcome
        if isinstance(outcome, Token):
            return 200, _page_signed_in()
        if isinstance(outcome, SignInCancelled):
            return 200, _page_cancelled()
        return 400, _page_failed()

    def _settle(self, params: Mapping[str, str]) -> Token | ConnectorError:
        network = self.client.config.network
        if not hmac.compare_digest(params.get("state", "").encode(), self.state.encode()):
            log.warning("sign-in at %s: the returned state does not match; refused", network)
            return SignInFailed(
                _(
                    "Het aanmelden bij {network} is om veiligheidsredenen gestopt: het antwoord hoorde niet bij deze aanmelding. Probeer het opnieuw."
                ).format(network=network)
            )
        error = params.get("error")
        if error in self.client.config.cancel_errors:
            return self.client._cancelled()
        if error:
            return SignInFailed(
                _(
                    "{network} weigerde het aanmelden ({reason}). Probeer het opnieuw of vraag de ICT-beheerder om hulp."
                ).format(network=network, reason=redact(params.get("error_description") or error))
            )
        try:
            return self.client._exchange(self.session, params["code"])
        except ConnectorError as failure:
            return failure
        except Exception as error:
            # Whatever went wrong, the wait must end with an answer; only the class is logged,
            # since a library's message may quote the token response.
            log.error("sign-in at %s failed unexpectedly: %s", network, type(error).__name__)
            return SignInFailed(
                _("{network} gaf geen toegang ({reason}). Probeer opnieuw aan te melden.").format(
                    network=network, reason=_("onverwacht antwoord")
                )
            )

    def give_up(self, error: ConnectorError) -> None:
        with self._lock:
            if self._outcome is None:
                self._outcome = error
        self.finished.set()

    def result(self) -> Token:
        with self._lock:
            outcome = self._outcome
        if isinstance(outcome, Token):
            return outcome
        assert outcome is not None
        raise outcome


class _LoopbackServer(ThreadingHTTPServer):
    """The listener for the browser's return. Threads, because browsers open spare connections
    that send nothing; one of those must not hold up the real callback."""

    # On Windows SO_REUSEADDR would let a second program bind the same port and take the code.
    allow_reuse_address = sys.platform != "win32"
    daemon_threads = True
    block_on_close = False
    pending: _PendingSignIn
    callback_path: str

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The default prints a traceback to stderr, e.g. when a browser closes a connection early.
        log.debug("loopback listener: a connection failed", exc_info=True)


class _CallbackHandler(BaseHTTPRequestHandler):
    server: _LoopbackServer
    timeout = 10  # a connection that never sends a request is dropped after this

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query))
        if url.path != self.server.callback_path or not ({"code", "error"} & params.keys()):
            # A favicon, a prefetch, a stray visit: not the provider's answer.
            self._send(404, _page_not_here())
            return
        try:
            status, page = self.server.pending.on_callback(params)
            self._send(status, page)
        finally:
            # Settled even when the browser hung up before reading its page.
            self.server.pending.finished.set()

    def _send(self, status: int, page: str) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        # The default prints the request line, code included, to stderr.
        log.debug("loopback listener: %s", urlsplit(self.path).path)


def _html(title: str, text: str) -> str:
    return (
        f'<!doctype html><html lang="{html.escape(current_language())}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="font-family: sans-serif; margin: 3em; max-width: 40em">'
        f"<h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )


def _page_signed_in() -> str:
    return _html("Postwijs", _("Je bent aangemeld. Je kunt dit venster sluiten."))


def _page_cancelled() -> str:
    return _html(
        "Postwijs",
        _(
            "Je hebt het aanmelden geannuleerd. Je kunt dit venster sluiten; in Postwijs kun je het opnieuw proberen."
        ),
    )


def _page_failed() -> str:
    return _html(
        "Postwijs",
        _(
            "Het aanmelden is niet gelukt. Je kunt dit venster sluiten; Postwijs laat zien wat je kunt doen."
        ),
    )


def _page_not_here() -> str:
    return _html("Postwijs", _("Deze pagina bestaat niet."))
