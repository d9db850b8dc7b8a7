"""The Signalen page in the real window: mentions fetched in the background from the Mastodon
contract server, the count of new ones in the navigation, the rule mark first, no way to answer,
and Bespreken met leidinggevende recorded in the history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QPushButton

from app.__main__ import connector_for
from app.history import chain as history
from connectors.mastodon import SCOPES, MastodonConnector
from tests.app.test_signals import write_site
from tests.servers.mastodon_server import MastodonServer

ANSWERING_WORDS = ("reageer", "beantwoord", "antwoorden", "like", "boost", "delen", "doorsturen")


@pytest.fixture
def server():
    with MastodonServer() as running:
        yield running


@pytest.fixture
def window(open_window, server, tmp_path):
    token = server.issue_token(" ".join(SCOPES))

    def networks(account, data_dir, site=None):
        if account.network == "mastodon":
            return MastodonConnector(server.base_url, token_provider=lambda: token)
        return connector_for(account, data_dir, site)

    return open_window(write_site(tmp_path, keep_days=45), networks=networks)


def nav_text(window, key: str) -> str:
    return window.nav.item(window.registry.index[key]).text()


def test_fetching_waits_for_the_interval_and_not_the_start(window, server):
    watch = window.signals_watch
    assert watch.timer.interval() == 30 * 60_000  # [signalen] interval_minuten of the site
    assert server.requests_to("GET", "/api/v1/notifications") == []  # nothing at start-up
    assert nav_text(window, "signals") == "Signalen"


def test_new_signals_are_counted_in_the_navigation_until_the_page_is_seen(window, server, qtbot):
    server.add_mention(
        "ouder", "@juf Fijn schoolfeest!", created_at=datetime.now(UTC) - timedelta(hours=2)
    )
    server.add_mention(
        "boos", "@juf Wat een kutschool is dit", created_at=datetime.now(UTC) - timedelta(hours=3)
    )

    window.signals_watch.fetch_if_due(force=True)
    qtbot.waitUntil(lambda: nav_text(window, "signals") != "Signalen", timeout=20_000)
    assert nav_text(window, "signals") == "Signalen (2 nieuw)"

    window.show_page("signals")
    page = window.pages.currentWidget()
    assert nav_text(window, "signals") == "Signalen"
    assert page.table.rowCount() == 2
    # The one that trips the decency rule comes first, its mark in the first column.
    assert page.table.item(0, 0).text() == "Let op: grove of kwetsende woorden"
    assert page.table.item(0, 0).toolTip() == "Communiceren 12, ons 11-tal 3"
    assert page.table.item(0, 1).text().splitlines()[0] == "@boos@school.example"
    assert "nieuw" in page.table.item(0, 1).text()
    assert "De Regenboog op Mastodon" in page.table.item(0, 1).text()
    assert page.table.item(0, 2).text() == "noemt het account: @juf Wat een kutschool is dit"
    assert page.table.item(1, 0).text() == ""
    assert "Profileren 3" in page.why.text() and "45 dagen" in page.why.text()
    assert "persoonsgegevens" in page.why.text()


def test_there_is_no_button_to_answer_a_signal(window, server, qtbot):
    server.add_mention("ouder", "@juf Hallo")
    window.signals_watch.fetch_if_due(force=True)
    qtbot.waitUntil(lambda: nav_text(window, "signals") != "Signalen", timeout=20_000)
    window.show_page("signals")
    page = window.pages.currentWidget()
    page.table.selectRow(0)
    buttons = [b.text().lower() for b in page.findChildren(QPushButton)]
    assert buttons and not [b for b in buttons if any(w in b for w in ANSWERING_WORDS)]


def test_bespreken_met_leidinggevende_mails_the_manager_and_the_decision_is_recorded(
    window, server, qtbot
):
    server.add_mention("boos", "@juf Wat een kutschool is dit")
    window.signals_watch.fetch_if_due(force=True)
    qtbot.waitUntil(lambda: nav_text(window, "signals") != "Signalen", timeout=20_000)
    opened = []
    window.open_url = lambda url: opened.append(url.toString()) or True
    window.show_page("signals")
    page = window.pages.currentWidget()
    page.table.selectRow(0)
    assert not page.decide_button.isEnabled()

    page.note.setText("Graag morgen bespreken")
    page.discuss_button.click()

    assert opened and opened[0].startswith("mailto:directie@regenboog.example")
    assert "kutschool" in opened[0].replace("%20", " ")
    assert "Joost Bakker" in page.status.text()
    requested = history.events(window.store, "signal_discussion_requested")
    assert [e.data["manager"] for e in requested] == ["Joost Bakker (directeur)"]
    assert requested[0].details["note"] == "Graag morgen bespreken"
    assert "voorgelegd" in page.chosen.text()

    page.table.selectRow(0)
    page.note.setText("In het echt gesproken met de ouder")
    page.decide_button.click()

    decided = history.events(window.store, "signal_decided")
    assert [e.details["decision"] for e in decided] == ["In het echt gesproken met de ouder"]
    assert "besloten: In het echt gesproken met de ouder" in page.chosen.text()


def test_a_rate_limit_is_said_on_the_page_and_the_account_waits(window, server, qtbot):
    server.add_mention("ouder", "@juf Hallo")
    server.set_rate_limit(remaining=0, reset=datetime.now(UTC) + timedelta(minutes=10))
    window.show_page("signals")
    page = window.pages.currentWidget()

    window.signals_watch.fetch_if_due(force=True)
    qtbot.waitUntil(lambda: "te veel verzoeken" in page.fetch_state.text())
    asked = len(server.requests)
    window.signals_watch.fetch_if_due(force=True)
    qtbot.waitUntil(lambda: not window.signals_watch.running)

    assert len(server.requests) == asked  # held until the network's moment
    assert page.table.rowCount() == 0


def test_signals_kept_from_before_are_counted_shortly_after_the_start(
    open_window, server, tmp_path, qtbot, data_dir
):
    from app import signals
    from app.site.config import load_site
    from app.store import Store

    site_file = write_site(tmp_path)
    site = load_site(site_file)
    store = Store.open(data_dir)
    account = site.account("regenboog-mastodon")
    token = server.issue_token(" ".join(SCOPES))
    server.add_mention(
        "ouder", "@juf Van gisteren", created_at=datetime.now(UTC) - timedelta(days=1)
    )
    with MastodonConnector(server.base_url, token_provider=lambda: token) as connector:
        signals.keep_mentions(
            store, site, account, connector.read_mentions(datetime.now(UTC) - timedelta(days=2))
        )
    store.close()

    window = open_window(site_file)
    qtbot.waitUntil(lambda: nav_text(window, "signals") == "Signalen (1 nieuw)", timeout=10_000)


def test_without_a_mail_program_the_mail_is_on_the_clipboard_and_a_name_can_be_erased(
    window, server, qtbot
):
    from PySide6.QtWidgets import QApplication

    server.add_mention("boos", "@juf Wat een kutschool is dit")
    window.signals_watch.fetch_if_due(force=True)
    qtbot.waitUntil(lambda: nav_text(window, "signals") != "Signalen", timeout=20_000)
    window.open_url = lambda _url: False  # as on a computer without a mail program
    window.show_page("signals")
    page = window.pages.currentWidget()
    page.table.selectRow(0)

    page.discuss_button.click()

    mail = QApplication.clipboard().text()
    assert mail.startswith("Aan: directie@regenboog.example\nOnderwerp: Signaal bespreken")
    assert "kutschool" in mail and "klembord" in page.status.text()

    page.table.selectRow(0)
    page.erase_button.click()

    assert page.table.item(0, 1).text().splitlines()[0] == "(naam gewist)"
    assert history.events(window.store, "signal_discussion_requested")[0].details is None
    assert not page.erase_button.isEnabled()
