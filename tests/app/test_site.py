from pathlib import Path

import pytest

from app import paths
from app.site.config import SiteConfigError, load_site

GOOD = """
[[authors]]
id = "a"
name = "Anne Jansen"
role = "leidster"

[[schools]]
id = "s"
name = "Peuterspeelzaal Het Nest"
foundation = "SPCP"
type = "peuterspeelzaal"

[[schools.accounts]]
id = "s-oefen"
network = "practice"
name = "Oefenaccount Het Nest"
kind = "official"
"""


def write(tmp_path: Path, text: str, name: str = "site.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_without_any_file_the_demo_site_has_a_scoh_school_and_a_spcp_playgroup_with_practice_accounts():
    site = load_site(None)
    assert site.is_demo
    foundations = {school.foundation: school for school in site.schools}
    assert foundations["SCOH"].type == "basisschool"
    assert foundations["SPCP"].type == "peuterspeelzaal"
    for school in site.schools:
        assert [a.network for a in school.accounts] == ["practice"]
        assert school.accounts[0].name.startswith("Oefenaccount")
    assert site.default_author().name


def test_a_valid_file_is_loaded_with_the_built_in_disclaimer(tmp_path):
    site = load_site(write(tmp_path, GOOD))
    assert not site.is_demo
    assert site.school("s").name == "Peuterspeelzaal Het Nest"
    assert "{auteur}" in site.disclaimers["official"]["long"].template


def test_a_syntax_error_names_the_file_and_line_and_does_not_fall_back_to_the_demo(tmp_path):
    path = write(tmp_path, GOOD + '\n[site]\nname = "kapot\n')
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    message = str(caught.value)
    assert str(path) in message
    assert "(regel 20)" in message
    assert "Er wordt niets geplaatst" in message


def test_a_wrong_value_names_the_key_its_line_and_what_is_expected(tmp_path):
    path = write(tmp_path, GOOD.replace('foundation = "SPCP"', 'foundation = "XYZ"'))
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    message = str(caught.value)
    assert "schools[0].foundation" in message
    assert "(regel 10)" in message
    assert "een van: SCOH, SPCP" in message


def test_a_disclaimer_without_a_placeholder_or_with_an_empty_statement_is_refused(tmp_path):
    wording = """
[disclaimer.staff.long]
template = "Geplaatst door {auteur} van {school}."
personal_views = "Mijn eigen mening, los van {stichting}."
third_parties = "  "
"""
    with pytest.raises(SiteConfigError) as caught:
        load_site(write(tmp_path, GOOD + wording))
    message = str(caught.value)
    assert "disclaimer.staff.long.template" in message and "{stichting}" in message
    assert "disclaimer.staff.long.third_parties" in message and "mag niet leeg zijn" in message


def test_an_unknown_placeholder_is_refused(tmp_path):
    wording = """
[disclaimer.official.short]
template = "{auteur} {school} {stichting} {klas}"
personal_views = "Eigen mening."
third_parties = "Niet verantwoordelijk voor derden."
"""
    with pytest.raises(SiteConfigError, match=r"\{klas\}"):
        load_site(write(tmp_path, GOOD + wording))


def test_a_system_file_that_is_broken_is_reported_never_replaced_by_the_demo(tmp_path):
    system_file = paths.system_site_file()
    system_file.parent.mkdir(parents=True)
    system_file.write_text("schools = 3\n", encoding="utf-8")
    with pytest.raises(SiteConfigError) as caught:
        load_site(None)
    assert str(system_file) in str(caught.value)


def test_the_user_file_may_choose_author_and_language_beside_a_system_file(tmp_path):
    system_file = paths.system_site_file()
    system_file.parent.mkdir(parents=True)
    system_file.write_text(
        GOOD + '\n[[authors]]\nid = "b"\nname = "Bram"\nrole = "communicatie"\n', encoding="utf-8"
    )
    user_file = paths.user_site_file()
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[user]\nauthor = "b"\nlanguage = "en"\n', encoding="utf-8")
    site = load_site(None)
    assert site.source == system_file
    assert site.default_author().name == "Bram"
    assert site.user_language == "en"


def test_an_explicit_file_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(SiteConfigError, match="bestaat niet"):
        load_site(tmp_path / "nergens.toml")


def test_lesson_hours_and_free_days_are_parsed_and_checked(tmp_path):
    text = GOOD + '\n[schools.lesson_hours]\nmonday = ["08:30-12:00"]\nfunday = ["x"]\n'
    with pytest.raises(SiteConfigError, match=r"schools\[0\]\.lesson_hours\.funday"):
        load_site(write(tmp_path, text))
    text = GOOD.replace(
        'type = "peuterspeelzaal"',
        'type = "peuterspeelzaal"\nfree_days = ["2026-12-21..2027-01-01"]',
    )
    text += '\n[schools.lesson_hours]\nmonday = ["08:30-12:00", "13:00-15:15"]\n'
    school = load_site(write(tmp_path, text)).school("s")
    assert [(s.hour, e.hour) for s, e in school.lesson_hours[0]] == [(8, 12), (13, 15)]
    assert school.free_days[0][1].isoformat() == "2027-01-01"


X_ACCOUNT = """
[[schools.accounts]]
id = "s-x"
network = "x"
name = "Het Nest op X"
kind = "official"
"""


def test_an_x_account_may_set_a_monthly_budget_in_dollars_to_the_cent(tmp_path):
    site = load_site(write(tmp_path, GOOD + X_ACCOUNT + "monthly_budget = 12.5\n"))
    assert str(site.account("s-x").monthly_budget) == "12.50"
    unlimited = load_site(write(tmp_path, GOOD + X_ACCOUNT, "unlimited.toml"))
    assert unlimited.account("s-x").monthly_budget is None


@pytest.mark.parametrize("value", ['"25"', "-1", "true"])
def test_a_budget_that_is_no_amount_names_the_key_and_what_is_expected(tmp_path, value):
    path = write(tmp_path, GOOD + X_ACCOUNT + f"monthly_budget = {value}\n")
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    message = str(caught.value)
    assert "schools[0].accounts[1].monthly_budget" in message
    assert "(regel 24)" in message
    assert "bedrag" in message
