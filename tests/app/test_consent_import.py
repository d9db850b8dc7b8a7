"""Importing the administration's export: real CSV files in the encodings and separators schools
produce, the Dutch ways of writing yes and no, bad lines, re-imports, people missing from an
export, the headless command and the shared folder."""

from __future__ import annotations

import codecs
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.commands.cli import Options
from app.commands.consent import cmd_consent_import
from app.consent import register as consent
from app.consent import share_import
from app.consent.column_mapping import (
    Mapping,
    MappingError,
    mapping_problems,
    remembered_mapping,
    suggest_mapping,
)
from app.consent.csv_import import describe_report, import_csv
from app.consent.csv_reading import CsvRow, CsvTable, ImportFileError, parse_csv_bytes, read_csv
from app.consent.line_validation import parse_consent_value, preview, validate
from app.consent.register import GIVEN, REFUSED, UNKNOWN, WITHDRAWN
from app.consent.share_import import (
    BUSY,
    IMPORTED,
    MAPPING_FILE_NAME,
    NO_FILE,
    UNCHANGED,
    UNREACHABLE,
    import_from_share,
)
from app.history import chain as history
from app.store import Store

NOW = datetime(2026, 9, 14, 10, 0, tzinfo=UTC)  # school year 2026-2027
YEAR = "2026-2027"
HEADER = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Toestemming social media;Foto website"
)
GOOD_LINES = [
    "1001;Noor;;Bakker;5b;ja;x",
    "1002;Daan;de;Vries;5b;nee;",
    "1003;Zoë;;Smit;3a;wel toestemming;geen toestemming",
    "1004;René;van der;Berg;3a;1;0",
]


def write(tmp_path: Path, lines: list[str], name="export.csv", encoding="utf-8", newline="\r\n"):
    path = tmp_path / name
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def run_import(store, site, path, **options):
    options.setdefault("by", "demo")
    options.setdefault("now", NOW)
    return import_csv(store, site, path, "regenboog", **options)


def states(store, identifier):
    person = consent.find_person(store, "regenboog", identifier)
    return {
        purpose: state for (purpose, year), state in consent.consents_of(store, person.id).items()
    }


def register_is_empty(store) -> bool:
    return (
        consent.people(store) == []
        and consent.change_log(store) == []
        and history.events(store) == []
        and remembered_mapping(store, "regenboog") is None
    )


# ---- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix", "separator", "expected_encoding"),
    [
        ("utf-8", b"", ";", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, ";", "utf-8-sig"),
        ("utf-8", codecs.BOM_UTF8, ",", "utf-8-sig"),
        ("cp1252", b"", ";", "cp1252"),
        ("cp1252", b"", ",", "cp1252"),
        ("cp1252", b"", "\t", "cp1252"),
        ("utf-8", b"", "\t", "utf-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\t", "utf-16"),  # Excel's "Unicode-tekst"
    ],
)
def test_encodings_and_separators_are_detected(
    tmp_path, encoding, prefix, separator, expected_encoding
):
    lines = [line.replace(";", separator) for line in [HEADER, *GOOD_LINES]]
    path = tmp_path / "export.csv"
    path.write_bytes(prefix + ("\r\n".join(lines) + "\r\n").encode(encoding))
    table = read_csv(path)
    assert table.encoding == expected_encoding
    assert table.delimiter == separator
    assert table.headers[0] == "Leerlingnummer"  # no BOM left on the first header
    assert [row.cells[1] for row in table.rows] == ["Noor", "Daan", "Zoë", "René"]
    assert [row.line for row in table.rows] == [2, 3, 4, 5]


def test_cp1252_names_with_accents_reach_the_register(tmp_path, store, demo_site):
    path = write(
        tmp_path,
        [HEADER, "2001;Anaïs;;Müller;4;ja;ja", "2002;Chloë;;Dubois-Éclair;4;ja;"],
        encoding="cp1252",
    )
    report = run_import(store, demo_site, path)
    assert report.applied and report.validation.encoding == "cp1252"
    names = sorted(p.full_name for p in consent.people(store))
    assert names == ["Anaïs Müller", "Chloë Dubois-Éclair"]


