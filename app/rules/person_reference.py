"""Whether a sentence is about a person: a special category of personal data (AVG article 9)
or a date of birth only matters then.

A sentence refers to a person when it holds a name from the register or one of the words of
resources/lexicons/person-references.toml (a pronoun, a relative, a role at school). For a date
of birth, a sentence that starts with a name-like word ("Lotte, geboren …", "Joris is jarig")
counts as well when a verb or a comma follows it; a topic with no person in sight ("Groep 6 maakte een werkstuk over diabetes")
does not.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from app.rules.lemmas import is_finite_verb
from app.rules.names import NameMatch
from resources import resource_path

# A full stop ends a sentence only before a capital: "geb. 3 mrt. 2019" is one sentence.
_SENTENCE_END = re.compile(r"[!?;\n]|\.(?=\s+[A-Z]|\s*$)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class _Words:
    persons: frozenset[str]
    not_names: frozenset[str]
    groups: frozenset[str]


@cache
def _words() -> _Words:
    with (resource_path("lexicons") / "person-references.toml").open("rb") as file:
        data = tomllib.load(file)
    return _Words(
        frozenset(w.lower() for w in data["persons"]),
        frozenset(w.lower() for w in data["not_names"]),
        frozenset(w.lower() for w in data["groups"]),
    )


_NEXT = re.compile(r"[ \t]*(,|[^\W\d_]+)")


def _is_subject(text: str, after: int, end: int) -> bool:
    """Whether the word that ends at `after` is followed by a verb ("Kim heeft …") or a comma
    ("Lotte, geboren …"): then a capitalised first word is someone, not "Voorlichting over …"."""
    following = _NEXT.match(text, after, end)
    if following is None:
        return False
    return following.group(1) == "," or is_finite_verb(following.group(1))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or clause after a semicolon) that holds `text[start:end]`."""
    boundaries = _boundaries(text)
    before = bisect_right(boundaries, start, key=lambda b: b[1]) - 1
    low = boundaries[before][1] if before >= 0 else 0
    after = bisect_left(boundaries, end, key=lambda b: b[0])
    return low, boundaries[after][0] if after < len(boundaries) else len(text)


@lru_cache(maxsize=8)
def _boundaries(text: str) -> list[tuple[int, int]]:
    """The spans of the sentence ends in `text`, found once per text for all its findings."""
    return [m.span() for m in _SENTENCE_END.finditer(text)]


def refers_to_person(
    text: str,
    sentence: tuple[int, int],
    names: list[NameMatch],
    name_first: bool = False,
    topics: tuple[tuple[int, int], ...] = (),
) -> bool:
    """Whether `text[sentence]` names or points at a person. `names` are the register's names in
    `text`, in text order. With `name_first` a sentence that starts with a capitalised word that
    is no ordinary sentence opener and none of the `topics` found ("Lotte, geboren …", "Kim
    heeft dyslexie"; not "Tyfus is een ziekte") counts as naming someone."""
    start, end = sentence
    first_name_after = bisect_left(names, start, key=lambda name: name.start)
    if first_name_after < len(names) and names[first_name_after].start < end:
        return True
    words = _words()
    first = True
    plural_ze = False  # "ze" after "kinderen" is the children, not one of them
    for word in _WORD.finditer(text, start, end):
        token = word.group().lower().replace("’", "'")
        if token in words.groups:
            plural_ze = True
        if token in words.persons and not (token == "ze" and plural_ze):
            return True
        if (
            first
            and name_first
            and word.group()[0].isupper()
            and token not in words.not_names
            and not any(s <= word.start() < e for s, e in topics)
            and _is_subject(text, word.end(), end)
        ):
            return True
        first = False
    return False
