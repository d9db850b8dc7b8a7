"""What the rules engine works with: findings, hits, the check context, and the rule protocols."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from app.compose.post import Draft, Variant
from app.site.config import Site

BLOCK, WARN, INFO = "block", "warn", "info"
SEVERITY_ORDER = {INFO: 0, WARN: 1, BLOCK: 2}


def stricter(a: str, b: str) -> str:
    return a if SEVERITY_ORDER[a] >= SEVERITY_ORDER[b] else b


@dataclass(frozen=True)
class Finding:
    """One thing the code of conduct asks of this post.

    `message` is Dutch and leads with what to do; `articles` names where it comes from.
    `span` is (start, end) in code points of the text it was found in: the draft's text, or, when
    `account_id` is set and that account has its own text, that text.
    """

    rule: str
    articles: tuple[str, ...]
    severity: str
    message: str
    span: tuple[int, int] | None = None
    account_id: str | None = None
    network: str | None = None
    fix: str | None = None  # a one-click remedy the UI may offer, e.g. "remove_hidden_characters"
    media: int | None = None  # the photo or video it is about: its number in the draft, from 1


@dataclass(frozen=True)
class Hit:
    """A text rule's raw result; the engine turns it into a Finding."""

    start: int
    end: int
    severity: str
    message: str
    fix: str | None = None


@dataclass(frozen=True)
class RegisterPerson:
    """A person from the consent register, as far as the rules need to know them."""

    id: str
    first_name: str
    last_name: str
    role: str  # "pupil", "staff", "parent", "other"
    school_id: str
    tussenvoegsel: str = ""
    group: str = ""
    handles: dict[str, str] = field(default_factory=dict)  # network id -> handle, only where known
    consented_purposes: frozenset[str] = frozenset()  # purposes with valid consent this school year

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.tussenvoegsel, self.last_name) if p)


@dataclass
class CheckContext:
    """Everything a rule may look at besides the draft. Build it once, reuse it per keystroke."""

    site: Site
    at: datetime
    people: list[RegisterPerson] = field(default_factory=list)
    suspended_accounts: frozenset[str] = frozenset()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """A value built once per context (an index of names, a compiled pattern)."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]


class TextRule(Protocol):
    """A rule that reads one text; the engine runs it over the draft's text and each custom text."""

    # Read-only, so that a rule's plain class attributes (`id = "tone"`) satisfy the protocol.
    @property
    def id(self) -> str: ...

    @property
    def articles(self) -> tuple[str, ...]: ...

    def find(self, text: str, ctx: CheckContext) -> Iterable[Hit]: ...


class DraftRule(Protocol):
    """A rule that needs the whole draft: the variants per account, the moment, the media."""

    # Read-only, so that a rule's plain class attributes (`id = "tone"`) satisfy the protocol.
    @property
    def id(self) -> str: ...

    @property
    def articles(self) -> tuple[str, ...]: ...

    def check(
        self, draft: Draft, variants: list[Variant], ctx: CheckContext
    ) -> Iterable[Finding]: ...