def test_quoted_fields_with_separators_and_line_breaks_keep_the_line_numbers(tmp_path):
    data = (
        b"sep=,\r\n"
        b"Leerlingnummer,Roepnaam,Achternaam,Groep,Toestemming social media\r\n"
        b'1001,Noor,"Bakker, de",5b,ja\r\n'
        b"\r\n"
        b'1002,Daan,"Vries\r\nvan",5b,"nee"\r\n'
        b"1003,Sem,Smit,5b,ja\r\n"
    )
    table = parse_csv_bytes(data, "export.csv")
    assert table.delimiter == ","
    assert [(row.line, row.cells[2]) for row in table.rows] == [
        (3, "Bakker, de"),
        (5, "Vries\r\nvan"),
        (7, "Smit"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04binary", "is een Excel-bestand"),
        (b"", "is leeg"),
        (b"\r\n ; ; \r\n", "is leeg"),
        (b"\x00\x01\x02 not text", "is geen tekstbestand"),
    ],
)
def test_a_file_that_is_no_export_is_refused_with_what_to_do(data, message):
    with pytest.raises(ImportFileError, match=message):
        parse_csv_bytes(data, "export.xlsx")


def test_a_missing_file_is_reported_and_changes_nothing(tmp_path, store, demo_site):
    report = run_import(store, demo_site, tmp_path / "bestaat-niet.csv")
    assert not report.applied
    assert report.problems[0].startswith("bestaat-niet.csv is er niet (meer). Kies het bestand")
    assert register_is_empty(store)


@given(st.binary(max_size=400))
@settings(max_examples=200, deadline=None)
def test_reading_never_crashes_on_any_bytes(data):
    try:
        table = parse_csv_bytes(data, "x.csv")
    except ImportFileError:
        return
    assert all(row.line >= 1 for row in table.rows)


# ---- yes, no and the mapping --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("ja", GIVEN),
        ("Ja", GIVEN),
        (" JA ", GIVEN),
        ("j", GIVEN),
        ("x", GIVEN),
        ("X", GIVEN),
        ("1", GIVEN),
        ("yes", GIVEN),
        ("WAAR", GIVEN),
        ("true", GIVEN),
        ("wel toestemming", GIVEN),
        ("Wel toestemming.", GIVEN),
        ("toestemming", GIVEN),
        ("Ja, toestemming", GIVEN),
        ("nee", REFUSED),
        ("N", REFUSED),
        ("0", REFUSED),
        ("no", REFUSED),
        ("ONWAAR", REFUSED),
        ("geen toestemming", REFUSED),
        ("Geen", REFUSED),
        ("Nee, geen toestemming", REFUSED),
        ("ingetrokken", WITHDRAWN),
        ("", UNKNOWN),
        ("   ", UNKNOWN),
        ("onbekend", UNKNOWN),
        ("n.v.t.", UNKNOWN),
        ("misschien", None),
        ("ja, maar alleen groepsfoto's", None),
        ("2", None),
        ("jaa", None),
        ("nee?", None),
    ],
)
def test_the_dutch_ways_of_yes_and_no(text, state):
    assert parse_consent_value(text) == state


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Groep",
             "Toestemming social media", "Foto website", "Nieuwsbrief", "Schoolgids"],
            {"identifier": "Leerlingnummer", "first_name": "Roepnaam",
             "tussenvoegsel": "Tussenvoegsel", "last_name": "Achternaam", "group": "Groep",
             "purposes": {"sociale media": "Toestemming social media", "website": "Foto website",
                          "nieuwsbrief": "Nieuwsbrief", "schoolgids": "Schoolgids"}},
        ),
        (
            ["BSN", "Stamnummer", "Voornamen", "Roepnaam", "Voorvoegsel", "Geslachtsnaam", "Klas",
             "Telefoonnummer", "AVG: foto's op sociale media", "Instagram-account"],
            {"identifier": "Stamnummer", "first_name": "Roepnaam", "tussenvoegsel": "Voorvoegsel",
             "last_name": "Geslachtsnaam", "group": "Klas",
             "purposes": {"sociale media": "AVG: foto's op sociale media"},
             "handles": {"instagram": "Instagram-account"}},
        ),
        (
            ["ID", "Voornaam", "Naam", "Rol", "Schooljaar", "Beeldmateriaal website (j/n)"],
            {"identifier": "ID", "first_name": "Voornaam", "last_name": "Naam", "role": "Rol",
             "school_year": "Schooljaar", "purposes": {"website": "Beeldmateriaal website (j/n)"}},
        ),
        (["BSN", "Naam"], {"last_name": "Naam"}),  # never the citizen number
    ],
)  # fmt: skip
def test_suggest_mapping_guesses_common_dutch_headers(headers, expected):
    mapping = suggest_mapping(headers)
    assert mapping == Mapping(**expected)


