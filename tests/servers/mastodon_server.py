"""A local Mastodon instance for contract tests: its routes on the contract-server base.

It answers like an instance (the JSON shapes of Instance v2, Account, Status, MediaAttachment,
CredentialApplication, the OAuth endpoints) and checks every request the way the documentation
describes it. A request that deviates (an undocumented method or path, a missing or malformed
`Authorization: Bearer`, a token without the scope, the wrong content type, a missing field, a
`max_id` that did not come from a Link header, an unknown field) is refused as Mastodon refuses it
and noted in `deviations` (also called `violations` here); the test fails at the end when one was
not announced (tests/servers/contract.py). Statuses are counted as StatusLengthValidator counts
them, by the server's own implementation (tests/servers/mastodon_length.py).

Mastodon's own switches besides the base's: `media_processing_polls` (answer uploads with 202 and
that many 206 polls before 200), `drop_connection_after_status` (store the status, then close the
connection without an answer), `set_rate_limit(remaining, reset)` (X-RateLimit-* on every /api/
answer; 429 once the budget is spent), `discovery` (False: a server before 4.3),
`next_link_base` (a Link header pointing elsewhere), `link_form` ("absolute" as Mastodon
writes its Link headers; "path" (/api/v1/...) or "relative" (statuses?...) as other servers of the
client API may: RFC 8288 lets a link be any URI reference), `rate_window_renews` (the budget is full
again once its reset moment passed, as Mastodon's fixed windows are); `edit_status`,
`delete_status_outside` and `add_boost` change the account's statuses as other apps do;
`add_mention` has another account mention or answer the local one (a mention notification).

Usage: `with MastodonServer() as server: ... server.base_url ...`
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from tests.servers.contract import ContractServer, LoggedRequest, Reply, UploadedFile, routes
from tests.servers.images import as_webp, sniff_image
from tests.servers.mastodon_length import status_length

INVALID_TOKEN = {"error": "The access token is invalid"}
# GoToSocial's answer to an unknown or revoked token, word for word.
INVALID_BEARER_HTML = b"Invalid Bearer token"
EXPIRED_TOKEN = {"error": "The access token expired"}
NOT_FOUND = {"error": "Record not found"}
OUTSIDE_SCOPES = {"error": "This action is outside the authorized scopes"}
# How the compatible server refuses a token whose scopes it does not grant (only broad ones).
OUT_OF_SCOPE_FOR_TOKEN = {"error": "Forbidden: out_of_scope_for_token"}
NOT_READY = "Cannot attach files that have not finished processing. Try again in a moment!"
_READ_SCOPES = (
    "accounts blocks bookmarks favourites filters follows lists mutes notifications search statuses"
)
_WRITE_SCOPES = "accounts blocks bookmarks conversations favourites filters follows lists media mutes notifications reports statuses"
VALID_SCOPES = {
    "read",
    "write",
    "push",
    "follow",
    "profile",
    "admin:read",
    "admin:write",
    *(f"read:{name}" for name in _READ_SCOPES.split(" ")),
    *(f"write:{name}" for name in _WRITE_SCOPES.split(" ")),
}
VISIBILITIES = {"public", "unlisted", "private", "direct"}
STATUS_FIELDS = {
    "status",
    "media_ids",
    "visibility",
    "language",
    "sensitive",
    "spoiler_text",
    "in_reply_to_id",
    "scheduled_at",
    "poll",
}
MEDIA_FIELDS = {"file", "description", "focus", "thumbnail"}
DEFAULT_MIME_TYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/heic",
    "image/heif",
    "image/avif",
    "video/mp4",
    "video/webm",
    "video/quicktime",
)
# What a GoToSocial-like server announces: fewer types, every image is stored as WebP.
COMPATIBLE_MIME_TYPES = ("image/jpeg", "image/gif", "image/png", "image/webp", "video/mp4")


def _timestamp(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


# --- records ----------------------------------------------------------------------------------


@dataclass
class Account:
    id: str
    username: str
    acct: str
    url: str
    created_at: datetime


@dataclass
class Media:
    id: str
    account_id: str
    file: UploadedFile
    description: str
    width: int
    height: int
    polls_until_ready: int
    processed: bool
    status_id: str | None = None


@dataclass
class Status:
    id: str
    account_id: str
    text: str
    visibility: str
    language: str | None
    media_ids: list[str]
    created_at: datetime
    application: dict | None
    spoiler_text: str = ""
    deleted: bool = False
    edited_at: datetime | None = None
    reblog_of: str | None = None  # a boost: the id of the status boosted


@dataclass
class Notification:
    id: str
    type: str  # "mention" for every notification this server makes; the filter is still checked
    account_id: str  # who mentioned
    status_id: str
    created_at: datetime


@dataclass
class Token:
    value: str
    account_id: str
    scopes: frozenset[str]
    client_id: str | None
    revoked: bool = False

    def allows(self, alternatives: tuple[str, ...], broad_only: bool = False) -> bool:
        # "read" covers every "read:…", "write" every "write:…". A server that grants broad
        # scopes only (`broad_only`) ignores every "read:…" and "write:…" a token carries.
        return any(
            (scope in self.scopes and not (broad_only and ":" in scope))
            or scope.split(":")[0] in self.scopes
            for scope in alternatives
        )


@dataclass
class App:
    id: str
    name: str
    website: str | None
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    scopes: list[str]


@dataclass
class Grant:
    code: str
    client_id: str
    redirect_uri: str
    scopes: list[str]
    challenge: str | None
    account_id: str
    used: bool = False


# --- text -------------------------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,:;!?')]")
_MENTION = re.compile(r"(?<![\w/])@([A-Za-z0-9_]+)(?:@([\w.-]+\w))?")
_HASHTAG = re.compile(r"(?<![\w/&])#(\w+)")
_TOKENS = re.compile(
    f"(?P<url>{_URL.pattern})|(?P<mention>{_MENTION.pattern})|(?P<tag>{_HASHTAG.pattern})"
)


class _Renderer:
    """Status text to `content` HTML the way Mastodon's TextFormatter does: paragraphs on blank
    lines, <br /> for line breaks, links split into invisible/ellipsis spans, mentions shown as
    "@user" in an h-card, hashtags as links."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def render(self, text: str) -> str:
        text = text.replace("\r\n", "\n").strip("\n")
        if not text:
            return ""
        paragraphs = re.split(r"\n\n+", text)
        return "".join(
            f"<p>{'<br />'.join(self._line(line) for line in p.split(chr(10)))}</p>"
            for p in paragraphs
        )

    def _line(self, line: str) -> str:
        out, position = [], 0
        for match in _TOKENS.finditer(line):
            out.append(html.escape(line[position : match.start()], quote=False))
            out.append(self._entity(match))
            position = match.end()
        out.append(html.escape(line[position:], quote=False))
        return "".join(out)

    def _entity(self, match: re.Match[str]) -> str:
        value = match.group(0)
        if match.group("url"):
            prefix = re.match(r"https?://(www\.)?", value).group(0)
            shown, rest = value[len(prefix) : len(prefix) + 30], value[len(prefix) + 30 :]
            return (
                f'<a href="{html.escape(value)}" target="_blank" rel="nofollow noopener"'
                f' translate="no"><span class="invisible">{html.escape(prefix)}</span>'
                f'<span class="{"ellipsis" if rest else ""}">{html.escape(shown)}</span>'
                f'<span class="invisible">{html.escape(rest)}</span></a>'
            )
        if match.group("mention"):
            user = value[1:].split("@")[0]
            return (
                f'<span class="h-card" translate="no"><a href="{self.base_url}/@{user}"'
                f' class="u-url mention">@<span>{html.escape(user)}</span></a></span>'
            )
        tag = value[1:]
        return (
            f'<a href="{self.base_url}/tags/{tag.lower()}" class="mention hashtag"'
            f' rel="tag">#<span>{html.escape(tag)}</span></a>'
        )


