"""Importing the administration's export into the consent register, in four steps: the file,
kolommen koppelen (with a live preview), the check of every line, and what the import did.

Decisions the caller must know:
- A file with bad lines changes nothing unless "Importeer alleen de goede regels" is ticked; the
  skipped lines are listed afterwards, to correct in the administration.
- People missing from the export are only listed. They leave the register (and their consent
  stops counting) only when the administrator confirms it here: an export may be partial.
- The import runs off the GUI thread on its own database connection; the dialog cannot be closed
  while it runs. `changed()` is called after every change to the register.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.consent import register as consent
from app.consent.column_mapping import (
    mapping_problems,
    remember_mapping,
    remembered_mapping,
    suggest_mapping,
)
from app.consent.csv_import import ImportReport, apply_import, describe_report
from app.consent.csv_reading import CsvTable, ImportFileError, read_csv
from app.consent.line_validation import Validation, validate
from app.consent.planned_changes import PlannedChanges, planned_changes
from app.consent.register import IMPORT, Source
from app.i18n import _, ngettext
from app.school_year import current_school_year, next_school_year
from app.site.config import Site
from app.store import Store, StoreError
from ui import accessibility
from ui.background import run_in_background
from ui.consent.impact import WithdrawalImpactView, concerns_posts
from ui.consent.mapping_step import MappingStep
from ui.consent.words import charset_words, separator_words

FILE, COLUMNS, CHECK, DONE = range(4)
log = logging.getLogger("postwijs.ui.consent")


def _step_title(step: int) -> str:
    return (
        _("Stap 1 van 4: kies het bestand"),
        _("Stap 2 van 4: kolommen koppelen"),
        _("Stap 3 van 4: controleren"),
        _("Stap 4 van 4: klaar"),
    )[step]


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    label.setWordWrap(True)
    return label


def _fit_height(widget: QListWidget, most: int = 8) -> None:
    """As tall as its lines, up to `most`: a short list should not leave an empty box."""
    rows = max(1, min(widget.count(), most))
    line = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height()
    widget.setFixedHeight(rows * line + 2 * widget.frameWidth() + 4)


def _fit_text_height(widget: QPlainTextEdit, most: int = 12) -> None:
    lines = max(2, min(widget.document().blockCount(), most))
    widget.setFixedHeight((lines + 1) * widget.fontMetrics().lineSpacing() + 16)


def _hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


class ConsentImportWizard(QDialog):
    def __init__(
        self,
        store: Store,
        site: Site,
        by: str,
        retract: Callable[[str, str], None],
        changed: Callable[[], None],
        school_id: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.site = site
        self.by = by
        self.retract = retract
        self.changed = changed
        self.path: Path | None = None
        self.csv: CsvTable | None = None
        self.validation: Validation | None = None
        self.report: ImportReport | None = None
        self.busy = False
        self.confirmed: list[consent.ConsentChange] = []
        self.setWindowTitle(_("Export van de administratie importeren"))
        # As large as the work needs, but never larger than the screen (a 1024x700 laptop).
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1120, screen.width() - 40), min(720, screen.height() - 40))

        layout = QVBoxLayout(self)
        self.step_title = QLabel()
        self.step_title.setObjectName("pageTitle")
        layout.addWidget(self.step_title)
        self.steps = QStackedWidget()
        self.steps.addWidget(self._build_file_step(school_id))
        self.mapping_step = MappingStep(site.purposes)
        self.mapping_step.changed.connect(self._update_buttons)
        self.steps.addWidget(self.mapping_step)
        self.steps.addWidget(self._build_check_step())
        self.steps.addWidget(self._build_done_step())
        layout.addWidget(self.steps, 1)

        buttons = QHBoxLayout()
        self.back_button = QPushButton(_("Terug"))
        self.back_button.clicked.connect(self.back)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Annuleren"))
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.next_button = QPushButton(_("Volgende"))
        self.next_button.setObjectName("primary")
        self.next_button.clicked.connect(self.next)
        buttons.addWidget(self.next_button)
        self.import_button = QPushButton(_("Importeren"))
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.start_import)
        buttons.addWidget(self.import_button)
        self.close_button = QPushButton(_("Sluiten"))
        self.close_button.setObjectName("primary")
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.go_to(FILE)

    # ---- step 1: the file ---------------------------------------------------------------------

    def _build_file_step(self, school_id: str | None) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _hint(
                _(
                    "Maak in de leerling- of personeelsadministratie een export met het nummer,"
                    " de naam, de groep en de toestemmingen, en sla die op als CSV-bestand (in"
                    " Excel: 'CSV (gescheiden door lijstscheidingsteken)' of 'CSV UTF-8')."
                )
            )
        )
        form = QFormLayout()
        self.school_box = QComboBox()
        for school in self.site.schools:
            self.school_box.addItem(school.name, school.id)
        if school_id:
            self.school_box.setCurrentIndex(max(0, self.school_box.findData(school_id)))
        self.school_box.currentIndexChanged.connect(self._school_changed)
        form.addRow(_("Voor school:"), self.school_box)
        row = QHBoxLayout()
        self.file_label = QLabel(_("nog geen bestand gekozen"))
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label.setWordWrap(True)
        row.addWidget(self.file_label, 1)
        choose = QPushButton(_("Bestand kiezen…"))
        choose.clicked.connect(self.choose_file)
        row.addWidget(choose)
        form.addRow(_("Bestand:"), row)
        self.charset_label = QLabel()
        form.addRow(_("Tekenset:"), self.charset_label)
        self.separator_label = QLabel()
        form.addRow(_("Scheidingsteken:"), self.separator_label)
        self.lines_label = QLabel()
        self.lines_label.setWordWrap(True)
        form.addRow(_("Inhoud:"), self.lines_label)
        layout.addLayout(form)
        self.file_error = QLabel()
        self.file_error.setObjectName("errorText")
        self.file_error.setWordWrap(True)
        self.file_error.setVisible(False)
        layout.addWidget(self.file_error)
        layout.addWidget(
            _hint(
                _(
                    "Er verandert nog niets: je ziet eerst hoe het bestand wordt gelezen en welke"
                    " regels niet kloppen."
                )
            )
        )
        layout.addStretch(1)
        return page

    def school_id(self) -> str:
        return self.school_box.currentData()

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Kies de export van de administratie"),
            str(self.path.parent) if self.path else "",
            _("CSV-bestanden (*.csv *.txt);;Alle bestanden (*)"),
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path | str) -> bool:
        """Reads the file and prefills the columns; False (with the reason shown) if unreadable."""
        self.path = Path(path)
        self.file_label.setText(str(self.path))
        try:
            table = read_csv(self.path)
        except ImportFileError as error:
            self.csv = None
            self.file_error.setText(str(error))
            self.file_error.setVisible(True)
            for label in (self.charset_label, self.separator_label, self.lines_label):
                label.setText("")
            self._update_buttons()
            return False
        self.csv = table
        self.file_error.setVisible(False)
        self.charset_label.setText(charset_words(table.encoding))
        self.separator_label.setText(separator_words(table.delimiter))
        self.lines_label.setText(
            ngettext(
                "{n} regel onder de kopregel; kolommen: {columns}",
                "{n} regels onder de kopregel; kolommen: {columns}",
                len(table.rows),
            ).format(n=len(table.rows), columns=", ".join(h for h in table.headers if h))
        )
        self._fill_mapping()
        self._update_buttons()
        return True

    def _school_changed(self) -> None:
        if self.csv is not None:
            self._fill_mapping()

    def _fill_mapping(self) -> None:
        """Prefills from the mapping remembered for this school when it fits this file, else
        from the column names."""
        table = self.csv
        assert table is not None  # the mapping step follows a file that was read
        remembered = remembered_mapping(self.store, self.school_id())
        if remembered is not None and not mapping_problems(
            remembered, table.headers, self.site.purposes
        ):
            mapping = remembered
            how = _("De kolommen zijn gekoppeld zoals bij de vorige import voor deze school.")
        else:
            mapping = suggest_mapping(table.headers, self.site.purposes)
            how = _(
                "De kolommen zijn gekoppeld op hun naam. Controleer ze in het voorbeeld en pas"
                " aan wat niet klopt."
            )
        year = current_school_year()
        self.mapping_step.set_table(table, mapping, [year, next_school_year(year)], how)

    # ---- step 3: the check --------------------------------------------------------------------

    def _build_check_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.check_summary = _heading("")
        layout.addWidget(self.check_summary)
        self.bad_list = QListWidget()
        self.bad_list.setAccessibleName(_("Regels die niet kloppen"))
        accessibility.label_for(self.check_summary, self.bad_list)
        layout.addWidget(self.bad_list)
        self.only_good = QCheckBox(_("Importeer alleen de goede regels"))
        self.only_good.toggled.connect(self._update_buttons)
        layout.addWidget(self.only_good)
        self.check_hint = _hint()
        layout.addWidget(self.check_hint)
        self.changes_title = _heading(_("Wat er verandert in het register"))
        layout.addWidget(self.changes_title)
        self.changes_text = QLabel()
        self.changes_text.setWordWrap(True)
        self.changes_text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.changes_text)
        layout.addWidget(
            _hint(
                _(
                    "Mensen die niet meer in het bestand staan, worden na de import alleen getoond."
                    " Hun toestemming verandert pas als jij bevestigt dat ze weg zijn."
                )
            )
        )
        layout.addStretch(1)
        return page

    def _check(self) -> None:
        assert self.csv is not None  # the check follows a file that was read
        self.validation = validate(
            self.csv,
            self.mapping_step.mapping(),
            self.site.purposes,
            self.mapping_step.school_year() or None,
        )
        v = self.validation
        self.bad_list.clear()
        for problem in v.problems:
            self.bad_list.addItem(problem)
        for bad in v.bad:
            self.bad_list.addItem(bad.describe())
        _fit_height(self.bad_list, 14)
        self.only_good.setChecked(False)
        self.only_good.setVisible(bool(v.bad) and not v.problems)
        self.bad_list.setVisible(bool(v.problems or v.bad))
        good = ngettext("{n} regel is in orde.", "{n} regels zijn in orde.", len(v.lines)).format(
            n=len(v.lines)
        )
        if v.problems:
            self.check_summary.setText(_("Zo kan het bestand niet worden ingelezen:"))
        elif v.bad:
            self.check_summary.setText(
                good
                + " "
                + ngettext(
                    "Verbeter deze regel in de administratie, of importeer alleen de goede regels:",
                    "Verbeter deze {n} regels in de administratie, of importeer alleen de goede"
                    " regels:",
                    len(v.bad),
                ).format(n=len(v.bad))
            )
        else:
            self.check_summary.setText(good + " " + _("Alle regels kunnen worden geïmporteerd."))
        self._show_planned_changes(v)
        self.check_hint.setText(
            _(
                "De overgeslagen regels zie je na de import nog een keer. Importeer het bestand"
                " opnieuw als ze verbeterd zijn."
            )
            if v.bad and not v.problems
            else ""
        )

    def _show_planned_changes(self, v: Validation) -> None:
        """Step 3 says what the import will do before anything is applied."""
        shown = not v.problems and bool(v.lines)
        self.changes_title.setVisible(shown)
        self.changes_text.setVisible(shown)
        if not shown:
            return
        plan = planned_changes(self.store, self.school_id(), v)
        lines = (
            [_("Niets: het register staat al zo.")] if plan.nothing else self._change_lines(plan)
        )
        if plan.missing:
            lines.append(
                ngettext(
                    "{n} persoon staat niet meer in dit bestand: je ziet na de import wie.",
                    "{n} personen staan niet meer in dit bestand: je ziet na de import wie.",
                    len(plan.missing),
                ).format(n=len(plan.missing))
            )
        self.changes_text.setText("\n".join(lines))

    @staticmethod
    def _change_lines(plan: PlannedChanges) -> list[str]:
        lines = [
            ngettext("{n} persoon komt erbij.", "{n} mensen komen erbij.", plan.added).format(
                n=plan.added
            ),
            ngettext(
                "{n} persoon wordt bijgewerkt.", "{n} mensen worden bijgewerkt.", plan.updated
            ).format(n=plan.updated),
            ngettext(
                "{n} toestemming verandert.", "{n} toestemmingen veranderen.", plan.consent_changes
            ).format(n=plan.consent_changes),
        ]
        if plan.withdrawn:
            lines.append(
                _("Ingetrokken (daarna zie je de berichten waar dit speelt): {names}").format(
                    names="; ".join(plan.withdrawn)
                )
            )
        return lines

    # ---- step 4: the outcome ------------------------------------------------------------------

    def _build_done_step(self) -> QWidget:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # It takes the focus so that a long outcome can be scrolled with the arrow keys.
        accessibility.name(scroll, _("Uitkomst van de import"))
        page = QWidget()
        layout = QVBoxLayout(page)
        self.busy_label = _heading(_("Bezig met importeren…"))
        layout.addWidget(self.busy_label)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # no steps to count: a moving bar says "still working"
        self.busy_bar.setTextVisible(False)
        layout.addWidget(self.busy_bar)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setAccessibleName(_("Wat de import heeft gedaan"))
        accessibility.leave_by_tab(self.summary)
        layout.addWidget(self.summary)

        self.skipped_title = _heading(_("Overgeslagen regels (niet geïmporteerd)"))
        layout.addWidget(self.skipped_title)
        self.skipped_list = QListWidget()
        accessibility.name(self.skipped_list, _("Overgeslagen regels"))
        layout.addWidget(self.skipped_list)

        self.missing_title = _heading("")
        layout.addWidget(self.missing_title)
        self.missing_hint = _hint(
            _(
                "Er is niets ingetrokken. Zijn ze echt van school, vink ze dan aan en bevestig:"
                " ze blijven in het register (hun naam wordt nog herkend), maar hun toestemming"
                " telt niet meer."
            )
        )
        layout.addWidget(self.missing_hint)
        self.missing_list = QListWidget()
        accessibility.name(self.missing_list, _("Niet meer in de export"))
        layout.addWidget(self.missing_list)
        confirm_row = QHBoxLayout()
        self.confirm_button = QPushButton(_("Bevestig dat deze mensen weg zijn"))
        self.confirm_button.clicked.connect(self.confirm_missing)
        confirm_row.addWidget(self.confirm_button)
        confirm_row.addStretch(1)
        layout.addLayout(confirm_row)
        self.confirm_note = _hint()
        layout.addWidget(self.confirm_note)

        self.impact_title = _heading(_("Geplaatste berichten met wie geen toestemming meer heeft"))
        layout.addWidget(self.impact_title)
        self.impact = WithdrawalImpactView(self.store, self.site, self.retract)
        layout.addWidget(self.impact)
        layout.addStretch(1)
        scroll.setWidget(page)
        return scroll

    def start_import(self) -> None:
        v = self.validation
        if v is None or not self._can_import():
            return
        accept_good_lines = bool(v.bad) and self.only_good.isChecked()
        mapping = self.mapping_step.mapping()
        school_id = self.school_id()
        data_dir = self.store.path.parent
        source = Source(IMPORT, v.file_name, self.by)

        def work() -> ImportReport:
            # Its own connection: the GUI thread keeps reading the register meanwhile.
            store = Store.open(data_dir)
            try:
                report = apply_import(store, school_id, v, source, accept_good_lines)
                if report.applied:
                    remember_mapping(store, school_id, mapping)
                return report
            finally:
                store.close()

        self.busy = True
        self.go_to(DONE)
        run_in_background(work, self._imported)

    def _imported(self, report: ImportReport | None, error: BaseException | None) -> None:
        self.busy = False
        self.busy_label.setVisible(False)
        self.busy_bar.setVisible(False)
        if error is not None:
            if isinstance(error, StoreError):
                message = str(error)  # already a Dutch sentence saying what to do
            else:  # a fault nobody foresaw: its details are for the log, not for the screen
                log.error("the import failed", exc_info=error)
                message = _(
                    "De import is niet gelukt door een onverwachte fout; er is niets veranderd."
                    " Probeer het opnieuw; gaat het weer mis, vraag dan de ICT-beheerder om hulp."
                )
            self.summary.setPlainText(message)
            _fit_text_height(self.summary)
            self._update_buttons()
            return
        assert report is not None  # the work returns a report or raises
        self.report = report
        # The skipped lines are listed once, in their own list below the summary.
        self.summary.setPlainText(
            describe_report(replace(report, bad=[]) if report.applied else report)
        )
        _fit_text_height(self.summary)
        self.skipped_list.clear()
        for bad in report.skipped:
            self.skipped_list.addItem(bad.describe())
        _fit_height(self.skipped_list)
        self.skipped_title.setVisible(bool(report.skipped))
        self.skipped_list.setVisible(bool(report.skipped))
        self._show_missing(report.missing)
        self._show_impact()
        self._update_buttons()
        if report.applied:
            self.changed()

    def _show_missing(self, missing: list[consent.Person]) -> None:
        self.missing_list.clear()
        for person in missing:
            group = _(", groep {group}").format(group=person.group) if person.group else ""
            item = QListWidgetItem(f"{person.full_name} ({person.identifier}{group})")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.missing_list.addItem(item)
        _fit_height(self.missing_list, 10)
        self.missing_title.setText(
            ngettext(
                "{n} persoon staat niet meer in dit bestand",
                "{n} personen staan niet meer in dit bestand",
                len(missing),
            ).format(n=len(missing))
        )
        for widget in (
            self.missing_title,
            self.missing_hint,
            self.missing_list,
            self.confirm_button,
        ):
            widget.setVisible(bool(missing))
        self.confirm_button.setEnabled(bool(missing))
        self.confirm_note.setVisible(False)

    def confirm_missing(self) -> None:
        """The administrator's confirmation, for the ticked people only."""
        ids = [
            self.missing_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.missing_list.count())
            if self.missing_list.item(i).checkState() == Qt.CheckState.Checked
            and self.missing_list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
        ]
        if not ids:
            return
        try:
            changes = consent.confirm_missing(self.store, self.school_id(), ids, self.by)
        except (StoreError, KeyError) as error:
            self.confirm_note.setText(
                str(error)
                if isinstance(error, StoreError)
                else _("Iemand in de lijst staat niet meer in het register; er is niets gewijzigd.")
            )
            self.confirm_note.setVisible(True)
            return
        self.confirmed += changes
        for i in range(self.missing_list.count()):
            item = self.missing_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in ids:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setText(item.text() + " — " + _("bevestigd: vertrokken"))
        self.confirm_note.setText(
            ngettext(
                "{n} persoon staat nu als vertrokken in het register.",
                "{n} personen staan nu als vertrokken in het register.",
                len(ids),
            ).format(n=len(ids))
        )
        self.confirm_note.setVisible(True)
        self.confirm_button.setEnabled(
            any(
                self.missing_list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled
                for i in range(self.missing_list.count())
            )
        )
        self._show_impact()
        self.changed()

    def _show_impact(self) -> None:
        changes = (self.report.merge.changes if self.report and self.report.merge else []) + list(
            self.confirmed
        )
        lost = [c for c in changes if concerns_posts(c)]
        self.impact.show_changes(lost)
        self.impact_title.setVisible(bool(lost))
        self.impact.setVisible(bool(lost))

    # ---- moving between the steps -------------------------------------------------------------

    def go_to(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.step_title.setText(_step_title(step))
        if step == COLUMNS:
            self.mapping_step.refresh()
        if step == CHECK:
            self._check()
        if step == DONE:
            self.busy_label.setVisible(self.busy)
            self.busy_bar.setVisible(self.busy)
            self.summary.setPlainText("")
            for widget in (
                self.skipped_title,
                self.skipped_list,
                self.missing_title,
                self.missing_hint,
                self.missing_list,
                self.confirm_button,
                self.confirm_note,
                self.impact_title,
                self.impact,
            ):
                widget.setVisible(False)
        self._update_buttons()

    def next(self) -> None:
        step = self.steps.currentIndex()
        if step < CHECK and self.next_button.isEnabled():
            self.go_to(step + 1)

    def back(self) -> None:
        step = self.steps.currentIndex()
        if 0 < step < DONE:
            self.go_to(step - 1)

    def _can_import(self) -> bool:
        v = self.validation
        if v is None or v.problems or not v.lines:
            return False
        return not v.bad or self.only_good.isChecked()

    def _update_buttons(self) -> None:
        step = self.steps.currentIndex()
        done = step == DONE
        self.back_button.setVisible(not done)
        self.back_button.setEnabled(0 < step < DONE)
        self.cancel_button.setVisible(not done)
        self.next_button.setVisible(step < CHECK)
        self.next_button.setEnabled(
            (step == FILE and self.csv is not None)
            or (step == COLUMNS and not self.mapping_step.problems())
        )
        self.import_button.setVisible(step == CHECK)
        self.import_button.setEnabled(step == CHECK and self._can_import())
        self.close_button.setVisible(done)
        self.close_button.setEnabled(done and not self.busy)

    def reject(self) -> None:
        if self.busy:  # the import is writing: closing now would hide what it did
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self.busy:
            event.ignore()
            return
        super().closeEvent(event)