def test_mapping_problems_say_what_to_choose():
    headers = ["BSN", "Roepnaam", "Foto", "Foto"]
    assert mapping_problems(Mapping(first_name="Roepnaam"), headers, ["website"]) == [
        "Kies de kolom met het leerlingnummer (of een ander nummer dat elke persoon aanduidt)."
    ]
    problems = mapping_problems(
        Mapping(
            identifier="BSN",
            first_name="Voornaam",
            purposes={"website": "Foto", "reclame": "Roepnaam"},
        ),
        headers,
        ["website"],
    )
    assert problems == [
        "Kies een andere kolom dan 'BSN' als nummer: het burgerservicenummer hoort niet in het"
        " toestemmingsregister. Gebruik het leerlingnummer.",
        "Koppel 'reclame' niet: het is geen toestemmingsdoel in de siteconfiguratie (wel: website).",
        "Kies een andere kolom: 'Voornaam' staat niet in het bestand.",
        "Geef de kolommen 'Foto' in het bestand elk een eigen naam: de naam komt 2 keer voor.",
    ]
    assert "Kies de kolom met de voornaam of de achternaam." in mapping_problems(
        Mapping(identifier="BSN"), headers, []
    )


def test_a_mapping_round_trips_through_json_and_bad_json_is_refused():
    mapping = Mapping(
        identifier="Leerlingnummer",
        first_name="Roepnaam",
        purposes={"sociale media": "Toestemming social media"},
        handles={"instagram": "Instagram"},
        default_role="staff",
    )
    assert Mapping.from_json(mapping.to_json()) == mapping
    for text, message in [
        ("{", "geen geldige JSON"),
        ("[]", "JSON-object"),
        ('{"leerling": "x"}', "Onbekende velden"),
        ('{"purposes": ["x"]}', "moet een object zijn"),
        ('{"identifier": 3}', "kolomnaam"),
    ]:
        with pytest.raises(MappingError, match=message):
            Mapping.from_json(text)


def test_preview_parses_the_first_lines_with_the_mapping(tmp_path, demo_site):
    path = write(tmp_path, [HEADER, *GOOD_LINES, "1005;Sem;;Mulder;6;misschien;ja"])
    table = read_csv(path)
    rows = preview(table, suggest_mapping(table.headers), demo_site.purposes, limit=2, now=NOW)
    assert [(r.line, r.record.full_name, r.reasons) for r in rows] == [
        (2, "Noor Bakker", ()),
        (3, "Daan de Vries", ()),
    ]
    assert rows[0].record.consents == {("sociale media", YEAR): GIVEN, ("website", YEAR): GIVEN}
    last = preview(table, suggest_mapping(table.headers), demo_site.purposes, now=NOW)[-1]
    assert last.record is None and "misschien" in last.reasons[0]
    assert preview(table, Mapping(first_name="Roepnaam"), demo_site.purposes) == []


# ---- bad lines --------------------------------------------------------------------------------


def test_every_bad_line_is_named_with_its_line_and_why(tmp_path, demo_site):
    path = write(
        tmp_path,
        [
            HEADER,
            "1001;Noor;;Bakker;5b;ja;x",
            ";Zoë;;Smit;3a;ja;ja",  # no identifier
            "1003;Sem;;Mulder;6;misschien;ja",  # unknown yes/no
            "1004;René;;Berg;3a;ja;nee",
            "01004;Renée;;Berg;3a;nee;nee",  # the same number, its leading zero lost or not
            "1006;;;;3a;ja;ja",  # no name
            "1007;Fleur;;Visser;3a;ja;ja;Visser;extra",  # a separator in a name
        ],
    )
    validation = validate(
        read_csv(path), suggest_mapping(read_csv(path).headers), demo_site.purposes, now=NOW
    )
    assert [line.line for line in validation.lines] == [2]
    assert [(bad.line, bad.reasons) for bad in validation.bad] == [
        (3, ("vul kolom 'Leerlingnummer' in: elke persoon heeft een nummer nodig",)),
        (
            4,
            (
                "onbekende waarde 'misschien' in kolom 'Toestemming social media'; gebruik"
                " bijvoorbeeld ja of nee, of laat het vak leeg",
            ),
        ),
        (5, ("nummer 1004 staat ook op regel 6",)),
        (6, ("nummer 1004 staat ook op regel 5",)),
        (7, ("vul de voornaam of de achternaam in",)),
        (
            8,
            (
                "de regel heeft 9 velden en de kopregel 7; staat er een scheidingsteken in een"
                " naam?",
            ),
        ),
    ]
    assert validation.bad[0].describe().startswith("Regel 3: vul kolom")


