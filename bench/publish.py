"""Publishing to 5 targets that each answer after 300 ms against publishing to 1: the targets go
out at the same time. Budget: ratio ≤ 1.3. The network is the Mastodon contract server on
127.0.0.1 (tests/servers), slowed down."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from app.compose.model import ComposerModel
from app.publishing import outbox
from app.site.config import Account, load_site
from app.store import Store
from bench.measure import Result, median
from connectors.mastodon import MastodonConnector
from tests.servers.mastodon_server import MastodonServer

DELAY_SECONDS = 0.3


class SlowServer(MastodonServer):
    def handle(self, handler) -> None:
        if handler.command == "POST":
            time.sleep(DELAY_SECONDS)
        super().handle(handler)


def _site_with(accounts: int, base_url: str):
    site = load_site(None)
    extra = tuple(
        Account(f"m{n}", "regenboog", "mastodon", f"Mastodon {n}", "official", instance=base_url)
        for n in range(accounts)
    )
    schools = tuple(replace(s, accounts=extra) if s.id == "regenboog" else s for s in site.schools)
    return replace(site, schools=schools)


def _publish_once(server: SlowServer, token: str, accounts: int, data_dir: Path, n: int) -> float:
    site = _site_with(accounts, server.base_url)
    model = ComposerModel(site)
    for account in site.school("regenboog").accounts:
        model.set_account(account.id, True)
    model.set_text(f"Bericht {n} voor {accounts} accounts")
    store = Store.open(data_dir)
    try:
        job = outbox.submit(store, model.draft, model.variants())
        started = time.perf_counter()
        outbox.send(
            store, job, lambda account_id: MastodonConnector(server.base_url, lambda: token)
        )
        return time.perf_counter() - started
    finally:
        store.close()


def run(repeat: int = 5) -> Result:
    data_dir = Path(tempfile.mkdtemp(prefix="postwijs-bench-publish-"))
    with SlowServer(max_characters=5000) as server:
        token = server.issue_token(scopes="read write")
        five, one = [], []
        for n in range(repeat):
            one.append(_publish_once(server, token, 1, data_dir, n))
            five.append(_publish_once(server, token, 5, data_dir, n))
    return Result(
        "publishing to 5 accounts (300 ms each)",
        median(five),
        "publishing to 1",
        median(one),
        budget_ratio=1.3,
    )
