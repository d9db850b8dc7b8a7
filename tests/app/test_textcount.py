"""Counting per network. X is checked against the official twitter-text library itself (npm, in
tests/oracle, installed by scripts/install.sh --dev): the tests fail, not skip, without it."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.networks import textcount
from app.networks.textcount import (
    angle_brackets,
    graphemes,
    hashtag_count,
    linkedin_escape,
    linkedin_length,
    mastodon_length,
    mention_count,
    url_spans,
    utf8_bytes,
    utf16_units,
    x_weighted_length,
)
from bench.textcount import PATHOLOGICAL
from resources import resource_path
from tests.conftest import ROOT

ORACLE_DIR = ROOT / "tests" / "oracle"
INSTALL_HINT = "install the oracle: scripts/install.sh --dev (npm ci --prefix tests/oracle)"


def _load_exporter():
    spec = importlib.util.spec_from_file_location(
        "export_resources", ORACLE_DIR / "export_resources.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Oracle:
    """One long-running node process with twitter-text: a text in, its answer out."""

    def __init__(self):
        assert shutil.which("node"), f"node is missing; {INSTALL_HINT}"
        assert (ORACLE_DIR / "node_modules" / "twitter-text").is_dir(), INSTALL_HINT
        self.process = subprocess.Popen(
            ["node", str(ORACLE_DIR / "twitter_text_oracle.js")],
            cwd=ORACLE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def ask(self, text: str) -> dict:
        # ensure_ascii escapes lone surrogates, which JSON.parse turns back into them.
        self.process.stdin.write(json.dumps(text) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def oracle():
    oracle = Oracle()
    yield oracle
    oracle.close()


def ours(text: str) -> dict:
    """Our answer in the oracle's shape: UTF-16 offsets, as JavaScript has them."""
    urls = [
        [utf16_units(text[: span.start]), utf16_units(text[: span.end]), span.url]
        for span in url_spans(text)
    ]
    return {"weightedLength": x_weighted_length(text), "urls": urls}


# --- X ------------------------------------------------------------------------------------------

X_TABLE = [
    ("", 0),
    ("Wat een feest vandaag bij de Koningsspelen!", 43),
    ("Hallo\r\nwereld", 13),  # CR LF counts 2, as twitter-text has it (the PyPI port counts 1)
    ("Café", 4),
    ("Cafe\u0301", 4),  # NFC first: e + combining acute is é
    ("Kijk op scoh.nl/nieuws", 31),  # a URL without scheme counts 23 too
    ("Kijk op https://www.scoh.nl/nieuws/koningsspelen-2026?foto=12", 31),
    ("Kijk op scoh.nl/nieuws en https://www.spcp.nl", 8 + 23 + 4 + 23),
    ("Mail naar info@scoh.nl", 22),  # an address is no URL
    ("Het was leuk.Morgen weer", 24),  # no TLD "morgen": a plain sentence
    ("De bieb.nl-actie", 16),  # "nl" runs on into "-actie": no TLD, no URL
    ("😀", 2),
    ("👍🏽", 2),  # skin tone: one emoji
    ("👨\u200d👩\u200d👧\u200d👦", 2),  # ZWJ family: one emoji
    ("🏳️\u200d🌈", 2),
    ("🇳🇱", 2),  # flag
    ("1️⃣", 2),  # keycap
    ("©️", 2),
    ("©", 1),  # text presentation: a light character (the PyPI port counts 2)
    ("🧑\u200d🤝\u200d🧑", 8),  # newer than twemoji-parser 11: counted part by part
    ("今天", 4),  # CJK weighs 2
    ("…", 2),  # outside the light ranges
    ("–", 1),  # en dash: light
    ("\ud800", 2),  # a lone surrogate
    ("中文scoh.nl/abc", 4 + 23),
    ("a" * 281, 281),
]


@pytest.mark.parametrize(("text", "expected"), X_TABLE)
def test_x_weighted_length_of_tricky_texts(text, expected, oracle):
    assert x_weighted_length(text) == expected
    assert oracle.ask(text)["weightedLength"] == expected


