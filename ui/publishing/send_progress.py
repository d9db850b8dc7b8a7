"""Progress per account while a post goes out, then what was posted where and what happens next.

Every account has one row of fixed parts (a mark, its name, its state, the next step), so the
dialog keeps its shape while the states change; the marks are glyphs the bundled DejaVu fonts have.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.compose.post import Variant
from app.i18n import _, ngettext
from app.networks.profiles import account_with_network
from app.publishing import outbox
from ui.history.page import target_state

MARKS = {
    outbox.POSTED: ("✓", "#15803d"),
    outbox.FAILED: ("✖", "#b91c1c"),
    outbox.RECONNECT: ("⚠", "#b45309"),
    outbox.WAITING: ("↻", "#b45309"),
    outbox.ASK_USER: ("⚠", "#b45309"),
    outbox.OVER_BUDGET: ("⚠", "#b45309"),
    outbox.CAPPED: ("⚠", "#b45309"),
}
BUSY_MARK = ("…", "#4b5563")


def next_step(t: outbox.Target) -> str:
    """What happens next for one account, in words for the author."""
    if t.state == outbox.POSTED:
        if t.network == outbox.PRACTICE_NETWORK:
            return _("Staat op je oefentijdlijn, niet op internet.")
        return _("Staat online.")
    if t.state == outbox.WAITING:
        return _("Postwijs probeert het later vanzelf opnieuw; je hoeft niets te doen.")
    if t.state == outbox.RECONNECT:
        return _("Meld het account opnieuw aan bij Accounts; daarna gaat het bericht vanzelf.")
    if t.state == outbox.FAILED:
        return _("Dit account krijgt het bericht niet. Probeer het later opnieuw via Geschiedenis.")
    if t.state == outbox.ASK_USER:
        return _("Je vindt het bericht onder Gepland: kijk op het account en kies daar.")
    if t.state in (outbox.OVER_BUDGET, outbox.CAPPED):
        return _(
            "Postwijs houdt het bericht vast tot de ICT-beheerder het budget verhoogt; je concept"
            " blijft bewaard. Daarna kun je het opnieuw proberen via Geschiedenis."
        )
    return ""


class Row(NamedTuple):
    """One account in the dialog (a Variant has these too)."""

    account_id: str
    account_name: str
    network: str


def megabytes_in_words(sent: int, total: int) -> str:
    """'12,5 van 40,0 MB', with the Dutch decimal comma."""
    return _("{sent} van {total} MB").format(
        sent=f"{sent / 1_000_000:.1f}".replace(".", ","),
        total=f"{total / 1_000_000:.1f}".replace(".", ","),
    )


class SendProgressDialog(QDialog):
    """`job_id` is the post's job once known (a resumed upload's dialog knows it from the start)."""

    def __init__(
        self,
        variants: Sequence[Variant | Row],
        parent: QWidget | None = None,
        title: str = "",
        job_id: str = "",
    ):
        super().__init__(parent)
        self.job_id = job_id
        self.setWindowTitle(_("Plaatsen"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.title = QLabel(title or _("Je bericht wordt geplaatst…"))
        self.title.setObjectName("sectionTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        self.marks: dict[str, QLabel] = {}
        self.states: dict[str, QLabel] = {}
        self.bars: dict[str, QProgressBar] = {}
        self.names = {
            v.account_id: account_with_network(v.account_name, v.network) for v in variants
        }
        for index, v in enumerate(variants):
            mark = QLabel()
            mark.setFixedWidth(22)
            mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            name = QLabel(self.names[v.account_id])
            name.setTextFormat(Qt.TextFormat.PlainText)
            name.setWordWrap(True)
            name.setStyleSheet("font-weight: bold;")
            state = QLabel()
            state.setWordWrap(True)
            state.setOpenExternalLinks(True)
            state.setContentsMargins(0, 0, 0, 6)
            # Shown once the upload reports how far it is (YouTube, a video on X).
            bar = QProgressBar()
            bar.setRange(0, 1000)
            bar.setFormat("%p%")
            bar.setAccessibleName(
                _("Uploaden naar {account}").format(account=self.names[v.account_id])
            )
            bar.setVisible(False)
            grid.addWidget(mark, 3 * index, 0, 3, 1)
            grid.addWidget(name, 3 * index, 1)
            grid.addWidget(state, 3 * index + 1, 1)
            grid.addWidget(bar, 3 * index + 2, 1)
            self.marks[v.account_id] = mark
            self.states[v.account_id] = state
            self.bars[v.account_id] = bar
            self._show(v.account_id, BUSY_MARK, _("bezig met plaatsen…"))
        layout.addLayout(grid)
        layout.addStretch(1)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    @property
    def rows(self) -> dict[str, str]:
        """Per account what the author reads in its row: name, state and next step."""
        return {
            aid: f"{self.marks[aid].text()} {self.names[aid]}: {self.states[aid].text()}"
            for aid in self.names
        }

    def _show(self, account_id: str, mark: tuple[str, str], html: str) -> None:
        glyph, colour = mark
        self.marks[account_id].setText(glyph)
        self.marks[account_id].setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.states[account_id].setText(html)

    def show_upload(self, t: outbox.Target, sent: int, total: int) -> None:
        """How far the account's upload is: the bar, and the megabytes in words."""
        if t.account_id not in self.names or total <= 0:
            return
        if self.job_id and t.job_id != self.job_id:
            return
        bar = self.bars[t.account_id]
        bar.setValue(round(1000 * min(sent, total) / total))
        if not bar.isVisible():
            bar.setVisible(True)
            self.adjustSize()
        self._show(
            t.account_id,
            BUSY_MARK,
            _("de video wordt geüpload: {amount}").format(amount=megabytes_in_words(sent, total)),
        )

    def update_target(self, t: outbox.Target) -> None:
        if t.account_id not in self.names:
            return
        if self.job_id and t.job_id != self.job_id:
            return
        if t.state in (outbox.PENDING, outbox.SENDING):
            self._show(t.account_id, BUSY_MARK, _("bezig met plaatsen…"))
            return
        self.bars[t.account_id].setVisible(False)
        parts = [_text(target_state(t).capitalize() + ".")]
        if t.error and t.state != outbox.POSTED:
            parts.append(_text(t.error))
        parts.append(_text(next_step(t)))
        if t.state == outbox.POSTED and t.url and t.url.startswith("http"):
            parts.append(f"<a href='{_text(t.url)}'>{_('Bekijken')}</a>")
        self._show(t.account_id, MARKS.get(t.state, BUSY_MARK), " ".join(p for p in parts if p))
        self.adjustSize()

    def finished_all(self, targets: list[outbox.Target]) -> None:
        for t in targets:
            self.update_target(t)
        posted = sum(1 for t in targets if t.state == outbox.POSTED)
        if posted == len(targets):
            self.title.setText(_("Klaar: je bericht is geplaatst."))
        else:
            self.title.setText(
                ngettext(
                    "Geplaatst op {posted} van {n} account. Hieronder staat wat er verder gebeurt.",
                    "Geplaatst op {posted} van {n} accounts. Hieronder staat wat er verder gebeurt.",
                    len(targets),
                ).format(posted=posted, n=len(targets))
            )
        self.close_button.setEnabled(True)
        self.adjustSize()

    def failed(self, message: str) -> None:
        """Publishing stopped before any account was tried: every row says so, and why."""
        for account_id in self.names:
            self.bars[account_id].setVisible(False)
            self._show(account_id, MARKS[outbox.FAILED], _("Niet geplaatst."))
        self.title.setText(message)
        self.close_button.setEnabled(True)
        self.adjustSize()


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
