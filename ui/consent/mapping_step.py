"""Kolommen koppelen: which column of the administration's export holds which of our fields, with
a live preview of the first lines read that way (bad values marked, with the reason).

Exports differ per school and per administration package, so the administrator checks the
suggestion here once; the import remembers it per school.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.consent import register as consent
from app.consent.column_mapping import PERSON_FIELDS, Mapping, mapping_problems
from app.consent.csv_reading import CsvTable
from app.consent.line_validation import preview
from app.i18n import _
from app.networks.profiles import PROFILES
from app.networks.profiles import label as network_label
from ui import accessibility
from ui.consent.words import role_word, state_with_mark

_BAD_BACKGROUND = QColor("#fef2f2")
_BAD_TEXT = QColor("#991b1b")


def _field_label(name: str) -> str:
    return {
        "identifier": _("Nummer (verplicht):"),
        "first_name": _("Voornaam:"),
        "tussenvoegsel": _("Tussenvoegsel:"),
        "last_name": _("Achternaam:"),
        "group": _("Groep of klas:"),
        "role": _("Rol:"),
        "school_year": _("Schooljaar:"),
    }[name]


def _field_tip(name: str) -> str:
    return {
        "identifier": _(
            "Het leerling- of personeelsnummer: voor elke persoon een eigen nummer. Niet het"
            " burgerservicenummer."
        ),
        "role": _(
            "Leerling, medewerker, ouder of overig. Zonder kolom geldt de rol die je hieronder"
            " kiest."
        ),
        "school_year": _("Zonder kolom geldt het schooljaar dat je hieronder kiest."),
    }.get(name, "")


def handle_networks(mapping: Mapping) -> list[str]:
    """The networks a handle column can be chosen for: those we publish to, and any the
    suggestion found a column for (an export may know a pupil's TikTok account)."""
    networks = (set(PROFILES) - {"practice"}) | set(mapping.handles)
    return sorted(networks, key=lambda n: network_label(n).casefold())


class _FittingTable(QTableWidget):
    """A preview whose columns together are never wider than the view, so every header and
    value can be read without scrolling sideways: each column is as wide as its texts, and
    when they do not all fit, the widest give way first and wrap their texts onto more lines
    (never narrower than their longest word or their header)."""

    # Room beside a cell's or a header's text: the style's margins and the grid line.
    PADDING = 14
    natural_width = 0
    least_width = 0

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        columns = [c for c in range(self.columnCount()) if not self.isColumnHidden(c)]
        if not columns:
            return
        metrics = self.fontMetrics()
        header = self.horizontalHeader()
        natural: dict[int, int] = {}
        least: dict[int, int] = {}
        for c in columns:
            title = str(self.model().headerData(c, Qt.Orientation.Horizontal) or "")
            texts = [str(self.model().index(r, c).data() or "") for r in range(self.rowCount())]
            header_width = max(
                header.sectionSizeHint(c), metrics.horizontalAdvance(title) + self.PADDING
            )
            words = [w for text in texts for w in text.split()]
            natural[c] = max(
                [header_width] + [metrics.horizontalAdvance(t) + self.PADDING for t in texts]
            )
            least[c] = max(
                [header_width] + [metrics.horizontalAdvance(w) + self.PADDING for w in words]
            )
        self.natural_width = sum(natural.values())
        self.least_width = sum(least.values())
        widths = self._shared_out(natural, least, self._room(self.width()))
        for c in columns:
            self.setColumnWidth(c, widths[c])
        self.resizeRowsToContents()

    def _room(self, width: int) -> int:
        return width - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()

    def wanted_width(self, least: bool = False) -> int:
        """The width at which every column has its whole texts on one line (with `least`: at
        which no word or header is cut)."""
        columns = self.least_width if least else self.natural_width
        return columns + self.width() - self._room(self.width())

    @staticmethod
    def _shared_out(natural: dict[int, int], least: dict[int, int], room: int) -> dict[int, int]:
        """The widths, capped at the highest common level that fits `room`: a column below the
        cap keeps its own width, none goes below its least."""
        if sum(natural.values()) <= room:
            return dict(natural)
        low, high = 0, max(natural.values())
        while low < high:  # the largest cap at which the widths still fit
            cap = (low + high + 1) // 2
            if sum(min(natural[c], max(least[c], cap)) for c in natural) <= room:
                low = cap
            else:
                high = cap - 1
        return {c: min(natural[c], max(least[c], low)) for c in natural}


class MappingStep(QWidget):
    changed = Signal()
    form_preferred = 0  # the choices' width with each label beside its list; measured when shown

    def __init__(self, purposes: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.purposes = tuple(purposes)
        self.table: CsvTable | None = None
        self.combos: dict[str, QComboBox] = {}
        self._filling = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.how = QLabel()
        self.how.setObjectName("hint")
        self.how.setWordWrap(True)
        layout.addWidget(self.how)
        self.splitter = splitter = QSplitter()
        layout.addWidget(splitter, 1)

        self.form_scroll = form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        accessibility.only_holds_controls(form_scroll)
        self.form_widget = form_widget = QWidget()
        form_layout = QVBoxLayout(form_widget)
        form_layout.setContentsMargins(0, 0, 8, 0)
        self.form = QFormLayout()
        for name in PERSON_FIELDS:
            self.form.addRow(_field_label(name), self._combo(name, _field_tip(name)))
        self.default_role = QComboBox()
        self.default_role.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.default_role.setMinimumContentsLength(18)
        for role in consent.ROLES:
            self.default_role.addItem(role_word(role), role)
        self.default_role.currentIndexChanged.connect(self._changed)
        self.form.addRow(_("Rol als die er niet staat:"), self.default_role)
        self.default_year = QComboBox()
        self.default_year.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.default_year.setMinimumContentsLength(18)
        self.default_year.currentIndexChanged.connect(self._changed)
        self.form.addRow(_("Schooljaar als dat er niet staat:"), self.default_year)
        for purpose in self.purposes:
            self.form.addRow(
                _("Toestemming {purpose}:").format(purpose=purpose),
                self._combo(f"purpose:{purpose}", ""),
            )
        form_layout.addLayout(self.form)
        self.handles_box = QCheckBox(_("Ook accounts op sociale media koppelen"))
        self.handles_box.setToolTip(
            _(
                "Alleen als de school de accounts van leerlingen kent: dan waarschuwt Postwijs"
                " als een schoolaccount een leerling volgt of noemt."
            )
        )
        self.handles_inner = QWidget()
        self.handles_inner.setVisible(False)
        self.handles_form = QFormLayout(self.handles_inner)
        self.handles_form.setContentsMargins(0, 0, 0, 0)
        self.handles_box.toggled.connect(self.handles_inner.setVisible)
        self.handles_box.toggled.connect(self._changed)
        form_layout.addWidget(self.handles_box)
        form_layout.addWidget(self.handles_inner)
        form_layout.addStretch(1)
        form_scroll.setWidget(form_widget)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter.addWidget(form_scroll)

        right = QWidget()
        self.right_layout = right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        title = QLabel(_("Voorbeeld: de eerste regels zoals ze worden ingelezen"))
        title.setObjectName("sectionTitle")
        right_layout.addWidget(title)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("reason")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        right_layout.addWidget(self.problems_label)
        self.preview_table = _FittingTable()
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.setWordWrap(True)
        self.preview_table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.preview_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.preview_table.setAccessibleName(_("Voorbeeld van de eerste regels"))
        accessibility.leave_by_tab(self.preview_table)
        right_layout.addWidget(self.preview_table, 1)
        self.bad_label = QLabel()
        self.bad_label.setObjectName("reason")
        self.bad_label.setWordWrap(True)
        self.bad_label.setTextFormat(Qt.TextFormat.PlainText)
        right_layout.addWidget(self.bad_label)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)

    def showEvent(self, event) -> None:
        # Measured once shown, when the style has sized the lists: the choices stay whole.
        # On a small screen each label goes above its list, so that the preview has room.
        scrollbar = self.form_scroll.verticalScrollBar().sizeHint().width()
        self._set_form_rows(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form_preferred = self.form_widget.sizeHint().width() + scrollbar
        self._set_form_rows(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form_scroll.setMinimumWidth(self.form_widget.minimumSizeHint().width() + scrollbar)
        super().showEvent(event)
        self.share_width()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.share_width()

    def share_width(self) -> None:
        """The preview gets the width its columns want; the choices get the rest, down to the
        width at which each label stands above its list. Where even then the preview's words
        would not fit beside the choices (a small screen, or zoomed in), it goes below them."""
        width = self.splitter.width()
        total = width - self.splitter.handleWidth()
        if total <= 0:
            return
        preferred = self.form_preferred
        margins = self.right_layout.contentsMargins()
        sides = margins.left() + margins.right()
        least = self.preview_table.wanted_width(least=True) + sides
        beside = total - self.form_scroll.minimumWidth() >= least
        orientation = Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical
        if self.splitter.orientation() != orientation:
            self.splitter.setOrientation(orientation)
        if not beside:
            self._set_form_rows(
                QFormLayout.RowWrapPolicy.DontWrapRows
                if width >= preferred
                else QFormLayout.RowWrapPolicy.WrapAllRows
            )
            height = self.splitter.height() - self.splitter.handleWidth()
            self.splitter.setSizes([height * 2 // 5, height - height * 2 // 5])
            return
        wanted = self.preview_table.wanted_width() + sides
        form = max(self.form_scroll.minimumWidth(), min(preferred, total - wanted))
        self._set_form_rows(
            QFormLayout.RowWrapPolicy.DontWrapRows
            if form >= preferred
            else QFormLayout.RowWrapPolicy.WrapAllRows
        )
        self.splitter.setSizes([form, total - form])

    def _set_form_rows(self, policy: QFormLayout.RowWrapPolicy) -> None:
        for form in (self.form, self.handles_form):
            if form.rowWrapPolicy() != policy:
                form.setRowWrapPolicy(policy)
        self.form_widget.adjustSize()

    def _combo(self, key: str, tip: str) -> QComboBox:
        box = QComboBox()
        # A steady width, whatever the file's column names: long ones are cut off in the list.
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(18)
        box.setToolTip(tip)
        box.currentIndexChanged.connect(self._changed)
        self.combos[key] = box
        return box

    def _changed(self, *_args) -> None:
        if not self._filling:
            self.refresh()
            self.changed.emit()

    # ---- filling --------------------------------------------------------------------------------

    def set_table(
        self, table: CsvTable, mapping: Mapping, years: Sequence[str], how: str = ""
    ) -> None:
        """Shows `table`'s columns in every choice, prefilled from `mapping`."""
        self.table = table
        self._filling = True
        try:
            self.how.setText(how)
            while self.handles_form.rowCount():
                self.handles_form.removeRow(0)
            for key in [k for k in self.combos if k.startswith("handle:")]:
                del self.combos[key]
            for network in handle_networks(mapping):
                self.handles_form.addRow(
                    _("Account op {network}:").format(network=network_label(network)),
                    self._combo(f"handle:{network}", ""),
                )
            for key, box in self.combos.items():
                box.clear()
                box.addItem(_("(niet gebruiken)"), "")
                for header in table.headers:
                    if header:
                        box.addItem(header, header)
                box.setCurrentIndex(max(0, box.findData(self._column_for(mapping, key))))
            self.default_role.setCurrentIndex(
                max(0, self.default_role.findData(mapping.default_role))
            )
            chosen = self.default_year.currentData()
            self.default_year.clear()
            for year in years:
                self.default_year.addItem(year, year)
            self.default_year.setCurrentIndex(max(0, self.default_year.findData(chosen)))
            self.handles_box.setChecked(bool(mapping.handles))
        finally:
            self._filling = False
        self.refresh()

    @staticmethod
    def _column_for(mapping: Mapping, key: str) -> str:
        if key.startswith("purpose:"):
            return mapping.purposes.get(key.split(":", 1)[1], "")
        if key.startswith("handle:"):
            return mapping.handles.get(key.split(":", 1)[1], "")
        return getattr(mapping, key)

    def choose(self, key: str, column: str) -> None:
        """Picks a column for a field ("" to leave it out), as a click in its list would."""
        box = self.combos[key]
        index = box.findData(column)
        if index < 0:
            raise KeyError(column)
        box.setCurrentIndex(index)

    # ---- reading --------------------------------------------------------------------------------

    def mapping(self) -> Mapping:
        mapping = Mapping(default_role=self.default_role.currentData() or consent.PUPIL)
        for name in PERSON_FIELDS:
            setattr(mapping, name, self.combos[name].currentData() or "")
        for purpose in self.purposes:
            column = self.combos[f"purpose:{purpose}"].currentData()
            if column:
                mapping.purposes[purpose] = column
        if self.handles_box.isChecked():
            for key, box in self.combos.items():
                if key.startswith("handle:") and box.currentData():
                    mapping.handles[key.split(":", 1)[1]] = box.currentData()
        return mapping

    def school_year(self) -> str:
        return self.default_year.currentData() or ""

    def problems(self) -> list[str]:
        if self.table is None:
            return [_("Kies eerst een bestand.")]
        return mapping_problems(self.mapping(), self.table.headers, self.purposes)

    # ---- the preview ----------------------------------------------------------------------------

    def refresh(self) -> None:
        table = self.table
        if table is None:
            return
        problems = self.problems()
        self.problems_label.setText("\n".join(problems))
        self.problems_label.setVisible(bool(problems))
        mapping = self.mapping()
        rows = preview(table, mapping, self.purposes, self.school_year() or None)
        headers = [_("Regel"), _("Nummer"), _("Naam"), _("Rol"), _("Groep")]
        headers += [*self.purposes]
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(headers))
        self.preview_table.setHorizontalHeaderLabels(headers)
        self.preview_table.setRowCount(len(rows))
        index = {h: i for i, h in enumerate(table.headers)}

        def raw(cells: list[str], column: str) -> str:
            i = index.get(column) if column else None
            return cells[i].strip() if i is not None and i < len(cells) else ""

        for r, row in enumerate(rows):
            cells = table.rows[r].cells
            record = row.record
            if record is not None:
                values = [
                    str(row.line),
                    record.identifier,
                    record.full_name,
                    role_word(record.role),
                    record.group or "",
                ]
                values += [
                    state_with_mark(
                        next(
                            (s for (p, _y), s in record.consents.items() if p == purpose),
                            consent.UNKNOWN,
                        )
                    )
                    if purpose in mapping.purposes
                    else ""
                    for purpose in self.purposes
                ]
            else:
                name = " ".join(
                    v
                    for v in (
                        raw(cells, mapping.first_name),
                        raw(cells, mapping.tussenvoegsel),
                        raw(cells, mapping.last_name),
                    )
                    if v
                )
                values = [
                    "⚠ " + str(row.line),
                    raw(cells, mapping.identifier),
                    name,
                    raw(cells, mapping.role),
                    raw(cells, mapping.group),
                ]
                values += [raw(cells, mapping.purposes.get(p, "")) for p in self.purposes]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if record is None:
                    item.setBackground(QBrush(_BAD_BACKGROUND))
                    item.setForeground(QBrush(_BAD_TEXT))
                    item.setToolTip("; ".join(row.reasons))
                self.preview_table.setItem(r, c, item)
        first_purpose = 5
        for i, purpose in enumerate(self.purposes):
            self.preview_table.setColumnHidden(first_purpose + i, purpose not in mapping.purposes)
        self.preview_table.fit_columns()
        self.share_width()
        # What is wrong is said in full under the table: sentences would make the table too wide
        # to read at a glance (the bad lines are marked in it, with the reasons as a tip).
        bad = [r for r in rows if r.record is None]
        self.bad_label.setText(
            "\n".join(
                _("Regel {line}: {reasons}").format(line=r.line, reasons="; ".join(r.reasons))
                for r in bad
            )
        )
        self.bad_label.setVisible(bool(bad))

    def bad_preview_lines(self) -> list[int]:
        """The file lines marked bad in the preview (for tests and screen readers)."""
        lines = []
        for r in range(self.preview_table.rowCount()):
            item = self.preview_table.item(r, 0)
            if item is not None and item.text().startswith("⚠"):
                lines.append(int(item.text().split()[-1]))
        return lines
