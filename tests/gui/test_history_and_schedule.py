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
    assert confirm.publish_button.text() == "Inplannen"
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
