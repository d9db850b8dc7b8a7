"""Threats and bullying in any form: any subject, any form of the verb, the inverted order
after a time word, words in between (resources/lexicons/threats.toml).

Each word of the text is compared by itself and by its lemma from `simplemma` (Dutch), so one
pattern "slaan + {object} + in elkaar" finds "Ik sla je in elkaar", "Morgen slaan we hem
helemaal in elkaar" and "Ze sloegen hen in elkaar". A pattern never crosses a clause boundary
(a full stop, comma, question mark), so "Ik sla je bericht op" and "We slaan de pauze over"
stay innocent: a violent verb needs a person as object and, for verbs that are also everyday
words (slaan, maken, steken), the result that makes it violence (in elkaar, dood, af, neer).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from app.rules import lexicon
from app.rules.lemmas import lemma
from resources import resource_path

# A word, or a sign that ends a clause.
_TOKEN = re.compile(r"(?P<word>[^\W\d_]+)|[.,!?;:()\"“”\n]")
# "af en toe" is a time phrase, not the "af" of "afmaken".
_NOT_A_RESULT = {"af": ("en", "toe")}


@dataclass(frozen=True)
class Threat:
    start: int  # in the original text
    end: int
    category: str  # "threat" or "bullying"


@dataclass(frozen=True)
class _Step:
    single: frozenset[str]  # one-word choices, as written and as their own lemma ("steek")
    multi: tuple[tuple[str, ...], ...]  # choices of more words, literal: "in elkaar"


@dataclass(frozen=True)
class _Pattern:
    category: str
    steps: tuple[_Step, ...]


@dataclass(frozen=True)
class _Patterns:
    gap: int
    between: frozenset[str]
    patterns: tuple[_Pattern, ...]
    first_words: frozenset[str]  # every word a first step can begin with, as lemma or as written


@cache
def _patterns() -> _Patterns:
    with (resource_path("lexicons") / "threats.toml").open("rb") as file:
        data = tomllib.load(file)
    slots = {name: tuple(words) for name, words in data.get("slots", {}).items()}
    patterns = []
    for raw in data["patterns"]:
        steps = []
        for step in raw["steps"]:
            words: list[str] = []
            for choice in step:
                slot = re.fullmatch(r"\{(\w+)\}", choice)
                words += slots[slot.group(1)] if slot else [choice]
            single = frozenset(f for w in words if " " not in w for f in (w, lemma(w)))
            multi = tuple(tuple(w.split()) for w in words if " " in w)
            steps.append(_Step(single, multi))
        patterns.append(_Pattern(raw["category"], tuple(steps)))
    first = frozenset(form for p in patterns for form in p.steps[0].single)
    return _Patterns(int(data.get("gap", 3)), frozenset(data["between"]), tuple(patterns), first)


def find_threats(text: str) -> list[Threat]:
    """Every threat and bullying phrase in `text`, left to right, not overlapping."""
    folded = lexicon.fold(text)
    patterns = _patterns()
    found: list[Threat] = []
    for clause in _clauses(folded.text):
        words = [m.group() for m in clause]
        lemmas = [lemma(w) for w in words]
        for i in _names(text, folded, clause):
            lemmas[i] = _NAME
        covered = -1
        for i in range(len(words)):
            if i <= covered or (
                words[i] not in patterns.first_words and lemmas[i] not in patterns.first_words
            ):
                continue
            for pattern in patterns.patterns:
                end = _match(pattern, words, lemmas, i, patterns)
                if end is not None:
                    start = folded.to_original(clause[i].start(), clause[end - 1].end())
                    found.append(Threat(*start, pattern.category))
                    covered = end - 1
                    break
    return found


_NAME = "{name}"  # stands for a name in a pattern step: "Morgen slaan we Noor in elkaar"
_DETERMINERS = frozenset(
    {"de", "het", "een", "onze", "ons", "mijn", "jouw", "je", "zijn", "haar", "hun", "uw", "die",
     "deze", "dit", "dat"}
)  # fmt: skip


def _names(text: str, folded: lexicon.Folded, clause: list[re.Match[str]]) -> list[int]:
    """The words of the clause that are names: written with a capital in the original text, not
    the clause's first word, and not after an article ("de Kerstmarkt" is no person)."""
    same = folded.keeps_positions
    names = []
    for i in range(1, len(clause)):
        start = clause[i].start() if same else folded.to_original(*clause[i].span())[0]
        if text[start].isupper() and clause[i - 1].group() not in _DETERMINERS:
            names.append(i)
    return names


def _clauses(text: str) -> list[list[re.Match[str]]]:
    """The words of `text`, clause by clause."""
    clauses: list[list[re.Match[str]]] = [[]]
    for token in _TOKEN.finditer(text):
        if token.lastgroup == "word":
            clauses[-1].append(token)
        elif clauses[-1]:
            clauses.append([])
    return [c for c in clauses if c]


def _match(
    pattern: _Pattern, words: list[str], lemmas: list[str], i: int, patterns: _Patterns
) -> int | None:
    """The end (exclusive word index) of `pattern` matched with its first step at word `i`."""
    end = _step_at(pattern.steps[0], words, lemmas, i)
    return None if end is None else _rest(pattern, 1, words, lemmas, end, patterns)


def _rest(
    pattern: _Pattern, number: int, words: list[str], lemmas: list[str], end: int, p: _Patterns
) -> int | None:
    """Steps `number`… of `pattern` from word `end` on. Between steps only words of `between`
    may stand, and after the first step one other word too (the subject in "Straks maken ze je
    af"); every place a step fits is tried, so "ze" may be the subject and "je" the object."""
    if number == len(pattern.steps):
        return end
    others = 1 if number == 1 else 0
    for position in range(end, min(end + p.gap + 1, len(words))):
        found = _step_at(pattern.steps[number], words, lemmas, position)
        if found is not None:
            done = _rest(pattern, number + 1, words, lemmas, found, p)
            if done is not None:
                return done
        if words[position] not in p.between:
            if not others:
                return None
            others -= 1
    return None


def _step_at(step: _Step, words: list[str], lemmas: list[str], at: int) -> int | None:
    if words[at] in step.single or lemmas[at] in step.single:
        end = at + 1
        following = _NOT_A_RESULT.get(words[at])
        if not (following and tuple(words[end : end + len(following)]) == following):
            return end
    for choice in step.multi:
        end = at + len(choice)
        if end <= len(words) and all(
            words[at + k] == part or lemmas[at + k] == part for k, part in enumerate(choice)
        ):
            return end
    return None
