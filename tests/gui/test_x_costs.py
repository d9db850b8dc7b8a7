"""What the foundation pays X, where staff see it: the publish confirmation says per X target
what the post costs and what is left of the month's budget, and the Accounts page card of an X
account says that the foundation pays per post and what was spent this month. The spending comes
from a post really placed on the X test server through the outbox."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.accounts.service import AccountService
from app.compose.model import availability_of
from app.publishing import outbox, spending
from connectors import networks
from connectors.secrets import SecretStore
from tests.connectors import test_x_spending
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.connectors.test_x_spending import ACCOUNT, publish, site_with_budget
from tests.gui.fit_check import cut_off_texts
from ui.accounts.page import AccountsPage
from ui.publishing.confirm_dialog import ConfirmDialog

server = test_x_spending.server  # the X test server and a signed-in connector: fixtures
connector = test_x_spending.connector
SHOTS = os.environ.get("POSTWIJS_SHOTS", "")
SIZES = [(1280, 720), (1024, 700)]


def shoot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


def open_on_x(qtbot, open_window, site_path, connector):
    """The real window on the site, its X account signed in (the X test server's own flow)."""
    window = open_window(
        site_file=site_path, networks=lambda account, data_dir, site=None: connector
    )
    window.account_availability = lambda accounts: {
        ACCOUNT: availability_of("connected", "verbonden")
    }
    window.reload_availability()
    box = window.composer.account_picker.boxes[ACCOUNT]
    qtbot.waitUntil(box.isEnabled, timeout=10_000)
    if not box.isChecked():
        box.click()
    return window


def confirm(qtbot, window, text: str) -> ConfirmDialog:
    window.composer.editor.clear()
    qtbot.keyClicks(window.composer.editor, text)
    qtbot.waitUntil(window.composer.publish_button.isEnabled, timeout=10_000)
    window.composer.publish_button.click()
    qtbot.waitUntil(lambda: window.confirm_dialog is not None, timeout=10_000)
    return window.confirm_dialog


@pytest.mark.parametrize("size", SIZES)
def test_the_confirmation_says_what_each_x_post_costs_and_what_is_left(
    qtbot, open_window, tmp_path, store, server, connector, size
):
    site = site_with_budget(tmp_path, "0.30")
    publish(store, site, connector, "Morgen is de sportdag: lees scoh.nl/sportdag")  # $0.20
    window = open_on_x(qtbot, open_window, tmp_path / "site.toml", connector)
    window.resize(*size)
    dialog = confirm(qtbot, window, "Wat een mooie sportdag!")
    qtbot.waitExposed(dialog)
    shown = dialog.cost_labels[ACCOUNT]
    assert shown.isVisible()
    assert shown.text() == (
        "Dit bericht kost de stichting $0,015 op X."
        " Daarna is er deze maand nog $0,085 over van $0,30."
    )
    assert cut_off_texts(dialog) == []
    shoot(dialog, f"confirm-{size[0]}x{size[1]}.png")
    # The dialog only shows what the core computed for this draft and this month.
    assert (
        shown.text()
        == spending.confirm_lines(
            store, site, window.model.draft, window.model.variants(), datetime.now(UTC)
        )[ACCOUNT]
    )


def test_a_post_over_the_months_budget_is_held_and_the_user_is_told_why_in_dutch(
    qtbot, open_window, tmp_path, store, server, connector
):
    site = site_with_budget(tmp_path, "0.25")
    publish(store, site, connector, "Morgen is de sportdag: lees scoh.nl/sportdag")  # $0.20
    window = open_on_x(qtbot, open_window, tmp_path / "site.toml", connector)
    window.resize(1280, 720)
    # A post with a link ($0.20) no longer fits in the $0.05 left: the confirmation says so.
    dialog = confirm(qtbot, window, "Foto's van de sportdag op scoh.nl/fotos")
    assert dialog.cost_labels[ACCOUNT].text() == (
        "Dit bericht kost de stichting $0,20 op X. Er is deze maand nog $0,05 over van $0,25:"
        " dat is te weinig. Postwijs houdt het bericht vast tot de ICT-beheerder het budget"
        " verhoogt in de siteconfiguratie."
    )
    posts_before = len(server.stored_posts())
    dialog.publish_button.click()
    qtbot.waitUntil(lambda: not window.publishing, timeout=20_000)

    row = window.progress_dialog.rows[ACCOUNT]
    assert row.startswith(
        "⚠ De Regenboog op X: Wacht: het budget van deze maand voor dit account is op."
        " Het budget van deze maand voor De Regenboog op X is op: dit bericht kost $0,20"
        " en er is nog $0,05 over van $0,25."
    ), row
    assert "ICT-beheerder" in row and "monthly_budget" in row
    assert len(server.stored_posts()) == posts_before  # nothing went to X
    held = [
        t
        for job in outbox.jobs(store)
        for t in outbox.targets(store, job.id)
        if t.final_text.startswith("Foto's van de sportdag")
    ]
    assert [t.state for t in held] == [outbox.OVER_BUDGET]
    shoot(window.progress_dialog, "held-1280x720.png")


@pytest.mark.parametrize("size", SIZES)
def test_the_accounts_card_of_an_x_account_says_the_foundation_pays_per_post(
    qtbot, tmp_path, store, data_dir, server, connector, size
):
    site = site_with_budget(tmp_path, "10")
    publish(store, site, connector, "Morgen is de sportdag: lees scoh.nl/sportdag")
    service = AccountService(SecretStore(), data_dir, networks())
    page = AccountsPage(site, store, data_dir, list, "Sanne de Vries", service=service)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    card = page.cards[ACCOUNT]
    qtbot.waitUntil(lambda: card.status is not None, timeout=20_000)
    assert card.cost_label.isVisible()
    assert card.cost_label.text() == (
        "De stichting betaalt X per bericht: $0,015 per bericht, $0,20 als er een link in staat."
        " Deze maand uitgegeven: $0,20 van $10,00."
    )
    assert card.status.month is not None and card.status.month.spent == Decimal("0.20")
    assert cut_off_texts(page) == []
    shoot(page, f"accounts-{size[0]}x{size[1]}.png")
