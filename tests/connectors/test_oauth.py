"""Sign-in against a real authorisation server (oidc-provider on 127.0.0.1, see
tests/servers/oidc) with tokens in a real Secret Service.

The browser is played by `Browser`: it follows the provider's redirects, where the test user
signs in and consents by herself, and brings the answer back to Postwijs's loopback listener,
changed on the way where a test says so."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from keyring.backends import fail

from app.networks.connector import Reconnect, RetryLater
from connectors.http import HttpSession
from connectors.oauth import (
    OAuthClient,
    ProviderConfig,
    SignInCancelled,
    SignInFailed,
    Token,
)
from connectors.secrets import SecretStore, SecretsUnavailable

SIGNED_IN = "Je bent aangemeld. Je kunt dit venster sluiten."
CANCELLED_PAGE = "Je hebt het aanmelden geannuleerd."
FAILED_PAGE = "Het aanmelden is niet gelukt."
SCOPES = ("openid", "offline_access")
CONSENT = {"prompt": "consent"}


class Browser:
    """Stands in for the system browser. `on_return` sees the provider's redirect to Postwijs
    and returns the URL to open instead (None: the user closed the window)."""

    def __init__(
        self,
        ca_bundle: str,
        on_return: Callable[[str], str | None] = lambda url: url,
        before: Callable[[str], None] = lambda redirect_uri: None,
    ):
        self.provider = requests.Session()
        self.ca_bundle = ca_bundle
        self.on_return = on_return
        self.before = before
        self.opened: list[str] = []
        self.returned_url: str | None = None
        self.page: requests.Response | None = None
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        self.thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        self.thread.start()
        return True

    @property
    def redirect_uri(self) -> str:
        return parse_qs(urlsplit(self.opened[0]).query)["redirect_uri"][0]

    def _visit(self, url: str) -> None:
        try:
            self.before(parse_qs(urlsplit(url).query)["redirect_uri"][0])
            for _ in range(20):
                response = self.provider.get(
                    url, allow_redirects=False, timeout=20, verify=self.ca_bundle
                )
                location = response.headers.get("Location")
                if not location:
                    self.page = response
                    return
                url = urljoin(url, location)
                if url.startswith("http://127.0.0.1:"):
                    self.returned_url = url
                    delivered = self.on_return(url)
                    if delivered is not None:
                        self.page = requests.get(delivered, timeout=30)
                    return
            raise AssertionError("too many redirects")
        except BaseException as error:
            self.error = error
        finally:
            self.provider.close()

    def wait(self) -> None:
        assert self.thread is not None, "the browser was never opened"
        self.thread.join(30)
        if self.error is not None:
            raise self.error


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    params[name] = value
    return urlunsplit(parts._replace(query=urlencode(params)))


def _param(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query)[name][0]


@pytest.fixture
def trust_test_ca(monkeypatch):
    """HttpSession sets `verify` on its requests.Session, which requests lets
    REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override; without them the test CA counts."""
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.fixture
def account_key() -> str:
    return f"account-{uuid.uuid4()}"


@pytest.fixture
def store(secret_service) -> SecretStore:
    return SecretStore()


def public_config(server, **changes) -> ProviderConfig:
    settings = {
        "network": "Testnet",
        "authorize_url": server.authorize_url,
        "token_url": server.token_url,
        "revoke_url": server.revoke_url,
        "client_id": server.public_client_id,
        "scopes": SCOPES,
        # OpenID Connect grants offline_access only with an explicit consent prompt (Google
        # likewise wants prompt=consent for a refresh token).
        "extra_auth_params": CONSENT,
    }
    return ProviderConfig(**{**settings, **changes})


def confidential_config(server, **changes) -> ProviderConfig:
    return public_config(
        server,
        **{
            "client_id": server.confidential_client_id,
            "client_secret": server.confidential_client_secret,
            "fixed_port": server.fixed_port,
            **changes,
        },
    )


def make_client(server, store, account_key, browser, config=None, **kwargs) -> OAuthClient:
    return OAuthClient(
        config or public_config(server),
        store,
        account_key,
        open_browser=browser,
        verify=server.ca_bundle,
        **kwargs,
    )


def wire(server) -> list[dict]:
    """What clients sent to /auth, /token and /token/revocation, as the server saw it."""
    response = requests.get(server.requests_url, verify=server.ca_bundle, timeout=10)
    response.raise_for_status()
    return response.json()


def token_requests(server, **match) -> list[dict]:
    return [
        seen
        for seen in wire(server)
        if seen["path"] == "/token"
        and all(seen["params"].get(key) == value for key, value in match.items())
    ]


def userinfo_status(server, access_token: str) -> int:
    response = requests.get(
        server.userinfo_url,
        headers={"Authorization": f"Bearer {access_token}"},
        verify=server.ca_bundle,
        timeout=10,
    )
    return response.status_code


def post_token(server, **data) -> requests.Response:
    return requests.post(server.token_url, data=data, verify=server.ca_bundle, timeout=10)


def signed_in(server, store, account_key, **kwargs) -> tuple[OAuthClient, Token, Browser]:
    browser = Browser(server.ca_bundle)
    client = make_client(server, store, account_key, browser, **kwargs)
    token = client.authorize(timeout=30)
    browser.wait()
    return client, token, browser


# --- the sign-in ----------------------------------------------------------------------------


def test_sign_in_stores_the_token_and_thanks_the_user_in_dutch(oidc_server, store, account_key):
    client, token, browser = signed_in(oidc_server, store, account_key)
    assert browser.page.status_code == 200
    assert SIGNED_IN in browser.page.text
    assert browser.page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert urlsplit(browser.redirect_uri).hostname == "127.0.0.1"
    assert urlsplit(browser.redirect_uri).path == "/callback"
    assert Token.from_secret(store.read(account_key)) == token
    assert token.refresh_token and token.expires_at
    assert userinfo_status(oidc_server, client.access_token()) == 200


def test_the_listener_port_is_chosen_by_the_system(oidc_server, store):
    ports = {
        urlsplit(signed_in(oidc_server, store, f"a-{uuid.uuid4()}")[2].redirect_uri).port
        for _ in range(2)
    }
    assert oidc_server.fixed_port not in ports
    assert all(port and port > 0 for port in ports)


def test_pkce_s256_and_state_cross_the_wire(oidc_server, store, account_key):
    _, _, browser = signed_in(oidc_server, store, account_key)
    opened = browser.opened[0]
    assert _param(opened, "code_challenge_method") == "S256"
    assert len(_param(opened, "state")) >= 20
    code = _param(browser.returned_url, "code")
    [exchange] = token_requests(oidc_server, code=code)
    verifier = exchange["params"]["code_verifier"]
    assert 43 <= len(verifier) <= 128
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge.decode() == _param(opened, "code_challenge")
    assert exchange["status"] == 200
    assert exchange["params"]["grant_type"] == "authorization_code"


def test_the_server_requires_and_checks_pkce(oidc_server, store, account_key):
    refusals: dict[str, requests.Response] = {}

    def try_without_our_verifier(url: str) -> str:
        code = _param(url, "code")
        redirect_uri = url.split("?")[0]
        common = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": oidc_server.public_client_id,
        }
        refusals["wrong"] = post_token(oidc_server, **common, code_verifier="x" * 64)
        refusals["missing"] = post_token(oidc_server, **common)
        return url

    browser = Browser(oidc_server.ca_bundle, on_return=try_without_our_verifier)
    token = make_client(oidc_server, store, account_key, browser).authorize(timeout=30)
    browser.wait()
    for response in refusals.values():
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_grant"
    # The code survived the failed attempts; our own verifier got the token.
    assert userinfo_status(oidc_server, token.access_token) == 200


def test_a_replayed_code_is_refused(oidc_server, store, account_key):
    _, token, browser = signed_in(oidc_server, store, account_key)
    code = _param(browser.returned_url, "code")
    [exchange] = token_requests(oidc_server, code=code)
    replay = post_token(
        oidc_server,
        grant_type="authorization_code",
        code=code,
        code_verifier=exchange["params"]["code_verifier"],
        redirect_uri=exchange["params"]["redirect_uri"],
        client_id=oidc_server.public_client_id,
    )
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    # The server takes a replay for theft and ends the sign-in it came from.
    assert userinfo_status(oidc_server, token.access_token) == 401


@pytest.mark.parametrize(
    "tamper",
    [
        lambda url: _with_param(url, "state", "vervalst-" + _param(url, "state")),
        lambda url: _with_param(url, "state", ""),
        lambda url: _with_param(url, "state", _param(url, "state")[:-1]),
    ],
    ids=["other", "empty", "truncated"],
)
def test_a_tampered_state_is_refused_by_the_listener(oidc_server, store, account_key, tamper):
    browser = Browser(oidc_server.ca_bundle, on_return=tamper)
    client = make_client(oidc_server, store, account_key, browser)
    with pytest.raises(SignInFailed, match="om veiligheidsredenen gestopt") as raised:
        client.authorize(timeout=30)
    browser.wait()
    assert not isinstance(raised.value, SignInCancelled)
    assert browser.page.status_code == 400
    assert FAILED_PAGE in browser.page.text
    assert token_requests(oidc_server, code=_param(browser.returned_url, "code")) == []
    assert store.read(account_key) is None


def test_a_refusal_gives_a_dutch_message_and_page(oidc_server, store, account_key):
    config = public_config(oidc_server, extra_auth_params={**CONSENT, "login_hint": "weigeren"})
    browser = Browser(oidc_server.ca_bundle)
    client = make_client(oidc_server, store, account_key, browser, config=config)
    with pytest.raises(SignInCancelled) as raised:
        client.authorize(timeout=30)
    browser.wait()
    assert str(raised.value) == (
        "Het aanmelden bij Testnet is geannuleerd. Meld opnieuw aan als je het account wilt koppelen."
    )
    assert _param(browser.returned_url, "error") == "access_denied"
    assert _param(browser.opened[0], "login_hint") == "weigeren"
    assert browser.page.status_code == 200
    assert CANCELLED_PAGE in browser.page.text
    assert store.read(account_key) is None


def test_stray_requests_are_ignored(oidc_server, store, account_key):
    strays: list[requests.Response] = []
    idle: list[socket.socket] = []

    def visit_strays(redirect_uri: str) -> None:
        base = redirect_uri.rsplit("/", 1)[0]
        # Browsers open spare connections that never send a request; it must not block.
        idle.append(socket.create_connection(("127.0.0.1", urlsplit(base).port), timeout=5))
        for path in ("/favicon.ico", "/callback", "/callback?foo=bar", "/"):
            strays.append(requests.get(base + path, timeout=10))

    browser = Browser(oidc_server.ca_bundle, before=visit_strays)
    started = time.monotonic()
    token = make_client(oidc_server, store, account_key, browser).authorize(timeout=30)
    browser.wait()
    assert time.monotonic() - started < 5
    for connection in idle:
        connection.close()
    assert [response.status_code for response in strays] == [404, 404, 404, 404]
    assert SIGNED_IN in browser.page.text
    assert Token.from_secret(store.read(account_key)) == token


def test_the_listener_times_out_cleanly_and_frees_the_port(oidc_server, store, account_key):
    opened: list[str] = []
    client = make_client(oidc_server, store, account_key, lambda url: opened.append(url))
    started = time.monotonic()
    with pytest.raises(SignInFailed, match="te lang duurde") as raised:
        client.authorize(timeout=0.5)
    assert time.monotonic() - started < 5
    assert not isinstance(raised.value, SignInCancelled)
    port = urlsplit(_param(opened[0], "redirect_uri")).port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))  # fails if the listener still holds it
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/callback?code=x&state=y", timeout=5)
    assert store.read(account_key) is None


def test_cancelling_from_postwijs_stops_the_wait(oidc_server, store, account_key):
    cancelled = threading.Event()
    client = make_client(oidc_server, store, account_key, lambda url: cancelled.set())
    with pytest.raises(SignInCancelled, match="geannuleerd"):
        client.authorize(timeout=30, cancelled=cancelled)


def test_a_browser_that_cannot_open_is_reported(oidc_server, store, account_key):
    client = make_client(oidc_server, store, account_key, lambda url: False)
    with pytest.raises(SignInFailed, match="kan geen browser openen"):
        client.authorize(timeout=30)


def test_without_a_vault_the_browser_is_never_opened(oidc_server, account_key):
    opened: list[str] = []
    client = make_client(oidc_server, SecretStore(fail.Keyring()), account_key, opened.append)
    with pytest.raises(SecretsUnavailable, match="wachtwoordkluis"):
        client.authorize(timeout=30)
    assert opened == []


def test_the_exact_registered_port_and_a_client_secret(oidc_server, store, account_key):
    config = confidential_config(oidc_server)
    _, token, browser = signed_in(oidc_server, store, account_key, config=config)
    assert urlsplit(browser.redirect_uri).port == oidc_server.fixed_port
    [exchange] = token_requests(oidc_server, code=_param(browser.returned_url, "code"))
    assert exchange["basic_auth"] is True
    assert "client_secret" not in exchange["params"]
    assert userinfo_status(oidc_server, token.access_token) == 200


def test_a_refused_code_exchange_fails_the_sign_in_and_says_so_in_the_browser(
    oidc_server, store, account_key
):
    config = confidential_config(oidc_server, client_secret="een-verkeerd-geheim")
    browser = Browser(oidc_server.ca_bundle)
    client = make_client(oidc_server, store, account_key, browser, config=config)
    with pytest.raises(SignInFailed, match="Testnet gaf geen toegang") as raised:
        client.authorize(timeout=30)
    browser.wait()
    assert "een-verkeerd-geheim" not in str(raised.value)
    assert browser.page.status_code == 400
    assert FAILED_PAGE in browser.page.text
    assert store.read(account_key) is None


def test_a_busy_registered_port_is_reported(oidc_server, store, account_key):
    opened: list[str] = []
    config = confidential_config(oidc_server)
    client = make_client(oidc_server, store, account_key, opened.append, config=config)
    with socket.socket() as occupant:
        # The port may still be in TIME_WAIT from an earlier sign-in; a listening occupant
        # keeps it busy all the same.
        occupant.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        occupant.bind(("127.0.0.1", oidc_server.fixed_port))
        occupant.listen()
        with pytest.raises(SignInFailed, match=f"poort {oidc_server.fixed_port} .* bezet"):
            client.authorize(timeout=30)
    assert opened == []


# --- using and renewing the sign-in -----------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("seconds_before_expiry", "refreshes"),
    [(3600, False), (61, False), (59, True), (0, True), (-600, True)],
)
def test_refresh_happens_shortly_before_expiry(
    oidc_server, store, account_key, seconds_before_expiry, refreshes
):
    clock = Clock()
    client, token, _ = signed_in(oidc_server, store, account_key, clock=clock)
    clock.now = token.expires_at - seconds_before_expiry
    access = client.access_token()
    assert (access != token.access_token) is refreshes
    assert len(token_requests(oidc_server, refresh_token=token.refresh_token)) == int(refreshes)


def test_refresh_rotation_stores_the_new_token_and_spends_the_old(oidc_server, store, account_key):
    clock = Clock()
    client, first, _ = signed_in(oidc_server, store, account_key, clock=clock)
    clock.now = first.expires_at
    access = client.access_token()
    second = Token.from_secret(store.read(account_key))
    assert second.access_token == access != first.access_token
    assert second.refresh_token and second.refresh_token != first.refresh_token
    assert second.expires_at > first.expires_at
    assert userinfo_status(oidc_server, access) == 200
    # Once more: the rotated refresh token works and is replaced again.
    clock.now = second.expires_at
    client.access_token()
    third = Token.from_secret(store.read(account_key))
    assert third.refresh_token not in (first.refresh_token, second.refresh_token)
    spent = post_token(
        oidc_server,
        grant_type="refresh_token",
        refresh_token=first.refresh_token,
        client_id=oidc_server.public_client_id,
    )
    assert spent.status_code == 400
    assert spent.json()["error"] == "invalid_grant"


def test_a_confidential_client_refreshes_with_its_secret(oidc_server, store, account_key):
    clock = Clock()
    config = confidential_config(oidc_server)
    client, token, _ = signed_in(oidc_server, store, account_key, config=config, clock=clock)
    clock.now = token.expires_at
    assert client.access_token() != token.access_token
    [refresh] = token_requests(oidc_server, refresh_token=token.refresh_token)
    assert refresh["status"] == 200 and refresh["basic_auth"] is True


def _revoke_at_server(server, token: str, hint: str) -> None:
    response = requests.post(
        server.revoke_url,
        data={"token": token, "token_type_hint": hint, "client_id": server.public_client_id},
        verify=server.ca_bundle,
        timeout=10,
    )
    assert response.status_code == 200


def test_after_a_401_the_request_is_retried_once_with_a_fresh_token(
    oidc_server, store, account_key, trust_test_ca
):
    # The server ends the access token after a second; our clock (stopped, as if it ran
    # behind) still thinks it valid, so only the 401 can tell.
    config = public_config(oidc_server, client_id=oidc_server.short_lived_client_id)
    client, token, _ = signed_in(
        oidc_server, store, account_key, config=config, clock=Clock(), refresh_margin=0
    )
    time.sleep(1.5)
    assert userinfo_status(oidc_server, client.access_token()) == 401
    http = HttpSession("Testnet", verify=oidc_server.ca_bundle)
    response = client.authorized_request(http, "GET", oidc_server.userinfo_url)
    http.session.close()
    assert response.status_code == 200
    assert response.json()["sub"] == "juf-test"
    assert len(token_requests(oidc_server, refresh_token=token.refresh_token)) == 1
    assert Token.from_secret(store.read(account_key)).access_token != token.access_token


def test_on_unauthorized_does_not_refresh_twice_for_one_401(oidc_server, store, account_key):
    client, token, _ = signed_in(oidc_server, store, account_key)
    renewed = client.on_unauthorized(token.access_token)
    # A second caller that saw the same 401 gets the renewed token without another refresh.
    assert client.on_unauthorized(token.access_token) == renewed
    assert len(token_requests(oidc_server, grant_type="refresh_token")) >= 1
    assert len(token_requests(oidc_server, refresh_token=token.refresh_token)) == 1


def test_a_withdrawn_sign_in_asks_to_reconnect(oidc_server, store, account_key, trust_test_ca):
    client, token, _ = signed_in(oidc_server, store, account_key)
    _revoke_at_server(oidc_server, token.refresh_token, "refresh_token")
    http = HttpSession("Testnet", verify=oidc_server.ca_bundle)
    with pytest.raises(Reconnect) as raised:
        client.authorized_request(http, "GET", oidc_server.userinfo_url)
    http.session.close()
    assert str(raised.value) == (
        "De aanmelding bij Testnet is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
    )
    assert token.refresh_token not in str(raised.value)


def test_an_account_without_sign_in_asks_to_sign_in(oidc_server, store, account_key):
    client = make_client(oidc_server, store, account_key, lambda url: False)
    with pytest.raises(Reconnect, match="nog niet aangemeld bij Testnet"):
        client.access_token()


def test_an_unreachable_token_endpoint_means_retry_later(oidc_server, store, account_key):
    clock = Clock()
    client, token, _ = signed_in(oidc_server, store, account_key, clock=clock)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client.config = public_config(oidc_server, token_url=f"https://127.0.0.1:{closed_port}/token")
    clock.now = token.expires_at
    with pytest.raises(RetryLater, match="Geen verbinding met Testnet"):
        client.access_token()
    # Nothing was spent: the stored sign-in is untouched.
    assert Token.from_secret(store.read(account_key)) == token


# --- disconnecting ------------------------------------------------------------------------------


def test_disconnecting_revokes_at_the_provider_and_forgets_locally(oidc_server, store, account_key):
    client, token, _ = signed_in(oidc_server, store, account_key)
    assert client.revoke() is True
    assert store.read(account_key) is None
    assert userinfo_status(oidc_server, token.access_token) == 401
    refused = post_token(
        oidc_server,
        grant_type="refresh_token",
        refresh_token=token.refresh_token,
        client_id=oidc_server.public_client_id,
    )
    assert refused.status_code == 400
    revocations = [seen for seen in wire(oidc_server) if seen["path"] == "/token/revocation"]
    assert {"token": token.refresh_token, "token_type_hint": "refresh_token"}.items() <= (
        revocations[-2]["params"].items()
    )


def test_disconnecting_without_a_revocation_endpoint_still_forgets(oidc_server, store, account_key):
    config = public_config(oidc_server, revoke_url=None)
    client, token, _ = signed_in(oidc_server, store, account_key, config=config)
    assert client.revoke() is False
    assert store.read(account_key) is None
    assert userinfo_status(oidc_server, token.access_token) == 200


def test_disconnecting_an_unreachable_provider_still_forgets(oidc_server, store, account_key):
    client, _, _ = signed_in(oidc_server, store, account_key)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client.config = public_config(oidc_server, revoke_url=f"https://127.0.0.1:{closed_port}/r")
    assert client.revoke() is False
    assert store.read(account_key) is None


# --- secrets stay secret ------------------------------------------------------------------------


def test_secrets_are_not_in_reprs(oidc_server, store, account_key):
    client, token, _ = signed_in(oidc_server, store, account_key)
    config = confidential_config(oidc_server)
    for text in (repr(token), str(token), repr(client)):
        assert token.access_token not in text
        assert token.refresh_token not in text
    assert oidc_server.confidential_client_secret not in repr(config)


# --- plain http ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorize_url", "token_url"),
    [
        ("http://school.example/oauth/authorize", "https://school.example/oauth/token"),
        ("https://school.example/oauth/authorize", "http://school.example/oauth/token"),
    ],
)
def test_plain_http_to_another_host_is_refused_in_dutch_not_by_a_library_error(
    store, account_key, authorize_url, token_url, monkeypatch
):
    """Only a loopback endpoint may be plain http; anywhere else the sign-in stops with
    Postwijs's own words (oauthlib's InsecureTransportError never reaches the caller)."""
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    opened: list[str] = []
    client = OAuthClient(
        ProviderConfig("Testnet", authorize_url, token_url, "client"),
        store,
        account_key,
        open_browser=lambda url: opened.append(url) or True,
    )
    if authorize_url.startswith("http:"):
        with pytest.raises(SignInFailed, match="niet veilig aanmelden bij Testnet"):
            client.authorize(timeout=5)
        assert opened == []
    else:
        store.write(account_key, Token("oud", "verversing", expires_at=0.0).to_secret())
        with pytest.raises(Reconnect, match="Meld het account opnieuw aan"):
            client.access_token()
    assert "OAUTHLIB_INSECURE_TRANSPORT" not in os.environ


# --- two processes ---------------------------------------------------------------------------

_REFRESHING_PROCESS = """
import json, sys, time
from pathlib import Path
from connectors.oauth import OAuthClient, ProviderConfig
from connectors.secrets import SecretStore
given = json.loads(sys.argv[1])
client = OAuthClient(
    ProviderConfig(**given["config"]), SecretStore(), given["account"], verify=given["ca"],
    lock_dir=Path(given["lock_dir"]),
)
go = Path(given["go"])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
print(client.access_token())
"""


def test_two_processes_refreshing_at_once_spend_the_refresh_token_once(
    oidc_server, store, account_key, tmp_path
):
    """Two Postwijs processes find the same token expired at the same moment: the lock file in
    the data folder lets one refresh while the other waits and then takes the token it stored,
    so the rotated refresh token is spent once and the sign-in stays valid."""
    _client, token, _browser = signed_in(oidc_server, store, account_key)
    store.write(account_key, replace(token, expires_at=time.time() - 10).to_secret())
    go = tmp_path / "go"
    given = json.dumps(
        {
            "config": asdict(public_config(oidc_server)),
            "account": account_key,
            "ca": oidc_server.ca_bundle,
            "lock_dir": str(tmp_path / "data"),
            "go": str(go),
        }
    )
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _REFRESHING_PROCESS, given],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(2)
    ]
    # A barrier: both have made their client and wait for the signal.
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    go.touch()
    answers = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], answers
    first, second = (out.strip().splitlines()[-1] for out, _err in answers)
    stored = Token.from_secret(store.read(account_key))
    assert first == second == stored.access_token != token.access_token
    assert len(token_requests(oidc_server, refresh_token=token.refresh_token)) == 1
    assert stored.refresh_token != token.refresh_token
    assert userinfo_status(oidc_server, stored.access_token) == 200
