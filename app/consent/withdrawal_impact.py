"""Withdrawal impact: the published posts that show a person, found in the history's "published"
events, so that they can be retracted when the person's consent is withdrawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.networks.profiles import PROFILES
from app.store import Store

DEFAULT_PURPOSE = "sociale media"  # for a published post on a network we have no profile of


@dataclass(frozen=True)
class ImpactedPost:
    """A published post that shows the person, from the history's "published" events."""

    job: str
    account: str
    network: str
    url: str
    remote_id: str
    published_at: str
    practice: bool = False
    retracted: bool = False


def purpose_of_network(network: str) -> str:
    known = PROFILES.get(network)
    return known.consent_purpose if known else DEFAULT_PURPOSE


def withdrawal_impact(
    store: Store, person_id: str, purpose: str | None = None, include_retracted: bool = False
) -> list[ImpactedPost]:
    """Every published post that shows this person, oldest first: the history's "published"
    events whose data lists the person in "people" (the people tagged in its media), on networks
    whose consent purpose is `purpose` (any, when None). Posts retracted since are left out
    unless `include_retracted`."""
    rows = store.execute(
        "SELECT h.at, h.data FROM history h WHERE h.kind = 'published'"
        " AND EXISTS (SELECT 1 FROM json_each(h.data, '$.people') j WHERE j.value = ?)"
        " ORDER BY h.seq",
        [person_id],
    ).fetchall()
    if not rows:
        return []
    retracted_targets, retracted_pairs = set(), set()
    for (data_text,) in store.execute("SELECT data FROM history WHERE kind = 'retracted'"):
        data = json.loads(data_text)
        if data.get("target"):
            retracted_targets.add(data["target"])
        retracted_pairs.add((data.get("job"), data.get("account")))
    posts = []
    for at, data_text in rows:
        data = json.loads(data_text)
        network = str(data.get("network") or "")
        if purpose is not None and purpose_of_network(network) != purpose:
            continue
        retracted = (
            data["target"] in retracted_targets
            if data.get("target")
            else (data.get("job"), data.get("account")) in retracted_pairs
        )
        if retracted and not include_retracted:
            continue
        posts.append(
            ImpactedPost(
                job=str(data.get("job") or ""),
                account=str(data.get("account") or ""),
                network=network,
                url=str(data.get("url") or ""),
                remote_id=str(data.get("remote_id") or ""),
                published_at=at,
                practice=bool(data.get("practice")),
                retracted=retracted,
            )
        )
    return posts
