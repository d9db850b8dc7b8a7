"""The Bluesky connector: facets and errors on their own, then everything against a real PDS
(@atproto/pds with its own PLC directory, on loopback; tests/servers/pds_fixture.py). What the
connector wrote is read back from the PDS itself (getRecord, the PDS's session table)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import threading
import time
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from keyring.errors import KeyringError

from app.networks.connector import (
    CannotLookBack,
    OutgoingMedia,
    OutgoingPost,
    PublishedPost,
    Reconnect,
    Rejected,
    RetryLater,
)
from app.networks.profiles import BLUESKY
from connectors import bluesky
from connectors.bluesky import (
    BlueskyConnector,
    RecordUri,
    Session,
    VaultCredentials,
    build_facets,
    classify_bluesky,
    find_entities,
    normalise_identifier,
    normalise_service,
    vault_connector,
)
from connectors.secrets import SecretStore
from tests.servers.pds_fixture import PdsServer, pds_server  # noqa: F401  (a fixture)

APP_PASSWORD_NAME = "Postwijs"


# --- test helpers -------------------------------------------------------------------------------


@dataclass
class CountingStore:
    """A session store in memory that counts what the connector does with it."""

    stored: dict | None = None
    loads: int = 0
    saves: list[dict | None] = field(default_factory=list)

    def load(self) -> Mapping[str, Any] | None:
        self.loads += 1
        return dict(self.stored) if self.stored else None

    def save(self, session: Mapping[str, Any] | None) -> None:
        self.saves.append(dict(session) if session else None)
        self.stored = dict(session) if session else None


def png(path: Path, width: int, height: int) -> Path:
    """A PNG of noise (it does not compress, so the size is real), written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def response(status: int, body: object = None, headers: dict | None = None) -> requests.Response:
    """An HTTP answer as requests gives it, for the error mapping on its own."""
    answer = requests.Response()
    answer.status_code = status
    answer._content = json.dumps(body).encode() if body is not None else b""
    answer.headers.update(headers or {})
    answer.request = requests.Request("POST", "https://pds.example/xrpc/x").prepare()
    return answer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def expired_copy(token: str, secret: str) -> str:
    """The same access token, expired an hour ago, signed with the PDS's own secret: what a
    laptop that slept through the token's two hours holds."""
    header, payload, _signature = token.split(".")
    claims = json.loads(_unb64(payload))
    now = int(time.time())
    claims["iat"], claims["exp"] = now - 3 * 3600, now - 3600
    signing_input = f"{header}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def utf8_slice(text: str, index: dict) -> str:
    return text.encode("utf-8")[index["byteStart"] : index["byteEnd"]].decode("utf-8")


# --- links, mentions, hashtags ------------------------------------------------------------------


ENTITY_CASES = [
    ("Kijk op scoh.nl/nieuws voor meer.", [("link", "scoh.nl/nieuws", "https://scoh.nl/nieuws")]),
    ("Het rooster staat op www.scoh.nl.", [("link", "www.scoh.nl", "https://www.scoh.nl")]),
    (
        "Lees https://www.scoh.nl/nieuws?id=12, echt!",
        [("link", "https://www.scoh.nl/nieuws?id=12", "https://www.scoh.nl/nieuws?id=12")],
    ),
    ("(zie scoh.nl)", [("link", "scoh.nl", "https://scoh.nl")]),
    (
        "Uitleg: https://nl.wikipedia.org/wiki/Sint_(feest).",
        [
            (
                "link",
                "https://nl.wikipedia.org/wiki/Sint_(feest)",
                "https://nl.wikipedia.org/wiki/Sint_(feest)",
            )
        ],
    ),
    (
        "Dank aan @juf-anna.bsky.social!",
        [("mention", "@juf-anna.bsky.social", "juf-anna.bsky.social")],
    ),
    ("Met @Meester-Bram.test en anderen", [("mention", "@Meester-Bram.test", "meester-bram.test")]),
    ("Wat een dag! #Koningsspelen", [("tag", "#Koningsspelen", "Koningsspelen")]),
    ("Groep acht won. #groep8!", [("tag", "#groep8", "groep8")]),
    # Not a link, mention or hashtag:
    ("Mail naar info@scoh.nl of jan.jansen@scoh.nl.", []),
    ("Dit gaat o.a. over d.w.z. de regels, bijv. foto.jpg openen.", []),
    ("Zie ook info.school@example.org", []),
    ("Wij werden #1 van de regio en #2024 was mooi.", []),
    ("Contact via @juf of via email@juf.nl", []),
    ("De prijs was 100%#korting", []),
    ("Een keycap #️⃣ is geen hashtag", []),
    ("https:// alleen", []),
]


