"""Publish jobs: written to the store before anything is sent, then sent target by target.

A target's remote id is stored the moment it is known. A target left in `sending` (a crash or an
unknown outcome) is settled by asking the network for our post before sending it again, so nothing is
ever posted twice.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from app import history
from app.connector import Connector, ConnectorError, OutgoingPost, PublishedPost
from app.i18n import _
from app.post import Draft, Variant
from app.rules.model import Finding
from app.store import Store, now_iso

PENDING, SENDING, POSTED, FAILED = "pending", "sending", "posted", "failed"
PRACTICE_NETWORK = "practice"


@dataclass(frozen=True)
class Target:
    id: str
    job_id: str
    account_id: str
    network: str
    final_text: str
    state: str
    attempts: int
    remote_id: str | None
    url: str | None
    error: str | None


def submit(
    store: Store,
    draft: Draft,
    variants: list[Variant],
    acknowledgements: list[tuple[Finding, str]] = (),
) -> str:
    """Persists the job with its exact final texts; returns its id. Nothing is sent yet.

    Each acknowledged warning is recorded in the history with the author's reason.
    """
    unfit = [v.account_name for v in variants if not v.fits]
    if unfit:
        raise ValueError(f"variants that do not fit cannot be submitted: {unfit}")
    if not variants:
        raise ValueError("a job needs at least one target")
    job_id = uuid.uuid4().hex
    at = now_iso()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO outbox_jobs (id, created_at, school_id, author_id, state) VALUES (?, ?, ?, ?, ?)",
            [job_id, at, draft.school_id, draft.author_id, PENDING],
        )
        for v in variants:
            db.execute(
                "INSERT INTO outbox_targets (id, job_id, account_id, network, final_text, state,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex, job_id, v.account_id, v.network, v.final_text, PENDING, at],
            )
    for finding, reason in acknowledgements:
        history.append(
            store,
            "warning_acknowledged",
            {
                "job": job_id,
                "school": draft.school_id,
                "author": draft.author_id,
                "rule": finding.rule,
                "articles": list(finding.articles),
                "account": finding.account_id,
            },
            # The message and the reason may name people: kept beside the chain, erasable.
            details={"message": finding.message, "reason": reason},
        )
    return job_id


def targets(store: Store, job_id: str) -> list[Target]:
    rows = store.execute(
        "SELECT id, job_id, account_id, network, final_text, state, attempts, remote_id, url, error"
        " FROM outbox_targets WHERE job_id = ? ORDER BY rowid",
        [job_id],
    ).fetchall()
    return [Target(*row) for row in rows]


def _job(store: Store, job_id: str) -> tuple[str, str]:
    row = store.execute(
        "SELECT school_id, author_id FROM outbox_jobs WHERE id = ?", [job_id]
    ).fetchone()
    if row is None:
        raise KeyError(job_id)
    return row


def send(
    store: Store,
    job_id: str,
    connector_for: Callable[[str], Connector],
    account_names: dict[str, str],
) -> list[Target]:
    """Sends every target of the job that is not posted yet; returns the targets' new states."""
    school_id, author_id = _job(store, job_id)
    for target in targets(store, job_id):
        if target.state == POSTED:
            continue
        connector = connector_for(target.account_id)
        post = OutgoingPost(
            client_key=target.id,
            account_id=target.account_id,
            account_name=account_names.get(target.account_id, target.account_id),
            text=target.final_text,
        )
        base = {
            "job": job_id,
            "target": target.id,
            "school": school_id,
            "author": author_id,
            "account": target.account_id,
            "network": target.network,
            "practice": target.network == PRACTICE_NETWORK,
        }
        try:
            published = connector.find_post(post) if target.state == SENDING else None
            if published is None:
                _set_state(store, target.id, SENDING, count_attempt=True)
                published = connector.publish(post)
        except ConnectorError as error:
            _set_state(store, target.id, FAILED, error=str(error))
            history.append(store, "publish_failed", {**base, "reason": str(error)})
            continue
        _record_posted(store, target, published)
        history.append(
            store,
            "published",
            {
                **base,
                "remote_id": published.remote_id,
                "url": published.url,
                "text_sha256": hashlib.sha256(target.final_text.encode()).hexdigest(),
            },
            details={"final_text": target.final_text},
        )
    states = {t.state for t in targets(store, job_id)}
    job_state = POSTED if states == {POSTED} else FAILED if FAILED in states else SENDING
    with store.transaction() as db:
        db.execute("UPDATE outbox_jobs SET state = ? WHERE id = ?", [job_state, job_id])
    return targets(store, job_id)


def _set_state(
    store: Store, target_id: str, state: str, error: str | None = None, count_attempt: bool = False
) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE outbox_targets SET state = ?, error = ?, updated_at = ?,"
            " attempts = attempts + ? WHERE id = ?",
            [state, error, now_iso(), 1 if count_attempt else 0, target_id],
        )


def _record_posted(store: Store, target: Target, published: PublishedPost) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE outbox_targets SET state = ?, remote_id = ?, url = ?, error = NULL, updated_at = ?"
            " WHERE id = ?",
            [POSTED, published.remote_id, published.url, now_iso(), target.id],
        )


def describe_failure(target: Target) -> str:
    return _("{account}: niet geplaatst. {reason}").format(
        account=target.account_id, reason=target.error or ""
    )
