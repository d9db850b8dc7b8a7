"""Publish jobs: written to the store before anything is sent, then sent to every target at once.

Each target keeps its own state. The remote id is stored the moment it is known. Before every
send the target is marked `must_look` (durably, before the request leaves): from then on the post may
be on the network, and the only things that clear the mark are the post being recorded as placed
or a look-up (find_post, from the first attempt's moment on) that answered: found, or certainly not
there. A wait, a reconnect, a suspension, a restart, a kill or a retry by the user leaves the mark,
so nothing is ever posted twice. Where a network charges per post (X), a post that would take the
account over its monthly budget is held (`over_budget`) before anything is sent, and goes out once
the budget allows it in that month; a post the network refuses because the foundation's credit
there is used up is held (`capped`) until the user tries again after IT raised it, and the
account's other posts wait with it without asking the network. When the network cannot look back that far, the target is held
(`ask_user`) and the user, shown the post, says whether it is there. Temporary failures wait with
backoff (never before the network's own Retry-After or rate-limit reset); a target whose account
must be reconnected waits for that; a refused target keeps the network's reason. Nothing is sent to
or asked of a suspended account (Communiceren 12) until the suspension is lifted; its targets keep
their state and their mark meanwhile.

Every worker opens its own database connection: SQLite serialises the writers (BEGIN IMMEDIATE),
and a connection is never shared between threads.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.accounts.suspensions import suspended_ids
from app.compose.post import Draft, Variant
from app.history import chain as history
from app.i18n import _
from app.networks.connector import (
    CannotLookBack,
    Connector,
    ConnectorError,
    CreditsUsedUp,
    NotSupported,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Rejected,
    ReportsUploadProgress,
    RetryLater,
)
from app.networks.profiles import profile
from app.publishing import send_claim, spending
from app.rules.model import Finding
from app.store import Store, now_iso

# Target states. `ask_user`: the post may be on the network and the network cannot tell; only the
# user's answer (send_after_all or mark_as_posted) moves it on.
PENDING, SENDING, POSTED, WAITING, RECONNECT, FAILED, ASK_USER = (
    "pending",
    "sending",
    "posted",
    "waiting",
    "reconnect",
    "failed",
    "ask_user",
)
# Held for money, nothing sent: `over_budget`, the post would take the account over the site's
# monthly budget (checked again at every send of its month; `not_before` holds the month's end,
# after which only the user's retry sends it, so an old post never goes out by surprise);
# `capped`, the network said the foundation's credit there is used up (only the user's retry).
OVER_BUDGET, CAPPED = "over_budget", "capped"
# Retraction states of a posted target.
RETRACTING, RETRACTED, RETRACT_FAILED = "retracting", "retracted", "retract_failed"
# Job states.
SCHEDULED, HELD, DONE, CANCELLED = "scheduled", "held", "done", "cancelled"

PRACTICE_NETWORK = "practice"
MAX_BACKOFF = timedelta(hours=1)
FIRST_BACKOFF = timedelta(seconds=30)
# The look-up starts this long before the first attempt: the network's clock and ours may differ.
CLOCK_SKEW_MARGIN = timedelta(minutes=10)
# How long a send the author waits for waits on another worker sending the same target: as long
# as that worker lives (the OS frees its claim when it dies); its connector's own timeouts end a
# hung request, and a long upload is shown meanwhile.
OTHER_SENDER_WAIT = float("inf")

ConnectorFor = Callable[[str], Connector]


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
    not_before: str | None
    media: tuple[OutgoingMedia, ...]
    retract_state: str | None
    retract_error: str | None
    must_look: bool = False  # a send may have reached the network: look before sending again
    first_attempt_at: str | None = None

    @property
    def practice(self) -> bool:
        return self.network == PRACTICE_NETWORK


@dataclass(frozen=True)
class Job:
    id: str
    created_at: str
    school_id: str
    author_id: str
    state: str
    scheduled_at: str | None
    draft: Draft | None
    evidence: dict
    held_reason: str | None


# How far a target's upload is (the target, bytes the network has, bytes in all); see
# app.networks.connector.UploadProgress.
UploadReport = Callable[[Target, int, int], None]

# The tables' columns carry the dataclasses' field names, so a row reads in field order.
_TARGET_FIELDS = tuple(f.name for f in fields(Target))
TARGET_COLUMNS = ", ".join(_TARGET_FIELDS)
_JOB_FIELDS = tuple(f.name for f in fields(Job))


def _target(row) -> Target:
    values = dict(zip(_TARGET_FIELDS, row, strict=True))
    values["media"] = tuple(OutgoingMedia(**m) for m in json.loads(values["media"] or "[]"))
    values["must_look"] = bool(values["must_look"])
    return Target(**values)


def submit(
    store: Store,
    draft: Draft,
    variants: list[Variant],
    acknowledgements: Iterable[tuple[Finding, str]] = (),
    media: dict[str, list[OutgoingMedia]] | None = None,
    evidence: dict | None = None,
    scheduled_at: datetime | None = None,
) -> str:
    """Persists the job with its exact final texts and prepared media; returns its id.

    Nothing is sent yet. `media` maps account id to that account's prepared copies; `evidence`
    holds what the history must show later (the consent state of each tagged person, the people
    tagged). Each acknowledged warning is recorded in the history with the author's reason.
    """
    unfit = [v.account_name for v in variants if not v.fits]
    if unfit:
        raise ValueError(f"variants that do not fit cannot be submitted: {unfit}")
    if not variants:
        raise ValueError("a job needs at least one target")
    media = media or {}
    evidence = dict(evidence or {})
    acknowledgements = list(acknowledgements)
    evidence["acknowledged"] = [
        {"rule": f.rule, "articles": list(f.articles), "account": f.account_id}
        for f, _r in acknowledgements
    ]
    job_id = uuid.uuid4().hex
    at = now_iso()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO outbox_jobs (id, created_at, school_id, author_id, state, scheduled_at,"
            " draft, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                job_id,
                at,
                draft.school_id,
                draft.author_id,
                SCHEDULED if scheduled_at else PENDING,
                scheduled_at.astimezone(UTC).isoformat() if scheduled_at else None,
                json.dumps(asdict(draft), ensure_ascii=False),
                json.dumps(evidence, ensure_ascii=False),
            ],
        )
        for v in variants:
            db.execute(
                "INSERT INTO outbox_targets (id, job_id, account_id, network, final_text, state,"
                " updated_at, media) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    uuid.uuid4().hex,
                    job_id,
                    v.account_id,
                    v.network,
                    v.final_text,
                    PENDING,
                    at,
                    json.dumps([asdict(m) for m in media.get(v.account_id, [])]),
                ],
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
    if evidence.get("consent"):
        history.append(
            store,
            "consent_evidence",
            {"job": job_id, "school": draft.school_id, "people": evidence.get("people", [])},
            details={"consent": evidence["consent"]},
        )
    if scheduled_at:
        history.append(
            store,
            "scheduled",
            {
                "job": job_id,
                "school": draft.school_id,
                "author": draft.author_id,
                "at": scheduled_at.isoformat(),
            },
        )
    return job_id


def targets(store: Store, job_id: str) -> list[Target]:
    rows = store.execute(
        f"SELECT {TARGET_COLUMNS} FROM outbox_targets WHERE job_id = ? ORDER BY rowid", [job_id]
    ).fetchall()
    return [_target(row) for row in rows]


def target(store: Store, target_id: str) -> Target:
    row = store.execute(
        f"SELECT {TARGET_COLUMNS} FROM outbox_targets WHERE id = ?", [target_id]
    ).fetchone()
    if row is None:
        raise KeyError(target_id)
    return _target(row)


def job(store: Store, job_id: str) -> Job:
    row = store.execute(
        f"SELECT {', '.join(_JOB_FIELDS)} FROM outbox_jobs WHERE id = ?",
        [job_id],
    ).fetchone()
    if row is None:
        raise KeyError(job_id)
    values = dict(zip(_JOB_FIELDS, row, strict=True))
    from app.compose.drafts import draft_from_json

    values["draft"] = draft_from_json(values["draft"]) if values["draft"] else None
    values["evidence"] = json.loads(values["evidence"] or "{}")
    return Job(**values)


def jobs(store: Store, states: Iterable[str] | None = None) -> list[Job]:
    sql = "SELECT id FROM outbox_jobs"
    params: list = []
    if states is not None:
        states = list(states)
        sql += f" WHERE state IN ({','.join('?' * len(states))})"
        params = states
    sql += " ORDER BY COALESCE(scheduled_at, created_at)"
    return [job(store, row[0]) for row in store.execute(sql, params).fetchall()]


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … up to an hour between attempts."""
    doublings = min(max(attempts - 1, 0), 16)  # past 2**7 the cap applies anyway; no overflow
    return min(FIRST_BACKOFF * (2**doublings), MAX_BACKOFF)


