"""How each network counts the length of a text.

Bluesky and Mastodon count extended grapheme clusters; the `regex` module's \\X agrees with the
official Bluesky client (the `grapheme` package, on an older Unicode, does not).

X counts the way its official JavaScript library twitter-text 3 does (config v3), re-implemented
here and checked against that library by tests/app/test_textcount.py: the text is NFC-normalised;
every URL twitter-text finds, also one without a scheme such as `scoh.nl/nieuws`, weighs 23; every
emoji sequence twemoji-parser knows weighs 2; any other UTF-16 code unit weighs 1 in the light
ranges and 2 elsewhere (a surrogate pair counts once). twitter-text works on UTF-16 code units and
so does this module where it matters. Its data (TLD lists, emoji pattern) lives in resources/.

twitter-text finds URLs with one large backtracking regex, which takes quadratic time on long runs
of letters (Chinese or Thai prose) and long dotted chains. Here the domain part is decided from a
table of the text's labels instead, so a 100,000-character paste stays fast; the few smaller
regexes that remain are the library's own pieces. Where a URL-like run is longer than any valid
URL (4,096 units) its exact extent may differ from twitter-text's; it counts the same.
"""

from __future__ import annotations

import bisect
import json
import re
import string
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from resources import resource_path

if TYPE_CHECKING:
    import regex


