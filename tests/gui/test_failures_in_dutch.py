"""Issue 11: when signing in or importing fails, foreseen or not, every text on screen is a Dutch
sentence for the user: no exception names, reprs, quoted identifiers or English words from a
provider or the system. Real parts: the Bluesky contract server on 127.0.0.1 answering as a PDS
does (an error, a refused app password, a dropped connection), a port where nothing listens, the
real Secret Service for the vault, and real files on disk and a real database for the import
(tests/gui/shown_text.py checks)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.accounts.service import AccountService
from app.consent import register as consent
from app.site.config import DEMO_SITE_FILE, Site, load_site
from connectors import networks
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.gui.shown_text import assert_dutch_only, shown_everywhere, texts_in
from tests.servers.bluesky_server import BlueskyServer
from ui.accounts.page import AccountsPage
from ui.consent.page import ConsentPage

WAIT = 20_000
HANDLE = "regenboog.bsky.social"
PASSWORD = "abcd-efgh-ijkl-mnop"
CREATE_SESSION = r"/xrpc/com\.atproto\.server\.createSession"


@pytest.fixture
def vault(secret_service):  # noqa: F811
    yield SecretStore()
    SecretStore().delete("kw-bluesky")


@pytest.fixture
def server():
    with BlueskyServer(HANDLE, PASSWORD) as running:
        yield running


def bluesky_site(tmp_path: Path, instance: str) -> Site:
    path = tmp_path / "site.toml"
    path.write_text(
        DEMO_SITE_FILE.read_text(encoding="utf-8")
        + f"""
[[schools.accounts]]
id = "kw-bluesky"
network = "bluesky"
name = "Bluesky De Kleine Wereld"
kind = "official"
instance = "{instance}"
handle = "{HANDLE}"
""",
        encoding="utf-8",
    )
    return load_site(path)


def open_accounts(qtbot, site, store, data_dir, vault) -> AccountsPage:
    page = AccountsPage(
        site, store, data_dir, lambda: [], "Sanne de Vries",
        service=AccountService(vault, data_dir, networks()),
    )  # fmt: skip
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitUntil(
        lambda: all(card.status is not None for card in page.cards.values()), timeout=WAIT
    )
    return page


def sign_in_fails(qtbot, page: AccountsPage, password: str) -> str:
    """Signs in through the page's dialog and gives what the card says once it is over."""
    card = page.cards["kw-bluesky"]
    qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
    dialog = page.bluesky_dialog
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: card.result_label.isVisible() and "Bezig" not in card.result_label.text(),
        timeout=WAIT,
    )
    qtbot.waitUntil(lambda: card.sign_in_button.isEnabled(), timeout=WAIT)
    return card.result_label.text()


def assert_no_promise_of_a_post(said: str) -> None:
    """Signing in is not publishing: nothing is retried by itself and no post is involved."""
    assert "bericht" not in said and "Postwijs probeert" not in said, said
    assert "opnieuw" in said, said


def assert_nothing_for_developers(page) -> None:
    texts = texts_in(page) + shown_everywhere()
    assert texts
    assert_dutch_only(texts)


def test_a_bluesky_server_error_reads_as_dutch(qtbot, vault, server, store, data_dir, tmp_path):
    page = open_accounts(qtbot, bluesky_site(tmp_path, server.base_url), store, data_dir, vault)
    server.fail_next(
        "POST", CREATE_SESSION, 500,
        {"error": "InternalServerError", "message": "Internal Server Error: upstream timed out"},
    )  # fmt: skip
    said = sign_in_fails(qtbot, page, PASSWORD)
    assert said and page.cards["kw-bluesky"].state_label.text() == "niet aangemeld"
    assert_no_promise_of_a_post(said)
    assert_nothing_for_developers(page)


def test_a_refused_app_password_reads_as_dutch(qtbot, vault, server, store, data_dir, tmp_path):
    page = open_accounts(qtbot, bluesky_site(tmp_path, server.base_url), store, data_dir, vault)
    said = sign_in_fails(qtbot, page, "zzzz-zzzz-zzzz-zzzz")  # the server answers 401, in English
    assert "wachtwoord" in said
    assert_nothing_for_developers(page)


def test_a_lost_connection_reads_as_dutch(qtbot, vault, server, store, data_dir, tmp_path):
    page = open_accounts(qtbot, bluesky_site(tmp_path, server.base_url), store, data_dir, vault)
    server.drop_connection_after("POST", CREATE_SESSION)
    said = sign_in_fails(qtbot, page, PASSWORD)
    assert said
    assert_no_promise_of_a_post(said)
    assert_nothing_for_developers(page)


def test_a_server_that_is_not_there_reads_as_dutch(qtbot, vault, store, data_dir, tmp_path):
    with socket.socket() as probe:  # a port where nothing listens: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page = open_accounts(
        qtbot, bluesky_site(tmp_path, f"http://127.0.0.1:{port}"), store, data_dir, vault
    )
    said = sign_in_fails(qtbot, page, PASSWORD)
    assert said
    assert_no_promise_of_a_post(said)
    assert_nothing_for_developers(page)


