"""Publishing to 5 targets whose networks answer each POST after 300 ms against publishing to 1:
the targets go out at the same time. Budget: ratio ≤ 1.3. The networks are the contract servers
on 127.0.0.1 (tests/servers), slowed down:

- five Mastodon accounts with a text, against one;
- a video to three Mastodon accounts, X and YouTube (X's chunked upload and YouTube's resumable
  one take several POSTs each), against the slowest of the five published alone: five at once
  should take hardly longer than the longest of them."""

from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from app.compose.model import ComposerModel
from app.networks.connector import OutgoingMedia
from app.publishing import outbox
from app.site.config import Account, load_site
from app.store import Store
from bench.measure import Result, median
from bench.memory_vault import MemoryVault
from connectors import x, youtube
from connectors.mastodon import MastodonConnector
from connectors.oauth import Token
from tests.servers.mastodon_server import MastodonServer
from tests.servers.x_server import XServer
from tests.servers.youtube_server import YouTubeServer

DELAY_SECONDS = 0.3


class _SlowPosts:
    """Mixed into a contract server: every POST is answered 300 ms late."""

    def handle(self, handler) -> None:
        if handler.command == "POST":
            time.sleep(DELAY_SECONDS)
        super().handle(handler)  # type: ignore[misc]


class SlowServer(_SlowPosts, MastodonServer):
    pass


class SlowX(_SlowPosts, XServer):
    pass


class SlowYouTube(_SlowPosts, YouTubeServer):
    pass


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


def _mixed_site(mastodon_url: str):
    site = load_site(None)
    accounts = (
        *(
            Account(
                f"m{n}", "regenboog", "mastodon", f"Mastodon {n}", "official", instance=mastodon_url
            )
            for n in range(3)
        ),
        Account("x", "regenboog", "x", "X", "official"),
        Account("youtube", "regenboog", "youtube", "YouTube", "official"),
    )
    schools = tuple(
        replace(s, accounts=accounts) if s.id == "regenboog" else s for s in site.schools
    )
    return replace(site, schools=schools)


class _MixedNetworks:
    """The three slowed servers, each account signed in as if through the providers' own flows."""

    def __init__(self, stack: ExitStack):
        self.mastodon = stack.enter_context(SlowServer(max_characters=5000))
        self.x = stack.enter_context(SlowX())
        self.youtube = stack.enter_context(SlowYouTube())
        self.mastodon_token = self.mastodon.issue_token(scopes="read write")
        self.vault = MemoryVault()
        x_token = self.x.issue_token(" ".join(x.SCOPES))
        self.vault.write(
            "x", Token(x_token.access, x_token.refresh, time.time() + 3600).to_secret()
        )
        youtube_token = self.youtube.issue_token(" ".join(youtube.SCOPES))
        self.vault.write(
            "youtube",
            Token(youtube_token.access, youtube_token.refresh, time.time() + 3600).to_secret(),
        )
        self.site = _mixed_site(self.mastodon.base_url)

    def connector_for(self, account_id: str):
        if account_id == "x":
            client = x.oauth_client(
                x.XApp(self.x.client_id, 1), self.vault, "x", api=self.x.base_url
            )
            return x.XConnector(client, api=self.x.base_url)
        if account_id == "youtube":
            config = youtube.provider_config(
                self.youtube.client_id, token_url=self.youtube.base_url + "/token"
            )
            return youtube.YouTubeConnector(
                youtube.GoogleOAuthClient(config, self.vault, "youtube"),
                api_base=self.youtube.base_url,
            )
        return MastodonConnector(self.mastodon.base_url, lambda: self.mastodon_token)


def _publish_video(networks: _MixedNetworks, account_ids, video: Path, data_dir: Path, n: int):
    model = ComposerModel(networks.site)
    for account_id in account_ids:
        model.set_account(account_id, True)
    model.set_text(f"Bericht {n}: de musical van groep 8")
    model.set_title(f"De musical van groep 8 ({n})")
    store = Store.open(data_dir)
    try:
        media = {a: [OutgoingMedia(str(video), "video/mp4")] for a in account_ids}
        job = outbox.submit(store, model.draft, model.variants(), media=media)
        started = time.perf_counter()
        done = outbox.send(store, job, networks.connector_for)
        elapsed = time.perf_counter() - started
    finally:
        store.close()
    unsent = [t.account_id for t in done if t.state != outbox.POSTED]
    if unsent:
        raise RuntimeError(f"the bench's post did not reach {unsent}")
    return elapsed


def _mixed(repeat: int, data_dir: Path) -> Result:
    from tests.app.test_media_video import make_video

    video = make_video(data_dir / "musical.mp4", seconds=1.0)
    with ExitStack() as stack:
        networks = _MixedNetworks(stack)
        everyone = [a.id for a in networks.site.school("regenboog").accounts]
        together, slowest_alone = [], []
        for n in range(repeat):  # interleaved, so a busy moment hits both alike
            together.append(_publish_video(networks, everyone, video, data_dir, n))
            slowest_alone.append(
                max(_publish_video(networks, [a], video, data_dir, n) for a in everyone)
            )
    return Result(
        "a video to 3 Mastodon accounts, X and YouTube at once (300 ms per POST)",
        median(together),
        "the slowest of them alone",
        median(slowest_alone),
        budget_ratio=1.3,
    )


def run(repeat: int = 5) -> list[Result]:
    data_dir = Path(tempfile.mkdtemp(prefix="postwijs-bench-publish-"))
    with SlowServer(max_characters=5000) as server:
        token = server.issue_token(scopes="read write")
        five, one = [], []
        for n in range(repeat):
            one.append(_publish_once(server, token, 1, data_dir, n))
            five.append(_publish_once(server, token, 5, data_dir, n))
    return [
        Result(
            "publishing to 5 accounts (300 ms each)",
            median(five),
            "publishing to 1",
            median(one),
            budget_ratio=1.3,
        ),
        _mixed(repeat, data_dir),
    ]
