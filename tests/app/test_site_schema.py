"""The site file is checked as a whole against its schema: every problem named with key and line,
unknown keys with the nearest known key; the README's table of keys is the schema's own."""

import re
from pathlib import Path

import pytest

from app import paths
from app.site.config import DEMO_SITE_FILE, SiteConfigError, load_site
from app.site.schema import markdown_table
from tests.app.test_site import GOOD, write

ROOT = Path(__file__).resolve().parents[2]


def problems_of(path: Path) -> list[tuple[str, int | None, str]]:
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    return [(p.key, p.line, p.expected) for p in caught.value.problems]


def message_of(path: Path) -> str:
    with pytest.raises(SiteConfigError) as caught:
        load_site(path)
    return str(caught.value)


def test_the_readme_table_of_keys_is_what_the_schema_generates():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- site-schema:begin -->\n(.*?)\n<!-- site-schema:end -->", readme, re.S)
    assert match, "README.md has no site-schema table"
    assert match.group(1) == markdown_table(), "paste the output of `python -m app.site.schema`"


def test_the_readme_table_names_every_key_the_demo_site_uses():
    table = markdown_table()
    for key in (
        "policy.lesson_hours_exempt_roles",
        "schools[].accounts[].network",
        "user.language",
    ):
        assert f"`{key}`" in table


def test_a_misspelt_key_is_an_error_with_its_line_and_the_nearest_known_key(tmp_path):
    text = GOOD + '\n[policy]\nlesson_hours_exmpt_roles = ["communicatie"]\n'
    path = write(tmp_path, text)
    assert problems_of(path) == [
        (
            "policy.lesson_hours_exmpt_roles",
            text.splitlines().index('lesson_hours_exmpt_roles = ["communicatie"]') + 1,
            "onbekende sleutel; bedoelt u 'lesson_hours_exempt_roles'?",
        )
    ]
    message = message_of(path)
    line = len(text.splitlines())
    assert f"- bij 'policy.lesson_hours_exmpt_roles' (regel {line}): onbekende sleutel" in message


def test_an_unknown_key_in_a_school_an_account_and_an_inline_table_are_each_named(tmp_path):
    text = (
        GOOD.replace(
            'type = "peuterspeelzaal"',
            'typ = "peuterspeelzaal"\nmanager = { name = "Joke", emal = "joke@nest.example" }',
        )
        .replace('kind = "official"', 'kind = "official"\nhandel = "@nest"')
        .replace('role = "leidster"', 'role = "leidster"\nemial = "a@nest.example"')
    )
    text += 'consent_contact = { name = "Administratie" }\n'
    found = {key: (line, expected) for key, line, expected in problems_of(write(tmp_path, text))}
    lines = text.splitlines()
    assert found["schools[0].typ"] == (
        lines.index('typ = "peuterspeelzaal"') + 1,
        "onbekende sleutel; bedoelt u 'type'?",
    )
    # The type is then missing too: said at the school's header.
    assert found["schools[0].type"] == (lines.index("[[schools]]") + 1, "dit veld ontbreekt")
    assert found["schools[0].accounts[0].handel"][1] == "onbekende sleutel; bedoelt u 'handle'?"
    assert found["authors[0].emial"][1] == "onbekende sleutel; bedoelt u 'email'?"
    assert found["schools[0].manager.emal"] == (
        lines.index('manager = { name = "Joke", emal = "joke@nest.example" }') + 1,
        "onbekende sleutel; bedoelt u 'email'?",
    )
    # After [[schools.accounts]] a key belongs to the account, so it is wrong there.
    assert found["schools[0].accounts[0].consent_contact"] == (
        len(lines),
        "hoort hier niet; 'consent_contact' hoort in schools[].consent_contact",
    )
    assert len(found) == 6


def test_an_account_outside_any_school_is_an_error_that_says_where_accounts_belong(tmp_path):
    text = (
        GOOD
        + '\n[[accounts]]\nid = "zwevend"\nnetwork = "mastodon"\nname = "Los"\nkind = "staff"\n'
    )
    [(key, line, expected)] = problems_of(write(tmp_path, text))
    assert key == "accounts"
    assert line == text.splitlines().index("[[accounts]]") + 1
    assert "schools[].accounts" in expected


def test_accounts_before_the_first_school_are_an_error_not_lost(tmp_path):
    text = '[[schools.accounts]]\nid = "x"\nnetwork = "practice"\nname = "X"\nkind = "official"\n'
    text += GOOD.split("[[schools]]")[0]
    [(key, line, expected)] = problems_of(write(tmp_path, text))
    assert (key, line) == ("schools", 1)
    assert "accounts van elke school erna als [[schools.accounts]]" in expected


def test_an_account_on_an_unknown_network_is_refused_with_the_known_ones(tmp_path):
    path = write(tmp_path, GOOD.replace('network = "practice"', 'network = "myspace"'))
    [(key, line, expected)] = problems_of(path)
    assert key == "schools[0].accounts[0].network"
    assert line == GOOD.splitlines().index('network = "practice"') + 1
    assert "mastodon" in expected and "bluesky" in expected


