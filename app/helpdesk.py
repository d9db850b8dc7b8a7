"""The plain report for the helpdesk: what a fault on one laptop needs, and nothing about people.

Copied from Instellingen ("Informatie voor de helpdesk kopiëren") or printed by
`postwijs-cli helpdesk`. It holds the version and platform, which site configuration is used and
whether it is valid (the problems by key and line, never a value), the database's version and
size, how many outbox targets are in each state, whether the history chain holds, and the log's
last lines (which are written without personal data, see app.logs). No texts, names, handles or
account ids: only counts, kinds, paths with the home folder shortened to ~.
"""

from __future__ import annotations

import platform
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__, logs
from app.i18n import _, ngettext
from app.paths import system_site_file, user_site_file
from app.site.config import SiteConfigError, find_site_file, load_site
from app.store import DATABASE_NAME, Store, StoreError

LOG_LINES = 30


@dataclass
class HelpdeskReport:
    version: str
    platform: str
    frozen: bool
    site_file: str
    site_valid: bool
    site_problems: list[str]
    database: str
    database_version: int | None
    database_bytes: int
    database_problem: str
    outbox: dict[str, int] = field(default_factory=dict)
    chain_intact: bool | None = None
    chain_rows: int = 0
    chain_first_bad: int | None = None
    log_file: str = ""
    log_lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def text(self) -> str:
        lines = [
            _("Postwijs {version} — informatie voor de helpdesk").format(version=self.version),
            _("Platform: {platform}{frozen}").format(
                platform=self.platform, frozen=_(" (pakket)") if self.frozen else ""
            ),
            _("Siteconfiguratie: {file} — {state}").format(
                file=self.site_file,
                state=_("geldig") if self.site_valid else _("ongeldig"),
            ),
        ]
        lines += [f"  {problem}" for problem in self.site_problems]
        if self.database_problem:
            lines.append(
                _("Database: {path} — niet te openen: {problem}").format(
                    path=self.database, problem=self.database_problem
                )
            )
        else:
            lines.append(
                _("Database: {path} — versie {version}, {size}").format(
                    path=self.database,
                    version=self.database_version,
                    size=_megabytes(self.database_bytes),
                )
            )
        outbox = ", ".join(f"{state} {count}" for state, count in sorted(self.outbox.items()))
        lines.append(_("Wachtrij (per toestand): {counts}").format(counts=outbox or _("leeg")))
        if self.chain_intact is None:
            lines.append(_("Geschiedenis: niet gecontroleerd"))
        elif self.chain_intact:
            lines.append(
                ngettext(
                    "Geschiedenis: keten klopt ({rows} gebeurtenis)",
                    "Geschiedenis: keten klopt ({rows} gebeurtenissen)",
                    self.chain_rows,
                ).format(rows=self.chain_rows)
            )
        else:
            lines.append(
                _("Geschiedenis: keten klopt niet vanaf gebeurtenis {seq}").format(
                    seq=self.chain_first_bad
                )
            )
        lines.append(_("Logbestand: {file}").format(file=self.log_file or _("geen")))
        if self.log_lines:
            lines.append(_("Laatste regels van het log:"))
            lines += [f"  {line}" for line in self.log_lines]
        return "\n".join(lines)


def report(data_dir: Path, site_file: Path | None = None) -> HelpdeskReport:
    """Gathers the report; never raises for a broken configuration or database (that is what the
    helpdesk needs to see)."""
    site_path = find_site_file(site_file)
    problems: list[str] = []
    try:
        load_site(site_file)
        valid = True
    except SiteConfigError as error:
        valid = False
        for problem in error.problems:
            at = _(" (regel {line})").format(line=problem.line) if problem.line else ""
            problems.append((problem.key or _("het bestand")) + at)
    if site_path is None:
        where = _("geen (demosite); gezocht in {system} en {user}").format(
            system=_shown(system_site_file()), user=_shown(user_site_file())
        )
    else:
        where = _shown(site_path)

    database = Path(data_dir) / DATABASE_NAME
    found = HelpdeskReport(
        version=__version__,
        platform=f"{platform.system()} {platform.release()} ({platform.machine()}), "
        f"Python {platform.python_version()}",
        frozen=bool(getattr(sys, "frozen", False)),
        site_file=where,
        site_valid=valid,
        site_problems=problems,
        database=_shown(database),
        database_version=None,
        database_bytes=_size_with_journal(database),
        database_problem="",
    )
    _add_database_state(found, Path(data_dir))
    log_path = logs.current_file() or logs.log_file()
    found.log_file = _shown(log_path)
    found.log_lines = logs.last_lines(LOG_LINES, log_path)
    return found


def _add_database_state(found: HelpdeskReport, data_dir: Path) -> None:
    if not (data_dir / DATABASE_NAME).exists():
        found.database_problem = _("er is nog geen database")
        return
    try:
        store = Store.open(data_dir)
    except StoreError as error:
        found.database_problem = logs.scrub(str(error).splitlines()[0])
        return
    try:
        from app.history.chain import verify

        found.database_version = store.schema_version()
        rows = store.execute("SELECT state, COUNT(*) FROM outbox_targets GROUP BY state")
        found.outbox = {state: count for state, count in rows}
        verification = verify(store)
        found.chain_intact = verification.intact
        found.chain_rows = verification.rows
        found.chain_first_bad = verification.first_bad_seq
    except sqlite3.Error as error:
        found.database_problem = type(error).__name__
    finally:
        store.close()


def _size_with_journal(database: Path) -> int:
    total = 0
    for suffix in ("", "-wal", "-shm"):
        part = database.with_name(database.name + suffix)
        if part.exists():
            total += part.stat().st_size
    return total


def _megabytes(size: int) -> str:
    return _("{mb:.1f} MB").format(mb=size / 1_000_000)


def _shown(path: Path) -> str:
    return logs.scrub(str(path))
