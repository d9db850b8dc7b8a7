"""Sensitive topics: health, care needs, family situations, police and justice (Communiceren 7
and 17: no confidential or personal information about pupils, parents, staff or others).

A word alone cannot tell whether a post is about a person, so every finding warns and the
author confirms; the lexicon (resources/lexicons/sensitive-topics.toml) prefers phrases where a
word alone is mostly harmless ("heeft een rugzak", not "rugzak"; "in de cel", not "cel").
"""

from __future__ import annotations

from app.i18n import N_, _
from app.rules import lexicon
from app.rules.model import CheckContext, Hit

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
}

_CATEGORIES = frozenset(_MESSAGES)


class SensitiveTopicsRule:
    id = "sensitive_topics"
    articles = ("Communiceren 7", "Communiceren 17")

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        words = lexicon.load("sensitive-topics", _CATEGORIES)
        return [
            Hit(m.start, m.end, m.entry.severity, _(_MESSAGES[m.entry.category]))
            for m in words.matches(text)
        ]


RULE = SensitiveTopicsRule()