def test_every_problem_is_named_in_the_order_of_the_file_not_only_the_first(tmp_path):
    text = (
        '[site]\nname = 3\n\n[policy]\nseverity = { tone = "heel erg", klets = "warn" }\n'
        + GOOD.replace('foundation = "SPCP"', 'foundation = "XYZ"').replace(
            'kind = "official"', 'kind = "official"\ninstance = ["a"]'
        )
    )
    path = write(tmp_path, text)
    lines = text.splitlines()
    found = problems_of(path)
    assert [(key, line) for key, line, _ in found] == [
        ("site.name", 2),
        ("policy.severity.tone", 5),
        ("policy.severity.klets", 5),
        ("schools[0].foundation", lines.index('foundation = "XYZ"') + 1),
        ("schools[0].accounts[0].instance", lines.index('instance = ["a"]') + 1),
    ]
    assert found[0][2] == "een tekst tussen aanhalingstekens"
    assert found[1][2] == "een van: block, warn, info"
    assert found[2][2].startswith("onbekende sleutel; hier horen: disclaimer, personal_data")
    assert "bevat 5 fouten" in message_of(path)


def test_a_list_of_strings_where_tables_belong_is_named_per_item(tmp_path):
    path = write(tmp_path, 'schools = ["regenboog", "nest"]\nauthors = "iedereen"\n')
    school = "een school als [[schools]] met id, name, foundation en type"
    assert problems_of(path) == [
        ("schools[0]", 1, school),
        ("schools[1]", 1, school),
        ("authors", 2, "ten minste één auteur ([[authors]])"),
    ]


def test_deep_nesting_is_a_message_not_a_crash(tmp_path):
    deep = write(tmp_path, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    [(key, line, expected)] = problems_of(deep)
    assert (key, line) == ("", None)
    assert "te diep" in expected
    headers = write(tmp_path, "[" + ".".join(["x"] * 3000) + "]\ny = 1\n", "headers.toml")
    found = problems_of(headers)
    assert found[0][:2] == ("x", 1)
    assert [key for key, _, _ in found[1:]] == ["authors", "schools"]


def test_duplicate_ids_are_named_at_the_second_one(tmp_path):
    text = GOOD + GOOD.split("[[schools]]", 1)[1].join(["\n[[schools]]", ""])
    found = problems_of(write(tmp_path, text))
    lines = text.splitlines()
    second_school = [i + 1 for i, line in enumerate(lines) if line == "[[schools]]"][1]
    assert ("schools[1].id", second_school + 1, "school-id 's' komt twee keer voor") in found
    assert any(key == "schools[1].accounts[0].id" and "s-oefen" in e for key, _, e in found)


def test_a_byte_order_mark_as_notepad_writes_it_is_accepted(tmp_path):
    path = tmp_path / "site.toml"
    path.write_bytes(b"\xef\xbb\xbf" + DEMO_SITE_FILE.read_bytes())
    site = load_site(path)
    assert {s.id for s in site.schools} == {"regenboog", "kleine-wereld"}
    broken = tmp_path / "broken.toml"
    broken.write_bytes(
        b"\xef\xbb\xbf" + GOOD.replace("[[authors]]", "[site]\nname = 3\n\n[[authors]]", 1).encode()
    )
    # The mark takes no line: the wrong name is on the file's third line.
    assert problems_of(broken) == [("site.name", 3, "een tekst tussen aanhalingstekens")]


def test_a_utf16_file_says_to_save_it_as_utf8(tmp_path):
    path = tmp_path / "site.toml"
    path.write_bytes(DEMO_SITE_FILE.read_text(encoding="utf-8").encode("utf-16"))
    [(_, _, expected)] = problems_of(path)
    assert "UTF-8" in expected


def test_the_user_file_beside_a_system_file_may_only_say_who_the_user_is(tmp_path):
    system_file = paths.system_site_file()
    system_file.parent.mkdir(parents=True)
    system_file.write_text(GOOD, encoding="utf-8")
    user_file = paths.user_site_file()
    user_file.parent.mkdir(parents=True)
    user_file.write_text('[user]\nauthor = "a"\ntaal = "en"\n\n[policy]\noverride_reasons = []\n')
    with pytest.raises(SiteConfigError) as caught:
        load_site(None)
    assert caught.value.path == user_file
    found = [(p.key, p.line, p.expected) for p in caught.value.problems]
    assert found == [
        ("user.taal", 3, "onbekende sleutel; hier horen: author, language"),
        ("policy", 5, "naast een systeembestand mag het gebruikersbestand alleen [user] bevatten"),
    ]


def test_the_user_author_must_be_an_author_of_the_site(tmp_path):
    text = GOOD + '\n[user]\nauthor = "niemand"\nlanguage = "fr"\n'
    lines = len(text.splitlines())
    assert problems_of(write(tmp_path, text)) == [
        ("user.author", lines - 1, "een auteur-id uit de siteconfiguratie"),
        ("user.language", lines, "een van: nl, en"),
    ]


def test_the_demo_site_passes_its_own_schema():
    site = load_site(None)
    assert site.is_demo
    assert site.policy.lesson_hours_exempt_roles == ("communicatie", "directie")
