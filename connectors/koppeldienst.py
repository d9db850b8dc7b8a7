"""The app's client for the foundation's koppeldienst (docs/koppeldienst-api.md): the service's
error `kind` becomes RetryLater / Reconnect / Rejected; no requests exception escapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import requests

from app.i18n import _
from app.networks.connector import Reconnect, Rejected, RetryLater

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


def host_instagram_photo(base_url: str, jpeg: bytes, access_token: str, ig_user_id: str) -> dict:
    """Upload a prepared JPEG; answers {"url", "expires_at"} (the URL works once, for minutes)."""
    headers = {
        "Content-Type": "image/jpeg",
        "Authorization": f"Bearer {access_token}",
        "X-Instagram-Account": ig_user_id,
    }
    return _call(base_url, "POST", "/v1/instagram/photos", data=jpeg, headers=headers)
