"""A local X API v2 for contract tests, held to X's own OpenAPI document.

Every request to a documented path and every answer the server gives is checked against
../shared/oracles/x-openapi-2.167.json (tests/servers/oracles.py, openapi-core): a request the
document does not allow (five media ids, an unknown field, a wrong `media_type`, a non-numeric id,
`max_results` out of range) is refused with X's 400 `invalid-request` problem and noted as a
deviation, so the test fails unless it announced it. An answer of the server's own that the
document does not allow is a deviation too (a bug of this server, or a `fail_next` body not in
X's words). The Bearer token is checked here against the OAuth 2.0 scopes the document names for
each operation; a token without them is a deviation (the connector asked for too few scopes).

Outside the document, from docs.x.com (../shared/networks.md, section 1), the OAuth 2.0 endpoints
of a Native App (public client, PKCE): `GET /i/oauth2/authorize` (the consent screen, here
consenting at once and redirecting to the exact registered loopback URI with `code` and
`state`), `POST /2/oauth2/token` (the code lives 30 seconds and is used once; refresh tokens
rotate: a used one is refused) and `POST /2/oauth2/revoke`.

X's words for the base's switches and its own quirks:
- errors as `application/problem+json` (`about:blank` with title and detail, or an
  `https://api.x.com/2/problems/...` type); `plain_errors = True` answers them in the document's
  other shape, `{"code", "message"}`;
- 401 "Unauthorized" for a missing, unknown, revoked or expired token (`expire_tokens()`, or
  `advance(seconds)` past the two hours an access token lives);
- 403 "Forbidden" for a missing permission (`deny_permission`), and 403 "You are not allowed to
  create a Tweet with duplicate content." for the same text twice;
- 429 with `x-rate-limit-limit`, `x-rate-limit-remaining` and `x-rate-limit-reset` (epoch
  seconds) under `rate_limit(reset)`; every API answer carries the budget headers;
- `cap_usage(True)`: every API call answers 429 with the `usage-capped` problem until lifted;
- deleting a post that is gone answers 404 with the document's `resource-not-found` problem
  (X documents no exact answer for it: an assumption);
- `video_processing_polls`: how many STATUS polls a finalized video stays `in_progress`;
- `fault(status)`: a 5xx in X's words, to hand to `fail_next`.

Usage: `with XServer() as server: token = server.issue_token(SCOPES) ...`
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import urlencode

from tests.servers.contract import ContractServer, LoggedRequest, Reply, UploadedFile, routes
from tests.servers.images import sniff_image
from tests.servers.oracles import X_PROBLEMS, XOpenAPIValidator

CODE_LIFETIME = timedelta(seconds=30)
ACCESS_LIFETIME = timedelta(hours=2)
ALL_SCOPES = frozenset(
    [
        "tweet.read",
        "tweet.write",
        "tweet.moderate.write",
        "users.email",
        "users.read",
        "follows.read",
        "follows.write",
        "offline.access",
        "space.read",
        "mute.read",
        "mute.write",
        "like.read",
        "like.write",
        "list.read",
        "list.write",
        "block.read",
        "block.write",
        "bookmark.read",
        "bookmark.write",
        "dm.read",
        "dm.write",
        "media.write",
    ]
)
DUPLICATE = "You are not allowed to create a Tweet with duplicate content."
# Per user and 15 minutes (../shared/networks.md, section 1, rate limits).
RATE_LIMITS = {
    ("POST", "/2/tweets"): 100,
    ("DELETE", "/2/tweets/{id}"): 50,
    ("POST", "/2/media/upload"): 500,
    ("POST", "/2/media/upload/initialize"): 1875,
    ("POST", "/2/media/upload/{id}/append"): 1875,
    ("POST", "/2/media/upload/{id}/finalize"): 1875,
    ("GET", "/2/media/upload"): 1000,
    ("POST", "/2/media/metadata"): 500,
    ("GET", "/2/users/{id}/tweets"): 900,
    ("GET", "/2/users/me"): 75,
    ("GET", "/2/users/{id}/following"): 300,
}
_OAUTH_PATHS = {"/i/oauth2/authorize", "/2/oauth2/token", "/2/oauth2/revoke"}


def _timestamp(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- records ----------------------------------------------------------------------------------


@dataclass
class User:
    id: str
    username: str
    name: str


@dataclass
class Post:
    id: str
    author_id: str
    text: str
    created_at: datetime
    media_ids: list[str]
    reply_settings: str | None = None
    in_reply_to: str | None = None
    deleted: bool = False


@dataclass
class Media:
    id: str
    owner_id: str
    category: str
    media_type: str
    total_bytes: int | None
    segments: dict[int, bytes] = field(default_factory=dict)
    finalized: bool = False
    polls_left: int = 0
    alt_text: str | None = None

    @property
    def media_key(self) -> str:
        return ("7_" if self.media_type.startswith("video/") else "3_") + self.id

    @property
    def data(self) -> bytes:
        return b"".join(self.segments[i] for i in sorted(self.segments))

    @property
    def ready(self) -> bool:
        return self.finalized and self.polls_left == 0


@dataclass
class Token:
    access: str
    refresh: str | None
    user_id: str
    scopes: frozenset[str]
    client_id: str
    expires_at: datetime
    revoked: bool = False


@dataclass
class Grant:
    code: str
    client_id: str
    redirect_uri: str
    scopes: frozenset[str]
    challenge: str
    method: str
    issued_at: datetime
    used: bool = False


# --- the server -------------------------------------------------------------------------------

_ID = r"(?P<id>[^/]+)"
ROUTES = routes(
    ("GET", r"/i/oauth2/authorize", "authorize"),
    ("POST", r"/2/oauth2/token", "token"),
    ("POST", r"/2/oauth2/revoke", "revoke"),
    ("GET", r"/2/users/me", "me"),
    ("GET", rf"/2/users/{_ID}/tweets", "user_posts"),
    ("GET", rf"/2/users/{_ID}/following", "following"),
    ("POST", r"/2/tweets", "create_post"),
    ("DELETE", rf"/2/tweets/{_ID}", "delete_post"),
    ("POST", r"/2/media/upload", "simple_upload"),
    ("GET", r"/2/media/upload", "upload_status"),
    ("POST", r"/2/media/upload/initialize", "initialize"),
    ("POST", rf"/2/media/upload/{_ID}/append", "append"),
    ("POST", rf"/2/media/upload/{_ID}/finalize", "finalize"),
    ("POST", r"/2/media/metadata", "metadata"),
)


class XServer(ContractServer):
    ROUTES = ROUTES
    network = "X"

    def __init__(self, client_id: str = "postwijs-native", redirect_uri: str | None = None):
        super().__init__()
        self.oracle = XOpenAPIValidator()
        self.add_validator(self._check_request)
        self.client_id = client_id
        self.redirect_uri = redirect_uri  # None: any http://127.0.0.1:PORT/… given at sign-in
        self.account = User("1458392012345678901", "obs_de_regenboog", "OBS De Regenboog")
        self.users = {self.account.id: self.account}
        self.followed: list[str] = []
        self.posts: dict[str, Post] = {}
        self.media: dict[str, Media] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, Token] = {}
        self.used_refresh_tokens: set[str] = set()
        self.grants: dict[str, Grant] = {}
        self.clock_offset = timedelta()
        self.plain_errors = False
        self.usage_capped = False
        self.video_processing_polls = 1
        self._ids = itertools.count(1_900_000_000_000_000_001)
        self._pages: dict[str, tuple[str, int]] = {}  # pagination_token -> (what, offset)
        self._calls: dict[tuple[str, str], int] = {}
        self._refusal: list[str] = []  # what the document refuses in the request being handled

    # --- for tests -----------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Let time pass for the server (the 30 seconds of a code, the 2 hours of a token)."""
        with self._lock:
            self.clock_offset += timedelta(seconds=seconds)

    def new_id(self) -> str:
        return str(next(self._ids))

    def issue_token(self, scopes: str | frozenset[str], offline: bool = True) -> Token:
        """A token as if the account had signed in: with a refresh token if `offline.access`."""
        wanted = frozenset(scopes.split()) if isinstance(scopes, str) else frozenset(scopes)
        with self._lock:
            token = Token(
                "x-at-" + secrets.token_urlsafe(24),
                "x-rt-" + secrets.token_urlsafe(24)
                if offline and "offline.access" in wanted
                else None,
                self.account.id,
                wanted,
                self.client_id,
                self.now() + ACCESS_LIFETIME,
            )
            self.tokens[token.access] = token
            if token.refresh:
                self.refresh_tokens[token.refresh] = token
            return token

    def add_post(self, text: str, created_at: datetime | None = None) -> Post:
        with self._lock:
            post = Post(self.new_id(), self.account.id, text, created_at or self.now(), [])
            self.posts[post.id] = post
            return post

    def follow(self, username: str, name: str | None = None) -> User:
        with self._lock:
            user = User(str(1_000_000 + len(self.users)), username, name or username)
            self.users[user.id] = user
            self.followed.append(user.id)
            return user

    def stored_posts(self) -> list[Post]:
        with self._lock:
            return sorted(
                (p for p in self.posts.values() if not p.deleted), key=lambda p: p.created_at
            )

    def cap_usage(self, capped: bool) -> None:
        with self._lock:
            self.usage_capped = capped

    def expire_tokens(self) -> None:
        with self._lock:
            super().expire_tokens()
            for token in self.tokens.values():
                token.expires_at = min(token.expires_at, self.now() - timedelta(seconds=1))

    def revoke_token(self, value: str) -> None:
        with self._lock:
            super().revoke_token(value)
            if value in self.tokens:
                self.tokens[value].revoked = True

    # --- X's words -------------------------------------------------------------------------

    def error(
        self, status: int, title: str, detail: str, kind: str = "about:blank", **extra
    ) -> Reply:
        if self.plain_errors:
            return Reply(status, {"code": status, "message": detail})
        body = {"title": title, "detail": detail, "type": kind, "status": status, **extra}
        return Reply(
            status, json.dumps(body).encode(), {"Content-Type": "application/problem+json"}
        )

    def invalid_request(self, detail: str) -> Reply:
        if self.plain_errors:
            return Reply(400, {"code": 400, "message": detail})
        body = {
            "errors": [{"message": detail}],
            "title": "Invalid Request",
            "detail": "One or more parameters to your request was invalid.",
            "type": X_PROBLEMS + "invalid-request",
        }
        return Reply(400, json.dumps(body).encode(), {"Content-Type": "application/problem+json"})

    def unauthorized(self) -> Reply:
        return self.error(401, "Unauthorized", "Unauthorized")

    def not_found_reply(self) -> Reply:
        return self.error(404, "Not Found", "Sorry, that page does not exist.")

    def fault(self, status: int = 503) -> tuple[int, bytes | dict, dict[str, str]]:
        """A server fault in X's words, for `fail_next(method, path, *server.fault(503))`."""
        titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
        title = titles.get(status, "Server Error")
        reply = self.error(status, title, title)
        return reply.status, reply.body, reply.headers

    def bad_body_reply(self) -> Reply:
        return self.invalid_request("The request body is not valid JSON.")

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return self.error(403, "Forbidden", "Forbidden")

    def _budget(self, entry: LoggedRequest) -> tuple[int, int] | None:
        template = self.oracle.template(entry.path)
        limit = RATE_LIMITS.get((entry.method, template or ""))
        if limit is None:
            return None
        used = self._calls.get((entry.method, template), 0)
        return limit, used

    def _reset_epoch(self) -> int:
        reset = self.rate_limited_until or (self.now() + timedelta(minutes=15))
        return int(reset.timestamp())

    def over_rate_limit(self, entry: LoggedRequest) -> bool:
        return entry.path not in _OAUTH_PATHS and (
            self.rate_limited_until is not None or self.usage_capped
        )

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        if self.usage_capped:
            return self.error(
                429,
                "UsageCapExceeded",
                "Usage cap exceeded: Monthly product cap",
                X_PROBLEMS + "usage-capped",
                period="Monthly",
                scope="Product",
            )
        reply = self.error(429, "Too Many Requests", "Too Many Requests")
        budget = self._budget(entry)
        reply.headers.update(
            {
                "x-rate-limit-limit": str(budget[0] if budget else 15),
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(self._reset_epoch()),
            }
        )
        return reply

    def extra_headers(self, entry: LoggedRequest) -> dict[str, str]:
        budget = self._budget(entry)
        if budget is None:
            return {}
        limit, used = budget
        self._calls[(entry.method, self.oracle.template(entry.path))] = used + 1
        return {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(limit - used - 1, 0)),
            "x-rate-limit-reset": str(self._reset_epoch()),
        }

    # --- the oracle ------------------------------------------------------------------------

    def _check_request(self, entry: LoggedRequest) -> list[str]:
        self._refusal = []
        if entry.path in _OAUTH_PATHS:
            return []  # not in the document: checked by the routes, from docs.x.com
        self._refusal = self.oracle(entry)
        return self._refusal

    def _dispatch(self, entry: LoggedRequest):
        try:
            status, payload, headers = super()._dispatch(entry)
        except Reply as reply:
            self._check_answer(entry, reply.status, reply.body, reply.headers)
            raise
        self._check_answer(entry, status, payload, headers)
        return status, payload, headers

    def _check_answer(self, entry: LoggedRequest, status: int, payload: object, headers) -> None:
        if entry.path in _OAUTH_PATHS or self.oracle.template(entry.path) is None:
            return
        for problem in self.oracle.answer(entry, status, payload, headers):
            self.deviation(entry, problem)

    def _refuse_what_the_document_refuses(self, entry: LoggedRequest) -> None:
        problems, self._refusal = self._refusal, []
        if problems:
            raise self.invalid_request("; ".join(problems))

    def _signed_in(self, entry: LoggedRequest) -> Token:
        self._refuse_what_the_document_refuses(entry)
        header = entry.header("authorization") or ""
        if not header.startswith("Bearer "):
            self.deviation(entry, "no Authorization: Bearer")
            raise self.unauthorized()
        token = self.tokens.get(header.removeprefix("Bearer "))
        if token is None:
            self.deviation(entry, "a Bearer token this server never gave out")
            raise self.unauthorized()
        if token.revoked or token.access in self.revoked_tokens or token.expires_at <= self.now():
            raise self.unauthorized()
        needed = self.oracle.scopes(entry.method, entry.path) or frozenset()
        missing = needed - token.scopes
        if missing:
            self.deviation(entry, f"the token lacks the scopes {sorted(missing)}")
            raise self.error(403, "Forbidden", "Forbidden")
        return token

    # --- OAuth 2.0 (docs.x.com, authorization code with PKCE) ------------------------------

    def _redirect_allowed(self, uri: str) -> bool:
        if self.redirect_uri is not None:
            return uri == self.redirect_uri
        return uri.startswith("http://127.0.0.1:")

    def _authorize(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        query = {name: values[-1] for name, values in entry.query.items()}
        problems = []
        if query.get("response_type") != "code":
            problems.append("response_type is not code")
        if query.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if not self._redirect_allowed(query.get("redirect_uri", "")):
            problems.append("redirect_uri is not the registered loopback address")
        scopes = frozenset(query.get("scope", "").split())
        if not scopes or scopes - ALL_SCOPES:
            problems.append(f"unknown scopes {sorted(scopes - ALL_SCOPES)}")
        if not 0 < len(query.get("state", "")) <= 500:
            problems.append("state missing or longer than 500 characters")
        if query.get("code_challenge_method") not in ("S256", "plain") or not query.get(
            "code_challenge"
        ):
            problems.append("no PKCE code_challenge with S256 or plain")
        if problems:
            for problem in problems:
                self.deviation(entry, problem)
            return 400, b"Something went wrong. You weren't able to give access to the App.", {}
        grant = Grant(
            secrets.token_urlsafe(32),
            query["client_id"],
            query["redirect_uri"],
            scopes,
            query["code_challenge"],
            query["code_challenge_method"],
            self.now(),
        )
        self.grants[grant.code] = grant
        location = (
            f"{grant.redirect_uri}?{urlencode({'state': query['state'], 'code': grant.code})}"
        )
        return 302, None, {"Location": location}

    @staticmethod
    def _token_error(description: str) -> Reply:
        return Reply(400, {"error": "invalid_request", "error_description": description})

    def _token(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        if (entry.header("content-type") or "").split(";")[
            0
        ] != "application/x-www-form-urlencoded":
            self.deviation(entry, "the token request is not form-encoded")
            raise self._token_error("Missing required parameter [grant_type].")
        fields = entry.fields
        if entry.header("authorization"):
            self.deviation(entry, "a public client sends no Authorization header")
        if fields.get("client_id") != self.client_id:
            self.deviation(entry, "a public client sends its client_id in the body")
            raise Reply(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Missing valid authorization header",
                },
            )
        grant_type = fields.get("grant_type")
        if grant_type == "authorization_code":
            self.unknown_fields(
                entry, {"grant_type", "code", "redirect_uri", "code_verifier", "client_id"}
            )
            grant = self.grants.get(str(fields.get("code")))
            if grant is None or grant.used or self.now() - grant.issued_at > CODE_LIFETIME:
                raise self._token_error("Value passed for the authorization code was invalid.")
            if fields.get("redirect_uri") != grant.redirect_uri:
                self.deviation(entry, "redirect_uri differs from the one at authorize")
                raise self._token_error("Value passed for the redirect uri was invalid.")
            verifier = str(fields.get("code_verifier") or "")
            expected = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
                if grant.method == "S256"
                else verifier
            )
            if expected != grant.challenge:
                self.deviation(entry, "code_verifier does not match the code_challenge")
                raise self._token_error("Value passed for the code verifier was invalid.")
            grant.used = True
            token = self.issue_token(grant.scopes)
        elif grant_type == "refresh_token":
            self.unknown_fields(entry, {"grant_type", "refresh_token", "client_id"})
            value = str(fields.get("refresh_token") or "")
            old = self.refresh_tokens.pop(value, None)
            if old is None:
                # A rotated refresh token is spent: X refuses it as it refuses an unknown one.
                raise self._token_error("Value passed for the token was invalid.")
            # Spent; the access token that came with it lives on until it expires.
            self.used_refresh_tokens.add(value)
            token = self.issue_token(old.scopes)
        else:
            self.deviation(entry, f"unsupported grant_type {grant_type!r}")
            raise Reply(
                400,
                {"error": "unsupported_grant_type", "error_description": "Unsupported grant type"},
            )
        body = {
            "token_type": "bearer",
            "expires_in": int(ACCESS_LIFETIME.total_seconds()),
            "access_token": token.access,
            "scope": " ".join(sorted(token.scopes)),
        }
        if token.refresh:
            body["refresh_token"] = token.refresh
        return 200, body, {}

    def _revoke(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self.unknown_fields(entry, {"token", "client_id", "token_type_hint"})
        if entry.fields.get("client_id") != self.client_id:
            self.deviation(entry, "a public client sends its client_id in the body")
        value = str(entry.fields.get("token") or "")
        token = self.tokens.get(value) or self.refresh_tokens.pop(value, None)
        if token is not None:
            token.revoked = True
        return 200, {"revoked": True}, {}

    # --- users -------------------------------------------------------------------------------

    @staticmethod
    def _user_json(user: User) -> dict:
        return {"id": user.id, "name": user.name, "username": user.username}

    def _me(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        return 200, {"data": self._user_json(self.users[token.user_id])}, {}

    def _known_user(self, user_id: str) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise self.error(
                404,
                "Not Found Error",
                f"Could not find user with id: [{user_id}].",
                X_PROBLEMS + "resource-not-found",
                resource_type="user",
                resource_id=user_id,
                parameter="id",
                value=user_id,
            )
        return user

    def _page(
        self, entry: LoggedRequest, what: str, items: list, size: int
    ) -> tuple[list, str | None]:
        token = (entry.query.get("pagination_token") or [None])[-1]
        offset = 0
        if token is not None:
            known = self._pages.get(token)
            if known is None or known[0] != what:
                self.deviation(entry, "a pagination_token this server never gave out")
                raise self.invalid_request(
                    "The `pagination_token` query parameter value is not valid."
                )
            offset = known[1]
        page = items[offset : offset + size]
        next_token = None
        if offset + size < len(items):
            next_token = secrets.token_hex(8)
            self._pages[next_token] = (what, offset + size)
        return page, next_token

    def _user_posts(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self._signed_in(entry)
        user = self._known_user(groups["id"])
        query = {name: values[-1] for name, values in entry.query.items()}
        posts = [p for p in self.posts.values() if p.author_id == user.id and not p.deleted]
        if "start_time" in query:
            posts = [p for p in posts if p.created_at >= _parse_time(query["start_time"])]
        if "end_time" in query:
            posts = [p for p in posts if p.created_at <= _parse_time(query["end_time"])]
        if "since_id" in query:
            posts = [p for p in posts if int(p.id) > int(query["since_id"])]
        if "until_id" in query:
            posts = [p for p in posts if int(p.id) < int(query["until_id"])]
        posts.sort(key=lambda p: (p.created_at, int(p.id)), reverse=True)
        page, next_token = self._page(
            entry, f"posts:{user.id}", posts, int(query.get("max_results", 10))
        )
        # The document names it `post.fields`; X's pages still say `tweet.fields`.
        fields = set(query.get("post.fields", query.get("tweet.fields", "")).split(","))
        data = []
        for post in page:
            item = {"id": post.id, "text": post.text, "edit_history_post_ids": [post.id]}
            if "created_at" in fields:
                item["created_at"] = _timestamp(post.created_at)
            if "author_id" in fields:
                item["author_id"] = post.author_id
            if "attachments" in fields and post.media_ids:
                item["attachments"] = {
                    "media_keys": [self.media[m].media_key for m in post.media_ids]
                }
            data.append(item)
        meta: dict = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        if next_token:
            meta["next_token"] = next_token
        body = {"data": data, "meta": meta} if data else {"meta": meta}
        return 200, body, {}

    def _following(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self._signed_in(entry)
        user = self._known_user(groups["id"])
        followed = [self.users[i] for i in self.followed] if user.id == self.account.id else []
        size = int((entry.query.get("max_results") or ["100"])[-1])
        page, next_token = self._page(entry, f"following:{user.id}", followed, size)
        meta: dict = {"result_count": len(page)}
        if next_token:
            meta["next_token"] = next_token
        body: dict = {"meta": meta}
        if page:
            body["data"] = [self._user_json(u) for u in page]
        return 200, body, {}

    # --- posts -------------------------------------------------------------------------------

    def _create_post(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        fields = entry.fields
        text = str(fields.get("text") or "")
        media_ids = list((fields.get("media") or {}).get("media_ids") or [])
        if not text and not media_ids:
            self.deviation(entry, "a post without text or media")
            raise self.invalid_request("Post text or media is required.")
        for media_id in media_ids:
            media = self.media.get(media_id)
            if media is None or media.owner_id != token.user_id:
                self.deviation(entry, f"media id {media_id} was never uploaded by this account")
                raise self.invalid_request("Your media IDs are invalid.")
            if not media.ready:
                self.deviation(
                    entry, f"media {media_id} is attached before its processing succeeded"
                )
                raise self.invalid_request("Your media IDs are invalid.")
        kinds = {self.media[m].category for m in media_ids}
        if len(kinds) > 1 or (kinds & {"tweet_video", "tweet_gif"} and len(media_ids) > 1):
            self.deviation(entry, "photos mixed with a video or GIF, or more than one video")
            raise self.invalid_request("Your media IDs are invalid.")
        reply = fields.get("reply") or {}
        if reply and reply.get("in_reply_to_tweet_id") not in self.posts:
            raise self.invalid_request("The parent post of this reply cannot be found.")
        if (
            any(
                p.text == text and p.author_id == token.user_id and not p.deleted
                for p in self.posts.values()
            )
            and text
        ):
            raise self.error(403, "Forbidden", DUPLICATE)
        post = Post(
            self.new_id(),
            token.user_id,
            text,
            self.now(),
            media_ids,
            fields.get("reply_settings"),
            reply.get("in_reply_to_tweet_id"),
        )
        self.posts[post.id] = post
        return (
            201,
            {"data": {"id": post.id, "text": post.text, "edit_history_post_ids": [post.id]}},
            {},
        )

    def _delete_post(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        post = self.posts.get(groups["id"])
        if post is None or post.deleted:
            raise self.error(
                404,
                "Not Found Error",
                f"Could not find tweet with id: [{groups['id']}].",
                X_PROBLEMS + "resource-not-found",
                resource_type="tweet",
                resource_id=groups["id"],
                parameter="id",
                value=groups["id"],
            )
        if post.author_id != token.user_id:
            raise self.error(403, "Forbidden", "You are not allowed to delete this Tweet.")
        post.deleted = True
        return 200, {"data": {"deleted": True}}, {}

    # --- media -------------------------------------------------------------------------------

    def raw_body_types(self) -> set[str]:
        # Read by the routes (`_payload`): X's `media` part is raw bytes, with or without a file
        # name, which the base would take for text.
        return {"multipart/form-data"}

    def _payload(self, entry: LoggedRequest) -> dict[str, object]:
        """The body's fields: JSON as is (media base64), multipart with `media` as bytes."""
        content_type = (entry.header("content-type") or "").split(";")[0].strip()
        if content_type != "multipart/form-data":
            fields = dict(entry.fields)
            if "media" in fields:
                try:
                    fields["media"] = base64.b64decode(str(fields["media"]), validate=True)
                except (binascii.Error, ValueError):
                    self.deviation(entry, "media is not base64")
                    raise self.invalid_request("media is not valid base64.") from None
            return fields
        header = f"Content-Type: {entry.header('content-type')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(header + entry.body)
        fields: dict[str, object] = {}
        for part in message.iter_parts():
            name = str(part.get_param("name", header="content-disposition"))
            payload = part.get_payload(decode=True) or b""
            if name == "media":  # raw bytes, with or without a file name
                fields[name] = payload
                entry.files[name] = UploadedFile(
                    part.get_filename() or "", part.get_content_type(), payload
                )
            else:
                fields[name] = entry.fields[name] = payload.decode(errors="replace")
        return fields

    def _owned_media(self, entry: LoggedRequest, token: Token, media_id: str) -> Media:
        media = self.media.get(media_id)
        if media is None or media.owner_id != token.user_id:
            self.deviation(entry, f"media id {media_id} is not an upload of this account")
            raise self.invalid_request("Invalid media id.")
        return media

    @staticmethod
    def _media_json(media: Media) -> dict:
        data: dict = {"id": media.id, "media_key": media.media_key, "expires_after_secs": 86400}
        if media.finalized:
            data["size"] = len(media.data)
        if media.finalized and media.media_type.startswith("video/"):
            if media.polls_left:
                data["processing_info"] = {
                    "state": "in_progress",
                    "check_after_secs": 1,
                    "progress_percent": 50,
                }
            else:
                data["processing_info"] = {"state": "succeeded", "progress_percent": 100}
        return data

    def _simple_upload(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        fields = self._payload(entry)
        data = fields.get("media")
        sniffed = sniff_image(data) if isinstance(data, bytes) else None
        if sniffed is None:
            self.deviation(entry, "the simple upload carries no well-formed image")
            raise self.invalid_request("media type unrecognized.")
        if fields.get("media_category") != "tweet_image":
            self.deviation(entry, "an image upload not in media_category tweet_image")
        media = Media(
            self.new_id(), token.user_id, str(fields.get("media_category")), sniffed[0], len(data)
        )
        media.segments[0] = data
        media.finalized = True
        self.media[media.id] = media
        body = self._media_json(media)
        body["image"] = {"image_type": sniffed[0], "w": sniffed[1], "h": sniffed[2]}
        return 200, {"data": body}, {}

    def _initialize(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        fields = entry.fields
        if "total_bytes" not in fields or "media_type" not in fields:
            self.deviation(entry, "initialize without total_bytes or media_type")
            raise self.invalid_request("total_bytes and media_type are required.")
        media = Media(
            self.new_id(),
            token.user_id,
            str(fields.get("media_category") or "tweet_image"),
            str(fields["media_type"]),
            int(fields["total_bytes"]),
        )
        if media.media_type.startswith("video/") and media.category != "tweet_video":
            self.deviation(entry, "a video not initialized in media_category tweet_video")
        self.media[media.id] = media
        return (
            200,
            {"data": {"id": media.id, "media_key": media.media_key, "expires_after_secs": 86400}},
            {},
        )

    def _append(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        media = self._owned_media(entry, token, groups["id"])
        if media.finalized:
            self.deviation(entry, "append after finalize")
            raise self.invalid_request("The media upload was already finalized.")
        fields = self._payload(entry)
        index = int(fields["segment_index"])
        if index in media.segments:
            self.deviation(entry, f"segment {index} sent twice")
        media.segments[index] = fields["media"]  # type: ignore[assignment]
        expires = int((self.now() + timedelta(days=1)).timestamp())
        return 200, {"data": {"expires_at": expires}}, {}

    def _finalize(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        media = self._owned_media(entry, token, groups["id"])
        if sorted(media.segments) != list(range(len(media.segments))):
            self.deviation(entry, f"segments {sorted(media.segments)} are not 0..n-1")
            raise self.invalid_request("Segments are missing.")
        if len(media.data) != media.total_bytes:
            self.deviation(
                entry, f"{len(media.data)} bytes arrived, total_bytes said {media.total_bytes}"
            )
            raise self.invalid_request("File size does not match total_bytes.")
        media.finalized = True
        media.polls_left = (
            self.video_processing_polls if media.media_type.startswith("video/") else 0
        )
        return 200, {"data": self._media_json(media)}, {}

    def _upload_status(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        media = self._owned_media(entry, token, entry.query["media_id"][-1])
        if not media.finalized:
            self.deviation(entry, "STATUS before finalize")
        elif media.polls_left:
            media.polls_left -= 1
        return 200, {"data": self._media_json(media)}, {}

    def _metadata(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        token = self._signed_in(entry)
        media = self._owned_media(entry, token, str(entry.fields["id"]))
        metadata = entry.fields.get("metadata") or {}
        alt = (metadata.get("alt_text") or {}).get("text")
        if alt is not None:
            media.alt_text = alt
        return 200, {"data": {"id": media.id, "associated_metadata": metadata}}, {}
