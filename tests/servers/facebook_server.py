"""A stand-in for Facebook Pages on the Graph API (graph.facebook.com-style paths, `/v26.0/...`),
held to Meta's own node descriptions.

What it checks, against which source:
- every request to a Page, Page Post or Photo edge: its parameters, their types, the required
  ones and the `fields` asked for, by tests/servers/meta_oracle.py over Meta's SDK codegen specs
  (../shared/oracles/meta-graph-v25: Page.json, PagePost.json, Photo.json); every answer's fields
  with `check_answer`. A departure is a deviation, and fails the test at teardown;
- `GET /me` with a Page token reads the Page itself (Page #get);
- `GET /debug_token` with the app token `app_id|app_secret` (what the foundation's service asks
  for a pasted token's end): the debug_token reference, no node of the oracle (see
  instagram_server.MetaDebugToken); a system user's token is not among the Page tokens it knows;
- `attached_media` items are `{"media_fbid": id}` of this Page's own photos uploaded with
  `published=false` and not attached yet; a photo comes as `url` or a multipart `source`
  (../shared/networks.md section 2, "Posting", after developers.facebook.com/docs/graph-api/photo-uploads);
- the video upload (`POST /{page-id}/videos`, Page.json's AdVideo edge: its parameters are
  judged; the AdVideo node is not among the descriptions): the chunked protocol of
  networks.md section 2 ("Video", after developers.facebook.com/docs/graph-api/guides/upload):
  `upload_phase=start` with `file_size` answers `upload_session_id`, `video_id`,
  `start_offset`, `end_offset`; each `transfer` sends `video_file_chunk` (a file) at the
  `start_offset` the server asked for; `finish` publishes it with the `description`.

Meta's behaviour it plays (networks.md section 2, "Errors and rate limits"):
- errors are `{"error": {message, type, code, error_subcode, fbtrace_id}}` over HTTP 400: 190
  for an expired (463) or revoked (458) token, 10 for a missing permission (`deny_permission`),
  4 for throttling (`rate_limit(reset)`, with X-Business-Use-Case-Usage's
  `estimated_time_to_regain_access` in minutes), 100 / 33 for an id this token cannot see, 2635
  for a version Meta no longer serves, 506 for the same text posted again on the Page;
  `fault(code, ...)` answers any other code once (1, 2, 17, 32, 341, 368, 613, 200 ...).

Usage: `with FacebookGraphServer() as server: token = server.issue_token() ...`
"""

from __future__ import annotations

import itertools
import json
import math
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import ClassVar
from urllib.parse import urlencode

from tests.servers import meta_oracle
from tests.servers.contract import Answer, ContractServer, LoggedRequest, Reply, routes
from tests.servers.instagram_server import (
    VERSION,
    MetaDebugToken,
    graph_time,
    meta_error,
    missing_node,
    owner_of,
)

_V = r"/v\d+\.\d+"
UPLOAD_PHASES = frozenset({"start", "transfer", "finish", "cancel"})
VIDEO_FIELDS = frozenset({"id", "permalink_url", "description", "created_time"})
_INDEXED = re.compile(r"^(?P<name>\w+)\[(?P<index>\d+)\]$")


@dataclass
class Photo:
    id: str
    page: str
    data: bytes = field(repr=False)
    alt_text: str
    published: bool
    post_id: str = ""  # the feed post it shows in, once there


@dataclass
class Video:
    id: str
    page: str
    size: int
    received: bytearray = field(default_factory=bytearray, repr=False)
    session: str = ""
    description: str = ""
    post_id: str = ""


@dataclass
class PagePost:
    id: str  # "<page id>_<post id>"
    page: str
    message: str
    created: datetime
    link: str = ""
    photos: tuple[str, ...] = ()
    alts: tuple[str, ...] = ()
    video: str = ""

    @property
    def permalink(self) -> str:
        return f"https://www.facebook.com/{self.page}/posts/{self.id.split('_', 1)[1]}"

    def fields(self, names: list[str]) -> dict:
        known = {
            "id": self.id,
            "message": self.message,
            "created_time": graph_time(self.created),
            "permalink_url": self.permalink,
        }
        if self.photos:
            known["full_picture"] = f"https://scontent.example/{self.photos[0]}.jpg"
        return {name: known[name] for name in ["id", *names] if name in known}


