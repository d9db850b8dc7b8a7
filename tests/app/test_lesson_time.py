"""Lesson hours as Dutch wall-clock times: lessons, breaks, free days, weekends and DST change days.

The demo school "regenboog" has lessons 08:30-12:00 and 12:45-15:00 on Monday, Tuesday, Thursday
and Friday, 08:30-12:15 on Wednesday, a Christmas holiday 2026-12-21..2027-01-01 and 2027-04-27
free. Results are compared as UTC instants: that is what a moment is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.lesson_time import (
    SCHOOL_TIMEZONE,
    in_lesson_time,
    is_free_day,
    lesson_blocks,
    next_allowed_moment,
    suggested_moments,
)
from app.site.config import School, load_site

AMS = SCHOOL_TIMEZONE
SUNDAY = 6


def local(text: str, fold: int = 0) -> datetime:
    """A Dutch wall-clock moment, e.g. "2026-03-23 10:15"."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS, fold=fold)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def same_instant(a: datetime, b: datetime) -> bool:
    return a.astimezone(UTC) == b.astimezone(UTC)


@pytest.fixture(scope="module")
def regenboog() -> School:
    return load_site(None).school("regenboog")


@pytest.fixture(scope="module")
def night_school(regenboog) -> School:
    """Sunday lessons around the night-time DST change, to test the skipped and repeated hours."""
    return replace(
        regenboog,
        lesson_hours={SUNDAY: ((time(1, 0), time(2, 30)), (time(2, 15), time(2, 45)))},
        free_days=(),
    )


@pytest.mark.parametrize(
    ("moment", "period"),
    [
        ("2026-03-23 10:15", ("2026-03-23 08:30", "2026-03-23 12:00")),  # Monday morning
        ("2026-03-23 08:30", ("2026-03-23 08:30", "2026-03-23 12:00")),  # the first minute
        ("2026-03-23 11:59:59", ("2026-03-23 08:30", "2026-03-23 12:00")),
        ("2026-03-23 14:00", ("2026-03-23 12:45", "2026-03-23 15:00")),  # Monday afternoon
        ("2026-03-25 12:10", ("2026-03-25 08:30", "2026-03-25 12:15")),  # Wednesday: half a day
        ("2027-04-28 10:00", ("2027-04-28 08:30", "2027-04-28 12:15")),  # the day after a free day
        ("2027-01-04 09:00", ("2027-01-04 08:30", "2027-01-04 12:00")),  # after the holiday
    ],
)
def test_a_moment_during_lessons_gives_its_lesson_block(regenboog, moment, period):
    found = in_lesson_time(regenboog, local(moment))
    assert found is not None
    assert same_instant(found.start, local(period[0]))
    assert same_instant(found.end, local(period[1]))


@pytest.mark.parametrize(
    "moment",
    [
        "2026-03-23 08:29:59",  # just before the first lesson
        "2026-03-23 12:00",  # the lesson has ended: 12:00 sharp is free
        "2026-03-23 12:30",  # lunch break
        "2026-03-23 15:00",
        "2026-03-23 21:00",
        "2026-03-25 13:00",  # Wednesday afternoon
        "2026-03-28 10:00",  # Saturday
        "2026-03-29 10:00",  # Sunday
        "2026-12-21 10:00",  # first day of the Christmas holiday
        "2026-12-22 10:00",
        "2027-01-01 10:00",  # last day of the Christmas holiday
        "2027-04-27 10:00",  # a single free day (Koningsdag)
    ],
)
def test_a_moment_outside_lessons_is_free(regenboog, moment):
    assert in_lesson_time(regenboog, local(moment)) is None
    assert same_instant(next_allowed_moment(regenboog, local(moment)), local(moment))


