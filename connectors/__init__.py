"""The registry: one entry per network (its profile, capabilities, connector factory and sign-in
hooks), read by the network-agnostic account service (app.accounts.service).

Adding a network: its connector module (capabilities and HTTP calls, and the hooks below), one
line in `networks()`, and its profile in app.networks.profiles.
"""

from __future__ import annotations

from functools import partial

from app.networks.profiles import BLUESKY, MASTODON, PRACTICE, X
from app.networks.registry import NetworkEntry
from connectors import bluesky, mastodon, x
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
        "x": NetworkEntry(
            X,
            x.XConnector.capabilities,
            partial(x.connector, options=options),
            x.has_sign_in,
            partial(x.sign_in_hook, options=options),
            partial(x.revoke, options=options),
            x.configuration_problem,
        ),
    }