def _update(store: Store, target_id: str, **fields) -> None:
    fields["updated_at"] = now_iso()
    assignments = ", ".join(f"{name} = ?" for name in fields)
    with store.transaction() as db:
        db.execute(
            f"UPDATE outbox_targets SET {assignments} WHERE id = ?", [*fields.values(), target_id]
        )


def _is_due(t: Target, now: datetime, include_reconnect: bool) -> bool:
    if t.state in (PENDING, SENDING):
        return True  # `sending` here means a worker died mid-send: it looks first (must_look)
    if t.state == RECONNECT:
        return include_reconnect
    if t.state == WAITING:
        return t.not_before is None or datetime.fromisoformat(t.not_before) <= now
    if t.state == OVER_BUDGET:
        return t.not_before is None or now < datetime.fromisoformat(t.not_before)
    return False


def send(
    store: Store,
    job_id: str,
    connector_for: ConnectorFor,
    account_names: dict[str, str] | None = None,
    now: datetime | None = None,
    include_reconnect: bool = False,
    progress: Callable[[Target], None] | None = None,
    budgets: dict[str, Decimal] | None = None,
    upload_progress: UploadReport | None = None,
    wait_for_other_sender: bool = False,
) -> list[Target]:
    """Sends every due target of the job at once; returns all targets with their new states.
    `budgets` maps account id to its monthly budget (Account.monthly_budget) where one is set.
    `progress` hears each target's new state, `upload_progress` how far its upload is (where
    the network reports it); both from the sending threads. A target another worker is sending
    (the background pass came by first) is skipped, unless `wait_for_other_sender`: then this
    send waits until that worker is done and returns what it achieved, for an author who waits
    for the answer (else a post that is being placed would be reported as not placed)."""
    now = now or datetime.now(UTC)
    the_job = job(store, job_id)
    if the_job.state in (CANCELLED, HELD) or (
        the_job.state == SCHEDULED
        and the_job.scheduled_at
        and datetime.fromisoformat(the_job.scheduled_at) > now
    ):
        return targets(store, job_id)
    suspended = suspended_ids(store)
    capped = _capped_accounts(store)
    due = [
        t
        for t in targets(store, job_id)
        if _is_due(t, now, include_reconnect) and t.account_id not in suspended
    ]
    data_dir = store.path.parent
    names = account_names or {}
    limits = budgets or {}

    def work(t: Target) -> None:
        worker_store = Store.open(data_dir)
        try:
            with send_claim.claimed(
                data_dir, t.id, OTHER_SENDER_WAIT if wait_for_other_sender else 0.0
            ) as mine:
                if mine:
                    _work_claimed(worker_store, target(worker_store, t.id))
            if mine and target(worker_store, t.id).state == POSTED:
                send_claim.forget(data_dir, t.id)
        finally:
            worker_store.close()

    def _work_claimed(worker_store: Store, t: Target) -> None:
        # Read again under the claim: another worker may have sent it meanwhile.
        if not _is_due(t, now, include_reconnect):
            if progress is not None:
                progress(t)  # what that worker achieved, for whoever follows this send
            return
        name = names.get(t.account_id, t.account_id)
        if t.account_id in capped:
            _hold_capped(worker_store, t, _base(the_job, t), capped[t.account_id])
        else:
            _send_one(
                worker_store,
                the_job,
                t,
                connector_for,
                name,
                now,
                limits.get(t.account_id),
                upload_progress,
            )
        if progress is not None:
            progress(target(worker_store, t.id))

    if len(due) == 1:
        work(due[0])
    elif due:
        with ThreadPoolExecutor(
            max_workers=min(len(due), 8), thread_name_prefix="postwijs-send"
        ) as pool:
            for future in [pool.submit(work, t) for t in due]:
                future.result()
    _settle_job_state(store, job_id)
    return targets(store, job_id)


