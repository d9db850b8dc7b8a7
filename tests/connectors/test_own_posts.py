"""Reading the account's own posts for the yearly sweep: Mastodon's contract server (Link-header
pages, boosts, edited_at, a rate limit) and the real Bluesky PDS (posts placed through Postwijs,
posts written straight into the repository, one edited and one deleted there)."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from app.history import chain as history
from app.history import sweep
from app.networks.connector import NotSupported, OutgoingPost, RetryLater
from app.store import Store
from connectors.bluesky import BlueskyConnector
from connectors.mastodon import SCOPES, MastodonConnector
from connectors.x import XConnector
from tests.servers.mastodon_server import MastodonServer
from tests.servers.pds_fixture import PdsServer, pds_server  # noqa: F401  (a fixture)

YEAR_START = datetime(2025, 8, 1, tzinfo=UTC)
YEAR_END = datetime(2026, 8, 1, tzinfo=UTC)


def record_published(store: Store, account: str, remote_id: str, url: str, text: str) -> None:
    """As the outbox records a post it placed."""
    history.append(
        store,
        "published",
        {
            "target": f"doel-{remote_id[-6:]}",
            "account": account,
            "remote_id": remote_id,
            "url": url,
            "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "media_sha256": [],
        },
        details={"final_text": text},
    )


# --- Mastodon ---------------------------------------------------------------------------------


@pytest.fixture
def mastodon():
    with MastodonServer() as server:
        token = server.issue_token(" ".join(SCOPES))
        connector = MastodonConnector(server.base_url, token_provider=lambda: token)
        yield server, connector
        connector.close()


def test_mastodon_reads_a_year_of_statuses_page_by_page_without_boosts(mastodon):
    server, connector = mastodon
    inside = [
        server.add_status(f"Bericht {n}", YEAR_START + timedelta(days=3 * n)) for n in range(90)
    ]
    server.add_status("Vorig schooljaar", YEAR_START - timedelta(days=2))
    server.add_status("Volgend schooljaar", YEAR_END + timedelta(days=1))
    server.add_boost(inside[0].id, YEAR_START + timedelta(days=100))

    read = list(connector.read_own_posts(YEAR_START, YEAR_END))

    assert [p.remote_id for p in read] == [s.id for s in reversed(inside)]
    assert read[0].text == "Bericht 89" and read[0].edited is False
    assert read[0].url.endswith(f"/@juf/{inside[-1].id}")
    pages = server.requests_to("GET", f"/api/v1/accounts/{server.me.id}/statuses")
    assert len(pages) == 3  # 92 statuses, 40 a page; the third reaches before the year
    assert all(r.query.get("exclude_reblogs") == ["true"] for r in pages)
    assert server.violations == []


def test_mastodon_says_which_status_was_edited_and_misses_one_deleted_elsewhere(mastodon, store):
    server, connector = mastodon
    placed = []
    for n in range(3):
        published = connector.publish(post(f"Via Postwijs {n}", key=f"k{n}"))
        record_published(store, "acc", published.remote_id, published.url, f"Via Postwijs {n}")
        placed.append(published)
    server.edit_status(placed[0].remote_id, "Via Postwijs 0, aangepast")
    server.delete_status_outside(placed[1].remote_id)
    outside = server.add_status("Zelf geplaatst in Mastodon")

    since, until = datetime.now(UTC) - timedelta(days=1), datetime.now(UTC) + timedelta(days=1)
    read = {p.remote_id: p for p in connector.read_own_posts(since, until)}

    assert read[placed[0].remote_id].edited is True
    assert read[placed[2].remote_id].edited is False
    found = {
        f.remote_id: f.klass for f in sweep.classify(store, "acc", read.values(), since, until)
    }
    assert found == {
        placed[0].remote_id: sweep.EDITED,
        placed[1].remote_id: sweep.DELETED,
        placed[2].remote_id: sweep.UNCHANGED,
        outside.id: sweep.OUTSIDE,
    }


def test_mastodon_reading_resumes_at_the_page_it_was_on(mastodon):
    server, connector = mastodon
    statuses = [server.add_status(f"B{n}", YEAR_START + timedelta(days=n)) for n in range(100)]
    first = list(connector.read_own_posts(YEAR_START, YEAR_END))
    resume = first[45].resume  # on the second page

    again = list(connector.read_own_posts(YEAR_START, YEAR_END, resume))

    assert [p.remote_id for p in again] == [p.remote_id for p in first[40:]]
    assert len(statuses) == len(first)


def test_mastodon_rate_limit_is_retry_later_at_the_reset_moment(mastodon):
    server, connector = mastodon
    for n in range(50):
        server.add_status(f"B{n}", YEAR_START + timedelta(days=n))
    reset = datetime.now(UTC) + timedelta(minutes=3)
    server.set_rate_limit(remaining=2, reset=reset)  # verify_credentials and one page

    reading = connector.read_own_posts(YEAR_START, YEAR_END)
    seen = [next(reading) for _ in range(40)]
    with pytest.raises(RetryLater) as caught:
        next(reading)

    assert abs((caught.value.not_before - reset).total_seconds()) < 1
    assert "te veel verzoeken" in str(caught.value)
    assert seen[-1].resume == ""  # the first page: reading again starts there


def post(text: str, key: str) -> OutgoingPost:
    return OutgoingPost(client_key=key, account_id="acc", account_name="School", text=text)


def test_a_network_that_cannot_show_the_posts_says_so_in_dutch():
    connector = XConnector.__new__(XConnector)
    assert XConnector.capabilities.read_own_posts is False
    with pytest.raises(NotSupported, match="Bekijk de berichten van dit account"):
        next(iter(connector.read_own_posts(YEAR_START, YEAR_END)))


# --- Bluesky, on the real PDS -------------------------------------------------------------------


class MemorySession:
    def __init__(self) -> None:
        self.value = None

    def load(self):
        return self.value

    def save(self, session):
        self.value = dict(session) if session else None


def write_record(server: PdsServer, account: dict, text: str, at: datetime, **extra) -> str:
    """A post made straight through the PDS's API, as the Bluesky app makes it."""
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": at.isoformat(), **extra}
    answer = server.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        account["accessJwt"],
        json={"repo": account["did"], "collection": "app.bsky.feed.post", "record": record},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["uri"]


