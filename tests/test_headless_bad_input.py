"""Every headless command under bad input (issue 10): whatever it is given, no traceback, an
answer in Dutch, the documented exit code, and nothing already stored changed.

Each property runs the command in-process through app.__main__.main(argv) against one data folder
that holds a register and a history; one test per command runs the real program as a subprocess.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.consent.register import identifier_key
from app.history import chain as history
from app.store import Store
from tests.conftest import run_app
from tests.headless import assert_dutch, run, stored

FEW = settings(
    max_examples=30,
    deadline=None,
    # One data folder for all examples on purpose: each example compares it before and after.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = ["Leerlingnummer", "Roepnaam", "Achternaam", "Groep", "Toestemming social media"]
PEOPLE = [["101", "Noor", "Bakker", "5", "ja"], ["102", "Sem", "Visser", "5", "nee"]]


@pytest.fixture
def filled(tmp_path, data_dir):
    """A data folder with two people in the register and a history of some length."""
    export = tmp_path / "leerlingen.csv"
    export.write_text(
        "\r\n".join(";".join(r) for r in [HEADER, *PEOPLE]) + "\r\n", encoding="utf-8"
    )
    answer = run(
        "consent", "import", str(export), "--school", "regenboog", "--data-dir", str(data_dir)
    )
    assert answer.code == 0, answer.text
    store = Store.open(data_dir)
    history.append(store, "published", {"school": "regenboog", "account": "regenboog-oefen"})
    store.close()
    return data_dir


# ---- check -----------------------------------------------------------------------------------


def _containers(inner):
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    _containers,
    max_leaves=12,
)
moments = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)
).flatmap(
    lambda moment: st.sampled_from(
        [
            moment.isoformat(),
            *(
                moment.replace(tzinfo=timezone(timedelta(hours=h))).isoformat()
                for h in (-12, -1, 1, 14)
            ),
        ]
    )
)
requests = st.fixed_dictionaries(
    {},
    optional={
        "text": st.text(max_size=80) | json_values,
        "at": moments | json_values,
        "school": st.sampled_from(["regenboog", "kleine-wereld", "", "elders"]) | json_values,
        "author": st.sampled_from(["demo", "niemand"]) | json_values,
        "kind": st.sampled_from(["official", "staff", "x"]) | json_values,
        "networks": st.lists(st.sampled_from(["x", "bluesky", "mastodon", "myspace"]), max_size=3)
        | json_values,
        "accounts": st.lists(st.sampled_from(["regenboog-oefen", "weg"]), max_size=2) | json_values,
    },
)
lines = st.one_of(
    requests.map(lambda r: json.dumps(r).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.integers(min_value=1, max_value=5000).map(lambda n: b"[" * n + b"]" * n),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
)


@FEW
@given(st.lists(lines, min_size=1, max_size=6))
def test_check_jsonl_answers_every_line_on_its_own(filled, batch):
    before = stored(filled)
    answer = run("check", "--jsonl", "--data-dir", str(filled), stdin=b"\n".join(batch) + b"\n")
    assert answer.code in (0, 1), answer.text
    results = [json.loads(line) for line in answer.out.splitlines()]
    assert [r["line"] for r in results] == list(range(1, len(batch) + 1))
    for result in results:
        if "error" in result:
            assert_dutch(result["error"])
        else:
            assert isinstance(result["blocks"], bool) and isinstance(result["findings"], list)
    if any("error" in r or r["blocks"] for r in results):
        assert answer.code == 1
    assert stored(filled) == before


@FEW
@given(st.binary(max_size=200))
def test_check_of_any_bytes_answers_in_dutch(filled, data):
    before = stored(filled)
    answer = run("check", "--data-dir", str(filled), stdin=data)
    assert answer.code in (0, 1, 2), answer.text
    assert "Traceback" not in answer.text
    if answer.code == 2:
        assert_dutch(answer.text)
    assert stored(filled) == before


def test_check_finds_the_names_of_the_register_in_the_data_folder(filled, data_dir):
    # After school, so that the lesson-hours warning is not among the findings.
    evening = "2026-12-02T18:00:00+01:00"
    post = {"text": "Noor Bakker uit groep 5 won de wedstrijd", "at": evening}
    line = json.dumps(post).encode() + b"\n"
    with_register = json.loads(run("check", "--jsonl", "--data-dir", str(filled), stdin=line).out)
    assert "personal_data" in {f["rule"] for f in with_register["findings"]}
    elsewhere = run("check", "--jsonl", "--data-dir", str(data_dir.parent / "leeg"), stdin=line)
    assert json.loads(elsewhere.out)["findings"] == []  # an empty register knows no Noor


def test_check_counts_against_the_limit_an_accounts_server_announced(filled):
    from app.networks.account_limits import remember_text_limit

    store = Store.open(filled)
    remember_text_limit(store, "regenboog-oefen", 321)
    store.close()
    line = json.dumps({"text": "Hoi", "accounts": ["regenboog-oefen"]}).encode()
    (target,) = json.loads(run("check", "--jsonl", "--data-dir", str(filled), stdin=line).out)[
        "targets"
    ]
    assert target["limit"] == 321


def test_check_help_says_it_reads_the_register():
    answer = run("check", "--help")
    assert answer.code == 0 and "toestemmingsregister in --data-dir" in answer.out


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00"]
)
def test_an_extreme_moment_is_answered_on_its_own_line(filled, moment):
    batch = [{"text": "Hoi", "at": moment}, {"text": "Hoi"}]
    answer = run(
        "check",
        "--jsonl",
        "--data-dir",
        str(filled),
        stdin="\n".join(json.dumps(r) for r in batch).encode(),
    )
    first, second = (json.loads(line) for line in answer.out.splitlines())
    assert "ligt buiten de jaren 1900 tot en met 9000" in first["error"]
    assert second["line"] == 2 and second["blocks"] is False
    assert answer.code == 1


# ---- consent import --------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=300))
def test_consent_import_of_any_bytes_changes_nothing_unless_applied(filled, tmp_path, data):
    path = tmp_path / "rommel.csv"
    path.write_bytes(data)
    before = stored(filled)
    answer = run(
        "consent", "import", str(path), "--school", "regenboog", "--data-dir", str(filled), "--json"
    )
    assert answer.code in (0, 1, 2), answer.text
    result = json.loads(answer.out)
    assert result["applied"] is (answer.code == 0)
    if answer.code:
        assert stored(filled) == before
        assert_dutch(
            " ".join(result["problems"]) or json.dumps(result["bad_lines"], ensure_ascii=False)
        )


cells = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=12
)
dialects = st.fixed_dictionaries(
    {
        "delimiter": st.sampled_from([";", ",", "\t", "|"]),
        "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
        "lineterminator": st.sampled_from(["\r\n", "\n", "\r"]),
        "encoding": st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        "broken_quote": st.booleans(),
    }
)


@FEW
@given(dialects, st.lists(st.lists(cells, min_size=0, max_size=6), max_size=4))
def test_consent_import_in_any_dialect_applies_all_or_nothing(filled, tmp_path, dialect, rows):
    text = io.StringIO()
    writer = csv.writer(
        text,
        delimiter=dialect["delimiter"],
        quoting=dialect["quoting"],
        lineterminator=dialect["lineterminator"],
    )
    writer.writerows([HEADER, *PEOPLE, *rows])
    content = text.getvalue()
    # A quote left open before Noor's first name, where the dialect leaves names unquoted and
    # Postwijs knows the separator.
    broken = (
        dialect["broken_quote"]
        and dialect["quoting"] == csv.QUOTE_MINIMAL
        and dialect["delimiter"] != "|"
    )
    if broken:
        content = content.replace("Noor", '"Noor', 1)
    try:
        data = content.encode(dialect["encoding"])
    except UnicodeEncodeError:
        assume(False)
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    before = stored(filled)
    answer = run(
        "consent", "import", str(path), "--school", "regenboog", "--data-dir", str(filled), "--json"
    )
    assert answer.code in (0, 1, 2), answer.text
    result = json.loads(answer.out)
    assert result["applied"] is (answer.code == 0)
    if answer.code:
        assert stored(filled) == before
        assert_dutch(
            " ".join(result["problems"]) or json.dumps(result["bad_lines"], ensure_ascii=False)
        )
    if broken:
        assert answer.code == 2 and "aanhalingsteken open" in result["problems"][0]


# ---- consent erase ---------------------------------------------------------------------------

texts = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=10
)


@FEW
@given(
    st.sampled_from(["regenboog", "elders"]) | texts,
    st.sampled_from(["101", "0101", "999"]) | texts,
    st.sampled_from(["Joost", ""]) | texts,
)
def test_consent_erase_of_any_values_erases_only_a_known_person(filled, school, identifier, by):
    assume(not identifier.startswith("-") and not school.startswith("-") and not by.startswith("-"))
    before = stored(filled)
    answer = run(
        "consent",
        "erase",
        "--school",
        school,
        "--identifier",
        identifier,
        "--by",
        by,
        "--data-dir",
        str(filled),
    )
    assert_dutch(answer.text)
    known = school.strip() == "regenboog" and identifier_key(identifier.strip()) == "101"
    if not (school.strip() and identifier.strip() and by.strip()):
        assert answer.code == 2
    else:
        assert answer.code == (0 if known else 1)
    if answer.code == 0:
        assert not any("Noor" in row for row in stored(filled)[0])
        imported = run(
            "consent",
            "import",
            str(filled.parent / "leerlingen.csv"),
            "--school",
            "regenboog",
            "--data-dir",
            str(filled),
        )
        assert imported.code == 0  # Noor back, for the next example
    else:
        assert stored(filled) == before


@pytest.mark.parametrize("empty", ["--school", "--identifier", "--by"])
def test_an_empty_required_value_is_wrong_usage_in_dutch(filled, empty):
    values = {"--school": "regenboog", "--identifier": "101", "--by": "Joost", empty: " "}
    before = stored(filled)
    answer = run(
        "consent", "erase", *[x for kv in values.items() for x in kv], "--data-dir", str(filled)
    )
    assert answer.code == 2
    assert f"bij {empty}: vul een waarde in; leeg kan niet" in answer.err
    assert stored(filled) == before


@pytest.mark.parametrize(
    "args",
    [
        ["history", "report", "--school-year", "2026-2027", "--out", ""],
        ["history", "export", "--out", ""],
        ["history", "audit", "", "--school-year", "2026-2027", "--out", "uit"],
        ["media", "prepare", "foto.jpg", "--network", "", "--out", "uit"],
        ["check", "--data-dir", ""],
    ],
)
def test_an_empty_file_or_folder_is_wrong_usage_not_the_current_folder(
    filled, tmp_path, monkeypatch, args
):
    where_the_user_stands = tmp_path / "leeg"
    where_the_user_stands.mkdir()
    monkeypatch.chdir(where_the_user_stands)
    before = stored(filled)
    data_dir = [] if "--data-dir" in args else ["--data-dir", str(filled)]
    answer = run(*args, *data_dir)
    assert answer.code == 2 and "vul een waarde in; leeg kan niet" in answer.err
    assert list(where_the_user_stands.iterdir()) == []
    assert stored(filled) == before


def test_a_missing_required_value_is_wrong_usage_in_dutch(filled):
    answer = run("consent", "erase", "--school", "regenboog", "--data-dir", str(filled))
    assert answer.code == 2 and "geef ook --identifier, --by op" in answer.err
    assert_dutch(answer.err)


# ---- history ---------------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=300))
def test_history_audit_of_any_bytes_is_refused_in_dutch(filled, tmp_path, data):
    path = tmp_path / "bundel.zip"
    path.write_bytes(data)
    answer = run(
        "history", "audit", str(path), "--school-year", "2026-2027", "--out", str(tmp_path / "uit")
    )
    assert answer.code == 2
    assert_dutch(answer.text)


chain_rows = st.lists(json_values, max_size=9) | json_values


@FEW
@given(st.lists(chain_rows, max_size=4), json_values)
def test_history_audit_of_a_bundle_with_any_rows_never_crashes(tmp_path, rows, anchor):
    path = tmp_path / "bundel.zip"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("chain.jsonl", "\n".join(json.dumps(r) for r in rows))
        bundle.writestr(
            "meta.json", json.dumps({"format": "postwijs-history-bundle/1", "anchor": anchor})
        )
    answer = run(
        "history",
        "audit",
        str(path),
        "--school-year",
        "2026-2027",
        "--out",
        str(tmp_path / "uit"),
        "--json",
    )
    assert answer.code in (0, 1, 2), answer.text
    assert "Traceback" not in answer.text
    if answer.code == 2:
        assert_dutch(json.loads(answer.out)["message"])


@FEW
@given(texts)
def test_history_report_of_any_school_year_answers_in_dutch(filled, tmp_path, year):
    assume(not year.startswith("-"))
    before = stored(filled)
    answer = run(
        "history",
        "report",
        "--school-year",
        year,
        "--out",
        str(tmp_path / "verslag"),
        "--data-dir",
        str(filled),
    )
    assert answer.code in (0, 2), answer.text
    assert_dutch(answer.text)
    assert stored(filled) == before


@FEW
@given(st.binary(min_size=1, max_size=300))
def test_history_verify_of_a_broken_database_leaves_it_as_it_was(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("kapot")
    (folder / "postwijs.sqlite3").write_bytes(data)
    answer = run("history", "verify", "--data-dir", str(folder))
    assert answer.code in (0, 2), answer.text
    if answer.code == 2:
        assert_dutch(answer.text)
        assert (folder / "postwijs.sqlite3").read_bytes() == data


# ---- media prepare ---------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=300), st.sampled_from(["bluesky", "instagram", "myspace", ""]))
def test_media_prepare_of_any_bytes_is_refused_in_dutch(filled, tmp_path, data, network):
    path = tmp_path / "foto.jpg"
    path.write_bytes(data)
    before = stored(filled)
    answer = run(
        "media",
        "prepare",
        str(path),
        "--network",
        network,
        "--out",
        str(tmp_path / "uit"),
        "--data-dir",
        str(filled),
    )
    assert answer.code in (1, 2), answer.text
    assert_dutch(answer.text)
    assert stored(filled) == before


# ---- the real program, once per command ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "dutch"),
    [
        (
            ["consent", "erase", "--school", "regenboog", "--identifier", "101", "--by", ""],
            2,
            "bij --by: vul een waarde in",
        ),
        (["consent", "import", "{bad}", "--school", "regenboog"], 2, "aanhalingsteken open"),
        (["check", "--jsonl", "{lines}"], 1, "ligt buiten de jaren"),
        (
            ["history", "audit", "{junk}", "--school-year", "2026-2027", "--out", "{out}"],
            2,
            "geen leesbare Postwijs-geschiedenisbundel",
        ),
        (
            ["history", "report", "--school-year", "26/27", "--out", "{out}"],
            2,
            "Geef het schooljaar als 2025-2026",
        ),
        (["history", "verify"], 0, "De geschiedenis is onveranderd"),
        (["media", "prepare", "{junk}", "--network", "bluesky", "--out", "{out}"], 1, ""),
    ],
)
def test_the_program_answers_bad_input_in_dutch(filled, tmp_path, args, code, dutch):
    bad = tmp_path / "kapot.csv"
    bad.write_text('Leerlingnummer;Roepnaam;Achternaam\r\n103;"Mees;de Boer\r\n', encoding="utf-8")
    lines = tmp_path / "regels.jsonl"
    lines.write_text(
        json.dumps({"text": "Hoi", "at": "9999-12-31T23:59:59-01:00"}) + "\n", encoding="utf-8"
    )
    junk = tmp_path / "rommel.bin"
    junk.write_bytes(b"\x00\xff" * 50)
    places = {
        "{bad}": str(bad),
        "{lines}": str(lines),
        "{junk}": str(junk),
        "{out}": str(tmp_path / "uit"),
    }
    before = stored(filled)
    result = run_app(*[places.get(a, a) for a in args], "--data-dir", str(filled))
    assert result.returncode == code, result.stdout + result.stderr
    assert_dutch(result.stdout + result.stderr)
    assert dutch in result.stdout + result.stderr
    assert stored(filled) == before
