"""The X contract server itself, proved against X's own client library and its own document.

The official client (PyPI `xdk`, generated from the same OpenAPI document) signs in with PKCE,
uploads a photo with alt text and a video in chunks, posts, reads back and deletes: the server
notes no deviation. Requests the document does not allow are refused and logged; answers not in
X's words are deviations; the OAuth rules and X's quirks answer as docs.x.com describes them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from PIL import Image
from xdk import Client, schemas

from tests.servers.x_server import DUPLICATE, XServer

SCOPES = "tweet.read tweet.write users.read media.write follows.read offline.access"
REDIRECT = "http://127.0.0.1:48213/callback"


def a_png(size=(24, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def server():
    with XServer(redirect_uri=REDIRECT) as made:
        yield made


def signed_in_client(server: XServer, monkeypatch) -> Client:
    """xdk through the whole PKCE flow: authorize (consent given at once), code exchange."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the server speaks plain HTTP
    client = Client(
        base_url=server.base_url,
        client_id=server.client_id,
        redirect_uri=REDIRECT,
        scope=SCOPES.split(),
        authorization_base_url=server.base_url + "/i",
    )
    consent = requests.get(
        client.get_authorization_url(state="s1"), allow_redirects=False, timeout=5
    )
    assert consent.status_code == 302
    callback = urlsplit(consent.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT
    code = parse_qs(callback.query)["code"][0]
    token = client.exchange_code(code)
    assert token["refresh_token"] and token["expires_in"] == 7200
    return client


def bearer(token) -> dict[str, str]:
    return {"Authorization": f"Bearer {token.access}"}


def test_the_official_client_posts_photos_and_a_video_reads_back_and_deletes(server, monkeypatch):
    client = signed_in_client(server, monkeypatch)
    me = client.users.get_me().data
    assert me.username == "obs_de_regenboog"

    photo = client.media.upload(
        schemas.MediaUploadRequest(
            media=base64.b64encode(a_png()).decode(), media_category="tweet_image"
        )
    ).data
    assert (photo.image.w, photo.image.h) == (24, 16)
    client.media.create_metadata(
        schemas.CreateMediaMetadataRequest(
            id=photo.id, metadata={"alt_text": {"text": "Kinderen op het schoolplein."}}
        )
    )
    posted = client.posts.create(
        schemas.CreatePostsRequest(text="Sportdag!", media={"media_ids": [photo.id]})
    ).data
    assert server.posts[posted.id].media_ids == [photo.id]
    assert server.media[photo.id].alt_text == "Kinderen op het schoolplein."

    video_bytes = bytes(range(256)) * 5000  # 1.28 MB in three segments
    chunks = [video_bytes[i : i + 512_000] for i in range(0, len(video_bytes), 512_000)]
    started = client.media.initialize_upload(
        schemas.InitializeMediaUploadRequest(
            media_type="video/mp4", total_bytes=len(video_bytes), media_category="tweet_video"
        )
    ).data
    for index, chunk in enumerate(chunks):
        client.media.append_upload(
            started.id,
            schemas.AppendMediaUploadRequest(
                media=base64.b64encode(chunk).decode(), segment_index=index
            ),
        )
    finalized = client.media.finalize_upload(started.id).data
    assert finalized.processing_info.state == "in_progress"
    status = client.media.get_upload_status(started.id, command="STATUS").data
    assert status.processing_info.state == "succeeded"
    assert server.media[started.id].data == video_bytes
    with_video = client.posts.create(
        schemas.CreatePostsRequest(text="Het filmpje", media={"media_ids": [started.id]})
    ).data

    pages = client.users.get_posts(me.id, max_results=5, post_fields=["created_at"])
    first = next(iter(pages))
    assert [p.text for p in first.data] == ["Het filmpje", "Sportdag!"]
    assert first.data[0].created_at is not None

    assert client.posts.delete(posted.id).data.deleted is True
    assert [p.id for p in server.stored_posts()] == [with_video.id]


def test_a_request_the_document_does_not_allow_is_refused_and_logged(server):
    token = server.issue_token(SCOPES)
    photos = []
    for _ in range(5):
        answer = requests.post(
            server.base_url + "/2/media/upload",
            files={"media": ("foto.png", a_png(), "image/png")},
            data={"media_category": "tweet_image"},
            headers=bearer(token),
            timeout=5,
        )
        assert answer.status_code == 200, answer.text
        photos.append(answer.json()["data"]["id"])
    refusals = [
        ("is too long", "/2/tweets", {"text": "Vijf foto's", "media": {"media_ids": photos}}),
        ("'colour' was unexpected", "/2/tweets", {"text": "Hallo", "colour": "blauw"}),
        (
            "'video/avi' is not one of",
            "/2/media/upload/initialize",
            {"media_type": "video/avi", "total_bytes": 10, "media_category": "tweet_video"},
        ),
    ]
    for expected, path, body in refusals:
        server.expect_deviation(expected)
        answer = requests.post(server.base_url + path, json=body, headers=bearer(token), timeout=5)
        assert answer.status_code == 400
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.json()["type"] == "https://api.x.com/2/problems/invalid-request"
        assert expected in answer.json()["errors"][0]["message"]
    server.expect_deviation("does not match '^[0-9]{1,19}$'")
    answer = requests.delete(server.base_url + "/2/tweets/abc", headers=bearer(token), timeout=5)
    assert answer.status_code == 400
    assert server.stored_posts() == []  # nothing refused was posted
    assert len(server.deviations) == 4


def test_a_multipart_append_with_its_segment_index_as_text_is_what_the_document_allows(server):
    token = server.issue_token(SCOPES)
    started = requests.post(
        server.base_url + "/2/media/upload/initialize",
        json={"media_type": "video/mp4", "total_bytes": 6, "media_category": "tweet_video"},
        headers=bearer(token),
        timeout=5,
    ).json()["data"]
    for index, chunk in enumerate((b"abc", b"def")):
        answer = requests.post(
            f"{server.base_url}/2/media/upload/{started['id']}/append",
            files={"media": ("blob", chunk, "application/octet-stream")},
            data={"segment_index": str(index)},
            headers=bearer(token),
            timeout=5,
        )
        assert answer.status_code == 200, answer.text
    server.expect_deviation("1000 is greater than the maximum of 999")
    too_far = requests.post(
        f"{server.base_url}/2/media/upload/{started['id']}/append",
        files={"media": ("blob", b"x", "application/octet-stream")},
        data={"segment_index": "1000"},
        headers=bearer(token),
        timeout=5,
    )
    assert too_far.status_code == 400
    assert server.media[started["id"]].data == b"abcdef"


def test_an_answer_not_in_x_words_is_a_deviation(server):
    token = server.issue_token(SCOPES)

    def post():
        return requests.post(
            server.base_url + "/2/tweets", json={"text": "a"}, headers=bearer(token), timeout=5
        )

    server.fail_next("POST", r"/2/tweets", 503, {"error": "kapot"})
    server.expect_deviation("answer 503 not as the X API document has it")
    assert post().status_code == 503
    server.fail_next("POST", r"/2/tweets", 503, {"code": 130, "message": "Over capacity"})
    assert post().json() == {"code": 130, "message": "Over capacity"}
    server.fail_next("POST", r"/2/tweets", *server.fault(503))
    fault = post()
    assert fault.status_code == 503
    assert fault.headers["Content-Type"] == "application/problem+json"
    assert fault.json()["title"] == "Service Unavailable"
    assert len(server.deviations) == 1
    assert server.stored_posts() == []


def test_the_code_lives_30_seconds_and_is_used_once(server):
    def code_and_verifier():
        verifier = "v" * 50
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        consent = requests.get(
            server.base_url + "/i/oauth2/authorize",
            params={
                "response_type": "code",
                "client_id": server.client_id,
                "redirect_uri": REDIRECT,
                "scope": SCOPES,
                "state": "s",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
            allow_redirects=False,
            timeout=5,
        )
        return parse_qs(urlsplit(consent.headers["Location"]).query)["code"][0], verifier

    def exchange(code, verifier):
        return requests.post(
            server.base_url + "/2/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
                "client_id": server.client_id,
            },
            timeout=5,
        )

    code, verifier = code_and_verifier()
    server.advance(31)
    late = exchange(code, verifier)
    assert late.status_code == 400
    assert late.json() == {
        "error": "invalid_request",
        "error_description": "Value passed for the authorization code was invalid.",
    }
    code, verifier = code_and_verifier()
    server.advance(29)
    assert exchange(code, verifier).status_code == 200
    assert exchange(code, verifier).status_code == 400  # used once


def test_refresh_tokens_rotate_and_a_used_one_is_refused(server):
    first = server.issue_token(SCOPES)

    def refresh(value):
        return requests.post(
            server.base_url + "/2/oauth2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": value,
                "client_id": server.client_id,
            },
            timeout=5,
        )

    renewed = refresh(first.refresh)
    assert renewed.status_code == 200
    body = renewed.json()
    assert body["refresh_token"] != first.refresh
    again = refresh(first.refresh)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_request"
    me = requests.get(
        server.base_url + "/2/users/me",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=5,
    )
    assert me.status_code == 200
    assert refresh(body["refresh_token"]).status_code == 200  # the newest one works