def _send_one(
    store: Store,
    the_job: Job,
    t: Target,
    connector_for: ConnectorFor,
    account_name: str,
    now: datetime,
    budget: Decimal | None = None,
    upload_progress: UploadReport | None = None,
) -> None:
    connector = connector_for(t.account_id)
    if upload_progress is not None and isinstance(connector, ReportsUploadProgress):
        report = upload_progress
        connector.on_progress = lambda sent, total: report(t, sent, total)
    post = OutgoingPost(
        client_key=t.id,
        account_id=t.account_id,
        account_name=account_name,
        text=t.final_text,
        media=t.media,
        title=the_job.draft.title if the_job.draft else "",
        synthetic_media=bool(declared_synthetic_media(the_job, t)),
    )
    base = _base(the_job, t)
    if t.must_look:
        try:
            published = connector.find_post(post, since=_look_from(t))
        except (CannotLookBack, NotSupported):
            _ask_user(store, t, base)
            return
        except ConnectorError as error:
            # The question stays open (must_look is untouched): the next attempt asks again.
            _failed(store, t.id, t.attempts + 1, base, error, now)
            return
    else:
        published = None
    if published is None and spending.charges_per_post(t.network):
        cost = spending.post_cost(t.network, t.final_text, t.media)
        month = spending.month_budget(store, t.account_id, budget, now)
        if not month.allows(cost):
            _hold_over_budget(
                store, t, base, spending.over_budget_reason(account_name, cost, month), month
            )
            return
    if published is None:
        # Recorded before the request leaves: whatever happens next, the next attempt looks first.
        _update(
            store,
            t.id,
            state=SENDING,
            must_look=1,
            first_attempt_at=t.first_attempt_at or _first_attempt_moment(now),
            attempts=t.attempts + 1,
            error=None,
        )
        try:
            published = connector.publish(post)
        except ConnectorError as error:
            _failed(store, t.id, t.attempts + 1, base, error, now)
            return
    # The remote id and the history event are stored together: if the disk is full or the
    # database read-only, the target stays `sending` and the next attempt finds the post.
    history.append(
        store,
        "published",
        {
            **base,
            "remote_id": published.remote_id,
            "url": published.url,
            "text_sha256": hashlib.sha256(t.final_text.encode()).hexdigest(),
            "media_sha256": [_file_hash(m.path) for m in t.media],
            "people": the_job.evidence.get("people", []),
            **_declarations(the_job, t),
        },
        details={"final_text": t.final_text},
        together_with=lambda db: _mark_posted(db, t.id, published),
    )


