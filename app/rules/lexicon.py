"""Dutch word lists (resources/lexicons/*.toml) and the matching that the word rules share.

A post is folded once (`fold`): look-alike letters of other scripts in a Latin word read as Latin
(app.rules.visible), lower case, accents and fancy letters (é, 𝗮, ｋ) to plain ones,
invisible characters and letter-spaced writing ("i d i o o t", "k.u.t") taken out, and leetspeak
inside words ("k4nk3r", "5ukk3l") read as letters. `Folded.to_original` maps a span back to the
code points of the text as given. Stretched letters ("kuuuut") are not collapsed in the text but
allowed by the patterns, so an ordinary text keeps its positions and needs no index map at all.

Each lexicon becomes one regular expression: a trie over the letters of every entry, anchored at
a word start, so an insult inside a harmless word ("hoer" in "hoera", "tering" in "catering")
is never a match. The format of the files is described in resources/lexicons/README.md; a
mistake in a file raises `LexiconError` naming the file and the entry.

Patterns stay linear: every letter repeat and every look-around is bounded, so no text (100,000
letters, emoji, lone surrogates) can make a search backtrack without end.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from app.i18n import _
from app.rules.model import BLOCK, INFO, WARN, CheckContext, Hit
from app.rules.visible import Mapped, as_latin, without
from resources import resource_path

LEXICON_DIR = resource_path("lexicons")

INFLECTIONS = ("no", "noun", "adjective", "verb", "all")
MATCHES = ("word", "start", "end", "first-part")
_SEVERITIES = (BLOCK, WARN, INFO)

# Longer runs of one letter are read as one stretched letter only up to this length; the bound
# keeps every repeat in the patterns finite.
_MAX_STRETCH = 40
# How far into a compound an "end" entry is looked for ("school|idioot").
_MAX_COMPOUND_HEAD = 30
# A phrase whose first word has choices is copied once per choice into the trie, up to this
# many characters of pattern; beyond it the choices become one atom (slower to search).
_MAX_COPIED_PATTERN = 5000
# How far around a match its exceptions are looked for.
_EXCEPTION_WINDOW = 80

# ---------------------------------------------------------------------------------------------
# Folding a text
# ---------------------------------------------------------------------------------------------

# Digits and signs that stand for letters inside a word. "1" becomes the placeholder "ı" (dotless
# i), which the patterns accept for both "i" and "l"; a real "ı" is folded to "i" first.
_LEET = str.maketrans(
    {"0": "o", "1": "ı", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
# A digit or sign after a letter, or before a letter that goes on ("5ukkel"; not "3e", "10x" or
# the "@" of a mention). It begins with its own character so the search can skip to it.
_LEET_HINT = re.compile(r"[013457@$](?:(?<=[a-zı].)|(?<!@)(?=[a-zı][^\W_]))")
_LEET_TOKEN_TAIL = re.compile(r"[a-zı0-9@$]*")
_LEET_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzı0123456789@$")

# Characters that hide inside words or carry an accent separately, taken out before matching:
# zero-width (joiner) characters, soft hyphen, word joiner, byte-order mark, bidi marks,
# variation selectors, combining marks (an "e" followed by U+0301 is an "é"). Folding turns them
# into a placeholder first (keeping positions), because one fast string search then finds them.
_INVISIBLE = (
    "\u00ad\u034f\u200b-\u200f\u2060-\u2064\ufe00-\ufe0f\ufeff"
    "\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff"
)
_HIDDEN = "\ue000"  # a private-use character; one already in the text is taken out as well
# Single letters separated by spaces, dots, stars, hyphens or underscores: "i d i o o t", "k.u.t".
_SPACED_RUN = r"(?<![^\W_])[^\W_](?:[ .*_\-]{1,2}[^\W_](?![^\W_])){2,}"
_SPACED_RUNS = re.compile(_SPACED_RUN)
# The middle and last letter of such a run; found fast, because it begins with a separator.
_SPACED_HINT = re.compile(r"[ .*_\-][^\W_][ .*_\-]{1,2}[^\W_](?![^\W_])")
_SPACED_SEPARATORS = re.compile(r"[ .*_\-]{1,2}")

_FOLD_RANGES = (
    (0x00C0, 0x0250),  # Latin-1 Supplement and Latin Extended-A/B: é, ë, ï, ç, ø, …
    (0x1E00, 0x1F00),  # Latin Extended Additional: ẞ, ṡ, …
    (0x24B6, 0x24EA),  # circled letters: ⓚⓤⓣ
    (0xFF10, 0xFF5B),  # full-width digits and letters: ｋｕｔ
    (0x1D400, 0x1D800),  # mathematical letters that social media use as bold or italic: 𝗸𝘂𝘁
)


def _fold_table() -> dict[str, str]:
    """Every character of `_FOLD_RANGES` to its plain letter, or to itself if it has none (ø)."""
    table = {}
    for first, last in _FOLD_RANGES:
        for code in range(first, last):
            char = chr(code)
            base = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in base if not unicodedata.combining(c)).lower()
            table[char] = base if len(base) == 1 and base.isascii() else char
    table["ı"] = "i"  # keeps the leetspeak placeholder unique
    return table


_FOLD_TABLE = _fold_table()
_FOLDABLE = re.compile(
    "[\u00c0-\u024f\u0131\u1e00-\u1eff\u24b6-\u24e9\uff10-\uff5a\U0001d400-\U0001d7ff"
    f"{_INVISIBLE}{_HIDDEN}]"
)


def _fold_char(match: re.Match[str]) -> str:
    char = match.group()
    return _FOLD_TABLE.get(char, _HIDDEN)


# The lexicons read a text through the same map back to its positions as the other detectors.
Folded = Mapped


@lru_cache(maxsize=8)
def fold(text: str) -> Folded:
    """`text` folded for matching. Cached: every word rule on one keystroke folds it only once."""
    if text.isascii():
        folded = text.lower()
    else:
        # str.lower keeps every length except that of "İ" (two code points): fold that first.
        folded = as_latin(text).replace("\u0130", "i").lower()
        folded = _FOLDABLE.sub(_fold_char, folded)
    removals = _hidden(folded) + _spaced_separators(folded)
    result = without(folded, removals) if removals else Folded(folded)
    return Folded(_undo_leet(result.text), result._folded_starts, result._original_starts)


def _hidden(text: str) -> list[tuple[int, int]]:
    spans = []
    position = text.find(_HIDDEN)
    while position != -1:
        spans.append((position, position + 1))
        position = text.find(_HIDDEN, position + 1)
    return spans


def _spaced_separators(text: str) -> list[tuple[int, int]]:
    """The separators inside letter-spaced words ("i d i o o t", "k.u.t")."""
    separators: list[tuple[int, int]] = []
    position = 0
    while hint := _SPACED_HINT.search(text, position):
        position = hint.start() + 1
        for start in (hint.start() - 1, hint.start() - 2):
            run = _SPACED_RUNS.match(text, start) if start >= 0 else None
            if run is not None:
                separators += [m.span() for m in _SPACED_SEPARATORS.finditer(text, *run.span())]
                position = run.end()
                break
    return separators


def _undo_leet(text: str) -> str:
    """Reads digits and signs in a word as letters ("k4nk3r", "1d10t"); keeps a leading "@"."""
    pieces: list[str] = []
    done = 0
    while hint := _LEET_HINT.search(text, done):
        start = hint.start()
        while start > done and text[start - 1] in _LEET_TOKEN_CHARS:
            start -= 1
        tail = _LEET_TOKEN_TAIL.match(text, hint.end())
        end = tail.end() if tail else hint.end()
        token = text[start:end]
        keep = 1 if token.startswith("@") else 0
        pieces.append(text[done:start] + token[:keep] + token[keep:].translate(_LEET))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def fold_plain(word: str) -> str:
    """A lexicon word folded like a text (lower case, no accents), without the rest: a
    lexicon says exactly what it means."""
    word = unicodedata.normalize("NFC", word).replace("\u0130", "i").lower()
    return _FOLDABLE.sub(_fold_char, word).replace(_HIDDEN, "")


# ---------------------------------------------------------------------------------------------
# Lexicon files
# ---------------------------------------------------------------------------------------------


class LexiconError(ValueError):
    """A lexicon file that cannot be used; the message says where and what to change."""


@dataclass(frozen=True)
class Entry:
    """One line of a lexicon: a word or phrase and what it means when found."""

    text: str
    category: str
    severity: str
    inflect: str = "no"
    match: str = "word"
    forms: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    exact_case: bool = False
    at_end: bool = False


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # in the original text
    end: int
    folded_start: int  # in Folded.text
    folded_end: int


@dataclass(frozen=True)
class Lexicon:
    """A compiled lexicon. Three patterns, because a regular expression searches fastest when
    it can skip to a first character: `_at_word` begins with the non-word character before a
    word, `_at_text_start` serves a word at position 0, `_word_ends` finds "end" entries
    anywhere (the match is then widened to its whole word)."""

    name: str
    entries: tuple[Entry, ...]
    _at_word: re.Pattern[str] | None = field(repr=False)
    _at_text_start: re.Pattern[str] | None = field(repr=False)
    _word_ends: re.Pattern[str] | None = field(repr=False)
    _group_entry: Mapping[str, int] = field(repr=False)
    _exceptions: Mapping[int, re.Pattern[str]] = field(repr=False)
    _exact: Mapping[int, re.Pattern[str]] = field(repr=False)

    def matches(self, text: str) -> list[Match]:
        """Every entry found in `text`, spans in `text`'s own code points, left to right and
        not overlapping."""
        folded = fold(text)
        kept: list[Match] = []
        # Left to right; at one position the longest match first.
        found = sorted(self._found(folded.text), key=lambda f: (f[0], -f[1]))
        for folded_start, folded_end, index in found:
            if kept and folded_start < kept[-1].folded_end:
                continue
            if self._is_exception(index, folded.text, folded_start, folded_end):
                continue
            start, end = folded.to_original(folded_start, folded_end)
            exact = self._exact.get(index)
            if exact is not None and not exact.fullmatch(text, start, end):
                continue
            kept.append(Match(self.entries[index], start, end, folded_start, folded_end))
        return kept

    def _found(self, text: str) -> Iterator[tuple[int, int, int]]:
        groups = self._group_entry
        if self._at_word is not None and self._at_text_start is not None:
            resume = 0
            first = self._at_text_start.match(text)
            if first is not None:
                yield 0, first.end(), groups[first.lastgroup or ""]
                resume = first.end()
            for found in self._at_word.finditer(text, resume):
                yield found.start() + 1, found.end(), groups[found.lastgroup or ""]
        if self._word_ends is not None:
            for found in self._word_ends.finditer(text):
                start = found.start()
                if start and _is_word_char(text[start - 1]):
                    head = _WORD_HEAD.search(text, max(start - _MAX_COMPOUND_HEAD, 0), start)
                    if head is None or (head.start() and _is_word_char(text[head.start() - 1])):
                        continue  # the ending of a word too long to be a compound
                    start = head.start()
                yield start, found.end(), groups[found.lastgroup or ""]

    def _is_exception(self, index: int, text: str, start: int, end: int) -> bool:
        pattern = self._exceptions.get(index)
        if pattern is None:
            return False
        window = (max(start - _EXCEPTION_WINDOW, 0), min(end + _EXCEPTION_WINDOW, len(text)))
        return any(m.start() <= start and end <= m.end() for m in pattern.finditer(text, *window))


_WORD_HEAD = re.compile(r"\w+$")
_WORD_CHAR = re.compile(r"\w")


def _is_word_char(char: str) -> bool:
    return _WORD_CHAR.match(char) is not None


@cache
def load(name: str, categories: frozenset[str]) -> Lexicon:
    """The lexicon resources/lexicons/<name>.toml, checked and compiled once per process.

    `categories` are the ones the calling rule has a message for; any other is an error.
    """
    path = LEXICON_DIR / f"{name}.toml"
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LexiconError(f"Woordenlijst {path.name} kan niet worden gelezen: {error}") from error
    return compile_lexicon(name, data, categories)


def compile_lexicon(name: str, data: Mapping[str, object], categories: frozenset[str]) -> Lexicon:
    """A lexicon from the parsed contents of its file (see `load`)."""
    slots = _slots(name, data.get("slots", {}))
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LexiconError(f"Woordenlijst {name}: 'entries' ontbreekt of is leeg.")
    entries = tuple(
        _entry(name, number, raw, categories) for number, raw in enumerate(raw_entries, 1)
    )
    group_entry: dict[str, int] = {}
    starts = _Trie(group_entry)
    ends = _Trie(group_entry)
    exceptions: dict[int, re.Pattern[str]] = {}
    exact: dict[int, re.Pattern[str]] = {}
    for index, entry in enumerate(entries):
        where = f"Woordenlijst {name}, '{entry.text}'"
        variants = [(entry.text, entry.inflect, entry.match)]
        variants += [(form, "no", "word") for form in entry.forms]
        for text, inflect, match in variants:
            tail = _tail(inflect, match, entry.at_end)
            for atoms in _atom_variants(text, inflect, slots, where):
                (ends if match == "end" else starts).add(atoms, tail, index)
        if entry.exceptions:
            exceptions[index] = re.compile(_exception_pattern(entry.exceptions, slots, where))
        if entry.exact_case:
            exact[index] = re.compile(_exact_pattern(entry.text, slots))
    at_word = at_text_start = word_ends = None
    if starts:
        at_text_start = re.compile(starts.pattern())
        at_word = re.compile(r"\W" + at_text_start.pattern)
    if ends:
        word_ends = re.compile(ends.pattern())
    return Lexicon(name, entries, at_word, at_text_start, word_ends, group_entry, exceptions, exact)


_ENTRY_KEYS = frozenset(
    {"text", "category", "severity", "inflect", "match", "forms", "except", "exact_case", "at_end"}
)


def _entry(name: str, number: int, raw: object, categories: frozenset[str]) -> Entry:
    where = f"Woordenlijst {name}, regel {number} in 'entries'"
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: schrijf elke regel als {{ text = ..., category = ... }}.")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise LexiconError(f"{where}: 'text' ontbreekt.")
    where = f"Woordenlijst {name}, '{text}'"
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise LexiconError(f"{where}: onbekende sleutel {', '.join(unknown)}.")

    def choice(key: str, allowed: tuple[str, ...] | frozenset[str], default: str | None) -> str:
        value = raw.get(key, default)
        if value not in allowed:
            options = ", ".join(sorted(allowed))
            raise LexiconError(f"{where}: {key} = {value!r} kan niet; kies uit {options}.")
        return str(value)

    def words(key: str) -> tuple[str, ...]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise LexiconError(f'{where}: {key} moet een lijst van woorden zijn, zoals ["a", "b"].')
        return tuple(value)

    def flag(key: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise LexiconError(f"{where}: {key} moet true of false zijn.")
        return value

    entry = Entry(
        text=text.strip(),
        category=choice("category", categories, None),
        severity=choice("severity", _SEVERITIES, None),
        inflect=choice("inflect", INFLECTIONS, "no"),
        match=choice("match", MATCHES, "word"),
        forms=words("forms"),
        exceptions=words("except"),
        exact_case=flag("exact_case"),
        at_end=flag("at_end"),
    )
    if entry.match != "word" and len(entry.text.split()) > 1:
        raise LexiconError(f'{where}: match = "{entry.match}" kan alleen bij één woord.')
    return entry


def _slots(name: str, raw: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise LexiconError(f"Woordenlijst {name}: 'slots' moet een tabel met lijsten zijn.")
    slots = {}
    for key, value in raw.items():
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise LexiconError(
                f"Woordenlijst {name}: slot '{key}' moet een lijst van woorden zijn."
            )
        slots[key] = tuple(value)
    return slots


# ---------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------

_SUFFIXES = {
    "noun": (
        "s",
        "'s",
        "’s",
        "en",
        "n",
        "eren",
        "je",
        "jes",
        "tje",
        "tjes",
        "etje",
        "etjes",
        "pje",
        "pjes",
    ),
    "adjective": ("e", "er", "ere", "ers", "st", "ste", "s"),
    "verb": ("t", "d", "en", "de", "den", "te", "ten", "end", "ende"),
}
_SUFFIXES["all"] = tuple(
    dict.fromkeys(s for kind in ("noun", "adjective", "verb") for s in _SUFFIXES[kind])
)
# Before a suffix a final consonant may double ("kut" → "kutten") and f/s may become v/z
# ("waardeloos" → "waardeloze").
_FINAL_CHANGE = {"f": "[fv]", "s": "[sz]"}
_LETTER_CLASS = {"i": "[iı]", "l": "[lı]"}
_WORD_GAP = r"[\s\-]+"
_WORD_RUN = re.compile(r"([a-z])\1*|.", re.DOTALL)
_SLOT = re.compile(r"\{(\w+)\}")
_LETTER_ATOM = re.compile(r"[a-z]|\[[a-zı]+\]")  # how a letter atom begins: "k", "[iı]"


def _letters(word: str, stretch_last: bool) -> list[str]:
    """The atoms of one folded word: a single letter may be stretched to three or more
    ("kut", "kuuuut", not "kuut": doubling makes other words, "dom" → "doom"), a double one
    also written single or stretched ("idioot", "idioten", "idioooot").

    Each atom begins with its letter, so the search can skip a branch on its first letter; every
    repeat is bounded or never gives back what it took, so a search cannot backtrack without end.
    """
    atoms = []
    runs = [m.group() for m in _WORD_RUN.finditer(word)]
    for position, run in enumerate(runs):
        letter = run[0]
        if not letter.isalpha() or not letter.isascii():
            atoms.append(
                "['’]" if letter in "'’" else r"[\s\-]?" if letter == "-" else re.escape(letter)
            )
            continue
        cls = _LETTER_CLASS.get(letter, letter)
        if stretch_last and position == len(runs) - 1:
            cls = _FINAL_CHANGE.get(letter, cls)
            atoms.append(f"{cls}{cls}{{0,{_MAX_STRETCH - 1}}}")
        elif len(run) == 1:
            atoms.append(f"{cls}(?:{cls}{cls}{{1,{_MAX_STRETCH - 2}}})?+")
        else:
            atoms.append(f"{cls}{cls}{{0,{_MAX_STRETCH - 1}}}")
    return atoms


def _choices(word: str, slots: Mapping[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    """The words one word of an entry stands for: "je/jou" and "{slot}" are choices."""
    slot = _SLOT.fullmatch(word)
    if slot:
        if slot.group(1) not in slots:
            raise LexiconError(f"{where}: slot {{{slot.group(1)}}} staat niet onder [slots].")
        choices = slots[slot.group(1)]
    elif _SLOT.search(word):
        raise LexiconError(f"{where}: schrijf een slot als een los woord, zoals {{jou}}.")
    else:
        choices = tuple(word.split("/"))
    if any(not fold_plain(c).strip() for c in choices):
        raise LexiconError(f"{where}: een keuze met / is leeg.")
    return tuple(fold_plain(c) for c in choices)


def _atom_variants(
    text: str, inflect: str, slots: Mapping[str, tuple[str, ...]], where: str
) -> list[list[str]]:
    """The ways of writing an entry as atoms, for the trie. A first word with choices ("je/jou",
    "{slot}") gives one way per choice, so the trie branches on their first letters; where that
    would copy a long rest of the phrase too often it becomes one atom instead (`_head_atom`).
    Later words with choices are one atom each. Only a plain last word takes the inflections."""
    words = text.split()
    choices = [_choices(word, slots, where) for word in words]
    if len(words) == 1:
        inflect_word = inflect != "no" and len(choices[0]) == 1
        return [_letters(choice, inflect_word) for choice in choices[0]]
    rest: list[str] = []
    for position, word_choices in enumerate(choices[1:], 1):
        rest.append(_WORD_GAP)
        if len(word_choices) == 1:
            last = position == len(words) - 1
            rest.extend(_letters(word_choices[0], inflect != "no" and last))
        else:
            alternatives = sorted({"".join(_letters(c, False)) for c in word_choices}, key=len)
            rest.append("(?:" + "|".join(reversed(alternatives)) + ")")
    heads = choices[0]
    if len(heads) * len("".join(rest)) > _MAX_COPIED_PATTERN:
        return [[_head_atom(heads), *rest]]
    return [_letters(head, False) + rest for head in heads]


def _head_atom(choices: tuple[str, ...]) -> str:
    """The first word of a phrase as one atom that begins with a character (set), so that the
    search can skip it on the first character: "[ls](?:(?<=l)ui|(?<=s)(?:lecht|tom))"."""
    spelled = ["".join(_letters(choice, False)) for choice in choices]
    by_first: dict[str, set[str]] = {}
    for atoms in spelled:
        first = _LETTER_ATOM.match(atoms)
        if first is None:  # a word that begins with a sign, such as "'s"
            return "(?:" + "|".join(spelled) + ")"
        by_first.setdefault(first.group(), set()).add(atoms[first.end() :])
    letters = "".join(sorted({c for first in by_first for c in first.strip("[]")}))
    branches = [
        f"(?<={first})(?:" + "|".join(sorted(rests, key=lambda r: -len(r))) + ")"
        for first, rests in sorted(by_first.items())
    ]
    return f"[{letters}](?:" + "|".join(branches) + ")"


def _exact_pattern(text: str, slots: Mapping[str, tuple[str, ...]]) -> str:
    """`text` with its own capitals, as written ("ADD", "krijgt/kreeg RT")."""

    def spelled(word: str) -> str:
        return "".join(
            r"[\s\-]?" if c == "-" else "['’]" if c in "'’" else re.escape(c) for c in word
        )

    words = []
    for word in text.split():
        slot = _SLOT.fullmatch(word)
        choices = slots.get(slot.group(1), ()) if slot else word.split("/")
        words.append("(?:" + "|".join(spelled(c) for c in choices) + ")")
    return _WORD_GAP.join(words)


def _tail(inflect: str, match: str, at_end: bool) -> str:
    if match in ("start", "first-part"):
        tail = r"\w*" if match == "start" else r"\w+"
    else:
        tail = ""
        if inflect != "no":
            tail = "(?:" + "|".join(re.escape(s) for s in _SUFFIXES[inflect]) + ")?"
        tail += r"\b"
    if at_end:
        # Followed by nothing but punctuation, emoji or the end: "ik sla je!", not "ik sla je over".
        tail += r"(?![\s\-]{0,20}\w)"
    return tail


def _exception_pattern(
    exceptions: tuple[str, ...], slots: Mapping[str, tuple[str, ...]], where: str
) -> str:
    alternatives = []
    for exception in exceptions:
        prefix = exception.endswith("*")
        for atoms in _atom_variants(exception.rstrip("*"), "no", slots, where):
            alternatives.append("".join(atoms) + (r"\w*" if prefix else r"\b"))
    return r"\b(?:" + "|".join(alternatives) + ")"


class _Trie:
    """Entries sharing their first letters share one branch, so the search tries only the
    entries that begin like the word at hand."""

    def __init__(self, group_entry: dict[str, int]) -> None:
        self.children: dict[str, _Trie] = {}
        self.leaves: list[str] = []
        self._group_entry = group_entry  # shared by all nodes: group name -> entry index

    def __bool__(self) -> bool:
        return bool(self.children or self.leaves)

    def add(self, atoms: list[str], tail: str, entry: int) -> None:
        """Adds one way of writing `entry`: its atoms and what must follow them."""
        # Each leaf ends in an empty group of its own: Match.lastgroup then names the entry.
        group = f"g{len(self._group_entry)}"
        self._group_entry[group] = entry
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Trie(self._group_entry))
        node.leaves.append(f"{tail}(?P<{group}>)")

    def pattern(self) -> str:
        return self._emit()[0]

    def _emit(self) -> tuple[str, int]:
        """The pattern of this branch and the length of its longest entry."""
        children = []
        for atom, child in self.children.items():
            pattern, depth = child._emit()
            children.append((depth + 1, atom + pattern))
        # Longer entries first, so "kutwijf" wins over "kut" at the same position.
        children.sort(key=lambda child: -child[0])
        parts = [pattern for _depth, pattern in children] + self.leaves
        depth = max((depth for depth, _pattern in children), default=0)
        return (parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"), depth


class LexiconRule:
    """A text rule that is one lexicon and a Dutch message per category (decency, sensitive
    topics): every match is a finding with the entry's own severity."""

    def __init__(
        self, rule_id: str, articles: tuple[str, ...], lexicon: str, messages: dict[str, str]
    ):
        self.id = rule_id
        self.articles = articles
        self.lexicon = lexicon
        self.messages = messages

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        words = load(self.lexicon, frozenset(self.messages))
        return [
            Hit(m.start, m.end, m.entry.severity, _(self.messages[m.entry.category]))
            for m in words.matches(text)
        ]
