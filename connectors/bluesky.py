"""Bluesky: an account on a PDS (bsky.social by default), signed in with an app password.

Sign-in is the AT Protocol's session scheme: `com.atproto.server.createSession` with the handle and
an app password gives an access token and a refresh token, `refreshSession` (the refresh token as
Bearer) rotates both. Sessions are reused, never made per post: Bluesky allows 30 sign-ins per five
minutes and 300 a day per account. The connector keeps the session in the caller's `session_store`
(the password vault, never the database) and signs in again only when there is no usable session.
An expired access token (HTTP 400 ExpiredToken) is refreshed and the call made once more; a token
the PDS does not accept at all (InvalidToken, 401) leads to one fresh sign-in with the app password,
and then to Reconnect.

Publishing uploads each prepared image with `uploadBlob` and writes one `app.bsky.feed.post` record
with an `app.bsky.embed.images` embed. Bluesky finds no links, mentions or hashtags by itself: the
record carries facets with UTF-8 byte offsets, built by `build_facets`. createRecord has no
idempotency key, so after an unknown outcome `find_post` reads the account's recent posts.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, partial
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

import regex
import requests
from keyring.errors import KeyringError

from app.i18n import _
from app.networks import textcount
from app.networks.connector import (
    Capabilities,
    ConnectorError,
    Duplicates,
    Mention,
    MentionKind,
    NotSupported,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Refusing,
    Rejected,
    RemotePost,
    SignIn,
)
from app.networks.profiles import BLUESKY, NetworkProfile
from app.networks.registry import AccountAccess, Revoked, SignedIn, SignInRequest, Vault
from app.site.config import Account
from connectors.base import HttpConnector, SignInOptions
from connectors.http import HttpSession, classify, provider_reason
from connectors.refresh_lock import refresh_lock
from connectors.rest import (
    LOOPBACK_HOSTS,
    UPLOAD_TIMEOUT,
    InvalidAddress,
    accepted_without_answer,
    earliest_match,
    json_body,
    no_sign_in,
    normalise_base_url,
    origin,
    parse_time,
    read_media,
    refuse_long_alt_text,
    refuse_too_large,
    refuse_too_many,
    unexpected_answer,
    vault_unreadable,
)
from resources import resource_path

log = logging.getLogger("postwijs.bluesky")

NETWORK = "Bluesky"
DEFAULT_SERVICE = "https://bsky.social"
WEB_APP = "https://bsky.app"
POST_COLLECTION = "app.bsky.feed.post"
FOLLOW_COLLECTION = "app.bsky.graph.follow"

FIND_POST_PAGE_SIZE = 50
OWN_POSTS_PAGE_SIZE = 100  # the maximum of getAuthorFeed and of listRecords
MAX_OWN_POSTS_PAGES = 10_000
FIND_POST_PAGES = 4
FOLLOW_PAGE_SIZE = 100  # the maximum of listRecords
MAX_FOLLOW_PAGES = 1000
NOTIFICATION_PAGE_SIZE = 100  # the maximum of listNotifications
MAX_NOTIFICATION_PAGES = 40
# The notification reasons Signalen reads, and what each is called there.
MENTION_REASONS = {
    "mention": MentionKind.MENTION,
    "reply": MentionKind.REPLY,
    "quote": MentionKind.QUOTE,
}
PROFILES_PER_CALL = 25  # the maximum of app.bsky.actor.getProfiles
MAX_TAG_GRAPHEMES = 64  # app.bsky.richtext.facet#tag
MAX_TAG_BYTES = 640
MAX_HANDLE_LENGTH = 253
INVALID_HANDLE = "handle.invalid"  # what the network shows for a handle that no longer verifies

# An app password as Bluesky makes them: four groups of four base32 characters. A main password is
# refused before it leaves the computer: it would give Postwijs the whole account.
_APP_PASSWORD = regex.compile(r"^[a-z2-7]{4}(?:-[a-z2-7]{4}){3}$")


# --- where the account lives ------------------------------------------------------------------


def normalise_service(value: str) -> str:
    """The service's base URL ("https://bsky.social") from a domain or a URL; any path is dropped.
    Plain http is kept only for a loopback host (tests, a local PDS), so tokens never travel in
    clear text. Raises rest.InvalidAddress (a ValueError) with a Dutch sentence for anything else."""
    return normalise_base_url(
        value,
        _(
            "Vraag de ICT-beheerder het adres van de Bluesky-server van dit account in de siteconfiguratie te zetten (instance, bijvoorbeeld bsky.social)."
        ),
    )


def normalise_identifier(value: str) -> str:
    """A handle as people write it ("@Juf.Anna.bsky.social") as createSession takes it; an e-mail
    address stays as it is."""
    text = value.strip()
    if text.count("@") == 1 and text.startswith("@"):
        text = text[1:]
    return text if "@" in text else text.lower()


def _pds_from_did_doc(did_doc: object, service: str) -> str | None:
    """The account's own PDS from the DID document a session may carry (bsky.social is an
    entryway in front of many PDSes). Only https, or plain http when the service itself is a
    loopback address, so a token never goes out in clear text."""
    if not isinstance(did_doc, dict) or not isinstance(did_doc.get("service"), list):
        return None
    for entry in did_doc["service"]:
        if not isinstance(entry, dict):
            continue
        if not str(entry.get("id", "")).endswith("#atproto_pds"):
            continue
        endpoint = entry.get("serviceEndpoint")
        if not isinstance(endpoint, str):
            return None
        try:
            parts = urlsplit(endpoint)
            host = parts.hostname
        except ValueError:
            return None
        if not host:
            return None
        if parts.scheme == "https" or (
            parts.scheme == "http" and urlsplit(service).scheme == "http" and host in LOOPBACK_HOSTS
        ):
            return origin(endpoint)
        return None
    return None


# --- links, mentions and hashtags -------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    """A link, mention or hashtag in a post text. `start` and `end` are code-point offsets into
    the text (end exclusive); `value` is the link's URI, the mention's handle or the tag without
    '#'."""

    kind: str  # "link", "mention" or "tag"
    start: int
    end: int
    value: str


_LABEL = r"[a-z0-9][a-z0-9-]*+"
# A link starts the text, or follows white space or "(" (as in Bluesky's own detection). Without
# a scheme it must be a domain whose last label is a known top-level domain: "scoh.nl/nieuws".
_LINK = regex.compile(
    rf"(?<![^\s(])(?:https?://[^\s]++|(?P<domain>(?:{_LABEL}\.)+(?P<tld>[a-z][a-z0-9-]*+))"
    r"(?![\p{L}\p{N}_@])(?:[/?#:][^\s]*+)?)",
    regex.IGNORECASE,
)
_MENTION = regex.compile(
    rf"(?<![^\s(])@(?P<handle>(?:{_LABEL}\.)+(?P<tld>[a-z][a-z0-9-]*+))(?![\p{{L}}\p{{N}}_@])",
    regex.IGNORECASE,
)
_TAG_BREAK = "\\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG = regex.compile(rf"(?<![^\s])[#\uff03](?!\ufe0f)(?P<tag>[^{_TAG_BREAK}]++)")
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
_NOT_DIGIT_OR_PUNCTUATION = regex.compile(r"[^\d\p{P}]")
_LINK_TRAILING = ".,;:!?'\"”’»]}…"


@cache
def _top_level_domains() -> frozenset[str]:
    """The top-level domains twitter-text knows (resources/), the same list textcount uses."""
    found: set[str] = set()
    for name in ("x-tlds-generic.txt", "x-tlds-country.txt"):
        for line in resource_path(name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                found.add(line.strip().lower())
    return frozenset(found)


def _trim_link(text: str) -> str:
    # Sentence punctuation after a link is not part of it; a closing bracket is, when it closes
    # one opened inside the link (Wikipedia-style addresses).
    opened, closed = text.count("("), text.count(")")
    end = len(text)
    while end:
        last = text[end - 1]
        if last == ")":
            if opened >= closed:
                break
            closed -= 1
        elif last not in _LINK_TRAILING:
            break
        end -= 1
    return text[:end]


def find_entities(text: str) -> list[Entity]:
    """The links, mentions (@handle with a domain) and hashtags in `text`, in order, without
    overlaps. Scheme-less links get "https://"; a hashtag of only digits is no hashtag."""
    tlds = _top_level_domains()
    found: list[Entity] = []
    for match in _LINK.finditer(text):
        link = _trim_link(match.group(0))
        if match.group("domain") is not None:
            if match.group("tld").lower() not in tlds:
                continue
            uri = "https://" + link
        else:
            if len(link) <= len("https://") or not urlsplit(link).hostname:
                continue
            uri = link
        found.append(Entity("link", match.start(), match.start() + len(link), uri))
    for match in _MENTION.finditer(text):
        handle = match.group("handle")
        tld = match.group("tld").lower()
        # .test is the handle domain of development servers, as in Bluesky's own detection.
        if len(handle) > MAX_HANDLE_LENGTH or (tld not in tlds and tld != "test"):
            continue
        found.append(Entity("mention", match.start(), match.end(), handle.lower()))
    for match in _TAG.finditer(text):
        tag = _TRAILING_PUNCTUATION.sub("", match.group("tag"))
        if not tag or not _NOT_DIGIT_OR_PUNCTUATION.search(tag):
            continue
        if textcount.graphemes(tag) > MAX_TAG_GRAPHEMES or _utf8_length(tag) > MAX_TAG_BYTES:
            continue
        start = match.start()
        found.append(Entity("tag", start, start + 1 + len(tag), tag))
    found.sort(key=lambda entity: (entity.start, -entity.end))
    kept: list[Entity] = []
    for entity in found:
        if kept and entity.start < kept[-1].end:
            continue
        kept.append(entity)
    return kept


def _utf8_length(text: str) -> int:
    # A lone surrogate cannot be UTF-8; the PDS receives it as U+FFFD, which is 3 bytes as well.
    return len(text.encode("utf-8", "surrogatepass"))


def _byte_offsets(text: str, positions: Iterable[int]) -> dict[int, int]:
    """UTF-8 byte offsets of code-point offsets, in one pass over the text."""
    offsets: dict[int, int] = {}
    previous, byte = 0, 0
    for position in sorted(set(positions)):
        byte += _utf8_length(text[previous:position])
        offsets[position] = byte
        previous = position
    return offsets


def build_facets(text: str, resolve_handle: Callable[[str], str | None]) -> list[dict]:
    """The record's `facets`: links, mentions and hashtags with UTF-8 byte offsets (byteStart
    inclusive, byteEnd exclusive). `resolve_handle` gives a mention's DID, or None when the handle
    does not exist; such a mention stays plain text."""
    entities = find_entities(text)
    offsets = _byte_offsets(text, [p for e in entities for p in (e.start, e.end)])
    facets: list[dict] = []
    for entity in entities:
        if entity.kind == "link":
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": entity.value}
        elif entity.kind == "mention":
            did = resolve_handle(entity.value)
            if not did:
                continue
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
        else:
            feature = {"$type": "app.bsky.richtext.facet#tag", "tag": entity.value}
        facets.append(
            {
                "index": {"byteStart": offsets[entity.start], "byteEnd": offsets[entity.end]},
                "features": [feature],
            }
        )
    return facets


# --- the session --------------------------------------------------------------------------------


class SessionStore(Protocol):
    """Where the session lives between runs: the password vault, never the database. `load`
    returns the dict `save` was last given (accessJwt, refreshJwt, did, handle and maybe pds), or
    None; `save(None)` forgets it."""

    def load(self) -> Mapping[str, Any] | None: ...

    def save(self, session: Mapping[str, Any] | None) -> None: ...


@dataclass(frozen=True)
class Session:
    """A signed-in session as createSession and refreshSession give it; the tokens are opaque
    and never shown (repr)."""

    access_jwt: str = field(repr=False)
    refresh_jwt: str = field(repr=False)
    did: str
    handle: str
    pds: str = ""  # the account's own PDS when the session named one, else the service's address

    def to_dict(self) -> dict[str, str]:
        stored = {
            "accessJwt": self.access_jwt,
            "refreshJwt": self.refresh_jwt,
            "did": self.did,
            "handle": self.handle,
        }
        if self.pds:
            stored["pds"] = self.pds
        return stored

    @classmethod
    def from_dict(cls, stored: object) -> Session | None:
        if not isinstance(stored, Mapping):
            return None
        values = [stored.get(key) for key in ("accessJwt", "refreshJwt", "did", "handle")]
        if not all(isinstance(value, str) and value for value in values):
            return None
        pds = stored.get("pds")
        access, refresh, did, handle = cast(list[str], values)  # each checked to be a string
        if not did.startswith("did:"):
            return None
        return cls(access, refresh, did, handle, pds if isinstance(pds, str) else "")


class VaultCredentials:
    """The app password and the session together in the account's one vault entry
    ({"appPassword": ..., "session": {...}}), through `read`/`write` of connectors.secrets'
    SecretStore bound to the account id. It is both the connector's `app_password` provider and
    its `session_store`."""

    def __init__(
        self,
        read: Callable[[], Mapping[str, Any] | None],
        write: Callable[[Mapping[str, Any]], None],
    ):
        self._read = read
        self._write = write

    def __repr__(self) -> str:
        return "VaultCredentials()"

    def _entry(self) -> dict[str, Any]:
        return dict(self._read() or {})

    def app_password(self) -> str | None:
        value = self._entry().get("appPassword")
        return value if isinstance(value, str) and value else None

    def set_app_password(self, password: str) -> None:
        """Stores a new app password and forgets the session made with the old one."""
        self._write({"appPassword": password})

    def load(self) -> Mapping[str, Any] | None:
        session = self._entry().get("session")
        return session if isinstance(session, Mapping) else None

    def save(self, session: Mapping[str, Any] | None) -> None:
        entry = self._entry()
        if session is None:
            entry.pop("session", None)
        else:
            entry["session"] = dict(session)
        self._write(entry)


# --- errors -------------------------------------------------------------------------------------


_TOKEN_ERRORS = frozenset({"ExpiredToken", "InvalidToken", "AuthMissing", "AuthenticationRequired"})


class _TokenExpired(Reconnect):
    """The access token's time is up: refresh and try again (never leaves this module unless the
    refreshed token is refused as well)."""


class _TokenRefused(Reconnect):
    """The PDS does not accept the token at all: sign in again once."""


def _xrpc_error(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, str) else ""


def _session_expired_text() -> str:
    return _(
        "De aanmelding bij {network} is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
    ).format(network=NETWORK)


def _session_expired() -> Reconnect:
    return Reconnect(_session_expired_text())


def _app_password_needed() -> Reconnect:
    return Reconnect(
        _(
            "Maak in {network} een app-wachtwoord aan (Instellingen, Privacy en beveiliging, App-wachtwoorden) en meld het account daarmee opnieuw aan bij Accounts: Postwijs werkt niet met het gewone wachtwoord."
        ).format(network=NETWORK)
    )


def _sign_in_refused() -> Reconnect:
    return Reconnect(
        _(
            "Controleer de naam van het account en het app-wachtwoord en meld het account opnieuw aan bij Accounts: {network} weigert de aanmelding."
        ).format(network=NETWORK)
    )


def _account_blocked() -> Rejected:
    return Rejected(
        _("Neem contact op met {network}: het account is gedeactiveerd of geblokkeerd.").format(
            network=NETWORK
        )
    )


def classify_bluesky(response: requests.Response, network: str) -> ConnectorError:
    """XRPC's refusals ({error, message}) as the closed set: ExpiredToken and InvalidToken are
    answered with HTTP 400, a refused sign-in with 401; 413 means the file is too large. 429 and
    5xx as the shared mapping has them (ratelimit-reset gives the moment)."""
    status = response.status_code
    error = _xrpc_error(response)
    authorised = response.request is not None and "Authorization" in response.request.headers
    if error in ("AccountTakedown", "AccountDeactivated"):
        return _account_blocked()
    if error == "AuthFactorTokenRequired":
        return _app_password_needed()
    if error == "ExpiredToken":
        return _TokenExpired(_session_expired_text())
    if error == "InvalidToken" or (status == 401 and authorised):
        return _TokenRefused(_session_expired_text())
    if status == 401:
        return _sign_in_refused()
    if status == 413:
        return Rejected(
            _("Maak de foto's kleiner: {network} vindt een bestand te groot.").format(
                network=network
            )
        )
    if status == 400:
        return Rejected(
            _("Pas het bericht aan: {network} weigert het ({reason}).").format(
                network=network, reason=provider_reason(response)
            )
        )
    return classify(response, network)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class RecordUri:
    """at://<did>/<collection>/<rkey>, the remote id of a post."""

    repo: str
    collection: str
    rkey: str

    @classmethod
    def parse(cls, uri: str) -> RecordUri:
        if not isinstance(uri, str) or not uri.startswith("at://"):
            raise ValueError(f"not an at:// record uri: {uri!r}")
        parts = uri[len("at://") :].split("/")
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"not an at:// record uri: {uri!r}")
        return cls(*parts)


