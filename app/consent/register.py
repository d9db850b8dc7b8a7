"""The consent register (Communiceren 10, Profileren 4, ons 11-tal 8): who may be shown, for
which purpose, in which school year, and where each decision came from.

What the register keeps is what the rules need and no more (AVG): name, role, group, school, the
administration's identifier, handles only where known, consent per purpose per school year. No
birth dates, no addresses.

Decisions the caller must know:
- Only "given" for the current school year counts (`people_for_rules`). Last year's consent lapses
  on 1 August; `stale_consent_summary` tells the administrator how many people that concerns.
- A consent that goes from given to refused (or withdrawn) is recorded as WITHDRAWN, so the
  published posts that show the person can be found (app.consent.withdrawal_impact).
- From an export, an empty cell (unknown) stops a given consent from counting, but never erases a
  recorded refusal or withdrawal: the export says nothing new about those.
- People missing from a re-import are only listed (an export may be partial). `confirm_missing`
  then marks them as left: they stay in the register without any consent that counts (their
  given consents for this and later years become withdrawn, with the confirmer as source), so the
  name checks still recognise them and the history stays readable. `erase_person` removes a
  person entirely (AVG: the right to be forgotten).
- Every change is written to `consent_changes` (source, who, why, when) and, for consent states,
  to the history as "consent_changed" with ids only; names go into the erasable details.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import datetime

from app.history import chain as history
from app.i18n import _, ngettext
from app.rules.model import RegisterPerson
from app.school_year import current_school_year, is_school_year, previous_school_year
from app.site.config import Site
from app.store import Store, now_iso

PUPIL, STAFF, PARENT, OTHER = "pupil", "staff", "parent", "other"
ROLES = (PUPIL, STAFF, PARENT, OTHER)
GIVEN, REFUSED, WITHDRAWN, UNKNOWN = "given", "refused", "withdrawn", "unknown"
STATES = (GIVEN, REFUSED, WITHDRAWN, UNKNOWN)

# Where a change came from. An export ("import", "share") mirrors the administration; "edit" is a
# person changing the register by hand, always with a reason.
IMPORT, SHARE, EDIT, CONFIRM_MISSING, ERASE = "import", "share", "edit", "confirm_missing", "erase"
EXPORT_SOURCES = (IMPORT, SHARE)

# What a change-log row records besides consent states.
CHANGE_CONSENT = "consent"
PERSON_ADDED, PERSON_UPDATED = "person_added", "person_updated"
PERSON_LEFT, PERSON_RETURNED, PERSON_ERASED = "person_left", "person_returned", "person_erased"

ORIGIN_IMPORT, ORIGIN_EDIT = "import", "edit"

_PERSON_COLUMNS = (
    "id, school_id, identifier, role, first_name, tussenvoegsel, last_name, group_name, handles,"
    " origin, left_at"
)


@dataclass(frozen=True)
class Source:
    """Where a change came from: `label` is the import file's name, or who edited."""

    kind: str
    label: str
    by: str = ""  # the author id of whoever made the change
    reason: str = ""


@dataclass(frozen=True)
class PersonRecord:
    """What an import line or an edit says about one person.

    `group` None and a network missing from `handles` leave what is stored; an empty handle
    removes it. `consents` maps (purpose, school year) to a state.
    """

    identifier: str
    role: str
    first_name: str = ""
    tussenvoegsel: str = ""
    last_name: str = ""
    group: str | None = None
    handles: dict[str, str] | None = None
    consents: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return _full_name(self.first_name, self.tussenvoegsel, self.last_name)


@dataclass(frozen=True)
class Person:
    id: str
    school_id: str
    identifier: str
    role: str
    first_name: str
    tussenvoegsel: str
    last_name: str
    group: str
    handles: dict[str, str]
    origin: str
    left_at: str | None

    @property
    def full_name(self) -> str:
        return _full_name(self.first_name, self.tussenvoegsel, self.last_name)


@dataclass(frozen=True)
class ConsentChange:
    person_id: str
    name: str  # for the report on screen; never stored in the history's chained data
    purpose: str
    school_year: str
    old_state: str
    new_state: str

    @property
    def lost(self) -> bool:
        """A given consent that no longer counts."""
        return self.old_state == GIVEN and self.new_state != GIVEN