URL_TABLE = [
    ("Kijk op scoh.nl/nieuws!", [(8, 22, "scoh.nl/nieuws")]),
    ("Zie https://www.scoh.nl/a?b=1.", [(4, 29, "https://www.scoh.nl/a?b=1")]),
    ("Geen link: info@scoh.nl of #scoh.nl", []),
    ("Een zin.Nog een zin", []),
    ("😀 scoh.nl", [(2, 9, "scoh.nl")]),  # code points, not UTF-16 units
    ("(zie scoh.nl)", [(5, 12, "scoh.nl")]),
    ("http://t.co/abc?x=1 en t.co/def", [(0, 19, "http://t.co/abc?x=1"), (23, 31, "t.co/def")]),
]


@pytest.mark.parametrize(("text", "expected"), URL_TABLE)
def test_url_spans(text, expected, oracle):
    assert [(s.start, s.end, s.url) for s in url_spans(text)] == expected
    assert oracle.ask(text)["urls"] == ours(text)["urls"]


def test_url_spans_can_require_a_scheme():
    text = "Kijk op scoh.nl en https://spcp.nl"
    assert [s.url for s in url_spans(text, require_scheme=True)] == ["https://spcp.nl"]


FRAGMENTS = [
    *("http://", "https://", "HTTPS://", "www.", "scoh", "nl", "com", "co", "uk", "onion"),
    *(".", ".", ".", "/", "?", "=", "&", "#", "(", ")", ":", "8080", "t.co/", "xn--", "bcher-kva"),
    *(
        "中",
        "文",
        "ไทย",
        "한국",
        "рф",
        "РФ",
        "ελ",
        "公司",
        "vermögensberatung",
        "VERMÖGENSBERATUNG",
    ),
    *("。", "@", "＠", "_", "-", " ", " ", "\r\n", "\n", "\u3000", "\u202a", "\u200e", '"', "'"),
    *("😀", "👍🏽", "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🇳🇱", "1️⃣", "#️⃣", "©️", "©", "🫠"),
    *("☝\ufe0e", "☝", "☝🏻", "\ufe0f", "\ufe0e", "\u200d", "🧑\u200d🤝\u200d🧑", "…", "€"),
    *("e\u0301", "\u0301", "A\u030a", "ﬀ", "K", "ſ", "ς", "é", "ü", "ẞ", "ß", "ɓ", "ⱥ", "ᲀ"),
    *("\ud800", "\udc00", "\ud83d", "\ude00", "a", "b", "x", "1", "$", "!", "~", "|", "[", "]"),
]
ANY_ASSIGNED = st.characters(exclude_categories=["Cn"])  # as Python's Unicode 14 knows them
TEXTS = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(ANY_ASSIGNED, max_size=3)), max_size=24
).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_x_count_and_urls_agree_with_the_official_library(oracle, text):
    assert ours(text) == oracle.ask(text)


def test_resources_hold_what_the_pinned_library_says():
    exporter = _load_exporter()
    expected = exporter.resource_files(exporter.oracle_data())
    for name, content in expected.items():
        assert resource_path(name).read_text(encoding="utf-8") == content, name


def test_tld_lists_try_a_longer_tld_before_its_prefix():
    """Our TLD tries match longest first; twitter-text tries its list in order. The two agree as
    long as no TLD precedes a longer one it is the start of (unless the next letter would stop
    the shorter one anyway, as "com" before "company" would be)."""
    for name in ("x-tlds-generic.txt", "x-tlds-country.txt"):
        tlds = textcount._read_tlds(name)
        assert len(tlds) > 300
        for i, short in enumerate(tlds):
            for long in tlds[i + 1 :]:
                if long.lower().startswith(short.lower()) and long != short:
                    assert long[len(short)].isascii() and long[len(short)].isalnum(), (short, long)


# Texts that would make a backtracking pattern take hours: bench/textcount.py measures how long
# they take against a plain text of the same length; here they must be counted at all.


@pytest.mark.timeout(60)  # a hang guard, not a measurement: backtracking would take hours
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_long_pathological_texts_are_counted(text):
    assert 0 < graphemes(text) <= len(text)
    assert x_weighted_length(text) >= graphemes(text)  # X counts each grapheme 1 or 2
    assert mastodon_length(text) > 0
    assert linkedin_length(text) >= len(text) - text.count("\ud800") - text.count("\udc00")
    assert all(0 <= span.start < span.end <= len(text) for span in url_spans(text))