# --- the server -------------------------------------------------------------------------------

_STATUSES = r"/api/v1/statuses"


ROUTES = routes(
    ("GET", r"/api/v2/instance", "instance_v2"),
    ("GET", r"/api/v1/instance", "instance_v1"),
    ("GET", r"/api/v1/accounts/verify_credentials", "verify_credentials"),
    ("GET", r"/api/v1/accounts/lookup", "lookup"),
    ("POST", r"/api/v1/accounts/(?P<id>[^/]+)/unfollow", "unfollow"),
    ("GET", r"/api/v1/accounts/(?P<id>[^/]+)/statuses", "account_statuses"),
    ("GET", r"/api/v1/accounts/(?P<id>[^/]+)/following", "following"),
    ("GET", r"/api/v1/notifications", "notifications"),
    ("POST", r"/api/v2/media", "upload_media"),
    ("GET", r"/api/v1/media/(?P<id>[^/]+)", "get_media"),
    ("POST", r"/api/v1/statuses", "post_status"),
    ("DELETE", r"/api/v1/statuses/(?P<id>[^/]+)", "delete_status"),
    ("POST", r"/api/v1/apps", "create_app"),
    ("GET", r"/\.well-known/oauth-authorization-server", "discovery_document"),
    ("GET", r"/oauth/authorize", "authorize"),
    ("POST", r"/oauth/token", "token"),
    ("POST", r"/oauth/revoke", "revoke"),
)


