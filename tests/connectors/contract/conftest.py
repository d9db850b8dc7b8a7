"""One rig per connector: its contract server, the connector signed in to it, and what the
suite needs to know about the network (which call places a post, how it reads back).

A new network adds one `Rig` factory here; where what a user sees differs by network (a
sign-in renewed rather than asked for, an upload that resumes by itself), a `Rig` field says so
and the case checks that outcome instead."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.networks.connector import OutgoingMedia, PublishedPost
from connectors import koppeldienst
from connectors.bluesky import BlueskyConnector
from connectors.facebook import FacebookConnector
from connectors.instagram import InstagramConnector
from connectors.linkedin import LinkedinConnector, next_midnight_utc
from connectors.mastodon import BROAD_SCOPES, SCOPES, MastodonConnector
from connectors.oauth import Token
from connectors.x import SCOPES as X_SCOPES
from connectors.x import XApp, XConnector, oauth_client
from connectors.youtube import QUOTA_WAIT, GoogleOAuthClient, YouTubeConnector, provider_config
from connectors.youtube import SCOPES as YOUTUBE_SCOPES
from tests.app.test_media_video import make_video
from tests.meta_rigs import instagram_service
from tests.servers.bluesky_server import BlueskyServer
from tests.servers.contract import ContractServer
from tests.servers.facebook_server import FacebookGraphServer
from tests.servers.instagram_server import InstagramGraphServer, transient
from tests.servers.linkedin_server import LinkedinServer
from tests.servers.mastodon_server import MastodonServer
from tests.servers.x_server import XServer
from tests.servers.youtube_server import YouTubeServer


@dataclass(frozen=True)
class Stored:
    """A post as the network keeps it: its text and the alt text of each image, in order."""

    text: str
    alts: tuple[str, ...] = ()


@dataclass
class Rig:
    network: str  # the name the connector's messages use
    server: ContractServer
    connector: Any
    post_call: tuple[str, str]  # method and path of the request that places a post
    stored: Callable[[], list[Stored]]
    add_old_post: Callable[[str, datetime], None]
    # How the network says it has a fault: status, body and, where the body is not plain JSON,
    # its headers.
    server_error: tuple[int, object] | tuple[int, object, dict[str, str]]
    # What a user sees when every token the server gave out has expired: Mastodon's tokens do
    # not expire by themselves, so an expired one means signing in again; Bluesky's session is
    # renewed with the refresh token or the app password, and the post goes out.
    expired_token_reconnects: bool
    # The moment a rate-limited network tells the client to come back, for a budget the server
    # resets at `reset`: most send it in headers; LinkedIn sends none and resets at 00:00 UTC.
    told_reset: Callable[[datetime], datetime] = lambda reset: reset
    # How much later than that the connector may come back: Meta tells whole minutes.
    reset_precision: timedelta = timedelta(0)
    # What every post carries on a network that takes none without (Instagram: a photo).
    required_media: tuple[OutgoingMedia, ...] = ()
    # The photo formats the network takes (Instagram: JPEG only).
    photo_formats: tuple[str, str] = ("PNG", "JPEG")
    # Whether the post's URL is the post's own: most networks put its id in it; Instagram's
    # permalink names a short code instead.
    links_to: Callable[[PublishedPost], bool] = lambda published: (
        published.remote_id.rsplit("/", 1)[-1] in published.url
    )
    # Whether a post may carry photos: YouTube takes exactly one video and refuses photos
    # before it sends anything.
    takes_photos: bool = True
    # Whether a fault or a dropped connection while the post's bytes go up is settled within
    # the same publish: YouTube's resumable upload asks Google what arrived and goes on from
    # there, so the user sees the video placed once instead of a retry later.
    resumes_uploads: bool = False
    # Whether the account may place a text it placed before: X refuses it (403 duplicate
    # content), so a case that needs an older post with the same text places another text.
    same_text_again: bool = True

    def plain(self, text: str) -> Stored:
        """A post of `text` as the network keeps it, with the media every post carries here."""
        return Stored(text, tuple(item.alt_text for item in self.required_media))


@dataclass(frozen=True)
class Place:
    """Where a rig keeps what it makes (files, processes), given up after the case."""

    tmp_path: Path
    stack: contextlib.ExitStack


class MemorySessions:
    """The Bluesky session store the app keeps in the vault, here in memory."""

    def __init__(self) -> None:
        self.session: dict | None = None

    def load(self) -> dict | None:
        return self.session

    def save(self, session: dict | None) -> None:
        self.session = dict(session) if session else None


def mastodon_rig(server: MastodonServer, place: Place) -> Rig:
    # A compatible server grants broad scopes only: its users hold what the sign-in fell back to.
    token = server.issue_token(" ".join(BROAD_SCOPES if server.compatible else SCOPES))
    connector = MastodonConnector(
        server.base_url, token_provider=lambda: token, sleep=lambda _seconds: None
    )

    def stored() -> list[Stored]:
        return [
            Stored(s.text, tuple(server.media[m].description for m in s.media_ids))
            for s in server.stored_statuses()
        ]

    return Rig(
        "Mastodon",
        server,
        connector,
        ("POST", r"/api/v1/statuses"),
        stored,
        lambda text, moment: server.add_status(text, created_at=moment),
        (503, {"error": "Service Unavailable"}),
        expired_token_reconnects=True,
    )


def bluesky_rig(server: BlueskyServer, place: Place) -> Rig:
    password = server.account.app_password
    connector = BlueskyConnector(
        server.account.handle, lambda: password, MemorySessions(), service=server.base_url
    )

    def stored() -> list[Stored]:
        posts = []
        for value in server.posts():
            images = (value.get("embed") or {}).get("images") or []
            posts.append(Stored(value["text"], tuple(image["alt"] for image in images)))
        return posts

    return Rig(
        "Bluesky",
        server,
        connector,
        ("POST", r"/xrpc/com\.atproto\.repo\.createRecord"),
        stored,
        server.add_post,
        (502, {"error": "UpstreamFailure", "message": "Upstream Failure"}),
        expired_token_reconnects=False,
    )


def linkedin_rig(server: LinkedinServer, place: Place) -> Rig:
    entry = {
        "organization_urn": server.organization,
        "access_token": server.issue_token(),
        "expires_at": None,
        "refresh_token": None,
        "refresh_expires_at": None,
        "source": "pasted",
    }
    connector = LinkedinConnector(lambda: entry, base_url=server.base_url)

    def stored() -> list[Stored]:
        return [Stored(post.text, post.alts) for post in server.stored_posts()]

    return Rig(
        "LinkedIn",
        server,
        connector,
        ("POST", r"/rest/posts"),
        stored,
        server.add_post,
        (500, {"message": "Internal Server Error", "status": 500}),
        expired_token_reconnects=True,  # without a refresh token; renewal: test_linkedin.py
        told_reset=lambda reset: next_midnight_utc(),
    )


def facebook_rig(server: FacebookGraphServer, place: Place) -> Rig:
    entry = {"page_id": server.page_id, "page_token": server.issue_token(), "source": "pasted"}
    connector = FacebookConnector(lambda: entry, base_url=server.base_url)

    def stored() -> list[Stored]:
        return [Stored(post.message, post.alts) for post in server.stored_posts()]

    def links_to(published: PublishedPost) -> bool:
        return server.posts[published.remote_id].permalink == published.url

    return Rig(
        "Facebook",
        server,
        connector,
        # a text and several photos go out as one feed post (one photo through /photos)
        ("POST", r"/v26\.0/\d+/feed"),
        stored,
        server.add_post,
        transient(),
        expired_token_reconnects=True,
        reset_precision=timedelta(minutes=1),
        links_to=links_to,
    )


def instagram_rig(server: InstagramGraphServer, place: Place) -> Rig:
    """Instagram through the foundation's service as a real process, which the server fetches
    every photo from."""
    service = place.stack.enter_context(instagram_service(server, place.tmp_path))
    entry = {"ig_user_id": server.ig_user_id, "access_token": server.issue_token()}
    connector = InstagramConnector(
        lambda: entry,
        photo_host=partial(koppeldienst.host_instagram_photo, service.base_url),
        base_url=server.base_url,
        sleep=lambda _seconds: None,
    )
    photo = made_photo(place.tmp_path, "plein.jpeg", "JPEG", (400, 300), "Het plein in de zon.")

    def stored() -> list[Stored]:
        return [Stored(media.caption, media.alts) for media in server.stored_media()]

    def links_to(published: PublishedPost) -> bool:
        return server.media[published.remote_id].permalink == published.url

    return Rig(
        "Instagram",
        server,
        connector,
        ("POST", r"/v26\.0/\d+/media_publish"),
        stored,
        lambda text, moment: server.add_media(text, moment),
        transient(),
        expired_token_reconnects=True,
        reset_precision=timedelta(minutes=1),
        required_media=(photo,),
        photo_formats=("JPEG", "JPEG"),
        links_to=links_to,
    )


class MemoryVault:
    """The password vault (connectors.secrets.SecretStore) for one case, here in memory; the
    real one is held to its contract in test_secrets.py."""

    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}

    def check_available(self) -> None:
        pass

    def read(self, account_id: str) -> dict | None:
        entry = self.entries.get(account_id)
        return dict(entry) if entry is not None else None

    def write(self, account_id: str, value: Mapping[str, Any]) -> None:
        self.entries[account_id] = dict(value)

    def delete(self, account_id: str) -> None:
        self.entries.pop(account_id, None)


def signed_in(vault: MemoryVault, account_id: str, access: str, refresh: str | None) -> None:
    """The vault entry a finished sign-in leaves (the flow itself: test_x.py, test_youtube.py)."""
    vault.write(account_id, Token(access, refresh, time.time() + 3600).to_secret())


def x_rig(server: XServer, place: Place) -> Rig:
    vault = MemoryVault()
    token = server.issue_token(" ".join(X_SCOPES))
    signed_in(vault, "x-regenboog", token.access, token.refresh)
    client = oauth_client(XApp(server.client_id, 1), vault, "x-regenboog", api=server.base_url)
    connector = XConnector(client, api=server.base_url, sleep=lambda _seconds: None)

    def stored() -> list[Stored]:
        return [
            Stored(post.text, tuple(server.media[m].alt_text or "" for m in post.media_ids))
            for post in server.stored_posts()
        ]

    return Rig(
        "X",
        server,
        connector,
        ("POST", r"/2/tweets"),
        stored,
        lambda text, moment: server.add_post(text, moment),
        server.fault(503),
        expired_token_reconnects=False,  # renewed with the (rotating) refresh token
        same_text_again=False,
    )


def youtube_rig(server: YouTubeServer, place: Place) -> Rig:
    vault = MemoryVault()
    token = server.issue_token(frozenset(YOUTUBE_SCOPES))
    signed_in(vault, "youtube-regenboog", token.access, token.refresh)
    config = provider_config(
        server.client_id,
        authorize_url=server.base_url + "/o/oauth2/v2/auth",
        token_url=server.base_url + "/token",
        revoke_url=server.base_url + "/revoke",
    )
    client = GoogleOAuthClient(config, vault, "youtube-regenboog")
    connector = YouTubeConnector(client, api_base=server.base_url)
    path = make_video(place.tmp_path / "koningsspelen.mp4")
    video = OutgoingMedia(str(path), "video/mp4", "", 320, 240)

    def stored() -> list[Stored]:
        # A video has no alt text: one media item each, with none.
        return [
            Stored(v.snippet.get("description", ""), ("",) if v.data else ())
            for v in server.stored_videos()
        ]

    def add_old_post(text: str, moment: datetime) -> None:
        # YouTube shows a post without a title under its first line.
        server.add_video(text.splitlines()[0], moment, description=text, data=path.read_bytes())

    return Rig(
        "YouTube",
        server,
        connector,
        # the chunk that completes the upload places the video (one chunk: a small video)
        ("PUT", r"/upload/youtube/v3/videos"),
        stored,
        add_old_post,
        server.fault(503),
        expired_token_reconnects=False,  # renewed with the refresh token
        # Google names no moment for a spent quota: the connector comes back 24 hours after the
        # refusal, which came within the last seconds.
        told_reset=lambda reset: datetime.now(UTC) + QUOTA_WAIT - timedelta(seconds=10),
        reset_precision=timedelta(seconds=10),
        required_media=(video,),
        takes_photos=False,
        resumes_uploads=True,
        links_to=lambda published: published.url.endswith("watch?v=" + published.remote_id),
    )


def compatible_server() -> MastodonServer:
    """A server that speaks the Mastodon client API but is not Mastodon (GoToSocial-like)."""
    return MastodonServer(compatible=True)


RIGS = {
    "mastodon": (MastodonServer, mastodon_rig),
    "mastodon-compatible": (compatible_server, mastodon_rig),
    "bluesky": (BlueskyServer, bluesky_rig),
    "linkedin": (LinkedinServer, linkedin_rig),
    "instagram": (InstagramGraphServer, instagram_rig),
    "facebook": (FacebookGraphServer, facebook_rig),
    "x": (XServer, x_rig),
    "youtube": (YouTubeServer, youtube_rig),
}


@pytest.fixture(params=sorted(RIGS))
def rig(request, tmp_path) -> Iterator[Rig]:
    """Each contract case once per connector; leaving the server fails the case on any
    deviation the case did not announce."""
    server_class, make = RIGS[request.param]
    with server_class() as server, contextlib.ExitStack() as stack:
        made = make(server, Place(tmp_path, stack))
        try:
            yield made
        finally:
            made.connector.close()


def made_photo(
    folder: Path, name: str, kind: str, size: tuple[int, int], alt: str
) -> OutgoingMedia:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=kind)
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return OutgoingMedia(str(path), f"image/{kind.lower()}", alt, *size)


@pytest.fixture
def photos(tmp_path, rig) -> tuple[OutgoingMedia, ...]:
    """Two real photos (PNG and JPEG, made here, in the formats the network takes) with their
    alt texts, of a size every network takes (Instagram: 320 to 1440 pixels wide)."""
    first, second = rig.photo_formats
    return (
        made_photo(
            tmp_path,
            f"speelplein.{first.lower()}",
            first,
            (640, 480),
            "Kinderen rennen over het schoolplein.",
        ),
        made_photo(
            tmp_path,
            f"zeskamp.{second.lower()}",
            second,
            (400, 300),
            "De zeskamp op het grasveld achter de school.",
        ),
    )