def declared_synthetic_media(the_job: Job, t: Target) -> bool | None:
    """What the author declared about the video to this target's network; None where the
    network does not ask."""
    if not profile(t.network).declares_synthetic_media:
        return None
    return bool(the_job.draft is not None and the_job.draft.synthetic_media)


def _declarations(the_job: Job, t: Target) -> dict:
    """What the author declared to the network with the post, for the history: only where the
    network asks (YouTube's synthetic-media question), so the annual review sees what was said."""
    declared = declared_synthetic_media(the_job, t)
    return {} if declared is None else {"synthetic_media": declared}


def _base(the_job: Job, t: Target) -> dict:
    """What every event about this target names."""
    return {
        "job": the_job.id,
        "target": t.id,
        "school": the_job.school_id,
        "author": the_job.author_id,
        "account": t.account_id,
        "network": t.network,
        "practice": t.practice,
    }


def _hold_over_budget(
    store: Store, t: Target, base: dict, reason: str, month: spending.MonthBudget
) -> None:
    """Held before anything is sent; the history hears of it once, not at every check."""
    _update(store, t.id, state=OVER_BUDGET, error=reason, not_before=month.next_month.isoformat())
    if t.state != OVER_BUDGET:
        history.append(store, "publish_held", {**base, "reason": reason, "over_budget": True})


def _hold_capped(store: Store, t: Target, base: dict, reason: str) -> None:
    _update(store, t.id, state=CAPPED, error=reason, not_before=None)
    if t.state != CAPPED:
        history.append(store, "publish_held", {**base, "reason": reason, "credits_used_up": True})


def _capped_accounts(store: Store) -> dict[str, str]:
    """Accounts whose network said the credit is used up, with its words: their other posts wait
    too, without a request that would only be refused."""
    rows = store.execute(
        "SELECT account_id, error FROM outbox_targets WHERE state = ? ORDER BY updated_at",
        [CAPPED],
    ).fetchall()
    return {account_id: error or "" for account_id, error in rows}


