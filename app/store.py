"""The one SQLite database of Postwijs: opened through sqlite-utils, WAL, numbered migrations.

Each migration runs in one transaction and is recorded in the `migrations` table, so a database is
always at a known version. Two Postwijs processes may share a database: WAL lets readers go on while
one writer writes, every write takes `BEGIN IMMEDIATE`, and a busy timeout waits for the other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.shared_sqlite import BUSY_TIMEOUT_SECONDS, enable_wal

if TYPE_CHECKING:
    import sqlite_utils

DATABASE_NAME = "postwijs.sqlite3"


class StoreError(Exception):
    """The database cannot be used; the message is Dutch and says what to do."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _migration_1(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE history (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            details_digest TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        )"""
    )
    # Personal details sit beside the chain, which covers only their digest, so that they can be
    # erased for one person without breaking verification.
    db.execute(
        """CREATE TABLE history_details (
            seq INTEGER PRIMARY KEY REFERENCES history(seq),
            details TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE outbox_jobs (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            school_id TEXT NOT NULL,
            author_id TEXT NOT NULL,
            state TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE outbox_targets (
            id TEXT PRIMARY KEY,
            job_id TEXT NOT NULL REFERENCES outbox_jobs(id),
            account_id TEXT NOT NULL,
            network TEXT NOT NULL,
            final_text TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            remote_id TEXT,
            url TEXT,
            error TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX outbox_targets_job ON outbox_targets(job_id)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _migration_2(db: sqlite3.Connection) -> None:
    # The draft being written is saved as it changes, so a crash or a closed window loses nothing;
    # a draft put before the leidinggevende (Voorleggen) waits here with the answer.
    db.execute(
        """CREATE TABLE drafts (
            id TEXT PRIMARY KEY,
            author_id TEXT NOT NULL,
            school_id TEXT NOT NULL,
            content TEXT NOT NULL,
            review TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )


def _migration_3(db: sqlite3.Connection) -> None:
    # The consent register (app.consent.register). Only what the rules need (AVG): no birth dates, no
    # addresses; handles only where the school knows them. `identifier` is the administration's
    # number (leerlingnummer), unique per school; `id` is ours and is what the history names.
    db.execute(
        """CREATE TABLE consent_people (
            id TEXT PRIMARY KEY,
            school_id TEXT NOT NULL,
            identifier TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('pupil', 'staff', 'parent', 'other')),
            first_name TEXT NOT NULL DEFAULT '',
            tussenvoegsel TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            group_name TEXT NOT NULL DEFAULT '',
            handles TEXT NOT NULL DEFAULT '{}',
            origin TEXT NOT NULL,
            left_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (school_id, identifier)
        )"""
    )
    db.execute(
        """CREATE TABLE consents (
            person_id TEXT NOT NULL REFERENCES consent_people(id) ON DELETE CASCADE,
            purpose TEXT NOT NULL,
            school_year TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('given', 'refused', 'withdrawn', 'unknown')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (person_id, purpose, school_year)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX consents_year ON consents(school_year, state)")
    # Every change with its source and time. No foreign key: the log outlives an erased person,
    # and it names people only by our id.
    db.execute(
        """CREATE TABLE consent_changes (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            school_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            change TEXT NOT NULL,
            purpose TEXT,
            school_year TEXT,
            old_state TEXT,
            new_state TEXT,
            source_kind TEXT NOT NULL,
            source TEXT NOT NULL,
            changed_by TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX consent_changes_person ON consent_changes(person_id)")


def _migration_4(db: sqlite3.Connection) -> None:
    # Scheduling, re-checking at the moment of sending, retries with backoff, prepared media and
    # retraction per target.
    for column in ("scheduled_at TEXT", "draft TEXT", "evidence TEXT", "held_reason TEXT"):
        db.execute(f"ALTER TABLE outbox_jobs ADD COLUMN {column}")
    for column in ("not_before TEXT", "media TEXT", "retract_state TEXT", "retract_error TEXT"):
        db.execute(f"ALTER TABLE outbox_targets ADD COLUMN {column}")
    db.execute("CREATE INDEX outbox_targets_state ON outbox_targets(state)")
    db.execute("CREATE INDEX outbox_jobs_created ON outbox_jobs(created_at)")
    db.execute("CREATE INDEX outbox_targets_account ON outbox_targets(account_id)")


def _migration_5(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE account_suspensions (
            account_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            by_whom TEXT NOT NULL,
            at TEXT NOT NULL
        )"""
    )


def _migration_6(db: sqlite3.Connection) -> None:
    # "The outcome is unknown: look before sending" is its own fact, not a state: it must survive
    # a wait, a reconnect, a suspension, a restart or a retry, and only a look-up that answered (or
    # the network's own clear answer to a send) clears it. The look-up searches from the first
    # attempt's moment, so a target resumed days later still finds its own post.
    db.execute("ALTER TABLE outbox_targets ADD COLUMN must_look INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE outbox_targets ADD COLUMN first_attempt_at TEXT")
    # Before this migration only `sending` meant "maybe sent". The first attempt's moment was not
    # kept; the job's creation is never later than it, so searching from there misses nothing.
    db.execute("UPDATE outbox_targets SET must_look = 1 WHERE state = 'sending'")
    db.execute(
        "UPDATE outbox_targets SET first_attempt_at ="
        " (SELECT created_at FROM outbox_jobs j WHERE j.id = outbox_targets.job_id)"
        " WHERE attempts > 0 OR state = 'sending'"
    )


def _migration_7(db: sqlite3.Connection) -> None:
    # Signalen (app.signals): mentions of and replies to the accounts, one row per account and
    # remote id, kept only for the configured number of days. The author's handle is a personal
    # detail that can be erased ('' then); the mark is the rule the text trips.
    db.execute(
        """CREATE TABLE signals (
            id INTEGER PRIMARY KEY,
            account_id TEXT NOT NULL,
            school_id TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            author_handle TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            url TEXT NOT NULL,
            created_at TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            mark_rule TEXT NOT NULL DEFAULT '',
            mark_articles TEXT NOT NULL DEFAULT '',
            mark_message TEXT NOT NULL DEFAULT '',
            discussion TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL DEFAULT '',
            UNIQUE (account_id, remote_id)
        )"""
    )
    db.execute("CREATE INDEX signals_school_created ON signals(school_id, created_at)")
    db.execute("CREATE INDEX signals_created ON signals(created_at)")


MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "history, outbox and settings", _migration_1),
    (2, "drafts", _migration_2),
    (3, "consent register", _migration_3),
    (4, "outbox scheduling, retries, media and retraction", _migration_4),
    (5, "account suspensions", _migration_5),
    (
        6,
        "outbox: look before sending after an unknown outcome, from the first attempt",
        _migration_6,
    ),
    (7, "signals: mentions of and replies to the accounts", _migration_7),
]


class Store:
    """The database connection. `db` is the sqlite-utils view of it, made on first use: importing
    sqlite-utils costs a fifth of the app's start-up, and the first screen does not need it."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def execute(self, sql: str, params: list | tuple = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(_unwritable_message(data_dir, error)) from None
        path = data_dir / DATABASE_NAME
        try:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise StoreError(_unwritable_message(data_dir, error)) from None
        store = cls(conn, path)
        try:
            enable_wal(conn)
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=FULL")
            store.migrate()
        except sqlite3.Error as error:
            conn.close()
            raise StoreError(describe_sqlite_error(error, path)) from None
        return store

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (`BEGIN IMMEDIATE`), so two writers never interleave."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(describe_sqlite_error(error, self.path)) from None
        try:
            yield conn
        except BaseException:
            self._rollback()
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as error:
            self._rollback()
            raise StoreError(describe_sqlite_error(error, self.path)) from None

    def _rollback(self) -> None:
        # After an I/O error SQLite may already have rolled back; a second ROLLBACK would hide
        # the real reason behind "no transaction is active".
        if self.conn.in_transaction:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(number) FROM migrations").fetchone()
        return row[0] or 0

    def migrate(self) -> list[int]:
        """Applies the migrations this database lacks; returns their numbers."""
        numbers = {number for number, _name, _fn in MIGRATIONS}
        try:
            recorded = {row[0] for row in self.conn.execute("SELECT number FROM migrations")}
        except sqlite3.OperationalError:
            recorded = set()  # a new database: no migrations table yet
        if numbers <= recorded and max(recorded) <= max(numbers):
            return []  # the usual start: nothing to do, and no write lock taken
        with self.transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations ("
                "number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        applied = []
        known = max(number for number, _name, _fn in MIGRATIONS)
        if self.schema_version() > known:
            raise StoreError(
                _(
                    "De database {path} is gemaakt door een nieuwere versie van Postwijs. Er is niets"
                    " gewijzigd. Installeer de nieuwste versie van Postwijs."
                ).format(path=self.path)
            )
        for number, name, apply in sorted(MIGRATIONS, key=lambda m: m[0]):
            with self.transaction() as db:
                # Checked inside the transaction: another process may have just applied it.
                done = db.execute("SELECT 1 FROM migrations WHERE number = ?", [number]).fetchone()
                if done:
                    continue
                apply(db)
                db.execute(
                    "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    [number, name, now_iso()],
                )
                applied.append(number)
        return applied

    def setting(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )


def _unwritable_message(data_dir: Path, error: Exception) -> str:
    return _(
        "De gegevensmap {dir} kan niet worden aangemaakt of beschreven ({reason}). Er is niets"
        " verloren gegaan. Kies een andere map met --data-dir of vraag de ICT-beheerder om"
        " schrijfrechten."
    ).format(dir=data_dir, reason=getattr(error, "strerror", None) or error)


def describe_sqlite_error(error: sqlite3.Error, path: Path) -> str:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return _(
            "De database {path} is bezet door een ander programma. Er is niets verloren gegaan."
            " Sluit andere programma's die dit bestand gebruiken en probeer het opnieuw."
        ).format(path=path)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return _(
            "Het databasebestand {path} is beschadigd of is geen Postwijs-database. Postwijs heeft"
            " er niets aan veranderd. Zet een reservekopie terug of neem contact op met de"
            " ICT-beheerder."
        ).format(path=path)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return _(
            "Postwijs kan niet schrijven in {path}. Er is niets verloren gegaan. Controleer of de"
            " map schrijfbaar is of kies een andere map met --data-dir."
        ).format(path=path)
    if "disk" in text and ("full" in text or "i/o" in text):
        return _(
            "De schijf is vol of niet bereikbaar; {path} kon niet worden bijgewerkt. Er is niets"
            " verloren gegaan. Maak ruimte vrij en probeer het opnieuw."
        ).format(path=path)
    return _("De database {path} gaf een fout: {reason}. Er is niets verloren gegaan.").format(
        path=path, reason=error
    )