def test_a_role_and_school_year_column_are_checked_per_line(tmp_path, demo_site, store):
    path = write(
        tmp_path,
        [
            "Nummer;Voornaam;Achternaam;Rol;Schooljaar;Toestemming social media",
            "1;Noor;Bakker;leerling;2026/2027;ja",
            "2;Sanne;Vries;Leerkracht;;ja",
            "3;Piet;Jansen;conciërge;2026-2027;ja",
            "4;Kees;Smit;ouder;volgend jaar;ja",
            "1;Noor;Bakker;leerling;2025-2026;nee",  # another year: no duplicate
        ],
    )
    report = run_import(store, demo_site, path, accept_good_lines=True)
    assert [(b.line, b.reasons[0].split(";")[0]) for b in report.skipped] == [
        (4, "onbekende rol 'conciërge' in kolom 'Rol'"),
        (5, "onbekend schooljaar 'volgend jaar' in kolom 'Schooljaar'"),
    ]
    noor = consent.find_person(store, "regenboog", "1")
    assert consent.consents_of(store, noor.id) == {
        ("sociale media", "2026-2027"): GIVEN,
        ("sociale media", "2025-2026"): REFUSED,
    }
    assert consent.find_person(store, "regenboog", "2").role == "staff"


def test_an_import_with_bad_lines_changes_nothing(tmp_path, store, demo_site):
    path = write(tmp_path, [HEADER, *GOOD_LINES, "1005;Sem;;Mulder;6;misschien;ja"])
    report = run_import(store, demo_site, path)
    assert not report.applied and report.skipped == []
    assert [b.line for b in report.bad] == [6]
    assert register_is_empty(store)
    text = describe_report(report)
    assert text.startswith(
        "Verbeter 1 regel in export.csv of importeer alleen de goede regels; er is niets"
        " geïmporteerd."
    )
    assert "Regel 6: onbekende waarde 'misschien'" in text


def test_a_mapping_that_does_not_fit_changes_nothing(tmp_path, store, demo_site):
    path = write(tmp_path, [HEADER, *GOOD_LINES])
    report = run_import(
        store, demo_site, path, mapping=Mapping(identifier="Nummer", first_name="Roepnaam")
    )
    assert report.problems == ["Kies een andere kolom: 'Nummer' staat niet in het bestand."]
    assert register_is_empty(store)


def test_importing_the_good_lines_lists_the_skipped_ones(tmp_path, store, demo_site):
    path = write(
        tmp_path, [HEADER, *GOOD_LINES, ";Sem;;Mulder;6;ja;ja", "1005;Fleur;;Bos;6;jawel;ja"]
    )
    report = run_import(store, demo_site, path, accept_good_lines=True)
    assert report.applied
    assert [b.line for b in report.skipped] == [6, 7]
    assert len(consent.people(store)) == 4
    text = describe_report(report)
    assert "Verbeter deze 2 overgeslagen regels en importeer opnieuw:" in text
    assert "Regel 7: onbekende waarde 'jawel'" in text


# ---- applying and re-importing ------------------------------------------------------------------


def test_a_first_import_fills_the_register_and_remembers_the_mapping(tmp_path, store, demo_site):
    path = write(tmp_path, [HEADER, *GOOD_LINES], name="leerlingen.csv")
    report = run_import(store, demo_site, path)
    assert report.applied and not report.bad and not report.missing
    assert len(report.merge.added) == 4
    assert states(store, "1001") == {"sociale media": GIVEN, "website": GIVEN}
    assert states(store, "1002") == {"sociale media": REFUSED}  # an empty cell: no record
    assert states(store, "1004") == {"sociale media": GIVEN, "website": REFUSED}
    assert consent.find_person(store, "regenboog", "1004").tussenvoegsel == "van der"
    log = consent.change_log(store, school_id="regenboog")
    assert {(e.source_kind, e.source, e.by) for e in log} == {("import", "leerlingen.csv", "demo")}
    assert len(history.events(store, "consent_changed")) == 7
    assert remembered_mapping(store, "regenboog").identifier == "Leerlingnummer"
    assert describe_report(report).startswith(
        "leerlingen.csv is geïmporteerd: 4 nieuw, 0 bijgewerkt, 7 wijzigingen in toestemming."
    )


