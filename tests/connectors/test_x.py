"""The X connector against the X contract server (every request and answer checked against
../shared/oracles/x-openapi-2.167.json), signing in through the real loopback flow and keeping
its sign-in in a real Secret Service."""

from __future__ import annotations

import io
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PIL import Image

import connectors
from app.networks.connector import (
    CreditsUsedUp,
    OutgoingMedia,
    OutgoingPost,
    Reconnect,
    Rejected,
    RetryLater,
    UnknownOutcome,
)
from app.networks.registry import AccountAccess, SignInRequest
from app.site.config import Account
from connectors import x
from connectors.base import SignInOptions
from connectors.oauth import SignInFailed, Token
from connectors.secrets import SecretStore
from tests.servers.x_server import XServer

ACCOUNT = "x-test-account"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def browser_that_consents(url: str) -> bool:
    """The user's browser: the server consents at once and redirects to our loopback address."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}).start()
    return True


@pytest.fixture
def server():
    # Plain http on 127.0.0.1: the sign-in allows it for loopback addresses only.
    with XServer() as made:
        yield made


@pytest.fixture
def vault(secret_service):
    store = SecretStore()
    yield store
    store.delete(ACCOUNT)


def client_for(server: XServer, vault: SecretStore, port: int | None = None):
    app = x.XApp(server.client_id, port or free_port())
    return x.oauth_client(
        app,
        vault,
        ACCOUNT,
        api=server.base_url,
        authorize_url=server.base_url + "/i/oauth2/authorize",
        open_browser=browser_that_consents,
    )


@pytest.fixture
def connector(server, vault):
    client = client_for(server, vault)
    assert x.sign_in(client, api=server.base_url) == "@obs_de_regenboog"
    with x.XConnector(client, api=server.base_url, sleep=lambda _s: None) as made:
        yield made  # the server fails the test on any deviation from the document


def a_photo(tmp_path, name="foto.png") -> OutgoingMedia:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "PNG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return OutgoingMedia(str(path), "image/png", alt_text="Kinderen bij de moestuin")


def a_post(text="Vandaag openen we de moestuin!", media=()) -> OutgoingPost:
    return OutgoingPost("key-1", ACCOUNT, "OBS De Regenboog", text, tuple(media))


def test_sign_in_keeps_a_refresh_token_and_asks_the_needed_scopes(server, vault, connector):
    token = Token.from_secret(vault.read(ACCOUNT))
    assert token is not None and token.refresh_token
    granted = server.tokens[token.access_token].scopes
    assert {"tweet.write", "media.write", "offline.access", "follows.read"} <= granted


def test_text_post_gets_its_url_from_the_username(server, connector):
    published = connector.publish(a_post())
    assert published.url == f"https://x.com/obs_de_regenboog/status/{published.remote_id}"
    assert [p.text for p in server.stored_posts()] == ["Vandaag openen we de moestuin!"]


def test_photos_arrive_with_their_alt_text(server, connector, tmp_path):
    photos = [a_photo(tmp_path, f"f{i}.png") for i in range(4)]
    connector.publish(a_post(media=photos))
    stored = server.stored_posts()[0]
    assert len(stored.media_ids) == 4
    assert {server.media[m].alt_text for m in stored.media_ids} == {"Kinderen bij de moestuin"}


def test_five_photos_are_refused_before_anything_is_sent(server, connector, tmp_path):
    with pytest.raises(Rejected):
        connector.publish(a_post(media=[a_photo(tmp_path, f"f{i}.png") for i in range(5)]))
    assert server.stored_posts() == [] and server.media == {}


def test_video_goes_in_chunks_with_progress(server, connector, tmp_path, monkeypatch):
    monkeypatch.setattr(x, "CHUNK_SIZE", 1000)
    video = tmp_path / "film.mp4"
    video.write_bytes(bytes(range(256)) * 10)
    seen: list[tuple[int, int]] = []
    connector.on_progress = lambda done, total: seen.append((done, total))
    server.video_processing_polls = 2
    connector.publish(a_post(media=[OutgoingMedia(str(video), "video/mp4")]))
    stored = server.stored_posts()[0]
    assert server.media[stored.media_ids[0]].data == video.read_bytes()
    assert seen == [(0, 2560), (1000, 2560), (2000, 2560), (2560, 2560)]


def test_duplicate_403_finds_the_earlier_post_instead_of_failing(server, connector):
    first = connector.publish(a_post())
    again = connector.publish(a_post())
    assert again == first
    assert len(server.stored_posts()) == 1


def test_a_duplicate_of_an_older_post_is_refused_not_taken_for_this_one(server, connector):
    """A colleague placed the same text last week: X refuses it again, and Postwijs must not
    report last week's post as the one just placed."""
    server.add_post(
        "Vandaag openen we de moestuin!", created_at=datetime.now(UTC) - timedelta(days=6)
    )
    with pytest.raises(Rejected) as refused:
        connector.publish(a_post("Vandaag openen we de moestuin!"))
    assert str(refused.value).startswith("X weigert dit bericht omdat het account eerder precies")
    assert len(server.stored_posts()) == 1


def test_find_post_settles_an_unknown_outcome(server, connector):
    since = datetime.now(UTC)
    assert connector.find_post(a_post(), since) is None
    placed = server.add_post("Vandaag openen we de moestuin!")
    found = connector.find_post(a_post(), since)
    assert found is not None and found.remote_id == placed.id
    old = server.add_post("Oud bericht", created_at=since - timedelta(days=3))
    assert connector.find_post(a_post("Oud bericht"), since) is None
    assert old.id