def test_a_refused_page_token_reads_as_dutch(qtbot, secret_service, store, data_dir, tmp_path):  # noqa: F811
    from connectors import SignInOptions
    from tests.servers.facebook_server import FacebookGraphServer

    with FacebookGraphServer(page_name="OBS De Regenboog") as server:
        path = tmp_path / "site.toml"
        path.write_text(
            DEMO_SITE_FILE.read_text(encoding="utf-8")
            + f"""
[[schools.accounts]]
id = "kw-facebook"
network = "facebook"
name = "De Kleine Wereld op Facebook"
kind = "official"
handle = "{server.page_id}"
""",
            encoding="utf-8",
        )
        service = AccountService(
            SecretStore(), data_dir, networks(SignInOptions(meta_graph_api=server.base_url))
        )
        page = AccountsPage(load_site(path), store, data_dir, lambda: [], "Sanne", service=service)
        qtbot.addWidget(page)
        page.resize(1000, 700)
        page.show()
        qtbot.waitUntil(
            lambda: all(c.status is not None for c in page.cards.values()), timeout=WAIT
        )
        card = page.cards["kw-facebook"]
        qtbot.mouseClick(card.sign_in_button, Qt.MouseButton.LeftButton)
        dialog = page.token_dialog
        qtbot.keyClicks(dialog.token_edit, "EAAB-een-token-dat-meta-niet-kent")  # a refused token
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: card.result_label.isVisible() and card.sign_in_button.isEnabled(), timeout=WAIT
        )
        assert card.result_label.text()
        assert_nothing_for_developers(page)
    SecretStore().delete("kw-facebook")


# ---- importing -----------------------------------------------------------------------------------


@pytest.fixture
def wizard(qtbot, store, demo_site):
    page = ConsentPage(store, demo_site, "Sanne de Vries", lambda job, why: None, lambda: None)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    return page.wizard


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda folder: folder.joinpath("export").mkdir() or folder / "export",
                     id="a-folder"),
        pytest.param(lambda folder: folder / "weg.csv", id="a-file-that-is-gone"),
        pytest.param(lambda folder: (folder.joinpath("leeg.csv").write_bytes(b"") and None)
                     or folder / "leeg.csv", id="an-empty-file"),
        pytest.param(lambda folder: folder.joinpath("export.xlsx").write_bytes(
            b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256))) and folder / "export.xlsx",
                     id="a-spreadsheet"),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_said_in_dutch(wizard, tmp_path, make):
    path = make(tmp_path)
    assert not wizard.load_file(path)
    assert wizard.file_error.isVisible() and wizard.file_error.text()
    assert not wizard.next_button.isEnabled()
    assert_dutch_only(texts_in(wizard) + shown_everywhere())


def test_a_csv_that_is_not_a_consent_export_is_said_in_dutch(qtbot, wizard, store, tmp_path):
    path = tmp_path / "kasboek.csv"
    path.write_text("Datum;Omschrijving;Bedrag\n1-9-2026;Schoolreis;12,50\n", encoding="utf-8")
    assert wizard.load_file(path)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    step = wizard.mapping_step
    assert step.problems() and step.problems_label.isVisible()
    assert not wizard.next_button.isEnabled()
    assert_dutch_only(texts_in(wizard) + shown_everywhere())
    assert consent.people(store) == []


def test_an_import_that_fails_unexpectedly_says_so_in_dutch_and_changes_nothing(
    qtbot, wizard, store, tmp_path, caplog
):
    # Another program changed the database so that it refuses new people, with an error in its
    # own words: a fault Postwijs does not foresee. (A read-only file would not do: the tests
    # may run as root, whom file permissions do not stop.)
    store.conn.execute(
        "CREATE TRIGGER refuse_people BEFORE INSERT ON consent_people"
        " BEGIN SELECT RAISE(ABORT, 'insert refused by the records system'); END"
    )
    path = tmp_path / "export.csv"
    path.write_text(
        "Leerlingnummer;Roepnaam;Achternaam;Toestemming social media\n1001;Noor;Bakker;ja\n",
        encoding="utf-8",
    )
    assert wizard.load_file(path)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.import_button.isVisible() and wizard.import_button.isEnabled()
    with caplog.at_level("ERROR", logger="postwijs"):
        qtbot.mouseClick(wizard.import_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not wizard.busy, timeout=WAIT)

    said = wizard.summary.toPlainText()
    assert said == (
        "De import is niet gelukt door een onverwachte fout; er is niets veranderd. Probeer het"
        " opnieuw; gaat het weer mis, vraag dan de ICT-beheerder om hulp."
    )
    assert wizard.summary.isVisible()
    assert_dutch_only([said, *texts_in(wizard), *shown_everywhere()])
    assert not any("insert refused" in text for text in [said, *shown_everywhere()])
    # The details are in the log, for whoever looks into it.
    assert any(
        r.exc_info and "insert refused by the records system" in str(r.exc_info[1])
        for r in caplog.records
    )
    assert consent.people(store) == []  # "er is niets veranderd" holds
    assert wizard.report is None
