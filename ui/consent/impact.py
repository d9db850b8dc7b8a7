"""What a lost consent means for what is already online: every published post that shows the
person (app.consent.withdrawal_impact), each with a button to retract it everywhere.

Shown after a change by hand, after an import and after confirming that people left; the same
view in each place, so the administrator learns one way to act on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.consent import register as consent
from app.consent.withdrawal_impact import ImpactedPost, withdrawal_impact
from app.i18n import _, ngettext
from app.networks.profiles import label as network_label
from app.site.config import Site
from app.store import Store
from ui import accessibility, layouts
from ui.consent.words import state_word
from ui.history.page import when


def retract_reason(purpose: str) -> str:
    """The reason kept in the history; no name in it, the history's details stay about posts."""
    return _("Toestemming ingetrokken voor {purpose}").format(purpose=purpose)


def concerns_posts(change: consent.ConsentChange) -> bool:
    """A change after which the person may no longer be shown: a given consent that stopped
    counting, or a withdrawal (an export can say "ingetrokken" for a consent we never saw)."""
    return change.lost or (
        change.new_state == consent.WITHDRAWN and change.old_state != consent.WITHDRAWN
    )


class WithdrawalImpactView(QWidget):
    """One section per person and purpose; one card per published post (all its accounts), with
    "Overal intrekken" calling `retract(job_id, reason)`."""

    def __init__(
        self,
        store: Store,
        site: Site,
        retract: Callable[[str, str], None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.site = site
        self.retract = retract
        self.retract_buttons: dict[str, list[QPushButton]] = {}
        self.posts: list[ImpactedPost] = []
        self.requested: set[str] = set()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("sectionTitle")
        self.layout_.addWidget(self.summary)
        self.sections = QVBoxLayout()
        self.layout_.addLayout(self.sections)

    def _account_name(self, account_id: str) -> str:
        try:
            return self.site.account(account_id).name
        except KeyError:
            return account_id

    def show_changes(self, changes: Iterable[consent.ConsentChange]) -> None:
        """Lists the posts for each change that concerns posts; the others are ignored."""
        layouts.empty(self.sections)
        self.retract_buttons = {}
        self.posts = []
        seen: set[tuple[str, str]] = set()
        for change in changes:
            key = (change.person_id, change.purpose)
            if not concerns_posts(change) or key in seen:
                continue
            seen.add(key)
            posts = withdrawal_impact(self.store, change.person_id, change.purpose)
            self.posts += posts
            self.sections.addWidget(self._section(change, posts))
        if not seen:
            self.summary.setText("")
        elif self.posts:
            jobs = len({p.job for p in self.posts})
            self.summary.setText(
                ngettext(
                    "Trek dit bericht in: er staat iemand op van wie de toestemming niet meer"
                    " geldt.",
                    "Trek deze {n} berichten in: er staat iemand op van wie de toestemming niet"
                    " meer geldt.",
                    jobs,
                ).format(n=jobs)
            )
        else:
            self.summary.setText(
                _(
                    "Er staat geen geplaatst bericht online met deze persoon; er hoeft niets"
                    " ingetrokken te worden."
                )
                if len(seen) == 1
                else _(
                    "Er staat geen geplaatst bericht online met deze personen; er hoeft niets"
                    " ingetrokken te worden."
                )
            )

    def _section(self, change: consent.ConsentChange, posts: list[ImpactedPost]) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 6)
        name = change.name or _("(naam gewist)")
        heading = QLabel(
            _("{name} — {purpose} ({year}): {old} → {new}").format(
                name=name,
                purpose=change.purpose,
                year=change.school_year,
                old=state_word(change.old_state),
                new=state_word(change.new_state),
            )
        )
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        if not posts:
            none = QLabel(
                _("Geen geplaatste berichten met {name} voor {purpose}.").format(
                    name=name, purpose=change.purpose
                )
            )
            none.setTextFormat(Qt.TextFormat.PlainText)
            none.setObjectName("hint")
            none.setWordWrap(True)
            layout.addWidget(none)
            return box
        by_job: dict[str, list[ImpactedPost]] = {}
        for post in posts:
            by_job.setdefault(post.job, []).append(post)
        for job, targets in by_job.items():
            layout.addWidget(self._card(job, targets, change.purpose))
        return box

    def _card(self, job: str, targets: list[ImpactedPost], purpose: str) -> QFrame:
        card = QFrame()
        card.setObjectName("previewCard")
        layout = QVBoxLayout(card)
        layout.addWidget(
            QLabel(_("Geplaatst op {moment}").format(moment=when(targets[0].published_at)))
        )
        for post in targets:
            line = f"<b>{escape(self._account_name(post.account))}</b> · " + escape(
                network_label(post.network)
            )
            if post.practice:
                line += " · <i>" + escape(_("oefenbericht, alleen op de oefentijdlijn")) + "</i>"
            label = QLabel(line)
            label.setWordWrap(True)
            layout.addWidget(label)
            if post.url:
                link = QLabel(
                    f"<a href='{escape(post.url)}'>{escape(post.url)}</a>"
                    if post.url.startswith(("http://", "https://"))
                    else escape(post.url)
                )
                link.setOpenExternalLinks(True)
                link.setWordWrap(True)
                layout.addWidget(link)
        row = QHBoxLayout()
        button = QPushButton(_("Overal intrekken"))
        button.setToolTip(
            _("Verwijdert het bericht op elk netwerk waar het staat. De reden wordt bewaard.")
        )
        button.clicked.connect(lambda _c=False, j=job, p=purpose: self._retract(j, p))
        if job in self.requested:
            self._mark_requested(button)
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.retract_buttons.setdefault(job, []).append(button)
        return card

    def _retract(self, job: str, purpose: str) -> None:
        self.requested.add(job)
        for button in self.retract_buttons.get(job, []):
            self._mark_requested(button)
        self.retract(job, retract_reason(purpose))

    @staticmethod
    def _mark_requested(button: QPushButton) -> None:
        button.setEnabled(False)
        button.setText(_("Intrekken gevraagd — zie Geschiedenis"))


class WithdrawalImpactDialog(QDialog):
    """The impact after a change by hand: opened at once, so nobody forgets what is online."""

    def __init__(
        self,
        store: Store,
        site: Site,
        retract: Callable[[str, str], None],
        changes: Iterable[consent.ConsentChange],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(_("Berichten waarop deze persoon staat"))
        self.resize(620, 440)
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        accessibility.name(scroll, _("Berichten waarop deze persoon staat"))
        self.view = WithdrawalImpactView(store, site, retract)
        self.view.show_changes(changes)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(self.view)
        inner_layout.addStretch(1)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Sluiten"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