@pytest.mark.parametrize(("text", "expected"), ENTITY_CASES)
def test_finds_links_mentions_and_hashtags_in_dutch_posts(text, expected):
    found = [(e.kind, text[e.start : e.end], e.value) for e in find_entities(text)]
    assert found == expected


def test_facets_have_utf8_byte_offsets_when_characters_before_are_not_ascii():
    text = "Café 🎉 op scoh.nl/nieuws met @juf-anna.test #feest"
    facets = build_facets(text, {"juf-anna.test": "did:plc:anna"}.get)
    assert [f["index"] for f in facets] == [
        {"byteStart": 14, "byteEnd": 28},
        {"byteStart": 33, "byteEnd": 47},
        {"byteStart": 48, "byteEnd": 54},
    ]
    assert [utf8_slice(text, f["index"]) for f in facets] == [
        "scoh.nl/nieuws",
        "@juf-anna.test",
        "#feest",
    ]
    assert [f["features"] for f in facets] == [
        [{"$type": "app.bsky.richtext.facet#link", "uri": "https://scoh.nl/nieuws"}],
        [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:anna"}],
        [{"$type": "app.bsky.richtext.facet#tag", "tag": "feest"}],
    ]


def test_a_mention_that_does_not_resolve_gets_no_facet():
    facets = build_facets("Groeten van @onbekend.test en scoh.nl", lambda handle: None)
    assert [f["features"][0]["$type"] for f in facets] == ["app.bsky.richtext.facet#link"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=300))
def test_facets_never_crash_and_always_point_inside_the_text(text):
    facets = build_facets(text, lambda handle: "did:plc:x")
    size = len(text.encode("utf-8", "surrogatepass"))
    previous_end = 0
    for facet in facets:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        assert previous_end <= start < end <= size
        previous_end = end


@settings(max_examples=150, deadline=None)
@given(
    # No dots before the entity: "a.aaa" is a real domain (.aaa is a top-level domain).
    st.text(alphabet="aé🎉 \n,", max_size=20),
    st.sampled_from(["scoh.nl/nieuws", "https://www.scoh.nl", "@juf.test", "#feest"]),
    st.text(alphabet="aé🎉 \n", max_size=20),
)
def test_an_entity_between_any_words_is_found_at_its_bytes(before, entity, after):
    text = f"{before} {entity} {after}"
    facets = build_facets(text, lambda handle: "did:plc:x")
    assert [utf8_slice(text, f["index"]) for f in facets] == [entity]


@pytest.mark.timeout(60)  # a hang guard, not a measurement: backtracking would take hours
def test_long_pastes_are_handled():
    texts = [
        "a." * 50_000 + "@",
        " a.a.a.a@" * 11_000,
        "#1" * 50_000,
        "https://x.nl/" + ")" * 99_000,
    ]
    for text in texts:
        size = len(text.encode("utf-8"))
        for facet in build_facets(text, lambda handle: None):
            index = facet["index"]
            assert 0 <= index["byteStart"] < index["byteEnd"] <= size


# --- addresses and stored sessions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("bsky.social", "https://bsky.social"),
        ("https://bsky.social/", "https://bsky.social"),
        ("http://pds.example.org", "https://pds.example.org"),  # no tokens in clear text
        ("http://127.0.0.1:2583/xrpc", "http://127.0.0.1:2583"),
        ("HTTPS://PDS.Example.org:443", "https://pds.example.org"),
    ],
)
def test_normalises_the_service_address(typed, expected):
    assert normalise_service(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "ftp://bsky.social", "https://user@bsky.social", "pds school.nl", "bsky"]
)
def test_refuses_what_is_no_service_address_in_dutch(typed):
    # The sentence reaches the Accounts page: it says what to do, in Dutch.
    with pytest.raises(ValueError, match="Vraag de ICT-beheerder het adres van de Bluesky-server"):
        normalise_service(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("@Juf-Anna.bsky.social", "juf-anna.bsky.social"),
        ("  juf-anna.bsky.social ", "juf-anna.bsky.social"),
        ("Anna@School.nl", "Anna@School.nl"),
    ],
)
def test_normalises_the_identifier(typed, expected):
    assert normalise_identifier(typed) == expected


def test_record_uri_is_parsed_and_malformed_ones_refused():
    assert RecordUri.parse("at://did:plc:abc/app.bsky.feed.post/3kx") == RecordUri(
        "did:plc:abc", "app.bsky.feed.post", "3kx"
    )
    for wrong in ("", "https://bsky.app/profile/x/post/3kx", "at://did:plc:abc/app.bsky.feed.post"):
        with pytest.raises(ValueError):
            RecordUri.parse(wrong)


