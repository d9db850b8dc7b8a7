"""What the author declares to a network with a video, in the words the confirmation and the
Geschiedenis page show (YouTube asks whether a video is realistic AI-made or altered content)."""

from __future__ import annotations

from app.i18n import _


def synthetic_media_words(network_label: str, declared: bool) -> str:
    return (
        _("Aan {network} gemeld: deze video is met AI gemaakt of veranderd.")
        if declared
        else _("Aan {network} gemeld: deze video is niet met AI gemaakt of veranderd.")
    ).format(network=network_label)
