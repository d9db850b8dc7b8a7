"""Mastodon: any instance, reached by its domain.

Publishing uploads each prepared file with POST /api/v2/media (the alt text as `description`),
waits while the instance still processes it (202, then 206 while polling), and posts the status
with an `Idempotency-Key` equal to the outbox's client key on every attempt: a retry after an
unknown outcome gets back the status already stored instead of placing a second one. Mastodon
keeps those keys for an hour; after that `find_post` settles the question by reading the account's
recent statuses.

The access token never lives here: `token_provider` returns it for each request and
`on_unauthorized` hears when the instance refuses it (401), so the caller can drop it from the
keyring. The sign-in pieces that are Mastodon's own (app registration per instance, discovery,
the authorize parameters, the code exchange, revocation) are module functions at the bottom, for
the OAuth client to use.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

import regex
import requests
from keyring.errors import KeyringError

from app.i18n import _, current_language
from app.networks import textcount
from app.networks.connector import (
    Capabilities,
    ConnectorError,
    Duplicates,
    Mention,
    MentionKind,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Refusing,
    Rejected,
    RemotePost,
    RetryLater,
    SignIn,
)
from app.networks.handles import normalise_handle
from app.networks.profiles import MASTODON, NetworkProfile
from app.networks.registry import (
    AccountAccess,
    JpegCopy,
    Revoked,
    SignedIn,
    SignInRequest,
    Vault,
)
from app.site.config import Account
from connectors.base import HttpConnector, SignInOptions
from connectors.http import HttpSession, classify, provider_reason
from connectors.oauth import (
    LOOPBACK_HOST,
    OAuthClient,
    ProviderConfig,
    SignInCancelled,
    SignInFailed,
    Token,
    signed_out,
)
from connectors.rest import (
    UPLOAD_TIMEOUT,
    accepted_without_answer,
    earliest_match,
    json_body,
    no_sign_in,
    normalise_base_url,
    origin,
    parse_time,
    refuse_long_alt_text,
    refuse_too_large,
    refuse_too_many,
    unexpected_answer,
    unreadable_file,
    vault_unreadable,
)

log = logging.getLogger("postwijs.mastodon")

NETWORK = "Mastodon"
CLIENT_NAME = "Postwijs"
CLIENT_WEBSITE = "https://www.scoh.nl"
# read:statuses is needed for find_post: with a token, reading an account's statuses requires it
# (without one Mastodon answers 403 "outside the authorized scopes"). read:accounts covers
# verify_credentials, the following list and the account lookup. write:follows is what
# POST /api/v1/accounts/:id/unfollow requires (the friend audit's "Ontvolgen"); a token granted
# before it was asked for gets 403 "outside the authorized scopes", which is a Reconnect.
# read:notifications is what Signalen reads mentions with (GET /api/v1/notifications).
SCOPES: tuple[str, ...] = (
    "read:accounts",
    "read:notifications",
    "read:statuses",
    "write:follows",
    "write:media",
    "write:statuses",
)
# What a server that grants no fine-grained scopes (GoToSocial, Akkoma) is asked instead: all
# reading and all writing. Asked only when the server says it has nothing finer (its discovery
# document) or refused SCOPES once (remembered per instance, see `sign_in`).
BROAD_SCOPES: tuple[str, ...] = ("read", "write")

MEDIA_WAIT_SECONDS = 120.0  # how long publish waits for the instance to process one file
FIRST_POLL_DELAY = 1.0
MAX_POLL_DELAY = 10.0
STATUS_PAGE_SIZE = 40  # the maximum for an account's statuses
FOLLOWING_PAGE_SIZE = 80  # the maximum for the following list
FIND_POST_PAGES = 5
MAX_STATUS_PAGES = 10_000  # 400,000 statuses: beyond any school account's year
MAX_FOLLOWING_PAGES = 1000
NOTIFICATION_PAGE_SIZE = 80  # the maximum for notifications
MAX_NOTIFICATION_PAGES = 50  # 4,000 mentions in one reading: beyond any school's retention


# --- the instance's address -------------------------------------------------------------------

_HANDLE = re.compile(r"^@?[^@\s/:]+@(?P<host>[^@\s/]+)$")


def _invalid_instance() -> str:
    return _(
        "Vul het adres van de Mastodon-server in, zoals mastodon.social of @naam@mastodon.social."
    )


def normalise_instance(value: str) -> str:
    """The instance's base URL ("https://mastodon.social") from what a user types: a domain, a URL
    (any path is dropped) or a handle "@user@domain". Plain http is kept only for a loopback host
    (tests, a local server); elsewhere it becomes https, so a token never travels in clear text.
    Raises ValueError with a Dutch sentence for anything else."""
    text = value.strip() if isinstance(value, str) else ""
    handle = _HANDLE.match(text)
    return normalise_base_url(handle["host"] if handle else text, _invalid_instance())


# --- limits and counting ----------------------------------------------------------------------

# A remote mention, as the instance shows it in `content` (without its domain).
_MENTION = regex.compile(r"(?<![\w/])@([a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?)@[\w.-]*\w", regex.I)


@dataclass(frozen=True)
class InstanceLimits:
    """What one instance accepts (GET /api/v2/instance); the defaults are Mastodon's own
    (networks.md), used for every value the instance does not announce."""

    max_characters: int = 500
    characters_reserved_per_url: int = 23
    max_media_attachments: int = 4
    description_limit: int = 1500
    image_size_limit: int = 16_777_216
    image_matrix_limit: int = 33_177_600
    video_size_limit: int = 103_809_024
    supported_mime_types: tuple[str, ...] = ()
    announced: bool = False  # whether the instance said anything; False means all defaults

    @classmethod
    def from_instance(cls, body: dict) -> InstanceLimits:
        """Reads Instance v2 (and v1, whose `configuration` has the same keys since 3.4.2)."""
        configuration = _dict(body.get("configuration"))
        statuses = _dict(configuration.get("statuses"))
        media = _dict(configuration.get("media_attachments"))
        defaults = cls()
        mime_types = media.get("supported_mime_types")
        return cls(
            max_characters=_positive(
                statuses.get("max_characters"),
                _positive(body.get("max_toot_chars"), defaults.max_characters),
            ),
            characters_reserved_per_url=_positive(
                statuses.get("characters_reserved_per_url"), defaults.characters_reserved_per_url
            ),
            max_media_attachments=_positive(
                statuses.get("max_media_attachments"), defaults.max_media_attachments
            ),
            description_limit=_positive(media.get("description_limit"), defaults.description_limit),
            image_size_limit=_positive(media.get("image_size_limit"), defaults.image_size_limit),
            image_matrix_limit=_positive(
                media.get("image_matrix_limit"), defaults.image_matrix_limit
            ),
            video_size_limit=_positive(media.get("video_size_limit"), defaults.video_size_limit),
            supported_mime_types=tuple(m for m in mime_types or () if isinstance(m, str))
            if isinstance(mime_types, list)
            else (),
            announced=bool(configuration) or "max_toot_chars" in body,
        )

    def profile(self, base: NetworkProfile = MASTODON) -> NetworkProfile:
        """The network profile with this instance's limits and its way of counting links."""
        count = partial(textcount.mastodon_length, url_weight=self.characters_reserved_per_url)
        return replace(
            base,
            text_limit=self.max_characters,
            count=count,
            count_with_warning=count,
            max_images=self.max_media_attachments,
            image_max_bytes=self.image_size_limit,
            alt_text_limit=self.description_limit,
        )


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _positive(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default


# --- recognising our post ---------------------------------------------------------------------


class _ContentText(HTMLParser):
    """Mastodon's `content` HTML back to text: <p> separates paragraphs, <br> breaks a line, and
    the text inside links (including the "invisible" spans that hide https:// and the tail of a
    long link) is kept whole, so a link reads as the address that was typed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.paragraphs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            if self.paragraphs:
                self.parts.append("\n\n")
            self.paragraphs += 1
        elif tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> str:
    parser = _ContentText()
    parser.feed(content)
    parser.close()
    return "".join(parser.parts)


_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def comparable_text(text: str) -> str:
    """A form of a post's text that survives Mastodon's rendering: line endings unified, NFC,
    whitespace runs within a line collapsed, paragraphs separated by exactly one blank line, and
    "@user@domain" shortened to "@user" (Mastodon shows a resolved mention without its domain)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _MENTION.sub(lambda match: "@" + match.group(1), text)
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        joined = "\n".join(lines).strip()
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def status_matches(status: dict, wanted_text: str, media_count: int) -> bool:
    """Whether a status from the account's list is the post we sent. The matching, in order:
    not a boost; the same number of media; and the same text after `comparable_text`, compared
    with the source `text` when the instance includes it and otherwise with the `content` HTML
    turned back into text. The time window is the caller's (find_post). The application name is
    deliberately not compared: a missed match places the post a second time, which is worse than
    taking an identical post of the same account for ours."""
    if status.get("reblog"):
        return False
    media = status.get("media_attachments")
    if (len(media) if isinstance(media, list) else 0) != media_count:
        return False
    source = status.get("text")
    if isinstance(source, str) and source and comparable_text(source) == wanted_text:
        return True
    content = status.get("content")
    return isinstance(content, str) and comparable_text(html_to_text(content)) == wanted_text


def _own_post(status: dict, resume: str) -> RemotePost | None:
    """A status of the account's list as the sweep reads it; None for one without an id or a
    time (nothing to hold against the history)."""
    remote_id = status.get("id")
    created_at = parse_time(status.get("created_at"))
    if not isinstance(remote_id, str | int) or isinstance(remote_id, bool) or created_at is None:
        return None
    content = status.get("content")
    media = status.get("media_attachments")
    return RemotePost(
        remote_id=str(remote_id),
        created_at=created_at,
        text=html_to_text(content) if isinstance(content, str) else "",
        url=str(status.get("url") or status.get("uri") or ""),
        media_count=len(media) if isinstance(media, list) else 0,
        edited=status.get("edited_at") is not None,
        resume=resume,
    )


def _mention(notification: dict, my_id: str, my_handle: str, handle_of) -> Mention | None:
    """A mention notification as Signalen keeps it; None for one without an id, a time or a
    status (a mention of a status deleted since). A mention that answers one of the account's
    statuses is a reply."""
    remote_id = notification.get("id")
    created_at = parse_time(notification.get("created_at"))
    status = notification.get("status")
    author = notification.get("account")
    if (
        not isinstance(remote_id, str | int)
        or isinstance(remote_id, bool)
        or created_at is None
        or not isinstance(status, dict)
    ):
        return None
    acct = author.get("acct") if isinstance(author, dict) else None
    content = status.get("content")
    replying = str(status.get("in_reply_to_account_id") or "") == my_id
    return Mention(
        remote_id=str(remote_id),
        account=my_handle,
        kind=MentionKind.REPLY if replying else MentionKind.MENTION,
        author_handle=handle_of(acct) if isinstance(acct, str) and acct else "",
        text=html_to_text(content) if isinstance(content, str) else "",
        url=str(status.get("url") or status.get("uri") or ""),
        created_at=created_at,
    )


def _published(status: dict) -> PublishedPost:
    remote_id = status["id"]
    if not isinstance(remote_id, str | int) or isinstance(remote_id, bool) or not str(remote_id):
        raise TypeError("status without id")
    url = status.get("url") or status.get("uri") or ""
    return PublishedPost(str(remote_id), str(url))


# --- messages ---------------------------------------------------------------------------------


# How servers speaking the Mastodon API say "this token is no good" when they do not answer 401:
# GoToSocial and Akkoma answer 400 text/html "Invalid Bearer token", others 403 with a JSON
# error about the access token. Read by meaning, whatever the status and body type.
_TOKEN_REFUSAL = re.compile(
    r"invalid[ _]bearer|bearer token|invalid[ _]token|access token (is )?(invalid|revoked|expired)"
    r"|token (is )?(invalid|revoked|expired)|token_(revoked|expired)",
    re.IGNORECASE,
)


def token_refused(response: requests.Response) -> bool:
    """Whether the answer means the access token itself is refused (so: sign in again)."""
    status = response.status_code
    if status == 401:
        return True
    if status not in (400, 403):
        return False
    challenge = response.headers.get("WWW-Authenticate", "")
    if "invalid_token" in challenge:
        return True
    reason = provider_reason(response) if response.content else ""
    return bool(_TOKEN_REFUSAL.search(reason))


class ScopesRefused(Reconnect):
    """A Reconnect because the token lacks a right (403 "outside the authorized scopes", or a
    compatible server's out_of_scope_for_token): a sign-in with other scopes is needed."""


def classify_mastodon(response: requests.Response, network: str) -> ConnectorError:
    """Mastodon's refusals in Dutch words; 401, 429 and 5xx as the shared mapping has them."""
    status = response.status_code
    if token_refused(response) and "scope" not in provider_reason(response).lower():
        return Reconnect(
            _(
                "De aanmelding bij {network} is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts."
            ).format(network=network)
        )
    if status == 422:
        return Rejected(
            _("Pas het bericht aan: {network} weigert het ({reason}).").format(
                network=network, reason=provider_reason(response)
            )
        )
    if status == 403 and "scope" in provider_reason(response).lower():
        return ScopesRefused(
            _(
                "Meld het account opnieuw aan bij Accounts: Postwijs mist rechten bij {network} ({reason})."
            ).format(network=network, reason=provider_reason(response))
        )
    if status == 413:
        return Rejected(
            _("Maak het bestand kleiner: {network} vindt het te groot.").format(network=network)
        )
    return classify(response, network)


# --- the connector ----------------------------------------------------------------------------


class MastodonConnector(HttpConnector):
    """One Mastodon account on one instance.

    `instance` is anything `normalise_instance` accepts, including an explicit base URL such as
    http://127.0.0.1:8123 for tests. `token_provider` returns the access token (None or "" when
    there is none: that is a Reconnect without a request). `on_unauthorized` is called once for
    every refusal of the token (`token_refused`: a 401, or what a compatible server answers
    instead) on a request that carried it, before Reconnect is raised. `sign_in`, when
    given, runs the interactive sign-in for `connect()`. `sleep` and `media_wait` bound the wait
    for media processing (injectable for tests). Call `close()` when done.
    """

    capabilities = Capabilities(
        sign_in=SignIn.BROWSER,
        list_follows=True,
        unfollow=True,
        find_posts=True,
        delete=True,
        video=True,
        alt_text=True,
        duplicates=Duplicates.IDEMPOTENCY_KEY,
        read_own_posts=True,
        read_mentions=True,
    )

    def __init__(
        self,
        instance: str,
        token_provider: Callable[[], str | None],
        on_unauthorized: Callable[[], None] | None = None,
        *,
        sign_in: Callable[[], object] | None = None,
        verify: bool | str = True,
        sleep: Callable[[float], None] = time.sleep,
        media_wait: float = MEDIA_WAIT_SECONDS,
        jpeg_copy: JpegCopy | None = None,
    ):
        self.base_url = normalise_instance(instance)
        self._jpeg_copy = jpeg_copy
        self._token_provider = token_provider
        self._on_unauthorized = on_unauthorized
        self._uploads: dict[tuple[str, int, str, str], str] = {}
        self._sign_in = sign_in
        self._sleep = sleep
        self._media_wait = media_wait
        self.http = HttpSession(NETWORK, classify_error=self._classify, verify=verify)
        self._instance: dict | None = None
        self._limits: InstanceLimits | None = None
        self._me: dict | None = None

    # The Connector protocol reads `profile`; it never triggers a request (the composer reads it
    # on every keystroke). It is the instance's once `limits()` has run, the defaults before.
    @property
    def profile(self) -> NetworkProfile:  # type: ignore[override]  # read-only on purpose
        return self._limits.profile() if self._limits else MASTODON

    # --- protocol --------------------------------------------------------------------------

    def connect(self) -> str:
        if self._sign_in is not None:
            self._sign_in()
        self._me = None
        return self.who_am_i()

    def who_am_i(self) -> str:
        """The handle "@user@domain", with the instance's own domain (which may differ from
        its web address)."""
        me = self._verify_credentials(refresh=True)
        return self._handle(str(me.get("acct") or me.get("username") or ""))

    def limits(self, refresh: bool = False) -> InstanceLimits:
        """The instance's limits; the defaults when it does not say or cannot be reached (not
        kept, so a later call asks again)."""
        try:
            info = self._instance_info(refresh)
        except ConnectorError as error:
            log.warning("instance limits unavailable for %s: %s", self.base_url, error)
            return self._limits or InstanceLimits()
        self._limits = InstanceLimits.from_instance(info)
        return self._limits

    def publish(self, post: OutgoingPost) -> PublishedPost:
        limits = self.limits()
        media = tuple(self._in_accepted_type(item, limits) for item in post.media)
        self._check_media(media, limits)
        media_ids = [
            self._uploaded_once(post.client_key, index, item) for index, item in enumerate(media)
        ]
        body: dict[str, object] = {"status": post.text, "visibility": "public"}
        if media_ids:
            body["media_ids"] = media_ids
        if post.language:
            body["language"] = post.language
        response = self._api(
            "POST",
            "/api/v1/statuses",
            json=body,
            headers={"Idempotency-Key": post.client_key},
        )
        try:
            return _published(response.json())
        except (ValueError, KeyError, TypeError):
            raise accepted_without_answer(NETWORK) from None

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the account's statuses (see `status_matches`) created from `since`
        (the moment the first attempt began) on. Reads at most FIND_POST_PAGES pages of 40,
        newest first (rest.earliest_match: CannotLookBack when they do not reach back to
        `since`). When several match, the earliest is ours (the first attempt's)."""
        wanted = comparable_text(post.text)
        url = (
            f"{self.base_url}/api/v1/accounts/{quote(self._account_id(), safe='')}/statuses"
            f"?limit={STATUS_PAGE_SIZE}&exclude_reblogs=true"
        )
        found = earliest_match(
            (
                [status for status in page if isinstance(status, dict)]
                # One page more than is read: whether it exists says if the search was complete.
                for page in self._pages(url, FIND_POST_PAGES + 1)
            ),
            since,
            lambda status: parse_time(status.get("created_at")),
            lambda status: status_matches(status, wanted, len(post.media)),
            max_pages=FIND_POST_PAGES,
            network=NETWORK,
        )
        if found is None:
            return None
        try:
            return _published(found)
        except (KeyError, TypeError):
            raise unexpected_answer(NETWORK) from None

    def delete(self, remote_id: str) -> None:
        """Deletes the status; one that is already gone (404) counts as deleted."""
        if not remote_id:
            raise ValueError("remote_id is empty")
        self._api("DELETE", f"/api/v1/statuses/{quote(remote_id, safe='')}", expected=(200, 404))

    def read_own_posts(
        self, since: datetime, until: datetime, resume: str = ""
    ) -> Iterator[RemotePost]:
        """The account's statuses created in [since, until), newest first, without boosts,
        40 a page, paging by the Link header's next link. `resume` is the max_id of the page to
        start at (a status id: statuses older than it). The text is the rendered content turned
        back into text (the list does not carry the source); `edited` is whether edited_at is
        set. Ids are in time order, so reading stops at the first page that reaches before
        `since`."""
        query = {"limit": STATUS_PAGE_SIZE, "exclude_reblogs": "true"}
        if resume:
            query["max_id"] = resume
        url = (
            f"{self.base_url}/api/v1/accounts/{quote(self._account_id(), safe='')}/statuses"
            f"?{urlencode(query)}"
        )
        page_start = resume
        for page in self._pages(url, MAX_STATUS_PAGES):
            reached_since = False
            last_id = page_start
            for status in page:
                if not isinstance(status, dict):
                    continue
                post = _own_post(status, page_start)
                if post is None:
                    continue
                last_id = post.remote_id
                if post.created_at < since:
                    reached_since = True
                elif post.created_at < until and not status.get("reblog"):
                    yield post
            if reached_since:
                return
            page_start = last_id

    def read_mentions(self, since: datetime) -> list[Mention]:
        """The account's mention notifications (GET /api/v1/notifications?types[]=mention),
        newest first, 80 a page, paging only by the Link header's next link, until a page
        reaches before `since`. Reading does not mark them read (that is the notifications
        marker, which Postwijs leaves alone). Needs read:notifications (a Reconnect otherwise)."""
        me = self._verify_credentials()
        my_id = str(me["id"])
        my_handle = self._handle(str(me.get("acct") or me.get("username") or ""))
        query = urlencode([("types[]", "mention"), ("limit", NOTIFICATION_PAGE_SIZE)])
        mentions: list[Mention] = []
        for page in self._pages(
            f"{self.base_url}/api/v1/notifications?{query}", MAX_NOTIFICATION_PAGES
        ):
            reached_since = False
            for notification in page:
                if not isinstance(notification, dict) or notification.get("type") != "mention":
                    continue
                found = _mention(notification, my_id, my_handle, self._handle)
                if found is None:
                    continue
                if found.created_at < since:
                    reached_since = True
                else:
                    mentions.append(found)
            if reached_since:
                break
        mentions.sort(key=lambda mention: mention.created_at, reverse=True)
        return mentions

    def list_follows(self) -> list[str]:
        """The handles the account follows, "@user@domain", paging only by the Link header."""
        url = (
            f"{self.base_url}/api/v1/accounts/{quote(self._account_id(), safe='')}/following"
            f"?limit={FOLLOWING_PAGE_SIZE}"
        )
        handles: dict[str, None] = {}
        for page in self._pages(url, MAX_FOLLOWING_PAGES):
            for account in page:
                if isinstance(account, dict) and isinstance(account.get("acct"), str):
                    handles[self._handle(account["acct"])] = None
        return list(handles)

    def unfollow(self, handle_or_id: str) -> bool:
        """Stops following an account, given as a handle ("@user@domain", as `list_follows`
        gives it) or as its account id on this instance. True when the unfollow was sent; False
        when the instance does not know the account at all (so there is nothing to unfollow).
        Unfollowing an account that is not followed is no error at Mastodon either.

        A handle is resolved with GET /api/v1/accounts/lookup (no WebFinger: an account that is
        followed is known to the instance); when that finds nothing, the following list says
        which account id the handle is. Needs the write:follows scope (a Reconnect otherwise)."""
        wanted = handle_or_id.strip() if isinstance(handle_or_id, str) else ""
        if not wanted:
            raise ValueError("handle_or_id is empty")
        account_id = wanted if wanted.isdigit() else self._account_id_of(wanted)
        if account_id is None:
            return False
        self._api("POST", f"/api/v1/accounts/{quote(account_id, safe='')}/unfollow")
        return True

    def _account_id_of(self, handle: str) -> str | None:
        """The account id on this instance of "@user@domain" (or "user", a local account)."""
        full = self._handle(handle)
        user, _sep, domain = full[1:].partition("@")
        # The instance names its own accounts without a domain.
        acct = user if domain == self._local_domain() else f"{user}@{domain}"
        response = self._api(
            "GET",
            f"/api/v1/accounts/lookup?{urlencode({'acct': acct})}",
            expected=(200, 404),
        )
        if response.status_code == 200:
            found = json_body(response, dict, NETWORK)
            found_id = found.get("id")
            if (
                isinstance(found_id, str | int)
                and not isinstance(found_id, bool)
                and str(found_id)
                and isinstance(found.get("acct"), str)
                and self._handle(found["acct"]).lower() == full.lower()
            ):
                return str(found_id)
        url = (
            f"{self.base_url}/api/v1/accounts/{quote(self._account_id(), safe='')}/following"
            f"?limit={FOLLOWING_PAGE_SIZE}"
        )
        for page in self._pages(url, MAX_FOLLOWING_PAGES):
            for account in page:
                if (
                    isinstance(account, dict)
                    and isinstance(account.get("acct"), str)
                    and isinstance(account.get("id"), str | int)
                    and self._handle(account["acct"]).lower() == full.lower()
                ):
                    return str(account["id"])
        return None

    # --- media -----------------------------------------------------------------------------

    def _check_media(self, media: Sequence[OutgoingMedia], limits: InstanceLimits) -> None:
        """Refuses, before uploading anything, what the instance says it will not take."""
        refuse_too_many(media, limits.max_media_attachments, NETWORK)
        for item in media:
            name = Path(item.path).name
            if limits.supported_mime_types and item.mime_type not in limits.supported_mime_types:
                raise Rejected(
                    _("Kies een ander bestand: {network} neemt geen {type} aan.").format(
                        network=NETWORK, type=item.mime_type
                    )
                )
            size_limit = (
                limits.video_size_limit
                if item.mime_type.startswith("video/")
                else limits.image_size_limit
            )
            refuse_too_large(item, size_limit, NETWORK, megabyte=1_048_576)
            refuse_long_alt_text(item, len(item.alt_text), limits.description_limit, NETWORK)
            if (
                item.mime_type.startswith("image/")
                and item.width * item.height > limits.image_matrix_limit
            ):
                raise Rejected(
                    _(
                        "Verklein de foto {name}: {network} neemt hoogstens {limit} megapixel aan."
                    ).format(
                        name=name, network=NETWORK, limit=limits.image_matrix_limit // 1_000_000
                    )
                )

    def _in_accepted_type(self, item: OutgoingMedia, limits: InstanceLimits) -> OutgoingMedia:
        """The file in a type the instance announces it takes: a photo prepared as PNG or GIF
        goes as JPEG to an instance that lists JPEG but not the photo's own type (written beside
        the prepared copy). Anything else is left to `_check_media`."""
        accepted = limits.supported_mime_types
        if (
            not accepted
            or item.mime_type in accepted
            or not item.mime_type.startswith("image/")
            or "image/jpeg" not in accepted
        ):
            return item
        if self._jpeg_copy is None:
            raise Rejected(
                _(
                    "Sla de foto {name} op als JPEG en voeg hem opnieuw toe: deze {network}-server"
                    " neemt geen {type} aan."
                ).format(
                    name=Path(item.path).name,
                    network=NETWORK,
                    type=item.mime_type.removeprefix("image/").upper(),
                )
            )
        return self._jpeg_copy(item, MASTODON.id, limits.image_size_limit)

    def _uploaded_once(self, client_key: str, index: int, item: OutgoingMedia) -> str:
        """The media id of this post's file, uploading it only the first time: a retry of the same
        post (same client key) reuses an upload that succeeded instead of storing it twice."""
        key = (client_key, index, str(item.path), item.alt_text or "")
        if key not in self._uploads:
            self._uploads[key] = self._upload(item)
        return self._uploads[key]

    def _upload(self, item: OutgoingMedia) -> str:
        """Uploads one file and returns its media id once the instance has processed it. The file
        name sent is neutral ("media.jpg"): the prepared copy's name is nobody's business."""
        path = Path(item.path)
        extension = mimetypes.guess_extension(item.mime_type) or path.suffix
        try:
            handle = path.open("rb")
        except OSError:
            raise unreadable_file(path.name) from None
        with handle:
            response = self._api(
                "POST",
                "/api/v2/media",
                files={"file": (f"media{extension}", handle, item.mime_type)},
                data={"description": item.alt_text} if item.alt_text else None,
                expected=(200, 202),
                timeout=UPLOAD_TIMEOUT,
            )
        attachment = json_body(response, dict, NETWORK)
        media_id = attachment.get("id")
        if not isinstance(media_id, str | int) or isinstance(media_id, bool) or not str(media_id):
            raise unexpected_answer(NETWORK)
        if response.status_code == 202 or not attachment.get("url"):
            self._wait_until_processed(str(media_id))
        return str(media_id)

    def _wait_until_processed(self, media_id: str) -> None:
        """Polls GET /api/v1/media/:id (206 = still processing, 200 with a url = done), backing
        off from FIRST_POLL_DELAY to MAX_POLL_DELAY, for at most `media_wait` seconds."""
        waited = 0.0
        delay = FIRST_POLL_DELAY
        while waited < self._media_wait:
            pause = min(delay, self._media_wait - waited)
            self._sleep(pause)
            waited += pause
            delay = min(delay * 2, MAX_POLL_DELAY)
            response = self._api(
                "GET", f"/api/v1/media/{quote(media_id, safe='')}", expected=(200, 206)
            )
            if response.status_code == 200 and _dict(json_body(response, dict, NETWORK)).get("url"):
                return
        raise RetryLater(
            _(
                "{network} is de media nog aan het verwerken. Postwijs probeert het later opnieuw."
            ).format(network=NETWORK)
        )

    # --- account and instance ----------------------------------------------------------------

    def _verify_credentials(self, refresh: bool = False) -> dict:
        if self._me is None or refresh:
            response = self._api("GET", "/api/v1/accounts/verify_credentials")
            me = json_body(response, dict, NETWORK)
            if not isinstance(me.get("id"), str | int) or not str(me.get("id")):
                raise unexpected_answer(NETWORK)
            self._me = me
        return self._me

    def _account_id(self) -> str:
        return str(self._verify_credentials()["id"])

    def _instance_info(self, refresh: bool = False) -> dict:
        """Instance v2; v1 on servers older than 4.0; {} when neither exists."""
        if self._instance is None or refresh:
            info: dict = {}
            for path in ("/api/v2/instance", "/api/v1/instance"):
                response = self._api("GET", path, authenticated=False, expected=(200, 404, 410))
                if response.status_code == 200:
                    info = json_body(response, dict, NETWORK)
                    break
            self._instance = info
        return self._instance

    def _local_domain(self) -> str:
        """The domain in handles (LOCAL_DOMAIN), which can differ from the web address."""
        info = self._instance_info()
        domain = info.get("domain") or info.get("uri")
        if isinstance(domain, str) and domain.strip():
            domain = domain.strip()
            return (urlsplit(domain).netloc if "://" in domain else domain).lower()
        return urlsplit(self.base_url).netloc

    def _handle(self, acct: str) -> str:
        user, _sep, domain = acct.strip().lstrip("@").partition("@")
        return f"@{user}@{(domain or self._local_domain()).lower()}"

    # --- HTTP ------------------------------------------------------------------------------

    def _authorization(self) -> str:
        try:
            # The vault's own verdict (SecretsUnavailable: no vault, locked) is a ConnectorError
            # and passes as it is; a programming error must show, not become "try later" forever.
            token = self._token_provider()
        except KeyringError as error:
            log.warning("token provider failed: %s", type(error).__name__)
            raise vault_unreadable(NETWORK) from None
        if not token:
            raise no_sign_in(NETWORK)
        return f"Bearer {token}"

    def _api(
        self,
        method: str,
        path_or_url: str,
        *,
        authenticated: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs,
    ) -> requests.Response:
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        # The token goes to this instance only, whatever a Link header may point at.
        if origin(url) != origin(self.base_url):
            raise ValueError(f"refusing to send a request outside {self.base_url}")
        all_headers = dict(headers or {})
        if authenticated:
            all_headers["Authorization"] = self._authorization()
        return self.http.request(method, url, headers=all_headers, **kwargs)

    def _pages(self, url: str, max_pages: int) -> Iterator[list]:
        """The pages of a list, following only the Link header's rel="next", and only on this
        instance (a link elsewhere is RetryLater: the token stays here)."""
        seen = {url}
        for _page in range(max_pages):
            response = self._api("GET", url)
            page = json_body(response, list, NETWORK)
            yield page
            next_link = response.links.get("next", {}).get("url")
            if not page or not next_link:
                return
            # RFC 8288 allows any URI reference: Mastodon writes absolute links, other servers
            # of its API a path or a relative one, which stands for a URL beside this page's.
            next_url = urljoin(response.url or url, next_link)
            if next_url in seen:
                return
            if origin(next_url) != origin(self.base_url):
                # A partial list would make the friend audit look complete; say so instead.
                log.warning("a next link points at another host: %s", origin(next_url))
                raise unexpected_answer(NETWORK)
            seen.add(next_url)
            url = next_url

    def _classify(self, response: requests.Response, network: str) -> ConnectorError:
        request = response.request
        if (
            token_refused(response)
            and "scope" not in provider_reason(response).lower()
            and request is not None
            and "Authorization" in request.headers
        ):
            self._notify_unauthorized()
        return classify_mastodon(response, network)

    def _notify_unauthorized(self) -> None:
        if self._on_unauthorized is None:
            return
        try:
            self._on_unauthorized()
        except ConnectorError:
            pass  # e.g. a locked vault: the Reconnect that follows says what to do
        except KeyringError as error:
            log.warning("on_unauthorized hook failed: %s", type(error).__name__)


# --- sign-in pieces that are Mastodon's own ---------------------------------------------------


@dataclass(frozen=True)
class AppRegistration:
    """This app's registration on one instance (Mastodon has only confidential clients, one
    registered at runtime per instance). The secret belongs in the keyring, never the database."""

    instance: str
    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scopes: tuple[str, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "instance": self.instance,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "redirect_uri": self.redirect_uri,
                "scopes": list(self.scopes),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> AppRegistration | None:
        try:
            data = json.loads(text)
            return cls(
                instance=str(data["instance"]),
                client_id=str(data["client_id"]),
                client_secret=str(data["client_secret"]),
                redirect_uri=str(data["redirect_uri"]),
                scopes=tuple(str(scope) for scope in data["scopes"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class AuthServerMetadata:
    """The endpoints from /.well-known/oauth-authorization-server (4.3+), or the classic paths."""

    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: str
    scopes_supported: tuple[str, ...] = ()
    code_challenge_methods: tuple[str, ...] = ()

    @property
    def pkce(self) -> bool:
        """Mastodon supports S256 only; older servers (no discovery) have no PKCE at all."""
        return "S256" in self.code_challenge_methods


@dataclass(frozen=True)
class TokenGrant:
    access_token: str = field(repr=False)
    scopes: tuple[str, ...]


def _scope_tuple(scopes: str | Sequence[str]) -> tuple[str, ...]:
    return tuple(scopes.split()) if isinstance(scopes, str) else tuple(scopes)


def choose_scopes(metadata: AuthServerMetadata | None) -> tuple[str, ...]:
    """The scopes to ask an instance for: the fine-grained SCOPES when its discovery document
    lists them all, or when it has none (Mastodon before 4.3 grants them without announcing);
    BROAD_SCOPES when it announces `scopes_supported` without them (a server that grants only
    "read" and "write"). A server that announces nothing and refuses SCOPES is found out at the
    first verify_credentials; `sign_in` then falls back to BROAD_SCOPES."""
    announced = set(metadata.scopes_supported) if metadata is not None else set()
    if not announced or set(SCOPES) <= announced:
        return SCOPES
    if set(BROAD_SCOPES) <= announced:
        return BROAD_SCOPES
    return SCOPES


def classic_endpoints(instance: str) -> AuthServerMetadata:
    """The endpoints every Mastodon version has, for servers without discovery."""
    base = normalise_instance(instance)
    return AuthServerMetadata(
        authorization_endpoint=f"{base}/oauth/authorize",
        token_endpoint=f"{base}/oauth/token",
        revocation_endpoint=f"{base}/oauth/revoke",
    )


def register_app(
    session: HttpSession,
    instance: str,
    redirect_uri: str,
    scopes: str | Sequence[str] = SCOPES,
) -> AppRegistration:
    """POST /api/v1/apps. `redirect_uris` is sent as one string, which every version accepts
    (arrays need 4.3). Cache the result per instance (AppRegistrationCache)."""
    base = normalise_instance(instance)
    scope_list = _scope_tuple(scopes)
    response = session.request(
        "POST",
        f"{base}/api/v1/apps",
        json={
            "client_name": CLIENT_NAME,
            "redirect_uris": redirect_uri,
            "scopes": " ".join(scope_list),
            "website": CLIENT_WEBSITE,
        },
        expected=(200,),
    )
    body = json_body(response, dict, NETWORK)
    client_id, client_secret = body.get("client_id"), body.get("client_secret")
    if not (isinstance(client_id, str) and client_id and isinstance(client_secret, str)):
        raise unexpected_answer(NETWORK)
    return AppRegistration(base, client_id, client_secret, redirect_uri, scope_list)


class AppRegistrationCache:
    """One registration per instance, kept through the caller's secret store (`load(key)` and
    `save(key, value)`, for instance the keyring), so client secrets never reach the database.
    A registration is reused when it has the same redirect URI and covers the scopes asked for;
    otherwise a new one is registered and replaces it. Call `forget` when the instance no longer
    knows the client (invalid_client; servers before 4.3 removed unused apps)."""

    def __init__(
        self,
        load: Callable[[str], str | None],
        save: Callable[[str, str], None],
        delete: Callable[[str], None] | None = None,
    ):
        self._load = load
        self._save = save
        self._delete = delete

    @staticmethod
    def key(instance: str) -> str:
        return f"mastodon-app:{normalise_instance(instance)}"

    def get(self, instance: str) -> AppRegistration | None:
        stored = self._load(self.key(instance))
        return AppRegistration.from_json(stored) if stored else None

    def get_or_register(
        self,
        session: HttpSession,
        instance: str,
        redirect_uri: str,
        scopes: str | Sequence[str] = SCOPES,
    ) -> AppRegistration:
        wanted = set(_scope_tuple(scopes))
        known = self.get(instance)
        if known and known.redirect_uri == redirect_uri and wanted <= set(known.scopes):
            return known
        registration = register_app(session, instance, redirect_uri, scopes)
        self._save(self.key(instance), registration.to_json())
        return registration

    def forget(self, instance: str) -> None:
        if self._delete is not None:
            self._delete(self.key(instance))
        else:
            self._save(self.key(instance), "")


def discover(session: HttpSession, instance: str) -> AuthServerMetadata | None:
    """GET /.well-known/oauth-authorization-server; None on 404 (a server older than 4.3, without
    PKCE: use `classic_endpoints`). An endpoint on another host than the instance is ignored in
    favour of the classic path, so the secret and the code never leave the instance."""
    base = normalise_instance(instance)
    response = session.request(
        "GET", f"{base}/.well-known/oauth-authorization-server", expected=(200, 404)
    )
    if response.status_code == 404:
        return None
    body = json_body(response, dict, NETWORK)
    classic = classic_endpoints(base)

    def endpoint(key: str, fallback: str) -> str:
        value = body.get(key)
        return value if isinstance(value, str) and origin(value) == origin(base) else fallback

    def strings(key: str) -> tuple[str, ...]:
        value = body.get(key)
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    return AuthServerMetadata(
        authorization_endpoint=endpoint("authorization_endpoint", classic.authorization_endpoint),
        token_endpoint=endpoint("token_endpoint", classic.token_endpoint),
        revocation_endpoint=endpoint("revocation_endpoint", classic.revocation_endpoint),
        scopes_supported=strings("scopes_supported"),
        code_challenge_methods=strings("code_challenge_methods_supported"),
    )


def authorization_params(
    registration: AppRegistration,
    state: str,
    *,
    code_challenge: str | None = None,
    metadata: AuthServerMetadata | None = None,
    scopes: str | Sequence[str] | None = None,
    force_login: bool = True,
    language: str = "nl",
) -> dict[str, str]:
    """The query of GET /oauth/authorize. The PKCE challenge (S256) is included only when the
    discovered metadata offers it; send the verifier to `exchange_code` only when the result has
    "code_challenge". `force_login` makes the instance ask who signs in, so a staff member signed
    in with a personal account does not connect that one by accident."""
    requested = _scope_tuple(scopes) if scopes else registration.scopes
    if not set(requested) <= set(registration.scopes):
        raise ValueError("the scopes asked for must be among the app's registered scopes")
    params = {
        "response_type": "code",
        "client_id": registration.client_id,
        "redirect_uri": registration.redirect_uri,
        "scope": " ".join(requested),
        "state": state,
    }
    if code_challenge and metadata is not None and metadata.pkce:
        params["code_challenge"] = code_challenge
        params["code_challenge_method"] = "S256"
    if force_login:
        params["force_login"] = "true"
    if language:
        params["lang"] = language
    return params


def authorization_url(
    registration: AppRegistration,
    params: dict[str, str],
    metadata: AuthServerMetadata | None = None,
) -> str:
    endpoint = (metadata or classic_endpoints(registration.instance)).authorization_endpoint
    return f"{endpoint}?{urlencode(params)}"


def exchange_code(
    session: HttpSession,
    registration: AppRegistration,
    code: str,
    *,
    code_verifier: str | None = None,
    metadata: AuthServerMetadata | None = None,
) -> TokenGrant:
    """POST /oauth/token (authorization_code; the client secret in the body). Mastodon tokens do
    not expire and come without a refresh token. A refusal (400 invalid_grant, 401
    invalid_client) is Rejected; after invalid_client, forget the cached registration."""
    endpoint = (metadata or classic_endpoints(registration.instance)).token_endpoint
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": registration.client_id,
        "client_secret": registration.client_secret,
        "redirect_uri": registration.redirect_uri,
    }
    if code_verifier:
        data["code_verifier"] = code_verifier
    response = session.request("POST", endpoint, data=data, expected=(200, 400, 401))
    if response.status_code != 200:
        raise Rejected(
            _("Meld opnieuw aan: {network} weigert de aanmelding ({reason}).").format(
                network=NETWORK, reason=provider_reason(response)
            )
        )
    body = json_body(response, dict, NETWORK)
    token = body.get("access_token")
    token_type = str(body.get("token_type") or "Bearer")
    if not isinstance(token, str) or not token or token_type.lower() != "bearer":
        raise unexpected_answer(NETWORK)
    granted = tuple(str(body.get("scope") or "").split()) or registration.scopes
    return TokenGrant(token, granted)


def revoke_token(
    session: HttpSession,
    registration: AppRegistration,
    token: str,
    *,
    metadata: AuthServerMetadata | None = None,
) -> None:
    """POST /oauth/revoke; idempotent on the instance's side."""
    endpoint = (metadata or classic_endpoints(registration.instance)).revocation_endpoint
    session.request(
        "POST",
        endpoint,
        data={
            "client_id": registration.client_id,
            "client_secret": registration.client_secret,
            "token": token,
        },
        expected=(200,),
    )


# --- the account's sign-in: the registry's hooks (connectors/__init__.py) ---------------------

# The loopback port Mastodon sign-ins return to. Fixed, because each instance knows Postwijs by
# the exact redirect URI it was registered with; changing it makes every instance register anew.
MASTODON_PORT = 47615
REDIRECT_PATH = "/callback"


def instance_of(account: Account) -> str:
    """The instance's base URL from the site configuration (instance, or the handle's domain);
    "" when neither says."""
    for candidate in (account.instance, account.handle):
        if candidate:
            try:
                return normalise_instance(candidate)
            except ValueError:
                continue
    return ""


def no_instance() -> str:
    return _(
        "Vraag de ICT-beheerder de Mastodon-server van dit account in de siteconfiguratie te zetten (instance, bijvoorbeeld mastodon.social)."
    )


def configuration_problem(account: Account) -> str:
    return "" if instance_of(account) else no_instance()


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    return entry is not None and Token.from_secret(entry) is not None


def connector(access: AccountAccess, options: SignInOptions) -> MastodonConnector | Refusing:
    """The account's connector, its token read from the vault at each request. A 401 tells the
    account service; connect() signs in in the browser."""
    instance = instance_of(access.account)
    if not instance:
        return Refusing(MASTODON, no_instance(), MastodonConnector.capabilities)
    return _connector_at(instance, access, options)


def _connector_at(
    instance: str, access: AccountAccess, options: SignInOptions
) -> MastodonConnector:
    def token() -> str | None:
        entry = access.vault.read(access.account.id)
        found = Token.from_secret(entry) if entry else None
        return found.access_token if found else None

    return MastodonConnector(
        instance,
        token,
        access.sign_in_needed,
        sign_in=lambda: _authorize(access, options, None)[0],
        verify=options.verify,
        jpeg_copy=access.jpeg_copy,
    )


def sign_in(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """Signs in in the browser (blocks until it comes back, is cancelled or the time is up);
    returns the handle and the instance's own character limit. A sign-in as another account
    than the site configuration names is withdrawn at once."""
    instance = instance_of(access.account)
    client, scopes = _authorize(access, options, request.cancelled)
    try:
        with _connector_at(instance, access, options) as signed_in:
            who = signed_in.who_am_i()
            # The instance's own limits, so the composer counts against its max_characters.
            text_limit = signed_in.limits().max_characters
    except ScopesRefused:
        client.revoke()
        if scopes == BROAD_SCOPES:
            raise
        # The server took the fine-grained scopes at the sign-in but grants none of them
        # (GoToSocial, Akkoma): the next sign-in asks for the broad ones. The user hears once,
        # before granting more, which rights that are and why.
        _remember_scopes(access.vault, instance, BROAD_SCOPES)
        raise SignInFailed(broad_scopes_needed(instance)) from None
    except ConnectorError:
        # Without knowing whom it signed in, the sign-in is not kept: "verbonden" always
        # comes with an account_connected event in the history. The user simply tries again.
        client.revoke()
        raise
    expected = access.account.handle
    if expected and normalise_handle(expected) != normalise_handle(who):
        # force_login asks who signs in, but a staff member may still pick their own account.
        client.revoke()
        raise SignInFailed(
            _(
                "Je bent aangemeld als {actual}, maar dit account is {expected}. Meld je in de browser aan als {expected} en probeer het opnieuw."
            ).format(actual=who, expected=expected)
        )
    return SignedIn(who, text_limit)


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    """Withdraws the token at the instance and always removes it from the vault."""
    instance = instance_of(access.account)
    registration = _app_registrations(access.vault).get(instance) if instance else None
    if registration is None:
        access.vault.delete(access.account.id)
        revoked = False
    else:
        revoked = _client(access, options, registration, _metadata(instance, options)).revoke()
    return signed_out(
        revoked,
        NETWORK,
        _(
            "Afgemeld op deze computer, maar {network} kon de toegang van Postwijs niet intrekken. Trek die toegang zelf in bij {network} (Voorkeuren, Account, Geautoriseerde apps)."
        ).format(network=NETWORK),
    )


def _metadata(instance: str, options: SignInOptions) -> AuthServerMetadata:
    http = HttpSession(NETWORK, verify=options.verify)
    try:
        return discover(http, instance) or classic_endpoints(instance)
    except ConnectorError:
        return classic_endpoints(instance)
    finally:
        http.session.close()


def broad_scopes_needed(instance: str) -> str:
    return _(
        "De server {server} geeft Postwijs niet de beperkte rechten waar het om vroeg. Meld het account opnieuw aan: Postwijs vraagt dan de brede rechten 'read write' (lezen en schrijven), de enige die deze server kent. Postwijs gebruikt ze alleen om berichten te plaatsen, terug te vinden en te verwijderen, en om de accounts die het volgt te zien en te ontvolgen."
    ).format(server=urlsplit(instance).netloc)


def _scopes_key(instance: str) -> str:
    return f"mastodon-scopes:{normalise_instance(instance)}"


def _remembered_scopes(vault: Vault, instance: str) -> tuple[str, ...] | None:
    entry = vault.read(_scopes_key(instance))
    value = entry.get("scopes") if entry else None
    return tuple(value.split()) if isinstance(value, str) and value.split() else None


def _remember_scopes(vault: Vault, instance: str, scopes: tuple[str, ...]) -> None:
    vault.write(_scopes_key(instance), {"kind": "mastodon-scopes", "scopes": " ".join(scopes)})


def _authorize(
    access: AccountAccess, options: SignInOptions, cancelled: threading.Event | None
) -> tuple[OAuthClient, tuple[str, ...]]:
    """The browser sign-in; returns the client and the scopes it asked for."""
    instance = instance_of(access.account)
    if not instance:
        raise Rejected(no_instance())
    port = options.redirect_port or MASTODON_PORT
    redirect_uri = f"http://{LOOPBACK_HOST}:{port}{REDIRECT_PATH}"
    cache = _app_registrations(access.vault)
    http = HttpSession(NETWORK, verify=options.verify)
    try:
        discovered = discover(http, instance)
        metadata = discovered or classic_endpoints(instance)
        scopes = _remembered_scopes(access.vault, instance) or choose_scopes(discovered)
        registration = cache.get_or_register(http, instance, redirect_uri, scopes)
    finally:
        http.session.close()
    client = _client(access, options, registration, metadata, scopes)
    try:
        client.authorize(timeout=options.sign_in_timeout, cancelled=cancelled)
    except SignInCancelled:
        raise
    except SignInFailed:
        # The instance may no longer know the registration (invalid_client; servers before
        # 4.3 removed unused apps): the next attempt registers afresh.
        cache.forget(instance)
        raise
    return client, scopes


def _client(
    access: AccountAccess,
    options: SignInOptions,
    registration: AppRegistration,
    metadata: AuthServerMetadata,
    scopes: tuple[str, ...] | None = None,
) -> OAuthClient:
    config = ProviderConfig(
        network=NETWORK,
        authorize_url=metadata.authorization_endpoint,
        token_url=metadata.token_endpoint,
        client_id=registration.client_id,
        # The scopes asked for: the registration may cover more (an earlier choice).
        scopes=scopes or registration.scopes,
        revoke_url=metadata.revocation_endpoint,
        client_secret=registration.client_secret,
        secret_in_body=True,  # as Mastodon documents its token and revoke calls
        fixed_port=options.redirect_port or MASTODON_PORT,
        redirect_path=REDIRECT_PATH,
        # force_login: the instance asks who signs in, so a personal account signed in in
        # the browser is not connected by accident.
        extra_auth_params={"force_login": "true", "lang": current_language()},
        pkce=metadata.pkce,
    )
    return OAuthClient(
        config,
        access.vault,
        access.account.id,
        open_browser=options.open_browser,
        verify=options.verify,
        lock_dir=access.data_dir,
    )


def _app_registrations(vault: Vault) -> AppRegistrationCache:
    """This app's registration per instance, in the vault beside the accounts' sign-ins."""

    def load(key: str) -> str | None:
        entry = vault.read(key)
        value = entry.get("registration") if entry else None
        return value if isinstance(value, str) else None

    def save(key: str, value: str) -> None:
        vault.write(key, {"kind": "mastodon-app", "registration": value})

    return AppRegistrationCache(load, save, vault.delete)
