from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from app.history import chain as history
from app.publishing import outbox
from app.store import Store
from connectors.practice import read_timeline


def publish(qtbot, window, text):
    qtbot.keyClicks(window.composer.editor, text)
    qtbot.mouseClick(window.composer.publish_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.confirm_dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.publishing, timeout=10_000)


def test_the_history_page_finds_a_post_and_retracts_it_everywhere(qtbot, open_window, data_dir):
    window = open_window()
    publish(qtbot, window, "Sinterklaas kwam op bezoek")
    publish(qtbot, window, "De kerstmarkt was gezellig")
    window.show_page("history")
    page = window.pages.currentWidget()
    assert page.list.count() == 2
    page.query.setText("kerstmarkt")
    qtbot.waitUntil(lambda: page.list.count() == 1, timeout=3000)
    assert "De kerstmarkt was gezellig" in page.list.item(0).text()

    with qtbot.waitSignal(page.retract_requested):
        page.retract_requested.emit(page.rows[0].job_id, "Foto van een kind zonder toestemming")
    qtbot.waitUntil(
        lambda: "Ingetrokken op alle netwerken." in window.statusBar().currentMessage(),
        timeout=5000,
    )
    assert [p.text.split("\n\n")[0] for p in read_timeline(data_dir)] == [
        "Sinterklaas kwam op bezoek"
    ]
    store = Store.open(data_dir)
    (event,) = history.events(store, "retracted")
    assert event.details["why"] == "Foto van een kind zonder toestemming"
    page.state.setCurrentIndex(page.state.findData("retracted"))
    assert page.list.count() == 1


def test_a_post_can_be_scheduled_listed_and_cancelled(qtbot, open_window, data_dir):
    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Morgen is het schoolreisje")
    qtbot.mouseClick(window.composer.schedule_button, Qt.MouseButton.LeftButton)
    dialog = window.schedule_dialog
    moment = dialog.moment()
    assert moment > datetime.now(UTC)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    confirm = window.confirm_dialog
    assert confirm.publish_button.text() == "&Inplannen"
    qtbot.mouseClick(confirm.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.publishing, timeout=10_000)
    page = window.pages.currentWidget()
    assert window.nav.currentItem().text() == "Gepland"
    assert len(page.cards) == 1
    assert read_timeline(data_dir) == []
    store = Store.open(data_dir)
    (job,) = outbox.jobs(store, [outbox.SCHEDULED])
    assert abs(datetime.fromisoformat(job.scheduled_at) - moment) < timedelta(seconds=1)
    page.cancel_requested.emit(job.id)
    assert outbox.jobs(store, [outbox.SCHEDULED]) == []
    page.reload()
    assert page.cards == []


def test_the_annual_report_from_the_history_page_writes_a_pdf_and_csv(
    qtbot, open_window, data_dir, tmp_path
):
    from app.school_year import current_school_year
    from ui.history.actions import describe_verification, write_report

    window = open_window()
    publish(qtbot, window, "Het schoolplein is vernieuwd")
    store = Store.open(data_dir)
    year = current_school_year(datetime.now(UTC))
    report, written = write_report(store, window.site, year, "", tmp_path / "ibt")
    assert report.practice_posts == 1 and report.intact
    assert {p.name for p in written} >= {f"jaarverslag-{year}.pdf", "berichten-per-maand.csv"}
    assert (tmp_path / "ibt" / f"jaarverslag-{year}.pdf").read_bytes().startswith(b"%PDF")
    assert describe_verification(history.verify(store)).startswith("De geschiedenis is onveranderd")


def test_a_scheduled_post_can_be_taken_back_to_edit_its_text(qtbot, open_window, data_dir):
    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Kerstviering op vrijdag")
    qtbot.mouseClick(window.composer.schedule_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.schedule_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.confirm_dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.publishing, timeout=10_000)
    assert window.composer.editor.toPlainText() == ""
    page = window.pages.currentWidget()
    store = Store.open(data_dir)
    (job,) = outbox.jobs(store, [outbox.SCHEDULED])
    page.edit_requested.emit(job.id)
    assert window.composer.editor.toPlainText() == "Kerstviering op vrijdag"
    assert outbox.jobs(store, [outbox.SCHEDULED]) == []


def test_the_history_check_counts_events_and_the_report_says_what_its_files_are(
    qtbot, open_window, data_dir, tmp_path
):
    from app.school_year import current_school_year
    from ui.history.actions import describe_verification, report_written_box, write_report

    window = open_window()
    publish(qtbot, window, "Het schoolplein is vernieuwd")
    store = Store.open(data_dir)
    message = describe_verification(history.verify(store))
    assert "gebeurtenissen" in message and "regels" not in message

    year = current_school_year(datetime.now(UTC))
    report, written = write_report(store, window.site, year, "", tmp_path / "ibt")
    opened = []
    window.open_url = lambda url: opened.append(url.toLocalFile()) or True
    box = report_written_box(window, year, tmp_path / "ibt", written, report.intact)
    box.open()
    assert f"jaarverslag-{year}.pdf" in box.text() and "CSV-bestanden" in box.text()
    assert "onveranderd" in box.text()
    folder_button = next(b for b in box.buttons() if b.text() == "Map openen")
    qtbot.mouseClick(folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(tmp_path / "ibt")]


