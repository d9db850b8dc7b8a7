"""A LinkedIn Community Management API stand-in (Posts, Images, Organization Lookup).

No machine-readable description exists, so this server follows the documentation pages cited in
../shared/networks.md section 4 (learn.microsoft.com/linkedin/...):

- every /rest request carries `Linkedin-Version: YYYYMM` of a supported month (a retired one is
  answered 426) and `X-Restli-Protocol-Version: 2.0.0` (shared/api-guide, versioning);
- URNs in paths are URL-encoded (posts-api: "URL-encoded");
- a post's `commentary` is little text: an unescaped reserved character silently cuts the text
  there (little-text-format), which the server does and notes as a deviation;
- POST /rest/posts answers 201 with the URN in `x-restli-id`; the author finder needs
  `X-RestLi-Method: FINDER`; DELETE answers 204, also for a post already gone;
- images: initializeUpload gives an upload URL and an image URN; the PUT of the whole file makes
  it AVAILABLE (images-api); a post may only use available images of its own author, 2-20 for
  multiImage (multiimage-post-api);
- errors are {"message", "serviceErrorCode", "status"} (api-guide/concepts/error-handling),
  401 for an invalid or expired token, 403 for a missing permission, 429 with no reset headers
  when the daily budget is spent (rate-limits);
- the authorization code flow (authorization-code-flow): GET /oauth/v2/authorization with
  response_type=code, client_id, redirect_uri, state and a space-separated scope; the member
  consents at once (or cancels: `user_cancelled_authorize`) and the browser goes back to
  redirect_uri with code and state. POST /oauth/v2/accessToken with grant_type=
  authorization_code, that code (once, within its 30 minutes), the same redirect_uri, client_id
  and client_secret: access token for 60 days, with a refresh token for 365 days where the app
  has programmatic refresh;
- GET /rest/organizationAcls?q=roleAssignee (organization-access-control-by-role, needs
  rw_organization_admin): the member's roles per organisation, {organization, role, state,
  roleAssignee}, filtered by `role` and `state` when given;
- POST /oauth/v2/introspectToken with client_id, client_secret and token (token-introspection):
  {active, status (active, expired, revoked), expires_at in epoch seconds, ...}; an unknown
  token is answered active=false;
- POST /oauth/v2/accessToken with grant_type=refresh_token, the app's client_id and
  client_secret (programmatic-refresh-tokens): a new access token for 60 days, the same refresh
  token with what is left of its 365 days (refreshing does not reset that clock); an unknown or
  expired refresh token is answered 400 with an OAuth error;
- POST /oauth/v2/revoke, form-encoded, with client_id, client_secret and token: wrong client
  credentials are answered 401 invalid_client; otherwise 200, and from then on the token (an
  access or a refresh token) no longer works: the API answers 401, introspection says
  `revoked`, a revoked refresh token gets no new access token. An unknown token is answered
  200 as well (nothing to revoke). Source: LinkedIn's token revocation endpoint as the brief of
  issue 14 names it; networks.md section 4 found no primary page for it, so its exact answer
  body is an assumption (the service relies only on the status).
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar
from urllib.parse import unquote, urlencode

from tests.servers.contract import Answer, ContractServer, LoggedRequest, Reply, routes

SUPPORTED_VERSIONS = frozenset({"202601", "202603", "202606", "202609", "202611"})
RETIRED_VERSIONS = frozenset({"202508", "202510", "202511"})
RESERVED = set("|{}@[]()<>#*_~\\")
POST_FIELDS = {
    "author",
    "commentary",
    "visibility",
    "distribution",
    "content",
    "lifecycleState",
    "isReshareDisabledByAuthor",
    "contentLandingPage",
    "contentCallToActionLabel",
    "reshareContext",
    "container",
}
ACCESS_LIFETIME = 60 * 24 * 3600  # seconds
REFRESH_LIFETIME = 365 * 24 * 3600.0
CODE_LIFETIME = 30 * 60.0  # an authorization code is good for 30 minutes
MEMBER = "urn:li:person:mR4Xq7Postwijs"
REQUIRED_POST_FIELDS = ("author", "visibility", "distribution", "lifecycleState")


def error(status: int, message: str, code: int | None = None) -> Reply:
    body: dict[str, object] = {"message": message, "status": status}
    if code is not None:
        body["serviceErrorCode"] = code
    return Reply(status, body)


def little_text(commentary: str) -> tuple[str, bool]:
    """What LinkedIn shows of a commentary, and whether it was cut at an unescaped character."""
    shown = []
    characters = iter(commentary)
    for character in characters:
        if character == "\\":
            shown.append(next(characters, ""))
        elif character in RESERVED:
            return "".join(shown), True
        else:
            shown.append(character)
    return "".join(shown), False


@dataclass
class Image:
    urn: str
    owner: str
    data: bytes = b""
    status: str = "WAITING_UPLOAD"


@dataclass
class Post:
    urn: str
    author: str
    commentary: str  # as sent (little text)
    created_ms: int
    content: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return little_text(self.commentary)[0]

    @property
    def alts(self) -> tuple[str, ...]:
        if "media" in self.content:
            return (self.content["media"].get("altText", ""),)
        images = self.content.get("multiImage", {}).get("images", [])
        return tuple(image.get("altText", "") for image in images)

    def element(self) -> dict:
        return {
            "id": self.urn,
            "author": self.author,
            "commentary": self.commentary,
            "createdAt": self.created_ms,
            "lastModifiedAt": self.created_ms,
            "publishedAt": self.created_ms,
            "visibility": "PUBLIC",
            "lifecycleState": "PUBLISHED",
            **({"content": self.content} if self.content else {}),
        }


class LinkedinServer(ContractServer):
    network: ClassVar[str] = "LinkedIn"
    ROUTES = routes(
        ("GET", r"/rest/organizations/(?P<id>\d+)", "organization"),
        ("POST", r"/rest/images", "images_action"),
        ("PUT", r"/upload/(?P<image>[\w.-]+)", "upload"),
        ("POST", r"/rest/posts", "create_post"),
        ("GET", r"/rest/posts", "find_posts"),
        ("DELETE", r"/rest/posts/(?P<urn>[^/]+)", "delete_post"),
        ("POST", r"/oauth/v2/accessToken", "access_token"),
        ("GET", r"/oauth/v2/authorization", "authorization"),
        ("GET", r"/rest/organizationAcls", "organization_acls"),
        ("POST", r"/oauth/v2/introspectToken", "introspect"),
        ("POST", r"/oauth/v2/revoke", "revoke"),
    )
    client_id = "78postwijs"
    client_secret = "een-linkedin-appgeheim-voor-de-test"

    def __init__(self, organization_id: str = "2414183", name: str = "Basisschool De Regenboog"):
        super().__init__()
        self.organization = f"urn:li:organization:{organization_id}"
        self.organization_name = name
        self.tokens: dict[str, str] = {}  # access token -> organisation it may post for
        self.token_ends: dict[str, float] = {}  # access token -> epoch seconds at which it ends
        # refresh token -> (organisation, epoch seconds at which it ends)
        self.refresh_tokens: dict[str, tuple[str, float]] = {}
        self.organization_names = {self.organization: name}
        # the member who signs in: (organisation, role, state) per role they hold
        self.roles: list[tuple[str, str, str]] = [(self.organization, "ADMINISTRATOR", "APPROVED")]
        self.cancel_consent = False  # the member presses "Cancel" on the authorization page
        self.programmatic_refresh = True  # the app is approved for refresh tokens
        self.codes: dict[str, tuple[str, float]] = {}  # code -> (redirect_uri, moment it ends)
        self.authorization_scopes: list[str] = []  # the scope each authorization asked for
        self.images: dict[str, Image] = {}
        self.posts: dict[str, Post] = {}
        self._ids = itertools.count(7_100_000_000_000_000_001)

    # --- test helpers --------------------------------------------------------------------

    def issue_token(self, organization: str | None = None) -> str:
        value = "AQV" + secrets.token_urlsafe(32)
        with self._lock:
            self.tokens[value] = organization or self.organization
            self.token_ends[value] = time.time() + ACCESS_LIFETIME
        return value

    def issue_refresh_token(self, organization: str | None = None) -> str:
        value = "AQX" + secrets.token_urlsafe(32)
        with self._lock:
            self.refresh_tokens[value] = (
                organization or self.organization,
                time.time() + REFRESH_LIFETIME,
            )
        return value

    def stored_posts(self) -> list[Post]:
        with self._lock:
            return sorted(self.posts.values(), key=lambda post: post.created_ms)

    def add_post(self, text: str, moment: datetime) -> Post:
        """A post the page placed earlier (through LinkedIn itself), escaped as LinkedIn keeps it."""
        escaped = "".join("\\" + c if c in RESERVED else c for c in text)
        with self._lock:
            post = Post(
                self._urn("share"), self.organization, escaped, int(moment.timestamp() * 1000)
            )
            self.posts[post.urn] = post
        return post

    # --- hooks -----------------------------------------------------------------------------

    def raw_body_types(self) -> set[str]:
        return {"application/octet-stream", "image/jpeg", "image/png", "image/gif"}

    def rate_limit_reply(self, entry: LoggedRequest) -> Reply:
        # Documented: 429, and no rate-limit or Retry-After headers; the day resets at 00:00 UTC.
        return error(
            429,
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
        )

    def permission_reply(self, entry: LoggedRequest) -> Reply:
        return error(403, f"Not enough permissions to access: {entry.method} {entry.path}", 100)

    def not_found_reply(self) -> Reply:
        return error(404, "No virtual resource found", 0)

    def bad_body_reply(self) -> Reply:
        return error(400, "Unable to parse request body", 100)

    def _dispatch(self, entry: LoggedRequest) -> Answer:
        if entry.path.startswith("/rest/"):
            self._check_headers(entry)
        return super()._dispatch(entry)

    def _check_headers(self, entry: LoggedRequest) -> None:
        version = entry.header("linkedin-version")
        if not version:
            self.deviation(entry, "no Linkedin-Version header")
            raise error(
                400,
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
                100,
            )
        if version in RETIRED_VERSIONS or (version.isdigit() and version < min(SUPPORTED_VERSIONS)):
            raise error(426, f"Requested version {version} is not active", 426)
        if version not in SUPPORTED_VERSIONS:
            self.deviation(entry, f"Linkedin-Version {version!r} is no supported month")
            raise error(400, f"Requested version {version} is not active", 100)
        if entry.header("x-restli-protocol-version") != "2.0.0":
            self.deviation(entry, "X-Restli-Protocol-Version is not 2.0.0")
        self._author_of_token(entry)

    def _author_of_token(self, entry: LoggedRequest) -> str:
        authorization = entry.header("authorization") or ""
        token = authorization.removeprefix("Bearer ")
        if not authorization.startswith("Bearer ") or token not in self.tokens:
            raise error(401, "Invalid access token", 65600)
        if self.tokens_expired or token in self.revoked_tokens:
            raise error(401, "The token used in the request has expired", 65601)
        return self.tokens[token]

    # --- routes ----------------------------------------------------------------------------

    def _authorization(self, entry: LoggedRequest, groups: dict) -> Answer:
        """LinkedIn's authorization page (www.linkedin.com): the member consents at once."""
        found = {name: values[0] for name, values in entry.query.items()}
        for name in found:
            if name not in {"response_type", "client_id", "redirect_uri", "state", "scope"}:
                self.deviation(entry, f"authorization: unknown parameter {name!r}")
        if found.get("response_type") != "code":
            self.deviation(entry, "authorization: response_type is not code")
            raise Reply(400, b"response_type must be code")
        if found.get("client_id") != self.client_id:
            self.deviation(entry, "authorization: client_id is not the app's")
            raise Reply(400, b"Invalid client_id")
        if not found.get("redirect_uri") or not found.get("scope"):
            self.deviation(entry, "authorization: without redirect_uri or scope")
            raise Reply(400, b"Missing redirect_uri or scope")
        if not found.get("state"):
            self.deviation(entry, "authorization: without state (CSRF)")
        if "," in found["scope"]:
            self.deviation(entry, "authorization: scopes are space-separated, not commas")
        self.authorization_scopes.append(found["scope"])
        back: dict[str, str] = {"state": found.get("state", "")}
        if self.cancel_consent:
            back.update(
                error="user_cancelled_authorize",
                error_description="The user canceled the authorization",
            )
        else:
            code = "AQT" + secrets.token_urlsafe(24)
            with self._lock:
                self.codes[code] = (found["redirect_uri"], time.time() + CODE_LIFETIME)
            back["code"] = code
        return 302, None, {"Location": f"{found['redirect_uri']}?{urlencode(back)}"}

    def _access_token(self, entry: LoggedRequest, groups: dict) -> Answer:
        self.unknown_fields(
            entry,
            {"grant_type", "code", "redirect_uri", "refresh_token", "client_id", "client_secret"},
        )
        fields = entry.fields
        if fields.get("client_id") != self.client_id or (
            fields.get("client_secret") != self.client_secret
        ):
            raise Reply(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        if fields.get("grant_type") == "authorization_code":
            return self._code_grant(entry)
        if fields.get("grant_type") != "refresh_token":
            self.deviation(entry, f"grant_type {fields.get('grant_type')!r} not served here")
            raise Reply(400, {"error": "unsupported_grant_type"})
        refresh = str(fields.get("refresh_token") or "")
        known = self.refresh_tokens.get(refresh)
        if known is None or known[1] <= time.time() or refresh in self.revoked_tokens:
            raise Reply(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked.",
                },
            )
        organization, ends = known
        body = {
            "access_token": self.issue_token(organization),
            "expires_in": ACCESS_LIFETIME,
            "refresh_token": str(fields["refresh_token"]),
            "refresh_token_expires_in": int(ends - time.time()),
        }
        return 200, body, {}

    def _code_grant(self, entry: LoggedRequest) -> Answer:
        code = str(entry.fields.get("code") or "")
        with self._lock:
            known = self.codes.pop(code, None)  # a code works once
        if known is None or known[1] <= time.time() or known[0] != entry.fields.get("redirect_uri"):
            raise Reply(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.",
                },
            )
        body: dict[str, object] = {
            "access_token": self.issue_token(),
            "expires_in": ACCESS_LIFETIME,
            "scope": "r_organization_social,rw_organization_admin,w_organization_social",
        }
        if self.programmatic_refresh:
            body["refresh_token"] = self.issue_refresh_token()
            body["refresh_token_expires_in"] = int(REFRESH_LIFETIME)
        return 200, body, {}

    def _check_client(self, entry: LoggedRequest) -> None:
        """The app's own client credentials in the form, as the token endpoints want them."""
        if (entry.header("content-type") or "").split(";")[
            0
        ] != "application/x-www-form-urlencoded":
            self.deviation(entry, "the form is not application/x-www-form-urlencoded")
        fields = entry.fields
        if fields.get("client_id") != self.client_id or (
            fields.get("client_secret") != self.client_secret
        ):
            raise Reply(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )

    def _revoke(self, entry: LoggedRequest, groups: dict) -> Answer:
        self.unknown_fields(entry, {"client_id", "client_secret", "token"})
        self._check_client(entry)
        token = str(entry.fields.get("token") or "")
        if not token:
            self.deviation(entry, "revoke without a token")
            raise Reply(400, {"error": "invalid_request", "error_description": "token missing"})
        if token in self.tokens or token in self.refresh_tokens:
            self.revoke_token(token)
        return 200, None, {}

    def _introspect(self, entry: LoggedRequest, groups: dict) -> Answer:
        self.unknown_fields(entry, {"client_id", "client_secret", "token"})
        self._check_client(entry)
        fields = entry.fields
        token = str(fields.get("token") or "")
        ends = self.token_ends.get(token)
        if token not in self.tokens or ends is None:
            return 200, {"active": False}, {}
        if token in self.revoked_tokens:
            status = "revoked"
        elif self.tokens_expired or ends <= time.time():
            status = "expired"
        else:
            status = "active"
        body = {
            "active": status == "active",
            "client_id": self.client_id,
            "authorized_at": int(ends - ACCESS_LIFETIME),
            "created_at": int(ends - ACCESS_LIFETIME),
            "status": status,
            "expires_at": int(ends),
            "scope": "r_organization_social,rw_organization_admin,w_organization_social",
            "auth_type": "3L",
        }
        return 200, body, {}

    def _organization_acls(self, entry: LoggedRequest, groups: dict) -> Answer:
        self._author_of_token(entry)
        if entry.query.get("q") != ["roleAssignee"]:
            self.deviation(entry, "organizationAcls without q=roleAssignee")
            raise error(400, "Missing finder", 100)
        for name in entry.query:
            if name not in {"q", "role", "state", "start", "count", "projection"}:
                self.deviation(entry, f"organizationAcls: unknown parameter {name!r}")
        role = (entry.query.get("role") or [None])[0]
        state = (entry.query.get("state") or [None])[0]
        start = int((entry.query.get("start") or ["0"])[0])
        count = int((entry.query.get("count") or ["10"])[0])
        matching = [
            {"organization": org, "role": r, "state": s, "roleAssignee": MEMBER}
            for org, r, s in self.roles
            if role in (None, r) and state in (None, s)
        ]
        return (
            200,
            {
                "paging": {"start": start, "count": count, "total": len(matching), "links": []},
                "elements": matching[start : start + count],
            },
            {},
        )

    def _organization(self, entry: LoggedRequest, groups: dict) -> Answer:
        name = self.organization_names.get(f"urn:li:organization:{groups['id']}")
        if name is None:
            raise error(404, "Not found", 0)
        return 200, {"id": int(groups["id"]), "localizedName": name}, {}

    def _images_action(self, entry: LoggedRequest, groups: dict) -> Answer:
        if entry.query.get("action") != ["initializeUpload"]:
            self.deviation(entry, "images without action=initializeUpload")
            raise error(400, "Unsupported action", 100)
        self.unknown_fields(entry, {"initializeUploadRequest"})
        request = entry.fields.get("initializeUploadRequest")
        owner = request.get("owner") if isinstance(request, dict) else None
        if owner != self._author_of_token(entry):
            self.deviation(entry, f"initializeUpload owner {owner!r} is not the token's page")
            raise error(403, "Not enough permissions to access owner", 100)
        urn = f"urn:li:image:D4E10AQ{next(self._ids)}"
        self.images[urn] = Image(urn, owner)
        key = urn.rsplit(":", 1)[-1]
        return (
            200,
            {
                "value": {
                    "uploadUrlExpiresAt": int(time.time() * 1000) + 3_600_000,
                    "uploadUrl": f"{self.base_url}/upload/{key}",
                    "image": urn,
                }
            },
            {},
        )

    def _upload(self, entry: LoggedRequest, groups: dict) -> Answer:
        image = self.images.get(f"urn:li:image:{groups['image']}")
        if image is None:
            self.deviation(entry, "upload to an unknown URL")
            raise error(404, "Not found", 0)
        if image.data:
            # Each PUT replaces the last: a chunked upload would keep only its final chunk.
            self.deviation(entry, "a second PUT to the same upload URL")
        image.data = entry.body
        image.status = "AVAILABLE"
        return 201, None, {}

    def _create_post(self, entry: LoggedRequest, groups: dict) -> Answer:
        author = self._author_of_token(entry)
        self.unknown_fields(entry, POST_FIELDS)
        for name in REQUIRED_POST_FIELDS:
            if name not in entry.fields:
                self.deviation(entry, f"field {name} missing")
                raise error(
                    422,
                    f"ERROR :: /{name} :: field is required but not found and has no default value",
                    100,
                )
        if entry.fields["author"] != author:
            raise error(403, "Not enough permissions to access: author", 100)
        commentary = entry.fields.get("commentary", "")
        if not isinstance(commentary, str):
            raise error(422, "ERROR :: /commentary :: expected string", 100)
        shown, cut = little_text(commentary)
        if cut:
            self.deviation(entry, "commentary has an unescaped reserved character (text cut)")
        content = entry.fields.get("content") or {}
        self._check_content(entry, content, author)
        post = Post(self._urn("share"), author, commentary, int(time.time() * 1000), content)
        if cut:
            post.commentary = "".join("\\" + c if c in RESERVED else c for c in shown)
        self.posts[post.urn] = post
        return 201, None, {"x-restli-id": post.urn}

    def _check_content(self, entry: LoggedRequest, content: object, author: str) -> None:
        if not content:
            return
        if not isinstance(content, dict) or len(content) != 1:
            self.deviation(entry, "content must hold one of media, multiImage, article, poll")
            raise error(422, "ERROR :: /content :: invalid union", 100)
        if "media" in content:
            images = [content["media"]]
        elif "multiImage" in content:
            images = content["multiImage"].get("images") or []
            if not 2 <= len(images) <= 20:
                self.deviation(entry, "multiImage needs 2 to 20 images")
                raise error(422, "ERROR :: /content/multiImage/images :: 2 to 20 images", 100)
        else:
            self.deviation(entry, f"unexpected content {sorted(content)}")
            raise error(422, "ERROR :: /content :: unsupported", 100)
        for image in images:
            if not isinstance(image, dict) or set(image) - {"id", "altText", "title"}:
                self.deviation(entry, f"unexpected image fields {image!r}")
            found = self.images.get(image.get("id") if isinstance(image, dict) else None)
            if found is None or found.owner != author or found.status != "AVAILABLE":
                self.deviation(entry, "post uses an image that is not an available upload")
                raise error(422, "ERROR :: /content/media/id :: image not available", 100)
            alt = image.get("altText", "")
            if not isinstance(alt, str) or len(alt) > 4086:
                raise error(422, "ERROR :: /content/media/altText :: too long", 100)

    def _find_posts(self, entry: LoggedRequest, groups: dict) -> Answer:
        author = self._author_of_token(entry)
        if entry.header("x-restli-method") != "FINDER":
            self.deviation(entry, "the author finder without X-RestLi-Method: FINDER")
        if entry.query.get("q") != ["author"]:
            self.deviation(entry, "posts finder without q=author")
            raise error(400, "Missing finder", 100)
        wanted = (entry.query.get("author") or [""])[0]
        if wanted != author:
            raise error(403, "Not enough permissions to access: author", 100)
        start = int((entry.query.get("start") or ["0"])[0])
        count = min(int((entry.query.get("count") or ["10"])[0]), 100)
        posts = sorted(
            (p for p in self.posts.values() if p.author == author),
            key=lambda p: p.created_ms,
            reverse=True,
        )
        page = posts[start : start + count]
        return (
            200,
            {
                "paging": {"start": start, "count": count, "links": []},
                "elements": [post.element() for post in page],
            },
            {},
        )

    def _delete_post(self, entry: LoggedRequest, groups: dict) -> Answer:
        author = self._author_of_token(entry)
        if ":" in groups["urn"]:
            self.deviation(entry, "post URN not URL-encoded in the path")
        urn = unquote(groups["urn"])
        post = self.posts.get(urn)
        if post is not None:
            if post.author != author:
                raise error(403, "Not enough permissions to delete", 100)
            del self.posts[urn]
        return 204, None, {}

    # --- helpers ---------------------------------------------------------------------------

    def _urn(self, kind: str) -> str:
        return f"urn:li:{kind}:{next(self._ids)}"