@pytest.mark.parametrize(
    ("moment", "in_lessons"),
    [
        # Friday before the spring change: winter time, UTC+1.
        ("2026-03-27 07:20", False),  # 08:20 on the wall
        ("2026-03-27 07:40", True),  # 08:40
        # Monday after it: summer time, UTC+2; the same wall-clock hours, other UTC hours.
        ("2026-03-30 06:20", False),  # 08:20
        ("2026-03-30 06:40", True),  # 08:40
        ("2026-03-30 10:00", False),  # 12:00
        ("2026-03-30 09:59", True),  # 11:59
        # Around the autumn change.
        ("2026-10-23 06:40", True),  # Friday 08:40 summer time
        ("2026-10-26 06:40", False),  # Monday 07:40 winter time
        ("2026-10-26 07:40", True),  # Monday 08:40
    ],
)
def test_lesson_hours_are_wall_clock_hours_on_both_sides_of_a_dst_change(
    regenboog, moment, in_lessons
):
    assert (in_lesson_time(regenboog, utc(moment)) is not None) is in_lessons


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (local("2026-03-23 10:15"), local("2026-03-23 12:00")),
        (local("2026-03-23 12:50"), local("2026-03-23 15:00")),
        (local("2026-03-25 09:00"), local("2026-03-25 12:15")),
        (utc("2026-03-27 10:00"), utc("2026-03-27 11:00")),  # 12:00 winter time
        (utc("2026-03-30 09:00"), utc("2026-03-30 10:00")),  # 12:00 summer time
        (
            datetime(2026, 3, 23, 10, 15, tzinfo=timezone(timedelta(hours=-5))),
            utc("2026-03-23 15:15"),
        ),
    ],
)
def test_next_allowed_moment_is_the_end_of_the_lesson_block(regenboog, moment, allowed):
    result = next_allowed_moment(regenboog, moment)
    assert same_instant(result, allowed)
    assert result.tzinfo is AMS


def test_next_allowed_moment_on_a_weekend_or_free_day_is_the_moment_itself(regenboog):
    for moment in ("2026-03-28 09:00", "2026-03-29 11:00", "2026-12-23 10:00", "2027-04-27 08:45"):
        assert same_instant(next_allowed_moment(regenboog, local(moment)), local(moment))


def test_in_the_hour_skipped_in_spring_a_lesson_ends_when_the_clocks_jump(night_school):
    # Sunday 29 March 2026: at 02:00 winter time the clocks jump to 03:00 summer time.
    before = local("2026-03-29 01:50")
    period = in_lesson_time(night_school, before)
    assert period is not None
    assert same_instant(period.end, utc("2026-03-29 01:00"))  # 03:00 summer time
    assert period.end.strftime("%H:%M") == "03:00"
    after_jump = utc("2026-03-29 01:00")
    assert in_lesson_time(night_school, after_jump) is None


def test_the_hour_repeated_in_autumn_counts_twice_and_each_ends_in_its_own_pass(night_school):
    # Sunday 25 October 2026: 03:00 summer time becomes 02:00 winter time; 02:15-02:45 happens twice.
    first_pass = utc("2026-10-25 00:30")  # 02:30 summer time
    second_pass = utc("2026-10-25 01:30")  # 02:30 winter time
    assert same_instant(next_allowed_moment(night_school, first_pass), utc("2026-10-25 00:45"))
    assert same_instant(next_allowed_moment(night_school, second_pass), utc("2026-10-25 01:45"))
    between = utc("2026-10-25 00:50")  # 02:50 summer time: free until the clock shows 02:15 again
    assert in_lesson_time(night_school, between) is None


def test_touching_and_overlapping_blocks_are_one_block(regenboog):
    school = replace(
        regenboog,
        lesson_hours={
            0: ((time(10, 0), time(12, 0)), (time(8, 30), time(10, 0)), (time(11, 0), time(12, 30)))
        },
    )
    assert lesson_blocks(school, date(2026, 3, 23)) == ((time(8, 30), time(12, 30)),)
    assert same_instant(
        next_allowed_moment(school, local("2026-03-23 09:00")), local("2026-03-23 12:30")
    )


def test_free_days_include_both_ends_of_a_period(regenboog):
    assert not is_free_day(regenboog, date(2026, 12, 20))
    assert is_free_day(regenboog, date(2026, 12, 21))
    assert is_free_day(regenboog, date(2027, 1, 1))
    assert not is_free_day(regenboog, date(2027, 1, 2))
    assert lesson_blocks(regenboog, date(2026, 12, 22)) == ()