def _first_attempt_moment(now: datetime) -> str:
    """Never later than the clock says: a caller may pass a `now` ahead of it (to send what is
    due by then), and a look-up from a moment after the real send would miss the post."""
    return min(now, datetime.now(UTC)).isoformat()


def _look_from(t: Target) -> datetime:
    """The first attempt's moment, less the clock-skew margin: the post cannot be older."""
    assert t.first_attempt_at is not None  # written with must_look; older rows by a migration
    return datetime.fromisoformat(t.first_attempt_at) - CLOCK_SKEW_MARGIN


def _failed(
    store: Store, target_id: str, attempts: int, base: dict, error: ConnectorError, now: datetime
) -> None:
    """Records a failed look-up or send; `must_look` is left as it is."""
    if isinstance(error, CreditsUsedUp):
        _update(
            store, target_id, state=CAPPED, error=str(error), not_before=None, attempts=attempts
        )
        history.append(
            store, "publish_held", {**base, "reason": str(error), "credits_used_up": True}
        )
    elif isinstance(error, RetryLater):
        not_before = now + backoff(attempts)
        if error.not_before and error.not_before > not_before:
            not_before = error.not_before
        _update(
            store,
            target_id,
            state=WAITING,
            error=str(error),
            not_before=not_before.isoformat(),
            attempts=attempts,
        )
        history.append(store, "publish_failed", {**base, "reason": str(error), "will_retry": True})
    elif isinstance(error, Reconnect):
        _update(store, target_id, state=RECONNECT, error=str(error), attempts=attempts)
        history.append(
            store, "publish_failed", {**base, "reason": str(error), "needs_reconnect": True}
        )
    else:
        _update(store, target_id, state=FAILED, error=str(error), attempts=attempts)
        history.append(store, "publish_failed", {**base, "reason": str(error)})


def _ask_user(store: Store, t: Target, base: dict) -> None:
    reason = _(
        "Postwijs kan niet nagaan of dit bericht al geplaatst is. Kijk op het account en kies:"
        " staat het er niet, plaats het dan alsnog; staat het er wel, markeer het als geplaatst."
    )
    _update(store, t.id, state=ASK_USER, error=reason, not_before=None)
    history.append(store, "publish_held", {**base, "reason": reason})


class _NotHeld(Exception):
    """The target no longer waits for the user's answer (answered already, in this window or
    another Postwijs): the second answer changes nothing."""


def _decide(store: Store, target_id: str, kind: str, extra: dict, new_state: str, by: str) -> bool:
    """Records the user's answer and its event together, only while the target is still held."""
    t = target(store, target_id)
    the_job = job(store, t.job_id)
    data = {
        "job": the_job.id,
        "target": t.id,
        "school": the_job.school_id,
        "author": the_job.author_id,
        "account": t.account_id,
        "network": t.network,
        "practice": t.practice,
        **extra,
    }

    def answer(db) -> None:
        changed = db.execute(
            "UPDATE outbox_targets SET state = ?, must_look = 0, error = NULL, not_before = NULL,"
            " updated_at = ? WHERE id = ? AND state = ?",
            [new_state, now_iso(), target_id, ASK_USER],
        ).rowcount
        if not changed:
            raise _NotHeld()

    # Who answered names a person: beside the chain, erasable, as with a retraction.
    details = {"by": by}
    if kind == "published":
        data["media_sha256"] = [_file_hash(m.path) for m in t.media]
        data["people"] = the_job.evidence.get("people", [])
        data.update(_declarations(the_job, t))
        details["final_text"] = t.final_text
    try:
        history.append(store, kind, data, details=details, together_with=answer)
    except _NotHeld:
        return False
    _settle_job_state(store, t.job_id)
    return True


def send_after_all(store: Store, target_id: str, by: str) -> bool:
    """The user looked at the account and the post is not there: it goes out at the next send.
    The user's answer settles the open question, as a look-up that found nothing would. False
    when the target was not waiting for an answer (nothing changed)."""
    return _decide(store, target_id, "publish_decided", {"decision": "send"}, PENDING, by)


