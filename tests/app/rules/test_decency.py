"""Communiceren 12 and ons 11-tal 3: no insults, threats, bullying or swearing in a post.

Also the shared matching of the word rules (app.rules.lexicon): folding, the way back to the
original code points, and the checks on a lexicon file.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules import lexicon
from app.rules.decency import RULE
from app.rules.lexicon import LexiconError, compile_lexicon, fold
from app.rules.model import BLOCK, WARN, CheckContext
from app.site.config import load_site
from resources import resource_path

_CTX = CheckContext(site=load_site(None), at=datetime(2026, 3, 2, 10, 0))


def found(text: str) -> list[tuple[str, str]]:
    """(the text of the finding, its severity) for every hit, in text order."""
    return [(text[h.start : h.end], h.severity) for h in RULE.find(text, _CTX)]


# --- what is found --------------------------------------------------------------------------------

FOUND = [
    # insults, with their inflections
    ("Wat ben jij een idioot zeg.", [("idioot", BLOCK)]),
    ("Die idioten van de gemeente hebben het plein afgesloten.", [("idioten", BLOCK)]),
    ("Stelletje sukkels!", [("sukkels", BLOCK)]),
    ("Het is gewoon een sukkeltje.", [("sukkeltje", BLOCK)]),
    ("Wat een debielen.", [("debielen", BLOCK)]),
    ("Die debiele ouders ook altijd.", [("debiele", BLOCK)]),
    ("Je bent een loser.", [("loser", BLOCK)]),
    ("Wat een klootzakken zijn het.", [("klootzakken", BLOCK)]),
    ("Jij bent een eikel.", [("Jij bent een eikel", BLOCK)]),
    ("Je bent een stomme eikel.", [("stomme eikel", BLOCK)]),
    ("Wat een malloot, die meester.", [("malloot", WARN)]),
    ("Wat een kutwijf.", [("kutwijf", BLOCK)]),
    # threats
    ("Ik weet waar je woont.", [("Ik weet waar je woont", BLOCK)]),
    ("Ik maak je af als je dat nog een keer doet.", [("Ik maak je af", BLOCK)]),
    ("Je gaat eraan, let maar op.", [("Je gaat eraan", BLOCK)]),
    ("Ik sla je in elkaar.", [("Ik sla je in elkaar", BLOCK)]),
    ("Ik sla je!", [("Ik sla je", BLOCK)]),
    ("Ik vermoord jullie.", [("Ik vermoord jullie", BLOCK)]),
    ("Ik ga je dood maken.", [("je dood maken", BLOCK)]),
    ("Ga toch dood.", [("Ga toch dood", BLOCK)]),
    # bullying
    ("Niemand vindt jou leuk.", [("Niemand vindt jou leuk", BLOCK)]),
    ("Iedereen haat je.", [("Iedereen haat je", BLOCK)]),
    ("Wat ben jij dik.", [("Wat ben jij dik", BLOCK)]),
    ("Hé dikzak, opzij!", [("dikzak", BLOCK)]),
    # mild swearing warns
    ("Wat een kutweer vandaag.", [("kutweer", WARN)]),
    ("Kut, de bus is weg.", [("Kut", WARN)]),
    ("Klote dat het regent.", [("Klote", WARN)]),
    ("Shit, vergeten!", [("Shit", WARN)]),
    ("Wat een fucking gedoe.", [("fucking", WARN)]),
    ("Verdomme!", [("Verdomme", WARN)]),
    ("Rot op!", [("Rot op", WARN)]),
    # curses with a disease, and with God, block
    ("Wat een kankerlijer.", [("kankerlijer", BLOCK)]),
    # the remainder in another form than its base word: a plural, a diminutive's plural
    ("Stelletje teringlijers!", [("teringlijers", BLOCK)]),
    ("Die tyfuslijers van groep 8.", [("tyfuslijers", BLOCK)]),
    ("Vuile kolerelijers.", [("kolerelijers", BLOCK)]),
    ("Wat een kankerhonden.", [("kankerhonden", BLOCK)]),
    ("Kankerweer weer.", [("Kankerweer", BLOCK)]),
    ("Tyfuslijer!", [("Tyfuslijer", BLOCK)]),
    ("Krijg de tering.", [("Krijg de tering", BLOCK)]),
    ("Krijg toch de klere.", [("Krijg toch de klere", BLOCK)]),
    ("Kanker op!", [("Kanker op", BLOCK)]),
    ("Teringzooi hier.", [("Teringzooi", BLOCK)]),
    ("Wat een pokkenweer!", [("pokkenweer", BLOCK)]),
    ("Godverdomme, weer regen.", [("Godverdomme", BLOCK)]),
    # several in one text, each with its own span
    (
        "Idioot! Ik weet waar je woont, kut.",
        [("Idioot", BLOCK), ("Ik weet waar je woont", BLOCK), ("kut", WARN)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t for t, _ in FOUND])
def test_finds_indecent_words_with_the_span_of_the_offending_words(text, expected):
    assert found(text) == expected


NOTHING = [
    # an insult inside a harmless word is no finding
    "Hoera, hoera, de juf is jarig!",
    "De kinderen hebben de catering voor de ouderavond geregeld.",
    "Wij lopen mee voor KWF Kankerbestrijding.",
    "Het kankeronderzoek gaat snel vooruit.",
    "Het is doodgewoon een mooie dag.",
    "We zongen een lullaby voor de baby's.",
    "Kutlu heeft de mooiste tekening gemaakt.",
    "De zeilboot heette de Kuttenberg.",
    "De shiitake-paddenstoelen groeiden goed.",
    "Wat een lullig verhaal.",
    # harmless meanings of words that are also insults
    "We gingen eikels zoeken in het bos.",
    "Een zak chips voor iedereen!",
    "De lampjes flikkeren vrolijk in de kerstboom.",
    "De Mongolen vielen in de dertiende eeuw Europa binnen.",
    "De takken van de boom waaien heen en weer.",
    "Vergeet je gymkleren niet; droge kleren mee!",
    "Sukkelen met de gezondheid is vervelend.",
    "Het was een vieze zaak.",  # not "vieze zak": a doubled letter makes another word
    # the disease itself is for the sensitive-topics rule, not a curse
    "Onze juf heeft kanker.",
    "Ze kreeg kanker op jonge leeftijd.",
    "Vroeger hadden veel mensen de pokken.",
    # phrases that only look like threats
    "Ik sla je bericht even op.",
    "Ik pak je tas even.",
    "Zij gaan eraan werken.",
    "De plant ging dood.",
    "De appel is rot op de plek waar hij viel.",
    "Ik maak je tekening morgen af.",
    "Ga maar lekker buiten spelen.",
    # ordinary posts
    "Wat een feest vandaag bij de Koningsspelen! Groep 5 en 6 wonnen de 3e prijs.",
    "Morgen om 10:00 uur is er een informatieavond in de aula.",
    "",
]


@pytest.mark.parametrize("text", NOTHING)
def test_harmless_text_gives_nothing(text):
    assert found(text) == []


# --- written around the lexicon --------------------------------------------------------------------

OBFUSCATED = [
    ("Jij bent een IDIOOT.", "IDIOOT"),
    ("Jij bent een ïdíóót.", "ïdíóót"),
    ("Jij bent een idioooooot.", "idioooooot"),
    ("kuuuuut", "kuuuuut"),
    ("Jij sukkkkkel", "sukkkkkel"),
    ("Wat een 1d10t ben je", "1d10t"),
    ("5ukk3l", "5ukk3l"),
    ("Wat een k@nk3rweer", "k@nk3rweer"),
    ("$ukkel", "$ukkel"),
    ("Je bent een i d i o o t", "i d i o o t"),
    ("Jij i-d-i-o-o-t", "i-d-i-o-o-t"),
    ("k.u.t", "k.u.t"),
    ("K*U*T", "K*U*T"),
    ("Wat een d e b i e l e n", "d e b i e l e n"),
    ("kut\u200bschool", "kut\u200bschool"),  # a zero-width space inside the word
    ("idi\u0301oot!", "idi\u0301oot"),  # an accent as a separate combining character
    ("Wat een id\u00adioot", "id\u00adioot"),  # a soft hyphen
    ("𝗶𝗱𝗶𝗼𝗼𝘁", "𝗶𝗱𝗶𝗼𝗼𝘁"),  # the bold letters of social-media posts
    ("ｋｕｔ", "ｋｕｔ"),  # full width
    ("İdioot", "İdioot"),
    ("🎉idioot🎉", "idioot"),
    ("Hé @sukkel, kom eens hier", "sukkel"),
    ("#kutschool", "kutschool"),
]


@pytest.mark.parametrize(("text", "offending"), OBFUSCATED, ids=[t for t, _ in OBFUSCATED])
def test_disguised_insults_are_found_and_the_span_points_into_the_original_text(text, offending):
    assert [f for f, _severity in found(text)] == [offending]


def test_a_span_after_disguised_words_still_points_at_the_right_place():
    text = "K.u.t, i d i o o t! \u200bEn dan nog: s u k k e l."
    assert [f for f, _ in found(text)] == ["K.u.t", "i d i o o t", "s u k k e l"]


def test_letters_written_apart_do_not_join_ordinary_words():
    assert found("Groep 1 2 3 en d.w.z. o.a. t.z.t. een a b c d lied") == []


def test_every_message_is_dutch_and_leads_with_what_to_do():
    texts = ["idioot", "ik maak je af", "iedereen haat je", "kut", "kankerlijer"]
    messages = {h.message for text in texts for h in RULE.find(text, _CTX)}
    assert len(messages) == 5
    assert all(m.split()[0] in {"Haal", "Laat"} for m in messages)


# --- robustness -----------------------------------------------------------------------------------

FRAGMENTS = [
    "idioot", "kut", "k", "u", "t", "i", "d", "o", " ", ".", "-", "*", "_", "1", "0", "3", "4",
    "5", "@", "$", "\u200b", "\u200d", "\u0301", "\u00ad", "\ue000", "İ", "ı", "𝗸", "ｕ", "é",
    "kanker", "bestrijding", "ik", "maak", "je", "af", "sla", "!", "\n", "\ud800", "🧑‍🤝‍🧑",
    "שלום", "ك", "eikel", "wat een", "hoer", "a",
]  # fmt: skip

TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
)


@settings(max_examples=200, deadline=None)
@given(TEXTS, TEXTS)
def test_an_insult_between_any_texts_is_found_where_it_stands(before, after):
    text = f"{before}\n idioot \n{after}"
    start = len(before) + 2
    assert (start, start + len("idioot")) in {(h.start, h.end) for h in RULE.find(text, _CTX)}


# --- the shared matching (app.rules.lexicon) -------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_folded_positions_map_back_into_the_original_in_order(text):
    folded = fold(text)
    previous = 0
    for position in range(len(folded.text)):
        start, end = folded.to_original(position, position + 1)
        assert previous <= start < end <= len(text)
        previous = end


def test_folding_keeps_positions_when_nothing_is_taken_out():
    folded = fold("Wat een FÉÉST, 𝗴𝗿𝗼𝗲𝗽 8!")
    assert folded.text == "wat een feest, groep 8!"
    assert folded.to_original(8, 13) == (8, 13)


def test_every_lexicon_key_is_documented_for_the_people_who_extend_the_lists():
    readme = resource_path("lexicons", "README.md").read_text(encoding="utf-8")
    for key in lexicon._ENTRY_KEYS:
        assert f"`{key}`" in readme
    for value in (*lexicon.INFLECTIONS, *lexicon.MATCHES):
        assert f'"{value}"' in readme


CATEGORIES = frozenset({"insult"})

BAD_LEXICONS = [
    ({}, "'entries' ontbreekt"),
    ({"entries": [{"category": "insult", "severity": "block"}]}, "'text' ontbreekt"),
    ({"entries": [{"text": "oen", "category": "belediging", "severity": "block"}]}, "'oen'"),
    ({"entries": [{"text": "oen", "category": "insult", "severity": "hard"}]}, "severity"),
    (
        {"entries": [{"text": "oen", "category": "insult", "severity": "block", "inflect": True}]},
        "inflect",
    ),
    (
        {"entries": [{"text": "oen", "category": "insult", "severity": "block", "kind": "x"}]},
        "onbekende sleutel kind",
    ),
    ({"entries": [{"text": "ik sla {jou}", "category": "insult", "severity": "block"}]}, "{jou}"),
    (
        {"entries": [{"text": "a b", "category": "insult", "severity": "block", "match": "start"}]},
        "één woord",
    ),
    (
        {"entries": [{"text": "oen", "category": "insult", "severity": "block", "forms": "oenen"}]},
        "forms",
    ),
    (
        {"entries": [{"text": "oen", "category": "insult", "severity": "block", "at_end": "ja"}]},
        "at_end",
    ),
]


@pytest.mark.parametrize(("data", "says"), BAD_LEXICONS, ids=[s for _, s in BAD_LEXICONS])
def test_a_mistake_in_a_lexicon_names_what_to_change(data, says):
    with pytest.raises(LexiconError) as error:
        compile_lexicon("test", data, CATEGORIES)
    assert says in str(error.value)


def test_a_new_entry_works_with_its_inflections_forms_and_exceptions():
    words = compile_lexicon(
        "test",
        {
            "entries": [
                {"text": "oen", "category": "insult", "severity": "warn", "inflect": "noun"},
                {
                    "text": "prut",
                    "category": "insult",
                    "severity": "block",
                    "match": "start",
                    "except": ["prutske*"],
                },
                {"text": "{wie} ben een kluns", "category": "insult", "severity": "block"},
            ],
            "slots": {"wie": ["jij", "jullie"]},
        },
        CATEGORIES,
    )
    text = "Oenen, oentje, prutwerk, Prutskes, jullie ben een kluns, hoenen"
    assert [text[m.start : m.end] for m in words.matches(text)] == [
        "Oenen",
        "oentje",
        "prutwerk",
        "jullie ben een kluns",
    ]


# --- curse or disease, decided from the words around it (app.rules.curses) ------------------------

CURSE_OR_DISEASE = [
    # a curse: exclamation, intensifier, compound whose remainder is a Dutch word
    ("Kanker, wat koud!", [("Kanker", BLOCK)]),
    ("Die toets was kanker moeilijk.", [("kanker", BLOCK)]),
    ("Die bus is tyfus laat.", [("tyfus", BLOCK)]),
    ("Wat een teringherrie.", [("teringherrie", BLOCK)]),
    ("Wat een kankerlijer.", [("kankerlijer", BLOCK)]),
    # the remainder in another form than its base word: a plural, a diminutive's plural
    ("Stelletje teringlijers!", [("teringlijers", BLOCK)]),
    ("Die tyfuslijers van groep 8.", [("tyfuslijers", BLOCK)]),
    ("Vuile kolerelijers.", [("kolerelijers", BLOCK)]),
    ("Wat een kankerhonden.", [("kankerhonden", BLOCK)]),
    ("kkr veel huiswerk", [("kkr", BLOCK)]),
    ("Wat een kaaaankerweer.", [("kaaaankerweer", BLOCK)]),
    ("Wat een kutschool.", [("kutschool", WARN)]),
    ("Kloteweer vandaag.", [("Kloteweer", WARN)]),
    # the disease: after an article, preposition or "kreeg"; before a verb; among health words
    ("Onderzoek naar kanker bij kinderen.", []),
    ("Ze kreeg kanker op jonge leeftijd.", []),
    ("Tyfus is een ziekte.", []),
    ("Cholera en tyfus verspreidden zich via water.", []),
    ("Kanker, hart- en vaatziekten: de gastles ging over gezond leven.", []),
    # a compound whose remainder is a medical word, or no Dutch word at all
    ("Sponsorloop voor kankeronderzoek.", []),
    ("Het tyfusvaccin werd in 1896 ontdekt.", []),
    ("Kutlu en Kutay wonnen.", []),
    ("Neem warme kleren mee.", []),
    ("De takken vielen op het plein.", []),
    # an imperative at the start of a clause curses, with "de" before the disease word too
    ("Krijg toch allemaal de kanker!", [("Krijg toch allemaal de kanker", BLOCK)]),
    ("Ach, krijg lekker de tyfus.", [("krijg lekker de tyfus", BLOCK)]),
    ("Krijg maar de kolere allemaal.", [("Krijg maar de kolere", BLOCK)]),
    ("Krijg toch kanker.", [("Krijg toch kanker", BLOCK)]),
    ("Val toch allemaal dood!", [("Val toch allemaal dood", BLOCK)]),
    ("Stik!", [("Stik", BLOCK)]),
    ("Stik maar in je eigen gif.", [("Stik maar", BLOCK)]),
    # not an imperative, a question, or another verb: the disease, or no curse at all
    ("Opa krijgt de griep.", []),
    ("Mijn oma kreeg de tyfus in 1945.", []),
    ("Krijg je de pokken als je niet ingeënt bent?", []),
    ("Wie krijgt de pest in het verhaal?", []),
    ("Stik de zoom vast met de naaimachine.", []),
    ("Ga niet dood van de hitte.", []),
    ("Ik ga bijna dood van het lachen.", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), CURSE_OR_DISEASE, ids=[t for t, _ in CURSE_OR_DISEASE]
)
def test_a_disease_word_is_a_curse_or_the_disease_by_the_words_around_it(text, expected):
    assert found(text) == expected


# --- threats and bullying in any form (app.rules.threats) ------------------------------------------

THREATS = [
    ("Morgen sla ik je in elkaar.", "sla ik je in elkaar"),
    ("Ze sloegen hem helemaal in elkaar.", "sloegen hem helemaal in elkaar"),
    ("Straks maken ze je af.", "maken ze je af"),
    ("Wij vermoorden jullie.", "vermoorden jullie"),
    ("Ik ga je echt vermoorden.", "je echt vermoorden"),
    ("Vanavond steken we hem neer.", "steken we hem neer"),
    ("We weten waar jullie wonen.", "We weten waar jullie wonen"),
    ("Iedereen in de klas haat je.", "haat je"),
    ("Morgen slaan we Noor in elkaar.", "slaan we Noor in elkaar"),  # a name as the person
    # the common idioms, each in more than one subject, verb form and word order
    ("Jullie krijgen ervan langs als ik jullie nog eens zie.", "krijgen ervan langs"),
    ("Dan krijg je ervan langs.", "krijg je ervan langs"),
    ("Je gaat ervan langs krijgen.", "ervan langs krijgen"),
    ("Je krijgt er flink van langs.", "krijgt er flink van langs"),
    ("We gaan jullie ervan langs geven.", "jullie ervan langs geven"),
    ("Als je niet oppast krijg je een pak slaag.", "krijg je een pak slaag"),
    ("Hij geeft je een pak rammel.", "geeft je een pak rammel"),
    ("Je krijgt er een op je bek.", "krijgt er een op je bek"),
    ("Morgen sla ik hem op zijn smoel.", "sla ik hem op zijn smoel"),
    ("Ik ga je op je bek slaan.", "je op je bek slaan"),
    ("Ik trap je kanis in elkaar.", "trap je kanis in elkaar"),
    ("We gaan je smoel in elkaar slaan.", "je smoel in elkaar slaan"),
    ("Ik ga je kapot maken.", "je kapot maken"),
    ("We maken jullie helemaal kapot.", "maken jullie helemaal kapot"),
    ("Morgen pakken we je.", "pakken we je"),
    ("Ze gaan je pakken.", "Ze gaan je pakken"),
    ("Vanmiddag pakken we jullie bij de bushalte.", "pakken we jullie"),
    ("Ik weet waar je fiets staat.", "Ik weet waar je fiets staat"),
    ("Nu weten we waar jullie huis staat.", "weten we waar jullie huis staat"),
    ("Pas maar op!", "Pas maar op"),
    ("Pas maar goed op, jij.", "Pas maar goed op"),
    ("Kijk maar uit.", "Kijk maar uit"),
    ("Dat ga je merken!", "Dat ga je merken"),
    ("Dat zullen jullie berouwen.", "Dat zullen jullie berouwen"),
    ("Daar krijg je spijt van.", "Daar krijg je spijt van"),
]


@pytest.mark.parametrize(("text", "threat"), THREATS, ids=[t for t, _ in THREATS])
def test_a_threat_is_found_with_any_subject_verb_form_and_word_order(text, threat):
    assert found(text) == [(threat, BLOCK)]


@pytest.mark.parametrize(
    "text",
    [
        "Ik sla je bericht op.",
        "Ik maak je tekening morgen af.",
        "Morgen maken we de opdracht af.",
        "Ze maakten de klus samen af.",
        "We steken de kaarsjes aan.",
        "Schiet je de bal erin, dan krijg je een punt.",
        "Maak je af en toe zorgen? Kom langs.",
        "Wij haten afval op het plein.",
        "We maken de Kerstmarkt af.",  # a capital after an article is no person
        # look-alikes of the idioms: no person, no threat, or the thought goes on
        "We gaan de opdracht afmaken.",
        "Ik ga je opdracht afmaken.",
        "Pas op bij het oversteken.",
        "Pas maar op voor de gladheid.",
        "Pas maar op, want het is glad op het plein.",
        "Kijk maar uit het raam naar de sneeuw.",
        "Ik weet waar het museum is.",
        "Weet je waar je fiets staat?",
        "Zal ik je jas pakken?",
        "Wat pak je?",
        "Bij tikkertje moet de tikker je pakken.",
        "Dat ga je merken aan de prijzen in de kantine.",
        "Daar krijg je geen spijt van!",
        "Je krijgt er een cadeautje bij.",
        "In het verhaal krijgt de wolf ervan langs.",
        "We geven jullie een rondleiding.",
        "Dan krijg je nog wel een mail.",
        "Bij het oversteken pakken we jullie bij de hand.",
    ],
)
def test_everyday_uses_of_the_same_verbs_are_no_threat(text):
    assert found(text) == []
