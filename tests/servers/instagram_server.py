"""A stand-in for Instagram's content publishing on the Graph API (Instagram API with Facebook
Login, graph.facebook.com-style paths, `/v26.0/...`), held to Meta's own node descriptions.

What it checks, against which source:
- every request to an IG User or IG Media edge: its parameters, their types, the required ones
  and the `fields` asked for, by tests/servers/meta_oracle.py over Meta's SDK codegen specs
  (../shared/oracles/meta-graph-v25: IGUser.json, IGMedia.json); every answer's fields with
  `check_answer`. A departure is a deviation, and fails the test at teardown;
- containers (`GET /{container}?fields=status_code,status`): the IG Container reference
  (meta_oracle.CONTAINER_FIELDS), as the descriptions have no container node;
- `content_publishing_limit`'s fields (`config`, `quota_usage`): the IG User
  content_publishing_limit reference (its answer type is not among the descriptions);
- `media_type` values (CAROUSEL, REELS, VIDEO, STORIES), 2 to 10 carousel children that are
  finished carousel items of the same account, `alt_text` on images only, `image_url` a JPEG
  Meta can fetch: the content publishing guide (../shared/networks.md section 3);
- a video (REELS) as a resumable upload (`upload_type=resumable`; the bytes POSTed to the `uri`
  the container names, with `Authorization: OAuth <token>`, `offset` and `file_size` (the whole
  file) headers): the resumable-uploads guide of the content publishing documentation
  (developers.facebook.com/documentation/instagram-platform/content-publishing/resumable-uploads,
  ../shared/networks.md section 3). Its endpoints are the container, the POST to
  rupload.facebook.com/ig-api-upload/<container>, media_publish and the container's
  `status_code`; none tells how many bytes of an upload arrived. So this server has no route to
  read an offset, takes a container's file in one POST from `offset` 0, and notes a deviation
  for any other offset or for a second upload to a container whose upload dropped (where it
  would resume is unknowable): after a drop, the file goes whole to a new container;
- `debug_token` (what the foundation's service asks to check an uploader's token, with an app
  token `app_id|app_secret`): the debug_token reference; it is no IG node, so no oracle applies.

Meta's behaviour it plays:
- the server really fetches `image_url` (and `video_url`) over HTTP when the container is made;
  when that fetch fails (a URL used already, expired, not a JPEG) the container's status_code is
  ERROR, and publishing it is refused with code 9004 / subcode 2207052;
- a container reads IN_PROGRESS for `in_progress_reads` status reads, then FINISHED; a resumable
  video container reads IN_PROGRESS until its last byte came; `processing_fails` makes the next
  uploaded video's status ERROR (Meta could not process it);
- `cut_upload_after(n)`: the next upload POST keeps only its first n bytes, then the connection
  drops without an answer (a wifi drop mid-upload);
- `media_publish` counts against `quota_total` posts per `quota_duration` seconds (a carousel
  is one); past it, code 9 / subcode 2207042; `posts_created` counts every media published;
- errors are `{"error": {message, type, code, error_subcode, fbtrace_id}}` over HTTP 400: 190
  for an expired (subcode 463) or revoked (458) token, 10 for a missing permission
  (`deny_permission`), 4 for throttling (`rate_limit(reset)`, with X-Business-Use-Case-Usage's
  `estimated_time_to_regain_access` in minutes), 100 / 33 for an id that does not exist or this
  token cannot see, 2635 for a version Meta no longer serves; `transient()` is code 2 over 500.

Usage: `with InstagramGraphServer() as server: token = server.issue_token() ...`
"""

from __future__ import annotations

import itertools
import math
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import requests

from tests.servers import meta_oracle
from tests.servers.contract import Answer, ContractServer, Drop, LoggedRequest, Reply, routes

VERSION = "v26.0"
MEDIA_TYPES = frozenset({"CAROUSEL", "REELS", "VIDEO", "STORIES"})
PUBLISHING_LIMIT_FIELDS = frozenset({"config", "quota_usage"})
DEBUG_TOKEN_PARAMETERS = frozenset({"input_token", "access_token"})
_V = r"/v\d+\.\d+"


def meta_error(
    code: int, message: str, subcode: int | None = None, status: int = 400, **extra: object
) -> Reply:
    error: dict[str, object] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "A" + secrets.token_hex(8),
        **extra,
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Reply(status, {"error": error})


