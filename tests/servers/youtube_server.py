"""A local YouTube Data API v3 for contract tests, held to Google's own discovery document.

Every request to a method of ../shared/oracles/youtube.v3-20261104.json has its query parameters
checked against the method's `parameters` and its JSON body against the method's request schema;
every answer against the response schema, or, for an error, against Google's error shape
(tests/servers/oracles.py, jsonschema). What the document does not allow is refused with Google's
400 and noted as a deviation, so the test fails unless it announced it. The token's scopes are
checked against the scopes the document lists for the method.

The resumable upload as Google's guide describes it (not in the document):
`POST /upload/youtube/v3/videos?uploadType=resumable&part=…` with the Video metadata and
`X-Upload-Content-Length` / `X-Upload-Content-Type` answers 200 with the session URI in
`Location`; `PUT` chunks with `Content-Range: bytes a-b/N` answer 308 with `Range: bytes=0-n`
until the last, which answers 200 with the Video resource; `Content-Range: bytes */N` asks how
much arrived. A chunk before the last must be a multiple of 256 KiB. The document's other upload
path, `/resumable/upload/youtube/v3/videos`, is accepted too.

Google's OAuth endpoints for an installed app (loopback redirect, PKCE): `GET /o/oauth2/v2/auth`
consents at once and redirects with `code`; `POST /token` exchanges it and refreshes. Refresh
tokens do not rotate; those of an app in "Testing" (`testing_mode`, on by default) die after 7
days (`advance(seconds)` lets time pass), answered `invalid_grant`.

Our channel's subscriptions (YouTube's following, for the friend audit): `subscribe(title,
handle)` adds one; `subscriptions.list?mine=true` pages through them and `channels.list?id=…`
(at most 50 ids) names the channels with their handle (`customUrl`) where they have one.

Google's words for the base's switches, in `{"error": {"code", "message", "errors": [{"reason",
"domain", "message"}]}}`: 401 `authError` for an expired (`expire_tokens`), revoked or unknown
token; 403 `forbidden` for a missing permission (`deny_permission`); `rate_limit(reset)`: 403
`quotaExceeded` (YouTube's daily quota; Google sends no rate-limit headers); `limit_uploads(True)`:
400 `uploadLimitExceeded` on a new upload; `fault(status)`: a 5xx (`backendError`) to hand to
`fail_next`.

Usage: `with YouTubeServer() as server: token = server.issue_token(SCOPES) ...`
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from tests.servers.contract import ContractServer, LoggedRequest, Reply, routes
from tests.servers.oracles import YouTubeDiscoveryValidator, YouTubeMethod

UPLOAD = "https://www.googleapis.com/auth/youtube.upload"
FORCE_SSL = "https://www.googleapis.com/auth/youtube.force-ssl"
ACCESS_LIFETIME = timedelta(hours=1)
TESTING_REFRESH_LIFETIME = timedelta(days=7)
CHUNK_GRANULARITY = 256 * 1024
_AUTH_PATHS = {"/o/oauth2/v2/auth", "/token", "/revoke"}
_UPLOAD_PATHS = ("/upload/youtube/v3/videos", "/resumable/upload/youtube/v3/videos")
QUOTA_MESSAGE = (
    'The request cannot be completed because you have exceeded your <a href="/youtube/v3/'
    'getting-started#quota">quota</a>.'
)
UPLOAD_LIMIT_MESSAGE = "The user has exceeded the number of videos they may upload."
AUTH_MESSAGE = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
    "or other valid authentication credential."
)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _AcceptedMedia:
    """The upload's accepted types (`video/*`, `application/octet-stream`), as the base asks;
    a chunk may come without a type (Google's own client sends none)."""

    def __contains__(self, content_type: object) -> bool:
        return isinstance(content_type, str) and (
            content_type.startswith("video/") or content_type in ("application/octet-stream", "")
        )


# --- records ----------------------------------------------------------------------------------


@dataclass
class Video:
    id: str
    snippet: dict
    status: dict
    data: bytes
    published_at: datetime
    deleted: bool = False


@dataclass
class Channel:
    """Another channel, one our channel may subscribe to; `handle` ("@…") where it has one."""

    id: str
    title: str
    handle: str | None
    subscribed_at: datetime


@dataclass
class Session:
    id: str
    metadata: dict
    parts: list[str]
    total: int | None
    content_type: str
    received: bytearray = field(default_factory=bytearray)
    video_id: str | None = None


@dataclass
class Token:
    access: str
    refresh: str | None
    scopes: frozenset[str]
    expires_at: datetime
    refresh_issued_at: datetime
    revoked: bool = False


@dataclass
class Grant:
    code: str
    redirect_uri: str
    scopes: frozenset[str]
    challenge: str
    method: str
    used: bool = False


ROUTES = routes(
    ("GET", r"/o/oauth2/v2/auth", "authorize"),
    ("POST", r"/token", "token"),
    ("POST", r"/revoke", "revoke"),
    ("POST", r"(/resumable)?/upload/youtube/v3/videos", "start_upload"),
    ("PUT", r"(/resumable)?/upload/youtube/v3/videos", "upload_chunk"),
    ("DELETE", r"/youtube/v3/videos", "delete_video"),
    ("GET", r"/youtube/v3/channels", "channels"),
    ("GET", r"/youtube/v3/playlistItems", "playlist_items"),
    ("GET", r"/youtube/v3/subscriptions", "subscriptions"),
)


def google_error(status: int, reason: str, message: str, domain: str = "global", **where) -> Reply:
    statuses = {
        400: "INVALID_ARGUMENT",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }
    error = {"message": message, "domain": domain, "reason": reason, **where}
    body = {"error": {"code": status, "message": message, "errors": [error]}}
    if status in statuses:
        body["error"]["status"] = statuses[status]
    return Reply(status, body)


class YouTubeServer(ContractServer):
    ROUTES = ROUTES
    network = "YouTube"

    def __init__(self, client_id: str = "postwijs-desktop.apps.googleusercontent.com"):
        super().__init__()
        self.oracle = YouTubeDiscoveryValidator()
        self.add_validator(self._check_request)
        self.client_id = client_id
        self.channel_id = "UCr3gEnb0oGSchoolChannel1"
        self.channel_title = "OBS De Regenboog"
        self.videos: dict[str, Video] = {}
        self.sessions: dict[str, Session] = {}
        self.tokens: dict[str, Token] = {}
        self.refresh_tokens: dict[str, Token] = {}
        self.grants: dict[str, Grant] = {}
        self.clock_offset = timedelta()
        self.testing_mode = True
        self.upload_limited = False
        self._ids = itertools.count(1)
        self._pages: dict[str, tuple[str, int]] = {}  # pageToken -> (list, offset)
        self.channels: dict[str, Channel] = {}
        self.subscribed: list[str] = []  # channel ids, in the order subscribed
        self._refusal: list[str] = []

    @property
    def uploads_playlist(self) -> str:
        return "UU" + self.channel_id[2:]

    # --- for tests -----------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.clock_offset += timedelta(seconds=seconds)

    def issue_token(self, scopes: str | frozenset[str]) -> Token:
        wanted = frozenset(scopes.split()) if isinstance(scopes, str) else frozenset(scopes)
        with self._lock:
            token = Token(
                "ya29." + secrets.token_urlsafe(32),
                "1//" + secrets.token_urlsafe(32),
                wanted,
                self.now() + ACCESS_LIFETIME,
                self.now(),
            )
            self.tokens[token.access] = token
            self.refresh_tokens[token.refresh] = token
            return token

    def add_video(
        self,
        title: str,
        published_at: datetime | None = None,
        description: str = "",
        data: bytes = b"",
    ) -> Video:
        with self._lock:
            video = Video(
                self._new_video_id(),
                {"title": title, "description": description},
                {"privacyStatus": "public"},
                data,
                published_at or self.now(),
            )
            self.videos[video.id] = video
            return video

    def subscribe(self, title: str, handle: str | None = None) -> Channel:
        """Our channel subscribes to another (YouTube's following)."""
        with self._lock:
            digest = hashlib.sha256(f"channel-{len(self.channels)}".encode()).digest()
            channel_id = "UC" + base64.urlsafe_b64encode(digest).decode()[:22]
            channel = Channel(channel_id, title, handle, self.now())
            self.channels[channel_id] = channel
            self.subscribed.append(channel_id)
            return channel

    def stored_videos(self) -> list[Video]:
        with self._lock:
            return sorted(
                (v for v in self.videos.values() if not v.deleted), key=lambda v: v.published_at
            )

    def limit_uploads(self, limited: bool) -> None:
        with self._lock:
            self.upload_limited = limited

    def expire_tokens(self) -> None:
        with self._lock:
            super().expire_tokens()
            for token in self.tokens.values():
                token.expires_at = min(token.expires_at, self.now() - timedelta(seconds=1))

    def _new_video_id(self) -> str:
        digest = hashlib.sha256(f"video-{next(self._ids)}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()[:11]

    # --- Google's words ----------------------------------------------------------------------

    def not_found_reply(self) -> Reply:
        return google_error(404, "notFound", "Not Found")

    def fault(self, status: int = 503) -> tuple[int, object, dict[str, str]]:
        """A server fault in Google's words, for `fail_next(method, path, *server.fault(503))`."""
        if status == 503:
            reply = google_error(503, "backendError", "The service is currently unavailable.")
        else:
            reply = google_error(status, "backendError", "Backend Error")
        return reply.status, reply.body, reply.headers

    def bad_body_reply(self) -> Reply:
        return google_error(400, "parseError", "Parse Error")

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return google_error(
            403, "forbidden", "The request is not properly authorized.", "youtube.common"
        )

    def over_rate_limit(self, entry: LoggedRequest) -> bool:
        # The quota is spent by calls, not by the chunks of an upload already begun.
        return (
            entry.path not in _AUTH_PATHS
            and entry.method != "PUT"
            and self.rate_limited_until is not None
        )

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        return google_error(403, "quotaExceeded", QUOTA_MESSAGE, "youtube.quota")

    def raw_body_types(self):  # type: ignore[override]
        return _AcceptedMedia()

    # --- the oracle ------------------------------------------------------------------------

    def _method(self, entry: LoggedRequest) -> YouTubeMethod | None:
        http_method = "POST" if entry.method == "PUT" else entry.method
        return self.oracle.method(http_method, entry.path)

    def _check_request(self, entry: LoggedRequest) -> list[str]:
        self._refusal = []
        method = self._method(entry)
        if method is None or entry.path in _AUTH_PATHS or entry.method == "PUT":
            return []  # a chunk of the resumable protocol: the guide's, checked by the route
        problems = self.oracle.parameters(method, entry.query)
        if entry.method != "PUT":
            content_type = (entry.header("content-type") or "").split(";")[0]
            if entry.body and content_type != "application/json":
                problems.append(f"{method.name}: the metadata is not JSON but {content_type}")
            elif entry.body or method.request:
                problems += self.oracle.request(method, entry.fields if entry.body else None)
        self._refusal = problems
        return problems

    def _dispatch(self, entry: LoggedRequest):
        try:
            status, payload, headers = super()._dispatch(entry)
        except Reply as reply:
            self._check_answer(entry, reply.status, reply.body)
            raise
        self._check_answer(entry, status, payload)
        return status, payload, headers

    def _check_answer(self, entry: LoggedRequest, status: int, payload: object) -> None:
        if entry.path in _AUTH_PATHS:
            return
        method = self._method(entry)
        problems = []
        if status >= 400:
            problems = self.oracle.error(payload)
        elif method is not None and status in (200, 201) and payload is not None:
            problems = self.oracle.answer(method, status, payload)
        for problem in problems:
            self.deviation(entry, f"answer {status}: {problem}")

    def _signed_in(self, entry: LoggedRequest) -> Token:
        problems, self._refusal = self._refusal, []
        if problems:
            raise google_error(400, "invalid", "; ".join(problems))
        header = entry.header("authorization") or ""
        if not header.startswith("Bearer "):
            self.deviation(entry, "no Authorization: Bearer")
            raise google_error(
                401, "authError", AUTH_MESSAGE, location="Authorization", locationType="header"
            )
        token = self.tokens.get(header.removeprefix("Bearer "))
        if token is None:
            self.deviation(entry, "a Bearer token this server never gave out")
        if (
            token is None
            or token.revoked
            or token.access in self.revoked_tokens
            or token.expires_at <= self.now()
        ):
            raise google_error(
                401, "authError", AUTH_MESSAGE, location="Authorization", locationType="header"
            )
        method = self._method(entry)
        if method is not None and not (method.scopes & token.scopes):
            self.deviation(entry, f"{method.name} needs one of {sorted(method.scopes)}")
            raise google_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            )
        return token

    # --- OAuth for installed apps ------------------------------------------------------------

    def _authorize(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        query = {name: values[-1] for name, values in entry.query.items()}
        problems = []
        if query.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if query.get("response_type") != "code":
            problems.append("response_type is not code")
        if not re.fullmatch(
            r"http://(127\.0\.0\.1|\[::1\]):\d+(/.*)?", query.get("redirect_uri", "")
        ):
            problems.append("redirect_uri is not a loopback IP address with a port")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            problems.append("no PKCE code_challenge with S256")
        if query.get("access_type") != "offline":
            problems.append("access_type is not offline: no refresh token would come")
        scopes = frozenset(query.get("scope", "").split())
        if not scopes:
            problems.append("no scope")
        if problems:
            for problem in problems:
                self.deviation(entry, problem)
            return 400, b"Error 400: invalid_request", {}
        grant = Grant(
            "4/" + secrets.token_urlsafe(32),
            query["redirect_uri"],
            scopes,
            query["code_challenge"],
            query["code_challenge_method"],
        )
        self.grants[grant.code] = grant
        answer = {"code": grant.code, "scope": " ".join(sorted(scopes))}
        if "state" in query:
            answer = {"state": query["state"], **answer}
        return 302, None, {"Location": f"{grant.redirect_uri}?{urlencode(answer)}"}

    def _token(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        fields = entry.fields
        if fields.get("client_id") != self.client_id:
            self.deviation(entry, "the token request does not name the Desktop client_id")
            raise Reply(
                401,
                {"error": "invalid_client", "error_description": "The OAuth client was not found."},
            )
        grant_type = fields.get("grant_type")
        if grant_type == "authorization_code":
            self.unknown_fields(
                entry,
                {
                    "grant_type",
                    "code",
                    "redirect_uri",
                    "code_verifier",
                    "client_id",
                    "client_secret",
                },
            )
            grant = self.grants.get(str(fields.get("code")))
            if grant is None or grant.used:
                raise Reply(
                    400, {"error": "invalid_grant", "error_description": "Malformed auth code."}
                )
            if fields.get("redirect_uri") != grant.redirect_uri:
                self.deviation(entry, "redirect_uri differs from the one at authorize")
                raise Reply(
                    400, {"error": "redirect_uri_mismatch", "error_description": "Bad Request"}
                )
            verifier = str(fields.get("code_verifier") or "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if challenge != grant.challenge:
                self.deviation(entry, "code_verifier does not match the code_challenge")
                raise Reply(
                    400, {"error": "invalid_grant", "error_description": "Invalid code verifier."}
                )
            grant.used = True
            token = self.issue_token(grant.scopes)
            body = {
                "access_token": token.access,
                "expires_in": 3599,
                "refresh_token": token.refresh,
                "scope": " ".join(sorted(token.scopes)),
                "token_type": "Bearer",
            }
            return 200, body, {}
        if grant_type == "refresh_token":
            self.unknown_fields(
                entry, {"grant_type", "refresh_token", "client_id", "client_secret", "scope"}
            )
            old = self.refresh_tokens.get(str(fields.get("refresh_token")))
            dead = (
                old is None
                or old.revoked
                or (
                    self.testing_mode
                    and self.now() - old.refresh_issued_at > TESTING_REFRESH_LIFETIME
                )
            )
            if dead:
                raise Reply(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            # Google's refresh tokens do not rotate: a new access token, the same refresh token.
            token = Token(
                "ya29." + secrets.token_urlsafe(32),
                old.refresh,
                old.scopes,
                self.now() + ACCESS_LIFETIME,
                old.refresh_issued_at,
            )
            self.tokens[token.access] = token
            body = {
                "access_token": token.access,
                "expires_in": 3599,
                "scope": " ".join(sorted(token.scopes)),
                "token_type": "Bearer",
            }
            return 200, body, {}
        self.deviation(entry, f"unsupported grant_type {grant_type!r}")
        raise Reply(
            400,
            {
                "error": "unsupported_grant_type",
                "error_description": "Invalid grant_type: " + str(grant_type),
            },
        )

    def _revoke(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        value = (entry.query.get("token") or [str(entry.fields.get("token", ""))])[-1]
        token = self.tokens.get(value) or self.refresh_tokens.get(value)
        if token is None:
            return (
                400,
                {"error": "invalid_token", "error_description": "Token expired or revoked"},
                {},
            )
        token.revoked = True
        for other in self.tokens.values():
            if other.refresh == token.refresh:
                other.revoked = True
        return 200, {}, {}

    # --- videos.insert, resumable -----------------------------------------------------------

    def _video_json(self, video: Video, parts: list[str]) -> dict:
        body: dict = {"kind": "youtube#video", "etag": secrets.token_hex(8), "id": video.id}
        if "snippet" in parts:
            body["snippet"] = {
                "publishedAt": _timestamp(video.published_at),
                "channelId": self.channel_id,
                "title": video.snippet.get("title", ""),
                "description": video.snippet.get("description", ""),
                "thumbnails": {
                    "default": {
                        "url": f"https://i.ytimg.com/vi/{video.id}/default.jpg",
                        "width": 120,
                        "height": 90,
                    }
                },
                "channelTitle": self.channel_title,
                "categoryId": video.snippet.get("categoryId", "22"),
                "liveBroadcastContent": "none",
                "localized": {
                    "title": video.snippet.get("title", ""),
                    "description": video.snippet.get("description", ""),
                },
            }
            if video.snippet.get("tags"):
                body["snippet"]["tags"] = video.snippet["tags"]
        if "status" in parts:
            made_for_kids = bool(video.status.get("selfDeclaredMadeForKids", False))
            body["status"] = {
                "uploadStatus": "uploaded",
                "privacyStatus": video.status.get("privacyStatus", "public"),
                "license": video.status.get("license", "youtube"),
                "embeddable": video.status.get("embeddable", True),
                "publicStatsViewable": video.status.get("publicStatsViewable", True),
                "madeForKids": made_for_kids,
                "selfDeclaredMadeForKids": made_for_kids,
                "containsSyntheticMedia": bool(video.status.get("containsSyntheticMedia", False)),
            }
        return body

    def _metadata_problems(self, metadata: dict, parts: list[str]) -> list[tuple[str, str]]:
        """Refusals of videos.insert that the schema cannot express (its error reasons)."""
        found = []
        for name in metadata:
            if name not in ("kind", "etag", "id") and name not in parts:
                found.append(("unexpectedPart", f"the body has {name!r} but part does not name it"))
        snippet = metadata.get("snippet") or {}
        title = snippet.get("title")
        if not title or len(title) > 100 or re.search(r"[<>]", title):
            found.append(
                ("invalidTitle", "The request metadata specifies an invalid or empty video title.")
            )
        description = snippet.get("description", "")
        if len(description.encode()) > 5000 or re.search(r"[<>]", description):
            found.append(
                (
                    "invalidDescription",
                    "The request metadata specifies an invalid video description.",
                )
            )
        status = metadata.get("status") or {}
        if "publishAt" in status and status.get("privacyStatus") != "private":
            found.append(("invalidPublishAt", "publishAt needs privacyStatus private."))
        return found

    def _start_upload(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self._signed_in(entry)
        if (entry.query.get("uploadType") or [""])[-1] != "resumable":
            self.deviation(entry, "not the resumable upload protocol")
            raise google_error(400, "invalid", "Only uploadType=resumable is served here.")
        parts = [p.strip() for value in entry.query.get("part", []) for p in value.split(",")]
        metadata = entry.fields
        problems = self._metadata_problems(metadata, parts)
        if problems:
            for _, text in problems:
                self.deviation(entry, text)
            reason, text = problems[0]
            raise google_error(400, reason, text, "youtube.video")
        if self.upload_limited:
            raise google_error(400, "uploadLimitExceeded", UPLOAD_LIMIT_MESSAGE, "youtube.video")
        length = entry.header("x-upload-content-length")
        content_type = entry.header("x-upload-content-type") or "application/octet-stream"
        if not content_type or content_type not in _AcceptedMedia():
            self.deviation(
                entry,
                f"X-Upload-Content-Type {content_type} is not video/* or application/octet-stream",
            )
        if length is not None and not length.isdigit():
            self.deviation(entry, "X-Upload-Content-Length is not a number")
            length = None
        session = Session(
            secrets.token_urlsafe(24),
            metadata,
            parts,
            int(length) if length else None,
            content_type,
        )
        self.sessions[session.id] = session
        query = urlencode(
            {"uploadType": "resumable", "part": ",".join(parts), "upload_id": session.id}
        )
        return (
            200,
            None,
            {
                "Location": f"{self.base_url}{entry.path}?{query}",
                "X-GUploader-UploadID": session.id,
            },
        )

    def _range_headers(self, session: Session) -> dict[str, str]:
        return {"Range": f"bytes=0-{len(session.received) - 1}"} if session.received else {}

    def _upload_chunk(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        session = self.sessions.get((entry.query.get("upload_id") or [""])[-1])
        if session is None:
            self.deviation(entry, "a session URI this server never gave out")
            raise google_error(404, "notFound", "No such upload session.")
        self._signed_in(entry)
        if session.video_id is not None:
            video = self.videos[session.video_id]
            return 200, self._video_json(video, session.parts), {}
        header = entry.header("content-range")
        total = session.total
        if header is None:
            start, end, claimed = 0, len(entry.body) - 1, len(entry.body)
        else:
            match = re.fullmatch(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)", header.strip())
            if match is None:
                self.deviation(entry, f"Content-Range {header!r} is not bytes a-b/N or bytes */N")
                raise google_error(400, "badContent", "Invalid Content-Range.")
            claimed = None if match.group(3) == "*" else int(match.group(3))
            if match.group(1) is None:  # "bytes */N": how much arrived?
                if entry.body:
                    self.deviation(entry, "a status query with a body")
                return 308, None, self._range_headers(session)
            start, end = int(match.group(1)), int(match.group(2))
        if claimed is not None:
            if total is not None and claimed != total:
                self.deviation(
                    entry, f"total {claimed} differs from X-Upload-Content-Length {total}"
                )
            total = session.total = claimed
        if end - start + 1 != len(entry.body):
            self.deviation(
                entry, f"Content-Range says {end - start + 1} bytes, the body has {len(entry.body)}"
            )
            raise google_error(400, "badContent", "Content-Range does not match the body.")
        have = len(session.received)
        if start > have:
            self.deviation(entry, f"a chunk from byte {start} while only {have} bytes arrived")
            return 308, None, self._range_headers(session)
        last = total is not None and end + 1 == total
        if not last and len(entry.body) % CHUNK_GRANULARITY:
            self.deviation(entry, "a chunk before the last is not a multiple of 256 KiB")
        session.received[start:] = entry.body
        if total is None or len(session.received) < total:
            return 308, None, self._range_headers(session)
        video = Video(
            self._new_video_id(),
            dict(session.metadata.get("snippet") or {}),
            dict(session.metadata.get("status") or {}),
            bytes(session.received),
            self.now(),
        )
        self.videos[video.id] = video
        session.video_id = video.id
        return 200, self._video_json(video, session.parts), {}

    # --- videos.delete, channels.list, playlistItems.list, subscriptions.list --------------

    def _delete_video(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self._signed_in(entry)
        video_id = entry.query["id"][-1]
        video = self.videos.get(video_id)
        if video is None or video.deleted:
            raise google_error(
                404,
                "videoNotFound",
                'The video identified by the <code><a href="/youtube/v3/docs/videos/delete#id">id</a></code> parameter could not be found.',
                "youtube.video",
                location="id",
                locationType="parameter",
            )
        video.deleted = True
        return 204, None, {}

    def _channels(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self._signed_in(entry)
        parts = [p for value in entry.query["part"] for p in value.split(",")]
        if "id" in entry.query:
            return 200, self._other_channels(entry, parts), {}
        if (entry.query.get("mine") or [""])[-1] != "true":
            self.deviation(entry, "channels.list without mine=true or id: not our own channel")
        channel: dict = {
            "kind": "youtube#channel",
            "etag": secrets.token_hex(8),
            "id": self.channel_id,
        }
        if "snippet" in parts:
            channel["snippet"] = {
                "title": self.channel_title,
                "description": "",
                "customUrl": "@obsderegenboog",
                "publishedAt": "2019-09-01T08:00:00Z",
            }
        if "contentDetails" in parts:
            channel["contentDetails"] = {
                "relatedPlaylists": {"likes": "", "uploads": self.uploads_playlist}
            }
        body = {
            "kind": "youtube#channelListResponse",
            "etag": secrets.token_hex(8),
            "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
            "items": [channel],
        }
        return 200, body, {}

    def _other_channels(self, entry: LoggedRequest, parts: list[str]) -> dict:
        """channels.list?id=a,b,…: the channels Google knows among those ids (at most 50)."""
        ids = [i for value in entry.query["id"] for i in value.split(",") if i]
        if len(ids) > 50:
            self.deviation(entry, f"channels.list with {len(ids)} ids: Google takes 50 at most")
            raise google_error(400, "invalid", "Too many ids.", location="id")
        items = []
        for channel in (self.channels[i] for i in ids if i in self.channels):
            item: dict = {"kind": "youtube#channel", "etag": secrets.token_hex(8), "id": channel.id}
            if "snippet" in parts:
                item["snippet"] = {
                    "title": channel.title,
                    "description": "",
                    "publishedAt": "2021-03-01T12:00:00Z",
                }
                if channel.handle:
                    item["snippet"]["customUrl"] = channel.handle
            items.append(item)
        return {
            "kind": "youtube#channelListResponse",
            "etag": secrets.token_hex(8),
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(ids)},
            "items": items,
        }

    def _page_offset(self, entry: LoggedRequest, kind: str) -> int:
        """Where a page of `kind` starts: 0, or where the pageToken this server gave out says."""
        token = (entry.query.get("pageToken") or [None])[-1]
        if token is None:
            return 0
        if self._pages.get(token, ("", 0))[0] != kind:
            self.deviation(entry, "a pageToken this server never gave out")
            raise google_error(
                400,
                "invalidPageToken",
                "The request specifies an invalid page token.",
                "youtube.parameter",
                location="pageToken",
                locationType="parameter",
            )
        return self._pages[token][1]

    def _next_page(self, body: dict, kind: str, next_offset: int, total: int) -> None:
        """A nextPageToken in `body` while items of `kind` remain after `next_offset`."""
        if next_offset < total:
            next_token = secrets.token_urlsafe(8)
            self._pages[next_token] = (kind, next_offset)
            body["nextPageToken"] = next_token

    def _subscriptions(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        """subscriptions.list?mine=true: whom our channel subscribes to, newest first, paged."""
        self._signed_in(entry)
        if (entry.query.get("mine") or [""])[-1] != "true":
            self.deviation(entry, "subscriptions.list without mine=true: not our own channel")
        parts = [p for value in entry.query["part"] for p in value.split(",")]
        size = int((entry.query.get("maxResults") or ["5"])[-1])
        offset = self._page_offset(entry, "subscriptions")
        channels = [self.channels[i] for i in reversed(self.subscribed)]
        items = []
        for channel in channels[offset : offset + size]:
            item: dict = {
                "kind": "youtube#subscription",
                "etag": secrets.token_hex(8),
                "id": secrets.token_urlsafe(32),
            }
            if "snippet" in parts:
                item["snippet"] = {
                    "publishedAt": _timestamp(channel.subscribed_at),
                    "title": channel.title,
                    "description": "",
                    "resourceId": {"kind": "youtube#channel", "channelId": channel.id},
                    "channelId": self.channel_id,
                    "thumbnails": {"default": {"url": f"https://yt3.ggpht.com/{channel.id}=s88"}},
                }
            items.append(item)
        body: dict = {
            "kind": "youtube#subscriptionListResponse",
            "etag": secrets.token_hex(8),
            "items": items,
            "pageInfo": {"totalResults": len(channels), "resultsPerPage": size},
        }
        self._next_page(body, "subscriptions", offset + size, len(channels))
        return 200, body, {}

    def _playlist_items(self, entry: LoggedRequest, groups: dict) -> tuple[int, object, dict]:
        self._signed_in(entry)
        playlist = (entry.query.get("playlistId") or [""])[-1]
        if playlist != self.uploads_playlist:
            self.deviation(entry, f"playlist {playlist!r} is not the channel's uploads playlist")
            raise google_error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's <code>playlistId</code> parameter cannot be found.",
                "youtube.playlistItem",
                location="playlistId",
                locationType="parameter",
            )
        size = int((entry.query.get("maxResults") or ["5"])[-1])
        offset = self._page_offset(entry, "playlistItems")
        videos = sorted(self.stored_videos(), key=lambda v: v.published_at, reverse=True)
        page = videos[offset : offset + size]
        parts = [p for value in entry.query["part"] for p in value.split(",")]
        items = []
        for position, video in enumerate(page, start=offset):
            item: dict = {
                "kind": "youtube#playlistItem",
                "etag": secrets.token_hex(8),
                "id": secrets.token_urlsafe(12),
            }
            if "snippet" in parts:
                item["snippet"] = {
                    "publishedAt": _timestamp(video.published_at),
                    "channelId": self.channel_id,
                    "title": video.snippet.get("title", ""),
                    "description": video.snippet.get("description", ""),
                    "channelTitle": self.channel_title,
                    "playlistId": playlist,
                    "position": position,
                    "resourceId": {"kind": "youtube#video", "videoId": video.id},
                    "videoOwnerChannelId": self.channel_id,
                }
            if "contentDetails" in parts:
                item["contentDetails"] = {
                    "videoId": video.id,
                    "videoPublishedAt": _timestamp(video.published_at),
                }
            items.append(item)
        body: dict = {
            "kind": "youtube#playlistItemListResponse",
            "etag": secrets.token_hex(8),
            "items": items,
            "pageInfo": {"totalResults": len(videos), "resultsPerPage": size},
        }
        self._next_page(body, "playlistItems", offset + size, len(videos))
        return 200, body, {}
