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
from app.compose.model import ComposerModel
from app.publishing import spending
from app.store import Store
from connectors import networks
from connectors.secrets import SecretStore
from tests.connectors.conftest import secret_service  # noqa: F401  (a fixture)
from tests.connectors.test_x_spending import (  # noqa: F401  (fixtures)
    ACCOUNT,
    connector,
    publish,
    server,
    site_with_budget,
)
from tests.gui.fit_check import cut_off_texts
from ui.accounts.page import AccountsPage
from ui.publishing.confirm_dialog import ConfirmDialog

SHOTS = os.environ.get("POSTWIJS_SHOTS", "")
SIZES = [(1280, 720), (1024, 700)]


@pytest.fixture
def store(data_dir):
    opened = Store.open(data_dir)
    yield opened
    opened.close()


def shoot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, name))


@pytest.mark.parametrize("size", SIZES)
def test_the_confirmation_says_what_each_x_post_costs_and_what_is_left(
    qtbot, tmp_path, store, server, connector, size
):
    site = site_with_budget(tmp_path, "0.30")
    publish(store, site, connector, "Morgen is de sportdag: lees scoh.nl/sportdag")  # $0.20
    model = ComposerModel(site)
    model.set_account(ACCOUNT, True)
    model.set_text("Wat een mooie sportdag!")
    lines = spending.confirm_lines(store, site, model.draft, model.variants(), datetime.now(UTC))
    dialog = ConfirmDialog(model.variants(), costs=lines)
    qtbot.addWidget(dialog)
    dialog.resize(min(660, size[0]), min(560, size[1]))
    dialog.show()
    qtbot.waitExposed(dialog)
    shown = dialog.cost_labels[ACCOUNT]
    assert shown.isVisible()
    assert shown.text() == (
        "Dit bericht kost de stichting $0,015 op X."
        " Daarna is er deze maand nog $0,085 over van $0,30."
    )
    assert cut_off_texts(dialog) == []
    shoot(dialog, f"confirm-{size[0]}x{size[1]}.png")
    # A post with a link ($0.20) no longer fits: the confirmation says it will wait.
    model.set_text("Foto's van de sportdag op scoh.nl/fotos")
    (line,) = spending.confirm_lines(
        store, site, model.draft, model.variants(), datetime.now(UTC)
    ).values()
    assert "$0,20" in line and "te weinig" in line and "ICT-beheerder" in line


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
