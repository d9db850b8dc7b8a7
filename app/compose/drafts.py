"""Drafts kept in the store: saved as they change, restored at start, and the Voorleggen answer.

Communiceren 15 and 16: when in doubt, the author puts the exact post before the leidinggevende;
the draft waits, and the answer (akkoord or niet akkoord, by whom) is kept with it and recorded in
the history.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from app.compose.post import Draft, FaceMark, MediaItem
from app.history import chain as history
from app.store import Store, now_iso

WAITING, APPROVED, REJECTED = "waiting", "approved", "rejected"


@dataclass(frozen=True)
class Review:
    state: str  # WAITING, APPROVED or REJECTED
    manager: str
    requested_at: str
    text_sha256: str  # which version of the post was put before the manager
    answered_by: str = ""
    answered_at: str = ""
    note: str = ""


def _content(draft: Draft) -> str:
    data = asdict(draft)
    data.pop("id")
    return json.dumps(data, ensure_ascii=False)


def draft_from_json(content: str, draft_id: str | None = None) -> Draft:
    """A draft from its JSON form (as stored with a draft or an outbox job)."""
    data = json.loads(content)
    if draft_id is not None:
        data["id"] = draft_id
    media = [
        MediaItem(**{**m, "faces": [FaceMark(**{**f, "box": tuple(f["box"])}) for f in m["faces"]]})
        for m in data.pop("media", [])
    ]
    return Draft(media=media, **data)


def save(store: Store, draft: Draft) -> None:
    at = now_iso()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO drafts (id, author_id, school_id, content, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET author_id = excluded.author_id,"
            " school_id = excluded.school_id, content = excluded.content, updated_at = excluded.updated_at",
            [draft.id, draft.author_id, draft.school_id, _content(draft), at, at],
        )


def latest(store: Store, author_id: str) -> tuple[Draft, Review | None] | None:
    """The author's most recently edited draft, to continue where they left off."""
    row = store.execute(
        "SELECT id, content, review FROM drafts WHERE author_id = ? ORDER BY updated_at DESC LIMIT 1",
        [author_id],
    ).fetchone()
    if row is None:
        return None
    return draft_from_json(row[1], row[0]), Review(**json.loads(row[2])) if row[2] else None


def discard(store: Store, draft_id: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])


def review_of(store: Store, draft_id: str) -> Review | None:
    row = store.execute("SELECT review FROM drafts WHERE id = ?", [draft_id]).fetchone()
    return Review(**json.loads(row[0])) if row and row[0] else None


def _set_review(store: Store, draft_id: str, review: Review | None) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE drafts SET review = ? WHERE id = ?",
            [json.dumps(asdict(review), ensure_ascii=False) if review else None, draft_id],
        )


def request_review(store: Store, draft: Draft, manager: str, final_texts: list[str]) -> Review:
    """Marks the draft voorgelegd; the history keeps which exact texts were put before whom."""
    save(store, draft)
    review = Review(WAITING, manager, now_iso(), history.digest(final_texts))
    _set_review(store, draft.id, review)
    history.append(
        store,
        "review_requested",
        {
            "draft": draft.id,
            "school": draft.school_id,
            "author": draft.author_id,
            "texts_sha256": review.text_sha256,
        },
        details={"manager": manager, "final_texts": final_texts},
    )
    return review


def record_answer(store: Store, draft: Draft, approved: bool, by: str, note: str = "") -> Review:
    current = review_of(store, draft.id)
    if current is None:
        raise ValueError("this draft was not put before a leidinggevende")
    review = Review(
        APPROVED if approved else REJECTED,
        current.manager,
        current.requested_at,
        current.text_sha256,
        answered_by=by,
        answered_at=now_iso(),
        note=note,
    )
    _set_review(store, draft.id, review)
    history.append(
        store,
        "review_answered",
        {
            "draft": draft.id,
            "school": draft.school_id,
            "author": draft.author_id,
            "approved": approved,
            "texts_sha256": current.text_sha256,
        },
        details={"answered_by": by, "note": note},
    )
    return review
