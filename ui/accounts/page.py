"""Accounts: per school the accounts of the site configuration, their state, and what can be done.

The site configuration names the accounts (network, server, handle, school, kind), so a staff
member only signs in. app.accounts.service decides and does; this page shows and forwards. Every
action that may wait (the vault, the network, the browser) runs off the GUI thread; a browser
sign-in shows "Wacht op de browser…" with Annuleren until it comes back.

The friend audit lists the pupils an account follows; where the network's API can unfollow
(Mastodon, Bluesky) each has an "Ontvolgen" button that asks first, elsewhere the message says to
unfollow in the network itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import connectors
from app.accounts.friend_audit import FollowMatch
from app.accounts.service import (
    CONNECTED,
    NO_VAULT,
    PRACTICE,
    RECONNECT,
    SIGNED_OUT,
    SUSPENDED,
    AccountService,
    AccountStatus,
    Connected,
    Disconnected,
    FriendAudit,
    TestOutcome,
    Unfollowed,
    kind_label,
)
from app.dutch_time import clock_time, day_and_moment, in_dutch_time
from app.i18n import _
from app.networks.connector import ConnectorError, RetryLater, SignIn
from app.networks.profiles import label as network_label
from app.publishing import spending
from app.rules.model import RegisterPerson
from app.site.config import Account, Site
from app.store import Store, StoreError
from connectors.oauth import SignInCancelled
from ui import accessibility, layouts
from ui.background import LatestReading, run_in_background
from ui.failure_text import unexpected_words

if TYPE_CHECKING:
    from ui.accounts.bluesky_sign_in_dialog import BlueskySignInDialog
    from ui.accounts.suspend_dialog import SuspendDialog

Outcome = TypeVar("Outcome")

log = logging.getLogger("postwijs.ui.accounts")
# The ways of signing in this page can lead someone through; another shows no sign-in button.
SIGN_IN_HERE = frozenset({SignIn.BROWSER, SignIn.APP_PASSWORD, SignIn.PASTED_TOKEN})
# The networks whose connector also takes a token IT made where the foundation's service lets
# staff sign in in the browser (a Meta system user's token has no end, which IT may prefer).
PASTABLE_NETWORKS = frozenset({"facebook", "instagram", "linkedin"})
CARD_STYLE = """
#accountCard { background: #ffffff; border: 1px solid #d1d5db; border-radius: 8px; }
#accountName { font-weight: bold; font-size: 11.5pt; }
#accountState { border-radius: 9px; padding: 2px 10px; font-weight: bold; }
#accountState[tone="good"] { background: #d1fae5; color: #065f46; }
#accountState[tone="act"] { background: #fef3c7; color: #78350f; }
#accountState[tone="stop"] { background: #fee2e2; color: #991b1b; }
#accountState[tone="calm"] { background: #e5e7eb; color: #374151; }
#accountResult[tone="good"] { color: #065f46; }
#accountResult[tone="act"] { color: #92400e; }
#accountResult[tone="stop"] { color: #991b1b; }
#auditList { background: #fef2f2; border: 1px solid #fecaca; border-radius: 6px; padding: 8px;
             color: #7f1d1d; }