def test_duplicate_content_is_a_403_in_either_error_shape(server):
    token = server.issue_token(SCOPES)

    def post():
        return requests.post(
            server.base_url + "/2/tweets",
            json={"text": "Twee keer"},
            headers=bearer(token),
            timeout=5,
        )

    assert post().status_code == 201
    duplicate = post()
    assert duplicate.status_code == 403
    assert duplicate.headers["Content-Type"] == "application/problem+json"
    assert duplicate.json()["detail"] == DUPLICATE
    server.plain_errors = True
    plain = post()
    assert plain.status_code == 403
    assert plain.json() == {"code": 403, "message": DUPLICATE}
    assert len(server.stored_posts()) == 1


def test_rate_limit_usage_cap_expired_token_and_missing_permission_in_x_words(server):
    token = server.issue_token(SCOPES)

    def me():
        return requests.get(server.base_url + "/2/users/me", headers=bearer(token), timeout=5)

    budget = me()
    assert budget.headers["x-rate-limit-limit"] == "75"
    assert budget.headers["x-rate-limit-remaining"] == "74"

    reset = datetime.now(UTC) + timedelta(minutes=7)
    server.rate_limit(reset)
    limited = me()
    assert limited.status_code == 429
    assert limited.headers["x-rate-limit-remaining"] == "0"
    assert limited.headers["x-rate-limit-reset"] == str(int(reset.timestamp()))
    server.rate_limit(None)

    server.cap_usage(True)
    capped = me()
    assert capped.status_code == 429
    assert capped.json()["type"] == "https://api.x.com/2/problems/usage-capped"
    server.cap_usage(False)

    server.deny_permission("POST", r"/2/tweets")
    denied = requests.post(
        server.base_url + "/2/tweets", json={"text": "a"}, headers=bearer(token), timeout=5
    )
    assert denied.status_code == 403
    assert denied.json()["title"] == "Forbidden"

    server.advance(2 * 3600 + 1)  # an access token lives two hours
    assert me().status_code == 401
    token = server.issue_token(SCOPES)
    assert me().status_code == 200
    server.expire_tokens()
    expired = me()
    assert expired.status_code == 401
    assert expired.json()["title"] == "Unauthorized"
    assert server.stored_posts() == []