@dataclass
class MergeResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)  # had left, are in the export again
    changes: list[ConsentChange] = field(default_factory=list)
    missing: list[Person] = field(default_factory=list)

    @property
    def withdrawn(self) -> list[ConsentChange]:
        return [c for c in self.changes if c.new_state == WITHDRAWN and c.old_state != WITHDRAWN]

    @property
    def lost(self) -> list[ConsentChange]:
        return [c for c in self.changes if c.lost]


@dataclass(frozen=True)
class LogEntry:
    seq: int
    at: str
    school_id: str
    person_id: str
    change: str
    purpose: str | None
    school_year: str | None
    old_state: str | None
    new_state: str | None
    source_kind: str
    source: str
    by: str
    reason: str


@dataclass(frozen=True)
class StaleConsent:
    """People whose consent is only for last school year (it no longer counts)."""

    school_year: str
    previous_year: str
    people: int
    by_purpose: dict[str, int]
    by_school: dict[str, int]

    @property
    def message(self) -> str:
        if not self.people:
            return ""
        return ngettext(
            "Importeer de toestemmingen voor {year}: voor {n} persoon is er alleen toestemming"
            " van vorig schooljaar ({previous}), en die telt niet meer.",
            "Importeer de toestemmingen voor {year}: voor {n} personen is er alleen toestemming"
            " van vorig schooljaar ({previous}), en die telt niet meer.",
            self.people,
        ).format(year=self.school_year, n=self.people, previous=self.previous_year)


def _full_name(first: str, tussenvoegsel: str, last: str) -> str:
    return " ".join(p for p in (first, tussenvoegsel, last) if p)


def identifier_key(identifier: str) -> str:
    """The form an identifier is stored and compared in. Spreadsheets drop leading zeros, so a
    numeric "00123" and "123" are one person."""
    text = identifier.strip()
    if text.isascii() and text.isdigit():
        return text.lstrip("0") or "0"
    return text


def resulting_state(old: str | None, new: str, from_export: bool) -> str:
    """The state to record when `new` arrives for a consent that was `old` (None: no record)."""
    if old == GIVEN and new in (REFUSED, WITHDRAWN):
        return WITHDRAWN
    if from_export:
        if new == UNKNOWN and old in (REFUSED, WITHDRAWN):
            return old
        if new == REFUSED and old == WITHDRAWN:
            return WITHDRAWN
    return new


def _person(row: tuple) -> Person:
    # _PERSON_COLUMNS are in Person's field order (`group` is stored as group_name).
    values = dict(zip((f.name for f in dataclass_fields(Person)), row, strict=True))
    values["handles"] = json.loads(values["handles"] or "{}")
    return Person(**values)


def _people_rows(db: sqlite3.Connection, school_id: str) -> list[Person]:
    return [
        _person(row)
        for row in db.execute(
            f"SELECT {_PERSON_COLUMNS} FROM consent_people WHERE school_id = ?", [school_id]
        )
    ]


def _source_data(source: Source) -> dict:
    return {"kind": source.kind, "label": source.label, "by": source.by}


class _Writer:
    """Collects the rows of one transaction and writes them with executemany."""

    def __init__(self, school_id: str, source: Source):
        self.school_id = school_id
        self.source = source
        self.at = now_iso()
        self.log: list[tuple] = []
        self.events: list[tuple] = []
        self.consents: list[tuple] = []
        self.changes: list[ConsentChange] = []

    def _source_columns(self, reason: str = "") -> tuple:
        s = self.source
        return (s.kind, s.label, s.by, reason or s.reason)

    def log_person(self, person_id: str, change: str, reason: str = "") -> None:
        row = (self.at, self.school_id, person_id, change, None, None, None, None)
        self.log.append(row + self._source_columns(reason))

    def consent(self, person_id: str, name: str, purpose: str, year: str, old: str, new: str):
        self.consents.append((person_id, purpose, year, new, self.at))
        row = (self.at, self.school_id, person_id, CHANGE_CONSENT, purpose, year, old, new)
        self.log.append(row + self._source_columns())
        details = {"name": name}
        if self.source.reason:
            details["reason"] = self.source.reason
        self.events.append(
            (
                "consent_changed",
                {
                    "person": person_id,
                    "school": self.school_id,
                    "purpose": purpose,
                    "year": year,
                    "old": old,
                    "new": new,
                    "source": _source_data(self.source),
                },
                details,
            )
        )
        self.changes.append(ConsentChange(person_id, name, purpose, year, old, new))

    def flush(self, store: Store, db: sqlite3.Connection) -> None:
        db.executemany(
            "INSERT INTO consents (person_id, purpose, school_year, state, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(person_id, purpose, school_year)"
            " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            self.consents,
        )
        db.executemany(
            "INSERT INTO consent_changes (at, school_id, person_id, change, purpose, school_year,"
            " old_state, new_state, source_kind, source, changed_by, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.log,
        )
        history.append_many(store, db, self.events)


