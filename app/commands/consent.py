"""`python -m app consent …`: import the administration's export, erase one person (AVG).

`consent import FILE` exit codes: 0 the file was applied (people missing from it, and lines skipped
with --accept-good-lines, are named in the output and in --json, where "applied" is true); 1
nothing was applied (bad lines without --accept-good-lines); 2 wrong usage: unknown school,
unreadable file or mapping, a mapping that does not fit the file, a broken site configuration or
database.

`consent erase` exit codes: 0 erased; 1 nobody with that number; 2 wrong usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.commands.common import (
    EXIT_FINDING,
    EXIT_OK,
    EXIT_USAGE,
    Options,
    add_common_options,
    emit,
    load_site_or_report,
    open_store_or_report,
    required_path,
    required_text,
    usage_error,
)
from app.i18n import _

if TYPE_CHECKING:
    from app.consent.csv_import import ImportReport


def add_commands(consent_cmd) -> None:
    """Fills in `consent …`, the parser app.commands.cli made for it."""
    consent_sub = consent_cmd.add_subparsers(
        dest="consent_command", required=True, metavar=_("actie")
    )
    consent_import = consent_sub.add_parser(
        "import", help=_("toestemmingen importeren uit een CSV-export van de administratie")
    )
    add_common_options(consent_import)
    consent_import.add_argument(
        "file", type=required_path, help=_("de CSV-export van de administratie")
    )
    consent_import.add_argument(
        "--school",
        type=required_text,
        help=_("de school (id uit de siteconfiguratie); nodig bij meer dan één school"),
    )
    consent_import.add_argument(
        "--mapping",
        dest="mapping_file",
        type=required_path,
        help=_("kolomkoppeling als JSON-bestand"),
    )
    consent_import.add_argument(
        "--accept-good-lines",
        action="store_true",
        help=_("importeer de goede regels en sla de foute over"),
    )
    consent_import.set_defaults(run=_run_import)
    consent_erase = consent_sub.add_parser(
        "erase", help=_("een persoon helemaal wissen (AVG-verzoek), ook uit de geschiedenis")
    )
    add_common_options(consent_erase)
    consent_erase.add_argument(
        "--school", type=required_text, required=True, help=_("de school (id)")
    )
    consent_erase.add_argument(
        "--identifier", type=required_text, required=True, help=_("leerlingnummer of ander nummer")
    )
    consent_erase.add_argument(
        "--by", type=required_text, required=True, help=_("wie het verzoek uitvoert")
    )
    consent_erase.set_defaults(run=cmd_consent_erase)


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


def _run_import(options: Options) -> int:
    return cmd_consent_import(
        options,
        options.extra["file"],
        options.extra.get("school"),
        options.extra.get("mapping_file"),
        options.extra.get("accept_good_lines", False),
    )


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
    from app.consent.column_mapping import MappingError, read_mapping_file
    from app.consent.csv_import import describe_report, import_csv

    site = load_site_or_report(options)
    if site is None:
        return EXIT_USAGE
    if not school:
        if len(site.schools) != 1:
            return usage_error(
                options,
                _("Kies de school met --school: {schools}.").format(
                    schools=", ".join(s.id for s in site.schools)
                ),
            )
        school = site.schools[0].id
    mapping = None
    if mapping_file is not None:
        try:
            mapping = read_mapping_file(mapping_file)
        except MappingError as error:
            emit(options, {"ok": False, "error": "mapping", "message": str(error)}, str(error))
            return EXIT_USAGE
    store = open_store_or_report(options)
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
    emit(options, _payload(report), describe_report(report))
    if report.problems:
        return EXIT_USAGE
    # Applied is success: what is still to be done (confirm who left, fix skipped lines) is in the
    # answer; a script tells "imported" from "refused" by the exit code alone.
    return EXIT_OK if report.applied else EXIT_FINDING


def cmd_consent_erase(options: Options) -> int:
    from app.consent import register as consent

    school, identifier = options.extra["school"], options.extra["identifier"]
    store = open_store_or_report(options)
    if store is None:
        return EXIT_USAGE
    try:
        found = consent.find_person(store, school, identifier)
        if found is None:
            emit(
                options,
                {"ok": False, "error": "not_found"},
                _("Niemand met nummer {id} bij {school}.").format(id=identifier, school=school),
            )
            return EXIT_FINDING
        consent.erase_person(store, found.id, options.extra["by"], reason="AVG")
    finally:
        store.close()
    emit(
        options,
        {"ok": True},
        _("Gewist uit het register en uit de geschiedenis; de keten blijft controleerbaar."),
    )
    return EXIT_OK
