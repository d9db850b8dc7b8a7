"""The shared HTTP session of every connector: timeouts, TLS verification, a User-Agent naming
Postwijs, and the mapping of provider answers to the closed set of app errors.

Connectors call `HttpSession.request(...)`; a response outside `expected` becomes RetryLater
(429, 5xx; with the earliest moment from Retry-After or the rate-limit headers), UnknownOutcome
(the request was sent but no answer came: a timeout or a broken connection on a write), Reconnect
(401) or Rejected (the provider's reason, in Dutch words). A connector with provider-specific
errors (Meta's error codes, Bluesky's ExpiredToken) passes its own `classify`.
Response bodies that go into messages or logs are cut short and never contain tokens.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from app import __version__
from app.i18n import _
from app.networks.connector import ConnectorError, Reconnect, Rejected, RetryLater, UnknownOutcome

log = logging.getLogger("postwijs.http")
USER_AGENT = f"Postwijs/{__version__} (+https://www.scoh.nl; social media voor scholen)"
DEFAULT_TIMEOUT = (10, 60)  # connect, read (seconds); uploads pass a longer read timeout
MAX_BODY_IN_MESSAGE = 300
_SECRET_PATTERN = re.compile(
    r"(?i)(\"?(?:access_?token|refresh_?token|id_?token|access_?jwt|refresh_?jwt|client_secret|"
    r"password|app_?password|code_verifier|code|token|authorization)\"?\s*[:=]\s*\"?)"
    r"(?:(?:bearer|basic|dpop)\s+)?[^\"&,\s}]+"
)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Sent again once on a fresh connection when the first one dropped before answering: HTTP lets a
# client repeat these without changing anything (RFC 9110, 9.2.2).
REPEATABLE_METHODS = {"GET", "HEAD", "OPTIONS"}


def redact(text: str) -> str:
    """Removes anything that looks like a secret and cuts the text short, for messages and logs."""
    cleaned = _SECRET_PATTERN.sub(r"\1[verborgen]", text)
    return cleaned if len(cleaned) <= MAX_BODY_IN_MESSAGE else cleaned[:MAX_BODY_IN_MESSAGE] + "…"


def retry_moment(response: requests.Response, now: datetime | None = None) -> datetime | None:
    """The earliest moment to try again: Retry-After (seconds or a date), or a rate-limit reset
    header (X's x-rate-limit-reset and Bluesky's ratelimit-reset are epoch seconds; Mastodon's
    X-RateLimit-Reset is an ISO time)."""
    now = now or datetime.now(UTC)
    headers = response.headers
    retry_after = headers.get("Retry-After")
    if retry_after:
        if retry_after.strip().isdigit():
            return now + timedelta(seconds=int(retry_after.strip()))
        try:
            return parsedate_to_datetime(retry_after).astimezone(UTC)
        except (TypeError, ValueError):
            pass
    for name in ("x-rate-limit-reset", "ratelimit-reset", "X-RateLimit-Reset"):
        value = headers.get(name)
        if not value:
            continue
        value = value.strip()
        if value.isdigit():
            number = int(value)
            # Some servers send seconds-until-reset rather than an epoch: tell them apart by size.
            return (
                datetime.fromtimestamp(number, UTC)
                if number > 1_000_000_000
                else now + timedelta(seconds=number)
            )
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def provider_reason(response: requests.Response) -> str:
    """The provider's own words for a refusal, from the common JSON error shapes."""
    try:
        body = response.json()
    except ValueError:
        return redact(response.text.strip())
    if isinstance(body, dict):
        for key in ("error_description", "message", "detail", "title", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return redact(value)
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return redact(value["message"])
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return redact(str(errors[0].get("message") or errors[0].get("detail") or errors[0]))
    return redact(str(body))


def classify(response: requests.Response, network: str) -> ConnectorError:
    """The default mapping of an unexpected answer; connectors may refine it."""
    status = response.status_code
    reason = provider_reason(response)
    if status == 429:
        return RetryLater(
            _(
                "{network} vraagt om even te wachten (te veel verzoeken). Postwijs probeert het later opnieuw."
            ).format(network=network),
            retry_moment(response),
        )
    if status >= 500:
        return RetryLater(
            _(
                "{network} heeft een storing ({status}). Postwijs probeert het later opnieuw."
            ).format(network=network, status=status),
            retry_moment(response),
        )
    if status == 401:
        return Reconnect(
            _(
                "De aanmelding bij {network} is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
            ).format(network=network)
        )
    return Rejected(
        _("{network} weigert dit ({status}): {reason}").format(
            network=network, status=status, reason=reason
        )
    )


def _never_connected(error: requests.exceptions.ConnectionError) -> bool:
    """No connection was made (refused, no such host): nothing was sent, so the outcome is known.
    requests wraps urllib3's NewConnectionError (NameResolutionError is one) in a MaxRetryError."""
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, NewConnectionError)