def test_the_annual_report_pdf_names_the_ibt_explains_the_hash_and_fills_the_practice_row(
    qtbot, open_window, data_dir
):
    import re

    from app.history import annual_report
    from app.school_year import current_school_year

    window = open_window()
    publish(qtbot, window, "Het schoolplein is vernieuwd")
    store = Store.open(data_dir)
    year = current_school_year(datetime.now(UTC))
    report = annual_report.build(
        [("laptop", e) for e in history.events(store)], year, [("laptop", history.verify(store))]
    )
    html = annual_report.to_html(report, {"regenboog": "De Regenboog"}, {})
    assert "Informatie Beveiliging Team (IBT)" in html
    assert "vingerafdruk" in html
    (practice_row,) = [r for r in re.findall(r"<tr>.*?</tr>", html) if "oefen" in r]
    cells = re.findall(r"<td>(.*?)</td>", practice_row)
    assert len(cells) == 5 and all(c.strip() for c in cells)


def test_scheduling_inside_lesson_hours_warns_and_offers_the_next_free_moment(
    qtbot, open_window, data_dir
):
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QDateTime, QTimeZone

    window = open_window()
    qtbot.keyClicks(window.composer.editor, "Volgende week is de open dag")
    qtbot.mouseClick(window.composer.schedule_button, Qt.MouseButton.LeftButton)
    dialog = window.schedule_dialog
    assert not dialog.warning.isVisible()
    # A Monday morning during lessons at De Regenboog (08:30-12:00), for a teacher.
    amsterdam = ZoneInfo("Europe/Amsterdam")
    during = datetime(2027, 2, 1, 10, 15, tzinfo=amsterdam)

    def choose(moment):
        dialog.editor.setDateTime(
            QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), QTimeZone(b"Europe/Amsterdam"))
        )

    choose(during)
    assert dialog.own.isChecked() and dialog.moment() == during
    assert dialog.warning.isVisible()
    assert "lestijd (tot 12:00)" in dialog.warning_text.text()
    assert "Communiceren 6" in dialog.warning_text.text()
    assert dialog.next_button.text() == "Plan om maandag 01-02-2027 12:00"
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.moment() == datetime(2027, 2, 1, 12, 0, tzinfo=amsterdam)
    assert not dialog.warning.isVisible()

    # Kept inside the lessons: as when publishing, the confirmation asks for a reason, which
    # goes into the history.
    choose(during)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    confirm = window.confirm_dialog
    (finding, box) = confirm.reason_boxes[0]
    assert finding.rule == "lesson_hours" and "12:00" in finding.message
    assert not confirm.publish_button.isEnabled()
    box.setCurrentText("lesactiviteit")
    qtbot.mouseClick(confirm.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.publishing, timeout=10_000)
    store = Store.open(data_dir)
    (ack,) = history.events(store, "warning_acknowledged")
    assert ack.data["rule"] == "lesson_hours" and ack.details["reason"] == "lesactiviteit"
    (job,) = outbox.jobs(store, [outbox.SCHEDULED])
    assert datetime.fromisoformat(job.scheduled_at) == during


def test_a_post_scheduled_after_the_lessons_needs_no_lesson_time_reason(qtbot, open_window):
    from zoneinfo import ZoneInfo

    window = open_window()
    # Now is lesson time; the post goes out at 15:15, after the lessons.
    window.model.clock = lambda: datetime(2026, 11, 23, 10, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
    qtbot.keyClicks(window.composer.editor, "Groep 5 bakt vandaag pannenkoeken")
    assert window.composer.checks.cards[0].finding.rule == "lesson_hours"
    window.confirm_publish(
        scheduled_at=datetime(2027, 2, 1, 15, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))
    )
    assert window.confirm_dialog.reason_boxes == []
    assert window.confirm_dialog.publish_button.isEnabled()


TIMES_IN_ANOTHER_ZONE = """
from datetime import datetime, UTC
from PySide6.QtWidgets import QApplication
from ui.publishing.schedule_dialog import ScheduleDialog
from ui.history.page import when
from app.dutch_time import short_moment
app = QApplication([])
instant = datetime(2027, 2, 1, 9, 15, tzinfo=UTC)  # 10:15 in the Netherlands, 04:15 in New York
dialog = ScheduleDialog([instant])
print(dialog.options[0][0].text())
print(dialog.editor.text())
print(when(instant.isoformat()))
print(short_moment(datetime.now(UTC).astimezone()) == short_moment(datetime.now(UTC)))
"""


def test_moments_read_in_dutch_time_whatever_zone_the_computer_clock_is_in():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TZ": "America/New_York", "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(root)
    out = subprocess.run(
        [sys.executable, "-c", TIMES_IN_ANOTHER_ZONE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    ).stdout.splitlines()
    assert out == [
        "maandag 01-02-2027 10:15",
        "01-02-2027 10:15",
        "01-02-2027 10:15",
        "True",
    ]
