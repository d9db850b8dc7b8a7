"""The helpdesk report: what a fault needs (version, site file and its state, database version
and size, outbox counts, the chain, the log's end) and nothing about people."""

from __future__ import annotations

import json
import logging
import sqlite3

from app import helpdesk, logs
from app.compose.model import ComposerModel
from app.publishing import outbox
from app.site.config import DEMO_SITE_FILE
from app.store import DATABASE_NAME, Store
from connectors.practice import PracticeConnector
from tests.conftest import run_app

TEXT = "Noor Bakker uit groep 5 won de voorleesbeker!"


def published_and_waiting(data_dir, demo_site) -> None:
    store = Store.open(data_dir)
    for text, send in ((TEXT, True), ("Morgen is het sportdag.", False)):
        model = ComposerModel(demo_site)
        model.set_text(text)
        job = outbox.submit(store, model.draft, model.variants())
        if send:
            outbox.send(store, job, lambda account: PracticeConnector(data_dir, account), {})
    store.close()


def test_the_report_tells_the_state_of_this_laptop_without_personal_data(
    tmp_path, data_dir, demo_site
):
    published_and_waiting(data_dir, demo_site)
    logs.start(tmp_path / "log")
    try:
        logging.getLogger("postwijs.test").info("a line the helpdesk should see")
        found = helpdesk.report(data_dir)
    finally:
        logs.stop()
    text = found.text()
    assert text.startswith("Postwijs 0.1.0 — informatie voor de helpdesk")
    assert "Siteconfiguratie: geen (demosite)" in text and "— geldig" in text
    version = Store.open(data_dir).schema_version()
    assert f"versie {version}, " in text and found.database_bytes > 0
    assert found.outbox == {"posted": 1, "pending": 1}
    assert "Wachtrij (per toestand): pending 1, posted 1" in text
    assert found.chain_intact is True and "Geschiedenis: keten klopt (" in text
    assert "a line the helpdesk should see" in text
    for personal in (TEXT, "Noor", "Sanne de Vries", "sportdag"):
        assert personal not in text, personal


def test_a_broken_site_file_is_named_with_its_keys_and_lines_but_not_its_values(tmp_path, data_dir):
    site = tmp_path / "site.toml"
    demo = DEMO_SITE_FILE.read_text(encoding="utf-8")
    line = next(n for n, text in enumerate(demo.splitlines(), 1) if "Sanne" in text)
    site.write_text(demo.replace('"Sanne de Vries"', '["Sanne de Vries"]'), encoding="utf-8")
    found = helpdesk.report(data_dir, site)
    assert not found.site_valid
    assert [problem.split(" (")[0] for problem in found.site_problems] == ["authors[0].name"]
    assert f"{site} — ongeldig" in found.text()
    assert "Sanne" not in found.text()
    site.write_text(demo.replace('"Sanne de Vries"', '"Sanne de Vries'), encoding="utf-8")
    assert helpdesk.report(data_dir, site).site_problems == [f"het bestand (regel {line})"]


def test_a_changed_history_shows_where_the_chain_breaks(data_dir, demo_site):
    published_and_waiting(data_dir, demo_site)
    database = sqlite3.connect(data_dir / DATABASE_NAME)
    database.execute("UPDATE history SET data = '{}' WHERE seq = 1")
    database.commit()
    database.close()
    found = helpdesk.report(data_dir)
    assert found.chain_intact is False and found.chain_first_bad == 1
    assert "Geschiedenis: keten klopt niet vanaf gebeurtenis 1" in found.text()


def test_the_command_reports_a_newer_database_instead_of_failing(tmp_path, data_dir):
    Store.open(data_dir).close()
    database = sqlite3.connect(data_dir / DATABASE_NAME)
    database.execute("INSERT INTO migrations VALUES (999, 'from the future', '2030-01-01')")
    database.commit()
    database.close()
    result = run_app(
        "helpdesk", "--json", "--data-dir", str(data_dir), env={"POSTWIJS_LOG_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "nieuwere versie van Postwijs" in answer["database_problem"]
    assert answer["database_version"] is None and answer["outbox"] == {}
    text = run_app("helpdesk", "--data-dir", str(data_dir), env={"POSTWIJS_LOG_DIR": str(tmp_path)})
    assert "niet te openen: De database" in text.stdout
