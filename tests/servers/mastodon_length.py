"""How a Mastodon instance counts a status, written for the test server on its own.

This is deliberately a second implementation, not the app's (app/networks/textcount.py): it
pastes twitter-text's Ruby `valid_url` pattern together as Ruby does, with the changes Mastodon
makes in config/initializers/twitter_regex.rb, and lets one backtracking regex find every URL. It
is slow on long texts and fine for tests; tests/app/test_textcount.py compares the two on
generated text.

StatusLengthValidator (app/validators/status_length_validator.rb): a blank text counts nothing;
otherwise every URL with a protocol becomes 23 characters (the instance's
characters_reserved_per_url) and every mention `@user@domain` becomes `@user`; the content
warning goes in front as it is; the result is counted in extended grapheme clusters. URLs come from
`extract_urls_with_indices(text, extract_url_without_protocol: false)`, mentions from
Mastodon's own Extractor with Account::MENTION_RE; overlapping entities keep the first.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import regex

RESOURCES = Path(__file__).resolve().parents[2] / "resources"

# twitter-text's character sets (rb/lib/twitter-text/regex.rb), as regex class contents.
_UNICODE_SPACES = (
    r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
_INVALID = r"\ufffe\ufeff\uffff"
_DIRECTIONAL = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_PUNCTUATION = r"""!"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~"""
_CONTROL = r"\x00-\x1f\x7f"
_LATIN_ACCENTS = (
    r"\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259"
    r"\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_DOMAIN_CHAR = f"[^{_DIRECTIONAL}{_PUNCTUATION}{_CONTROL}{_INVALID}{_UNICODE_SPACES}]"
_PRECEDING = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"

# Mastodon's twitter_regex.rb.
_PROTOCOLS = "https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini"
_PATH_CHAR = r"[^\p{White_Space}<>()?]"
_PATH_ENDING_CHAR = r"""[^\p{White_Space}()?!*"'「」<>;:=,.$%\[\]~&|@]"""
# twitter-text's own path characters: Mastodon's ending still holds the library's parentheses.
_LIBRARY_PATH_CHAR = f"[a-z\\p{{Cyrillic}}0-9!*';:=+,.$/%#\\[\\]\\p{{Pd}}_~&|@{_LATIN_ACCENTS}]"
_UCHARS = (
    r"\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    r"\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    r"\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    r"\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    r"\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)

_WORD = r"[\p{L}\p{M}\p{Nd}\p{Pc}]"  # Ruby's [[:word:]]
_MENTION = regex.compile(
    rf"(?<![=/\p{{L}}\p{{M}}\p{{Nd}}\p{{Pc}}])@((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)"
    rf"(?:@{_WORD}+(?:[.-]+{_WORD}+)*)?)"
)
_END_MENTION = regex.compile(f"@|\uff20|[{_LATIN_ACCENTS}]|://")
_BLANK = regex.compile(r"\p{White_Space}*")
_GRAPHEME = regex.compile(r"\X")
_TCO = regex.compile(r"https?://t\.co/([a-z0-9]+)", regex.IGNORECASE)
MAX_TCO_SLUG = 40
MAX_URL_LENGTH = 4096
MAX_DOMAIN_LENGTH = 253


def _balanced(char: str) -> str:
    return f"\\((?:{char}+|(?:{char}*\\({char}+\\){char}*))\\)"


def _tlds(name: str) -> str:
    lines = (RESOURCES / name).read_text(encoding="utf-8").splitlines()
    return "|".join(regex.escape(line) for line in lines if line and not line.startswith("#"))


@cache
def _valid_url() -> regex.Pattern[str]:
    after_tld = "(?=[^0-9a-z@+-]|$)"
    subdomain = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
    domain_name = f"(?:(?:{_DOMAIN_CHAR}(?:[-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
    tld = (
        f"(?:(?:{_tlds('x-tlds-generic.txt')}){after_tld})"
        f"|(?:(?:{_tlds('x-tlds-country.txt')}){after_tld})"
        r"|(?:xn--[0-9a-z]+)"
    )
    domain = f"(?:{subdomain}*{domain_name}(?:{tld}))"
    ending = f"{_PATH_ENDING_CHAR}|(?:{_balanced(_LIBRARY_PATH_CHAR)})"
    path = (
        f"(?:(?:{_PATH_CHAR}*(?:{_balanced(_PATH_CHAR)}{_PATH_CHAR}*)*(?:{ending}))"
        f"|(?:{_PATH_CHAR}+/))"
    )
    query_char = f"[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@^{_UCHARS}]"
    query_end = f"[a-z0-9_&=#/\\-{_UCHARS}]"
    return regex.compile(
        f"(?P<before>{_PRECEDING})"
        f"(?P<url>(?P<protocol>(?:{_PROTOCOLS})://)?(?P<domain>{domain})"
        f"(?::[0-9]+)?(?:/{path}*)?(?:\\?{query_char}*{query_end})?)",
        regex.IGNORECASE | regex.V0,
    )


def _idna_ok(domain: str, url: str) -> bool:
    """twitter-text's is_valid_domain: the domain converts to ASCII and the URL stays short."""
    try:
        encoded = domain.encode("idna")
    except UnicodeError:
        return False
    return len(url) + max(len(encoded) - len(domain), 0) <= MAX_URL_LENGTH


def urls(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL with a protocol, as Ruby's String#scan finds them."""
    if ":" not in text:
        return []
    found = []
    for match in _valid_url().finditer(text):
        if match.group("protocol") is None:
            continue  # a URL without protocol is skipped, but the scan goes on after it
        start, end = match.span("url")
        tco = _TCO.match(match.group("url"))
        if tco:  # a t.co link keeps no more than its slug
            if len(tco.group(1)) > MAX_TCO_SLUG:
                continue
            end = start + tco.end()
        if _idna_ok(match.group("domain"), text[start:end]):
            found.append((start, end))
    return found


def mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, local part) of every mention Mastodon's Extractor finds."""
    if "@" not in text and "\uff20" not in text:
        return []
    found = []
    for match in _MENTION.finditer(text):
        if _END_MENTION.match(text, match.end()):
            continue
        user, _, domain = match.group(1).partition("@")
        if len(domain) > MAX_DOMAIN_LENGTH:
            continue
        found.append((match.start(), match.end(), user))
    return found


def status_length(text: str, spoiler_text: str = "", url_length: int = 23) -> int:
    if _BLANK.fullmatch(text):
        countable = ""
    else:
        entities = sorted(
            [(start, end, "x" * url_length) for start, end in urls(text)]
            + [(start, end, "@" + user) for start, end, user in mentions(text)]
        )
        kept: list[tuple[int, int, str]] = []
        for entity in entities:
            if not kept or kept[-1][1] <= entity[0]:
                kept.append(entity)
        pieces, position = [], 0
        for start, end, replacement in kept:
            pieces += [text[position:start], replacement]
            position = end
        countable = "".join(pieces) + text[position:]
    return len(_GRAPHEME.findall(spoiler_text + countable))
