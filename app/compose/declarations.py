"""What the author declares to a network about a post beyond its text and media: for YouTube,
whether the video holds realistic images or sound made or changed with AI (YouTube's "altered or
synthetic content", sent as status.containsSyntheticMedia). Only the author knows this, so it is
asked in the composer, kept with the draft and the outbox job, shown in the confirmation and
recorded with what was published."""

from __future__ import annotations

from app.compose.post import Draft
from app.i18n import _


def declares_synthetic_media(network: str) -> bool:
    """Whether posts on `network` carry the author's AI declaration."""
    from app.networks.profiles import PROFILES

    known = PROFILES.get(network)
    return known is not None and known.declares_synthetic_media


def has_video(draft: Draft) -> bool:
    return any(m.kind == "video" for m in draft.media)


def synthetic_media_words(network_label: str, declared: bool) -> str:
    """The declaration as the confirmation and Geschiedenis say it, in plain Dutch."""
    if declared:
        return _(
            "Gemeld bij {network}: deze video bevat met AI gemaakte of bewerkte beelden of geluid die echt lijken."
        ).format(network=network_label)
    return _(
        "Gemeld bij {network}: deze video bevat geen met AI gemaakte of bewerkte beelden of geluid die echt lijken."
    ).format(network=network_label)