#vaultBanner { color: #991b1b; background: #fef2f2; border: 1px solid #fecaca; padding: 12px; }
"""
TONES = {
    CONNECTED: "good",
    PRACTICE: "good",
    RECONNECT: "act",
    SIGNED_OUT: "act",
    NO_VAULT: "stop",
    SUSPENDED: "stop",
}


def _set_tone(widget: QWidget, tone: str) -> None:
    widget.setProperty("tone", tone)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class AccountCard(QFrame):
    """One account: who it is, its state, and its buttons. The page connects the buttons and
    `unfollow_requested` (a friend-audit match whose "Ontvolgen" was clicked)."""

    unfollow_requested = Signal(object)  # a FollowMatch

    def __init__(
        self, account: Account, sign_in: SignIn | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.account = account
        self.status: AccountStatus | None = None
        self.setObjectName("accountCard")
        network = network_label(account.network)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)

        top = QHBoxLayout()
        self.name_label = QLabel(account.name)
        self.name_label.setObjectName("accountName")
        # A long name wraps rather than widening the page past a laptop's screen.
        self.name_label.setWordWrap(True)
        top.addWidget(self.name_label, 1)
        self.state_label = QLabel(_("bezig met kijken…"))
        self.state_label.setObjectName("accountState")
        _set_tone(self.state_label, "calm")
        top.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.where_label = QLabel()
        self.where_label.setObjectName("hint")
        self.where_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where_label)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(False)
        layout.addWidget(self.note_label)
        # What the site configuration lacks, in IT's words (which key, where): folded away under
        # "Voor ICT", as on Instellingen, so the user reads only the note above.
        self.ict_toggle = QToolButton()
        self.ict_toggle.setText(_("Voor ICT"))
        self.ict_toggle.setCheckable(True)
        self.ict_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.ict_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.ict_toggle.setVisible(False)
        self.ict_toggle.toggled.connect(self._show_ict_detail)
        layout.addWidget(self.ict_toggle)
        self.ict_detail = QLabel()
        self.ict_detail.setObjectName("hint")
        self.ict_detail.setWordWrap(True)
        self.ict_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ict_detail.setVisible(False)
        layout.addWidget(self.ict_detail)
        # Where the foundation pays per post (X): the price, and this month's spending once read.
        self.cost_label = QLabel(spending.card_line(None))
        self.cost_label.setObjectName("hint")
        self.cost_label.setWordWrap(True)
        self.cost_label.setVisible(spending.charges_per_post(account.network))
        layout.addWidget(self.cost_label)

        buttons = QHBoxLayout()
        self.sign_in_button = QPushButton(_("Aanmelden bij {network}").format(network=network))
        self.sign_out_button = QPushButton(_("Afmelden"))
        self.test_button = QPushButton(_("Testen"))
        self.suspend_button = QPushButton(_("Schorsen…"))
        # For IT: a token pasted instead of the browser sign-in the foundation's service offers.
        self.paste_button = QPushButton(_("Token plakken…"))
        self.paste_button.setToolTip(
            _(
                "Voor ICT-beheerders: plak een token dat u zelf maakte, in plaats van aan te melden in de browser."
            )
        )
        self.audit_button = QPushButton(_("Vriendencontrole"))
        self.audit_button.setToolTip(
            _("Kijk of dit account leerlingen volgt van wie de school het account kent.")
        )
        for button in (
            self.sign_in_button,
            self.sign_out_button,
            self.test_button,
            self.audit_button,
            self.suspend_button,
        ):
            buttons.addWidget(button)
        # IT's paste on a row of its own: beside the sign-in and the other four buttons the row
        # was wider than a card on a 1024 px screen, and the whole page scrolled sideways.
        for_ict = QHBoxLayout()
        for_ict.addWidget(self.paste_button)
        for_ict.addStretch(1)
        # The same words on every card: a screen reader says which account each one is for.
        for button in (
            self.sign_in_button,
            self.paste_button,
            self.sign_out_button,
            self.test_button,
            self.audit_button,
            self.suspend_button,
        ):
            accessibility.name(
                button,
                _("{action} – {account}").format(
                    action=button.text().rstrip("…"), account=account.name
                ),
            )
        self.sign_in_button.setObjectName("primary")
        self.sign_in_method = sign_in
        self.signs_in = sign_in in SIGN_IN_HERE
        self.sign_in_button.setVisible(self.signs_in)
        self.pastes_too = sign_in is SignIn.BROWSER and account.network in PASTABLE_NETWORKS
        self.paste_button.setVisible(self.pastes_too)
        self.sign_out_button.setVisible(False)
        buttons.addStretch(1)
        self.buttons = QWidget()
        rows = QVBoxLayout(self.buttons)
        rows.setContentsMargins(0, 4, 0, 0)
        rows.addLayout(buttons)
        rows.addLayout(for_ict)
        layout.addWidget(self.buttons)

        self.waiting = QWidget()
        waiting = QHBoxLayout(self.waiting)
        waiting.setContentsMargins(0, 4, 0, 0)
        self.waiting_label = QLabel(_("Wacht op de browser…"))
        self.waiting_label.setObjectName("reason")
        waiting.addWidget(self.waiting_label)
        self.cancel_button = QPushButton(_("Annuleren"))
        waiting.addWidget(self.cancel_button)
        waiting.addStretch(1)
        self.waiting.setVisible(False)
        layout.addWidget(self.waiting)

        self.result_label = QLabel()
        self.result_label.setObjectName("accountResult")
        self.result_label.setWordWrap(True)
        self.result_label.setVisible(False)
        layout.addWidget(self.result_label)
        # The friend audit's matches, one row each (with "Ontvolgen" where the network allows),
        # and the article below them.
        self.audit_list = QFrame()
        self.audit_list.setObjectName("auditList")
        self.audit_rows = QVBoxLayout(self.audit_list)
        self.audit_rows.setContentsMargins(8, 6, 8, 6)
        self.audit_rows.setSpacing(4)
        self.audit_list.setVisible(False)
        layout.addWidget(self.audit_list)
        self.audit: FriendAudit | None = None
        self.audit_labels: list[QLabel] = []
        self.unfollow_buttons: dict[str, QPushButton] = {}
        self.busy = False
        self.show_where("")

    def show_where(self, connected_as: str) -> None:
        account = self.account
        who = connected_as or account.handle or account.instance
        parts = [network_label(account.network), who, kind_label(account.kind)]
        self.where_label.setText(" · ".join(p for p in parts if p))

    def show_status(self, status: AccountStatus, sign_in_allowed: bool) -> None:
        self.status = status
        self.state_label.setText(status.label)
        # A sign-in about to end is a warning like any other that asks for action.
        _set_tone(self.state_label, "act" if status.ends_soon else TONES.get(status.state, "calm"))
        self.show_where(status.connected_as)
        # Without a vault the page says so once, above all accounts.
        note = "" if status.state == NO_VAULT else status.note
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        problem = status.configuration_problem
        # Several missing settings are a list, one per line, so IT can tick them off.
        lines = problem.splitlines()
        listed = lines[0] if len(lines) == 1 else "\n" + "\n".join(f"• {line}" for line in lines)
        self.ict_detail.setText(
            _(
                "In het sitebestand, bij het account met id {id} ([[schools.accounts]]): {problem}"
            ).format(id=self.account.id, problem=listed)
            if problem
            else ""
        )
        self.ict_toggle.setVisible(bool(problem))
        self._show_ict_detail(self.ict_toggle.isChecked())
        if status.month is not None:
            self.cost_label.setText(spending.card_line(status.month))
        # Only what applies: signing in while connected, or out while not, is no choice; but a
        # sign-in that ends within days can be renewed before it does.
        may_sign_in = status.connection != CONNECTED or status.renew_soon
        self.sign_in_button.setVisible(self.signs_in and may_sign_in)
        self.paste_button.setVisible(self.pastes_too and may_sign_in)
        self.sign_out_button.setVisible(self.signs_in and status.signed_in)
        self.suspend_button.setText(
            _("Schorsing opheffen") if status.suspension is not None else _("Schorsen…")
        )
        self.update_buttons(sign_in_allowed)

    def _show_ict_detail(self, shown: bool) -> None:
        shown = shown and bool(self.ict_detail.text())
        self.ict_detail.setVisible(shown)
        self.ict_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def update_buttons(self, sign_in_allowed: bool) -> None:
        status = self.status
        usable = status is not None and (status.signed_in or status.connection == PRACTICE)
        idle = not self.busy
        # Without what the site configuration must give (a client id, a port), a sign-in
        # cannot work: the note says so, "Voor ICT" says what IT must add.
        configured = status is not None and not status.configuration_problem
        self.sign_in_button.setEnabled(
            idle
            and sign_in_allowed
            and configured
            and status is not None
            and status.connection in (SIGNED_OUT, RECONNECT, CONNECTED)
        )
        self.paste_button.setEnabled(self.sign_in_button.isEnabled())
        self.sign_in_button.setToolTip(
            status.note if status is not None and status.configuration_problem else ""
        )
        self.sign_out_button.setEnabled(idle and status is not None and status.signed_in)
        self.test_button.setEnabled(idle and usable)
        self.audit_button.setEnabled(idle and usable)
        self.suspend_button.setEnabled(idle and status is not None)
        for button in self.unfollow_buttons.values():
            button.setEnabled(idle and usable)

    def show_result(self, text: str, tone: str) -> None:
        self.result_label.setText(text)
        _set_tone(self.result_label, tone)
        self.result_label.setVisible(bool(text))

    def show_audit(self, audit: FriendAudit | None) -> None:
        self.audit = audit
        self._clear_audit()
        if audit is None or not audit.matches:
            self.audit_list.setVisible(False)
            return
        for match in audit.matches:
            row = QHBoxLayout()
            label = self._audit_label(
                _("Volgt {followed}: {name}, leerling").format(
                    followed=match.followed, name=match.person_name
                )
            )
            row.addWidget(label, 1)
            if audit.can_unfollow:
                button = QPushButton(_("Ontvolgen"))
                button.setToolTip(
                    _("Laat dit account {followed} niet meer volgen.").format(
                        followed=match.followed
                    )
                )
                button.clicked.connect(
                    lambda _checked=False, m=match: self.unfollow_requested.emit(m)
                )
                row.addWidget(button)
                self.unfollow_buttons[match.followed] = button
            self.audit_rows.addLayout(row)
        self.audit_rows.addWidget(
            self._audit_label(_("Gedragsregel: {article}").format(article=audit.article))
        )
        self.audit_list.setVisible(True)
        for button in self.unfollow_buttons.values():
            button.setEnabled(not self.busy)

    def forget_match(self, followed: str) -> None:
        """Drops one match from the shown audit (it was unfollowed)."""
        audit = self.audit
        if audit is None:
            return
        remaining = tuple(m for m in audit.matches if m.followed != followed)
        self.show_audit(replace(audit, matches=remaining))

    def audit_text(self) -> str:
        """The audit's lines as shown, one per line (without the buttons)."""
        return "\n".join(label.text() for label in self.audit_labels)

    def _audit_label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.audit_labels.append(label)
        return label

    def _clear_audit(self) -> None:
        self.audit_labels = []
        self.unfollow_buttons = {}
        layouts.empty(self.audit_rows)

    def set_waiting(self, waiting: bool, text: str = "", cancellable: bool = False) -> None:
        """While an action runs: its words (and Annuleren for the browser) instead of buttons."""
        self.busy = waiting
        self.buttons.setVisible(not waiting)
        self.waiting.setVisible(waiting)
        self.waiting_label.setText(text)
        self.cancel_button.setVisible(waiting and cancellable)


