"""What each network accepts, as data: text limits and how it counts, media limits, alt text.

Facts from ../shared/networks.md. A connector reports its profile from here; an instance may
replace a limit it announces itself (Mastodon's max_characters: `MASTODON.with_text_limit(n)`).

`profile(id).measure(text)` gives the counted length, the limit and every limit the text breaks,
as Dutch sentences that say what to do. Where a network does not document its unit of
"characters" (LinkedIn, Facebook, Instagram, a YouTube title) the count is in UTF-16 code units:
never less than what such a network counts, so a text that fits here fits there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from app.i18n import N_, _, ngettext
from app.networks import textcount

# Each takes (count, limit, network label) and says what to do about count > limit.
Explain = Callable[[int, int, str], str]


def too_long(count: int, limit: int, network: str) -> str:
    excess = count - limit
    return ngettext(
        "Kort de tekst met {excess} teken in: {count} tekens; {network} staat er {limit} toe.",
        "Kort de tekst met {excess} tekens in: {count} tekens; {network} staat er {limit} toe.",
        excess,
    ).format(excess=excess, count=count, limit=limit, network=network)


def too_many_bytes(count: int, limit: int, network: str) -> str:
    excess = count - limit
    return ngettext(
        "Kort de tekst met {excess} byte in: {count} bytes; {network} staat er {limit} toe.",
        "Kort de tekst met {excess} bytes in: {count} bytes; {network} staat er {limit} toe.",
        excess,
    ).format(excess=excess, count=count, limit=limit, network=network)


def too_many_hashtags(count: int, limit: int, network: str) -> str:
    excess = count - limit
    return ngettext(
        "Haal {excess} hashtag weg: {count} hashtags; {network} staat er {limit} toe.",
        "Haal {excess} hashtags weg: {count} hashtags; {network} staat er {limit} toe.",
        excess,
    ).format(excess=excess, count=count, limit=limit, network=network)


def too_many_mentions(count: int, limit: int, network: str) -> str:
    excess = count - limit
    return ngettext(
        "Haal {excess} vermelding weg: {count} vermeldingen; {network} staat er {limit} toe.",
        "Haal {excess} vermeldingen weg: {count} vermeldingen; {network} staat er {limit} toe.",
        excess,
    ).format(excess=excess, count=count, limit=limit, network=network)


def angle_brackets(count: int, _limit: int, network: str) -> str:
    return ngettext(
        "Haal het teken < of > weg: {network} staat het niet toe.",
        "Haal de {count} tekens < en > weg: {network} staat ze niet toe.",
        count,
    ).format(count=count, network=network)


def title_too_long(count: int, limit: int, network: str) -> str:
    excess = count - limit
    return ngettext(
        "Kort de titel met {excess} teken in: {count} tekens; {network} staat er {limit} toe.",
        "Kort de titel met {excess} tekens in: {count} tekens; {network} staat er {limit} toe.",
        excess,
    ).format(excess=excess, count=count, limit=limit, network=network)


def title_angle_brackets(count: int, _limit: int, network: str) -> str:
    return ngettext(
        "Haal het teken < of > uit de titel: {network} staat het niet toe.",
        "Haal de {count} tekens < en > uit de titel: {network} staat ze niet toe.",
        count,
    ).format(count=count, network=network)


@dataclass(frozen=True)
class Limit:
    """One thing a network caps: `count` measures a text, at most `limit` is allowed, and
    `explain` says in Dutch what to do when the count is higher."""

    count: Callable[[str], int]
    limit: int
    explain: Explain

    def check(self, text: str, network: str) -> str | None:
        found = self.count(text)
        return self.explain(found, self.limit, network) if found > self.limit else None


@dataclass(frozen=True)
class Measurement:
    """A text against one network: its counted length, the limit, and what to change (Dutch)."""

    length: int
    limit: int
    violations: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        return not self.violations

    @property
    def remaining(self) -> int:
        return self.limit - self.length


@dataclass(frozen=True)
class NetworkProfile:
    """`count(text)` is the network's own length of a post text, against `text_limit`.

    `extra_limits` are the other caps on the text (Bluesky's bytes, Instagram's hashtags);
    `count_with_warning` counts a content warning too where the network adds it to the length
    (Mastodon); `title_limits` apply to a separate title (YouTube)."""

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
    explain_too_long: Explain = too_long
    extra_limits: tuple[Limit, ...] = ()
    count_with_warning: Callable[[str, str], int] | None = None
    title_limits: tuple[Limit, ...] = ()
    video_only: bool = False  # a post is exactly one video, nothing else (YouTube)
    media_required: bool = False  # a post needs a photo or a video (Instagram)
    video_alone: bool = False  # a video is its post's only media: no photos, no second video
    # The author declares whether a video shows realistic AI-made or altered people, places or
    # events (YouTube's containsSyntheticMedia); the declaration goes out with the video.
    declares_synthetic_media: bool = False

    def measure(
        self, text: str, *, content_warning: str = "", title: str | None = None
    ) -> Measurement:
        """The counted length of `text` (with `content_warning` where it counts) and every limit
        it breaks. A `title` is only checked where the network has one."""
        network = _(self.label)
        if content_warning and self.count_with_warning is not None:
            length = self.count_with_warning(text, content_warning)
        else:
            length = self.count(text)
        violations = []
        if length > self.text_limit:
            violations.append(self.explain_too_long(length, self.text_limit, network))
        for limit in self.extra_limits:
            if (problem := limit.check(text, network)) is not None:
                violations.append(problem)
        if title is not None:
            for limit in self.title_limits:
                if (problem := limit.check(title, network)) is not None:
                    violations.append(problem)
        return Measurement(length, self.text_limit, tuple(violations))

    def with_text_limit(self, text_limit: int) -> NetworkProfile:
        """The same network with the limit an instance announces (Mastodon's max_characters)."""
        return replace(self, text_limit=text_limit)


PRACTICE = NetworkProfile(
    id="practice",
    label=N_("Oefenaccount"),
    text_limit=500,
    count=textcount.graphemes,
    max_images=4,
    image_max_bytes=16_777_216,
    alt_text_limit=1500,
)
X = NetworkProfile(
    id="x",
    label="X",
    text_limit=280,
    count=textcount.x_weighted_length,
    max_images=4,
    image_max_bytes=5_000_000,
    alt_text_limit=1000,
    video=True,
    lists_follows=True,
)
MASTODON = NetworkProfile(
    id="mastodon",
    label="Mastodon",
    text_limit=500,  # the default max_characters; an instance may announce another
    count=textcount.mastodon_length,
    count_with_warning=textcount.mastodon_length,
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
    extra_limits=(Limit(textcount.utf8_bytes, 3000, too_many_bytes),),
    image_max_bytes=2_000_000,
    alt_text_limit=2000,
    video=True,
    lists_follows=True,
)
LINKEDIN = NetworkProfile(
    id="linkedin",
    label="LinkedIn",
    text_limit=3000,  # [uncertain] per secondary sources
    count=textcount.linkedin_length,
    max_images=20,  # multiImage takes 2 to 20
    image_max_bytes=5_000_000,  # not documented in bytes (pixels: see media_limits); a safe size
    alt_text_limit=1000,  # not documented; the smallest of the other networks
)
FACEBOOK = NetworkProfile(
    id="facebook",
    label="Facebook",
    text_limit=63_206,  # [uncertain] not in the API docs
    count=textcount.utf16_units,
    max_images=10,  # attached_media has no documented maximum; a Page post shows 10 well
    image_max_bytes=4_000_000,
    alt_text_limit=1000,  # not documented; the smallest of the other networks
    video=True,  # with publish_video
)
INSTAGRAM = NetworkProfile(
    id="instagram",
    label="Instagram",
    text_limit=2200,  # caption; [uncertain] from secondary sources, as are the caps below
    count=textcount.utf16_units,
    extra_limits=(
        Limit(textcount.hashtag_count, 30, too_many_hashtags),
        Limit(textcount.mention_count, 20, too_many_mentions),
    ),
    max_images=10,  # a carousel
    image_max_bytes=8_000_000,
    alt_text_limit=1000,  # not documented; the smallest of the other networks
    video=True,
    media_required=True,  # every post is a photo, a carousel or a video
    video_alone=True,  # a video is a Reel, and Reels cannot be in a carousel
)
YOUTUBE = NetworkProfile(
    id="youtube",
    label="YouTube",
    text_limit=5000,  # the description, in UTF-8 bytes
    count=textcount.utf8_bytes,
    explain_too_long=too_many_bytes,
    extra_limits=(Limit(textcount.angle_brackets, 0, angle_brackets),),
    title_limits=(
        Limit(textcount.utf16_units, 100, title_too_long),
        Limit(textcount.angle_brackets, 0, title_angle_brackets),
    ),
    max_images=0,  # video only
    video=True,
    video_only=True,
    lists_follows=True,  # subscriptions
    declares_synthetic_media=True,
)

PROFILES: dict[str, NetworkProfile] = {
    p.id: p for p in (PRACTICE, X, BLUESKY, MASTODON, LINKEDIN, FACEBOOK, INSTAGRAM, YOUTUBE)
}


def profile(network_id: str) -> NetworkProfile:
    return PROFILES[network_id]


def label(network_id: str) -> str:
    known = PROFILES.get(network_id)
    return _(known.label) if known else network_id


def names_network(account_name: str, network_id: str) -> bool:
    """Whether an account's display name already says its network, as a word of its own ("De
    Regenboog op X (voorheen Twitter)", "Ouders van De Regenboog (Facebook)")."""
    network = re.escape(label(network_id).casefold())
    return re.search(rf"(?<!\w){network}(?!\w)", account_name.casefold()) is not None


def account_with_network(account_name: str, network_id: str) -> str:
    """ "De Regenboog (Mastodon)": the account's name with its network, which is left out when
    the name says it already, so that a reader never sees the network twice."""
    if names_network(account_name, network_id):
        return account_name
    return f"{account_name} ({label(network_id)})"
