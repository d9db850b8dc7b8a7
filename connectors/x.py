"""X (the X API v2): sign-in as a Native App (OAuth 2.0 + PKCE, public client, on the fixed
loopback port registered with X), posts with up to four photos (upload, then alt text as
metadata) or one video (chunked: initialize, append, finalize, status polling), find_post by
reading our own recent posts (X has no idempotency key), delete, follows and who-am-I.

Facts from ../shared/networks.md section 1 and the oracle ../shared/oracles/x-openapi-2.167.json.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import requests

from app.i18n import _
from app.networks.connector import (
    Capabilities,
    ConnectorError,
    CreditsUsedUp,
    Duplicates,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Refusing,
    Rejected,
    RetryLater,
    SignIn,
    UploadProgress,
    no_progress,
)
from app.networks.profiles import X
from app.networks.registry import AccountAccess, Revoked, SignedIn, SignInRequest, Vault
from app.site.config import Account
from connectors.base import HttpConnector, SignInOptions
from connectors.http import HttpSession, classify, provider_reason, retry_moment
from connectors.oauth import OAuthClient, ProviderConfig, SignInFailed, Token, signed_out
from connectors.rest import (
    earliest_match,
    json_body,
    parse_time,
    read_media,
    refuse_too_many,
    search_start,
    unexpected_answer,
)

NETWORK = "X"
API = "https://api.x.com"
AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
REDIRECT_PATH = "/x/callback"
# Posting, media, deleting and reading our own posts, the follows for the friend audit, and
# offline.access for a refresh token (without it the sign-in ends after two hours).
SCOPES = (
    "tweet.read",
    "tweet.write",
    "users.read",
    "media.write",
    "follows.read",
    "offline.access",
)
# X names its problem types https://api.x.com/2/problems/… (older answers: api.twitter.com).
USAGE_CAPPED = "/2/problems/usage-capped"
DUPLICATE_MARK = "duplicate content"
CHUNK_SIZE = 4 * 1024 * 1024  # X accepts up to 5 MB per APPEND segment
MAX_STATUS_POLLS = 120
MAX_SEARCH_PAGES = 32  # X's user timeline reaches back 3,200 posts


@dataclass(frozen=True)
class XApp:
    """The foundation's X app as the site configuration names it: its client id and the exact
    loopback port registered as its redirect address."""

    client_id: str
    port: int


def _problem_type(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("type") or "") if isinstance(body, dict) else ""


def classify_x(response: requests.Response, network: str) -> ConnectorError:
    """X's answers: problem+json (`type`, `title`, `detail`) or the older {code, message}."""
    kind = _problem_type(response)
    if kind.endswith(USAGE_CAPPED):
        return CreditsUsedUp(
            _(
                "Het tegoed of de bestedingslimiet van de stichting bij X is op: X plaatst niets tot de ICT-beheerder het tegoed of de limiet in de X-ontwikkelaarsconsole verhoogt. Postwijs houdt het bericht vast; kies daarna Opnieuw proberen bij Geschiedenis."
            )
        )
    if response.status_code == 429:
        return RetryLater(
            _(
                "X vraagt om even te wachten (te veel verzoeken). Postwijs probeert het op het aangegeven moment opnieuw."
            ),
            retry_moment(response),
        )
    if response.status_code == 403 and DUPLICATE_MARK in provider_reason(response).lower():
        return Duplicate(_("X kent dit bericht al: Postwijs zoekt het op."))
    if response.status_code == 403 and kind in ("", "about:blank"):
        # A plain 403 is a permission the sign-in lacks (a scope not granted, or a right taken
        # away since); X's own problem types (client-forbidden: the app's project) are a refusal
        # in X's words for IT.
        return Reconnect(
            _(
                "Postwijs mist toestemming voor dit X-account. Meld het account opnieuw aan bij Accounts en sta alle gevraagde toestemmingen toe."
            )
        )
    return classify(response, network)


class Duplicate(Rejected):
    """X refuses a post with the same text as one of ours: it was most likely placed by an
    earlier attempt, so publish() looks it up rather than failing."""