def _check_record(record: PersonRecord) -> None:
    if record.role not in ROLES:
        raise ValueError(f"unknown role {record.role!r}")
    if not identifier_key(record.identifier):
        raise ValueError("a person needs an identifier")
    for (_purpose, year), state in record.consents.items():
        if state not in STATES:
            raise ValueError(f"unknown consent state {state!r}")
        if not is_school_year(year):
            raise ValueError(f"not a school year: {year!r}")


def merge_people(
    store: Store,
    school_id: str,
    records: Iterable[PersonRecord],
    source: Source,
    list_missing: bool = False,
    present: Iterable[str] = (),
) -> MergeResult:
    """Adds or updates people and their consents in one transaction.

    With `list_missing`, the result names the people of this school, of the roles in `records`,
    that came from an earlier import and are neither in `records` nor in `present` (identifiers
    on lines of the file that were skipped): for the administrator to confirm
    (`confirm_missing`). Nothing is withdrawn for them here.
    """
    records = list(records)
    for record in records:
        _check_record(record)
    with store.transaction() as db:
        merge = _Merge(db, school_id, records, source, list_missing, present)
        _write_people(db, merge.inserts, merge.updates, merge.writer.at)
        merge.writer.flush(store, db)
    return merge.result


def planned_merge(
    store: Store,
    school_id: str,
    records: Iterable[PersonRecord],
    source: Source,
    list_missing: bool = False,
    present: Iterable[str] = (),
) -> MergeResult:
    """What `merge_people` with the same arguments would report, computed by the same code on
    the register as it is now; changes nothing."""
    records = list(records)
    for record in records:
        _check_record(record)
    return _Merge(store.conn, school_id, records, source, list_missing, present).result


class _Merge:
    """The merge of `records` into the register as `db` holds it: the rows to write and the
    result to report. It only reads; `merge_people` writes what it collected."""

    def __init__(
        self,
        db: sqlite3.Connection,
        school_id: str,
        records: list[PersonRecord],
        source: Source,
        list_missing: bool,
        present: Iterable[str],
    ):
        from_export = source.kind in EXPORT_SOURCES
        result = self.result = MergeResult()
        writer = self.writer = _Writer(school_id, source)
        self.inserts: list[Person] = []
        self.updates: list[Person] = []
        existing = {p.identifier: p for p in _people_rows(db, school_id)}
        years = sorted({year for r in records for (_p, year) in r.consents})
        stored: dict[tuple[str, str, str], str] = {}
        for year in years:
            for person_id, purpose, state in db.execute(
                "SELECT c.person_id, c.purpose, c.state FROM consents c"
                " JOIN consent_people p ON p.id = c.person_id"
                " WHERE p.school_id = ? AND c.school_year = ?",
                [school_id, year],
            ):
                stored[(person_id, purpose, year)] = state
        added: set[str] = set()
        seen = {identifier_key(i) for i in present}
        for record in records:
            key = identifier_key(record.identifier)
            seen.add(key)
            old = existing.get(key)
            person = _merged_person(old, record, key, school_id, from_export)
            if old is None:
                self.inserts.append(person)
                writer.log_person(person.id, PERSON_ADDED)
                result.added.append(person.id)
                added.add(person.id)
            else:
                changed = _changed_fields(old, person)
                if changed:
                    self.updates.append(person)
                if old.left_at and not person.left_at:
                    writer.log_person(person.id, PERSON_RETURNED)
                    result.returned.append(person.id)
                fields = [f for f in changed if f not in ("left_at", "origin")]
                if fields:
                    writer.log_person(person.id, PERSON_UPDATED, ", ".join(fields))
                    if person.id not in added:
                        result.updated.append(person.id)
            existing[key] = person
            for (purpose, year), new in record.consents.items():
                old_state = stored.get((person.id, purpose, year))
                state = resulting_state(old_state, new, from_export)
                if state == (old_state or UNKNOWN):
                    continue
                stored[(person.id, purpose, year)] = state
                writer.consent(
                    person.id, person.full_name, purpose, year, old_state or UNKNOWN, state
                )
        if list_missing:
            roles = {r.role for r in records}
            result.missing = sorted(
                (
                    p
                    for key, p in existing.items()
                    if key not in seen
                    and p.left_at is None
                    and p.origin == ORIGIN_IMPORT
                    and p.role in roles
                ),
                key=lambda p: (p.group, p.last_name, p.first_name, p.identifier),
            )
        result.changes = writer.changes


