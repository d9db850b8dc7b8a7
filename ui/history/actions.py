"""The Geschiedenis page's actions: the annual report, the chain check, the audit export."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from app.file_words import unwritable_words
from app.history import annual_report
from app.history import bundle as history_bundle
from app.history import chain as history
from app.i18n import _, ngettext
from app.school_year import current_school_year, previous_school_year
from app.site.config import Site
from app.store import Store
from ui.file_places import documents_folder
from ui.pdf import html_to_pdf


class ReportDialog(QDialog):
    def __init__(self, site: Site, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Jaarverslag voor het IBT"))
        form = QFormLayout(self)
        about = QLabel(
            _(
                "Het jaarverslag is voor het Informatie Beveiliging Team (IBT) van de stichting, dat"
                " elk jaar ook de sociale media controleert (Uitgangspunten 9). Het bevat wat er is"
                " geplaatst, ingetrokken en bewust toch geplaatst, met een controle van de geschiedenis."
            )
        )
        about.setWordWrap(True)
        about.setMinimumWidth(440)
        form.addRow(about)
        self.year = QComboBox()
        year = current_school_year(datetime.now(UTC))
        for _n in range(4):
            self.year.addItem(year)
            year = previous_school_year(year)
        form.addRow(_("Schooljaar:"), self.year)
        self.school = QComboBox()
        self.school.addItem(_("Alle scholen"), "")
        for school in site.schools:
            self.school.addItem(school.name, school.id)
        form.addRow(_("School:"), self.school)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Maken…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def write_report(
    store: Store, site: Site, year: str, school_id: str, out: Path
) -> tuple[annual_report.AnnualReport, list[Path]]:
    source = _("deze laptop")
    report = annual_report.build(
        [(source, e) for e in history.events(store)],
        year,
        [(source, history.verify(store))],
        school_id,
    )
    written = annual_report.write_csv(report, out)
    html = annual_report.to_html(
        report,
        {s.id: s.name for s in site.schools},
        {a.id: a.name for s in site.schools for a in s.accounts},
    )
    written.append(html_to_pdf(html, out / f"jaarverslag-{year}.pdf", _("Jaarverslag")))
    return report, written


def ask_report(parent: QWidget, store: Store, site: Site) -> None:
    dialog = ReportDialog(site, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    folder = QFileDialog.getExistingDirectory(
        parent, _("Waar moet het jaarverslag komen?"), documents_folder()
    )
    if not folder:
        return
    year = dialog.year.currentText()
    try:
        report, written = write_report(
            store, site, year, dialog.school.currentData() or "", Path(folder)
        )
    except OSError as error:
        QMessageBox.warning(
            parent,
            _("Jaarverslag"),
            _("Het verslag kon niet worden geschreven. {reason}").format(
                reason=unwritable_words(error, Path(folder))
            ),
        )
        return
    box = report_written_box(parent, year, Path(folder), written, report.intact)
    box.open()


def report_written_box(
    parent: QWidget, year: str, folder: Path, written: list[Path], intact: bool
) -> QMessageBox:
    """Says what the files are, and offers to open their folder."""
    pdfs = [p.name for p in written if p.suffix == ".pdf"]
    tables = [p for p in written if p.suffix == ".csv"]
    text = _(
        "Het jaarverslag {year} staat klaar in de map {folder}:\n"
        "• {pdf}: het verslag om te lezen, af te drukken of naar het IBT te sturen;\n"
        "• {n} CSV-bestanden: dezelfde gegevens als tabellen, te openen in Excel."
    ).format(year=year, folder=folder.name, pdf=", ".join(pdfs), n=len(tables))
    text += "\n\n" + (
        _("De geschiedenis is gecontroleerd en onveranderd.")
        if intact
        else _("Let op: de geschiedenis is aangetast. Meld dit bij de ICT-beheerder en het IBT.")
    )
    box = QMessageBox(QMessageBox.Icon.Information, _("Jaarverslag"), text, parent=parent)
    folder_button = box.addButton(_("Map openen"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_("Sluiten"), QMessageBox.ButtonRole.AcceptRole)
    open_url = getattr(parent, "open_url", QDesktopServices.openUrl)
    folder_button.clicked.connect(lambda: open_url(QUrl.fromLocalFile(str(folder))))
    return box


def describe_verification(result: history.Verification) -> str:
    if result.intact:
        return ngettext(
            "De geschiedenis is onveranderd ({rows} gebeurtenis).",
            "De geschiedenis is onveranderd ({rows} gebeurtenissen).",
            result.rows,
        ).format(rows=result.rows)
    return _(
        "De geschiedenis is aangetast: gebeurtenis {seq} klopt niet ({reason}). Meld dit bij de"
        " ICT-beheerder en het IBT; verander zelf niets."
    ).format(seq=result.first_bad_seq, reason=result.reason)


def show_verification(parent: QWidget, store: Store) -> None:
    result = history.verify(store)
    box = QMessageBox.information if result.intact else QMessageBox.warning
    box(parent, _("Geschiedenis controleren"), describe_verification(result))


def ask_export(parent: QWidget, store: Store) -> None:
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        _("Geschiedenis exporteren voor de audit"),
        str(Path(documents_folder()) / "postwijs-geschiedenis.zip"),
        "Zip (*.zip)",
    )
    if not name:
        return
    try:
        path = history_bundle.export(store, Path(name))
    except OSError as error:
        QMessageBox.warning(
            parent,
            _("Exporteren"),
            _("Exporteren is niet gelukt. {reason}").format(
                reason=unwritable_words(error, Path(name))
            ),
        )
        return
    QMessageBox.information(
        parent, _("Exporteren"), _("De geschiedenis staat in {path}.").format(path=path)
    )
