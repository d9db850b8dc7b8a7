"""History bundles: each laptop exports its chain; `history audit` merges and checks them all.

A bundle is a zip with the raw chain (every row with its hashes), the personal details that were
not erased, and the laptop's anchor, so the auditor can verify it without the database.
"""

from __future__ import annotations

import json
import platform
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app import __version__
from app.history import chain as history
from app.i18n import _
from app.store import Store, now_iso

FORMAT = "postwijs-history-bundle/1"


def export(store: Store, path: Path, laptop: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    anchor = history.read_anchor(store)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        lines = [json.dumps(list(row), ensure_ascii=False) for row in history.rows(store)]
        bundle.writestr("chain.jsonl", "\n".join(lines) + ("\n" if lines else ""))
        bundle.writestr(
            "meta.json",
            json.dumps(
                {
                    "format": FORMAT,
                    "laptop": laptop or platform.node(),
                    "exported_at": now_iso(),
                    "postwijs": __version__,
                    "anchor": anchor,
                    "rows": len(lines),
                },
                ensure_ascii=False,
            ),
        )
    return path


@dataclass(frozen=True)
class Bundle:
    path: Path
    laptop: str
    chain: list[tuple]
    anchor: dict | None

    def verify(self) -> history.Verification:
        return history.verify_rows(self.chain, self.anchor or {"missing": True})

    def events(self) -> list[history.Event]:
        return [
            history.Event(
                row[0], row[1], row[2], json.loads(row[3]), json.loads(row[7]) if row[7] else None
            )
            for row in self.chain
        ]


class BundleError(Exception):
    """A file that is not a readable Postwijs history bundle; the message is Dutch."""


def read(path: Path) -> Bundle:
    """Reads a bundle; anything in it that is not what `export` writes is refused with the line
    (a bundle comes from another laptop, so it is input like any other)."""
    try:
        with zipfile.ZipFile(path) as bundle:
            meta = json.loads(bundle.read("meta.json"))
            lines = bundle.read("chain.jsonl").decode().splitlines()
    except (OSError, KeyError, ValueError, RecursionError, zipfile.BadZipFile) as error:
        raise BundleError(
            _("{path} is geen leesbare Postwijs-geschiedenisbundel ({reason}).").format(
                path=path, reason=error
            )
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BundleError(
            _("{path} heeft een onbekende opmaak ({format}).").format(
                path=path, format=meta.get("format") if isinstance(meta, dict) else "?"
            )
        )
    chain = [_row(path, number, line) for number, line in enumerate(lines, start=1) if line]
    laptop = meta.get("laptop", path.stem)
    anchor = meta.get("anchor")
    if not isinstance(laptop, str) or not (anchor is None or _is_anchor(anchor)):
        raise BundleError(
            _("{path} is geen leesbare Postwijs-geschiedenisbundel ({reason}).").format(
                path=path, reason="meta.json"
            )
        )
    return Bundle(path, laptop, chain, anchor)


def _is_anchor(anchor: object) -> bool:
    return (
        isinstance(anchor, dict)
        and type(anchor.get("seq")) is int
        and isinstance(anchor.get("hash"), str)
    )


# A chain row as `history.rows` gives it: seq, at, kind, data, details_digest, prev_hash, hash,
# details (None when erased).
_ROW_TYPES: tuple[type | tuple[type, ...], ...] = (
    int,
    str,
    str,
    str,
    str,
    str,
    str,
    (str, type(None)),
)


def _row(path: Path, number: int, line: str) -> tuple:
    try:
        row = json.loads(line)
        shaped = (
            isinstance(row, list)
            and len(row) == len(_ROW_TYPES)
            and all(
                isinstance(v, t) and not isinstance(v, bool)
                for v, t in zip(row, _ROW_TYPES, strict=True)
            )
        )
        if shaped:
            datetime.fromisoformat(row[1]).astimezone(UTC)
            shaped = isinstance(json.loads(row[3]), dict) and (
                row[7] is None or isinstance(json.loads(row[7]), dict)
            )
    except (ValueError, RecursionError, OverflowError):
        shaped = False
    if not shaped:
        raise BundleError(
            _(
                "{path} is geen leesbare Postwijs-geschiedenisbundel: regel {line} van"
                " chain.jsonl is geen regel van de geschiedenis. Exporteer de bundel opnieuw."
            ).format(path=path, line=number)
        )
    return tuple(row)
