"""The articles of the code of conduct, as the rules cite them ("Communiceren 14", "ons 11-tal 5").

The texts live in resources/articles.json, copied verbatim from gedragsregels-sociale-media.txt
(a test compares the two, so a change in the code of conduct is noticed). They are Dutch and are
shown as they are: the code of conduct is a Dutch document and is not translated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from resources import resource_path

ARTICLES_FILE = resource_path("articles.json")


@dataclass(frozen=True)
class Section:
    """One chapter of the code of conduct ("Communiceren", "ONS 11-TAL") with its articles in order."""

    title: str
    article_ids: tuple[str, ...]
    subtitle: str = ""


@dataclass(frozen=True)
class _CodeOfConduct:
    sections: tuple[Section, ...]
    texts: Mapping[str, str]  # article id -> text, in document order
    section_of: Mapping[str, Section]


class UnknownArticleError(ValueError):
    """An article id that the code of conduct does not have (a typo in a rule's `articles`)."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        super().__init__("unknown article id(s): " + ", ".join(repr(i) for i in ids))


@cache
def _load() -> _CodeOfConduct:
    """Reads the file once per process; the texts never change while the app runs."""
    raw = json.loads(ARTICLES_FILE.read_text(encoding="utf-8"))
    sections = []
    texts: dict[str, str] = {}
    section_of: dict[str, Section] = {}
    for entry in raw["sections"]:
        articles: dict[str, str] = entry["articles"]
        section = Section(
            title=entry["title"],
            article_ids=tuple(articles),
            subtitle=entry.get("subtitle") or "",
        )
        sections.append(section)
        for article_id, text in articles.items():
            if article_id in texts:
                raise ValueError(f"{ARTICLES_FILE}: article id {article_id!r} occurs twice")
            texts[article_id] = text
            section_of[article_id] = section
    return _CodeOfConduct(
        sections=tuple(sections),
        texts=MappingProxyType(texts),
        section_of=MappingProxyType(section_of),
    )


def all_articles() -> Mapping[str, str]:
    """Every article, id -> Dutch text, in the order of the document (read-only)."""
    return _load().texts


def sections() -> tuple[Section, ...]:
    """The chapters in the order of the document, each with its article ids."""
    return _load().sections


def article_text(article_id: str) -> str:
    """The verbatim text of one article; raises UnknownArticleError for an id that does not exist."""
    try:
        return _load().texts[article_id]
    except KeyError:
        raise UnknownArticleError([article_id]) from None


def section_of(article_id: str) -> Section:
    """The chapter an article belongs to; raises UnknownArticleError for an unknown id."""
    try:
        return _load().section_of[article_id]
    except KeyError:
        raise UnknownArticleError([article_id]) from None


def is_article(article_id: str) -> bool:
    return article_id in _load().texts


def unknown_articles(article_ids: Iterable[str]) -> list[str]:
    """The ids among `article_ids` that the code of conduct does not have, in the order given."""
    texts = _load().texts
    return [i for i in article_ids if i not in texts]


def require_articles(article_ids: Iterable[str]) -> None:
    """Raises UnknownArticleError naming every unknown id; for checking a rule's `articles`."""
    unknown = unknown_articles(article_ids)
    if unknown:
        raise UnknownArticleError(unknown)
