"""The helpers every REST connector shares: addresses, times, and the search back through an
account's posts that settles an unknown outcome."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.networks.connector import CannotLookBack
from connectors.rest import (
    CLOCK_SKEW,
    InvalidAddress,
    earliest_match,
    normalise_base_url,
    parse_time,
)

REFUSAL = "Vul het adres van de server in."
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("social.example.nl", "https://social.example.nl"),
        ("http://social.example.nl/pad", "https://social.example.nl"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
        ("https://[2001:db8::1]/", "https://[2001:db8::1]"),
        ("http://192.0.2.7", "https://192.0.2.7"),
    ],
)
def test_a_base_url_comes_from_what_a_user_types(typed, expected):
    assert normalise_base_url(typed, REFUSAL) == expected


@pytest.mark.parametrize("typed", [None, "", "school", "https://a:b@c.nl", "ftp://c.nl"])
def test_what_is_no_address_gets_the_callers_dutch_sentence(typed):
    with pytest.raises(InvalidAddress) as raised:
        normalise_base_url(typed, REFUSAL)
    assert str(raised.value) == REFUSAL


def test_provider_times_without_a_zone_are_utc():
    assert parse_time("2026-11-30T09:00:00.000Z") == START
    assert parse_time("2026-11-30T09:00:00") == START
    assert parse_time("gisteren") is None
    assert parse_time(None) is None


def _pages(*pages: list[tuple[str, datetime]]) -> Iterator[list[tuple[str, datetime]]]:
    yield from pages


def _search(pages, max_pages: int = 2):
    return earliest_match(
        pages,
        START,
        lambda item: item[1],
        lambda item: item[0] == "ons",
        max_pages=max_pages,
        network="Mastodon",
    )


def test_the_earliest_match_since_the_start_is_ours():
    later, earlier = ("ons", START + timedelta(hours=2)), ("ons", START + timedelta(hours=1))
    assert _search(_pages([later, ("ander", START)], [earlier])) == earlier


def test_a_match_within_the_clock_margin_counts_and_one_before_it_does_not():
    inside = ("ons", START - CLOCK_SKEW + timedelta(seconds=1))
    outside = ("ons", START - CLOCK_SKEW - timedelta(seconds=1))
    assert _search(_pages([inside])) == inside
    assert _search(_pages([outside])) is None


def test_reaching_an_older_post_ends_the_search_without_reading_further():
    read: list[int] = []

    def pages():
        for number in range(5):
            read.append(number)
            yield [("ander", START - timedelta(days=number))]

    assert _search(pages(), max_pages=5) is None
    assert read == [0, 1]


def test_pages_that_do_not_reach_the_start_with_more_behind_them_cannot_say_not_there():
    newer = [("ander", START + timedelta(hours=1))]
    with pytest.raises(CannotLookBack, match="niet ver genoeg terugkijken"):
        _search(_pages(newer, newer, [("ons", START)]))
    # The end of the list (no page, or an empty one) is certain.
    assert _search(_pages(newer, newer)) is None
    assert _search(_pages(newer, newer, [])) is None