def _dropped_before_answer(error: requests.exceptions.ConnectionError) -> bool:
    """The connection closed before any answer came (urllib3's ProtocolError). On a kept-alive
    connection this is usually the server having closed it while it sat in the pool, a race no
    check before sending can win."""
    cause = error.args[0] if error.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, ProtocolError)


class HttpSession:
    """One requests.Session per connector, with Postwijs's defaults."""

    def __init__(
        self,
        network: str,
        classify_error: Callable[[requests.Response, str], ConnectorError] = classify,
        verify: bool | str = True,
    ):
        self.network = network
        self.classify_error = classify_error
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.verify = verify

    def request(
        self,
        method: str,
        url: str,
        *,
        expected: tuple[int, ...] = (200, 201, 202, 204),
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        **kwargs,
    ) -> requests.Response:
        method = method.upper()
        # Passed per request: requests lets REQUESTS_CA_BUNDLE override a session's own setting.
        kwargs.setdefault("verify", self.session.verify)
        try:
            response = self._send(method, url, timeout, kwargs)
        except requests.exceptions.ConnectTimeout:
            raise RetryLater(
                _("{network} is niet bereikbaar. Postwijs probeert het later opnieuw.").format(
                    network=self.network
                )
            ) from None
        except (requests.exceptions.ReadTimeout, requests.exceptions.ChunkedEncodingError) as error:
            if method in WRITE_METHODS:
                raise UnknownOutcome(
                    _(
                        "{network} antwoordde niet op tijd; Postwijs kijkt eerst of het bericht al geplaatst is."
                    ).format(network=self.network)
                ) from None
            raise RetryLater(
                _("{network} antwoordde niet op tijd. Postwijs probeert het later opnieuw.").format(
                    network=self.network
                )
            ) from error
        except requests.exceptions.SSLError:
            raise Rejected(
                _(
                    "De beveiligde verbinding met {network} klopt niet (certificaat). Vraag de ICT-beheerder om hulp."
                ).format(network=self.network)
            ) from None
        except requests.exceptions.ConnectionError as error:
            if method in WRITE_METHODS and not _never_connected(error):
                raise UnknownOutcome(
                    _(
                        "De verbinding met {network} viel weg; Postwijs kijkt eerst of het bericht al geplaatst is."
                    ).format(network=self.network)
                ) from None
            raise RetryLater(
                _(
                    "Geen verbinding met {network}. Postwijs probeert het opnieuw zodra er internet is."
                ).format(network=self.network)
            ) from None
        if response.status_code not in expected:
            log.info(
                "%s %s -> %s %s", method, redact(url), response.status_code, redact(response.text)
            )
            raise self.classify_error(response, self.network)
        return response

    def _send(
        self, method: str, url: str, timeout: tuple[float, float], kwargs: dict
    ) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=timeout, **kwargs)
        except requests.exceptions.ConnectionError as error:
            if (
                method not in REPEATABLE_METHODS
                or isinstance(
                    error, requests.exceptions.SSLError | requests.exceptions.ConnectTimeout
                )
                or not _dropped_before_answer(error)
            ):
                raise
        log.info("%s %s: the connection dropped before an answer; once more", method, redact(url))
        return self.session.request(method, url, timeout=timeout, **kwargs)
