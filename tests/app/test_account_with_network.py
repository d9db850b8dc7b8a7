"""An account's name with its network, where Postwijs lists targets (the publish rows, the
status line, the review PDF): the network once, also when the name carries it already."""

import pytest

from app.networks.profiles import account_with_network


@pytest.mark.parametrize(
    ("name", "network", "shown"),
    [
        ("De Regenboog", "mastodon", "De Regenboog (Mastodon)"),
        (
            "Basisschool De Regenboog op X (voorheen Twitter)",
            "x",
            "Basisschool De Regenboog op X (voorheen Twitter)",
        ),
        (
            "Ouders en vrienden van De Regenboog (Facebook)",
            "facebook",
            "Ouders en vrienden van De Regenboog (Facebook)",
        ),
        ("De Regenboog op instagram", "instagram", "De Regenboog op instagram"),
        ("Oefenaccount De Regenboog", "practice", "Oefenaccount De Regenboog"),
        # Only as a word of its own: a name that merely contains the letters keeps the network.
        ("Xander van groep 8", "x", "Xander van groep 8 (X)"),
        ("Groep 8 op Bluesky", "mastodon", "Groep 8 op Bluesky (Mastodon)"),
        ("Filmpjes van De Regenboog", "youtube", "Filmpjes van De Regenboog (YouTube)"),
    ],
)
def test_the_network_is_named_once(name, network, shown):
    assert account_with_network(name, network) == shown
