"""What every REST connector needs in the same way: the provider's base URL from what a user
typed, reading a JSON answer, provider times, upload timeouts, and the search back through an
account's recent posts that settles an unknown outcome (find_post).

Each helper answers in Dutch where a person can meet its refusal, so a connector never needs its
own copy.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from keyring.errors import KeyringError

from app.i18n import _
from app.networks.connector import (
    CannotLookBack,
    OutgoingMedia,
    Reconnect,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from app.networks.registry import AccountAccess

log = logging.getLogger("postwijs.connectors")

UPLOAD_TIMEOUT = (10.0, 300.0)  # connect, read (seconds): a large photo or video takes a while
CLOCK_SKEW = timedelta(minutes=10)  # the laptop's clock and the provider's may disagree
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

_HOST_NAME = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)

Item = TypeVar("Item")
Body = TypeVar("Body", dict, list)


class InvalidAddress(ValueError):
    """What a user typed is no address of the provider; `str(error)` says in Dutch what to type."""


def normalise_base_url(value: object, refusal: str) -> str:
    """The provider's base URL ("https://mastodon.social") from a domain or a URL; any path is
    dropped. Plain http is kept only for a loopback host (tests, a local server); elsewhere it
    becomes https, so a token never travels in clear text. Anything else raises InvalidAddress
    with `refusal`, the Dutch sentence that tells the user what to type."""
    text = value.strip() if isinstance(value, str) else ""
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        raise InvalidAddress(refusal) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host or "@" in parts.netloc:
        raise InvalidAddress(refusal)
    netloc_host = _ascii_host(host, refusal)
    if scheme == "http" and host.lower() not in LOOPBACK_HOSTS:
        scheme = "https"
    default_port = 443 if scheme == "https" else 80
    return f"{scheme}://{netloc_host if port in (None, default_port) else f'{netloc_host}:{port}'}"


def _ascii_host(host: str, refusal: str) -> str:
    """The host as it goes into a URL: an IP address as is (IPv6 in brackets), a name in IDNA."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return f"[{address.compressed}]" if address.version == 6 else address.compressed
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidAddress(refusal) from None
    if ascii_host not in LOOPBACK_HOSTS and not _HOST_NAME.match(ascii_host):
        raise InvalidAddress(refusal)
    return ascii_host


def origin(url: str) -> str:
    """scheme://host[:port], to keep a token on the host it belongs to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def unexpected_answer(network: str) -> RetryLater:
    return RetryLater(
        _("{network} gaf een onverwacht antwoord. Postwijs probeert het later opnieuw.").format(
            network=network
        )
    )


def json_body(response: requests.Response, kind: type[Body], network: str) -> Body:
    """The answer's JSON object (kind=dict) or array (kind=list); anything else is an unexpected
    answer, which the outbox tries again later."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, kind):
        raise unexpected_answer(network)
    return body


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time from a provider ("2026-11-30T09:00:00.000Z"); without a zone it is UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def search_start(since: datetime) -> datetime:
    """The earliest creation time find_post accepts: `since` (the first attempt's moment; naive
    means UTC) less a margin for the two clocks' disagreement."""
    start = since if since.tzinfo else since.replace(tzinfo=UTC)
    return start - CLOCK_SKEW


def earliest_match(
    pages: Iterator[Sequence[Item]],
    since: datetime,
    created: Callable[[Item], datetime | None],
    matches: Callable[[Item], bool],
    *,
    max_pages: int,
    network: str,
) -> Item | None:
    """Our post among an account's posts, read page by page newest first: the earliest item
    created from `since` (less CLOCK_SKEW) on for which `matches` holds (the first attempt's,
    when several match). The search ends at the first older item or at the end of the list; None
    then means certainly not there. When `max_pages` pages did not reach back to `since` and more
    exist, it raises CannotLookBack rather than answer "not there" without knowing."""
    start = search_start(since)
    found: list[tuple[datetime, int, Item]] = []
    for number, page in enumerate(pages, 1):
        reached_older = False
        for item in page:
            moment = created(item)
            if moment is not None and moment < start:
                reached_older = True
                continue
            if matches(item):
                found.append((moment or datetime.max.replace(tzinfo=UTC), len(found), item))
        if reached_older:
            break
        if number == max_pages:
            # An empty page after a full one is the end of the list too (Mastodon links it).
            if next(pages, None):
                raise CannotLookBack(
                    _(
                        "Postwijs kan bij {network} niet ver genoeg terugkijken om te zien of het bericht al geplaatst is. Kijk zelf op het account en kies dan of het opnieuw moet."
                    ).format(network=network)
                )
            break
    if not found:
        return None
    return min(found, key=lambda entry: entry[:2])[2]


