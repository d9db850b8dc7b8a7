"""LinkedIn organisation pages through the Community Management API (Posts and Images APIs).

Every request carries `Linkedin-Version` (a month LinkedIn still supports, from the site
configuration) and `X-Restli-Protocol-Version: 2.0.0`; URNs in paths are URL-encoded. The text
goes out escaped for LinkedIn's "little text" format (LinkedIn silently cuts a text at the first
reserved character left unescaped); the core counts that escaped length (textcount).

The sign-in is the vault entry the foundation's service or IT gives: {"organization_urn",
"access_token", "expires_at", "refresh_token", "refresh_expires_at", "source"}. With the service
the member signs in through LinkedIn's authorization code flow in the system browser and the
service exchanges the code (it holds the client secret); without it IT pastes a token. An access
token near its end is renewed through a `Refresher` (the service) when a refresh token exists;
otherwise the account must be connected again.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import requests
from keyring.errors import KeyringError

from app.i18n import _
from app.networks import textcount
from app.networks.connector import (
    Capabilities,
    ConnectorError,
    Duplicates,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Refusing,
    Rejected,
    RetryLater,
    SignIn,
)
from app.networks.profiles import LINKEDIN, NetworkProfile
from app.networks.registry import AccountAccess, Revoked, SignedIn, SignInRequest
from app.site.config import Account
from connectors import koppeldienst
from connectors.base import HttpConnector, SignInOptions
from connectors.http import HttpSession, classify, provider_reason, retry_moment
from connectors.oauth import ProviderConfig
from connectors.refresh_lock import refresh_lock
from connectors.rest import (
    UPLOAD_TIMEOUT,
    accepted_without_answer,
    comparable_text,
    earliest_match,
    json_body,
    no_sign_in,
    parse_time,
    read_media,
    refuse_long_alt_text,
    refuse_too_large,
    refuse_too_many,
    signed_in_entry,
    unexpected_answer,
    vault_unreadable,
)

log = logging.getLogger("postwijs.linkedin")
NETWORK = "LinkedIn"
API = "https://api.linkedin.com"
# A month LinkedIn supports until 16 March 2027 (../shared/networks.md); the site configuration
# names a newer one as LinkedIn retires the old (each lives at least a year).
DEFAULT_VERSION = "202603"
PROTOCOL_VERSION = "2.0.0"
REFRESH_MARGIN = timedelta(days=1)  # renew a token this long before it ends
POSTS_PAGE_SIZE = 20
FIND_POST_PAGES = 5
ACLS_PAGE_SIZE = 100
ACLS_PAGES = 5
# The roles with which a member may post as the organisation (w_organization_social).
POSTING_ROLES = frozenset({"ADMINISTRATOR", "CONTENT_ADMIN", "DIRECT_SPONSORED_CONTENT_POSTER"})
# Posting and reading as the organisation, and the organisation's access list (which pages the
# member may post for) (../shared/networks.md section 4).
SCOPES = ("w_organization_social", "r_organization_social", "rw_organization_admin")
# What LinkedIn's authorization page sends back when the member cancels.
CANCEL_ERRORS = ("user_cancelled_login", "user_cancelled_authorize")
_VERSION = re.compile(r"^20\d\d(0[1-9]|1[0-2])$")
_ORGANIZATION = re.compile(r"^(?:urn:li:organization:)?(?P<id>\d+)$")


# Renews a LinkedIn access token with its refresh token (the foundation's service, which holds
# the app secret): returns {"access_token", "expires_at", "refresh_token", "refresh_expires_at"}
# or raises an error of the closed set.
Refresher = Callable[[str], Mapping[str, Any]]


def organization_urn(value: str) -> str:
    """ "urn:li:organization:123" from the URN or the bare id; ValueError for anything else."""
    match = _ORGANIZATION.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError("not a LinkedIn organization")
    return f"urn:li:organization:{match['id']}"


def valid_version(value: str) -> bool:
    return bool(_VERSION.match(value or ""))


def post_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def unescape(commentary: str) -> str:
    """The text a little-text commentary shows (backslash escapes removed)."""
    return re.sub(r"\\(.)", r"\1", commentary, flags=re.DOTALL)


def next_midnight_utc(now: datetime | None = None) -> datetime:
    """LinkedIn's daily limits reset at midnight UTC and its 429 says nothing more."""
    now = now or datetime.now(UTC)
    return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def classify_linkedin(response: requests.Response, network: str) -> ConnectorError:
    """LinkedIn's {message, serviceErrorCode, status} answers in Dutch words."""
    status = response.status_code
    reason = provider_reason(response)
    if status == 426:
        return Rejected(
            _(
                "{network} ondersteunt de ingestelde API-versie niet meer. Vraag de ICT-beheerder in de siteconfiguratie een nieuwere versie te zetten ([linkedin] version)."
            ).format(network=network)
        )
    if status == 429:
        return RetryLater(
            _(
                "{network} vraagt om te wachten (te veel verzoeken vandaag). Postwijs probeert het later opnieuw."
            ).format(network=network),
            retry_moment(response) or next_midnight_utc(),
        )
    if status == 403:
        return Reconnect(
            _(
                "Meld het account opnieuw aan bij Accounts: Postwijs mist rechten bij {network} ({reason})."
            ).format(network=network, reason=reason)
        )
    if status in (400, 422):
        return Rejected(
            _("Pas het bericht aan: {network} weigert het ({reason}).").format(
                network=network, reason=reason
            )
        )
    return classify(response, network)


