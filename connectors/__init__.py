"""The registry: one entry per network (its profile, capabilities, connector factory and sign-in
hooks), read by the network-agnostic account service (app.accounts.service).

Adding a network: its connector module (capabilities and HTTP calls, and the hooks below), one
line in `networks()`, and its profile in app.networks.profiles.
"""

from __future__ import annotations

from functools import partial

from app.networks.profiles import BLUESKY, LINKEDIN, MASTODON, PRACTICE, YOUTUBE
from app.networks.registry import NetworkEntry
from connectors import bluesky, linkedin, mastodon, youtube
from connectors.base import SignInOptions
from connectors.practice import PracticeConnector
from connectors.secrets import SecretStore

__all__ = ["SecretStore", "SignInOptions", "networks"]


def networks(options: SignInOptions | None = None) -> dict[str, NetworkEntry]:
    """The registry by network id, its hooks reaching the outside as `options` say."""
    options = options or SignInOptions()
    return {
        "practice": NetworkEntry(
            PRACTICE,
            PracticeConnector.capabilities,
            lambda access: PracticeConnector(access.data_dir, access.account.id),
        ),
        "mastodon": NetworkEntry(
            MASTODON,
            mastodon.MastodonConnector.capabilities,
            partial(mastodon.connector, options=options),
            mastodon.has_sign_in,
            partial(mastodon.sign_in, options=options),
            partial(mastodon.revoke, options=options),
            mastodon.configuration_problem,
        ),
        "bluesky": NetworkEntry(
            BLUESKY,
            bluesky.BlueskyConnector.capabilities,
            partial(bluesky.connector, options=options),
            bluesky.has_sign_in,
            partial(bluesky.sign_in, options=options),
            partial(bluesky.revoke, options=options),
            bluesky.configuration_problem,
        ),
        "youtube": NetworkEntry(
            YOUTUBE,
            youtube.YouTubeConnector.capabilities,
            partial(youtube.connector, options=options),
            youtube.has_sign_in,
            partial(youtube.sign_in, options=options),
            partial(youtube.revoke, options=options),
            youtube.configuration_problem,
        ),
        "linkedin": NetworkEntry(
            LINKEDIN,
            linkedin.LinkedinConnector.capabilities,
            partial(linkedin.connector, options=options),
            linkedin.has_sign_in,
            partial(linkedin.sign_in, options=options),
            partial(linkedin.revoke, options=options),
            linkedin.configuration_problem,
        ),
    }
