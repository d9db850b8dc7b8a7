"""What every rule promises, checked once over the rule registry instead of copied per rule:
it names articles of the code of conduct that exist and an id the site configuration knows;
on any text (any code point, lone surrogates, 100,000 characters) a text rule finishes, its
spans lie in the text in order, its severity is one of block/warn/info, and its message is
Dutch and leads with what to do."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.articles import require_articles
from app.rules.ids import RULE_IDS
from app.rules.model import BLOCK, INFO, WARN, CheckContext, RegisterPerson
from app.rules.registry import DRAFT_RULES, TEXT_RULES
from app.site.config import load_site

SOCIAL = frozenset({"sociale media"})
PEOPLE = [
    RegisterPerson("p1", "Noor", "Dijk", "pupil", "regenboog", tussenvoegsel="van",
                   group="5", handles={"bluesky": "noor.bsky.social"}),
    RegisterPerson("p2", "Sem", "Boer", "pupil", "regenboog", tussenvoegsel="de"),
    RegisterPerson("s1", "Ineke", "Smit", "staff", "regenboog", consented_purposes=SOCIAL),
    RegisterPerson("o1", "Fatima", "Amrani", "parent", "regenboog", tussenvoegsel="el"),
]  # fmt: skip
CTX = CheckContext(site=load_site(None), at=datetime(2026, 3, 2, 10, 0), people=PEOPLE)

# The imperative a finding's message starts with: what the author can do.
LEADS = {"Haal", "Laat", "Typ", "Controleer", "Formuleer"}

FRAGMENTS = [
    # words of every rule's lexicon, whole and in pieces
    "idioot", "kut", "k", "u", "t", "i", "d", "o", "kanker", "bestrijding", "ik", "maak", "je",
    "af", "sla", "in elkaar", "eikel", "wat een", "hoer", "adhd", "ADD", "autis", "me", "tisch",
    "gescheiden", "pleeg", "Veilig", "Thuis", "in de cel", "stoornis", "moslim", "slecht",
    "school", "niet", "geen", "belachelijk", "zooi",
    # names, numbers, addresses, dates, mentions
    "Noor", " van ", "Dijk", "Van ", ", ", "Sem", "s", "'", "’", "06", "12345678", "+31", "(0)",
    "0031", "(070)", "123", "456", "782", "NL91", "ABNA", "0417", "1643", "00", "@",
    "gmail.com", "regenboog.example", "Kerkstraat", "12", "2511 AB", "Laan", "geboren",
    "jarig", "3 maart", "12-03-2017", "€", "noor", "bsky.social", "@mastodon.nl", "https://",
    "x.com", "/", "@@", "bsky.app/profile/", "groep 5",
    # signs, hidden and look-alike characters, other scripts
    " ", ".", "-", "*", "_", "!", "?", ";", "\n", "1", "0", "3", "4", "5", "$", "\u200b",
    "\u200d", "\u0301", "\u00ad", "\u202e", "\ue000", "İ", "ı", "𝗸", "ｕ", "é", "ë", "а", "ο",
    "\ud800", "🧑‍🤝‍🧑", "שלום", "ك", "Привіт", "a",
]  # fmt: skip

TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) | st.sampled_from("0 -@./a")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
)

LONG_TEXTS = [
    "a" * 100_000, "a " * 50_000, "a." * 50_000, "s" * 100_000, "0" * 100_000, "@" * 100_000,
    "a@" * 50_000, "@a" * 50_000, "1" * 50_000 + "a" * 50_000, "a1" * 50_000, "1-" * 50_000,
    "\u200b" * 100_000, "\u200d" * 100_000, "👨\u200d" * 50_000, "\ud800" * 100_000,
    "\r" * 100_000, "e\u0301" * 50_000, "🧑‍🤝‍🧑" * 20_000, "а" * 100_000, "aа" * 50_000,
    "k u t " * 16_000 + "tt", "kuuu" * 25_000, "idioot " * 14_000, "ik maak je " * 9_000,
    "ik sla je morgen echt " * 4_500, "je " * 33_000, "kanker" * 16_000, "kanker " * 14_000,
    "stoornis" * 12_000, "x" * 50_000 + "stoornis", "gedragsstoornis " * 6_000,
    "Veilig Thuis " * 7_000, "hij heeft adhd " * 6_000, "Noor van Dijk " * 7_000,
    "NOOR VAN DIJK " * 7_000, "van " * 25_000, "06 " * 33_000, "NL91 " * 20_000,
    "Kerkstraat " * 9_000 + "12", "Laan van " * 11_000 + "Meerdervoort 1",
    "12-03-2017 Noor " * 6_000 + "geboren", "123456782 " * 10_000, "Sem" * 33_000,
    "x@a." * 25_000, "Ab\u00a01 " * 20_000, "https://x.com/" + "a" * 100_000,
    "x.com/a @b " * 9_000, "@noor@" * 16_000, "https://mastodon.nl/@noor " * 4_000,
    "slechte school " * 7_000, "niet " * 20_000 + "slecht",
]  # fmt: skip

ALL_RULES = (*TEXT_RULES, *DRAFT_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_every_rule_cites_articles_that_exist_and_an_id_the_site_knows(rule):
    require_articles(rule.articles)
    # Only what the networks themselves ask (limits, image descriptions) stands outside the code.
    assert rule.articles or rule.id in {"network_limits", "alt_text"}
    assert rule.id in RULE_IDS


def test_every_rule_id_is_one_rule():
    ids = [rule.id for rule in ALL_RULES]
    assert sorted(ids) == sorted(set(ids)) == sorted(RULE_IDS)


def _check_hits(rule, text: str) -> None:
    previous = 0
    for hit in sorted(rule.find(text, CTX), key=lambda h: h.start):
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.start >= previous or rule.id == "hidden_characters"
        previous = hit.end
        assert hit.severity in (BLOCK, WARN, INFO)
        assert hit.message.split()[0] in LEADS, hit.message


@pytest.mark.parametrize("rule", TEXT_RULES, ids=lambda r: r.id)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_any_text_never_raises_and_every_finding_lies_within_it(rule, text):
    _check_hits(rule, text)


@pytest.mark.parametrize("text", LONG_TEXTS, ids=lambda t: repr(t[:12]))
@pytest.mark.parametrize("rule", TEXT_RULES, ids=lambda r: r.id)
def test_long_texts_finish_and_every_finding_lies_within_them(rule, text):
    _check_hits(rule, text)
