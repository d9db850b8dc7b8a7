"""Mastodon's length, one counter in the core, settled against Mastodon's own rule.

The rule is StatusLengthValidator with Mastodon's changes to twitter-text's URL patterns
(config/initializers/twitter_regex.rb) and Account::MENTION_RE; the test server counts with its
own implementation of it (tests/servers/mastodon_length.py), and both are compared here on
generated text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.networks.profiles import MASTODON
from app.networks.textcount import mastodon_length
from tests.servers.mastodon_length import status_length as server_length

LONG_DOMAIN = ".".join(["a" * 60] * 4) + ".nl"  # 247 characters: still a mention
TOO_LONG_DOMAIN = ".".join(["a" * 62] * 4) + ".nl"  # 255: Mastodon takes no such mention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The three cases where the app's, the connector's and the test server's counters
        # disagreed before (0/3/3, 10/6/6, 24/23/24):
        ("   ", 0),  # blank text counts nothing (Rails' blank?)
        ("@a@b.c@d.e", 10),  # followed by "@": no mention at all, so nothing is shortened
        ("(zie https://nl.wikipedia.org/wiki/Koning_(titel))", 5 + 23 + 1),
        # Links: any protocol Mastodon links, balanced parentheses, sentence punctuation.
        ("Kijk op https://a.nl.", 8 + 23 + 1),
        ("Kijk op demoschool.nl", 21),  # without a protocol a domain counts in full
        ("gemini://school.nl/verslag", 23),
        ("Lees https://a.nl/zoek?q=feest&groep=3!", 5 + 23 + 1),
        ("https://a.nl/wiki/Koning_(titel", 23 + 6),  # an open parenthesis ends the path
        ("https://a.nl/wiki/(中)", 23 + 3),  # the ending's parentheses are twitter-text's
        ("Lees meer op https://www.demoschool.nl/nieuws/2026/koningsspelen-alle-uitslagen", 36),
        ("https://localhost/x", 19),  # no known top-level domain: no link
        # The Ruby library's own facts where the JavaScript one (X's counter) differs:
        ('https://a"b.nl', 14),  # a double quote is no domain character
        ("https://t.co/abc?x=1", 23 + 4),  # a t.co link ends after its slug
        ("https://a.xn--a-b/x", 23 + 4),  # a punycode top-level domain ends at a hyphen
        ("https://a.nl/x_(a\u2014b)", 23),  # any dash inside the closing parentheses
        # Mentions.
        ("Dank @ouderraad@andere-school.example!", 5 + 10 + 1),
        ("@Juf.Anna@school-x.nl hoi", 9 + 4),
        ("Mail info@scoh.nl", 17),  # an address is no mention
        (f"@piet@{LONG_DOMAIN}", 5),
        (f"@piet@{TOO_LONG_DOMAIN}", 6 + len(TOO_LONG_DOMAIN)),
        ("Gezin 👨‍👩‍👧‍👦 op het plein", 20),
        ("", 0),
    ],
)
def test_mastodon_counts_as_its_status_length_validator(text, expected):
    assert mastodon_length(text) == expected
    assert server_length(text) == expected


def test_the_instances_own_url_length_is_used():
    text = "Zie https://a.nl/x en https://b.nl/y"
    assert mastodon_length(text, url_weight=30) == 4 + 30 + 4 + 30
    assert mastodon_length(text) == 4 + 23 + 4 + 23


def test_the_content_warning_counts_as_typed_before_the_text():
    assert MASTODON.measure("Zie https://a.nl/x", content_warning="Let op https://b.nl").length == (
        len("Let op https://b.nl") + 4 + 23
    )


WORDS = st.sampled_from(
    ["feest", "Groep", "juf", "é", "ü", "中", "😀", "👍🏽", "a", "x1", "_", "нл", "ß"]
)
DOMAINS = st.sampled_from(
    [
        *("a.nl", "scoh.nl", "www.demoschool.nl", "school-x.example", "b.c", "d.e", "x.com"),
        *("fête.fr", "t.co", "a.xn--p1ai", "a.xn--a-b", 'a"b.nl', "a`b.nl"),
    ]
)
PUNCTUATION = st.sampled_from(
    [*" .,:;!?()[]'@/#&=-_~%*|<>\n\"`", "  ", "://", "\u00a0", "\x01", "\u2014", "\u2010"]
)
PATHS = st.lists(st.one_of(WORDS, PUNCTUATION), max_size=6).map("".join)


@st.composite
def links(draw):
    protocol = draw(st.sampled_from(["https://", "http://", "HTTPS://", "gemini://", ""]))
    return protocol + draw(DOMAINS) + draw(st.sampled_from(["", "/", "?", ":8080/"])) + draw(PATHS)


@st.composite
def mentions(draw):
    user = draw(st.sampled_from(["piet", "Juf.Anna", "a", "x_y", "a..b", "-x", "ouder-raad"]))
    domain = draw(st.one_of(st.just(""), DOMAINS.map("@".__add__), st.just("@")))
    return "@" + user + domain


PIECES = st.one_of(WORDS, PUNCTUATION, links(), mentions(), DOMAINS)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, max_size=12).map("".join), st.sampled_from(["", "Let op", "😀"]))
def test_the_app_and_the_test_server_count_generated_text_alike(text, warning):
    assert mastodon_length(text, warning) == server_length(text, warning)
