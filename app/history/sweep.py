"""The yearly sweep of an account (Uitgangspunten 9): the account's own posts as the network
shows them, held against the history, so the IBT sees the whole account, not only Postwijs' log.

This module only classifies and records; reading the posts is the connector's job, and the
caller passes them in as `RemotePost`s (streamed: nothing here keeps more than one account's
history index in memory).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from app.history import chain as history
from app.networks.connector import RemotePost
from app.store import Store

UNCHANGED = "unchanged"
EDITED = "edited"
DELETED = "deleted"
OUTSIDE = "outside"


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
        klass = UNCHANGED if unchanged(post, ours.text_sha256, ours.media_sha256) else EDITED
        findings.append(Finding(post.remote_id, klass, post.url or ours.url, ours.target))
    for remote_id, ours in placed.items():
        at = datetime.fromisoformat(ours.at)
        in_window = (since is None or at >= since) and (until is None or at < until)
        if remote_id not in seen and in_window:
            findings.append(Finding(remote_id, DELETED, ours.url, ours.target))
    return findings


def unchanged(post: RemotePost, text_sha256: str, media_sha256: tuple[str, ...]) -> bool:
    """Whether the network's post is still what Postwijs placed. Where the network says whether
    it was edited, that answers for the text: it renders the text anew (Mastodon's HTML), so the
    hash of what it shows would differ even from an untouched post."""
    if post.edited is not None:
        same_text = not post.edited
    else:
        same_text = hashlib.sha256(post.text.encode()).hexdigest() == text_sha256
    same_media = post.media_sha256 is None or tuple(post.media_sha256) == media_sha256
    return same_text and same_media


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


# --- a sweep that can stop and go on ------------------------------------------------------------


@dataclass
class Tally:
    """How far the sweep of one account got, kept between runs (Store settings) so that a
    stopped or rate-limited sweep goes on where it was. It holds the counts, the posts worth
    reporting and the ids of the account's Postwijs posts already seen, never every post read:
    its size does not grow with the number of clean posts."""

    account_id: str
    school_year: str
    resume: str = ""  # the connector's resume token of the page being read
    page_seen: list[str] = field(default_factory=list)  # ids read on that page already
    counts: dict[str, int] = field(
        default_factory=lambda: {UNCHANGED: 0, EDITED: 0, DELETED: 0, OUTSIDE: 0}
    )
    seen_placed: list[str] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    read: int = 0
    done: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Tally | None:
        try:
            values = json.loads(text)
            return cls(**values) if isinstance(values, dict) else None
        except (ValueError, TypeError):
            return None


def placed_index(store: Store, account_id: str) -> dict[str, _Placed]:
    return _placed_through_postwijs(store, account_id)


def take(
    tally: Tally,
    placed: dict[str, _Placed],
    post: RemotePost,
    check_outside: Callable[[RemotePost], list[dict]],
) -> bool:
    """Counts one post read from the network; False when it was already taken (a page read
    again after a resume). A post placed outside Postwijs is checked with `check_outside`
    (its findings as dicts) and kept when something was found."""
    if post.resume != tally.resume:
        tally.resume, tally.page_seen = post.resume, []
    if post.remote_id in tally.page_seen:
        return False
    tally.page_seen.append(post.remote_id)
    tally.read += 1
    ours = placed.get(post.remote_id)
    if ours is None:
        tally.counts[OUTSIDE] += 1
        findings = check_outside(post)
        if findings:
            tally.posts.append(_kept(post.remote_id, OUTSIDE, post.url, None, post, findings))
        return True
    if post.remote_id in tally.seen_placed:
        return False
    tally.seen_placed.append(post.remote_id)
    if unchanged(post, ours.text_sha256, ours.media_sha256):
        tally.counts[UNCHANGED] += 1
    else:
        tally.counts[EDITED] += 1
        tally.posts.append(_kept(post.remote_id, EDITED, post.url or ours.url, ours.target, post))
    return True


def finish(tally: Tally, placed: dict[str, _Placed], since: datetime, until: datetime) -> None:
    """The account's Postwijs posts of [since, until) that the network no longer showed."""
    seen = set(tally.seen_placed)
    for remote_id, ours in placed.items():
        at = datetime.fromisoformat(ours.at)
        if remote_id not in seen and since <= at < until:
            tally.counts[DELETED] += 1
            tally.posts.append(
                {
                    "remote_id": remote_id,
                    "class": DELETED,
                    "url": ours.url,
                    "target": ours.target,
                    "created_at": ours.at,
                    "findings": [],
                }
            )
    tally.done = True


def _kept(
    remote_id: str,
    klass: str,
    url: str,
    target: str | None,
    post: RemotePost,
    findings: list[dict] | None = None,
) -> dict:
    return {
        "remote_id": remote_id,
        "class": klass,
        "url": url,
        "target": target,
        "created_at": post.created_at.isoformat(),
        "findings": findings or [],
    }


def record_tally(store: Store, tally: Tally, by: str, school: str, network: str) -> int:
    """The finished sweep of one account in the chain: who ran it, the counts, and the posts with
    something to look at beside it (details, erasable like every detail)."""
    return history.append(
        store,
        "sweep",
        {
            "account": tally.account_id,
            "school": school,
            "network": network,
            "school_year": tally.school_year,
            "by": by,
            "counts": dict(tally.counts),
            "read": tally.read,
        },
        details={"posts": tally.posts},
    )


def record_reviewed(
    store: Store, account: str, school: str, school_year: str, remote_id: str, note: str, by: str
) -> int:
    """A finding looked at and left as it is, with the reviewer's note."""
    return history.append(
        store,
        "sweep_reviewed",
        {
            "account": account,
            "school": school,
            "school_year": school_year,
            "remote_id": remote_id,
            "by": by,
        },
        details={"note": note},
    )


def record_retracted(
    store: Store, account: str, school: str, school_year: str, remote_id: str, reason: str, by: str
) -> int:
    """A post found by the sweep taken off the network through Postwijs, with the reason."""
    return history.append(
        store,
        "sweep_retracted",
        {
            "account": account,
            "school": school,
            "school_year": school_year,
            "remote_id": remote_id,
            "by": by,
        },
        details={"reason": reason},
    )


def handled(store: Store, school_year: str) -> dict[tuple[str, str], dict]:
    """What was done about each finding of the year, by (account, remote id): the latest
    review or retraction, as {"action": "reviewed"|"retracted", "text": ..., "by": ..., "at": ...}."""
    result: dict[tuple[str, str], dict] = {}
    for kind, action, key in (
        ("sweep_reviewed", "reviewed", "note"),
        ("sweep_retracted", "retracted", "reason"),
    ):
        for e in history.events(store, kind):
            if e.data.get("school_year") != school_year:
                continue
            result[(e.data.get("account", ""), e.data.get("remote_id", ""))] = {
                "action": action,
                "text": (e.details or {}).get(key, ""),
                "by": e.data.get("by", ""),
                "at": e.at,
                "seq": e.seq,
            }
    return result
