"""The import from a shared folder: the newest export there is imported when it (or the mapping
beside it) changed, so every laptop picks up a withdrawal.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.consent.column_mapping import (
    MappingError,
    read_mapping_file,
    remembered_mapping,
    suggest_mapping,
)
from app.consent.csv_import import ImportReport, apply_import, describe_report
from app.consent.csv_reading import ImportFileError, parse_csv_bytes
from app.consent.line_validation import validate
from app.consent.register import SHARE, Source
from app.file_words import unreadable_words
from app.i18n import _
from app.site.config import Site
from app.store import Store, now_iso

MAPPING_FILE_NAME = "postwijs-kolommen.json"  # a mapping beside the export in a shared folder


SETTLE_SECONDS = 5.0  # a file written this recently may still be being copied


UNREACHABLE, NO_FILE, UNCHANGED, BUSY, IMPORTED, REFUSED = (
    "unreachable",
    "no_file",
    "unchanged",
    "busy",
    "imported",
    "refused",
)


@dataclass(frozen=True)
class ShareImport:
    state: str
    file: Path | None = None
    report: ImportReport | None = None
    message: str = ""


def newest_export(folder: Path) -> Path | None:
    """The most recently changed .csv file directly in `folder` (OSError when unreachable)."""
    candidates = [p for p in Path(folder).iterdir() if p.suffix.lower() == ".csv" and p.is_file()]
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.stat().st_mtime, p.name))


def import_from_share(
    store: Store,
    site: Site,
    folder: Path,
    school_id: str,
    by: str = "",
    now: datetime | None = None,
    settle_seconds: float = SETTLE_SECONDS,
) -> ShareImport:
    """Imports the newest export in a shared folder if it (or the mapping) changed since the last
    import on this laptop, with the same validation; never the good lines only (nobody is there
    to choose), so a bad export changes nothing and is reported again next time.

    The mapping is `postwijs-kolommen.json` in the folder, else the one remembered for the school,
    else a suggestion. A file changed less than `settle_seconds` ago may still be being copied:
    it is left for the next time (BUSY).
    """
    folder = Path(folder)
    try:
        newest = newest_export(folder)
    except OSError as error:
        return ShareImport(
            UNREACHABLE,
            message=_(
                "De gedeelde map {folder} is niet bereikbaar ({reason}). Controleer de"
                " netwerkverbinding; de toestemmingen van de vorige keer blijven gelden."
            ).format(folder=folder, reason=error.strerror or error),
        )
    if newest is None:
        return ShareImport(
            NO_FILE,
            message=_(
                "Er staat geen CSV-export in {folder}. Vraag de administratie de export daar te"
                " zetten."
            ).format(folder=folder),
        )
    try:
        if time.time() - newest.stat().st_mtime < settle_seconds:
            return ShareImport(BUSY, newest)
        data = newest.read_bytes()
    except OSError as error:
        return ShareImport(
            UNREACHABLE,
            newest,
            message=unreadable_words(error, newest.name),
        )
    mapping_path = folder / MAPPING_FILE_NAME
    try:
        mapping = read_mapping_file(mapping_path) if mapping_path.is_file() else None
    except MappingError as error:
        return ShareImport(REFUSED, newest, message=str(error))
    key = f"consent.share.{school_id}"
    fingerprint = hashlib.sha256(data + (mapping.to_json() if mapping else "").encode()).hexdigest()
    last = json.loads(store.setting(key) or "{}")
    if last.get("sha256") == fingerprint:
        return ShareImport(UNCHANGED, newest)
    try:
        table = parse_csv_bytes(data, newest.name)
    except ImportFileError as error:
        report = ImportReport(newest.name, school_id, False, [str(error)])
        return ShareImport(REFUSED, newest, report, describe_report(report))
    try:
        site.school(school_id)
    except KeyError:
        return ShareImport(
            REFUSED,
            newest,
            message=_(
                "Kies een school uit de siteconfiguratie: '{school}' staat er niet in."
            ).format(school=school_id),
        )
    mapping = (
        mapping
        or remembered_mapping(store, school_id)
        or suggest_mapping(table.headers, site.purposes)
    )
    validation = validate(table, mapping, site.purposes, now=now)
    report = apply_import(store, school_id, validation, Source(SHARE, newest.name, by))
    if not report.applied:
        return ShareImport(REFUSED, newest, report, describe_report(report))
    store.set_setting(
        key, json.dumps({"sha256": fingerprint, "file": newest.name, "at": now_iso()})
    )
    return ShareImport(IMPORTED, newest, report, describe_report(report))
