"""Signalen's reading side: mentions of, replies to and quotes of the school's account, read from
the Mastodon contract server and from the real Bluesky PDS (with an AppView behind it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.networks.connector import MentionKind, NotSupported, OutgoingPost, Reconnect, RetryLater
from connectors.bluesky import BlueskyConnector
from connectors.mastodon import SCOPES, MastodonConnector
from tests.servers.mastodon_server import MastodonServer
from tests.servers.pds_fixture import (  # noqa: F401  (fixtures)
    PdsServer,
    pds_server,
    pds_with_appview,
)

NOW = datetime.now(UTC)


# --- Mastodon ---------------------------------------------------------------------------------


@pytest.fixture
def mastodon():
    with MastodonServer() as server:
        token = server.issue_token(" ".join(SCOPES))
        connector = MastodonConnector(server.base_url, token_provider=lambda: token)
        yield server, connector
        connector.close()


def test_mastodon_reads_mentions_and_replies_page_by_page_until_since(mastodon):
    server, connector = mastodon
    own = server.add_status("Open dag op zaterdag!", NOW - timedelta(days=2))
    for n in range(95):
        server.add_mention("ouder", f"@juf bericht {n}", created_at=NOW - timedelta(hours=100 - n))
    reply = server.add_mention(
        "oudleerling", "@juf Wat leuk, ik kom!", reply_to=own.id, remote=True, created_at=NOW
    )
    server.add_mention("lang_geleden", "@juf oud", created_at=NOW - timedelta(days=200))

    mentions = connector.read_mentions(NOW - timedelta(days=30))

    assert len(mentions) == 96  # the old one lies before `since`
    newest = mentions[0]
    assert newest.remote_id == reply.id
    assert newest.kind is MentionKind.REPLY
    assert newest.author_handle == "@oudleerling@andere-school.example"
    assert newest.account == "@juf@school.example"
    assert newest.text == "@juf Wat leuk, ik kom!"
    assert newest.url.endswith(f"/@oudleerling/{reply.status_id}")
    assert mentions[1].kind is MentionKind.MENTION and mentions[1].text == "@juf bericht 94"
    assert [m.created_at for m in mentions] == sorted(
        (m.created_at for m in mentions), reverse=True
    )
    pages = server.requests_to("GET", "/api/v1/notifications")
    assert len(pages) == 2  # 97 notifications, 80 a page, the next page by the Link header
    assert all(page.query.get("types[]") == ["mention"] for page in pages)
    assert server.violations == []


def test_mastodon_mention_of_a_deleted_status_is_not_listed(mastodon):
    server, connector = mastodon
    kept = server.add_mention("ouder", "@juf blijft staan")
    gone = server.add_mention("ouder", "@juf weggehaald")
    server.delete_status_outside(gone.status_id)

    assert [m.remote_id for m in connector.read_mentions(NOW - timedelta(days=1))] == [kept.id]


def test_mastodon_rate_limit_on_mentions_is_retry_later_at_the_reset_moment(mastodon):
    server, connector = mastodon
    server.add_mention("ouder", "@juf hallo")
    reset = datetime.now(UTC) + timedelta(minutes=4)
    server.set_rate_limit(remaining=1, reset=reset)  # verify_credentials only

    with pytest.raises(RetryLater) as caught:
        connector.read_mentions(NOW - timedelta(days=1))

    assert abs((caught.value.not_before - reset).total_seconds()) < 1
    assert "te veel verzoeken" in str(caught.value)


def test_mastodon_token_without_notifications_scope_asks_to_sign_in_again():
    with MastodonServer() as server:
        token = server.issue_token("read:accounts read:statuses write:media write:statuses")
        server.expect_deviation("token lacks scope read:notifications")
        connector = MastodonConnector(server.base_url, token_provider=lambda: token)
        with connector, pytest.raises(Reconnect, match="Meld het account opnieuw aan bij Accounts"):
            connector.read_mentions(NOW - timedelta(days=1))


# --- Bluesky, on the real PDS -----------------------------------------------------------------


class MemorySession:
    def __init__(self) -> None:
        self.value = None

    def load(self):
        return self.value

    def save(self, session):
        self.value = dict(session) if session else None


def write_post(server: PdsServer, account: dict, text: str, at: datetime, **extra) -> dict:
    """A post made straight through the PDS's API, as the Bluesky app makes it; its uri and cid."""
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": at.isoformat(), **extra}
    answer = server.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        account["accessJwt"],
        json={"repo": account["did"], "collection": "app.bsky.feed.post", "record": record},
    )
    assert answer.status_code == 200, answer.text
    return {"uri": answer.json()["uri"], "cid": answer.json()["cid"]}


