"""Communiceren 4 (the integrity of what is posted): invisible characters that change how a post
reads, hide text or break it on a network are flagged, and one click removes exactly those."""

from __future__ import annotations

from datetime import datetime

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.rules.hidden_characters import FIX, RULE, remove_hidden_characters
from app.rules.model import WARN, CheckContext
from app.rules.visible import mixed_script_words
from app.site.config import load_site

_SITE = load_site(None)


def context() -> CheckContext:
    return CheckContext(site=_SITE, at=datetime(2026, 3, 2))


def spans(text: str) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in RULE.find(text, context())]


FLAGGED = [
    ("Leuk\u202edag", "\u202e"),  # right-to-left override
    ("Leuk\u202a\u202b\u202c\u202ddag", "\u202a\u202b\u202c\u202d"),
    ("Leuk\u2066dag", "\u2066"),
    ("dag\u2069 einde", "\u2069"),
    ("sport\u200bdag", "\u200b"),  # zero-width space
    ("sport\u200cdag", "\u200c"),  # zero-width non-joiner between Latin letters
    ("sport\u200ddag", "\u200d"),  # zero-width joiner between Latin letters
    ("sport\u2060dag", "\u2060"),
    ("\ufeffWelkom", "\ufeff"),
    ("sport\u00addag", "\u00ad"),  # soft hyphen
    ("regel\x00een", "\x00"),
    ("regel\x1bterug", "\x1b"),
    ("alleen\rterug", "\r"),  # a carriage return that is not part of a Windows line break
    ("DEL\x7f", "\x7f"),
    ("C1\x85", "\x85"),
    ("half \ud83d teken", "\ud83d"),  # a lone surrogate
    ("👨\u200d", "\u200d"),  # a joiner with no emoji after it
    ("\u200d👩", "\u200d"),
]


@pytest.mark.parametrize(("text", "hidden"), FLAGGED)
def test_flags_hidden_characters(text, hidden):
    hits = list(RULE.find(text, context()))
    assert [text[h.start : h.end] for h in hits] == [hidden]
    assert all(h.severity == WARN and h.fix == FIX for h in hits)
    assert hits[0].message.startswith("Haal de ")


ALLOWED = [
    "Gewoon een bericht met een regel\nen een tab\tertussen.",
    "Windows-regels\r\nmogen ook.",
    "Het gezin 👨\u200d👩\u200d👧 was er ook.",  # ZWJ sequence
    "❤️\u200d🔥 en 🏳️\u200d🌈 en 👩🏽\u200d💻 en 🧑\u200d🤝\u200d🧑",  # after VS16 and skin tones
    "می\u200cخواهم",  # Persian needs the ZWNJ
    "क्\u200dष",  # Devanagari half-form with ZWJ
    "Café, naïve, Zoë, ½, €, 👍🏼",
    "שלום עולם and مرحبا",  # right-to-left text itself is fine
]


@pytest.mark.parametrize("text", ALLOWED)
def test_allows_what_text_needs(text):
    assert spans(text) == []


MIXED_SCRIPTS = [
    ("Wat een kаnkerweer", "kаnkerweer"),  # a Cyrillic "а"
    ("Gefeliciteerd Noor vаn Dijk!", "vаn"),
    ("Open dag bij de Ѕchool", "Ѕchool"),  # Cyrillic DZE for "S"
    ("Die jongen is een klοotzak.", "klοotzak"),  # a Greek omicron
]


@pytest.mark.parametrize(("text", "word"), MIXED_SCRIPTS)
def test_a_word_that_mixes_look_alike_letters_of_another_script_warns(text, word):
    hits = list(RULE.find(text, context()))
    assert [text[h.start : h.end] for h in hits] == [word]
    assert hits[0].severity == WARN and hits[0].fix is None
    assert hits[0].message.startswith("Typ dit woord opnieuw")


@pytest.mark.parametrize(
    "text", ["Привіт, друзі!", "We rekenden met π en α.", "αβγδ", "Zoë en Chloë"]
)
def test_words_wholly_in_one_script_are_not_look_alikes(text):
    assert spans(text) == []


def test_adjacent_characters_of_one_kind_are_one_finding():
    text = "a\u200b\u200b\u200bb\u202e\u202ec"
    assert spans(text) == [(1, 4), (5, 7)]


def test_remove_hidden_characters_removes_exactly_what_is_flagged():
    text = "\ufeffSport\u00addag\u200b! 👨\u200d👩\u200d👧\r\n\u202eEinde\x00"
    assert remove_hidden_characters(text) == "Sportdag! 👨\u200d👩\u200d👧\r\nEinde"
    assert remove_hidden_characters("Niets te doen") == "Niets te doen"


HIDDEN_ALPHABET = (
    st.sampled_from(
        ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\r",
         "\n", "\t", "\x00", "\x85", "\ud800", "\udfff", "👨", "👩", "\ufe0f", "🏽", "a", "ی", "क"]
    )
    | st.characters(exclude_categories=())
)  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(HIDDEN_ALPHABET))
def test_after_removal_the_rule_finds_nothing(text):
    cleaned = remove_hidden_characters(text)
    assert [h for h in RULE.find(cleaned, context()) if h.fix == FIX] == []
    removed = sum(h.end - h.start for h in RULE.find(text, context()) if h.fix == FIX)
    assert len(cleaned) == len(text) - removed


LONG_TEXTS = [
    "\u200d" * 100_000,
    "👨\u200d" * 50_000,
    "\ud800" * 100_000,
    "a\u200b" * 50_000,
    "\r" * 100_000,
]


@pytest.mark.parametrize("text", LONG_TEXTS, ids=lambda t: repr(t[:6]))
def test_long_texts_finish_and_clean_up(text):
    assert spans(remove_hidden_characters(text)) == []


_MIXED_ALPHABET = st.sampled_from(list("kanerKé 1_-.,\u0301\u200bаеорсАЕαβ🎄ß²"))


@settings(max_examples=400)
@given(st.text(_MIXED_ALPHABET, max_size=60))
def test_a_word_is_flagged_exactly_when_it_mixes_latin_with_another_script(text: str) -> None:
    """The fast search for mixed-script words finds what reading every word would find."""

    def scripts(word: str) -> set[str]:
        return {
            "CYRILLIC"
            if "\u0400" <= c < "\u0500"
            else "GREEK"
            if "\u0370" <= c < "\u0400"
            else "LATIN"
            for c in word
            if c.isalpha()
        }

    words = [m.span() for m in regex.finditer(r"[^\W\d_]+", text)]
    mixing = [
        (s, e) for s, e in words if len(scripts(text[s:e])) > 1 and "LATIN" in scripts(text[s:e])
    ]
    assert mixed_script_words(text) == mixing