def _unreachable_words(account: Account, error: RetryLater) -> str:
    """A network that did not answer, or not now, during an action on the Accounts page."""
    network = network_label(account.network)
    if error.not_before is not None:
        moment = error.not_before
        today = in_dutch_time(moment).date() == in_dutch_time(datetime.now(UTC)).date()
        when = clock_time(moment) if today else None
        return _(
            "{network} neemt nu even geen verzoeken aan. Probeer het na {moment} opnieuw."
        ).format(network=network, moment=when or day_and_moment(moment))
    return _(
        "{network} gaf nu geen antwoord of had een storing; het is niet gelukt. Kijk of er"
        " internet is en probeer het over een paar minuten opnieuw."
    ).format(network=network)


class AccountsPage(QWidget):
    """`people_provider()` gives the register as the rules see it (may run off the GUI thread);
    `by` is who acts (the history names them). `service` is for tests; by default the accounts
    are signed in through this computer's password vault and the system browser."""

    connected = Signal(str)  # an account id, after a successful sign-in
    suspensions_changed = Signal()

    def __init__(
        self,
        site: Site,
        store: Store,
        data_dir: Path,
        people_provider: Callable[[], list[RegisterPerson]],
        by: str,
        parent: QWidget | None = None,
        *,
        service: AccountService | None = None,
    ):
        super().__init__(parent)
        self.site = site
        self.store = store
        self.data_dir = Path(data_dir)
        self.people_provider = people_provider
        self.by = by
        self.service = service or AccountService(
            connectors.SecretStore(),
            self.data_dir,
            connectors.networks(connectors.options_for(site)),
        )
        self.vault_ok = True
        self.sign_in_waiting: threading.Event | None = None
        self.bluesky_dialog: BlueskySignInDialog | None = None
        self.suspend_dialog: SuspendDialog | None = None
        self._states_reading = LatestReading()
        self.unfollow_dialog: QMessageBox | None = None
        self.unfollow_confirm_button: QPushButton | None = None
        self.cards: dict[str, AccountCard] = {}
        self.setStyleSheet(CARD_STYLE)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        title = QLabel(_("Accounts"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        intro = QLabel(
            _(
                "De accounts van de school staan klaar in de siteconfiguratie: meld een account één keer aan, dan plaatst Postwijs erop. Postwijs bewaart aanmeldingen alleen in de wachtwoordkluis van deze computer."
            )
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.vault_banner = QLabel(
            _(
                "De wachtwoordkluis van deze computer is niet beschikbaar, dus aanmelden bij een netwerk kan hier niet. Postwijs bewaart aanmeldingen nergens anders. Vraag de ICT-beheerder om een werkende wachtwoordkluis; het oefenaccount werkt wel."
            )
        )
        self.vault_banner.setObjectName("vaultBanner")
        self.vault_banner.setWordWrap(True)
        self.vault_banner.setVisible(False)
        outer.addWidget(self.vault_banner)
        self.error = QLabel()
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        outer.addWidget(self.error)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        accessibility.only_holds_controls(scroll)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 8, 8, 8)
        column.setSpacing(10)
        for school in site.schools:
            if not school.accounts:
                continue
            heading = QLabel(school.name)
            heading.setObjectName("sectionTitle")
            column.addWidget(heading)
            for account in school.accounts:
                card = AccountCard(account, self.service.sign_in_method(account))
                self._connect_card(card)
                self.cards[account.id] = card
                column.addWidget(card)
        if not self.cards:
            empty = QLabel(
                _(
                    "Er zijn nog geen accounts ingesteld. Vraag de ICT-beheerder de accounts van de school in de siteconfiguratie te zetten."
                )
            )
            empty.setObjectName("hint")
            empty.setWordWrap(True)
            column.addWidget(empty)
        column.addStretch(1)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)

        app = QApplication.instance()
        if app is not None:
            # A sign-in waiting for the browser must not keep a closing Postwijs alive.
            app.aboutToQuit.connect(self.cancel_sign_in)
        self.reload()

    def _connect_card(self, card: AccountCard) -> None:
        account = card.account
        card.sign_in_button.clicked.connect(lambda: self.sign_in(account.id))
        card.paste_button.clicked.connect(lambda: self._ask_token(account))
        card.sign_out_button.clicked.connect(lambda: self.sign_out(account.id))
        card.test_button.clicked.connect(lambda: self.test(account.id))
        card.audit_button.clicked.connect(lambda: self.friend_audit(account.id))
        card.suspend_button.clicked.connect(lambda: self.toggle_suspension(account.id))
        card.cancel_button.clicked.connect(self.cancel_sign_in)
        card.unfollow_requested.connect(lambda match: self.ask_unfollow(account.id, match))

    # ---- states -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Reads every account's state anew, off the GUI thread (the vault may take a moment)."""
        accounts = [card.account for card in self.cards.values()]
        service, data_dir = self.service, self.data_dir

        def work():
            store = Store.open(data_dir)
            try:
                return service.vault_available(), service.statuses(store, accounts)
            finally:
                store.close()

        self._states_reading.run(work, self._loaded)

    def _loaded(self, result, error) -> None:
        from shiboken6 import isValid

        if not isValid(self.vault_banner):
            return  # the window closed while the states were read
        if error is not None:
            self._show_error(error)
            return
        self.vault_ok, statuses = result
        # Practice accounts need no vault: a site of only those has nothing to warn about.
        signs_in = any(card.signs_in for card in self.cards.values())
        self.vault_banner.setVisible(not self.vault_ok and signs_in)
        for status in statuses:
            card = self.cards.get(status.account.id)
            if card is not None:
                card.show_status(status, self._sign_in_allowed())

    def _sign_in_allowed(self) -> bool:
        # One sign-in at a time: Mastodon's browser returns to one fixed port.
        return self.vault_ok and self.sign_in_waiting is None

    def _refresh_buttons(self) -> None:
        for card in self.cards.values():
            card.update_buttons(self._sign_in_allowed())

    def _show_error(self, error: BaseException) -> None:
        self.error.setText(str(error))
        self.error.setVisible(True)

    # ---- actions ------------------------------------------------------------------------------

    def _run(
        self,
        account_id: str,
        waiting_text: str,
        work: Callable[[Store], Outcome],
        done: Callable[[AccountCard, Outcome], None],
        *,
        cancellable: bool = False,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Runs `work(store)` off the GUI thread with its own database connection, then `done` on
        the GUI thread; a ConnectorError is shown on the card in its own Dutch words. `after`
        runs on the GUI thread whatever the outcome."""
        card = self.cards[account_id]
        card.show_result("", "calm")
        card.set_waiting(True, waiting_text, cancellable)
        self._refresh_buttons()
        data_dir = self.data_dir

        def in_background():
            store = Store.open(data_dir)
            try:
                return work(store)
            finally:
                store.close()

        def finished(result, error) -> None:
            if after is not None:
                after()
            card.set_waiting(False)
            self._refresh_buttons()
            if isinstance(error, SignInCancelled):
                card.show_result(str(error), "calm")
            elif isinstance(error, RetryLater):
                # Its words are the outbox's ("Postwijs probeert het later opnieuw", "kijkt of het
                # bericht al geplaatst is"): here nothing is retried and no post is involved.
                card.show_result(_unreachable_words(card.account, error), "stop")
            elif isinstance(error, ConnectorError | StoreError | ValueError):
                card.show_result(str(error), "stop")
            elif error is not None:
                log.error("account action failed: %s", type(error).__name__)
                card.show_result(unexpected_words(), "stop")
            else:
                done(card, result)
            self.reload()

        run_in_background(in_background, finished)

    def sign_in(self, account_id: str) -> None:
        card = self.cards[account_id]
        if card.sign_in_method is SignIn.APP_PASSWORD:
            self._ask_app_password(card.account)
        elif card.sign_in_method is SignIn.BROWSER:
            self._sign_in_with_browser(card.account)
        elif card.sign_in_method is SignIn.PASTED_TOKEN:
            self._ask_token(card.account)

    def _sign_in_with_browser(self, account: Account) -> None:
        cancelled = threading.Event()
        self.sign_in_waiting = cancelled
        service, by = self.service, self.by

        def done(card: AccountCard, connected: Connected) -> None:
            card.show_result(connected.message, "good")
            self.connected.emit(account.id)

        def over() -> None:
            self.sign_in_waiting = None

        self._run(
            account.id,
            _("Wacht op de browser…"),
            lambda store: service.connect(store, account, by, cancelled=cancelled),
            done,
            cancellable=True,
            after=over,
        )

    def cancel_sign_in(self) -> None:
        if self.sign_in_waiting is not None:
            self.sign_in_waiting.set()

    def _ask_app_password(self, account: Account) -> None:
        from ui.accounts.bluesky_sign_in_dialog import BlueskySignInDialog

        dialog = BlueskySignInDialog(account, self)
        self.bluesky_dialog = dialog

        def accepted() -> None:
            handle, password = dialog.handle(), dialog.app_password()
            dialog.forget_password()
            service, by = self.service, self.by

            def done(card: AccountCard, connected: Connected) -> None:
                card.show_result(connected.message, "good")
                self.connected.emit(account.id)

            self._run(
                account.id,
                _("Bezig met aanmelden…"),
                lambda store: service.connect(
                    store, account, by, handle=handle, app_password=password
                ),
                done,
            )

        dialog.accepted.connect(accepted)
        dialog.open()

    def _ask_token(self, account: Account) -> None:
        from ui.accounts.token_sign_in_dialog import TokenSignInDialog

        dialog = TokenSignInDialog(account, network_label(account.network), self)
        self.token_dialog = dialog

        def accepted() -> None:
            token = dialog.token()
            dialog.forget_token()
            service, by = self.service, self.by

            def done(card: AccountCard, connected: Connected) -> None:
                card.show_result(connected.message, "good")
                self.connected.emit(account.id)

            self._run(
                account.id,
                _("Token controleren…"),
                lambda store: service.connect(store, account, by, app_password=token),
                done,
            )

        dialog.accepted.connect(accepted)
        dialog.open()

    def sign_out(self, account_id: str) -> None:
        account = self.cards[account_id].account
        service, by = self.service, self.by

        def done(card: AccountCard, result: Disconnected) -> None:
            card.show_result(result.message, "good" if result.revoked else "act")
            card.show_audit(None)

        self._run(
            account_id,
            _("Bezig met afmelden…"),
            lambda store: service.disconnect(store, account, by),
            done,
        )

    def test(self, account_id: str) -> None:
        account = self.cards[account_id].account
        service = self.service

        def done(card: AccountCard, outcome: TestOutcome) -> None:
            card.show_result(outcome.message, "good" if outcome.ok else "stop")

        self._run(account_id, _("Bezig met testen…"), lambda _store: service.test(account), done)

    def friend_audit(self, account_id: str) -> None:
        account = self.cards[account_id].account
        service, people = self.service, self.people_provider

        def done(card: AccountCard, audit: FriendAudit) -> None:
            card.show_result(audit.message, "stop" if audit.matches else "good")
            card.show_audit(audit)

        self._run(
            account_id,
            _("Bezig met de vriendencontrole…"),
            lambda _store: service.friend_audit(account, people()),
            done,
        )

    def ask_unfollow(self, account_id: str, match: FollowMatch) -> None:
        """Asks before unfollowing (it cannot be undone from Postwijs); `unfollow` on Ja."""
        account = self.cards[account_id].account
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Ontvolgen"))
        box.setText(
            _("Wil je {followed} ({name}) ontvolgen met {account}?").format(
                followed=match.followed, name=match.person_name, account=account.name
            )
        )
        box.setInformativeText(
            _(
                "{network} haalt het volgen meteen weg. Opnieuw volgen kan alleen in {network} zelf."
            ).format(network=network_label(account.network))
        )
        confirm = box.addButton(_("Ontvolgen"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(_("Annuleren"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        self.unfollow_confirm_button = confirm

        def answered() -> None:
            if box.clickedButton() is confirm:
                self.unfollow(account_id, match.followed)

        box.finished.connect(answered)
        self.unfollow_dialog = box
        box.open()

    def unfollow(self, account_id: str, followed: str) -> None:
        """Unfollows `followed` off the GUI thread; the match leaves the shown audit."""
        account = self.cards[account_id].account
        service, by = self.service, self.by

        def done(card: AccountCard, result: Unfollowed) -> None:
            card.show_result(result.message, "good")
            card.forget_match(followed)

        self._run(
            account_id,
            _("Bezig met ontvolgen…"),
            lambda store: service.unfollow(store, account, followed, by),
            done,
        )

    def toggle_suspension(self, account_id: str) -> None:
        card = self.cards[account_id]
        if card.status is not None and card.status.suspension is not None:
            self._lift(card)
        else:
            self._ask_suspension(card)

    def _ask_suspension(self, card: AccountCard) -> None:
        from ui.accounts.suspend_dialog import SuspendDialog

        dialog = SuspendDialog(card.account.name, self)
        self.suspend_dialog = dialog

        def accepted() -> None:
            try:
                self.service.suspend(self.store, card.account, dialog.reason(), self.by)
            except (StoreError, ValueError) as error:
                card.show_result(str(error), "stop")
                return
            card.show_result(
                _(
                    "Geschorst: Postwijs plaatst niets meer op dit account tot je de schorsing opheft."
                ),
                "act",
            )
            self.suspensions_changed.emit()
            self.reload()

        dialog.accepted.connect(accepted)
        dialog.open()

    def _lift(self, card: AccountCard) -> None:
        try:
            self.service.lift(self.store, card.account, self.by)
        except StoreError as error:
            card.show_result(str(error), "stop")
            return
        card.show_result(
            _("De schorsing is opgeheven: er kan weer op dit account geplaatst worden."), "good"
        )
        self.suspensions_changed.emit()
        self.reload()
