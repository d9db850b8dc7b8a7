from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.compose.post import (
    FACE_BLURRED,
    FACE_NOT_A_FACE,
    FACE_OPEN,
    FACE_TAGGED,
    Draft,
    FaceMark,
    MediaItem,
)
from app.rules.model import BLOCK, WARN, CheckContext, RegisterPerson
from app.rules.registry import check

EVENING = datetime(2026, 11, 23, 19, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
MONDAY_MORNING = datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))


def draft(text="Wat een mooie herfstwandeling!", **changes):
    base = Draft(
        text=text, school_id="regenboog", author_id="demo", account_ids=["regenboog-oefen"]
    )
    return replace(base, **changes)


def test_a_post_too_long_even_with_the_short_disclaimer_is_blocked_with_the_exact_overflow(
    demo_site,
):
    report = check(draft("x" * 480), CheckContext(demo_site, EVENING))
    (finding,) = [f for f in report.findings if f.rule == "disclaimer"]
    variant = report.variants[0]
    over = variant.length - variant.limit
    assert finding.severity == BLOCK
    # The account's name says its network already: it is not said twice.
    assert f"{over} tekens te lang voor Oefenaccount De Regenboog, ook met" in finding.message
    assert finding.articles == ("Communiceren 14", "Communiceren 19")


def renamed_practice_account(site, name):
    school = site.schools[0]
    account = replace(school.accounts[0], name=name)
    return replace(site, schools=[replace(school, accounts=[account]), *site.schools[1:]])


def test_a_too_long_post_names_the_network_after_an_account_whose_name_does_not_say_it(
    demo_site,
):
    site = renamed_practice_account(demo_site, "De Regenboog")
    report = check(draft("x" * 480), CheckContext(site, EVENING))
    (finding,) = [f for f in report.findings if f.rule == "disclaimer"]
    assert "te lang voor De Regenboog (Oefenaccount), ook met" in finding.message


def test_a_direction_control_that_could_turn_the_disclaimer_around_blocks(demo_site):
    report = check(draft("Feest \u202e!"), CheckContext(demo_site, EVENING))
    (finding,) = [f for f in report.findings if f.rule == "disclaimer"]
    assert finding.span == (6, 7) and finding.fix == "remove_hidden_characters"


def test_lesson_time_warns_and_the_site_may_make_it_block(demo_site):
    report = check(draft(), CheckContext(demo_site, MONDAY_MORNING))
    assert [(f.rule, f.severity) for f in report.findings] == [("lesson_hours", WARN)]
    strict = replace(
        demo_site, policy=replace(demo_site.policy, severity={"lesson_hours": "block"})
    )
    report = check(draft(), CheckContext(strict, MONDAY_MORNING))
    assert [(f.rule, f.severity) for f in report.findings] == [("lesson_hours", BLOCK)]
    assert report.blocks


def test_the_site_cannot_soften_a_rule(demo_site):
    soft = replace(demo_site, policy=replace(demo_site.policy, severity={"disclaimer": "info"}))
    report = check(draft("x" * 480), CheckContext(soft, EVENING))
    assert {f.severity for f in report.findings if f.rule == "disclaimer"} == {BLOCK}


NOOR = RegisterPerson(
    "p1", "Noor", "Bakker", "pupil", "regenboog", consented_purposes=frozenset({"sociale media"})
)
SEM = RegisterPerson(
    "p2",
    "Sem",
    "Visser",
    "pupil",
    "regenboog",
    tussenvoegsel="de",
    consented_purposes=frozenset({"website"}),
)


def photo(*faces, confirmed=True, nobody=False, alt_text="Groepsfoto op het schoolplein"):
    return MediaItem(
        path="foto.jpg",
        faces=list(faces),
        everyone_accounted_for=confirmed,
        no_recognisable_people=nobody,
        alt_text=alt_text,
    )