def mention_facet(text: str, handle: str, did: str) -> list[dict]:
    start = text.encode().index(f"@{handle}".encode())
    end = start + len(f"@{handle}".encode())
    return [
        {
            "index": {"byteStart": start, "byteEnd": end},
            "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
        }
    ]


def school_connector(server: PdsServer, handle: str) -> tuple[dict, BlueskyConnector]:
    account = server.create_account(handle)
    password = server.create_app_password(account["accessJwt"], "Postwijs")
    return account, BlueskyConnector(handle, lambda: password, MemorySession(), service=server.url)


def test_bluesky_reads_mentions_replies_and_quotes_from_a_second_account(pds_with_appview):  # noqa: F811
    server, appview = pds_with_appview
    school, connector = school_connector(server, "signalen.test")
    other = server.create_account("ouder.test")
    with connector:
        placed = connector.publish(
            OutgoingPost(client_key="s1", account_id="acc", account_name="School", text="Open dag!")
        )
        got = server.xrpc(
            "GET",
            "com.atproto.repo.getRecord",
            params={
                "repo": school["did"],
                "collection": "app.bsky.feed.post",
                "rkey": placed.remote_id.rsplit("/", 1)[1],
            },
        ).json()
        subject = {"uri": got["uri"], "cid": got["cid"]}
        start = datetime.now(UTC) - timedelta(hours=3)
        text = "Goed bezig @signalen.test, dank!"
        mention = write_post(
            server, other, text, start, facets=mention_facet(text, "signalen.test", school["did"])
        )
        reply = write_post(
            server,
            other,
            "Wat leuk, wij komen",
            start + timedelta(hours=1),
            reply={"root": subject, "parent": subject},
        )
        quote = write_post(
            server,
            other,
            "Kijk hier eens naar",
            start + timedelta(hours=2),
            embed={"$type": "app.bsky.embed.record", "record": subject},
        )
        write_post(server, other, "Iets heel anders", start)
        write_post(
            server,
            other,
            "@signalen.test te oud",
            start - timedelta(days=40),
            facets=mention_facet("@signalen.test te oud", "signalen.test", school["did"]),
        )

        mentions = connector.read_mentions(start - timedelta(days=30))

    assert [(m.remote_id, m.kind) for m in mentions] == [
        (quote["uri"], MentionKind.QUOTE),
        (reply["uri"], MentionKind.REPLY),
        (mention["uri"], MentionKind.MENTION),
    ]
    assert {m.author_handle for m in mentions} == {"@ouder.test"}
    assert mentions[2].text == text
    assert mentions[0].account == "@signalen.test"
    rkey = quote["uri"].rsplit("/", 1)[1]
    assert mentions[0].url == f"https://bsky.app/profile/ouder.test/post/{rkey}"
    assert appview.calls[-1]["reasons"] == ["mention", "reply", "quote"]
    assert appview.deviations == []


def test_bluesky_mentions_page_by_cursor_and_a_rate_limit_is_retry_later(pds_with_appview):  # noqa: F811
    server, appview = pds_with_appview
    school, connector = school_connector(server, "veelgenoemd.test")
    other = server.create_account("fan.test")
    start = datetime.now(UTC) - timedelta(days=1)
    for n in range(105):
        text = f"@veelgenoemd.test nummer {n}"
        write_post(
            server,
            other,
            text,
            start + timedelta(minutes=n),
            facets=mention_facet(text, "veelgenoemd.test", school["did"]),
        )
    with connector:
        appview.rate_limit_next(1)
        with pytest.raises(RetryLater) as caught:
            connector.read_mentions(start - timedelta(days=1))
        mentions = connector.read_mentions(start - timedelta(days=1))

    # Not before the AppView's Retry-After (90 s); the PDS adds its own window's reset as well.
    assert (caught.value.not_before - datetime.now(UTC)).total_seconds() > 80
    assert len(mentions) == 105
    assert mentions[0].text == "@veelgenoemd.test nummer 104"
    assert [c.get("cursor") for c in appview.calls[-2:]] == [None, ["100"]]


def test_bluesky_pds_without_an_appview_says_it_cannot_list_mentions(pds_server):  # noqa: F811
    _school, connector = school_connector(pds_server, "zonderappview.test")
    with connector, pytest.raises(NotSupported, match="geen AppView"):
        connector.read_mentions(datetime.now(UTC) - timedelta(days=1))
