"""YouTube (Data API v3): Google's installed-app sign-in, the resumable video upload, reading our
uploads back to settle an unknown outcome, and delete.

The upload follows Google's resumable protocol: a POST with the metadata opens a session whose
URI comes in `Location`; chunks (multiples of 256 KiB) go up with `Content-Range: bytes a-b/N`
and are answered 308 with `Range: bytes=0-n` until the last, answered with the Video. After a
dropped connection or a 5xx, `Content-Range: bytes */N` asks how much arrived and the upload
goes on from there. The session URI is kept (never the token) in an UploadSessions store keyed
by the post's client_key, so an upload also goes on after the app restarted. A video exists
only once its last byte arrived: a connection lost while the session opens is a plain retry
later, one lost after the last chunk (and the question what arrived) an unknown outcome.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, Protocol

import requests

from app.dutch_time import long_moment
from app.i18n import _
from app.networks.connector import (
    Capabilities,
    ConnectorError,
    Duplicates,
    Follow,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Refusing,
    Rejected,
    RetryLater,
    SignIn,
    UnknownOutcome,
    UploadProgress,
    no_progress,
)
from app.networks.profiles import YOUTUBE
from app.networks.registry import AccountAccess, Revoked, SignedIn, SignInRequest
from app.networks.textcount import utf16_units
from app.site.config import Account
from connectors.base import HttpConnector, SignInOptions
from connectors.http import HttpSession, classify, provider_reason
from connectors.oauth import OAuthClient, ProviderConfig, Token, signed_out
from connectors.rest import earliest_match, json_body, parse_time, unexpected_answer

log = logging.getLogger(__name__)

NETWORK = "YouTube"
UPLOAD_SCOPE = "https://www.googleapis.com/auth/youtube.upload"
FORCE_SSL_SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
SCOPES = (UPLOAD_SCOPE, FORCE_SSL_SCOPE)
API_BASE = "https://www.googleapis.com"
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
REVOKE_URL = "https://oauth2.googleapis.com/revoke"
CHUNK_GRANULARITY = 256 * 1024  # Google: every chunk but the last is a multiple of this
DEFAULT_CHUNK = 32 * CHUNK_GRANULARITY  # 8 MiB: few round trips, little memory
QUOTA_WAIT = timedelta(hours=24)
MAX_RESUMES = 5  # status queries in a row without progress before giving up for now
TITLE_LIMIT = 100
UPLOAD_TIMEOUT = (10, 300)
MAX_PAGES = 4
PAGE_SIZE = 50  # the most subscriptions.list and channels.list give or take in one call
MAX_FOLLOW_PAGES = 200  # 10,000 subscriptions: more than any school channel has


@dataclass(frozen=True)
class YouTubePolicy:
    """What the site configuration says about this channel's videos. School videos are made for
    kids unless the site says otherwise; unlisted unless it names public or private."""

    made_for_kids: bool = True
    privacy: str = "unlisted"  # public, unlisted or private


class UploadSessions(Protocol):
    """Where an unfinished upload's session URI is kept by the post's client_key."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, url: str) -> None: ...

    def drop(self, key: str) -> None: ...


class UploadSessionFile:
    """UploadSessions in a JSON file of the data folder, written atomically. A session URI lets
    only the rest of that one upload in (Google drops it after a week); no token is kept."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return (
            {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}
        )

    def _write(self, data: Mapping[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(dict(data)), encoding="utf-8")
        os.replace(temporary, self.path)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._read().get(key)

    def put(self, key: str, url: str) -> None:
        with self._lock:
            self._write({**self._read(), key: url})

    def drop(self, key: str) -> None:
        with self._lock:
            data = self._read()
            if data.pop(key, None) is not None:
                self._write(data)


class MemorySessions:
    """UploadSessions for one run only."""

    def __init__(self) -> None:
        self.urls: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.urls.get(key)

    def put(self, key: str, url: str) -> None:
        self.urls[key] = url

    def drop(self, key: str) -> None:
        self.urls.pop(key, None)


# --- errors ---------------------------------------------------------------------------------


def _reasons(response: requests.Response) -> set[str]:
    try:
        body = response.json()
    except ValueError:
        return set()
    error = body.get("error") if isinstance(body, dict) else None
    errors = error.get("errors") if isinstance(error, dict) else None
    if not isinstance(errors, list):
        return set()
    return {str(e.get("reason")) for e in errors if isinstance(e, dict)}


def quota_message(reason: str, moment: datetime) -> str:
    when = long_moment(moment)
    if reason == "uploadLimitExceeded":
        return _(
            "Dit YouTube-kanaal mag vandaag geen video's meer uploaden. Postwijs probeert het opnieuw op {moment}."
        ).format(moment=when)
    return _(
        "Het dagelijkse YouTube-quotum van Postwijs is op. Postwijs probeert het opnieuw op {moment}; de ICT-beheerder kan bij Google Cloud een hoger quotum aanvragen."
    ).format(moment=when)


def classify_youtube(
    response: requests.Response,
    network: str,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ConnectorError:
    """Google's error shape: the reason decides (quota, upload limit, permission, title)."""
    reasons = _reasons(response)
    status = response.status_code
    for reason in ("quotaExceeded", "dailyLimitExceeded", "uploadLimitExceeded"):
        if reason in reasons:
            moment = now() + QUOTA_WAIT
            return RetryLater(quota_message(reason, moment), moment)
    if status == 403 and reasons & {"forbidden", "insufficientPermissions"}:
        return Reconnect(
            _(
                "Postwijs mist toestemming voor dit YouTube-kanaal. Meld het account opnieuw aan bij Accounts en vink alle gevraagde toestemmingen aan."
            )
        )
    if reasons & {"invalidTitle", "invalidDescription"}:
        return Rejected(
            _(
                "YouTube weigert de titel of de beschrijving: {reason}. Pas de titel of tekst aan (geen < of >, titel hoogstens 100 tekens)."
            ).format(reason=provider_reason(response))
        )
    return classify(response, network)


