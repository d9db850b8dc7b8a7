"""Who from the consent register a text names: full names, pupils' first names, known handles.

The index is built once per CheckContext (`register_index(ctx)`) because the check runs on every
keystroke against registers of thousands of people. Names are kept in a trie of word tokens, so
finding them costs one scan of the text's capitalised words plus a dictionary step per word that
starts a known name, whatever the size of the register.

A single name keeps its capitals (the pupil "Roos" is not "een rode roos", "Jan" is not
"januari" or "Janssen"); a tussenvoegsel matches in either case ("Noor Van Dijk", "Van Dijk, Noor").
A full name of two words or more is found in any case, because nobody writes "NOOR VAN DIJK" or
"noor van dijk" meaning anything else: a second trie holds the full names case-folded.
Possessives count as the name: "Sems", "Noor's", "Anouks", "Thomas'".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from app.rules.model import CheckContext, RegisterPerson
from app.rules.words import distinct_words

PUPIL = "pupil"
SOCIAL_MEDIA = "sociale media"  # the consent purpose that covers posting on social media

_SPACE = "[ \t\u00a0]"
_LETTERS = r"[^\W\d_]"
_WORD = rf"{_LETTERS}+(?:[-'’]{_LETTERS}+)*"
# The next name part after a name part: separated by spaces, or by a comma in "Van Dijk, Noor".
_STEP = re.compile(rf"(?:{_SPACE}{{0,2}}(,){_SPACE}{{0,2}}|{_SPACE}{{1,3}})(['’]?{_WORD})(?!\w)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


@dataclass(frozen=True)
class NameMatch:
    """A register name in a text. `full` is False for a pupil's first name on its own."""

    start: int
    end: int
    people: tuple[RegisterPerson, ...]
    full: bool


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    full: list[RegisterPerson] = field(default_factory=list)
    first: list[RegisterPerson] = field(default_factory=list)

    def child(self, token: str) -> _Node:
        node = self.children.get(token)
        if node is None:
            node = self.children[token] = _Node()
        return node


