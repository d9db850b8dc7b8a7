"""The Connector protocol that every network module implements, and the closed set of errors.

The outbox decides on the error's class alone: retry later, reconnect, or give up with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from app.networks.profiles import NetworkProfile


@dataclass(frozen=True)
class OutgoingMedia:
    """A prepared copy (metadata stripped, within the network's limits), never the original."""

    path: str
    mime_type: str
    alt_text: str = ""
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class OutgoingPost:
    """One target's exact post. `client_key` is stable across attempts, to find it again (it is
    also the Mastodon Idempotency-Key)."""

    client_key: str
    account_id: str
    account_name: str
    text: str
    media: tuple[OutgoingMedia, ...] = ()
    language: str = "nl"
    title: str = ""  # a network's separate title (YouTube); "" where the network has none
    synthetic_media: bool = False  # the author declared realistic AI-made or altered content


@dataclass(frozen=True)
class PublishedPost:
    remote_id: str
    url: str


@dataclass(frozen=True)
class RemotePost:
    """One of the account's own posts as the network shows it now (the yearly sweep).

    `resume` is where reading may start again to reach this post (its page's cursor, or "" for
    the first page); reading from it may give posts already seen, which the caller skips by id.
    `edited` is True or False when the network says whether the post was changed after placing
    (Mastodon's edited_at), None when it does not say (then the text is compared).
    `media_count` counts its photos and videos; `media_sha256` the files' hashes when the network
    gives the original files back (None: most re-encode them)."""

    remote_id: str
    created_at: datetime
    text: str
    url: str = ""
    media_sha256: tuple[str, ...] | None = None
    media_count: int = 0
    edited: bool | None = None
    resume: str = ""


class MentionKind(StrEnum):
    """How another account addressed the school's account."""

    MENTION = "mention"  # named it in a post
    REPLY = "reply"  # answered one of its posts
    QUOTE = "quote"  # quoted one of its posts


@dataclass(frozen=True)
class Mention:
    """A post by someone else that mentions, answers or quotes the school's account (Signalen).

    `remote_id` is the network's id of the notification or post (stable, to keep it once);
    `account` the school's handle that was addressed; `author_handle` the writer's handle, a
    personal detail; `url` opens the post on the network."""

    remote_id: str
    account: str
    kind: MentionKind
    author_handle: str
    text: str
    url: str
    created_at: datetime


UploadProgress = Callable[[int, int], None]
"""How far an upload is: the bytes the network has, the bytes in all. Called from the thread that
sends; on a resumed upload the first call says what had arrived before."""


def no_progress(sent: int, total: int) -> None:
    """An UploadProgress for nobody."""


class Follow(str):
    """An account the connected account follows, as list_follows gives it: the string is the name
    the network lists it by (shown in the friend audit and given to unfollow); `aliases` are the
    other names the same account is known by (a YouTube channel's id next to its handle), so a
    pupil written down under either is found. A str, so a connector that knows one name per
    account simply returns strings."""

    aliases: tuple[str, ...]

    def __new__(cls, name: str, aliases: tuple[str, ...] = ()) -> Follow:
        follow = super().__new__(cls, name)
        follow.aliases = tuple(alias for alias in aliases if alias and alias != name)
        return follow


@runtime_checkable
class ReportsUploadProgress(Protocol):
    """A connector whose uploads say how far they are (YouTube's resumable upload, X's chunked
    video upload). The outbox sets `on_progress` on the connector it sends one target with."""

    on_progress: UploadProgress


class ConnectorError(Exception):
    """Base of the closed set; `str(error)` is a Dutch sentence that says what to do."""


class RetryLater(ConnectorError):
    def __init__(self, message: str, not_before: datetime | None = None):
        super().__init__(message)
        self.not_before = not_before


class UnknownOutcome(RetryLater):
    """The request may or may not have reached the network (a timeout, a broken connection after
    sending). Before sending again, the outbox asks the network for our post (find_post)."""


class Reconnect(ConnectorError):
    """The sign-in expired or was revoked: the account must be connected again."""


class Rejected(ConnectorError):
    """The network refused this post; sending it again as it is will not help."""


class CreditsUsedUp(ConnectorError):
    """The foundation's paid credit or spending limit at the network is used up (X's
    `usage-capped`): nothing is placed until IT raises it, so the outbox holds the post rather
    than asking again and again."""


class NotSupported(ConnectorError):
    """The network offers no way to do this (for example list follows)."""


class CannotLookBack(ConnectorError):
    """find_post cannot search back to the moment asked for (the network keeps or shows only the
    most recent posts): the outbox holds the target and asks the user instead of sending blind."""


class SecretsUnavailable(RetryLater):
    """The password vault cannot be used now. A RetryLater, because a locked vault (the most common
    case on a running laptop) opens again once the user unlocks it; the outbox then simply tries
    the post again."""


class SignIn(StrEnum):
    """How an account of the network signs in."""

    NONE = "none"  # nothing to sign in to (the practice account)
    BROWSER = "browser"  # the system browser, with PKCE where the provider offers it
    APP_PASSWORD = "app_password"  # an app password typed in Postwijs
    FOUNDATION = "foundation"  # a token from the foundation's service (it holds the app secret)
    PASTED_TOKEN = "pasted_token"  # a token IT made and pasted


class Duplicates(StrEnum):
    """How a post sent again after an unknown outcome is kept from appearing twice."""

    IDEMPOTENCY_KEY = "idempotency_key"  # the network recognises the repeated request itself
    DETECTION = "detection"  # find_post looks for it among the account's posts first
    NONE = "none"  # neither: the outbox must ask the user


@dataclass(frozen=True)
class Capabilities:
    """What a network lets Postwijs do, declared by its connector class. Callers read these;
    a method the network cannot do raises NotSupported."""

    sign_in: SignIn
    list_follows: bool = False
    unfollow: bool = False
    find_posts: bool = False
    delete: bool = False
    video: bool = False
    alt_text: bool = False
    duplicates: Duplicates = Duplicates.NONE
    # For the yearly sweep and Signalen (issue 16); a connector sets these once it implements
    # reading the account's own posts and its mentions.
    read_own_posts: bool = False
    read_mentions: bool = False


class Connector(Protocol):
    @property
    def profile(self) -> NetworkProfile:
        """The network's profile (for Mastodon, the instance's own limits once known)."""

    @property
    def capabilities(self) -> Capabilities:
        """What the network lets Postwijs do (declared on the connector's class)."""

    def connect(self) -> str:
        """Interactive authorisation; returns the handle now connected."""

    def who_am_i(self) -> str: ...

    def publish(self, post: OutgoingPost) -> PublishedPost: ...

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the account's posts from `since` (the first attempt's moment) on, to
        settle an unknown outcome. None only when the network answered and it is certainly not
        there; CannotLookBack when the network cannot search back that far."""

    def delete(self, remote_id: str) -> None: ...

    def read_own_posts(
        self, since: datetime, until: datetime, resume: str = ""
    ) -> Iterator[RemotePost]:
        """The account's own posts (no reposts or boosts) created in [since, until), newest
        first, page by page as the network pages them; `resume` is a RemotePost's `resume` from
        an earlier reading. A rate limit is RetryLater with the moment to go on (the caller waits
        and resumes)."""

    def read_mentions(self, since: datetime) -> list[Mention]:
        """Posts by others that mention, answer or quote the account, created from `since` on,
        newest first, every page the network pages them in. A rate limit is RetryLater with
        the moment to go on; reading never changes what the network shows as read."""

    def list_follows(self) -> list[str]:
        """The accounts this one follows; an entry is a Follow where the network knows the
        account by more than one name."""

    def unfollow(self, handle: str) -> bool:
        """Stops following `handle` (as list_follows gives it); False when there was no follow
        to remove."""

    def close(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc_info: object) -> None: ...


class Refusing:
    """A connector for an account Postwijs cannot use (a network it cannot reach yet, a server
    the site configuration does not name): every use raises Rejected with `message`, so a post
    on it is not placed and says why. `capabilities` are the network's, so a caller offers what
    the network could do and then hears why it cannot now."""

    def __init__(
        self,
        profile: NetworkProfile,
        message: str,
        capabilities: Capabilities = Capabilities(sign_in=SignIn.NONE),
    ):
        self.profile = profile
        self.message = message
        self.capabilities = capabilities

    def _refuse(self, *_args: object, **_kwargs: object) -> Any:
        raise Rejected(self.message)

    connect = who_am_i = publish = find_post = delete = list_follows = unfollow = _refuse
    read_own_posts = read_mentions = _refuse

    def close(self) -> None:
        pass

    def __enter__(self) -> Refusing:
        return self

    def __exit__(self, *exc_info: object) -> None:
        pass
