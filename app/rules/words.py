"""The distinct words of a text, for the rules that only ask which words occur in it.

`re.findall` over a whole post makes a string for every word, about 0.1 ms for 2,000
characters. Most of a post's whitespace-separated tokens are plain words (`str.isalpha`), and
they repeat: the distinct tokens are judged once, and only a token with other characters in it
("herfst.", "5:", "🎄") is searched with the pattern.
"""

from __future__ import annotations

import re


def distinct_words(text: str, word: re.Pattern[str]) -> set[str]:
    """The set of `word.findall(text)`, for a `word` pattern that matches letters only at its
    edges, never whitespace, and a whole token of letters as one word, and whose look-arounds
    treat whitespace like the start or end of the text: then a token is searched on its own."""
    found: set[str] = set()
    for token in set(text.split()):
        if token.isalpha():
            found.add(token)
        else:
            found.update(word.findall(token))
    return found
