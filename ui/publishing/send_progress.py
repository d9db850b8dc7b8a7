"""Progress per account while a post goes out: preparing, posted with its link, or what went wrong
and what to do."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.compose.post import Variant
from app.i18n import _
from app.networks.profiles import label as network_label
from app.publishing import outbox
from ui.history.page import target_state


class SendProgressDialog(QDialog):
    def __init__(self, variants: list[Variant], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Plaatsen"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.title = QLabel(_("Je bericht wordt geplaatst…"))
        self.title.setObjectName("sectionTitle")
        layout.addWidget(self.title)
        self.rows: dict[str, QLabel] = {}
        self.names = {
            v.account_id: f"{v.account_name} ({network_label(v.network)})" for v in variants
        }
        for v in variants:
            row = QLabel(f"⏳ {self.names[v.account_id]}: " + _("bezig…"))
            row.setWordWrap(True)
            row.setOpenExternalLinks(True)
            layout.addWidget(row)
            self.rows[v.account_id] = row
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(_("Sluiten"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def update_target(self, t: outbox.Target) -> None:
        row = self.rows.get(t.account_id)
        if row is None:
            return
        name = self.names[t.account_id]
        if t.state == outbox.POSTED:
            link = (
                f" — <a href='{t.url}'>{_('bekijken')}</a>"
                if t.url and t.url.startswith("http")
                else ""
            )
            row.setText(f"✓ {name}: {target_state(t)}{link}")
        elif t.state == outbox.ASK_USER:
            row.setText(f"⚠ {name}: {t.error or ''} " + _("Je vindt het bericht onder Gepland."))
        elif t.state in (outbox.WAITING, outbox.SENDING):
            row.setText(f"⏳ {name}: {target_state(t)}. {t.error or ''}")
        else:
            row.setText(f"✗ {name}: {target_state(t)}. {t.error or ''}")

    def finished_all(self, targets: list[outbox.Target]) -> None:
        for t in targets:
            self.update_target(t)
        posted = all(t.state == outbox.POSTED for t in targets)
        self.title.setText(
            _("Klaar: je bericht is geplaatst.")
            if posted
            else _(
                "Niet alles is gelukt. Postwijs probeert wachtende accounts later opnieuw; zie Geschiedenis."
            )
        )
        self.close_button.setEnabled(True)