def test_a_token_without_the_documents_scopes_is_a_deviation(server):
    token = server.issue_token("tweet.read users.read")
    server.expect_deviation("the token lacks the scopes ['tweet.write']")
    answer = requests.post(
        server.base_url + "/2/tweets", json={"text": "a"}, headers=bearer(token), timeout=5
    )
    assert answer.status_code == 403


def test_a_dropped_connection_after_the_post_leaves_it_posted_and_findable(server):
    token = server.issue_token(SCOPES)
    before = datetime.now(UTC) - timedelta(seconds=1)
    server.add_post("Van vorige week", created_at=before - timedelta(days=7))
    server.drop_connection_after("POST", r"/2/tweets")
    with pytest.raises(requests.ConnectionError):
        requests.post(
            server.base_url + "/2/tweets",
            json={"text": "Onzeker"},
            headers=bearer(token),
            timeout=5,
        )
    found = requests.get(
        f"{server.base_url}/2/users/{server.account.id}/tweets",
        params={"start_time": before.strftime("%Y-%m-%dT%H:%M:%SZ"), "max_results": 5},
        headers=bearer(token),
        timeout=5,
    ).json()
    assert [p["text"] for p in found["data"]] == ["Onzeker"]


def test_posts_and_follows_come_in_pages_with_next_token(server):
    token = server.issue_token(SCOPES)
    for n in range(7):
        server.add_post(f"Bericht {n}", created_at=datetime(2026, 11, 1 + n, tzinfo=UTC))
        server.follow(f"ouder_{n}")
    seen, following, query = [], [], {"max_results": 5}
    while True:
        page = requests.get(
            f"{server.base_url}/2/users/{server.account.id}/tweets",
            params=query,
            headers=bearer(token),
            timeout=5,
        ).json()
        seen += [p["text"] for p in page.get("data", [])]
        if "next_token" not in page["meta"]:
            break
        query = {"max_results": 5, "pagination_token": page["meta"]["next_token"]}
    assert seen == [f"Bericht {n}" for n in reversed(range(7))]
    query = {"max_results": 3}
    while True:
        page = requests.get(
            f"{server.base_url}/2/users/{server.account.id}/following",
            params=query,
            headers=bearer(token),
            timeout=5,
        ).json()
        following += [u["username"] for u in page.get("data", [])]
        if "next_token" not in page["meta"]:
            break
        query = {"max_results": 3, "pagination_token": page["meta"]["next_token"]}
    assert following == [f"ouder_{n}" for n in range(7)]
    server.expect_deviation("is greater than the maximum of 100")
    too_many = requests.get(
        f"{server.base_url}/2/users/{server.account.id}/tweets",
        params={"max_results": 500},
        headers=bearer(token),
        timeout=5,
    )
    assert too_many.status_code == 400


def test_the_answers_are_json_the_document_knows():
    """The problem+json bodies are JSON (the document's `Problem`), not text."""
    with XServer() as server:
        answer = requests.get(server.base_url + "/2/users/me", timeout=5)
        server.expect_deviation("no Authorization: Bearer")
        assert answer.status_code == 401
        assert json.loads(answer.content)["type"] == "about:blank"
