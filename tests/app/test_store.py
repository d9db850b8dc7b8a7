import sqlite3
from pathlib import Path

import pytest

from app.store import DATABASE_NAME, MIGRATIONS, Store, StoreError


def test_a_new_database_is_migrated_in_wal_mode_and_each_migration_is_recorded(data_dir):
    store = Store.open(data_dir)
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    recorded = store.execute("SELECT number, name FROM migrations ORDER BY number").fetchall()
    assert recorded == [(number, name) for number, name, _ in MIGRATIONS]
    assert {"history", "history_details", "outbox_jobs", "outbox_targets"} <= set(
        store.db.table_names()
    )
    store.close()


def test_reopening_applies_nothing_twice_and_keeps_the_data(data_dir):
    store = Store.open(data_dir)
    store.set_setting("language", "en")
    store.close()
    again = Store.open(data_dir)
    assert again.migrate() == []
    assert again.setting("language") == "en"
    again.close()


def test_a_failing_migration_leaves_no_half_applied_schema(data_dir, monkeypatch):
    def broken(db):
        db.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("app.store.MIGRATIONS", [*MIGRATIONS, (99, "broken", broken)])
    with pytest.raises(StoreError, match="Er is niets verloren gegaan"):
        Store.open(data_dir)
    monkeypatch.undo()
    store = Store.open(data_dir)
    assert "half" not in store.db.table_names()
    assert store.schema_version() == MIGRATIONS[-1][0]
    store.close()


def test_a_file_that_is_not_a_database_is_reported_and_left_untouched(data_dir):
    path = data_dir / DATABASE_NAME
    garbage = b"dit is geen database " * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    assert "beschadigd" in str(caught.value)
    assert "reservekopie" in str(caught.value)
    assert path.read_bytes() == garbage


def test_a_database_from_a_newer_postwijs_is_refused_without_changes(data_dir):
    store = Store.open(data_dir)
    store.execute("INSERT INTO migrations VALUES (999, 'future', '2030-01-01')")
    store.close()
    with pytest.raises(StoreError, match="nieuwere versie"):
        Store.open(data_dir)


def test_an_unwritable_data_folder_gives_a_clear_message():
    # /proc refuses new folders even to root, so this holds however the tests are run.
    with pytest.raises(StoreError, match="--data-dir"):
        Store.open(Path("/proc/1/postwijs-gegevens"))


def test_a_data_folder_that_cannot_be_created_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map")
    with pytest.raises(StoreError) as caught:
        Store.open(blocker / "data")
    assert "kan niet worden aangemaakt" in str(caught.value)
    assert blocker.read_text() == "geen map"


def test_a_database_held_by_another_program_is_reported_as_busy(data_dir, monkeypatch):
    Store.open(data_dir).close()
    other = sqlite3.connect(data_dir / DATABASE_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr("app.store.BUSY_TIMEOUT_SECONDS", 0.2)
    try:
        store = Store.open(data_dir)  # reading goes on (WAL); writing must wait
        with pytest.raises(StoreError, match="bezet door een ander programma"):
            store.set_setting("x", "y")
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.set_setting("x", "y")
    assert store.setting("x") == "y"
