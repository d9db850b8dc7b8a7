"""Decency: insults, threats, bullying and swearing (Communiceren 12; ons 11-tal: "Wij hanteren
de gangbare fatsoensnormen in al onze uitingen").

Three detectors, one finding per place in the text:
- the words and phrases of resources/lexicons/decency.toml, with their own severity, robust to
  case, accents, stretched letters, leetspeak and letter-spaced writing (app.rules.lexicon); a
  word inside a harmless word ("hoer" in "hoera") is never a finding;
- curses built on disease words and mild swearing, told apart from the disease by context
  (app.rules.curses);
- threats and bullying in any verb form and word order (app.rules.threats).

Severity (docs/gedragsregels.md): insults, threats, bullying and curses with a disease or God
block (Communiceren 12: "pesten, kwetsen, bedreigen"); mild swearing warns.
"""

from __future__ import annotations

from app.i18n import N_, _
from app.rules import lexicon
from app.rules.curses import find_curses
from app.rules.model import BLOCK, CheckContext, Hit
from app.rules.threats import find_threats

_MESSAGES = {
    "insult": N_(
        "Haal dit scheldwoord weg: schelden kwetst en past niet in een bericht van school."
    ),
    "threat": N_("Haal deze bedreiging weg: dreigen kan nooit, ook niet als grap."),
    "bullying": N_("Haal dit weg: het kan als pesten of kleineren overkomen."),
    "swearing": N_("Laat deze krachtterm weg: dat staat netter in een bericht van school."),
    "curse": N_("Haal deze vloek weg: een ziekte of God als vloek kwetst."),
}


class DecencyRule:
    id = "decency"
    articles = ("Communiceren 12", "ons 11-tal 3")

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        words = lexicon.load("decency", frozenset(_MESSAGES))
        hits = [
            Hit(m.start, m.end, m.entry.severity, _(_MESSAGES[m.entry.category]))
            for m in words.matches(text)
        ]
        hits += [Hit(t.start, t.end, BLOCK, _(_MESSAGES[t.category])) for t in find_threats(text)]
        hits += [
            Hit(
                c.start,
                c.end,
                c.severity,
                _(_MESSAGES["curse" if c.severity == BLOCK else "swearing"]),
            )
            for c in find_curses(text)
        ]
        return _one_per_place(hits)


def curse_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` curses, by a fixed curse ("krijg de pest") or a disease word used as one:
    there a disease word is no health matter."""
    words = lexicon.load("decency", frozenset(_MESSAGES))
    spans = [(m.start, m.end) for m in words.matches(text) if m.entry.category == "curse"]
    return spans + [(c.start, c.end) for c in find_curses(text)]


def _one_per_place(hits: list[Hit]) -> list[Hit]:
    """Where findings overlap, the first and longest stays: a phrase ("krijg de kanker") over
    the word inside it."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


RULE = DecencyRule()
