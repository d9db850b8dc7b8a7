"""Communiceren 11: staff do not befriend, tag or mention pupils on social media.

The register knows handles for pupil Noor van Dijk (Bluesky, Mastodon, X) and for parent Jan
Bakker (X). The demo site is given one school account with a handle: De Regenboog on Mastodon.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from app.rules.model import BLOCK, INFO, CheckContext, RegisterPerson
from app.rules.names import handle_key
from app.rules.pupil_accounts import RULE
from app.site.config import Account, Site, load_site

NOOR = RegisterPerson(
    "p1",
    "Noor",
    "Dijk",
    "pupil",
    "regenboog",
    tussenvoegsel="van",
    handles={"bluesky": "noor.bsky.social", "mastodon": "@noor@mastodon.nl", "x": "@Noor_2012"},
)
JAN = RegisterPerson("o1", "Jan", "Bakker", "parent", "regenboog", handles={"x": "janbakker"})


def site_with_school_account() -> Site:
    site = load_site(None)
    regenboog = site.schools[0]
    account = Account(
        "regenboog-mastodon",
        "regenboog",
        "mastodon",
        "De Regenboog",
        "official",
        instance="mastodon.nl",
        handle="@regenboog",
    )
    school = replace(regenboog, accounts=(*regenboog.accounts, account))
    return replace(site, schools=(school, *site.schools[1:]))


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(
        site=site_with_school_account(), at=datetime(2026, 3, 2), people=[NOOR, JAN]
    )


def found(text: str, ctx: CheckContext) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.severity) for h in RULE.find(text, ctx)]


PUPIL_MENTIONS = [
    ("Gefeliciteerd @noor.bsky.social!", "@noor.bsky.social"),
    ("Gefeliciteerd @noor@mastodon.nl!", "@noor@mastodon.nl"),
    ("Gefeliciteerd @Noor_2012.", "@Noor_2012"),
    ("Kijk op https://bsky.app/profile/noor.bsky.social voor haar tekening", "https://bsky.app/profile/noor.bsky.social"),
    ("Zie https://mastodon.nl/@noor.", "https://mastodon.nl/@noor"),
    ("Zie x.com/noor_2012", "x.com/noor_2012"),
    ("Zie https://twitter.com/Noor_2012/status/123", "https://twitter.com/Noor_2012/status/123"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "mention"), PUPIL_MENTIONS)
def test_a_pupils_account_blocks(text, mention, ctx):
    assert found(text, ctx) == [(mention, BLOCK)]


def test_the_block_message_says_what_to_do_and_who(ctx):
    (hit,) = RULE.find("Dank @noor.bsky.social", ctx)
    assert hit.message == (
        "Haal de vermelding van @noor.bsky.social weg: Noor van Dijk is een leerling."
    )


OTHER_ACCOUNTS = [
    ("Dank aan @janbakker voor de foto's", "@janbakker"),
    ("Dank aan @bakkerij_de_zon", "@bakkerij_de_zon"),
    ("Volg ook @noor (een ander account dan @noor@mastodon.nl)", "@noor"),
    ("Zie https://www.instagram.com/someone/", "https://www.instagram.com/someone/"),
    ("Zie https://social.example/@iemand", "https://social.example/@iemand"),
]


@pytest.mark.parametrize(("text", "mention"), OTHER_ACCOUNTS)
def test_other_accounts_are_worth_a_look(text, mention, ctx):
    assert (mention, INFO) in found(text, ctx)
    hit = next(h for h in RULE.find(text, ctx) if text[h.start : h.end] == mention)
    assert hit.message.startswith(f"Controleer of {mention} geen persoonlijk account is")


NOTHING = [
    "Volg ons op @regenboog!",  # the school's own account
    "Volg ons op @regenboog@mastodon.nl",
    "Mail naar info@regenboog.example of noor@gmail.com",  # e-mail addresses, not mentions
    "Zie https://www.regenboog.example/nieuws/2026 en https://x.com/home",  # not profiles
    "Om 10:00 @ het schoolplein",  # a lone @
    "Groep 7/8 gaat op kamp",
]


@pytest.mark.parametrize("text", NOTHING)
def test_no_finding(text, ctx):
    assert found(text, ctx) == []


@pytest.mark.parametrize(
    ("handle", "key"),
    [
        ("@Noor.bsky.social", "noor.bsky.social"),
        ("noor@mastodon.nl", "noor@mastodon.nl"),
        ("https://mastodon.nl/@noor", "noor@mastodon.nl"),
        ("https://www.instagram.com/Noor/?hl=nl", "noor"),
        ("https://www.linkedin.com/in/noor-van-dijk", "noor-van-dijk"),
        ("https://x.com/home", ""),
    ],
)
def test_handles_are_compared_in_one_form(handle, key):
    assert handle_key(handle) == key


_SITE = site_with_school_account()