def _merged_person(
    old: Person | None, record: PersonRecord, key: str, school_id: str, from_export: bool
) -> Person:
    handles = dict(old.handles) if old else {}
    for network, handle in (record.handles or {}).items():
        if handle.strip():
            handles[network] = handle.strip()
        else:
            handles.pop(network, None)
    origin = ORIGIN_IMPORT if from_export else (old.origin if old else ORIGIN_EDIT)
    return Person(
        id=old.id if old else uuid.uuid4().hex,
        school_id=school_id,
        identifier=key,
        role=record.role,
        first_name=record.first_name.strip(),
        tussenvoegsel=record.tussenvoegsel.strip(),
        last_name=record.last_name.strip(),
        group=(record.group.strip() if record.group is not None else (old.group if old else "")),
        handles=handles,
        origin=origin,
        # Being in an export means being at the school (again).
        left_at=None if from_export or old is None else old.left_at,
    )


def _changed_fields(old: Person, new: Person) -> list[str]:
    names = (
        "role",
        "first_name",
        "tussenvoegsel",
        "last_name",
        "group",
        "handles",
        "origin",
        "left_at",
    )
    return [n for n in names if getattr(old, n) != getattr(new, n)]


def _changeable(p: Person) -> tuple:
    """The columns a re-import may change, in the order both statements below name them."""
    handles = json.dumps(p.handles, ensure_ascii=False, sort_keys=True)
    return (
        p.role,
        p.first_name,
        p.tussenvoegsel,
        p.last_name,
        p.group,
        handles,
        p.origin,
        p.left_at,
    )


def _write_people(db: sqlite3.Connection, inserts: list[Person], updates: list[Person], at: str):
    db.executemany(
        "INSERT INTO consent_people (id, school_id, identifier, role, first_name, tussenvoegsel,"
        " last_name, group_name, handles, origin, left_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(p.id, p.school_id, p.identifier, *_changeable(p), at, at) for p in inserts],
    )
    db.executemany(
        "UPDATE consent_people SET role = ?, first_name = ?, tussenvoegsel = ?, last_name = ?,"
        " group_name = ?, handles = ?, origin = ?, left_at = ?, updated_at = ? WHERE id = ?",
        [(*_changeable(p), at, p.id) for p in updates],
    )


def _edit_source(by: str, reason: str) -> Source:
    if not by.strip() or not reason.strip():
        raise ValueError("an edit by hand needs who made it and why")
    return Source(EDIT, by, by, reason.strip())


def add_person(store: Store, school_id: str, record: PersonRecord, by: str, reason: str) -> str:
    """Adds one person by hand; returns the new id. ValueError if the identifier is taken."""
    source = _edit_source(by, reason)
    if find_person(store, school_id, record.identifier) is not None:
        raise ValueError(f"identifier {record.identifier!r} exists at school {school_id!r}")
    return merge_people(store, school_id, [record], source).added[0]


def edit_person(store: Store, school_id: str, record: PersonRecord, by: str, reason: str) -> None:
    """Changes a person's details (and consents in `record`) by hand, matched by identifier."""
    if find_person(store, school_id, record.identifier) is None:
        raise KeyError(record.identifier)
    merge_people(store, school_id, [record], _edit_source(by, reason))


def set_consent(
    store: Store, person_id: str, purpose: str, school_year: str, state: str, by: str, reason: str
) -> ConsentChange | None:
    """Records one consent decision by hand; None when nothing changed. Given to refused is
    recorded as withdrawn."""
    found = person(store, person_id)
    if found is None:
        raise KeyError(person_id)
    record = PersonRecord(
        identifier=found.identifier,
        role=found.role,
        first_name=found.first_name,
        tussenvoegsel=found.tussenvoegsel,
        last_name=found.last_name,
        consents={(purpose, school_year): state},
    )
    result = merge_people(store, found.school_id, [record], _edit_source(by, reason))
    return result.changes[0] if result.changes else None


