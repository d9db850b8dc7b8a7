"""Profileren 1 and ons 11-tal 6: posts spread positive information about the school; clearly
negative wording about the school or people gets a tip."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.rules.model import INFO, CheckContext
from app.rules.tone import RULE
from app.site.config import load_site

_CTX = CheckContext(site=load_site(None), at=datetime(2026, 3, 2, 10, 0))


def found(text: str) -> list[str]:
    """The text of every hit, in text order; each is a tip."""
    hits = list(RULE.find(text, _CTX))
    assert all(h.severity == INFO for h in hits)
    return [text[h.start : h.end] for h in hits]


FOUND = [
    ("Wat een slechte school is dit.", ["slechte school"]),
    ("Die waardeloze juf weer.", ["waardeloze"]),
    ("Het is schandalig hoe dit is gegaan.", ["schandalig"]),
    ("Belachelijk dat het schoolreisje niet doorgaat.", ["Belachelijk"]),
    ("Wat een zooi!", ["Wat een zooi"]),
    ("Wat een zooi op het schoolplein.", ["Wat een zooi op"]),
    ("De directie is incompetent.", ["incompetent"]),
    ("Het was weer een saaie les.", ["saaie les"]),
    ("Wat een vreselijke juf.", ["vreselijke juf"]),
    ("De lessen zijn slecht georganiseerd.", ["slecht georganiseerd"]),
    ("Het schoolplein is een puinhoop.", ["puinhoop"]),
    ("Het is een schande!", ["schande"]),
    ("Van die luie leerkrachten heb je niks aan.", ["luie leerkrachten"]),
    # a negation in an earlier clause does not count
    ("Niet doen, dat is belachelijk.", ["belachelijk"]),
    ("B E L A C H E L I J K", ["B E L A C H E L I J K"]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_negative_wording_gets_a_tip(text, expected):
    assert found(text) == expected


NOTHING = [
    # negated
    "Niet slecht!",
    "Dat was helemaal niet slecht.",
    "Het is geen slechte school.",
    "Geen saaie les vandaag: we gingen naar buiten.",
    "Rekenen is nooit saai.",
    "De juf is niet belachelijk, ze is grappig.",
    "Allesbehalve belachelijk, dit plan.",
    "Het is geen schande om hulp te vragen.",
    "Er is niets belachelijks aan.",
    # the same words as praise or about the weather
    "Het eten was schandalig lekker.",
    "Het was belachelijk leuk.",
    "Wat een vreselijk leuke dag.",
    "Door het slechte weer gaat de sportdag niet door.",
    "Wat een zooi kastanjes hebben we verzameld!",
    # neutral and positive
    "Wat een prachtige dag bij de Koningsspelen!",
    "De kinderen van groep 3 hebben hard gewerkt aan hun werkstuk.",
    "",
]


@pytest.mark.parametrize("text", NOTHING)
def test_neutral_or_positive_text_gives_nothing(text):
    assert found(text) == []


def test_the_message_asks_for_a_positive_wording():
    (hit,) = RULE.find("Wat een slechte school.", _CTX)
    assert hit.message.startswith("Formuleer dit positiever")
    assert "positieve berichten over de school" in hit.message
