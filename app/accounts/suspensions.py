"""Account states kept on this laptop: suspended (Communiceren 12: stop using a medium at once).

Suspending and lifting are recorded in the history. Connection state (signed in, needs
reconnecting) lives in the password vault (app.accounts.service), never here: no secret enters
the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.history import chain as history
from app.store import Store, now_iso


@dataclass(frozen=True)
class Suspension:
    account_id: str
    reason: str
    by: str
    at: str


def suspension(store: Store, account_id: str) -> Suspension | None:
    row = store.execute(
        "SELECT account_id, reason, by_whom, at FROM account_suspensions WHERE account_id = ?",
        [account_id],
    ).fetchone()
    return Suspension(*row) if row else None


def suspended_ids(store: Store) -> set[str]:
    return {row[0] for row in store.execute("SELECT account_id FROM account_suspensions")}


def suspend(store: Store, account_id: str, school_id: str, reason: str, by: str) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO account_suspensions (account_id, reason, by_whom, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(account_id) DO UPDATE SET reason = excluded.reason,"
            " by_whom = excluded.by_whom, at = excluded.at",
            [account_id, reason, by, now_iso()],
        )
    history.append(
        store,
        "account_suspended",
        {"account": account_id, "school": school_id},
        details={"reason": reason, "by": by},
    )


def lift(store: Store, account_id: str, school_id: str, by: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM account_suspensions WHERE account_id = ?", [account_id])
    history.append(
        store,
        "account_unsuspended",
        {"account": account_id, "school": school_id},
        details={"by": by},
    )