def test_bluesky_sweep_reads_and_classifies_a_year_of_posts(pds_server, store):  # noqa: F811
    account = pds_server.create_account("jaarcontrole.test")
    password = pds_server.create_app_password(account["accessJwt"], "Postwijs")
    connector = BlueskyConnector(
        "jaarcontrole.test", lambda: password, MemorySession(), service=pds_server.url
    )
    with connector:
        placed = []
        for n in range(3):
            text = f"Via Postwijs geplaatst, bericht {n}"
            published = connector.publish(post(text, key=f"b{n}"))
            record_published(store, "acc", published.remote_id, published.url, text)
            placed.append(published)
        since = datetime.now(UTC) - timedelta(days=300)
        outside = [
            write_record(pds_server, account, f"Direct in Bluesky {n}", since + timedelta(days=n))
            for n in range(130)  # more than one page of 100
        ]
        old = write_record(pds_server, account, "Vorig jaar", since - timedelta(days=5))
        # Edited in another app: the record is written again with another text.
        rkey = placed[0].remote_id.rsplit("/", 1)[1]
        edited = pds_server.xrpc(
            "POST",
            "com.atproto.repo.putRecord",
            account["accessJwt"],
            json={
                "repo": account["did"],
                "collection": "app.bsky.feed.post",
                "rkey": rkey,
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": "Via Postwijs geplaatst, later aangepast",
                    "createdAt": datetime.now(UTC).isoformat(),
                },
            },
        )
        assert edited.status_code == 200, edited.text
        deleted = pds_server.xrpc(
            "POST",
            "com.atproto.repo.deleteRecord",
            account["accessJwt"],
            json={
                "repo": account["did"],
                "collection": "app.bsky.feed.post",
                "rkey": placed[1].remote_id.rsplit("/", 1)[1],
            },
        )
        assert deleted.status_code == 200, deleted.text
        repost = pds_server.xrpc(
            "POST",
            "com.atproto.repo.createRecord",
            account["accessJwt"],
            json={
                "repo": account["did"],
                "collection": "app.bsky.feed.repost",
                "record": {
                    "$type": "app.bsky.feed.repost",
                    "subject": {"uri": placed[2].remote_id, "cid": "x"},
                    "createdAt": datetime.now(UTC).isoformat(),
                },
            },
        )
        assert repost.status_code in (200, 400)  # a repost record, never a post of its own

        until = datetime.now(UTC) + timedelta(days=1)
        read = list(connector.read_own_posts(since, until))

    ids = [p.remote_id for p in read]
    assert len(ids) == len(set(ids)) == 130 + 2
    assert old not in ids
    assert read[-1].url.startswith("https://bsky.app/profile/jaarcontrole.test/post/")
    found = {f.remote_id: f.klass for f in sweep.classify(store, "acc", read, since, until)}
    assert found[placed[0].remote_id] == sweep.EDITED
    assert found[placed[1].remote_id] == sweep.DELETED
    assert found[placed[2].remote_id] == sweep.UNCHANGED
    assert {found[uri] for uri in outside} == {sweep.OUTSIDE}