def confirm_missing(
    store: Store,
    school_id: str,
    person_ids: Iterable[str],
    by: str,
    reason: str = "",
    now: datetime | None = None,
) -> list[ConsentChange]:
    """The administrator confirms these people are no longer in the administration's export.

    They are marked as left; their given consents for this and later school years become
    withdrawn (source: the confirmer), so nothing of theirs counts any more. They stay in the
    register, so that their names are still recognised in texts; `erase_person` removes them.
    Returns the consent changes (each a withdrawal; see app.consent.withdrawal_impact).
    """
    if not by.strip():
        raise ValueError("a confirmation needs who made it")
    reason = reason.strip() or _("niet meer in de export van de administratie")
    year = current_school_year(now)
    source = Source(CONFIRM_MISSING, by, by, reason)
    writer = _Writer(school_id, source)
    ids = list(dict.fromkeys(person_ids))
    with store.transaction() as db:
        people = {p.id: p for p in _people_rows(db, school_id)}
        unknown = [i for i in ids if i not in people]
        if unknown:
            raise KeyError(f"not people of school {school_id!r}: {unknown}")
        for person_id in ids:
            found = people[person_id]
            if found.left_at is None:
                db.execute(
                    "UPDATE consent_people SET left_at = ?, updated_at = ? WHERE id = ?",
                    [writer.at, writer.at, person_id],
                )
                writer.log_person(person_id, PERSON_LEFT)
            for purpose, school_year in db.execute(
                "SELECT purpose, school_year FROM consents"
                " WHERE person_id = ? AND state = ? AND school_year >= ?"
                " ORDER BY school_year, purpose",
                [person_id, GIVEN, year],
            ).fetchall():
                writer.consent(person_id, found.full_name, purpose, school_year, GIVEN, WITHDRAWN)
        writer.flush(store, db)
    return writer.changes


def erase_person(store: Store, person_id: str, by: str, reason: str = "") -> None:
    """Removes a person from the register (AVG), with their consents and the personal details of
    their consent events in the history. The chain and the change log keep only our id; the
    reason is kept in the change log, so it should not name the person."""
    if not by.strip():
        raise ValueError("an erasure needs who made it")
    found = person(store, person_id)
    if found is None:
        raise KeyError(person_id)
    source = Source(ERASE, by, by, reason.strip())
    writer = _Writer(found.school_id, source)
    with store.transaction() as db:
        db.execute("DELETE FROM consents WHERE person_id = ?", [person_id])
        db.execute("DELETE FROM consent_people WHERE id = ?", [person_id])
        # Reasons typed by hand earlier may name the person.
        db.execute("UPDATE consent_changes SET reason = '' WHERE person_id = ?", [person_id])
        db.execute(
            "DELETE FROM history_details WHERE seq IN (SELECT seq FROM history"
            " WHERE kind = 'consent_changed' AND json_extract(data, '$.person') = ?)",
            [person_id],
        )
        writer.log_person(person_id, PERSON_ERASED)
        writer.events.append(
            (
                "consent_person_erased",
                {"person": person_id, "school": found.school_id, "source": _source_data(source)},
                None,
            )
        )
        writer.flush(store, db)
    # The texts of published posts and acknowledged warnings that name or tag the person.
    names = {found.full_name, f"{found.first_name} {found.last_name}".strip()}
    history.erase_person(store, person_id, names, by)


def person(store: Store, person_id: str) -> Person | None:
    row = store.execute(
        f"SELECT {_PERSON_COLUMNS} FROM consent_people WHERE id = ?", [person_id]
    ).fetchone()
    return _person(row) if row else None


def find_person(store: Store, school_id: str, identifier: str) -> Person | None:
    row = store.execute(
        f"SELECT {_PERSON_COLUMNS} FROM consent_people WHERE school_id = ? AND identifier = ?",
        [school_id, identifier_key(identifier)],
    ).fetchone()
    return _person(row) if row else None


def people(store: Store, school_id: str | None = None, include_left: bool = True) -> list[Person]:
    sql = f"SELECT {_PERSON_COLUMNS} FROM consent_people WHERE (? IS NULL OR school_id = ?)"
    if not include_left:
        sql += " AND left_at IS NULL"
    sql += " ORDER BY school_id, last_name, first_name, identifier"
    return [_person(row) for row in store.execute(sql, [school_id, school_id])]


