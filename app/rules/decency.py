"""Decency: insults, threats, bullying and swearing (Communiceren 12; ons 11-tal: "Wij hanteren
de gangbare fatsoensnormen in al onze uitingen").

The words are in resources/lexicons/decency.toml; the severity is per entry there (an insult or a
threat blocks, mild swearing warns, curses with a disease block). Matching is robust to case,
accents, stretched letters, leetspeak and letter-spaced writing (see app.rules.lexicon); a word
inside a harmless word ("hoer" in "hoera", "tering" in "catering") is never a finding.
"""

from __future__ import annotations

from app.i18n import N_
from app.rules import lexicon

_MESSAGES = {
    "insult": N_(
        "Haal dit scheldwoord weg: schelden kwetst en past niet in een bericht van school."
    ),
    "threat": N_("Haal deze bedreiging weg: dreigen kan nooit, ook niet als grap."),
    "bullying": N_("Haal dit weg: het kan als pesten of kleineren overkomen."),
    "swearing": N_("Laat deze krachtterm weg: dat staat netter in een bericht van school."),
    "curse": N_("Haal deze vloek weg: een ziekte of God als vloek kwetst."),
}

RULE = lexicon.LexiconRule("decency", ("Communiceren 12", "ons 11-tal 3"), "decency", _MESSAGES)
