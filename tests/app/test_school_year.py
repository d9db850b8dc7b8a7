"""Dutch school years: 1 August to 31 July, turning over at midnight on the clock in the
Netherlands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.school_year import (
    current_school_year,
    is_school_year,
    next_school_year,
    parse_school_year,
    previous_school_year,
    school_year_bounds,
    school_year_of,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 7, 31), "2025-2026"),
        (date(2026, 8, 1), "2026-2027"),
        (date(2026, 12, 31), "2026-2027"),
        (date(2027, 1, 1), "2026-2027"),
        (date(2027, 7, 31), "2026-2027"),
        (date(2027, 8, 1), "2027-2028"),
        (date(2000, 2, 29), "1999-2000"),
    ],
)
def test_a_day_falls_in_the_school_year_that_started_on_the_last_first_of_august(day, year):
    assert school_year_of(day) == year


@pytest.mark.parametrize(
    ("moment", "year"),
    [
        # 1 August 00:30 in Amsterdam (summer time, UTC+2) is still 31 July in UTC.
        (datetime(2026, 7, 31, 22, 30, tzinfo=UTC), "2026-2027"),
        (datetime(2026, 7, 31, 21, 59, tzinfo=UTC), "2025-2026"),
        (datetime(2026, 8, 1, 0, 0, tzinfo=timezone(timedelta(hours=2))), "2026-2027"),
        (datetime(2026, 7, 31, 23, 59, tzinfo=timezone(timedelta(hours=2))), "2025-2026"),
    ],
)
def test_the_turnover_is_midnight_on_the_dutch_clock(moment, year):
    assert school_year_of(moment) == year
    assert current_school_year(moment) == year


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        school_year_of(datetime(2026, 8, 1, 12, 0))


def test_without_a_moment_the_current_year_is_that_of_now():
    assert current_school_year() == school_year_of(datetime.now(UTC))


def test_neighbouring_years_and_bounds():
    assert previous_school_year("2026-2027") == "2025-2026"
    assert next_school_year("2026-2027") == "2027-2028"
    assert school_year_bounds("2026-2027") == (date(2026, 8, 1), date(2027, 7, 31))
    with pytest.raises(ValueError):
        previous_school_year("2026/2027")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-2027", "2026-2027"),
        ("2026/2027", "2026-2027"),
        (" 2026 - 2027 ", "2026-2027"),
        ("2026–2027", "2026-2027"),
        ("2026-27", "2026-2027"),
        ("26-27", "2026-2027"),
        ("1999-2000", "1999-2000"),
        ("1999-00", "1999-2000"),
        ("2026-2028", None),
        ("2027-2026", None),
        ("2026-28", None),
        ("2026", None),
        ("schooljaar 2026-2027", None),
        ("", None),
        ("٢٠٢٦-٢٠٢٧", None),
    ],
)
def test_parse_school_year_accepts_the_ways_administrations_write_it(text, expected):
    assert parse_school_year(text) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [("2026-2027", True), ("2026-2028", False), ("2026/2027", False), ("26-27", False)],
)
def test_only_the_canonical_form_is_a_school_year(text, valid):
    assert is_school_year(text) is valid


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2198, 12, 31)))
def test_every_day_lies_within_the_bounds_of_its_school_year(day):
    year = school_year_of(day)
    start, end = school_year_bounds(year)
    assert start <= day <= end
    assert is_school_year(year)
    assert parse_school_year(year) == year


@given(st.text())
def test_parse_school_year_never_crashes(text):
    result = parse_school_year(text)
    assert result is None or is_school_year(result)
