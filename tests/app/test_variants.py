from dataclasses import replace

from app.compose.disclaimer import DisclaimerWording, compose, wording_problems
from app.compose.model import ComposerModel, remaining_in_words
from app.compose.post import Draft
from app.compose.variants import build_variants


def test_the_disclaimer_names_author_school_and_foundation_and_is_appended(demo_site):
    draft = Draft(text="Wat een mooie dag!  \n", school_id="kleine-wereld", author_id="demo")
    draft.account_ids = ["kleine-wereld-oefen"]
    (variant,) = build_variants(draft, demo_site)
    assert variant.final_text.startswith("Wat een mooie dag!\n\n— ")
    assert variant.final_text.endswith(variant.disclaimer)
    for part in (
        "Sanne de Vries",
        "Peuterspeelzaal De Kleine Wereld",
        "(SPCP)",
        "persoonlijk",
        "derden",
    ):
        assert part in variant.disclaimer
    assert variant.disclaimer_length == "long" and variant.fits


def test_a_long_text_gets_the_short_wording_and_too_long_a_text_is_not_publishable(demo_site):
    model = ComposerModel(demo_site)
    long_disclaimer = model.variants()[0].disclaimer if model.variants() else ""
    model.set_text("x" * (500 - 2 - len(long_disclaimer) + 10))
    (variant,) = model.variants()
    assert variant.disclaimer_length == "short" and variant.fits
    model.set_text("x" * 500)
    (variant,) = model.variants()
    assert not variant.fits and variant.disclaimer_length is None
    over = variant.length - variant.limit
    assert remaining_in_words(variant) == f"{over} tekens te veel"
    assert model.why_not_publishable() == (
        f"Je bericht is {over} tekens te lang voor Oefenaccount De Regenboog. Maak het korter."
    )


def test_too_long_a_text_names_the_network_once_whatever_the_account_is_called(demo_site):
    school = demo_site.schools[0]
    renamed = replace(school.accounts[0], name="De Regenboog")
    site = replace(demo_site, schools=[replace(school, accounts=[renamed]), *demo_site.schools[1:]])
    model = ComposerModel(site)
    model.set_text("x" * 500)
    (variant,) = model.variants()
    over = variant.length - variant.limit
    assert model.why_not_publishable() == (
        f"Je bericht is {over} tekens te lang voor De Regenboog (Oefenaccount). Maak het korter."
    )


def test_the_composer_says_what_is_missing_before_it_can_publish(demo_site):
    model = ComposerModel(demo_site)
    assert model.why_not_publishable() == "Schrijf eerst je bericht."
    model.set_text("Hallo")
    assert model.why_not_publishable() == ""
    model.set_account("regenboog-oefen", False)
    assert model.why_not_publishable() == "Kies ten minste één account om op te plaatsen."


def test_remaining_is_said_in_words(demo_site):
    model = ComposerModel(demo_site)
    model.set_text("Hallo")
    (variant,) = model.variants()
    assert remaining_in_words(variant) == f"nog {variant.limit - variant.length} tekens"


def test_the_default_wording_has_every_required_element():
    from app.compose.disclaimer import default_wordings

    for kinds in default_wordings().values():
        for wording in kinds.values():
            assert wording_problems(wording) == []
    bad = DisclaimerWording("{auteur} van {school}", "", "Niet verantwoordelijk.")
    fields = {field for field, _ in wording_problems(bad)}
    assert fields == {"template", "personal_views"}


def test_an_empty_post_is_just_the_disclaimer():
    assert compose("   ", "— disclaimer") == "— disclaimer"