class GoogleOAuthClient(OAuthClient):
    """Google's refusal of a refresh token says the same for a revoked sign-in and for the
    7-day limit of an app in "Testing"; the message names both and what IT can do."""

    def _expired(self) -> Reconnect:
        return Reconnect(
            _(
                "De aanmelding bij YouTube is verlopen of ingetrokken. Meld het account opnieuw aan bij Accounts. Gebeurt dit elke 7 dagen, dan staat de Google-app van Postwijs nog op 'Testing': Google laat de aanmelding van zo'n app na 7 dagen verlopen. De ICT-beheerder zet de app in Google Cloud Console (OAuth-toestemmingsscherm) op 'In production' om dat te voorkomen."
            )
        )


def provider_config(
    client_id: str,
    *,
    authorize_url: str = AUTHORIZE_URL,
    token_url: str = TOKEN_URL,
    revoke_url: str = REVOKE_URL,
) -> ProviderConfig:
    """Google's installed-app flow: a public "Desktop app" client, loopback on any port, PKCE;
    access_type=offline for a refresh token, prompt=consent so one comes every time."""
    return ProviderConfig(
        network=NETWORK,
        authorize_url=authorize_url,
        token_url=token_url,
        client_id=client_id,
        scopes=SCOPES,
        revoke_url=revoke_url,
        redirect_path="/",
        extra_auth_params={"access_type": "offline", "prompt": "consent"},
    )


# --- the post's metadata --------------------------------------------------------------------


def video_title(post: OutgoingPost) -> str:
    """The post's title, else its first line; no < or > and at most 100 characters (UTF-16, as
    YouTube counts)."""
    title = post.title.strip() or next((ln for ln in post.text.splitlines() if ln.strip()), "")
    title = re.sub(r"[<>]", "", " ".join(title.split()))
    while utf16_units(title) > TITLE_LIMIT:
        title = title[:-1]
    return title.strip()


def video_metadata(post: OutgoingPost, policy: YouTubePolicy) -> dict[str, Any]:
    title = video_title(post)
    if not title:
        raise Rejected(_("Een YouTube-video heeft een titel nodig. Vul de titel in."))
    if len(post.text.encode()) > YOUTUBE.text_limit or re.search(r"[<>]", post.text):
        raise Rejected(
            _(
                "De beschrijving is te lang voor YouTube (hoogstens 5.000 bytes) of bevat < of >. Maak de tekst korter."
            )
        )
    return {
        "snippet": {
            "title": title,
            "description": post.text,
            "defaultLanguage": post.language,
            "categoryId": "27",  # Education
        },
        "status": {
            "privacyStatus": policy.privacy,
            "selfDeclaredMadeForKids": policy.made_for_kids,
            # The author's own declaration, asked in the composer for every YouTube video.
            "containsSyntheticMedia": post.synthetic_media,
            "embeddable": True,
        },
    }