class RegisterIndex:
    """The register's names (a token trie) and pupils' handles, for fast lookups in a text."""

    def __init__(self, people: Iterable[RegisterPerson]):
        self._root = _Node()
        self._folded_root = _Node()  # full names only, case-folded
        self._tussenvoegsels: set[str] = set()
        self.pupils_by_handle: dict[str, RegisterPerson] = {}
        for person in people:
            self._add(person)
            if person.role == PUPIL:
                for handle in person.handles.values():
                    key = handle_key(handle)
                    if key:
                        self.pupils_by_handle.setdefault(key, person)
        # Only words that can start a name are looked at: those with a known first letter.
        initials = "".join(re.escape(c) for c in sorted({t[0] for t in self._root.children}))
        self._roots = (
            # The look-behind comes after the first letter so the scan can skip ahead by letter.
            re.compile(rf"[{initials}](?<![\w@#'’-].){_LETTERS}*(?:[-'’]{_LETTERS}+)*(?!\w)")
            if initials
            else None
        )

    def _add(self, person: RegisterPerson) -> None:
        first = _name_tokens(person.first_name)
        tv = [t.lower() for t in _tokens(person.tussenvoegsel)]
        self._tussenvoegsels.update(t.casefold() for t in tv)
        last = _name_tokens(person.last_name)
        if not first:
            return
        forms = [first + tv + last]
        if last:
            # Surname first, as in lists: "Van Dijk, Noor" and "Dijk, Noor van".
            surname = [_capitalised(t) for t in tv[:1]] + tv[1:] + last
            forms.append([*surname, ",", *first])
            if tv:
                forms.append([*last, ",", *first, *tv])
        for form in forms:
            self._insert(form).full.append(person)
            self._insert([t.casefold() for t in form], self._folded_root).full.append(person)
        if person.role == PUPIL:
            self._insert(first).first.append(person)

    def _insert(self, tokens: list[str], root: _Node | None = None) -> _Node:
        node = self._root if root is None else root
        for token in tokens:
            node = node.child(token)
        return node

    def find_names(self, text: str) -> list[NameMatch]:
        """Every register name in `text`, leftmost-longest, not overlapping."""
        if self._roots is None:
            return []
        matches: list[NameMatch] = []
        covered = 0
        is_root = self._root.children.get
        for root in self._roots.finditer(text):
            token = root.group()
            # Most capitalised words start no name: leave them at one dictionary look-up.
            if root.start() < covered or (
                is_root(token) is None and token[-1] != "s" and token.isascii()
            ):
                continue
            match = self._walk(text, root.start(), root.end(), token, _lookup, self._root)
            if match is not None:
                matches.append(match)
                covered = match.end
        return self._with_other_cases(text, matches)

    def _with_other_cases(self, text: str, matches: list[NameMatch]) -> list[NameMatch]:
        """`matches` and the full names written in other capitals ("NOOR VAN DIJK"), leftmost
        and longest first, not overlapping."""
        found = []
        covered = 0
        # A word's turn depends on the word alone: each distinct word is judged once, and a text
        # whose words start no full name in other capitals (most texts) is done.
        candidates = {w for w in distinct_words(text, _ANY_WORD) if self._may_start_other_case(w)}
        for word in _ANY_WORD.finditer(text) if candidates else ():
            if word.start() < covered or word.group() not in candidates:
                continue
            match = self._walk(
                text, word.start(), word.end(), word.group(), _folded_lookup, self._folded_root
            )
            if match is not None and match.full:
                found.append(match)
                covered = match.end
        if not found:
            return matches
        kept: list[NameMatch] = []
        for match in sorted(matches + found, key=lambda m: (m.start, -(m.end - m.start))):
            if kept and match.start < kept[-1].end:
                continue
            kept.append(match)
        return kept

    def _may_start_other_case(self, word: str) -> bool:
        """Whether `word` may start a full name written in other capitals than the register's."""
        folded = word.casefold()
        if folded not in self._folded_root.children:
            return False
        if word in self._root.children and not word.isupper():
            return False  # written as in the register: the first pass read it
        # "de", "van" in running text; "VAN DIJK, NOOR" is still read
        return not (word.islower() and folded in self._tussenvoegsels)

    def _walk(
        self, text: str, start: int, end: int, token: str, lookup: _Lookup, root: _Node
    ) -> NameMatch | None:
        best: tuple[int, _Node] | None = None
        node, possessive = lookup(root, token)
        while node is not None:
            if node.full or node.first:
                best = (end, node)
            if possessive:
                break
            step = _STEP.match(text, end)
            if step is None:
                break
            after_comma = node.children.get(",") if step.group(1) else node
            if after_comma is None:
                break
            node, possessive = lookup(after_comma, step.group(2))
            end = step.end()
        if best is None:
            return None
        end, node = best
        if text.startswith(("'", "’"), end) and not text[end + 1 : end + 2].isalnum():
            end += 1  # "Thomas'"
        if node.full:
            return NameMatch(start, end, tuple(node.full), True)
        return NameMatch(start, end, tuple(node.first), False)


def register_index(ctx: CheckContext) -> RegisterIndex:
    """The index of `ctx.people`, built on first use and kept for the context's lifetime."""
    return ctx.cached("names.register_index", lambda: RegisterIndex(ctx.people))


def handle_key(handle: str) -> str:
    """A handle as compared: lower case, no leading "@", a profile URL reduced to its handle.

    "@Noor.bsky.social" -> "noor.bsky.social"; "@noor@mastodon.nl" -> "noor@mastodon.nl";
    "https://mastodon.nl/@noor" -> "noor@mastodon.nl"; "https://x.com/Noor_12" -> "noor_12".
    """
    key = handle.strip().lower()
    url = _PROFILE_URL.fullmatch(key)
    if url is not None:
        return profile_handle(url.group("host"), url.group("path")) or ""
    return key.lstrip("@").rstrip(".")


