"""The register as a table: one row per person, one column per consent purpose (this school
year), and the filters of the Toestemmingen page (school, group, purpose, state, name)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.consent import register as consent
from app.consent.explain import why_no_consent
from app.i18n import _
from app.school_year import previous_school_year
from app.site.config import Site
from app.store import Store
from ui.consent.words import role_word, state_with_mark

SORT_ROLE = Qt.ItemDataRole.UserRole
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
PURPOSE_ROLE = Qt.ItemDataRole.UserRole + 2

_STATE_ORDER = {consent.GIVEN: 0, consent.UNKNOWN: 1, consent.REFUSED: 2, consent.WITHDRAWN: 3}
_TEXT_COLOURS = {
    consent.GIVEN: QColor("#065f46"),
    consent.REFUSED: QColor("#991b1b"),
    consent.WITHDRAWN: QColor("#9a3412"),
    consent.UNKNOWN: QColor("#4b5563"),
}
_BACKGROUNDS = {
    consent.GIVEN: QColor("#ecfdf5"),
    consent.REFUSED: QColor("#fef2f2"),
    consent.WITHDRAWN: QColor("#fff7ed"),
}
_STALE_BACKGROUND = QColor("#fef3c7")  # as the notice: import this year's consent
_LEFT_COLOUR = QColor("#6b7280")  # 4.8:1 on white: still readable


def folded(text: str) -> str:
    """Lower case without accents, so "zoe" finds "Zoë"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def group_sort_key(group: str) -> tuple:
    """Groups in school order: "2" before "10", "5a" before "5b"."""
    match = re.match(r"\s*(\d+)", group)
    return (0, int(match.group(1)), group.casefold()) if match else (1, 0, group.casefold())


@dataclass(frozen=True)
class RegisterRow:
    person: consent.Person
    school_name: str
    states: dict[str, str]  # purpose -> state in this school year
    last_year_given: frozenset[str] = field(default_factory=frozenset)
    search_key: str = ""
    name_key: str = ""  # sorting calls for it on every comparison: made once
    group_key: str = ""

    @property
    def left(self) -> bool:
        return self.person.left_at is not None

    def state(self, purpose: str) -> str:
        return self.states.get(purpose, consent.UNKNOWN)


def load_rows(store: Store, site: Site, year: str) -> list[RegisterRow]:
    """Every person in the register with their states for `year`, for the site's purposes."""
    schools = {s.id: s.name for s in site.schools}
    previous = previous_school_year(year)
    rows = []
    for person in consent.people(store):
        decided = consent.consents_of(store, person.id)
        rows.append(
            RegisterRow(
                person=person,
                school_name=schools.get(person.school_id, person.school_id),
                states={p: decided.get((p, year), consent.UNKNOWN) for p in site.purposes},
                last_year_given=frozenset(
                    p for p in site.purposes if decided.get((p, previous)) == consent.GIVEN
                ),
                search_key=folded(f"{person.full_name} {person.identifier}"),
                name_key=folded(f"{person.last_name} {person.first_name} {person.tussenvoegsel}"),
                group_key="{}{:09d}{}".format(*group_sort_key(person.group)),
            )
        )
    return rows


class RegisterModel(QAbstractTableModel):
    """All people; the proxy below hides what the filters leave out. The fixed columns come
    first (name, role, group, and the school when the site has several), then the purposes."""

    def __init__(self, store: Store, site: Site, parent=None):
        super().__init__(parent)
        self.store = store
        self.site = site
        self.rows: list[RegisterRow] = []
        self.fixed = [_("Naam"), _("Rol"), _("Groep")]
        if len(site.schools) > 1:
            self.fixed.append(_("School"))
        self.purposes = list(site.purposes)

    def set_rows(self, rows: list[RegisterRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def purpose_of_column(self, column: int) -> str | None:
        index = column - len(self.fixed)
        return self.purposes[index] if 0 <= index < len(self.purposes) else None

    def column_of_purpose(self, purpose: str) -> int:
        return len(self.fixed) + self.purposes.index(purpose)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self.fixed) + len(self.purposes)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section < len(self.fixed):
            return self.fixed[section]
        return self.purpose_of_column(section)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        purpose = self.purpose_of_column(column)
        if role == PERSON_ROLE:
            return row.person.id
        if role == PURPOSE_ROLE:
            return purpose
        if purpose is not None:
            return self._purpose_data(row, purpose, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._fixed_text(row, column)
        if role == SORT_ROLE:
            return self._fixed_sort_key(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and row.left:
            return QBrush(_LEFT_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and row.left and column == 0:
            return _(
                "Staat niet meer in de export van de administratie. Er telt geen toestemming"
                " meer; de naam wordt nog wel herkend in berichten."
            )
        return None

    def _fixed_text(self, row: RegisterRow, column: int) -> str:
        person = row.person
        if column == 0:
            name = person.full_name or person.identifier
            return _("{name} (vertrokken)").format(name=name) if row.left else name
        if column == 1:
            return role_word(person.role)
        if column == 2:
            return person.group
        return row.school_name

    def _fixed_sort_key(self, row: RegisterRow, column: int):
        if column == 0:
            return row.name_key
        if column == 2:
            return row.group_key
        return self._fixed_text(row, column)

    def _purpose_data(self, row: RegisterRow, purpose: str, role: int):
        state = row.state(purpose)
        # Given last year, nothing yet this year: shown in the notice's colour.
        stale = state == consent.UNKNOWN and purpose in row.last_year_given
        if role == Qt.ItemDataRole.DisplayRole:
            return state_with_mark(state)
        if role == SORT_ROLE:
            return _STATE_ORDER.get(state, 9)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(_LEFT_COLOUR if row.left else _TEXT_COLOURS[state])
        if role == Qt.ItemDataRole.BackgroundRole and not row.left:
            if stale:
                return QBrush(_STALE_BACKGROUND)
            if state in _BACKGROUNDS:
                return QBrush(_BACKGROUNDS[state])
        if role == Qt.ItemDataRole.ToolTipRole:
            # Asked only when the mouse rests on the cell, so one query per look.
            return (
                why_no_consent(self.store, self.site, row.person.id, purpose)
                + "\n"
                + _("Dubbelklik om te wijzigen.")
            )
        return None


ANY = ""


class RegisterFilter(QSortFilterProxyModel):
    """What the filter row asks: every criterion "" means "all". With a purpose chosen, the state
    filter looks at that purpose only; without, at any purpose."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.school_id = ANY
        self.group = ANY
        self.purpose = ANY
        self.state = ANY
        self.setSortRole(SORT_ROLE)

    def set_criteria(self, text: str, school_id: str, group: str, purpose: str, state: str) -> None:
        # beginFilterChange came with Qt 6.10; the project still allows 6.8.
        modern = hasattr(self, "beginFilterChange")
        if modern:
            self.beginFilterChange()
        self.text = folded(text.strip())
        self.school_id, self.group, self.purpose, self.state = school_id, group, purpose, state
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model = self.sourceModel()
        assert isinstance(model, RegisterModel)
        row = model.rows[source_row]
        person = row.person
        if self.school_id and person.school_id != self.school_id:
            return False
        if self.group and person.group != self.group:
            return False
        if self.text and not all(word in row.search_key for word in self.text.split()):
            return False
        if self.state:
            purposes = [self.purpose] if self.purpose else model.purposes
            if not any(row.state(p) == self.state for p in purposes):
                return False
        return True
