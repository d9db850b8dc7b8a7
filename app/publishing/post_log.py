"""The Geschiedenis page's view of past posts: search and filters over the outbox's jobs.

One row per post (job) with its targets. Filters run in SQL with indexes, so a page stays fast
with a hundred thousand posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.publishing import outbox
from app.store import Store

# What the page's state filter offers, and which target states each covers.
STATE_FILTERS = {
    "posted": "t.state = 'posted' AND t.retract_state IS NULL",
    "retracted": "t.retract_state = 'retracted'",
    "failed": "t.state IN ('failed', 'waiting', 'reconnect', 'ask_user')"
    " OR t.retract_state = 'retract_failed'",
    "scheduled": "j.state IN ('scheduled', 'held')",
    "practice": "t.network = 'practice'",
}


@dataclass(frozen=True)
class PostRow:
    job_id: str
    created_at: str
    scheduled_at: str | None
    school_id: str
    author_id: str
    job_state: str
    text: str  # the first target's final text
    targets: tuple[outbox.Target, ...]
    # Per target id, where its network asks: whether the author declared the video AI-made.
    synthetic_media: dict[str, bool] = field(default_factory=dict)


def search(
    store: Store,
    text: str = "",
    school_id: str = "",
    account_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    state: str = "",
    limit: int = 100,
    offset: int = 0,
) -> list[PostRow]:
    where, params = ["1 = 1"], []
    if text:
        where.append("t.final_text LIKE ? ESCAPE '\\'")
        params.append(
            "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
    if school_id:
        where.append("j.school_id = ?")
        params.append(school_id)
    if account_id:
        where.append("t.account_id = ?")
        params.append(account_id)
    if since:
        where.append("j.created_at >= ?")
        params.append(since.isoformat())
    if until:
        where.append("j.created_at < ?")
        params.append(until.isoformat())
    if state:
        where.append(f"({STATE_FILTERS[state]})")
    rows = store.execute(
        "SELECT DISTINCT j.id, j.created_at FROM outbox_jobs j JOIN outbox_targets t ON t.job_id = j.id"
        f" WHERE {' AND '.join(where)} AND j.state != 'cancelled'"
        " ORDER BY j.created_at DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    result = []
    for job_id, _created in rows:
        job = outbox.job(store, job_id)
        targets = tuple(outbox.targets(store, job_id))
        result.append(
            PostRow(
                job.id,
                job.created_at,
                job.scheduled_at,
                job.school_id,
                job.author_id,
                job.state,
                targets[0].final_text if targets else "",
                targets,
                {
                    t.id: declared
                    for t in targets
                    if (declared := outbox.declared_synthetic_media(job, t)) is not None
                },
            )
        )
    return result
