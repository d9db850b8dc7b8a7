"""The yearly sweep of one account with 5,000 posts against the Mastodon contract server on
127.0.0.1, against reading the same pages with plain requests (following the Link headers):
the time per post, budget ratio ≤ 1.5; and the sweep's memory peak for 1,000 and for 5,000
posts, which must not grow with the number of posts (each post placed outside Postwijs is
checked against the rules, but only posts with findings are kept)."""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from app.accounts import yearly_sweep
from app.site.config import Account, load_site
from app.store import Store
from bench.measure import Result, median
from connectors.mastodon import SCOPES, MastodonConnector
from tests.servers.mastodon_server import MastodonServer

YEAR = "2025-2026"
START = datetime(2025, 8, 2, 19, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # after lessons
DISCLAIMER = (
    "— Sanne, medewerker Basisschool De Regenboog (SCOH). Persoonlijke mening, los van SCOH."
    " Niet verantwoordelijk voor derden."
)


@dataclass(frozen=True)
class MemoryResult:
    name: str
    peak_mb: float
    baseline_name: str
    baseline_peak_mb: float
    budget_ratio: float = 1.5

    @property
    def ratio(self) -> float:
        return self.peak_mb / self.baseline_peak_mb

    def line(self) -> str:
        verdict = "within budget" if self.ratio <= self.budget_ratio else "OVER BUDGET"
        return (
            f"{self.name}: peak {self.peak_mb:.2f} MB; {self.baseline_name}: "
            f"{self.baseline_peak_mb:.2f} MB; ratio {self.ratio:.2f}"
            f" (budget ≤ {self.budget_ratio}) {verdict}"
        )


class _Forgetful(list):
    """The contract server's request log, kept empty: the server runs in this process, and its
    log of every request would count in the sweep's memory."""

    def append(self, _entry: object) -> None:
        pass


def _server(posts: int) -> MastodonServer:
    server = MastodonServer(max_characters=5000)
    server.requests = _Forgetful()
    server.__enter__()
    server.rate_budget = server.rate_remaining = 10**9
    for n in range(posts):
        # Spread over the evenings of the year, each with the disclaimer: clean posts.
        moment = START + timedelta(days=n % 360, minutes=n // 360)
        server.add_status(f"Nieuws van de dag, bericht {n}.\n\n{DISCLAIMER}", moment)
    return server


def _site(base_url: str):
    site = load_site(None)
    account = Account("m", "regenboog", "mastodon", "Mastodon", "official", instance=base_url)
    schools = tuple(
        replace(s, accounts=(account,)) if s.id == "regenboog" else s for s in site.schools
    )
    return replace(site, schools=schools)


def _sweep(server: MastodonServer, token: str) -> tuple[float, int]:
    site = _site(server.base_url)
    data_dir = Path(tempfile.mkdtemp(prefix="postwijs-bench-sweep-"))
    store = Store.open(data_dir)
    try:
        started = time.perf_counter()
        outcome = yearly_sweep.run(
            store,
            site,
            YEAR,
            yearly_sweep.accounts_of(site, "regenboog"),
            lambda account: MastodonConnector(server.base_url, token_provider=lambda: token),
            by="bench",
        )
        seconds = time.perf_counter() - started
    finally:
        store.close()
    [result] = outcome.results
    assert result.done, result.problem
    return seconds, result.counts["outside"]


def _plain(server: MastodonServer, token: str) -> tuple[float, int]:
    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    with requests.Session() as session:
        session.get(f"{server.base_url}/api/v1/accounts/verify_credentials", headers=headers)
        url: str | None = (
            f"{server.base_url}/api/v1/accounts/1/statuses?limit=40&exclude_reblogs=true"
        )
        count = 0
        while url:
            response = session.get(url, headers=headers, timeout=30)
            page = response.json()
            count += len(page)
            url = response.links.get("next", {}).get("url") if page else None
    return time.perf_counter() - started, count


def _peak(posts: int) -> float:
    server = _server(posts)
    try:
        token = server.issue_token(" ".join(SCOPES))
        _sweep(server, token)  # warm: the rules' word lists loaded once
        tracemalloc.start()
        _sweep(server, token)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / 1e6
    finally:
        server.__exit__(None, None, None)


def run(repeat: int = 3, posts: int = 5000) -> list[Result | MemoryResult]:
    server = _server(posts)
    try:
        token = server.issue_token(" ".join(SCOPES))
        _sweep(server, token)  # warm-up
        sweeps, plains = [], []
        for _n in range(repeat):
            seconds, read = _sweep(server, token)
            assert read == posts, read
            sweeps.append(seconds / posts)
            seconds, read = _plain(server, token)
            assert read == posts, read
            plains.append(seconds / posts)
    finally:
        server.__exit__(None, None, None)
    small, large = _peak(1000), _peak(posts)
    return [
        Result(
            f"sweep of {posts} posts, per post",
            median(sweeps),
            "reading the same pages with plain requests",
            median(plains),
            budget_ratio=1.5,
        ),
        MemoryResult(f"sweep memory (tracemalloc), {posts} posts", large, "1000 posts", small),
    ]