class LinkedinConnector(HttpConnector):
    """One LinkedIn organisation page. `load()` reads the vault entry (None: no sign-in) and
    `save(entry)` writes a renewed one; `refresher` renews a token near its end (None: no
    renewal, so an expired token is a Reconnect); `refresh_lock` is held around a renewal, the
    account's lock in the data folder, so two Postwijs processes never renew at once.
    `base_url` is LinkedIn's API (tests pass their own server). `on_unauthorized` is called on
    a 401."""

    capabilities = Capabilities(
        sign_in=SignIn.PASTED_TOKEN,
        find_posts=True,
        delete=True,
        alt_text=True,
        duplicates=Duplicates.DETECTION,
    )
    profile: NetworkProfile = LINKEDIN

    def __init__(
        self,
        load: Callable[[], Mapping[str, Any] | None],
        save: Callable[[Mapping[str, Any]], None] = lambda entry: None,
        *,
        version: str = DEFAULT_VERSION,
        refresher: Refresher | None = None,
        refresh_lock: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
        base_url: str = API,
        on_unauthorized: Callable[[], None] | None = None,
        verify: bool | str = True,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        if not valid_version(version):
            raise ValueError("Linkedin-Version is a month, YYYYMM")
        self._load = load
        self._save = save
        self.version = version
        self._refresher = refresher
        self._refresh_lock = refresh_lock
        self.base_url = base_url.rstrip("/")
        self._on_unauthorized = on_unauthorized
        self._now = now
        self.http = HttpSession(NETWORK, classify_error=self._classify, verify=verify)

    # --- protocol --------------------------------------------------------------------------

    def who_am_i(self) -> str:
        """The organisation page's name (Organization Lookup API)."""
        return self.name_of(self._organization())

    def name_of(self, organization: str) -> str:
        organization_id = organization_urn(organization).rsplit(":", 1)[-1]
        body = json_body(self._api("GET", f"/rest/organizations/{organization_id}"), dict, NETWORK)
        name = body.get("localizedName") or body.get("vanityName")
        if not isinstance(name, str) or not name:
            raise unexpected_answer(NETWORK)
        return name

    def postable_organizations(self) -> list[str]:
        """The organisations whose page the signed-in member may post for: their approved roles
        (organizationAcls, by role assignee), in LinkedIn's order, each once."""
        found: list[str] = []
        for page in range(ACLS_PAGES):
            query = urlencode(
                {
                    "q": "roleAssignee",
                    "state": "APPROVED",
                    "start": page * ACLS_PAGE_SIZE,
                    "count": ACLS_PAGE_SIZE,
                }
            )
            response = self._api(
                "GET", f"/rest/organizationAcls?{query}", headers={"X-RestLi-Method": "FINDER"}
            )
            elements = json_body(response, dict, NETWORK).get("elements")
            if not isinstance(elements, list):
                raise unexpected_answer(NETWORK)
            for item in elements:
                if not isinstance(item, dict) or item.get("role") not in POSTING_ROLES:
                    continue
                try:
                    urn = organization_urn(str(item.get("organization") or ""))
                except ValueError:
                    continue
                if urn not in found:
                    found.append(urn)
            if len(elements) < ACLS_PAGE_SIZE:
                break
        return found

    def publish(self, post: OutgoingPost) -> PublishedPost:
        self._check_media(post.media)
        author = self._organization()
        images = [(self._upload(item, author), item.alt_text) for item in post.media]
        body: dict[str, object] = {
            "author": author,
            "commentary": textcount.linkedin_escape(post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        if len(images) == 1:
            body["content"] = {"media": _image(*images[0])}
        elif images:
            body["content"] = {"multiImage": {"images": [_image(*image) for image in images]}}
        response = self._api("POST", "/rest/posts", json=body, expected=(201,))
        urn = response.headers.get("x-restli-id", "")
        if not urn.startswith("urn:li:"):
            raise accepted_without_answer(NETWORK)
        return PublishedPost(urn, post_url(urn))

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the page's posts (newest first) from `since` on: the same text and the
        same number of images; the earliest when several match."""
        wanted = comparable_text(post.text)
        found = earliest_match(
            self._posts(FIND_POST_PAGES + 1),
            since,
            lambda item: _created(item),
            lambda item: (
                comparable_text(unescape(str(item.get("commentary") or ""))) == wanted
                and _image_count(item) == len(post.media)
            ),
            max_pages=FIND_POST_PAGES,
            network=NETWORK,
        )
        if found is None:
            return None
        urn = found.get("id")
        if not isinstance(urn, str) or not urn.startswith("urn:li:"):
            raise unexpected_answer(NETWORK)
        return PublishedPost(urn, post_url(urn))

    def delete(self, remote_id: str) -> None:
        """Deletes the post; one already gone (404) counts as deleted."""
        if not remote_id:
            raise ValueError("remote_id is empty")
        self._api("DELETE", f"/rest/posts/{quote(remote_id, safe='')}", expected=(204, 404))

    # --- media -----------------------------------------------------------------------------

    def _check_media(self, media: Sequence[OutgoingMedia]) -> None:
        refuse_too_many(media, self.profile.max_images, NETWORK)
        for item in media:
            if item.mime_type not in ("image/jpeg", "image/png", "image/gif"):
                raise Rejected(
                    _("Kies een foto (JPG, PNG of GIF) voor {network}.").format(network=NETWORK)
                )
            refuse_too_large(item, self.profile.image_max_bytes, NETWORK)
            refuse_long_alt_text(
                item, len(item.alt_text), self.profile.alt_text_limit or 0, NETWORK
            )

    def _upload(self, item: OutgoingMedia, owner: str) -> str:
        """initializeUpload, then one PUT of the whole file (LinkedIn keeps only the last PUT)."""
        response = self._api(
            "POST",
            "/rest/images?action=initializeUpload",
            json={"initializeUploadRequest": {"owner": owner}},
        )
        value = json_body(response, dict, NETWORK).get("value")
        upload_url = value.get("uploadUrl") if isinstance(value, dict) else None
        image = value.get("image") if isinstance(value, dict) else None
        if not isinstance(upload_url, str) or not isinstance(image, str):
            raise unexpected_answer(NETWORK)
        scheme_host = urlsplit(upload_url)
        if scheme_host.scheme not in ("https", "http") or not scheme_host.hostname:
            raise unexpected_answer(NETWORK)
        data = read_media(item)
        headers = {"Content-Type": "application/octet-stream"}
        # The token goes only to LinkedIn itself (or the API a test names), never elsewhere.
        host = scheme_host.hostname.lower()
        if _same_origin(upload_url, self.base_url) or host.endswith(".linkedin.com"):
            headers["Authorization"] = self._authorization()
        self.http.request("PUT", upload_url, data=data, headers=headers, timeout=UPLOAD_TIMEOUT)
        return image

    # --- reading posts ---------------------------------------------------------------------

    def _posts(self, max_pages: int) -> Iterator[list[dict]]:
        author = self._organization()
        for page in range(max_pages):
            query = urlencode(
                {
                    "q": "author",
                    "author": author,
                    "count": POSTS_PAGE_SIZE,
                    "start": page * POSTS_PAGE_SIZE,
                    "sortBy": "LAST_MODIFIED",
                }
            )
            response = self._api(
                "GET", f"/rest/posts?{query}", headers={"X-RestLi-Method": "FINDER"}
            )
            elements = json_body(response, dict, NETWORK).get("elements")
            if not isinstance(elements, list):
                raise unexpected_answer(NETWORK)
            items = [item for item in elements if isinstance(item, dict)]
            yield items
            if len(elements) < POSTS_PAGE_SIZE:
                return

    # --- sign-in and HTTP ------------------------------------------------------------------

    def _entry(self) -> Mapping[str, Any]:
        # The organisation is asked for where it is needed: a sign-in reads which pages the
        # member may post for before one is chosen.
        return signed_in_entry(
            self._load, lambda entry: bool(entry and entry.get("access_token")), NETWORK
        )

    def _organization(self) -> str:
        try:
            return organization_urn(str(self._entry().get("organization_urn") or ""))
        except ValueError:
            raise no_sign_in(NETWORK) from None

    def _authorization(self) -> str:
        entry = self._entry()
        if self._renewal_due(entry):
            with self._refresh_lock():
                # Another Postwijs process may have renewed it while this one waited for the
                # lock: then its token is used and LinkedIn is not asked twice.
                entry = self._entry()
                expires = self._renewal_due(entry)
                if expires is not None:
                    entry = self._renewed(entry, expires)
        return f"Bearer {entry['access_token']}"

    def _renewal_due(self, entry: Mapping[str, Any]) -> datetime | None:
        """The entry's expiry when it ends within the margin, else None."""
        expires = parse_time(entry.get("expires_at"))
        if expires is not None and expires - self._now() < REFRESH_MARGIN:
            return expires
        return None

    def _renewed(self, entry: Mapping[str, Any], expires: datetime) -> Mapping[str, Any]:
        refresh_token = entry.get("refresh_token")
        refresh_ends = parse_time(entry.get("refresh_expires_at"))
        usable = refresh_token and (refresh_ends is None or refresh_ends > self._now())
        if not usable or self._refresher is None:
            if expires > self._now():
                return entry  # still valid for now; renewing can wait for a refresher
            raise Reconnect(
                _(
                    "De aanmelding bij {network} is verlopen. Meld het account opnieuw aan bij Accounts."
                ).format(network=NETWORK)
            )
        grant = self._refresher(str(refresh_token))
        if not isinstance(grant.get("access_token"), str) or not grant["access_token"]:
            raise unexpected_answer(NETWORK)
        renewed = {
            **entry,
            "access_token": grant["access_token"],
            "expires_at": grant.get("expires_at"),
            "refresh_token": grant.get("refresh_token") or refresh_token,
            "refresh_expires_at": grant.get("refresh_expires_at")
            or entry.get("refresh_expires_at"),
        }
        try:
            self._save(renewed)
        except KeyringError as error:
            log.warning("vault write failed: %s", type(error).__name__)
            raise vault_unreadable(NETWORK) from None
        return renewed

    def _api(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs
    ) -> requests.Response:
        all_headers = {
            **(headers or {}),
            "Authorization": self._authorization(),
            "Linkedin-Version": self.version,
            "X-Restli-Protocol-Version": PROTOCOL_VERSION,
        }
        return self.http.request(method, self.base_url + path, headers=all_headers, **kwargs)

    def _classify(self, response: requests.Response, network: str) -> ConnectorError:
        if response.status_code == 401 and self._on_unauthorized is not None:
            # A failing hook (a locked vault): the Reconnect that follows says what to do.
            with contextlib.suppress(ConnectorError, KeyringError):
                self._on_unauthorized()
        return classify_linkedin(response, network)


def _image(urn: str, alt_text: str) -> dict[str, str]:
    return {"id": urn, "altText": alt_text} if alt_text else {"id": urn}


def _same_origin(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())


def _created(item: dict) -> datetime | None:
    value = item.get("createdAt") or item.get("publishedAt")
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    return None


def _image_count(item: dict) -> int:
    content = item.get("content")
    if not isinstance(content, dict):
        return 0
    if isinstance(content.get("media"), dict):
        return 1
    multi = content.get("multiImage")
    images = multi.get("images") if isinstance(multi, dict) else None
    return len(images) if isinstance(images, list) else 0


# --- the registry's hooks (connectors/__init__.py) ----------------------------------------------

ACCESS_TOKEN_DAYS = 60  # LinkedIn's access tokens live 60 days (../shared/networks.md section 4)


def capabilities_for(options: SignInOptions) -> Capabilities:
    """With the foundation's service the member signs in through the browser; without, IT
    pastes a token."""
    if options.koppeldienst_url:
        return replace(LinkedinConnector.capabilities, sign_in=SignIn.BROWSER)
    return LinkedinConnector.capabilities


def configuration_problem(account: Account, options: SignInOptions) -> str:
    """A LinkedIn account names its organisation page (handle: the page's id or URN); with the
    foundation's service it may leave it out when the member manages one page, and it names
    the loopback port that LinkedIn's app and the service list (redirect_port). Every missing
    setting is named, so IT mends them in one go."""
    missing = []
    if account.handle.strip() or not options.koppeldienst_url:
        try:
            organization_urn(account.handle)
        except ValueError:
            missing.append(
                _(
                    "Vraag de ICT-beheerder het nummer van de LinkedIn-pagina van dit account in de siteconfiguratie te zetten (handle, bijvoorbeeld urn:li:organization:2414183)."
                )
            )
    if options.koppeldienst_url and not koppeldienst.login_port(account.redirect_port):
        missing.append(
            _(
                "Vraag de ICT-beheerder de terugkeerpoort voor het aanmelden bij LinkedIn bij dit account in de siteconfiguratie te zetten (redirect_port, bijvoorbeeld 8767), dezelfde als in de LinkedIn-app en de koppeldienst (http://127.0.0.1:8767/callback)."
            )
        )
    return "\n".join(missing)


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    return bool(entry and entry.get("access_token") and entry.get("organization_urn"))


def connector(access: AccountAccess, options: SignInOptions) -> LinkedinConnector | Refusing:
    """The account's connector, its sign-in read from the vault at each request and a renewed
    token written back; a 401 tells the account service."""
    problem = configuration_problem(access.account, options)
    if problem:
        return Refusing(LINKEDIN, problem, LinkedinConnector.capabilities)

    def load() -> Mapping[str, Any] | None:
        entry = access.vault.read(access.account.id)
        return _without_note(entry) if entry else None

    def save(renewed: Mapping[str, Any]) -> None:
        # The account service's note beside the sign-in stays as it is.
        access.vault.write(
            access.account.id, {**(access.vault.read(access.account.id) or {}), **renewed}
        )

    return LinkedinConnector(
        load,
        save,
        version=options.linkedin_version,
        refresher=options.linkedin_refresher,
        refresh_lock=partial(refresh_lock, access.data_dir, access.account.id, NETWORK),
        on_unauthorized=access.sign_in_needed,
        verify=options.verify,
        base_url=options.linkedin_api,
    )


def sign_in(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """IT pasted an access token for the account's organisation page: it is checked (the page's
    name is read with it) before it goes to the vault. LinkedIn tells an app without its secret
    nothing about a token's age: its end is asked through the service where the site names
    one (_pasted_token_ends)."""
    problem = configuration_problem(access.account, options)
    if problem:
        raise Rejected(problem)
    if not request.app_password and options.koppeldienst_url:
        return _sign_in_through_service(access, request, options)
    token = request.app_password.strip()
    if not token or any(c.isspace() for c in token):
        raise Rejected(_("Plak het LinkedIn-token van de pagina (één regel, zonder spaties)."))
    if not access.account.handle.strip():
        raise Rejected(
            _(
                "Vraag de ICT-beheerder het nummer van de LinkedIn-pagina van dit account in de siteconfiguratie te zetten (handle, bijvoorbeeld urn:li:organization:2414183)."
            )
        )
    expires_at, latest = _pasted_token_ends(token, options)
    entry = {
        "organization_urn": organization_urn(access.account.handle),
        "access_token": token,
        "expires_at": expires_at,
        "refresh_token": None,
        "refresh_expires_at": None,
        "source": "pasted",
    }
    with LinkedinConnector(
        lambda: entry,
        version=options.linkedin_version,
        verify=options.verify,
        base_url=options.linkedin_api,
    ) as checking:
        try:
            name = checking.who_am_i()
        except Reconnect:
            raise Rejected(
                _(
                    "{network} neemt dit token niet aan voor deze pagina. Maak een nieuw token met de rechten w_organization_social, r_organization_social en rw_organization_admin, door een beheerder van de pagina, en plak dat."
                ).format(network=NETWORK)
            ) from None
    access.vault.write(access.account.id, entry)
    return SignedIn(name, note={"expiresAt": expires_at, "expiryIsLatest": latest})


def _pasted_token_ends(token: str, options: SignInOptions) -> tuple[str, bool]:
    """When a pasted token ends: LinkedIn's introspection through the foundation's service
    (it needs the client secret); without a service, or when it cannot answer now, the latest
    it can be (60 days from now), marked as such."""
    if options.koppeldienst_url:
        try:
            ends = koppeldienst.noted_expiry(
                koppeldienst.linkedin_token_expiry(options.koppeldienst_url, token)
            )
        except (RetryLater, Rejected, Reconnect) as error:
            # The check with LinkedIn's API that follows says whether the token works.
            log.info("token expiry not read: %s", type(error).__name__)
        else:
            if ends and ends != "never":
                return ends, False
    return (datetime.now(UTC) + timedelta(days=ACCESS_TOKEN_DAYS)).isoformat(), True


def _sign_in_through_service(
    access: AccountAccess, request: SignInRequest, options: SignInOptions
) -> SignedIn:
    """LinkedIn's authorization page in the system browser (the client id from the foundation's
    service); the service exchanges the code with the client secret for an access token and,
    where LinkedIn allows the app, a refresh token. The page is the account's own (handle) or,
    without one, the one page the member may post for; the member must hold a posting role on
    it. Only then does the sign-in go to the vault."""
    service = options.koppeldienst_url
    client_id = _mapping(koppeldienst.config(service).get("linkedin")).get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise Rejected(
            _(
                "De koppeldienst is niet ingesteld voor LinkedIn. Vraag de ICT-beheerder de client-id en het -geheim van de LinkedIn-app in de koppeldienst te zetten."
            )
        )
    config = ProviderConfig(
        network=NETWORK,
        authorize_url=f"{options.linkedin_authorization.rstrip('/')}/oauth/v2/authorization",
        token_url="",
        client_id=client_id,
        scopes=SCOPES,
        fixed_port=koppeldienst.login_port(access.account.redirect_port),
        cancel_errors=CANCEL_ERRORS,
    )
    grant = koppeldienst.sign_in_in_browser(
        config,
        partial(koppeldienst.exchange_linkedin, service),
        access.account.id,
        options,
        request,
    )
    entry: dict[str, Any] = {
        "organization_urn": None,
        "access_token": str(grant["access_token"]),
        "expires_at": grant.get("expires_at"),
        "refresh_token": grant.get("refresh_token") or None,
        "refresh_expires_at": grant.get("refresh_expires_at"),
        "source": "koppeldienst",
    }
    with LinkedinConnector(
        lambda: entry,
        version=options.linkedin_version,
        verify=options.verify,
        base_url=options.linkedin_api,
    ) as checking:
        served = grant.get("organizations")
        postable = [
            urn
            for urn in checking.postable_organizations()
            if not isinstance(served, list) or urn in served
        ]
        entry["organization_urn"] = _chosen_organization(access.account, postable, checking)
        name = checking.who_am_i()
    access.vault.write(access.account.id, entry)
    return SignedIn(name, note={"expiresAt": sign_in_ends(entry)})


def _chosen_organization(account: Account, postable: list[str], checking: LinkedinConnector) -> str:
    """The account's page when the member may post for it; without a handle, the member's only
    page. Anything else is refused in Dutch, saying which pages the member does manage."""
    if account.handle.strip():
        wanted = organization_urn(account.handle)
        if wanted in postable:
            return wanted
        raise Rejected(
            _(
                "Met dit LinkedIn-account mag je niet plaatsen op de pagina van {name}. Meld aan met een account dat beheerder of inhoudsbeheerder van die pagina is."
            ).format(name=account.name)
        )
    if len(postable) == 1:
        return postable[0]
    if not postable:
        raise Rejected(
            _(
                "Met dit LinkedIn-account mag je op geen enkele pagina plaatsen. Meld aan met een account dat beheerder of inhoudsbeheerder van de pagina van de school is."
            )
        )
    names = ", ".join(checking.name_of(urn) for urn in postable[:10])
    raise Rejected(
        _(
            "Dit LinkedIn-account beheert meer dan één pagina ({names}). Vraag de ICT-beheerder in de siteconfiguratie bij dit account te zetten welke (handle, bijvoorbeeld urn:li:organization:2414183)."
        ).format(names=names)
    )


def sign_in_ends(entry: Mapping[str, Any]) -> str | None:
    """When the sign-in itself ends: the refresh token's end where there is one (the access
    token is renewed until then), else the access token's."""
    if entry.get("refresh_token"):
        return entry.get("refresh_expires_at") or None
    return entry.get("expires_at") or None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    """LinkedIn has no documented way for an app to withdraw a token: it leaves the vault, and
    IT withdraws it at LinkedIn."""
    access.vault.delete(access.account.id)
    return Revoked(
        False,
        _(
            "Afgemeld op deze computer. Het token werkt bij {network} nog tot het verloopt; laat de ICT-beheerder het intrekken in de LinkedIn-ontwikkelaarsportal."
        ).format(network=NETWORK),
    )


def _without_note(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key != "postwijs"}
