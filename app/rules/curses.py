"""Curses built on disease words ("kanker", "tyfus", "tering") and mild swearing ("kut",
"klote"), told apart from the disease itself by the words around them.

The same decision for every disease word (resources/lexicons/curses.toml): a bare disease word
is the disease after an article, a preposition or "heeft" ("de pest", "naar kanker", "heeft
kanker") or before a verb or conjunction ("Tyfus is een ziekte", "tyfus en cholera"); otherwise
it is a curse, as an exclamation ("Kanker!", "Tering, wat koud") or an intensifier ("kanker
moeilijk"). A compound is a curse only when its remainder is a real Dutch word, checked against
`wordfreq`'s Dutch word list ("kankerweer", "kutschool"; not "Kutlu", "kleren", "takken"), and
not a medical or care word ("kankeronderzoek", "tyfusvaccin").

A curse can also be an imperative at the start of a clause: "Krijg toch allemaal de kanker",
"Val dood", "Stik!" (curses.toml, imperative_*): there "de" before the disease word makes no
disease, while "Ze kreeg kanker" and "Opa krijgt de griep" stay the disease.

Works on the folded text of app.rules.lexicon (look-alike letters, leetspeak, letter-spaced
writing already read), so "k a n k e r weer" and "kаnker" are read as written to be read.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from app.rules import lexicon
from app.rules.lemmas import lemma
from app.rules.model import BLOCK, WARN
from resources import resource_path

# A remainder counts as a Dutch word from this frequency on (wordfreq's Zipf scale: 1 is about
# once in a hundred million words) and this length: "lijer" (1.5) is a word, "lu" and "ay" are not.
_MIN_ZIPF = 1.0
_MIN_REMAINDER = 3
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_STRETCHED = re.compile(r"(.)\1{2,}")


@dataclass(frozen=True)
class Curse:
    start: int  # in the original text
    end: int
    severity: str


@dataclass(frozen=True)
class _Words:
    severity: dict[str, str]  # disease word or swear word -> its severity
    always: frozenset[str]
    health: tuple[str, ...]
    before: frozenset[str]
    after: frozenset[str]
    prefixes: re.Pattern[str]
    starts: re.Pattern[str]  # where a word begins with a curse word or an abbreviation
    # A curse as an imperative: "krijg toch de tyfus", "val dood"; at the start of the text, and
    # after the sign that ends a clause (which the match begins with, so the search skips to it).
    imperative_at_start: re.Pattern[str]
    imperative: re.Pattern[str]


@cache
def _words() -> _Words:
    with (resource_path("lexicons") / "curses.toml").open("rb") as file:
        data = tomllib.load(file)
    severity = {w: BLOCK for w in data["block"]} | {w: WARN for w in data["warn"]}
    longest_first = sorted(severity, key=len, reverse=True)
    return _Words(
        severity=severity,
        always=frozenset(data["always"]),
        health=tuple(data["health"]),
        before=frozenset(data["before"]),
        after=frozenset(data["after"]),
        prefixes=re.compile("|".join(re.escape(w) for w in longest_first)),
        starts=_word_starts({*severity, *data["always"]}),
        imperative_at_start=_imperative(data, [*data["block"], *data["imperative_diseases"]]),
        imperative=_imperative(
            data, [*data["block"], *data["imperative_diseases"]], after=_CLAUSE_END
        ),
    )


def _word_starts(words: set[str]) -> re.Pattern[str]:
    """Where a word begins with one of `words`, stretched or not ("kuuuut"). Grouped by first
    letter, with the look-behind for the word start after that letter: the search then skips
    to the letters that can begin a curse instead of trying every position."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_first.setdefault(word[0], []).append(word)
    return re.compile(
        "|".join(
            f"{re.escape(first)}(?<![^\\W\\d_-].){re.escape(first)}*(?:"
            + "|".join(_stretchable(w[1:]) for w in group)
            + ")"
            for first, group in sorted(by_first.items())
        )
    )


_CLAUSE_END = '[.,!?;:\n("“”]'


def _imperative(data: dict, diseases: list[str], after: str = "") -> re.Pattern[str]:
    """The imperative curses as one pattern, at the start of a text or, with `after`, following
    that sign; the group "curse" is the curse itself."""

    def choice(words: list[str], stretch: bool = False) -> str:
        folded = sorted({lexicon.fold_plain(w) for w in words}, key=len, reverse=True)
        return "(?:" + "|".join(_stretchable(w) if stretch else re.escape(w) for w in folded) + ")"

    fillers = rf"(?:[ \t]+{choice(data['fillers'])})*"
    end = r"(?![^\W\d_])"
    get = (
        rf"{choice(data['imperative_get'])}{fillers}[ \t]+(?:(?:de|het|een)[ \t]+)?"
        rf"{choice(diseases, stretch=True)}{end}(?![ \t]+niet{end})"  # "krijg de pokken niet"
    )
    die = rf"{choice(data['imperative_die'])}{fillers}[ \t]+dood(?:[ \t]+neer)?{end}"
    alone = (
        rf"{choice(data['imperative_alone'])}{fillers}"
        rf"(?=[ \t]*(?:\Z|[.,!?;:\n)]|{choice(data['imperative_alone_then'])}{end}))"
    )
    clause_start = after + r"[ \t]*"
    interjection = rf"(?:{choice(data['interjections'])}[ \t]*,?[ \t]+)?"
    return re.compile(rf"{clause_start}{interjection}(?P<curse>(?:{get}|{die}|{alone}){end})")


