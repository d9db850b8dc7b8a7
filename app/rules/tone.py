"""Tone: clearly negative wording about the school or people (Profileren 1: social media spread
positive information about the school; ons 11-tal: "Wij verspreiden positieve berichten").

Only a tip (info). A negation shortly before the word, in the same clause, turns it around:
"niet slecht", "geen saaie les", "allesbehalve belachelijk" give nothing.
"""

from __future__ import annotations

import re

from app.i18n import N_, _
from app.rules import lexicon
from app.rules.model import CheckContext, Hit

_MESSAGES = {
    "negative": N_(
        "Formuleer dit positiever: het klinkt negatief. Past het bij positieve berichten over de school?"
    ),
}
_CATEGORIES = frozenset(_MESSAGES)

# A negation at most two words before the finding, with no clause boundary in between. Looked
# for in a bounded stretch of the folded text just before the finding.
_NEGATION = re.compile(
    r"(?<!\w)(?:niet|niets|niks|geen|nooit|allesbehalve|allerminst|nergens)(?:[^\w.!?;:]+\w+){0,2}[^\w.!?;:]+$"
)
_NEGATION_REACH = 60


class ToneRule:
    id = "tone"
    articles = ("Profileren 1", "ons 11-tal 6")

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        words = lexicon.load("tone", _CATEGORIES)
        folded = lexicon.fold(text).text  # the same folding the lexicon used, from its cache
        hits = []
        for m in words.matches(text):
            if _negated(folded, m.folded_start):
                continue
            hits.append(Hit(m.start, m.end, m.entry.severity, _(_MESSAGES[m.entry.category])))
        return hits


def _negated(folded: str, start: int) -> bool:
    return _NEGATION.search(folded, max(start - _NEGATION_REACH, 0), start) is not None


RULE = ToneRule()