# --- Bluesky with an AppView: getAuthorFeed ----------------------------------------------------


class FeedAppView(ThreadingHTTPServer):
    """A PDS with an AppView behind it, which the test PDS has not: only getAuthorFeed, as the
    AppView answers it (reposts carry a `reason`, a thread may show another author's post),
    three pages by cursor, and one 429 with ratelimit-reset before the second page."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.cursors: list[str] = []
        self.limited_once = False
        base = datetime(2026, 3, 1, 12, tzinfo=UTC)
        own = [
            {
                "post": {
                    "uri": f"at://did:plc:school/app.bsky.feed.post/r{n}",
                    "author": {"did": "did:plc:school", "handle": "school.test"},
                    "record": {
                        "text": f"Eigen bericht {n}",
                        "createdAt": (base - timedelta(days=n)).isoformat(),
                        **(
                            {"embed": {"$type": "app.bsky.embed.images", "images": [{}, {}]}}
                            if n == 1
                            else {}
                        ),
                    },
                }
            }
            for n in range(5)
        ]
        repost = {
            "post": {
                "uri": "at://did:plc:ander/app.bsky.feed.post/x1",
                "author": {"did": "did:plc:ander", "handle": "ander.test"},
                "record": {"text": "Van een ander", "createdAt": base.isoformat()},
            },
            "reason": {"$type": "app.bsky.feed.defs#reasonRepost"},
        }
        other = {**repost, "reason": None}
        self.pages = {"": [own[0], repost, own[1]], "c1": [other, own[2], own[3]], "c2": [own[4]]}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedAppView

    def log_message(self, *args) -> None:
        pass

    def answer(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path != "/xrpc/app.bsky.feed.getAuthorFeed":
            self.answer(404, {"error": "MethodNotImplemented"})
            return
        cursor = query.get("cursor", [""])[0]
        if cursor == "c1" and not self.server.limited_once:
            self.server.limited_once = True
            reset = int(datetime.now(UTC).timestamp()) + 120
            self.answer(429, {"error": "RateLimitExceeded"}, {"ratelimit-reset": str(reset)})
            return
        self.server.cursors.append(cursor)
        following = {"": "c1", "c1": "c2"}.get(cursor)
        body: dict = {"feed": self.server.pages[cursor]}
        if following:
            body["cursor"] = following
        self.answer(200, body)


def test_bluesky_reads_the_authors_feed_without_reposts_and_resumes_after_a_rate_limit():
    server = FeedAppView()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    session = MemorySession()
    session.value = {
        "accessJwt": "toegang",
        "refreshJwt": "vernieuw",
        "did": "did:plc:school",
        "handle": "school.test",
    }
    try:
        with BlueskyConnector(
            "school.test", lambda: None, session, service=server.url
        ) as connector:
            since = datetime(2026, 2, 26, tzinfo=UTC)  # post 4 (25 February) lies before it
            until = datetime(2026, 3, 2, tzinfo=UTC)
            reading = connector.read_own_posts(since, until)
            first = [next(reading), next(reading)]
            with pytest.raises(RetryLater) as caught:
                next(reading)
            assert caught.value.not_before is not None
            rest = list(connector.read_own_posts(since, until, first[-1].resume))
    finally:
        server.shutdown()
        server.server_close()
    assert [p.text for p in first] == ["Eigen bericht 0", "Eigen bericht 1"]
    assert first[1].media_count == 2
    # The page the rate limit stopped at is read from the start; the older page after it too.
    assert [p.text for p in rest] == [
        "Eigen bericht 0",
        "Eigen bericht 1",
        "Eigen bericht 2",
        "Eigen bericht 3",
    ]
    assert rest[-1].url == "https://bsky.app/profile/school.test/post/r3"