# --- words every connector uses -----------------------------------------------------------------


def accepted_without_answer(network: str) -> UnknownOutcome:
    """The provider accepted the post but its answer makes no sense: whether the post exists is
    for find_post to say before anything is sent again."""
    return UnknownOutcome(
        _(
            "{network} gaf een onverwacht antwoord; Postwijs kijkt eerst of het bericht al geplaatst is."
        ).format(network=network)
    )


def vault_unreadable(network: str) -> RetryLater:
    """The keyring failed while reading or writing the sign-in."""
    return RetryLater(
        _(
            "Postwijs kan de aanmelding voor {network} nu niet lezen. Postwijs probeert het later opnieuw."
        ).format(network=network)
    )


def comparable_text(text: str) -> str:
    """A post's text as a network's read-back can be compared with what was sent: networks may
    fold or trim white space, so every run of it counts as one space."""
    return " ".join(text.split())


def no_sign_in(network: str) -> Reconnect:
    return Reconnect(
        _(
            "Meld het account opnieuw aan bij Accounts: Postwijs heeft geen aanmelding voor {network}."
        ).format(network=network)
    )


def vault_entry_of(access: AccountAccess) -> Callable[[], Mapping[str, Any] | None]:
    """Reads the account's vault entry at each call, without the account service's note beside
    the sign-in (key "postwijs"): what the connector signs in with, nothing else."""

    def load() -> Mapping[str, Any] | None:
        entry = access.vault.read(access.account.id)
        return {k: v for k, v in entry.items() if k != "postwijs"} if entry else None

    return load


def signed_in_entry(
    load: Callable[[], Mapping[str, Any] | None],
    has_sign_in: Callable[[Mapping[str, Any] | None], bool],
    network: str,
) -> Mapping[str, Any]:
    """The account's vault entry, when it holds a sign-in: a keyring that fails is a RetryLater,
    an entry without a sign-in a Reconnect."""
    try:
        entry = load()
    except KeyringError as error:
        log.warning("vault read failed: %s", type(error).__name__)
        raise vault_unreadable(network) from None
    if entry is None or not has_sign_in(entry):
        raise no_sign_in(network)
    return entry


# --- media checks before anything is uploaded ---------------------------------------------------


def unreadable_file(name: str) -> Rejected:
    return Rejected(
        _("Voeg de foto opnieuw toe: Postwijs kan het bestand {name} niet lezen.").format(name=name)
    )


def read_media(item: OutgoingMedia) -> bytes:
    """The file's bytes for an upload; a file gone or unreadable asks to add it again."""
    try:
        return Path(item.path).read_bytes()
    except OSError:
        raise unreadable_file(Path(item.path).name) from None


def refuse_too_many(media: Sequence[OutgoingMedia], limit: int, network: str) -> None:
    if len(media) > limit:
        raise Rejected(
            _("Kies hoogstens {limit} foto's: meer neemt {network} niet aan.").format(
                limit=limit, network=network
            )
        )


def size_of(item: OutgoingMedia) -> int:
    try:
        return Path(item.path).stat().st_size
    except OSError:
        raise unreadable_file(Path(item.path).name) from None


def refuse_too_large(
    item: OutgoingMedia, limit: int, network: str, megabyte: int = 1_000_000
) -> None:
    """`megabyte` is how the provider counts its documented limit (10**6, or 2**20 bytes)."""
    if size_of(item) > limit:
        raise Rejected(
            _("Maak het bestand {name} kleiner: {network} neemt hoogstens {limit} MB aan.").format(
                name=Path(item.path).name, network=network, limit=limit // megabyte
            )
        )


def refuse_long_alt_text(item: OutgoingMedia, length: int, limit: int, network: str) -> None:
    """`length` is the alt text's length as the provider counts it."""
    if length > limit:
        raise Rejected(
            _(
                "Maak de beschrijving van {name} korter: {network} neemt hoogstens {limit} tekens aan."
            ).format(name=Path(item.path).name, network=network, limit=limit)
        )