def test_a_session_never_shows_its_tokens():
    session = Session("geheim-toegang", "geheim-vernieuwing", "did:plc:abc", "juf.test")
    assert "geheim" not in repr(session)
    assert Session.from_dict(session.to_dict()) == session
    assert (
        Session.from_dict({"accessJwt": "a", "refreshJwt": "b", "did": "x", "handle": "h"}) is None
    )
    assert Session.from_dict(None) is None


def test_vault_credentials_keep_the_app_password_beside_the_session():
    vault: dict[str, dict] = {}
    credentials = VaultCredentials(lambda: vault.get("entry"), lambda new: vault.update(entry=new))
    credentials.set_app_password("abcd-efgh-ijkl-mnop")
    assert credentials.app_password() == "abcd-efgh-ijkl-mnop"
    assert credentials.load() is None
    credentials.save({"accessJwt": "a"})
    assert credentials.load() == {"accessJwt": "a"}
    assert credentials.app_password() == "abcd-efgh-ijkl-mnop"


# --- the error mapping ------------------------------------------------------------------------------


def test_429_with_ratelimit_headers_is_retry_later_at_the_reset_moment():
    reset = int(time.time()) + 300
    error = classify_bluesky(
        response(
            429,
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            {"ratelimit-limit": "30", "ratelimit-remaining": "0", "ratelimit-reset": str(reset)},
        ),
        "Bluesky",
    )
    assert isinstance(error, RetryLater)
    assert error.not_before == datetime.fromtimestamp(reset, UTC)


@pytest.mark.parametrize(
    ("status", "body", "kind", "words"),
    [
        (
            413,
            {"error": "PayloadTooLarge", "message": "request entity too large"},
            Rejected,
            "kleiner",
        ),
        (
            400,
            {"error": "InvalidRequest", "message": "Record/text too long"},
            Rejected,
            "Record/text too long",
        ),
        (
            401,
            {"error": "AuthFactorTokenRequired", "message": "A sign in code"},
            Reconnect,
            "app-wachtwoord",
        ),
        (400, {"error": "ExpiredToken", "message": "Token has expired"}, Reconnect, "opnieuw aan"),
        (
            400,
            {"error": "InvalidToken", "message": "Token could not be verified"},
            Reconnect,
            "opnieuw aan",
        ),
        (401, {"error": "AccountTakedown", "message": "taken down"}, Rejected, "geblokkeerd"),
        (502, {"error": "UpstreamFailure", "message": "bad gateway"}, RetryLater, "storing"),
    ],
)
def test_xrpc_errors_map_to_the_closed_set(status, body, kind, words):
    error = classify_bluesky(response(status, body), "Bluesky")
    assert type(error) is kind or isinstance(error, kind)
    assert words in str(error)


# --- against a real PDS ---------------------------------------------------------------------------


@dataclass
class Accounts:
    anna: dict  # createAccount's answer: did, handle, accessJwt (her main sign-in)
    bram: dict
    app_password: str


@pytest.fixture(scope="module")
def accounts(pds_server: PdsServer) -> Accounts:  # noqa: F811
    anna = pds_server.create_account("juf-anna.test")
    bram = pds_server.create_account("meester-bram.test")
    password = pds_server.create_app_password(anna["accessJwt"], APP_PASSWORD_NAME)
    return Accounts(anna, bram, password)


def connector_for(
    server: PdsServer | AppViewPds,
    store: CountingStore,
    password: str | None,
    handle: str = "@Juf-Anna.test",
) -> BlueskyConnector:
    return BlueskyConnector(handle, lambda: password, store, service=server.url)


class BrokenStore:
    """A session store whose vault fails as keyring's backends do, or with a programming error."""

    def __init__(self, error: Exception):
        self.error = error

    def load(self) -> Mapping[str, Any] | None:
        raise self.error

    def save(self, session: Mapping[str, Any] | None) -> None:
        raise self.error


def test_a_failing_keyring_behind_the_session_store_means_try_again_later():
    store = BrokenStore(KeyringError("D-Bus: the Secret Service went away"))
    connector = BlueskyConnector("juf.test", lambda: "abcd-efgh-ijkl-mnop", store)
    with connector, pytest.raises(RetryLater, match="nu niet lezen"):
        connector.who_am_i()


def test_a_programming_error_in_the_session_store_is_not_hidden_as_try_again_later():
    store = BrokenStore(AttributeError("'NoneType' object has no attribute 'get'"))
    connector = BlueskyConnector("juf.test", lambda: "abcd-efgh-ijkl-mnop", store)
    with connector, pytest.raises(AttributeError):
        connector.who_am_i()


