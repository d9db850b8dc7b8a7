"""`postwijs consent import FILE`: the headless import of the administration's export.

Exit codes as in app.commands.cli: 0 everything imported and nobody missing; 1 bad lines (nothing imported,
or only the good lines with --accept-good-lines) or people missing from the export who await
confirmation; 2 wrong usage: unknown school, unreadable file or mapping, a mapping that does not fit
the file, a broken site configuration or database.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _

if TYPE_CHECKING:
    from app.commands.cli import Options
    from app.consent.csv_import import ImportReport


def _payload(report: ImportReport) -> dict:
    validation = report.validation
    merge = report.merge
    return {
        "ok": report.applied and not report.bad and not report.missing,
        "applied": report.applied,
        "file": report.file_name,
        "school": report.school_id,
        "encoding": validation.encoding if validation else None,
        "delimiter": validation.delimiter if validation else None,
        "problems": report.problems,
        "bad_lines": [{"line": b.line, "reasons": list(b.reasons)} for b in report.bad],
        "skipped_lines": [b.line for b in report.skipped],
        "added": len(merge.added) if merge else 0,
        "updated": len(merge.updated) if merge else 0,
        "consent_changes": len(merge.changes) if merge else 0,
        "withdrawn": [
            {"person": c.person_id, "purpose": c.purpose, "year": c.school_year}
            for c in (merge.withdrawn if merge else [])
        ],
        "missing": [
            {"person": p.id, "identifier": p.identifier, "name": p.full_name, "group": p.group}
            for p in report.missing
        ],
    }


def cmd_consent_import(
    options: Options,
    file: Path,
    school: str | None,
    mapping_file: Path | None,
    accept_good_lines: bool,
) -> int:
    """Imports one export into the register of `school` (may be left out when the site has one
    school). The mapping comes from `mapping_file`, else the one remembered for the school, else
    a suggestion from the headers."""
    # app.commands.cli imports this module; importing it back here, at run time, keeps that one-way.
    from app.commands.cli import (
        EXIT_FINDING,
        EXIT_OK,
        EXIT_USAGE,
        _emit,
        _load_site_or_report,
        _open_store_or_report,
    )
    from app.consent.csv_import import MappingError, describe_report, import_csv, read_mapping_file

    site = _load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    if not school:
        if len(site.schools) != 1:
            message = _("Kies de school met --school: {schools}.").format(
                schools=", ".join(s.id for s in site.schools)
            )
            _emit(options, {"ok": False, "error": "usage", "message": message}, message)
            return EXIT_USAGE
        school = site.schools[0].id
    mapping = None
    if mapping_file is not None:
        try:
            mapping = read_mapping_file(mapping_file)
        except MappingError as error:
            _emit(options, {"ok": False, "error": "mapping", "message": str(error)}, str(error))
            return EXIT_USAGE
    store = _open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        report = import_csv(
            store,
            site,
            Path(file),
            school,
            mapping=mapping,
            by=site.default_author().id,
            accept_good_lines=accept_good_lines,
        )
    finally:
        store.close()
    _emit(options, _payload(report), describe_report(report))
    if report.problems:
        return EXIT_USAGE
    if report.bad or report.missing:
        return EXIT_FINDING
    return EXIT_OK
