"""The contract-server base holds every test to the provider's documentation."""

from __future__ import annotations

import io

import pytest
import requests
from PIL import Image

from tests.servers.bluesky_server import BlueskyServer
from tests.servers.mastodon_server import MastodonServer


@pytest.mark.parametrize("server_class", [MastodonServer, BlueskyServer])
def test_leaving_the_server_fails_on_a_deviation_the_test_did_not_announce(server_class):
    with (
        pytest.raises(AssertionError, match="GET /nergens: no such endpoint"),
        server_class() as server,
    ):
        assert requests.get(server.base_url + "/nergens", timeout=5).status_code >= 400


def test_an_announced_deviation_passes_and_one_that_never_came_fails():
    with BlueskyServer() as server:
        server.expect_deviation("no such endpoint")
        requests.get(server.base_url + "/nergens", timeout=5)

    with (
        pytest.raises(AssertionError, match="expected deviations that never came: no Bearer"),
        BlueskyServer() as server,
    ):
        server.expect_deviation("no Bearer")


def test_a_validator_is_plugged_in_with_one_line_and_its_findings_are_deviations():
    with (
        pytest.raises(AssertionError, match=r"POST .*createSession: not an app password"),
        BlueskyServer() as server,
    ):
        server.add_validator(
            lambda entry: ["not an app password"] * (entry.fields.get("password") == "fout")
        )
        requests.post(
            server.base_url + "/xrpc/com.atproto.server.createSession",
            json={"identifier": server.account.handle, "password": "fout"},
            timeout=5,
        )


def a_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_bluesky_server_checks_post_records_against_the_lexicon():
    with BlueskyServer() as server:
        server.expect_deviation("an image has no alt")
        server.expect_deviation("text is longer than 300 graphemes")
        session = requests.post(
            server.base_url + "/xrpc/com.atproto.server.createSession",
            json={"identifier": server.account.handle, "password": server.account.app_password},
            timeout=5,
        ).json()
        headers = {"Authorization": f"Bearer {session['accessJwt']}"}
        blob = requests.post(
            server.base_url + "/xrpc/com.atproto.repo.uploadBlob",
            data=a_png(),
            headers={**headers, "Content-Type": "image/png"},
            timeout=5,
        ).json()["blob"]
        for record in (
            {
                "text": "Foto",
                "embed": {"$type": "app.bsky.embed.images", "images": [{"image": blob}]},
            },
            {"text": "a" * 301},
        ):
            requests.post(
                server.base_url + "/xrpc/com.atproto.repo.createRecord",
                json={
                    "repo": session["did"],
                    "collection": "app.bsky.feed.post",
                    "record": {
                        "$type": "app.bsky.feed.post",
                        "createdAt": "2026-12-02T08:00:00.000Z",
                        **record,
                    },
                },
                headers=headers,
                timeout=5,
            )


def test_the_bluesky_server_notes_a_blob_that_is_not_the_image_it_claims():
    with BlueskyServer() as server:
        server.expect_deviation("blob is not a well-formed image/jpeg")
        session = requests.post(
            server.base_url + "/xrpc/com.atproto.server.createSession",
            json={"identifier": server.account.handle, "password": server.account.app_password},
            timeout=5,
        ).json()
        requests.post(
            server.base_url + "/xrpc/com.atproto.repo.uploadBlob",
            data=a_png(),
            headers={
                "Authorization": f"Bearer {session['accessJwt']}",
                "Content-Type": "image/jpeg",
            },
            timeout=5,
        )