ALL_COUNTS = [
    graphemes,
    utf8_bytes,
    utf16_units,
    x_weighted_length,
    url_spans,
    mastodon_length,
    linkedin_escape,
    linkedin_length,
    hashtag_count,
    mention_count,
    angle_brackets,
]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(), max_size=300))
def test_no_text_makes_a_count_crash(text):
    for count in ALL_COUNTS:
        count(text)


@pytest.mark.timeout(60)  # a hang guard, not a measurement (bench/textcount.py measures)
def test_a_100_000_character_random_text_is_counted():
    text = "".join(chr(point) for point in range(0x20, 0x20 + 100_000))
    for count in ALL_COUNTS:
        assert count(text) is not None


# --- graphemes ----------------------------------------------------------------------------------

GRAPHEME = regex.compile(r"\X")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Hallo", 5),
        ("a\r\nb", 3),
        ("Cafe\u0301", 4),
        ("👨\u200d👩\u200d👧\u200d👦", 1),
        ("🇳🇱🇧🇪", 2),
        ("\u0600a", 1),  # a prepended mark joins the letter after it
        ("\r\n\u0301", 2),
    ],
)
def test_graphemes(text, expected):
    assert graphemes(text) == expected


CLUSTER_PARTS = [
    *("a", " ", "\r", "\n", "é", "e\u0301", "\u0301", "\u0600", "\u0903", "\u200d"),
    *("😀", "👍🏽", "\U0001f1f3", "한", "\u1100", "\u1161", "\ufe0f", "\u094d", "क"),
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(CLUSTER_PARTS) | st.text(max_size=2), max_size=20).map("".join))
def test_graphemes_agree_with_plain_extended_clusters(text):
    assert graphemes(text) == len(GRAPHEME.findall(text))


# --- Bluesky bytes, LinkedIn, Instagram, YouTube ------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("Hoi", 3), ("Café", 5), ("😀", 4), ("\ud800", 3)])
def test_utf8_bytes(text, expected):
    assert utf8_bytes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gewoon een zin.", "Gewoon een zin."),
        ("Vraag @juf_Anna (groep 3)", "Vraag \\@juf\\_Anna \\(groep 3\\)"),
        (
            "#feest | {x} [y] <z> *a* ~b~ c\\d",
            "\\#feest \\| \\{x\\} \\[y\\] \\<z\\> \\*a\\* \\~b\\~ c\\\\d",
        ),
    ],
)
def test_linkedin_escape(text, expected):
    assert linkedin_escape(text) == expected


def test_linkedin_counts_the_escaped_text():
    assert linkedin_length("Groep (3)") == 11
    assert linkedin_length("Groep 3") == 7


@pytest.mark.parametrize(
    ("text", "hashtags", "mentions"),
    [
        ("#koningsspelen op #DeRegenboog met @juf.anna", 2, 1),
        ("Mail info@scoh.nl, nummer #1 en #2026", 0, 0),
        ("Groet van @meester_piet. En #feest!", 1, 1),
        ("Geen hashtag: a#b en c@d", 0, 0),
    ],
)
def test_instagram_hashtags_and_mentions(text, hashtags, mentions):
    assert hashtag_count(text) == hashtags
    assert mention_count(text) == mentions


def test_angle_brackets():
    assert angle_brackets("Kijk <hier> naar") == 2
    assert angle_brackets("Kijk hier naar") == 0


# --- Mastodon -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "warning", "expected"),
    [
        ("Hallo allemaal", "", 14),
        ("Kijk op https://www.scoh.nl/nieuws/een-heel-lang-artikel-over-de-spelen", "", 8 + 23),
        ("Kijk op scoh.nl/nieuws", "", 22),  # without a scheme it counts in full
        ("Dank @piet@mastodon.social!", "", len("Dank @piet!")),
        ("Dank @piet!", "", 11),
        ("Mail info@scoh.nl", "", 17),  # an address is no mention
        ("👨\u200d👩\u200d👧\u200d👦 feest", "", 7),
        ("Tekst", "Let op", 11),  # the content warning counts too
        ("   \n ", "", 0),  # blank text counts nothing
        ("   ", "CW", 2),
    ],
)
def test_mastodon_length(text, warning, expected):
    assert mastodon_length(text, warning) == expected
