"""The register's change log (app.consent.register.change_log): when, who or which file, whom, what, old →
new, and why; newest first, filterable by school, by name, or for one person."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.consent import register as consent
from app.i18n import _
from app.site.config import Site
from app.store import Store
from ui import accessibility
from ui.consent.table import folded
from ui.consent.words import state_word
from ui.history.page import when

MAX_ROWS = 500  # a year of imports is many thousands of rows; the newest matter most

COLUMNS = 6


def _field_words(fields: str) -> str:
    """The person fields an update changed, as app.consent.register writes them, in Dutch."""
    words = {
        "role": _("rol"),
        "first_name": _("voornaam"),
        "tussenvoegsel": _("tussenvoegsel"),
        "last_name": _("achternaam"),
        "group": _("groep"),
        "handles": _("accounts op sociale media"),
    }
    return ", ".join(words.get(f.strip(), f.strip()) for f in fields.split(",") if f.strip())


def who_words(entry: consent.LogEntry) -> str:
    if entry.source_kind == consent.IMPORT:
        text = _("bestand {file}").format(file=entry.source)
        return f"{text} ({entry.by})" if entry.by else text
    if entry.source_kind == consent.SHARE:
        return _("gedeelde map, bestand {file}").format(file=entry.source)
    return entry.by or entry.source


def what_words(entry: consent.LogEntry) -> tuple[str, str]:
    """(what changed, how) for one log row."""
    if entry.change == consent.CHANGE_CONSENT:
        return (
            f"{entry.purpose} {entry.school_year}",
            f"{state_word(entry.old_state)} → {state_word(entry.new_state)}",
        )
    how = {
        consent.PERSON_ADDED: _("toegevoegd aan het register"),
        consent.PERSON_UPDATED: _("gegevens gewijzigd"),
        consent.PERSON_LEFT: _("vertrokken (niet meer in de export)"),
        consent.PERSON_RETURNED: _("weer in de export"),
        consent.PERSON_ERASED: _("gewist uit het register"),
    }.get(entry.change, entry.change)
    return "", how


class ConsentLogView(QWidget):
    def __init__(self, store: Store, site: Site, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.site = site
        self.person_id: str | None = None
        self.entries: list[consent.LogEntry] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        filters = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Zoek op naam of nummer…"))
        accessibility.name(self.query, _("Zoek op naam of nummer"))
        self.query.setClearButtonEnabled(True)
        filters.addWidget(self.query, 2)
        self.school = QComboBox()
        self.school.addItem(_("Alle scholen"), "")
        for school in site.schools:
            self.school.addItem(school.name, school.id)
        filters.addWidget(self.school, 1)
        accessibility.name(self.school, _("School"))
        self.person_label = QLabel()
        self.person_label.setTextFormat(Qt.TextFormat.PlainText)
        self.person_label.setVisible(False)
        filters.addWidget(self.person_label)
        self.all_people = QPushButton(_("Alle personen"))
        self.all_people.setVisible(False)
        self.all_people.clicked.connect(lambda: self.show_person(None))
        filters.addWidget(self.all_people)
        layout.addLayout(filters)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [_("Wanneer"), _("Door of bestand"), _("Persoon"), _("Wat"), _("Wijziging"), _("Reden")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(_("Wijzigingen in het register"))
        layout.addWidget(self.table, 1)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.reload)
        self.query.textChanged.connect(self._debounce.start)
        self.school.currentIndexChanged.connect(self.reload)

    def show_person(self, person_id: str | None, name: str = "") -> None:
        """Only this person's changes (None: everyone's)."""
        self.person_id = person_id
        self.person_label.setText(_("Alleen: {name}").format(name=name) if person_id else "")
        self.person_label.setVisible(bool(person_id))
        self.all_people.setVisible(bool(person_id))
        self.reload()

    def reload(self) -> None:
        people = consent.people(self.store)
        names = {p.id: p.full_name or p.identifier for p in people}
        search = {p.id: folded(f"{p.full_name} {p.identifier}") for p in people}
        entries = consent.change_log(self.store, self.person_id, self.school.currentData() or None)
        words = folded(self.query.text().strip()).split()
        if words:
            entries = [e for e in entries if all(w in search.get(e.person_id, "") for w in words)]
        total = len(entries)
        self.entries = list(reversed(entries))[:MAX_ROWS]
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            what, how = what_words(entry)
            reason = (
                _field_words(entry.reason)
                if entry.change == consent.PERSON_UPDATED
                else entry.reason
            )
            cells = (
                when(entry.at),
                who_words(entry),
                names.get(entry.person_id, _("(gewist)")),
                what,
                how,
                reason,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        # The reason (last) gets what is left; the others are cut off, their tooltip has them.
        for column, widest in enumerate((130, 180, 150, 160, 170)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        if not total:
            self.note.setText(
                _("Niets gevonden met deze filters.")
                if words or self.person_id or self.school.currentData()
                else _("Nog geen wijzigingen. Elke import en elke wijziging met de hand komt hier.")
            )
        elif total > MAX_ROWS:
            self.note.setText(
                _(
                    "De nieuwste {shown} van {total} wijzigingen. Zoek op naam om oudere te zien."
                ).format(shown=MAX_ROWS, total=total)
            )
        else:
            self.note.setText("")
