"""The Connector protocol that every network module implements, and the closed set of errors.

The outbox decides on the error's class alone: retry later, reconnect, or give up with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

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


@dataclass(frozen=True)
class PublishedPost:
    remote_id: str
    url: str


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


class NotSupported(ConnectorError):
    """The network offers no way to do this (for example list follows)."""


class CannotLookBack(ConnectorError):
    """find_post cannot search back to the moment asked for (the network keeps or shows only the
    most recent posts): the outbox holds the target and asks the user instead of sending blind."""


class Connector(Protocol):
    profile: NetworkProfile

    def connect(self) -> str:
        """Interactive authorisation; returns the handle now connected."""

    def who_am_i(self) -> str: ...

    def publish(self, post: OutgoingPost) -> PublishedPost: ...

    def find_post(self, post: OutgoingPost, since: datetime) -> PublishedPost | None:
        """Our post among the account's posts from `since` (the first attempt's moment) on, to
        settle an unknown outcome. None only when the network answered and it is certainly not
        there; CannotLookBack when the network cannot search back that far."""

    def delete(self, remote_id: str) -> None: ...

    def list_follows(self) -> list[str]: ...