# --- the connector ----------------------------------------------------------------------------


class BlueskyConnector(HttpConnector):
    """One Bluesky account, signed in with an app password.

    `handle` is the account's handle (or its e-mail address) as createSession takes it;
    `app_password` returns the app password from the vault, or None when there is none;
    `session_store` keeps the session between runs (see SessionStore; VaultCredentials serves
    both). `service` is where sessions are made, https://bsky.social unless the account lives
    on another PDS. Call `close()` when done.
    """

    profile: NetworkProfile = BLUESKY
    capabilities = Capabilities(
        sign_in=SignIn.APP_PASSWORD,
        list_follows=True,
        unfollow=True,
        find_posts=True,
        delete=True,
        video=False,  # not yet: Bluesky's video upload is a job service of its own
        alt_text=True,
        duplicates=Duplicates.DETECTION,  # createRecord has no idempotency key
        read_own_posts=True,
        read_mentions=True,
    )

    def __init__(
        self,
        handle: str,
        app_password: Callable[[], str | None],
        session_store: SessionStore,
        *,
        service: str = DEFAULT_SERVICE,
        verify: bool | str = True,
        refresh_lock: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
    ):
        self.identifier = normalise_identifier(handle)
        self._refresh_lock = refresh_lock
        self.service = normalise_service(service)
        self._app_password = app_password
        self._store = session_store
        self.http = HttpSession(NETWORK, classify_error=classify_bluesky, verify=verify)
        self._session: Session | None = None
        self._handles: dict[str, str | None] = {}

    def __repr__(self) -> str:
        return f"BlueskyConnector({self.identifier!r}, service={self.service!r})"

    # --- protocol --------------------------------------------------------------------------

    def connect(self) -> str:
        """Signs in afresh with the app password now in the vault; returns "@handle"."""
        self._create_session()
        return self.who_am_i()

    def who_am_i(self) -> str:
        body = json_body(self._call("GET", "com.atproto.server.getSession"), dict, NETWORK)
        handle = body.get("handle")
        if not isinstance(handle, str) or not handle:
            raise unexpected_answer(NETWORK)
        return f"@{handle}"

    def disconnect(self) -> None:
        """Ends the session at the PDS (its refresh token stops working) and forgets it here. The
        app password stays valid until the user revokes it in Bluesky."""
        session = self._session or Session.from_dict(self._load())
        self._session = None
        if session is not None:
            try:
                self.http.request(
                    "POST",
                    self._url(self.service, "com.atproto.server.deleteSession"),
                    headers={"Authorization": f"Bearer {session.refresh_jwt}"},
                    expected=(200, 400, 401),
                )
            finally:
                self._save(None)

    def publish(self, post: OutgoingPost) -> PublishedPost:
        measurement = self.profile.measure(post.text)
        if not measurement.fits:
            raise Rejected(measurement.violations[0])
        images = self._read_media(post.media)
        session = self._current_session()
        facets = build_facets(post.text, self.resolve_handle)
        embedded = []
        for item, content in images:
            image: dict[str, object] = {"image": self._upload(item, content), "alt": item.alt_text}
            if item.width > 0 and item.height > 0:
                image["aspectRatio"] = {"width": item.width, "height": item.height}
            embedded.append(image)
        record: dict[str, object] = {
            "$type": POST_COLLECTION,
            "text": post.text,
            "createdAt": _timestamp(datetime.now(UTC)),
        }
        if post.language:
            record["langs"] = [post.language]
        if facets:
            record["facets"] = facets
        if embedded:
            record["embed"] = {"$type": "app.bsky.embed.images", "images": embedded}
        response = self._call(
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": session.did, "collection": POST_COLLECTION, "record": record},
        )
        try:
            return self._published(str(response.json()["uri"]))
        except (ValueError, KeyError, TypeError):
            raise accepted_without_answer(NETWORK) from None

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the account's posts: the same text and number of images, created from
        `since` (when the first attempt began) on. Reads at most FIND_POST_PAGES pages of 50,
        newest first (rest.earliest_match: CannotLookBack when they do not reach back to
        `since`). When several match, the earliest is ours (the first attempt's)."""

        def matches(item: dict) -> bool:
            value = item["value"]
            return value.get("text") == post.text and _image_count(value) == len(post.media)

        found = earliest_match(
            (
                [
                    item
                    for item in page
                    if isinstance(item.get("value"), dict) and isinstance(item.get("uri"), str)
                ]
                # One page more than is read: whether it exists says if the search was complete.
                for _cursor, page in self._records(
                    POST_COLLECTION, FIND_POST_PAGE_SIZE, FIND_POST_PAGES + 1
                )
            ),
            since,
            lambda item: parse_time(item["value"].get("createdAt")),
            matches,
            max_pages=FIND_POST_PAGES,
            network=NETWORK,
        )
        return None if found is None else self._published(found["uri"])

    def delete(self, remote_id: str) -> None:
        """Deletes the record (at:// uri); one that is already gone counts as deleted."""
        target = RecordUri.parse(remote_id)
        self._call(
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": target.repo, "collection": target.collection, "rkey": target.rkey},
        )

    def read_own_posts(
        self, since: datetime, until: datetime, resume: str = ""
    ) -> Iterator[RemotePost]:
        """The account's own posts created in [since, until), newest first: the AppView's
        app.bsky.feed.getAuthorFeed without the reposts (an item with a `reason`) and without
        other authors' posts in its threads, paged by cursor. A PDS without an AppView behind it
        (self-hosted) answers that method with an error; then the account's own post records
        are read from the PDS (listRecords), which hold no reposts at all. `createdAt` is what
        the posting app says, so reading goes on until a whole page lies before `since`.
        `resume` names the source and its cursor ("feed:…" or "records:…")."""
        source, _sep, cursor = resume.partition(":")
        if source != "records":
            try:
                yield from self._own_posts_from_feed(since, until, cursor if source else "")
                return
            except _NoAppView:
                cursor = ""
        yield from self._own_posts_from_records(since, until, cursor)

    def _own_posts_from_feed(
        self, since: datetime, until: datetime, cursor: str
    ) -> Iterator[RemotePost]:
        did = self._current_session().did
        for _page in range(MAX_OWN_POSTS_PAGES):
            params: dict[str, object] = {
                "actor": did,
                "limit": OWN_POSTS_PAGE_SIZE,
                "filter": "posts_with_replies",
            }
            if cursor:
                params["cursor"] = cursor
            response = self._call(
                "GET", "app.bsky.feed.getAuthorFeed", params=params, expected=(200, 400, 404, 501)
            )
            if response.status_code != 200:
                if _page == 0 or _xrpc_error(response) == "MethodNotImplemented":
                    raise _NoAppView()
                raise classify_bluesky(response, NETWORK)
            body = json_body(response, dict, NETWORK)
            feed = body.get("feed")
            if not isinstance(feed, list):
                raise unexpected_answer(NETWORK)
            all_older = True
            for item in feed:
                post = item.get("post") if isinstance(item, dict) else None
                if not isinstance(post, dict) or item.get("reason"):
                    continue
                author = post.get("author")
                if not isinstance(author, dict) or author.get("did") != did:
                    continue
                found = self._own_post(post.get("uri"), post.get("record"), f"feed:{cursor}")
                if found is None:
                    continue
                if found.created_at >= since:
                    all_older = False
                    if found.created_at < until:
                        yield found
            next_cursor = body.get("cursor")
            if not feed or all_older or not isinstance(next_cursor, str) or not next_cursor:
                return
            cursor = next_cursor

    def _own_posts_from_records(
        self, since: datetime, until: datetime, cursor: str
    ) -> Iterator[RemotePost]:
        for page_cursor, page in self._records(
            POST_COLLECTION, OWN_POSTS_PAGE_SIZE, MAX_OWN_POSTS_PAGES, cursor
        ):
            all_older = True
            for item in page:
                found = self._own_post(item.get("uri"), item.get("value"), f"records:{page_cursor}")
                if found is None:
                    continue
                if found.created_at >= since:
                    all_older = False
                    if found.created_at < until:
                        yield found
            if all_older:
                return

    def _own_post(self, uri: object, record: object, resume: str) -> RemotePost | None:
        """A post record as the sweep reads it; None for one without a uri or a time."""
        if not isinstance(uri, str) or not isinstance(record, dict):
            return None
        created_at = parse_time(record.get("createdAt"))
        if created_at is None:
            return None
        try:
            url = self._published(uri).url
        except ValueError:
            return None
        text = record.get("text")
        return RemotePost(
            remote_id=uri,
            created_at=created_at,
            text=text if isinstance(text, str) else "",
            url=url,
            media_count=_media_count(record),
            resume=resume,
        )

    def read_mentions(self, since: datetime) -> list[Mention]:
        """The account's notifications with reason mention, reply or quote
        (app.bsky.notification.listNotifications, which the PDS passes on to its AppView),
        newest first by the moment the AppView saw them, paged by cursor until a page reaches
        before `since`. Reading does not mark them seen (that is updateSeen, left alone). A PDS
        without an AppView cannot list notifications: NotSupported, saying so."""
        session = self._current_session()
        me = f"@{session.handle}" if session.handle != INVALID_HANDLE else session.did
        mentions: list[Mention] = []
        cursor = ""
        for _page in range(MAX_NOTIFICATION_PAGES):
            params: dict[str, object] = {
                "limit": NOTIFICATION_PAGE_SIZE,
                "reasons": list(MENTION_REASONS),
            }
            if cursor:
                params["cursor"] = cursor
            response = self._call(
                "GET",
                "app.bsky.notification.listNotifications",
                params=params,
                expected=(200, 400, 404, 501),
            )
            if response.status_code != 200:
                if _without_appview(response):
                    raise NotSupported(
                        _(
                            "Deze Bluesky-server geeft geen meldingen door (er staat geen AppView achter). Vraag de ICT-beheerder naar een server die dat wel doet."
                        )
                    )
                raise classify_bluesky(response, NETWORK)
            body = json_body(response, dict, NETWORK)
            notifications = body.get("notifications")
            if not isinstance(notifications, list):
                raise unexpected_answer(NETWORK)
            reached_since = False
            for notification in notifications:
                found = _mention(notification, me) if isinstance(notification, dict) else None
                if found is None:
                    continue
                if found.created_at < since:
                    reached_since = True
                else:
                    mentions.append(found)
            next_cursor = body.get("cursor")
            if reached_since or not notifications or not isinstance(next_cursor, str):
                break
            if not next_cursor or next_cursor == cursor:
                break
            cursor = next_cursor
        mentions.sort(key=lambda mention: mention.created_at, reverse=True)
        return mentions

    def list_follows(self) -> list[str]:
        """The accounts this one follows, as "@handle"; an account whose handle cannot be found
        (or no longer verifies) as its DID. Read from the account's own follow records, the
        authoritative list; handles come from the AppView (getProfiles) and, where the PDS has
        none, from the PDS itself (describeRepo, for accounts it hosts)."""
        subjects: dict[str, None] = {}
        for _cursor, page in self._records(FOLLOW_COLLECTION, FOLLOW_PAGE_SIZE, MAX_FOLLOW_PAGES):
            for item in page:
                value = item.get("value")
                subject = value.get("subject") if isinstance(value, dict) else None
                if isinstance(subject, str) and subject.startswith("did:"):
                    subjects[subject] = None
        handles = self._handles_of(list(subjects))
        return [f"@{handles[did]}" if handles.get(did) else did for did in subjects]

    def unfollow(self, handle_or_did: str) -> bool:
        """Stops following an account, given as "@handle" or as its DID (both as `list_follows`
        gives them). A follow on Bluesky is a record in the account's own repository, so this
        finds every app.bsky.graph.follow record whose subject is that DID (listRecords; a
        second client may have written a duplicate) and deletes each (deleteRecord). True when
        a follow record was deleted; False when the account was not followed or its handle does
        not exist."""
        wanted = handle_or_did.strip() if isinstance(handle_or_did, str) else ""
        if not wanted:
            raise ValueError("handle_or_did is empty")
        did = wanted if wanted.startswith("did:") else self.resolve_handle(wanted.lstrip("@"))
        if did is None:
            return False
        # Collected first, deleted after: deleting while paging could move the cursor.
        follow_uris: list[str] = []
        for _cursor, page in self._records(FOLLOW_COLLECTION, FOLLOW_PAGE_SIZE, MAX_FOLLOW_PAGES):
            for item in page:
                value = item.get("value")
                uri = item.get("uri")
                if (
                    isinstance(value, dict)
                    and value.get("subject") == did
                    and isinstance(uri, str)
                    and uri.startswith("at://")
                ):
                    follow_uris.append(uri)
        for uri in follow_uris:
            try:
                self.delete(uri)
            except ValueError:
                raise unexpected_answer(NETWORK) from None
        return bool(follow_uris)

    # --- identities ----------------------------------------------------------------------------

    def resolve_handle(self, handle: str) -> str | None:
        """The DID of a handle, or None when it does not exist; remembered for this connector's
        life. Other failures (network, rate limit) raise: a post must not lose a mention silently."""
        key = handle.lower()
        if key not in self._handles:
            response = self._call(
                "GET",
                "com.atproto.identity.resolveHandle",
                params={"handle": key},
                expected=(200, 400, 404),
            )
            did = (
                json_body(response, dict, NETWORK).get("did")
                if response.status_code == 200
                else None
            )
            self._handles[key] = did if isinstance(did, str) and did.startswith("did:") else None
        return self._handles[key]

    def _handles_of(self, dids: Sequence[str]) -> dict[str, str]:
        handles: dict[str, str] = {}
        appview = True
        for first in range(0, len(dids), PROFILES_PER_CALL):
            batch = dids[first : first + PROFILES_PER_CALL]
            if appview:
                response = self._call(
                    "GET",
                    "app.bsky.actor.getProfiles",
                    params={"actors": batch},
                    expected=(200, 400, 404, 501),
                )
                if response.status_code == 200:
                    for profile in json_body(response, dict, NETWORK).get("profiles") or []:
                        if isinstance(profile, dict):
                            self._keep_handle(handles, profile.get("did"), profile.get("handle"))
                    continue
                # This PDS has no AppView behind it (a self-hosted or test server).
                appview = False
            for did in batch:
                response = self._call(
                    "GET",
                    "com.atproto.repo.describeRepo",
                    params={"repo": did},
                    expected=(200, 400, 404),
                )
                if response.status_code == 200:
                    body = json_body(response, dict, NETWORK)
                    self._keep_handle(handles, body.get("did"), body.get("handle"))
        return handles

    @staticmethod
    def _keep_handle(handles: dict[str, str], did: object, handle: object) -> None:
        if isinstance(did, str) and isinstance(handle, str) and handle and handle != INVALID_HANDLE:
            handles[did] = handle

    # --- media -----------------------------------------------------------------------------

    def _read_media(self, media: Sequence[OutgoingMedia]) -> list[tuple[OutgoingMedia, bytes]]:
        """Refuses, before uploading anything, what Bluesky will not take; reads each file once
        (at most 2 MB) so a retry after a refreshed token sends the same bytes."""
        limits = self.profile
        refuse_too_many(media, limits.max_images, NETWORK)
        read: list[tuple[OutgoingMedia, bytes]] = []
        for item in media:
            if not item.mime_type.startswith("image/"):
                raise Rejected(
                    _("Kies foto's: Postwijs plaatst nog geen video op {network}.").format(
                        network=NETWORK
                    )
                )
            refuse_too_large(item, limits.image_max_bytes, NETWORK)
            alt_length = textcount.graphemes(item.alt_text)
            refuse_long_alt_text(item, alt_length, limits.alt_text_limit, NETWORK)
            read.append((item, read_media(item)))
        return read

    def _upload(self, item: OutgoingMedia, content: bytes) -> dict:
        response = self._call(
            "POST",
            "com.atproto.repo.uploadBlob",
            data=content,
            headers={"Content-Type": item.mime_type},
            timeout=UPLOAD_TIMEOUT,
        )
        blob = json_body(response, dict, NETWORK).get("blob")
        if not isinstance(blob, dict) or not isinstance(blob.get("ref"), dict):
            raise unexpected_answer(NETWORK)
        return blob

    # --- records ---------------------------------------------------------------------------

    def _records(
        self, collection: str, page_size: int, max_pages: int, cursor: str = ""
    ) -> Iterator[tuple[str, list[dict]]]:
        """The account's records of one collection from `cursor` on (from the newest when ""),
        newest first, page by page, as (the cursor that gave the page, the page)."""
        did = self._current_session().did
        seen: set[str] = set()
        for _page in range(max_pages):
            params: dict[str, object] = {"repo": did, "collection": collection, "limit": page_size}
            if cursor:
                params["cursor"] = cursor
            body = json_body(
                self._call("GET", "com.atproto.repo.listRecords", params=params), dict, NETWORK
            )
            records = body.get("records")
            if not isinstance(records, list):
                raise unexpected_answer(NETWORK)
            yield cursor, [record for record in records if isinstance(record, dict)]
            next_cursor = body.get("cursor")
            if not records or not isinstance(next_cursor, str) or not next_cursor:
                return
            if next_cursor in seen:  # a server that gives a cursor again would page for ever
                return
            seen.add(next_cursor)
            cursor = next_cursor

    def _published(self, uri: str) -> PublishedPost:
        record = RecordUri.parse(uri)
        session = self._current_session()
        handle = session.handle if session.handle != INVALID_HANDLE else record.repo
        author = handle if record.repo == session.did else record.repo
        return PublishedPost(uri, f"{WEB_APP}/profile/{author}/post/{record.rkey}")

    # --- sessions ----------------------------------------------------------------------------

    def _current_session(self) -> Session:
        if self._session is None:
            self._session = Session.from_dict(self._load()) or self._create_session()
        return self._session

    def _load(self) -> Mapping[str, Any] | None:
        try:
            # The vault's own verdict (SecretsUnavailable: locked, unavailable) is a
            # ConnectorError and passes as it is; a programming error must show, not become
            # "try later" forever.
            return self._store.load()
        except KeyringError as error:
            log.warning("session store failed to load: %s", type(error).__name__)
            raise vault_unreadable(NETWORK) from None

    def _save(self, session: Session | None) -> None:
        try:
            self._store.save(session.to_dict() if session else None)
        except KeyringError as error:
            log.warning("session store failed to save: %s", type(error).__name__)
            raise vault_unreadable(NETWORK) from None

    def _read_app_password(self) -> str:
        try:
            password = self._app_password()
        except KeyringError as error:
            log.warning("app password provider failed: %s", type(error).__name__)
            raise vault_unreadable(NETWORK) from None
        if not password:
            raise no_sign_in(NETWORK)
        # Bluesky shows app passwords in lower case; someone may type them in capitals.
        password = password.strip().lower()
        if not _APP_PASSWORD.match(password):
            raise _app_password_needed()
        return password

    def _create_session(self) -> Session:
        """createSession with the app password; the only place that signs in."""
        password = self._read_app_password()
        response = self.http.request(
            "POST",
            self._url(self.service, "com.atproto.server.createSession"),
            json={"identifier": self.identifier, "password": password},
            expected=(200, 400, 401),
        )
        if response.status_code != 200:
            error = _xrpc_error(response)
            log.info("createSession refused: %s", error or response.status_code)
            if error == "AuthFactorTokenRequired":
                raise _app_password_needed()
            if error in ("AccountTakedown", "AccountDeactivated"):
                raise _account_blocked()
            raise _sign_in_refused()
        return self._keep(json_body(response, dict, NETWORK), previous=None)

    def _refresh(self, session: Session) -> Session:
        """refreshSession rotates both tokens; when the refresh token is no longer good either,
        the session is gone and the app password signs in afresh. One refresh of the account
        at a time, across Postwijs processes: another one may have rotated the tokens meanwhile,
        and its session in the vault is used then (the spent refresh token would only cost a
        new sign-in)."""
        with self._refresh_lock():
            newer = self._newer_in_vault(session)
            return newer if newer is not None else self._refresh_now(session)

    def _newer_in_vault(self, session: Session) -> Session | None:
        """The session another Postwijs process put in the vault since `session` was read."""
        stored = Session.from_dict(self._load())
        if stored is None or stored.refresh_jwt == session.refresh_jwt:
            return None
        self._session = stored
        return stored

    def _refresh_now(self, session: Session) -> Session:
        try:
            response = self.http.request(
                "POST",
                self._url(self.service, "com.atproto.server.refreshSession"),
                headers={"Authorization": f"Bearer {session.refresh_jwt}"},
                expected=(200,),
            )
        except (_TokenExpired, _TokenRefused):
            self._forget()
            return self._create_session()
        return self._keep(json_body(response, dict, NETWORK), previous=session)

    def _keep(self, body: dict, previous: Session | None) -> Session:
        session = Session.from_dict(
            {
                **body,
                "pds": _pds_from_did_doc(body.get("didDoc"), self.service)
                or (previous.pds if previous else ""),
            }
        )
        if session is None:
            raise unexpected_answer(NETWORK)
        self._session = session
        self._save(session)
        return session

    def _forget(self) -> None:
        self._session = None
        self._save(None)

    # --- HTTP ------------------------------------------------------------------------------

    @staticmethod
    def _url(base: str, nsid: str) -> str:
        return f"{base}/xrpc/{nsid}"

    def _call(
        self,
        method: str,
        nsid: str,
        *,
        headers: dict[str, str] | None = None,
        **kwargs,
    ) -> requests.Response:
        """An XRPC call with the session's access token, on the account's PDS. An expired token is
        refreshed, a refused one replaced by a fresh sign-in, and the call made once more."""
        session = self._current_session()
        try:
            return self._send(session, method, nsid, headers, **kwargs)
        except _TokenExpired:
            session = self._refresh(session)
        except _TokenRefused:
            newer = self._newer_in_vault(session)
            if newer is None:
                self._forget()
                newer = self._create_session()
            session = newer
        try:
            return self._send(session, method, nsid, headers, **kwargs)
        except (_TokenExpired, _TokenRefused):
            self._forget()
            raise _session_expired() from None

    def _send(
        self,
        session: Session,
        method: str,
        nsid: str,
        headers: dict[str, str] | None,
        **kwargs,
    ) -> requests.Response:
        all_headers = {**(headers or {}), "Authorization": f"Bearer {session.access_jwt}"}
        url = self._url(session.pds or self.service, nsid)
        response = self.http.request(method, url, headers=all_headers, **kwargs)
        # A caller that expects 400 (a handle that does not exist) must still hear that the token
        # expired, which is a 400 as well.
        if response.status_code in (400, 401) and _xrpc_error(response) in _TOKEN_ERRORS:
            raise classify_bluesky(response, NETWORK)
        return response


def _without_appview(response: requests.Response) -> bool:
    """Whether the PDS says it has no AppView to pass an app.bsky call on to: 501
    MethodNotImplemented, or (the reference PDS) 400 "No service configured for …"."""
    if response.status_code in (404, 501) or _xrpc_error(response) == "MethodNotImplemented":
        return True
    return (
        response.status_code == 400 and "no service configured" in provider_reason(response).lower()
    )


def _mention(notification: dict, me: str) -> Mention | None:
    """A notification as Signalen keeps it; None for another reason or one without a uri, a
    time or a record. The moment is when the AppView saw it (indexedAt), which the list is in
    order of; the post's own createdAt is what the writer's app says."""
    kind = MENTION_REASONS.get(str(notification.get("reason")))
    uri = notification.get("uri")
    record = notification.get("record")
    moment = parse_time(notification.get("indexedAt")) or (
        parse_time(record.get("createdAt")) if isinstance(record, dict) else None
    )
    if kind is None or not isinstance(uri, str) or not isinstance(record, dict) or moment is None:
        return None
    try:
        target = RecordUri.parse(uri)
    except ValueError:
        return None
    author = notification.get("author")
    handle = author.get("handle") if isinstance(author, dict) else None
    shown = handle if isinstance(handle, str) and handle and handle != INVALID_HANDLE else ""
    text = record.get("text")
    return Mention(
        remote_id=uri,
        account=me,
        kind=kind,
        author_handle=f"@{shown}" if shown else target.repo,
        text=text if isinstance(text, str) else "",
        url=f"{WEB_APP}/profile/{shown or target.repo}/post/{target.rkey}",
        created_at=moment,
    )


class _NoAppView(Exception):
    """The PDS has no AppView behind it to answer app.bsky.feed methods (never leaves here)."""


def _media_count(record: dict) -> int:
    """The photos and videos of a post record, also beside a quoted post (recordWithMedia)."""
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return 0
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        embed = embed.get("media")
        if not isinstance(embed, dict):
            return 0
    if embed.get("$type") == "app.bsky.embed.video":
        return 1
    return _image_count(record) if embed is record.get("embed") else _image_count({"embed": embed})


def _image_count(record: dict) -> int:
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return 0
    images = embed.get("images")
    if embed.get("$type") == "app.bsky.embed.images" and isinstance(images, list):
        return len(images)
    return 0


def vault_connector(
    account_id: str,
    handle: str,
    secrets: Vault,
    *,
    service: str = "",
    verify: bool | str = True,
    data_dir: Path | None = None,
) -> BlueskyConnector:
    """The connector of one account, with its app password and session in the vault entry of
    `account_id`; with `data_dir`, its refreshes are one at a time across processes."""
    credentials = VaultCredentials(
        lambda: secrets.read(account_id), lambda entry: secrets.write(account_id, entry)
    )
    return BlueskyConnector(
        handle,
        credentials.app_password,
        credentials,
        service=service or DEFAULT_SERVICE,
        verify=verify,
        refresh_lock=partial(refresh_lock, data_dir, account_id, NETWORK),
    )


# --- the account's sign-in: the registry's hooks (connectors/__init__.py) ---------------------


class _MemorySession:
    """A session held only while a new app password is tried; stored once it worked."""

    def __init__(self) -> None:
        self.value: dict[str, Any] | None = None

    def load(self) -> Mapping[str, Any] | None:
        return self.value

    def save(self, session: Mapping[str, Any] | None) -> None:
        self.value = dict(session) if session is not None else None


def configuration_problem(account: Account) -> str:
    """The site configuration's service address, when it names one that is no address."""
    try:
        normalise_service(account.instance or DEFAULT_SERVICE)
    except InvalidAddress as error:
        return str(error)
    return ""


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    password = entry.get("appPassword") if entry else None
    return isinstance(password, str) and bool(password)


def connector(access: AccountAccess, options: SignInOptions) -> BlueskyConnector | Refusing:
    """The account's connector, with its app password and session in its vault entry."""
    account = access.account
    problem = configuration_problem(account)
    if problem:
        return Refusing(BLUESKY, problem, BlueskyConnector.capabilities)
    return vault_connector(
        account.id,
        account.handle or str(access.note().get("identifier") or ""),
        access.vault,
        service=account.instance,
        verify=options.verify,
        data_dir=access.data_dir,
    )


def sign_in(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """Signs in with the handle (when the site does not name it) and the app password. The app
    password is tried before it is stored, so a refused or main password never reaches the
    vault."""
    account = access.account
    identifier = (account.handle or request.handle).strip()
    if not identifier:
        raise Rejected(_("Vul de naam van het Bluesky-account in, zoals school.bsky.social."))
    problem = configuration_problem(account)
    if problem:
        raise Rejected(problem)
    password = request.app_password.strip().lower()
    trial = _MemorySession()
    with BlueskyConnector(
        identifier,
        lambda: password,
        trial,
        service=account.instance or DEFAULT_SERVICE,
        verify=options.verify,
    ) as trying:
        who = trying.connect()
    access.vault.write(account.id, {"appPassword": password, "session": trial.value})
    return SignedIn(who, note={"identifier": identifier})


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    """Ends the session at the PDS and always removes the sign-in from the vault. The app
    password itself only the user can revoke, in Bluesky."""
    signed_in = connector(access, options)
    try:
        if isinstance(signed_in, BlueskyConnector):
            signed_in.disconnect()
    except ConnectorError as error:
        # The session ends at the PDS by itself; what matters is that it leaves this computer.
        log.info("ending the Bluesky session failed: %s", type(error).__name__)
    finally:
        signed_in.close()
        access.vault.delete(access.account.id)
    return Revoked(
        False,
        _(
            "Afgemeld op deze computer. Het app-wachtwoord werkt nog tot je het intrekt: verwijder het in {network} (Instellingen, Privacy en beveiliging, App-wachtwoorden)."
        ).format(network=NETWORK),
    )
