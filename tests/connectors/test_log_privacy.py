"""The log file holds what the helpdesk needs and nothing about people: after a sign-in, two
publishes (one refused by the instance) and a consent import, the log is searched for every
personal value and secret that was used. Real parts: the Mastodon contract server, the real
Secret Service, the command line in its own process."""

from __future__ import annotations

import logging

import pytest

from app import logs
from app.networks.connector import OutgoingPost, Rejected
from tests.conftest import run_app
from tests.connectors.test_accounts import (
    BY,
    mastodon_account,
    server,  # noqa: F401  (a fixture)
    service_for,
    site_with,
    stored_token,
    vault,  # noqa: F401  (a fixture)
)

TEXT = (
    "Vandaag vierde Noor Bakker (groep 5) haar verjaardag; vragen? Mail juf.anne@regenboog.nl"
    " of bel 06-12345678."
)
HANDLE = "@juf@school.example"


@pytest.fixture
def log_folder(tmp_path, monkeypatch):
    folder = tmp_path / "log"
    monkeypatch.setenv("POSTWIJS_LOG_DIR", str(folder))
    logs.start(folder)  # as the composition root does at start-up
    yield folder
    logs.stop()


def test_the_log_has_the_events_and_no_personal_data_or_secrets(
    server,  # noqa: F811
    vault,  # noqa: F811
    store,
    data_dir,
    tmp_path,
    log_folder,
):
    site = site_with(tmp_path, mastodon_account(server, HANDLE))
    account = site.account("kw-mastodon")
    service = service_for(vault, data_dir)
    assert service.connect(store, account, BY).handle == HANDLE
    token = stored_token(vault, account.id)
    [app] = server.apps.values()

    with logs.LoggedConnector(service.connector_for(account), "mastodon") as sender:
        sender.publish(OutgoingPost("doel-1", account.id, account.name, TEXT))
        with pytest.raises(Rejected):
            sender.publish(OutgoingPost("doel-2", account.id, account.name, TEXT * 10))
    # A connector logs a refused answer; an exception logged by the app carries no message.
    try:
        raise ValueError(f"{TEXT} {token}")
    except ValueError:
        logging.getLogger("postwijs.test").exception("publishing went wrong for %s", HANDLE)

    export = tmp_path / "leerlingen.csv"
    export.write_bytes(
        "Leerlingnummer;Roepnaam;Achternaam;Groep;Toestemming social media;E-mail ouder\r\n"
        "101;Noor;Bakker;5;ja;ouders.bakker@example.nl\r\n"
        "102;Sem;Visser;5;nee;fam.visser@example.nl\r\n".encode("cp1252")
    )
    imported = run_app(
        "consent", "import", str(export), "--school", "regenboog", "--data-dir", str(data_dir)
    )
    assert imported.returncode in (0, 1), imported.stdout + imported.stderr

    written = "\n".join(
        path.read_text(encoding="utf-8") for path in sorted(log_folder.glob("postwijs.log*"))
    )
    # What happened is there, by kind and network...
    assert "publish ok network=mastodon" in written
    assert "publish failed network=mastodon: Rejected" in written
    assert "command ok name=consent-import" in written
    assert "ValueError" in written and "test_log_privacy.py" in written
    # ... and nothing about people, nothing that opens an account.
    personal = [
        TEXT, "Noor", "Bakker", "Sem", "Visser", "juf.anne@regenboog.nl", "06-12345678",
        "ouders.bakker@example.nl", "fam.visser@example.nl", HANDLE, "juf@school.example", BY,
        "verjaardag", str(export), str(tmp_path),
    ]  # fmt: skip
    secrets = [token, app.client_secret, app.client_id]
    found = [value for value in personal + secrets if value in written]
    assert found == [], written