_PROFILE_URL = re.compile(r"(?:https?://)?(?P<host>[\w.-]+\.[a-z]{2,})(?P<path>/\S*)")
# First path segments that are pages of a network, not somebody's profile.
_NOT_PROFILES = frozenset({
    "home", "search", "explore", "hashtag", "intent", "share", "status", "watch", "p", "reel",
    "reels", "tag", "tags", "i", "about", "help", "login", "signup", "settings", "notifications",
    "messages", "groups", "events", "pages", "marketplace", "sharer", "policies", "privacy",
    "legal", "feed", "jobs", "company", "school",
})  # fmt: skip
_PROFILE_HOSTS = frozenset({
    "x.com", "twitter.com", "instagram.com", "facebook.com", "fb.com", "tiktok.com",
    "threads.net", "threads.com", "youtube.com", "linkedin.com", "snapchat.com", "bsky.app",
})  # fmt: skip


def profile_handle(host: str, path: str) -> str | None:
    """The handle a profile URL points at, or None when the URL is not a profile.

    Known networks use their own path shapes (bsky.app/profile/<handle>, linkedin.com/in/<name>,
    x.com/<name>); elsewhere a first segment "@user" is a fediverse profile: "user@host".
    """
    host = host.lower().removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    segments = [s for s in path.lower().split("?")[0].split("#")[0].split("/") if s]
    if not segments:
        return None
    head = segments[0]
    if host == "bsky.app":
        return segments[1] if head == "profile" and len(segments) > 1 else None
    if host == "linkedin.com":
        return segments[1] if head == "in" and len(segments) > 1 else None
    if host in _PROFILE_HOSTS:
        name = head.lstrip("@")
        return name if name and head not in _NOT_PROFILES else None
    if head.startswith("@") and len(head) > 1:
        return f"{head[1:]}@{host}"
    return None


_ANY_WORD = re.compile(rf"(?<![\w@#'’-]){_WORD}(?!\w)")
_Lookup = Callable[[_Node, str], tuple[_Node | None, bool]]


def _folded_lookup(node: _Node, token: str) -> tuple[_Node | None, bool]:
    """The child for a text token in the case-folded trie; the flag says a possessive ends it."""
    folded = token.translate(_APOSTROPHES).casefold()
    found = node.children.get(folded)
    if found is not None:
        return found, False
    for ending in ("'s", "s"):
        if folded.endswith(ending) and len(folded) > len(ending):
            found = node.children.get(folded[: -len(ending)])
            if found is not None and found.full:
                return found, True
    return None, False


def _lookup(node: _Node, token: str) -> tuple[_Node | None, bool]:
    """The child for a text token: as written, with a lower-case first letter (a capitalised
    tussenvoegsel), or without a possessive ending. The flag says the name ends here."""
    found = node.children.get(token)
    if found is not None:
        return found, False
    if not token.isascii():
        token = token.translate(_APOSTROPHES)
        found = node.children.get(token)
        if found is not None:
            return found, False
    lowered = token[0].lower() + token[1:]
    if lowered != token:
        found = node.children.get(lowered)
        if found is not None:
            return found, False
    for ending in ("'s", "s"):
        if token.endswith(ending) and len(token) > len(ending):
            found = node.children.get(token[: -len(ending)])
            if found is not None and (found.full or found.first):
                return found, True
    return None, False


def _tokens(part: str) -> list[str]:
    return part.translate(_APOSTROPHES).split()


def _name_tokens(part: str) -> list[str]:
    """Name parts as they are written in a text: a register in all capitals or all lower case
    ("NOOR", "noor") is written "Noor" in a post."""
    return [_capitalised(t) if t.islower() or t.isupper() else t for t in _tokens(part)]


def _capitalised(token: str) -> str:
    if token.isupper() or token.islower():
        token = token.lower()
    return token[:1].upper() + token[1:]