class MastodonServer(ContractServer):
    ROUTES = ROUTES
    network = "Mastodon"

    def __init__(
        self,
        *,
        domain: str = "school.example",
        username: str = "juf",
        max_characters: int = 500,
        characters_reserved_per_url: int = 23,
        max_media_attachments: int = 4,
        description_limit: int = 1500,
        image_size_limit: int = 16_777_216,
        image_matrix_limit: int = 33_177_600,
        video_size_limit: int = 103_809_024,
        supported_mime_types: tuple[str, ...] | None = None,
        compatible: bool = False,
    ):
        super().__init__()
        # A server that speaks the Mastodon client API but is not Mastodon (GoToSocial- and
        # Akkoma-like, as tried on loopback): it grants broad scopes only (a token with
        # "read:accounts" and the like is refused 403 out_of_scope_for_token), has no discovery
        # document and no PKCE, answers an invalid token 400 text/html, ignores
        # Idempotency-Key, stores every image as WebP and gives absolute next/prev links on
        # every page, the last included. See the places that read this flag.
        self.compatible = compatible
        if supported_mime_types is None:
            supported_mime_types = COMPATIBLE_MIME_TYPES if compatible else DEFAULT_MIME_TYPES
        self.domain = domain
        self.username = username
        self.max_characters = max_characters
        self.characters_reserved_per_url = characters_reserved_per_url
        self.max_media_attachments = max_media_attachments
        self.description_limit = description_limit
        self.image_size_limit = image_size_limit
        self.image_matrix_limit = image_matrix_limit
        self.video_size_limit = video_size_limit
        self.supported_mime_types = supported_mime_types
        # Behaviour switches.
        self.media_processing_polls = 0
        self.discovery = not compatible
        self.serves_instance_v2 = True
        self.serves_instance_v1 = True
        self.announces_configuration = True
        self.next_link_base: str | None = None
        self.link_form = "absolute"  # or "path", "relative": how Link headers name the pages
        self.rate_budget = 300
        self.rate_remaining = 300
        self.rate_reset = datetime.now(UTC) + timedelta(minutes=5)
        self.rate_window_renews = False  # True: a spent budget is full again after the reset
        # State.
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, Token] = {}
        self.apps: dict[str, App] = {}
        self.grants: dict[str, Grant] = {}
        self.media: dict[str, Media] = {}
        self.statuses: dict[str, Status] = {}
        self.following: list[tuple[int, str]] = []  # (follow id, account id), newest first
        self.notifications: list[Notification] = []
        self.in_reply_to: dict[str, str] = {}  # status id -> the status it answers
        self.idempotency: dict[tuple[str, str], str] = {}
        self._issued_cursors: set[str] = set()
        self._sequence = 0
        self.me: Account | None = None

    # --- the base's hooks ----------------------------------------------------------------

    def started(self) -> None:
        self._renderer = _Renderer(self.base_url)
        self.me = self._add_account(self.username, local=True, account_id="1")

    @property
    def violations(self) -> list[str]:
        """The deviations noted so far (the name the Mastodon tests grew up with)."""
        return self.deviations

    @property
    def drop_connection_after_status(self) -> int:
        return sum(1 for method, pattern in self._drops if pattern.pattern == _STATUSES)

    @drop_connection_after_status.setter
    def drop_connection_after_status(self, times: int) -> None:
        """Store the next `times` statuses, then close the connection without an answer."""
        with self._lock:
            self._drops = [drop for drop in self._drops if drop[1].pattern != _STATUSES]
        self.drop_connection_after("POST", _STATUSES, times)

    def over_rate_limit(self, entry: LoggedRequest) -> bool:
        if not entry.path.startswith("/api/"):
            return False
        if self.rate_limited_until is not None:
            self.rate_remaining, self.rate_reset = 0, self.rate_limited_until
        window_over = self.rate_window_renews and datetime.now(UTC) >= self.rate_reset
        if self.rate_remaining <= 0 and self.rate_limited_until is None and window_over:
            # A new window, as Mastodon's rate limits run in fixed periods.
            self.rate_remaining = self.rate_budget
            self.rate_reset = datetime.now(UTC) + timedelta(minutes=5)
        if self.rate_remaining <= 0:
            return True
        self.rate_remaining -= 1
        return False

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        return Reply(429, {"error": "Too many requests"}, self._rate_headers())

    def extra_headers(self, entry: LoggedRequest) -> dict[str, str]:
        return self._rate_headers() if entry.path.startswith("/api/") else {}

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return Reply(403, OUTSIDE_SCOPES)

    def not_found_reply(self) -> Reply:
        return Reply(404, NOT_FOUND)

    def bad_body_reply(self) -> Reply:
        return Reply(400, {"error": "Error occurred while parsing request parameters"})

    # --- test helpers --------------------------------------------------------------------

    def issue_token(self, scopes: str = "read write", client_id: str | None = None) -> str:
        """A user token for the local account, as if signed in through an app."""
        value = secrets.token_urlsafe(32)
        with self._lock:
            assert self.me is not None
            self.tokens[value] = Token(value, self.me.id, frozenset(scopes.split()), client_id)
        return value

    def revoke_token(self, value: str) -> None:
        """Revoked as /oauth/revoke does it (a test may set `tokens[value].revoked` back)."""
        with self._lock:
            self.tokens[value].revoked = True

    def set_rate_limit(self, remaining: int, reset: datetime | None = None) -> None:
        with self._lock:
            self.rate_remaining = remaining
            if reset is not None:
                self.rate_reset = reset

    def add_following(self, count: int) -> list[str]:
        """Follows `count` accounts (every third one on another server); returns their handles
        in the order the API lists them (newest follow first)."""
        handles = []
        with self._lock:
            for number in range(count):
                remote = number % 3 == 2
                account = self._add_account(f"gevolgd{number}", local=not remote)
                follow_id = 7_000_000 + 13 * (len(self.following) + 1)
                self.following.insert(0, (follow_id, account.id))
            for _follow_id, account_id in self.following:
                account = self.accounts[account_id]
                domain = account.acct.split("@")[1] if "@" in account.acct else self.domain
                handles.append(f"@{account.username}@{domain}")
        return handles

    def add_status(self, text: str, created_at: datetime | None = None) -> Status:
        """A status of the local account that Postwijs did not place (for example days ago)."""
        with self._lock:
            assert self.me is not None
            return self._store_status(self.me.id, text, [], "public", "nl", None, created_at)

    def edit_status(self, status_id: str, text: str, at: datetime | None = None) -> None:
        """Edited in Mastodon itself (PUT /api/v1/statuses/:id by another app or the web)."""
        with self._lock:
            status = self.statuses[status_id]
            status.text = text
            status.edited_at = at or datetime.now(UTC)

    def delete_status_outside(self, status_id: str) -> None:
        """Deleted in Mastodon itself, not through Postwijs."""
        with self._lock:
            self.statuses[status_id].deleted = True

    def add_boost(self, status_id: str, created_at: datetime | None = None) -> Status:
        """The local account boosts a status (its own or another's)."""
        with self._lock:
            assert self.me is not None
            boost = self._store_status(self.me.id, "", [], "public", None, None, created_at)
            boost.reblog_of = status_id
            return boost

    def add_mention(
        self,
        author: str,
        text: str,
        *,
        reply_to: str | None = None,
        created_at: datetime | None = None,
        remote: bool = False,
    ) -> Notification:
        """Another account writes a public status that mentions the local account (a reply to
        `reply_to`, one of its statuses, when given); the local account gets a mention
        notification, as Mastodon makes one for every status that mentions it."""
        with self._lock:
            assert self.me is not None
            known = [a for a in self.accounts.values() if a.username == author]
            writer = known[0] if known else self._add_account(author, local=not remote)
            status = self._store_status(writer.id, text, [], "public", "nl", None, created_at)
            if reply_to is not None:
                self.in_reply_to[status.id] = reply_to
            notification = Notification(
                self._next_id(status.created_at),
                "mention",
                writer.id,
                status.id,
                status.created_at,
            )
            self.notifications.append(notification)
            return notification

    def stored_statuses(self) -> list[Status]:
        with self._lock:
            return [s for s in self.statuses.values() if not s.deleted]

    def _rate_headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.rate_budget),
            "X-RateLimit-Remaining": str(max(self.rate_remaining, 0)),
            "X-RateLimit-Reset": self.rate_reset.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        }

    def _auth(
        self, entry: LoggedRequest, scopes: tuple[str, ...], required: bool = True
    ) -> Token | None:
        header = entry.header("authorization")
        if header is None:
            if required:
                self.deviation(entry, "no Authorization header")
                raise Reply(401, INVALID_TOKEN)
            return None
        kind, _sep, value = header.partition(" ")
        if kind != "Bearer" or not value:
            self.deviation(entry, f"malformed Authorization header {kind!r}")
            raise Reply(401, INVALID_TOKEN)
        token = self.tokens.get(value)
        if token is None or token.revoked:
            if self.compatible:
                raise Reply(400, INVALID_BEARER_HTML, {"Content-Type": "text/html; charset=utf-8"})
            raise Reply(401, INVALID_TOKEN)
        if self.tokens_expired:
            raise Reply(401, EXPIRED_TOKEN)
        if not token.allows(scopes, broad_only=self.compatible):
            self.deviation(entry, f"token lacks scope {' or '.join(scopes)}")
            raise Reply(403, OUT_OF_SCOPE_FOR_TOKEN if self.compatible else OUTSIDE_SCOPES)
        return token

    def _limit(self, entry: LoggedRequest, default: int, maximum: int) -> int:
        raw = entry.query.get("limit", [str(default)])[-1]
        if not raw.isdigit() or int(raw) < 1:
            self.deviation(entry, f"limit {raw!r} is not a positive number")
            return default
        return min(int(raw), maximum)

    # --- entities ------------------------------------------------------------------------

    def _add_account(self, username: str, local: bool, account_id: str | None = None) -> Account:
        account_id = account_id or str(2000 + len(self.accounts))
        if local:
            account = Account(
                account_id, username, username, f"{self.base_url}/@{username}", datetime.now(UTC)
            )
        else:
            account = Account(
                account_id,
                username,
                f"{username}@andere-school.example",
                f"https://andere-school.example/@{username}",
                datetime.now(UTC),
            )
        self.accounts[account_id] = account
        return account

    def _account_json(self, account: Account, credential: bool = False) -> dict:
        statuses = [s for s in self.statuses.values() if s.account_id == account.id]
        body = {
            "id": account.id,
            "username": account.username,
            "acct": account.acct,
            "display_name": account.username.capitalize(),
            "locked": False,
            "bot": False,
            "discoverable": True,
            "group": False,
            "created_at": _timestamp(account.created_at),
            "note": "",
            "url": account.url,
            "uri": account.url.replace("/@", "/users/"),
            "avatar": f"{self.base_url}/avatars/original/missing.png",
            "avatar_static": f"{self.base_url}/avatars/original/missing.png",
            "header": f"{self.base_url}/headers/original/missing.png",
            "header_static": f"{self.base_url}/headers/original/missing.png",
            "followers_count": 0,
            "following_count": len(self.following) if account is self.me else 0,
            "statuses_count": len([s for s in statuses if not s.deleted]),
            "last_status_at": None,
            "emojis": [],
            "fields": [],
        }
        if credential:
            body["source"] = {
                "privacy": "public",
                "sensitive": False,
                "language": "nl",
                "note": "",
                "fields": [],
                "follow_requests_count": 0,
            }
            body["role"] = {
                "id": "-99",
                "name": "",
                "permissions": "0",
                "color": "",
                "highlighted": False,
            }
        return body

    def _media_json(self, media: Media) -> dict:
        extension = {"image/png": "png", "image/gif": "gif", "image/webp": "webp"}.get(
            media.file.content_type, "jpeg"
        )
        original = f"{self.base_url}/system/media_attachments/files/{media.id}/original/{media.id}.{extension}"
        size = {
            "width": media.width,
            "height": media.height,
            "size": f"{media.width}x{media.height}",
            "aspect": media.width / media.height if media.height else 1,
        }
        return {
            "id": media.id,
            "type": "image" if media.file.content_type.startswith("image/") else "video",
            "url": original if media.processed else None,
            "preview_url": original.replace("/original/", "/small/"),
            "remote_url": None,
            "preview_remote_url": None,
            "text_url": None,
            "meta": {"original": size, "small": size},
            "description": media.description or None,
            "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
        }

    def _status_json(self, status: Status, with_source: bool = False) -> dict:
        account = self.accounts[status.account_id]
        answered = self.statuses.get(self.in_reply_to.get(status.id, ""))
        body = {
            "id": status.id,
            "created_at": _timestamp(status.created_at),
            "in_reply_to_id": answered.id if answered else None,
            "in_reply_to_account_id": answered.account_id if answered else None,
            "sensitive": False,
            "spoiler_text": status.spoiler_text,
            "visibility": status.visibility,
            "language": status.language,
            "uri": f"{self.base_url}/users/{account.username}/statuses/{status.id}",
            "url": f"{self.base_url}/@{account.username}/{status.id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": _timestamp(status.edited_at) if status.edited_at else None,
            "content": "" if status.reblog_of else self._renderer.render(status.text),
            "reblog": self._status_json(self.statuses[status.reblog_of])
            if status.reblog_of
            else None,
            "application": status.application,
            "account": self._account_json(account),
            "media_attachments": [self._media_json(self.media[m]) for m in status.media_ids],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": None,
            "poll": None,
        }
        if with_source:
            body["text"] = status.text
        return body

    def _next_id(self, moment: datetime) -> str:
        # Mastodon's ids are time-ordered (milliseconds << 16 plus a sequence).
        self._sequence += 1
        return str((int(moment.timestamp() * 1000) << 16) + (self._sequence & 0xFFFF))

    def _store_status(
        self,
        account_id: str,
        text: str,
        media_ids: list[str],
        visibility: str,
        language: str | None,
        application: dict | None,
        created_at: datetime | None = None,
        spoiler_text: str = "",
    ) -> Status:
        moment = created_at or datetime.now(UTC)
        status = Status(
            self._next_id(moment),
            account_id,
            text,
            visibility,
            language,
            media_ids,
            moment,
            application,
            spoiler_text,
        )
        self.statuses[status.id] = status
        for media_id in media_ids:
            self.media[media_id].status_id = status.id
        return status

    # --- endpoints: instance and account -------------------------------------------------

    def _configuration(self) -> dict:
        return {
            "urls": {"streaming": self.base_url.replace("http", "ws")},
            "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
            "statuses": {
                "max_characters": self.max_characters,
                "max_media_attachments": self.max_media_attachments,
                "characters_reserved_per_url": self.characters_reserved_per_url,
            },
            "media_attachments": {
                "supported_mime_types": list(self.supported_mime_types),
                "description_limit": self.description_limit,
                "image_size_limit": self.image_size_limit,
                "image_matrix_limit": self.image_matrix_limit,
                "video_size_limit": self.video_size_limit,
                "video_frame_rate_limit": 120,
                "video_matrix_limit": 8_294_400,
            },
            "polls": {
                "max_options": 4,
                "max_characters_per_option": 50,
                "min_expiration": 300,
                "max_expiration": 2_629_746,
            },
            "translation": {"enabled": False},
        }

    def _instance_v2(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        if not self.serves_instance_v2:
            raise Reply(404, NOT_FOUND)
        body = {
            "domain": self.domain,
            "title": "Mastodon voor scholen",
            "version": "3.5.3 (compatible; GoToSocial 0.17.3)" if self.compatible else "4.4.0",
            "source_url": "https://github.com/superseriousbusiness/gotosocial"
            if self.compatible
            else "https://github.com/mastodon/mastodon",
            "description": "Een testserver",
            "usage": {"users": {"active_month": 12}},
            "thumbnail": {"url": f"{self.base_url}/packs/media/images/preview.png"},
            "languages": ["nl", "en"],
            "registrations": {"enabled": False, "approval_required": True, "message": None},
            "contact": {"email": "beheer@school.example", "account": None},
            "rules": [],
        }
        if self.announces_configuration:
            body["configuration"] = self._configuration()
        return 200, body, {}

    def _instance_v1(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        if not self.serves_instance_v1:
            raise Reply(404, NOT_FOUND)
        body: dict = {"uri": self.domain, "title": "Mastodon voor scholen", "version": "3.5.0"}
        if self.announces_configuration:
            body["configuration"] = self._configuration()
        return 200, body, {}

    def _verify_credentials(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        token = self._auth(entry, ("read:accounts", "profile"))
        assert token is not None
        return 200, self._account_json(self.accounts[token.account_id], credential=True), {}

    def _account_statuses(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        self._auth(entry, ("read:statuses",), required=False)
        if params["id"] not in self.accounts:
            raise Reply(404, NOT_FOUND)
        limit = self._limit(entry, 20, 40)
        statuses = sorted(
            (
                s
                for s in self.statuses.values()
                if s.account_id == params["id"] and not s.deleted and s.visibility == "public"
            ),
            key=lambda s: int(s.id),
            reverse=True,
        )
        if entry.query.get("exclude_reblogs", ["false"])[-1] == "true":
            statuses = [s for s in statuses if s.reblog_of is None]
        max_id = entry.query.get("max_id", [None])[-1]
        if max_id is not None:
            statuses = [s for s in statuses if int(s.id) < int(max_id)]
        page = statuses[:limit]
        headers = {}
        if page:
            extra = {k: v[-1] for k, v in entry.query.items() if k in ("exclude_reblogs",)}
            base = self._link_base(entry)
            links = []
            if len(page) == limit or self.compatible:
                links.append(
                    f'<{base}?{urlencode({**extra, "limit": limit, "max_id": page[-1].id})}>; rel="next"'
                )
            links.append(
                f'<{base}?{urlencode({**extra, "limit": limit, "min_id": page[0].id})}>; rel="prev"'
            )
            headers["Link"] = ", ".join(links)
        return 200, [self._status_json(s) for s in page], headers

    def _link_base(self, entry: LoggedRequest) -> str:
        """Where a Link header's page links point, before their query: this list's own address,
        written as `link_form` says, or on `next_link_base` (another host)."""
        if self.next_link_base:
            return f"{self.next_link_base}{entry.path}"
        if self.link_form == "path":
            return entry.path
        if self.link_form == "relative":
            return entry.path.rsplit("/", 1)[-1]
        return f"{self.base_url}{entry.path}"

    def _following(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        self._auth(entry, ("read:accounts",), required=False)
        if params["id"] not in self.accounts:
            raise Reply(404, NOT_FOUND)
        for cursor_name in ("max_id", "since_id", "min_id"):
            for cursor in entry.query.get(cursor_name, []):
                if cursor not in self._issued_cursors:
                    self.deviation(entry, f"{cursor_name} {cursor!r} not taken from a Link header")
        limit = self._limit(entry, 40, 80)
        follows = self.following if params["id"] == (self.me and self.me.id) else []
        max_id = entry.query.get("max_id", [None])[-1]
        if max_id is not None and max_id.isdigit():
            follows = [f for f in follows if f[0] < int(max_id)]
        page = follows[:limit]
        headers = {}
        if page:
            base = self._link_base(entry)
            links = []
            if len(page) == limit or self.compatible:
                self._issued_cursors.add(str(page[-1][0]))
                links.append(f'<{base}?limit={limit}&max_id={page[-1][0]}>; rel="next"')
            self._issued_cursors.add(str(page[0][0]))
            links.append(f'<{base}?limit={limit}&since_id={page[0][0]}>; rel="prev"')
            headers["Link"] = ", ".join(links)
        return 200, [self._account_json(self.accounts[a]) for _f, a in page], headers

    def _notifications(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        """GET /api/v1/notifications: read:notifications; newest first, 40 a page (80 at most);
        `types[]` keeps only those types; paging by max_id/since_id/min_id from the Link header
        (a cursor not taken from one is a deviation). A notification of a deleted status is not
        listed."""
        token = self._auth(entry, ("read:notifications",))
        assert token is not None
        self._unknown_query(
            entry,
            {"max_id", "since_id", "min_id", "limit", "types[]", "exclude_types[]", "account_id"},
        )
        for cursor_name in ("max_id", "since_id", "min_id"):
            for cursor in entry.query.get(cursor_name, []):
                if cursor not in self._issued_cursors:
                    self.deviation(entry, f"{cursor_name} {cursor!r} not taken from a Link header")
        limit = self._limit(entry, 40, 80)
        types = set(entry.query.get("types[]", []))
        excluded = set(entry.query.get("exclude_types[]", []))
        listed = sorted(
            (
                n
                for n in self.notifications
                if token.account_id == (self.me and self.me.id)
                and not self.statuses[n.status_id].deleted
                and (not types or n.type in types)
                and n.type not in excluded
            ),
            key=lambda n: int(n.id),
            reverse=True,
        )
        max_id = entry.query.get("max_id", [None])[-1]
        if max_id is not None and max_id.isdigit():
            listed = [n for n in listed if int(n.id) < int(max_id)]
        page = listed[:limit]
        headers = {}
        if page:
            kept = [(k, v) for k in ("types[]", "exclude_types[]") for v in entry.query.get(k, [])]
            base = f"{self.next_link_base or self.base_url}{entry.path}"
            links = []
            if len(page) == limit:
                self._issued_cursors.add(page[-1].id)
                query = urlencode([*kept, ("limit", limit), ("max_id", page[-1].id)])
                links.append(f'<{base}?{query}>; rel="next"')
            self._issued_cursors.add(page[0].id)
            query = urlencode([*kept, ("limit", limit), ("min_id", page[0].id)])
            links.append(f'<{base}?{query}>; rel="prev"')
            headers["Link"] = ", ".join(links)
        body = [
            {
                "id": n.id,
                "type": n.type,
                "group_key": f"ungrouped-{n.id}",
                "created_at": _timestamp(n.created_at),
                "account": self._account_json(self.accounts[n.account_id]),
                "status": self._status_json(self.statuses[n.status_id]),
            }
            for n in page
        ]
        return 200, body, headers

    def _lookup(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        """GET /api/v1/accounts/lookup?acct=: public; a token, when sent, needs read:accounts.
        `acct` is "user" for a local account (or "user@<local domain>"), "user@domain" for a
        remote one; unknown (or missing) is 404. No WebFinger: only accounts known here."""
        self._auth(entry, ("read:accounts",), required=False)
        self._unknown_query(entry, {"acct", "skip_webfinger"})
        acct = entry.query.get("acct", [""])[-1].strip().lstrip("@").lower()
        if not acct:
            self.deviation(entry, "acct missing")
            raise Reply(404, NOT_FOUND)
        user, _sep, domain = acct.partition("@")
        wanted = user if domain in ("", self.domain) else f"{user}@{domain}"
        for account in self.accounts.values():
            if account.acct.lower() == wanted:
                return 200, self._account_json(account), {}
        raise Reply(404, NOT_FOUND)

    def _unfollow(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        """POST /api/v1/accounts/:id/unfollow: write:follows (or the legacy "follow"); no body.
        Unfollowing an account that is not followed succeeds (the relationship says so);
        an unknown account is 404. Answers a Relationship."""
        token = self._auth(entry, ("write:follows", "follow"))
        assert token is not None
        self.unknown_fields(entry, set())
        target = params["id"]
        if target not in self.accounts:
            raise Reply(404, NOT_FOUND)
        if token.account_id == (self.me and self.me.id):
            self.following = [f for f in self.following if f[1] != target]
        return (
            200,
            {
                "id": target,
                "following": False,
                "showing_reblogs": False,
                "notifying": False,
                "languages": None,
                "followed_by": False,
                "blocking": False,
                "blocked_by": False,
                "muting": False,
                "muting_notifications": False,
                "requested": False,
                "requested_by": False,
                "domain_blocking": False,
                "endorsed": False,
                "note": "",
            },
            {},
        )

    def _unknown_query(self, entry: LoggedRequest, allowed: set[str]) -> None:
        for name in entry.query:
            if name not in allowed:
                self.deviation(entry, f"unknown query parameter {name!r}")

    # --- endpoints: media and statuses ---------------------------------------------------

    def _upload_media(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        token = self._auth(entry, ("write:media",))
        assert token is not None
        self.unknown_fields(entry, MEDIA_FIELDS)
        if not (entry.header("content-type") or "").startswith("multipart/form-data"):
            self.deviation(entry, "media must be sent as multipart/form-data")
        upload = entry.files.get("file")
        if upload is None:
            self.deviation(entry, "no file part")
            raise Reply(422, {"error": "Validation failed: File can't be blank"})
        invalid = {"error": "Validation failed: File content type is invalid, File is invalid"}
        sniffed = sniff_image(upload.data)
        if upload.content_type not in self.supported_mime_types:
            raise Reply(422, invalid)
        if upload.content_type.startswith("image/") and (
            sniffed is None or sniffed[0] != upload.content_type
        ):
            raise Reply(422, invalid)
        limit = (
            self.image_size_limit
            if upload.content_type.startswith("image/")
            else self.video_size_limit
        )
        if len(upload.data) > limit:
            raise Reply(
                422,
                {
                    "error": f"Validation failed: File file size must be less than {limit // 1_048_576} MB"
                },
            )
        width, height = sniffed[1:] if sniffed else (0, 0)
        if width * height > self.image_matrix_limit:
            raise Reply(
                422,
                {
                    "error": f"Validation failed: File dimensions exceed {self.image_matrix_limit} pixels"
                },
            )
        description = entry.fields.get("description", "")
        if not isinstance(description, str):
            raise Reply(422, {"error": "Validation failed: Description is invalid"})
        if len(description) > self.description_limit:
            raise Reply(
                422,
                {
                    "error": "Validation failed: Description is too long (maximum is "
                    f"{self.description_limit} characters)"
                },
            )
        if self.compatible and upload.content_type.startswith("image/"):
            upload = as_webp(upload)
        asynchronous = self.media_processing_polls > 0
        media = Media(
            id=str(22_348_000 + len(self.media) + 1),
            account_id=token.account_id,
            file=upload,
            description=description,
            width=width,
            height=height,
            polls_until_ready=self.media_processing_polls,
            processed=not asynchronous,
        )
        self.media[media.id] = media
        return (202 if asynchronous else 200), self._media_json(media), {}

    def _get_media(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        token = self._auth(entry, ("write:media",))
        assert token is not None
        media = self.media.get(params["id"])
        if media is None or media.account_id != token.account_id:
            raise Reply(404, NOT_FOUND)
        if not media.processed and media.polls_until_ready > 0:
            media.polls_until_ready -= 1
            return 206, self._media_json(media), {}
        media.processed = True
        return 200, self._media_json(media), {}

    def _post_status(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        token = self._auth(entry, ("write:statuses",))
        assert token is not None
        content_type = (entry.header("content-type") or "").split(";")[0].strip()
        if content_type not in (
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            self.deviation(entry, f"status sent as {content_type or '(no content type)'}")
        self.unknown_fields(entry, STATUS_FIELDS)
        # The compatible server reads no Idempotency-Key: a repeated key makes another status.
        key = None if self.compatible else entry.header("idempotency-key")
        if key is not None:
            known = self.idempotency.get((token.account_id, key))
            if known is not None:
                return 200, self._status_json(self.statuses[known]), {}
        text = entry.fields.get("status", "")
        spoiler = entry.fields.get("spoiler_text", "")
        media_ids = entry.fields.get("media_ids", [])
        if not isinstance(text, str) or not isinstance(spoiler, str):
            raise Reply(422, {"error": "Validation failed: Text is invalid"})
        if not isinstance(media_ids, list):
            self.deviation(entry, "media_ids is not an array")
            media_ids = [media_ids]
        media_ids = [str(m) for m in media_ids]
        visibility = entry.fields.get("visibility", "public")
        if visibility not in VISIBILITIES:
            raise Reply(422, {"error": f"'{visibility}' is not a valid visibility"})
        language = entry.fields.get("language")
        if language is not None and not (
            isinstance(language, str) and re.fullmatch(r"[a-z]{2,3}", language)
        ):
            self.deviation(entry, f"language {language!r} is not an ISO 639 code")
            language = None
        if not text.strip() and not media_ids:
            raise Reply(422, {"error": "Validation failed: Text can't be blank"})
        length = status_length(text, spoiler, self.characters_reserved_per_url)
        if length > self.max_characters:
            raise Reply(
                422,
                {
                    "error": f"Validation failed: Text character limit of {self.max_characters} exceeded"
                },
            )
        if len(media_ids) > self.max_media_attachments:
            raise Reply(
                422,
                {"error": f"Cannot attach more than {self.max_media_attachments} files"},
            )
        missing = [
            m
            for m in media_ids
            if m not in self.media
            or self.media[m].account_id != token.account_id
            or self.media[m].status_id is not None
        ]
        if missing:
            raise Reply(
                422,
                {
                    "error": "Validation failed: Media attachments with IDs "
                    f"{', '.join(missing)} not found or already attached to another post"
                },
            )
        if any(not self.media[m].processed for m in media_ids):
            raise Reply(422, {"error": NOT_READY})
        app = self.apps.get(token.client_id or "")
        application = (
            {"name": app.name, "website": app.website}
            if app
            else {"name": "Postwijs", "website": None}
        )
        status = self._store_status(
            token.account_id, text, media_ids, visibility, language, application, None, spoiler
        )
        if key is not None:
            self.idempotency[(token.account_id, key)] = status.id
        return 200, self._status_json(status), {}

    def _delete_status(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        token = self._auth(entry, ("write:statuses",))
        assert token is not None
        status = self.statuses.get(params["id"])
        if status is None or status.deleted or status.account_id != token.account_id:
            raise Reply(404, NOT_FOUND)
        status.deleted = True
        return 200, self._status_json(status, with_source=True), {}

    # --- endpoints: apps and OAuth -------------------------------------------------------

    def _create_app(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        self.unknown_fields(entry, {"client_name", "redirect_uris", "scopes", "website"})
        name = entry.fields.get("client_name")
        if not isinstance(name, str) or not name.strip():
            self.deviation(entry, "client_name missing")
            raise Reply(422, {"error": "Validation failed: Application name can't be blank"})
        raw_uris = entry.fields.get("redirect_uris")
        uris = raw_uris.split() if isinstance(raw_uris, str) else raw_uris
        if not isinstance(uris, list) or not uris:
            self.deviation(entry, "redirect_uris missing")
            raise Reply(422, {"error": "Validation failed: Redirect URI can't be blank"})
        for uri in uris:
            parts = urlsplit(str(uri))
            if uri != "urn:ietf:wg:oauth:2.0:oob" and not (parts.scheme and parts.netloc):
                raise Reply(
                    422, {"error": "Validation failed: Redirect URI must be an absolute URI."}
                )
        scopes = str(entry.fields.get("scopes") or "read").split()
        unknown = [s for s in scopes if s not in VALID_SCOPES]
        if unknown:
            raise Reply(
                422, {"error": f"Validation failed: Scopes {' '.join(unknown)} are invalid"}
            )
        website = entry.fields.get("website")
        app = App(
            id=str(563_000 + len(self.apps)),
            name=name,
            website=website if isinstance(website, str) else None,
            client_id=secrets.token_urlsafe(32),
            client_secret=secrets.token_urlsafe(32),
            redirect_uris=[str(u) for u in uris],
            scopes=scopes,
        )
        self.apps[app.client_id] = app
        return (
            200,
            {
                "id": app.id,
                "name": app.name,
                "website": app.website,
                "scopes": app.scopes,
                "redirect_uri": "\n".join(app.redirect_uris),
                "redirect_uris": app.redirect_uris,
                "client_id": app.client_id,
                "client_secret": app.client_secret,
                "client_secret_expires_at": 0,
            },
            {},
        )

    def _discovery_document(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        if not self.discovery:
            raise Reply(404, NOT_FOUND)
        base = self.base_url
        return (
            200,
            {
                "issuer": f"{base}/",
                "service_documentation": "https://docs.joinmastodon.org/",
                "authorization_endpoint": f"{base}/oauth/authorize",
                "token_endpoint": f"{base}/oauth/token",
                "revocation_endpoint": f"{base}/oauth/revoke",
                "userinfo_endpoint": f"{base}/oauth/userinfo",
                "app_registration_endpoint": f"{base}/api/v1/apps",
                # A compatible server that does publish a document names only what it grants.
                "scopes_supported": ["follow", "push", "read", "write"]
                if self.compatible
                else sorted(VALID_SCOPES),
                "response_types_supported": ["code"],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "client_credentials"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
            },
            {},
        )

    def _authorize(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        """The user's browser: signs in as the local account and approves at once."""
        query = {name: values[-1] for name, values in entry.query.items()}
        allowed = {
            "response_type",
            "client_id",
            "redirect_uri",
            "scope",
            "state",
            "code_challenge",
            "code_challenge_method",
            "force_login",
            "lang",
        }
        for name in query:
            if name not in allowed:
                self.deviation(entry, f"unknown parameter {name!r}")
        app = self.apps.get(query.get("client_id", ""))
        if app is None or query.get("redirect_uri") not in app.redirect_uris:
            self.deviation(entry, "unknown client or unregistered redirect_uri")
            raise Reply(400, {"error": "invalid_client"})
        if query.get("response_type") != "code":
            self.deviation(entry, "response_type is not code")
            raise Reply(400, {"error": "unsupported_response_type"})
        if "state" not in query:
            self.deviation(entry, "no state")
        scopes = query.get("scope", " ".join(app.scopes)).split()
        if not set(scopes) <= set(app.scopes):
            self.deviation(entry, "scope beyond the app's scopes")
            raise Reply(400, {"error": "invalid_scope"})
        challenge = query.get("code_challenge") if self.discovery else None
        if challenge is not None and query.get("code_challenge_method") != "S256":
            self.deviation(entry, "code_challenge_method is not S256")
            raise Reply(400, {"error": "invalid_request"})
        assert self.me is not None
        grant = Grant(
            secrets.token_urlsafe(24),
            app.client_id,
            query["redirect_uri"],
            scopes,
            challenge,
            self.me.id,
        )
        self.grants[grant.code] = grant
        answer = {"code": grant.code}
        if "state" in query:
            answer["state"] = query["state"]
        return 302, None, {"Location": f"{grant.redirect_uri}?{urlencode(answer)}"}

    def _client(self, entry: LoggedRequest) -> App | None:
        client_id = entry.fields.get("client_id")
        client_secret = entry.fields.get("client_secret")
        basic = entry.header("authorization") or ""
        if basic.startswith("Basic "):
            try:
                client_id, _sep, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
            except ValueError:
                return None
        app = self.apps.get(str(client_id))
        return (
            app if app and secrets.compare_digest(app.client_secret, str(client_secret)) else None
        )

    def _token(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        invalid_grant = {
            "error": "invalid_grant",
            "error_description": "The provided authorization grant is invalid, expired, revoked, "
            "does not match the redirection URI used in the authorization request, or was "
            "issued to another client.",
        }
        app = self._client(entry)
        if app is None:
            raise Reply(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "Client authentication failed due to unknown client, "
                    "no client authentication included, or unsupported authentication method.",
                },
            )
        if entry.fields.get("grant_type") != "authorization_code":
            self.deviation(entry, f"grant_type {entry.fields.get('grant_type')!r}")
            raise Reply(400, {"error": "unsupported_grant_type"})
        grant = self.grants.get(str(entry.fields.get("code")))
        if (
            grant is None
            or grant.used
            or grant.client_id != app.client_id
            or grant.redirect_uri != entry.fields.get("redirect_uri")
        ):
            raise Reply(400, invalid_grant)
        verifier = entry.fields.get("code_verifier")
        if grant.challenge is not None:
            if not isinstance(verifier, str):
                raise Reply(400, invalid_grant)
            digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if not secrets.compare_digest(expected, grant.challenge):
                raise Reply(400, invalid_grant)
        grant.used = True
        value = secrets.token_urlsafe(32)
        self.tokens[value] = Token(value, grant.account_id, frozenset(grant.scopes), app.client_id)
        return (
            200,
            {
                "access_token": value,
                "token_type": "Bearer",
                "scope": " ".join(grant.scopes),
                "created_at": int(datetime.now(UTC).timestamp()),
            },
            {},
        )

    def _revoke(self, entry: LoggedRequest, params: dict) -> tuple[int, object, dict]:
        app = self._client(entry)
        if app is None:
            raise Reply(
                403,
                {
                    "error": "unauthorized_client",
                    "error_description": "You are not authorized to revoke this token",
                },
            )
        token = self.tokens.get(str(entry.fields.get("token")))
        if token is not None and token.client_id == app.client_id:
            token.revoked = True
        return 200, {}, {}