def test_a_reimport_updates_and_records_a_withdrawal(tmp_path, store, demo_site):
    run_import(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES]))
    second = write(
        tmp_path,
        [
            HEADER,
            "1001;Noor;;Bakker;6a;nee;x",  # moved up a group, social media withdrawn
            "1002;Daan;de;Vries;5b;nee;ja",
            "1003;Zoë;;Smit-Jansen;3a;;geen toestemming",  # new name; social media emptied
            "1004;René;van der;Berg;3a;ja;0",
        ],
        name="leerlingen-oktober.csv",
    )
    report = run_import(store, demo_site, second)
    assert report.applied and not report.missing
    noor = consent.find_person(store, "regenboog", "1001")
    assert noor.group == "6a"
    assert states(store, "1001") == {"sociale media": WITHDRAWN, "website": GIVEN}
    assert states(store, "1003")["sociale media"] == UNKNOWN
    assert consent.find_person(store, "regenboog", "1003").last_name == "Smit-Jansen"
    assert sorted(report.merge.updated) == sorted(
        [noor.id, consent.find_person(store, "regenboog", "1003").id]
    )
    assert [(c.name, c.purpose) for c in report.merge.withdrawn] == [
        ("Noor Bakker", "sociale media")
    ]
    assert {c.name for c in report.merge.lost} == {"Noor Bakker", "Zoë Smit-Jansen"}
    event = history.events(store, "consent_changed")[-3]
    assert (event.data["person"], event.data["old"], event.data["new"]) == (
        noor.id,
        GIVEN,
        WITHDRAWN,
    )
    assert event.data["source"] == {
        "kind": "import",
        "label": "leerlingen-oktober.csv",
        "by": "demo",
    }
    assert "Noor Bakker: sociale media 2026-2027" in describe_report(report)
    people = consent.people_for_rules(store, demo_site, at=NOW)
    assert next(p for p in people if p.id == noor.id).consented_purposes == {"website"}


def test_people_missing_from_a_reimport_are_listed_not_withdrawn(tmp_path, store, demo_site):
    run_import(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES]))
    partial = write(tmp_path, [HEADER, GOOD_LINES[0], GOOD_LINES[1]], name="alleen-5b.csv")
    report = run_import(store, demo_site, partial)
    assert report.applied
    assert [(p.full_name, p.identifier, p.group) for p in report.missing] == [
        ("René van der Berg", "1004", "3a"),
        ("Zoë Smit", "1003", "3a"),
    ]
    assert states(store, "1003") == {"sociale media": GIVEN, "website": REFUSED}  # as it was
    assert consent.find_person(store, "regenboog", "1003").left_at is None
    text = describe_report(report)
    assert "Bevestig of deze 2 personen van school zijn" in text
    assert "- Zoë Smit (1003, 3a)" in text

    changes = consent.confirm_missing(
        store, "regenboog", [p.id for p in report.missing], "demo", now=NOW
    )
    assert [(c.name, c.new_state) for c in changes] == [
        ("René van der Berg", WITHDRAWN),
        ("Zoë Smit", WITHDRAWN),
    ]
    again = run_import(store, demo_site, partial)
    assert again.missing == []  # confirmed, so no longer asked about


def test_a_person_on_a_skipped_line_is_not_listed_as_missing(tmp_path, store, demo_site):
    run_import(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES]))
    lines = [HEADER, *GOOD_LINES[:3], "1004;René;van der;Berg;3a;misschien;0"]
    report = run_import(store, demo_site, write(tmp_path, lines), accept_good_lines=True)
    assert [b.line for b in report.skipped] == [5]
    assert report.missing == []


def test_staff_are_not_missing_from_a_pupil_export(tmp_path, store, demo_site):
    staff = write(
        tmp_path,
        ["Personeelsnummer;Voornaam;Achternaam;Toestemming social media", "M1;Sanne;Vries;ja"],
        name="personeel.csv",
    )
    run_import(
        store,
        demo_site,
        staff,
        mapping=Mapping(
            identifier="Personeelsnummer",
            first_name="Voornaam",
            last_name="Achternaam",
            purposes={"sociale media": "Toestemming social media"},
            default_role="staff",
        ),
    )
    run_import(
        store,
        demo_site,
        write(tmp_path, [HEADER, *GOOD_LINES]),
        mapping=suggest_mapping(HEADER.split(";")),
    )
    report = run_import(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES[:3]]))
    assert [p.identifier for p in report.missing] == ["1004"]


