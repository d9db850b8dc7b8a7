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
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from app.rules import lexicon
from app.rules.lemmas import lemma
from app.rules.words import distinct_words
from resources import resource_path

# A word, or a sign that ends a clause.
_TOKEN = re.compile(r"(?P<word>[^\W\d_]+)|[.,!?;:()\"“”\n]")
# The words of a text as `_TOKEN` reads them.
_WORDS = re.compile(r"[^\W\d_]+")
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
    # the choices of more words by their first two words: a step may hold hundreds of them
    # ("op {your} {face}"), and a keystroke must not try each at every word
    multi_by_start: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    at_end: bool = False  # "$": the end of a thought ("Pas maar op!"), consumes no word

    def can_match(self, present: frozenset[str] | set[str]) -> bool:
        return not self.single.isdisjoint(present) or any(
            present.issuperset(choice) for choice in self.multi
        )


@dataclass(frozen=True)
class _Pattern:
    category: str
    steps: tuple[_Step, ...]
    # One of these words must stand in the clause before the end of the match: the person the
    # threat is aimed at, when the steps do not name one ("Jullie krijgen ervan langs").
    aimed_at: frozenset[str] = frozenset()
    then_place: bool = False  # the end of the thought may go on with a time or place
    # The words of the pattern's rarest step (one of them stands in every text it matches):
    # a text without any of them skips the pattern.
    anchor: frozenset[str] = frozenset()

    def can_match(self, present: frozenset[str] | set[str]) -> bool:
        """Whether every step finds its words among `present` (the words of a text, their
        lemmas and `_NAME`): a text that lacks the words of any one step cannot match."""
        if self.anchor and self.anchor.isdisjoint(present):
            return False
        return all(step.at_end or step.can_match(present) for step in self.steps)


@dataclass(frozen=True)
class _Patterns:
    gap: int
    between: frozenset[str]
    continues: frozenset[str]  # after a comma, these words go on with the same thought
    ends_before: frozenset[str]  # a time or place after the end of a thought begins so
    grips: frozenset[str]  # "bij de hand": no place, a hold
    patterns: tuple[_Pattern, ...]
    by_first_word: dict[str, tuple[_Pattern, ...]]  # a first step's word (or lemma) -> patterns


_SLOT = re.compile(r"\{(\w+)\}")


def _expand(choice: str, slots: dict[str, tuple[str, ...]]) -> list[str]:
    """Every text a choice stands for: "{object}" is each word of that slot, and a slot inside
    a longer choice multiplies out ("op {your} {face}": "op je bek", "op zijn smoel", …)."""
    if choice == _NAME:
        return [_NAME]
    found = _SLOT.search(choice)
    if found is None:
        return [choice]
    if found.group(1) == "name":
        return [choice]
    return [
        text
        for word in slots[found.group(1)]
        for text in _expand(choice[: found.start()] + word + choice[found.end() :], slots)
    ]


def _step(choices: list[str], slots: dict[str, tuple[str, ...]]) -> _Step:
    if choices == [_END]:
        return _Step(frozenset(), (), at_end=True)
    words = [text for choice in choices for text in _expand(choice, slots)]
    single = frozenset(f for w in words if " " not in w for f in (w, lemma(w)))
    multi = tuple(dict.fromkeys(tuple(w.split()) for w in words if " " in w))
    by_start: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for choice in multi:
        by_start.setdefault((choice[0], choice[1]), []).append(choice)
    return _Step(single, multi, {start: tuple(c) for start, c in by_start.items()})


