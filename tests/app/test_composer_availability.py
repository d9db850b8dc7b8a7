"""Only accounts that can post can be chosen (issue 11): the composer model takes what is known
of each account as plain values and keeps the draft to the postable ones."""

from __future__ import annotations

from pathlib import Path

from app.compose.model import ComposerModel, availability_of
from app.site.config import load_site

EIGHT_ACCOUNTS = Path(__file__).resolve().parents[1] / "sites" / "eight-accounts.toml"


def test_until_the_states_are_known_only_the_practice_account_can_be_chosen():
    model = ComposerModel(load_site(EIGHT_ACCOUNTS), availability={})
    model.set_account("regenboog-bluesky-juf", True)
    assert model.draft.account_ids == ["regenboog-oefen"]
    assert model.availability("regenboog-bluesky-juf").state == "wordt nagekeken"


def test_a_signed_in_account_can_be_chosen_and_leaves_the_draft_when_it_no_longer_can():
    model = ComposerModel(load_site(EIGHT_ACCOUNTS), availability={})
    model.set_availability({"regenboog-bluesky-juf": availability_of("connected", "verbonden")})
    model.set_account("regenboog-bluesky-juf", True)
    assert model.draft.account_ids == ["regenboog-oefen", "regenboog-bluesky-juf"]
    model.set_availability(
        {"regenboog-bluesky-juf": availability_of("reconnect", "opnieuw aanmelden")}
    )
    assert model.draft.account_ids == ["regenboog-oefen"]
    left_out = dict(model.accounts_left_out())
    assert left_out["Juf Annemarie van de onderbouw op Bluesky"] == (
        "opnieuw aanmelden: Eerst opnieuw aanmelden bij Accounts."
    )
    assert left_out["Basisschool De Regenboog op X"].startswith("wordt nagekeken:")


def test_a_restored_draft_with_an_account_not_yet_known_waits_with_a_reason():
    model = ComposerModel(load_site(EIGHT_ACCOUNTS), availability={})
    draft = model.draft
    draft.account_ids = ["regenboog-oefen", "regenboog-mastodon"]
    draft.text = "Morgen is de kerstmarkt."
    model.load(draft)
    assert model.why_not_publishable() == (
        "De Regenboog op Mastodon (onderwijs.social): wordt nagekeken. Postwijs kijkt of dit"
        " account klaar is."
    )


def test_without_availability_a_headless_model_does_not_ask():
    model = ComposerModel(load_site(EIGHT_ACCOUNTS))
    model.set_account("regenboog-mastodon", True)
    assert "regenboog-mastodon" in model.draft.account_ids
