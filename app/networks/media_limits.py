"""Per-network media limits that the network profiles do not carry, as data.

The byte limit for a photo and whether a network takes video come from `app.networks.profiles.profile`;
everything else the prepared copy must respect (output formats, pixels, aspect ratio, width, GIF
and video limits) is here, keyed by network id. Facts from shared/networks.md (late 2026); the
ones marked uncertain there are marked so here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from app.i18n import _
from app.media.types import MediaError
from app.networks.profiles import PROFILES, NetworkProfile, profile

DEFAULT_LONG_SIDE = 2048  # what the networks show at most; larger only costs upload time
ANIMATION_LONG_SIDE = 720  # a GIF grows with every frame; networks show GIFs small anyway


@dataclass(frozen=True)
class MediaLimits:
    """What one network accepts. Aspect ratios are width / height; None means no limit."""

    network: str
    image_max_bytes: int
    images: bool = True
    # Formats the prepared copy may have; JPEG is the default output, PNG only keeps transparency,
    # GIF only keeps an animation.
    formats: frozenset[str] = frozenset({"JPEG", "PNG", "GIF"})
    format_max_bytes: dict[str, int] = field(default_factory=dict)  # overrides image_max_bytes
    long_side: int = DEFAULT_LONG_SIDE
    max_pixels: int | None = None
    min_width: int | None = None
    max_width: int | None = None
    aspect_min: Fraction | None = None
    aspect_max: Fraction | None = None
    animated_gif: bool = False
    video: bool = False
    video_max_bytes: int | None = None
    video_max_size: tuple[int, int] | None = None  # (width, height), either orientation
    video_seconds: tuple[float, float] | None = None  # (shortest, longest)
    video_codecs: frozenset[str] | None = (
        None  # codec names as app.media.mp4 reads them; others are refused
    )
    audio_codecs: frozenset[str] | None = None

    def max_bytes(self, image_format: str) -> int:
        return self.format_max_bytes.get(image_format, self.image_max_bytes)


# Everything except the byte limit and the video flag, which come from the profile.
_EXTRA: dict[str, dict] = {
    # The practice account publishes to a local timeline: as lenient as the most lenient network.
    "practice": {"animated_gif": True},
    # X: JPG/PNG/GIF/WEBP, image ≤ 5 MB, GIF ≤ 15 MB, video ≤ 512 MB, 0.5–140 s, ≤ 1280x1024.
    "x": {
        "animated_gif": True,
        "format_max_bytes": {"GIF": 15_000_000},
        "video_max_bytes": 512_000_000,
        "video_max_size": (1280, 1024),
        "video_seconds": (0.5, 140.0),
        "video_codecs": frozenset({"h264"}),
        "audio_codecs": frozenset({"aac"}),
    },
    # Bluesky: images up to 2,000,000 bytes; a GIF in an image embed shows as a still, so it is one.
    # Video: mp4 ≤ 300 MB (since Aug 2026).
    "bluesky": {"formats": frozenset({"JPEG", "PNG"}), "video_max_bytes": 300_000_000},
    # Mastodon defaults: image_size_limit 16 MiB, image_matrix_limit 33,177,600 px, video about
    # 99 MiB. An instance may differ (read from /api/v2/instance by the connector).
    "mastodon": {
        "animated_gif": True,
        "max_pixels": 33_177_600,
        "video_max_bytes": 103_809_024,
    },
    # LinkedIn images: JPG/PNG/GIF under 36,152,320 pixels [uncertain].
    "linkedin": {"animated_gif": True, "max_pixels": 36_152_320},
    # Facebook: JPEG/BMP/PNG/GIF/TIFF; under 4 MB, PNG under 1 MB.
    "facebook": {"animated_gif": True, "format_max_bytes": {"PNG": 1_000_000}},
    # Instagram: JPEG only, ≤ 8 MB, aspect 4:5 to 1.91:1, width 320–1440 px.
    # Reels [uncertain: Meta's Reels specifications in the IG User Media reference, not in
    # networks.md]: MP4/MOV, H.264 or HEVC with AAC, 3 s to 15 min, ≤ 300 MB, ≤ 1920 px wide.
    "instagram": {
        "formats": frozenset({"JPEG"}),
        "min_width": 320,
        "max_width": 1440,
        "aspect_min": Fraction(4, 5),
        "aspect_max": Fraction(191, 100),
        "video_max_bytes": 300_000_000,
        "video_max_size": (1920, 1920),
        "video_seconds": (3.0, 900.0),
        "video_codecs": frozenset({"h264", "hevc"}),
        "audio_codecs": frozenset({"aac"}),
    },
    # YouTube takes video only (≤ 256 GB).
    "youtube": {"images": False, "video_max_bytes": 256 * 1024**3},
}


def limits_for(network: str) -> MediaLimits:
    """The limits for `network`; a MediaError (Dutch) for a network Postwijs does not know."""
    try:
        known: NetworkProfile = profile(network)
    except KeyError:
        raise MediaError(
            _("Kies een van deze netwerken: {networks}.").format(
                networks=", ".join(known_networks())
            )
        ) from None
    extra = _EXTRA.get(network, {})
    return MediaLimits(
        network=network,
        image_max_bytes=known.image_max_bytes,
        video=known.video,
        **{"images": known.max_images > 0, **extra},
    )


def known_networks() -> list[str]:
    return sorted(PROFILES)
