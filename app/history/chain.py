"""The append-only, hash-chained history (Uitgangspunten 9: the annual IBT review).

Each row carries the SHA-256 of the row before it over a canonical serialisation, so an edited,
removed or reordered row is detected. Personal details (texts that may name people) are kept beside
the chain in `history_details`; the chain covers only their digest, so they can be erased for one
person without breaking verification. Never a token or a secret: `append` refuses keys that look
like one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import _
from app.store import Store, StoreError, now_iso

GENESIS = "0" * 64
ANCHOR_NAME = "history.anchor"
_SECRET_WORDS = ("token", "password", "secret", "wachtwoord")


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def _row_hash(seq: int, at: str, kind: str, data: dict, details_digest: str, prev_hash: str) -> str:
    return _stored_row_hash(seq, at, kind, canonical(data).decode(), details_digest, prev_hash)


def _stored_row_hash(
    seq: int, at: str, kind: str, data_json: str, details_digest: str, prev_hash: str
) -> str:
    """The row's hash from its data as stored (canonical JSON), without parsing it again: the
    same bytes as canonical() of the whole row, which keeps verifying 100,000 rows under a
    second. A stored text that is not the canonical form no longer matches: also a change."""
    text = (
        f'{{"at":{json.dumps(at, ensure_ascii=False)},"data":{data_json},'
        f'"details_digest":{json.dumps(details_digest)},"kind":{json.dumps(kind, ensure_ascii=False)},'
        f'"prev_hash":{json.dumps(prev_hash)},"seq":{int(seq)}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _refuse_secrets(value: Any, path: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if any(word in str(key).lower() for word in _SECRET_WORDS):
                raise ValueError(f"history refuses secret-like field {path}{key}")
            _refuse_secrets(item, f"{path}{key}.")
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_secrets(item, path)


@dataclass(frozen=True)
class Event:
    seq: int
    at: str
    kind: str
    data: dict
    details: dict | None


def append(
    store: Store,
    kind: str,
    data: dict,
    details: dict | None = None,
    together_with: Callable[[sqlite3.Connection], object] | None = None,
) -> int:
    """Appends one event in its own transaction; returns its sequence number.

    `together_with(db)` runs in the same transaction, for a state change that must never be
    stored without its event or the event without it (a post marked published, say).
    """
    _refuse_secrets(data)
    _refuse_secrets(details or {})
    previous_anchor = read_anchor(store)
    try:
        seq = _append_row(store, kind, data, details, together_with)
    except StoreError:
        # The commit failed after the anchor was written: put the anchor back where the chain is.
        if previous_anchor is not None:
            _write_anchor(store, previous_anchor["seq"], previous_anchor["hash"])
        raise
    return seq


def _append_row(
    store: Store,
    kind: str,
    data: dict,
    details: dict | None,
    together_with: Callable[[sqlite3.Connection], object] | None,
) -> int:
    with store.transaction() as db:
        if together_with is not None:
            together_with(db)
        return append_many(store, db, [(kind, data, details)], checked=True)


def append_many(
    store: Store,
    db: sqlite3.Connection,
    entries: list[tuple[str, dict, dict | None]],
    checked: bool = False,
) -> int:
    """Appends (kind, data, details) events inside the caller's transaction; returns the last
    sequence number. An import changes thousands of consents: one transaction (and one anchor
    write) per event would take minutes, and the register and its history must commit together.
    """
    last = db.execute("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (last[0], last[1]) if last else (0, GENESIS)
    if not entries:
        return seq
    at = now_iso()
    rows, detail_rows = [], []
    shapes_checked: set[tuple] = set()
    for kind, data, details in entries:
        # Events of one kind share their keys; checking each shape once keeps an import fast.
        shape = (kind, *data, "|", *(details or ()))
        if not checked and shape not in shapes_checked:
            _refuse_secrets(data)
            _refuse_secrets(details or {})
            shapes_checked.add(shape)
        seq += 1
        details_digest = digest(details) if details else ""
        row_hash = _row_hash(seq, at, kind, data, details_digest, prev_hash)
        rows.append((seq, at, kind, canonical(data).decode(), details_digest, prev_hash, row_hash))
        if details:
            detail_rows.append((seq, canonical(details).decode()))
        prev_hash = row_hash
    db.executemany(
        "INSERT INTO history (seq, at, kind, data, details_digest, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.executemany("INSERT INTO history_details (seq, details) VALUES (?, ?)", detail_rows)
    # Written while the transaction holds the write lock, so anchors follow the chain's order.
    _write_anchor(store, seq, prev_hash)
    return seq


def anchor_path(store: Store) -> Path:
    return store.path.parent / ANCHOR_NAME


def _write_anchor(store: Store, seq: int, row_hash: str) -> None:
    """The latest hash, kept outside the database, so that a cut-off tail is detected too."""
    path = anchor_path(store)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"seq": seq, "hash": row_hash}), encoding="utf-8")
    os.replace(temporary, path)


def read_anchor(store: Store) -> dict | None:
    try:
        return json.loads(anchor_path(store).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def events(store: Store, kind: str | None = None) -> list[Event]:
    sql = (
        "SELECT h.seq, h.at, h.kind, h.data, d.details FROM history h"
        " LEFT JOIN history_details d ON d.seq = h.seq"
    )
    params: list = []
    if kind:
        sql += " WHERE h.kind = ?"
        params.append(kind)
    sql += " ORDER BY h.seq"
    return [
        Event(seq, at, k, json.loads(data), json.loads(details) if details else None)
        for seq, at, k, data, details in store.execute(sql, params).fetchall()
    ]


@dataclass(frozen=True)
class Verification:
    intact: bool
    rows: int
    first_bad_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS


ROW_COLUMNS = (
    "h.seq, h.at, h.kind, h.data, h.details_digest, h.prev_hash, h.hash, d.details"
    " FROM history h LEFT JOIN history_details d ON d.seq = h.seq"
)


def rows(store: Store) -> Iterator[tuple]:
    """The raw chain in order, as verify_rows and the bundles take it."""
    yield from store.execute(f"SELECT {ROW_COLUMNS} ORDER BY h.seq")


def verify(store: Store, anchor: dict | None = None, check_anchor: bool = True) -> Verification:
    """Walks the chain from the start; names the first row that does not hold, and compares the
    last row with the anchor (the file beside the database, or one from a report or bundle)."""
    if check_anchor and anchor is None:
        anchor = read_anchor(store)
        if anchor is None:
            anchor = {"missing": True}
    return verify_rows(rows(store), anchor if check_anchor else None)


def verify_rows(chain: Iterable[tuple], anchor: dict | None = None) -> Verification:
    """Checks a chain of raw rows (from the database or a bundle) and, if given, its anchor."""
    prev_hash = GENESIS
    expected_seq = 1
    count = 0
    anchor_hash_seen = None
    for seq, at, kind, data, details_digest, row_prev, row_hash, details in chain:
        count += 1
        if seq != expected_seq:
            return Verification(
                False, count, seq, _("de gebeurtenissen ervoor ontbreken"), prev_hash
            )
        if row_prev != prev_hash:
            return Verification(
                False, count, seq, _("ze sluit niet aan op de gebeurtenis ervoor"), prev_hash
            )
        if _stored_row_hash(seq, at, kind, data, details_digest, row_prev) != row_hash:
            return Verification(False, count, seq, _("de inhoud is veranderd"), prev_hash)
        if details is not None and hashlib.sha256(details.encode()).hexdigest() != details_digest:
            return Verification(
                False, count, seq, _("de persoonlijke gegevens zijn veranderd"), prev_hash
            )
        if anchor and anchor.get("seq") == seq:
            anchor_hash_seen = row_hash
        prev_hash = row_hash
        expected_seq += 1
    result = Verification(True, count, None, "", prev_hash)
    if not anchor:
        return result
    if anchor.get("missing"):
        return (
            result
            if not count
            else Verification(False, count, count, _("het ankerbestand ontbreekt"), prev_hash)
        )
    if anchor["seq"] > count:
        return Verification(
            False,
            count,
            count + 1,
            _("gebeurtenissen {first} tot en met {last} zijn weggeknipt").format(
                first=count + 1, last=anchor["seq"]
            ),
            prev_hash,
        )
    if anchor["seq"] and anchor_hash_seen != anchor["hash"]:
        return Verification(
            False, count, anchor["seq"], _("ze komt niet overeen met het anker"), prev_hash
        )
    return result


def erase_person(store: Store, person_ref: str, names: Iterable[str], by: str) -> list[int]:
    """AVG: erases the personal details that name this person or tag them; the chain stays
    verifiable (it covers only the details' digest) and the erasure itself is recorded.

    `person_ref` is the register id (matched against the `people` of published posts); `names`
    are the spellings to look for in the kept texts.
    """
    needles = [n.casefold() for n in names if n.strip()]
    erased = []
    for seq, data, details in store.execute(
        "SELECT h.seq, h.data, d.details FROM history h JOIN history_details d ON d.seq = h.seq"
    ).fetchall():
        tagged = person_ref in json.loads(data).get("people", [])
        named = any(needle in details.casefold() for needle in needles)
        if tagged or named:
            erased.append(seq)
    with store.transaction() as db:
        db.executemany("DELETE FROM history_details WHERE seq = ?", [[seq] for seq in erased])
    append(
        store,
        "personal_data_erased",
        {"person": digest(person_ref), "rows": erased, "by_role": "avg"},
        details={"by": by},
    )
    return erased