def mark_as_posted(store: Store, target_id: str, by: str) -> bool:
    """The user looked at the account and the post is there: recorded as placed, without a link
    (Postwijs does not know the network's id for it), and never sent again. False when the
    target was not waiting for an answer (nothing changed)."""
    t = target(store, target_id)
    extra = {
        "remote_id": "",
        "url": "",
        "confirmed_by_user": True,
        "text_sha256": hashlib.sha256(t.final_text.encode()).hexdigest(),
    }
    return _decide(store, target_id, "published", extra, POSTED, by)


def needing_decision(store: Store) -> list[str]:
    """Jobs with a target held until the user says whether the post is already there."""
    rows = store.execute(
        "SELECT DISTINCT t.job_id FROM outbox_targets t JOIN outbox_jobs j ON j.id = t.job_id"
        " WHERE t.state = ? ORDER BY j.created_at",
        [ASK_USER],
    ).fetchall()
    return [row[0] for row in rows]


def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def _mark_posted(db, target_id: str, published: PublishedPost) -> None:
    db.execute(
        "UPDATE outbox_targets SET state = ?, remote_id = ?, url = ?, error = NULL,"
        " not_before = NULL, must_look = 0, updated_at = ? WHERE id = ?",
        [POSTED, published.remote_id or None, published.url or None, now_iso(), target_id],
    )


def _settle_job_state(store: Store, job_id: str) -> None:
    states = {t.state for t in targets(store, job_id)}
    current = job(store, job_id).state
    if current in (CANCELLED, HELD):
        return
    state = DONE if states <= {POSTED, FAILED} else SENDING
    with store.transaction() as db:
        db.execute("UPDATE outbox_jobs SET state = ? WHERE id = ?", [state, job_id])


def retry_target(store: Store, target_id: str) -> None:
    """A failed, waiting or held target is tried again at the next send, on its own."""
    t = target(store, target_id)
    if t.state == CAPPED:
        # The user says IT raised the credit: the account's other held posts may go as well.
        with store.transaction() as db:
            db.execute(
                "UPDATE outbox_targets SET state = ?, not_before = NULL WHERE account_id = ?"
                " AND state = ?",
                [PENDING, t.account_id, CAPPED],
            )
    if t.state in (FAILED, WAITING, RECONNECT, OVER_BUDGET, CAPPED):
        _update(store, target_id, state=PENDING, not_before=None)
        with store.transaction() as db:
            db.execute("UPDATE outbox_jobs SET state = ? WHERE id = ?", [SENDING, t.job_id])


def reconnected(store: Store, account_id: str) -> None:
    """After the account was signed in again, its waiting targets go out at the next send."""
    with store.transaction() as db:
        db.execute(
            "UPDATE outbox_targets SET state = ?, not_before = NULL WHERE account_id = ? AND state = ?",
            [PENDING, account_id, RECONNECT],
        )


def unfinished(store: Store) -> list[str]:
    """Jobs with a target not yet posted or refused: after a crash these are resumed at start."""
    rows = store.execute(
        "SELECT DISTINCT t.job_id FROM outbox_targets t JOIN outbox_jobs j ON j.id = t.job_id"
        " WHERE t.state IN (?, ?, ?, ?, ?, ?, ?) AND j.state NOT IN (?, ?) ORDER BY j.created_at",
        [PENDING, SENDING, WAITING, RECONNECT, ASK_USER, OVER_BUDGET, CAPPED, CANCELLED, HELD],
    ).fetchall()
    return [row[0] for row in rows]


def due(store: Store, now: datetime) -> list[str]:
    """Jobs with something to send now (scheduled moments passed, waits over, crashes to settle)."""
    result = []
    for job_id in unfinished(store):
        the_job = job(store, job_id)
        if (
            the_job.state == SCHEDULED
            and the_job.scheduled_at
            and datetime.fromisoformat(the_job.scheduled_at) > now
        ):
            continue
        # A suspended account's targets are listed too: a scheduled job on it must be checked
        # again and held with the reason; `send` itself sends nothing to it.
        if any(_is_due(t, now, include_reconnect=False) for t in targets(store, job_id)):
            result.append(job_id)
    return result


