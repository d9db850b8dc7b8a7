"""How each network counts the length of a text.

Bluesky and Mastodon count extended grapheme clusters; the `regex` module's \\X agrees with the
official Bluesky client (the `grapheme` package, on an older Unicode, does not).
"""

from __future__ import annotations

import regex

_GRAPHEME = regex.compile(r"\X")


def graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8", errors="surrogatepass"))
