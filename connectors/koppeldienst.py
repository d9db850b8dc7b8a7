"""The app's client for the foundation's koppeldienst (docs/koppeldienst-api.md): the service's
error `kind` becomes RetryLater / Reconnect / Rejected; no requests exception escapes.

`sign_in_in_browser` is the browser sign-in whose code the service exchanges (Facebook Login,
LinkedIn's authorization code flow): the app never holds the app secret."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from app.i18n import _
from app.networks.connector import Reconnect, Rejected, RetryLater
from app.networks.registry import SignInRequest
from connectors.base import SignInOptions
from connectors.oauth import OAuthClient, ProviderConfig

TIMEOUT = (10.0, 60.0)


def _call(base_url: str, method: str, path: str, **kwargs) -> dict:
    try:
        answer = requests.request(method, base_url.rstrip("/") + path, timeout=TIMEOUT, **kwargs)
    except requests.RequestException:
        raise RetryLater(
            _(
                "De koppeldienst is niet bereikbaar. Controleer de internetverbinding en probeer het later opnieuw."
            )
        ) from None
    try:
        body = answer.json()
    except ValueError:
        body = None
    if answer.ok and isinstance(body, dict):
        return body
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}
    message = error.get("message") if isinstance(error.get("message"), str) else ""
    kind = error.get("kind")
    if error.get("code") == "organization_not_allowed":
        # The service revokes the token it got, through an endpoint LinkedIn's docs do not
        # describe (networks.md); so the member is also told where to withdraw the permission.
        raise Rejected(
            _(
                "Deze LinkedIn-pagina staat niet op de lijst van de koppeldienst van de stichting. Vraag de ICT-beheerder de pagina toe te voegen (organizations in de koppeldienst). Postwijs en de koppeldienst bewaren niets van deze aanmelding. De toestemming die je LinkedIn net gaf, trek je in bij LinkedIn: Instellingen, Gegevensprivacy, Toegestane services."
            )
        )
    if kind == "reconnect":
        raise Reconnect(message or _("Meld het account opnieuw aan."))
    if kind == "rejected":
        raise Rejected(message or _("De koppeldienst weigerde dit verzoek."))
    wait = error.get("retry_after")
    not_before = datetime.now(UTC) + timedelta(seconds=wait) if isinstance(wait, int) else None
    raise RetryLater(
        message or _("De koppeldienst antwoordt nu niet. Probeer het later opnieuw."), not_before
    )


def health(base_url: str) -> dict:
    return _call(base_url, "GET", "/health")


def config(base_url: str) -> dict:
    return _call(base_url, "GET", "/v1/config")


def exchange_meta(base_url: str, code: str, redirect_uri: str) -> dict:
    return _call(
        base_url, "POST", "/v1/meta/exchange", json={"code": code, "redirect_uri": redirect_uri}
    )


def exchange_linkedin(base_url: str, code: str, redirect_uri: str) -> dict:
    return _call(
        base_url, "POST", "/v1/linkedin/exchange", json={"code": code, "redirect_uri": redirect_uri}
    )


def refresh_linkedin(base_url: str, refresh_token: str) -> dict:
    return _call(base_url, "POST", "/v1/linkedin/refresh", json={"refresh_token": refresh_token})


def meta_token_expiry(base_url: str, access_token: str) -> dict:
    """When a Meta token ends: {"never": true} or {"never": false, "expires_at": ISO or null}."""
    headers = {"Authorization": f"Bearer {access_token}"}
    return _call(base_url, "POST", "/v1/meta/token-expiry", headers=headers)


def linkedin_token_expiry(base_url: str, access_token: str) -> dict:
    """When a LinkedIn access token ends: {"never": false, "expires_at": ISO or null}."""
    headers = {"Authorization": f"Bearer {access_token}"}
    return _call(base_url, "POST", "/v1/linkedin/token-expiry", headers=headers)


def noted_expiry(answer: Mapping[str, Any]) -> str | None:
    """The service's answer as the account's note keeps it: "never", an ISO moment, or None."""
    if answer.get("never") is True:
        return "never"
    ends = answer.get("expires_at")
    return ends if isinstance(ends, str) and ends else None


def host_instagram_photo(base_url: str, jpeg: bytes, access_token: str, ig_user_id: str) -> dict:
    """Upload a prepared JPEG; answers {"url", "expires_at"} (the URL works once, for minutes)."""
    headers = {
        "Content-Type": "image/jpeg",
        "Authorization": f"Bearer {access_token}",
        "X-Instagram-Account": ig_user_id,
    }
    return _call(base_url, "POST", "/v1/instagram/photos", data=jpeg, headers=headers)


def login_port(value: str) -> int | None:
    """The account's loopback port for a sign-in through the service (the site configuration's
    redirect_port): the provider's app and the service list the redirect URI exactly, port
    included, so the system cannot pick one."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and 1024 <= int(text) <= 65535 else None


class _HeldForOneSignIn:
    """The OAuth client's vault during a sign-in through the service: what the exchange gave is
    checked and shaped into the network's own entry by its connector before anything reaches
    the real vault."""

    def __init__(self) -> None:
        self.entry: dict[str, Any] | None = None

    def check_available(self) -> None:
        pass

    def read(self, account_id: str) -> dict[str, Any] | None:
        return self.entry

    def write(self, account_id: str, value: Mapping[str, Any]) -> None:
        self.entry = dict(value)

    def delete(self, account_id: str) -> None:
        self.entry = None


def sign_in_in_browser(
    config: ProviderConfig,
    exchange: Callable[[str, str], Mapping[str, Any]],
    account_id: str,
    options: SignInOptions,
    request: SignInRequest,
) -> Mapping[str, Any]:
    """The provider's sign-in page in the system browser, returning to the loopback port of
    `config`; the code goes to `exchange` (code, redirect_uri), a call to the service, which
    trades it with the app secret. Returns what `exchange` answered (it holds an
    `access_token`); nothing is written to the account's vault here. Without a verifier the
    service could not finish a PKCE exchange, so none is sent."""
    answers: list[Mapping[str, Any]] = []

    def exchanged(code: str, redirect_uri: str) -> Mapping[str, Any]:
        answer = exchange(code, redirect_uri)
        answers.append(answer)
        return answer

    client = OAuthClient(
        replace(config, token_url="", pkce=False, exchange=exchanged),
        _HeldForOneSignIn(),
        account_id,
        open_browser=options.open_browser,
        verify=options.verify,
    )
    client.authorize(timeout=options.sign_in_timeout, cancelled=request.cancelled)
    return answers[-1]