def _stretchable(word: str) -> str:
    """A word whose letters may be stretched ("kuuuut"), as a pattern."""
    return "".join(re.escape(c) + "+" for c in word)


def find_curses(text: str) -> list[Curse]:
    """Every curse and swear word in `text`: the imperative curses, then the words."""
    folded = lexicon.fold(text)
    words = _words()
    found = []
    commands = _imperatives(folded.text, words)
    found += [Curse(*folded.to_original(*span), BLOCK) for span in commands]
    for start in words.starts.finditer(folded.text):
        token = _WORD.match(folded.text, start.start())
        if token is None or any(s <= token.start() < e for s, e in commands):
            continue
        word = _STRETCHED.sub(r"\1", token.group())  # "kuuuut", "kaaaanker"
        severity = _severity(word, words, folded.text, token)
        if severity is not None:
            found.append(Curse(*folded.to_original(*token.span()), severity))
    return found


def _imperatives(text: str, words: _Words) -> list[tuple[int, int]]:
    """Where `text` curses with an imperative, in the folded text; not in a question ("Krijg
    je de pokken als je niet ingeënt bent?" asks about the disease)."""
    spans = []
    first = words.imperative_at_start.match(text)
    rest = words.imperative.finditer(text, first.end() if first else 0)
    for found in [first, *rest] if first else rest:
        mark = _SENTENCE.search(text, found.end())
        if mark is None or mark.group() != "?":
            spans.append(found.span("curse"))
    return spans


def _severity(word: str, words: _Words, text: str, token: re.Match[str]) -> str | None:
    if word in words.always:
        return BLOCK
    prefix = words.prefixes.match(word)
    if prefix is None:
        return None
    severity = words.severity[prefix.group()]
    remainder = word[prefix.end() :].lstrip("-")
    if remainder:
        return severity if _is_curse_compound(remainder, words) else None
    if severity == WARN:
        return WARN  # "kut" and "klote" are swearing on their own
    before = _neighbour(text, token.start(), -1)
    after = _neighbour(text, token.end(), +1)
    if _among(before, words.before) or _among(after, words.after):
        return None  # the disease: "de pest", "heeft kanker", "Tyfus is een ziekte"
    if _among_health_words(text, token, words):
        return None  # a list of diseases: "Kanker, hart- en vaatziekten: de gastles …"
    return severity


_SENTENCE = re.compile(r"[.!?\n]")
# How far around a disease word its sentence is read for other health words: bounded, so a
# text without full stops costs no more than one with.
_HEALTH_REACH = 200
_PLURAL = re.compile(r"(?:en|n|s)$")


def _among_health_words(text: str, token: re.Match[str], words: _Words) -> bool:
    """Whether the sentence around `token` speaks of health elsewhere: a word that begins or
    ends with a medical word ("vaatziekten", "gezondheid", "vaccinaties")."""
    start = max(0, token.start() - _HEALTH_REACH)
    for end_mark in _SENTENCE.finditer(text, start, token.start()):
        start = end_mark.end()
    reach = min(len(text), token.end() + _HEALTH_REACH)
    stop = _SENTENCE.search(text, token.end(), reach)
    for other in _WORD.finditer(text, start, stop.start() if stop else reach):
        if other.start() == token.start():
            continue
        word = _PLURAL.sub("", other.group())
        if word.startswith(words.health) or word.endswith(words.health):
            return True
    return False


def _among(word: str | None, listed: frozenset[str]) -> bool:
    """Whether `word` or its lemma is listed: "kreeg" counts as "krijgen"."""
    return word is not None and (word in listed or lemma(word) in listed)


def _is_curse_compound(remainder: str, words: _Words) -> bool:
    """Whether the rest of a word after a curse word is a real Dutch word, in any form: a plural
    or a conjugation is rarer than its base form ("lijers", "lijer")."""
    if remainder.startswith(words.health):
        return False
    singular = _PLURAL.sub("", remainder)
    return any(is_dutch_word(form) for form in (remainder, singular, lemma(remainder)))


@lru_cache(maxsize=4096)
def is_dutch_word(word: str) -> bool:
    """Whether `word` is in wordfreq's Dutch word list often enough to be a real word."""
    if len(word) < _MIN_REMAINDER:
        return False
    from wordfreq import zipf_frequency  # on first use: loading it takes a while at start-up

    return zipf_frequency(word, "nl") >= _MIN_ZIPF


_NEIGHBOUR_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
_NEIGHBOUR_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")


def _neighbour(text: str, at: int, step: int) -> str | None:
    """The word right before `at` (step -1) or right after it (step +1) in the same clause."""
    if step < 0:
        found = _NEIGHBOUR_BEFORE.search(text, max(0, at - 40), at)
    else:
        found = _NEIGHBOUR_AFTER.match(text, at)
    return found.group(1) if found else None