def owner_of(token: str, tokens: dict[str, str], revoked: set[str], expired: bool) -> str:
    """Whom a Graph token belongs to, or Meta's error for a missing, revoked, unknown or
    expired one (Facebook's and Instagram's servers alike)."""
    if not token:
        raise meta_error(
            2500,
            "An active access token must be used to query information about the current user.",
        )
    if token in revoked:
        raise meta_error(
            190, "Error validating access token: The user has not authorized application.", 458
        )
    if token not in tokens:
        raise meta_error(190, "Invalid OAuth access token - Cannot parse access token")
    if expired:
        raise meta_error(190, "Error validating access token: Session has expired.", 463)
    return tokens[token]


def missing_node(node: str) -> Reply:
    """Meta's answer for a node that does not exist or is not the token's."""
    return meta_error(
        100,
        f"Unsupported request - Object with ID '{node}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation.",
        33,
    )


def transient() -> tuple[int, dict]:
    """Meta's answer for a fault on its side (code 2, "Service temporarily unavailable")."""
    reply = meta_error(
        2, "An unexpected error has occurred. Please retry your request later.", status=500
    )
    reply.body["error"]["is_transient"] = True  # type: ignore[index]
    return reply.status, reply.body  # type: ignore[return-value]


def graph_time(moment: datetime) -> str:
    """Meta's timestamps: 2026-12-03T07:00:00+0000."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Container:
    id: str
    user: str
    media_type: str  # IMAGE, CAROUSEL, REELS, VIDEO, STORIES
    caption: str = ""
    alt_text: str = ""
    carousel_item: bool = False
    children: tuple[str, ...] = ()
    fetched: bytes = b""
    failure: str = ""  # why the media could not be fetched; "" when it was
    awaiting_upload: bool = False  # a resumable video container before its bytes came
    file_size: int = 0  # of a resumable upload, as its first part announced it
    reads_left: int = 0
    published: str = ""  # the media id once published

    @property
    def status_code(self) -> str:
        if self.published:
            return "PUBLISHED"
        if self.failure:
            return "ERROR"
        return "IN_PROGRESS" if self.reads_left > 0 or self.awaiting_upload else "FINISHED"


@dataclass
class Media:
    id: str
    user: str
    media_type: str  # IMAGE, VIDEO, CAROUSEL_ALBUM
    caption: str
    created: datetime
    alts: tuple[str, ...] = ()
    photos: tuple[bytes, ...] = field(default=(), repr=False)

    @property
    def shortcode(self) -> str:
        return "C" + self.id[-10:]

    @property
    def permalink(self) -> str:
        return f"https://www.instagram.com/p/{self.shortcode}/"

    def fields(self, names: list[str]) -> dict:
        known = {
            "id": self.id,
            "caption": self.caption,
            "timestamp": graph_time(self.created),
            "permalink": self.permalink,
            "media_type": self.media_type,
            "shortcode": self.shortcode,
            "username": "",
            "owner": {"id": self.user},
        }
        return {name: known[name] for name in ["id", *names] if name in known}


class MetaDebugToken:
    """Meta's `GET /debug_token` (developers.facebook.com/docs/graph-api/reference/debug_token:
    `input_token`, the token asked about, and `access_token`, an app token `app_id|app_secret`;
    the answer's `data` has app_id, type, is_valid, and for a valid token expires_at, 0 for
    none, and scopes). It is no node of ../shared/oracles/meta-graph-v25, so no oracle applies;
    both Graph servers answer it for the tokens they issued."""

    DEBUG_TOKEN_TYPE: ClassVar[str] = "PAGE"
    DEBUG_TOKEN_SCOPES: ClassVar[tuple[str, ...]] = ()
    app_id: str
    app_secret: str
    tokens: dict[str, str]
    token_ends: dict[str, int]
    tokens_expired: bool
    revoked_tokens: set[str]

    def _debug_token(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.parameters(entry)  # type: ignore[attr-defined]
        for name in found:
            if name not in DEBUG_TOKEN_PARAMETERS | meta_oracle.COMMON_PARAMETERS:
                self.deviation(entry, f"debug_token: unknown parameter {name!r}")  # type: ignore[attr-defined]
        if found.get("access_token") != f"{self.app_id}|{self.app_secret}":
            raise meta_error(190, "Invalid OAuth access token signature.")
        token = found.get("input_token", "")
        if not token:
            self.deviation(entry, "debug_token: required parameter 'input_token' missing")  # type: ignore[attr-defined]
            raise meta_error(100, "The parameter input_token is required")
        known = self.tokens.get(token)
        valid = known is not None and not self.tokens_expired and token not in self.revoked_tokens
        data: dict[str, object] = {
            "app_id": self.app_id,
            "type": self.DEBUG_TOKEN_TYPE,
            "is_valid": valid,
        }
        if valid:
            data |= {
                "expires_at": self.token_ends.get(token, 0),  # 0: the token has no end
                "scopes": list(self.DEBUG_TOKEN_SCOPES),
            }
        return 200, {"data": data}, {}


class InstagramGraphServer(MetaDebugToken, ContractServer):
    network: ClassVar[str] = "Instagram"
    DEBUG_TOKEN_SCOPES = ("instagram_basic", "instagram_content_publish")
    ROUTES = routes(
        ("GET", rf"/{VERSION}/debug_token", "debug_token"),
        ("POST", rf"/{VERSION}/(?P<user>\d+)/media", "create_container"),
        ("POST", rf"/{VERSION}/(?P<user>\d+)/media_publish", "publish"),
        ("GET", rf"/{VERSION}/(?P<user>\d+)/content_publishing_limit", "publishing_limit"),
        ("GET", rf"/{VERSION}/(?P<user>\d+)/media", "list_media"),
        ("GET", rf"/{VERSION}/(?P<node>\d+)", "read_node"),
        ("DELETE", rf"/{VERSION}/(?P<node>\d+)", "delete_media"),
        ("POST", rf"/ig-api-upload/{VERSION}/(?P<container>\d+)", "resumable_upload"),
        ("GET", rf"{_V}/.*", "old_version"),
        ("POST", rf"{_V}/.*", "old_version"),
        ("DELETE", rf"{_V}/.*", "old_version"),
    )

    def __init__(
        self,
        ig_user_id: str = "17841400000000001",
        username: str = "obsdelinde",
        app_id: str = "111",
        app_secret: str = "meta-app-secret-s3cr3t",
    ):
        super().__init__()
        self.ig_user_id = ig_user_id
        self.username = username
        self.app_id = app_id
        self.app_secret = app_secret
        self.tokens: dict[str, str] = {}  # token -> the IG user it reaches
        self.token_ends: dict[str, int] = {}  # token -> epoch seconds it ends (debug_token)
        self.containers: dict[str, Container] = {}
        self.media: dict[str, Media] = {}
        self.published_at: list[datetime] = []
        self.posts_created = 0
        self.fetches: list[tuple[str, int]] = []  # (URL, status) of every media fetch
        self.in_progress_reads = 1
        self.processing_fails = False
        self._cut_upload_after: int | None = None
        self.quota_total = 50
        self.quota_duration = 86400
        self._ids = itertools.count(17_900_000_000_000_001)

    # --- test helpers --------------------------------------------------------------------

    def issue_token(self, user: str | None = None) -> str:
        value = "EAAG" + secrets.token_urlsafe(40)
        with self._lock:
            self.tokens[value] = user or self.ig_user_id
        return value

    def stored_media(self) -> list[Media]:
        with self._lock:
            return sorted(self.media.values(), key=lambda media: media.created)

    def add_media(self, caption: str, moment: datetime, photos: int = 1) -> Media:
        """A post the account placed earlier (in the Instagram app)."""
        with self._lock:
            media = Media(
                self._id(),
                self.ig_user_id,
                "CAROUSEL_ALBUM" if photos > 1 else "IMAGE",
                caption,
                moment,
                ("",) * photos,
            )
            self.media[media.id] = media
            self.published_at.append(moment)
        return media

    def cut_upload_after(self, length: int) -> None:
        with self._lock:
            self._cut_upload_after = length

    # --- hooks -----------------------------------------------------------------------------

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        until = self.rate_limited_until or datetime.now(UTC)
        minutes = max(1, math.ceil((until - datetime.now(UTC)).total_seconds() / 60))
        reply = meta_error(4, "Application request limit reached", is_transient=True)
        reply.headers["X-Business-Use-Case-Usage"] = (
            f'{{"{self.ig_user_id}":[{{"type":"instagram","call_count":100,'
            f'"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":{minutes}}}]}}'
        )
        return reply

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return meta_error(10, "(#10) Application does not have permission for this action")

    def not_found_reply(self) -> Reply:
        return meta_error(100, "Unsupported request - method type: unknown endpoint", subcode=33)

    def bad_body_reply(self) -> Reply:
        return meta_error(100, "Invalid parameter")

    # --- Meta's rules ----------------------------------------------------------------------

    def _id(self) -> str:
        return str(next(self._ids))

    def parameters(self, entry: LoggedRequest) -> dict[str, str]:
        """Query and body as Graph reads them, each value as the string it arrives as."""
        found = {name: values[-1] for name, values in entry.query.items()}
        for name, value in entry.fields.items():
            found[name] = value if isinstance(value, str) else ",".join(map(str, value))  # type: ignore[arg-type]
        return found

    def judge(self, entry: LoggedRequest, node_type: str, edge: str | None) -> dict[str, str]:
        found = self.parameters(entry)
        for problem in meta_oracle.check(
            node_type, edge, entry.method, found, frozenset(entry.files)
        ):
            self.deviation(entry, problem)
        return found

    def answer(self, entry: LoggedRequest, node_type: str, body: dict) -> Answer:
        for problem in meta_oracle.check_answer(node_type, body):
            self.deviation(entry, problem)
        return 200, body, {}

    def user_of_token(self, entry: LoggedRequest) -> str:
        authorization = entry.header("authorization") or ""
        token = authorization.removeprefix("Bearer ").strip() if authorization else ""
        token = token or self.parameters(entry).get("access_token", "")
        return owner_of(token, self.tokens, self.revoked_tokens, self.tokens_expired)

    def own_user(self, entry: LoggedRequest, user: str) -> str:
        if self.user_of_token(entry) != user:
            raise self.missing(user)
        return user

    missing = staticmethod(missing_node)

    def fetch(self, url: str, video: bool) -> tuple[bytes, str]:
        """Meta's fetch of a public media URL: the bytes, or why it failed."""
        try:
            response = requests.get(url, timeout=10)
        except requests.RequestException as error:
            self.fetches.append((url, 0))
            return b"", f"could not connect: {type(error).__name__}"
        self.fetches.append((url, response.status_code))
        if response.status_code != 200:
            return b"", f"the URI answered {response.status_code}"
        data = response.content
        if video and data[4:8] != b"ftyp":
            return b"", "not a video"
        if not video and not data.startswith(b"\xff\xd8"):
            return b"", "only JPEG images are supported"
        return data, ""

    # --- routes ----------------------------------------------------------------------------

    def _old_version(self, entry: LoggedRequest, groups: dict) -> Answer:
        version = entry.path.split("/")[1]
        self.deviation(entry, f"Graph API version {version} is not {VERSION}")
        raise meta_error(
            2635,
            f"(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: {VERSION}.",
        )

    def _create_container(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "IGUser", "media")
        user = self.own_user(entry, groups["user"])
        media_type = found.get("media_type", "IMAGE")
        if media_type != "IMAGE" and media_type not in MEDIA_TYPES:
            self.deviation(entry, f"media_type {media_type!r} is none of {sorted(MEDIA_TYPES)}")
            raise meta_error(100, "Invalid parameter", 2207023)
        carousel_item = found.get("is_carousel_item") in ("true", "1")
        container = Container(
            self._id(),
            user,
            media_type,
            caption=found.get("caption", ""),
            alt_text=found.get("alt_text", ""),
            carousel_item=carousel_item,
            reads_left=self.in_progress_reads,
        )
        if container.alt_text and media_type != "IMAGE":
            self.deviation(entry, "alt_text is for images only")
        if carousel_item and container.caption:
            self.deviation(entry, "a carousel item has no caption of its own (the parent has it)")
        if media_type == "CAROUSEL":
            container.children = tuple(c for c in found.get("children", "").split(",") if c)
            self._check_children(entry, user, container.children)
        elif media_type in ("REELS", "VIDEO") and found.get("upload_type") == "resumable":
            container.awaiting_upload = True
            self.containers[container.id] = container
            uri = f"{self.base_url}/ig-api-upload/{VERSION}/{container.id}"
            return 200, {"id": container.id, "uri": uri}, {}
        elif media_type in ("REELS", "VIDEO"):
            if not found.get("video_url"):
                self.deviation(entry, "a video container without video_url")
                raise meta_error(100, "The parameter video_url is required")
            container.fetched, container.failure = self.fetch(found["video_url"], video=True)
        else:
            if not found.get("image_url"):
                self.deviation(entry, "an image container without image_url")
                raise meta_error(9004, "The parameter image_url is required", 2207052)
            container.fetched, container.failure = self.fetch(found["image_url"], video=False)
        self.containers[container.id] = container
        return 200, {"id": container.id}, {}

    def _check_children(self, entry: LoggedRequest, user: str, children: tuple[str, ...]) -> None:
        if not 2 <= len(children) <= 10:
            self.deviation(entry, f"a carousel of {len(children)} items (2 to 10)")
            raise meta_error(100, "The carousel must have between 2 and 10 children", 2207028)
        for child in children:
            container = self.containers.get(child)
            if container is None or container.user != user or not container.carousel_item:
                self.deviation(entry, f"child {child} is not a carousel item of this account")
                raise meta_error(100, "Invalid carousel child", 2207023)
            if container.failure:
                raise meta_error(9004, "The media could not be fetched from this uri.", 2207052)
            if container.status_code != "FINISHED":
                self.deviation(entry, f"child {child} used before its status was FINISHED")
                raise meta_error(9007, "Media ID is not available", 2207027)

    def _parse_body(self, entry: LoggedRequest) -> None:
        # The resumable upload's body is the file itself, whatever content type curl gives it.
        if not entry.path.startswith("/ig-api-upload/"):
            super()._parse_body(entry)

    def _upload_container(self, entry: LoggedRequest, groups: dict) -> Container:
        authorization = entry.header("authorization") or ""
        if not authorization.startswith("OAuth "):
            self.deviation(entry, "the upload's Authorization is not 'OAuth <token>'")
        token = authorization.removeprefix("OAuth ").strip()
        user = self.tokens.get(token)
        if user is None or self.tokens_expired or token in self.revoked_tokens:
            raise meta_error(190, "Invalid OAuth access token.")
        container = self.containers.get(groups["container"])
        if (
            container is None
            or container.user != user
            or container.media_type
            not in (
                "REELS",
                "VIDEO",
            )
        ):
            raise self.missing(groups["container"])
        return container

    def _resumable_upload(self, entry: LoggedRequest, groups: dict) -> Answer:
        container = self._upload_container(entry, groups)
        if not container.awaiting_upload:
            self.deviation(entry, "an upload to a container that has all its bytes")
            raise meta_error(100, "The upload is complete already")
        offset, file_size = entry.header("offset") or "", entry.header("file_size") or ""
        if not offset.isdigit() or not file_size.isdigit():
            self.deviation(entry, "the upload needs the offset and file_size headers (numbers)")
            raise meta_error(100, "Invalid offset or file_size")
        if container.file_size and int(file_size) != container.file_size:
            self.deviation(entry, f"file_size {file_size}, first announced {container.file_size}")
        if container.fetched:
            self.deviation(entry, "a second upload to a container whose upload dropped")
            raise meta_error(100, "Invalid offset")
        if offset != "0":
            self.deviation(entry, f"offset {offset}: the guide gives no way to learn one but 0")
            raise meta_error(100, "Invalid offset")
        container.file_size = int(file_size)
        part = entry.body
        cut = self._cut_upload_after is not None
        if cut:
            part, self._cut_upload_after = part[: self._cut_upload_after], None
        container.fetched += part
        if len(container.fetched) > container.file_size:
            self.deviation(entry, "more bytes than file_size")
        if cut:
            raise Drop
        if len(container.fetched) != container.file_size:
            self.deviation(entry, "the upload stopped short of file_size without a drop")
            raise meta_error(100, "Incomplete upload")
        container.awaiting_upload = False
        if container.fetched[4:8] != b"ftyp":
            container.failure = "not a video"
        elif self.processing_fails:
            container.failure = "the video could not be processed"
        return 200, {"success": True, "message": "Upload successful."}, {}

    def _publish(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "IGUser", "media_publish")
        user = self.own_user(entry, groups["user"])
        container = self.containers.get(found.get("creation_id", ""))
        if container is None or container.user != user:
            raise self.missing(found.get("creation_id", ""))
        if container.carousel_item:
            self.deviation(entry, "a carousel item was published on its own")
            raise meta_error(100, "Cannot publish a carousel item", 2207023)
        if container.published:
            raise meta_error(9007, "The media has already been published", 2207024)
        if container.failure:
            raise meta_error(9004, "The media could not be fetched from this uri.", 2207052)
        if container.status_code != "FINISHED":
            self.deviation(entry, "media_publish before the container's status was FINISHED")
            raise meta_error(9007, "Media ID is not available", 2207027)
        if self._usage(datetime.now(UTC)) >= self.quota_total:
            raise meta_error(
                9,
                "Application request limit reached: you reached the maximum number of posts "
                "allowed to be published by the Content Publishing API.",
                2207042,
            )
        parts = [self.containers[c] for c in container.children] or [container]
        media = Media(
            self._id(),
            user,
            {"CAROUSEL": "CAROUSEL_ALBUM", "IMAGE": "IMAGE"}.get(container.media_type, "VIDEO"),
            container.caption,
            datetime.now(UTC),
            tuple(part.alt_text for part in parts),
            tuple(part.fetched for part in parts),
        )
        container.published = media.id
        self.media[media.id] = media
        self.published_at.append(media.created)
        self.posts_created += 1
        return 200, {"id": media.id}, {}

    def _usage(self, now: datetime) -> int:
        start = now - timedelta(seconds=self.quota_duration)
        return sum(1 for moment in self.published_at if moment > start)

    def _publishing_limit(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "IGUser", "content_publishing_limit")
        self.own_user(entry, groups["user"])
        asked = meta_oracle.field_names(found.get("fields", "quota_usage"))
        for name in asked:
            if name not in PUBLISHING_LIMIT_FIELDS:
                self.deviation(entry, f"content_publishing_limit has no field {name!r}")
        item: dict[str, object] = {}
        if "quota_usage" in asked:
            item["quota_usage"] = self._usage(datetime.now(UTC))
        if "config" in asked:
            item["config"] = {
                "quota_total": self.quota_total,
                "quota_duration": self.quota_duration,
            }
        return 200, {"data": [item]}, {}

    def _list_media(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "IGUser", "media")
        user = self.own_user(entry, groups["user"])
        names = meta_oracle.field_names(found.get("fields", "id"))
        since = _moment(found.get("since"))
        until = _moment(found.get("until"))
        items = sorted(
            (
                m
                for m in self.media.values()
                if m.user == user
                and (since is None or m.created >= since)
                and (until is None or m.created <= until)
            ),
            key=lambda m: m.created,
            reverse=True,
        )
        limit = int(found.get("limit", "25") or 25)
        start = int(found["after"]) if found.get("after", "").isdigit() else 0
        page = items[start : start + limit]
        body: dict[str, object] = {"data": [m.fields(names) for m in page]}
        if page:
            cursors = {"before": str(start), "after": str(start + len(page))}
            paging: dict[str, object] = {"cursors": cursors}
            if start + len(page) < len(items):
                paging["next"] = f"{self.base_url}{entry.path}?after={start + len(page)}"
            body["paging"] = paging
        return self.answer(entry, "IGMedia", body)

    def _read_node(self, entry: LoggedRequest, groups: dict) -> Answer:
        node = groups["node"]
        user = self.user_of_token(entry)
        found = self.parameters(entry)
        names = meta_oracle.field_names(found.get("fields", "id"))
        if node == self.ig_user_id:
            self.judge(entry, "IGUser", None)
            if user != node:
                raise self.missing(node)
            known = {"id": node, "username": self.username, "name": "OBS De Linde"}
            return self.answer(entry, "IGUser", {n: known[n] for n in ["id", *names] if n in known})
        if node in self.containers:
            container = self.containers[node]
            for name in found:
                if name not in meta_oracle.COMMON_PARAMETERS:
                    self.deviation(entry, f"GET IGContainer: parameter {name!r}")
            for problem in meta_oracle.fields_problems(
                "IGContainer", found.get("fields", "id"), "GET IGContainer"
            ):
                self.deviation(entry, problem)
            if container.user != user:
                raise self.missing(node)
            code = container.status_code
            if container.reads_left > 0 and "status_code" in names:
                container.reads_left -= 1
            status = {
                "ERROR": f"Error: {container.failure} (2207052)",
                "FINISHED": "Finished: Media has been uploaded and it is ready to be published.",
                "IN_PROGRESS": "In Progress: Media is still being processed.",
                "PUBLISHED": "Published: Media has been successfully published.",
            }[code]
            known = {"id": node, "status_code": code, "status": status}
            return self.answer(
                entry, "IGContainer", {n: known[n] for n in ["id", *names] if n in known}
            )
        self.judge(entry, "IGMedia", None)
        media = self.media.get(node)
        if media is None or media.user != user:
            raise self.missing(node)
        return self.answer(entry, "IGMedia", media.fields(names))

    def _delete_media(self, entry: LoggedRequest, groups: dict) -> Answer:
        self.judge(entry, "IGMedia", None)
        user = self.user_of_token(entry)
        media = self.media.get(groups["node"])
        if media is None or media.user != user:
            raise self.missing(groups["node"])
        del self.media[media.id]
        return 200, {"success": True}, {}


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
