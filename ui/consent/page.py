"""Toestemmingen: the consent register for this school year, its filters, changes by hand with a
reason, the import of the administration's export, and the change log.

The page shows and forwards; app.consent.register decides. After every change the window is told
(`register_changed`) so the checks in the composer use the new register at once, and a consent
that stopped counting opens the list of published posts that show the person.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.consent import register as consent
from app.consent.register import PersonRecord
from app.i18n import _
from app.school_year import current_school_year
from app.site.config import Site
from app.store import Store, StoreError
from ui import accessibility
from ui.consent.edit_dialog import ConsentEditDialog
from ui.consent.impact import WithdrawalImpactDialog, concerns_posts
from ui.consent.log_view import ConsentLogView
from ui.consent.person_dialog import AddPersonDialog
from ui.consent.table import (
    ANY,
    PERSON_ROLE,
    RegisterFilter,
    RegisterModel,
    group_sort_key,
    load_rows,
)
from ui.consent.words import state_with_mark

NOTICE_STYLE = (
    "#consentNotice { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; }"
    " #consentNotice QLabel { color: #78350f; }"
)
EMPTY_STYLE = "#consentEmpty { font-size: 12pt; color: #374151; padding: 24px 0; }"


class ConsentPage(QWidget):
    def __init__(
        self,
        store: Store,
        site: Site,
        by: str,
        retract: Callable[[str, str], None],
        register_changed: Callable[[], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.site = site
        self.by = by
        self.retract = retract
        self.register_changed = register_changed
        self.year = current_school_year()
        self.edit_dialog: ConsentEditDialog | None = None
        self.person_dialog: AddPersonDialog | None = None
        self.impact_dialog: WithdrawalImpactDialog | None = None
        self.wizard: QDialog | None = None
        self.problem = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        title = QLabel(_("Toestemmingen"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        self.year_label = QLabel()
        self.year_label.setObjectName("hint")
        self.year_label.setWordWrap(True)
        outer.addWidget(self.year_label)

        self.notice = QFrame()
        self.notice.setObjectName("consentNotice")
        self.notice.setStyleSheet(NOTICE_STYLE)
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(12, 8, 12, 8)
        self.notice_text = QLabel()
        self.notice_text.setWordWrap(True)
        notice_row.addWidget(self.notice_text, 1)
        notice_import = QPushButton(_("Export importeren…"))
        notice_import.clicked.connect(self.open_import)
        notice_row.addWidget(notice_import)
        self.notice.setVisible(False)
        outer.addWidget(self.notice)

        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        outer.addWidget(self.error)

        self.tabs = QTabWidget()
        accessibility.name(self.tabs, _("Register of wijzigingen"))
        outer.addWidget(self.tabs, 1)
        self.tabs.addTab(self._build_register(), _("Register"))
        self.log = ConsentLogView(store, site)
        self.tabs.addTab(self.log, _("Wijzigingen"))
        self.tabs.currentChanged.connect(self._tab_changed)

    # ---- building -----------------------------------------------------------------------------

    def _build_register(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        actions = QHBoxLayout()
        self.import_button = QPushButton(_("Export importeren…"))
        self.import_button.setObjectName("primary")
        self.import_button.setToolTip(
            _("Lees de export van de leerling- of personeelsadministratie in (een CSV-bestand).")
        )
        self.import_button.clicked.connect(self.open_import)
        actions.addWidget(self.import_button)
        self.add_button = QPushButton(_("Persoon toevoegen…"))
        self.add_button.clicked.connect(self.open_add_person)
        actions.addWidget(self.add_button)
        self.edit_button = QPushButton(_("Toestemming wijzigen…"))
        self.edit_button.clicked.connect(self.edit_selected)
        actions.addWidget(self.edit_button)
        self.person_log_button = QPushButton(_("Wijzigingen van deze persoon"))
        self.person_log_button.clicked.connect(self.show_log_of_selected)
        actions.addWidget(self.person_log_button)
        actions.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("counter")
        actions.addWidget(self.count)
        layout.addLayout(actions)

        self.filters = QWidget()
        filters = QHBoxLayout(self.filters)
        filters.setContentsMargins(0, 0, 0, 0)
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Zoek op naam of nummer…"))
        accessibility.name(self.query, _("Zoek op naam of nummer"))
        self.query.setClearButtonEnabled(True)
        filters.addWidget(self.query, 2)
        self.school = QComboBox()
        self.school.addItem(_("Alle scholen"), ANY)
        for school in self.site.schools:
            self.school.addItem(school.name, school.id)
        self.school.setVisible(len(self.site.schools) > 1)
        filters.addWidget(self.school, 1)
        self.group = QComboBox()
        self.group.addItem(_("Alle groepen"), ANY)
        filters.addWidget(self.group)
        self.purpose = QComboBox()
        self.purpose.addItem(_("Alle doelen"), ANY)
        for purpose in self.site.purposes:
            self.purpose.addItem(purpose, purpose)
        filters.addWidget(self.purpose)
        self.state = QComboBox()
        self.state.addItem(_("Elke toestemming"), ANY)
        for state in consent.STATES:
            self.state.addItem(state_with_mark(state), state)
        filters.addWidget(self.state)
        for box, words in (
            (self.school, _("School")),
            (self.group, _("Groep")),
            (self.purpose, _("Doel")),
            (self.state, _("Toestemming")),
        ):
            accessibility.name(box, words)
        layout.addWidget(self.filters)

        self.model = RegisterModel(self.store, self.site, self)
        self.proxy = RegisterFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setAccessibleName(_("Toestemmingsregister"))
        accessibility.leave_by_tab(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Column widths are measured on the first rows only: all of 2,000 takes a noticeable while.
        header.setResizeContentsPrecision(200)
        layout.addWidget(self.table, 1)

        self.empty = QLabel()
        self.empty.setObjectName("consentEmpty")
        self.empty.setStyleSheet(EMPTY_STYLE)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty, 1)

        # Typing waits a moment, so a register of thousands is not filtered on every keystroke.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.apply_filters)
        self.query.textChanged.connect(self._debounce.start)
        self.school.currentIndexChanged.connect(self._school_changed)
        for box in (self.group, self.purpose, self.state):
            box.currentIndexChanged.connect(self.apply_filters)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().currentChanged.connect(lambda *_a: self._update_buttons())
        return tab

    # ---- loading and filtering ----------------------------------------------------------------

    def reload(self) -> None:
        """Reads the register again, keeping the filters and the selected cell."""
        self.year = current_school_year()
        selected, column = self.selected_person_id(), self.table.currentIndex().column()
        try:
            rows = load_rows(self.store, self.site, self.year)
            stale = consent.stale_consent_summary(self.store).message
        except StoreError as error:
            self._show_error(str(error))
            return
        self._show_error("")
        self.year_label.setText(
            _(
                "Schooljaar {year}. Alleen toestemming voor dit schooljaar telt bij het plaatsen."
                " Dubbelklik op een vak om een toestemming te wijzigen."
            ).format(year=self.year)
        )
        self.notice_text.setText(
            stale + " " + _("In de tabel staan hun vakken in het geel.") if stale else ""
        )
        self.notice.setVisible(bool(stale))
        self.model.set_rows(rows)
        self._fill_groups()
        self.apply_filters()
        self._fit_columns()
        if selected:
            self.select_person(selected, column)
        if self.tabs.currentWidget() is self.log:
            self.log.reload()

    def _fit_columns(self) -> None:
        """Wide enough for the words, narrow enough that four purposes fit beside the names on a
        laptop screen; longer texts are cut off (the tooltip has them whole)."""
        self.table.resizeColumnsToContents()
        caps = [190, 110, 70, 150][: len(self.model.fixed)]
        for section in range(self.model.columnCount()):
            widest = caps[section] if section < len(caps) else 140
            width = self.table.columnWidth(section) + 8
            self.table.setColumnWidth(section, max(60, min(width, widest)))

    def _show_error(self, message: str) -> None:
        self.problem = message
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def _fill_groups(self) -> None:
        chosen = self.group.currentData()
        school = self.school.currentData()
        groups = sorted(
            {
                row.person.group
                for row in self.model.rows
                if row.person.group and (not school or row.person.school_id == school)
            },
            key=group_sort_key,
        )
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(_("Alle groepen"), ANY)
        for group in groups:
            self.group.addItem(group, group)
        self.group.setCurrentIndex(max(0, self.group.findData(chosen)))
        self.group.blockSignals(False)

    def _school_changed(self) -> None:
        self._fill_groups()
        self.apply_filters()

    def apply_filters(self) -> None:
        purpose = self.purpose.currentData()
        self.proxy.set_criteria(
            self.query.text(),
            self.school.currentData(),
            self.group.currentData(),
            purpose,
            self.state.currentData(),
        )
        # The school column only when it tells people apart: it costs a purpose's width.
        if len(self.model.fixed) > 3:
            schools = {row.person.school_id for row in self.model.rows}
            self.table.setColumnHidden(3, bool(self.school.currentData()) or len(schools) < 2)
        # With one purpose chosen, the other purposes' columns only distract.
        for p in self.model.purposes:
            self.table.setColumnHidden(
                self.model.column_of_purpose(p), bool(purpose) and p != purpose
            )
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.count.setText(
            _("{shown} van {total} personen").format(shown=shown, total=total) if total else ""
        )
        has_people = total > 0
        self.filters.setVisible(has_people)
        self.table.setVisible(has_people)
        if not has_people:
            self.empty.setText(
                _("Nog niemand in het register. Importeer de export van de leerlingadministratie.")
                + "\n\n"
                + _(
                    "Kies hierboven 'Export importeren…'. Mensen die niet in een export staan"
                    " (een vrijwilliger, een stagiair) voeg je toe met 'Persoon toevoegen…'."
                )
            )
        elif not shown:
            self.empty.setText(_("Niemand gevonden met deze filters."))
        else:
            self.empty.setText("")
        self.empty.setVisible(bool(self.empty.text()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_person_id())
        has_people = self.model.rowCount() > 0
        for button in (self.edit_button, self.person_log_button):
            button.setEnabled(chosen)
            button.setVisible(has_people)

    # ---- selection ----------------------------------------------------------------------------

    def selected_person_id(self) -> str:
        index = self.table.currentIndex()
        return (index.data(PERSON_ROLE) or "") if index.isValid() else ""

    def select_person(self, person_id: str, column: int = 0) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, max(column, 0))
            if index.data(PERSON_ROLE) == person_id:
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def cell_index(self, person_id: str, purpose: str) -> QModelIndex:
        """The table cell of a person's purpose (for tests and keyboard paths)."""
        column = self.model.column_of_purpose(purpose)
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, column)
            if index.data(PERSON_ROLE) == person_id:
                return index
        return QModelIndex()

    def _activated(self, index: QModelIndex) -> None:
        person_id = index.data(PERSON_ROLE)
        if person_id:
            self.edit_consent(person_id, self.model.purpose_of_column(index.column()))

    def edit_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._activated(index)

    # ---- editing ------------------------------------------------------------------------------

    def edit_consent(self, person_id: str, purpose: str | None = None) -> None:
        """Opens the dialog for this person's consent; `purpose` None takes the filtered one, or
        the first."""
        person = consent.person(self.store, person_id)
        if person is None:
            self.reload()
            return
        purpose = purpose or self.purpose.currentData() or self.site.purposes[0]
        year = self.year
        states = {
            p: consent.consent_state(self.store, person_id, p, year) for p in self.site.purposes
        }
        changes: list[consent.ConsentChange] = []

        def save(chosen_purpose: str, state: str, reason: str) -> str:
            try:
                change = consent.set_consent(
                    self.store, person_id, chosen_purpose, year, state, self.by, reason
                )
            except StoreError as error:
                return str(error)
            except KeyError:
                return _(
                    "Deze persoon staat niet meer in het register; er is niets gewijzigd. Sluit"
                    " dit venster; de lijst wordt bijgewerkt."
                )
            if change is not None:
                changes.append(change)
            return ""

        dialog = ConsentEditDialog(
            person.full_name or person.identifier,
            year,
            self.site.purposes,
            purpose,
            states,
            save,
            self,
            left=person.left_at is not None,
        )
        dialog.accepted.connect(lambda: self._changed_by_hand(changes))
        dialog.rejected.connect(self.reload)
        self.edit_dialog = dialog
        dialog.open()

    def _changed_by_hand(self, changes: list[consent.ConsentChange]) -> None:
        self.register_updated()
        self.show_impact(changes)

    def show_impact(self, changes: list[consent.ConsentChange]) -> None:
        """Opens the list of published posts for the consents that stopped counting, if any."""
        lost = [c for c in changes if concerns_posts(c)]
        if not lost:
            return
        self.impact_dialog = WithdrawalImpactDialog(self.store, self.site, self.retract, lost, self)
        self.impact_dialog.open()

    def register_updated(self) -> None:
        """After any change: the page and the window's rules see the new register."""
        self.reload()
        self.register_changed()

    def open_add_person(self) -> None:
        def save(school_id: str, record: PersonRecord, reason: str) -> str:
            try:
                person_id = consent.add_person(self.store, school_id, record, self.by, reason)
            except ValueError:
                return _(
                    "Er staat al iemand met nummer {number} in het register van deze school."
                    " Zoek die persoon op en wijzig daar de toestemming."
                ).format(number=record.identifier)
            except StoreError as error:
                return str(error)
            added.append(person_id)
            return ""

        added: list[str] = []
        school = self.school.currentData() or self.site.schools[0].id
        dialog = AddPersonDialog(self.site, school, self.year, save, self)

        def done() -> None:
            self.register_updated()
            if added:
                self.select_person(added[0])

        dialog.accepted.connect(done)
        self.person_dialog = dialog
        dialog.open()

    def open_import(self) -> None:
        from ui.consent.import_wizard import ConsentImportWizard

        wizard = ConsentImportWizard(
            self.store,
            self.site,
            self.by,
            self.retract,
            self.register_updated,
            school_id=self.school.currentData() or None,
            parent=self,
        )
        self.wizard = wizard
        wizard.open()

    # ---- the change log -----------------------------------------------------------------------

    def show_log_of_selected(self) -> None:
        person_id = self.selected_person_id()
        if not person_id:
            return
        person = consent.person(self.store, person_id)
        self.tabs.setCurrentWidget(self.log)
        self.log.show_person(person_id, person.full_name if person else "")

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.log:
            self.log.reload()

    def showEvent(self, event) -> None:
        self.reload()
        super().showEvent(event)
