"""The articles in resources/articles.json are exactly those of the shared code of conduct, and
docs/gedragsregels.md says for each of them what Postwijs does."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app import articles
from app.articles import UnknownArticleError

ROOT = Path(__file__).resolve().parents[2]
# CI checks out ../shared beside the clone, as on the development machine.
CODE_OF_CONDUCT = ROOT.parent / "shared" / "gedragsregels-sociale-media.txt"
DOCS = ROOT / "docs" / "gedragsregels.md"
ARTICLES_JSON = ROOT / "resources" / "articles.json"

CLOSING_PARAGRAPH = "Deze gedragsregels hebben niet de intentie volledig dekkend te zijn"
ELEVEN_TITLE = "ONS 11-TAL"
DOCUMENT_TITLE = "GEDRAGSREGELS SOCIALE MEDIA"


def parse_code_of_conduct(text: str) -> list[tuple[str, dict[str, str]]]:
    """(section title, {article id: text}) in document order, read the way a person reads it.

    Strict on purpose: an unnumbered paragraph other than the closing one, or numbers out of order,
    fail the parse, so a reshaped document is noticed instead of silently misread.
    """
    sections: list[tuple[str, dict[str, str]]] = []
    mode = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("➤"):
            title = line.removeprefix("➤").strip().strip("*").strip()
            sections.append((title, {}))
            mode = "numbered"
        elif line == ELEVEN_TITLE:
            sections.append((line, {}))
            mode = "eleven"
        elif mode == "numbered":
            match = re.fullmatch(r"(\d+)\.\s+(.+)", line)
            if match is None:
                assert line.startswith(CLOSING_PARAGRAPH), f"unexpected paragraph: {line!r}"
                mode = ""
                continue
            title, found = sections[-1]
            assert int(match.group(1)) == len(found) + 1, f"numbering in {title}: {line[:40]!r}"
            found[f"{title} {match.group(1)}"] = match.group(2)
        elif mode == "eleven":
            if line.startswith("(") and line.endswith(")"):
                continue  # "(zo zijn onze manieren)": the subtitle
            found = sections[-1][1]
            found[f"ons 11-tal {len(found) + 1}"] = line
        elif not sections and line == DOCUMENT_TITLE:
            continue
        else:
            raise AssertionError(f"text outside any section: {line!r}")
    return sections


@pytest.fixture(scope="module")
def document() -> list[tuple[str, dict[str, str]]]:
    assert CODE_OF_CONDUCT.is_file(), f"the shared code of conduct is missing: {CODE_OF_CONDUCT}"
    return parse_code_of_conduct(CODE_OF_CONDUCT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc_rows() -> list[str]:
    """The article ids that start a row in the chapters (the overview of checks above them is not)."""
    text = DOCS.read_text(encoding="utf-8")
    assert "\n## Algemeen\n" in text
    chapters = text.split("\n## Algemeen\n", 1)[1]
    return re.findall(r"^\|\s*`([^`]+)`\s*\|", chapters, re.MULTILINE)


def test_the_parser_finds_every_chapter_with_its_number_of_articles(document):
    assert [(title, len(found)) for title, found in document] == [
        ("Algemeen", 4),
        ("Positieve insteek", 3),
        ("Uitgangspunten", 9),
        ("Leren", 4),
        ("Communiceren", 19),
        ("Profileren", 4),
        ("ONS 11-TAL", 11),
    ]


def test_articles_json_has_exactly_the_articles_of_the_code_of_conduct_word_for_word(document):
    expected = {i: text for _title, found in document for i, text in found.items()}
    assert dict(articles.all_articles()) == expected
    assert list(articles.all_articles()) == list(expected), "the order of the document"


def test_articles_json_has_the_section_titles_of_the_code_of_conduct(document):
    assert [s.title for s in articles.sections()] == [title for title, _found in document]
    assert [s.article_ids for s in articles.sections()] == [tuple(f) for _t, f in document]
    raw = json.loads(ARTICLES_JSON.read_text(encoding="utf-8"))
    assert raw["sections"][-1]["subtitle"] == "(zo zijn onze manieren)"


def test_the_parser_rejects_a_paragraph_it_does_not_know():
    changed = "➤ Leren\n\n1. Eerste.\nEen nieuwe alinea zonder nummer.\n"
    with pytest.raises(AssertionError, match="unexpected paragraph"):
        parse_code_of_conduct(changed)


@pytest.mark.parametrize(
    ("article_id", "start"),
    [
        ("Algemeen 1", "Sociale media zoals Twitter, Facebook, YouTube en LinkedIn"),
        ("Communiceren 6", "Het is medewerkers en leerlingen niet toegestaan om tijdens de lessen"),
        ("Communiceren 8", "De betrokkene is persoonlijk verantwoordelijk"),
        ("Communiceren 14", "Indien een medewerker deelneemt aan een discussie"),
        ("Uitgangspunten 8", "Uitgangspunt bij gebruik van sociale media zal altijd"),
        ("Profileren 4", "SCOH/SPCP vraagt toestemming van ouders"),
        ("ons 11-tal 1", "Wij leren onze kinderen omgaan met social media"),
        ("ons 11-tal 5", "Wij denken twee keer na voordat wij berichten plaatsen"),
        ("ons 11-tal 11", "Wij vertrouwen elkaar in het juiste gebruik van social media"),
    ],
)
def test_article_text_gives_the_verbatim_text(article_id, start):
    assert articles.article_text(article_id).startswith(start)


def test_a_numbered_article_does_not_keep_its_number():
    assert not articles.article_text("Leren 1")[0].isdigit()


@pytest.mark.parametrize(
    "wrong",
    ["Communiceren 20", "communiceren 6", "Ons 11-tal 1", "ons 11-tal", "Communiceren6", ""],
)
def test_an_unknown_id_is_refused(wrong):
    assert not articles.is_article(wrong)
    with pytest.raises(UnknownArticleError):
        articles.article_text(wrong)
    with pytest.raises(UnknownArticleError):
        articles.section_of(wrong)


def test_validation_names_every_unknown_id_in_order():
    ids = ["Communiceren 6", "Communiceren 66", "ons 11-tal 8", "Profileren 9"]
    assert articles.unknown_articles(ids) == ["Communiceren 66", "Profileren 9"]
    articles.require_articles(["Communiceren 14", "Communiceren 19"])
    with pytest.raises(UnknownArticleError) as caught:
        articles.require_articles(ids)
    assert caught.value.ids == ["Communiceren 66", "Profileren 9"]


def test_section_of_gives_the_chapter():
    assert articles.section_of("Communiceren 11").title == "Communiceren"
    assert articles.section_of("ons 11-tal 3").title == "ONS 11-TAL"


def test_the_articles_cannot_be_changed_by_a_caller():
    with pytest.raises(TypeError):
        articles.all_articles()["Communiceren 6"] = "Altijd toegestaan."  # type: ignore[index]


def test_every_article_has_a_row_in_the_docs(doc_rows):
    missing = [i for i in articles.all_articles() if i not in doc_rows]
    assert not missing, f"docs/gedragsregels.md has no row for: {missing}"


def test_the_docs_have_no_rows_for_articles_that_do_not_exist_and_none_twice(doc_rows):
    assert articles.unknown_articles(doc_rows) == []
    assert len(doc_rows) == len(set(doc_rows))


def test_the_docs_follow_the_chapters_of_the_code_of_conduct(doc_rows):
    text = DOCS.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    for section in articles.sections():
        heading = "Ons 11-tal" if section.title == ELEVEN_TITLE else section.title
        assert heading in headings
        chapter = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        assert re.findall(r"^\|\s*`([^`]+)`\s*\|", chapter, re.MULTILINE) == list(
            section.article_ids
        )
