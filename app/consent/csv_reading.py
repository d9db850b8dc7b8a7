"""Reading a CSV export of the school administration into a table of cells.

Exports are not standardised: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252;
separator `;`, `,` or tab, counted on the header line (or named by Excel's "sep=" line). Each row
keeps the line of the file where it starts, so every message can name it.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from app.file_words import unreadable_words
from app.i18n import _

_DELIMITERS = (";", "\t", ",")  # in order of preference when counts tie


_SEP_LINE = re.compile(r"sep=(.)\s*")  # Excel's hint line, e.g. "sep=;"


class ImportFileError(Exception):
    """The file cannot be read as an export; the message is Dutch and says what to do."""


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
    header_at = offset + 1  # the line the header is on
    try:
        for cells in reader:
            line = offset + previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if headers is None:
                headers = [cell.strip().lstrip("\ufeff") for cell in cells]
                header_at = line
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
    _refuse_an_open_quote(file_name, header_at, headers, rows, delimiter)
    return CsvTable(file_name, headers, rows, encoding, delimiter, hashlib.sha256(data).hexdigest())


def _refuse_an_open_quote(
    file_name: str, header_at: int, headers: list[str], rows: list[CsvRow], delimiter: str
) -> None:
    """A quote left open makes the reader put what follows into one field: the next lines (so the
    people on them are lost) or the rest of the line. Both are refused with the line where it
    opened. A quoted line break or separator on its own is kept: a field that spans lines is
    refused only when what it swallowed holds the separator (it was a line of the file), and a
    field that holds the separator only when its line came out short and no other line of the
    file quotes the separator."""
    records = [CsvRow(header_at, headers), *rows]
    for record in records:
        for cell in record.cells:
            if "\n" not in cell and "\r" not in cell:
                continue
            swallowed = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:]
            if any(delimiter in part for part in swallowed):
                raise ImportFileError(_open_quote_message(file_name, record.line, cell, True))
    quoting = [r for r in rows if any(delimiter in cell for cell in r.cells)]
    if len(quoting) == 1 and len(quoting[0].cells) < len(headers):
        cell = next(c for c in quoting[0].cells if delimiter in c)
        raise ImportFileError(_open_quote_message(file_name, quoting[0].line, cell, False))


def _open_quote_message(file_name: str, line: int, cell: str, spans_lines: bool) -> str:
    start = cell.splitlines()[0][:30] if cell.strip() else ""
    if spans_lines:
        text = _(
            "{file} kan niet worden gelezen: op regel {line} staat een aanhalingsteken open,"
            ' waardoor de regels erna in één veld terechtkomen ("{start}…"). Zet het'
            " aanhalingsteken goed of exporteer het bestand opnieuw; er is niets geïmporteerd."
        )
    else:
        text = _(
            "{file} kan niet worden gelezen: op regel {line} staat een aanhalingsteken open,"
            ' waardoor de rest van de regel in één veld terechtkomt ("{start}…"). Zet het'
            " aanhalingsteken goed of exporteer het bestand opnieuw; er is niets geïmporteerd."
        )
    return text.format(file=file_name, line=line, start=start)


def read_csv(path: Path) -> CsvTable:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ImportFileError(unreadable_words(error, Path(path).name)) from None
    return parse_csv_bytes(data, Path(path).name)