def test_delete_and_follows(server, connector):
    published = connector.publish(a_post())
    connector.delete(published.remote_id)
    assert server.stored_posts() == []
    connector.delete(published.remote_id)  # already gone: nothing to do
    server.follow("juf_anne")
    server.follow("meester_bram")
    assert connector.list_follows() == ["@juf_anne", "@meester_bram"]


def test_rate_limit_says_when_to_try_again(server, connector):
    server.rate_limited_until = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=7)
    with pytest.raises(RetryLater) as raised:
        connector.publish(a_post())
    assert raised.value.not_before == server.rate_limited_until
    server.rate_limited_until = None


def test_usage_cap_holds_the_post_with_a_message_for_it(server, connector):
    server.cap_usage(True)
    with pytest.raises(CreditsUsedUp) as raised:
        connector.publish(a_post())
    assert not isinstance(raised.value, RetryLater)  # no blind retries every minute
    assert "ICT-beheerder" in str(raised.value) and "tegoed" in str(raised.value)
    assert server.stored_posts() == []


@pytest.mark.parametrize("plain", [False, True])
def test_duplicate_is_recognised_in_both_error_shapes(server, connector, plain):
    server.plain_errors = plain  # {code, message} instead of problem+json
    first = connector.publish(a_post())
    assert connector.publish(a_post()) == first
    assert len(server.stored_posts()) == 1


def test_an_unknown_problem_type_is_a_refusal_with_x_own_words(server, connector):
    body = {
        "type": "https://api.x.com/2/problems/something-new",
        "title": "Something New",
        "detail": "This account may not post right now.",
    }
    # A problem type X may add later: the document of today does not list it.
    server.expect_deviation("problems/something-new")
    server.fail_next("POST", r"/2/tweets$", 403, body, {"Content-Type": "application/problem+json"})
    with pytest.raises(Rejected) as raised:
        connector.publish(a_post())
    assert "This account may not post right now." in str(raised.value)
    assert server.stored_posts() == []


def test_a_server_fault_is_tried_again_later(server, connector):
    server.fail_next("POST", r"/2/tweets$", *server.fault(503))
    with pytest.raises(RetryLater):
        connector.publish(a_post())
    assert connector.publish(a_post()).remote_id


def test_a_connection_dropped_after_posting_is_settled_by_find_post(server, connector):
    since = datetime.now(UTC)
    server.drop_connection_after("POST", r"/2/tweets$")
    with pytest.raises(UnknownOutcome):
        connector.publish(a_post())
    found = connector.find_post(a_post(), since)
    assert found is not None and [p.id for p in server.stored_posts()] == [found.remote_id]


def test_expired_access_token_is_refreshed_and_the_new_refresh_token_stored(
    server, vault, connector
):
    before = Token.from_secret(vault.read(ACCOUNT))
    server.expire_tokens()
    connector.publish(a_post())
    after = Token.from_secret(vault.read(ACCOUNT))
    assert after.refresh_token != before.refresh_token
    assert before.refresh_token in server.used_refresh_tokens


def test_revoked_sign_in_means_reconnect(server, vault, connector):
    token = Token.from_secret(vault.read(ACCOUNT))
    server.revoke_token(token.access_token)
    server.refresh_tokens.clear()  # the user withdrew Postwijs's access in X's settings
    told: list[bool] = []
    connector.sign_in_needed = lambda: told.append(True)
    with pytest.raises(Reconnect):
        connector.publish(a_post())
    assert server.stored_posts() == [] and told == [True]


def test_a_taken_port_is_said_in_dutch(server, vault):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        client = client_for(server, vault, port=taken.getsockname()[1])
        with pytest.raises(SignInFailed) as raised:
            client.authorize(timeout=5)
    assert "bezet" in str(raised.value)


def test_a_code_older_than_30_seconds_is_refused(server, vault):
    def slow_browser(url: str) -> bool:
        def go():
            consent = requests.get(url, allow_redirects=False, timeout=10)
            server.advance(31)
            requests.get(consent.headers["Location"], timeout=10)

        threading.Thread(target=go).start()
        return True

    client = client_for(server, vault)
    client.open_browser = slow_browser
    with pytest.raises(SignInFailed):
        client.authorize(timeout=10)
    assert vault.read(ACCOUNT) is None


# --- through the registry, as the Accounts page uses it ----------------------------------------


def an_account(**fields) -> Account:
    return Account(ACCOUNT, "regenboog", "x", "OBS De Regenboog op X", "official", **fields)


def test_without_client_id_or_port_it_tells_it_what_to_configure():
    entry = connectors.networks()["x"]
    for account in (an_account(), an_account(client_id="abc"), an_account(redirect_port="99999")):
        problem = entry.configuration_problem(account)
        assert "client_id" in problem and "redirect_port" in problem
    assert entry.configuration_problem(an_account(client_id="abc", redirect_port="8765")) == ""


def test_sign_in_through_the_registry_refuses_another_account(server, vault):
    port = free_port()
    options = SignInOptions(open_browser=browser_that_consents, sign_in_timeout=10)
    account = an_account(
        client_id=server.client_id, redirect_port=str(port), handle="@iemand_anders"
    )
    access = AccountAccess(account, vault, None, lambda: {}, lambda: None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(x, "API", server.base_url)
        patch.setattr(x, "AUTHORIZE_URL", server.base_url + "/i/oauth2/authorize")
        with pytest.raises(SignInFailed, match="iemand_anders"):
            connectors.networks(options)["x"].sign_in(access, SignInRequest())
    assert vault.read(ACCOUNT) is None