class FacebookGraphServer(MetaDebugToken, ContractServer):
    network: ClassVar[str] = "Facebook"
    DEBUG_TOKEN_SCOPES = ("pages_manage_posts", "pages_read_engagement", "pages_show_list")
    ROUTES = routes(
        ("GET", rf"/{VERSION}/debug_token", "debug_token"),
        ("GET", rf"/{VERSION}/dialog/oauth", "login_dialog"),
        ("GET", rf"/{VERSION}/oauth/access_token", "access_token"),
        ("GET", rf"/{VERSION}/me/accounts", "my_pages"),
        ("GET", rf"/{VERSION}/me", "read_me"),
        ("POST", rf"/{VERSION}/(?P<page>\d+)/feed", "post_feed"),
        ("POST", rf"/{VERSION}/(?P<page>\d+)/photos", "post_photo"),
        ("POST", rf"/{VERSION}/(?P<page>\d+)/videos", "post_video"),
        ("GET", rf"/{VERSION}/(?P<page>\d+)/(?P<edge>feed|published_posts)", "list_posts"),
        ("GET", rf"/{VERSION}/(?P<node>\d+(?:_\d+)?)", "read_node"),
        ("DELETE", rf"/{VERSION}/(?P<node>\d+(?:_\d+)?)", "delete_node"),
        ("GET", rf"{_V}/.*", "old_version"),
        ("POST", rf"{_V}/.*", "old_version"),
        ("DELETE", rf"{_V}/.*", "old_version"),
    )

    def __init__(
        self,
        page_id: str = "104000000000001",
        page_name: str = "OBS De Linde",
        app_id: str = "111",
        app_secret: str = "meta-app-secret-s3cr3t",
    ):
        super().__init__()
        self.app_id = app_id
        self.app_secret = app_secret
        self.codes: dict[str, str] = {}  # an unused Facebook Login code -> its redirect_uri
        self.short_tokens: set[str] = set()  # short-lived user tokens, for fb_exchange_token
        self.dialog_scopes: list[str] = []  # the permissions each login asked for
        self.page_id = page_id
        self.page_name = page_name
        self.tokens: dict[str, str] = {}  # token -> the Page it acts for
        self.token_ends: dict[str, int] = {}  # token -> epoch seconds it ends (debug_token)
        self.user_tokens: dict[str, str] = {}  # a system user's token -> the user
        self.system_user = "61500000000001"  # a Meta system user who manages the Page
        self.posts: dict[str, PagePost] = {}
        self.photos: dict[str, Photo] = {}
        self.videos: dict[str, Video] = {}
        self.posts_created = 0
        self._ids = itertools.count(200_000_000_000_001)

    # --- test helpers --------------------------------------------------------------------

    def issue_token(self, page: str | None = None) -> str:
        value = "EAAG" + secrets.token_urlsafe(40)
        with self._lock:
            self.tokens[value] = page or self.page_id
        return value

    def issue_user_token(self) -> str:
        """A token of the system user who manages the Page (no Page token itself)."""
        value = "EAAU" + secrets.token_urlsafe(40)
        with self._lock:
            self.user_tokens[value] = self.system_user
        return value

    def stored_posts(self) -> list[PagePost]:
        with self._lock:
            return sorted(self.posts.values(), key=lambda post: post.created)

    def add_post(self, message: str, moment: datetime) -> PagePost:
        """A post the Page placed earlier (on Facebook itself)."""
        with self._lock:
            post = PagePost(f"{self.page_id}_{self._id()}", self.page_id, message, moment)
            self.posts[post.id] = post
        return post

    def fault(
        self,
        method: str,
        path_pattern: str,
        code: int,
        subcode: int | None = None,
        message: str = "An error occurred",
        status: int = 400,
    ) -> None:
        """The next matching request gets Meta's error `code` (over HTTP 400, as Meta does)."""
        reply = meta_error(code, message, subcode, status)
        self.fail_next(method, path_pattern, reply.status, reply.body)

    # --- hooks -----------------------------------------------------------------------------

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        until = self.rate_limited_until or datetime.now(UTC)
        minutes = max(1, math.ceil((until - datetime.now(UTC)).total_seconds() / 60))
        reply = meta_error(32, "Page request limit reached", is_transient=True)
        reply.headers["X-Business-Use-Case-Usage"] = json.dumps(
            {
                self.page_id: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 20,
                        "total_time": 30,
                        "estimated_time_to_regain_access": minutes,
                    }
                ]
            }
        )
        return reply

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return meta_error(
            200,
            "(#200) If posting to a page, requires both pages_read_engagement and "
            "pages_manage_posts permission with page token",
        )

    def not_found_reply(self) -> Reply:
        return meta_error(100, "Unsupported request - method type: unknown endpoint", subcode=33)

    def bad_body_reply(self) -> Reply:
        return meta_error(100, "Invalid parameter")

    # --- Meta's rules ----------------------------------------------------------------------

    def _id(self) -> str:
        return str(next(self._ids))

    def parameters(self, entry: LoggedRequest) -> dict[str, str]:
        """Query and body as Graph reads them, each value as the string it arrives as;
        `name[0]=…`, `name[1]=…` come together as one JSON list, as Graph reads them."""
        found = {name: values[-1] for name, values in entry.query.items()}
        indexed: dict[str, dict[int, str]] = {}
        for name, value in entry.fields.items():
            text = value if isinstance(value, str) else ",".join(map(str, value))  # type: ignore[arg-type]
            match = _INDEXED.match(name)
            if match:
                indexed.setdefault(match["name"], {})[int(match["index"])] = text
            else:
                found[name] = text
        for name, items in indexed.items():
            values = []
            for index in sorted(items):
                try:
                    values.append(json.loads(items[index]))
                except ValueError:
                    values.append(items[index])
            found[name] = json.dumps(values)
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

    def token(self, entry: LoggedRequest) -> str:
        authorization = entry.header("authorization") or ""
        token = authorization.removeprefix("Bearer ").strip() if authorization else ""
        return token or self.parameters(entry).get("access_token", "")

    def user_of_token(self, entry: LoggedRequest) -> str | None:
        """The system user a user token belongs to (None: no user token)."""
        user = self.user_tokens.get(self.token(entry))
        if user is not None and self.tokens_expired:
            raise meta_error(190, "Error validating access token: Session has expired.", 463)
        return user

    def page_of_token(self, entry: LoggedRequest) -> str:
        token = self.token(entry)
        if token in self.user_tokens:
            raise meta_error(
                200,
                "(#200) This action requires a Page access token; a user access token was used",
            )
        return owner_of(token, self.tokens, self.revoked_tokens, self.tokens_expired)

    def own_page(self, entry: LoggedRequest, page: str) -> str:
        if self.page_of_token(entry) != page:
            raise self.missing(page)
        return page

    missing = staticmethod(missing_node)

    def _new_post(self, page: str, message: str, **details: object) -> PagePost:
        post = PagePost(
            f"{page}_{self._id()}",
            page,
            message,
            datetime.now(UTC),
            **details,  # type: ignore[arg-type]
        )
        self.posts[post.id] = post
        self.posts_created += 1
        return post

    def _refuse_duplicate(self, page: str, message: str) -> None:
        """Meta refuses the same text on the same Page again within a while (code 506; Meta
        does not say how long: here `duplicate_window`)."""
        recent = datetime.now(UTC) - self.duplicate_window
        if message and any(
            p.page == page and p.message == message and p.created > recent
            for p in self.posts.values()
        ):
            raise meta_error(506, "Duplicate status message")

    # --- routes ----------------------------------------------------------------------------

    def _old_version(self, entry: LoggedRequest, groups: dict) -> Answer:
        version = entry.path.split("/")[1]
        self.deviation(entry, f"Graph API version {version} is not {VERSION}")
        raise meta_error(
            2635,
            f"(#2635) You are calling a deprecated version of the Graph API. Please update to the latest version: {VERSION}.",
        )

    def _login_dialog(self, entry: LoggedRequest, groups: dict) -> Answer:
        """Facebook Login's dialog (on www.facebook.com; here too): the user consents at once
        and the browser goes back to redirect_uri with a code and the state (manual-flow
        guide, networks.md section 2). The dialog is no Graph node: no oracle applies."""
        found = self.parameters(entry)
        for name in found:
            if name not in {"client_id", "redirect_uri", "state", "scope", "response_type"}:
                self.deviation(entry, f"dialog/oauth: unknown parameter {name!r}")
        if found.get("client_id") != self.app_id:
            self.deviation(entry, "dialog/oauth: client_id is not the app's id")
            raise Reply(400, b"Invalid App ID")
        if not found.get("state") or not found.get("redirect_uri"):
            self.deviation(entry, "dialog/oauth: without state or redirect_uri")
            raise Reply(400, b"Missing state or redirect_uri")
        if found.get("response_type", "code") != "code":
            self.deviation(entry, "dialog/oauth: a desktop app's code goes to the service")
        self.dialog_scopes.append(found.get("scope", ""))
        code = "AQ" + secrets.token_urlsafe(24)
        self.codes[code] = found["redirect_uri"]
        target = f"{found['redirect_uri']}?{urlencode({'code': code, 'state': found['state']})}"
        return 302, None, {"Location": target}

    def _access_token(self, entry: LoggedRequest, groups: dict) -> Answer:
        """The code exchange and fb_exchange_token (the service's calls, with the app secret)."""
        found = self.parameters(entry)
        if found.get("client_id") != self.app_id or found.get("client_secret") != self.app_secret:
            raise meta_error(101, "Error validating application. Invalid application ID.")
        if found.get("grant_type") == "fb_exchange_token":
            if found.get("fb_exchange_token") not in self.short_tokens:
                raise meta_error(190, "Invalid OAuth access token.")
            long_lived = "EAAL" + secrets.token_urlsafe(40)
            with self._lock:
                self.user_tokens[long_lived] = self.system_user
            return (
                200,
                {"access_token": long_lived, "token_type": "bearer", "expires_in": 5183944},
                {},
            )
        code = found.get("code", "")
        if self.codes.get(code) != found.get("redirect_uri"):
            raise meta_error(100, "Invalid verification code format.", 36009)
        del self.codes[code]
        short = "EAAS" + secrets.token_urlsafe(40)
        self.short_tokens.add(short)
        return 200, {"access_token": short, "token_type": "bearer", "expires_in": 5400}, {}

    def _my_pages(self, entry: LoggedRequest, groups: dict) -> Answer:
        """The pages the user manages, each with its Page token (a User edge, not among the
        descriptions: its items are checked as Pages)."""
        if self.user_of_token(entry) is None:
            raise meta_error(190, "Invalid OAuth access token.")
        found = self.parameters(entry)
        names = meta_oracle.field_names(found.get("fields", "id,name"))
        known = {"id": self.page_id, "name": self.page_name, "access_token": self.issue_token()}
        return self.answer(
            entry, "Page", {"data": [{n: known[n] for n in ["id", *names] if n in known}]}
        )

    def _read_me(self, entry: LoggedRequest, groups: dict) -> Answer:
        user = self.user_of_token(entry)
        if user is not None:
            # a User node, which is not among the descriptions: only its id and name
            found = self.parameters(entry)
            for name in meta_oracle.field_names(found.get("fields", "id")):
                if name not in ("id", "name"):
                    self.deviation(entry, f"GET /me (a user): field {name!r}")
            return 200, {"id": user, "name": "Postwijs systeemgebruiker"}, {}
        found = self.judge(entry, "Page", None)
        page = self.page_of_token(entry)
        names = meta_oracle.field_names(found.get("fields", "id,name"))
        known = {"id": page, "name": self.page_name, "link": f"https://www.facebook.com/{page}"}
        return self.answer(entry, "Page", {n: known[n] for n in ["id", *names] if n in known})

    def _post_feed(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "Page", "feed")
        page = self.own_page(entry, groups["page"])
        message = found.get("message", "")
        if found.get("published") in ("false", "0"):
            self.deviation(entry, "an unpublished feed post (Postwijs publishes at once)")
        attached: list[Photo] = []
        if "attached_media" in found:
            try:
                items = json.loads(found["attached_media"])
            except ValueError:
                items = None
            if not isinstance(items, list) or not items:
                self.deviation(entry, "attached_media is not a list of {media_fbid}")
                raise meta_error(100, "Invalid parameter attached_media")
            for item in items:
                photo = (
                    self.photos.get(str(item.get("media_fbid"))) if isinstance(item, dict) else None
                )
                if photo is None or photo.page != page:
                    self.deviation(entry, f"attached_media item {item!r} is no photo of this Page")
                    raise meta_error(100, "Invalid media_fbid", 2069019)
                if photo.published or photo.post_id:
                    self.deviation(entry, f"photo {photo.id} was published already")
                    raise meta_error(100, "The photo is already published", 2069019)
                attached.append(photo)
        if not message and not attached and not found.get("link"):
            raise meta_error(100, "The post is empty. Please enter a message to share.")
        self._refuse_duplicate(page, message)
        post = self._new_post(
            page,
            message,
            link=found.get("link", ""),
            photos=tuple(p.id for p in attached),
            alts=tuple(p.alt_text for p in attached),
        )
        for photo in attached:
            photo.post_id = post.id
        return 200, {"id": post.id}, {}

    def _post_photo(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "Page", "photos")
        page = self.own_page(entry, groups["page"])
        if "source" in entry.files:
            data = entry.files["source"].data
        elif found.get("url"):
            self.deviation(entry, "this server fetches no photo URL; send the file as source")
            raise meta_error(324, "Requires upload file")
        else:
            raise meta_error(324, "Requires upload file")
        if not data.startswith((b"\xff\xd8", b"\x89PNG", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")):
            raise meta_error(324, "Missing or invalid image file")
        if "alt_text" in found:
            self.deviation(entry, "alt_text is no parameter of Page/photos (alt_text_custom is)")
        published = found.get("published", "true") not in ("false", "0")
        photo = Photo(self._id(), page, data, found.get("alt_text_custom", ""), published)
        self.photos[photo.id] = photo
        if not published:
            if found.get("caption") or found.get("message"):
                self.deviation(entry, "an unpublished photo's caption shows nowhere")
            return 200, {"id": photo.id}, {}
        message = found.get("caption") or found.get("message") or ""
        self._refuse_duplicate(page, message)
        post = self._new_post(page, message, photos=(photo.id,), alts=(photo.alt_text,))
        photo.post_id = post.id
        return 200, {"id": photo.id, "post_id": post.id}, {}

    def _post_video(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "Page", "videos")
        page = self.own_page(entry, groups["page"])
        phase = found.get("upload_phase", "")
        if phase not in UPLOAD_PHASES:
            self.deviation(entry, f"upload_phase {phase!r}: this server takes the chunked upload")
            raise meta_error(100, "Invalid upload_phase")
        if phase == "start":
            size = found.get("file_size", "")
            if not size.isdigit() or int(size) == 0:
                self.deviation(entry, "upload_phase=start without a file_size")
                raise meta_error(100, "The parameter file_size is required")
            video = Video(self._id(), page, int(size), session=self._id())
            self.videos[video.id] = video
            return (
                200,
                {
                    "upload_session_id": video.session,
                    "video_id": video.id,
                    "start_offset": "0",
                    "end_offset": str(min(video.size, self.chunk_size)),
                },
                {},
            )
        video = next(
            (v for v in self.videos.values() if v.session == found.get("upload_session_id")),
            None,
        )
        if video is None or video.page != page:
            self.deviation(entry, "an upload_session_id this Page did not start")
            raise meta_error(100, "Invalid upload_session_id", 1363019)
        if phase == "transfer":
            chunk = entry.files.get("video_file_chunk")
            if chunk is None:
                self.deviation(entry, "a transfer without a video_file_chunk file")
                raise meta_error(100, "The parameter video_file_chunk is required")
            if found.get("start_offset") != str(len(video.received)):
                self.deviation(
                    entry, f"start_offset {found.get('start_offset')!r} is not where the server is"
                )
                raise meta_error(6000, "There was a problem uploading your video file", 1363037)
            video.received += chunk.data
            start = len(video.received)
            end = min(video.size, start + self.chunk_size)
            return 200, {"start_offset": str(start), "end_offset": str(end)}, {}
        if phase == "cancel":
            del self.videos[video.id]
            return 200, {"success": True}, {}
        if len(video.received) != video.size:
            self.deviation(entry, f"finish after {len(video.received)} of {video.size} bytes")
            raise meta_error(6000, "There was a problem uploading your video file", 1363040)
        if video.received[4:8] != b"ftyp":
            raise meta_error(6000, "There was a problem uploading your video file", 1363024)
        video.description = found.get("description", "")
        post = self._new_post(page, video.description, video=video.id)
        video.post_id = post.id
        return 200, {"success": True}, {}

    chunk_size = 1_048_576  # what the server asks for per transfer
    duplicate_window = timedelta(hours=24)

    def _list_posts(self, entry: LoggedRequest, groups: dict) -> Answer:
        found = self.judge(entry, "Page", groups["edge"])
        page = self.own_page(entry, groups["page"])
        names = meta_oracle.field_names(found.get("fields", "id,message,created_time"))
        since = _moment(found.get("since"))
        until = _moment(found.get("until"))
        items = sorted(
            (
                p
                for p in self.posts.values()
                if p.page == page
                and (since is None or p.created >= since)
                and (until is None or p.created <= until)
            ),
            key=lambda p: p.created,
            reverse=True,
        )
        limit = int(found.get("limit", "25") or 25)
        start = int(found["after"]) if found.get("after", "").isdigit() else 0
        chunk = items[start : start + limit]
        body: dict[str, object] = {"data": [p.fields(names) for p in chunk]}
        if chunk:
            paging: dict[str, object] = {
                "cursors": {"before": str(start), "after": str(start + len(chunk))}
            }
            if start + len(chunk) < len(items):
                paging["next"] = f"{self.base_url}{entry.path}?after={start + len(chunk)}"
            body["paging"] = paging
        return self.answer(entry, "PagePost", body)

    def _read_node(self, entry: LoggedRequest, groups: dict) -> Answer:
        node = groups["node"]
        page = self.page_of_token(entry) if self.user_of_token(entry) is None else ""
        found = self.parameters(entry)
        names = meta_oracle.field_names(found.get("fields", "id"))
        if node == self.page_id:
            self.judge(entry, "Page", None)
            if self.user_of_token(entry) is not None:
                # the system user manages the Page: it may read the Page's own token
                token = self.issue_token(node)
                known = {"id": node, "name": self.page_name, "access_token": token}
                return self.answer(
                    entry, "Page", {n: known[n] for n in ["id", *names] if n in known}
                )
            if node != page:
                raise self.missing(node)
            return self._read_me(entry, groups)
        if node in self.photos:
            self.judge(entry, "Photo", None)
            photo = self.photos[node]
            if photo.page != page:
                raise self.missing(node)
            known = {"id": photo.id, "alt_text_custom": photo.alt_text}
            if photo.post_id:
                known["page_story_id"] = photo.post_id
            return self.answer(entry, "Photo", {n: known[n] for n in ["id", *names] if n in known})
        if node in self.videos:
            video = self.videos[node]
            for name in found:
                if name not in meta_oracle.COMMON_PARAMETERS:
                    self.deviation(entry, f"GET video: parameter {name!r}")
            for name in names:
                if name not in VIDEO_FIELDS:
                    self.deviation(entry, f"GET video: field {name!r}")
            if video.page != page or not video.post_id:
                raise self.missing(node)
            known = {
                "id": video.id,
                "description": video.description,
                "permalink_url": f"/{page}/videos/{video.id}/",  # Meta gives videos' paths
            }
            return 200, {n: known[n] for n in ["id", *names] if n in known}, {}
        self.judge(entry, "PagePost", None)
        post = self.posts.get(node)
        if post is None or post.page != page:
            raise self.missing(node)
        return self.answer(entry, "PagePost", post.fields(names))

    def _delete_node(self, entry: LoggedRequest, groups: dict) -> Answer:
        node = groups["node"]
        page = self.page_of_token(entry)
        if node in self.videos:
            video = self.videos[node]
            if video.page != page:
                raise self.missing(node)
            self.posts.pop(video.post_id, None)
            del self.videos[node]
            return 200, {"success": True}, {}
        if node in self.photos:
            self.judge(entry, "Photo", None)
            photo = self.photos[node]
            if photo.page != page:
                raise self.missing(node)
            del self.photos[node]
            return 200, {"success": True}, {}
        self.judge(entry, "PagePost", None)
        post = self.posts.get(node)
        if post is None or post.page != page:
            raise self.missing(node)
        del self.posts[node]
        for photo_id in post.photos:
            self.photos.pop(photo_id, None)
        if post.video:
            self.videos.pop(post.video, None)
        return 200, {"success": True}, {}


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
