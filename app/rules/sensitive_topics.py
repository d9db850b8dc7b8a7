"""Sensitive topics: health, care needs, family situations, police and justice (Communiceren 7
and 17: no confidential or personal information about pupils, parents, staff or others).

A word alone cannot tell whether a post is about a person, so every finding warns and the
author confirms; the lexicon (resources/lexicons/sensitive-topics.toml) prefers phrases where a
word alone is mostly harmless ("heeft een rugzak", not "rugzak"; "in de cel", not "cel").
"""

from __future__ import annotations

from app.i18n import N_
from app.rules import lexicon

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

RULE = lexicon.LexiconRule(
    "sensitive_topics", ("Communiceren 7", "Communiceren 17"), "sensitive-topics", _MESSAGES
)
