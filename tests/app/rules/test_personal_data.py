"""Communiceren 2, 7, 17 and Uitgangspunten 8: no personal or confidential information in a post.

The register below has pupils Noor van Dijk, Jan Bakker, Sem de Boer, Roos Visser, Anouk Jansen,
Thomas Meijer and Anne-Sophie van 't Hart; staff Ineke Smit (consent for social media) and Joost
Bakker (none); parent Fatima el Amrani (none). The demo site's own e-mail domains are
regenboog.example and kleinewereld.example.
"""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from app.rules.model import BLOCK, WARN, CheckContext, RegisterPerson
from app.rules.names import RegisterIndex, register_index
from app.rules.personal_data import RULE
from app.site.config import load_site

SOCIAL = frozenset({"sociale media"})

PEOPLE = [
    RegisterPerson("p1", "Noor", "Dijk", "pupil", "regenboog", tussenvoegsel="van"),
    RegisterPerson("p2", "Jan", "Bakker", "pupil", "regenboog"),
    RegisterPerson("p3", "Sem", "Boer", "pupil", "regenboog", tussenvoegsel="de"),
    RegisterPerson("p4", "Roos", "Visser", "pupil", "regenboog"),
    RegisterPerson("p5", "Anouk", "Jansen", "pupil", "regenboog", consented_purposes=SOCIAL),
    RegisterPerson("p6", "Thomas", "Meijer", "pupil", "regenboog"),
    RegisterPerson("p7", "Anne-Sophie", "Hart", "pupil", "kleine-wereld", tussenvoegsel="van 't"),
    RegisterPerson("s1", "Ineke", "Smit", "staff", "regenboog", consented_purposes=SOCIAL),
    RegisterPerson("s2", "Joost", "Bakker", "staff", "regenboog"),
    RegisterPerson("o1", "Fatima", "Amrani", "parent", "regenboog", tussenvoegsel="el"),
]


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    return CheckContext(site=load_site(None), at=datetime(2026, 3, 2, 10, 0), people=PEOPLE)


def found(text: str, ctx: CheckContext) -> list[tuple[str, str]]:
    """(the text of the finding, its severity) for every hit, in text order."""
    return [(text[h.start : h.end], h.severity) for h in RULE.find(text, ctx)]


# --- numbers ---------------------------------------------------------------------------------------

BLOCKED_NUMBERS = [
    # BSN (11-test)
    ("Het BSN van de leerling is 123456782.", "123456782"),
    ("BSN: 1234.56.782 graag niet delen", "1234.56.782"),
    # hidden characters inside a number hide nothing; the span is the number as written
    ("Het nummer is 1234\u200b56782, niet delen.", "1234\u200b56782"),
    ("BSN: 232\u200c262\u200c536", "232\u200c262\u200c536"),
    # a run of digits judged as a whole: no date inside a phone number
    ("Bel 06.12.34.56.78 na 16 uur", "06.12.34.56.78"),
    ("Telefoon: 06-12-34-56-78.", "06-12-34-56-78"),
    # any IBAN whose ISO 7064 checksum holds, whatever bank or country
    ("Rekening NL53 QQQQ 0417 1643 00 graag", "NL53 QQQQ 0417 1643 00"),
    ("Noorse school: NO93 8601 1117 947.", "NO93 8601 1117 947"),
    ("Burgerservicenummer 123 456 782", "123 456 782"),
    ("Nummer 111.222.333 staat op het formulier", "111.222.333"),
    # IBAN (checksum), any country, with and without spaces
    ("Maak het over op NL91 ABNA 0417 1643 00 t.n.v. de ouderraad.", "NL91 ABNA 0417 1643 00"),
    ("Rekening NL91ABNA0417164300.", "NL91ABNA0417164300"),
    ("Doneer via GB82 WEST 1234 5698 7654 32 VOOR de actie", "GB82 WEST 1234 5698 7654 32"),
    ("IBAN DE89370400440532013000", "DE89370400440532013000"),
    # Dutch phone numbers in their common spellings
    ("Bel 06-12345678 voor vragen.", "06-12345678"),
    ("Bel 06 1234 5678 voor vragen.", "06 1234 5678"),
    ("Bel 0612345678 voor vragen.", "0612345678"),
    ("Bel +31 6 12345678 voor vragen.", "+31 6 12345678"),
    ("Bel +31(0)6-12345678 voor vragen.", "+31(0)6-12345678"),
    ("Bel 0031 6 12345678 voor vragen.", "0031 6 12345678"),
    ("Bel 070-1234567 voor vragen.", "070-1234567"),
    ("Bel (070) 123 45 67 voor vragen.", "(070) 123 45 67"),
    ("Bel 020 123 4567 voor vragen.", "020 123 4567"),
    ("Gratis: 0800-1234.", "0800-1234"),
    ("Infolijn 0900 123 45 67 (20 cent per minuut)", "0900 123 45 67"),
    ("Tel:0612345678", "0612345678"),
    ("Bel 06 1234 5678 12 keer per dag", "06 1234 5678"),
    # addresses
    ("Het feest is op Kerkstraat 12 bij de familie.", "Kerkstraat 12"),
    ("We verzamelen op de Dorpsweg 3a.", "Dorpsweg 3a"),
    ("Ze woont op de Laan van Meerdervoort 1024.", "Laan van Meerdervoort 1024"),
    ("Afleveren op Kerkstraat 12, 2511 AB Den Haag", "Kerkstraat 12, 2511 AB"),
    ("Het adres is Oranjeplein 7-2 hoog", "Oranjeplein 7-2"),
    ("Zuiderring 3 is afgesloten", "Zuiderring 3"),
]