def test_a_person_added_by_hand_is_not_missing_from_an_export(tmp_path, store, demo_site):
    consent.add_person(
        store,
        "regenboog",
        consent.PersonRecord(identifier="9001", role="pupil", first_name="Mees", last_name="Bos"),
        "demo",
        "instromer, nog niet in de administratie",
    )
    report = run_import(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES]))
    assert report.applied and report.missing == []


def test_leading_zeros_lost_by_a_spreadsheet_still_match(tmp_path, store, demo_site):
    run_import(store, demo_site, write(tmp_path, [HEADER, "000123;Noor;;Bakker;5b;ja;ja"]))
    report = run_import(store, demo_site, write(tmp_path, [HEADER, "123;Noor;;Bakker;5b;nee;ja"]))
    assert report.merge.added == [] and report.missing == []
    assert states(store, "123")["sociale media"] == WITHDRAWN


def test_handles_are_kept_only_where_known(tmp_path, store, demo_site):
    header = "Leerlingnummer;Roepnaam;Achternaam;Instagram-account;Toestemming social media"
    run_import(
        store, demo_site, write(tmp_path, [header, "1;Noor;Bakker;@noor.b;ja", "2;Daan;Vries;;ja"])
    )
    people = {p.identifier: p for p in consent.people(store)}
    assert people["1"].handles == {"instagram": "@noor.b"}
    assert people["2"].handles == {}
    run_import(store, demo_site, write(tmp_path, [header, "1;Noor;Bakker;;ja", "2;Daan;Vries;;ja"]))
    assert consent.find_person(store, "regenboog", "1").handles == {}


def test_an_unknown_school_is_refused(tmp_path, store, demo_site):
    report = import_csv(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES]), "elders")
    assert report.problems == [
        "Kies een school uit de siteconfiguratie: 'elders' staat er niet in."
    ]
    assert register_is_empty(store)


@given(
    st.lists(
        st.lists(st.text(alphabet='ja nex01;"é\r\n\t,', max_size=8), min_size=7, max_size=9),
        max_size=6,
    )
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_validation_never_crashes_on_odd_cells(rows):
    headers = HEADER.split(";")
    table = CsvTable(
        "x.csv", headers, [CsvRow(i + 2, r) for i, r in enumerate(rows)], "utf-8", ";", ""
    )
    result = validate(table, suggest_mapping(headers), ("sociale media", "website"), now=NOW)
    assert len(result.lines) + len(result.bad) == len(rows)
    assert all(bad.reasons for bad in result.bad)


# ---- the headless command -------------------------------------------------------------------------


def command(data_dir, path, school="regenboog", mapping_file=None, accept=False, capsys=None):
    options = Options(data_dir=data_dir, site_file=None, json=True)
    code = cmd_consent_import(options, path, school, mapping_file, accept)
    return code, json.loads(capsys.readouterr().out)


def test_the_command_imports_and_answers_in_json(tmp_path, data_dir, capsys):
    code, answer = command(data_dir, write(tmp_path, [HEADER, *GOOD_LINES]), capsys=capsys)
    assert code == 0
    assert answer["applied"] and answer["added"] == 4 and answer["consent_changes"] == 7
    assert answer["encoding"] == "utf-8" and answer["delimiter"] == ";"


def test_the_command_with_bad_lines_exits_1_and_imports_only_when_asked(tmp_path, data_dir, capsys):
    path = write(tmp_path, [HEADER, *GOOD_LINES, ";Sem;;Mulder;6;ja;ja"])
    code, answer = command(data_dir, path, capsys=capsys)
    assert code == 1 and not answer["applied"] and answer["bad_lines"][0]["line"] == 6
    code, answer = command(data_dir, path, accept=True, capsys=capsys)
    # Applied: a script sees success, and the skipped line is named in the answer.
    assert code == 0 and answer["applied"] and answer["skipped_lines"] == [6]


def test_the_command_with_a_mapping_file(tmp_path, data_dir, capsys):
    path = write(tmp_path, ["Nr,Naam kind,Facebook/Instagram", "7,Mees,j", "8,Fleur,n"])
    mapping = tmp_path / "kolommen.json"
    mapping.write_text(
        json.dumps(
            {
                "identifier": "Nr",
                "first_name": "Naam kind",
                "purposes": {"sociale media": "Facebook/Instagram"},
            }
        ),
        encoding="utf-8",
    )
    code, answer = command(data_dir, path, mapping_file=mapping, capsys=capsys)
    assert code == 0 and answer["added"] == 2
    store = Store.open(data_dir)
    try:
        assert remembered_mapping(store, "regenboog").first_name == "Naam kind"
    finally:
        store.close()


@pytest.mark.parametrize(
    ("school", "mapping_text", "message"),
    [
        (None, None, "Kies de school met --school: regenboog, kleine-wereld."),
        ("regenboog", "{kapot", "De kolomkoppeling is geen geldige JSON."),
        ("elders", None, "Kies een school uit de siteconfiguratie"),
    ],
)
def test_the_command_exits_2_on_wrong_usage(
    tmp_path, data_dir, capsys, school, mapping_text, message
):
    mapping = None
    if mapping_text is not None:
        mapping = tmp_path / "kolommen.json"
        mapping.write_text(mapping_text, encoding="utf-8")
    code, answer = command(
        data_dir, write(tmp_path, [HEADER, *GOOD_LINES]), school, mapping, capsys=capsys
    )
    assert code == 2
    assert message in json.dumps(answer, ensure_ascii=False)


def test_the_command_exits_0_when_applied_and_names_the_missing_people(tmp_path, data_dir, capsys):
    command(data_dir, write(tmp_path, [HEADER, *GOOD_LINES]), capsys=capsys)
    code, answer = command(data_dir, write(tmp_path, [HEADER, *GOOD_LINES[:2]]), capsys=capsys)
    assert code == 0 and answer["applied"] and not answer["ok"]
    assert [m["identifier"] for m in answer["missing"]] == ["1004", "1003"]  # by group, name


# ---- the shared folder ------------------------------------------------------------------------


def age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))


