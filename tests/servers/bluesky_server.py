"""A small Bluesky PDS speaking XRPC, on the contract-server base, for the failure cases.

The real PDS in tests/servers/pds is the reference for what works; it cannot be made to answer a
rate limit, an expired token or a dropped connection on cue. This server answers those the way a
PDS does: XRPC errors as {"error", "message"}; an expired access or refresh token is HTTP 400
ExpiredToken; a token the PDS does not accept is 401 InvalidToken; a refused sign-in 401
AuthenticationRequired; a spent budget 429 RateLimitExceeded with the RateLimit-Limit,
-Remaining, -Reset (epoch seconds) and -Policy headers.

Routes: createSession, refreshSession, getSession, deleteSession, uploadBlob, createRecord,
listRecords (newest first, cursor), deleteRecord, resolveHandle, getProfiles. Every post record
is checked against the app.bsky.feed.post lexicon by a validator plugged into the base.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

import regex

from tests.servers.contract import Answer, ContractServer, LoggedRequest, Reply, routes
from tests.servers.images import sniff_image

_GRAPHEME = regex.compile(r"\X")
POST = "app.bsky.feed.post"
FOLLOW = "app.bsky.graph.follow"
MAX_POST_GRAPHEMES = 300  # app.bsky.feed.post#text maxGraphemes
MAX_POST_BYTES = 3000  # maxLength (UTF-8 bytes)
MAX_IMAGES = 4  # app.bsky.embed.images maxLength
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}

ROUTES = routes(
    ("POST", r"/xrpc/com\.atproto\.server\.createSession", "create_session"),
    ("POST", r"/xrpc/com\.atproto\.server\.refreshSession", "refresh_session"),
    ("GET", r"/xrpc/com\.atproto\.server\.getSession", "get_session"),
    ("POST", r"/xrpc/com\.atproto\.server\.deleteSession", "delete_session"),
    ("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob", "upload_blob"),
    ("POST", r"/xrpc/com\.atproto\.repo\.createRecord", "create_record"),
    ("GET", r"/xrpc/com\.atproto\.repo\.listRecords", "list_records"),
    ("POST", r"/xrpc/com\.atproto\.repo\.deleteRecord", "delete_record"),
    ("GET", r"/xrpc/com\.atproto\.identity\.resolveHandle", "resolve_handle"),
    ("GET", r"/xrpc/app\.bsky\.actor\.getProfiles", "get_profiles"),
)


def _error(status: int, error: str, message: str) -> Reply:
    return Reply(status, {"error": error, "message": message})


@dataclass
class Record:
    rkey: str
    collection: str
    value: dict
    deleted: bool = False


@dataclass
class SessionTokens:
    access: str
    refresh: str
    password: str
    expired: bool = False
    access_expired: bool = False  # the access token's hour is up; the refresh token still works


@dataclass
class Blob:
    cid: str
    mime_type: str
    size: int


@dataclass
class Account:
    did: str
    handle: str
    app_password: str
    records: list[Record] = field(default_factory=list)


def post_record_problems(entry: LoggedRequest) -> list[str]:
    """A createRecord of a post, against the app.bsky.feed.post and embed.images lexicons."""
    if not entry.path.endswith("createRecord") or entry.fields.get("collection") != POST:
        return []
    record = entry.fields.get("record")
    if not isinstance(record, dict):
        return ["record is not an object"]
    problems = []
    if record.get("$type") != POST:
        problems.append("record $type is not app.bsky.feed.post")
    text = record.get("text")
    if not isinstance(text, str):
        problems.append("record text is missing")
    elif len(_GRAPHEME.findall(text)) > MAX_POST_GRAPHEMES:
        problems.append("text is longer than 300 graphemes")
    elif len(text.encode()) > MAX_POST_BYTES:
        problems.append("text is longer than 3000 bytes")
    try:
        datetime.fromisoformat(str(record.get("createdAt")).replace("Z", "+00:00"))
    except ValueError:
        problems.append("createdAt is not a datetime")
    langs = record.get("langs", [])
    if not isinstance(langs, list) or len(langs) > 3:
        problems.append("langs is not a list of at most 3 languages")
    embed = record.get("embed")
    if embed is not None:
        images = embed.get("images") if isinstance(embed, dict) else None
        if embed.get("$type") != "app.bsky.embed.images" or not isinstance(images, list):
            problems.append("embed is not app.bsky.embed.images")
        elif not 1 <= len(images) <= MAX_IMAGES:
            problems.append("embed holds more than 4 images")
        else:
            for image in images:
                if not isinstance(image, dict) or not isinstance(image.get("alt"), str):
                    problems.append("an image has no alt (required, may be empty)")
                elif not isinstance(image.get("image"), dict):
                    problems.append("an image has no blob")
    return problems


class BlueskyServer(ContractServer):
    ROUTES = ROUTES
    network = "Bluesky"

    def __init__(self, handle: str = "regenboog.bsky.social", app_password: str = ""):
        super().__init__()
        self.account = Account(
            did="did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24],
            handle=handle,
            app_password=app_password or "abcd-efgh-ijkl-mnop",
        )
        self.others: dict[str, str] = {}  # handle -> did, accounts elsewhere
        self.sessions: list[SessionTokens] = []
        self.blobs: dict[str, Blob] = {}
        self.budget = 3000
        self._sequence = 0
        self.add_validator(post_record_problems)

    # --- test helpers --------------------------------------------------------------------

    def posts(self) -> list[dict]:
        """The post records that exist, oldest first."""
        with self._lock:
            return [r.value for r in self.account.records if r.collection == POST and not r.deleted]

    def expire_access_tokens(self) -> None:
        """Every access token given out so far has expired; the refresh tokens still work."""
        with self._lock:
            for session in self.sessions:
                session.access_expired = True

    def add_post(self, text: str, created_at: datetime) -> None:
        """A post Postwijs did not place (for example days ago)."""
        with self._lock:
            moment = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            self._store(POST, {"$type": POST, "text": text, "createdAt": moment})

    def follow(self, handle: str) -> None:
        with self._lock:
            did = self.others.setdefault(
                handle, "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]
            )
            self._store(FOLLOW, {"$type": FOLLOW, "subject": did, "createdAt": _now()})

    # --- the base's hooks ----------------------------------------------------------------

    def raw_body_types(self) -> set[str]:
        return IMAGE_TYPES

    def over_rate_limit(self, entry: LoggedRequest) -> bool:
        return self.rate_limited_until is not None and "createSession" not in entry.path

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        reset = int(self.rate_limited_until.timestamp()) if self.rate_limited_until else 0
        return Reply(
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {
                "RateLimit-Limit": str(self.budget),
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(reset),
                "RateLimit-Policy": f"{self.budget};w=300",
            },
        )

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return _error(401, "InvalidToken", "Bad token scope")

    def not_found_reply(self) -> Reply:
        return _error(501, "MethodNotImplemented", "Method Not Implemented")

    def bad_body_reply(self) -> Reply:
        return _error(400, "InvalidRequest", "Invalid request body")

    # --- sessions ------------------------------------------------------------------------

    def _bearer(self, entry: LoggedRequest) -> str:
        kind, _sep, value = (entry.header("authorization") or "").partition(" ")
        if kind != "Bearer" or not value:
            self.deviation(entry, "no Bearer token")
            raise _error(401, "AuthMissing", "Authentication Required")
        return value

    def _session(self, entry: LoggedRequest, refresh: bool = False) -> SessionTokens:
        value = self._bearer(entry)
        for session in self.sessions:
            if value in (session.access, session.refresh):
                if (value == session.refresh) != refresh:
                    self.deviation(entry, "the wrong one of the two tokens")
                    raise _error(400, "InvalidToken", "Invalid token type")
                if value in self.revoked_tokens or session.password in self.revoked_tokens:
                    raise _error(401, "InvalidToken", "Token has been revoked")
                if (
                    session.expired
                    or self.tokens_expired
                    or (session.access_expired and not refresh)
                ):
                    raise _error(400, "ExpiredToken", "Token has expired")
                return session
        raise _error(401, "InvalidToken", "Token could not be verified")

    def _session_json(self, session: SessionTokens) -> dict:
        return {
            "accessJwt": session.access,
            "refreshJwt": session.refresh,
            "handle": self.account.handle,
            "did": self.account.did,
            "active": True,
        }

    def _new_session(self, password: str) -> SessionTokens:
        session = SessionTokens(secrets.token_urlsafe(24), secrets.token_urlsafe(24), password)
        self.sessions.append(session)
        return session

    def _create_session(self, entry: LoggedRequest, params: dict) -> Answer:
        self.unknown_fields(entry, {"identifier", "password", "authFactorToken"})
        identifier = entry.fields.get("identifier")
        password = entry.fields.get("password")
        if not isinstance(identifier, str) or not isinstance(password, str):
            self.deviation(entry, "identifier and password are required")
            raise _error(400, "InvalidRequest", "Input must have the property identifier")
        known = identifier.lstrip("@").lower() in (self.account.handle, self.account.did)
        if not known or password != self.account.app_password or password in self.revoked_tokens:
            raise _error(401, "AuthenticationRequired", "Invalid identifier or password")
        if self.tokens_expired:  # what was given out before expired; this one is new
            for old in self.sessions:
                old.expired = True
            self.tokens_expired = False
        return 200, self._session_json(self._new_session(password)), {}

    def _refresh_session(self, entry: LoggedRequest, params: dict) -> Answer:
        old = self._session(entry, refresh=True)
        # The refresh token is spent; the old access token is a signed token that the PDS still
        # recognises, and answers ExpiredToken for once its time is up.
        old.refresh = "spent:" + secrets.token_urlsafe(8)
        return 200, self._session_json(self._new_session(old.password)), {}

    def _get_session(self, entry: LoggedRequest, params: dict) -> Answer:
        self._session(entry)
        return 200, {"handle": self.account.handle, "did": self.account.did, "active": True}, {}

    def _delete_session(self, entry: LoggedRequest, params: dict) -> Answer:
        session = self._session(entry, refresh=True)
        self.sessions.remove(session)
        return 200, None, {}

    # --- repository ----------------------------------------------------------------------

    def _repo(self, entry: LoggedRequest, repo: object) -> None:
        if repo not in (self.account.did, self.account.handle):
            self.deviation(entry, f"repo {repo!r} is not the signed-in account")
            raise _error(400, "InvalidRequest", "Could not find repo")

    def _store(self, collection: str, value: dict) -> Record:
        self._sequence += 1
        record = Record(f"3l{self._sequence:011d}", collection, value)
        self.account.records.append(record)
        return record

    def _uri(self, record: Record) -> str:
        return f"at://{self.account.did}/{record.collection}/{record.rkey}"

    def _upload_blob(self, entry: LoggedRequest, params: dict) -> Answer:
        self._session(entry)
        mime_type = (entry.header("content-type") or "").split(";")[0].strip()
        if mime_type not in IMAGE_TYPES or not entry.body:
            self.deviation(entry, f"blob sent as {mime_type or '(no content type)'}")
            raise _error(400, "InvalidRequest", "Unsupported blob")
        sniffed = sniff_image(entry.body)
        if mime_type != "image/webp" and (sniffed is None or sniffed[0] != mime_type):
            self.deviation(entry, f"blob is not a well-formed {mime_type}")
        cid = "bafkrei" + hashlib.sha256(entry.body).hexdigest()[:52]
        self.blobs[cid] = Blob(cid, mime_type, len(entry.body))
        blob = {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime_type}
        return 200, {"blob": {**blob, "size": len(entry.body)}}, {}

    def _create_record(self, entry: LoggedRequest, params: dict) -> Answer:
        self._session(entry)
        self.unknown_fields(
            entry, {"repo", "collection", "rkey", "validate", "record", "swapCommit"}
        )
        self._repo(entry, entry.fields.get("repo"))
        record = entry.fields.get("record")
        collection = entry.fields.get("collection")
        if not isinstance(record, dict) or not isinstance(collection, str):
            raise _error(400, "InvalidRequest", "Input must have the property record")
        for image in (record.get("embed") or {}).get("images") or []:
            link = ((image.get("image") or {}).get("ref") or {}).get("$link")
            if link not in self.blobs:
                self.deviation(entry, f"image blob {link!r} was never uploaded")
                raise _error(400, "InvalidRequest", "Could not find blob")
        stored = self._store(collection, record)
        cid = "bafyrei" + hashlib.sha256(json.dumps(record).encode()).hexdigest()[:52]
        return 200, {"uri": self._uri(stored), "cid": cid}, {}

    def _list_records(self, entry: LoggedRequest, params: dict) -> Answer:
        self._session(entry)
        query = {name: values[-1] for name, values in entry.query.items()}
        self._repo(entry, query.get("repo"))
        limit = query.get("limit", "50")
        if not limit.isdigit() or not 1 <= int(limit) <= 100:
            self.deviation(entry, f"limit {limit!r} is not 1 to 100")
            raise _error(400, "InvalidRequest", "limit must be between 1 and 100")
        newest_first = [
            r
            for r in reversed(self.account.records)
            if r.collection == query.get("collection") and not r.deleted
        ]
        cursor = query.get("cursor")
        if cursor:
            newest_first = [r for r in newest_first if r.rkey < cursor]
        page = newest_first[: int(limit)]
        body: dict = {
            "records": [{"uri": self._uri(r), "cid": "bafyrei", "value": r.value} for r in page]
        }
        if len(newest_first) > len(page):
            body["cursor"] = page[-1].rkey
        return 200, body, {}

    def _delete_record(self, entry: LoggedRequest, params: dict) -> Answer:
        self._session(entry)
        self.unknown_fields(entry, {"repo", "collection", "rkey", "swapRecord", "swapCommit"})
        self._repo(entry, entry.fields.get("repo"))
        for record in self.account.records:
            if (record.collection, record.rkey) == (
                entry.fields.get("collection"),
                entry.fields.get("rkey"),
            ):
                record.deleted = True
        return 200, {}, {}  # deleting what is not there is no error

    def _resolve_handle(self, entry: LoggedRequest, params: dict) -> Answer:
        handle = (entry.query.get("handle") or [""])[-1].lower()
        if handle == self.account.handle:
            return 200, {"did": self.account.did}, {}
        if handle in self.others:
            return 200, {"did": self.others[handle]}, {}
        raise _error(400, "InvalidRequest", "Unable to resolve handle")

    def _get_profiles(self, entry: LoggedRequest, params: dict) -> Answer:
        self._session(entry)
        wanted = entry.query.get("actors") or []
        if len(wanted) > 25:
            self.deviation(entry, "more than 25 actors")
        by_did = {did: handle for handle, did in self.others.items()}
        profiles = [{"did": did, "handle": by_did[did]} for did in wanted if did in by_did]
        return 200, {"profiles": profiles}, {}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
