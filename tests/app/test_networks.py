"""Network profiles as data: limits, counting, and what a text breaks, in Dutch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.networks import textcount
from app.networks.profiles import (
    BLUESKY,
    INSTAGRAM,
    MASTODON,
    PROFILES,
    YOUTUBE,
    Measurement,
    X,
    label,
    profile,
)

NETWORKS = ["practice", "x", "bluesky", "mastodon", "linkedin", "facebook", "instagram", "youtube"]


def test_every_network_has_a_profile_and_a_label():
    assert sorted(PROFILES) == sorted(NETWORKS)
    for network in NETWORKS:
        assert profile(network).id == network
    assert label("practice") == "Oefenaccount"
    assert label("x") == "X"
    assert label("linkedin") == "LinkedIn"
    assert label("onbekend") == "onbekend"


@pytest.mark.parametrize(
    ("network", "limit", "count"),
    [
        ("practice", 500, textcount.graphemes),
        ("x", 280, textcount.x_weighted_length),
        ("bluesky", 300, textcount.graphemes),
        ("mastodon", 500, textcount.mastodon_length),
        ("linkedin", 3000, textcount.linkedin_length),
        ("facebook", 63_206, textcount.utf16_units),
        ("instagram", 2200, textcount.utf16_units),
        ("youtube", 5000, textcount.utf8_bytes),
    ],
)
def test_text_limits_and_counting(network, limit, count):
    net = profile(network)
    assert net.text_limit == limit
    assert net.count is count


@pytest.mark.parametrize(
    ("network", "images", "image_bytes", "alt_text", "video", "follows"),
    [
        ("practice", 4, 16_777_216, 1500, False, False),
        ("x", 4, 5_000_000, 1000, True, True),
        ("bluesky", 4, 2_000_000, 2000, True, True),
        ("mastodon", 4, 16_777_216, 1500, True, True),
        ("linkedin", 20, 5_000_000, 1000, False, False),
        ("facebook", 10, 4_000_000, 1000, True, False),
        ("instagram", 10, 8_000_000, 1000, True, False),
        ("youtube", 0, 5_000_000, 1000, True, True),
    ],
)
def test_media_facts(network, images, image_bytes, alt_text, video, follows):
    net = profile(network)
    assert (net.max_images, net.image_max_bytes, net.alt_text_limit) == (
        images,
        image_bytes,
        alt_text,
    )
    assert (net.video, net.lists_follows, net.consent_purpose) == (video, follows, "sociale media")


POST = "Wat een feest vandaag bij de Koningsspelen! Kijk op https://www.scoh.nl/nieuws 🎉"


@pytest.mark.parametrize("network", NETWORKS)
def test_an_ordinary_post_fits_everywhere(network):
    measured = profile(network).measure(POST, title="Koningsspelen 2026")
    assert measured == Measurement(measured.length, profile(network).text_limit, ())
    assert measured.fits
    assert measured.remaining == measured.limit - measured.length


def test_x_counts_weighted_and_says_how_much_to_cut():
    text = "Kijk op scoh.nl/nieuws. " + "a" * 260
    measured = X.measure(text)
    assert (measured.length, measured.limit) == (len("Kijk op ") + 23 + len(". ") + 260, 280)
    assert measured.violations == (
        "Kort de tekst met 13 tekens in: 293 tekens; X staat er 280 toe.",
    )
    assert not measured.fits
    assert X.measure("a" * 281).violations == (
        "Kort de tekst met 1 teken in: 281 tekens; X staat er 280 toe.",
    )
    assert X.measure("中" * 140).fits


def test_bluesky_has_two_limits():
    assert BLUESKY.measure("é" * 300).fits  # 300 graphemes, 600 bytes
    assert BLUESKY.measure("😀" * 300).fits  # 1200 bytes
    too_long = BLUESKY.measure("a" * 301)
    assert too_long.violations == (
        "Kort de tekst met 1 teken in: 301 tekens; Bluesky staat er 300 toe.",
    )
    # 280 family emoji are 280 graphemes but 7,000 bytes.
    family = "👨\u200d👩\u200d👧\u200d👦" * 280
    assert BLUESKY.measure(family).length == 280
    assert BLUESKY.measure(family).violations == (
        "Kort de tekst met 4000 bytes in: 7000 bytes; Bluesky staat er 3000 toe.",
    )


def test_mastodon_counts_the_content_warning_and_an_instance_limit():
    assert MASTODON.measure("Hallo", content_warning="Spoiler").length == 12
    assert MASTODON.measure("Hallo").length == 5
    own = MASTODON.with_text_limit(11)
    assert own.text_limit == 11 and MASTODON.text_limit == 500
    assert own.measure("Hallo", content_warning="Spoiler").violations == (
        "Kort de tekst met 1 teken in: 12 tekens; Mastodon staat er 11 toe.",
    )


def test_instagram_caps_hashtags_and_mentions():
    thirty = " ".join(f"#feest{i}" for i in range(30))
    assert INSTAGRAM.measure(thirty).fits
    measured = INSTAGRAM.measure(thirty + " #nogeen")
    assert measured.violations == ("Haal 1 hashtag weg: 31 hashtags; Instagram staat er 30 toe.",)
    mentions = " ".join(f"@juf{i}" for i in range(22))
    assert INSTAGRAM.measure(mentions).violations == (
        "Haal 2 vermeldingen weg: 22 vermeldingen; Instagram staat er 20 toe.",
    )


def test_youtube_description_bytes_title_and_angle_brackets():
    assert YOUTUBE.measure("é" * 2500).fits  # 5,000 bytes
    assert YOUTUBE.measure("é" * 2501).violations == (
        "Kort de tekst met 2 bytes in: 5002 bytes; YouTube staat er 5000 toe.",
    )
    assert YOUTUBE.measure("Kijk <b>hier</b>").violations == (
        "Haal de 4 tekens < en > weg: YouTube staat ze niet toe.",
    )
    assert YOUTUBE.measure("Koningsspelen", title="a" * 100).fits
    assert YOUTUBE.measure("Koningsspelen", title="a" * 101 + ">").violations == (
        "Kort de titel met 2 tekens in: 102 tekens; YouTube staat er 100 toe.",
        "Haal het teken < of > uit de titel: YouTube staat het niet toe.",
    )
    # Only YouTube has a title.
    assert X.measure("Hallo", title="<" * 200).fits


def test_the_existing_callers_keep_working():
    """app/variants.py fits the disclaimer with count() and text_limit."""
    for network in NETWORKS:
        net = profile(network)
        assert isinstance(net.count(POST), int)
        assert net.count(POST) <= net.text_limit


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(), max_size=400), st.text(st.characters(), max_size=50))
def test_measuring_never_crashes(text, extra):
    for net in PROFILES.values():
        measured = net.measure(text, content_warning=extra, title=extra)
        assert measured.fits == (not measured.violations)
        assert all(isinstance(v, str) and v for v in measured.violations)
