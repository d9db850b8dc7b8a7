"""Communiceren 6: a teacher posting during the school's lessons is warned and told when it may.

The demo site: author "demo" (Sanne de Vries) is a "leerkracht"; "communicatie" and "directie" are
exempt. School "regenboog" has lessons 08:30-12:00 and 12:45-15:00 (Wednesday 08:30-12:15);
playgroup "kleine-wereld" has dagdelen 08:30-12:00 on Monday, Tuesday, Thursday and Friday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.articles import require_articles
from app.compose.post import Draft
from app.lesson_time import SCHOOL_TIMEZONE, next_allowed_moment
from app.rules.lesson_hours import RULE, SCHEDULE_FIX, override_reasons
from app.rules.model import WARN, CheckContext
from app.site.config import Site, load_site

TEXT = "Wat een feest vandaag bij de Koningsspelen! Alle groepen deden mee."


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SCHOOL_TIMEZONE)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def site() -> Site:
    return load_site(None)


def with_role(site: Site, role: str) -> Site:
    return replace(site, authors=tuple(replace(a, role=role) for a in site.authors))


def findings(site: Site, at: datetime, school_id: str = "regenboog", author_id: str = "demo"):
    draft = Draft(
        text=TEXT, school_id=school_id, author_id=author_id, account_ids=["regenboog-oefen"]
    )
    return list(RULE.check(draft, [], CheckContext(site=site, at=at)))


@pytest.mark.parametrize(
    ("school_id", "at", "until"),
    [
        ("regenboog", local("2026-03-23 10:15"), "12:00"),  # Monday morning lesson
        ("regenboog", local("2026-03-23 13:05"), "15:00"),  # Monday afternoon
        ("regenboog", local("2026-03-25 12:14"), "12:15"),  # Wednesday, just before the end
        ("regenboog", local("2027-04-28 08:30"), "12:15"),  # the first minute, after a free day
        ("kleine-wereld", local("2026-03-26 09:00"), "12:00"),  # a playgroup's dagdeel
        ("regenboog", utc("2026-03-27 07:40"), "12:00"),  # Friday 08:40 winter time
        ("regenboog", utc("2026-03-30 06:40"), "12:00"),  # Monday 08:40 summer time
    ],
)
def test_during_lessons_a_teacher_is_warned_with_the_first_moment_after(site, school_id, at, until):
    [finding] = findings(site, at, school_id)
    assert finding.rule == "lesson_hours"
    assert finding.articles == ("Communiceren 6",)
    assert finding.severity == WARN
    assert finding.message == (
        f"Plan je bericht vanaf {until} of geef een reden om nu te plaatsen: het is lestijd tot {until}."
    )
    assert finding.fix == SCHEDULE_FIX
    assert finding.span is None
    school = site.school(school_id)
    assert next_allowed_moment(school, at).strftime("%H:%M") == until


@pytest.mark.parametrize(
    ("school_id", "at"),
    [
        ("regenboog", local("2026-03-23 12:00")),  # the lesson has just ended
        ("regenboog", local("2026-03-23 12:30")),  # lunch break
        ("regenboog", local("2026-03-23 08:29")),  # before school
        ("regenboog", local("2026-03-23 15:30")),  # after school
        ("regenboog", local("2026-03-25 14:00")),  # Wednesday afternoon
        ("regenboog", local("2026-12-22 10:00")),  # Christmas holiday
        ("regenboog", local("2027-04-27 10:00")),  # Koningsdag, a free day
        ("regenboog", local("2026-03-28 10:00")),  # Saturday
        ("regenboog", local("2026-03-29 10:00")),  # Sunday, the day the clocks change
        ("regenboog", utc("2026-03-28 22:59")),  # Saturday 23:59, just before the DST change night
        ("regenboog", utc("2026-03-30 06:20")),  # Monday 08:20 summer time (07:20 would be UTC+1)
        ("kleine-wereld", local("2026-03-25 10:00")),  # the playgroup is closed on Wednesday
        ("kleine-wereld", local("2026-03-23 13:00")),  # after the morning dagdeel
    ],
)
def test_outside_lessons_there_is_no_warning(site, school_id, at):
    assert findings(site, at, school_id) == []


@pytest.mark.parametrize("role", ["communicatie", "directie", "Communicatie ", "DIRECTIE"])
def test_an_exempt_role_may_post_during_lessons(site, role):
    assert findings(with_role(site, role), local("2026-03-23 10:15")) == []


@pytest.mark.parametrize("role", ["leerkracht", "leidster", "onderwijsassistent", "stagiair"])
def test_a_role_that_is_not_exempt_is_warned(site, role):
    assert len(findings(with_role(site, role), local("2026-03-23 10:15"))) == 1


def test_an_unknown_author_is_not_exempt(site):
    assert len(findings(site, local("2026-03-23 10:15"), author_id="onbekend")) == 1
    assert len(findings(site, local("2026-03-23 10:15"), author_id="")) == 1


def test_without_a_known_school_there_are_no_lesson_hours_to_check(site):
    assert findings(site, local("2026-03-23 10:15"), school_id="") == []
    assert findings(site, local("2026-03-23 10:15"), school_id="bestaat-niet") == []


def test_one_context_gives_each_draft_its_own_answer(site):
    ctx = CheckContext(site=with_role(site, "leerkracht"), at=local("2026-03-23 10:15"))
    teacher = Draft(text=TEXT, school_id="regenboog", author_id="demo")
    playgroup = Draft(text=TEXT, school_id="kleine-wereld", author_id="demo")
    assert len(list(RULE.check(teacher, [], ctx))) == 1
    assert len(list(RULE.check(teacher, [], ctx))) == 1  # again, from the context's cache
    wednesday = CheckContext(site=site, at=local("2026-03-25 10:00"))
    assert len(list(RULE.check(playgroup, [], wednesday))) == 0
    assert len(list(RULE.check(teacher, [], wednesday))) == 1
    wednesday.at = local("2026-03-25 13:00")  # the same context, later: the lessons are over
    assert len(list(RULE.check(teacher, [], wednesday))) == 0


def test_a_naive_moment_is_a_programming_error(site):
    with pytest.raises(ValueError):
        findings(site, datetime(2026, 3, 23, 10, 15))


def test_the_site_gives_the_ready_made_reasons(site):
    ctx = CheckContext(site=site, at=local("2026-03-23 10:15"))
    assert override_reasons(ctx) == ("toestemming schoolleiding", "lesactiviteit")
    other = replace(site, policy=replace(site.policy, override_reasons=()))
    assert override_reasons(CheckContext(site=other, at=ctx.at)) == ()


def test_the_rule_names_an_article_that_exists():
    assert RULE.id == "lesson_hours"
    require_articles(RULE.articles)