def retract(
    store: Store,
    job_id: str,
    reason: str,
    connector_for: ConnectorFor,
    by: str,
) -> list[Target]:
    """Removes the post from every network where it was published (Communiceren 12)."""
    the_job = job(store, job_id)
    posted = [
        t
        for t in targets(store, job_id)
        if t.state == POSTED and t.retract_state in (None, RETRACT_FAILED, RETRACTING)
    ]
    for t in posted:
        with store.transaction() as db:
            db.execute(
                "UPDATE outbox_targets SET retract_state = ? WHERE id = ?", [RETRACTING, t.id]
            )
        base = {
            "job": job_id,
            "target": t.id,
            "school": the_job.school_id,
            "account": t.account_id,
            "network": t.network,
            "remote_id": t.remote_id,
            "practice": t.practice,
        }
        try:
            if not t.remote_id:
                raise Rejected(
                    _(
                        "Postwijs kent de plek van dit bericht op het netwerk niet (het is als"
                        " geplaatst gemarkeerd). Verwijder het daar zelf."
                    )
                )
            connector_for(t.account_id).delete(t.remote_id)
        except ConnectorError as error:
            with store.transaction() as db:
                db.execute(
                    "UPDATE outbox_targets SET retract_state = ?, retract_error = ? WHERE id = ?",
                    [RETRACT_FAILED, str(error), t.id],
                )
            history.append(
                store,
                "retract_failed",
                {**base, "reason": str(error)},
                details={"why": reason, "by": by},
            )
            continue
        with store.transaction() as db:
            db.execute(
                "UPDATE outbox_targets SET retract_state = ?, retract_error = NULL WHERE id = ?",
                [RETRACTED, t.id],
            )
        history.append(store, "retracted", base, details={"why": reason, "by": by})
    return targets(store, job_id)


def record_retracted_elsewhere(
    store: Store, account_id: str, remote_id: str, reason: str, by: str
) -> bool:
    """A post Postwijs placed was taken off the network by another path (the yearly sweep's
    Intrekken): its target reads as retracted in the history, as after `retract`. False when
    no post of Postwijs's has that place on that account (placed outside Postwijs)."""
    row = store.execute(
        f"SELECT {TARGET_COLUMNS} FROM outbox_targets"
        " WHERE account_id = ? AND remote_id = ? AND state = ?"
        " AND (retract_state IS NULL OR retract_state != ?)",
        [account_id, remote_id, POSTED, RETRACTED],
    ).fetchone()
    if row is None or not remote_id:
        return False
    t = _target(row)
    with store.transaction() as db:
        db.execute(
            "UPDATE outbox_targets SET retract_state = ?, retract_error = NULL WHERE id = ?",
            [RETRACTED, t.id],
        )
    base = {
        "job": t.job_id,
        "target": t.id,
        "school": job(store, t.job_id).school_id,
        "account": t.account_id,
        "network": t.network,
        "remote_id": t.remote_id,
        "practice": t.practice,
    }
    history.append(store, "retracted", base, details={"why": reason, "by": by})
    return True


def cancel(store: Store, job_id: str, by: str) -> None:
    """Cancels a scheduled or held job that has not gone out anywhere yet."""
    the_job = job(store, job_id)
    if any(t.state in (POSTED, SENDING) or t.must_look for t in targets(store, job_id)):
        raise ValueError("a job that has (possibly) gone out cannot be cancelled; retract it")
    with store.transaction() as db:
        db.execute("UPDATE outbox_jobs SET state = ? WHERE id = ?", [CANCELLED, job_id])
    history.append(
        store, "schedule_cancelled", {"job": job_id, "school": the_job.school_id, "by": by}
    )


def reschedule(store: Store, job_id: str, moment: datetime, by: str) -> None:
    """Moves a scheduled or held job to a new moment; it is checked again then."""
    the_job = job(store, job_id)
    with store.transaction() as db:
        db.execute(
            "UPDATE outbox_jobs SET scheduled_at = ?, state = ?, held_reason = NULL WHERE id = ?",
            [moment.astimezone(UTC).isoformat(), SCHEDULED, job_id],
        )
    history.append(
        store,
        "rescheduled",
        {"job": job_id, "school": the_job.school_id, "at": moment.isoformat(), "by": by},
    )


def hold(store: Store, job_id: str, reason: str) -> None:
    """A scheduled job that the rules now block waits, and the author is told why."""
    with store.transaction() as db:
        db.execute(
            "UPDATE outbox_jobs SET state = ?, held_reason = ? WHERE id = ?", [HELD, reason, job_id]
        )


def describe_failure(t: Target, account_name: str = "") -> str:
    return _("{account}: niet geplaatst. {reason}").format(
        account=account_name or t.account_id, reason=t.error or ""
    )
