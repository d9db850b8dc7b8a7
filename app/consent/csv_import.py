"""Importing the consent register from a CSV export of the school administration.

Exports are not standardised, so the steps are: read the file (`read_csv`: UTF-8 with or without
BOM, UTF-16 with BOM, else Windows-1252; separator `;`, `,` or tab, counted on the header line),
map our fields to its columns (`Mapping`, `suggest_mapping`, remembered per school), look at a
preview (`preview`), validate every line (`validate`) and apply (`apply_import`).

An import with bad lines changes nothing, unless the caller chooses to import the good lines; the
skipped lines are then listed. People missing from a re-import are listed, never withdrawn
(see app.consent.register). `import_from_share` imports the newest export in a shared folder when it
changed, so every laptop picks up a withdrawal.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from app.consent import register as consent
from app.consent.register import (
    GIVEN,
    IMPORT,
    OTHER,
    PARENT,
    PUPIL,
    REFUSED,
    ROLES,
    SHARE,
    STAFF,
    UNKNOWN,
    WITHDRAWN,
    MergeResult,
    PersonRecord,
    Source,
)
from app.i18n import _, ngettext
from app.school_year import current_school_year, parse_school_year
from app.site.config import DEFAULT_PURPOSES, Site
from app.store import Store, now_iso

MAPPING_FILE_NAME = "postwijs-kolommen.json"  # a mapping beside the export in a shared folder
MAX_VALUE_LENGTH = 200  # longer is no name or number: a quote left open, or the wrong column
PREVIEW_LINES = 10
SETTLE_SECONDS = 5.0  # a file written this recently may still be being copied
_DELIMITERS = (";", "\t", ",")  # in order of preference when counts tie
_SEP_LINE = re.compile(r"sep=(.)\s*")  # Excel's hint line, e.g. "sep=;"

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

# Header words, normalised (lower case, no accents, words separated by one space). A header that
# names a citizen number is never suggested: the register must not hold it (AVG).
_FORBIDDEN_HEADER_WORDS = ("bsn", "burgerservicenummer", "sofinummer", "sofi nummer")
_IDENTIFIER_WORDS = (
    "leerlingnummer",
    "leerling nummer",
    "leerlingnr",
    "leerling nr",
    "llnr",
    "ll nr",
    "leerling id",
    "leerlingid",
    "stamnummer",
    "stamnr",
    "personeelsnummer",
    "personeelsnr",
    "medewerkernummer",
    "relatienummer",
    "registratienummer",
)
_IDENTIFIER_EXACT = ("id", "nummer", "nr", "kenmerk", "code")
_FIELD_WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # field: (words that may appear within a header, words that must be the whole header)
    "school_year": (("schooljaar",), ()),
    "first_name": (("roepnaam", "voornaam", "voornamen", "first name", "firstname"), ("voorn",)),
    "tussenvoegsel": (
        ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels"),
        ("tv", "tussenv"),
    ),
    "last_name": (
        ("achternaam", "geslachtsnaam", "familienaam", "last name", "lastname", "surname"),
        ("naam",),
    ),
    "group": (
        ("groep", "klas", "stamgroep", "jaargroep", "basisgroep", "lesgroep"),
        ("unit", "leerjaar"),
    ),
    "role": (("rol",), ("soort", "type")),
}
_PURPOSE_WORDS = {
    "sociale media": ("sociale media", "social media", "socialmedia", "socials", "social"),
    "website": ("website", "site", "webpagina", "internet"),
    "nieuwsbrief": ("nieuwsbrief", "nieuwsbrieven", "newsletter"),
    "schoolgids": ("schoolgids", "schoolgidsen", "gids", "jaarboek"),
}
_NETWORK_WORDS = {
    "instagram": ("instagram", "insta"),
    "tiktok": ("tiktok", "tik tok"),
    "x": ("twitter", "x"),
    "facebook": ("facebook",),
    "snapchat": ("snapchat",),
    "mastodon": ("mastodon",),
    "bluesky": ("bluesky",),
    "youtube": ("youtube",),
}
_HANDLE_WORDS = ("account", "handle", "gebruikersnaam", "accountnaam", "profiel", "username")


class ImportFileError(Exception):
    """The file cannot be read as an export; the message is Dutch and says what to do."""


class MappingError(Exception):
    """A mapping (file) that cannot be used; the message is Dutch."""


@dataclass
class Mapping:
    """Our fields -> the export's column names. "" leaves a field out; `purposes` maps consent
    purposes and `handles` network ids to columns. `default_role` applies without a role column."""

    identifier: str = ""
    first_name: str = ""
    tussenvoegsel: str = ""
    last_name: str = ""
    group: str = ""
    role: str = ""
    school_year: str = ""
    purposes: dict[str, str] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    default_role: str = PUPIL

    def columns(self) -> list[tuple[str, str]]:
        """(what, column) for every mapped column; `what` is a field, purpose or handle name."""
        named = [
            (name, getattr(self, name))
            for name in (
                "identifier",
                "first_name",
                "tussenvoegsel",
                "last_name",
                "group",
                "role",
                "school_year",
            )
        ]
        named += [(f"purpose:{p}", c) for p, c in self.purposes.items()]
        named += [(f"handle:{n}", c) for n, c in self.handles.items()]
        return [(what, column) for what, column in named if column]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        try:
            raw = json.loads(text)
        except ValueError:
            raise MappingError(_("De kolomkoppeling is geen geldige JSON.")) from None
        if not isinstance(raw, dict):
            raise MappingError(_("De kolomkoppeling moet een JSON-object zijn."))
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise MappingError(
                _("Onbekende velden in de kolomkoppeling: {fields}. Gebruik: {known}.").format(
                    fields=", ".join(unknown), known=", ".join(sorted(known))
                )
            )
        for name in ("purposes", "handles"):
            value = raw.get(name, {})
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise MappingError(
                    _('"{field}" moet een object zijn van naam naar kolomnaam.').format(field=name)
                )
        for name in known - {"purposes", "handles"}:
            if name in raw and not isinstance(raw[name], str):
                raise MappingError(
                    _('"{field}" moet een kolomnaam tussen aanhalingstekens zijn.').format(
                        field=name
                    )
                )
        return cls(**raw)


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line in the file where this record starts (1 = the first line)
    cells: list[str]


@dataclass(frozen=True)
class CsvTable:
    file_name: str
    headers: list[str]
    rows: list[CsvRow]
    encoding: str
    delimiter: str
    sha256: str


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


# ---- reading ---------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-16 with BOM, UTF-8 (BOM or not), else
    Windows-1252 (what Excel writes on a Dutch Windows), else Latin-1 (never fails)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def detect_delimiter(header_line: str) -> str:
    """The separator that occurs most often in the header line outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first of equals
    return best if counts[best] else ";"