@pytest.mark.parametrize(("text", "expected"), BLOCKED_NUMBERS)
def test_blocks_numbers_and_addresses(text, expected, ctx):
    assert found(text, ctx) == [(expected, BLOCK)]


NOT_PERSONAL = [
    "Het formulier heeft nummer 123456789.",  # BSN-shaped, fails the 11-test
    "Op 12-03-2024 om 10:15 begint de sportdag.",  # a date and a time
    "Op 06-03-2024 14:00 is de ouderavond.",  # a date that reads like a phone number
    "Op 01.03.2024 is de school dicht.",
    "De kaartjes kosten € 12,50 per persoon.",  # a price
    "De opbrengst was € 123.456.782!",  # an amount with a valid 11-test
    "Rekeningnummer NL92 ABNA 0417 1643 00 klopt niet.",  # IBAN with a wrong checksum
    "Bestelnummer 0612345678 is verzonden.",  # an order number
    "We liepen 1500 KM voor het goede doel.",
    "De Kerstmarkt 2024 was een succes.",  # a year, not a house number
    "De Kerstviering 3 keer geoefend.",
    "Groep 8 gaat op kamp; groep 5 en 6 blijven op school.",
    "Ons nummer: 06-123",  # too short
    "Bel 06-123456789",  # too long
    "Mail de administratie via administratie@regenboog.example of s.devries@regenboog.example.",
    "Of naar coordinator@ouders.kleinewereld.example (een subdomein van de school).",
    "Volg @noor@mastodon.nl niet: dat is een handle, geen e-mailadres.",
    "Schooljaar 2025-2026 begint op 1 september.",
    "Om 08:30 uur gaan de deuren open.",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_ordinary_numbers_are_not_findings(text, ctx):
    assert found(text, ctx) == []


def test_personal_email_addresses_block(ctx):
    text = "Mail naar piet.jansen@gmail.com of info@regenboog.example, of naar mailto:a+b@Voorbeeld.NL."
    assert found(text, ctx) == [("piet.jansen@gmail.com", BLOCK), ("a+b@Voorbeeld.NL", BLOCK)]


def test_a_postcode_alone_is_no_address_but_one_after_a_street_is(ctx):
    # The school's or a neighbourhood's postcode is no home address: a street and number are.
    assert found("Wij zitten in 2511 AB.", ctx) == []
    assert found("Postcode 2511AB graag", ctx) == []
    assert found("Een bestand van 2000 MB.", ctx) == []
    assert found("Kom naar Kerkstraat 12, 2511 AB Den Haag.", ctx) == [
        ("Kerkstraat 12, 2511 AB", BLOCK)
    ]


# --- dates of birth --------------------------------------------------------------------------------

BIRTH_DATES = [
    ("Sem is op 3 maart jarig!", "3 maart"),
    ("Geboortedatum: 12-03-2017.", "12-03-2017"),
    ("Zij is geb. 3 mrt. 2019 in Delft.", "3 mrt. 2019"),
    ("De verjaardag van de juf is op 2019-06-14.", "2019-06-14"),
    ("Geboren op 1 januari 2020, welkom!", "1 januari 2020"),
    ("Hij is jarig op 14 februari en wordt 8.", "14 februari"),
]


@pytest.mark.parametrize(("text", "expected"), BIRTH_DATES)
def test_dates_of_birth_block(text, expected, ctx):
    assert (expected, BLOCK) in found(text, ctx)


def test_a_date_next_to_a_register_name_is_a_date_of_birth(ctx):
    text = "Noor van Dijk (12-03-2017) won de tekenwedstrijd."
    assert found(text, ctx) == [("Noor van Dijk", BLOCK), ("12-03-2017", BLOCK)]
    assert found("Ineke Smit, 4 mei 1988, is 25 jaar juf.", ctx) == [("4 mei 1988", BLOCK)]


EVENT_DATES = [
    "Op 12 maart is de sportdag.",
    "Op 12 maart is de sportdag. Volgende week is Sem jarig.",  # another sentence
    "De musical is op 14-06-2026, kom allemaal!",
    "Ineke Smit organiseert op 3 april 2026 de schoolreis.",  # a name, but this year: no birthday
    "De juf is jarig! Op 14 februari 2027 vieren we dat.",  # another sentence, and to come
    "Het boek Geboren lenen we tot 15-12-2026.",  # a date to come is no date of birth
    "De school is jarig op 4 september.",  # a birthday, but nobody's
]


@pytest.mark.parametrize("text", EVENT_DATES)
def test_event_dates_are_not_dates_of_birth(text, ctx):
    assert [f for f in found(text, ctx) if f[0][0].isdigit()] == []


# --- register names -------------------------------------------------------------------------------

NAMES = [
    ("Noor van Dijk won de tekenwedstrijd.", [("Noor van Dijk", BLOCK)]),
    ("Van Dijk, Noor staat op de lijst.", [("Van Dijk, Noor", BLOCK)]),
    ("Dijk, Noor van staat op de lijst.", [("Dijk, Noor van", BLOCK)]),
    ("Dank aan Noor Van Dijk!", [("Noor Van Dijk", BLOCK)]),
    ("Sem de Boers tekening hangt in de hal.", [("Sem de Boers", BLOCK)]),
    ("Anne-Sophie van ’t Hart zong.", [("Anne-Sophie van ’t Hart", BLOCK)]),
    ("Anouk Jansen (met toestemming) is een leerling.", [("Anouk Jansen", BLOCK)]),
    ("Joost Bakker opende het feest.", [("Joost Bakker", WARN)]),
    ("Met dank aan Fatima el Amrani.", [("Fatima el Amrani", WARN)]),
    ("Met dank aan Fatima El Amrani.", [("Fatima El Amrani", WARN)]),
    ("Ineke Smit opende het feest.", []),  # staff with consent for social media
    # look-alike letters and hidden characters inside a name
    ("Gefeliciteerd Noor v\u0430n Dijk!", [("Noor v\u0430n Dijk", BLOCK)]),
    ("Bravo Noor van Di\u200bjk!", [("Noor van Di\u200bjk", BLOCK)]),
    # a full name in other capitals
    ("noor van dijk won.", [("noor van dijk", BLOCK)]),
    ("NOOR VAN DIJK won.", [("NOOR VAN DIJK", BLOCK)]),
    ("VAN DIJK, NOOR won.", [("VAN DIJK, NOOR", BLOCK)]),
    ("Winnaar: dijk, noor van.", [("dijk, noor van", BLOCK)]),
    ("JOOST BAKKER opende het feest.", [("JOOST BAKKER", WARN)]),
    # a pupil's first name alone: only with a detail that points at one pupil
    ("Sems tekening uit groep 5 en Noor's fiets", [("Sems", WARN), ("Noor's", WARN)]),
    ("Anouks werkstuk (groep 8) en Thomas' boek", [("Anouks", WARN), ("Thomas'", WARN)]),
    ("Roos van 7 jaar las voor.", [("Roos", WARN)]),
    ("Roos las voor.", []),
    ("Sem en Noor speelden mee.", []),
    # not names
    ("In januari gaan we schaatsen.", []),
    ("Januari is koud.", []),
    ("Meneer Janssen kwam langs.", []),
    ("Jan-Willem kwam langs.", []),
    ("Een rode roos voor de juf.", []),
    ("een rode roos van 7 jaar oud", []),  # a single name keeps its capital
    ("Ineke kwam ook.", []),  # a staff member's first name is not a pupil's
    ("Volg @Sem en #Noor", []),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_register_names(text, expected, ctx):
    assert found(text, ctx) == expected


def test_messages_lead_with_what_to_do(ctx):
    hits = RULE.find("Noor van Dijk, Joost Bakker en Sem uit groep 7. Bel 0612345678.", ctx)
    assert [h.message.split(":")[0].split("?")[0] for h in hits] == [
        "Haal de naam van deze leerling weg",
        "Haal de naam weg of vraag eerst toestemming",
        "Laat de voornaam of het detail weg",
        "Haal het telefoonnummer weg",
    ]


def test_the_name_index_is_built_once_per_context(ctx):
    assert register_index(ctx) is register_index(ctx)


def test_a_large_register_finds_the_right_person():
    rng = random.Random(7)
    firsts = ["Liam", "Emma", "Daan", "Julia", "Finn", "Tess", "Levi", "Mila", "Bram", "Saar"]
    lasts = ["Jansen", "Visser", "Smit", "Meijer", "Bos", "Mulder", "Vos", "Peters", "Kok"]
    people = [
        RegisterPerson(
            f"x{i}",
            rng.choice(firsts),
            f"{rng.choice(lasts)}{i}",
            rng.choice(["pupil", "parent", "staff"]),
            "regenboog",
            tussenvoegsel=rng.choice(["", "van", "de", "van der"]),
            consented_purposes=SOCIAL,
        )
        for i in range(2000)
    ]
    target = RegisterPerson("t", "Zoë", "Dijkstra", "pupil", "regenboog", tussenvoegsel="van der")
    index = RegisterIndex([*people, target])
    matches = index.find_names("Gefeliciteerd Zoë van der Dijkstra met je diploma!")
    assert [(m.people, m.full) for m in matches] == [((target,), True)]