class _Lazy:
    """A pattern of the `regex` module, compiled on first use: start-up pays only for what the
    first screen counts, and the module itself (some 25 ms) is imported on the first count."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            import regex

            self._compiled = regex.compile(*self._source)
        return getattr(self._compiled, name)


_GRAPHEME = _Lazy(r"\X")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")


def graphemes(text: str) -> int:
    """Extended grapheme clusters (\\X). Between two ASCII characters the only cluster is CR LF,
    so \\X (slow: about 150 ns a character) only runs around the non-ASCII parts, with one ASCII
    character of context on each side (a mark joins the letter before it, a prepend the one after)."""
    if text.isascii():
        return len(text) - text.count("\r\n")
    count = done = 0
    start = end = -1
    for run in _NON_ASCII_RUN.finditer(text):
        low, high = max(run.start() - 1, 0), min(run.end() + 1, len(text))
        if low and text[low - 1 : low + 1] == "\r\n":
            low -= 1
        if text[high - 1 : high + 1] == "\r\n":
            high += 1
        if low <= end:
            end = high
            continue
        if end >= 0:
            count += len(_GRAPHEME.findall(text, start, end))
            done = end
        count += low - done - text.count("\r\n", done, low)
        start, end = low, high
    count += len(_GRAPHEME.findall(text, start, end))
    return count + len(text) - end - text.count("\r\n", end)


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8", errors="surrogatepass"))


def utf16_units(text: str) -> int:
    """Length as Java and JavaScript strings count it; the safe reading of "characters" for a
    network that does not document its unit (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


@dataclass(frozen=True)
class UrlSpan:
    """A URL twitter-text finds: `text[start:end]` in code points. `url` is the library's value,
    which for a scheme-less domain preceded by letters keeps only the ASCII domain."""

    start: int
    end: int
    url: str


# --- Character classes of twitter-text (regexp/*.js), as sets of UTF-16 code units ---------------

_SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u180e" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACES += "\u2028\u2029\u202f\u205f\u3000"
_PUNCTUATION = "!'#%&()*+,\\-./:;<=>?@[]^_{|}~$"
_INVALID = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u202a\u202b\u202c\u202d\u202e\u061c\u200e\u200f\u2066\u2067\u2068\u2069"
# validDomainChars is "anything but these"; a domain label may also hold "_" and "-" inside.
_NOT_DOMAIN = frozenset(_PUNCTUATION + _SPACES + _INVALID + _DIRECTIONAL)
# validUrlPrecedingChars: what may stand right before a URL (the directional marks already may).
_NOT_BEFORE = frozenset(string.ascii_letters + string.digits + "@\uff20$#\uff03" + _INVALID)
_LATIN_ACCENTS = (
    "".join(map(chr, range(0xC0, 0xD7)))
    + "".join(map(chr, range(0xD8, 0xF7)))
    + "".join(map(chr, range(0xF8, 0x250)))
    + "\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb"
    + "".join(map(chr, range(0x300, 0x370)))
    + "".join(map(chr, range(0x1E00, 0x1F00)))
)
_CYRILLIC = "".join(map(chr, range(0x400, 0x500)))
_LOWER = string.ascii_lowercase
_PATH_CHARS = _LOWER + _CYRILLIC + string.digits + "!*';:=+,.$/%#[]-\u2013_~@|&" + _LATIN_ACCENTS
_PATH_END_CHARS = "+-" + _LOWER + _CYRILLIC + string.digits + "=_#/" + _LATIN_ACCENTS
_QUERY_CHARS = _LOWER + string.digits + "!?*'@();:&=+$/%#[]-_.,~|"
_QUERY_END_CHARS = _LOWER + string.digits + "-_&=#/"
_ASCII_LABEL_CHARS = "-" + _LOWER + string.digits + _LATIN_ACCENTS

MAX_URL_LENGTH = 4096  # twitter-text's limit, protocol included
_MAX_LABEL_LENGTH = 63  # after punycode
_MAX_TCO_SLUG = 40
_URL_WEIGHT = 23
_EMOJI_WEIGHT = 2


def _escape(char: str) -> str:
    point = ord(char)
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def _class(chars: Iterable[str], negate: bool = False) -> str:
    """A regex character class of exactly these characters, as compact ranges."""
    points = sorted({ord(c) for c in chars})
    parts, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        low, high = chr(points[i]), chr(points[j])
        parts.append(_escape(low) if i == j else f"{_escape(low)}-{_escape(high)}")
        i = j + 1
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


_BEFORE_CHAR = _class(_NOT_BEFORE, negate=True)
# twitter-text's regexes carry the `i` flag; ASCII letters fold through IGNORECASE|ASCII, and the
# few non-ASCII letters in its classes through _js_case_closure (JavaScript folds differently).
_CI = re.IGNORECASE | re.ASCII
_PROTOCOL = re.compile(r"https?://", _CI)


@dataclass(frozen=True)
class _DomainChars:
    """What a domain may hold, and the patterns that find its labels."""

    excluded: frozenset[str]
    junction: re.Pattern[str]  # a dot inside a domain: a domain character follows it
    label_run: re.Pattern[str]
    url_start: re.Pattern[str]  # a domain character right after a valid preceding character

    @classmethod
    def without(cls, excluded: frozenset[str]) -> _DomainChars:
        domain_char = _class(excluded, negate=True)
        label_char = _class(excluded - {"_", "-"}, negate=True)
        return cls(
            excluded,
            re.compile(f"\\.(?={domain_char})", _CI),
            re.compile(f"{label_char}*+", _CI),
            re.compile(f"(?<={_BEFORE_CHAR}){domain_char}", _CI),
        )


_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_SPLIT = re.compile("([\U00010000-\U0010ffff])")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")
# X's config v3: these code units weigh 1, all others 2.
_HEAVY = re.compile("[^\x00-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_PUNYCODE_SEPARATOR = re.compile("[.\u3002\uff0e\uff61]")
_NOT_PRINTABLE_ASCII = re.compile("[^\x20-\x7e]")


def _js_canonical(char: str) -> str:
    """What JavaScript compares under a non-unicode `i` regex (ECMAScript Canonicalize)."""
    upper = char.upper()
    if len(upper) != 1 or (ord(char) >= 0x80 and ord(upper) < 0x80):
        return char
    return upper


@cache
def _js_case_groups() -> dict[str, frozenset[str]]:
    """Non-ASCII characters that JavaScript's `i` flag treats as equal, keyed by canonical form."""
    groups: dict[str, set[str]] = {}
    for point in range(0x80, 0x10000):
        if 0xD800 <= point <= 0xDFFF:
            continue
        char = chr(point)
        canonical = _js_canonical(char)
        if canonical != char:
            groups.setdefault(canonical, {canonical}).add(char)
    return {key: frozenset(chars) for key, chars in groups.items()}


def _js_case_group(char: str) -> frozenset[str]:
    if char.isascii():
        return frozenset({char})
    return _js_case_groups().get(_js_canonical(char), frozenset({char}))


def _js_case_closure(chars: str) -> str:
    """The characters a JavaScript `[...]`/i class of `chars` matches (ASCII folding aside)."""
    closed: set[str] = set()
    for char in chars:
        closed |= _js_case_group(char)
    return "".join(closed)


def _trie_pattern(words: list[str]) -> str:
    """One regex matching any of `words`, longest first, case-insensitive as JavaScript is.

    twitter-text lists a longer TLD before any TLD that is its prefix (tests check this), so the
    longest-first order of a trie is the order its alternation tries them in."""

    def key(char: str) -> str:
        return char.lower() if char.isascii() else _js_canonical(char)

    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(key(char), {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = []
        for char in sorted(k for k in node if k):
            group = _js_case_group(char)
            head = re.escape(char) if len(group) == 1 else _class(group)
            branches.append(head + emit(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _read_tlds(name: str) -> list[str]:
    lines = resource_path(name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class _TwitterPatterns:
    tld: re.Pattern[str]
    rest: re.Pattern[str]
    tco: re.Pattern[str]
    ascii_domain: re.Pattern[str]
    ascii_label_char: re.Pattern[str]
    ascii_label_start: re.Pattern[str]
    ascii_chain: re.Pattern[str]
    emoji: re.Pattern[str]
    emoji_start: re.Pattern[str]


@cache
def _tld_tries() -> tuple[str, str]:
    return (
        _trie_pattern(_read_tlds("x-tlds-generic.txt")),
        _trie_pattern(_read_tlds("x-tlds-country.txt")),
    )


def _tld_pattern(punycode: str) -> str:
    after_tld = r"(?=[^0-9a-zA-Z@+\-]|\Z)"
    generic, country = _tld_tries()
    return f"(?:{generic}){after_tld}|(?:{country}){after_tld}|{punycode}"


@cache
def _patterns() -> _TwitterPatterns:
    """Built on first use (about 50 ms): the TLD tries and the case-folded classes."""
    tld = _tld_pattern(r"xn--[\-0-9a-z]+")
    path_char = _class(_js_case_closure(_PATH_CHARS))
    path_end = _class(_js_case_closure(_PATH_END_CHARS))
    query = f"\\?{_class(_QUERY_CHARS)}*{_class(_QUERY_END_CHARS)}"
    # validUrlBalancedParens, validUrlPathEndingChars and validUrlPath, pasted together as
    # twitter-text does (its ending alternative escapes the surrounding group; kept as is).
    balanced = f"\\((?:{path_char}+|(?:{path_char}*\\({path_char}+\\){path_char}*))\\)"
    ending = f"{path_end}|(?:{balanced})"
    path = f"(?:(?:{path_char}*(?:{balanced}{path_char}*)*{ending})|(?:@{path_char}+/))"
    ascii_label = _class(_js_case_closure(_ASCII_LABEL_CHARS))
    emoji = json.loads(resource_path("x-emoji.json").read_text(encoding="utf-8"))
    return _TwitterPatterns(
        tld=re.compile(tld, _CI),
        rest=re.compile(f"(?::([0-9]+))?(/{path}*)?({query})?", _CI),
        tco=re.compile(f"https?://t\\.co/([a-z0-9]+)(?:{query})?", _CI),
        ascii_domain=re.compile(f"(?:{ascii_label}+\\.)+(?:{tld})", _CI),
        ascii_label_char=re.compile(ascii_label, _CI),
        ascii_label_start=re.compile(f"(?<!{ascii_label}){ascii_label}", _CI),
        ascii_chain=re.compile(f"(?:{ascii_label}++\\.)*+{ascii_label}*+", _CI),
        emoji=re.compile(emoji["pattern"]),
        emoji_start=re.compile(emoji["start"]),
    )


# --- URL extraction (extractUrlsWithIndices) ------------------------------------------------------


def _always(match: re.Match[str] | None) -> re.Match[str]:
    """The match of a pattern that also matches the empty string, so it is never None."""
    assert match is not None
    return match


class _Found(NamedTuple):
    start: int
    end: int
    url: str


class _Labels:
    """The labels of a text and, per label, whether a domain can start in it and where it ends.

    twitter-text's domain pattern is (subdomain.)*(name.)(tld): labels of domain characters, "_"
    and "-" that start and end with a domain character (no "_" in the name), each followed by a
    dot, then a TLD. Being greedy it takes the most labels after which a TLD follows. So whether a
    domain starting in run k matches, and where it ends, depends on k's own first label and on one
    answer per later run: computed once here, right to left, instead of per starting position."""

    def __init__(self, text: str, dots: list[int], tld: re.Pattern[str], chars: _DomainChars):
        """`dots`: the junctions in `text`; only the run before one can be a label."""
        self.text = text
        self.chars = chars
        not_domain = chars.excluded
        backwards, length = text[::-1], len(text)
        self.runs = []
        for dot in dots:
            run = _always(chars.label_run.match(backwards, length - dot)).end() - (length - dot)
            if run:
                self.runs.append((dot - run, dot))
        self.by_start = {start: k for k, (start, _end) in enumerate(self.runs)}
        count = len(self.runs)
        self.next: list[int | None] = [None] * count
        self.last_underscore = [0] * count
        self.tld_end: list[int | None] = [None] * count
        self.ends_well = [False] * count
        best: list[int | None] = [None] * count
        for k in range(count - 1, -1, -1):
            start, end = self.runs[k]
            self.next[k] = self.by_start.get(end + 1)
            self.last_underscore[k] = text.rfind("_", start, end)
            found = tld.match(text, end + 1)
            self.tld_end[k] = found.end() if found else None
            self.ends_well[k] = text[end - 1] not in not_domain
            subdomain = self.ends_well[k] and text[start] not in not_domain
            later = self.next[k]
            if subdomain and later is not None:
                best[k] = best[later]
            if best[k] is None and subdomain and self.last_underscore[k] < start and found:
                best[k] = k
        self.best = best  # per run: the run whose TLD ends the domain, if one does

    def domain_end(self, k: int, start: int) -> int | None:
        """End of the domain whose first label starts at `start` inside run k, or None."""
        if self.text[start] in self.chars.excluded or not self.ends_well[k]:
            return None
        later = self.next[k]
        best = self.best[later] if later is not None else None
        if best is not None:
            return self.tld_end[best]
        if self.last_underscore[k] < start and self.tld_end[k] is not None:
            return self.tld_end[k]
        return None

    def first_start(self, k: int, low: int, search_from: int) -> int | None:
        """The first place in run k, at or after `low`, where the URL pattern (searching from
        `search_from`) starts a URL whose domain matches."""
        text, not_domain = self.text, self.chars.excluded
        run_end = self.runs[k][1]
        if not self.ends_well[k]:
            return None
        later = self.next[k]
        if later is None or self.best[later] is None:
            if self.tld_end[k] is None:
                return None
            low = max(low, self.last_underscore[k] + 1)  # a one-label name has no "_"
        if search_from == 0 and low <= 1:
            # At position 0 the pattern first tries "preceding character, URL at 1", then "^".
            if low <= 1 < run_end and text[0] not in _NOT_BEFORE and text[1] not in not_domain:
                return 1
            if low == 0 and text[0] not in not_domain:
                return 0
            low = 2
        if low >= run_end:
            return None
        found = self.chars.url_start.search(text, low, run_end)
        return found.start() if found else None


def _punycode_length(label: str) -> int:
    """Length of punycode.toASCII(label) as twitter-text's idna check computes it."""
    parts = _PUNYCODE_SEPARATOR.split(label)
    total = len(parts) - 1  # the separators, all written as "."
    for part in parts:
        if _NOT_PRINTABLE_ASCII.search(part):
            points = part.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
            total += 4 + len(points.encode("punycode"))
        else:
            total += len(part)
    return total


def _ascii_domains(domain: str) -> Iterator[re.Match[str]]:
    """The matches of twitter-text's global validAsciiDomain regex in `domain`, left to right.

    A failed attempt fails for every later start in the same chain of labels, so the search skips
    the chain instead of retrying each position (which is quadratic on a long chain)."""
    p = _patterns()
    position, length = 0, len(domain)
    while position < length:
        if p.ascii_label_char.match(domain, position):
            start = position
        else:
            found = p.ascii_label_start.search(domain, position)
            if not found:
                return
            start = found.start()
        match = p.ascii_domain.match(domain, start)
        if match:
            yield match
            position = match.end()
        else:
            position = max(_always(p.ascii_chain.match(domain, start)).end(), start + 1)


def _idna_valid(domain: str) -> bool:
    if domain[:4] == "xn--" and next(_ascii_domains(domain), None) is None:
        return False
    labels = domain.split(".")
    if not _NOT_PRINTABLE_ASCII.search(domain):  # punycode leaves printable ASCII as it is
        return all(0 < len(label) <= _MAX_LABEL_LENGTH for label in labels)
    for label in labels:
        # Every code point yields at least one character, so a long label cannot fit.
        if len(label) > 2 * _MAX_LABEL_LENGTH:
            return False
        if not 1 <= _punycode_length(label) <= _MAX_LABEL_LENGTH:
            return False
    return True


class _Dialect(NamedTuple):
    """One flavour of twitter-text's extractor: X's JavaScript library as it is, or the Ruby
    library with the patterns Mastodon changes."""

    chars: _DomainChars
    protocol: re.Pattern[str]
    tld: re.Pattern[str]
    rest: re.Pattern[str] | regex.Pattern[str]  # port, path and query after the domain
    tco: re.Pattern[str]


@cache
def _x_dialect() -> _Dialect:
    p = _patterns()
    return _Dialect(_DomainChars.without(_NOT_DOMAIN), _PROTOCOL, p.tld, p.rest, p.tco)


def _twitter_urls(
    text: str, with_scheme_only: bool = False, dialect: _Dialect | None = None
) -> list[_Found]:
    """extractUrlsWithIndices over `text`, offsets in its own characters.

    Give X's UTF-16 code units (as one str character each) for X's exact result; Mastodon's Ruby
    version of the same extractor works on code points, so give it the text as is, with
    `_mastodon_dialect()`."""
    if with_scheme_only and ":" not in text:
        return []
    dialect = dialect or _x_dialect()
    dots = [m.start() for m in dialect.chars.junction.finditer(text)]
    if not dots:
        return []
    labels = _Labels(text, dots, dialect.tld, dialect.chars)
    protocols = dialect.protocol
    rest_pattern = dialect.rest
    events = [(max(start - 1, 0), 0, k) for k, (start, _end) in enumerate(labels.runs)]
    events += [(max(m.start() - 1, 0), 1, m.start()) for m in protocols.finditer(text)]
    events.sort()
    found: list[_Found] = []
    position = 0
    for _first, kind, item in events:
        if kind == 0:
            run_start, run_end = labels.runs[item]
            low = run_start if position == 0 else max(run_start, position + 1)
            if low >= run_end:
                continue
            start = labels.first_start(item, low, position)
            if start is None:
                continue
            protocol, domain_start = "", start
            domain_end = labels.domain_end(item, start)
        else:
            start = item
            if (start - 1 if start else 0) < position:
                continue
            if start and text[start - 1] in _NOT_BEFORE:
                continue
            protocol = _always(protocols.match(text, start)).group()
            domain_start = start + len(protocol)
            k = labels.by_start.get(domain_start)
            domain_end = labels.domain_end(k, domain_start) if k is not None else None
        if domain_end is None:
            continue
        # Past the longest valid URL the exact end no longer changes the count (see module doc).
        window = min(len(text), domain_end + MAX_URL_LENGTH + 1)
        rest = _always(rest_pattern.match(text, domain_end, window))
        position = rest.end()
        before = text[start - 1] if start else ""
        domain = text[domain_start:domain_end]
        if protocol or not with_scheme_only:
            _add_url(found, text, start, position, protocol, domain, rest, before, dialect.tco)
    return found


def _add_url(
    found: list[_Found],
    text: str,
    start: int,
    end: int,
    protocol: str,
    domain: str,
    rest: re.Match[str],
    before: str,
    tco_pattern: re.Pattern[str],
) -> None:
    """The body of twitter-text's loop over one regex match."""
    url = text[start:end]
    if not _idna_valid(domain) or len(protocol or "https://") + len(url) > MAX_URL_LENGTH:
        return
    if protocol:
        tco = tco_pattern.match(url)
        if tco:
            if len(tco.group(1)) > _MAX_TCO_SLUG:
                return
            url = tco.group()
            end = start + len(url)
        found.append(_Found(start, end, url))
        return
    if before in ("-", "_", ".", "/"):
        return
    last: _Found | None = None
    ascii_end = 0
    for match in _ascii_domains(domain):
        ascii_domain = match.group()
        ascii_start = domain.find(ascii_domain, ascii_end)  # indexOf, as the library does
        ascii_end = ascii_start + len(ascii_domain)
        last = _Found(start + ascii_start, start + ascii_end, ascii_domain)
        found.append(last)
    if last is not None and rest.group(2):
        found[-1] = _Found(last.start, end, last.url + url[len(domain) :])


# --- X's weighted length (parseTweet) -----------------------------------------------------------


class _SurrogatePairs(dict):
    """Astral character -> its two surrogates, remembered: texts repeat the same emoji."""

    def __missing__(self, char: str) -> str:
        point = ord(char) - 0x10000
        pair = self[char] = chr(0xD800 + (point >> 10)) + chr(0xDC00 + (point & 0x3FF))
        return pair


_PAIRS = _SurrogatePairs()


def _utf16(text: str) -> str:
    """The text with every character outside the BMP written as its two surrogates: one str
    character per UTF-16 code unit, as JavaScript sees the text."""
    if not _ASTRAL.search(text):
        return text
    if len(_PAIRS) > 100_000:
        _PAIRS.clear()
    parts = _ASTRAL_SPLIT.split(text)
    parts[1::2] = map(_PAIRS.__getitem__, parts[1::2])
    return "".join(parts)


def _x_normalized(text: str) -> str:
    if _SURROGATE.search(text):
        # Surrogate halves given separately are one character to JavaScript.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _utf16(text)


def _emoji(units: str) -> dict[int, int]:
    """twemoji-parser's matches: start -> length in code units."""
    p = _patterns()
    found: dict[int, int] = {}
    position = 0
    while candidate := p.emoji_start.search(units, position):
        match = p.emoji.match(units, candidate.start())
        if match:
            found[match.start()] = match.end() - match.start()
            position = match.end()
        else:
            position = candidate.start() + 1
    return found


def _plain_weight(units: str, start: int, end: int, has_pairs: bool) -> int:
    if start >= end:
        return 0
    weight = end - start + len(_HEAVY.findall(units, start, end))
    if has_pairs:
        weight -= 2 * len(_PAIR.findall(units, start, end))  # a pair weighs 2, not 2 + 2
    return weight


def x_weighted_length(text: str) -> int:
    """X's weighted length (limit 280), as twitter-text's parseTweet counts it."""
    units = _x_normalized(text)
    has_pairs = _SURROGATE.search(units) is not None
    entities = {start: (_EMOJI_WEIGHT, length) for start, length in _emoji(units).items()}
    for url in _twitter_urls(units):
        entities[url.start] = (_URL_WEIGHT, len(url.url))
    total = position = 0
    for start in sorted(entities):
        if start < position:
            continue  # inside a URL or emoji already counted
        weight, length = entities[start]
        total += _plain_weight(units, position, start, has_pairs) + weight
        position = start + length
    return total + _plain_weight(units, position, len(units), has_pairs)


def url_spans(text: str, *, require_scheme: bool = False) -> list[UrlSpan]:
    """The URLs twitter-text finds in `text` (with or, unless `require_scheme`, without http(s)://),
    as code-point spans into `text` itself (no normalisation)."""
    units = _utf16(text)
    found = _twitter_urls(units, with_scheme_only=require_scheme)
    if len(units) == len(text):
        return [UrlSpan(f.start, f.end, f.url) for f in found]
    # Map code-unit offsets back: every astral character before an offset took one unit extra.
    extra_at = [m.start() + i + 1 for i, m in enumerate(_ASTRAL.finditer(text))]

    def point(unit: int) -> int:
        return unit - bisect.bisect_right(extra_at, unit - 1)

    def decoded(url: str) -> str:
        return url.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")

    return [UrlSpan(point(f.start), point(f.end), decoded(f.url)) for f in found]


# --- Mastodon (StatusLengthValidator) -------------------------------------------------------------
# Mastodon counts with twitter-text's Ruby extractor, whose patterns it changes in
# config/initializers/twitter_regex.rb: more protocols, a path of anything but white space, <, >,
# (, ) and ? (balanced parentheses allowed, one level nested), a path that does not end in
# sentence punctuation, and a query that may hold any non-ASCII character.

MASTODON_URL_LENGTH = 23  # StatusLengthValidator::URL_PLACEHOLDER_CHARS
_MASTODON_PROTOCOL = re.compile(r"(?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://", _CI)
_MASTODON_PATH_CHAR = r"[^\p{White_Space}<>()?]"
_MASTODON_PATH_END = r"""[^\p{White_Space}()?!*"'「」<>;:=,.$%\[\]~&|@]"""
# twitter_regex.rb's UCHARS: the characters RFC 3987 allows in an IRI's query.
_MASTODON_UCHARS = "".join(
    f"{_escape(chr(low))}-{_escape(chr(high))}"
    for low, high in (
        (0xA0, 0xD7FF),
        (0xF900, 0xFDCF),
        (0xFDF0, 0xFFEF),
        *((plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 14)),
        (0xE1000, 0xEFFFD),
        (0xE000, 0xF8FF),
        (0xF0000, 0xFFFFD),
        (0x100000, 0x10FFFD),
    )
)
# Account::MENTION_RE: @user or @user@domain, not after "=", "/" or a word character.
_WORD = r"\p{L}\p{M}\p{Nd}\p{Pc}"  # Ruby's [[:word:]]
_MASTODON_MENTION = _Lazy(
    rf"(?<![=/{_WORD}])@((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@([{_WORD}]+(?:[.-]+[{_WORD}]+)*))?)"
)
_MAX_MENTION_DOMAIN = 253  # Extractor::MAX_DOMAIN_LENGTH: a longer domain is no mention
# twitter-text's end_mention_match: such a "mention" is part of something else.
_NOT_A_MENTION_END = _Lazy(f"[@\uff20{re.escape(_LATIN_ACCENTS)}]|://")
_BLANK = _Lazy(r"\p{White_Space}*")


@cache
def _mastodon_dialect() -> _Dialect:
    # The Ruby library keeps " ` and the control characters out of a domain too, and its
    # punycode TLD has no hyphen after xn--.
    chars = _DomainChars.without(_NOT_DOMAIN | frozenset('"`\x7f' + "".join(map(chr, range(0x20)))))
    tld = re.compile(_tld_pattern("xn--[0-9a-z]+"), _CI)
    tco = re.compile(r"https?://t\.co/([a-z0-9]+)", _CI)
    return _Dialect(chars, _MASTODON_PROTOCOL, tld, _mastodon_rest(), tco)


def _mastodon_rest() -> regex.Pattern[str]:
    """Port, path and query after a domain, with Mastodon's patterns.

    Mastodon redefines the balanced parentheses after the path's ending characters, so the ending
    still holds the library's own, narrower parentheses (Ruby pastes a pattern in when defined)."""
    import regex

    char = _MASTODON_PATH_CHAR
    balanced = f"\\((?:{char}+|(?:{char}*\\({char}+\\){char}*))\\)"
    accents = _class(_LATIN_ACCENTS)[1:-1]
    library_char = f"[a-z\\p{{Cyrillic}}0-9!*';:=+,.$/%#\\[\\]\\p{{Pd}}_~&|@{accents}]"
    library_balanced = (
        f"\\((?:{library_char}+|(?:{library_char}*\\({library_char}+\\){library_char}*))\\)"
    )
    ending = f"(?:{_MASTODON_PATH_END}|(?:{library_balanced}))"
    path = f"(?:(?:{char}*(?:{balanced}{char}*)*{ending})|(?:{char}+/))"
    query = (
        f"\\?[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@^{_MASTODON_UCHARS}]*"
        f"[a-z0-9_&=#/\\-{_MASTODON_UCHARS}]"
    )
    return regex.compile(f"(?::([0-9]+))?(/{path}*)?({query})?", regex.IGNORECASE | regex.V0)


def mastodon_length(
    text: str, content_warning: str = "", url_weight: int = MASTODON_URL_LENGTH
) -> int:
    """Mastodon's length (default limit 500): graphemes of the content warning plus the text, where
    every URL with a protocol counts `url_weight` (the instance's characters_reserved_per_url; a
    bare domain counts in full) and `@user@domain` counts as `@user`. A text of only white space
    counts nothing, as Rails' `blank?` has it."""
    body = "" if _BLANK.fullmatch(text) else _mastodon_countable(text, url_weight)
    return graphemes(content_warning + body)


def _mastodon_countable(text: str, url_weight: int) -> str:
    # Mastodon's Ruby extractor works on code points, so the text goes in as it is.
    entities = [
        (url.start, url.end, "x" * url_weight)
        for url in _twitter_urls(text, with_scheme_only=True, dialect=_mastodon_dialect())
    ]
    if "@" in text:
        for mention in _MASTODON_MENTION.finditer(text):
            domain = mention.group(2) or ""
            if len(domain) > _MAX_MENTION_DOMAIN or _NOT_A_MENTION_END.match(text, mention.end()):
                continue
            entities.append((mention.start(), mention.end(), "@" + mention.group(1).split("@")[0]))
    if not entities:
        return text
    entities.sort(key=lambda entity: entity[0])
    parts: list[str] = []
    position = 0
    for start, end, replacement in entities:
        if start < position:
            continue  # overlaps the entity before it: twitter-text keeps the first
        parts += (text[position:start], replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


# --- LinkedIn, Instagram, YouTube -----------------------------------------------------------------

_LINKEDIN_RESERVED = re.compile(r"[|{}@\[\]()<>#*_~\\]")
_HASHTAG = _Lazy(r"(?<![\w#＃&])[#＃]\w*[^\W\d_]\w*")
_INSTAGRAM_MENTION = _Lazy(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_ANGLE_BRACKET = re.compile("[<>]")


def linkedin_escape(text: str) -> str:
    """The text for LinkedIn's `commentary`: its "little text" format reserves | { } @ [ ] ( ) < >
    # * _ ~ and the backslash, and silently cuts the post at the first one not escaped."""
    return _LINKEDIN_RESERVED.sub(r"\\\g<0>", text)


def linkedin_length(text: str) -> int:
    """LinkedIn's length (limit 3,000): the escaped text, in UTF-16 code units."""
    return utf16_units(linkedin_escape(text))


def hashtag_count(text: str) -> int:
    """Hashtags as Instagram links them: # and a word with at least one letter (#2026 is none)."""
    return len(_HASHTAG.findall(text))


def mention_count(text: str) -> int:
    """@-mentions of Instagram user names (letters, digits, "." and "_"); an e-mail address is none."""
    return len(_INSTAGRAM_MENTION.findall(text))


def angle_brackets(text: str) -> int:
    """The < and > that YouTube refuses in a title or description."""
    return len(_ANGLE_BRACKET.findall(text))
