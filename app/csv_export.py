"""Every CSV file Postwijs writes goes through `write_table`: semicolon-separated with a BOM, as
Dutch Excel opens it, and with each cell made harmless.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel and
LibreOffice: a laptop's name `=HYPERLINK(…)` read from a history bundle would become a live link in
the auditor's spreadsheet. OWASP's advice (CSV injection): put a single quote before such a cell,
so that it is shown as the text it is. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet will show it, never as a formula."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_table(path: Path, header: Iterable[object], rows: Iterable[Iterable[object]]) -> Path:
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([safe_cell(cell) for cell in header])
        writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return Path(path)
