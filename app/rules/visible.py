"""A text as a reader sees it: hidden characters taken out, look-alike letters read as Latin.

Every detector (numbers, names, words) runs on this text, so a zero-width space inside a BSN or
a Cyrillic "а" inside a name hides nothing; `Mapped.to_original` brings a span back to the code
points of the text as written.

Look-alike letters come from Unicode's confusables data (through the `confusable-homoglyphs`
package): a letter of another script that Unicode lists as confusable with a Latin letter is read
as that letter, but only inside a word that also has Latin letters. A word written wholly in
Cyrillic or Greek ("Привіт", "αβγ") is a real word of that script and stays as it is.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

import regex

# Characters a reader does not see that can sit inside a word or a number: soft hyphen,
# combining grapheme joiner, zero-width (non-)joiner and space, direction marks and overrides,
# word joiner and invisible operators, variation selectors, byte-order mark.
HIDDEN = "\u00ad\u034f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff"
_HIDDEN = re.compile(f"[{HIDDEN}]+")
# A letter outside ASCII, and the word around it: only such words can mix scripts.
_NON_ASCII_LETTER = regex.compile(r"[^\W\d_\x00-\x7f]")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")
# Read backwards from the letter: a forward search for "letters up to here" would start over at
# each of the hundred places before it (about 10 µs a letter, on every accented word).
_LETTERS_BEFORE = regex.compile(r"(?r)[^\W\d_]*")
_LETTERS_AFTER = regex.compile(r"[^\W\d_]*")
_SCRIPTS_THAT_DO_NOT_COUNT = frozenset({"COMMON", "INHERITED"})


@dataclass(frozen=True, slots=True)
class Mapped:
    """A text with pieces taken out, and the way back to the original code points.

    Where nothing was taken out (the usual case) the positions are the original ones and the
    maps are empty.
    """

    text: str
    _folded_starts: tuple[int, ...] = ()
    _original_starts: tuple[int, ...] = ()

    @property
    def keeps_positions(self) -> bool:
        """Whether every position in `text` is the same position in the original."""
        return not self._folded_starts

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that `text[start:end]` was made from."""
        if not self._folded_starts:
            return start, end
        first = self._original_position(start)
        if end <= start:
            return first, first
        return first, self._original_position(end - 1) + 1

    def _original_position(self, position: int) -> int:
        piece = max(bisect_right(self._folded_starts, position) - 1, 0)
        return self._original_starts[piece] + position - self._folded_starts[piece]


def without(text: str, removals: list[tuple[int, int]]) -> Mapped:
    """`text` without the spans in `removals`, keeping the way back to its positions."""
    removals.sort()
    pieces: list[str] = []
    folded_starts: list[int] = []
    original_starts: list[int] = []
    position = length = 0
    for start, end in removals:
        if start > position:
            pieces.append(text[position:start])
            folded_starts.append(length)
            original_starts.append(position)
            length += start - position
        position = max(position, end)
    if position < len(text):
        pieces.append(text[position:])
        folded_starts.append(length)
        original_starts.append(position)
    if not pieces:
        return Mapped("", (0,), (0,))
    return Mapped("".join(pieces), tuple(folded_starts), tuple(original_starts))


@lru_cache(maxsize=8)
def visible(text: str) -> Mapped:
    """`text` without hidden characters and with look-alike letters read as Latin. Cached:
    every rule on one keystroke reads the same text."""
    if text.isascii():
        return Mapped(text)
    removals = [m.span() for m in _HIDDEN.finditer(text)]
    mapped = without(text, removals) if removals else Mapped(text)
    latin = as_latin(mapped.text)
    if latin is mapped.text:
        return mapped
    return Mapped(latin, mapped._folded_starts, mapped._original_starts)


def as_latin(text: str) -> str:
    """`text` with the look-alike letters in mixed-script words read as Latin; same length.
    Returns `text` itself when nothing changes."""
    if text.isascii():
        return text
    table = _latin_look_alikes()
    pieces: list[str] = []
    done = 0
    for start, end in _mixed_script_spans(text):
        pieces.append(text[done:start])
        pieces.append("".join(table.get(c, c) for c in text[start:end]))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def mixed_script_words(text: str) -> list[tuple[int, int]]:
    """The spans of the words that mix Latin letters with letters of another script, as in
    "kаnker" with a Cyrillic "а": written to slip past a check or to pass for something else."""
    if text.isascii():
        return []
    return list(_mixed_script_spans(text))


@lru_cache(maxsize=8)
def _mixed_script_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Cached: folding, the visible text and hidden_characters each ask it of one keystroke's
    text, and an accented word costs a few microseconds to find."""
    return tuple((s, e) for s, e in _non_ascii_words(text) if _mixes_scripts(text[s:e]))


def _non_ascii_words(text: str) -> list[tuple[int, int]]:
    """The spans of the words that hold a letter outside ASCII, in text order."""
    spans: list[tuple[int, int]] = []
    if not any(_NON_ASCII_LETTER.match(c) for c in set(text) if not c.isascii()):
        return spans  # emoji and signs only: a set of the characters is faster than a search
    position = 0
    # The letter search runs only inside the runs of non-ASCII characters: found fast by `re`,
    # while the `regex` module would test every ASCII character against the letter class.
    for run in _NON_ASCII_RUN.finditer(text):
        while position < run.end() and (
            letter := _NON_ASCII_LETTER.search(text, max(position, run.start()), run.end())
        ):
            begin = _LETTERS_BEFORE.match(text, max(0, letter.start() - 100), letter.start())
            start = begin.start() if begin else letter.start()
            end = _LETTERS_AFTER.match(text, letter.start()).end()
            if not spans or start >= spans[-1][1]:
                spans.append((start, end))
            position = end
    return spans


@lru_cache(maxsize=4096)
def _mixes_scripts(word: str) -> bool:
    scripts = {_script(c) for c in word} - _SCRIPTS_THAT_DO_NOT_COUNT
    return "LATIN" in scripts and len(scripts) > 1


@cache
def _script(char: str) -> str:
    if char.isascii():
        return "LATIN" if char.isalpha() else "COMMON"
    from confusable_homoglyphs import categories  # on first use, not at start-up

    return categories.alias(char)


@cache
def _latin_look_alikes() -> dict[str, str]:
    """Each letter of another script that Unicode's confusables data lists as looking like one
    ASCII letter, mapped to that letter (capitals to capitals)."""
    from confusable_homoglyphs import confusables  # on first use, not at start-up

    table = {}
    for char, look_alikes in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii() or _script(char) == "LATIN":
            continue
        for look_alike in look_alikes:
            latin = look_alike["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                table[char] = latin
                break
    return table
