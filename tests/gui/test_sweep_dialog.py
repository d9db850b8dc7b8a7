"""Jaarcontrole van de accounts from the Geschiedenis page, against the Mastodon contract server:
run with a progress bar, stop and go on, the findings listed, one retracted on the network with
a reason and one marked reviewed with a note."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from app.history import chain as history
from app.store import Store
from connectors.mastodon import SCOPES, MastodonConnector
from connectors.practice import PracticeConnector
from tests.servers.mastodon_server import MastodonServer
from tests.test_cli_sweep import site_with_mastodon

SATURDAY = datetime(2026, 9, 5, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def server():
    with MastodonServer() as running:
        yield running


def networks_for(server):
    token = server.issue_token(" ".join(SCOPES))

    def connector_for(account, data_dir):
        if account.network == "mastodon":
            return MastodonConnector(account.instance, token_provider=lambda: token)
        return PracticeConnector(data_dir, account.id)

    return connector_for


def test_the_sweep_runs_from_the_history_page_and_its_findings_are_acted_on(
    qtbot, open_window, server, tmp_path, data_dir
):
    rude = server.add_status("Wat een kankerweer vandaag.", SATURDAY)
    bare = server.add_status("Morgen geen school.", SATURDAY + timedelta(hours=1))
    for n in range(60):
        server.add_status(f"Oud bericht {n}", SATURDAY - timedelta(days=2, hours=n))
    window = open_window(
        site_file=site_with_mastodon(tmp_path, server), networks=networks_for(server)
    )
    window.show_page("history")
    page = window.pages.currentWidget()
    qtbot.mouseClick(page.sweep_button, Qt.MouseButton.LeftButton)
    dialog = window.sweep_dialog
    qtbot.waitExposed(dialog)
    dialog.year.setCurrentText("2026-2027")
    assert dialog.list.count() == 0
    assert not dialog.progress.isVisible()  # no empty bar before the check has started

    # Stopped right after starting (before its first page is read), it says it goes on later.
    with qtbot.waitSignal(dialog.finished_sweep, timeout=15_000) as stopped:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        assert not dialog.start_button.isEnabled() and dialog.stop_button.isEnabled()
        assert dialog.progress.isVisible()
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert stopped.args[0].stopped
    assert "de volgende keer gaat de controle hier verder" in dialog.status.text()

    with qtbot.waitSignal(dialog.finished_sweep, timeout=15_000) as finished:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].complete
    assert dialog.progress.format() == "Klaar"
    assert "62 buiten Postwijs geplaatst" in dialog.status.text()
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(texts) == 62  # none of them carries the disclaimer
    assert any("kankerweer" not in t and "De disclaimer ontbreekt" in t for t in texts)
    row = next(i for i, f in enumerate(dialog.findings) if f.remote_id == rude.id)
    dialog.list.setCurrentRow(row)
    assert "Bekijk het bericht op het netwerk" in dialog.detail.text()
    assert dialog.retract_button.isEnabled()

    with qtbot.waitSignal(dialog.acted, timeout=10_000):
        dialog.retract_selected("Grof taalgebruik")
    assert rude.id not in {s.id for s in server.stored_statuses()}
    assert (
        "Ingetrokken door" in dialog.detail.text()
        or "ingetrokken" in dialog.list.currentItem().text()
    )

    row = next(i for i, f in enumerate(dialog.findings) if f.remote_id == bare.id)
    dialog.list.setCurrentRow(row)
    dialog.review_selected("Besproken met de juf, disclaimer voortaan erbij")
    assert "nagekeken" in dialog.list.item(row).text()
    assert not dialog.review_button.isEnabled()

    store = Store.open(data_dir)
    try:
        [retracted] = history.events(store, "sweep_retracted")
        assert retracted.details["reason"] == "Grof taalgebruik"
        [reviewed] = history.events(store, "sweep_reviewed")
        assert reviewed.details["note"].startswith("Besproken met de juf")
        assert len(history.events(store, "sweep")) == 1
        assert history.verify(store).intact
    finally:
        store.close()