def test_a_naive_moment_is_refused(regenboog):
    with pytest.raises(ValueError, match="timezone-aware"):
        in_lesson_time(regenboog, datetime(2026, 3, 23, 10, 15))
    with pytest.raises(ValueError, match="timezone-aware"):
        next_allowed_moment(regenboog, datetime(2026, 3, 23, 10, 15))


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # During Monday's lesson: lunch, end of the day, Tuesday morning before lessons.
        ("2026-03-23 10:15", ["2026-03-23 12:00", "2026-03-23 15:00", "2026-03-24 08:00"]),
        # Wednesday: one block, then Thursday.
        ("2026-03-25 10:00", ["2026-03-25 12:15", "2026-03-26 08:00", "2026-03-26 12:00"]),
        # Friday after school: now, then across the weekend to Monday.
        ("2026-03-20 15:30", ["2026-03-20 15:30", "2026-03-23 08:00", "2026-03-23 12:00"]),
        # Friday before the spring change: Monday 08:00 is summer time.
        ("2026-03-27 15:30", ["2026-03-27 15:30", "2026-03-30 08:00", "2026-03-30 12:00"]),
        # The last school day before the Christmas holiday: across the holiday.
        ("2026-12-18 10:00", ["2026-12-18 12:00", "2026-12-18 15:00", "2027-01-04 08:00"]),
        # Saturday: now, then Monday.
        ("2026-03-28 11:00", ["2026-03-28 11:00", "2026-03-30 08:00", "2026-03-30 12:00"]),
        # Monday in the lunch break: now, then the end of the day, then Tuesday morning.
        ("2026-03-23 12:20", ["2026-03-23 12:20", "2026-03-23 15:00", "2026-03-24 08:00"]),
    ],
)
def test_suggested_moments_are_the_next_free_moments_of_school_days(regenboog, after, expected):
    found = suggested_moments(regenboog, local(after))
    assert [m.astimezone(UTC) for m in found] == [local(e).astimezone(UTC) for e in expected]
    assert all(m.tzinfo is AMS for m in found)


def test_suggested_moments_honour_count(regenboog):
    after = local("2026-03-23 10:15")
    assert suggested_moments(regenboog, after, count=0) == []
    assert [m.astimezone(UTC) for m in suggested_moments(regenboog, after, count=1)] == [
        local("2026-03-23 12:00").astimezone(UTC)
    ]
    assert len(suggested_moments(regenboog, after, count=5)) == 5


def test_no_morning_suggestion_when_lessons_start_at_eight(regenboog):
    early = replace(regenboog, lesson_hours={d: ((time(8, 0), time(14, 0)),) for d in range(5)})
    found = suggested_moments(early, local("2026-03-23 09:00"))
    assert [m.strftime("%a %H:%M") for m in found] == ["Mon 14:00", "Tue 14:00", "Wed 14:00"]


def test_a_school_without_lesson_hours_suggests_only_now(regenboog):
    free = replace(regenboog, lesson_hours={})
    after = local("2026-03-23 10:15")
    assert [m.astimezone(UTC) for m in suggested_moments(free, after)] == [after.astimezone(UTC)]


MOMENTS = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(moment=MOMENTS)
def test_next_allowed_moment_is_free_and_nothing_earlier_is(moment):
    school = load_site(None).school("regenboog")
    allowed = next_allowed_moment(school, moment)
    assert allowed.astimezone(UTC) >= moment
    assert in_lesson_time(school, allowed) is None
    if allowed.astimezone(UTC) > moment:
        assert in_lesson_time(school, moment) is not None
        assert in_lesson_time(school, allowed - timedelta(seconds=1)) is not None


@settings(max_examples=200, deadline=None)
@given(moment=MOMENTS, sunday_night=st.booleans())
def test_suggested_moments_are_free_and_strictly_increasing(moment, sunday_night):
    school = load_site(None).school("regenboog")
    if sunday_night:
        school = replace(school, lesson_hours={SUNDAY: ((time(1, 0), time(2, 30)),)})
    found = [m.astimezone(UTC) for m in suggested_moments(school, moment)]
    assert found and found[0] >= moment
    assert all(a < b for a, b in pairwise(found))
    assert all(in_lesson_time(school, m) is None for m in found)