@cache
def _patterns() -> _Patterns:
    with (resource_path("lexicons") / "threats.toml").open("rb") as file:
        data = tomllib.load(file)
    slots = {name: tuple(words) for name, words in data.get("slots", {}).items()}
    patterns = []
    for raw in data["patterns"]:
        steps = tuple(_step(step, slots) for step in raw["steps"])
        aimed_at = frozenset(w for c in raw.get("aimed_at", ()) for w in _expand(c, slots))
        then_place = bool(raw.get("then_place"))
        patterns.append(_Pattern(raw["category"], steps, aimed_at, then_place))
        if raw.get("verb_last"):
            # The verb at the end of its part, as after an auxiliary or in a subordinate clause:
            # "Ik ga je in elkaar slaan", "als je ervan langs krijgt".
            verb, *rest = steps
            ending = [s for s in rest if s.at_end]
            moved = (*[s for s in rest if not s.at_end], verb, *ending)
            patterns.append(_Pattern(raw["category"], moved, aimed_at, then_place))
    patterns = [replace(p, anchor=_anchor(p)) for p in patterns]
    by_first_word: dict[str, list[_Pattern]] = {}
    for pattern in patterns:
        first = pattern.steps[0]
        for form in {*first.single, *(choice[0] for choice in first.multi)}:
            by_first_word.setdefault(form, []).append(pattern)
    return _Patterns(
        int(data.get("gap", 3)),
        frozenset(data["between"]),
        frozenset(data.get("continues", ())),
        frozenset(data.get("ends_before", ())),
        frozenset(data.get("grips", ())),
        tuple(patterns),
        {form: tuple(found) for form, found in by_first_word.items()},
    )


def _anchor(pattern: _Pattern) -> frozenset[str]:
    """The words of the step that occurs least in Dutch (by wordfreq), each multi-word choice by
    its rarest word: every text the pattern matches holds one of them, as written or as lemma."""
    from wordfreq import zipf_frequency

    def frequency(word: str) -> float:
        return 0.0 if word == _NAME else zipf_frequency(word, "nl")

    best: tuple[float, frozenset[str]] | None = None
    for step in pattern.steps:
        if step.at_end:
            continue
        forms = set(step.single) | {min(c, key=frequency) for c in step.multi}
        if _NAME in forms:
            continue  # a name can be any word
        commonest = max(frequency(f) for f in forms)
        if best is None or commonest < best[0]:
            best = (commonest, frozenset(forms))
    return best[1] if best else frozenset()


@lru_cache(maxsize=256)
def _first_words_of(active: tuple[int, ...]) -> dict[str, tuple[_Pattern, ...]]:
    """`by_first_word` for only the patterns numbered in `active`."""
    everything = _patterns()
    chosen = {id(everything.patterns[i]) for i in active}
    return {
        form: kept
        for form, found in everything.by_first_word.items()
        if (kept := tuple(p for p in found if id(p) in chosen))
    }


def find_threats(text: str) -> list[Threat]:
    """Every threat and bullying phrase in `text`, left to right, not overlapping."""
    folded = lexicon.fold(text)
    patterns = _patterns()
    found: list[Threat] = []
    # Most texts hold the words of no pattern: they are done after one look at their words.
    present = distinct_words(folded.text, _WORDS)
    present |= {lemma(w) for w in present}
    present.add(_NAME)  # any capitalised word may be a name
    active = tuple(i for i, p in enumerate(patterns.patterns) if p.can_match(present))
    if not active:
        return found
    by_first_word = _first_words_of(active)
    a_name_may_begin = _NAME in by_first_word
    for clause in _clauses(folded.text, patterns.continues):
        words = [m.group() for m in clause.words]
        lemmas = [lemma(w) for w in words]
        if not a_name_may_begin and by_first_word.keys().isdisjoint(words + lemmas):
            continue  # no pattern begins in this clause
        for i in _names(text, folded, clause.words):
            lemmas[i] = _NAME
        covered = -1
        for i in range(len(words)):
            if i <= covered:
                continue
            candidates = by_first_word.get(words[i], ()) or by_first_word.get(lemmas[i], ())
            for pattern in candidates:
                end = _match(pattern, words, lemmas, i, patterns, clause.closes)
                if end is not None and _aimed(pattern, words, end):
                    last = max(end, i + 1)
                    start = folded.to_original(
                        clause.words[i].start(), clause.words[last - 1].end()
                    )
                    found.append(Threat(*start, pattern.category))
                    covered = last - 1
                    break
    return found


