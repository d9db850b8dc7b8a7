"""Sensitive topics: the special categories of personal data of AVG article 9 (health, religion
or belief, ethnic origin, sexual orientation, political opinion, trade-union membership) and care
needs, family situations, police and justice (Communiceren 7 and 17: no confidential or personal
information about pupils, parents, staff or others).

A topic only matters when it is about someone: a finding needs a sentence that refers to a
person (a register name, a pronoun, "de vader van", "een leerling"; app.rules.person_reference).
"Groep 6 maakte een werkstuk over diabetes" gives nothing, "Haar opa heeft dementie" warns. A
disease word used as a curse ("kanker moeilijk") is decency's, not a health matter. Every finding
warns and the author confirms; the lexicon is resources/lexicons/sensitive-topics.toml.
"""

from __future__ import annotations

from bisect import bisect_left

from app.i18n import N_, _
from app.rules import lexicon
from app.rules.decency import curse_spans
from app.rules.model import CheckContext, Hit
from app.rules.names import register_index
from app.rules.person_reference import refers_to_person, sentence_around

_MESSAGES = {
    "health": N_(
        "Haal dit weg of vraag eerst toestemming: gaat dit over de gezondheid van een leerling, ouder of collega?"
    ),
    "care": N_(
        "Haal dit weg of vraag eerst toestemming: gaat dit over de zorg of begeleiding van een leerling?"
    ),
    "family": N_(
        "Haal dit weg of vraag eerst toestemming: gaat dit over de thuissituatie van een leerling, ouder of collega?"
    ),
    "justice": N_(
        "Haal dit weg of vraag eerst toestemming: gaat dit over politie of justitie rond een leerling, ouder of collega?"
    ),
    "religion": N_(
        "Haal dit weg of vraag eerst toestemming: het geloof of de levensovertuiging van iemand is een bijzonder persoonsgegeven."
    ),
    "origin": N_(
        "Haal dit weg of vraag eerst toestemming: de afkomst van iemand is een bijzonder persoonsgegeven."
    ),
    "orientation": N_(
        "Haal dit weg of vraag eerst toestemming: de seksuele geaardheid van iemand is een bijzonder persoonsgegeven."
    ),
    "politics": N_(
        "Haal dit weg of vraag eerst toestemming: de politieke voorkeur van iemand is een bijzonder persoonsgegeven."
    ),
    "union": N_(
        "Haal dit weg of vraag eerst toestemming: lidmaatschap van een vakbond is een bijzonder persoonsgegeven."
    ),
}


class SensitiveTopicsRule:
    id = "sensitive_topics"
    articles = ("Communiceren 7", "Communiceren 17")

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        matches = lexicon.load("sensitive-topics", frozenset(_MESSAGES)).matches(text)
        if not matches:
            return []
        curses = sorted(curse_spans(text))
        names = register_index(ctx).find_names(text)
        topics = tuple((m.start, m.end) for m in matches)
        about_someone: dict[tuple[int, int], bool] = {}  # per sentence: many topics, one answer
        hits = []
        for m in matches:
            if _overlaps(curses, m.start, m.end):
                continue
            sentence = sentence_around(text, m.start, m.end)
            if sentence not in about_someone:
                about_someone[sentence] = refers_to_person(
                    text, sentence, names, name_first=True, topics=topics
                )
            if about_someone[sentence]:
                hits.append(Hit(m.start, m.end, m.entry.severity, _(_MESSAGES[m.entry.category])))
        return hits


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of the sorted, non-overlapping `spans` overlaps [start, end)."""
    i = bisect_left(spans, (end,)) - 1
    return i >= 0 and spans[i][1] > start


RULE = SensitiveTopicsRule()
