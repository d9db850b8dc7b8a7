"""Every line of an export checked against a mapping: the person it describes, or each reason it
cannot be used, in Dutch and with its line number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from app.consent import register as consent
from app.consent.column_mapping import Mapping, mapping_problems
from app.consent.csv_reading import CsvRow, CsvTable
from app.consent.register import (
    GIVEN,
    OTHER,
    PARENT,
    PUPIL,
    REFUSED,
    STAFF,
    UNKNOWN,
    WITHDRAWN,
    PersonRecord,
)
from app.i18n import _
from app.school_year import current_school_year, parse_school_year

MAX_VALUE_LENGTH = 200  # longer is no name or number: a quote left open, or the wrong column


PREVIEW_LINES = 10


# The Dutch ways of writing yes and no in an export, normalised by `_normalise_value`.
_CONSENT_VALUES = {
    **dict.fromkeys(
        (
            "ja",
            "j",
            "x",
            "1",
            "yes",
            "y",
            "waar",
            "true",
            "wel",
            "wel toestemming",
            "toestemming",
            "toestemming gegeven",
            "gegeven",
            "akkoord",
            "ja toestemming",
            "✓",
            "✔",
        ),
        GIVEN,
    ),
    **dict.fromkeys(
        (
            "nee",
            "n",
            "0",
            "no",
            "onwaar",
            "false",
            "geen",
            "geen toestemming",
            "niet",
            "geweigerd",
            "niet akkoord",
            "nee geen toestemming",
            "geen toestemming gegeven",
            "✗",
        ),
        REFUSED,
    ),
    **dict.fromkeys(
        ("ingetrokken", "toestemming ingetrokken", "teruggetrokken"),
        WITHDRAWN,
    ),
    **dict.fromkeys(
        ("", "-", "?", "onbekend", "nvt", "leeg", "niet ingevuld", "nog niet bekend"), UNKNOWN
    ),
}


_ROLE_VALUES = {
    **dict.fromkeys(
        ("leerling", "leerlingen", "pupil", "kind", "peuter", "student", "scholier"), PUPIL
    ),
    **dict.fromkeys(
        (
            "medewerker",
            "personeel",
            "personeelslid",
            "leerkracht",
            "docent",
            "leidster",
            "pedagogisch medewerker",
            "staff",
        ),
        STAFF,
    ),
    **dict.fromkeys(("ouder", "verzorger", "ouder verzorger", "parent"), PARENT),
    **dict.fromkeys(("overig", "anders", "other", "vrijwilliger", "stagiair"), OTHER),
}


@dataclass(frozen=True)
class ParsedLine:
    line: int
    record: PersonRecord


@dataclass(frozen=True)
class BadLine:
    line: int
    reasons: tuple[str, ...]
    identifier: str = ""

    def describe(self) -> str:
        return _("Regel {line}: {reasons}").format(line=self.line, reasons="; ".join(self.reasons))


@dataclass(frozen=True)
class PreviewRow:
    line: int
    record: PersonRecord | None
    reasons: tuple[str, ...] = ()


@dataclass
class Validation:
    file_name: str
    encoding: str
    delimiter: str
    sha256: str
    problems: list[str] = field(default_factory=list)  # the file or the mapping: nothing can go in
    lines: list[ParsedLine] = field(default_factory=list)
    bad: list[BadLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.bad


def _normalise_value(text: str) -> str:
    text = text.strip().strip("'\"").casefold().replace(".", "").replace(",", " ")
    return " ".join(text.split())


def parse_consent_value(text: str) -> str | None:
    """The consent state a cell means ("ja", "x", "Geen toestemming", "WAAR", "" …), or None."""
    return _CONSENT_VALUES.get(_normalise_value(text))


def parse_role(text: str) -> str | None:
    return _ROLE_VALUES.get(_normalise_value(text).replace("/", " "))


class _RowParser:
    """Turns the cells of one line into a PersonRecord, or the reasons it cannot."""

    def __init__(self, headers: list[str], mapping: Mapping, school_year: str):
        self.mapping = mapping
        self.school_year = school_year
        self.width = len(headers)
        self.index = {h: i for i, h in enumerate(headers)}

    def cell(self, cells: list[str], column: str) -> str:
        if not column:
            return ""
        i = self.index[column]
        return cells[i].strip() if i < len(cells) else ""

    def parse(self, row: CsvRow) -> tuple[PersonRecord | None, list[str], str, str]:
        """The record (None when bad), the reasons it is bad, its identifier and school year."""
        m, cells = self.mapping, row.cells
        reasons: list[str] = []
        if len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            reasons.append(
                _(
                    "de regel heeft {n} velden en de kopregel {m}; staat er een scheidingsteken in"
                    " een naam?"
                ).format(n=len(cells), m=self.width)
            )
        for _what, column in m.columns():
            if len(self.cell(cells, column)) > MAX_VALUE_LENGTH:
                reasons.append(_("de waarde in kolom '{column}' is te lang").format(column=column))
        identifier = consent.identifier_key(self.cell(cells, m.identifier))
        if not identifier:
            reasons.append(
                _("vul kolom '{column}' in: elke persoon heeft een nummer nodig").format(
                    column=m.identifier
                )
            )
        first, last = self.cell(cells, m.first_name), self.cell(cells, m.last_name)
        if not first and not last:
            reasons.append(_("vul de voornaam of de achternaam in"))
        role = m.default_role
        if m.role and self.cell(cells, m.role):
            role = parse_role(self.cell(cells, m.role)) or ""
            if not role:
                reasons.append(
                    _(
                        "onbekende rol '{value}' in kolom '{column}'; gebruik leerling,"
                        " medewerker, ouder of overig"
                    ).format(value=self.cell(cells, m.role), column=m.role)
                )
        year = self.school_year
        if m.school_year and self.cell(cells, m.school_year):
            year = parse_school_year(self.cell(cells, m.school_year)) or ""
            if not year:
                reasons.append(
                    _(
                        "onbekend schooljaar '{value}' in kolom '{column}'; schrijf het als"
                        " {example}"
                    ).format(
                        value=self.cell(cells, m.school_year),
                        column=m.school_year,
                        example=self.school_year,
                    )
                )
        consents = {}
        for purpose, column in m.purposes.items():
            value = self.cell(cells, column)
            state = parse_consent_value(value)
            if state is None:
                reasons.append(
                    _(
                        "onbekende waarde '{value}' in kolom '{column}'; gebruik bijvoorbeeld ja"
                        " of nee, of laat het vak leeg"
                    ).format(value=value[:40], column=column)
                )
            else:
                consents[(purpose, year)] = state
        if reasons:
            return None, reasons, identifier, year
        record = PersonRecord(
            identifier=identifier,
            role=role,
            first_name=first,
            tussenvoegsel=self.cell(cells, m.tussenvoegsel),
            last_name=last,
            group=self.cell(cells, m.group) if m.group else None,
            handles={n: self.cell(cells, c) for n, c in m.handles.items()} or None,
            consents=consents,
        )
        return record, [], identifier, year


def _default_year(school_year: str | None, now: datetime | None) -> str:
    return school_year or current_school_year(now)


def preview(
    table: CsvTable,
    mapping: Mapping,
    purposes: Iterable[str],
    school_year: str | None = None,
    limit: int = PREVIEW_LINES,
    now: datetime | None = None,
) -> list[PreviewRow]:
    """The first `limit` lines parsed with the mapping, each with what is wrong with it. Empty
    when the mapping itself cannot be used (see `mapping_problems`)."""
    if mapping_problems(mapping, table.headers, purposes):
        return []
    parser = _RowParser(table.headers, mapping, _default_year(school_year, now))
    rows = []
    for row in table.rows[:limit]:
        record, reasons, _identifier, _year = parser.parse(row)
        rows.append(PreviewRow(row.line, record, tuple(reasons)))
    return rows


def validate(
    table: CsvTable,
    mapping: Mapping,
    purposes: Iterable[str],
    school_year: str | None = None,
    now: datetime | None = None,
) -> Validation:
    """Every line checked; each bad line named with its line number and why, in Dutch."""
    result = Validation(table.file_name, table.encoding, table.delimiter, table.sha256)
    result.problems = mapping_problems(mapping, table.headers, purposes)
    if result.problems:
        return result
    parser = _RowParser(table.headers, mapping, _default_year(school_year, now))
    parsed = [(row, *parser.parse(row)) for row in table.rows]
    # With a school-year column one person may have a line per year.
    lines_of: dict[tuple[str, str], list[int]] = {}
    for row, _record, _reasons, identifier, year in parsed:
        if identifier:
            lines_of.setdefault((identifier, year), []).append(row.line)
    for row, record, reasons, identifier, year in parsed:
        others = [n for n in lines_of.get((identifier, year), ()) if n != row.line]
        if others:
            reasons = [
                *reasons,
                _("nummer {identifier} staat ook op regel {lines}").format(
                    identifier=identifier, lines=", ".join(str(n) for n in others)
                ),
            ]
        if reasons:
            result.bad.append(BadLine(row.line, tuple(reasons), identifier))
        elif record is not None:
            result.lines.append(ParsedLine(row.line, record))
    return result
