"""The Toestemmingen page: the register in words, filters, changes by hand with a reason, the
posts a withdrawal concerns, the stale-year notice, and the import wizard. Real SQLite in a
temporary folder, real CSV files (Windows-1252 and UTF-8 with BOM), the demo site (schools
"regenboog" and "kleine-wereld"; purposes sociale media, website, nieuwsbrief, schoolgids)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt

from app.consent import register as consent
from app.consent.column_mapping import remembered_mapping
from app.consent.register import GIVEN, IMPORT, REFUSED, UNKNOWN, WITHDRAWN, PersonRecord, Source
from app.history import chain as history
from app.school_year import current_school_year, previous_school_year
from ui.consent.page import ConsentPage

YEAR = current_school_year()
EXPORT = Source(IMPORT, "leerlingen.csv", "Sanne de Vries")
AUTHOR = "Sanne de Vries"


@dataclass
class Calls:
    retracted: list[tuple[str, str]] = field(default_factory=list)
    changed: int = 0


@pytest.fixture
def calls():
    return Calls()


@pytest.fixture
def open_page(qtbot, store, demo_site, calls):
    def open_() -> ConsentPage:
        def changed() -> None:
            calls.changed += 1

        page = ConsentPage(
            store, demo_site, AUTHOR, lambda job, why: calls.retracted.append((job, why)), changed
        )
        qtbot.addWidget(page)
        page.resize(1100, 700)
        page.show()
        qtbot.waitExposed(page)
        return page

    return open_


def pupil(identifier, first, last, group="5b", tussenvoegsel="", **states) -> PersonRecord:
    """`states` maps a purpose (underscores for spaces) to its state this school year."""
    return PersonRecord(
        identifier=identifier,
        role="pupil",
        first_name=first,
        tussenvoegsel=tussenvoegsel,
        last_name=last,
        group=group,
        consents={(p.replace("_", " "), YEAR): s for p, s in states.items()},
    )


def add(store, *records, school="regenboog"):
    consent.merge_people(store, school, records, EXPORT)
    return [consent.find_person(store, school, r.identifier).id for r in records]


def cell_text(page, person_id, purpose) -> str:
    return page.cell_index(person_id, purpose).data()


def name_texts(page) -> list[str]:
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def double_click(qtbot, page, person_id, purpose) -> None:
    index = page.cell_index(person_id, purpose)
    assert index.isValid()
    page.table.scrollTo(index)
    where = page.table.visualRect(index).center()
    # A real double-click starts with a click; QTest's double-click event alone does not.
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)


def published(store, person_id, job="job-42", account="regenboog-oefen"):
    history.append(
        store,
        "published",
        {
            "job": job,
            "target": f"{job}-{account}",
            "school": "regenboog",
            "author": "demo",
            "account": account,
            "network": "practice",
            "practice": True,
            "remote_id": f"r-{job}",
            "url": f"https://oefen.example/{job}",
            "people": [person_id],
        },
        details={"final_text": "Wat een feest vandaag!"},
    )


# ---- the register ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (GIVEN, "✓ toestemming"),
        (REFUSED, "✗ geweigerd"),
        (WITHDRAWN, "⊘ ingetrokken"),
        (UNKNOWN, "? onbekend"),
    ],
)
def test_the_table_shows_each_state_in_words_with_a_mark(open_page, store, state, words):
    (noor,) = add(store, pupil("1001", "Noor", "Bakker", website=state))
    page = open_page()
    assert cell_text(page, noor, "website") == words
    assert cell_text(page, noor, "schoolgids") == "? onbekend"


def test_the_table_shows_name_role_group_and_who_left_greyed(open_page, store):
    daan, noor = add(
        store,
        pupil("1002", "Daan", "Vries", tussenvoegsel="de", group="7", sociale_media=GIVEN),
        pupil("1001", "Noor", "Bakker", sociale_media=GIVEN),
    )
    consent.confirm_missing(store, "regenboog", [daan], AUTHOR)
    page = open_page()
    assert name_texts(page) == ["Noor Bakker", "Daan de Vries (vertrokken)"]
    row = page.cell_index(noor, "website").row()
    assert [page.proxy.index(row, c).data() for c in range(3)] == ["Noor Bakker", "leerling", "5b"]
    left = page.cell_index(daan, "sociale media")
    assert left.data() == "⊘ ingetrokken"
    # Greyed, yet readable (4.8:1 on white, WCAG AA).
    assert left.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#6b7280"
    assert (
        page.cell_index(noor, "sociale media").data(Qt.ItemDataRole.ForegroundRole).color().name()
        != "#9ca3af"
    )


def test_the_filters_narrow_the_register(open_page, store, qtbot):
    add(
        store,
        pupil("1", "Noor", "Bakker", group="5b", sociale_media=GIVEN),
        pupil("2", "Daan", "Vries", tussenvoegsel="de", group="5b", sociale_media=REFUSED),
        pupil("3", "Zoë", "El Amrani", group="3a", website=GIVEN),
    )
    add(store, pupil("4", "Sem", "Visser", group="1"), school="kleine-wereld")
    page = open_page()
    assert page.proxy.rowCount() == 4
    assert page.count.text() == "4 van 4 personen"

    page.state.setCurrentIndex(page.state.findData(GIVEN))
    assert sorted(name_texts(page)) == ["Noor Bakker", "Zoë El Amrani"]
    page.purpose.setCurrentIndex(page.purpose.findData("sociale media"))
    assert name_texts(page) == ["Noor Bakker"]
    assert page.table.isColumnHidden(page.model.column_of_purpose("website"))
    assert not page.table.isColumnHidden(page.model.column_of_purpose("sociale media"))
    page.state.setCurrentIndex(0)
    page.purpose.setCurrentIndex(0)

    page.group.setCurrentIndex(page.group.findData("5b"))
    assert sorted(name_texts(page)) == ["Daan de Vries", "Noor Bakker"]
    page.group.setCurrentIndex(0)

    page.school.setCurrentIndex(page.school.findData("kleine-wereld"))
    assert name_texts(page) == ["Sem Visser"]
    assert [page.group.itemData(i) for i in range(page.group.count())] == ["", "1"]
    page.school.setCurrentIndex(0)

    page.query.setText("zoe")  # without the accent
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)
    assert name_texts(page) == ["Zoë El Amrani"]
    page.query.setText("niemand")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 0, timeout=2000)
    assert page.empty.text() == "Niemand gevonden met deze filters."


def test_an_empty_register_says_what_to_do_first(open_page):
    page = open_page()
    assert page.empty.isVisible()
    assert page.empty.text().startswith(
        "Nog niemand in het register. Importeer de export van de leerlingadministratie."
    )
    assert not page.table.isVisible()
    assert page.import_button.isVisible()
    assert not page.notice.isVisible()


def test_the_stale_year_notice_appears_only_when_consent_is_for_last_year(open_page, store):
    add(store, pupil("1", "Noor", "Bakker", website=GIVEN))
    page = open_page()
    assert not page.notice.isVisible()

    record = PersonRecord(
        "2",
        "pupil",
        "Daan",
        last_name="Vries",
        consents={("sociale media", previous_school_year(YEAR)): GIVEN},
    )
    (daan,) = add(store, record)
    page.reload()
    assert page.notice.isVisible()
    assert page.notice_text.text().startswith(consent.stale_consent_summary(store).message)
    assert f"Importeer de toestemmingen voor {YEAR}" in page.notice_text.text()
    stale = page.cell_index(daan, "sociale media")
    assert stale.data() == "? onbekend"
    assert stale.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fef3c7"
    assert "(vorig schooljaar wel)" in stale.data(Qt.ItemDataRole.ToolTipRole)
    assert page.cell_index(daan, "website").data(Qt.ItemDataRole.BackgroundRole) is None


# ---- changes by hand ---------------------------------------------------------------------------


def test_a_change_by_hand_needs_a_reason_and_lands_in_the_change_log(
    open_page, store, qtbot, calls
):
    (noor,) = add(store, pupil("1001", "Noor", "Bakker"))
    page = open_page()
    double_click(qtbot, page, noor, "website")
    dialog = page.edit_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.purpose() == "website"
    assert dialog.state() == UNKNOWN
    dialog.set_state(GIVEN)
    assert not dialog.ok_button.isEnabled()  # no reason yet
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.clear()
    qtbot.keyClicks(dialog.reason, "mail van de ouder van 3 maart")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert consent.consent_state(store, noor, "website", YEAR) == GIVEN
    assert cell_text(page, noor, "website") == "✓ toestemming"
    assert calls.changed == 1
    assert page.impact_dialog is None  # nothing was withdrawn

    page.select_person(noor)
    qtbot.mouseClick(page.person_log_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.log
    rows = [
        [page.log.table.item(r, c).text() for c in range(6)]
        for r in range(page.log.table.rowCount())
    ]
    assert rows[0][1:] == [
        AUTHOR,
        "Noor Bakker",
        f"website {YEAR}",
        "onbekend → toestemming",
        "mail van de ouder van 3 maart",
    ]
    assert rows[-1][1:5] == [
        "bestand leerlingen.csv (Sanne de Vries)",
        "Noor Bakker",
        "",
        "toegevoegd aan het register",
    ]


def test_saving_the_same_state_is_not_offered(open_page, store, qtbot):
    (noor,) = add(store, pupil("1001", "Noor", "Bakker", website=GIVEN))
    page = open_page()
    page.edit_consent(noor, "website")
    dialog = page.edit_dialog
    qtbot.keyClicks(dialog.reason, "telefoon van de moeder")
    assert dialog.state() == GIVEN
    assert not dialog.ok_button.isEnabled()
    dialog.purpose_box.setCurrentIndex(dialog.purpose_box.findData("nieuwsbrief"))
    assert dialog.state() == UNKNOWN
    dialog.set_state(REFUSED)
    assert dialog.ok_button.isEnabled()


def test_the_change_log_filters_by_school_and_name(open_page, store, qtbot):
    add(store, pupil("1", "Noor", "Bakker", website=GIVEN))
    add(store, pupil("2", "Sem", "Visser", website=GIVEN), school="kleine-wereld")
    page = open_page()
    page.tabs.setCurrentWidget(page.log)
    people = {page.log.table.item(r, 2).text() for r in range(page.log.table.rowCount())}
    assert people == {"Noor Bakker", "Sem Visser"}
    page.log.school.setCurrentIndex(page.log.school.findData("kleine-wereld"))
    people = {page.log.table.item(r, 2).text() for r in range(page.log.table.rowCount())}
    assert people == {"Sem Visser"}
    page.log.school.setCurrentIndex(0)
    page.log.query.setText("bakker")
    qtbot.waitUntil(
        lambda: (
            {page.log.table.item(r, 2).text() for r in range(page.log.table.rowCount())}
            == {"Noor Bakker"}
        ),
        timeout=2000,
    )


def test_withdrawing_consent_lists_the_published_posts_and_retracts_one(
    open_page, store, qtbot, calls
):
    noor, daan = add(
        store,
        pupil("1001", "Noor", "Bakker", sociale_media=GIVEN),
        pupil("1002", "Daan", "Vries", sociale_media=GIVEN),
    )
    published(store, noor, job="job-42")
    page = open_page()
    double_click(qtbot, page, noor, "sociale media")
    dialog = page.edit_dialog
    dialog.set_state(REFUSED)
    qtbot.keyClicks(dialog.reason, "mail van de ouder van 3 maart")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert consent.consent_state(store, noor, "sociale media", YEAR) == WITHDRAWN
    assert cell_text(page, noor, "sociale media") == "⊘ ingetrokken"
    impact = page.impact_dialog
    assert impact is not None and impact.isVisible()
    view = impact.view
    assert [p.job for p in view.posts] == ["job-42"]
    assert view.summary.text().startswith("Trek dit bericht in")
    texts = [label.text() for label in impact.findChildren(type(view.summary))]
    assert any("Oefenaccount De Regenboog" in t and "oefenbericht" in t for t in texts)
    assert any("https://oefen.example/job-42" in t for t in texts)
    (button,) = view.retract_buttons["job-42"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert calls.retracted == [("job-42", "Toestemming ingetrokken voor sociale media")]
    assert not button.isEnabled()

    # Someone in no published post: the list says there is nothing to retract.
    page.edit_consent(daan, "sociale media")
    dialog = page.edit_dialog
    dialog.set_state(WITHDRAWN)
    qtbot.keyClicks(dialog.reason, "brief van de vader")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert page.impact_dialog.view.posts == []
    assert "er hoeft niets ingetrokken te worden" in page.impact_dialog.view.summary.text()


def test_a_person_is_added_by_hand_with_a_reason_and_a_number_only_once(
    open_page, store, qtbot, calls
):
    add(store, pupil("1001", "Noor", "Bakker"))
    page = open_page()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.person_dialog
    qtbot.keyClicks(dialog.identifier, "1001")
    qtbot.keyClicks(dialog.first_name, "Ellen")
    qtbot.keyClicks(dialog.last_name, "Mulder")
    dialog.role_box.setCurrentIndex(dialog.role_box.findData("other"))
    box = dialog.purpose_boxes["sociale media"]
    box.setCurrentIndex(box.findData(GIVEN))
    assert not dialog.ok_button.isEnabled()  # no reason yet
    qtbot.keyClicks(dialog.reason, "nieuwe vrijwilliger, formulier van 3 maart")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # the number is taken: nothing typed is lost
    assert "nummer 1001" in dialog.error.text()
    assert calls.changed == 0

    dialog.identifier.setText("V-7")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    person = consent.find_person(store, "regenboog", "V-7")
    assert (person.full_name, person.role, person.origin) == ("Ellen Mulder", "other", "edit")
    assert consent.consent_state(store, person.id, "sociale media", YEAR) == GIVEN
    assert cell_text(page, person.id, "sociale media") == "✓ toestemming"
    assert page.selected_person_id() == person.id
    assert calls.changed == 1


# ---- the import wizard -------------------------------------------------------------------------

WINDOWS_EXPORT = (
    "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Toestemming social media;Website\r\n"
    "1001;Noor;;Bakker;5b;ja;ja\r\n"
    "1002;Daan;de;Vries;5b;nee;ja\r\n"
    "1003;Zoë;;El Amrani;3a;misschien;nee\r\n"
    "1004;Sem;van der;Berg;3a;ja;\r\n"
)


def write(tmp_path, name, text, encoding):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def open_wizard(qtbot, page, path):
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = page.wizard
    assert wizard.isVisible()
    assert not wizard.next_button.isEnabled()  # no file yet
    assert wizard.load_file(path)
    return wizard


def test_the_wizard_imports_a_file_with_a_bad_line_only_when_the_good_lines_are_chosen(
    open_page, store, qtbot, calls, tmp_path
):
    path = write(tmp_path, "leerlingen-sept.csv", WINDOWS_EXPORT, "cp1252")
    page = open_page()
    wizard = open_wizard(qtbot, page, path)
    assert wizard.charset_label.text() == "Windows (West-Europees)"
    assert wizard.separator_label.text() == "puntkomma (;)"
    assert wizard.lines_label.text().startswith("4 regels onder de kopregel")

    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    step = wizard.mapping_step
    assert step.combos["identifier"].currentData() == "Leerlingnummer"
    assert step.combos["first_name"].currentData() == "Roepnaam"
    assert step.combos["purpose:sociale media"].currentData() == "Toestemming social media"
    assert step.bad_preview_lines() == [4]
    assert "Regel 4: onbekende waarde 'misschien'" in step.bad_label.text()
    names = [step.preview_table.item(r, 2).text() for r in range(step.preview_table.rowCount())]
    assert names[2] == "Zoë El Amrani"  # read as Windows-1252, not mangled
    # Every column of the preview is in sight (no sideways scrolling), its header whole, and each
    # value whole on the lines its cell has.
    table = step.preview_table
    shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert sum(table.columnWidth(c) for c in shown) <= table.viewport().width()
    metrics = table.fontMetrics()
    for column in shown:
        title = table.horizontalHeaderItem(column).text()
        assert table.columnWidth(column) >= metrics.horizontalAdvance(title), title
        for row in range(table.rowCount()):
            text = table.item(row, column).text()
            room = table.columnWidth(column) - 8
            for word in text.split():
                assert metrics.horizontalAdvance(word) <= room, word
            needed = metrics.boundingRect(
                0, 0, room, 10_000, Qt.TextFlag.TextWordWrap, text
            ).height()
            assert table.rowHeight(row) >= needed, (text, table.rowHeight(row), needed)

    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert [wizard.bad_list.item(i).text() for i in range(wizard.bad_list.count())] == [
        "Regel 4: onbekende waarde 'misschien' in kolom 'Toestemming social media'; gebruik"
        " bijvoorbeeld ja of nee, of laat het vak leeg"
    ]
    assert wizard.only_good.isVisible()
    assert not wizard.import_button.isEnabled()
    wizard.start_import()  # refused: nothing may change with a bad line unless chosen
    assert wizard.report is None and consent.people(store) == []

    # Step 3 says what will change before anything does.
    assert wizard.changes_text.text().splitlines()[:3] == [
        "3 mensen komen erbij.",
        "0 mensen worden bijgewerkt.",
        "5 toestemmingen veranderen.",  # the new people's consents count too
    ]
    wizard.only_good.setChecked(True)
    assert wizard.import_button.isEnabled()
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10_000)
    assert wizard.report.applied
    assert [wizard.skipped_list.item(i).text() for i in range(wizard.skipped_list.count())] == [
        wizard.report.skipped[0].describe()
    ]
    assert wizard.report.skipped[0].line == 4
    assert wizard.summary.toPlainText().startswith("leerlingen-sept.csv is geïmporteerd: 3 nieuw")
    # The skipped line is listed once: in its own list, not again in the summary.
    assert "Regel 4" not in wizard.summary.toPlainText()
    assert wizard.close_button.isEnabled()
    assert calls.changed == 1

    assert sorted(p.full_name for p in consent.people(store)) == [
        "Daan de Vries",
        "Noor Bakker",
        "Sem van der Berg",
    ]
    noor = consent.find_person(store, "regenboog", "1001").id
    assert cell_text(page, noor, "sociale media") == "✓ toestemming"
    assert remembered_mapping(store, "regenboog").identifier == "Leerlingnummer"
    (entry, *_rest) = consent.change_log(store, noor)
    assert (entry.source_kind, entry.source, entry.by) == (
        IMPORT,
        "leerlingen-sept.csv",
        AUTHOR,
    )


def test_step_3_says_exactly_what_step_4_reports_and_the_register_then_holds(
    open_page, store, qtbot, tmp_path
):
    noor, daan = add(
        store,
        pupil("1001", "Noor", "Bakker", sociale_media=GIVEN),
        pupil("1002", "Daan", "Vries", tussenvoegsel="de", sociale_media=REFUSED),
    )
    before_log = len(consent.change_log(store, school_id="regenboog"))
    text = (
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Toestemming social media;Website\n"
        "1001;Noor;;Bakker;5b;nee;ja\n"  # existing: withdrawn, and website given
        "1002;Daan;de;Vries;6a;nee;\n"  # existing: another group, nothing new on consent
        "1005;Lotte;;Jansen;3a;ja;ja\n"  # new, two consents
        "1006;Ayoub;;Amrani;3a;;nee\n"  # new, one consent (the empty cell records nothing)
    )
    path = write(tmp_path, "leerlingen-nov.csv", text, "utf-8-sig")
    page = open_page()
    wizard = open_wizard(qtbot, page, path)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.changes_text.text().splitlines() == [
        "2 mensen komen erbij.",
        "1 persoon wordt bijgewerkt.",
        "5 toestemmingen veranderen.",
        f"Ingetrokken (daarna zie je de berichten waar dit speelt): Noor Bakker: sociale media {YEAR}",
    ]
    assert len(consent.people(store)) == 2  # step 3 changed nothing

    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10_000)
    assert wizard.summary.toPlainText().splitlines()[0] == (
        "leerlingen-nov.csv is geïmporteerd: 2 nieuw, 1 bijgewerkt, 5 wijzigingen in toestemming."
    )
    # And the register holds exactly that.
    assert len(consent.people(store)) == 4
    assert consent.find_person(store, "regenboog", "1002").group == "6a"
    new_entries = consent.change_log(store, school_id="regenboog")[before_log:]
    consent_entries = [e for e in new_entries if e.change == "consent"]
    assert len(consent_entries) == 5
    assert {e.source for e in new_entries} == {"leerlingen-nov.csv"}
    assert consent.consent_state(store, noor, "sociale media", YEAR) == WITHDRAWN
    assert consent.consent_state(store, noor, "website", YEAR) == GIVEN
    assert consent.consent_state(store, daan, "sociale media", YEAR) == REFUSED
    lotte = consent.find_person(store, "regenboog", "1005").id
    ayoub = consent.find_person(store, "regenboog", "1006").id
    assert consent.consents_of(store, lotte) == {
        ("sociale media", YEAR): GIVEN,
        ("website", YEAR): GIVEN,
    }
    assert consent.consents_of(store, ayoub) == {("website", YEAR): REFUSED}


def test_the_wizard_reads_utf8_with_bom_and_remembers_the_columns_per_school(
    open_page, store, qtbot, tmp_path
):
    text = (
        "Nr,Kind voornaam,Kind achternaam,Klas,Foto's op Instagram/Facebook\n"
        "501,Fenna,Dijkstra,Peuters,ja\n"
        "502,Mohammed,Yilmaz,Peuters,nee\n"
    )
    path = write(tmp_path, "peuters.csv", text, "utf-8-sig")
    page = open_page()
    wizard = open_wizard(qtbot, page, path)
    wizard.school_box.setCurrentIndex(wizard.school_box.findData("kleine-wereld"))
    assert wizard.charset_label.text() == "UTF-8 (zoals Excel 'CSV UTF-8' opslaat)"
    assert wizard.separator_label.text() == "komma (,)"
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    step = wizard.mapping_step
    step.choose("identifier", "Nr")
    step.choose("first_name", "Kind voornaam")
    step.choose("last_name", "Kind achternaam")
    step.choose("group", "Klas")
    step.choose("purpose:sociale media", "Foto's op Instagram/Facebook")
    assert step.problems() == []
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert not wizard.only_good.isVisible()
    assert wizard.import_button.isEnabled()
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10_000)
    assert wizard.report.applied and wizard.report.skipped == []
    fenna = consent.find_person(store, "kleine-wereld", "501")
    assert consent.consent_state(store, fenna.id, "sociale media", YEAR) == GIVEN
    qtbot.mouseClick(wizard.close_button, Qt.MouseButton.LeftButton)

    # The next export of this school: the columns are linked as last time.
    page.school.setCurrentIndex(page.school.findData("kleine-wereld"))
    wizard = open_wizard(qtbot, page, path)
    assert wizard.school_id() == "kleine-wereld"
    assert "zoals bij de vorige import" in wizard.mapping_step.how.text()
    assert wizard.mapping_step.combos["first_name"].currentData() == "Kind voornaam"
    # Another school has its own columns: there the names are guessed again.
    wizard.school_box.setCurrentIndex(wizard.school_box.findData("regenboog"))
    assert "op hun naam" in wizard.mapping_step.how.text()


def test_an_unreadable_file_says_what_to_do(open_page, qtbot, tmp_path):
    path = tmp_path / "leerlingen.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a spreadsheet")
    page = open_page()
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = page.wizard
    assert not wizard.load_file(path)
    assert "Sla het in Excel op als CSV" in wizard.file_error.text()
    assert not wizard.next_button.isEnabled()


def test_an_import_that_withdraws_consent_lists_posts_and_missing_people_wait_for_confirmation(
    open_page, store, qtbot, calls, tmp_path
):
    noor, daan, _sem = add(
        store,
        pupil("1001", "Noor", "Bakker", sociale_media=GIVEN),
        pupil("1002", "Daan", "Vries", tussenvoegsel="de", sociale_media=GIVEN),
        pupil("1004", "Sem", "Berg", tussenvoegsel="van der", sociale_media=GIVEN),
    )
    published(store, noor, job="job-7")
    published(store, daan, job="job-8")
    text = (
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Toestemming social media\n"
        "1001;Noor;;Bakker;5b;nee\n"
        "1004;Sem;van der;Berg;3a;ja\n"
    )
    path = write(tmp_path, "leerlingen-okt.csv", text, "utf-8-sig")
    page = open_page()
    wizard = open_wizard(qtbot, page, path)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    planned = wizard.changes_text.text()
    assert "1 toestemming verandert." in planned
    assert (
        f"Ingetrokken (daarna zie je de berichten waar dit speelt): Noor Bakker: sociale media {YEAR}"
        in planned
    )
    assert consent.consent_state(store, noor, "sociale media", YEAR) == GIVEN  # not yet
    qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10_000)

    # Daan is not in this export: listed, nothing withdrawn yet.
    assert [p.id for p in wizard.report.missing] == [daan]
    assert consent.consent_state(store, daan, "sociale media", YEAR) == GIVEN
    assert wizard.missing_list.count() == 1
    assert wizard.missing_list.item(0).text() == "Daan de Vries (1002, groep 5b)"
    # Noor's consent was withdrawn by the export: her post is listed.
    assert [p.job for p in wizard.impact.posts] == ["job-7"]
    qtbot.mouseClick(wizard.impact.retract_buttons["job-7"][0], Qt.MouseButton.LeftButton)
    assert calls.retracted == [("job-7", "Toestemming ingetrokken voor sociale media")]

    qtbot.mouseClick(wizard.confirm_button, Qt.MouseButton.LeftButton)
    assert consent.person(store, daan).left_at is not None
    assert consent.consent_state(store, daan, "sociale media", YEAR) == WITHDRAWN
    assert sorted(p.job for p in wizard.impact.posts) == ["job-7", "job-8"]
    assert not wizard.confirm_button.isEnabled()
    assert wizard.confirm_note.text() == "1 persoon staat nu als vertrokken in het register."
    assert calls.changed == 2
    assert cell_text(page, daan, "sociale media") == "⊘ ingetrokken"
    assert "vertrokken" in page.cell_index(daan, "website").siblingAtColumn(0).data()


def test_unticked_missing_people_stay(open_page, store, qtbot, tmp_path):
    add(
        store,
        pupil("1001", "Noor", "Bakker", sociale_media=GIVEN),
        pupil("1002", "Daan", "Vries", sociale_media=GIVEN),
    )
    text = "Leerlingnummer;Roepnaam;Achternaam;Toestemming social media\n1001;Noor;Bakker;ja\n"
    page = open_page()
    wizard = open_wizard(qtbot, page, write(tmp_path, "export.csv", text, "utf-8"))
    wizard.next()
    wizard.next()
    wizard.start_import()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10_000)
    wizard.missing_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(wizard.confirm_button, Qt.MouseButton.LeftButton)
    daan = consent.find_person(store, "regenboog", "1002")
    assert daan.left_at is None
    assert consent.consent_state(store, daan.id, "sociale media", YEAR) == GIVEN


def test_groups_sort_in_school_order(open_page, store):
    add(
        store,
        pupil("1", "Noor", "Bakker", group="10"),
        pupil("2", "Daan", "Vries", group="2"),
        pupil("3", "Zoë", "Amrani", group="5b"),
        pupil("4", "Sem", "Visser", group="5a"),
    )
    page = open_page()
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    groups = [page.proxy.index(r, 2).data() for r in range(page.proxy.rowCount())]
    assert groups == ["2", "5a", "5b", "10"]
    assert [page.group.itemData(i) for i in range(page.group.count())] == [
        "",
        "2",
        "5a",
        "5b",
        "10",
    ]