def consents_of(store: Store, person_id: str) -> dict[tuple[str, str], str]:
    """(purpose, school year) -> state, for every consent on record."""
    return {
        (purpose, year): state
        for purpose, year, state in store.execute(
            "SELECT purpose, school_year, state FROM consents WHERE person_id = ?", [person_id]
        )
    }


def consent_state(store: Store, person_id: str, purpose: str, school_year: str) -> str:
    row = store.execute(
        "SELECT state FROM consents WHERE person_id = ? AND purpose = ? AND school_year = ?",
        [person_id, purpose, school_year],
    ).fetchone()
    return row[0] if row else UNKNOWN


def change_log(
    store: Store, person_id: str | None = None, school_id: str | None = None
) -> list[LogEntry]:
    rows = store.execute(
        "SELECT seq, at, school_id, person_id, change, purpose, school_year, old_state, new_state,"
        " source_kind, source, changed_by, reason FROM consent_changes"
        " WHERE (? IS NULL OR person_id = ?) AND (? IS NULL OR school_id = ?) ORDER BY seq",
        [person_id, person_id, school_id, school_id],
    )
    return [LogEntry(*row) for row in rows]


def people_for_rules(
    store: Store, site: Site, school_id: str | None = None, at: datetime | None = None
) -> list[RegisterPerson]:
    """The register as the rules see it: consented_purposes holds the site's purposes with
    consent "given" for the school year of `at` (now when None). People who left are included
    without any consent, so their names are still recognised and their photos still blocked."""
    year = current_school_year(at)
    purposes = set(site.purposes)
    schools = {s.id for s in site.schools}
    rows = store.execute(
        "SELECT p.id, p.first_name, p.last_name, p.role, p.school_id, p.tussenvoegsel,"
        " p.group_name, p.handles, p.left_at, group_concat(c.purpose, char(31))"
        " FROM consent_people p LEFT JOIN consents c"
        " ON c.person_id = p.id AND c.school_year = ? AND c.state = ?"
        " WHERE (? IS NULL OR p.school_id = ?)"
        " GROUP BY p.id ORDER BY p.school_id, p.last_name, p.first_name, p.identifier",
        [year, GIVEN, school_id, school_id],
    )
    result = []
    for pid, first, last, role, school, tv, group, handles, left_at, given in rows:
        if school not in schools:
            continue
        consented = (
            frozenset(given.split("\x1f")) & purposes if given and left_at is None else frozenset()
        )
        result.append(
            RegisterPerson(
                id=pid,
                first_name=first,
                last_name=last,
                role=role,
                school_id=school,
                tussenvoegsel=tv,
                group=group,
                handles=json.loads(handles or "{}"),
                consented_purposes=consented,
            )
        )
    return result


def stale_consent_summary(
    store: Store, now: datetime | None = None, school_id: str | None = None
) -> StaleConsent:
    """People (still at school) with consent given last school year and nothing decided yet for
    this one: after 1 August their consent no longer counts and the administrator must import
    the new year's consents."""
    year = current_school_year(now)
    previous = previous_school_year(year)
    rows = store.execute(
        "SELECT p.id, p.school_id, c.purpose FROM consents c"
        " JOIN consent_people p ON p.id = c.person_id"
        " WHERE c.school_year = ? AND c.state = ? AND p.left_at IS NULL"
        " AND (? IS NULL OR p.school_id = ?)"
        " AND NOT EXISTS (SELECT 1 FROM consents n WHERE n.person_id = c.person_id"
        " AND n.purpose = c.purpose AND n.school_year = ? AND n.state != ?)",
        [previous, GIVEN, school_id, school_id, year, UNKNOWN],
    ).fetchall()
    by_purpose: dict[str, set[str]] = {}
    by_school: dict[str, set[str]] = {}
    for pid, school, purpose in rows:
        by_purpose.setdefault(purpose, set()).add(pid)
        by_school.setdefault(school, set()).add(pid)
    return StaleConsent(
        school_year=year,
        previous_year=previous,
        people=len({pid for pid, _s, _p in rows}),
        by_purpose={k: len(v) for k, v in sorted(by_purpose.items())},
        by_school={k: len(v) for k, v in sorted(by_school.items())},
    )
