"""The Instagram contract server itself: Meta's node descriptions judge every request, containers
fetch their photo for real (here from the foundation's service as a process) and go from
IN_PROGRESS to FINISHED, publishing counts against the limit, and errors come in Meta's shape."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import requests
from PIL import Image

from tests.meta_rigs import instagram_service
from tests.servers.instagram_server import InstagramGraphServer

V = "/v26.0"


def jpeg(size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 20)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def server():
    with InstagramGraphServer() as running:
        yield running


@pytest.fixture
def service(server, tmp_path):
    with instagram_service(server, tmp_path) as running:
        yield running


def graph(server, method, path, token, **kwargs):
    headers = {"Authorization": f"Bearer {token}"}
    return requests.request(method, server.base_url + V + path, headers=headers, **kwargs)


def hosted(service, server, token, data: bytes) -> str:
    answer = requests.post(
        service.base_url + "/v1/instagram/photos",
        data=data,
        headers={
            "Content-Type": "image/jpeg",
            "Authorization": f"Bearer {token}",
            "X-Instagram-Account": server.ig_user_id,
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["url"]


def test_a_container_fetches_its_photo_finishes_and_publishes_once(server, service):
    token = server.issue_token()
    photo = jpeg()
    url = hosted(service, server, token, photo)
    user = server.ig_user_id

    made = graph(server, "POST", f"/{user}/media", token, data={"image_url": url, "caption": "Hoi"})
    container = made.json()["id"]
    status = [
        graph(server, "GET", f"/{container}", token, params={"fields": "status_code"}).json()
        for _ in range(2)
    ]
    published = graph(
        server, "POST", f"/{user}/media_publish", token, data={"creation_id": container}
    )
    again = graph(server, "POST", f"/{user}/media_publish", token, data={"creation_id": container})

    assert [s["status_code"] for s in status] == ["IN_PROGRESS", "FINISHED"]
    assert server.fetches == [(url, 200)]
    assert server.stored_media()[0].photos == (photo,)
    assert published.status_code == 200 and server.posts_created == 1
    assert again.status_code == 400 and again.json()["error"]["code"] == 9007
    media = published.json()["id"]
    read = graph(server, "GET", f"/{media}", token, params={"fields": "permalink,caption"})
    assert read.json()["caption"] == "Hoi"
    assert read.json()["permalink"].startswith("https://www.instagram.com/p/")


def test_a_reused_photo_url_leaves_the_container_in_error_and_nothing_published(server, service):
    token = server.issue_token()
    url = hosted(service, server, token, jpeg())
    user = server.ig_user_id
    graph(server, "POST", f"/{user}/media", token, data={"image_url": url})
    second = graph(server, "POST", f"/{user}/media", token, data={"image_url": url}).json()["id"]

    status = graph(server, "GET", f"/{second}", token, params={"fields": "status_code,status"})
    publish = graph(server, "POST", f"/{user}/media_publish", token, data={"creation_id": second})

    assert status.json()["status_code"] == "ERROR"
    assert [code for _, code in server.fetches] == [200, 404]
    assert publish.status_code == 400
    error = publish.json()["error"]
    assert (error["code"], error["error_subcode"]) == (9004, 2207052)
    assert server.posts_created == 0


def test_requests_are_judged_by_metas_node_descriptions(server):
    token = server.issue_token()
    user = server.ig_user_id
    server.expect_deviation("parameter 'image_link' is not one IGUser takes here")
    server.expect_deviation("is_carousel_item='ja': expected true or false")
    server.expect_deviation("field 'permalink_url' is not a field of IGMedia")
    server.expect_deviation("required parameter 'creation_id' missing")
    server.expect_deviation("an image container without image_url")  # the two above have none

    graph(server, "POST", f"/{user}/media", token, data={"image_link": "https://x/y.jpg"})
    graph(server, "POST", f"/{user}/media", token, data={"is_carousel_item": "ja"})
    graph(server, "GET", f"/{user}/media", token, params={"fields": "id,permalink_url"})
    graph(server, "POST", f"/{user}/media_publish", token, data={})


def test_errors_come_over_400_in_metas_shape(server):
    user = server.ig_user_id
    unknown = graph(server, "GET", f"/{user}", "EAAGniet-bekend", params={"fields": "id"})
    token = server.issue_token()
    server.expire_tokens()
    expired = graph(server, "GET", f"/{user}", token, params={"fields": "id"})

    assert unknown.status_code == expired.status_code == 400
    assert unknown.json()["error"]["code"] == 190
    assert (expired.json()["error"]["code"], expired.json()["error"]["error_subcode"]) == (190, 463)
    assert "fbtrace_id" in expired.json()["error"]


def test_the_publishing_limit_is_read_and_kept(server, service):
    server.quota_total = 2
    token = server.issue_token()
    user = server.ig_user_id
    for hours in (3, 1):
        server.add_media("Eerder", datetime.now(UTC) - timedelta(hours=hours))
    server.add_media("Gisteren", datetime.now(UTC) - timedelta(hours=30))
    server.in_progress_reads = 0
    url = hosted(service, server, token, jpeg())
    container = graph(server, "POST", f"/{user}/media", token, data={"image_url": url}).json()

    limit = graph(
        server,
        "GET",
        f"/{user}/content_publishing_limit",
        token,
        params={"fields": "config,quota_usage"},
    )
    graph(server, "GET", f"/{container['id']}", token, params={"fields": "status_code"})
    publish = graph(
        server, "POST", f"/{user}/media_publish", token, data={"creation_id": container["id"]}
    )

    assert limit.json() == {
        "data": [{"quota_usage": 2, "config": {"quota_total": 2, "quota_duration": 86400}}]
    }
    error = publish.json()["error"]
    assert (error["code"], error["error_subcode"]) == (9, 2207042)
    assert server.posts_created == 0


def test_a_version_meta_no_longer_serves_is_refused(server):
    server.expect_deviation("Graph API version v20.0 is not v26.0")
    token = server.issue_token()
    answer = requests.get(
        f"{server.base_url}/v20.0/{server.ig_user_id}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 2635


def test_debug_token_needs_the_app_token(server):
    token = server.issue_token()
    app = f"{server.app_id}|{server.app_secret}"
    good = requests.get(
        server.base_url + V + "/debug_token", params={"input_token": token, "access_token": app}
    )
    wrong = requests.get(
        server.base_url + V + "/debug_token", params={"input_token": token, "access_token": token}
    )
    assert good.json()["data"]["is_valid"] is True
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == 190