def test_the_share_imports_the_newest_export_once_and_then_picks_up_a_withdrawal(
    tmp_path, store, demo_site
):
    share = tmp_path / "share"
    share.mkdir()
    old = write(share, [HEADER, "1001;Noor;;Bakker;5b;nee;nee"], name="export-augustus.csv")
    age(old, 3600)
    newest = write(share, [HEADER, *GOOD_LINES], name="export-september.csv")
    age(newest, 60)
    (share / "lees mij.txt").write_text("niet importeren", encoding="utf-8")

    first = import_from_share(store, demo_site, share, "regenboog", now=NOW)
    assert first.state == IMPORTED and first.file == newest
    assert states(store, "1001")["sociale media"] == GIVEN
    assert import_from_share(store, demo_site, share, "regenboog", now=NOW).state == UNCHANGED

    newest.write_bytes(
        newest.read_bytes().replace(b"1001;Noor;;Bakker;5b;ja", b"1001;Noor;;Bakker;5b;nee")
    )
    age(newest, 30)
    again = import_from_share(store, demo_site, share, "regenboog", now=NOW)
    assert again.state == IMPORTED
    assert states(store, "1001")["sociale media"] == WITHDRAWN
    assert [c.name for c in again.report.merge.withdrawn] == ["Noor Bakker"]
    assert consent.change_log(store)[-1].source_kind == "share"


def test_the_share_uses_the_mapping_file_beside_the_export(tmp_path, store, demo_site):
    share = tmp_path / "share"
    share.mkdir()
    age(write(share, ["Nr;Kind;Mag op Facebook", "7;Mees;j"]), 60)
    (share / MAPPING_FILE_NAME).write_text(
        Mapping(
            identifier="Nr", first_name="Kind", purposes={"sociale media": "Mag op Facebook"}
        ).to_json(),
        encoding="utf-8",
    )
    result = import_from_share(store, demo_site, share, "regenboog", now=NOW)
    assert result.state == IMPORTED
    assert states(store, "7") == {"sociale media": GIVEN}


def test_a_bad_export_in_the_share_changes_nothing_and_is_reported_again(
    tmp_path, store, demo_site
):
    share = tmp_path / "share"
    share.mkdir()
    age(write(share, [HEADER, *GOOD_LINES, ";Sem;;Mulder;6;ja;ja"]), 60)
    for _attempt in range(2):
        result = import_from_share(store, demo_site, share, "regenboog", now=NOW)
        assert result.state == share_import.REFUSED
        assert "Regel 6" in result.message
    assert register_is_empty(store)


def test_the_share_when_unreachable_empty_or_still_being_written(tmp_path, store, demo_site):
    result = import_from_share(store, demo_site, tmp_path / "niet-gekoppeld", "regenboog")
    assert result.state == UNREACHABLE
    assert "niet bereikbaar" in result.message and "blijven gelden" in result.message
    share = tmp_path / "share"
    share.mkdir()
    assert import_from_share(store, demo_site, share, "regenboog").state == NO_FILE
    write(share, [HEADER, *GOOD_LINES])
    assert import_from_share(store, demo_site, share, "regenboog").state == BUSY
    assert (
        import_from_share(store, demo_site, share, "regenboog", settle_seconds=0).state == IMPORTED
    )


