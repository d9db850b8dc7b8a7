"""The history at 100,000 rows: the chain check (budget < 1 s), a filtered page on the Geschiedenis
page (< 50 ms) and a school year's report (< 2 s), each against hashing the same rows' bytes."""

from __future__ import annotations

import hashlib
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.history import annual_report
from app.history import chain as history
from app.publishing import post_log
from app.school_year import school_year_of
from app.store import Store
from bench.measure import Result, median, timings

ROWS = 100_000
JOBS = 20_000


def _fill(store: Store) -> None:
    kinds = ["published", "published", "warning_acknowledged", "consent_changed", "publish_failed"]
    entries = []
    for n in range(ROWS):
        kind = kinds[n % len(kinds)]
        entries.append(
            (
                kind,
                {
                    "school": "regenboog",
                    "account": f"a{n % 7}",
                    "network": "mastodon",
                    "n": n,
                    "practice": n % 10 == 0,
                },
                {"final_text": f"Bericht {n}"},
            )
        )
    with store.transaction() as db:
        history.append_many(store, db, entries)
        start = datetime(2025, 9, 1, tzinfo=UTC)
        for n in range(JOBS):
            job = uuid.uuid4().hex
            at = (start + timedelta(minutes=20 * n)).isoformat()
            db.execute(
                "INSERT INTO outbox_jobs (id, created_at, school_id, author_id, state) VALUES (?, ?, ?, ?, ?)",
                [job, at, "regenboog" if n % 2 else "kleine-wereld", "demo", "done"],
            )
            db.execute(
                "INSERT INTO outbox_targets (id, job_id, account_id, network, final_text, state, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    uuid.uuid4().hex,
                    job,
                    f"a{n % 7}",
                    "mastodon",
                    f"Bericht {n} over de sportdag",
                    "posted",
                    at,
                ],
            )


def run() -> list[Result]:
    store = Store.open(Path(tempfile.mkdtemp(prefix="postwijs-bench-history-")))
    _fill(store)
    raw = [row[3].encode() for row in history.rows(store)]

    def hash_all() -> None:
        digest = hashlib.sha256()
        for data in raw:
            digest.update(data)

    baseline = median(timings(hash_all, 3))
    verify = median(timings(lambda: history.verify(store), 3))
    page = median(
        timings(
            lambda: post_log.search(
                store, text="sportdag", school_id="regenboog", account_id="a3", limit=50
            ),
            20,
        )
    )
    year = school_year_of(datetime.now(UTC))
    events = [("laptop", e) for e in history.events(store)]
    started = time.perf_counter()
    annual_report.build(events, year, [("laptop", history.verify(store))])
    report = time.perf_counter() - started
    return [
        Result(
            f"history verify, {ROWS:,} rows",
            verify,
            "hashing the rows' bytes",
            baseline,
            note="budget < 1 s",
        ),
        Result(
            "filtered page of the Geschiedenis page",
            page,
            "hashing the rows' bytes",
            baseline,
            note="budget < 50 ms",
        ),
        Result(
            "school year's report (with events read)",
            report,
            "hashing the rows' bytes",
            baseline,
            note="budget < 2 s",
        ),
    ]
