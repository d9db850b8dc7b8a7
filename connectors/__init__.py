"""The registry: one entry per network (its profile, capabilities, connector factory and sign-in
hooks), read by the network-agnostic account service (app.accounts.service).

Adding a network: its connector module (capabilities and HTTP calls, and the hooks below), one
line in `networks()`, and its profile in app.networks.profiles.
"""

from __future__ import annotations

from functools import partial

from app.networks.profiles import (
    BLUESKY,
    FACEBOOK,
    INSTAGRAM,
    LINKEDIN,
    MASTODON,
    PRACTICE,
    YOUTUBE,
    X,
)
from app.networks.registry import NetworkEntry
from app.site.config import Site
from connectors import (
    bluesky,
    facebook,
    instagram,
    koppeldienst,
    linkedin,
    mastodon,
    x,
    youtube,
)
from connectors.base import SignInOptions
from connectors.practice import PracticeConnector
from connectors.secrets import SecretStore

__all__ = ["SecretStore", "SignInOptions", "networks", "options_for"]


def networks(options: SignInOptions | None = None) -> dict[str, NetworkEntry]:
    """The registry by network id, its hooks reaching the outside as `options` say."""
    options = options or SignInOptions()
    return {
        "practice": NetworkEntry(
            PRACTICE,
            PracticeConnector.capabilities,
            lambda access: PracticeConnector(access.data_dir, access.account.id),
        ),
        "mastodon": _entry(MASTODON, mastodon, mastodon.MastodonConnector, options),
        "bluesky": _entry(BLUESKY, bluesky, bluesky.BlueskyConnector, options),
        "x": _entry(X, x, x.XConnector, options, sign_in=x.sign_in_hook),
        "youtube": _entry(YOUTUBE, youtube, youtube.YouTubeConnector, options),
        "linkedin": _entry(
            LINKEDIN,
            linkedin,
            linkedin.LinkedinConnector,
            options,
            problem_needs_options=True,
            capabilities=linkedin.capabilities_for(options),
        ),
        "facebook": _entry(
            FACEBOOK,
            facebook,
            facebook.FacebookConnector,
            options,
            problem_needs_options=True,
            capabilities=facebook.capabilities_for(options),
        ),
        "instagram": _entry(
            INSTAGRAM, instagram, instagram.InstagramConnector, options, problem_needs_options=True
        ),
    }


def options_for(site: Site, **overrides) -> SignInOptions:
    """The site configuration's part of the options: LinkedIn's API month, Meta's Graph API
    version (Facebook and Instagram), and the foundation's service (when the site names one)
    renewing LinkedIn's tokens and hosting Instagram's photos."""
    service = site.koppeldienst_url
    return SignInOptions(
        linkedin_version=site.linkedin_version,
        meta_graph_version=site.graph_version,
        koppeldienst_url=service,
        linkedin_refresher=partial(koppeldienst.refresh_linkedin, service) if service else None,
        instagram_photo_host=(
            partial(koppeldienst.host_instagram_photo, service) if service else None
        ),
        **overrides,
    )


def _entry(
    profile,
    module,
    connector_class,
    options: SignInOptions,
    sign_in=None,
    problem_needs_options=False,
    capabilities=None,
) -> NetworkEntry:
    """A network whose module has the usual hooks: connector, has_sign_in, sign_in, revoke and
    configuration_problem, each taking the options where it reaches the outside
    (configuration_problem too when `problem_needs_options`: what it needs comes partly from them);
    `capabilities` where they depend on the options (Facebook and LinkedIn sign in through the
    browser when the site names the foundation's service)."""
    return NetworkEntry(
        profile,
        capabilities or connector_class.capabilities,
        partial(module.connector, options=options),
        module.has_sign_in,
        partial(sign_in or module.sign_in, options=options),
        partial(module.revoke, options=options),
        partial(module.configuration_problem, options=options)
        if problem_needs_options
        else module.configuration_problem,
    )