def get_record(server: PdsServer, uri: str) -> requests.Response:
    target = RecordUri.parse(uri)
    return server.xrpc(
        "GET",
        "com.atproto.repo.getRecord",
        params={"repo": target.repo, "collection": target.collection, "rkey": target.rkey},
    )


def test_the_server_started_in_reasonable_time(pds_server):  # noqa: F811
    assert pds_server.startup_seconds < 30, pds_server.startup_seconds


def test_publishes_a_post_with_images_alt_text_links_and_a_mention(
    pds_server,  # noqa: F811
    accounts,
    tmp_path,
):
    text = (
        "Café 🎉 Koningsspelen bij De Regenboog! Foto's op scoh.nl/nieuws en "
        "https://www.scoh.nl/agenda. Dank @meester-bram.test en @nietbestaand.test #Koningsspelen"
    )
    photo1 = png(tmp_path / "klas.png", 320, 240)
    photo2 = png(tmp_path / "plein.png", 180, 240)
    post = OutgoingPost(
        "sleutel-1",
        "account-1",
        "@juf-anna.test",
        text,
        media=(
            OutgoingMedia(str(photo1), "image/png", "Kinderen rennen over het plein", 320, 240),
            OutgoingMedia(str(photo2), "image/png", "", 180, 240),
        ),
    )
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        started = datetime.now(UTC)
        published = connector.publish(post)

        target = RecordUri.parse(published.remote_id)
        assert target.repo == accounts.anna["did"]
        assert target.collection == "app.bsky.feed.post"
        assert published.url == f"https://bsky.app/profile/juf-anna.test/post/{target.rkey}"

        answer = get_record(pds_server, published.remote_id)
        assert answer.status_code == 200, answer.text
        record = answer.json()["value"]
        assert record["$type"] == "app.bsky.feed.post"
        assert record["text"] == text
        assert record["langs"] == ["nl"]
        assert abs(datetime.fromisoformat(record["createdAt"]) - started) < timedelta(minutes=1)
        assert [(utf8_slice(text, f["index"]), f["features"]) for f in record["facets"]] == [
            (
                "scoh.nl/nieuws",
                [{"$type": "app.bsky.richtext.facet#link", "uri": "https://scoh.nl/nieuws"}],
            ),
            (
                "https://www.scoh.nl/agenda",
                [{"$type": "app.bsky.richtext.facet#link", "uri": "https://www.scoh.nl/agenda"}],
            ),
            (
                "@meester-bram.test",
                [{"$type": "app.bsky.richtext.facet#mention", "did": accounts.bram["did"]}],
            ),
            ("#Koningsspelen", [{"$type": "app.bsky.richtext.facet#tag", "tag": "Koningsspelen"}]),
        ]
        # Byte offsets differ from character offsets here: "é" and "🎉" come first.
        link = record["facets"][0]["index"]
        assert link["byteStart"] == text.index("scoh.nl") + 1 + 3

        embed = record["embed"]
        assert embed["$type"] == "app.bsky.embed.images"
        images = embed["images"]
        assert [image["alt"] for image in images] == ["Kinderen rennen over het plein", ""]
        assert [image["aspectRatio"] for image in images] == [
            {"width": 320, "height": 240},
            {"width": 180, "height": 240},
        ]
        assert [(i["image"]["mimeType"], i["image"]["size"]) for i in images] == [
            ("image/png", photo1.stat().st_size),
            ("image/png", photo2.stat().st_size),
        ]
        for image in images:
            blob = pds_server.xrpc(
                "GET",
                "com.atproto.sync.getBlob",
                params={"did": target.repo, "cid": image["image"]["ref"]["$link"]},
            )
            assert blob.status_code == 200
        assert blob.content == photo2.read_bytes()

        assert connector.find_post(post, since=started) == published
        assert connector.find_post(post, since=started - timedelta(hours=30)) == published
        assert connector.find_post(post, since=datetime.now(UTC) + timedelta(hours=1)) is None
        assert connector.find_post(OutgoingPost("x", "a", "n", text + " anders"), started) is None

        connector.delete(published.remote_id)
        gone = get_record(pds_server, published.remote_id)
        assert gone.status_code == 400
        assert gone.json()["error"] == "RecordNotFound"
        assert connector.find_post(post, since=started) is None
        connector.delete(published.remote_id)  # already gone: no error