# ---- a quote left open ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "line", "what"),
    [
        # The quote opens on line 3 and closes on line 5: Sem and Daan would be lost.
        (
            [
                HEADER,
                GOOD_LINES[0],
                '1002;"Sem;;Visser;5b;ja;ja',
                GOOD_LINES[2],
                '1004;Daan";;de;6;;',
            ],
            3,
            "de regels erna",
        ),
        # Never closed: everything after it would be one first name.
        ([HEADER, '1001;"Noor;;Bakker;5b;ja;ja', *GOOD_LINES[1:]], 2, "de regels erna"),
        # On the last line: the rest of that line would be one first name.
        ([HEADER, *GOOD_LINES[:3], '1004;"Daan;;de Jong;6;ja;nee'], 5, "de rest van de regel"),
        # In the header: every line would be one column name.
        (['Leerlingnummer;"Roepnaam;Tussenvoegsel;Achternaam', *GOOD_LINES], 1, "de regels erna"),
    ],
)
def test_a_quote_left_open_refuses_the_file_with_its_line(
    tmp_path, store, demo_site, lines, line, what
):
    report = run_import(store, demo_site, write(tmp_path, lines), accept_good_lines=True)
    assert not report.applied
    (problem,) = report.problems
    assert f"op regel {line} staat een aanhalingsteken open" in problem and what in problem
    assert register_is_empty(store)


def test_a_quoted_separator_or_line_break_that_swallows_nothing_is_kept(tmp_path):
    data = (
        b"Leerlingnummer;Roepnaam;Achternaam;Groep;Toestemming social media\r\n"
        b'1001;Noor;"Bakker; de";5b;ja\r\n'
        b'1002;"Daan\r\nJan";Vries;5b;"nee"\r\n'
        b"1003;Sem;Smit;5b;ja\r\n"
    )
    table = parse_csv_bytes(data, "export.csv")
    assert [row.cells[1:3] for row in table.rows] == [
        ["Noor", "Bakker; de"],
        ["Daan\r\nJan", "Vries"],
        ["Sem", "Smit"],
    ]


def test_the_planned_import_is_what_the_import_then_reports(tmp_path, store, demo_site):
    """The wizard's step 3 figures come from planned_import; they must be the applied merge's,
    for new and known people, a withdrawal, a skipped bad line and a person missing."""
    from app.consent.csv_import import apply_import, planned_import
    from app.consent.register import IMPORT, Source

    run_import(store, demo_site, write(tmp_path, [HEADER, *GOOD_LINES]))
    lines = [
        HEADER,
        "1001;Noor;;Bakker;6b;nee;x",  # known: regrouped, consent withdrawn
        "1002;Daan;de;Vries;5b;ja;ja",  # known: two consents given
        "1003;Zoë;;Smit;3a;misschien;",  # a bad line: skipped, yet not missing
        "1009;Lotte;;Jansen;1;ja;ja",  # new, two consents
    ]  # 1004 is missing from this export
    table = read_csv(write(tmp_path, lines, name="tweede.csv"))
    mapping = suggest_mapping(table.headers, demo_site.purposes)
    validation = validate(table, mapping, demo_site.purposes, None, NOW)
    assert len(validation.bad) == 1
    planned = planned_import(store, "regenboog", validation)
    before = len(consent.change_log(store))
    report = apply_import(
        store, "regenboog", validation, Source(IMPORT, "tweede.csv", "demo"), True
    )
    applied = report.merge
    assert (
        (len(planned.added), len(planned.updated), len(planned.changes))
        == (
            len(applied.added),
            len(applied.updated),
            len(applied.changes),
        )
        == (1, 1, 5)
    )
    assert [(c.name, c.purpose, c.old_state, c.new_state) for c in planned.changes] == [
        (c.name, c.purpose, c.old_state, c.new_state) for c in applied.changes
    ]
    assert [p.identifier for p in planned.missing] == [p.identifier for p in applied.missing]
    assert [p.identifier for p in applied.missing] == ["1004"]
    # And the register holds what both said.
    stored = [e for e in consent.change_log(store)[before:] if e.change == "consent"]
    assert len(stored) == len(planned.changes)