def parse_csv_bytes(data: bytes, file_name: str) -> CsvTable:
    """Reads an export; raises ImportFileError when it is not a readable table."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "{file} is een Excel-bestand. Sla het in Excel op als CSV (gescheiden door"
                " puntkomma's) en importeer dat bestand."
            ).format(file=file_name)
        )
    text, encoding = decode(data)
    if "\x00" in text[:4096]:
        raise ImportFileError(
            _("{file} is geen tekstbestand. Kies de CSV-export van de administratie.").format(
                file=file_name
            )
        )
    text = text.lstrip("\ufeff")
    first_line, _sep, rest = text.partition("\n")
    offset = 0
    hint = _SEP_LINE.fullmatch(first_line.strip("\r"))
    if hint and hint.group(1) in _DELIMITERS:
        delimiter, text, offset = hint.group(1), rest, 1
    else:
        header_line = next((line for line in text.splitlines() if line.strip()), "")
        delimiter = detect_delimiter(header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[CsvRow] = []
    previous_end = 0
    try:
        for cells in reader:
            line = offset + previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = [cell.strip().lstrip("\ufeff") for cell in cells]
                continue
            rows.append(CsvRow(line, cells))
    except csv.Error as error:
        raise ImportFileError(
            _(
                "{file} kan niet worden gelezen bij regel {line} ({reason}). Controleer of er een"
                " aanhalingsteken open staat en exporteer het bestand opnieuw."
            ).format(file=file_name, line=offset + reader.line_num, reason=error)
        ) from None
    if headers is None:
        raise ImportFileError(
            _("{file} is leeg. Exporteer de gegevens opnieuw uit de administratie.").format(
                file=file_name
            )
        )
    return CsvTable(file_name, headers, rows, encoding, delimiter, hashlib.sha256(data).hexdigest())


def read_csv(path: Path) -> CsvTable:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFileError(
            _("Kan {file} niet lezen ({reason}). Controleer of het bestand bestaat.").format(
                file=path, reason=error.strerror or error
            )
        ) from None
    return parse_csv_bytes(data, Path(path).name)


# ---- mapping ---------------------------------------------------------------------------------


def _normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"[0-9a-z]+", text))


def _has_words(normalised: str, words: str) -> bool:
    return f" {words} " in f" {normalised} "


def suggest_mapping(headers: Iterable[str], purposes: Iterable[str] = DEFAULT_PURPOSES) -> Mapping:
    """A first guess from common Dutch headers, for the administrator to check in the preview."""
    headers = list(headers)
    normalised = {h: _normalise_header(h) for h in headers}
    free = [
        h
        for h in headers
        if h and not any(_has_words(normalised[h], w) for w in _FORBIDDEN_HEADER_WORDS)
    ]

    def take(within: Iterable[str], exact: Iterable[str] = ()) -> str:
        within, exact = tuple(within), tuple(exact)
        for word in (*within, *exact):  # a whole-header match first, in the order of preference
            for header in free:
                if normalised[header] == word:
                    free.remove(header)
                    return header
        for word in within:
            for header in free:
                if _has_words(normalised[header], word):
                    free.remove(header)
                    return header
        return ""

    mapping = Mapping(identifier=take(_IDENTIFIER_WORDS, _IDENTIFIER_EXACT))
    for name, (within, exact) in _FIELD_WORDS.items():
        setattr(mapping, name, take(within, exact))
    for network, words in _NETWORK_WORDS.items():
        for header in list(free):
            text = normalised[header]
            if any(_has_words(text, w) for w in words) and any(
                _has_words(text, w) for w in _HANDLE_WORDS
            ):
                mapping.handles[network] = header
                free.remove(header)
                break
    for purpose in purposes:
        words = _PURPOSE_WORDS.get(purpose, (_normalise_header(purpose),))
        column = take(words)
        if column:
            mapping.purposes[purpose] = column
    return mapping


def mapping_problems(mapping: Mapping, headers: list[str], purposes: Iterable[str]) -> list[str]:
    """What keeps a mapping from being used with these headers, in Dutch; [] when usable."""
    problems = []
    purposes = tuple(purposes)
    if not mapping.identifier:
        problems.append(
            _(
                "Kies de kolom met het leerlingnummer (of een ander nummer dat elke persoon"
                " aanduidt)."
            )
        )
    elif any(_has_words(_normalise_header(mapping.identifier), w) for w in _FORBIDDEN_HEADER_WORDS):
        problems.append(
            _(
                "Kies een andere kolom dan '{column}' als nummer: het burgerservicenummer hoort"
                " niet in het toestemmingsregister. Gebruik het leerlingnummer."
            ).format(column=mapping.identifier)
        )
    if not mapping.first_name and not mapping.last_name:
        problems.append(_("Kies de kolom met de voornaam of de achternaam."))
    if mapping.default_role not in ROLES:
        problems.append(_("Kies als standaardrol een van: {roles}.").format(roles=", ".join(ROLES)))
    for purpose in mapping.purposes:
        if purpose not in purposes:
            problems.append(
                _(
                    "Koppel '{purpose}' niet: het is geen toestemmingsdoel in de siteconfiguratie"
                    " (wel: {purposes})."
                ).format(purpose=purpose, purposes=", ".join(purposes))
            )
    for _what, column in mapping.columns():
        count = headers.count(column)
        if count == 0:
            problems.append(
                _("Kies een andere kolom: '{column}' staat niet in het bestand.").format(
                    column=column
                )
            )
        elif count > 1:
            problems.append(
                _(
                    "Geef de kolommen '{column}' in het bestand elk een eigen naam: de naam komt"
                    " {n} keer voor."
                ).format(column=column, n=count)
            )
    return list(dict.fromkeys(problems))


def remembered_mapping(store: Store, school_id: str) -> Mapping | None:
    text = store.setting(_mapping_key(school_id))
    if not text:
        return None
    try:
        return Mapping.from_json(text)
    except MappingError:
        return None


def remember_mapping(store: Store, school_id: str, mapping: Mapping) -> None:
    store.set_setting(_mapping_key(school_id), mapping.to_json())


def read_mapping_file(path: Path) -> Mapping:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(
            _("Kan de kolomkoppeling {file} niet lezen ({reason}).").format(
                file=path, reason=getattr(error, "strerror", None) or error
            )
        ) from None
    return Mapping.from_json(text)


def _mapping_key(school_id: str) -> str:
    return f"consent.mapping.{school_id}"


# ---- validating ------------------------------------------------------------------------------


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


# ---- applying --------------------------------------------------------------------------------


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
    report.merge = consent.merge_people(
        store,
        school_id,
        [line.record for line in validation.lines],
        source,
        list_missing=True,
        present=[b.identifier for b in validation.bad if b.identifier],
    )
    report.applied = True
    return report


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


# ---- the shared folder -----------------------------------------------------------------------

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
            message=_("Kan {file} niet lezen ({reason}).").format(
                file=newest, reason=error.strerror or error
            ),
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