def test_find_post_says_it_cannot_look_back_when_its_pages_do_not_reach_the_first_attempt(
    pds_server,  # noqa: F811
    accounts,
    monkeypatch,
):
    # Two pages of two instead of four of fifty, so the PDS needs five posts, not two hundred.
    monkeypatch.setattr(bluesky, "FIND_POST_PAGE_SIZE", 2)
    monkeypatch.setattr(bluesky, "FIND_POST_PAGES", 2)
    with connector_for(pds_server, CountingStore(), accounts.app_password) as connector:
        since = datetime.now(UTC)
        ours = OutgoingPost("diep-1", "a", "n", "De schoolfotograaf komt op dinsdag.")
        published = [connector.publish(ours)]
        for number in range(4):
            later = OutgoingPost(f"diep-{number + 2}", "a", "n", f"Mededeling {number}.")
            published.append(connector.publish(later))
        try:
            with pytest.raises(CannotLookBack, match="Kijk zelf op het account"):
                connector.find_post(ours, since)
            monkeypatch.setattr(bluesky, "FIND_POST_PAGES", 3)
            assert connector.find_post(ours, since) == published[0]
        finally:
            for post in published:
                connector.delete(post.remote_id)


def test_a_session_is_reused_across_posts_and_runs(pds_server, accounts):  # noqa: F811
    before = pds_server.sessions_made(accounts.anna["did"], APP_PASSWORD_NAME)
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        first = connector.publish(OutgoingPost("k1", "a", "n", "Eerste bericht van vandaag."))
        second = connector.publish(OutgoingPost("k2", "a", "n", "Tweede bericht van vandaag."))
    assert len(store.saves) == 1  # one createSession
    # The session names the account's own PDS (from its DID document), as bsky.social's do.
    assert store.stored["pds"] == pds_server.url
    assert store.stored["did"] == accounts.anna["did"]
    # A later run of Postwijs finds the session in the vault and signs in no more.
    with connector_for(pds_server, store, accounts.app_password) as connector:
        assert connector.who_am_i() == "@juf-anna.test"
        connector.delete(first.remote_id)
        connector.delete(second.remote_id)
    assert len(store.saves) == 1
    assert pds_server.sessions_made(accounts.anna["did"], APP_PASSWORD_NAME) == before + 1


def test_an_expired_access_token_is_refreshed_and_the_post_placed(pds_server, accounts):  # noqa: F811
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        connector.connect()
    old = dict(store.stored)
    store.stored["accessJwt"] = expired_copy(old["accessJwt"], pds_server.jwt_secret)
    # What the PDS says to such a token: the network's documented 400 ExpiredToken.
    answer = pds_server.xrpc("GET", "com.atproto.server.getSession", store.stored["accessJwt"])
    assert (answer.status_code, answer.json()["error"]) == (400, "ExpiredToken")

    before = pds_server.sessions_made(accounts.anna["did"], APP_PASSWORD_NAME)
    with connector_for(pds_server, store, "wrong-on-purpose") as connector:
        # The app password is not needed: a refresh is not a new sign-in.
        # The first call with the token resolves the mention: it must not be lost.
        text = "Na de vakantie weer open, met @meester-bram.test."
        published = connector.publish(OutgoingPost("k3", "a", "n", text))
        record = get_record(pds_server, published.remote_id).json()["value"]
        connector.delete(published.remote_id)
    assert record["facets"][0]["features"] == [
        {"$type": "app.bsky.richtext.facet#mention", "did": accounts.bram["did"]}
    ]
    assert len(store.saves) == 2
    # Both tokens were replaced (an access token made in the same second as the first one can
    # be byte-for-byte the same; it is a good one either way).
    assert store.stored["refreshJwt"] != old["refreshJwt"]
    fresh = pds_server.xrpc("GET", "com.atproto.server.getSession", store.stored["accessJwt"])
    assert fresh.status_code == 200
    assert pds_server.sessions_made(accounts.anna["did"], APP_PASSWORD_NAME) == before + 1


def test_a_token_the_server_does_not_know_leads_to_one_new_sign_in(pds_server, accounts):  # noqa: F811
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        connector.connect()
    store.stored["accessJwt"] = "rommel.rommel.rommel"
    store.stored["refreshJwt"] = "rommel.rommel.rommel"
    answer = pds_server.xrpc("GET", "com.atproto.server.getSession", "rommel.rommel.rommel")
    assert (answer.status_code, answer.json()["error"]) == (400, "InvalidToken")
    with connector_for(pds_server, store, accounts.app_password) as connector:
        assert connector.who_am_i() == "@juf-anna.test"
    assert store.saves[-2:] == [None, store.stored]  # forgotten, then a fresh session
    assert store.stored["accessJwt"] != "rommel.rommel.rommel"