def _watch_url(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def _received(response: requests.Response) -> int:
    """How many bytes Google has, from a 308's `Range: bytes=0-n` (none: 0)."""
    match = re.fullmatch(r"bytes=0-(\d+)", (response.headers.get("Range") or "").strip())
    return int(match.group(1)) + 1 if match else 0


class YouTubeConnector(HttpConnector):
    capabilities: ClassVar[Capabilities] = Capabilities(
        sign_in=SignIn.BROWSER,
        list_follows=True,
        find_posts=True,
        delete=True,
        video=True,
        duplicates=Duplicates.DETECTION,
    )
    profile = YOUTUBE

    def __init__(
        self,
        client: OAuthClient,
        *,
        api_base: str = API_BASE,
        policy: YouTubePolicy = YouTubePolicy(),
        sessions: UploadSessions | None = None,
        on_progress: UploadProgress = no_progress,
        chunk_size: int = DEFAULT_CHUNK,
        verify: bool | str = True,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        if chunk_size <= 0 or chunk_size % CHUNK_GRANULARITY:
            raise ValueError("chunk_size must be a positive multiple of 256 KiB")
        self.client = client
        self.api_base = api_base.rstrip("/")
        self.policy = policy
        self.sessions = sessions or MemorySessions()
        self.on_progress = on_progress
        self.chunk_size = chunk_size
        self.now = now
        self.http = HttpSession(
            NETWORK, lambda response, network: classify_youtube(response, network, now), verify
        )
        self._channel: dict | None = None

    # --- sign-in and who ----------------------------------------------------------------

    def connect(self) -> str:
        self.client.authorize()
        self._channel = None
        return self.who_am_i()

    def who_am_i(self) -> str:
        snippet = self._my_channel().get("snippet") or {}
        return str(snippet.get("customUrl") or snippet.get("title") or self._my_channel()["id"])

    def _my_channel(self) -> dict:
        if self._channel is None:
            body = json_body(
                self._call(
                    "GET",
                    "/youtube/v3/channels",
                    params={"part": "snippet,contentDetails", "mine": "true"},
                ),
                dict,
                NETWORK,
            )
            items = body.get("items")
            if not isinstance(items, list) or not items or not isinstance(items[0], dict):
                raise Rejected(
                    _(
                        "Dit Google-account heeft geen YouTube-kanaal. Maak het kanaal aan in YouTube of meld je aan met het account van het kanaal."
                    )
                )
            self._channel = items[0]
        return self._channel

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = path if path.startswith("http") else self.api_base + path
        return self.client.authorized_request(self.http, method, url, **kwargs)

    # --- publish --------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        if len(post.media) != 1 or not post.media[0].mime_type.startswith("video/"):
            raise Rejected(_("Een bericht op YouTube heeft precies één video nodig."))
        media = post.media[0]
        metadata = video_metadata(post, self.policy)
        try:
            total = os.path.getsize(media.path)
        except OSError:
            raise Rejected(
                _("De video is niet meer te lezen. Voeg hem opnieuw toe aan het bericht.")
            ) from None
        if total == 0:
            raise Rejected(_("De video is leeg. Voeg een andere video toe."))
        url = self.sessions.get(post.client_key)
        offset = 0
        if url is not None:
            state = self._ask(url, total)
            if isinstance(state, PublishedPost):
                self.sessions.drop(post.client_key)
                return state
            if state is None:  # Google forgot the session: start again
                self.sessions.drop(post.client_key)
                url = None
            else:
                offset = state
        if url is None:
            url = self._open_session(metadata, total, media.mime_type)
            self.sessions.put(post.client_key, url)
        published = self._send_from(url, media.path, offset, total)
        self.sessions.drop(post.client_key)
        return published

    def _open_session(self, metadata: dict, total: int, mime_type: str) -> str:
        try:
            response = self._call(
                "POST",
                "/upload/youtube/v3/videos",
                params={"uploadType": "resumable", "part": "snippet,status"},
                json=metadata,
                headers={
                    "X-Upload-Content-Length": str(total),
                    "X-Upload-Content-Type": mime_type,
                },
                expected=(200, 201),
            )
        except UnknownOutcome:
            # Opening a session sends no byte of the video; a video exists only once its last
            # byte arrived. Without the session's address nothing can be there: try again later.
            raise RetryLater(
                _(
                    "De verbinding met YouTube viel weg voordat de video geüpload werd; er staat nog niets op YouTube. Postwijs probeert het later opnieuw."
                )
            ) from None
        location = response.headers.get("Location")
        if not location:
            raise unexpected_answer(NETWORK)
        return location

    def _ask(self, url: str, total: int) -> int | PublishedPost | None:
        """How many bytes of the session arrived; the video when it is complete; None when
        Google no longer knows the session (404/410)."""
        try:
            response = self._call(
                "PUT",
                url,
                headers={"Content-Range": f"bytes */{total}", "Content-Length": "0"},
                expected=(200, 201, 308, 404, 410),
            )
        except UnknownOutcome as error:
            raise RetryLater(str(error)) from None
        if response.status_code in (404, 410):
            return None
        if response.status_code == 308:
            return _received(response)
        return self._video(response)

    def _send_from(self, url: str, path: str, offset: int, total: int) -> PublishedPost:
        stalled = 0
        self.on_progress(offset, total)
        with open(path, "rb") as video:
            while True:
                video.seek(offset)
                chunk = video.read(self.chunk_size)
                end = offset + len(chunk) - 1
                try:
                    response = self._call(
                        "PUT",
                        url,
                        data=chunk,
                        headers={"Content-Range": f"bytes {offset}-{end}/{total}"},
                        expected=(200, 201, 308),
                        timeout=UPLOAD_TIMEOUT,
                    )
                except RetryLater as error:
                    # A dropped connection or a fault mid-upload: ask what arrived, go on.
                    if isinstance(error, ConnectorError) and error.not_before is not None:
                        raise  # quota: wait for the moment Google names
                    stalled += 1
                    if stalled > MAX_RESUMES:
                        raise RetryLater(
                            _(
                                "Het uploaden naar YouTube lukt nu niet. Postwijs gaat later verder waar het gebleven was."
                            )
                        ) from None
                    try:
                        state = self._ask(url, total)
                    except RetryLater:
                        if end + 1 < total:
                            raise  # part of the video is missing: no video exists yet
                        # The last chunk may have completed the video and nobody heard.
                        raise UnknownOutcome(
                            _(
                                "De verbinding met YouTube viel weg na het laatste stuk van de video; Postwijs kijkt eerst of de video er al staat."
                            )
                        ) from None
                    if isinstance(state, PublishedPost):
                        return state
                    if state is None:
                        raise RetryLater(
                            _("YouTube is de upload kwijt. Postwijs begint later opnieuw.")
                        ) from None
                    offset = state
                    continue
                if response.status_code == 308:
                    arrived = _received(response)
                    stalled = 0 if arrived > offset else stalled + 1
                    if stalled > MAX_RESUMES:
                        raise unexpected_answer(NETWORK)
                    offset = arrived
                    self.on_progress(offset, total)
                    continue
                self.on_progress(total, total)
                return self._video(response)

    def _video(self, response: requests.Response) -> PublishedPost:
        body = json_body(response, dict, NETWORK)
        video_id = body.get("id")
        if not isinstance(video_id, str) or not video_id:
            raise unexpected_answer(NETWORK)
        return PublishedPost(video_id, _watch_url(video_id))

    # --- read back, delete ----------------------------------------------------------------

    def _upload_pages(self) -> Iterator[list[dict]]:
        playlist = (self._my_channel().get("contentDetails") or {}).get("relatedPlaylists", {})
        uploads = playlist.get("uploads")
        if not uploads:
            raise unexpected_answer(NETWORK)
        token: str | None = None
        while True:
            params = {"part": "snippet,contentDetails", "playlistId": uploads, "maxResults": "50"}
            if token:
                params["pageToken"] = token
            body = json_body(
                self._call("GET", "/youtube/v3/playlistItems", params=params), dict, NETWORK
            )
            items = body.get("items")
            yield [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
            token = body.get("nextPageToken")
            if not isinstance(token, str) or not token:
                return

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        title = video_title(post)
        description = post.text.strip()

        def created(item: dict) -> datetime | None:
            return parse_time((item.get("snippet") or {}).get("publishedAt"))

        def matches(item: dict) -> bool:
            snippet = item.get("snippet") or {}
            return (
                str(snippet.get("title") or "").strip() == title
                and str(snippet.get("description") or "").strip() == description
            )

        found = earliest_match(
            self._upload_pages(), since, created, matches, max_pages=MAX_PAGES, network=NETWORK
        )
        if found is None:
            return None
        video_id = (found.get("contentDetails") or {}).get("videoId") or (
            (found.get("snippet") or {}).get("resourceId") or {}
        ).get("videoId")
        if not isinstance(video_id, str) or not video_id:
            raise unexpected_answer(NETWORK)
        return PublishedPost(video_id, _watch_url(video_id))

    def list_follows(self) -> list[str]:
        """The channels this channel subscribes to (YouTube's following), for the friend audit.

        A follow is given as the channel's handle ("@sem_vlogt", its `customUrl`) where it has
        one, with its channel id ("UC…") as an alias, else as its channel id: a school may know
        a pupil's channel either way, and the audit matches both.
        A subscription names only the channel's id and title, so the handles come from
        channels.list, 50 ids a call; both calls are allowed by youtube.force-ssl."""
        channel_ids: list[str] = []
        seen: set[str] = set()  # a subscription that moved between pages during the paging
        token: str | None = None
        for _page in range(MAX_FOLLOW_PAGES):
            params = {"part": "snippet", "mine": "true", "maxResults": str(PAGE_SIZE)}
            if token:
                params["pageToken"] = token
            body = json_body(
                self._call("GET", "/youtube/v3/subscriptions", params=params), dict, NETWORK
            )
            for item in body.get("items") or []:
                resource = ((item.get("snippet") or {}) if isinstance(item, dict) else {}).get(
                    "resourceId"
                ) or {}
                channel_id = resource.get("channelId")
                if isinstance(channel_id, str) and channel_id and channel_id not in seen:
                    seen.add(channel_id)
                    channel_ids.append(channel_id)
            token = body.get("nextPageToken")
            if not isinstance(token, str) or not token:
                break
        handles = self._handles(channel_ids)
        return [
            Follow(handles[channel_id], aliases=(channel_id,))
            if channel_id in handles
            else channel_id
            for channel_id in channel_ids
        ]

    def _handles(self, channel_ids: list[str]) -> dict[str, str]:
        """The handle (customUrl) of each of these channels that has one."""
        handles: dict[str, str] = {}
        for start in range(0, len(channel_ids), PAGE_SIZE):
            batch = channel_ids[start : start + PAGE_SIZE]
            body = json_body(
                self._call(
                    "GET",
                    "/youtube/v3/channels",
                    params={"part": "snippet", "id": ",".join(batch), "maxResults": str(PAGE_SIZE)},
                ),
                dict,
                NETWORK,
            )
            for item in body.get("items") or []:
                if not isinstance(item, dict):
                    continue
                handle = (item.get("snippet") or {}).get("customUrl")
                if isinstance(item.get("id"), str) and isinstance(handle, str) and handle.strip():
                    handle = handle.strip()
                    handles[item["id"]] = handle if handle.startswith("@") else "@" + handle
        return handles

    def delete(self, remote_id: str) -> None:
        """Deleting a video that is already gone is no error."""
        self._call(
            "DELETE", "/youtube/v3/videos", params={"id": remote_id}, expected=(200, 204, 404)
        )


# --- the account's sign-in: the registry's hooks (connectors/__init__.py) ---------------------


def no_client_id() -> str:
    return _(
        "Vraag de ICT-beheerder de client-ID van de Google-app (type Desktop-app, met YouTube Data API v3 aan) bij dit account in de siteconfiguratie te zetten (client_id)."
    )


def configuration_problem(account: Account) -> str:
    return "" if account.client_id.strip() else no_client_id()


def has_sign_in(entry: Mapping[str, Any] | None) -> bool:
    return entry is not None and Token.from_secret(entry) is not None


def policy_of(account: Account) -> YouTubePolicy:
    return YouTubePolicy(made_for_kids=account.made_for_kids, privacy=account.privacy)


def _client(access: AccountAccess, options: SignInOptions) -> GoogleOAuthClient:
    return GoogleOAuthClient(
        provider_config(access.account.client_id.strip()),
        access.vault,
        access.account.id,
        open_browser=options.open_browser,
        verify=options.verify,
        lock_dir=access.data_dir,
    )


def connector(access: AccountAccess, options: SignInOptions) -> YouTubeConnector | Refusing:
    """The account's connector; unfinished uploads are kept in the data folder, per account."""
    if configuration_problem(access.account):
        return Refusing(YOUTUBE, no_client_id(), YouTubeConnector.capabilities)
    return YouTubeConnector(
        _client(access, options),
        policy=policy_of(access.account),
        sessions=UploadSessionFile(
            access.data_dir / "youtube-uploads" / f"{access.account.id}.json"
        ),
        verify=options.verify,
    )


def sign_in(access: AccountAccess, request: SignInRequest, options: SignInOptions) -> SignedIn:
    """Google's installed-app sign-in in the browser; returns the channel's handle."""
    client = _client(access, options)
    client.authorize(timeout=options.sign_in_timeout, cancelled=request.cancelled)
    try:
        with YouTubeConnector(client, verify=options.verify) as signed_in:
            return SignedIn(signed_in.who_am_i())
    except ConnectorError:
        client.revoke()
        raise


def revoke(access: AccountAccess, options: SignInOptions) -> Revoked:
    return signed_out(
        _client(access, options).revoke(),
        NETWORK,
        _(
            "Afgemeld op deze computer, maar Google kon de toegang van Postwijs niet intrekken. Trek die toegang zelf in op myaccount.google.com (Beveiliging, Apps van derden)."
        ),
    )
