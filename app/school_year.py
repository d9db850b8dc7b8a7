"""Dutch school years: "2026-2027" runs from 1 August 2026 to 31 July 2027.

Consent is given per school year, so the register and the rules need to know which year a moment
falls in. The turnover is midnight on 1 August on the clock in the Netherlands, so an aware moment
is converted to Europe/Amsterdam first; a naive datetime is a programming error (ValueError), as in
app.lesson_time. A plain `date` is taken as a Dutch calendar day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from app.lesson_time import SCHOOL_TIMEZONE

START_MONTH = 8  # a school year starts on 1 August and ends on 31 July
_YEAR = re.compile(r"\s*([0-9]{2}|[0-9]{4})\s*[-/–]\s*([0-9]{2}|[0-9]{4})\s*")


def _day(moment: date | datetime) -> date:
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("school years need an aware datetime (or a date)")
        return moment.astimezone(SCHOOL_TIMEZONE).date()
    return moment


def first_calendar_year(year: str) -> int:
    """2026 for "2026-2027"; ValueError for anything that is not a canonical school year."""
    if not is_school_year(year):
        raise ValueError(f"not a school year: {year!r}")
    return int(year[:4])


def format_school_year(first: int) -> str:
    return f"{first}-{first + 1}"


def school_year_of(moment: date | datetime) -> str:
    day = _day(moment)
    first = day.year if day.month >= START_MONTH else day.year - 1
    return format_school_year(first)


def current_school_year(now: datetime | None = None) -> str:
    return school_year_of(now if now is not None else datetime.now(UTC))


def previous_school_year(year: str) -> str:
    return format_school_year(first_calendar_year(year) - 1)


def next_school_year(year: str) -> str:
    return format_school_year(first_calendar_year(year) + 1)


def school_year_bounds(year: str) -> tuple[date, date]:
    """The first and the last day (both included)."""
    first = first_calendar_year(year)
    return date(first, START_MONTH, 1), date(first + 1, START_MONTH - 1, 31)


def is_school_year(text: str) -> bool:
    """True for the canonical form only: "2026-2027"."""
    return (
        isinstance(text, str)
        and len(text) == 9
        and text[4] == "-"
        and text[:4].isascii()
        and text[:4].isdigit()
        and text[5:].isascii()
        and text[5:].isdigit()
        and int(text[5:]) == int(text[:4]) + 1
    )


def parse_school_year(text: str) -> str | None:
    """The canonical form of a school year as administrations write it: "2026-2027",
    "2026/2027", "2026-27", "26-27", "2026 – 2027"; None when it is not one (e.g. "2026-2028")."""
    match = _YEAR.fullmatch(text or "")
    if not match:
        return None
    first_text, second_text = match.groups()
    first = int(first_text) if len(first_text) == 4 else 2000 + int(first_text)
    second = int(second_text)
    if len(second_text) == 2:
        if (first + 1) % 100 != second:
            return None
        second = first + 1
    if second != first + 1 or not 1000 <= first <= 9998:
        return None
    return format_school_year(first)
