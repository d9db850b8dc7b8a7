"""The lemma of a Dutch word ("sloeg" -> "slaan", "kreeg" -> "krijgen"), from `simplemma`.

Cached, because the rules ask for the same words on every keystroke.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    import simplemma  # on first use: loading it takes a while at start-up

    return simplemma.lemmatize(word, lang="nl")


def is_finite_verb(word: str) -> bool:
    """Whether `word` looks like a conjugated verb: its lemma is another word ending in -n
    ("heeft" -> "hebben", "woont" -> "wonen"), as a name before it is the subject."""
    found = lemma(word)
    return found != word and found.endswith("n")
