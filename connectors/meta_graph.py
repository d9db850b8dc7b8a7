"""What Facebook Pages and Instagram share on Meta's Graph API: reading Meta's error shape
(`error.code`, `error_subcode`, over HTTP 400 as often as not), when Meta lets calls through
again after throttling (../shared/networks.md section 2, "Errors and rate limits"), its
cursor paging of lists, and when a pasted token ends."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import requests
from keyring.errors import KeyringError

from app.i18n import _
from app.networks.connector import ConnectorError, Reconnect, UnknownOutcome
from connectors import koppeldienst
from connectors.base import HttpConnector
from connectors.rest import json_body, unexpected_answer

log = logging.getLogger("postwijs.meta")

GRAPH_API = "https://graph.facebook.com"
DEFAULT_VERSION = "v26.0"
THROTTLED = frozenset({4, 17, 32, 341, 613, 80002})
TRANSIENT = frozenset({1, 2})
ALREADY_GONE = (100, 33)  # "Object with ID ... does not exist"
THROTTLE_FALLBACK = timedelta(hours=1)  # Meta sent no estimate of when calls work again
USAGE_HEADERS = ("X-Business-Use-Case-Usage", "X-Page-Usage", "X-App-Usage")


def meta_error(response: requests.Response) -> tuple[int | None, int | None]:
    """Meta's (error.code, error.error_subcode), or Nones when the answer is not Meta's shape."""
    try:
        body = response.json()
    except ValueError:
        return None, None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None
    code, subcode = error.get("code"), error.get("error_subcode")
    return (
        code if isinstance(code, int) else None,
        subcode if isinstance(subcode, int) else None,
    )


def regain_moment(response: requests.Response, now: datetime) -> datetime:
    """When Meta lets calls through again: the largest `estimated_time_to_regain_access`
    (minutes) in X-Business-Use-Case-Usage (per business object, a list of usages) or in
    X-Page-Usage / X-App-Usage (one usage), or an hour when Meta says nothing."""
    minutes = 0
    for name in USAGE_HEADERS:
        try:
            usage = json.loads(response.headers.get(name) or "{}")
        except ValueError:
            continue
        if not isinstance(usage, dict):
            continue
        entries = [usage] if "estimated_time_to_regain_access" in usage else []
        for value in usage.values():
            entries += (
                [entry for entry in value if isinstance(entry, dict)]
                if isinstance(value, list)
                else []
            )
        for entry in entries:
            value = entry.get("estimated_time_to_regain_access")
            if isinstance(value, int) and value > minutes:
                minutes = value
    return now + (timedelta(minutes=minutes) if minutes else THROTTLE_FALLBACK)


def mapping(value: object) -> dict:
    """A JSON value that should be an object, or an empty one when Meta sent another."""
    return value if isinstance(value, dict) else {}


def cursor_pages(
    get: Callable[[dict[str, object]], requests.Response],
    params: dict[str, object],
    max_pages: int,
    network: str,
) -> Iterator[list[dict]]:
    """A list Meta hands out page by page: `get(params)` asks for one page; the next is asked
    with the `after` cursor as long as the answer has a `paging.next`, up to `max_pages`."""
    for _page in range(max_pages):
        body = json_body(get(params), dict, network)
        data = body.get("data")
        if not isinstance(data, list):
            raise unexpected_answer(network)
        yield [item for item in data if isinstance(item, dict)]
        paging = mapping(body.get("paging"))
        cursors = mapping(paging.get("cursors"))
        if not paging.get("next") or not isinstance(cursors.get("after"), str):
            return
        params = {**params, "after": cursors["after"]}


class GraphConnector(HttpConnector):
    """What Facebook's and Instagram's connectors share on the Graph API: the address of a call
    (`base_url`, `version`), the token on every call (`_authorization`, each its own entry),
    and the classification of a refusal: a refused token tells the account service
    (`_on_unauthorized`), and a fault without Meta's words in the call that places the post
    (`_placing`) is an unknown outcome, since the post may exist."""

    base_url: str
    version: str
    _on_unauthorized: Callable[[], None] | None

    def _authorization(self) -> dict[str, str]:
        raise NotImplementedError

    def _classify_meta(self, response: requests.Response, network: str) -> ConnectorError:
        """The network's own reading of Meta's error codes."""
        raise NotImplementedError

    def _placing(self, response: requests.Response) -> bool:
        """Whether `response` answers the call that places the post."""
        raise NotImplementedError

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{self.version}{path}"

    def _graph(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self._url(path), headers=self._authorization(), **kwargs)

    def _classify(self, response: requests.Response, network: str) -> ConnectorError:
        error = self._classify_meta(response, network)
        if isinstance(error, Reconnect) and self._on_unauthorized is not None:
            # A failing hook (a locked vault): the Reconnect that follows says what to do.
            with contextlib.suppress(ConnectorError, KeyringError):
                self._on_unauthorized()
        if (
            response.status_code >= 500
            and meta_error(response)[0] is None
            and self._placing(response)
        ):
            # Not Meta's words (a proxy's fault): the post may have been placed.
            return UnknownOutcome(
                _(
                    "{network} antwoordde met een storing; Postwijs kijkt eerst of het bericht al geplaatst is."
                ).format(network=network)
            )
        return error


def pasted_token_note(token: str, service_url: str) -> dict[str, str]:
    """The account note's expiresAt for a token IT pasted: Meta's debug_token (asked through
    the foundation's service, which holds the app token) gives its end, 0 for none. Without a
    service, or when it cannot answer now, nothing is known and nothing is noted."""
    if not service_url:
        return {}
    try:
        ends = koppeldienst.noted_expiry(koppeldienst.meta_token_expiry(service_url, token))
    except ConnectorError as error:
        log.info("token expiry not read: %s", type(error).__name__)
        return {}
    return {"expiresAt": ends} if ends else {}
