"""The foundation pays X per post: the outbox holds what would go over an account's monthly
budget, and what X refuses because the credit is used up, against the X test server (which checks
every request against X's own API description)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from app.compose.model import ComposerModel
from app.history import chain as history
from app.publishing import outbox, spending
from app.site.config import load_site
from app.store import Store
from connectors import x
from tests.connectors.test_x import ACCOUNT, client_for
from tests.servers.x_server import XServer

SITE = """
[[authors]]
id = "a"
name = "Anne Jansen"
role = "communicatie"

[[schools]]
id = "s"
name = "OBS De Regenboog"
foundation = "SCOH"
type = "basisschool"

[[schools.accounts]]
id = "{account}"
network = "x"
name = "De Regenboog op X"
kind = "official"
client_id = "abc"
redirect_port = "8765"
monthly_budget = {budget}
"""


NAMES = {ACCOUNT: "De Regenboog op X"}


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    with XServer() as made:
        yield made


@pytest.fixture
def connector(server, secret_service):
    from connectors.secrets import SecretStore

    vault = SecretStore()
    client = client_for(server, vault)
    x.sign_in(client, api=server.base_url)
    with x.XConnector(client, api=server.base_url, sleep=lambda _s: None) as made:
        yield made
    vault.delete(ACCOUNT)


def site_with_budget(tmp_path, budget: str):
    path = tmp_path / "site.toml"
    path.write_text(SITE.format(account=ACCOUNT, budget=budget), encoding="utf-8")
    return load_site(path)


def publish(store, site, connector, text, now=None):
    model = ComposerModel(site)
    model.set_account(ACCOUNT, True)
    model.set_text(text)
    job = outbox.submit(store, model.draft, model.variants())
    (target,) = outbox.send(
        store, job, lambda _aid: connector, NAMES, now=now, budgets=spending.budgets(site)
    )
    return target


def placed_at(monkeypatch, moment: str) -> None:
    """The history's clock, so that a post is placed at a chosen moment."""
    monkeypatch.setattr(history, "now_iso", lambda: moment)


def test_spending_counts_the_posts_placed_on_x_this_dutch_month(
    tmp_path, data_dir, server, connector, monkeypatch
):
    site = site_with_budget(tmp_path, "10")
    store = Store.open(data_dir)
    # 23:59 on 30 November in the Netherlands, then 00:30 on 1 December (still 30 November in UTC).
    placed_at(monkeypatch, "2026-11-30T22:59:00.000+00:00")
    publish(store, site, connector, "Laatste dag van november!")
    placed_at(monkeypatch, "2026-11-30T23:30:00.000+00:00")
    publish(store, site, connector, "De adventstijd begint: lees meer op scoh.nl/advent")
    december = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)
    november = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
    assert spending.spent_this_month(store, ACCOUNT, december) == Decimal("0.20")
    assert spending.spent_this_month(store, ACCOUNT, november) == Decimal("0.015")
    month = spending.month_budget(store, ACCOUNT, Decimal("10"), december)
    assert month.left == Decimal("9.80")


def test_a_post_over_the_budget_is_held_not_sent_and_goes_once_the_budget_is_raised(
    tmp_path, data_dir, server, connector
):
    site = site_with_budget(tmp_path, "0.25")
    store = Store.open(data_dir)
    first = publish(store, site, connector, "Morgen is de sportdag: lees scoh.nl/sportdag")
    assert first.state == outbox.POSTED
    # $0.20 spent, $0.05 left: another post with a link ($0.20) waits.
    held = publish(store, site, connector, "Foto's van de sportdag op scoh.nl/fotos")
    assert held.state == outbox.OVER_BUDGET
    assert "budget van deze maand" in held.error and "De Regenboog op X" in held.error
    assert "ICT-beheerder" in held.error and "siteconfiguratie" in held.error
    assert "$0,20" in held.error and "$0,05" in held.error
    assert len(server.stored_posts()) == 1
    (event,) = history.events(store, "publish_held")
    assert event.data["over_budget"] is True
    # Checked again at every send of the month: no request to X, no new event, still held.
    before = len(server.requests)
    assert (
        outbox.send(
            store, held.job_id, lambda _aid: connector, NAMES, budgets=spending.budgets(site)
        )[0].state
        == outbox.OVER_BUDGET
    )
    assert len(server.requests) == before and len(history.events(store, "publish_held")) == 1
    # A text without a link ($0.015) still fits.
    assert publish(store, site, connector, "Wat een mooie dag!").state == outbox.POSTED
    # IT raises the budget: the held post goes out, once.
    raised = site_with_budget(tmp_path, "5")
    (after,) = outbox.send(
        store, held.job_id, lambda _aid: connector, NAMES, budgets=spending.budgets(raised)
    )
    assert after.state == outbox.POSTED
    outbox.send(store, held.job_id, lambda _aid: connector, NAMES, budgets=spending.budgets(raised))
    assert [p.text for p in server.stored_posts()].count(held.final_text) == 1
    assert outbox.job(store, held.job_id).draft is not None  # the draft is kept


def test_a_held_post_does_not_go_out_by_itself_in_a_later_month(
    tmp_path, data_dir, server, connector
):
    site = site_with_budget(tmp_path, "0")
    store = Store.open(data_dir)
    now = datetime.now(UTC)
    held = publish(store, site, connector, "Kerstviering", now=now)
    assert held.state == outbox.OVER_BUDGET
    next_month = spending.month_bounds(now)[1]
    assert held.job_id not in outbox.due(store, next_month)
    # The author tries again in the new month, once the budget allows it.
    outbox.retry_target(store, held.id)
    (after,) = outbox.send(
        store,
        held.job_id,
        lambda _aid: connector,
        NAMES,
        budgets=spending.budgets(site_with_budget(tmp_path, "1")),
    )
    assert after.state == outbox.POSTED


def test_usage_capped_holds_the_account_with_a_message_for_it_until_retried(
    tmp_path, data_dir, server, connector
):
    site = site_with_budget(tmp_path, "10")
    store = Store.open(data_dir)
    server.cap_usage(True)
    held = publish(store, site, connector, "Open dag op zaterdag")
    assert held.state == outbox.CAPPED
    assert "ICT-beheerder" in held.error and "X-ontwikkelaarsconsole" in held.error
    assert held.state != outbox.FAILED
    # Not due again by itself, not even an hour later: no blind retries.
    later = datetime.now(UTC) + timedelta(hours=1)
    assert held.job_id not in outbox.due(store, later)
    # Another post of the account waits with it, without asking X.
    before = len(server.requests)
    second = publish(store, site, connector, "Kijkochtend in de groepen")
    assert second.state == outbox.CAPPED and len(server.requests) == before
    # IT raised the credit; the author chooses Opnieuw proberen: both go, each once.
    server.cap_usage(False)
    outbox.retry_target(store, held.id)
    for job_id in (held.job_id, second.job_id):
        outbox.send(store, job_id, lambda _aid: connector, NAMES, budgets=spending.budgets(site))
    texts = [p.text for p in server.stored_posts()]
    assert sorted(texts) == sorted([held.final_text, second.final_text])
    events = history.events(store, "publish_held")
    assert {e.data["target"] for e in events} == {held.id, second.id}
