"""Invisible characters that can make a post read differently from how it looks.

Bidirectional overrides can reverse what a reader sees, zero-width characters and soft hyphens
hide inside words (and defeat the other checks), control characters and lone surrogates can make
a network reject the post. What text legitimately needs stays: a zero-width joiner inside an emoji
sequence (👨‍👩‍👧) or between letters of a script that joins (Arabic, Indic), and the carriage
return of a Windows line break.

A word that mixes Latin letters with look-alike letters of another script ("kаnker" with a
Cyrillic "а") is flagged too: it is written to slip past the other checks, which read it as Latin
(app.rules.visible) and find what it hides.

`remove_hidden_characters` removes exactly the hidden characters the rule flags; the UI offers it
as one click. A mixed-script word has no such fix: only the author knows which letters were meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from app.i18n import _
from app.rules.model import WARN, CheckContext, Hit
from app.rules.visible import mixed_script_words

FIX = "remove_hidden_characters"

_BIDI, _INVISIBLE, _CONTROL = "bidi", "invisible", "control"
_ZWNJ, _ZWJ = "\u200c", "\u200d"

_CANDIDATES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\ufeff"
    "\ud800-\udfff]+"
)
_EMOJI_BEFORE_JOINER = regex.compile(r"[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]")
_EMOJI_AFTER_JOINER = regex.compile(r"\p{Extended_Pictographic}")
# Scripts whose spelling needs ZWJ/ZWNJ between letters (Persian, Urdu, Hindi, Tamil, …).
_JOINING_SCRIPT = regex.compile(
    r"[\p{Arabic}\p{Syriac}\p{Nko}\p{Mongolian}\p{Devanagari}\p{Bengali}\p{Gurmukhi}"
    r"\p{Gujarati}\p{Oriya}\p{Tamil}\p{Telugu}\p{Kannada}\p{Malayalam}\p{Sinhala}]"
)


class HiddenCharactersRule:
    id = "hidden_characters"
    articles = ("Communiceren 4",)

    def find(self, text: str, ctx: CheckContext) -> list[Hit]:
        hits = [
            Hit(start, end, WARN, _message(kind), fix=FIX)
            for start, end, kind in _flagged_runs(text)
        ]
        hits += [
            Hit(
                start,
                end,
                WARN,
                _(
                    "Typ dit woord opnieuw met gewone letters: er staan letters uit een ander schrift in die op gewone letters lijken."
                ),
            )
            for start, end in mixed_script_words(text)
        ]
        return sorted(hits, key=lambda hit: hit.start)


RULE = HiddenCharactersRule()


def remove_hidden_characters(text: str) -> str:
    """`text` without the characters the rule flags; afterwards the rule finds nothing."""
    pieces, position = [], 0
    for start, end, _kind in _flagged_runs(text):
        pieces.append(text[position:start])
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _flagged_runs(text: str) -> Iterator[tuple[int, int, str]]:
    """Maximal runs of flagged characters of one kind, as (start, end, kind)."""
    for candidates in _CANDIDATES.finditer(text):
        run_start, run_kind = -1, ""
        for i in range(candidates.start(), candidates.end()):
            kind = _kind(text, i)
            if kind != run_kind:
                if run_kind:
                    yield run_start, i, run_kind
                run_start, run_kind = i, kind
        if run_kind:
            yield run_start, candidates.end(), run_kind


def _kind(text: str, i: int) -> str:
    """What the candidate character at `i` is, or "" where it is legitimately there."""
    char = text[i]
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return _BIDI
    if code in (0xAD, 0x200B, 0x2060, 0xFEFF):
        return _INVISIBLE
    if char in (_ZWJ, _ZWNJ):
        return "" if _joins(text, i) else _INVISIBLE
    if char == "\r" and text.startswith("\n", i + 1):
        return ""
    return _CONTROL  # C0 and C1 controls, DEL, surrogates


def _joins(text: str, i: int) -> bool:
    if i == 0 or i + 1 >= len(text):
        return False
    before, after = text[i - 1], text[i + 1]
    if text[i] == _ZWJ and _EMOJI_BEFORE_JOINER.match(before) and _EMOJI_AFTER_JOINER.match(after):
        return True
    return bool(_JOINING_SCRIPT.match(before) and _JOINING_SCRIPT.match(after))


def _message(kind: str) -> str:
    if kind == _BIDI:
        return _(
            "Haal de verborgen leesrichtingstekens weg: ze kunnen de tekst anders laten lijken dan hij is."
        )
    if kind == _CONTROL:
        return _(
            "Haal de onzichtbare stuurtekens weg: ze horen niet in een bericht en kunnen het plaatsen laten mislukken."
        )
    return _(
        "Haal de onzichtbare tekens weg: ze verstoppen zich in woorden en kunnen tekst verbergen."
    )
