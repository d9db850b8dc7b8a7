"""The fast word sets that the rules skip their work by are exactly the words a full search
finds, for any text: a faster check must not change a finding."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.names import _ANY_WORD
from app.rules.threats import _WORDS
from app.rules.words import distinct_words

# Letters, accents, combining marks, digits that are not decimal, the signs the patterns look
# at around a word, and every kind of white space.
_CHARACTERS = st.sampled_from(list("abXYé-'’@#_1²½.,:\u0301кαß🎄 \t\n\x1c\u00a0\u2003"))


@settings(max_examples=500)
@given(st.text(_CHARACTERS, max_size=40))
def test_the_distinct_words_are_the_words_a_full_search_finds(text: str) -> None:
    for pattern in (_ANY_WORD, _WORDS):
        assert distinct_words(text, pattern) == set(pattern.findall(text))
