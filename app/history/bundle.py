"""History bundles: each laptop exports its chain; `history audit` merges and checks them all.

A bundle is a zip with the raw chain (every row with its hashes), the personal details that were
not erased, and the laptop's anchor, so the auditor can verify it without the database.
"""

from __future__ import annotations

import json
import platform
import zipfile
from dataclasses import dataclass
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
    try:
        with zipfile.ZipFile(path) as bundle:
            meta = json.loads(bundle.read("meta.json"))
            chain = [
                tuple(json.loads(line))
                for line in bundle.read("chain.jsonl").decode().splitlines()
                if line
            ]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise BundleError(
            _("{path} is geen leesbare Postwijs-geschiedenisbundel ({reason}).").format(
                path=path, reason=error
            )
        ) from None
    if meta.get("format") != FORMAT:
        raise BundleError(
            _("{path} heeft een onbekende opmaak ({format}).").format(
                path=path, format=meta.get("format")
            )
        )
    return Bundle(path, meta.get("laptop", path.stem), chain, meta.get("anchor"))
