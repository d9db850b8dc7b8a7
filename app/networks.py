"""What each network accepts, as data: text limit and how it counts, media limits, alt text.

Facts from ../shared/networks.md. A connector reports its profile from here; an instance may
replace a limit it announces itself (Mastodon's max_characters).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app import textcount
from app.i18n import N_, _


@dataclass(frozen=True)
class NetworkProfile:
    id: str
    label: str
    text_limit: int
    count: Callable[[str], int]
    max_images: int = 4
    image_max_bytes: int = 5_000_000
    alt_text_limit: int = 1000
    video: bool = False
    lists_follows: bool = False
    consent_purpose: str = "sociale media"


PRACTICE = NetworkProfile(
    id="practice",
    label=N_("Oefenaccount"),
    text_limit=500,
    count=textcount.graphemes,
    max_images=4,
    image_max_bytes=16_777_216,
    alt_text_limit=1500,
)
MASTODON = NetworkProfile(
    id="mastodon",
    label="Mastodon",
    text_limit=500,
    count=textcount.graphemes,
    image_max_bytes=16_777_216,
    alt_text_limit=1500,
    video=True,
    lists_follows=True,
)
BLUESKY = NetworkProfile(
    id="bluesky",
    label="Bluesky",
    text_limit=300,
    count=textcount.graphemes,
    image_max_bytes=2_000_000,
    alt_text_limit=2000,
    video=True,
    lists_follows=True,
)

PROFILES: dict[str, NetworkProfile] = {p.id: p for p in (PRACTICE, MASTODON, BLUESKY)}


def profile(network_id: str) -> NetworkProfile:
    return PROFILES[network_id]


def label(network_id: str) -> str:
    known = PROFILES.get(network_id)
    return _(known.label) if known else network_id