def test_an_expired_token_with_a_revoked_refresh_token_signs_in_again(pds_server, accounts):  # noqa: F811
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        connector.connect()
    ended = pds_server.xrpc("POST", "com.atproto.server.deleteSession", store.stored["refreshJwt"])
    assert ended.status_code == 200
    store.stored["accessJwt"] = expired_copy(store.stored["accessJwt"], pds_server.jwt_secret)
    with connector_for(pds_server, store, accounts.app_password) as connector:
        assert connector.who_am_i() == "@juf-anna.test"
    assert store.saves[-2:] == [None, store.stored]


def test_a_revoked_session_without_an_app_password_means_reconnect(pds_server, accounts):  # noqa: F811
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        connector.connect()
    store.stored["accessJwt"] = expired_copy(store.stored["accessJwt"], pds_server.jwt_secret)
    store.stored["refreshJwt"] = "rommel"
    with connector_for(pds_server, store, None) as connector, pytest.raises(Reconnect) as caught:
        connector.who_am_i()
    assert "Meld het account opnieuw aan" in str(caught.value)
    assert store.stored is None


def test_a_wrong_app_password_means_reconnect_without_revealing_it(pds_server, accounts):  # noqa: F811
    store = CountingStore()
    with (
        connector_for(pds_server, store, "aaaa-bbbb-cccc-dddd") as connector,
        pytest.raises(Reconnect) as caught,
    ):
        connector.connect()
    assert "app-wachtwoord" in str(caught.value)
    assert "aaaa-bbbb-cccc-dddd" not in str(caught.value)
    assert store.saves == []


def test_an_app_password_typed_in_capitals_still_signs_in(pds_server, accounts):  # noqa: F811
    store = CountingStore()
    typed = f"  {accounts.app_password.upper()} "
    with connector_for(pds_server, store, typed) as connector:
        assert connector.connect() == "@juf-anna.test"


def test_the_main_password_is_refused_before_it_is_sent(pds_server, accounts):  # noqa: F811
    before = pds_server.sessions_made(accounts.anna["did"])
    store = CountingStore()
    with (
        connector_for(pds_server, store, "MijnGewoneWachtwoord2024!") as connector,
        pytest.raises(Reconnect) as caught,
    ):
        connector.connect()
    assert "app-wachtwoord aan" in str(caught.value)
    assert "MijnGewoneWachtwoord2024!" not in str(caught.value)
    assert pds_server.sessions_made(accounts.anna["did"]) == before


