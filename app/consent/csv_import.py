"""Importing the consent register from a CSV export of the school administration: the steps
together, and the outcome for the administrator.

The steps are: read the file (app.consent.csv_reading), map our fields to its columns
(app.consent.column_mapping, remembered per school), look at a preview and validate every line
(app.consent.line_validation), and apply (`apply_import`, here). The shared folder's automatic
import is app.consent.share_import.

An import with bad lines changes nothing, unless the caller chooses to import the good lines; the
skipped lines are then listed. People missing from a re-import are listed, never withdrawn
(see app.consent.register).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.consent import register as consent
from app.consent.column_mapping import (
    Mapping,
    remember_mapping,
    remembered_mapping,
    suggest_mapping,
)
from app.consent.csv_reading import ImportFileError, read_csv
from app.consent.line_validation import BadLine, Validation, validate
from app.consent.register import IMPORT, MergeResult, Source
from app.i18n import _, ngettext
from app.site.config import Site
from app.store import Store


@dataclass
class ImportReport:
    file_name: str
    school_id: str
    applied: bool
    problems: list[str] = field(default_factory=list)
    bad: list[BadLine] = field(default_factory=list)  # skipped when applied, else blocking
    merge: MergeResult | None = None
    validation: Validation | None = None

    @property
    def skipped(self) -> list[BadLine]:
        return self.bad if self.applied else []

    @property
    def missing(self) -> list[consent.Person]:
        return self.merge.missing if self.merge else []


def apply_import(
    store: Store,
    school_id: str,
    validation: Validation,
    source: Source,
    accept_good_lines: bool = False,
) -> ImportReport:
    """Applies a validation. With bad lines nothing changes unless `accept_good_lines`; the
    report then lists them as skipped. People missing from the file are listed, not withdrawn."""
    report = ImportReport(
        validation.file_name,
        school_id,
        applied=False,
        problems=list(validation.problems),
        bad=list(validation.bad),
        validation=validation,
    )
    if validation.problems or (validation.bad and not accept_good_lines):
        return report
    report.merge = consent.merge_people(store, school_id, *_merge_arguments(validation, source))
    report.applied = True
    return report


def planned_import(store: Store, school_id: str, validation: Validation) -> MergeResult:
    """What `apply_import` of the good lines of `validation` will report as its merge, computed
    by the same merge on the register as it is now; changes nothing. Any source of the kind
    import gives the same result (the source only labels the change log)."""
    source = Source(IMPORT, validation.file_name)
    return consent.planned_merge(store, school_id, *_merge_arguments(validation, source))


def _merge_arguments(
    validation: Validation, source: Source
) -> tuple[list[consent.PersonRecord], Source, bool, list[str]]:
    """The merge's arguments for an import, shared by applying and planning so that step 3 of
    the wizard says exactly what the import then reports."""
    return (
        [line.record for line in validation.lines],
        source,
        True,  # list the people missing from the file
        [b.identifier for b in validation.bad if b.identifier],  # on skipped lines: not missing
    )


def import_csv(
    store: Store,
    site: Site,
    path: Path,
    school_id: str,
    mapping: Mapping | None = None,
    by: str = "",
    accept_good_lines: bool = False,
    school_year: str | None = None,
    now: datetime | None = None,
    source_kind: str = IMPORT,
) -> ImportReport:
    """Reads, validates and applies one export. Without `mapping`, the one remembered for the
    school is used, else a suggestion; a mapping that worked is remembered for next time."""
    name = Path(path).name
    try:
        site.school(school_id)
    except KeyError:
        return ImportReport(
            name,
            school_id,
            False,
            [
                _("Kies een school uit de siteconfiguratie: '{school}' staat er niet in.").format(
                    school=school_id
                )
            ],
        )
    try:
        table = read_csv(Path(path))
    except ImportFileError as error:
        return ImportReport(name, school_id, False, [str(error)])
    mapping = (
        mapping
        or remembered_mapping(store, school_id)
        or suggest_mapping(table.headers, site.purposes)
    )
    validation = validate(table, mapping, site.purposes, school_year, now)
    report = apply_import(
        store, school_id, validation, Source(source_kind, name, by), accept_good_lines
    )
    if report.applied:
        remember_mapping(store, school_id, mapping)
    return report


def describe_report(report: ImportReport) -> str:
    """The outcome for the administrator, in Dutch, leading with what to do."""
    lines: list[str] = []
    if report.problems:
        lines.append(_("Er is niets geïmporteerd uit {file}.").format(file=report.file_name))
        lines += report.problems
        return "\n".join(lines)
    if not report.applied:
        lines.append(
            ngettext(
                "Verbeter {n} regel in {file} of importeer alleen de goede regels; er is niets"
                " geïmporteerd.",
                "Verbeter {n} regels in {file} of importeer alleen de goede regels; er is niets"
                " geïmporteerd.",
                len(report.bad),
            ).format(n=len(report.bad), file=report.file_name)
        )
        lines += [bad.describe() for bad in report.bad]
        return "\n".join(lines)
    merge = report.merge or MergeResult()
    lines.append(
        _(
            "{file} is geïmporteerd: {added} nieuw, {updated} bijgewerkt, {changes} wijzigingen"
            " in toestemming."
        ).format(
            file=report.file_name,
            added=len(merge.added),
            updated=len(merge.updated),
            changes=len(merge.changes),
        )
    )
    if merge.withdrawn:
        lines.append(
            ngettext(
                "Bekijk de berichten van de persoon van wie de toestemming is ingetrokken ({n}).",
                "Bekijk de berichten van de personen van wie de toestemming is ingetrokken ({n}).",
                len({c.person_id for c in merge.withdrawn}),
            ).format(n=len({c.person_id for c in merge.withdrawn}))
        )
        lines += [f"- {c.name}: {c.purpose} {c.school_year}" for c in merge.withdrawn]
    if report.skipped:
        lines.append(
            ngettext(
                "Verbeter deze overgeslagen regel en importeer opnieuw:",
                "Verbeter deze {n} overgeslagen regels en importeer opnieuw:",
                len(report.skipped),
            ).format(n=len(report.skipped))
        )
        lines += [bad.describe() for bad in report.skipped]
    if report.missing:
        lines.append(
            ngettext(
                "Bevestig of deze persoon van school is: hij of zij staat niet meer in de export"
                " (er is niets ingetrokken).",
                "Bevestig of deze {n} personen van school zijn: ze staan niet meer in de export"
                " (er is niets ingetrokken).",
                len(report.missing),
            ).format(n=len(report.missing))
        )
        lines += [
            f"- {p.full_name} ({p.identifier}{', ' + p.group if p.group else ''})"
            for p in report.missing
        ]
    return "\n".join(lines)
