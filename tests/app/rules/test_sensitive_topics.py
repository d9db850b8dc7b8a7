"""Communiceren 7 and 17: no confidential or personal information, such as the health, care,
family situation or dealings with police and justice of a pupil, parent or colleague."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.rules.model import WARN, CheckContext
from app.rules.sensitive_topics import RULE
from app.site.config import load_site

_CTX = CheckContext(site=load_site(None), at=datetime(2026, 3, 2, 10, 0))


def found(text: str) -> list[str]:
    """The text of every hit, in text order; each must warn."""
    hits = list(RULE.find(text, _CTX))
    assert all(h.severity == WARN for h in hits)
    return [text[h.start : h.end] for h in hits]


FOUND = [
    # health and diagnoses, with their derived forms
    ("Sanne heeft ADHD en kan zich slecht concentreren.", ["ADHD"]),
    ("Tim is autistisch, dus hij vindt drukte lastig.", ["autistisch"]),
    ("Hij heeft autisme.", ["autisme"]),
    ("Kim heeft dyslexie.", ["dyslexie"]),
    ("Hij is dyslectisch.", ["dyslectisch"]),
    ("Na een epileptische aanval is hij naar huis.", ["epileptische"]),
    ("Onze collega heeft kanker.", ["kanker"]),
    ("Na de chemo is ze weer terug op school.", ["chemo"]),
    ("Meester Jan is depressief en blijft een tijdje thuis.", ["depressief"]),
    ("Juf Anna is ziek; groep 5 krijgt les van meester Tom.", ["ziek"]),
    ("Juf Petra is zwanger!", ["zwanger"]),
    ("Juf gaat met zwangerschapsverlof.", ["zwangerschapsverlof"]),
    ("Ze heeft een gedragsstoornis.", ["gedragsstoornis"]),
    ("Hij heeft ADD.", ["ADD"]),
    ("Haar opa heeft dementie.", ["dementie"]),
    ("De broer van Nina heeft het syndroom van Down.", ["syndroom van Down"]),
    ("Ze zit sinds de zomer in een rolstoel.", ["rolstoel"]),
    # care needs
    ("Sanne krijgt extra begeleiding bij rekenen.", ["extra begeleiding"]),
    ("Daan is een zorgleerling.", ["zorgleerling"]),
    ("Thijs heeft een rugzak.", ["heeft een rugzak"]),
    ("Hij heeft een arrangement gekregen.", ["heeft een arrangement"]),
    ("Jamal gaat twee keer per week naar de logopedist.", ["logopedist"]),
    ("Hij krijgt logopedie.", ["logopedie"]),
    ("Ze krijgt RT voor rekenen.", ["krijgt RT"]),
    ("Het gezin is bekend bij de jeugdzorg.", ["jeugdzorg"]),
    # family situations, inflection-aware
    ("Zijn ouders zijn gescheiden.", ["gescheiden"]),
    ("Na de echtscheiding woont Lisa bij haar vader.", ["echtscheiding"]),
    ("Lotte woont sinds kort in een pleeggezin.", ["pleeggezin"]),
    ("De opa van Sem is overleden.", ["overleden"]),
    ("Na het overlijden van haar moeder is Eva in de rouw.", ["overlijden", "rouw"]),
    ("De rechter heeft de voogdij aan de oma gegeven.", ["De rechter heeft", "voogdij"]),
    ("Na de uithuisplaatsing gaat het beter met hem.", ["uithuisplaatsing"]),
    # police and justice
    ("Zijn vader zit in de cel.", ["in de cel"]),
    ("Hij is gearresteerd.", ["gearresteerd"]),
    # the other special categories of AVG article 9, about a person
    ("Meester Bas is moslim.", ["moslim"]),
    ("Haar vader is Jehova's getuige.", ["Jehova's getuige"]),
    ("Juf Maria is katholiek.", ["katholiek"]),
    ("Zijn ouders zijn Marokkaans.", ["Marokkaans"]),
    ("Zijn moeder is van Turkse afkomst.", ["van Turkse afkomst"]),
    ("Juf Ilse is lesbisch.", ["lesbisch"]),
    ("Zijn zus kwam uit de kast.", ["uit de kast"]),
    ("De vader van Thijs stemt op de PVV.", ["stemt op de PVV"]),
    ("Hij is lid van de SP.", ["lid van de SP"]),
    ("Meester Tom is lid van de FNV.", ["lid van de FNV"]),
    ("Zij is vakbondslid.", ["vakbondslid"]),
    # disguised
    ("Hij heeft AUTISME.", ["AUTISME"]),
    ("Zijn ouders zijn g e s c h e i d e n.", ["g e s c h e i d e n"]),
    ("Hij is overle\u200bden.", ["overle\u200bden"]),
    ("Ze heeft diabètes.", ["diabètes"]),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_finds_personal_sensitive_topics(text, expected):
    assert found(text) == expected


NOTHING = [
    # a topic with no person in the sentence (AVG article 9 is about an identifiable person)
    "Bij diabetische kinderen letten we op de traktaties.",
    "De fysiotherapeut komt op dinsdag.",
    "Wij zoeken pleegouders.",
    "Iedereen kan rouwen op zijn eigen manier.",
    "De politie kwam op bezoek in groep 8 voor een les over verkeer.",
    "De zaak komt voor de rechter.",
    "Groep 6 maakte een werkstuk over diabetes.",
    "Tyfus is een ziekte die vroeger veel voorkwam.",
    "Ziek? Meld uw kind af via de app.",
    "In de les over religie bezochten we een moskee, een kerk en een synagoge.",
    "Wij zijn een katholieke school waar iedereen welkom is.",
    "De vakbonden organiseren een actiedag; de school blijft open.",
    "De Turkse les is voor alle kinderen die willen.",
    # a disease word used as a curse is decency's, not a health matter
    "Die toets was kanker moeilijk, zei hij.",
    "Krijg de pest, zei ze.",
    # the verb "plegen" is not the family of "pleeg-"
    "Hij pleegt elke ochtend zijn planten water te geven.",
    "Bram pleegde een telefoontje naar zijn oma.",
    # words that are also harmless
    "Onder begeleiding van ouders gingen we naar het museum.",
    "Vergeet je rugzak niet voor het schoolreisje!",
    "Het muzikale arrangement van het schoollied was prachtig.",
    "Het afval wordt gescheiden ingezameld.",
    "Wij zamelen gescheiden afval in.",
    "De afvalscheiding gaat steeds beter.",
    "We bekeken een cel onder de microscoop.",
    "Steek je rechter hand op.",
    "Iedereen is weer veilig thuis na de schoolreis!",
    "Wij praten in groep 8 over politieke partijen.",
    "Add this to your calendar.",
    "RT @regenboog: wat een mooie dag!",
    "De school is rolstoeltoegankelijk.",
    "Sponsorloop voor KWF Kankerbestrijding.",
    # ordinary posts
    "Wat een feest vandaag bij de Koningsspelen! Groep 5 en 6 wonnen de 3e prijs.",
    "De kinderen van groep 3 hebben een prachtige tekening gemaakt.",
    "",
]


@pytest.mark.parametrize("text", NOTHING)
def test_harmless_text_gives_nothing(text):
    assert found(text) == []


def test_the_message_asks_to_remove_it_or_ask_for_consent():
    messages = {
        h.message
        for text in (
            "Hij heeft ADHD",
            "Hij is zorgleerling",
            "Haar ouders zijn gescheiden",
            "Haar broer is bij de politie",
        )
        for h in RULE.find(text, _CTX)
    }
    assert len(messages) == 4
    assert all(m.startswith("Haal dit weg of vraag eerst toestemming") for m in messages)