def _aimed(pattern: _Pattern, words: list[str], end: int) -> bool:
    return not pattern.aimed_at or any(w in pattern.aimed_at for w in words[:end])


_NAME = "{name}"  # stands for a name in a pattern step: "Morgen slaan we Noor in elkaar"
_END = "$"
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


@dataclass
class _Clause:
    words: list[re.Match[str]]
    closes: bool = True  # whether the thought ends with it (not ", want het is glad")


def _clauses(text: str, continues: frozenset[str]) -> list[_Clause]:
    """The words of `text`, clause by clause."""
    clauses = [_Clause([])]
    after_comma = False
    for token in _TOKEN.finditer(text):
        if token.lastgroup == "word":
            if after_comma and not clauses[-1].words and len(clauses) > 1:
                clauses[-2].closes = token.group() not in continues
            after_comma = False
            clauses[-1].words.append(token)
        elif clauses[-1].words:
            clauses.append(_Clause([]))
            after_comma = token.group() == ","
    return [c for c in clauses if c.words]


def _match(
    pattern: _Pattern, words: list[str], lemmas: list[str], i: int, p: _Patterns, closes: bool
) -> int | None:
    """The end (exclusive word index) of `pattern` matched with its first step at word `i`."""
    for end in _step_ends(pattern.steps[0], words, lemmas, i):
        done = _rest(pattern, 1, words, lemmas, end, p, closes)
        if done is not None:
            return done
    return None


def _rest(
    pattern: _Pattern,
    number: int,
    words: list[str],
    lemmas: list[str],
    end: int,
    p: _Patterns,
    closes: bool,
) -> int | None:
    """Steps `number`… of `pattern` from word `end` on. Between steps only words of `between`
    may stand, and after the first step one name too (the subject in "Straks slaat Daan je in
    elkaar"), never another word: "Ik ga je opdracht afmaken" is no threat. Every place a step
    fits is tried, so "ze" may be the subject and "je" the object."""
    if number == len(pattern.steps):
        return end
    step = pattern.steps[number]
    others = 1 if number == 1 else 0
    if step.at_end:
        # Only words of `between` to the end of a clause that ends the thought ("Pas maar op!"),
        # or to a time or place ("We pakken je bij de bushalte"), never a noun ("je tas").
        for position in range(end, min(end + p.gap + 1, len(words) + 1)):
            if position == len(words):
                return end if closes else None
            if pattern.then_place and words[position] in p.ends_before:
                place = words[position + 1 : position + 4]
                return None if p.grips.intersection(place) else end
            if words[position] not in p.between:
                return None
        return None
    for position in range(end, min(end + p.gap + 1, len(words))):
        for found in _step_ends(step, words, lemmas, position):
            done = _rest(pattern, number + 1, words, lemmas, found, p, closes)
            if done is not None:
                return done
        if words[position] not in p.between:
            if not others or lemmas[position] != _NAME:
                return None
            others -= 1
    return None


def _step_ends(step: _Step, words: list[str], lemmas: list[str], at: int) -> list[int]:
    """Every end of `step` matched at word `at`, longest first: "in elkaar" before "in"."""
    ends = []
    choices: tuple[tuple[str, ...], ...] = ()
    if step.multi_by_start and at + 1 < len(words):
        for first in {words[at], lemmas[at]}:
            for second in {words[at + 1], lemmas[at + 1]}:
                choices += step.multi_by_start.get((first, second), ())
    for choice in choices:
        end = at + len(choice)
        if end <= len(words) and all(
            words[at + k] == part or lemmas[at + k] == part for k, part in enumerate(choice)
        ):
            ends.append(end)
    if words[at] in step.single or lemmas[at] in step.single:
        following = _NOT_A_RESULT.get(words[at])
        if not (following and tuple(words[at + 1 : at + 1 + len(following)]) == following):
            ends.append(at + 1)
    return sorted(set(ends), reverse=True)