def test_lists_the_accounts_followed_as_handles_across_pages(pds_server, accounts):  # noqa: F811
    anna = accounts.anna
    unknown = [f"did:plc:{n:024d}".replace("0", "a").replace("1", "b") for n in range(120)]
    writes = [
        {
            "$type": "com.atproto.repo.applyWrites#create",
            "collection": "app.bsky.graph.follow",
            "value": {
                "$type": "app.bsky.graph.follow",
                "subject": subject,
                "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            },
        }
        for subject in [accounts.bram["did"], *unknown]
    ]
    answer = pds_server.xrpc(
        "POST",
        "com.atproto.repo.applyWrites",
        anna["accessJwt"],
        json={"repo": anna["did"], "writes": writes},
    )
    assert answer.status_code == 200, answer.text
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        follows = connector.list_follows()
    # 121 records take two pages of 100; one account lives on this PDS, the others nowhere.
    assert len(follows) == 121
    assert "@meester-bram.test" in follows
    assert sorted(f for f in follows if f.startswith("did:")) == sorted(set(unknown))


class AppViewPds(ThreadingHTTPServer):
    """A PDS with an AppView behind it, which the test PDS has not: getProfiles answers 400
    ExpiredToken to the first access token and the profiles to the refreshed one. Only the calls
    list_follows makes; it records what it was asked."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), AppViewHandler)
        self.calls: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class AppViewHandler(BaseHTTPRequestHandler):
    server: AppViewPds

    def log_message(self, *args) -> None:
        pass

    def answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        nsid = urlsplit(self.path).path.removeprefix("/xrpc/")
        token = self.headers.get("Authorization", "")
        self.server.calls.append(f"{nsid} {token}")
        if nsid == "com.atproto.server.refreshSession" and token == "Bearer vernieuw-1":
            tokens = {"accessJwt": "toegang-2", "refreshJwt": "vernieuw-2"}
            self.answer(200, {**tokens, "did": "did:plc:anna", "handle": "juf-anna.test"})
        elif nsid == "com.atproto.repo.listRecords":
            follow = {"subject": "did:plc:noor", "$type": "app.bsky.graph.follow"}
            self.answer(200, {"records": [{"uri": "at://x/y/z", "value": follow}]})
        elif nsid == "app.bsky.actor.getProfiles" and token == "Bearer toegang-2":
            self.answer(200, {"profiles": [{"did": "did:plc:noor", "handle": "noor.bsky.social"}]})
        elif nsid == "app.bsky.actor.getProfiles":
            self.answer(400, {"error": "ExpiredToken", "message": "Token has expired"})
        else:
            self.answer(404, {"error": "MethodNotImplemented", "message": nsid})


def test_an_expired_token_is_not_taken_for_a_server_without_appview():
    # getProfiles answers 400 both for an expired token and on a PDS without AppView; only the
    # latter may send list_follows to its describeRepo fallback.
    server = AppViewPds()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tokens = {"accessJwt": "toegang-1", "refreshJwt": "vernieuw-1"}
        store = CountingStore({**tokens, "did": "did:plc:anna", "handle": "juf-anna.test"})
        with connector_for(server, store, None) as connector:
            assert connector.list_follows() == ["@noor.bsky.social"]
    finally:
        server.shutdown()
        server.server_close()
    assert store.stored["refreshJwt"] == "vernieuw-2"
    assert not any("describeRepo" in call for call in server.calls)


def test_too_many_or_too_large_images_are_refused_before_anything_is_sent(
    pds_server,  # noqa: F811
    accounts,
    tmp_path,
):
    photo = png(tmp_path / "foto.png", 16, 16)
    big = tmp_path / "groot.png"
    big.write_bytes(b"\x89PNG" + b"\x00" * 2_000_001)
    cases = [
        ((OutgoingMedia(str(photo), "image/png"),) * 5, "Kies hoogstens 4 foto's"),
        ((OutgoingMedia(str(big), "image/png"),), "Maak het bestand groot.png kleiner"),
        ((OutgoingMedia(str(photo), "video/mp4"),), "video"),
        ((OutgoingMedia(str(tmp_path / "weg.png"), "image/png"),), "opnieuw toe"),
    ]
    store = CountingStore()
    with connector_for(pds_server, store, accounts.app_password) as connector:
        for media, words in cases:
            with pytest.raises(Rejected) as caught:
                connector.publish(OutgoingPost("k", "a", "n", "Foto's van de dag.", media=media))
            assert words in str(caught.value)
        with pytest.raises(Rejected) as caught:
            connector.publish(OutgoingPost("k", "a", "n", "Lang verhaal. " * 30))
        assert str(caught.value) == BLUESKY.measure("Lang verhaal. " * 30).violations[0]
    assert store.loads == 0 and store.saves == []  # no session was even looked at


def test_too_many_sign_ins_are_retry_later_at_the_servers_moment(pds_server):  # noqa: F811
    # The PDS allows 30 sign-ins per 5 minutes per identifier and answers each refused one after
    # 350 ms, so the first 30 are sent at once; the connector's next one meets the real 429.
    def sign_in(_attempt: int) -> int:
        return pds_server.xrpc(
            "POST",
            "com.atproto.server.createSession",
            json={"identifier": "wie-ben-ik.test", "password": "aaaa-bbbb-cccc-dddd"},
        ).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        assert set(pool.map(sign_in, range(30))) == {401}
    store = CountingStore()
    with (
        connector_for(pds_server, store, "aaaa-bbbb-cccc-dddd", "wie-ben-ik.test") as connector,
        pytest.raises(RetryLater) as caught,
    ):
        connector.connect()
    not_before = caught.value.not_before
    assert not_before is not None
    now = datetime.now(UTC)
    assert now < not_before <= now + timedelta(minutes=5, seconds=5)
    assert "later opnieuw" in str(caught.value)


def test_session_and_app_password_live_in_the_password_vault(
    pds_server,  # noqa: F811
    accounts,
    secret_service,
):
    vault = SecretStore()
    VaultCredentials(
        lambda: vault.read("bsky-1"), lambda e: vault.write("bsky-1", e)
    ).set_app_password(accounts.app_password)
    with vault_connector("bsky-1", "juf-anna.test", vault, service=pds_server.url) as connector:
        assert connector.connect() == "@juf-anna.test"
    entry = vault.read("bsky-1")
    assert entry["appPassword"] == accounts.app_password
    assert entry["session"]["did"] == accounts.anna["did"]
    with vault_connector("bsky-1", "juf-anna.test", vault, service=pds_server.url) as connector:
        published = connector.publish(OutgoingPost("k", "a", "n", "Bericht via de kluis."))
        connector.disconnect()
    assert isinstance(published, PublishedPost)
    assert "session" not in vault.read("bsky-1")
    # The session's refresh token no longer works at the PDS.
    refresh = entry["session"]["refreshJwt"]
    assert pds_server.xrpc("POST", "com.atproto.server.refreshSession", refresh).status_code == 400


# --- unfollowing --------------------------------------------------------------------------------


def follow_records(server: PdsServer, did: str) -> list[dict]:
    answer = server.xrpc(
        "GET",
        "com.atproto.repo.listRecords",
        params={"repo": did, "collection": "app.bsky.graph.follow", "limit": 100},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["records"]


def follow(server: PdsServer, account: dict, subjects: list[str]) -> None:
    writes = [
        {
            "$type": "com.atproto.repo.applyWrites#create",
            "collection": "app.bsky.graph.follow",
            "value": {
                "$type": "app.bsky.graph.follow",
                "subject": subject,
                "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            },
        }
        for subject in subjects
    ]
    answer = server.xrpc(
        "POST",
        "com.atproto.repo.applyWrites",
        account["accessJwt"],
        json={"repo": account["did"], "writes": writes},
    )
    assert answer.status_code == 200, answer.text


def test_unfollowing_deletes_every_follow_record_of_that_account_only(
    pds_server,  # noqa: F811
    accounts,
):
    # An account of its own: the module's Anna follows 121 accounts in another test.
    carla = pds_server.create_account("juf-carla.test")
    noor = pds_server.create_account("leerling-noor.test")
    password = pds_server.create_app_password(carla["accessJwt"], APP_PASSWORD_NAME)
    # Noor twice (a second app wrote a duplicate), Bram once.
    follow(pds_server, carla, [noor["did"], accounts.bram["did"], noor["did"]])
    store = CountingStore()
    with connector_for(pds_server, store, password, handle="juf-carla.test") as connector:
        assert sorted(connector.list_follows()) == ["@leerling-noor.test", "@meester-bram.test"]

        assert connector.unfollow("@Leerling-Noor.test") is True
        assert connector.list_follows() == ["@meester-bram.test"]
        assert [r["value"]["subject"] for r in follow_records(pds_server, carla["did"])] == [
            accounts.bram["did"]
        ]

        # Already gone, or nobody at all: nothing to remove, and no error.
        assert connector.unfollow("@leerling-noor.test") is False
        assert connector.unfollow("@bestaat-niet.test") is False
        assert connector.unfollow(noor["did"]) is False

        # By DID, as list_follows gives an account whose handle it cannot find.
        assert connector.unfollow(accounts.bram["did"]) is True
        assert connector.list_follows() == []
    assert follow_records(pds_server, carla["did"]) == []
    # Bram's and Noor's own repositories were not touched.
    assert follow_records(pds_server, noor["did"]) == []


def test_unfollowing_an_empty_name_is_a_programming_error(pds_server, accounts):  # noqa: F811
    connector = connector_for(pds_server, CountingStore(), accounts.app_password)
    with connector, pytest.raises(ValueError):
        connector.unfollow("  ")


class _MemoryVault:
    """One account's vault entry, shared by two connectors as the OS keyring would be."""

    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}

    def check_available(self) -> None:
        pass

    def read(self, account_id: str) -> dict | None:
        entry = self.entries.get(account_id)
        return dict(entry) if entry is not None else None

    def write(self, account_id: str, value: dict) -> None:
        self.entries[account_id] = dict(value)

    def delete(self, account_id: str) -> None:
        self.entries.pop(account_id, None)


def test_two_connectors_of_one_account_refresh_its_session_once(tmp_path):
    """Two Postwijs processes (here: two connectors on one data folder and one vault) that both
    find the access token expired: the second uses the session the first one refreshed, instead
    of spending the rotated refresh token and signing in again."""
    from tests.servers.bluesky_server import BlueskyServer

    with BlueskyServer() as server:
        vault = _MemoryVault()
        vault.write("bsky-1", {"appPassword": server.account.app_password})

        def make():
            return vault_connector(
                "bsky-1",
                server.account.handle,
                vault,
                service=server.base_url,
                data_dir=tmp_path,
            )

        first, second = make(), make()
        assert first.connect() == f"@{server.account.handle}"
        assert second.who_am_i() == f"@{server.account.handle}"  # the same session, from the vault
        server.expire_access_tokens()

        assert first.who_am_i() == f"@{server.account.handle}"  # refreshed
        assert second.who_am_i() == f"@{server.account.handle}"  # took the refreshed session
        first.close()
        second.close()
        assert len(server.requests_to("POST", r"/xrpc/com\.atproto\.server\.refreshSession")) == 1
        assert len(server.requests_to("POST", r"/xrpc/com\.atproto\.server\.createSession")) == 1