@pytest.mark.parametrize(
    ("item", "blocked_because"),
    [
        (
            photo(FaceMark((0, 0, 10, 10))),
            "Vervaag elk gezicht op foto 1 of kies wie het is (1 nog open)",
        ),
        (photo(FaceMark((0, 0, 10, 10), FACE_TAGGED, "p2")), "Vervaag Sem de Visser op foto 1"),
        (
            photo(FaceMark((0, 0, 10, 10), FACE_TAGGED, "p1"), confirmed=False),
            "Bevestig dat iedereen",
        ),
        (photo(FaceMark((0, 0, 10, 10), FACE_TAGGED, "onbekend")), "Vervaag een onbekend persoon"),
    ],
)
def test_a_photo_whose_people_are_not_accounted_for_blocks(demo_site, item, blocked_because):
    report = check(draft(media=[item]), CheckContext(demo_site, EVENING, people=[NOOR, SEM]))
    messages = [f.message for f in report.findings if f.rule == "media_consent"]
    assert any(m.startswith(blocked_because) for m in messages), messages
    assert report.blocks


def test_the_blocked_photo_says_whom_to_ask(demo_site):
    item = photo(FaceMark((0, 0, 10, 10), FACE_TAGGED, "p2"))
    report = check(draft(media=[item]), CheckContext(demo_site, EVENING, people=[SEM]))
    (finding,) = report.findings
    assert "sociale media dit schooljaar" in finding.message
    assert (
        "Vraag Administratie De Regenboog naar de toestemming (administratie@regenboog.example)"
        in finding.message
    )


@pytest.mark.parametrize(
    "item",
    [
        photo(FaceMark((0, 0, 10, 10), FACE_TAGGED, "p1"), FaceMark((5, 5, 9, 9), FACE_BLURRED)),
        photo(FaceMark((0, 0, 10, 10), FACE_NOT_A_FACE)),
        photo(FaceMark((0, 0, 10, 10), FACE_OPEN), confirmed=False, nobody=True),
        photo(),
    ],
)
def test_a_photo_whose_people_are_accounted_for_passes(demo_site, item):
    report = check(draft(media=[item]), CheckContext(demo_site, EVENING, people=[NOOR, SEM]))
    assert report.findings == []


def test_a_photo_without_a_description_warns_and_one_too_long_blocks(demo_site):
    from dataclasses import replace as copy

    item = photo(confirmed=True, alt_text="")
    report = check(draft(media=[item]), CheckContext(demo_site, EVENING))
    (finding,) = report.findings
    assert (finding.rule, finding.severity) == ("alt_text", WARN)
    assert finding.message.startswith("Beschrijf foto 1")
    long = copy(item, alt_text="x" * 1600)  # the practice account, like Mastodon, takes 1,500
    report = check(draft(media=[long]), CheckContext(demo_site, EVENING))
    (finding,) = report.findings
    assert finding.severity == BLOCK and "100 tekens korter" in finding.message
    fine = copy(item, alt_text="Kinderen spelen op het plein")
    assert check(draft(media=[fine]), CheckContext(demo_site, EVENING)).findings == []


def test_prepare_loads_every_word_list_before_the_first_keystroke(demo_site):
    from app.rules import curses, lemmas, lexicon, threats, visible
    from app.rules.registry import prepare

    for cached in (lexicon.load, curses._words, threats._patterns, visible._latin_look_alikes):
        cached.cache_clear()
    lemmas.lemma.cache_clear()
    curses.is_dutch_word.cache_clear()
    prepare(demo_site)
    assert lexicon.load.cache_info().currsize == 3  # decency, sensitive topics, tone
    assert curses._words.cache_info().currsize == threats._patterns.cache_info().currsize == 1
    assert visible._latin_look_alikes.cache_info().currsize == 1
    assert lemmas.lemma.cache_info().currsize > 0
    assert curses.is_dutch_word.cache_info().currsize > 0
