"""Moments as the user reads them: always Dutch time (Europe/Amsterdam), whatever zone the
computer's clock is set to, so that the screen, the PDFs and the history agree with the school's
lesson hours. Every place that shows a moment to a person formats it here."""

from __future__ import annotations

from datetime import datetime

from app.i18n import N_, _
from app.lesson_time import SCHOOL_TIMEZONE

DAYS = (N_("maandag"), N_("dinsdag"), N_("woensdag"), N_("donderdag"), N_("vrijdag"),
        N_("zaterdag"), N_("zondag"))  # fmt: skip
MONTHS = (N_("januari"), N_("februari"), N_("maart"), N_("april"), N_("mei"), N_("juni"),
          N_("juli"), N_("augustus"), N_("september"), N_("oktober"), N_("november"),
          N_("december"))  # fmt: skip


def in_dutch_time(moment: datetime | str) -> datetime:
    """The moment on a Dutch wall clock; an ISO text is read first. A naive moment is an error:
    nobody could say which zone it meant."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        raise ValueError("a moment to show needs its zone")
    return moment.astimezone(SCHOOL_TIMEZONE)


def short_moment(moment: datetime | str | None) -> str:
    """ "24-11-2026 10:15"; empty for no moment."""
    if not moment:
        return ""
    return f"{in_dutch_time(moment):%d-%m-%Y %H:%M}"


def day_and_moment(moment: datetime | str) -> str:
    """ "dinsdag 24-11-2026 15:15": for choosing a moment, where the weekday matters."""
    local = in_dutch_time(moment)
    return f"{_(DAYS[local.weekday()])} {local:%d-%m-%Y %H:%M}"


def long_moment(moment: datetime | str) -> str:
    """ "24 november 2026, 10:15": as a social network shows a post's time."""
    local = in_dutch_time(moment)
    return f"{local.day} {_(MONTHS[local.month - 1])} {local.year}, {local:%H:%M}"


def long_date(moment: datetime | str) -> str:
    """ "14 februari 2027": a day, when the hour does not matter (until when a token holds)."""
    local = in_dutch_time(moment)
    return f"{local.day} {_(MONTHS[local.month - 1])} {local.year}"


def clock_time(moment: datetime | str) -> str:
    """ "15:15"."""
    return f"{in_dutch_time(moment):%H:%M}"
