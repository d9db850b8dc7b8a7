"""Sending what is due: scheduled posts at their moment, retries after their wait, and jobs a
crash left unfinished. A scheduled post is checked again at the moment of sending (consent may have
been withdrawn, an account suspended): if anything now blocks, it is held and the author is told
why.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.accounts import suspensions as accounts
from app.compose.variants import build_variants
from app.history import chain as history
from app.i18n import _
from app.publishing import outbox, spending
from app.rules.model import CheckContext, RegisterPerson
from app.rules.registry import check
from app.site.config import Site
from app.store import Store

MISSED_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Outcome:
    job_id: str
    held_reason: str = ""
    targets: tuple[outbox.Target, ...] = ()


def recheck(
    store: Store, site: Site, job: outbox.Job, now: datetime, people: list[RegisterPerson]
) -> str:
    """Empty when the job may go out now; otherwise why it must wait, in Dutch."""
    if job.draft is None:
        return ""
    from app.networks.account_limits import text_limits

    try:
        variants = build_variants(job.draft, site, text_limits(store))
    except KeyError:
        return _("Een account of school van dit bericht bestaat niet meer in de siteconfiguratie.")
    ctx = CheckContext(
        site=site,
        at=now,
        people=people,
        suspended_accounts=frozenset(accounts.suspended_ids(store)),
    )
    report = check(job.draft, ctx, variants)
    blocking = report.of("block")
    if blocking:
        return _("Dit ingeplande bericht is niet verstuurd: {reason}").format(
            reason=blocking[0].message
        )
    return ""


def run_due(
    store: Store,
    site: Site,
    connector_for: outbox.ConnectorFor,
    now: datetime,
    people: Sequence[RegisterPerson] = (),
    account_names: dict[str, str] | None = None,
    skip: Collection[str] = frozenset(),
    upload_progress: outbox.UploadReport | None = None,
) -> list[Outcome]:
    """Sends every job that is due now; `skip` holds missed moments the user has not agreed to;
    `upload_progress` hears how far uploads are (a resumed one starts where it was)."""
    outcomes = []
    for job_id in outbox.due(store, now):
        if job_id in skip:
            continue
        job = outbox.job(store, job_id)
        if job.state == outbox.SCHEDULED:
            reason = recheck(store, site, job, now, list(people))
            if reason:
                outbox.hold(store, job_id, reason)
                history.append(
                    store,
                    "schedule_held",
                    {"job": job_id, "school": job.school_id},
                    details={"reason": reason},
                )
                outcomes.append(Outcome(job_id, held_reason=reason))
                continue
        result = outbox.send(
            store,
            job_id,
            connector_for,
            account_names,
            now=now,
            budgets=spending.budgets(site),
            upload_progress=upload_progress,
        )
        outcomes.append(Outcome(job_id, targets=tuple(result)))
    return outcomes


def missed(store: Store, now: datetime) -> list[outbox.Job]:
    """Scheduled posts whose moment passed while Postwijs was closed: shown, sent only on consent."""
    return [
        job
        for job in outbox.jobs(store, [outbox.SCHEDULED])
        if job.scheduled_at and datetime.fromisoformat(job.scheduled_at) < now - MISSED_AFTER
    ]
