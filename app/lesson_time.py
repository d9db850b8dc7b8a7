"""When a school has lessons, and the moments outside them (Communiceren 6).

A school's lesson hours and free days are wall-clock times in the Netherlands, so every moment is
converted to Europe/Amsterdam before it is compared, and DST change days keep their wall-clock
meaning: "08:30-12:00" is 08:30-12:00 on the clock on the wall, in winter and in summer. On the
night the clocks go back, a wall-clock time that occurs twice counts both times; a lesson end that
falls in the hour skipped in spring ends at the moment the clocks jump.

Lesson blocks are half-open: the start is lesson time, the end is not (a lesson "08:30-12:00"
allows posting at 12:00 sharp). Touching or overlapping blocks of one day count as one block.

All functions take timezone-aware datetimes (a naive one is a programming error: ValueError) and
return aware datetimes in Europe/Amsterdam. Compare results as instants, e.g. via
`.astimezone(UTC)`: Python compares two datetimes that share a tzinfo by wall clock, which is
wrong in the repeated hour of the autumn change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.site.config import School

SCHOOL_TIMEZONE = ZoneInfo("Europe/Amsterdam")
# Suggested before the first lesson of a school day, when lessons start later than this.
MORNING_MOMENT = time(8, 0)
# Scheduling suggestions look this far ahead: past any holiday to the first school days after it.
SUGGESTION_HORIZON_DAYS = 366


@dataclass(frozen=True)
class LessonPeriod:
    """A block of lesson time as instants (aware, Europe/Amsterdam); `end` is the first free moment."""

    start: datetime
    end: datetime


def is_free_day(school: School, day: date) -> bool:
    """A day in one of the school's free periods (holidays, study days): no lessons at all."""
    return any(first <= day <= last for first, last in school.free_days)


def lesson_blocks(school: School, day: date) -> tuple[tuple[time, time], ...]:
    """The day's lesson blocks in wall-clock time, sorted, touching or overlapping ones merged.

    Empty on a free day and on a weekday without lesson hours (usually the weekend).
    """
    if is_free_day(school, day):
        return ()
    periods = sorted(
        (start, end) for start, end in school.lesson_hours.get(day.weekday(), ()) if start < end
    )
    merged: list[tuple[time, time]] = []
    for start, end in periods:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def in_lesson_time(school: School, at: datetime) -> LessonPeriod | None:
    """The lesson block `at` falls in, or None when `at` is outside lesson hours."""
    moment = _as_utc(at)
    local = moment.astimezone(SCHOOL_TIMEZONE)
    wall = local.time()
    for start, end in lesson_blocks(school, local.date()):
        if start <= wall < end:
            starts = _instants(datetime.combine(local.date(), start))
            ends = _instants(datetime.combine(local.date(), end))
            period_start = max((i for i in starts if i <= moment), default=starts[0])
            period_end = min((i for i in ends if i > moment), default=ends[-1])
            return LessonPeriod(
                period_start.astimezone(SCHOOL_TIMEZONE), period_end.astimezone(SCHOOL_TIMEZONE)
            )
    return None


def next_allowed_moment(school: School, at: datetime) -> datetime:
    """The first moment at or after `at` outside lesson hours: `at` itself when it is free."""
    period = in_lesson_time(school, at)
    if period is not None:
        return period.end
    return _as_utc(at).astimezone(SCHOOL_TIMEZONE)


def suggested_moments(school: School, after: datetime, count: int = 3) -> list[datetime]:
    """Up to `count` moments outside lesson hours for scheduling a post, earliest first.

    The first is `next_allowed_moment(school, after)`: `after` itself when it is free, else the end
    of the current lesson block. The others are the moments a teacher is free on the coming school
    days: the end of each lesson block (the lunch break, the end of the day), and 08:00 when the
    day's lessons start later than that. Days without lessons (weekends, free days) add nothing:
    all of such a day is free, so a fixed time on it would be an arbitrary guess. Looks up to a year
    ahead; a school without lesson hours gets only the first moment.
    """
    if count <= 0:
        return []
    first = next_allowed_moment(school, after)
    moments = [first.astimezone(UTC)]
    if count == 1:
        return [first]
    first_day = first.date()
    for offset in range(SUGGESTION_HORIZON_DAYS + 1):
        day = first_day + timedelta(days=offset)
        blocks = lesson_blocks(school, day)
        if not blocks:
            continue
        walls = [end for _start, end in blocks]
        if blocks[0][0] > MORNING_MOMENT:
            walls.insert(0, MORNING_MOMENT)
        for wall in walls:
            candidate = next(
                (i for i in _instants(datetime.combine(day, wall)) if i > moments[-1]), None
            )
            if candidate is not None:
                moments.append(candidate)
                if len(moments) == count:
                    return [m.astimezone(SCHOOL_TIMEZONE) for m in moments]
    return [m.astimezone(SCHOOL_TIMEZONE) for m in moments]


def _as_utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("lesson time needs a timezone-aware datetime")
    return at.astimezone(UTC)


def _instants(wall: datetime) -> list[datetime]:
    """The UTC instants at which the Dutch wall clock shows `wall` (naive), earliest first.

    Usually one; two in the repeated hour of the autumn change; in the hour skipped in spring none,
    and then the moment the clocks jump is returned: the first instant the wall clock is past it.
    """
    fold0 = wall.replace(tzinfo=SCHOOL_TIMEZONE, fold=0).astimezone(UTC)
    fold1 = wall.replace(tzinfo=SCHOOL_TIMEZONE, fold=1).astimezone(UTC)
    if fold0 == fold1:
        return [fold0]
    if fold0.astimezone(SCHOOL_TIMEZONE).replace(tzinfo=None) == wall:
        return sorted((fold0, fold1))
    # In a gap (PEP 495) fold=1 maps to an instant before the jump and fold=0 to one after it;
    # the jump lies between them. Offsets change on whole seconds.
    before, after = min(fold0, fold1), max(fold0, fold1)
    old_offset = before.astimezone(SCHOOL_TIMEZONE).utcoffset()
    low, high = 0, int((after - before).total_seconds())
    while low < high:
        middle = (low + high) // 2
        probe = before + timedelta(seconds=middle)
        if probe.astimezone(SCHOOL_TIMEZONE).utcoffset() == old_offset:
            low = middle + 1
        else:
            high = middle
    return [before + timedelta(seconds=low)]
