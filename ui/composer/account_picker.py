"""'Plaatsen op': the school's accounts, grouped per network, one line each with its full name.

An account that cannot post (not signed in, no connector yet, no password vault on this computer)
is shown with its state and what to do, and cannot be ticked. The list scrolls inside a fixed
height and never widens the window (the Qt namespace is not imported: it costs start-up time); with many accounts a search field narrows it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.compose.model import Availability
from app.i18n import _
from app.site.config import Account
from ui import accessibility, layouts
from ui.toggle_label import ToggleLabel

MAX_LIST_HEIGHT = 132  # about six lines; the list scrolls, the editor keeps its room
SEARCH_FROM = 7  # with this many accounts or more, a search field helps to find one


class AccountPicker(QWidget):
    toggled = Signal(str, bool)  # account id, chosen

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        self.name_labels: dict[str, QLabel] = {}
        self.state_labels: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}
        self._groups: list[tuple[QLabel, list[str]]] = []
        self._names: dict[str, str] = {}
        self._shown: tuple | None = None
        self._accounts_shown: list | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        top = QHBoxLayout()
        title = QLabel(_("Plaatsen op:"))
        top.addWidget(title)
        top.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Zoek een account"))
        self.search.setAccessibleName(_("Zoek een account op naam of netwerk"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(170)
        self.search.setMaximumWidth(240)
        self.search.textChanged.connect(self._filter)
        top.addWidget(self.search)
        outer.addLayout(top)

        self.scroll_area = QScrollArea()
        accessibility.name(self.scroll_area, _("Accounts om op te plaatsen"))
        accessibility.only_holds_controls(self.scroll_area)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll_area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.inner = QWidget()
        self.list = QVBoxLayout(self.inner)
        self.list.setContentsMargins(6, 4, 6, 4)
        self.list.setSpacing(1)
        self.scroll_area.setWidget(self.inner)
        outer.addWidget(self.scroll_area)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.empty = QLabel(_("Deze school heeft nog geen accounts. Voeg ze toe bij Accounts."))
        self.empty.setObjectName("hint")
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)

    def show_accounts(self, accounts: list[Account], network_word: Callable[[str], str]) -> None:
        """Builds one line per account, under a heading per network, in the school's order."""
        wanted = [(a.id, a.name, a.network) for a in accounts]
        if wanted == self._accounts_shown:
            return  # the same accounts (a new post for the same school): keep the lines
        self._accounts_shown = wanted
        layouts.empty(self.list)
        self.boxes, self.name_labels, self.state_labels = {}, {}, {}
        self._rows, self._groups = {}, []
        self._names = {a.id: f"{a.name} {network_word(a.network)}".lower() for a in accounts}
        self._shown = None
        networks: dict[str, list[Account]] = {}
        for account in accounts:
            networks.setdefault(account.network, []).append(account)
        for network, members in networks.items():
            heading = QLabel(network_word(network))
            heading.setObjectName("accountGroup")
            heading.setStyleSheet("font-weight: bold; color: #374151; margin-top: 2px;")
            self.list.addWidget(heading)
            self._groups.append((heading, [a.id for a in members]))
            for account in members:
                self.list.addWidget(self._row(account))
        self.list.addStretch(1)
        # New lines join the window's Tab order at its end, after the buttons at the bottom:
        # put them where they are read, after the search field and before what follows it.
        previous: QWidget = self.search
        for box in self.boxes.values():
            QWidget.setTabOrder(previous, box)
            previous = box
        self.empty.setVisible(not accounts)
        self.scroll_area.setVisible(bool(accounts))
        self.search.setVisible(len(accounts) >= SEARCH_FROM)
        self.search.clear()
        self._fit_height()

    def _row(self, account: Account) -> QWidget:
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        box = QCheckBox()
        box.setAccessibleName(account.name)
        box.toggled.connect(lambda on, aid=account.id: self.toggled.emit(aid, on))
        line.addWidget(box, 0)
        name = ToggleLabel(account.name, box)
        line.addWidget(name, 1)
        layout.addLayout(line)
        state = QLabel()
        state.setObjectName("hint")
        state.setWordWrap(True)
        # Under the name, not under the tick box.
        state.setContentsMargins(box.sizeHint().width() + line.spacing(), 0, 0, 2)
        state.setVisible(False)
        layout.addWidget(state)
        self.boxes[account.id] = box
        self.name_labels[account.id] = name
        self.state_labels[account.id] = state
        self._rows[account.id] = row
        return row

    def sync(self, chosen: set[str], availability: Callable[[str], Availability]) -> None:
        """Ticks and states as the model has them; cheap when nothing changed (every keystroke)."""
        found = {aid: availability(aid) for aid in self.boxes}
        shown = (frozenset(chosen), tuple(sorted(found.items())))
        if shown == self._shown:
            return
        self._shown = shown
        for account_id, box in self.boxes.items():
            state = found[account_id]
            box.blockSignals(True)
            box.setChecked(account_id in chosen)
            box.blockSignals(False)
            box.setEnabled(state.can_post or account_id in chosen)
            self.name_labels[account_id].setEnabled(box.isEnabled())
            label = self.state_labels[account_id]
            words = f"{state.state}: {state.what_to_do}" if not state.can_post else ""
            label.setText(words)
            label.setVisible(bool(words))
            box.setToolTip(words)
            self.name_labels[account_id].setToolTip(words)
        postable = sum(1 for s in found.values() if s.can_post)
        self.summary.setText(
            _("{chosen} van {total} gekozen").format(
                chosen=len(chosen & set(self.boxes)), total=len(self.boxes)
            )
            + (
                ""
                if postable == len(self.boxes)
                else " · " + _("{n} nog niet klaar").format(n=len(self.boxes) - postable)
            )
        )
        self._fit_height()

    def _filter(self, text: str) -> None:
        wanted = text.strip().lower()
        for account_id, row in self._rows.items():
            row.setVisible(not wanted or wanted in self._names[account_id])
        for heading, members in self._groups:
            heading.setVisible(any(not self._rows[a].isHidden() for a in members))

    def _fit_height(self) -> None:
        # A scroll area takes any height it is given: ask for the list's own, up to a few lines.
        self.list.invalidate()
        wanted = self.list.sizeHint().height() + 2 * self.scroll_area.frameWidth()
        self.scroll_area.setFixedHeight(min(wanted, MAX_LIST_HEIGHT))
