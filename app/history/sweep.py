"""The yearly sweep of an account (Uitgangspunten 9): the account's own posts as the network
shows them, held against the history, so the IBT sees the whole account, not only Postwijs' log.

This module only classifies and records; reading the posts is the connector's job, and the
caller passes them in as `RemotePost`s (streamed: nothing here keeps more than one account's
history index in memory).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from app.history import chain as history
from app.store import Store

UNCHANGED = "unchanged"
EDITED = "edited"
DELETED = "deleted"
OUTSIDE = "outside"


@dataclass(frozen=True)
class RemotePost:
    remote_id: str
    created_at: datetime
    text: str
    url: str = ""
    # None when the network does not give the original files back (most re-encode them).
    media_sha256: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Finding:
    remote_id: str
    klass: str
    url: str
    target: str | None = None


@dataclass(frozen=True)
class _Placed:
    target: str
    url: str
    at: str
    text_sha256: str
    media_sha256: tuple[str, ...]


def _placed_through_postwijs(store: Store, account_id: str) -> dict[str, _Placed]:
    """The account's posts Postwijs placed and did not retract, by remote id."""
    retracted = {e.data.get("target") for e in history.events(store, "retracted")}
    placed: dict[str, _Placed] = {}
    for e in history.events(store, "published"):
        if e.data.get("account") != account_id or e.data.get("target") in retracted:
            continue
        remote_id = e.data.get("remote_id")
        if remote_id:
            placed[remote_id] = _Placed(
                e.data.get("target", ""),
                e.data.get("url", ""),
                e.at,
                e.data.get("text_sha256", ""),
                tuple(e.data.get("media_sha256") or ()),
            )
    return placed


def classify(
    store: Store,
    account_id: str,
    posts: Iterable[RemotePost],
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Finding]:
    """Every post read from the network, classified; then every post Postwijs placed in
    [since, until) that the network no longer has (and that was not retracted through Postwijs)
    as deleted."""
    placed = _placed_through_postwijs(store, account_id)
    seen: set[str] = set()
    findings: list[Finding] = []
    for post in posts:
        seen.add(post.remote_id)
        ours = placed.get(post.remote_id)
        if ours is None:
            findings.append(Finding(post.remote_id, OUTSIDE, post.url))
            continue
        same_text = hashlib.sha256(post.text.encode()).hexdigest() == ours.text_sha256
        same_media = post.media_sha256 is None or tuple(post.media_sha256) == ours.media_sha256
        klass = UNCHANGED if same_text and same_media else EDITED
        findings.append(Finding(post.remote_id, klass, post.url or ours.url, ours.target))
    for remote_id, ours in placed.items():
        at = datetime.fromisoformat(ours.at)
        in_window = (since is None or at >= since) and (until is None or at < until)
        if remote_id not in seen and in_window:
            findings.append(Finding(remote_id, DELETED, ours.url, ours.target))
    return findings


def counts(findings: Iterable[Finding]) -> dict[str, int]:
    result = {UNCHANGED: 0, EDITED: 0, DELETED: 0, OUTSIDE: 0}
    for f in findings:
        result[f.klass] += 1
    return result


def record(
    store: Store, account_id: str, school_year: str, findings: list[Finding], by: str
) -> int:
    """One sweep event per account: the counts in the chain, the list of posts beside it."""
    return history.append(
        store,
        "sweep",
        {
            "account": account_id,
            "school_year": school_year,
            "by": by,
            "counts": counts(findings),
        },
        details={
            "posts": [
                {"remote_id": f.remote_id, "class": f.klass, "url": f.url, "target": f.target}
                for f in findings
                if f.klass != UNCHANGED
            ]
        },
    )