class XConnector(HttpConnector):
    capabilities: ClassVar[Capabilities] = Capabilities(
        sign_in=SignIn.BROWSER,
        list_follows=True,
        find_posts=True,
        delete=True,
        video=True,
        alt_text=True,
        duplicates=Duplicates.DETECTION,
    )
    profile = X

    def __init__(
        self,
        client: OAuthClient,
        *,
        api: str = API,
        sign_in_needed: Callable[[], None] = lambda: None,
        verify: bool | str = True,
        on_progress: UploadProgress = no_progress,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.client = client
        self.api = api.rstrip("/")
        self.sign_in_needed = sign_in_needed
        self.http = HttpSession(NETWORK, classify_x, verify=verify)
        self.on_progress = on_progress
        self.sleep = sleep
        self._me: dict[str, str] | None = None

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.client.authorized_request(self.http, method, self.api + path, **kwargs)
        except Reconnect:
            self.sign_in_needed()
            raise

    def _json(self, method: str, path: str, **kwargs: Any) -> dict:
        return json_body(self._call(method, path, **kwargs), dict, NETWORK)

    # --- who we are -------------------------------------------------------------------------

    def connect(self) -> str:
        self.client.authorize()
        return self.who_am_i()

    def _account(self) -> dict[str, str]:
        if self._me is None:
            data = self._json("GET", "/2/users/me").get("data")
            if not isinstance(data, dict) or not data.get("id") or not data.get("username"):
                raise unexpected_answer(NETWORK)
            self._me = {"id": str(data["id"]), "username": str(data["username"])}
        return self._me

    def who_am_i(self) -> str:
        return "@" + self._account()["username"]

    def _url(self, post_id: str) -> str:
        return f"https://x.com/{self._account()['username']}/status/{post_id}"

    # --- publishing -------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        started = datetime.now().astimezone()
        media_ids = self._upload_all(post.media)
        body: dict[str, Any] = {"text": post.text}
        if media_ids:
            body["media"] = {"media_ids": media_ids}
        try:
            answer = self._json("POST", "/2/tweets", json=body)
        except Duplicate:
            # Ours only if placed since this attempt began (a request that went through while
            # its answer was lost; the outbox looks from the first attempt before it sends
            # again). An older post with the same text is someone's earlier post, not this one.
            found = self.find_post(post, started)
            if found is None:
                raise Rejected(
                    _(
                        "X weigert dit bericht omdat het account eerder precies dezelfde tekst plaatste. Pas de tekst iets aan en probeer het opnieuw."
                    )
                ) from None
            return found
        data = answer.get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise unexpected_answer(NETWORK)
        return PublishedPost(str(data["id"]), self._url(str(data["id"])))

    def _upload_all(self, media: tuple[OutgoingMedia, ...]) -> list[str]:
        videos = [m for m in media if m.mime_type.startswith("video/")]
        if videos:
            if len(media) > 1:
                raise Rejected(
                    _("X plaatst één video per bericht, zonder foto's erbij. Kies één video.")
                )
            return [self._upload_video(videos[0])]
        refuse_too_many(media, X.max_images, NETWORK)
        return [self._upload_photo(item) for item in media]

    def _upload_photo(self, item: OutgoingMedia) -> str:
        data = read_media(item)
        answer = self._json(
            "POST",
            "/2/media/upload",
            files={"media": (Path(item.path).name, data, item.mime_type)},
            data={"media_category": "tweet_image"},
        )
        media_id = self._media_id(answer)
        if item.alt_text:
            self._call(
                "POST",
                "/2/media/metadata",
                json={"id": media_id, "metadata": {"alt_text": {"text": item.alt_text}}},
            )
        return media_id

    @staticmethod
    def _media_id(answer: Mapping[str, Any]) -> str:
        data = answer.get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise unexpected_answer(NETWORK)
        return str(data["id"])

    def _upload_video(self, item: OutgoingMedia) -> str:
        data = read_media(item)
        media_id = self._media_id(
            self._json(
                "POST",
                "/2/media/upload/initialize",
                json={
                    "media_type": item.mime_type,
                    "total_bytes": len(data),
                    "media_category": "tweet_video",
                },
            )
        )
        self.on_progress(0, len(data))
        for index, start in enumerate(range(0, len(data), CHUNK_SIZE)):
            self._call(
                "POST",
                f"/2/media/upload/{media_id}/append",
                files={"media": ("chunk", data[start : start + CHUNK_SIZE])},
                data={"segment_index": str(index)},
            )
            self.on_progress(min(start + CHUNK_SIZE, len(data)), len(data))
        answer = self._json("POST", f"/2/media/upload/{media_id}/finalize")
        for _poll in range(MAX_STATUS_POLLS):
            info = (answer.get("data") or {}).get("processing_info")
            if not isinstance(info, dict) or info.get("state") == "succeeded":
                return media_id
            if info.get("state") == "failed":
                raise Rejected(
                    _(
                        "X kon de video niet verwerken. Controleer of het een gewone MP4-video is en probeer het opnieuw."
                    )
                )
            self.sleep(float(info.get("check_after_secs") or 1))
            answer = self._json(
                "GET", "/2/media/upload", params={"command": "STATUS", "media_id": media_id}
            )
        raise RetryLater(_("X is de video nog aan het verwerken. Postwijs probeert het later."))

    # --- finding, deleting, follows -------------------------------------------------------------

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among our own posts from `since` on, by its exact text."""
        user_id = self._account()["id"]
        params: dict[str, Any] = {
            "max_results": 100,
            "start_time": search_start(since).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tweet.fields": "created_at",
        }

        def pages():
            while True:
                page = self._json("GET", f"/2/users/{user_id}/tweets", params=params)
                yield [p for p in page.get("data") or [] if isinstance(p, dict)]
                next_token = (page.get("meta") or {}).get("next_token")
                if not next_token:
                    return
                params["pagination_token"] = next_token

        match = earliest_match(
            pages(),
            since,
            lambda p: parse_time(p.get("created_at")),
            lambda p: p.get("text") == post.text,
            max_pages=MAX_SEARCH_PAGES,
            network=NETWORK,
        )
        return PublishedPost(str(match["id"]), self._url(str(match["id"]))) if match else None

    def delete(self, remote_id: str) -> None:
        # 404: already gone (deleted on X itself, or by an earlier attempt): nothing left to do.
        self._call("DELETE", f"/2/tweets/{remote_id}", expected=(200, 404))

    def list_follows(self) -> list[str]:
        user_id = self._account()["id"]
        params: dict[str, Any] = {"max_results": 1000}
        handles: list[str] = []
        while True:
            page = self._json("GET", f"/2/users/{user_id}/following", params=params)
            handles += ["@" + u["username"] for u in page.get("data") or [] if u.get("username")]
            next_token = (page.get("meta") or {}).get("next_token")
            if not next_token:
                return handles
            params["pagination_token"] = next_token


def provider(app: XApp, api: str = API, authorize_url: str = AUTHORIZE_URL) -> ProviderConfig:
    """X's authorisation server for the foundation's app: a public client (no secret)."""
    return ProviderConfig(
        network=NETWORK,
        authorize_url=authorize_url,
        token_url=api.rstrip("/") + "/2/oauth2/token",
        revoke_url=api.rstrip("/") + "/2/oauth2/revoke",
        client_id=app.client_id,
        scopes=SCOPES,
        fixed_port=app.port,
        redirect_path=REDIRECT_PATH,
    )


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    return entry is not None and Token.from_secret(entry) is not None


def sign_in(
    client: OAuthClient, api: str = API, cancelled: threading.Event | None = None, **kwargs: Any
) -> str:
    """Signs in in the browser and returns the handle now connected."""
    client.authorize(cancelled=cancelled)
    with XConnector(client, api=api, verify=client.verify, **kwargs) as connected:
        return connected.who_am_i()


def oauth_client(
    app: XApp, vault: Vault, account_id: str, api: str = API, **kwargs: Any
) -> OAuthClient:
    authorize_url = kwargs.pop("authorize_url", AUTHORIZE_URL)
    return OAuthClient(provider(app, api, authorize_url), vault, account_id, **kwargs)


# --- the registry's hooks (connectors/__init__.py) -----------------------------------------------


def app_of(account: Account) -> XApp | None:
    """The foundation's X app from the account's site configuration, None when incomplete."""
    port = account.redirect_port.strip()
    if not account.client_id.strip() or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return XApp(account.client_id.strip(), int(port))


def configuration_problem(account: Account) -> str:
    if app_of(account) is not None:
        return ""
    return _(
        "Voor X moet de ICT-beheerder in de siteconfiguratie bij dit account client_id (de client-id van de app van de stichting in de X-ontwikkelaarsconsole) en redirect_port (de poort van het geregistreerde terugkeeradres http://127.0.0.1:POORT/x/callback) invullen."
    )


def _client_for(access: AccountAccess, options: SignInOptions, app: XApp) -> OAuthClient:
    return oauth_client(
        app,
        access.vault,
        access.account.id,
        api=API,
        authorize_url=AUTHORIZE_URL,
        open_browser=options.open_browser,
        verify=options.verify,
        lock_dir=access.data_dir,
    )


def connector(access: AccountAccess, options: SignInOptions) -> XConnector | Refusing:
    app = app_of(access.account)
    if app is None:
        return Refusing(X, configuration_problem(access.account), XConnector.capabilities)
    return XConnector(
        _client_for(access, options, app),
        api=API,
        sign_in_needed=access.sign_in_needed,
        verify=options.verify,
    )


def sign_in_hook(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """Signs in in the browser; a sign-in as another account than the configuration names is
    withdrawn at once."""
    app = app_of(access.account)
    if app is None:
        raise Rejected(configuration_problem(access.account))
    client = _client_for(access, options, app)
    client.authorize(timeout=options.sign_in_timeout, cancelled=request.cancelled)
    try:
        with XConnector(client, api=API, verify=options.verify) as signed_in:
            who = signed_in.who_am_i()
    except ConnectorError:
        client.revoke()
        raise
    expected = access.account.handle.strip().lstrip("@").lower()
    if expected and expected != who.lstrip("@").lower():
        client.revoke()
        raise SignInFailed(
            _(
                "Je bent aangemeld als {actual}, maar dit account is {expected}. Meld je in de browser aan als {expected} en probeer het opnieuw."
            ).format(actual=who, expected=access.account.handle)
        )
    return SignedIn(who)


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    app = app_of(access.account)
    if app is None:
        access.vault.delete(access.account.id)
        revoked = False
    else:
        revoked = _client_for(access, options, app).revoke()
    return signed_out(
        revoked,
        NETWORK,
        _(
            "Afgemeld op deze computer, maar X kon de toegang van Postwijs niet intrekken. Trek die toegang zelf in bij X (Instellingen, Beveiliging en accounttoegang, Apps en sessies)."
        ),
    )
